//! "New in this edition": which requirements of a target were added or changed in substance
//! since the version the inventory's mappings were reviewed against. Gaps on them carry
//! `new_in`, and the management report lists them, so an auditor's question "which new
//! requirements of the edition are not yet implemented" has one answer everywhere.

use std::collections::BTreeMap;

use serde::Serialize;

use super::bridge::Bridge;
use super::Gap;
use crate::diff::Ballot;
use crate::graph::Carry;
use crate::model::{Catalog, CatalogKey, Inventory, RequirementId, Target};

/// How a requirement of the target differs from the reviewed version.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum EditionChange {
    /// Not in the reviewed version at all.
    Added,
    /// Changed in substance: its text, a split or merge, a renumbering with a changed text,
    /// or a match too weak to be taken as the same requirement.
    Changed,
}

enum_names!(EditionChange {
    Added => "added",
    Changed => "changed",
});

/// That a requirement is new or changed in the target edition, and since which version.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub struct NewIn {
    /// The edition measured from: the target's `since:`, else the version the inventory's
    /// mappings were reviewed against.
    pub since: CatalogKey,
    /// Added or changed in substance.
    pub change: EditionChange,
    /// The ballots (revision-table rows) of the versions since `since` in which the
    /// requirement changed, where the standard publishes a revision table.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub ballots: Vec<Ballot>,
}

/// The edition "new in this edition" is measured from: the target's `since:` (the edition
/// the organisation last met, which `migrate` records before it raises the mappings), else
/// the version the mappings were reviewed against. Measured from `since:`, the list survives
/// migrate and review: what is new is relative to what was last met, not to bookkeeping.
pub fn since(inventory: &Inventory, target: &Target) -> Option<CatalogKey> {
    match &target.since {
        Some(version) => Some(CatalogKey {
            standard: target.catalog.standard.clone(),
            version: version.clone(),
        }),
        None => reviewed_version(inventory, &target.catalog),
    }
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

/// The active requirements of `target` that the bridge from `since` shows as added (no
/// predecessor) or changed in substance.
pub(super) fn new_in(
    bridge: &Bridge,
    since: &CatalogKey,
    target: &Catalog,
) -> BTreeMap<RequirementId, NewIn> {
    let mut changed: BTreeMap<&RequirementId, bool> = BTreeMap::new();
    for (_, new, correspondence) in &bridge.pairs {
        let substantive = match correspondence.carry {
            Carry::Unchanged | Carry::Editorial => false,
            Carry::Renumbered { substantive } => substantive,
            Carry::Substantive
            | Carry::SplitPart
            | Carry::MergedInto
            | Carry::IncorporatedInto
            | Carry::Unconfirmed => true,
        };
        *changed.entry(new).or_default() |= substantive;
    }
    target
        .active_requirements()
        .filter_map(|r| {
            let change = match changed.get(&r.id) {
                None => EditionChange::Added,
                Some(true) => EditionChange::Changed,
                Some(false) => return None,
            };
            let since = since.clone();
            let ballots = bridge.ballots.get(&r.id).cloned().unwrap_or_default();
            Some((
                r.id.clone(),
                NewIn {
                    since,
                    change,
                    ballots,
                },
            ))
        })
        .collect()
}

/// Marks the gaps on requirements of `target` that are new in its edition.
pub(super) fn mark(gaps: &mut [Gap], target: &CatalogKey, new_in: &BTreeMap<RequirementId, NewIn>) {
    for gap in gaps {
        let Some(requirement) = gap.requirement.as_ref().filter(|r| &r.catalog == target) else {
            continue;
        };
        gap.new_in = new_in.get(&requirement.id).cloned();
    }
}
