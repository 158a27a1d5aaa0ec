//! Composition of curated steps: 2.2.1→2.3.1→3.1.1→3.2.1 becomes one 2.2.1→3.2.1 diff by
//! following each requirement through every step. Text facts (scores, edits, word diffs)
//! are then computed afresh between the end points.

use std::collections::BTreeMap;

use super::matching::{Link, Matching};
use super::model::{CatalogDiff, ChangeClass, MatchKind};
use super::sides;
use super::{assemble, diff_catalogs, DiffOptions};
use crate::model::Relation;
use crate::model::Transition;
use crate::model::{Catalog, RequirementId};

/// What is known of a path through the steps so far.
#[derive(Clone, Debug)]
struct Trail {
    id: RequirementId,
    kinds: Vec<MatchKind>,
    relation: Option<Relation>,
    sources: Vec<String>,
}

/// Per step: old ID → its successors (new ID, how, relation, sources). A step through an
/// unchanged requirement under the same ID is certain and recorded without a kind, so it
/// does not make a curated chain "detected".
type StepMap = BTreeMap<
    RequirementId,
    Vec<(
        RequirementId,
        Option<MatchKind>,
        Option<Relation>,
        Vec<String>,
    )>,
>;

pub(crate) fn compose(
    path: &[&Catalog],
    steps: &[Transition],
    options: &DiffOptions,
) -> CatalogDiff {
    let step_diffs: Vec<CatalogDiff> = path
        .windows(2)
        .zip(steps)
        .map(|(w, t)| diff_catalogs(w[0], w[1], &[t], options))
        .collect();
    let maps: Vec<StepMap> = step_diffs.iter().map(step_map).collect();
    let (first, last) = (path[0], path[path.len() - 1]);
    let (old_side, new_side) = sides::prepare(first, last);
    let mut matching = Matching::default();
    for o in 0..old_side.len() {
        let start = Trail {
            id: old_side.requirements[o].id.clone(),
            kinds: Vec::new(),
            relation: Some(Relation::Equal),
            sources: Vec::new(),
        };
        let (ends, removed_by) = follow(start, &maps, &step_diffs, 0);
        for end in ends {
            if let Some(n) = new_side.index(end.id.as_str()) {
                matching.links.push(link(o, n, end));
            }
        }
        if !removed_by.is_empty() && !matching.links.iter().any(|l| l.old == o) {
            matching.curated_removed.insert(o, removed_by);
        }
    }
    mark_curated_added(&step_diffs, &maps, &new_side, &mut matching);
    let keys = path.iter().map(|c| c.key()).collect();
    assemble::assemble(&old_side, &new_side, matching, options, keys)
}

fn step_map(diff: &CatalogDiff) -> StepMap {
    let mut map = StepMap::new();
    for change in &diff.changes {
        let certain = change.class == ChangeClass::Unchanged;
        for pair in &change.pairs {
            let kind = (!certain).then_some(pair.kind);
            let relation = if certain {
                Some(Relation::Equal)
            } else {
                pair.relation
            };
            map.entry(pair.old.clone()).or_default().push((
                pair.new.clone(),
                kind,
                relation,
                pair.sources.clone(),
            ));
        }
    }
    map
}

/// Follows `trail` from step `from` to the last version; returns the end points and, when
/// a branch ends in a curated removal, its sources.
fn follow(
    trail: Trail,
    maps: &[StepMap],
    diffs: &[CatalogDiff],
    from: usize,
) -> (Vec<Trail>, Vec<String>) {
    let mut current = vec![trail];
    let mut removed_by = Vec::new();
    for (map, diff) in maps.iter().zip(diffs).skip(from) {
        let mut next = Vec::new();
        for trail in current {
            let Some(successors) = map.get(&trail.id) else {
                removed_by.extend(curated_removal(diff, &trail.id));
                continue;
            };
            for (id, kind, relation, sources) in successors {
                let mut step = trail.clone();
                step.id = id.clone();
                step.kinds.extend(*kind);
                step.relation = match (step.relation, relation) {
                    (Some(a), Some(b)) => Some(a.then(*b)),
                    _ => None,
                };
                step.sources.extend(sources.iter().cloned());
                next.push(step);
            }
        }
        current = next;
    }
    current.sort_by(|a, b| a.id.cmp(&b.id));
    current.dedup_by(|a, b| a.id == b.id);
    (current, removed_by)
}

fn curated_removal(diff: &CatalogDiff, id: &RequirementId) -> Vec<String> {
    diff.changes
        .iter()
        .filter(|c| c.class == ChangeClass::Removed && c.old.contains(id))
        .flat_map(|c| c.sources.iter().cloned())
        .collect()
}

fn link(old: usize, new: usize, trail: Trail) -> Link {
    let kind = if trail.kinds.is_empty() {
        MatchKind::SameId
    } else if trail.kinds.iter().all(|k| *k == MatchKind::PublisherLink) {
        MatchKind::PublisherLink
    } else if trail.kinds.iter().all(|k| k.is_curated()) {
        MatchKind::Curated
    } else if trail.kinds.iter().all(|k| *k == MatchKind::SameId) {
        MatchKind::SameId
    } else {
        MatchKind::Detected
    };
    let relation = if kind.is_curated() {
        trail.relation
    } else {
        None
    };
    let mut sources = trail.sources;
    sources.dedup();
    Link {
        old,
        new,
        kind,
        relation,
        sources,
        containment: None,
        contested: false,
    }
}

/// Requirements a curated entry declares new at some step, followed to the last version.
fn mark_curated_added(
    diffs: &[CatalogDiff],
    maps: &[StepMap],
    new_side: &sides::Side<'_>,
    matching: &mut Matching,
) {
    for (step, diff) in diffs.iter().enumerate() {
        for change in diff
            .changes
            .iter()
            .filter(|c| c.class == ChangeClass::Added && c.curated)
        {
            for id in &change.new {
                let start = Trail {
                    id: id.clone(),
                    kinds: Vec::new(),
                    relation: None,
                    sources: Vec::new(),
                };
                let (ends, _) = follow(start, maps, diffs, step + 1);
                for end in ends {
                    if let Some(n) = new_side.index(end.id.as_str()) {
                        matching
                            .curated_added
                            .entry(n)
                            .or_default()
                            .extend(change.sources.iter().cloned());
                    }
                }
            }
        }
    }
}
