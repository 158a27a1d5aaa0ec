//! `review`: record that a person reviewed a control's mapping against the target version.
//! The reviewed requirement IDs leave the entry made against the older version and are
//! mapped against the target, with who reviewed them and when in the note; this closes
//! their `needs-review` (and `stale-reference`) gaps.
//!
//! A `needs-review` gap of a not-applicable decision whose review fell due is closed in
//! reqgap.yaml instead: the decision's `reviewed` date becomes today and its `approved-by`
//! the reviewer, who confirmed that the requirement still does not apply.

use std::collections::{BTreeMap, BTreeSet};

use chrono::NaiveDate;

use super::mappings::EntryChange;
use super::migrate::Bridges;
use super::text::{self, Edit, Lines};
use super::{control_files, ChangeSet, ConfigFileText, ControlFileText, FileChange};
use crate::diag::{Code, Diagnostic, Diagnostics};
use crate::gaps::{Cause, GapKind, GapReport, VersionBridge};
use crate::model::CatalogSet;
use crate::model::{CatalogKey, ControlId, Inventory, RequirementId};
use crate::source::yaml::Step;

/// Who reviewed which gaps, and when.
pub struct Request<'a> {
    /// Gap keys, or prefixes of them ending in `*`.
    pub patterns: &'a [String],
    pub by: &'a str,
    pub note: Option<&'a str>,
    pub today: NaiveDate,
}

/// The gaps a review closes and the files it changes.
#[derive(Debug, Default)]
pub struct Review {
    pub closed: Vec<String>,
    /// Plan entries whose gaps the review closed: they leave the plan file.
    pub plan: super::plan::PlanFollowed,
    pub changes: ChangeSet,
}

/// The gap kinds a review closes.
const REVIEWABLE: [GapKind; 2] = [GapKind::NeedsReview, GapKind::StaleReference];

/// Plans the review; nothing is written (`Review::changes` holds the new files).
pub fn plan(
    inventory: &Inventory,
    catalogs: &CatalogSet,
    bridge: &dyn VersionBridge,
    report: &GapReport,
    request: &Request<'_>,
) -> Result<Review, Diagnostics> {
    known_reviewer(inventory, request.by)?;
    let (closed, reviewed, decisions) = select(report, request.patterns)?;
    let mut review = Review {
        plan: follow_plan(inventory, report, &closed)?,
        closed,
        changes: ChangeSet::default(),
    };
    if let Some(change) = review.plan.change.take() {
        review.changes.push(change);
    }
    let mut bridges = Bridges::default();
    let mut problems = Diagnostics::new();
    for file in control_files(inventory)? {
        let mut changes = Vec::new();
        for ((target, control), ids) in &reviewed {
            let planned = plan_control(
                &file,
                control,
                target,
                ids,
                catalogs,
                bridge,
                &mut bridges,
                request,
            );
            match planned {
                Ok(found) => changes.extend(found),
                Err(d) => problems.extend(d),
            }
        }
        review.changes.push(file.change(&changes)?);
    }
    for (config, declared) in &decisions {
        match confirm_decisions(config, declared, request) {
            Ok(change) => review.changes.push(change),
            Err(d) => problems.extend(d),
        }
    }
    problems.into_result(review)
}

/// The plan file without the entries whose every gap the review closes: a plan entry must
/// name an open gap, so a done entry would stop the next run.
fn follow_plan(
    inventory: &Inventory,
    report: &GapReport,
    closed: &[String],
) -> Result<super::plan::PlanFollowed, Diagnostics> {
    let open: Vec<&crate::model::GapKey> = report.gaps.iter().map(|g| &g.key).collect();
    let closed: BTreeSet<String> = closed.iter().cloned().collect();
    super::plan::follow(
        inventory,
        super::plan::Follow {
            open: &open,
            closed: &closed,
            retarget: None,
        },
    )
}

/// Not-applicable decisions to confirm, per reqgap.yaml path: (target, declared pattern).
type Decisions = BTreeMap<String, BTreeSet<(CatalogKey, String)>>;

