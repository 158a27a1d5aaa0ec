//! Waivers: an approved, time-limited decision to accept a gap.

use chrono::NaiveDate;
use serde::Serialize;

use crate::gaps::GapKind;
use crate::model::{OwnerId, Place};

/// A gap key, or a key prefix ending in `*` for a whole requirement, section or control.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(transparent)]
pub struct GapPattern(String);

/// Why a waiver's `gap` cannot be used.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum PatternError {
    Empty,
    /// `*` anywhere but at the end.
    InnerWildcard,
    /// The part before the first `:` is not a gap kind.
    UnknownKind(String),
    /// A wildcard must follow at least `<kind>:<scope>:<start of an ID>`, so that it cannot
    /// waive a whole kind, a whole target or everything at once.
    TooBroad,
}

impl PatternError {
    pub fn message(&self, pattern: &str) -> String {
        match self {
            PatternError::Empty => "the waiver's gap key is empty".into(),
            PatternError::InnerWildcard => {
                format!("`{pattern}`: `*` is only allowed at the end of a gap key")
            }
            PatternError::UnknownKind(kind) => {
                format!("`{pattern}` does not start with a gap kind (`{kind}` is not one)")
            }
            PatternError::TooBroad => format!(
                "`{pattern}` is too broad: a wildcard must follow at least `<kind>:<standard>@<version>:<start of a requirement ID>` or `<kind>:control:<start of a control ID>`"
            ),
        }
    }
}

impl GapPattern {
    pub fn parse(text: &str) -> Result<GapPattern, PatternError> {
        let text = text.trim();
        if text.is_empty() {
            return Err(PatternError::Empty);
        }
        let stem = text.strip_suffix('*').unwrap_or(text);
        if stem.contains('*') {
            return Err(PatternError::InnerWildcard);
        }
        let kind = stem.split(':').next().unwrap_or_default();
        if GapKind::from_code(kind).is_none() {
            if text == "*" || stem.is_empty() {
                return Err(PatternError::TooBroad);
            }
            return Err(PatternError::UnknownKind(kind.to_string()));
        }
        let scoped = stem.split(':').nth(2).is_some_and(|part| !part.is_empty());
        if stem.len() != text.len() && !scoped {
            return Err(PatternError::TooBroad);
        }
        Ok(GapPattern(text.to_string()))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    pub fn is_wildcard(&self) -> bool {
        self.0.ends_with('*')
    }

    pub fn matches(&self, key: &str) -> bool {
        match self.0.strip_suffix('*') {
            Some(prefix) => key.starts_with(prefix),
            None => self.0 == key,
        }
    }

    /// How specific the pattern is: an exact key beats any prefix, a longer prefix a shorter.
    fn specificity(&self) -> (bool, usize) {
        (!self.is_wildcard(), self.0.len())
    }
}

/// One validated waiver.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Waiver {
    pub gap: GapPattern,
    pub reason: String,
    pub approved_by: OwnerId,
    /// Last day on which the waiver holds.
    pub expires: NaiveDate,
    /// The `gap:` line in the waivers file.
    pub place: Place,
}

impl Waiver {
    pub fn is_expired(&self, today: NaiveDate) -> bool {
        self.expires < today
    }
}

/// The waiver that decides about `key`: among those that match, an unexpired one if any
/// (most specific first), else the most specific expired one.
pub fn deciding_waiver<'w>(
    waivers: &'w [Waiver],
    key: &str,
    today: NaiveDate,
) -> Option<&'w Waiver> {
    let best = |expired: bool| {
        waivers
            .iter()
            .filter(|w| w.is_expired(today) == expired && w.gap.matches(key))
            .max_by(|a, b| {
                a.gap
                    .specificity()
                    .cmp(&b.gap.specificity())
                    .then_with(|| b.place.cmp(&a.place))
            })
    };
    best(false).or_else(|| best(true))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn waiver(gap: &str, expires: &str, line: usize) -> Waiver {
        Waiver {
            gap: GapPattern::parse(gap).unwrap(),
            reason: "r".into(),
            approved_by: OwnerId::new("board"),
            expires: NaiveDate::parse_from_str(expires, "%Y-%m-%d").unwrap(),
            place: Place {
                path: "waivers.yaml".into(),
                line,
                column: 7,
            },
        }
    }

    #[test]
    fn bare_and_kind_wide_wildcards_are_refused() {
        assert_eq!(GapPattern::parse("*"), Err(PatternError::TooBroad));
        assert_eq!(GapPattern::parse("uncovered*"), Err(PatternError::TooBroad));
        assert_eq!(
            GapPattern::parse("uncovered:*"),
            Err(PatternError::TooBroad)
        );
        assert_eq!(
            GapPattern::parse("uncovered:demo@2.0*"),
            Err(PatternError::TooBroad)
        );
        assert_eq!(
            GapPattern::parse("unc*vered:a:b"),
            Err(PatternError::InnerWildcard)
        );
        assert_eq!(
            GapPattern::parse("covered:a:b"),
            Err(PatternError::UnknownKind("covered".into()))
        );
        assert_eq!(
            GapPattern::parse("uncovered:demo@2.0:*"),
            Err(PatternError::TooBroad)
        );
        assert!(GapPattern::parse("uncovered:demo@2.0:DSO-2*").is_ok());
        assert!(GapPattern::parse("stale-evidence:control:C-POL:*").is_ok());
    }

    #[test]
    fn wildcard_matches_by_prefix_and_exact_keys_exactly() {
        let section = GapPattern::parse("uncovered:demo@2.0:DSO-2-*").unwrap();
        assert!(section.matches("uncovered:demo@2.0:DSO-2-01"));
        assert!(!section.matches("uncovered:demo@2.0:DSO-1.1-01"));
        let exact = GapPattern::parse("uncovered:demo@2.0:DSO-2-01").unwrap();
        assert!(exact.matches("uncovered:demo@2.0:DSO-2-01"));
        assert!(!exact.matches("uncovered:demo@2.0:DSO-2-011"));
    }

    #[test]
    fn an_unexpired_waiver_beats_a_more_specific_expired_one() {
        let today = NaiveDate::from_ymd_opt(2026, 6, 1).unwrap();
        let waivers = [
            waiver("uncovered:demo@2.0:DSO-2-01", "2026-01-31", 1),
            waiver("uncovered:demo@2.0:DSO-*", "2026-12-31", 5),
        ];
        let chosen = deciding_waiver(&waivers, "uncovered:demo@2.0:DSO-2-01", today).unwrap();
        assert_eq!(chosen.place.line, 5);
        let expired_only = &waivers[..1];
        let chosen = deciding_waiver(expired_only, "uncovered:demo@2.0:DSO-2-01", today).unwrap();
        assert!(chosen.is_expired(today));
        assert!(deciding_waiver(&waivers, "partial:demo@2.0:DSO-2-01", today).is_none());
    }
}
