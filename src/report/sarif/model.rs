//! The part of SARIF 2.1.0 that reqgap writes, as typed structs (the shape of
//! cargo-deny's `sarif/model.rs`). Fields are declared in alphabetical order so that the
//! output keeps the key order of the JSON it replaced, byte for byte.

use std::collections::BTreeMap;

use chrono::NaiveDate;
use serde::Serialize;

use crate::check::Outcome;
use crate::gaps::{GapStatus, Severity};
use crate::model::{GapPlan, OwnerId};

/// A whole SARIF log: one run.
#[derive(Debug, Serialize)]
pub(crate) struct Log {
    #[serde(rename = "$schema")]
    pub schema: &'static str,
    pub runs: [Run; 1],
    pub version: &'static str,
}

#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub(crate) struct Run {
    pub column_kind: &'static str,
    pub original_uri_base_ids: BTreeMap<&'static str, UriBase>,
    pub properties: RunProperties,
    pub results: Vec<SarifResult>,
    pub tool: Tool,
}

#[derive(Debug, Serialize)]
pub(crate) struct UriBase {
    pub description: Message,
}

/// The verdict and one-line summary of the run, as `reqgap check` prints them.
#[derive(Debug, Serialize)]
pub(crate) struct RunProperties {
    pub summary: String,
    /// `pass`, `fail`, or `error` when input errors stopped the run.
    pub verdict: &'static str,
}

#[derive(Debug, Serialize)]
pub(crate) struct Tool {
    pub driver: Driver,
}

#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub(crate) struct Driver {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub information_uri: Option<&'static str>,
    pub name: &'static str,
    pub rules: Vec<Rule>,
    pub semantic_version: &'static str,
    pub version: &'static str,
}

#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub(crate) struct Rule {
    pub default_configuration: Configuration,
    pub full_description: Message,
    pub id: &'static str,
    pub name: &'static str,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub properties: Option<RuleProperties>,
    pub short_description: Message,
}

#[derive(Debug, Serialize)]
pub(crate) struct Configuration {
    pub level: Level,
}

#[derive(Debug, Serialize)]
pub(crate) struct RuleProperties {
    pub severity: Severity,
}

#[derive(Clone, Debug, Serialize)]
pub(crate) struct Message {
    pub text: String,
}

impl Message {
    pub fn new(text: impl Into<String>) -> Self {
        Self { text: text.into() }
    }
}

/// SARIF's `level`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub(crate) enum Level {
    Error,
    Warning,
    Note,
}

#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub(crate) struct SarifResult {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub baseline_state: Option<BaselineState>,
    pub level: Level,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub locations: Vec<Location>,
    pub message: Message,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub partial_fingerprints: Option<Fingerprints>,
    pub properties: ResultProperties,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub related_locations: Vec<Location>,
    pub rule_id: &'static str,
    pub rule_index: usize,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub suppressions: Vec<Suppression>,
}

#[derive(Clone, Copy, Debug, Serialize)]
#[serde(rename_all = "lowercase")]
pub(crate) enum BaselineState {
    New,
    Unchanged,
}

/// The gap key: stable across runs, so code scanning keeps one alert per gap.
#[derive(Debug, Serialize)]
pub(crate) struct Fingerprints {
    #[serde(rename = "reqgapGapKey/v1")]
    pub gap_key: String,
}

/// What each kind of result carries beside SARIF's own fields.
#[derive(Debug, Serialize)]
#[serde(untagged)]
pub(crate) enum ResultProperties {
    Gap {
        due: NaiveDate,
        outcome: Outcome,
        owner: Option<OwnerId>,
        /// The remediation plan entry that names the gap.
        #[serde(skip_serializing_if = "Option::is_none")]
        plan: Option<GapPlan>,
        severity: Severity,
        status: GapStatus,
    },
    NotApplicable {
        outcome: &'static str,
        owner: OwnerId,
    },
    InputError {
        code: &'static str,
    },
}

#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub(crate) struct Location {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub id: Option<usize>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub message: Option<Message>,
    pub physical_location: PhysicalLocation,
}

#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub(crate) struct PhysicalLocation {
    pub artifact_location: ArtifactLocation,
    pub region: Region,
}

#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub(crate) struct ArtifactLocation {
    pub uri: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub uri_base_id: Option<&'static str>,
}

#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub(crate) struct Region {
    pub start_column: usize,
    pub start_line: usize,
}

#[derive(Debug, Serialize)]
pub(crate) struct Suppression {
    pub justification: String,
    pub kind: &'static str,
    pub status: &'static str,
}
