//! A version transition as an OSCAL 1.2 `mapping-collection`: one `mapping` from the older
//! version to the newer, one `map` per curated entry that joins requirements, and one per
//! pair the diff detected. OSCAL's `map` needs a source and a target, so entries that
//! withdraw requirements or declare them new go in the mapping's gap summaries (the
//! controls of either side that map to nothing), with the entry itself in properties of
//! reqgap's namespace grouped as `entry-N`. What OSCAL has no field for (the entry's place
//! in its file, the kind of change, a relation the file leaves unstated, strength, the
//! detected score) goes in reqgap's properties too, so that the file reads back exactly
//! ([`crate::import::oscal_mapping`]). The properties are listed in docs/formats.md.

use chrono::NaiveDate;

use super::mapping::{
    items, relationship_name, resource, ConfidenceScore, GapSummary, Map, Mapping,
    MappingCollection, MappingDocument, Provenance, SelectControl,
};
use super::{uuid_for, Metadata, Property};
use crate::model::{Correspondence, MappingProvenance, Rationale, RequirementId, Transition};

/// A pair the diff's matcher found by text similarity, as the export carries it.
#[derive(Clone, Debug, PartialEq)]
pub struct DetectedPair {
    /// The requirement in the older version.
    pub old: RequirementId,
    /// The requirement in the newer version.
    pub new: RequirementId,
    /// The diff's class of the change the pair belongs to (`renumbered`, `split`,
    /// `merged`, `changed`).
    pub change: String,
    /// The pair's similarity score, 0 to 1.
    pub score: f64,
    /// True when the two texts are the same after normalisation.
    pub identical: bool,
    /// True when the diff asks a person to confirm the pair.
    pub needs_confirmation: bool,
}

/// What the diff's matcher found beyond the curated entries: pairs by text similarity, and
/// the requirements it matched to nothing (OSCAL's unmapped controls, never read back as
/// withdrawn or new: nobody stated that).
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Detection {
    /// Pairs found by text similarity, in the diff's order.
    pub pairs: Vec<DetectedPair>,
    /// Requirements of the older version with no successor found.
    pub unmatched_old: Vec<RequirementId>,
    /// Requirements of the newer version with no predecessor found.
    pub unmatched_new: Vec<RequirementId>,
}

/// Name of the property group of the withdrawn or new entry at `position` (1-based).
pub fn entry_group(position: usize) -> String {
    format!("entry-{position}")
}

/// The transition's curated entries, then the detected pairs, as a mapping-collection
/// dated `day`; `None` when no entry or pair joins requirements, as OSCAL's mapping needs
/// at least one map.
pub fn transition_collection(
    transition: &Transition,
    detection: &Detection,
    day: NaiveDate,
) -> Option<MappingDocument> {
    let detected = &detection.pairs;
    let content = content_key(transition, detection);
    let collection_uuid = uuid_for(&format!("transition-collection\n{content}"));
    let mapping_uuid = uuid_for(&format!("transition-mapping\n{content}"));
    let mut maps = Vec::new();
    let mut props = vec![Property::reqgap("kind", "transition")];
    let (mut removed, mut added) = (Vec::new(), Vec::new());
    for (i, entry) in transition.correspondences.iter().enumerate() {
        let position = i + 1;
        match (entry.from.is_empty(), entry.to.is_empty()) {
            (false, false) => maps.push(curated_map(
                entry,
                position,
                &format!("{mapping_uuid}/{position}"),
            )),
            (false, true) => {
                props.extend(unmapped_entry(entry, &entry.from, "removed", position));
                removed.extend(entry.from.iter().cloned());
            }
            _ => {
                props.extend(unmapped_entry(entry, &entry.to, "added", position));
                added.extend(entry.to.iter().cloned());
            }
        }
    }
    removed.extend(detection.unmatched_old.iter().cloned());
    added.extend(detection.unmatched_new.iter().cloned());
    maps.extend(detected.iter().map(|pair| {
        let name = format!("{mapping_uuid}/detected/{}/{}", pair.old, pair.new);
        detected_map(pair, &name)
    }));
    if maps.is_empty() {
        return None;
    }
    let title = format!("Transition {} → {}", transition.from, transition.to);
    let mut metadata = Metadata::new(title, day, collection_uuid[..8].to_owned());
    metadata.remarks = Some(format!(
        "Exported by reqgap from {}{}.",
        transition.origin,
        if detected.is_empty() {
            ""
        } else {
            " and the pairs its diff detected by text similarity"
        }
    ));
    Some(MappingDocument {
        mapping_collection: MappingCollection {
            provenance: provenance(transition, detected),
            mappings: vec![Mapping {
                source_gap_summary: gap_summary(&mapping_uuid, "source", &removed),
                target_gap_summary: gap_summary(&mapping_uuid, "target", &added),
                uuid: mapping_uuid,
                source_resource: resource(&transition.from.to_string()),
                target_resource: resource(&transition.to.to_string()),
                maps,
                props,
                remarks: None,
            }],
            uuid: collection_uuid,
            metadata,
        },
    })
}

