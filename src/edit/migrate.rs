//! `migrate`: carry an inventory's mappings forward to a target version. Renumbered IDs
//! move to their new IDs and unchanged or editorially changed ones get `reviewed-against`
//! raised; everything a person must judge (substance changed, split, merged, weak match,
//! removed) is left in place and listed as the review work that remains.

use std::collections::{BTreeMap, HashMap};
use std::path::Path;

use serde::Serialize;

use super::mappings::EntryChange;
use super::text::{self, Edit};
use super::{control_files, ChangeSet, ConfigFileText, ControlFileText, FileChange};
use crate::diag::{Code, Diagnostic, Diagnostics};
use crate::gaps::{GapReport, VersionBridge};
use crate::graph::{Carry, Correspondence};
use crate::model::CatalogSet;
use crate::model::{CatalogKey, GapKey, Inventory, Place, RequirementId, RequirementKey};
use crate::source::yaml::Step;

/// What `migrate` did and what it left for people.
#[derive(Clone, Debug, Default, PartialEq, Serialize)]
pub struct Migration {
    pub targets: Vec<CatalogKey>,
    /// Mapped IDs moved to a new ID.
    pub renumbered: Vec<Moved>,
    /// Mapped IDs whose `reviewed-against` was raised without a change of ID.
    pub raised: usize,
    /// Mappings left as they were, with why.
    pub remaining: Vec<Remaining>,
    /// Targets moved to a newer version in reqgap.yaml.
    pub retargeted: Vec<Retargeted>,
    /// Mapped IDs raised or moved across a reconstructed catalog (whose IDs are partly
    /// inferred): their entries carry an `assumed:` note for `review` to confirm.
    pub assumed: usize,
    /// Targets that got a `since:` in reqgap.yaml: the edition the mappings were reviewed
    /// against before this migration, so that "new in this edition" outlives it.
    pub since_recorded: Vec<SinceRecorded>,
    /// What the migration did to the plan file: entries renamed with their target, and
    /// entries removed because the migration closed their gaps (stale references).
    pub plan: super::plan::PlanFollowed,
    /// Reconstructed-catalog warnings of the catalogs the migration relies on.
    #[serde(skip)]
    pub warnings: Vec<Diagnostic>,
    #[serde(skip)]
    pub changes: ChangeSet,
}

/// A target's `since:` written by `migrate`.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct SinceRecorded {
    pub target: CatalogKey,
    pub since: CatalogKey,
}

/// A target of reqgap.yaml moved to a newer version of its standard (`migrate --to`).
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Retargeted {
    pub from: CatalogKey,
    pub to: CatalogKey,
    /// Not-applicable decisions whose requirement moved to a new ID with it.
    pub not_applicable_moved: Vec<(String, String)>,
}

#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Moved {
    pub control: String,
    pub from: RequirementKey,
    pub to: RequirementKey,
}

/// A mapping that needs a person: the gap keys `review` closes once it is reviewed.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Remaining {
    pub control: String,
    pub requirement: RequirementKey,
    pub reason: String,
    pub gap_keys: Vec<String>,
    pub place: Place,
}

/// Plans the migration of every mapping of `inventory` to `targets`; nothing is written
/// (`Migration::changes` holds the new files). `report` is the analysis before the
/// migration: plan entries whose gaps the migration closes leave the plan file.
pub fn plan(
    inventory: &Inventory,
    catalogs: &CatalogSet,
    bridge: &dyn VersionBridge,
    report: &GapReport,
    targets: &[CatalogKey],
) -> Result<Migration, Diagnostics> {
    let mut migration = plan_mappings(inventory, catalogs, bridge, targets)?;
    let open: Vec<&GapKey> = report.gaps.iter().map(|g| &g.key).collect();
    let closed = closed_stale_references(&migration);
    migration.plan = super::plan::follow(
        inventory,
        super::plan::Follow {
            open: &open,
            closed: &closed,
            retarget: None,
        },
    )?;
    if let Some(change) = migration.plan.change.take() {
        migration.changes.push(change);
    }
    let Some((_, config)) = crate::source::inventory::config_path(Path::new(&inventory.root))
    else {
        return Ok(migration);
    };
    let file = ConfigFileText::read(&config)?;
    let edits = record_since(&file, inventory, targets, &mut migration)?;
    if !edits.is_empty() {
        migration.changes.push(file.change(edits)?);
    }
    Ok(migration)
}

