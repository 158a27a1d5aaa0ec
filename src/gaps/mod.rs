//! Gap analysis: from the inventory graph, the catalogs and the correspondences between
//! versions, every open gap with an owner, a due date and an escalation path.

mod bridge;
pub mod cause;
pub mod coverage;
pub mod crosswalk;
mod edition;
pub mod rank;
mod rules;
pub mod wording;

use std::collections::BTreeMap;

use chrono::NaiveDate;
use serde::Serialize;

pub use crate::model::{GapKey, GapKind, GapSubject, Severity};
pub use bridge::{Bridge, DiffBridge, DiffCache, VersionBridge};
pub use cause::{Cause, ChainLink, ReviewReason};
pub use edition::{reviewed_version, since, EditionChange, NewIn};
pub use rank::{rank, sort_by_rank};
pub(crate) use rules::linked_successors;
pub(crate) use rules::{analyse_view, analyse_with, InventoryView};

use crate::model::{
    CatalogKey, ControlId, EvidenceId, Level, OwnerId, Place, RequirementId, RequirementKey,
};

/// Whether a gap's due date has passed.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum GapStatus {
    /// Due date not yet passed.
    Open,
    /// Due date passed: escalate.
    Overdue,
}

enum_names!(GapStatus {
    Open => "open",
    Overdue => "overdue",
});

/// One open gap. `key` is stable across runs and is what waivers and baselines name.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Gap {
    /// `<kind>:<standard>@<version>:<requirement>[:<control>]`, or for gaps about a control
    /// alone `<kind>:control:<control>[:<evidence>]`, or for a newer version
    /// `newer-version:<standard>@<newer version>` (see [`GapKey`]).
    pub key: GapKey,
    /// What kind of gap it is.
    pub kind: GapKind,
    /// How serious it is, from its kind and level.
    pub severity: Severity,
    /// Open or overdue, as of the report's day.
    pub status: GapStatus,
    /// The target version the gap is about (none for gaps about a control alone).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub target: Option<CatalogKey>,
    /// The target requirement the gap is about.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub requirement: Option<RequirementKey>,
    /// The requirement's section.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub section: Option<String>,
    /// The requirement's level.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub level: Option<Level>,
    /// The control the gap is about or that claims the requirement.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub control: Option<ControlId>,
    /// The evidence item, for `stale-evidence`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub evidence: Option<EvidenceId>,
    /// What the gap is about, in one line (requirement or control title).
    pub title: String,
    /// Why this is a gap and what to do, written from `cause` by [`wording`].
    pub message: String,
    /// Why this is a gap, as data.
    pub cause: Cause,
    /// Other controls involved (planned ones for an uncovered requirement, partial ones, …).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub related_controls: Vec<ControlId>,
    /// The responsible person; `None` only together with an `unowned` gap saying so.
    pub owner: Option<OwnerId>,
    /// When it must be closed: the plan's date, else the target's deadline.
    pub due: NaiveDate,
    /// Owners above the responsible one, nearest first; filled when the gap is overdue.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub escalation: Vec<OwnerId>,
    /// The line in the inventory that causes the gap (a mapping, a control, a target).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub place: Option<Place>,
    /// Set when the requirement is new or changed in substance in the target edition,
    /// relative to the target's `since:` edition (else the version the inventory's mappings
    /// were reviewed against).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub new_in: Option<NewIn>,
    /// The remediation plan entry that names the gap; its date is the gap's `due`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub plan: Option<crate::model::GapPlan>,
    /// The dated obligation of the requirement that sets `due`, when the catalog states
    /// milestones for it and the target sets no `due` of its own.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub milestone: Option<crate::model::Milestone>,
}

/// A requirement left out of a target's coverage because it does not apply.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct NotApplicableRequirement {
    /// The requirement.
    pub requirement: RequirementKey,
    /// Why it does not apply.
    pub justification: String,
    /// Who approved the decision.
    pub approved_by: OwnerId,
    /// When the decision must be reviewed again.
    pub next_review: NaiveDate,
    /// Where reqgap.yaml declares it.
    pub place: Place,
}

/// Requirements covered out of all active ones, for one level.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize)]
pub struct LevelCoverage {
    /// Requirements of the level fully covered.
    pub covered: usize,
    /// Active requirements of the level that apply.
    pub total: usize,
}

