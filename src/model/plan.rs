//! The remediation plan: per gap (or per pattern of gap keys), when it will be closed, how
//! far the work is, and where it is tracked. A plan entry replaces the target's due date for
//! the gaps it names, so that each gap is judged against its own agreed deadline.

use chrono::NaiveDate;
use serde::Serialize;

use super::gap::{GapKey, GapPattern};
use super::inventory::Place;

/// How far the remediation of a planned gap has come.
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
    schemars::JsonSchema,
)]
#[serde(rename_all = "kebab-case")]
pub enum PlanStatus {
    /// Agreed, not started.
    Planned,
    /// Work has started.
    InProgress,
    /// Work cannot go on without a decision or outside help: the board page lists it.
    Blocked,
    /// The work is done; the evidence (a mapping, a control, a review) is still to come.
    DonePendingEvidence,
}

enum_names!(PlanStatus {
    Planned => "planned",
    InProgress => "in-progress",
    Blocked => "blocked",
    DonePendingEvidence => "done-pending-evidence",
});

/// One entry of the plan file.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PlanEntry {
    /// The gap key (or `*` prefix) the entry plans for.
    pub gap: GapPattern,
    /// When the gap is to be closed.
    pub due: NaiveDate,
    /// Where the work stands.
    pub status: PlanStatus,
    /// The ticket that tracks the work.
    pub ticket: Option<String>,
    /// A remark of the plan's author.
    pub note: Option<String>,
    /// The `gap:` line in the plan file.
    pub place: Place,
}

/// What a gap carries of the plan entry that names it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct GapPlan {
    /// The plan's due date (the gap's `due` is this date too).
    pub due: NaiveDate,
    /// Where the work stands.
    pub status: PlanStatus,
    /// The ticket that tracks the work.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub ticket: Option<String>,
    /// A remark of the plan's author.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
    /// The entry's `gap:` line in the plan file.
    pub place: Place,
}

impl PlanEntry {
    /// What a gap named by this entry carries of it.
    pub fn to_gap_plan(&self) -> GapPlan {
        GapPlan {
            due: self.due,
            status: self.status,
            ticket: self.ticket.clone(),
            note: self.note.clone(),
            place: self.place.clone(),
        }
    }
}

/// The entry that decides for `key`: the most specific one that matches (an exact key beats
/// a pattern, a longer pattern a shorter one), as for waivers. Returns its index.
pub fn deciding_entry(plan: &[PlanEntry], key: &GapKey) -> Option<usize> {
    plan.iter()
        .enumerate()
        .filter(|(_, entry)| entry.gap.matches(key))
        .max_by_key(|(i, entry)| (entry.gap.specificity(), std::cmp::Reverse(*i)))
        .map(|(i, _)| i)
}
