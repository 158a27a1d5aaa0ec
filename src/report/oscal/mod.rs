//! OSCAL output: the shared document parts and the crosswalk `mapping-collection` live in
//! the model (the importer reads them too); the plan of action and milestones is built
//! here from the gap report.

pub mod poam;

pub(crate) use crate::model::oscal::uuid_for;
pub use crate::model::oscal::{mapping, Metadata, Party, Property};
pub use crate::model::oscal::{OSCAL_VERSION, REQGAP_NS};
