//! Why a gap exists, as data. Every gap carries one [`Cause`]; the English sentence shown to
//! people is written from it in [`super::wording`], and JSON consumers read it directly
//! (`cause` in `docs/gaps.md`).

use chrono::NaiveDate;
use serde::Serialize;

use crate::diff::{Details, Reason};
use crate::model::{
    CatalogKey, ControlId, ControlStatus, EvidenceId, Period, RequirementKey, SectionId,
    UnconfirmedEntry,
};

/// The structured reason for one gap. Serialised with a `type` field naming the variant;
/// the other fields depend on it.
#[derive(Clone, Debug, PartialEq, Serialize)]
#[serde(tag = "type", rename_all = "kebab-case")]
pub enum Cause {
    /// `uncovered`: no active control with intact dependencies covers the requirement.
    #[serde(rename_all = "kebab-case")]
    NoActiveControl {
        /// Planned controls that will cover it.
        #[serde(skip_serializing_if = "Vec::is_empty")]
        planned: Vec<ControlId>,
        /// Active controls whose coverage does not count because a dependency is broken.
        #[serde(skip_serializing_if = "Vec::is_empty")]
        broken: Vec<ControlId>,
        /// Retired controls that used to cover it.
        #[serde(skip_serializing_if = "Vec::is_empty")]
        retired: Vec<ControlId>,
        /// Where its crosswalk paths lead in catalogs that controls map to, none of them met
        /// yet: meeting them would meet it through the crosswalks.
        #[serde(skip_serializing_if = "Vec::is_empty")]
        through_crosswalks: Vec<RequirementKey>,
    },
    /// `partial`: only partial coverage.
    #[serde(rename_all = "kebab-case")]
    PartialCoverage {
        /// The controls that claim it in part.
        controls: Vec<ControlId>,
    },
    /// `partial`: met in part through crosswalks to other standards; `missing` are the
    /// requirements on the paths that nothing meets yet.
    #[serde(rename_all = "kebab-case")]
    PartialThroughCrosswalk {
        /// The requirements on the paths that nothing meets yet.
        missing: Vec<RequirementKey>,
        /// The crosswalk paths that meet it in part.
        paths: Vec<super::crosswalk::Path>,
        /// Every part the crosswalk lists is met, but it does not say those parts make the
        /// requirement whole (`complete`), so the rest is unknown.
        #[serde(skip_serializing_if = "std::ops::Not::not")]
        every_listed_part_met: bool,
    },
    /// `needs-review`: met requirements lead here only through paths whose relations do not
    /// fix whether they overlap it (`subset-of` then `superset-of`, ...); a person must judge
    /// whether the controls meet it.
    #[serde(rename_all = "kebab-case")]
    UndeterminedThroughCrosswalk {
        /// The paths a person must judge.
        paths: Vec<super::crosswalk::Path>,
    },
    /// `unowned` (requirement): uncovered, and neither a section owner nor a default owner.
    #[serde(rename_all = "kebab-case")]
    NoSectionOwner {
        /// The section of the uncovered requirement.
        section: SectionId,
    },
    /// `unowned` (control): the control names no owner.
    NoControlOwner,
    /// `stale-reference`: the mapping names the requirement's old ID.
    #[serde(rename_all = "kebab-case")]
    Renumbered {
        /// The ID the mapping names.
        from: RequirementKey,
        /// The requirement's ID in the target version.
        to: RequirementKey,
    },
    /// `needs-review`: the requirement changed since the version the mapping was reviewed
    /// against, or the correspondence needs a person's confirmation.
    #[serde(rename_all = "kebab-case")]
    ChangedSince {
        /// The requirement the mapping names (its version is the one reviewed against).
        from: RequirementKey,
        /// What needs review: a change of the requirement, or an uncertain pair.
        change: ReviewReason,
        /// Text similarity of the pair, 0 to 1.
        score: f64,
        /// True when a transition file or the publisher established the pair.
        curated: bool,
        /// What changed in substance, from the diff (`level`, `number`, `keyword`, …).
        #[serde(skip_serializing_if = "Vec::is_empty")]
        reasons: Vec<Reason>,
        /// Exactly what changed: `level` (`from`, `to`), and `markers`, `keywords`,
        /// `numbers`, `list-items` each as `added` / `removed` (see docs/diff.md).
        #[serde(skip_serializing_if = "Details::is_empty")]
        details: Details,
        /// Transition entries on the way that their source does not state for sure, each
        /// with `why` (`inferred`, `low-confidence`, `medium-confidence`, `wording-only`),
        /// its `file` and its provenance `marks`.
        #[serde(skip_serializing_if = "Vec::is_empty")]
        unconfirmed_entries: Vec<UnconfirmedEntry>,
    },
    /// `needs-review`: `migrate` carried the mapping across a reconstructed catalog (whose
    /// IDs are partly inferred), so the pairing it relied on is assumed: the coverage does
    /// not count until a person confirms it with `review`.
    #[serde(rename_all = "kebab-case")]
    AssumedCarry {
        /// The requirement the mapping names (its version is the one it is reviewed
        /// against).
        mapped: RequirementKey,
        /// The version the mapping was carried from, as its note names it.
        #[serde(skip_serializing_if = "Option::is_none")]
        from: Option<CatalogKey>,
    },
    /// `broken-dependency`: the chain from the claiming control's direct dependency to the
    /// retired or planned control it reaches.
    #[serde(rename_all = "kebab-case")]
    DependencyChain {
        /// The control whose claim the chain breaks.
        control: ControlId,
        /// The controls from its direct dependency to the one that breaks the chain.
        chain: Vec<ChainLink>,
    },
    /// `stale-evidence`: the evidence's review is overdue.
    #[serde(rename_all = "kebab-case")]
    EvidenceDue {
        /// The evidence item, within the gap's control.
        evidence: EvidenceId,
        /// When it was last reviewed.
        reviewed: NaiveDate,
        /// How often it must be reviewed.
        every: Period,
        /// When the next review was due.
        due: NaiveDate,
    },
    /// `needs-review`: a requirement declared not applicable is past its review date.
    #[serde(rename_all = "kebab-case")]
    NotApplicableReviewDue {
        /// The `requirement` of the not-applicable entry (an ID or a trailing-`*` pattern).
        declared: String,
        /// Who approved the decision.
        approved_by: crate::model::OwnerId,
        /// When the decision was last reviewed.
        reviewed: NaiveDate,
        /// How often it must be reviewed.
        every: Period,
        /// When the next review was due.
        due: NaiveDate,
    },
    /// `no-evidence`: an active control lists no evidence.
    NoEvidence,
    /// `newer-version`: a later version of a target's standard is known.
    #[serde(rename_all = "kebab-case")]
    NewerVersion {
        /// The later version.
        newer: CatalogKey,
        /// Requirements the later version adds.
        added: usize,
        /// Requirements whose text or level it changes.
        changed: usize,
    },
    /// `obsolete-mapping`: the mapped requirement has no successor in the target version.
    #[serde(rename_all = "kebab-case")]
    NoSuccessor {
        /// The requirement the mapping names.
        requirement: RequirementKey,
        /// The target version that has no successor of it.
        target: CatalogKey,
    },
    /// `obsolete-mapping`: the mapped requirement is withdrawn in the target version itself.
    #[serde(rename_all = "kebab-case")]
    Withdrawn {
        /// The mapped requirement, withdrawn in the target.
        requirement: RequirementKey,
    },
}

/// Why a carried mapping needs review.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum ReviewReason {
    /// Same requirement, text changed in substance.
    Substantive,
    /// Renumbered, and its text changed in substance.
    RenumberedSubstantive,
    /// The old requirement was split; this is one of its parts.
    SplitPart,
    /// The old requirement was merged with others into this one.
    MergedInto,
    /// The mapped requirement is withdrawn, and the catalog's own link says its content was
    /// incorporated into this one.
    IncorporatedInto,
    /// Kept its ID, but the texts differ so widely that a person must confirm it.
    UnconfirmedSameId,
    /// Matched by text similarity only, below the confidence threshold.
    Unconfirmed,
    /// Carried through a transition entry its source does not state for sure (inferred,
    /// of low or medium confidence).
    UnconfirmedEntry,
}

/// One control in a dependency chain, with its status when that breaks the chain.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub struct ChainLink {
    /// The control.
    pub control: ControlId,
    /// `retired` or `planned` for the control that breaks the chain; none for the links
    /// before it.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub status: Option<ControlStatus>,
}
