//! Scalars that YAML may type surprisingly: `version: 3.2.1` is a string but `version: 3.2`
//! is a float (and `2.10` would become `2.1`), so versions and dates are read as text and
//! a float is refused with a hint to quote it.

use std::fmt;

use serde::de::{self, Visitor};
use serde::{Deserialize, Deserializer, Serialize, Serializer};

/// A scalar kept exactly as written.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Default)]
pub struct Text(pub String);

impl Text {
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for Text {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl From<&str> for Text {
    fn from(value: &str) -> Self {
        Text(value.to_owned())
    }
}

impl Serialize for Text {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(&self.0)
    }
}

struct TextVisitor;

impl Visitor<'_> for TextVisitor {
    type Value = Text;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a string")
    }

    fn visit_str<E: de::Error>(self, v: &str) -> Result<Text, E> {
        Ok(Text(v.to_owned()))
    }

    fn visit_u64<E: de::Error>(self, v: u64) -> Result<Text, E> {
        Ok(Text(v.to_string()))
    }

    fn visit_i64<E: de::Error>(self, v: i64) -> Result<Text, E> {
        Ok(Text(v.to_string()))
    }

    fn visit_f64<E: de::Error>(self, v: f64) -> Result<Text, E> {
        Err(E::custom(format!(
            "the number {v} is ambiguous here (2.10 would read as 2.1); write it in quotes, e.g. \"{v}\""
        )))
    }

    fn visit_bool<E: de::Error>(self, v: bool) -> Result<Text, E> {
        Err(E::invalid_type(de::Unexpected::Bool(v), &self))
    }
}

impl<'de> Deserialize<'de> for Text {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_any(TextVisitor)
    }
}

/// In a schema, a version-like scalar is a string or an integer: the loader refuses a
/// float such as an unquoted `3.2`, so the schema does too.
impl schemars::JsonSchema for Text {
    fn schema_name() -> std::borrow::Cow<'static, str> {
        "Text".into()
    }

    fn inline_schema() -> bool {
        true
    }

    fn json_schema(_: &mut schemars::SchemaGenerator) -> schemars::Schema {
        schemars::json_schema!({ "type": ["string", "integer"] })
    }
}

/// A percentage as people write it: `95`, `95.5` or `"95%"`. `with_sign` records the `%`,
/// so that a bare `0.95` (a fraction, probably meant as 95 %) can be questioned.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Percent {
    pub value: f64,
    pub with_sign: bool,
}

impl Serialize for Percent {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_f64(self.value)
    }
}

struct PercentVisitor;

impl Visitor<'_> for PercentVisitor {
    type Value = Percent;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a percentage such as 95 or 95%")
    }

    fn visit_f64<E: de::Error>(self, value: f64) -> Result<Percent, E> {
        Ok(Percent {
            value,
            with_sign: false,
        })
    }

    fn visit_u64<E: de::Error>(self, v: u64) -> Result<Percent, E> {
        self.visit_f64(v as f64)
    }

    fn visit_i64<E: de::Error>(self, v: i64) -> Result<Percent, E> {
        self.visit_f64(v as f64)
    }

    fn visit_str<E: de::Error>(self, v: &str) -> Result<Percent, E> {
        let trimmed = v.trim();
        let (number, with_sign) = match trimmed.strip_suffix('%') {
            Some(number) => (number.trim_end(), true),
            None => (trimmed, false),
        };
        match number.parse::<f64>() {
            Ok(value) if value.is_finite() => Ok(Percent { value, with_sign }),
            _ => Err(not_a_percentage(v)),
        }
    }

    fn visit_bool<E: de::Error>(self, v: bool) -> Result<Percent, E> {
        Err(not_a_percentage(v))
    }
}

fn not_a_percentage<E: de::Error>(value: impl fmt::Display) -> E {
    E::custom(format!(
        "`{value}` is not a percentage; write a number from 0 to 100, e.g. 95 or 95%"
    ))
}

impl<'de> Deserialize<'de> for Percent {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_any(PercentVisitor)
    }
}

