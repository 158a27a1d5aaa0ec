//! Text comparison: normalisation, word tokens, the similarity score, the rules that tell
//! editorial from substantive changes, and the word-level diff.

use std::borrow::Cow;
use std::collections::BTreeSet;

use similar::algorithms::IdentifyDistinct;
use similar::{capture_diff, capture_diff_slices, Algorithm, DiffOp, DiffTag};

use super::model::{Delta, Details, Reason, Segment, SegmentOp};
use super::signals::without_selection_arity;

mod surface;

/// Texts longer than this many words get a whole-text replace instead of a word diff, so a
/// hostile file cannot make the diff quadratic.
const MAX_DIFF_WORDS: usize = 4_000;

/// The text as compared for "unchanged": lower case, typographic quotes and dashes made
/// plain, whitespace collapsed. A change of case or spacing alone is not a change.
pub fn normalise(text: &str) -> String {
    normalised_chars(text).collect()
}

/// Whether two texts are equal once normalised (see [`normalise`]), compared as they are
/// read: no copy of either text is made.
pub fn same_normalised(a: &str, b: &str) -> bool {
    if a.is_ascii() && b.is_ascii() {
        // Normalising keeps every letter and digit: texts with more of them on one side
        // differ, which a count tells faster than reading them side by side.
        let letters_and_digits =
            |text: &str| text.bytes().filter(u8::is_ascii_alphanumeric).count();
        return letters_and_digits(a) == letters_and_digits(b)
            && normalised_ascii(a).eq(normalised_ascii(b));
    }
    normalised_chars(a).eq(normalised_chars(b))
}

/// [`normalised_chars`] of ASCII text, as bytes: of the typography only the backtick is
/// ASCII, and lower-casing keeps one byte one byte.
fn normalised_ascii(text: &str) -> impl Iterator<Item = u8> + '_ {
    text.split_whitespace().enumerate().flat_map(|(i, word)| {
        let space = (i > 0).then_some(b' ');
        space.into_iter().chain(word.bytes().map(|b| match b {
            b'`' => b'\'',
            b => b.to_ascii_lowercase(),
        }))
    })
}

fn normalised_chars(text: &str) -> impl Iterator<Item = char> + '_ {
    text.split_whitespace().enumerate().flat_map(|(i, word)| {
        let space = (i > 0).then_some(' ');
        space.into_iter().chain(word.chars().flat_map(|c| {
            // The plain forms are ASCII punctuation, which lower-casing keeps.
            let plain = match c {
                '\u{2018}' | '\u{2019}' | '\u{201B}' | '`' => '\'',
                '\u{201C}' | '\u{201D}' | '\u{201F}' => '"',
                '\u{2010}'..='\u{2015}' | '\u{2212}' => '-',
                c => c,
            };
            plain.to_lowercase()
        }))
    })
}

/// The words of a text: maximal runs of letters and digits, lower-cased (borrowed when
/// already lower case, which most words are).
pub fn words(text: &str) -> Words<'_> {
    Words {
        text,
        at: 0,
        ascii: text.is_ascii(),
    }
}

/// The iterator of [`words`].
pub struct Words<'a> {
    text: &'a str,
    /// Where the next word is looked for.
    at: usize,
    /// ASCII text, most text, is read byte by byte rather than decoded: the same words.
    ascii: bool,
}

impl<'a> Iterator for Words<'a> {
    type Item = Cow<'a, str>;

    fn next(&mut self) -> Option<Cow<'a, str>> {
        let range = if self.ascii {
            ascii_word_ranges(&self.text.as_bytes()[self.at..]).next()?
        } else {
            let rest = &self.text[self.at..];
            let start = rest.find(char::is_alphanumeric)?;
            let end = rest[start..]
                .find(|c: char| !c.is_alphanumeric())
                .map_or(rest.len(), |len| start + len);
            start..end
        };
        let word = &self.text[self.at + range.start..self.at + range.end];
        self.at += range.end;
        let lower = if self.ascii {
            word.bytes()
                .any(|b| b.is_ascii_uppercase())
                .then(|| word.to_ascii_lowercase())
        } else {
            word.chars()
                .any(char::is_uppercase)
                .then(|| word.to_lowercase())
        };
        Some(lower.map_or(Cow::Borrowed(word), Cow::Owned))
    }
}

