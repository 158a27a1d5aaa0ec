use std::collections::BTreeMap;

use serde::Serialize;

use crate::diff::{Ballot, Change, ChangeClass, FollowedLink, SectionChange, Thresholds};
use crate::model::CatalogKey;
use crate::report::{DiffFilter, DiffView};

/// The JSON document of `reqgap diff --format json` (schema in docs/diff.md).
#[derive(Serialize)]
#[serde(rename_all = "kebab-case")]
pub(super) struct DiffDocument<'a> {
    old: &'a CatalogKey,
    new: &'a CatalogKey,
    path: &'a [CatalogKey],
    detect_only: bool,
    thresholds: &'a Thresholds,
    /// Counts over the whole diff, before filters.
    counts: &'a BTreeMap<ChangeClass, usize>,
    filters: &'a DiffFilter,
    /// The changes that pass the filters.
    changes: &'a [&'a Change],
    sections: &'a [SectionChange],
    #[serde(skip_serializing_if = "<[FollowedLink]>::is_empty")]
    followed_links: &'a [FollowedLink],
    #[serde(skip_serializing_if = "<[Ballot]>::is_empty")]
    ballots: &'a [Ballot],
}

impl<'a> DiffDocument<'a> {
    pub(super) fn new(view: &'a DiffView<'a>) -> Self {
        let diff = view.diff;
        DiffDocument {
            old: &diff.old,
            new: &diff.new,
            path: &diff.path,
            detect_only: diff.detect_only,
            thresholds: &diff.thresholds,
            counts: &diff.counts,
            filters: &view.filter,
            changes: &view.changes,
            sections: &diff.sections,
            followed_links: &diff.followed_links,
            ballots: &diff.ballots,
        }
    }
}
