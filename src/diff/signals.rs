//! The matching signals (docs/diff.md, "How a pair is scored"): stemmed words, weighted by
//! how rare they are across both versions, and titles as a second signal.
//!
//! Audit finding behind each: rev4 "The organization tracks and documents incidents" vs
//! rev5 "Track and document incidents" differ in every inflection (stemming); two families
//! reusing one policy paragraph looked alike because every word counted the same (IDF);
//! an edition that rewrote every text but kept the titles was not recognised (titles).

use std::borrow::Cow;

/// How much a pair of equal, unambiguous titles can add to a pair's score: it closes this
/// share of the gap between the text score and 1. An equal title alone (no common word in
/// the texts) therefore scores 0.4, below the match threshold: a title never makes a pair
/// on its own.
pub const TITLE_WEIGHT: f64 = 0.4;

/// A light English stemmer: plural and verb endings (`tracks`, `tracked`, `tracking` →
/// `track`), `-ly` adverbs and a final silent `e`, so that "documents"/"document" and
/// "defines"/"define"/"defined" meet. Words with digits and short words stay as they are.
/// Deliberately lighter than Porter: it never merges words whose stems differ in meaning
/// more than their inflection does.
pub fn stem(word: &str) -> Cow<'_, str> {
    if word.len() <= 3 || !word.bytes().all(|b| b.is_ascii_lowercase()) {
        return Cow::Borrowed(word);
    }
    let mut w = word.to_owned();
    if w.ends_with("ies") && w.len() > 4 {
        w.truncate(w.len() - 3);
        w.push('y');
    } else if w.ends_with("sses") {
        w.truncate(w.len() - 2);
    } else if w.ends_with('s') && !(w.ends_with("ss") || w.ends_with("us") || w.ends_with("is")) {
        w.pop();
    }
    for suffix in ["ing", "ed", "ly"] {
        if w.ends_with(suffix) && w.len() - suffix.len() >= 4 {
            w.truncate(w.len() - suffix.len());
            undouble(&mut w);
            break;
        }
    }
    if w.ends_with('e') && w.len() > 4 {
        w.pop();
    }
    if w == word {
        Cow::Borrowed(word)
    } else {
        Cow::Owned(w)
    }
}

/// `stopped` → `stopp` → `stop`; `installed` keeps its `ll`.
fn undouble(w: &mut String) {
    let bytes = w.as_bytes();
    let n = bytes.len();
    if n >= 2 && bytes[n - 1] == bytes[n - 2] && !b"lsz".contains(&bytes[n - 1]) {
        w.pop();
    }
}

/// How an importer renders a parameter must not count as a change: the "how many" of a
/// selection (`[Selection (one or more): …]` and `[Selection: …]` are the same parameter)
/// is dropped before words are taken.
pub fn without_selection_arity(text: &str) -> Cow<'_, str> {
    // One search for what both spellings share rules out most texts.
    if !text.contains("election (")
        || (!text.contains("Selection (") && !text.contains("selection ("))
    {
        return Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(at) = rest.find("election (") {
        let (head, tail) = rest.split_at(at + "election".len());
        out.push_str(head);
        match tail.find("):") {
            Some(close) if close < 20 => rest = &tail[close + 1..],
            _ => {
                out.push_str(&tail[..1]);
                rest = &tail[1..];
            }
        }
    }
    out.push_str(rest);
    Cow::Owned(out)
}

/// The text whose words the matcher weighs: without the selection's "how many", and
/// without web addresses. An address is where to read more, not what is required: two
/// requirements citing one page are not one requirement, and a citation dropped in the
/// next edition (OWASP ASVS 4.0.3 ends 72 requirements with a link to the Proactive
/// Controls, 5.0.0 none) must not make every such requirement look changed. A
/// whitespace-separated run holding `://` goes whole, with the Markdown around it.
pub fn matching_text(text: &str) -> Cow<'_, str> {
    let text = without_selection_arity(text);
    if !text.contains("://") {
        return text;
    }
    let kept: Vec<&str> = text
        .split_whitespace()
        .filter(|run| !run.contains("://"))
        .collect();
    Cow::Owned(kept.join(" "))
}

/// Inverse document frequency of every word over both versions together (so the weights
/// are the same whichever version is called old): ln(1 + N / df). Always positive, and
/// small for words that almost every requirement uses.
pub fn idf(document_frequency: &[u32], documents: usize) -> Vec<f64> {
    document_frequency
        .iter()
        .map(|&df| (1.0 + documents as f64 / f64::from(df.max(1))).ln())
        .collect()
}

/// Total weight of a multiset of words.
pub fn total(tokens: &[u32], weights: &[f64]) -> f64 {
    tokens.iter().map(|t| weights[*t as usize]).sum()
}