/// Where the words of ASCII text lie: the runs of letters and digits, each one byte (the
/// words [`words`] takes, found without decoding characters).
pub(crate) fn ascii_word_ranges(bytes: &[u8]) -> impl Iterator<Item = std::ops::Range<usize>> + '_ {
    let mut at = 0;
    std::iter::from_fn(move || {
        while at < bytes.len() && !bytes[at].is_ascii_alphanumeric() {
            at += 1;
        }
        let start = at;
        while at < bytes.len() && bytes[at].is_ascii_alphanumeric() {
            at += 1;
        }
        (at > start).then_some(start..at)
    })
}

/// Dice coefficient of two sorted multisets of word IDs: 2·|A∩B| / (|A|+|B|). Symmetric,
/// 1 for equal word multisets, 0 for no common word.
pub fn dice(a: &[u32], b: &[u32]) -> f64 {
    if a.is_empty() && b.is_empty() {
        return 1.0;
    }
    2.0 * common(a, b) as f64 / (a.len() + b.len()) as f64
}

/// The plain word similarity of two texts (Dice over their word multisets, rounded), for
/// pairs the publisher established without the matcher, such as a withdrawn requirement
/// and the one its link names.
pub fn word_similarity(a: &str, b: &str) -> f64 {
    let mut ids: std::collections::HashMap<String, u32> = std::collections::HashMap::new();
    let mut tokens = |text: &str| {
        let mut out: Vec<u32> = words(text)
            .map(|w| {
                let next = ids.len() as u32;
                *ids.entry(w.into_owned()).or_insert(next)
            })
            .collect();
        out.sort_unstable();
        out
    };
    let a = tokens(a);
    let b = tokens(b);
    round_score(dice(&a, &b))
}

/// How much of `part` lies in `whole` (|part ∩ whole| / |part|), for splits and merges.
pub fn containment(part: &[u32], whole: &[u32]) -> f64 {
    if part.is_empty() {
        return 0.0;
    }
    common(part, whole) as f64 / part.len() as f64
}

/// Size of the multiset intersection of two sorted slices.
fn common(a: &[u32], b: &[u32]) -> usize {
    let (mut i, mut j, mut n) = (0, 0, 0);
    while let (Some(x), Some(y)) = (a.get(i), b.get(j)) {
        match x.cmp(y) {
            std::cmp::Ordering::Less => i += 1,
            std::cmp::Ordering::Greater => j += 1,
            std::cmp::Ordering::Equal => {
                n += 1;
                i += 1;
                j += 1;
            }
        }
    }
    n
}

/// Rounds a score to four decimals, so that JSON output does not depend on the last bits
/// of a float division.
pub fn round_score(score: f64) -> f64 {
    (score * 10_000.0).round() / 10_000.0
}

