//! Dates as standards write them: `2026-03-15`, `31-March-2026`, `31 March 2026`,
//! `March 31, 2026`, `July 1, 2026`.

use chrono::NaiveDate;

/// The English month names, lower case, January first (shared with the diff's date
/// canonicaliser).
pub(crate) const MONTHS: [&str; 12] = [
    "january",
    "february",
    "march",
    "april",
    "may",
    "june",
    "july",
    "august",
    "september",
    "october",
    "november",
    "december",
];

/// A date written in one of the forms above, and nothing else (surrounding spaces and
/// emphasis allowed).
pub fn parse_free_date(text: &str) -> Option<NaiveDate> {
    let cleaned: String = text
        .replace(['\u{2010}', '\u{2011}', '\u{2013}'], "-")
        .trim()
        .trim_matches(|c: char| c == '*' || c == '_')
        .trim_end_matches(['.', ':', ','])
        .to_owned();
    if let Some(date) = crate::source::catalog::parse_date(&cleaned) {
        return Some(date);
    }
    let words: Vec<&str> = cleaned
        .split([' ', '-', '\u{2010}', '\u{2011}', '\u{2013}', ',', '/'])
        .filter(|w| !w.is_empty())
        .collect();
    let [a, b, c] = words.as_slice() else {
        return None;
    };
    let (day, month, year) = match (month_number(a), month_number(b)) {
        (None, Some(month)) => (*a, month, *c),
        (Some(month), None) => (*b, month, *c),
        _ => return None,
    };
    let day: u32 = day
        .trim_end_matches(['s', 't', 'n', 'd', 'r', 'h'])
        .parse()
        .ok()?;
    // `22-Nov-11`: the forum's oldest rows write two-digit years, all after 2000.
    let year: i32 = match year.parse().ok()? {
        short @ 0..=99 if year.len() == 2 => 2000 + short,
        full => full,
    };
    if !(1900..=2200).contains(&year) {
        return None;
    }
    NaiveDate::from_ymd_opt(year, month, day)
}

fn month_number(word: &str) -> Option<u32> {
    let lower = word.to_ascii_lowercase();
    if lower.len() < 3 {
        return None;
    }
    MONTHS
        .iter()
        .position(|m| m.starts_with(&lower))
        .and_then(|i| u32::try_from(i + 1).ok())
}

/// The first date at the start of `text` (after spaces), with the byte length it takes:
/// `2026-03-15: ...` or `July 1, 2026, ...`.
pub fn leading_date(text: &str) -> Option<(NaiveDate, usize)> {
    let trimmed = text.trim_start();
    let offset = text.len() - trimmed.len();
    // One word (`2026-03-15`, `2016‐09‐30`, `01-Jul-12`) or three (`July 1, 2026`).
    let first_len = trimmed
        .find([' ', ',', ':', ';', '('])
        .unwrap_or(trimmed.len());
    if let Some(date) = parse_free_date(&trimmed[..first_len]) {
        return Some((date, offset + first_len));
    }
    // `Month D, YYYY` or `D Month YYYY`: three words.
    let mut end = 0;
    for _ in 0..3 {
        let rest = &trimmed[end..];
        let skip = rest.len() - rest.trim_start_matches([' ', ',']).len();
        let word_len = rest[skip..]
            .find([' ', ',', ':', ';'])
            .unwrap_or(rest.len() - skip);
        end += skip + word_len;
    }
    let date = parse_free_date(&trimmed[..end])?;
    Some((date, offset + end))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ymd(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).unwrap()
    }

    #[test]
    fn free_forms_are_read() {
        assert_eq!(parse_free_date("31-March-2026"), Some(ymd(2026, 3, 31)));
        assert_eq!(parse_free_date("July 1, 2026"), Some(ymd(2026, 7, 1)));
        assert_eq!(parse_free_date("1 Feb 2024"), Some(ymd(2024, 2, 1)));
        assert_eq!(parse_free_date("2026-03-15"), Some(ymd(2026, 3, 15)));
        assert_eq!(parse_free_date("31-Febtember-2026"), None);
        assert_eq!(parse_free_date("30 February 2026"), None);
        assert_eq!(parse_free_date("Version 2.2.6"), None);
        assert_eq!(parse_free_date("22-Nov-11"), Some(ymd(2011, 11, 22)));
        assert_eq!(
            parse_free_date("2016\u{2010}09\u{2010}30"),
            Some(ymd(2016, 9, 30))
        );
    }

    #[test]
    fn leading_dates_give_their_length() {
        assert_eq!(
            leading_date("2026-03-15: CAs MUST"),
            Some((ymd(2026, 3, 15), 10))
        );
        assert_eq!(
            leading_date(" July 1, 2026, the CA"),
            Some((ymd(2026, 7, 1), 13))
        );
        assert_eq!(leading_date("the CA"), None);
    }
}
