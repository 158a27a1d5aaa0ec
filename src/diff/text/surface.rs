//! Surface forms that publishers rewrite without changing what a requirement says: how a
//! date is written ("March 15, 2026", "15 March 2026", "15-Mar-26", "2026/3/15"), a document
//! number glued to its series or padded ("RFC6960", "[RFC 6960]", "SC062", "SC-62"), a number
//! spelled out beside its digits ("twelve (12)") and the address of a link. Clean-up ballots
//! rewrite hundreds of these at once; the substantive rules compare texts in one canonical
//! form so that such an edit is editorial at most, while a changed date or number still
//! differs.

/// The text with every recognised surface form in its canonical spelling: dates as
/// `YYYY-MM-DD` (or `YYYY-MM` without a day), identifiers as `PREFIX NUMBER` without zero
/// padding, "word (digits)" as the digits, link addresses as `link`. Everything else is kept
/// byte for byte, so list labels and keywords read as before. Three passes, each linear in
/// the text.
pub fn canonical(text: &str) -> String {
    let (text, words) = unglued(&without_link_addresses(text));
    let mut out = String::with_capacity(text.len());
    let mut copied = 0;
    let mut i = 0;
    while i < words.len() {
        // A plain word is copied with the text around it, when the next form is written.
        let Some((form, used, end)) = canonical_form_at(&text, &words, i) else {
            i += 1;
            continue;
        };
        out.push_str(&text[copied..words[i].start]);
        out.push_str(&form);
        copied = end;
        i += used;
    }
    out.push_str(&text[copied..]);
    out
}

#[derive(Clone, Copy)]
struct Span {
    start: usize,
    end: usize,
}

/// Maximal runs of letters and digits, as `words` in the parent module splits them.
fn word_spans(text: &str) -> Vec<Span> {
    if text.is_ascii() {
        return ascii_word_spans(text.as_bytes());
    }
    let mut spans = Vec::new();
    let mut start = None;
    for (at, c) in text.char_indices() {
        match (c.is_alphanumeric(), start) {
            (true, None) => start = Some(at),
            (false, Some(s)) => {
                spans.push(Span { start: s, end: at });
                start = None;
            }
            _ => {}
        }
    }
    if let Some(s) = start {
        spans.push(Span {
            start: s,
            end: text.len(),
        });
    }
    spans
}

/// [`word_spans`] of ASCII text, where a letter or digit is one byte.
fn ascii_word_spans(bytes: &[u8]) -> Vec<Span> {
    // Room for words of four bytes and their separators, so that the list rarely grows.
    let mut spans = Vec::with_capacity(bytes.len() / 5 + 1);
    spans.extend(super::ascii_word_ranges(bytes).map(|r| Span {
        start: r.start,
        end: r.end,
    }));
    spans
}

/// Whether a surface form can start with this word: each starts with a month, a day, a
/// year, a number word or a series in capitals. Most words are none of these, and one
/// look here spares them every reading below.
fn may_start_form(word: &str) -> bool {
    // Days and years start with a digit and are at most four bytes ("15th", "2026");
    // series, months and number words start with an ASCII letter.
    match word.as_bytes().first() {
        Some(first) if first.is_ascii_digit() => {
            word.len() <= 4 && (day(word).is_some() || full_year(word).is_some())
        }
        Some(first) if first.is_ascii_alphabetic() => {
            let series =
                (2..=6).contains(&word.len()) && word.bytes().all(|b| b.is_ascii_uppercase());
            series || month(word).is_some() || spelled_number(word).is_some()
        }
        _ => false,
    }
}

/// The canonical spelling of the form that starts at word `i`, how many words it used and
/// where in the text it ends; `None` for a plain word, which stays as it is.
fn canonical_form_at(text: &str, words: &[Span], i: usize) -> Option<(String, usize, usize)> {
    let ctx = Words { text, words };
    if !may_start_form(ctx.word(i)) {
        return None;
    }
    if let Some((date, used)) = ctx.date_at(i) {
        return Some((date, used, words[i + used - 1].end));
    }
    if let Some((digits, end)) = ctx.spelled_with_digits_at(i) {
        return Some((digits, 2, end));
    }
    ctx.identifier_at(i)
        .map(|(identifier, used)| (identifier, used, words[i + used - 1].end))
}

struct Words<'a> {
    text: &'a str,
    words: &'a [Span],
}