/// The normative keywords of a text, as phrases ("shall not" is one keyword).
fn keywords(words: &[Cow<'_, str>]) -> Vec<String> {
    let mut found = Vec::new();
    for (i, word) in words.iter().enumerate() {
        if matches!(word.as_ref(), "shall" | "should" | "may" | "must") {
            let negated = words.get(i + 1).is_some_and(|next| next == "not");
            found.push(if negated {
                format!("{word} not")
            } else {
                word.to_string()
            });
        }
    }
    found
}

/// Words that carry a quantity, a duration, a frequency or a deadline. Runs of five or
/// more digits are identifiers (ISO/IEC 27701, TS 119 312), not quantities.
fn is_quantity(word: &str) -> bool {
    if word.len() >= 5 && word.bytes().all(|b| b.is_ascii_digit()) {
        return false;
    }
    word.bytes().any(|b| b.is_ascii_digit())
        || matches!(
            word,
            "zero"
                | "one"
                | "two"
                | "three"
                | "four"
                | "five"
                | "six"
                | "seven"
                | "eight"
                | "nine"
                | "ten"
                | "eleven"
                | "twelve"
                | "twenty"
                | "thirty"
                | "forty"
                | "fifty"
                | "hundred"
                | "thousand"
                | "million"
                | "half"
                | "twice"
                | "once"
                | "single"
                | "double"
                | "first"
                | "second"
                | "third"
                | "hourly"
                | "daily"
                | "weekly"
                | "fortnightly"
                | "monthly"
                | "quarterly"
                | "yearly"
                | "annually"
                | "annual"
                | "biannually"
                | "biennially"
                | "semiannually"
                | "minute"
                | "minutes"
                | "hour"
                | "hours"
                | "day"
                | "days"
                | "week"
                | "weeks"
                | "month"
                | "months"
                | "year"
                | "years"
                | "percent"
                | "immediately"
                | "promptly"
                | "least"
                | "most"
                | "within"
                | "before"
                | "after"
        )
}

/// Runs of quantity words as phrases ("within 48 hours", "at least yearly"), so that a
/// reviewer reads "within 48 hours → within 24 hours" rather than "48 → 24". Each phrase is
/// its run of words; [`quantity_delta`] joins the few that differ.
fn quantities<'w>(words: &'w [Cow<'_, str>]) -> Vec<&'w [Cow<'w, str>]> {
    let mut phrases = Vec::new();
    let mut run_start = None;
    for (i, word) in words.iter().enumerate() {
        let before_bound = word == "at"
            && words
                .get(i + 1)
                .is_some_and(|next| next == "least" || next == "most");
        if before_bound || is_quantity(word) {
            run_start.get_or_insert(i);
        } else if let Some(start) = run_start.take() {
            phrases.push(&words[start..i]);
        }
    }
    if let Some(start) = run_start {
        phrases.push(&words[start..]);
    }
    phrases
}

/// The quantity phrases only one side has, each joined with spaces: the multiset
/// difference of the phrases as word lists, which order as the joined phrases do (words
/// hold no space, and a space sorts before every letter and digit), so that only the
/// phrases that differ are joined.
fn quantity_delta(old: &[Cow<'_, str>], new: &[Cow<'_, str>]) -> Delta<String> {
    let delta = Delta::between(&quantities(old), &quantities(new));
    let joined = |phrases: Vec<&[Cow<'_, str>]>| -> Vec<String> {
        phrases.into_iter().map(|phrase| phrase.join(" ")).collect()
    };
    Delta {
        added: joined(delta.added),
        removed: joined(delta.removed),
    }
}

/// The text as compared for substantive rules: a parameter's label (`[Assignment:
/// organization-defined time period]`) describes a value the organisation chooses, so
/// its wording is the importer's or the publisher's rendering, not a requirement; the
/// label is dropped and the selection's "how many" too.
pub fn without_parameter_labels(text: &str) -> String {
    let text = without_selection_arity(text);
    let mut out = String::with_capacity(text.len());
    let mut rest: &str = &text;
    while let Some(at) = rest.find("[Assignment:") {
        out.push_str(&rest[..at]);
        out.push_str("[Assignment]");
        let tail = &rest[at + 1..];
        let mut depth = 1usize;
        let mut end = tail.len();
        for (i, c) in tail.char_indices() {
            match c {
                '[' => depth += 1,
                ']' => {
                    depth -= 1;
                    if depth == 0 {
                        end = i + 1;
                        break;
                    }
                }
                _ => {}
            }
        }
        rest = &tail[end..];
    }
    out.push_str(rest);
    out
}

/// List item labels such as `a)`, `(b)`, `iv)` or `3)` that start a list entry.
fn list_items(text: &str) -> BTreeSet<String> {
    // Every label ends in a parenthesis, which most texts do not hold at all.
    if !text.contains(')') {
        return BTreeSet::new();
    }
    text.split_whitespace()
        .filter_map(|token| {
            let label = token.strip_prefix('(').unwrap_or(token).strip_suffix(')')?;
            let short_letter = label.len() == 1 && label.bytes().all(|b| b.is_ascii_lowercase());
            let roman =
                !label.is_empty() && label.len() <= 4 && label.bytes().all(|b| b"ivx".contains(&b));
            let number =
                !label.is_empty() && label.len() <= 2 && label.bytes().all(|b| b.is_ascii_digit());
            (short_letter || roman || number).then(|| label.to_owned())
        })
        .collect()
}

/// What changed in the texts (level and markers are compared by the caller, who holds
/// the requirements).
pub fn text_details(old: &str, new: &str) -> Details {
    // Dates, identifiers and link addresses in one spelling: an edit of their form alone
    // must not read as a changed number or keyword ("May 1, 2026" holds the word "may").
    let (old, new) = (surface::canonical(old), surface::canonical(new));
    let (old, new) = (
        without_parameter_labels(&old),
        without_parameter_labels(&new),
    );
    let old_words: Vec<Cow<'_, str>> = words(&old).collect();
    let new_words: Vec<Cow<'_, str>> = words(&new).collect();
    let old_items: Vec<String> = list_items(&old).into_iter().collect();
    let new_items: Vec<String> = list_items(&new).into_iter().collect();
    Details {
        keywords: Delta::between(&keywords(&old_words), &keywords(&new_words)),
        numbers: quantity_delta(&old_words, &new_words),
        list_items: Delta::between(&old_items, &new_items),
        ..Details::default()
    }
}

/// The reasons a change is substantive, from its details and its text score.
pub fn reasons(details: &Details, text_score: f64, editorial_score: f64) -> Vec<Reason> {
    let mut reasons = Vec::new();
    if !details.keywords.is_empty() {
        reasons.push(Reason::Keyword);
    }
    if !details.numbers.is_empty() {
        reasons.push(Reason::Number);
    }
    if !details.list_items.is_empty() {
        reasons.push(Reason::ListItem);
    }
    if details.level.is_some() {
        reasons.push(Reason::Level);
    }
    if !details.markers.is_empty() {
        reasons.push(Reason::Markers);
    }
    if text_score < editorial_score {
        reasons.push(Reason::TooDifferent);
    }
    reasons.sort();
    reasons
}

/// The word-level diff of two texts, runs of the same operation joined: the words and
/// spacing of `TextDiff::from_words`, diffed the way it diffs them (Myers, compacted), but
/// each run of one operation taken as one slice of its text rather than token by token.
pub fn word_diff(old: &str, new: &str) -> Vec<Segment> {
    if old == new {
        return Vec::new();
    }
    let (old_tokens, new_tokens) = (WordTokens::of(old), WordTokens::of(new));
    if old_tokens.words.max(new_tokens.words) > MAX_DIFF_WORDS {
        return vec![
            Segment {
                op: SegmentOp::Delete,
                text: old.to_owned(),
            },
            Segment {
                op: SegmentOp::Insert,
                text: new.to_owned(),
            },
        ];
    }
    let mut segments: Vec<Segment> = Vec::new();
    for op in word_ops(&old_tokens.tokens, &new_tokens.tokens) {
        let (tag, old_range, new_range) = op.as_tag_tuple();
        let (old_run, new_run) = (old_tokens.run(old_range), new_tokens.run(new_range));
        match tag {
            DiffTag::Equal => push_run(&mut segments, SegmentOp::Equal, old_run),
            DiffTag::Delete => push_run(&mut segments, SegmentOp::Delete, old_run),
            DiffTag::Insert => push_run(&mut segments, SegmentOp::Insert, new_run),
            // What `iter_all_changes` makes of a replacement: its deletions, then its
            // insertions.
            DiffTag::Replace => {
                push_run(&mut segments, SegmentOp::Delete, old_run);
                push_run(&mut segments, SegmentOp::Insert, new_run);
            }
        }
    }
    segments
}

/// The diff operations `TextDiff::from_words` computes for these tokens: it diffs up to
/// 100 tokens a side as they are and interns longer lists first (the same operations,
/// since only equality is compared; done alike so that nothing can tell them apart).
fn word_ops(old: &[&str], new: &[&str]) -> Vec<DiffOp> {
    if old.len() > 100 || new.len() > 100 {
        let ids = IdentifyDistinct::<u32>::new(old, 0..old.len(), new, 0..new.len());
        return capture_diff(
            Algorithm::Myers,
            ids.old_lookup(),
            ids.old_range(),
            ids.new_lookup(),
            ids.new_range(),
        );
    }
    capture_diff_slices(Algorithm::Myers, old, new)
}

/// Appends a run to the diff, joined to the last one when it has the same operation.
fn push_run(segments: &mut Vec<Segment>, op: SegmentOp, run: &str) {
    if run.is_empty() {
        return;
    }
    match segments.last_mut() {
        Some(last) if last.op == op => last.text.push_str(run),
        _ => segments.push(Segment {
            op,
            text: run.to_owned(),
        }),
    }
}

/// A text cut as `similar` cuts words: alternating runs of whitespace and of everything
/// else, each a token, so that the tokens put together are the text.
struct WordTokens<'a> {
    text: &'a str,
    tokens: Vec<&'a str>,
    /// Where each token starts in `text`.
    starts: Vec<usize>,
    /// How many tokens are not whitespace (the words `split_whitespace` counts).
    words: usize,
}

impl<'a> WordTokens<'a> {
    fn of(text: &'a str) -> WordTokens<'a> {
        // Room for words of five bytes and their spaces, so that the lists rarely grow.
        let mut tokens = WordTokens {
            text,
            tokens: Vec::with_capacity(text.len() / 3),
            starts: Vec::with_capacity(text.len() / 3),
            words: 0,
        };
        if text.is_ascii() {
            // One byte is one character: no decoding, the same runs. The ASCII characters
            // `char::is_whitespace` takes are the space and tab to carriage return.
            let blank = |b: u8| b == b' ' || (b'\t'..=b'\r').contains(&b);
            let bytes = text.as_bytes();
            let mut start = 0;
            while start < bytes.len() {
                let is_blank = blank(bytes[start]);
                let end = bytes[start..]
                    .iter()
                    .position(|&b| blank(b) != is_blank)
                    .map_or(bytes.len(), |len| start + len);
                tokens.push(start..end, is_blank);
                start = end;
            }
        } else {
            let mut chars = text.char_indices().peekable();
            while let Some((start, c)) = chars.next() {
                let blank = c.is_whitespace();
                while chars
                    .next_if(|(_, next)| next.is_whitespace() == blank)
                    .is_some()
                {}
                let end = chars.peek().map_or(text.len(), |(at, _)| *at);
                tokens.push(start..end, blank);
            }
        }
        tokens
    }

    fn push(&mut self, range: std::ops::Range<usize>, blank: bool) {
        self.starts.push(range.start);
        self.tokens.push(&self.text[range]);
        self.words += usize::from(!blank);
    }

    /// The text of tokens `range`, which lie next to each other in the text.
    fn run(&self, range: std::ops::Range<usize>) -> &'a str {
        match range.end.checked_sub(1) {
            Some(last) if range.start < range.end => {
                &self.text[self.starts[range.start]..self.starts[last] + self.tokens[last].len()]
            }
            _ => "",
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn reasons(old: &str, new: &str) -> Vec<Reason> {
        super::reasons(&text_details(old, new), 0.9, 0.5)
    }

    #[test]
    fn normalising_ignores_case_spacing_and_typography() {
        assert_eq!(
            normalise("The  TSP’s policy —\n reviewed"),
            normalise("the tsp's policy - reviewed")
        );
    }

    #[test]
    fn ascii_text_normalises_as_decoded_text_does() {
        let pairs = [
            ("Keep  `KEYS`\x0b safe.", "keep 'keys' safe."),
            ("Keep keys safe", "keep keys safe."),
            (" a\tb ", "A B"),
            ("keep keys", "keep key s"),
            ("keep keys", "keep kEys1"),
            ("keep keys", "keep keyz"),
        ];
        for (a, b) in pairs {
            let decoded = normalised_chars(a).eq(normalised_chars(b));
            assert_eq!(same_normalised(a, b), decoded, "{a:?} and {b:?}");
        }
        assert!(same_normalised(
            "Keep  `KEYS`\x0b safe.",
            "keep 'keys' safe."
        ));
    }

    #[test]
    fn keyword_changes_are_substantive() {
        assert_eq!(
            reasons("Staff should be trained.", "Staff shall be trained."),
            [Reason::Keyword]
        );
        assert_eq!(
            reasons("Keys shall be kept.", "Keys shall not be kept."),
            [Reason::Keyword]
        );
    }

    #[test]
    fn numbers_durations_and_frequencies_are_substantive() {
        assert_eq!(
            reasons("Notify within 48 hours.", "Notify within 24 hours."),
            [Reason::Number]
        );
        assert_eq!(
            reasons("Review it yearly.", "Review it quarterly."),
            [Reason::Number]
        );
        assert_eq!(
            reasons("Scan every month.", "Scan every week."),
            [Reason::Number]
        );
    }

    #[test]
    fn standard_numbers_are_not_quantities() {
        assert!(reasons(
            "Protect personal data.",
            "Protect personal data (see ISO/IEC 27701)."
        )
        .is_empty());
    }

    #[test]
    fn list_items_added_or_removed_are_substantive() {
        assert_eq!(
            reasons(
                "Include a) scope b) owner.",
                "Include a) scope b) owner c) date."
            ),
            [Reason::ListItem]
        );
    }

    #[test]
    fn rewording_alone_is_editorial() {
        assert!(reasons(
            "The TSP shall keep a register.",
            "The TSP shall maintain a register."
        )
        .is_empty());
    }

    #[test]
    fn format_only_edits_are_not_substantive() {
        assert!(reasons(
            "Effective May 15, 2031: widget keys SHALL be rotated every 90 days.",
            "Effective 2031-05-15: widget keys SHALL be rotated every 90 days."
        )
        .is_empty());
        assert!(reasons(
            "Sign as RFC9999 and [RFC 9998] say, within ninety (90) days.",
            "Sign as RFC 9999 and RFC9998 say, within 90 days."
        )
        .is_empty());
        assert!(reasons(
            "Publish it at https://example.invalid/widgets/v1.",
            "Publish it at https://example.invalid/widgets/v2/."
        )
        .is_empty());
    }

    #[test]
    fn a_changed_date_or_identifier_stays_substantive() {
        assert_eq!(
            reasons(
                "Effective March 15, 2031: widgets SHALL expire.",
                "Effective 2032-03-15: widgets SHALL expire."
            ),
            [Reason::Number]
        );
        assert_eq!(
            reasons("Sign as RFC9999 says.", "Sign as RFC 9997 says."),
            [Reason::Number]
        );
    }

    #[test]
    fn ascii_text_is_read_into_the_words_decoding_finds() {
        let text = "The TSP's key-ceremony (KC-2) SHALL run 2x yearly; see RFC6960.\tEnd";
        let decoded: Vec<Cow<'_, str>> = Words {
            text,
            at: 0,
            ascii: false,
        }
        .collect();
        assert_eq!(words(text).collect::<Vec<_>>(), decoded);
        assert_eq!(decoded[..3], ["the", "tsp", "s"]);
    }

    #[test]
    fn word_diff_joins_runs() {
        let segments = word_diff("keep a register", "maintain a register");
        let ops: Vec<SegmentOp> = segments.iter().map(|s| s.op).collect();
        assert_eq!(
            ops,
            [SegmentOp::Delete, SegmentOp::Insert, SegmentOp::Equal]
        );
    }

    /// The word diff as `similar` renders it change by change: what the runs must equal.
    fn word_diff_by_changes(old: &str, new: &str) -> Vec<Segment> {
        let mut segments: Vec<Segment> = Vec::new();
        for change in similar::TextDiff::from_words(old, new).iter_all_changes() {
            let op = match change.tag() {
                similar::ChangeTag::Equal => SegmentOp::Equal,
                similar::ChangeTag::Delete => SegmentOp::Delete,
                similar::ChangeTag::Insert => SegmentOp::Insert,
            };
            match segments.last_mut() {
                Some(last) if last.op == op => last.text.push_str(change.value()),
                _ => segments.push(Segment {
                    op,
                    text: change.value().to_owned(),
                }),
            }
        }
        segments
    }

    #[test]
    fn word_diff_runs_are_the_changes_joined() {
        let long_old: String = (0..150).map(|i| format!("w{} ", i % 37)).collect();
        let long_new: String = (0..160).map(|i| format!("w{}  ", i % 41)).collect();
        // Every ASCII character, so that the byte-wise reading of blanks meets every one.
        let ascii: String = (0u8..128).map(|b| format!("a{}b", char::from(b))).collect();
        let ascii_reversed: String = (0u8..128)
            .rev()
            .map(|b| format!("{}b", char::from(b)))
            .collect();
        let pairs = [
            ("keep a register", "maintain a register"),
            ("a b c d e", "a c b e d f"),
            ("  leading and trailing  ", "leading and trailing"),
            ("tabs\tand\nnew lines\r\n", "tabs and\nnew\x0blines\x0c"),
            ("", "something new"),
            ("something old", ""),
            (
                "the TSP\u{2019}s policy\u{a0}applies",
                "the TSP's policy\u{2003}applies now",
            ),
            (
                "r\u{e9}sum\u{e9} \u{3000} caf\u{e9}",
                "r\u{e9}sum\u{e9} caf\u{e9} \u{85}x",
            ),
            ("x x x x y", "x y x x x"),
            (long_old.as_str(), long_new.as_str()),
            (long_old.as_str(), "w1 w2 w3"),
            (ascii.as_str(), ascii_reversed.as_str()),
        ];
        for (old, new) in pairs {
            assert_eq!(
                word_diff(old, new),
                word_diff_by_changes(old, new),
                "{old:?} → {new:?}"
            );
            assert_eq!(
                word_diff(new, old),
                word_diff_by_changes(new, old),
                "{new:?} → {old:?}"
            );
        }
    }

    #[test]
    fn quantity_phrases_differ_as_their_joined_text_does() {
        let texts = [
            "Notify within 48 hours and 2 days, at least yearly, 1 2 and 12.",
            "Notify within 24 hours and 2 days, at least, 12 and 1 2 and 1 2 3.",
            "within 48 hours within 48 hours at most 2",
            "at least 2 years after day one",
            "",
        ];
        for old in texts {
            for new in texts {
                let (old_words, new_words): (Vec<_>, Vec<_>) =
                    (words(old).collect(), words(new).collect());
                let joined = |words: &[Cow<'_, str>]| -> Vec<String> {
                    quantities(words).iter().map(|p| p.join(" ")).collect()
                };
                assert_eq!(
                    quantity_delta(&old_words, &new_words),
                    Delta::between(&joined(&old_words), &joined(&new_words)),
                    "{old:?} → {new:?}"
                );
            }
        }
    }

    #[test]
    fn details_say_what_changed() {
        let details = text_details("Notify within 48 hours.", "Notify within 24 hours.");
        assert_eq!(details.numbers.removed, ["within 48 hours"]);
        assert_eq!(details.numbers.added, ["within 24 hours"]);
        let details = text_details("Staff should be trained.", "Staff shall be trained.");
        assert_eq!(details.keywords.removed, ["should"]);
        assert_eq!(details.keywords.added, ["shall"]);
        assert_eq!(
            text_details("Review at least yearly.", "Review at least quarterly.")
                .numbers
                .added,
            ["at least quarterly"]
        );
    }

    #[test]
    fn parameter_rendering_is_not_a_change() {
        assert!(reasons(
            "Review it [Selection (one or more): daily; weekly].",
            "Review it [Selection: daily; weekly]."
        )
        .is_empty());
        assert!(reasons(
            "Notify [Assignment: organization-defined personnel or roles] within one hour.",
            "Notify [Assignment: organization-defined personnel] within one hour."
        )
        .is_empty());
        assert_eq!(
            reasons(
                "Keep logs [Assignment: organization-defined time period] for 90 days.",
                "Keep logs [Assignment: time period] for 30 days."
            ),
            [Reason::Number]
        );
    }

    #[test]
    fn dice_and_containment() {
        assert_eq!(dice(&[1, 2, 3], &[1, 2, 3]), 1.0);
        assert_eq!(dice(&[1, 2], &[3, 4]), 0.0);
        assert_eq!(containment(&[1, 2], &[1, 2, 3, 4]), 1.0);
    }
}
