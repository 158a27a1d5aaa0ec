//! `reqgap diff A B --format oscal`: the transition between two versions as an OSCAL 1.2
//! mapping-collection. The curated part is the transition file joining the two versions
//! as written (so that it reads back exactly), or, when the diff composed several files or
//! followed publisher links, one entry per curated pair citing its sources. The matcher's
//! pairs of changed requirements (changed under the same ID, renumbered, split, merged)
//! follow as detected maps, and what it matched to nothing goes in the gap summaries.
//! Requirements that keep their ID and text are not listed: a transition maps an ID to
//! itself unless it says otherwise.

use std::collections::BTreeMap;

use chrono::NaiveDate;

use crate::diff::{CatalogDiff, Change, ChangeClass};
use crate::model::oscal::mapping::MappingDocument;
use crate::model::oscal::transition::{transition_collection, DetectedPair, Detection};
use crate::model::{Correspondence, MappingProvenance, Transition, TransitionSet};

/// The diff's transition as a mapping-collection dated `day`; `None` when nothing joins
/// requirements of the two versions across a change (OSCAL's mapping needs a map).
pub fn diff_mapping(
    diff: &CatalogDiff,
    transitions: &TransitionSet,
    day: NaiveDate,
) -> Option<MappingDocument> {
    transition_collection(&curated(diff, transitions), &detection(diff), day)
}

/// The transition file joining the two versions directly, else the diff's curated pairs.
fn curated(diff: &CatalogDiff, transitions: &TransitionSet) -> Transition {
    let direct = (!diff.detect_only && diff.path.len() == 2)
        .then(|| transitions.find(&diff.old, &diff.new))
        .flatten();
    direct.unwrap_or_else(|| composed(diff, &provenance_index(transitions)))
}

/// Every transition entry's provenance, by the citation the diff gives its pairs.
fn provenance_index(transitions: &TransitionSet) -> BTreeMap<String, MappingProvenance> {
    transitions
        .iter()
        .flat_map(|t| {
            t.correspondences
                .iter()
                .map(|c| (c.source_text(&t.origin), c.provenance.clone()))
        })
        .collect()
}

/// The doubt a composed pair inherits from the entries it went through: inferred when
/// any step is, and the lowest confidence any step states.
fn inherited(sources: &[String], index: &BTreeMap<String, MappingProvenance>) -> MappingProvenance {
    let mut provenance = MappingProvenance::default();
    for step in sources.iter().filter_map(|s| index.get(s)) {
        provenance.inferred |= step.inferred;
        // `MappingConfidence` orders high, medium, low: the greatest is the least sure.
        provenance.confidence = provenance.confidence.max(step.confidence);
    }
    provenance
}

/// One entry per curated pair of the diff, and per curated withdrawal or addition, each
/// citing the transition entries or catalog links it comes from and keeping their doubt.
fn composed(diff: &CatalogDiff, index: &BTreeMap<String, MappingProvenance>) -> Transition {
    let note = |sources: &[String]| (!sources.is_empty()).then(|| sources.join("; "));
    let mut correspondences = Vec::new();
    for change in diff.changes.iter().filter(|c| c.curated || has_curated(c)) {
        match change.class {
            ChangeClass::Removed | ChangeClass::Added => correspondences.push(Correspondence {
                from: change.old.clone(),
                to: change.new.clone(),
                relation: None,
                note: note(&change.sources),
                provenance: inherited(&change.sources, index),
            }),
            ChangeClass::Unchanged => {}
            _ => correspondences.extend(change.pairs.iter().filter(|p| p.kind.is_curated()).map(
                |p| Correspondence {
                    from: vec![p.old.clone()],
                    to: vec![p.new.clone()],
                    relation: p.relation,
                    note: note(&p.sources),
                    provenance: inherited(&p.sources, index),
                },
            )),
        }
    }
    let steps: Vec<String> = diff.path.iter().map(ToString::to_string).collect();
    let source = if correspondences.is_empty() {
        "no curated transition: every pair was detected by text similarity".to_owned()
    } else {
        format!(
            "curated transitions and catalog links composed by reqgap diff along {}",
            steps.join(" → ")
        )
    };
    Transition {
        from: diff.old.clone(),
        to: diff.new.clone(),
        source,
        origin: format!(
            "the curated pairs of `reqgap diff {} {}`",
            diff.old, diff.new
        ),
        correspondences,
    }
}

fn has_curated(change: &Change) -> bool {
    change.pairs.iter().any(|p| p.kind.is_curated())
}

/// The matcher's pairs of changed requirements and what it matched to nothing.
fn detection(diff: &CatalogDiff) -> Detection {
    let mut detection = Detection::default();
    for change in &diff.changes {
        match change.class {
            ChangeClass::Changed
            | ChangeClass::Renumbered
            | ChangeClass::Split
            | ChangeClass::Merged => {
                let detected = change.pairs.iter().filter(|p| !p.kind.is_curated());
                detection.pairs.extend(detected.map(|p| DetectedPair {
                    old: p.old.clone(),
                    new: p.new.clone(),
                    change: change.class.to_string(),
                    score: p.score,
                    identical: p.edit.is_none(),
                    needs_confirmation: p.needs_confirmation,
                }));
            }
            ChangeClass::Removed if !change.curated => {
                detection.unmatched_old.extend(change.old.iter().cloned());
            }
            ChangeClass::Added if !change.curated => {
                detection.unmatched_new.extend(change.new.iter().cloned());
            }
            _ => {}
        }
    }
    detection
}
