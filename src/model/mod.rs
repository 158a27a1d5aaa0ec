//! The data model: plain values, no I/O and no presentation.

pub mod catalog;
pub mod ids;

pub use catalog::{
    Catalog, Confidence, Level, Link, LinkRel, Marker, Origin, Provenance, Requirement, Section,
    Status,
};
pub use ids::{
    CatalogKey, ControlId, EvidenceId, KeyParseError, OwnerId, RequirementId, RequirementKey,
    SectionId, StandardSlug, Version,
};
pub mod inventory;

pub use inventory::{
    Control, ControlStatus, Coverage, Evidence, Inventory, MappedRequirement, Mapping, Owner,
    Period, Place, Target,
};