impl schemars::JsonSchema for Percent {
    fn schema_name() -> std::borrow::Cow<'static, str> {
        "Percent".into()
    }

    fn inline_schema() -> bool {
        true
    }

    fn json_schema(_: &mut schemars::SchemaGenerator) -> schemars::Schema {
        schemars::json_schema!({
            "anyOf": [
                { "type": "number" },
                { "type": "string", "pattern": "^\\s*[0-9]+(\\.[0-9]+)?\\s*%$" }
            ]
        })
    }
}

/// Month names, January first (messages, and the ETSI reader's test for a date line).
pub(crate) const MONTHS: [&str; 12] = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
];

/// A `bad-date` diagnostic for `text` (to be located by the caller): what is wrong with
/// it and, where possible, the ISO form to write.
pub fn bad_date(
    text: &str,
    locate: impl FnOnce(String) -> crate::diag::Diagnostic,
) -> crate::diag::Diagnostic {
    let (message, help) = date_problem(text);
    let diagnostic = locate(message);
    match help {
        Some(help) => diagnostic.note(help),
        None => diagnostic,
    }
}

/// Why `text` is not a YYYY-MM-DD date, and, where it can tell, how to write it: a day the
/// month does not have is named as such ("February has 28 days in 2026"), and a date
/// written day first (`31/12/2026`) gets its ISO form.
pub fn date_problem(text: &str) -> (String, Option<String>) {
    let not_iso = || format!("`{text}` is not a date of the form YYYY-MM-DD");
    let parts: Vec<&str> = text.split(['-', '/', '.']).collect();
    let numbers: Option<Vec<u32>> = parts.iter().map(|p| p.parse::<u32>().ok()).collect();
    let found = match (numbers, parts.len()) {
        (Some(n), 3) if parts[0].len() == 4 => impossible_day(text, n[0], n[1], n[2]),
        (Some(n), 3) if parts[2].len() == 4 => {
            day_first(n[0], n[1], n[2]).map(|help| (not_iso(), Some(help)))
        }
        _ => None,
    };
    found.unwrap_or_else(|| (not_iso(), None))
}

/// A date in YYYY-MM-DD order whose month or day does not exist.
fn impossible_day(text: &str, year: u32, month: u32, day: u32) -> Option<(String, Option<String>)> {
    let year = i32::try_from(year).ok()?;
    if !(1..=12).contains(&month) {
        return Some((
            format!("`{text}`: there is no month {month} (YYYY-MM-DD: the month comes second)"),
            (1..=12).contains(&day).then(|| {
                format!("help: if the day came first, write {year:04}-{day:02}-{month:02}")
            }),
        ));
    }
    let days = days_in_month(year, month)?;
    (!is_day_of(year, month, day)).then(|| {
        (
            format!(
                "`{text}` is not a date: {} has {days} days in {year}",
                MONTHS[month as usize - 1]
            ),
            None,
        )
    })
}

/// The ISO form of a date written with the year last (`31/12/2026`): both readings when
/// the day and the month could be swapped.
fn day_first(first: u32, second: u32, year: u32) -> Option<String> {
    let year = i32::try_from(year).ok()?;
    let help = match (is_day_of(year, second, first), is_day_of(year, first, second)) {
        (true, true) if first != second => format!(
            "help: write {year:04}-{second:02}-{first:02} if the day comes first, {year:04}-{first:02}-{second:02} if the month does"
        ),
        (true, _) => format!("help: write {year:04}-{second:02}-{first:02}"),
        (false, true) => format!("help: write {year:04}-{first:02}-{second:02}"),
        (false, false) => return None,
    };
    Some(help)
}

/// True when `month` of `year` has a day `day`: the one month-length check.
fn is_day_of(year: i32, month: u32, day: u32) -> bool {
    days_in_month(year, month).is_some_and(|days| (1..=days).contains(&day))
}

