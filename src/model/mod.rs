//! The data model: plain values, no I/O and no presentation.

pub mod catalog;
pub mod catalog_set;
pub mod crosswalk;
pub mod gap;
pub mod ids;
pub mod plan;
pub mod policy;
pub mod transition;

pub use catalog::{
    Catalog, Confidence, Level, Link, LinkRel, Marker, Origin, Provenance, Requirement, Section,
    Status,
};
pub use catalog::{Milestone, Revision, Schedule};
pub use gap::{GapKey, GapKeyError, GapKind, GapPattern, GapSubject, PatternError, Severity};
pub use ids::{
    CatalogKey, ControlId, EvidenceId, KeyParseError, OwnerId, RequirementId, RequirementKey,
    SectionId, StandardSlug, Version,
};
pub mod inventory;
pub mod oscal;

pub use catalog_set::{provenance_warning, CatalogSet};
pub use crosswalk::{Crosswalk, CrosswalkEntry, CrosswalkLink, CrosswalkSet};
pub use inventory::{
    Control, ControlStatus, Coverage, Evidence, Inventory, MappedRequirement, Mapping,
    NotApplicable, Owner, Period, Place, Target,
};
pub use plan::{GapPlan, PlanEntry, PlanStatus};
pub use policy::{Baseline, FailOn, Policy, PolicySource, Waiver};
pub use transition::{
    Caution, Correspondence, MappingConfidence, MappingProvenance, Rationale, Relation, Score,
    Transition, TransitionSet, UnconfirmedEntry,
};
