//! Natural order for requirement and section IDs: `REQ-7.9-2` before `REQ-7.10-1`, so
//! reports read in document order whatever order the files list requirements in.

use std::cmp::Ordering;

/// Compares runs of digits as numbers and everything else as text; equal-looking IDs
/// (`01` and `1`) fall back to plain text order, so the order is total.
pub fn natural_cmp(a: &str, b: &str) -> Ordering {
    // The chunks before the first differing byte are alike on both sides: comparing
    // starts at the chunk that holds it (a chunk boundary is a change between ASCII
    // digit and anything else, so it never falls inside a character).
    let (x, y) = (a.as_bytes(), b.as_bytes());
    let same = x.iter().zip(y).take_while(|(p, q)| p == q).count();
    if same == x.len() && same == y.len() {
        return Ordering::Equal;
    }
    let mut start = same;
    if let Some(last) = same.checked_sub(1) {
        let digit = x[last].is_ascii_digit();
        while start > 0 && x[start - 1].is_ascii_digit() == digit {
            start -= 1;
        }
    }
    let mut left = chunks(&a[start..]);
    let mut right = chunks(&b[start..]);
    loop {
        match (left.next(), right.next()) {
            (None, None) => return a.cmp(b),
            (None, Some(_)) => return Ordering::Less,
            (Some(_), None) => return Ordering::Greater,
            (Some(x), Some(y)) => {
                let order = compare_chunk(x, y);
                if order != Ordering::Equal {
                    return order;
                }
            }
        }
    }
}

/// One chunk of an ID as [`natural_key`] orders it: digit runs (by length without leading
/// zeros, then digits) before text.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum NaturalPart<'a> {
    Number(usize, &'a str),
    Text(&'a str),
}

/// A sort key that orders like [`natural_cmp`], for `sort_by_cached_key`.
pub fn natural_key(s: &str) -> (Vec<NaturalPart<'_>>, &str) {
    let parts = chunks(s)
        .map(|chunk| {
            if chunk.bytes().all(|b| b.is_ascii_digit()) {
                let digits = chunk.trim_start_matches('0');
                NaturalPart::Number(digits.len(), digits)
            } else {
                NaturalPart::Text(chunk)
            }
        })
        .collect();
    (parts, s)
}

fn compare_chunk(x: &str, y: &str) -> Ordering {
    let digits = |s: &str| s.bytes().all(|b| b.is_ascii_digit());
    match (digits(x), digits(y)) {
        (true, true) => {
            let (x, y) = (x.trim_start_matches('0'), y.trim_start_matches('0'));
            x.len().cmp(&y.len()).then_with(|| x.cmp(y))
        }
        (true, false) => Ordering::Less,
        (false, true) => Ordering::Greater,
        (false, false) => x.cmp(y),
    }
}

/// Splits into alternating runs of ASCII digits and of other characters (read as bytes:
/// no byte of a longer character is an ASCII digit, so the runs end where they would).
fn chunks(s: &str) -> impl Iterator<Item = &str> {
    let mut rest = s;
    std::iter::from_fn(move || {
        let is_digit = rest.as_bytes().first()?.is_ascii_digit();
        let end = rest
            .bytes()
            .position(|b| b.is_ascii_digit() != is_digit)
            .unwrap_or(rest.len());
        let (chunk, tail) = rest.split_at(end);
        rest = tail;
        Some(chunk)
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_compare_as_numbers() {
        let mut ids = vec![
            "REQ-7.10-01",
            "REQ-7.9-02",
            "REQ-7.9-10",
            "PRO-7.2-10",
            "REQ-7.9.1-01",
        ];
        ids.sort_by(|a, b| natural_cmp(a, b));
        assert_eq!(
            ids,
            [
                "PRO-7.2-10",
                "REQ-7.9-02",
                "REQ-7.9-10",
                "REQ-7.9.1-01",
                "REQ-7.10-01"
            ]
        );
        assert_eq!(natural_cmp("a1", "a01"), "a1".cmp("a01"));
        assert_eq!(natural_cmp("R-0109", "R-011"), Ordering::Greater);
        assert_eq!(natural_cmp("R-19", "R-100"), Ordering::Less);
        assert_eq!(natural_cmp("A-1é", "A-1è"), "A-1é".cmp("A-1è"));
        assert_eq!(natural_cmp("A-12", "A-12a"), Ordering::Less);
        assert_eq!(natural_cmp("A-12", "A-12"), Ordering::Equal);
        let mut keyed = ids.clone();
        keyed.reverse();
        keyed.sort_by_cached_key(|id| natural_key(id));
        assert_eq!(keyed, ids, "natural_key orders like natural_cmp");
    }
}