/// The `stale-reference` gaps a migration closes: each mapping it moves to a new ID named
/// the old one.
fn closed_stale_references(migration: &Migration) -> std::collections::BTreeSet<String> {
    migration
        .renumbered
        .iter()
        .map(|moved| format!("stale-reference:{}:{}", moved.to, moved.control))
        .collect()
}

/// The edits that give each target without `since:` the edition its mappings were reviewed
/// against before they are raised: measured from the mappings alone, "new in this edition"
/// would be empty after the migration although nothing new was met.
fn record_since(
    file: &ConfigFileText,
    inventory: &Inventory,
    targets: &[CatalogKey],
    migration: &mut Migration,
) -> Result<Vec<Edit>, Diagnostics> {
    let mut edits = Vec::new();
    for (t, entry) in file.value.targets.iter().enumerate() {
        let Some(target) = targets
            .iter()
            .find(|k| k.standard.as_str() == entry.standard && entry.since.is_none())
        else {
            continue;
        };
        let Some(since) = crate::gaps::reviewed_version(inventory, target) else {
            continue;
        };
        let version = file.scalar(&[Step::Key("targets"), t.into(), Step::Key("version")])?;
        let key = file
            .index
            .key(&[Step::Key("targets"), t.into(), Step::Key("version")])
            .ok_or_else(|| file.internal("cannot place `since:` (internal error)".into()))?;
        let text = &file.file.text;
        let line_end = text[version.end..]
            .find(['\n', '\r'])
            .map_or(text.len(), |n| version.end + n);
        let newline = text::Lines::new(text).newline();
        let indent = " ".repeat(key.column.saturating_sub(1));
        edits.push(Edit {
            range: line_end..line_end,
            text: format!(
                "{newline}{indent}since: \"{}\"  # recorded by reqgap migrate: the edition last met",
                since.version
            ),
        });
        migration.since_recorded.push(SinceRecorded {
            target: target.clone(),
            since,
        });
    }
    Ok(edits)
}

fn plan_mappings(
    inventory: &Inventory,
    catalogs: &CatalogSet,
    bridge: &dyn VersionBridge,
    targets: &[CatalogKey],
) -> Result<Migration, Diagnostics> {
    let mut migration = Migration {
        targets: targets.to_vec(),
        ..Migration::default()
    };
    let mut bridges = Bridges::default();
    migration.warnings = reconstructed_warnings(inventory, catalogs, targets);
    let mut files = Vec::new();
    for file in control_files(inventory)? {
        let mut changes = Vec::new();
        for target in targets {
            for change in plan_file(
                &file,
                target,
                catalogs,
                bridge,
                &mut bridges,
                &mut migration,
            )? {
                changes.push(change);
            }
        }
        files.push(file.change(&changes)?);
    }
    migration.changes = changed_files(files);
    Ok(migration)
}

/// The files whose content changes, sorted by path once: adding them one by one with
/// [`ChangeSet::push`] sorts the whole list each time, quadratic in the number of files.
fn changed_files(mut files: Vec<FileChange>) -> ChangeSet {
    files.retain(|file| file.old != file.new || file.creates);
    files.sort_by(|a, b| a.path.cmp(&b.path));
    ChangeSet { files }
}

