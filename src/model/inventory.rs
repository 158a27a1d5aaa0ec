//! The organisation's control inventory: controls, owners, evidence, and the mappings from
//! controls to requirements.

use std::collections::BTreeMap;
use std::fmt;

use chrono::{Days, Months, NaiveDate};
use serde::Serialize;

use super::ids::{
    CatalogKey, ControlId, EvidenceId, OwnerId, RequirementId, StandardSlug, Version,
};

/// Where something was written: file (as the user gave it), line and column (from 1).
/// Kept in the model so that findings can point at the line that causes them.
#[derive(Clone, Debug, Default, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
pub struct Place {
    /// The file, as the user named it.
    pub path: String,
    /// Line, from 1.
    pub line: usize,
    /// Column in characters, from 1.
    pub column: usize,
}

impl fmt::Display for Place {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}:{}:{}", self.path, self.line, self.column)
    }
}

/// An organisation's control inventory, validated: what it must meet, who answers for
/// what, and which controls claim which requirements.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Inventory {
    /// Name of the organisation.
    pub organisation: String,
    /// The inventory folder, as given by the user.
    pub root: String,
    /// The standard versions to meet, in reqgap.yaml's order.
    pub targets: Vec<Target>,
    /// Owners by ID.
    pub owners: BTreeMap<OwnerId, Owner>,
    /// Controls by ID.
    pub controls: BTreeMap<ControlId, Control>,
    /// How long an overdue gap stays with its holder before it moves one level up the
    /// escalation chain, for owners that set no `escalate-after` of their own. `None` (and
    /// no owner setting) escalates an overdue gap to the whole chain at once.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub escalate_after: Option<Period>,
    /// The remediation plan (`plan:` in reqgap.yaml), in file order.
    #[serde(skip)]
    pub plan: Vec<super::plan::PlanEntry>,
}

impl Inventory {
    /// How long `owner` holds an overdue gap before it escalates: the owner's own
    /// `escalate-after`, else the inventory's default.
    pub fn escalate_after(&self, owner: Option<&OwnerId>) -> Option<Period> {
        owner
            .and_then(|id| self.owners.get(id))
            .and_then(|o| o.escalate_after)
            .or(self.escalate_after)
    }
}

/// A version of a standard the organisation must meet, and who answers for it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Target {
    /// The standard version to meet.
    pub catalog: CatalogKey,
    /// The deadline: `due:` when given, else the catalog's effective date, else its
    /// publication plus the policy's `default-due` (12 months unless set).
    pub due: Option<NaiveDate>,
    /// True when the inventory writes `due` (the organisation's own deadline, which wins
    /// over a requirement's milestones); false when `due` was derived from the catalog.
    pub due_given: bool,
    /// Owner of uncovered requirements when no section owner matches.
    pub default_owner: Option<OwnerId>,
    /// Owner of uncovered requirements by section prefix; the longest matching prefix wins.
    pub section_owners: BTreeMap<String, OwnerId>,
    /// Requirements that do not apply to the organisation, with a justification.
    pub not_applicable: Vec<NotApplicable>,
    /// Whether coverage may follow crosswalks to other standards (default true).
    pub crosswalks: bool,
    /// The edition the organisation last met (or was audited against): "new in this
    /// edition" is measured from it. `None`: from the version the mappings were reviewed
    /// against.
    pub since: Option<Version>,
    /// Where reqgap.yaml lists the target.
    pub place: Place,
}

/// A requirement (or, with a trailing `*`, every requirement whose ID starts with what
/// precedes it) that a target declares not applicable, with who approved that and when it
/// is reviewed again.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct NotApplicable {
    /// A requirement ID, or a prefix ending in `*`.
    pub requirement: String,
    /// Why it does not apply.
    pub justification: String,
    /// Who approved the decision.
    pub approved_by: OwnerId,
    /// When the decision was last reviewed.
    pub reviewed: NaiveDate,
    /// How often it is reviewed.
    pub review_every: Period,
    /// Where reqgap.yaml declares it.
    pub place: Place,
}

impl NotApplicable {
    /// True when requirement `id` is the one declared, or starts with its prefix.
    pub fn matches(&self, id: &str) -> bool {
        match self.requirement.strip_suffix('*') {
            Some(prefix) => id.starts_with(prefix),
            None => id == self.requirement,
        }
    }

    /// When the decision must be reviewed again.
    pub fn next_review(&self) -> NaiveDate {
        self.review_every.after(self.reviewed)
    }
}

impl Target {
    /// The not-applicable entry that covers a requirement, if any.
    pub fn not_applicable(&self, id: &str) -> Option<&NotApplicable> {
        self.not_applicable.iter().find(|n| n.matches(id))
    }