impl Words<'_> {
    fn word(&self, i: usize) -> &str {
        self.words
            .get(i)
            .map_or("", |span| &self.text[span.start..span.end])
    }

    /// The punctuation between word `i` and the next, whitespace left out ("" for a space).
    fn separator(&self, i: usize) -> Option<String> {
        let (a, b) = (self.words.get(i)?, self.words.get(i + 1)?);
        let between = &self.text[a.end..b.start];
        Some(between.chars().filter(|c| !c.is_whitespace()).collect())
    }

    /// Whether the separator after word `i` is one of `allowed` (as [`Self::separator`]
    /// would spell it, without building it: this runs for every word of every text).
    fn separator_in(&self, i: usize, allowed: &[&str]) -> bool {
        let (Some(a), Some(b)) = (self.words.get(i), self.words.get(i + 1)) else {
            return false;
        };
        let between = &self.text[a.end..b.start];
        let visible = || between.chars().filter(|c| !c.is_whitespace());
        allowed.iter().any(|sep| visible().eq(sep.chars()))
    }

    /// "March 15, 2026", "Mar. 15th 2026", "15 March 2026", "15-Mar-26", "2026-03-15",
    /// "2026/3/15" and "March 2026".
    fn date_at(&self, i: usize) -> Option<(String, usize)> {
        self.month_first_at(i)
            .or_else(|| self.day_first_at(i))
            .or_else(|| self.year_first_at(i))
            .or_else(|| self.month_year_at(i))
    }

    /// Whether the year at word `i` goes on as an ISO date ("2031-03"), which is then the
    /// date; a month name before it is another word.
    fn iso_continues(&self, i: usize) -> bool {
        let next = self.word(i + 1);
        self.separator_in(i, &["-", "/"])
            && !next.is_empty()
            && next.bytes().all(|b| b.is_ascii_digit())
    }

    fn month_first_at(&self, i: usize) -> Option<(String, usize)> {
        let month = month(self.word(i))?;
        let day = day(self.word(i + 1))?;
        let year = full_year(self.word(i + 2)).filter(|_| !self.iso_continues(i + 2))?;
        (self.separator_in(i, &["", "."]) && self.separator_in(i + 1, &["", ","]))
            .then(|| (iso(year, month, Some(day)), 3))
    }

    fn day_first_at(&self, i: usize) -> Option<(String, usize)> {
        // The last part of "2031-03" is a month, not the day of a date that follows.
        if i > 0 && self.iso_continues(i - 1) {
            return None;
        }
        let day = day(self.word(i))?;
        let month = month(self.word(i + 1))?;
        let hyphenated = self.separator_in(i, &["-"]) && self.separator_in(i + 1, &["-"]);
        let year = full_year(self.word(i + 2))
            .filter(|_| !self.iso_continues(i + 2))
            .or_else(|| {
                // Two-digit years appear only in the compact "22-Nov-11" table form.
                hyphenated.then(|| short_year(self.word(i + 2)))?
            })?;
        let spaced = self.separator_in(i, &[""]) && self.separator_in(i + 1, &["", ",", "."]);
        (spaced || hyphenated).then(|| (iso(year, month, Some(day)), 3))
    }

    fn year_first_at(&self, i: usize) -> Option<(String, usize)> {
        let year = full_year(self.word(i))?;
        let month = number_in(self.word(i + 1), 1, 12, 2)?;
        let day = number_in(self.word(i + 2), 1, 31, 2)?;
        let sep = self.separator(i)?;
        ((sep == "-" || sep == "/") && self.separator(i + 1).as_deref() == Some(sep.as_str()))
            .then(|| (iso(year, month, Some(day)), 3))
    }

    fn month_year_at(&self, i: usize) -> Option<(String, usize)> {
        let month = month(self.word(i))?;
        let year = full_year(self.word(i + 1)).filter(|_| !self.iso_continues(i + 1))?;
        self.separator_in(i, &["", ","])
            .then(|| (iso(year, month, None), 2))
    }

    /// "twelve (12)" and "ninety (90)": the word and its digits say one number once.
    fn spelled_with_digits_at(&self, i: usize) -> Option<(String, usize)> {
        let value = spelled_number(self.word(i))?;
        let digits = self.word(i + 1);
        let next = self.words.get(i + 1)?;
        let closed = self.text[next.end..].starts_with(')');
        (self.separator_in(i, &["("]) && closed && digits.parse::<u32>().ok() == Some(value))
            .then(|| (value.to_string(), next.end + 1))
    }

    /// A document or ballot number written apart from its series: "RFC 6960", "RFC-6960",
    /// "SC-062" (glued ones were split by [`unglued`]).
    fn identifier_at(&self, i: usize) -> Option<(String, usize)> {
        let word = self.word(i);
        let spaced = (2..=6).contains(&word.len()) && word.bytes().all(|b| b.is_ascii_uppercase());
        let number = self.word(i + 1);
        (spaced
            && !number.is_empty()
            && number.bytes().all(|b| b.is_ascii_digit())
            && self.separator_in(i, &["", "-"])
            && !self.iso_continues(i + 1))
        .then(|| (format!("{word} {}", unpadded(number)), 2))
    }
}

