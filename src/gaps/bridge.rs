//! The production [`VersionBridge`]: correspondences from the diff engine.

use std::cell::RefCell;
use std::collections::BTreeMap;
use std::rc::Rc;

use super::{Bridge, VersionBridge};
use crate::diag::Diagnostics;
use crate::diff::{diff_versions, CatalogDiff, ChangeClass, DiffOptions, Relation, Successor};
use crate::graph::{Carry, Correspondence};
use crate::model::CatalogKey;
use crate::model::CatalogSet;
use crate::model::TransitionSet;

/// Diffs versions on demand and keeps each diff: an inventory names few versions, and the
/// target's diff is asked for once per version its mappings were reviewed against.
pub struct DiffBridge<'a> {
    transitions: &'a TransitionSet,
    options: DiffOptions,
    cache: RefCell<BTreeMap<(CatalogKey, CatalogKey), Rc<CatalogDiff>>>,
}

impl<'a> DiffBridge<'a> {
    pub fn new(transitions: &'a TransitionSet) -> Self {
        DiffBridge {
            transitions,
            options: DiffOptions::default(),
            cache: RefCell::default(),
        }
    }

    fn diff(
        &self,
        catalogs: &CatalogSet,
        from: &CatalogKey,
        to: &CatalogKey,
    ) -> Result<Rc<CatalogDiff>, Diagnostics> {
        let key = (from.clone(), to.clone());
        if let Some(diff) = self.cache.borrow().get(&key) {
            return Ok(Rc::clone(diff));
        }
        let diff = Rc::new(diff_versions(
            catalogs,
            self.transitions,
            from,
            to,
            &self.options,
        )?);
        self.cache.borrow_mut().insert(key, Rc::clone(&diff));
        Ok(diff)
    }
}

/// How a mapping carries through one successor; `None` for classes with no successor.
fn carry(successor: &Successor) -> Option<Carry> {
    Some(match successor.class {
        _ if successor.needs_confirmation => Carry::Unconfirmed,
        ChangeClass::Unchanged => Carry::Unchanged,
        ChangeClass::Changed if successor.substantive => Carry::Substantive,
        ChangeClass::Changed => Carry::Editorial,
        ChangeClass::Renumbered => Carry::Renumbered {
            substantive: successor.substantive,
        },
        ChangeClass::Split => Carry::SplitPart,
        ChangeClass::Merged => Carry::MergedInto,
        ChangeClass::Added | ChangeClass::Removed => return None,
    })
}

impl VersionBridge for DiffBridge<'_> {
    fn bridge(
        &self,
        catalogs: &CatalogSet,
        from: &CatalogKey,
        to: &CatalogKey,
    ) -> Result<Bridge, Diagnostics> {
        let diff = self.diff(catalogs, from, to)?;
        let mut pairs = Vec::new();
        for (old_id, successors) in diff.successor_map() {
            for successor in successors {
                let Some(carry) = carry(&successor) else {
                    continue;
                };
                let partial = matches!(
                    successor.relation,
                    Some(Relation::SubsetOf | Relation::IntersectsWith)
                );
                let correspondence = Correspondence {
                    carry,
                    partial,
                    curated: successor.curated,
                    score: successor.score,
                    reasons: successor.reasons.clone(),
                };
                pairs.push((old_id.clone(), successor.id, correspondence));
            }
        }
        let counts = diff.counts();
        let count = |class| counts.get(&class).copied().unwrap_or(0);
        Ok(Bridge {
            pairs,
            added: count(ChangeClass::Added),
            changed: count(ChangeClass::Changed)
                + count(ChangeClass::Split)
                + count(ChangeClass::Merged),
        })
    }
}
