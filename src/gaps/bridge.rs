//! How the requirements of one version correspond to those of another: [`Bridge`], the
//! [`VersionBridge`] that computes it, and the production bridge [`DiffBridge`] built on the
//! diff engine.

use std::collections::BTreeMap;
use std::sync::{Arc, Mutex, PoisonError};

use crate::diag::Diagnostics;
use crate::diff::{
    diff_versions, Ballot, CatalogDiff, ChangeClass, DiffOptions, Relation, Successor,
};
use crate::graph::{Carry, Correspondence};
use crate::model::CatalogKey;
use crate::model::CatalogSet;
use crate::model::{RequirementId, TransitionSet, UnconfirmedEntry};

/// How the requirements of one version correspond to those of another.
#[derive(Clone, Debug, Default)]
pub struct Bridge {
    /// Old ID → new ID with how it carries; an old ID without any pair was removed.
    pub pairs: Vec<(RequirementId, RequirementId, Correspondence)>,
    /// Requirements new in the later version.
    pub added: usize,
    /// Requirements whose text or level changed (renumbered-and-changed included).
    pub changed: usize,
    /// New ID → the revision-table rows (ballots) of the versions in which it changed, for
    /// standards that publish a revision table.
    pub ballots: BTreeMap<RequirementId, Vec<Ballot>>,
}

/// Computes correspondences between versions (the diff engine in production).
pub trait VersionBridge {
    /// The correspondences from version `from` to version `to` of one standard.
    fn bridge(
        &self,
        catalogs: &CatalogSet,
        from: &CatalogKey,
        to: &CatalogKey,
    ) -> Result<Bridge, Diagnostics>;
}

/// Diffs versions on demand and keeps each diff: an inventory names few versions, and the
/// target's diff is asked for once per version its mappings were reviewed against. The
/// cache is shared safely, so one bridge can serve analyses on several threads.
pub struct DiffBridge<'a> {
    transitions: &'a TransitionSet,
    /// The transition entries a person must confirm, by the citation pairs carry.
    unconfirmed: BTreeMap<String, UnconfirmedEntry>,
    options: DiffOptions,
    cache: Mutex<DiffCache>,
    prepared: Mutex<Prepared>,
}

/// The diffs a bridge has made, for a later bridge over the same catalogs and transition
/// files: `migrate` and `review` plan from the diffs of the analysis they start with,
/// instead of diffing the versions a second time.
#[derive(Clone, Debug, Default)]
pub struct DiffCache {
    diffs: BTreeMap<(CatalogKey, CatalogKey), Arc<CatalogDiff>>,
    /// Bridges made ahead of use (see [`DiffBridge::into_prepared_cache`]).
    prepared: Prepared,
}

/// Bridges made from the cached diffs ahead of the analysis, each handed out once.
type Prepared = BTreeMap<(CatalogKey, CatalogKey), Bridge>;

impl<'a> DiffBridge<'a> {
    /// A bridge that diffs with `transitions` as the curated input.
    pub fn new(transitions: &'a TransitionSet) -> Self {
        DiffBridge::with_cache(transitions, DiffCache::default())
    }

    /// A bridge that starts with the diffs of `cache`, which must come from a bridge over
    /// the same catalogs and `transitions`.
    pub fn with_cache(transitions: &'a TransitionSet, mut cache: DiffCache) -> Self {
        let prepared = std::mem::take(&mut cache.prepared);
        DiffBridge {
            transitions,
            unconfirmed: UnconfirmedEntry::index(transitions),
            options: DiffOptions::default(),
            cache: Mutex::new(cache),
            prepared: Mutex::new(prepared),
        }
    }

    /// The diffs made so far.
    pub fn into_cache(self) -> DiffCache {
        self.cache
            .into_inner()
            .unwrap_or_else(PoisonError::into_inner)
    }

    /// The diffs made so far with the bridges [`DiffBridge::prepare`] made and nobody has
    /// asked for yet: for a bridge over the same catalogs and transition files that an
    /// analysis will ask.
    pub(crate) fn into_prepared_cache(self) -> DiffCache {
        let prepared = self
            .prepared
            .into_inner()
            .unwrap_or_else(PoisonError::into_inner);
        let mut cache = self
            .cache
            .into_inner()
            .unwrap_or_else(PoisonError::into_inner);
        cache.prepared = prepared;
        cache
    }