/// Document and ballot numbers glued to their series ("RFC6960", "SC062") split into
/// `series number`, before dates are read, so that every reading sees the same words; with
/// the words of the text so made (what [`word_spans`] finds in it, taken on the way).
fn unglued(text: &str) -> (String, Vec<Span>) {
    let mut out = String::with_capacity(text.len() + 16);
    let mut spans = Vec::with_capacity(text.len() / 4);
    let mut copied = 0;
    for span in word_spans(text) {
        let word = &text[span.start..span.end];
        let Some((prefix, digits)) = glued(word) else {
            // The word stays as it is, where the text before it puts it.
            let at = out.len() + span.start - copied;
            spans.push(Span {
                start: at,
                end: at + word.len(),
            });
            continue;
        };
        out.push_str(&text[copied..span.start]);
        for (i, part) in [prefix, unpadded(digits)].into_iter().enumerate() {
            if i > 0 {
                out.push(' ');
            }
            let start = out.len();
            out.push_str(part);
            spans.push(Span {
                start,
                end: out.len(),
            });
        }
        copied = span.end;
    }
    out.push_str(&text[copied..]);
    (out, spans)
}

/// A document number glued to its series, as series and digits. "March2031" is a date
/// missing its space, not a document number.
fn glued(word: &str) -> Option<(&str, &str)> {
    let split = word.bytes().position(|b| b.is_ascii_digit())?;
    let (prefix, digits) = word.split_at(split);
    let glued = split >= 2
        && month(prefix).is_none()
        && prefix.bytes().all(|b| b.is_ascii_alphabetic())
        && digits.bytes().all(|b| b.is_ascii_digit());
    glued.then_some((prefix, digits))
}

/// Link addresses (`https://…` up to the next space, without closing punctuation) become the
/// word `link`: the importer renders Markdown links to their text, and where a document
/// spells an address out, moving it is a link edit, not a changed obligation.
fn without_link_addresses(text: &str) -> std::borrow::Cow<'_, str> {
    if !text.contains("://") {
        return std::borrow::Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(at) = find_scheme(rest) {
        out.push_str(&rest[..at]);
        let tail = &rest[at..];
        let end = tail.find(char::is_whitespace).unwrap_or(tail.len());
        let address = tail[..end].trim_end_matches(['.', ',', ';', ':', ')', ']', '\'', '"', '>']);
        out.push_str("link");
        rest = &tail[address.len()..];
    }
    out.push_str(rest);
    std::borrow::Cow::Owned(out)
}

fn find_scheme(text: &str) -> Option<usize> {
    let http = text.find("http://");
    let https = text.find("https://");
    match (http, https) {
        (Some(a), Some(b)) => Some(a.min(b)),
        (a, b) => a.or(b),
    }
}

fn iso(year: u32, month: u32, day: Option<u32>) -> String {
    match day {
        Some(day) => format!("{year:04}-{month:02}-{day:02}"),
        None => format!("{year:04}-{month:02}"),
    }
}