/// Plans moving the target `from` of reqgap.yaml (at `config`) to the newer version `to`
/// of its standard, and the migration of every mapping to it: the target's `version`
/// changes, and each not-applicable decision that names a single requirement follows it
/// when it was renumbered. A decision whose requirement has no certain successor is an
/// error: a person must decide it before the target moves.
pub fn plan_retarget(
    inventory: &Inventory,
    catalogs: &CatalogSet,
    bridge: &dyn VersionBridge,
    report: &GapReport,
    config: &std::path::Path,
    from: &CatalogKey,
    to: &CatalogKey,
) -> Result<Migration, Diagnostics> {
    let mut migration = plan_mappings(inventory, catalogs, bridge, std::slice::from_ref(to))?;
    let file = ConfigFileText::read(config)?;
    let text = &file.file.text;
    let mut bridges = Bridges::default();
    let mut problems = Diagnostics::new();
    let mut edits = record_since(&file, inventory, std::slice::from_ref(to), &mut migration)?;
    let mut moved = Vec::new();
    let new_catalog = catalogs.get(to);
    for (t, target) in file.value.targets.iter().enumerate() {
        if target.standard != from.standard.as_str() || target.version.text != from.version.as_str()
        {
            continue;
        }
        let version = file.scalar(&[Step::Key("targets"), t.into(), Step::Key("version")])?;
        edits.push(Edit {
            text: text::scalar_like(&text[version.clone()], to.version.as_str()),
            range: version,
        });
        for (j, entry) in target.not_applicable.iter().enumerate() {
            if entry.requirement.ends_with('*') {
                continue;
            }
            let id = RequirementId::new(entry.requirement.as_str());
            let successors = bridges.successors(catalogs, bridge, from, to, &id)?;
            let path = [
                Step::Key("targets"),
                t.into(),
                Step::Key("not-applicable"),
                j.into(),
                Step::Key("requirement"),
            ];
            match carried_id(&successors) {
                Some(new) if new == id => {}
                Some(new) => {
                    let range = file.scalar(&path)?;
                    edits.push(Edit {
                        text: text::scalar_like(&text[range.clone()], new.as_str()),
                        range,
                    });
                    moved.push((id.to_string(), new.to_string()));
                }
                None if new_catalog
                    .and_then(|c| c.requirement(id.as_str()))
                    .is_some_and(|r| r.is_active()) => {}
                None => {
                    let place = file.index.value(&path);
                    problems.push(
                        Diagnostic::error(
                            Code::UnknownRequirement,
                            format!(
                                "not-applicable `{id}` of {from} has no certain successor in {to}: decide it before moving the target"
                            ),
                        )
                        .at(crate::source::yaml::locate(&file.file, place))
                        .note("help: name the requirement it became in the new version, or remove the decision"),
                    );
                }
            }
        }
    }
    problems.into_result(())?;
    migration.changes.push(file.change(edits)?);
    migration.plan = retarget_plan(inventory, catalogs, bridge, report, from, to)?;
    if let Some(change) = migration.plan.change.take() {
        migration.changes.push(change);
    }
    migration.retargeted.push(Retargeted {
        from: from.clone(),
        to: to.clone(),
        not_applicable_moved: moved,
    });
    Ok(migration)
}

/// The reconstructed-catalog warnings of every version the mappings are carried from and
/// to: a diff against a catalog whose IDs are partly inferred may pair the wrong IDs.
fn reconstructed_warnings(
    inventory: &Inventory,
    catalogs: &CatalogSet,
    targets: &[CatalogKey],
) -> Vec<Diagnostic> {
    let mut versions: std::collections::BTreeSet<CatalogKey> = targets.iter().cloned().collect();
    for mapping in inventory.controls.values().flat_map(|c| &c.satisfies) {
        if targets.iter().any(|t| t.standard == mapping.standard) {
            versions.insert(mapping.catalog());
        }
    }
    versions
        .iter()
        .filter_map(|key| catalogs.get(key))
        .filter_map(crate::model::provenance_warning)
        .collect()
}

/// True when the entry has no note or a plain one-line note, which an edit can rewrite.
fn note_fits_one_line(file: &ControlFileText, control: usize, entry: usize) -> bool {
    let path = [
        Step::Key("controls"),
        control.into(),
        Step::Key("satisfies"),
        entry.into(),
        Step::Key("note"),
    ];
    let Some(position) = file.index.value(&path) else {
        return true;
    };
    let lines = text::Lines::new(&file.file.text);
    lines.scalar(position).is_some_and(|range| {
        lines.line_range(position.line).contains(&range.end) || range.end == lines.text.len()
    })
}

