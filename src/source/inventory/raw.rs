//! The raw types of the inventory files: they mirror `reqgap.yaml`, the owners file and the
//! control files field for field, and are strict about unknown keys. Validation turns them
//! into the model.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use crate::model::{ControlStatus, Coverage};
use crate::source::applicability::NotApplicableEntry;
use crate::source::policy::PolicyEntry;
use crate::source::scalar::{Text, VersionText};

/// `reqgap.yaml`: what the organisation must meet and where its inventory lives.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct ConfigFile {
    /// Name of the organisation, shown in report headers.
    pub organisation: String,
    /// Extra catalog folders, relative to this file (bundled catalogs are always known).
    #[serde(default)]
    pub catalogs: Vec<String>,
    /// Extra folders of curated transition files, relative to this file.
    #[serde(default)]
    pub mappings: Vec<String>,
    /// Extra folders of crosswalk files (correspondences between standards), relative to
    /// this file, besides the bundled ones; like `--crosswalks DIR`. A target opts out of
    /// crosswalk coverage with its own `crosswalks: false`.
    #[serde(default)]
    pub crosswalks: Vec<String>,
    /// Control files, or folders of control files, relative to this file.
    pub controls: Vec<String>,
    /// The owners file, relative to this file.
    pub owners: String,
    /// The standard versions the organisation must meet.
    pub targets: Vec<TargetEntry>,
    /// What makes `reqgap check` fail; without it the strict defaults apply (see
    /// docs/ci.md).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub policy: Option<PolicyEntry>,
    /// The waivers file, relative to this file (see docs/ci.md).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub waivers: Option<String>,
    /// The remediation plan file, relative to this file: per gap a due date, a status and a
    /// ticket (see docs/formats.md).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub plan: Option<String>,
    /// How long an owner holds an overdue gap before it moves one level up the escalation
    /// chain (`30 days`), for owners without their own `escalate-after`. Without either, an
    /// overdue gap escalates to the whole chain at once.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub escalate_after: Option<String>,
}

/// One standard version to meet.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct TargetEntry {
    /// Standard slug, e.g. `etsi-en-319-401`.
    pub standard: String,
    /// The version the organisation must meet.
    pub version: VersionText,
    /// Deadline (YYYY-MM-DD); default: the catalog's `effective`, else `published`.
    #[serde(default)]
    pub due: Option<Text>,
    /// Owner of uncovered requirements when no section owner matches.
    #[serde(default)]
    pub default_owner: Option<String>,
    /// Owner of uncovered requirements by section prefix (`"7.9": incident-manager`); the
    /// longest matching prefix wins.
    #[serde(default)]
    pub section_owners: BTreeMap<String, String>,
    /// Requirements that do not apply, each with a justification, an approver and a review
    /// interval; they leave the coverage denominator (see docs/formats.md).
    #[serde(default)]
    pub not_applicable: Vec<NotApplicableEntry>,
    /// Whether coverage follows crosswalks to other standards (e.g. NIS2 met through ETSI
    /// EN 319 401 via Implementing Regulation (EU) 2024/2690); default true.
    #[serde(default)]
    pub crosswalks: Option<bool>,
    /// The edition the organisation last met or was audited against (`3.1.1`): "new in this
    /// edition" lists what was added or changed since it. Default: the oldest version the
    /// mappings were reviewed against (`migrate` records it here before raising them).
    #[serde(default)]
    pub since: Option<VersionText>,
}

/// The owners file.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct OwnersFile {
    pub owners: Vec<OwnerEntry>,
}

/// A person or role.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct OwnerEntry {
    /// Stable ID used by controls, targets and waivers.
    pub id: String,
    /// Display name.
    pub name: String,
    /// Contact address.
    #[serde(default)]
    pub email: Option<String>,
    /// Whom to escalate to when this owner's gaps are overdue.
    #[serde(default)]
    pub escalates_to: Option<String>,
    /// How long this owner holds an overdue gap before it moves to `escalates-to`
    /// (`N days|weeks|months|years`); default: `escalate-after` of reqgap.yaml.
    #[serde(default)]
    pub escalate_after: Option<String>,
}

/// A control file.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct ControlsFile {
    pub controls: Vec<ControlEntry>,
}

/// One control of the organisation.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct ControlEntry {
    /// Unique across all control files.
    pub id: String,
    pub title: String,
    /// Responsible owner (an ID from the owners file).
    #[serde(default)]
    pub owner: Option<String>,
    /// `active` (default), `planned` or `retired`.
    #[serde(default)]
    pub status: ControlStatus,
    /// Controls this one needs in order to work.
    #[serde(default)]
    pub depends_on: Vec<String>,
    /// Evidence that the control operates.
    #[serde(default)]
    pub evidence: Vec<EvidenceEntry>,
    /// Requirements the control satisfies, per standard version.
    #[serde(default)]
    pub satisfies: Vec<MappingEntry>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct EvidenceEntry {
    /// Unique within the control.
    pub id: String,
    pub description: String,
    /// Date of the last review (YYYY-MM-DD).
    pub reviewed: Text,
    /// Review interval: `N days`, `N weeks`, `N months` or `N years`.
    pub review_every: String,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct MappingEntry {
    /// Standard slug.
    pub standard: String,
    /// The catalog version this mapping was last checked against.
    pub reviewed_against: VersionText,
    /// `full` (default) or `partial`.
    #[serde(default)]
    pub coverage: Coverage,
    /// Requirement IDs of that version.
    pub requirements: Vec<Text>,
    /// Free text.
    #[serde(default)]
    pub note: Option<String>,
}