/// A month by its English name or three-letter abbreviation ("Sept" too). "MAY" in capitals
/// is the RFC 2119 keyword, never the month.
fn month(word: &str) -> Option<u32> {
    // Most words are no month by their length or first letter: no need to try the names.
    let initial = word.as_bytes().first()?.to_ascii_lowercase();
    if !(3..="september".len()).contains(&word.len()) || !b"jfmasond".contains(&initial) {
        return None;
    }
    // Month names are ASCII letters, and no other letter lower-cases into one of theirs.
    if word == "MAY" || !word.bytes().all(|b| b.is_ascii_alphabetic()) {
        return None;
    }
    let position = crate::import::markdown::dates::MONTHS
        .iter()
        .position(|name| {
            name.eq_ignore_ascii_case(word)
                || (word.len() == 3 && name[..3].eq_ignore_ascii_case(word))
        })
        .or_else(|| word.eq_ignore_ascii_case("sept").then_some(8))?;
    Some(position as u32 + 1)
}

/// A day of the month, with or without an ordinal suffix ("15", "15th", "1st").
fn day(word: &str) -> Option<u32> {
    let digits = ["st", "nd", "rd", "th"]
        .iter()
        .find_map(|suffix| word.strip_suffix(suffix))
        .unwrap_or(word);
    number_in(digits, 1, 31, 2)
}

fn full_year(word: &str) -> Option<u32> {
    (word.len() == 4)
        .then(|| number_in(word, 1900, 2199, 4))
        .flatten()
}

/// "11" in "22-Nov-11": this century, as in the revision tables that use the form.
fn short_year(word: &str) -> Option<u32> {
    (word.len() == 2)
        .then(|| number_in(word, 0, 99, 2))
        .flatten()
        .map(|year| 2000 + year)
}

fn number_in(word: &str, low: u32, high: u32, max_digits: usize) -> Option<u32> {
    if word.is_empty() || word.len() > max_digits || !word.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    word.parse::<u32>()
        .ok()
        .filter(|n| (low..=high).contains(n))
}

fn unpadded(digits: &str) -> &str {
    let trimmed = digits.trim_start_matches('0');
    if trimmed.is_empty() {
        "0"
    } else {
        trimmed
    }
}

fn spelled_number(word: &str) -> Option<u32> {
    // Number words are ASCII letters, and no other letter lower-cases into one of theirs.
    if !(3..=9).contains(&word.len()) || !word.bytes().all(|b| b.is_ascii_alphabetic()) {
        return None;
    }
    let mut lower = [0u8; 9];
    for (to, from) in lower.iter_mut().zip(word.bytes()) {
        *to = from.to_ascii_lowercase();
    }
    Some(match &lower[..word.len()] {
        b"zero" => 0,
        b"one" => 1,
        b"two" => 2,
        b"three" => 3,
        b"four" => 4,
        b"five" => 5,
        b"six" => 6,
        b"seven" => 7,
        b"eight" => 8,
        b"nine" => 9,
        b"ten" => 10,
        b"eleven" => 11,
        b"twelve" => 12,
        b"thirteen" => 13,
        b"fourteen" => 14,
        b"fifteen" => 15,
        b"sixteen" => 16,
        b"seventeen" => 17,
        b"eighteen" => 18,
        b"nineteen" => 19,
        b"twenty" => 20,
        b"thirty" => 30,
        b"forty" => 40,
        b"fifty" => 50,
        b"sixty" => 60,
        b"seventy" => 70,
        b"eighty" => 80,
        b"ninety" => 90,
        _ => return None,
    })
}

#[cfg(test)]
mod tests {
    use super::{canonical, unglued, word_spans};
    use crate::source::scalar::MONTHS;

    #[test]
    fn words_taken_while_ungluing_are_the_words_of_the_result() {
        for text in [
            "see RFC6960 and SC062, not March2031 or x1 or RFC0000",
            "é RFC7777é ÆB12 (ab12) 12ab",
            "RFC6960",
            "",
            "  ,, ",
        ] {
            let (out, spans) = unglued(text);
            let spans: Vec<(usize, usize)> = spans.iter().map(|s| (s.start, s.end)).collect();
            let expected: Vec<(usize, usize)> =
                word_spans(&out).iter().map(|s| (s.start, s.end)).collect();
            assert_eq!(spans, expected, "{text:?} → {out:?}");
        }
    }

    /// The ways publishers write one date, generated for every month and a spread of days.
    fn spellings(year: u32, month: usize, day: u32) -> Vec<String> {
        let name = MONTHS[month - 1];
        let abbreviation = &name[..3];
        vec![
            format!("{year:04}-{month:02}-{day:02}"),
            format!("{year}/{month}/{day}"),
            format!("{name} {day}, {year}"),
            format!("{name} {day} {year}"),
            format!("{abbreviation}. {day}, {year}"),
            format!("{day} {name} {year}"),
            format!("{day}-{abbreviation}-{}", year % 100),
            format!("{day}-{abbreviation}-{year}"),
            format!("{name} {day}th, {year}"),
        ]
    }