/// True when carrying from `from` to `to` relies on a reconstructed catalog.
fn across_reconstructed(catalogs: &CatalogSet, from: &CatalogKey, to: &CatalogKey) -> bool {
    [from, to].into_iter().any(|key| {
        catalogs
            .get(key)
            .is_some_and(|c| c.provenance == crate::model::Provenance::Reconstructed)
    })
}

/// The plan file with every entry that names a gap of `from` renamed to `to`, an exact
/// key following its requirement when it was renumbered, so that the plan follows the
/// target to its new edition (an entry left on the old version would name no open gap,
/// which is an error).
fn retarget_plan(
    inventory: &Inventory,
    catalogs: &CatalogSet,
    bridge: &dyn VersionBridge,
    report: &GapReport,
    from: &CatalogKey,
    to: &CatalogKey,
) -> Result<super::plan::PlanFollowed, Diagnostics> {
    let mut bridges = Bridges::default();
    let new_catalog = catalogs.get(to);
    let mut successor = |id: &RequirementId| -> Result<Option<RequirementId>, Diagnostics> {
        let successors = bridges.successors(catalogs, bridge, from, to, id)?;
        let kept = new_catalog
            .and_then(|c| c.requirement(id.as_str()))
            .is_some_and(|r| r.is_active());
        Ok(carried_id(&successors).or_else(|| kept.then(|| id.clone())))
    };
    let open: Vec<&GapKey> = report.gaps.iter().map(|g| &g.key).collect();
    super::plan::follow(
        inventory,
        super::plan::Follow {
            open: &open,
            closed: &std::collections::BTreeSet::new(),
            retarget: Some(super::plan::Retarget {
                from,
                to,
                successor: &mut successor,
            }),
        },
    )
}

/// Correspondences from each older version to each target, computed once and indexed by
/// the older ID, and each target's requirements by ID: a scan of every pair or requirement
/// per mapped ID made migrate quadratic in the size of the inventory.
#[derive(Default)]
pub(crate) struct Bridges {
    successors: BTreeMap<(CatalogKey, CatalogKey), Successors>,
    /// Position of each ID's first requirement in its catalog (lookup only).
    positions: BTreeMap<CatalogKey, HashMap<RequirementId, usize>>,
}

/// Old ID → its correspondences, in the order of the bridge's pairs.
type Successors = BTreeMap<RequirementId, Vec<(RequirementId, Correspondence)>>;

impl Bridges {
    /// The correspondences of `old` in `from` to `to`.
    pub(crate) fn successors(
        &mut self,
        catalogs: &CatalogSet,
        bridge: &dyn VersionBridge,
        from: &CatalogKey,
        to: &CatalogKey,
        old: &RequirementId,
    ) -> Result<Vec<(RequirementId, Correspondence)>, Diagnostics> {
        let key = (from.clone(), to.clone());
        if !self.successors.contains_key(&key) {
            let mut successors = Successors::new();
            for (o, new, c) in bridge.bridge(catalogs, from, to)?.pairs {
                successors.entry(o).or_default().push((new, c));
            }
            self.successors.insert(key.clone(), successors);
        }
        Ok(self.successors[&key].get(old).cloned().unwrap_or_default())
    }

    /// Requirement `id` of `catalog`, as [`crate::model::Catalog::requirement`] finds it.
    fn requirement<'c>(
        &mut self,
        catalog: &'c crate::model::Catalog,
        id: &RequirementId,
    ) -> Option<&'c crate::model::Requirement> {
        let positions = self.positions.entry(catalog.key()).or_insert_with(|| {
            let mut positions = HashMap::with_capacity(catalog.requirements.len());
            for (i, requirement) in catalog.requirements.iter().enumerate() {
                positions.entry(requirement.id.clone()).or_insert(i);
            }
            positions
        });
        catalog.requirements.get(*positions.get(id)?)
    }
}

