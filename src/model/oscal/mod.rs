//! OSCAL 1.2 documents reqgap reads and writes: crosswalks and version transitions as a
//! `mapping-collection` ([`mapping`], [`transition`]); open gaps as a plan of action and milestones are rendered by the report
//! layer (`report::oscal::poam`) from these shared parts. Both are
//! deterministic: every `uuid` is a name-based UUIDv5 of the content it stands for, and the
//! only date is the analysis date passed in.

pub mod mapping;
pub mod transition;

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use uuid::Uuid;

/// The OSCAL version the documents follow.
pub const OSCAL_VERSION: &str = "1.2.3";

/// Namespace of the properties that carry what OSCAL has no field for (a reqgap catalog
/// key, an entry's citation), so that reqgap's own files travel without loss.
pub const REQGAP_NS: &str = "urn:reqgap:oscal";

/// The UUIDv5 of `name` under reqgap's namespace: the same content always gets the same
/// uuid, so an export is byte-identical across runs and machines.
pub(crate) fn uuid_for(name: &str) -> String {
    let namespace = Uuid::new_v5(&Uuid::NAMESPACE_URL, REQGAP_NS.as_bytes());
    Uuid::new_v5(&namespace, name.as_bytes()).to_string()
}

/// OSCAL `metadata` with the fields every document needs.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub struct Metadata {
    /// The document's title.
    pub title: String,
    /// The analysis date, midnight UTC.
    pub last_modified: String,
    /// The document's own version.
    pub version: String,
    /// The OSCAL version followed.
    pub oscal_version: String,
    /// Properties in reqgap's namespace.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub props: Vec<Property>,
    /// Parties named by the document.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub parties: Vec<Party>,
    /// Remarks on the document.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub remarks: Option<String>,
}

impl Metadata {
    /// Metadata dated `day` (midnight UTC: the analysis date, never the clock).
    pub(crate) fn new(title: String, day: NaiveDate, version: String) -> Metadata {
        Metadata {
            title,
            last_modified: format!("{day}T00:00:00Z"),
            version,
            oscal_version: OSCAL_VERSION.to_owned(),
            props: Vec::new(),
            parties: Vec::new(),
            remarks: None,
        }
    }
}

/// An OSCAL `party` (an owner responsible for gaps).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub struct Party {
    /// Name-based UUIDv5 of the party.
    pub uuid: String,
    /// `person` or `organization`.
    #[serde(rename = "type")]
    pub kind: String,
    /// Display name.
    pub name: String,
    /// Properties in reqgap's namespace (the owner ID).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub props: Vec<Property>,
}

/// An OSCAL `property`: a name, a value, and the namespace that defines the name.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub struct Property {
    /// The property's name.
    pub name: String,
    /// Its value.
    pub value: String,
    /// The namespace that defines the name (none: OSCAL's own).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ns: Option<String>,
    /// Relates the properties that describe one thing (one withdrawn or new entry of a
    /// transition, `entry-3`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub group: Option<String>,
    /// Free text about the property.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub remarks: Option<String>,
}

impl Property {
    /// A property in reqgap's namespace.
    pub(crate) fn reqgap(name: &str, value: impl Into<String>) -> Property {
        Property {
            name: name.to_owned(),
            value: value.into(),
            ns: Some(REQGAP_NS.to_owned()),
            group: None,
            remarks: None,
        }
    }

    /// A property of reqgap's namespace in `group`.
    pub(crate) fn grouped(group: &str, name: &str, value: impl Into<String>) -> Property {
        Property {
            group: Some(group.to_owned()),
            ..Property::reqgap(name, value)
        }
    }

    /// The value of reqgap's property `name` among `props`.
    pub(crate) fn find<'a>(props: &'a [Property], name: &str) -> Option<&'a str> {
        props
            .iter()
            .find(|p| p.name == name && p.ns.as_deref() == Some(REQGAP_NS))
            .map(|p| p.value.as_str())
    }
}
