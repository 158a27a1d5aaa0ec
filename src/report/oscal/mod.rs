//! OSCAL output: the shared document parts and the crosswalk `mapping-collection` live in
//! the model (the importer reads them too); the plan of action and milestones is built
//! here from the gap report, and a diff's transition from the diff.

pub mod poam;
pub mod transition;

/// `--format oscal` of `diff`: rendered by the command from the diff and the transitions
/// ([`transition::diff_mapping`]), so this reporter serves none of the shared reports.
pub(crate) struct MappingReporter;

impl crate::report::Reporter for MappingReporter {
    fn name(&self) -> &'static str {
        "oscal"
    }
}

pub(crate) use crate::model::oscal::uuid_for;
pub use crate::model::oscal::{mapping, Metadata, Party, Property};
pub use crate::model::oscal::{OSCAL_VERSION, REQGAP_NS};