/// The entry changes of one file for one target.
fn plan_file(
    file: &ControlFileText,
    target: &CatalogKey,
    catalogs: &CatalogSet,
    bridge: &dyn VersionBridge,
    bridges: &mut Bridges,
    migration: &mut Migration,
) -> Result<Vec<EntryChange>, Diagnostics> {
    let mut changes = Vec::new();
    for (c, control) in file.value.controls.iter().enumerate() {
        for (e, entry) in control.satisfies.iter().enumerate() {
            let from = CatalogKey {
                standard: crate::model::StandardSlug::new(entry.standard.as_str()),
                version: crate::model::Version::new(entry.reviewed_against.as_str()),
            };
            if from.standard != target.standard
                || from.version > target.version
                || catalogs.get(&from).is_none()
            {
                continue;
            }
            // A mapping reviewed against the target itself only moves when it names a
            // requirement the target withdrew and links onward.
            let same_version = from == *target;
            let mut change = EntryChange {
                control: c,
                entry: e,
                moves: Vec::new(),
                items: entry.requirements.len(),
                standard: entry.standard.clone(),
                coverage: entry.coverage,
                target: target.version.clone(),
                note: None,
                old_note: entry.note.clone(),
                same_version,
            };
            for (k, id) in entry.requirements.iter().enumerate() {
                let old = RequirementId::new(id.as_str());
                let successors = if same_version {
                    match withdrawn_successors(catalogs, bridges, target, &old) {
                        Some(successors) => successors,
                        None => continue,
                    }
                } else {
                    bridges.successors(catalogs, bridge, &from, target, &old)?
                };
                match carried_id(&successors) {
                    Some(new) => {
                        record_move(migration, &control.id, &from, target, &old, &new);
                        change.moves.push((k, new));
                    }
                    None => {
                        let place = item_place(file, c, e, k);
                        let old = from.requirement(&old);
                        let left = remaining(&control.id, old, target, &successors, place);
                        migration.remaining.push(left);
                    }
                }
            }
            if !change.moves.is_empty() {
                // A folded or literal note cannot be rewritten in place; the summary and
                // the warning still say the carry relies on a reconstructed catalog.
                let note_on_one_line = note_fits_one_line(file, c, e);
                if !same_version && across_reconstructed(catalogs, &from, target) {
                    migration.assumed += change.moves.len();
                }
                if !same_version
                    && note_on_one_line
                    && across_reconstructed(catalogs, &from, target)
                {
                    change.note = Some(format!(
                        "{} carried from {from} across a reconstructed catalog; confirm with `reqgap review`",
                        crate::model::inventory::ASSUMED_NOTE
                    ));
                }
                changes.push(change);
            }
        }
    }
    Ok(changes)
}

/// Where the catalog's links carry a requirement that `target` withdrew; `None` when the
/// requirement is active there (or unknown, which validation reports), so nothing moves.
fn withdrawn_successors(
    catalogs: &CatalogSet,
    bridges: &mut Bridges,
    target: &CatalogKey,
    id: &RequirementId,
) -> Option<Vec<(RequirementId, Correspondence)>> {
    let catalog = catalogs.get(target)?;
    let requirement = bridges.requirement(catalog, id)?;
    if requirement.is_active() {
        return None;
    }
    Some(
        crate::gaps::linked_successors(catalog, requirement)
            .into_iter()
            .map(|(to, correspondence)| (to.id.clone(), correspondence))
            .collect(),
    )
}

/// The ID an old requirement carries to without anyone's judgement: its only successor,
/// unchanged, editorially changed or renumbered without a change of substance.
fn carried_id(successors: &[(RequirementId, Correspondence)]) -> Option<RequirementId> {
    let [(new, correspondence)] = successors else {
        return None;
    };
    // An inferred or doubtful transition entry is someone's judgement still to be made.
    if correspondence.partial || doubtful(correspondence).is_some() {
        return None;
    }
    match correspondence.carry {
        Carry::Unchanged | Carry::Editorial | Carry::Renumbered { substantive: false } => {
            Some(new.clone())
        }
        _ => None,
    }
}