fn days_in_month(year: i32, month: u32) -> Option<u32> {
    let first = chrono::NaiveDate::from_ymd_opt(year, month, 1)?;
    let next = if month == 12 {
        chrono::NaiveDate::from_ymd_opt(year + 1, 1, 1)?
    } else {
        chrono::NaiveDate::from_ymd_opt(year, month + 1, 1)?
    };
    u32::try_from(next.signed_duration_since(first).num_days()).ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn impossible_days_are_named() {
        let (message, help) = date_problem("2026-02-30");
        assert_eq!(
            message,
            "`2026-02-30` is not a date: February has 28 days in 2026"
        );
        assert_eq!(help, None);
        assert!(date_problem("2028-02-30")
            .0
            .contains("February has 29 days in 2028"));
        assert!(date_problem("2026-04-31").0.contains("April has 30 days"));
        let (message, help) = date_problem("2026-31-12");
        assert!(message.contains("there is no month 31"), "{message}");
        assert_eq!(
            help.as_deref(),
            Some("help: if the day came first, write 2026-12-31")
        );
    }

    #[test]
    fn day_first_dates_get_their_iso_form() {
        let (_, help) = date_problem("31/12/2026");
        assert_eq!(help.as_deref(), Some("help: write 2026-12-31"));
        let (_, help) = date_problem("31.12.2026");
        assert_eq!(help.as_deref(), Some("help: write 2026-12-31"));
        let (_, help) = date_problem("04/05/2026");
        assert_eq!(
            help.as_deref(),
            Some("help: write 2026-05-04 if the day comes first, 2026-04-05 if the month does")
        );
        assert_eq!(date_problem("next week").1, None);
    }

    #[test]
    fn percentages_accept_a_sign() {
        let parse = |yaml: &str| serde_yaml::from_str::<Percent>(yaml);
        assert_eq!(
            parse("95%").unwrap(),
            Percent {
                value: 95.0,
                with_sign: true
            }
        );
        assert_eq!(
            parse("0.95").unwrap(),
            Percent {
                value: 0.95,
                with_sign: false
            }
        );
        let error = parse("lots").unwrap_err().to_string();
        assert!(error.contains("is not a percentage"), "{error}");
    }
}

/// A version in an inventory (`version:`, `reviewed-against:`), kept as written. An
/// unquoted `3.2` is a YAML number; it is kept (so that the loader can name the version
/// meant, in the same run) and flagged, because `2.10` would have become `2.1`.
#[derive(Clone, Debug, PartialEq, Eq, Default)]
pub struct VersionText {
    pub text: String,
    /// Written as an unquoted number with a fraction.
    pub unquoted_number: bool,
}

impl VersionText {
    pub fn as_str(&self) -> &str {
        &self.text
    }
}

impl fmt::Display for VersionText {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.text)
    }
}

impl From<&str> for VersionText {
    fn from(value: &str) -> Self {
        VersionText {
            text: value.to_owned(),
            unquoted_number: false,
        }
    }
}

impl Serialize for VersionText {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(&self.text)
    }
}

impl<'de> Deserialize<'de> for VersionText {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct VersionVisitor;

        impl Visitor<'_> for VersionVisitor {
            type Value = VersionText;

            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a version in quotes, e.g. \"3.2.1\"")
            }

            fn visit_str<E: de::Error>(self, v: &str) -> Result<VersionText, E> {
                Ok(VersionText::from(v))
            }

            fn visit_u64<E: de::Error>(self, v: u64) -> Result<VersionText, E> {
                Ok(VersionText::from(v.to_string().as_str()))
            }

            fn visit_i64<E: de::Error>(self, v: i64) -> Result<VersionText, E> {
                Ok(VersionText::from(v.to_string().as_str()))
            }

            fn visit_f64<E: de::Error>(self, v: f64) -> Result<VersionText, E> {
                Ok(VersionText {
                    text: v.to_string(),
                    unquoted_number: true,
                })
            }
        }

        deserializer.deserialize_any(VersionVisitor)
    }
}

impl schemars::JsonSchema for VersionText {
    fn schema_name() -> std::borrow::Cow<'static, str> {
        "Text".into()
    }

    fn inline_schema() -> bool {
        true
    }

    fn json_schema(_: &mut schemars::SchemaGenerator) -> schemars::Schema {
        schemars::json_schema!({ "type": ["string", "integer"] })
    }
}
