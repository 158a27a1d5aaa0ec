//! The kinds of gap, each with a stable code and a one-line description. SARIF rules and
//! the documentation are generated from the same text.

use std::fmt;

use serde::Serialize;

#[derive(
    Clone,
    Copy,
    Debug,
    PartialEq,
    Eq,
    PartialOrd,
    Ord,
    Hash,
    Serialize,
    serde::Deserialize,
    clap::ValueEnum,
)]
#[serde(rename_all = "kebab-case")]
pub enum GapKind {
    Uncovered,
    Partial,
    NeedsReview,
    StaleReference,
    BrokenDependency,
    Unowned,
    StaleEvidence,
    NewerVersion,
    ObsoleteMapping,
}

impl GapKind {
    pub const ALL: [GapKind; 9] = [
        GapKind::Uncovered,
        GapKind::Partial,
        GapKind::NeedsReview,
        GapKind::StaleReference,
        GapKind::BrokenDependency,
        GapKind::Unowned,
        GapKind::StaleEvidence,
        GapKind::NewerVersion,
        GapKind::ObsoleteMapping,
    ];

    /// The stable kebab-case code used in gap keys, filters, policies, waivers and SARIF.
    pub fn code(self) -> &'static str {
        match self {
            GapKind::Uncovered => "uncovered",
            GapKind::Partial => "partial",
            GapKind::NeedsReview => "needs-review",
            GapKind::StaleReference => "stale-reference",
            GapKind::BrokenDependency => "broken-dependency",
            GapKind::Unowned => "unowned",
            GapKind::StaleEvidence => "stale-evidence",
            GapKind::NewerVersion => "newer-version",
            GapKind::ObsoleteMapping => "obsolete-mapping",
        }
    }

    /// One line saying what the gap means.
    pub fn description(self) -> &'static str {
        match self {
            GapKind::Uncovered => "No active control covers this requirement of the target version.",
            GapKind::Partial => "Controls cover only part of this requirement.",
            GapKind::NeedsReview => {
                "A control's mapping was made against an older text that changed in substance (or was split, merged or matched with low confidence); its owner must review it."
            }
            GapKind::StaleReference => {
                "A control maps to an ID that was renumbered; the coverage still counts, but the mapping should name the new ID."
            }
            GapKind::BrokenDependency => {
                "A covering control depends, directly or transitively, on a retired or planned control, so its coverage does not count."
            }
            GapKind::Unowned => "A control, or an uncovered requirement, has nobody responsible for it.",
            GapKind::StaleEvidence => "Evidence of a control was not reviewed within its review interval.",
            GapKind::NewerVersion => {
                "A newer version of a target standard is known: plan the transition before it takes effect."
            }
            GapKind::ObsoleteMapping => {
                "A control maps to a requirement that was removed from the target version; the mapping is kept and reported, never dropped."
            }
        }
    }

    pub fn from_code(code: &str) -> Option<GapKind> {
        GapKind::ALL.into_iter().find(|k| k.code() == code)
    }

    /// How serious the kind is for a `shall` requirement.
    pub fn base_severity(self) -> Severity {
        match self {
            GapKind::Uncovered | GapKind::BrokenDependency | GapKind::Unowned => Severity::High,
            GapKind::Partial
            | GapKind::NeedsReview
            | GapKind::StaleEvidence
            | GapKind::NewerVersion => Severity::Medium,
            GapKind::StaleReference => Severity::Low,
            GapKind::ObsoleteMapping => Severity::Info,
        }
    }
}

impl fmt::Display for GapKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.code())
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Severity {
    Info,
    Low,
    Medium,
    High,
}

enum_names!(Severity {
    Info => "info",
    Low => "low",
    Medium => "medium",
    High => "high",
});

impl Severity {
    /// One step less serious (a `should` requirement weighs less than a `shall`).
    pub fn lower(self) -> Severity {
        match self {
            Severity::High => Severity::Medium,
            Severity::Medium => Severity::Low,
            Severity::Low | Severity::Info => Severity::Info,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_are_unique_kebab_case_and_round_trip() {
        let mut codes: Vec<&str> = GapKind::ALL.iter().map(|k| k.code()).collect();
        for code in &codes {
            assert!(
                code.bytes().all(|b| b.is_ascii_lowercase() || b == b'-'),
                "{code}"
            );
            assert_eq!(GapKind::from_code(code).map(GapKind::code), Some(*code));
        }
        codes.sort_unstable();
        codes.dedup();
        assert_eq!(codes.len(), GapKind::ALL.len());
    }

    #[test]
    fn serde_names_equal_codes() {
        for kind in GapKind::ALL {
            assert_eq!(serde_json::to_value(kind).unwrap(), kind.code());
            assert!(!kind.description().is_empty());
        }
    }
}

#[cfg(test)]
mod doc_tests {
    use super::GapKind;

    /// The documentation's table is written from the same descriptions as the code.
    #[test]
    fn docs_list_every_kind_with_its_description() {
        let doc = include_str!("../../docs/gaps.md");
        for kind in GapKind::ALL {
            let row = format!(
                "| `{}` | {} | {} |",
                kind.code(),
                kind.base_severity(),
                kind.description()
            );
            assert!(doc.contains(&row), "docs/gaps.md lacks the row:\n{row}");
        }
    }
}