fn record_move(
    migration: &mut Migration,
    control: &str,
    from: &CatalogKey,
    target: &CatalogKey,
    old: &RequirementId,
    new: &RequirementId,
) {
    if old == new {
        migration.raised += 1;
    } else {
        migration.renumbered.push(Moved {
            control: control.to_owned(),
            from: from.requirement(old),
            to: target.requirement(new),
        });
    }
}

fn item_place(file: &ControlFileText, control: usize, entry: usize, item: usize) -> Place {
    let path = [
        "controls".into(),
        control.into(),
        "satisfies".into(),
        entry.into(),
        "requirements".into(),
    ];
    let position = file
        .index
        .items(&path)
        .get(item)
        .copied()
        .or_else(|| file.index.nearest(&path));
    Place {
        path: file.file.path.clone(),
        line: position.map_or(1, |p| p.line),
        column: position.map_or(1, |p| p.column),
    }
}

/// The first transition entry on the way that holds coverage until a person confirms it.
fn doubtful(correspondence: &Correspondence) -> Option<&crate::model::UnconfirmedEntry> {
    correspondence
        .unconfirmed
        .iter()
        .find(|e| e.why.holds_coverage())
}

/// Why a mapping is left for a person, and which gaps stay open until then.
fn remaining(
    control: &str,
    old: RequirementKey,
    target: &CatalogKey,
    successors: &[(RequirementId, Correspondence)],
    place: Place,
) -> Remaining {
    let names: Vec<&str> = successors.iter().map(|(id, _)| id.as_str()).collect();
    let reason = match successors {
        [] => format!("removed from {target}"),
        [_, _, ..] => format!("split into {}", names.join(", ")),
        [(new, c)] => match c.carry {
            Carry::Unchanged | Carry::Editorial | Carry::Renumbered { substantive: false }
                if doubtful(c).is_some() =>
            {
                doubtful(c).map_or_else(String::new, |e| {
                    format!(
                        "carried to {new} through {} ({})",
                        e.why.entry_words(),
                        e.file
                    )
                })
            }
            Carry::Renumbered { .. } => format!("renumbered to {new} and changed in substance"),
            Carry::Substantive => "changed in substance".to_owned(),
            Carry::SplitPart => format!("split; {new} is one of its parts"),
            Carry::MergedInto => format!("merged with others into {new}"),
            Carry::IncorporatedInto => format!("withdrawn and incorporated into {new}"),
            Carry::Unconfirmed => format!("matched to {new} with low confidence ({:.2})", c.score),
            Carry::Unchanged | Carry::Editorial => format!("covers only part of {new}"),
        },
    };
    let gap_keys = if successors.is_empty() {
        vec![format!("obsolete-mapping:{old}:{control}")]
    } else {
        names
            .iter()
            .map(|new| {
                format!(
                    "needs-review:{}:{control}",
                    target.requirement(&RequirementId::new(*new))
                )
            })
            .collect()
    };
    Remaining {
        control: control.to_owned(),
        requirement: old,
        reason,
        gap_keys,
        place,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn change(path: &str, new: &str) -> FileChange {
        FileChange {
            path: path.into(),
            display: path.into(),
            old: "old".into(),
            new: new.into(),
            creates: false,
        }
    }

    #[test]
    fn changed_files_are_sorted_by_path_without_the_unchanged_ones() {
        let files = vec![
            change("controls/b.yaml", "new"),
            change("controls/c.yaml", "old"),
            change("controls/a.yaml", "new"),
        ];
        let paths: Vec<_> = changed_files(files)
            .files
            .into_iter()
            .map(|f| f.display)
            .collect();
        assert_eq!(paths, ["controls/a.yaml", "controls/b.yaml"]);
    }
}