/// Coverage of one target version.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct TargetSummary {
    /// The target version.
    pub catalog: CatalogKey,
    /// The catalog's title.
    pub title: String,
    /// The target's deadline.
    pub due: NaiveDate,
    /// Active requirements of the target version that apply (those declared not
    /// applicable are left out unless their review is overdue).
    pub requirements: usize,
    /// Active requirements declared not applicable (with a review not yet due).
    #[serde(skip_serializing_if = "is_zero")]
    pub not_applicable: usize,
    /// Each requirement declared not applicable, with the decision behind it.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub not_applicable_requirements: Vec<NotApplicableRequirement>,
    /// Fully covered by active controls with intact dependencies.
    pub covered: usize,
    /// Only partly covered.
    pub partial: usize,
    /// Claimed through a mapping that must be reviewed first.
    pub needs_review: usize,
    /// Not covered at all.
    pub uncovered: usize,
    /// Per level (`shall`, `should`, `may`, `informative`).
    pub by_level: BTreeMap<Level, LevelCoverage>,
    /// `covered / requirements` in percent, rounded down to one decimal.
    pub coverage_percent: f64,
    /// Requirements met (fully or partly) only through crosswalks, with their paths.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub through_crosswalks: Vec<ThroughCrosswalk>,
    /// Each active requirement's state, for reports that break coverage down (by clause,
    /// new in the edition). Not part of the JSON contract: the counts above summarise it.
    #[serde(skip)]
    pub states: BTreeMap<RequirementId, CoverageState>,
    /// The requirements new or changed in substance since the version the mappings were
    /// reviewed against (none when they name the target). Not serialised: gaps carry it.
    #[serde(skip)]
    pub new_in: BTreeMap<RequirementId, NewIn>,
}

/// A target requirement met through crosswalks: how, and by which paths.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct ThroughCrosswalk {
    /// The target requirement.
    pub requirement: RequirementKey,
    /// How the crosswalks meet it.
    #[serde(flatten)]
    pub through: crosswalk::Through,
}

/// How far an active requirement of a target is met.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum CoverageState {
    /// An active control with intact dependencies claims it fully.
    Covered,
    /// Only partial claims count.
    Partial,
    /// Only claims that must be reviewed first.
    NeedsReview,
    /// Nothing counts.
    Uncovered,
}

enum_names!(CoverageState {
    Covered => "covered",
    Partial => "partial",
    NeedsReview => "needs-review",
    Uncovered => "uncovered",
});

/// Every open gap of an inventory, with the coverage of each target: what the analysis
/// returns and every output format renders.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct GapReport {
    /// Name of the organisation, from reqgap.yaml.
    pub organisation: String,
    /// The day the analysis ran as of.
    pub today: NaiveDate,
    /// Coverage per target, in reqgap.yaml's order.
    pub targets: Vec<TargetSummary>,
    /// Number of gaps per kind (every kind listed, zero included).
    pub counts: BTreeMap<GapKind, usize>,
    /// Gaps whose due date has passed.
    pub overdue: usize,
    /// Sorted by owner, due date, then key.
    pub gaps: Vec<Gap>,
    /// Names of owners, for display.
    pub owners: BTreeMap<OwnerId, String>,
    /// Provenance warnings about reconstructed catalogs used in the analysis.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub warnings: Vec<String>,
}

impl GapReport {
    /// Keeps only gaps matching the filters (owner, kinds); counts follow the filtered set.
    pub fn filter(&mut self, owner: Option<&str>, kinds: &[GapKind]) {
        self.gaps.retain(|g| {
            owner.is_none_or(|o| g.owner.as_ref().is_some_and(|id| id.as_str() == o))
                && (kinds.is_empty() || kinds.contains(&g.kind))
        });
        self.recount();
    }

    /// The gaps grouped by owner (gaps without one first), each group in report order.
    pub fn by_owner(&self) -> BTreeMap<Option<&OwnerId>, Vec<&Gap>> {
        let mut groups: BTreeMap<Option<&OwnerId>, Vec<&Gap>> = BTreeMap::new();
        for gap in &self.gaps {
            groups.entry(gap.owner.as_ref()).or_default().push(gap);
        }
        groups
    }

    /// An owner's display name, or its ID when the owners file gives none.
    pub fn owner_name<'a>(&'a self, owner: &'a OwnerId) -> &'a str {
        self.owners
            .get(owner)
            .map_or(owner.as_str(), String::as_str)
    }

    /// Fills `counts` from `gaps`.
    pub fn recount(&mut self) {
        self.counts = GapKind::ALL.into_iter().map(|k| (k, 0)).collect();
        for gap in &self.gaps {
            *self.counts.entry(gap.kind).or_default() += 1;
        }
        self.overdue = self
            .gaps
            .iter()
            .filter(|g| g.status == GapStatus::Overdue)
            .count();
    }
}

fn is_zero(n: &usize) -> bool {
    *n == 0
}
