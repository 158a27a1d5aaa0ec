//! The ballots behind a diff: the rows of the newer catalog's revision table between the
//! two versions, and for each change the rows of the versions in which its requirement
//! changed (when the versions between are known).

use std::collections::BTreeSet;

use super::model::{Ballot, CatalogDiff, ChangeClass};
use crate::model::{Catalog, RequirementId, Version};

/// Sets `diff.ballots` and each change's `ballots`. `path` runs from the old catalog to
/// the new one, with every known version between them.
pub(super) fn attach(diff: &mut CatalogDiff, path: &[&Catalog]) {
    let (Some(old), Some(new)) = (path.first(), path.last()) else {
        return;
    };
    if old.version >= new.version {
        return;
    }
    let rows: Vec<Ballot> = new
        .schedule
        .revisions_between(&old.version, &new.version)
        .into_iter()
        .filter_map(|r| {
            Some(Ballot {
                version: r.version.clone()?,
                ballot: r.ballot.clone(),
                description: r.description.clone(),
                effective: r.effective,
            })
        })
        .collect();
    if rows.is_empty() {
        return;
    }
    for change in &mut diff.changes {
        if change.class == ChangeClass::Unchanged {
            change.ballots.clear();
            continue;
        }
        let ids: Vec<&RequirementId> = change.new.iter().chain(&change.old).collect();
        let steps = changed_in(path, &ids);
        let own: Vec<Ballot> = rows
            .iter()
            .filter(|b| {
                steps
                    .iter()
                    .any(|(from, to)| b.version > **from && b.version <= **to)
            })
            .cloned()
            .collect();
        change.ballots = if own.is_empty() { rows.clone() } else { own };
    }
    diff.ballots = rows;
}

/// The steps of `path` (from one known version to the next) in which any of `ids`
/// changes: added, removed or with other text. A step between versions that are not
/// adjacent spans every revision row between them.
fn changed_in<'a>(
    path: &[&'a Catalog],
    ids: &[&RequirementId],
) -> BTreeSet<(&'a Version, &'a Version)> {
    path.windows(2)
        .filter(|step| {
            ids.iter().any(|id| {
                let before = step[0].requirement(id.as_str()).map(|r| &r.text);
                let after = step[1].requirement(id.as_str()).map(|r| &r.text);
                before != after
            })
        })
        .map(|step| (&step[0].version, &step[1].version))
        .collect()
}