    #[test]
    fn every_spelling_of_a_date_is_one_form() {
        for month in 1..=12 {
            for day in [1, 9, 15, 28] {
                let forms: Vec<String> = spellings(2031, month, day)
                    .iter()
                    .map(|date| canonical(&format!("Rotate the keys before {date}.")))
                    .collect();
                let expected = format!("Rotate the keys before 2031-{month:02}-{day:02}.");
                for (form, written) in forms.iter().zip(spellings(2031, month, day)) {
                    assert_eq!(form, &expected, "{written}");
                }
            }
        }
    }

    #[test]
    fn a_different_date_stays_different() {
        let before = canonical("Effective March 15, 2031: widgets expire after 90 days.");
        let after = canonical("Effective 2032-03-15: widgets expire after 90 days.");
        assert_eq!(
            before,
            "Effective 2031-03-15: widgets expire after 90 days."
        );
        assert_ne!(before, after);
    }

    #[test]
    fn identifiers_lose_glue_and_padding() {
        assert_eq!(canonical("see RFC7777"), canonical("see RFC 7777"));
        assert_eq!(canonical("see [RFC7777]"), "see [RFC 7777]");
        assert_eq!(canonical("ballot GX007"), canonical("ballot GX7"));
        assert_eq!(canonical("ballot GX-007"), canonical("ballot GX7"));
        assert_ne!(canonical("see RFC7777"), canonical("see RFC 7778"));
        assert_eq!(canonical("the rfc822Name field"), "the rfc822Name field");
    }

    #[test]
    fn spelled_numbers_beside_their_digits_are_said_once() {
        assert_eq!(
            canonical("within ninety (90) days and twelve (12) months"),
            "within 90 days and 12 months"
        );
        assert_eq!(
            canonical("within ninety (60) days"),
            "within ninety (60) days"
        );
    }

    #[test]
    fn link_addresses_are_one_word() {
        assert_eq!(
            canonical("published at https://example.invalid/widgets/v2."),
            "published at link."
        );
        assert_eq!(
            canonical("(see http://example.invalid/a), then"),
            canonical("(see https://www.example.invalid/b/), then")
        );
    }

    const PIECES: [&str; 24] = [
        "March",
        "May",
        "MAY",
        "Sept.",
        "15",
        "15th",
        "2031",
        "31",
        "03",
        "-",
        "/",
        ",",
        "(",
        ")",
        "twelve",
        "12",
        "RFC",
        "RFC7777",
        "SC-007",
        "SHALL",
        "NOT",
        "a)",
        "https://x.invalid/v2. ",
        "widgets",
    ];

    proptest::proptest! {
        /// Generated runs of the pieces that make up dates, identifiers and keywords: the
        /// canonical form is a fixed point and keeps every keyword in capitals.
        #[test]
        fn canonical_form_is_stable_and_keeps_keywords(
            picks in proptest::collection::vec((0..PIECES.len(), proptest::bool::ANY), 0..24)
        ) {
            let mut text = String::new();
            for (piece, spaced) in picks {
                text.push_str(PIECES[piece]);
                if spaced {
                    text.push(' ');
                }
            }
            let once = canonical(&text);
            proptest::prop_assert_eq!(canonical(&once), once.clone());
            for keyword in ["SHALL", "NOT", "MAY"] {
                let count = |t: &str| t.matches(keyword).count();
                proptest::prop_assert_eq!(count(&once), count(&text), "{}", keyword);
            }
        }
    }

    #[test]
    fn keywords_list_labels_and_other_numbers_are_kept() {
        let text = "The operator MAY 15 widgets; a) one b) 2026 units; version 2.2.6 in May.";
        assert_eq!(canonical(text), text);
        assert_eq!(canonical("from May 2031 on"), "from 2031-05 on");
        assert_eq!(
            canonical("Section 7.1.2.3 (2031)"),
            "Section 7.1.2.3 (2031)"
        );
        assert_eq!(canonical("99 Foo 2031"), "99 Foo 2031");
        assert_eq!(canonical("32 March 2031"), "32 2031-03");
    }
}
