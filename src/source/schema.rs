//! JSON Schemas of the input files, generated from the raw serde types so that they cannot
//! drift from what the loader accepts. Editors use them to check YAML as people type.

use super::catalog::CatalogFile;
use super::inventory::{ConfigFile, ControlsFile, OwnersFile};
use super::transition::TransitionFile;
use super::waivers::WaiversFile;

/// The input files that have a schema.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum SchemaFile {
    /// A catalog: one version of a standard (`standards/<standard>/<version>.yaml`).
    Catalog,
    /// An inventory's `reqgap.yaml`.
    Config,
    /// A control file.
    Controls,
    /// The owners file.
    Owners,
    /// The waivers file named by `waivers:` in reqgap.yaml.
    Waivers,
    /// A curated transition file (`mappings/<standard>/<from>--<to>.yaml`).
    Transition,
    /// A crosswalk between two standards (`mappings/crosswalks/*.yaml`).
    Crosswalk,
    /// The remediation plan named by `plan:` in reqgap.yaml.
    Plan,
}

impl SchemaFile {
    pub const ALL: [SchemaFile; 8] = [
        SchemaFile::Catalog,
        SchemaFile::Config,
        SchemaFile::Controls,
        SchemaFile::Owners,
        SchemaFile::Waivers,
        SchemaFile::Transition,
        SchemaFile::Crosswalk,
        SchemaFile::Plan,
    ];

    pub fn name(self) -> &'static str {
        match self {
            SchemaFile::Catalog => "catalog",
            SchemaFile::Config => "config",
            SchemaFile::Controls => "controls",
            SchemaFile::Owners => "owners",
            SchemaFile::Waivers => "waivers",
            SchemaFile::Transition => "transition",
            SchemaFile::Crosswalk => "crosswalk",
            SchemaFile::Plan => "plan",
        }
    }

    /// What the file is, in one line (the CLI's help for each value).
    pub fn description(self) -> &'static str {
        match self {
            SchemaFile::Catalog => {
                "A catalog: one version of a standard (standards/<standard>/<version>.yaml)"
            }
            SchemaFile::Config => "An inventory's reqgap.yaml",
            SchemaFile::Controls => "A control file",
            SchemaFile::Owners => "The owners file",
            SchemaFile::Waivers => "The waivers file named by `waivers:` in reqgap.yaml",
            SchemaFile::Transition => {
                "A curated transition file (mappings/<standard>/<from>--<to>.yaml)"
            }
            SchemaFile::Crosswalk => {
                "A crosswalk between two standards (mappings/crosswalks/*.yaml)"
            }
            SchemaFile::Plan => "The remediation plan named by `plan:` in reqgap.yaml",
        }
    }

    /// The schema as pretty JSON with a final newline (the form committed under `schemas/`).
    pub fn render(self) -> String {
        let schema = match self {
            SchemaFile::Catalog => schemars::schema_for!(CatalogFile),
            SchemaFile::Config => schemars::schema_for!(ConfigFile),
            SchemaFile::Controls => schemars::schema_for!(ControlsFile),
            SchemaFile::Owners => schemars::schema_for!(OwnersFile),
            SchemaFile::Waivers => schemars::schema_for!(WaiversFile),
            SchemaFile::Plan => schemars::schema_for!(super::plan::PlanFile),
            SchemaFile::Transition => schemars::schema_for!(TransitionFile),
            SchemaFile::Crosswalk => schemars::schema_for!(super::crosswalk::CrosswalkFile),
        };
        let mut text = serde_json::to_string_pretty(&schema).unwrap_or_default();
        text.push('\n');
        text
    }
}