/// reqgap.yaml with each named decision's `reviewed` set to today and `approved-by` to the
/// reviewer; a `--note` goes into a comment line above the entry's `reviewed` key.
fn confirm_decisions(
    path: &str,
    declared: &BTreeSet<(CatalogKey, String)>,
    request: &Request<'_>,
) -> Result<FileChange, Diagnostics> {
    let config = ConfigFileText::read(std::path::Path::new(path))?;
    let text = &config.file.text;
    let lines = Lines::new(text);
    let mut edits = Vec::new();
    for (t, target) in config.value.targets.iter().enumerate() {
        for (j, entry) in target.not_applicable.iter().enumerate() {
            let key = (
                CatalogKey {
                    standard: crate::model::StandardSlug::new(target.standard.as_str()),
                    version: crate::model::Version::new(target.version.text.as_str()),
                },
                entry.requirement.clone(),
            );
            if !declared.contains(&key) {
                continue;
            }
            let path = |field: &'static str| {
                [
                    Step::Key("targets"),
                    t.into(),
                    Step::Key("not-applicable"),
                    j.into(),
                    Step::Key(field),
                ]
            };
            let reviewed = config.scalar(&path("reviewed"))?;
            let approved = config.scalar(&path("approved-by"))?;
            if let Some(note) = request.note {
                let line = config.index.key(&path("reviewed")).map_or(1, |p| p.line);
                let line = lines.line_range(line);
                let indent: String = text[line.clone()]
                    .chars()
                    .take_while(|c| *c == ' ')
                    .collect();
                let flat: String = note
                    .chars()
                    .map(|c| if c.is_control() { ' ' } else { c })
                    .collect();
                edits.push(Edit {
                    range: line.start..line.start,
                    text: format!(
                        "{indent}# Confirmed by {} on {}: {flat}{}",
                        request.by,
                        request.today,
                        lines.newline()
                    ),
                });
            }
            // A date stays plain when it was plain (YAML would quote it as a string).
            let date = request.today.to_string();
            edits.push(match text[reviewed.clone()].chars().next() {
                Some('\'' | '"') => Edit {
                    text: text::scalar_like(&text[reviewed.clone()], &date),
                    range: reviewed,
                },
                _ => Edit {
                    range: reviewed,
                    text: date,
                },
            });
            edits.push(Edit {
                text: text::scalar_like(&text[approved.clone()], request.by),
                range: approved,
            });
        }
    }
    config.change(edits)
}

fn known_reviewer(inventory: &Inventory, by: &str) -> Result<(), Diagnostics> {
    if inventory.owners.contains_key(by) {
        return Ok(());
    }
    let known: Vec<String> = inventory.owners.keys().map(ToString::to_string).collect();
    let mut d = Diagnostic::error(Code::UnknownOwner, format!("--by: unknown owner `{by}`"))
        .note("help: the reviewer must be an owner of the owners file");
    if let Some(best) = crate::suggest::nearest(by, &known) {
        d = d.note(format!("help: did you mean `{best}`?"));
    }
    Err(d.into())
}

type Reviewed = BTreeMap<(CatalogKey, ControlId), BTreeSet<RequirementId>>;

/// The open gaps the patterns name, and per target and control the requirement IDs to
/// record as reviewed. A pattern that names no reviewable gap is an error: a typo must not
/// pass for a review.
fn select(
    report: &GapReport,
    patterns: &[String],
) -> Result<(Vec<String>, Reviewed, Decisions), Diagnostics> {
    let mut closed = BTreeSet::new();
    let mut reviewed = Reviewed::new();
    let mut decisions = Decisions::new();
    let mut problems = Diagnostics::new();
    for pattern in patterns {
        let matches = |key: &str| match pattern.strip_suffix('*') {
            Some(prefix) => key.starts_with(prefix),
            None => key == pattern,
        };
        let mut found = false;
        for gap in report.gaps.iter().filter(|g| REVIEWABLE.contains(&g.kind)) {
            let key = gap.key.to_string();
            if !matches(&key) {
                continue;
            }
            if let (Cause::NotApplicableReviewDue { declared, .. }, Some(target), Some(place)) =
                (&gap.cause, &gap.target, &gap.place)
            {
                found = true;
                closed.insert(key);
                decisions
                    .entry(place.path.clone())
                    .or_default()
                    .insert((target.clone(), declared.clone()));
                continue;
            }
            let (Some(target), Some(requirement), Some(control)) =
                (&gap.target, &gap.requirement, &gap.control)
            else {
                continue;
            };
            found = true;
            closed.insert(key);
            reviewed
                .entry((target.clone(), control.clone()))
                .or_default()
                .insert(requirement.id.clone());
        }
        if !found {
            problems.push(
                Diagnostic::error(
                    Code::NoSuchGap,
                    format!("no open needs-review or stale-reference gap matches `{pattern}`"),
                )
                .note("help: `reqgap gaps DIR --kind needs-review,stale-reference` lists them"),
            );
        }
    }
    problems.into_result((closed.into_iter().collect(), reviewed, decisions))
}

