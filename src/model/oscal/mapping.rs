//! A crosswalk as an OSCAL 1.2 `mapping-collection`: one `mapping` from the `from` catalog
//! to the `to` catalog, one `map` per entry with its relationship, sources and targets.
//! What OSCAL has a field for goes there (relationship, matching rationale, confidence,
//! remarks); the rest (catalog keys, the entry's citation, strength, `complete`,
//! `inferred`) goes in properties of reqgap's namespace, so the file reads back exactly
//! ([`crate::import::oscal_mapping`]).

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use super::{uuid_for, Metadata, Property};
use crate::model::{Crosswalk, CrosswalkEntry, MappingConfidence, Rationale, Relation};

/// The document: `{"mapping-collection": ...}`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub struct MappingDocument {
    /// The collection.
    pub mapping_collection: MappingCollection,
}

/// OSCAL `mapping-collection`: the mappings of one crosswalk with how they were made.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub struct MappingCollection {
    /// Name-based UUIDv5 of the crosswalk.
    pub uuid: String,
    /// Title, date and versions of the document.
    pub metadata: Metadata,
    /// How the mappings were made.
    pub provenance: Provenance,
    /// One mapping: the `from` catalog to the `to` catalog.
    pub mappings: Vec<Mapping>,
}

/// How the mappings were made (OSCAL `mapping-provenance`).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub struct Provenance {
    /// `human`, `automation` or `hybrid`.
    pub method: String,
    /// Why the sources match the targets, in words.
    pub matching_rationale: String,
    /// `complete`, `not-complete`, `draft`, `deprecated` or `superseded`.
    pub status: String,
    /// What the mapping collection is, in words.
    pub mapping_description: String,
    /// Properties in reqgap's namespace.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub props: Vec<Property>,
}

/// OSCAL `mapping`: the entries from one catalog to another.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub struct Mapping {
    /// Name-based UUIDv5 of the mapping.
    pub uuid: String,
    /// The `from` catalog.
    pub source_resource: ResourceReference,
    /// The `to` catalog.
    pub target_resource: ResourceReference,
    /// One map per crosswalk entry.
    pub maps: Vec<Map>,
    /// Properties in reqgap's namespace (catalog keys, `complete`).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub props: Vec<Property>,
    /// The crosswalk's `source`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub remarks: Option<String>,
    /// Requirements of the source that map to nothing in the target (a transition's
    /// withdrawn requirements).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub source_gap_summary: Option<GapSummary>,
    /// Requirements of the target that nothing maps to (a transition's new requirements).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub target_gap_summary: Option<GapSummary>,
}

/// OSCAL `gap-summary`: controls not mapped at all.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub struct GapSummary {
    /// The summary's UUID (derived from its content, so exports are reproducible).
    pub uuid: String,
    /// The controls of the side that no map names.
    pub unmapped_controls: Vec<SelectControl>,
}

/// OSCAL `select-control-by-id`, by literal IDs only.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub struct SelectControl {
    /// The control IDs selected.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub with_ids: Vec<String>,
}

/// The catalog on one side of a mapping.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub struct ResourceReference {
    /// OSCAL's resource type (`catalog`).
    #[serde(rename = "type")]
    pub kind: String,
    /// Where the catalog is.
    pub href: String,
    /// Properties in reqgap's namespace (the catalog key).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub props: Vec<Property>,
}

/// One entry: sources relate to targets as `relationship` says.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub struct Map {
    /// Name-based UUIDv5 of the entry.
    pub uuid: String,
    /// The entry's rationale, when it gives one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub matching_rationale: Option<String>,
    /// `equal-to`, `subset-of`, ... (a token: the metaschema's `type` key applies only in
    /// XML and to fields with flags).
    pub relationship: String,
    /// The requirements of the `from` catalog.
    pub sources: Vec<MappingItem>,
    /// The requirements of the `to` catalog.
    pub targets: Vec<MappingItem>,
    /// How sure the entry's author is.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub confidence_score: Option<ConfidenceScore>,
    /// Properties in reqgap's namespace (citation, strength, `complete`, `inferred`).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub props: Vec<Property>,
    /// The entry's note.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub remarks: Option<String>,
}

/// One requirement on a side of a map.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub struct MappingItem {
    /// OSCAL's item type (`control`).
    #[serde(rename = "type")]
    pub kind: String,
    /// The requirement's ID.
    pub id_ref: String,
}

/// OSCAL `confidence-score`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub struct ConfidenceScore {
    /// `high`, `medium` or `low`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub category: Option<String>,
    /// A share from 0 to 1, when given as a number.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub percentage: Option<f64>,
}

/// OSCAL's name for a relation (`equal` is OSCAL's `equal-to`).
pub fn relationship_name(relation: Relation) -> &'static str {
    match relation {
        Relation::Equal => "equal-to",
        other => other.as_str(),
    }
}

/// The relation an OSCAL relationship names. `equivalent-to` (same meaning, other words) is
/// reqgap's `equal` with a semantic rationale; the caller records the rationale.
pub fn relation_named(name: &str) -> Option<Relation> {
    Some(match name {
        "equal-to" | "equivalent-to" => Relation::Equal,
        "subset-of" => Relation::SubsetOf,
        "superset-of" => Relation::SupersetOf,
        "intersects-with" => Relation::IntersectsWith,
        "no-relationship" => Relation::NoRelationship,
        _ => return None,
    })
}