/// Weight of the multiset intersection of two sorted slices.
pub fn common_weight(a: &[u32], b: &[u32], weights: &[f64]) -> f64 {
    let (mut i, mut j, mut sum) = (0, 0, 0.0);
    while let (Some(&x), Some(&y)) = (a.get(i), b.get(j)) {
        if x == y {
            sum += weights[x as usize];
        }
        // Which list moves on depends on the words, and a guess at it is wrong half the
        // time: both steps are taken without a branch.
        i += usize::from(x <= y);
        j += usize::from(y <= x);
    }
    sum
}

/// Weighted Dice coefficient: 2·w(A∩B) / (w(A) + w(B)). Symmetric; 1 for equal word
/// multisets, 0 for no common word.
pub fn weighted_dice(a: &[u32], b: &[u32], weights: &[f64], totals: (f64, f64)) -> f64 {
    if a.is_empty() && b.is_empty() {
        return 1.0;
    }
    let sum = totals.0 + totals.1;
    if sum <= 0.0 {
        return 0.0;
    }
    (2.0 * common_weight(a, b, weights) / sum).min(1.0)
}

/// Weighted share of `part` that lies in `whole`: a reason shown for split and merge
/// parts, never a pair's score (it is not symmetric: a 4-word title lies wholly inside
/// any paragraph that repeats it).
pub fn weighted_containment(part: &[u32], whole: &[u32], weights: &[f64], part_total: f64) -> f64 {
    if part_total <= 0.0 {
        return 0.0;
    }
    (common_weight(part, whole, weights) / part_total).min(1.0)
}

/// The multiset `a − b` of two sorted slices.
pub fn difference(a: &[u32], b: &[u32]) -> Vec<u32> {
    let (mut i, mut j) = (0, 0);
    let mut out = Vec::with_capacity(a.len());
    while let Some(x) = a.get(i) {
        match b.get(j) {
            Some(y) if y < x => j += 1,
            Some(y) if y == x => {
                i += 1;
                j += 1;
            }
            _ => {
                out.push(*x);
                i += 1;
            }
        }
    }
    out
}

/// The sorted multiset union of several sorted slices (each word as often as in all of
/// them together).
pub fn concat(parts: &[&[u32]]) -> Vec<u32> {
    let mut all: Vec<u32> = parts.iter().flat_map(|p| p.iter().copied()).collect();
    all.sort_unstable();
    all
}

/// The pair's score from its two signals: the text score, raised by title evidence
/// (`1 − (1 − text)(1 − TITLE_WEIGHT·title)`). Symmetric in the two requirements, 1 when
/// the texts are equal, and never lower than the text score.
pub fn combine(text: f64, title: f64) -> f64 {
    1.0 - (1.0 - text) * (1.0 - TITLE_WEIGHT * title)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn inflections_meet() {
        for (a, b) in [
            ("tracks", "track"),
            ("documents", "document"),
            ("defines", "define"),
            ("defined", "define"),
            ("policies", "policy"),
            ("reviewing", "review"),
            ("stopped", "stop"),
            ("disseminates", "disseminate"),
        ] {
            assert_eq!(stem(a), stem(b), "{a} vs {b}");
        }
        assert_eq!(stem("24"), "24");
        assert_eq!(stem("access"), "access");
        assert_ne!(stem("shall"), stem("should"));
    }

    #[test]
    fn selection_arity_is_rendering() {
        assert_eq!(
            without_selection_arity("[Selection (one or more): daily; weekly]"),
            "[Selection: daily; weekly]"
        );
        assert_eq!(without_selection_arity("a (b) c"), "a (b) c");
    }

    #[test]
    fn web_addresses_are_not_matching_words() {
        assert_eq!(
            matching_text("Verify the lifecycle. ([C1](https://example.org/x#div-numbering))"),
            "Verify the lifecycle."
        );
        assert_eq!(
            matching_text("See https://example.org/a, then act"),
            "See then act"
        );
        assert_eq!(matching_text("no address: here"), "no address: here");
    }

    #[test]
    fn weighted_scores() {
        let weights = [1.0, 1.0, 4.0];
        let (a, b) = ([0u32, 2], [1u32, 2]);
        let dice = weighted_dice(&a, &b, &weights, (5.0, 5.0));
        assert!((dice - 0.8).abs() < 1e-9);
        assert_eq!(weighted_containment(&[2], &a, &weights, 4.0), 1.0);
        assert_eq!(difference(&[1, 2, 2, 3], &[2, 3]), [1, 2]);
        assert_eq!(combine(1.0, 0.0), 1.0);
        assert!((combine(0.0, 1.0) - TITLE_WEIGHT).abs() < 1e-12);
    }
}