/// The entry changes in `file` that record `ids` of `control` as reviewed against `target`.
#[allow(clippy::too_many_arguments)]
fn plan_control(
    file: &ControlFileText,
    control: &ControlId,
    target: &CatalogKey,
    ids: &BTreeSet<RequirementId>,
    catalogs: &CatalogSet,
    bridge: &dyn VersionBridge,
    bridges: &mut Bridges,
    request: &Request<'_>,
) -> Result<Vec<EntryChange>, Diagnostics> {
    let Some((c, entry_list)) = file
        .value
        .controls
        .iter()
        .enumerate()
        .find(|(_, e)| e.id == control.as_str())
        .map(|(c, e)| (c, &e.satisfies))
    else {
        return Ok(Vec::new());
    };
    let mut note = format!(
        "Reviewed against {} by {} on {}",
        target.version, request.by, request.today
    );
    if let Some(text) = request.note {
        note.push_str(&format!(": {text}"));
    }
    let mut changes = Vec::new();
    for (e, entry) in entry_list.iter().enumerate() {
        let from = CatalogKey {
            standard: crate::model::StandardSlug::new(entry.standard.as_str()),
            version: crate::model::Version::new(entry.reviewed_against.as_str()),
        };
        if from.standard != target.standard {
            continue;
        }
        let mut change = EntryChange {
            control: c,
            entry: e,
            moves: Vec::new(),
            items: entry.requirements.len(),
            standard: entry.standard.clone(),
            coverage: entry.coverage,
            target: target.version.clone(),
            note: Some(note.clone()),
            old_note: entry.note.as_deref().and_then(without_assumed),
            same_version: false,
        };
        if from.version == target.version {
            // Reviewed against the target already: only a mapping `migrate` carried across a
            // reconstructed catalog waits for a review, which confirms it where it stands.
            if is_assumed(entry.note.as_deref()) {
                change.moves = confirmed(&entry.requirements, ids);
            }
            if !change.moves.is_empty() {
                changes.push(change);
            }
            continue;
        }
        for (k, id) in entry.requirements.iter().enumerate() {
            let old = RequirementId::new(id.as_str());
            let successors = bridges.successors(catalogs, bridge, &from, target, &old)?;
            let news: Vec<RequirementId> = successors.into_iter().map(|(n, _)| n).collect();
            let hit = news.iter().filter(|n| ids.contains(*n)).count();
            if hit == 0 {
                continue;
            }
            if hit < news.len() {
                let parts: Vec<&str> = news.iter().map(RequirementId::as_str).collect();
                return Err(Diagnostic::error(
                    Code::PartialReview,
                    format!(
                        "{old} ({}) of control {control} carries to {}: review all of them together",
                        from.version,
                        parts.join(", ")
                    ),
                )
                .into());
            }
            change.moves.extend(news.into_iter().map(|n| (k, n)));
        }
        if !change.moves.is_empty() {
            changes.push(change);
        }
    }
    Ok(changes)
}

fn is_assumed(note: Option<&str>) -> bool {
    note.is_some_and(|n| n.starts_with(crate::model::inventory::ASSUMED_NOTE))
}

/// The items of an entry the review confirms, each keeping its ID.
fn confirmed(
    requirements: &[crate::source::scalar::Text],
    ids: &BTreeSet<RequirementId>,
) -> Vec<(usize, RequirementId)> {
    requirements
        .iter()
        .enumerate()
        .map(|(k, id)| (k, RequirementId::new(id.as_str())))
        .filter(|(_, id)| ids.contains(id))
        .collect()
}

/// The note a reviewed entry keeps: an `assumed:` mark is dropped (the review confirms
/// the mapping), and the note it was written before (`… (earlier note: …)`) is kept.
fn without_assumed(note: &str) -> Option<String> {
    if !is_assumed(Some(note)) {
        return Some(note.to_owned());
    }
    let (_, earlier) = note.split_once(" (earlier note: ")?;
    earlier.strip_suffix(')').map(str::to_owned)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_review_drops_the_assumed_mark_and_keeps_the_note_before_it() {
        assert_eq!(
            without_assumed("assumed: carried from a@1 across a reconstructed catalog; confirm with `reqgap review` (earlier note: agreed in 2024)"),
            Some("agreed in 2024".to_owned())
        );
        assert_eq!(
            without_assumed("assumed: carried from a@1 across a reconstructed catalog; confirm with `reqgap review`"),
            None
        );
        assert_eq!(
            without_assumed("agreed in 2024"),
            Some("agreed in 2024".to_owned())
        );
    }
}
