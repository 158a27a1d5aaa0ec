//! What `check` applies to a gap report, as read from reqgap.yaml, waivers.yaml and a
//! baseline: the policy, the waivers and the keys of an earlier run.

use std::collections::BTreeSet;
use std::fmt;

use serde::{Serialize, Serializer};

use chrono::NaiveDate;

use super::gap::{GapKey, GapKind, GapPattern};
use super::ids::OwnerId;
use super::inventory::{Period, Place};

/// One `fail-on` entry: a gap kind, or `overdue` for any gap past its due date.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum FailOn {
    /// Gaps of this kind.
    Kind(GapKind),
    /// Gaps past their due date, of any kind.
    Overdue,
}

impl FailOn {
    /// The kebab-case code written in `fail-on` (`uncovered`, `overdue`).
    pub fn code(self) -> &'static str {
        match self {
            FailOn::Kind(kind) => kind.code(),
            FailOn::Overdue => "overdue",
        }
    }

    /// The entry whose code is `code`.
    pub fn from_code(code: &str) -> Option<FailOn> {
        if code == "overdue" {
            return Some(FailOn::Overdue);
        }
        GapKind::from_code(code).map(FailOn::Kind)
    }

    /// Every accepted code, for suggestions and docs.
    pub fn all_codes() -> Vec<&'static str> {
        let mut codes: Vec<&'static str> = GapKind::ALL.iter().map(|k| k.code()).collect();
        codes.push("overdue");
        codes
    }
}

impl fmt::Display for FailOn {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.code())
    }
}

impl Serialize for FailOn {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(self.code())
    }
}

/// Where the policy in force came from.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum PolicySource {
    /// No `policy:` in reqgap.yaml: the strict defaults.
    Default,
    /// The `policy:` section of reqgap.yaml (absent keys take their defaults).
    Config,
}

/// What makes `reqgap check` fail, and when gaps are due.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Policy {
    /// Whether reqgap.yaml sets it or the strict default applies.
    pub source: PolicySource,
    /// Gaps of these kinds (or overdue gaps, for `overdue`) fail the run.
    pub fail_on: BTreeSet<FailOn>,
    /// Every target must have at least this share of its active requirements covered.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub min_coverage: Option<f64>,
    /// Gaps that do not fail but are due within this window (or overdue) are warnings.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub warn_within: Option<Period>,
    /// The deadline of a target that has no `due` when its catalog has no effective date:
    /// this long after publication (so a new version is not overdue on its first day).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub default_due: Option<Period>,
}

impl Policy {
    /// The kinds that fail by default: every kind that needs action now. `newer-version`
    /// (a plan for the future) and `obsolete-mapping` (kept for the record) only warn.
    pub const DEFAULT_FAIL_ON: [FailOn; 8] = [
        FailOn::Kind(GapKind::Uncovered),
        FailOn::Kind(GapKind::Partial),
        FailOn::Kind(GapKind::NeedsReview),
        FailOn::Kind(GapKind::StaleReference),
        FailOn::Kind(GapKind::BrokenDependency),
        FailOn::Kind(GapKind::Unowned),
        FailOn::Kind(GapKind::StaleEvidence),
        FailOn::Overdue,
    ];

    /// Default warning window.
    /// A year to adopt a version that names no date from which it applies.
    pub const DEFAULT_DUE: Period = Period {
        count: 12,
        unit: super::inventory::PeriodUnit::Months,
    };

    /// How soon before its due date an open gap warns: 30 days.
    pub const DEFAULT_WARN_WITHIN: Period = Period {
        count: 30,
        unit: super::inventory::PeriodUnit::Days,
    };

    /// The strict policy used when reqgap.yaml has no `policy:` section.
    pub fn strict_default() -> Policy {
        Policy {
            source: PolicySource::Default,
            fail_on: Policy::DEFAULT_FAIL_ON.into_iter().collect(),
            min_coverage: None,
            warn_within: Some(Policy::DEFAULT_WARN_WITHIN),
            default_due: Some(Policy::DEFAULT_DUE),
        }
    }
}

/// One validated waiver.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Waiver {
    /// The gap key (or `*` prefix) the waiver accepts.
    pub gap: GapPattern,
    /// Why the gap is accepted.
    pub reason: String,
    /// Who approved the waiver.
    pub approved_by: OwnerId,
    /// Last day on which the waiver holds.
    pub expires: NaiveDate,
    /// The `gap:` line in the waivers file.
    pub place: Place,
}

impl Waiver {
    /// True once `today` is past `expires`.
    pub fn is_expired(&self, today: NaiveDate) -> bool {
        self.expires < today
    }
}

/// Keys of the gaps of an earlier report, which a run accepts without failing.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Baseline {
    /// The file, as the user named it.
    pub path: String,
    /// The gap keys of the earlier report.
    pub keys: BTreeSet<GapKey>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fail_on_codes_round_trip_and_include_overdue() {
        for code in FailOn::all_codes() {
            assert_eq!(FailOn::from_code(code).map(FailOn::code), Some(code));
        }
        assert_eq!(FailOn::from_code("overdue"), Some(FailOn::Overdue));
        assert_eq!(FailOn::from_code("everything"), None);
    }

    #[test]
    fn strict_default_fails_on_everything_actionable() {
        let policy = Policy::strict_default();
        assert!(policy.fail_on.contains(&FailOn::Overdue));
        assert!(policy.fail_on.contains(&FailOn::Kind(GapKind::Uncovered)));
        assert!(!policy
            .fail_on
            .contains(&FailOn::Kind(GapKind::NewerVersion)));
        assert!(!policy
            .fail_on
            .contains(&FailOn::Kind(GapKind::ObsoleteMapping)));
    }
}