/// The crosswalk as a mapping-collection dated `day`.
pub fn mapping_collection(crosswalk: &Crosswalk, day: NaiveDate) -> MappingDocument {
    let content = content_key(crosswalk);
    let collection_uuid = uuid_for(&format!("mapping-collection\n{content}"));
    let mapping_uuid = uuid_for(&format!("mapping\n{content}"));
    let maps = crosswalk
        .entries
        .iter()
        .enumerate()
        .map(|(i, entry)| map(entry, crosswalk.complete, &format!("{mapping_uuid}/{i}")))
        .collect();
    let title = format!("Crosswalk {} → {}", crosswalk.from, crosswalk.to);
    let version = collection_uuid[..8].to_owned();
    let mut metadata = Metadata::new(title, day, version);
    metadata.remarks = Some(format!("Exported by reqgap from {}.", crosswalk.origin));
    MappingDocument {
        mapping_collection: MappingCollection {
            uuid: collection_uuid,
            metadata,
            provenance: provenance(crosswalk),
            mappings: vec![Mapping {
                uuid: mapping_uuid,
                source_resource: resource(&crosswalk.from.to_string()),
                target_resource: resource(&crosswalk.to.to_string()),
                maps,
                props: Vec::new(),
                remarks: None,
                source_gap_summary: None,
                target_gap_summary: None,
            }],
        },
    }
}

/// Everything the export says, as one string: the name its uuids are made from.
fn content_key(crosswalk: &Crosswalk) -> String {
    let mut key = format!(
        "{}\n{}\n{}\n{}\n",
        crosswalk.from, crosswalk.to, crosswalk.source, crosswalk.complete
    );
    for e in &crosswalk.entries {
        key.push_str(&format!(
            "{:?}|{:?}|{}|{}|{:?}|{}|{:?}\n",
            e.from, e.to, e.relation, e.source, e.note, e.complete, e.provenance
        ));
    }
    key
}

/// The crosswalk's provenance: curated by people; the rationale its entries share
/// (semantic, a person related meanings, when they state none or differ).
fn provenance(crosswalk: &Crosswalk) -> Provenance {
    let mut rationales = crosswalk
        .entries
        .iter()
        .filter_map(|e| e.provenance.rationale);
    let shared = match rationales.next() {
        Some(first) if rationales.all(|r| r == first) => first,
        _ => Rationale::Semantic,
    };
    Provenance {
        method: "human".to_owned(),
        matching_rationale: shared.to_string(),
        status: if crosswalk.complete {
            "complete"
        } else {
            "not-complete"
        }
        .to_owned(),
        mapping_description: crosswalk.source.clone(),
        props: vec![Property::reqgap("complete", crosswalk.complete.to_string())],
    }
}

pub(super) fn resource(catalog: &str) -> ResourceReference {
    let (standard, version) = catalog.split_once('@').unwrap_or((catalog, ""));
    ResourceReference {
        kind: "catalog".to_owned(),
        href: format!("standards/{standard}/{version}.yaml"),
        props: vec![Property::reqgap("catalog", catalog)],
    }
}

fn map(entry: &CrosswalkEntry, complete: bool, name: &str) -> Map {
    let provenance = &entry.provenance;
    let mut props = vec![Property::reqgap("source", entry.source.clone())];
    if entry.complete != complete {
        props.push(Property::reqgap("complete", entry.complete.to_string()));
    }
    if let Some(strength) = provenance.strength {
        props.push(Property::reqgap("strength", strength.to_string()));
    }
    if provenance.inferred {
        props.push(Property::reqgap("inferred", "true"));
    }
    Map {
        uuid: uuid_for(name),
        matching_rationale: provenance.rationale.map(|r| r.to_string()),
        relationship: relationship_name(entry.relation).to_owned(),
        sources: items(&entry.from),
        targets: items(&entry.to),
        confidence_score: provenance.confidence.map(|c| ConfidenceScore {
            category: Some(c.to_string()),
            percentage: None,
        }),
        props,
        remarks: entry.note.clone(),
    }
}

/// The requirements as OSCAL mapping items (controls).
pub(super) fn items(ids: &[crate::model::RequirementId]) -> Vec<MappingItem> {
    ids.iter()
        .map(|id| MappingItem {
            kind: "control".to_owned(),
            id_ref: id.to_string(),
        })
        .collect()
}

/// The confidence an OSCAL category names (`unspecified` and unknown ones name none).
pub fn confidence_named(category: &str) -> Option<MappingConfidence> {
    Some(match category {
        "high" => MappingConfidence::High,
        "medium" => MappingConfidence::Medium,
        "low" => MappingConfidence::Low,
        _ => return None,
    })
}

/// The rationale an OSCAL `matching-rationale` names.
pub fn rationale_named(name: &str) -> Option<Rationale> {
    Some(match name {
        "syntactic" => Rationale::Syntactic,
        "semantic" => Rationale::Semantic,
        "functional" => Rationale::Functional,
        _ => return None,
    })
}
