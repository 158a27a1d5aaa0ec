//! "New in this edition": the requirements of each target that were added or changed in
//! substance since the version the inventory's mappings were reviewed against, with how far
//! each is met. This answers the auditor's question "which new requirements of the edition
//! are not yet implemented".

use std::collections::BTreeMap;

use serde::Serialize;

use super::Input;
use crate::diag::Diagnostics;
use crate::diff::{diff_versions, natural_cmp, CatalogDiff, ChangeClass, DiffOptions};
use crate::gaps::{CoverageState, Gap, GapKind};
use crate::model::{CatalogKey, GapKey, Inventory, Level, OwnerId, RequirementKey, SectionId};

/// How a requirement of the target differs from the reviewed version.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum EditionChange {
    /// Not in the reviewed version at all.
    Added,
    /// Its text changed in substance, or it was split from or merged out of older ones.
    Changed,
}

enum_names!(EditionChange {
    Added => "added",
    Changed => "changed",
});

/// That a requirement is new or changed in the target edition, and relative to which
/// version.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub struct NewIn {
    pub since: CatalogKey,
    pub change: EditionChange,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct EditionItem {
    pub requirement: RequirementKey,
    pub section: SectionId,
    pub title: String,
    pub level: Level,
    pub new_in: NewIn,
    pub state: CoverageState,
    /// Who answers for the requirement's open gap, when it has one.
    pub owner: Option<OwnerId>,
    pub gaps: Vec<GapKey>,
}

/// The items of every target, and the version each target is measured from.
#[derive(Clone, Debug, Default)]
pub struct Edition {
    pub items: Vec<EditionItem>,
    /// Target → the reviewed version its items are measured from.
    pub reviewed: BTreeMap<CatalogKey, CatalogKey>,
}

/// The version a target's mappings were reviewed against: the oldest one older than the
/// target, since requirements added after it were never looked at for those controls.
/// `None` when every mapping already names the target (or a newer) version.
pub fn reviewed_version(inventory: &Inventory, target: &CatalogKey) -> Option<CatalogKey> {
    inventory
        .controls
        .values()
        .flat_map(|c| &c.satisfies)
        .filter(|m| m.standard == target.standard && m.reviewed_against < target.version)
        .map(|m| m.catalog())
        .min()
}

/// New and substantively changed requirements of every target, from the diff between the
/// reviewed version and the target (curated transition files first, as everywhere).
pub fn new_in_edition(input: &Input<'_>) -> Result<Edition, Diagnostics> {
    let (inventory, catalogs, report) = (input.inventory, input.catalogs, input.report);
    let mut by_requirement: BTreeMap<&RequirementKey, Vec<&Gap>> = BTreeMap::new();
    for gap in &report.gaps {
        if let Some(key) = &gap.requirement {
            by_requirement.entry(key).or_default().push(gap);
        }
    }
    let mut edition = Edition::default();
    for summary in &report.targets {
        let target = &summary.catalog;
        let Some(since) = reviewed_version(inventory, target) else {
            continue;
        };
        let (Some(catalog), Some(_)) = (catalogs.get(target), catalogs.get(&since)) else {
            continue;
        };
        let diff = diff_versions(
            catalogs,
            input.transitions,
            &since,
            target,
            &DiffOptions::default(),
        )?;
        for (id, change) in new_or_changed(&diff) {
            let Some(requirement) = catalog.requirement(id.as_str()) else {
                continue;
            };
            let Some(state) = summary.states.get(&requirement.id) else {
                continue;
            };
            let key = target.requirement(&requirement.id);
            let gaps = by_requirement.get(&key).map_or(&[][..], Vec::as_slice);
            edition.items.push(EditionItem {
                section: requirement.section.clone(),
                title: requirement
                    .title
                    .clone()
                    .unwrap_or_else(|| requirement.text.clone()),
                level: requirement.level,
                new_in: NewIn {
                    since: since.clone(),
                    change,
                },
                state: *state,
                owner: responsible(gaps),
                gaps: gaps.iter().map(|g| g.key.clone()).collect(),
                requirement: key,
            });
        }
        edition.reviewed.insert(target.clone(), since);
    }
    edition.items.sort_by(|a, b| {
        a.requirement
            .catalog
            .cmp(&b.requirement.catalog)
            .then_with(|| natural_cmp(a.section.as_str(), b.section.as_str()))
            .then_with(|| natural_cmp(a.requirement.id.as_str(), b.requirement.id.as_str()))
    });
    Ok(edition)
}

/// Target requirement IDs that the diff names as added or changed in substance.
fn new_or_changed(diff: &CatalogDiff) -> Vec<(&crate::model::RequirementId, EditionChange)> {
    diff.changes
        .iter()
        .filter_map(|change| {
            let kind = match change.class {
                ChangeClass::Added => EditionChange::Added,
                ChangeClass::Changed | ChangeClass::Renumbered if change.substantive => {
                    EditionChange::Changed
                }
                ChangeClass::Split | ChangeClass::Merged => EditionChange::Changed,
                _ => return None,
            };
            Some(change.new.iter().map(move |id| (id, kind)))
        })
        .flatten()
        .collect()
}

/// The owner of the gap that says the requirement is not met (uncovered or partial),
/// else of any of its gaps.
fn responsible(gaps: &[&Gap]) -> Option<OwnerId> {
    let main = |g: &&&Gap| matches!(g.kind, GapKind::Uncovered | GapKind::Partial);
    gaps.iter()
        .find(main)
        .or_else(|| gaps.iter().find(|g| g.owner.is_some()))
        .and_then(|g| g.owner.clone())
}