    /// Who answers for a requirement of `section` that no control covers.
    pub fn owner_for_section(&self, section: &str) -> Option<&OwnerId> {
        let section = super::ids::SectionId::new(section);
        self.section_owners
            .iter()
            .filter(|(prefix, _)| section.is_within(prefix))
            .max_by_key(|(prefix, _)| prefix.len())
            .map(|(_, owner)| owner)
            .or(self.default_owner.as_ref())
    }
}

/// A person or role that answers for controls and gaps.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Owner {
    /// Stable ID used by controls, targets and waivers.
    pub id: OwnerId,
    /// Display name.
    pub name: String,
    /// Contact address.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub email: Option<String>,
    /// Whom overdue gaps escalate to.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub escalates_to: Option<OwnerId>,
    /// How long this owner holds an overdue gap before it moves to `escalates_to`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub escalate_after: Option<Period>,
    /// Where the owners file defines it.
    pub place: Place,
}

#[derive(
    Clone,
    Copy,
    Debug,
    Default,
    PartialEq,
    Eq,
    PartialOrd,
    Ord,
    Hash,
    Serialize,
    serde::Deserialize,
    schemars::JsonSchema,
)]
/// Whether a control operates.
#[serde(rename_all = "kebab-case")]
pub enum ControlStatus {
    /// In operation: its coverage counts.
    #[default]
    Active,
    /// Decided but not yet in operation: its coverage does not count yet.
    Planned,
    /// No longer operated.
    Retired,
}

enum_names!(ControlStatus {
    Active => "active",
    Planned => "planned",
    Retired => "retired",
});

/// One control of the organisation.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Control {
    /// Unique across all control files.
    pub id: ControlId,
    /// What the control is.
    pub title: String,
    /// Who answers for it.
    pub owner: Option<OwnerId>,
    /// Active, planned or retired.
    pub status: ControlStatus,
    /// Controls it needs in order to work.
    pub depends_on: Vec<ControlId>,
    /// Evidence that it operates.
    pub evidence: Vec<Evidence>,
    /// Requirements it claims to satisfy, per standard version.
    pub satisfies: Vec<Mapping>,
    /// Where its control file defines it.
    pub place: Place,
}

/// Evidence that a control operates, and when it is reviewed.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Evidence {
    /// Unique within the control.
    pub id: EvidenceId,
    /// What the evidence is.
    pub description: String,
    /// When it was last reviewed.
    pub reviewed: NaiveDate,
    /// How often it must be reviewed.
    pub review_every: Period,
    /// Where the control file gives its review date.
    pub place: Place,
}

impl Evidence {
    /// The date by which the evidence must be reviewed again.
    pub fn next_review(&self) -> NaiveDate {
        self.review_every.after(self.reviewed)
    }
}

#[derive(
    Clone,
    Copy,
    Debug,
    Default,
    PartialEq,
    Eq,
    PartialOrd,
    Ord,
    Hash,
    Serialize,
    serde::Deserialize,
    schemars::JsonSchema,
)]
/// How much of a requirement a control meets.
#[serde(rename_all = "kebab-case")]
pub enum Coverage {
    /// The control meets the whole requirement.
    #[default]
    Full,
    /// The control meets part of it; something else must meet the rest.
    Partial,
}

/// A control's claim to satisfy requirements of one version of a standard.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Mapping {
    /// The standard.
    pub standard: StandardSlug,
    /// The catalog version this mapping was last checked against.
    pub reviewed_against: Version,
    /// Full or partial.
    pub coverage: Coverage,
    /// The requirements claimed.
    pub requirements: Vec<MappedRequirement>,
    /// A remark of the inventory's author.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
}

/// How a mapping's note starts when `migrate` carried it across a reconstructed catalog
/// (whose IDs are partly inferred): the pairing is assumed until `review` confirms it.
pub const ASSUMED_NOTE: &str = "assumed:";

impl Mapping {
    /// `<standard>@<reviewed-against>`.
    pub fn catalog(&self) -> CatalogKey {
        CatalogKey {
            standard: self.standard.clone(),
            version: self.reviewed_against.clone(),
        }
    }

    /// The version `migrate` carried the mapping from across a reconstructed catalog, when
    /// its note marks it assumed (`assumed: carried from <standard>@<version> across …`);
    /// `Some(None)` when the note is marked but names no version.
    pub fn assumed_from(&self) -> Option<Option<CatalogKey>> {
        let rest = self.note.as_deref()?.strip_prefix(ASSUMED_NOTE)?;
        let from = rest
            .trim_start()
            .strip_prefix("carried from ")
            .and_then(|r| r.split_whitespace().next())
            .and_then(|key| key.trim_end_matches([';', ',']).parse().ok());
        Some(from)
    }
}

/// A requirement ID that a mapping names, with where.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct MappedRequirement {
    /// The ID, in the mapping's catalog.
    pub id: RequirementId,
    /// Where the control file names it.
    pub place: Place,
}

