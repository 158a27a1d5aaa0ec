//! "Did you mean" suggestions for mistyped names.

/// The candidate closest to `wanted` by edit distance, if it is close enough to be a
/// plausible typo (at most a third of the name's length). Ties go to the first in order.
pub fn nearest<'a>(wanted: &str, candidates: &'a [String]) -> Option<&'a str> {
    let limit = (wanted.chars().count() / 3).max(2);
    candidates
        .iter()
        .map(|c| (edit_distance(&wanted.to_lowercase(), &c.to_lowercase()), c))
        .filter(|(d, _)| *d <= limit)
        .min_by_key(|(d, _)| *d)
        .map(|(_, c)| c.as_str())
}

/// Levenshtein distance over characters.
pub fn edit_distance(a: &str, b: &str) -> usize {
    strsim::levenshtein(a, b)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn suggests_close_names_only() {
        let names = vec!["REQ-7.9.3-01".to_owned(), "REQ-7.9.2-01".to_owned()];
        assert_eq!(nearest("REQ-7.9.3-1", &names), Some("REQ-7.9.3-01"));
        assert_eq!(nearest("GOV-99", &names), None);
        assert_eq!(edit_distance("kitten", "sitting"), 3);
    }
}