/// Everything the export says, as one string: the name its uuids are made from.
fn content_key(transition: &Transition, detection: &Detection) -> String {
    let mut key = format!(
        "{}\n{}\n{}\n",
        transition.from, transition.to, transition.source
    );
    for e in &transition.correspondences {
        key.push_str(&format!(
            "{:?}|{:?}|{:?}|{:?}|{:?}\n",
            e.from, e.to, e.relation, e.note, e.provenance
        ));
    }
    key.push_str(&format!("{detection:?}"));
    key
}

/// Curated by people, detected by the matcher, or both (OSCAL's `human`, `automation`,
/// `hybrid`); the rationale a reader assumes where a map states none.
fn provenance(transition: &Transition, detected: &[DetectedPair]) -> Provenance {
    let curated = !transition.correspondences.is_empty();
    let (method, rationale) = match (curated, detected.is_empty()) {
        (_, true) => ("human", shared_rationale(transition)),
        (false, false) => ("automation", Rationale::Syntactic),
        (true, false) => ("hybrid", shared_rationale(transition)),
    };
    Provenance {
        method: method.to_owned(),
        matching_rationale: rationale.to_string(),
        // A transition lists what changed; requirements that keep their ID and text are
        // not listed, so the mapping never claims to be complete.
        status: "not-complete".to_owned(),
        mapping_description: transition.source.clone(),
        props: Vec::new(),
    }
}

/// The rationale every curated entry states, else `semantic` (a person related meanings).
fn shared_rationale(transition: &Transition) -> Rationale {
    let mut stated = transition
        .correspondences
        .iter()
        .map(|c| c.provenance.rationale);
    match stated.next() {
        Some(Some(first)) if stated.all(|r| r == Some(first)) => first,
        _ => Rationale::Semantic,
    }
}

/// The kind of change an entry's shape shows: one to one under another ID is a
/// renumbering, one to many a split, many to one a merge.
fn change_of(entry: &Correspondence) -> Option<&'static str> {
    match (entry.from.len(), entry.to.len()) {
        (1, 1) if entry.from == entry.to => Some("changed"),
        (1, 1) => Some("renumbered"),
        (1, _) => Some("split"),
        (_, 1) => Some("merged"),
        _ => None,
    }
}

fn curated_map(entry: &Correspondence, position: usize, name: &str) -> Map {
    let mut props = vec![Property::reqgap("entry", position.to_string())];
    props.extend(change_of(entry).map(|c| Property::reqgap("change", c)));
    if entry.relation.is_none() {
        props.push(Property::reqgap("relation", "unstated"));
    }
    props.extend(provenance_props(&entry.provenance, None));
    Map {
        uuid: uuid_for(name),
        matching_rationale: entry.provenance.rationale.map(|r| r.to_string()),
        // A listed pair without a stated relation at least overlaps: the weakest claim
        // OSCAL's list has, which lets no coverage count in full.
        relationship: relationship_name(
            entry
                .relation
                .unwrap_or(crate::model::Relation::IntersectsWith),
        )
        .to_owned(),
        sources: items(&entry.from),
        targets: items(&entry.to),
        confidence_score: confidence(&entry.provenance),
        props,
        remarks: entry.note.clone(),
    }
}

/// A confidence category when the author stated one, else the detected score.
fn confidence(provenance: &MappingProvenance) -> Option<ConfidenceScore> {
    match (provenance.confidence, provenance.score) {
        (Some(c), _) => Some(ConfidenceScore {
            category: Some(c.to_string()),
            percentage: None,
        }),
        (None, Some(score)) => Some(ConfidenceScore {
            category: None,
            percentage: Some(score.value()),
        }),
        (None, None) => None,
    }
}