/// A review interval: `N days`, `N weeks`, `N months` or `N years`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct Period {
    /// How many units.
    pub count: u32,
    /// Days, weeks, months or years.
    pub unit: PeriodUnit,
}

/// The unit of a [`Period`].
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum PeriodUnit {
    /// Days.
    Days,
    /// Weeks (seven days).
    Weeks,
    /// Calendar months.
    Months,
    /// Calendar years.
    Years,
}

impl Period {
    /// Parses `3 months`, `1 year`, `30 days`, `2 weeks` (singular or plural).
    pub fn parse(text: &str) -> Option<Period> {
        let mut words = text.split_whitespace();
        let count: u32 = words.next()?.parse().ok()?;
        let unit = match words.next()?.to_ascii_lowercase().as_str() {
            "day" | "days" => PeriodUnit::Days,
            "week" | "weeks" => PeriodUnit::Weeks,
            "month" | "months" => PeriodUnit::Months,
            "year" | "years" => PeriodUnit::Years,
            _ => return None,
        };
        if words.next().is_some() || count == 0 || count > 10_000 {
            return None;
        }
        Some(Period { count, unit })
    }

    /// `date` plus the period. Month arithmetic clamps to the month's end (31 Jan + 1 month
    /// is 28 or 29 Feb).
    pub fn after(self, date: NaiveDate) -> NaiveDate {
        self.shift(date, true).unwrap_or(NaiveDate::MAX)
    }

    /// `date` minus the period (for "due within" windows).
    pub fn before(self, date: NaiveDate) -> NaiveDate {
        self.shift(date, false).unwrap_or(NaiveDate::MIN)
    }

    fn shift(self, date: NaiveDate, forward: bool) -> Option<NaiveDate> {
        let count = u64::from(self.count);
        match self.unit {
            PeriodUnit::Days | PeriodUnit::Weeks => {
                let days = Days::new(if self.unit == PeriodUnit::Weeks {
                    7 * count
                } else {
                    count
                });
                if forward {
                    date.checked_add_days(days)
                } else {
                    date.checked_sub_days(days)
                }
            }
            PeriodUnit::Months | PeriodUnit::Years => {
                let months = Months::new(if self.unit == PeriodUnit::Years {
                    12 * self.count
                } else {
                    self.count
                });
                if forward {
                    date.checked_add_months(months)
                } else {
                    date.checked_sub_months(months)
                }
            }
        }
    }
}

impl fmt::Display for Period {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let unit = match self.unit {
            PeriodUnit::Days => "day",
            PeriodUnit::Weeks => "week",
            PeriodUnit::Months => "month",
            PeriodUnit::Years => "year",
        };
        let plural = if self.count == 1 { "" } else { "s" };
        write!(f, "{} {unit}{plural}", self.count)
    }
}

impl Serialize for Period {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_str(self)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn date(text: &str) -> NaiveDate {
        NaiveDate::parse_from_str(text, "%Y-%m-%d").unwrap()
    }

    #[test]
    fn periods_parse_and_add_calendar_units() {
        let quarter = Period::parse("3 months").unwrap();
        assert_eq!(quarter.after(date("2025-09-15")), date("2025-12-15"));
        assert_eq!(
            Period::parse("1 month").unwrap().after(date("2025-01-31")),
            date("2025-02-28")
        );
        assert_eq!(
            Period::parse("2 weeks").unwrap().after(date("2025-01-01")),
            date("2025-01-15")
        );
        assert_eq!(
            Period::parse("1 year").unwrap().after(date("2024-02-29")),
            date("2025-02-28")
        );
        assert_eq!(quarter.to_string(), "3 months");
        for bad in [
            "",
            "3",
            "three months",
            "3 fortnights",
            "0 days",
            "3 months ago",
            "-1 days",
        ] {
            assert_eq!(Period::parse(bad), None, "{bad}");
        }
    }

    #[test]
    fn longest_section_prefix_wins() {
        let target = Target {
            catalog: CatalogKey::new("s", "1"),
            due: None,
            due_given: false,
            default_owner: Some(OwnerId::new("default")),
            section_owners: [
                ("7".to_owned(), OwnerId::new("ops")),
                ("7.9".to_owned(), OwnerId::new("incident")),
            ]
            .into_iter()
            .collect(),
            not_applicable: Vec::new(),
            crosswalks: true,
            since: None,
            place: Place::default(),
        };
        assert_eq!(
            target.owner_for_section("7.9.3").unwrap().as_str(),
            "incident"
        );
        assert_eq!(target.owner_for_section("7.1").unwrap().as_str(), "ops");
        assert_eq!(target.owner_for_section("7.10").unwrap().as_str(), "ops");
        assert_eq!(target.owner_for_section("5").unwrap().as_str(), "default");
    }
}