    /// Diffs each pair of versions (from, to) into the cache and makes its bridge, so
    /// that a later [`VersionBridge::bridge`] finds both made: run on a second thread while
    /// the analysis reads the inventory or builds its graph. A pair that fails is left out;
    /// asking for it again reports why.
    pub(crate) fn prepare(&self, catalogs: &CatalogSet, pairs: &[(CatalogKey, CatalogKey)]) {
        for pair in pairs {
            if self.lock_prepared().contains_key(pair) {
                continue;
            }
            let Ok(diff) = self.diff(catalogs, &pair.0, &pair.1) else {
                continue;
            };
            let made = self.bridge_of(&diff);
            self.lock_prepared().insert(pair.clone(), made);
        }
    }

    fn lock_prepared(&self) -> std::sync::MutexGuard<'_, Prepared> {
        self.prepared.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// The unconfirmed entries among the sources of the pair `old` → `new`.
    fn unconfirmed_on(
        &self,
        sources: &BTreeMap<(&RequirementId, &RequirementId), &[String]>,
        old: &RequirementId,
        new: &RequirementId,
    ) -> Vec<UnconfirmedEntry> {
        let mut found: Vec<UnconfirmedEntry> = sources
            .get(&(old, new))
            .into_iter()
            .flat_map(|cited| cited.iter())
            .filter_map(|cited| self.unconfirmed.get(cited).cloned())
            .collect();
        found.sort();
        found.dedup();
        found
    }

    fn diff(
        &self,
        catalogs: &CatalogSet,
        from: &CatalogKey,
        to: &CatalogKey,
    ) -> Result<Arc<CatalogDiff>, Diagnostics> {
        let key = (from.clone(), to.clone());
        let cached = |cache: &DiffCache| cache.diffs.get(&key).map(Arc::clone);
        if let Some(diff) = cached(&self.cache.lock().unwrap_or_else(PoisonError::into_inner)) {
            return Ok(diff);
        }
        let diff = Arc::new(diff_versions(
            catalogs,
            self.transitions,
            from,
            to,
            &self.options,
        )?);
        self.cache
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .diffs
            .insert(key, Arc::clone(&diff));
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
        let prepared = self.lock_prepared().remove(&(from.clone(), to.clone()));
        match prepared {
            Some(made) => Ok(made),
            None => Ok(self.bridge_of(&*self.diff(catalogs, from, to)?)),
        }
    }
}

impl DiffBridge<'_> {
    /// The correspondences that `diff` shows.
    fn bridge_of(&self, diff: &CatalogDiff) -> Bridge {
        let sources: BTreeMap<(&RequirementId, &RequirementId), &[String]> = diff
            .changes
            .iter()
            .flat_map(|c| &c.pairs)
            .map(|p| ((&p.old, &p.new), p.sources.as_slice()))
            .collect();
        let mut pairs = Vec::new();
        for (old_id, successors) in diff.successor_map() {
            for successor in successors {
                let Some(carry) = carry(&successor) else {
                    continue;
                };
                // A withdrawn requirement carries along its link through the pairs of
                // the requirement the link names.
                let paired = successor.via.as_ref().map_or(&old_id, |(_, via)| via);
                let unconfirmed = self.unconfirmed_on(&sources, paired, &successor.id);
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
                    details: successor.details.clone(),
                    unconfirmed,
                };
                pairs.push((old_id.clone(), successor.id, correspondence));
            }
        }
        let ballots = diff
            .changes
            .iter()
            .filter(|c| c.class != ChangeClass::Unchanged && !c.ballots.is_empty())
            .flat_map(|c| c.new.iter().map(|id| (id.clone(), c.ballots.clone())))
            .collect();
        let counts = diff.counts();
        let count = |class| counts.get(&class).copied().unwrap_or(0);
        Bridge {
            pairs,
            added: count(ChangeClass::Added),
            changed: count(ChangeClass::Changed)
                + count(ChangeClass::Split)
                + count(ChangeClass::Merged),
            ballots,
        }
    }
}
