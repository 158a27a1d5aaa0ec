//! The diff engine: what changed between two versions of a standard.
//!
//! Matching order (docs/diff.md): curated transition files and publisher links first, then
//! the same ID with similar text, then text similarity across IDs (renumbered, split,
//! merged); what is left is added or removed. Versions several steps apart are composed
//! from curated steps when every step has a transition file.

mod assemble;
mod ballots;
mod compose;
mod explain;
mod lists;
mod matching;
pub mod model;
mod order;
mod sides;
pub mod signals;
pub mod text;
mod word_lists;

pub use explain::{explain, BaseGained, Candidate as ExplainedCandidate, Explanation};
pub use model::{
    count_classes, Ballot, BoxedDetails, CatalogDiff, Change, ChangeClass, Delta, Details, Edit,
    FollowedLink, LevelChange, MatchKind, Pair, Reason, SectionChange, SectionClass, Segment,
    SegmentOp, Successor, Thresholds,
};
pub use order::natural_cmp;
pub use sides::id_key;

pub use crate::model::Relation;

use crate::diag::Diagnostics;
use crate::model::CatalogSet;
use crate::model::{Catalog, CatalogKey};
use crate::model::{Transition, TransitionSet};

/// How the diff decides. The defaults are the documented ones (docs/diff.md).
#[derive(Clone, Debug, PartialEq)]
pub struct DiffOptions {
    /// Ignore every curated source (transition files and publisher links), so that
    /// detection can be checked against what a person or the publisher established.
    pub detect_only: bool,
    /// A detected pair of different IDs needs at least this score (0–1) to be matched.
    pub match_score: f64,
    /// A requirement whose ID exists in both versions keeps its same-ID partner from this
    /// score on (below `match_score`), unless a clearly better partner exists: continuity
    /// of IDs is evidence too. Below it the texts share almost nothing (an ID reused for
    /// an unrelated requirement) and the pair is removed + added.
    pub same_id_score: f64,
    /// Detected pairs scoring below this are reported as needing confirmation.
    pub confirm_score: f64,
    /// A changed pair scoring below this is substantive even if no rule names a reason
    /// ("too different").
    pub editorial_score: f64,
    /// A leftover requirement joins a split or merge when at least this (weighted) share
    /// of its words lies in the other requirement.
    pub containment: f64,
    /// ... and when the words it explains, not yet explained by the other parts, carry at
    /// least this share of the other requirement's weight (boilerplate and short titles
    /// repeated inside a long paragraph carry almost none).
    pub part_share: f64,
}

impl Default for DiffOptions {
    fn default() -> Self {
        DiffOptions {
            detect_only: false,
            match_score: 0.5,
            same_id_score: 0.3,
            confirm_score: 0.75,
            editorial_score: 0.75,
            containment: 0.55,
            part_share: 0.02,
        }
    }
}

impl DiffOptions {
    /// The thresholds of these options, as the report records them.
    pub fn thresholds(&self) -> Thresholds {
        Thresholds {
            match_score: self.match_score,
            same_id_score: self.same_id_score,
            confirm_score: self.confirm_score,
            editorial_score: self.editorial_score,
            containment: self.containment,
            part_share: self.part_share,
        }
    }
}

/// Diffs two catalogs directly, using the curated transitions given (those that join
/// these two versions, in either direction; the others are ignored).
pub fn diff_catalogs(
    old: &Catalog,
    new: &Catalog,
    curated: &[&Transition],
    options: &DiffOptions,
) -> CatalogDiff {
    let (old_side, new_side) = sides::prepare(old, new);
    let matching = matching::match_sides(&old_side, &new_side, curated, options);
    let mut diff = assemble::assemble(
        &old_side,
        &new_side,
        matching,
        options,
        vec![old.key(), new.key()],
    );
    ballots::attach(&mut diff, &[old, new]);
    diff
}

/// Resolves the path between two versions of one standard: a transition file joining them
/// directly wins; else, when every step between them has one (2.2.1→2.3.1→3.1.1→3.2.1),
/// the steps are composed; else the two catalogs are diffed directly.
pub fn diff_versions(
    catalogs: &CatalogSet,
    transitions: &TransitionSet,
    old: &CatalogKey,
    new: &CatalogKey,
    options: &DiffOptions,
) -> Result<CatalogDiff, Diagnostics> {
    let old_catalog = catalogs.resolve(&old.to_string())?;
    let new_catalog = catalogs.resolve(&new.to_string())?;
    if options.detect_only {
        return Ok(diff_catalogs(old_catalog, new_catalog, &[], options));
    }
    if let Some(direct) = transitions.find(old, new) {
        return Ok(diff_catalogs(old_catalog, new_catalog, &[&direct], options));
    }
    let path = version_path(catalogs, old_catalog, new_catalog);
    let steps: Option<Vec<Transition>> = path
        .windows(2)
        .map(|w| transitions.find(&w[0].key(), &w[1].key()))
        .collect();
    let mut diff = match steps {
        Some(steps) if path.len() > 2 => compose::compose(&path, &steps, options),
        _ => diff_catalogs(old_catalog, new_catalog, &[], options),
    };
    // Every version between the two tells in which version each requirement changed, so
    // that a change names its own ballot rather than all of them.
    ballots::attach(&mut diff, &path);
    Ok(diff)
}

/// Every known version from `old` to `new` inclusive, in the direction of the diff.
fn version_path<'a>(
    catalogs: &'a CatalogSet,
    old: &'a Catalog,
    new: &'a Catalog,
) -> Vec<&'a Catalog> {
    if old.standard != new.standard {
        return vec![old, new];
    }
    let (low, high) = if old.version <= new.version {
        (&old.version, &new.version)
    } else {
        (&new.version, &old.version)
    };
    let mut path: Vec<&Catalog> = catalogs
        .versions(&old.standard)
        .into_iter()
        .filter(|c| &c.version >= low && &c.version <= high)
        .collect();
    if old.version > new.version {
        path.reverse();
    }
    path
}