/// Strength, inference mark and score as reqgap properties (in `group` for an entry
/// that has no map); with a group, also rationale and confidence, which a map holds in
/// OSCAL fields.
fn provenance_props(provenance: &MappingProvenance, group: Option<&str>) -> Vec<Property> {
    let prop = |name: &str, value: String| match group {
        Some(group) => Property::grouped(group, name, value),
        None => Property::reqgap(name, value),
    };
    let mut props = Vec::new();
    if group.is_some() {
        props.extend(
            provenance
                .rationale
                .map(|r| prop("rationale", r.to_string())),
        );
        props.extend(
            provenance
                .confidence
                .map(|c| prop("confidence", c.to_string())),
        );
    }
    props.extend(provenance.strength.map(|s| prop("strength", s.to_string())));
    if provenance.inferred {
        props.push(prop("inferred", "true".to_owned()));
    }
    props.extend(
        provenance
            .score
            .map(|s| prop("score", s.value().to_string())),
    );
    props
}

/// A withdrawn (`removed`) or new (`added`) entry as grouped properties: one per ID (an
/// ID may hold a space), the entry's note as the remarks of the first.
fn unmapped_entry(
    entry: &Correspondence,
    ids: &[RequirementId],
    change: &str,
    position: usize,
) -> Vec<Property> {
    let group = entry_group(position);
    let mut props: Vec<Property> = ids
        .iter()
        .map(|id| Property::grouped(&group, change, id.as_str()))
        .collect();
    if let Some(first) = props.first_mut() {
        first.remarks = entry.note.clone();
    }
    props.extend(provenance_props(&entry.provenance, Some(&group)));
    props
}

/// OSCAL's gap summary of one side, naming the IDs that are OSCAL tokens (every ID
/// travels in the entry's properties in any case).
fn gap_summary(mapping_uuid: &str, side: &str, ids: &[RequirementId]) -> Option<GapSummary> {
    let with_ids: Vec<String> = ids
        .iter()
        .map(ToString::to_string)
        .filter(|id| is_token(id))
        .collect();
    (!with_ids.is_empty()).then(|| GapSummary {
        uuid: uuid_for(&format!("{mapping_uuid}/{side}-gap-summary")),
        unmapped_controls: vec![SelectControl { with_ids }],
    })
}

/// OSCAL's token: a letter or `_`, then letters, digits, `.`, `-` and `_`.
fn is_token(text: &str) -> bool {
    let mut chars = text.chars();
    chars.next().is_some_and(|c| c.is_alphabetic() || c == '_')
        && chars.all(|c| c.is_alphanumeric() || matches!(c, '.' | '-' | '_'))
}

fn detected_map(pair: &DetectedPair, name: &str) -> Map {
    let mut props = vec![
        Property::reqgap("match", "detected"),
        Property::reqgap("change", pair.change.clone()),
        Property::reqgap("relation", "unstated"),
        Property::reqgap("score", pair.score.to_string()),
    ];
    if pair.needs_confirmation {
        props.push(Property::reqgap("needs-confirmation", "true"));
    }
    let confirm = if pair.needs_confirmation {
        ", below the confidence threshold: confirm it"
    } else {
        ""
    };
    Map {
        uuid: uuid_for(name),
        matching_rationale: Some(Rationale::Syntactic.to_string()),
        // Text similarity states no set relation: identical texts are equal, any other
        // pair is only known to overlap.
        relationship: if pair.identical {
            "equal-to"
        } else {
            "intersects-with"
        }
        .to_owned(),
        sources: items(std::slice::from_ref(&pair.old)),
        targets: items(std::slice::from_ref(&pair.new)),
        confidence_score: Some(ConfidenceScore {
            category: None,
            percentage: Some(pair.score),
        }),
        props,
        remarks: Some(format!(
            "detected by reqgap diff ({}, similarity {:.2}{confirm})",
            pair.change, pair.score
        )),
    }
}

#[cfg(test)]
mod tests {
    use super::is_token;

    #[test]
    fn tokens_start_with_a_letter_and_hold_no_spaces_or_brackets() {
        assert!(is_token("REQ-7.2-08"));
        assert!(!is_token("7.2"));
        assert!(!is_token("21(2)(a)"));
        assert!(!is_token("A B"));
    }
}
