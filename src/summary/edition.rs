//! "New in this edition": the requirements of each target that were added or changed in
//! substance since the target's `since:` edition, else the version the inventory's mappings
//! were reviewed against (found by the
//! analysis, see `gaps::NewIn`), with how far each is met and who answers for it.

use std::collections::{BTreeMap, HashMap};

use chrono::NaiveDate;
use serde::Serialize;

use super::Input;
use crate::diff::natural_cmp;
use crate::gaps::{since, CoverageState, Gap, GapKind, NewIn};
use crate::model::{CatalogKey, GapKey, Level, OwnerId, RequirementKey, SectionId};

/// A requirement new in, or changed in substance by, a target's edition.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct EditionItem {
    /// The requirement in the target.
    pub requirement: RequirementKey,
    /// Its section.
    pub section: SectionId,
    /// Its title (its text when it has none).
    pub title: String,
    /// Its obligation level.
    pub level: Level,
    /// How it is new: added, or changed in substance, and since which edition.
    pub new_in: NewIn,
    /// How far the inventory meets it.
    pub state: CoverageState,
    /// Who answers for the requirement's open gap, when it has one.
    pub owner: Option<OwnerId>,
    /// The earliest due date of its open gaps.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub due: Option<NaiveDate>,
    /// Its open gaps.
    pub gaps: Vec<GapKey>,
}

/// The items of every target, and the version each target is measured from.
#[derive(Clone, Debug, Default)]
pub struct Edition {
    /// The items of every target, by target, section and ID.
    pub items: Vec<EditionItem>,
    /// Target → the edition its items are measured from.
    pub reviewed: BTreeMap<CatalogKey, CatalogKey>,
}

/// New and substantively changed requirements of every target, as the analysis found them
/// (`TargetSummary::new_in`), with each one's state and open gaps.
pub fn new_in_edition(input: &Input<'_>) -> Edition {
    let report = input.report;
    let mut by_requirement: BTreeMap<&RequirementKey, Vec<&Gap>> = BTreeMap::new();
    for gap in &report.gaps {
        if let Some(key) = &gap.requirement {
            by_requirement.entry(key).or_default().push(gap);
        }
    }
    let mut edition = Edition::default();
    for summary in &report.targets {
        let target = &summary.catalog;
        let Some(catalog) = input.catalogs.get(target) else {
            continue;
        };
        let declared = input
            .inventory
            .targets
            .iter()
            .find(|t| &t.catalog == target);
        if let Some(since) = declared.and_then(|t| since(input.inventory, t)) {
            edition.reviewed.insert(target.clone(), since);
        }
        // Lookup only (hash order reaches no output); the first of an ID wins, as in
        // `Catalog::requirement`, which scans the catalog for every item.
        let mut requirements = HashMap::with_capacity(catalog.requirements.len());
        for requirement in &catalog.requirements {
            requirements.entry(&requirement.id).or_insert(requirement);
        }
        for (id, new_in) in &summary.new_in {
            let (Some(requirement), Some(state)) =
                (requirements.get(id).copied(), summary.states.get(id))
            else {
                continue;
            };
            let key = target.requirement(id);
            let gaps = by_requirement.get(&key).map_or(&[][..], Vec::as_slice);
            edition.items.push(EditionItem {
                section: requirement.section.clone(),
                title: requirement
                    .title
                    .clone()
                    .unwrap_or_else(|| requirement.text.clone()),
                level: requirement.level,
                new_in: new_in.clone(),
                state: *state,
                owner: responsible(gaps),
                due: gaps.iter().map(|g| g.due).min(),
                gaps: gaps.iter().map(|g| g.key.clone()).collect(),
                requirement: key,
            });
        }
    }
    edition.items.sort_by(|a, b| {
        a.requirement
            .catalog
            .cmp(&b.requirement.catalog)
            .then_with(|| natural_cmp(a.section.as_str(), b.section.as_str()))
            .then_with(|| natural_cmp(a.requirement.id.as_str(), b.requirement.id.as_str()))
    });
    edition
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
