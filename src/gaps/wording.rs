//! Every sentence reqgap writes about a gap, in one place: renderers show `Gap::message`
//! and `Gap::title`, which are written here from the gap's typed [`Cause`].

use super::cause::{Cause, ChainLink, ReviewReason};
use crate::diff::{Delta, Details};
use crate::model::{CatalogKey, ControlId, GapKey, RequirementKey, UnconfirmedEntry};

/// Why the gap exists and what to do, in one line.
pub fn message(key: &GapKey, cause: &Cause, target: Option<&CatalogKey>) -> String {
    let control = key.control();
    match cause {
        Cause::NoActiveControl {
            planned,
            broken,
            retired,
            through_crosswalks,
        } => uncovered(planned, broken, retired) + &unmet_through(through_crosswalks),
        Cause::PartialCoverage { controls } => format!(
            "only partly covered (by {}): close the rest or add a control",
            list(controls)
        ),
        Cause::PartialThroughCrosswalk {
            missing,
            paths,
            every_listed_part_met,
        } => crosswalk_partial(missing, paths.len(), *every_listed_part_met),
        Cause::UndeterminedThroughCrosswalk { paths } => crosswalk_undetermined(paths.len()),
        Cause::NoSectionOwner { section } => format!(
            "nobody answers for this uncovered requirement: add a section owner for {section} or a default owner to the target"
        ),
        Cause::NotApplicableReviewDue {
            declared,
            reviewed,
            every,
            due,
            ..
        } => format!(
            "declared not applicable (`{declared}`), last reviewed on {reviewed} and due again on {due} (every {every}): confirm it still does not apply, or cover it"
        ),
        Cause::NoEvidence => format!(
            "control {} lists no evidence: add the record that shows it operates (evidence in its control file)",
            shown(control)
        ),
        Cause::NoControlOwner => format!(
            "control {} has no owner: assign one in its control file",
            shown(control)
        ),
        Cause::Renumbered { from, to } => format!(
            "control {} maps to {from}, now {to}: update the mapping to the new ID",
            shown(control)
        ),
        Cause::ChangedSince {
            from,
            change,
            score,
            details,
            unconfirmed_entries,
            ..
        } => {
            let to = key.requirement();
            format!(
                "{}{}{}: review whether control {} still satisfies it (mapping reviewed against {})",
                review_reason(*change, from, to, *score),
                details_text(details),
                through_unconfirmed(unconfirmed_entries),
                shown(control),
                from.catalog.version
            )
        }
        Cause::AssumedCarry { mapped, from } => format!(
            "the mapping of control {} to {mapped} was carried{} across a reconstructed catalog (IDs partly inferred), so it is assumed: confirm it with `reqgap review`, and it counts once confirmed",
            shown(control),
            from.as_ref()
                .map_or_else(String::new, |from| format!(" from {from}"))
        ),
        Cause::DependencyChain { control, chain } => format!(
            "control {control} depends on {}, so its coverage does not count",
            chain_text(chain)
        ),
        Cause::EvidenceDue {
            evidence,
            reviewed,
            every,
            due,
        } => format!(
            "evidence {evidence} was last reviewed on {reviewed} and was due again on {due} (every {every})"
        ),
        Cause::NewerVersion {
            newer,
            added,
            changed,
        } => format!(
            "{added} added and {changed} changed requirements: run `reqgap diff {} {newer}` and plan the transition",
            target.map_or_else(String::new, ToString::to_string)
        ),
        Cause::NoSuccessor {
            requirement,
            target,
        } => format!(
            "{} has no successor in {target}: the mapping is kept for the record; remove it or map the control elsewhere",
            requirement.id
        ),
        Cause::Withdrawn { requirement } => format!(
            "{} is withdrawn in {}: the mapping is kept for the record; remove it or map the control elsewhere",
            requirement.id, requirement.catalog
        ),
    }
}

/// The title of a gap that is about a mapping rather than a requirement.
pub fn mapping_title(control: &ControlId, requirement: &RequirementKey) -> String {
    format!("mapping of {control} to {requirement}")
}

/// The title of a `newer-version` gap.
pub fn newer_version_title(newer: &CatalogKey, target: &CatalogKey) -> String {
    format!("{newer} supersedes the target {target}")
}

fn uncovered(planned: &[ControlId], broken: &[ControlId], retired: &[ControlId]) -> String {
    let mut message = String::from("no active control covers it");
    if !retired.is_empty() {
        message.push_str(&format!("; was covered by {}, now retired", list(retired)));
    }
    if !planned.is_empty() {
        message.push_str(&format!("; planned: {}", list(planned)));
    }
    if !broken.is_empty() {
        message.push_str(&format!(
            "; coverage by {} does not count (broken dependency)",
            list(broken)
        ));
    }
    message
}

fn review_reason(
    change: ReviewReason,
    from: &RequirementKey,
    to: Option<&RequirementKey>,
    score: f64,
) -> String {
    let old = &from.id;
    let new = to.map_or_else(String::new, |k| k.id.to_string());
    match change {
        ReviewReason::RenumberedSubstantive => {
            format!("{old} was renumbered to {new} and its text changed in substance")
        }
        ReviewReason::Substantive => format!(
            "the text of {new} changed in substance since {}",
            from.catalog.version
        ),
        ReviewReason::SplitPart => format!("{old} was split; this is one of its parts"),
        ReviewReason::MergedInto => format!("{old} was merged with others into {new}"),
        ReviewReason::IncorporatedInto => format!(
            "{old} is withdrawn in {}, incorporated into {new} (the catalog's link)",
            from.catalog
        ),
        ReviewReason::UnconfirmedSameId => format!(
            "{old} keeps its ID but its text differs widely (similarity {score:.2}); confirm it is the same requirement"
        ),
        ReviewReason::Unconfirmed => format!(
            "{old} was matched to {new} by text similarity ({score:.2}) and the match needs confirmation"
        ),
        ReviewReason::UnconfirmedEntry if old.as_str() == new => format!(
            "{old} keeps its ID in {}",
            to.map_or_else(String::new, |k| k.catalog.to_string())
        ),
        ReviewReason::UnconfirmedEntry => format!("{old} was carried to {new}"),
    }
}

/// `; mapped through an inferred transition entry (<file> [inferred, confidence low]),
/// confirm it`, naming every entry; empty when the carry rests on none.
fn through_unconfirmed(entries: &[UnconfirmedEntry]) -> String {
    let cited = |e: &UnconfirmedEntry| format!("{} [{}]", e.file, e.marks);
    match entries {
        [] => String::new(),
        [one] => format!(
            "; mapped through {} ({}), confirm it",
            one.why.entry_words(),
            cited(one)
        ),
        several => {
            let all: Vec<String> = several.iter().map(cited).collect();
            format!(
                "; mapped through {} transition entries a person has not confirmed ({}), confirm them",
                several.len(),
                all.join("; ")
            )
        }
    }
}

/// What exactly changed, as a parenthesis after the reason (empty when nothing is known):
/// `(level should → shall; numbers +within 24 hours −within 48 hours)`.
fn details_text(details: &Details) -> String {
    fn delta<T: std::fmt::Display + Ord + Clone>(name: &str, delta: &Delta<T>) -> Option<String> {
        if delta.is_empty() {
            return None;
        }
        let parts: Vec<String> = delta
            .added
            .iter()
            .map(|a| format!("+{a}"))
            .chain(delta.removed.iter().map(|r| format!("−{r}")))
            .collect();
        Some(format!("{name} {}", parts.join(" ")))
    }
    let parts: Vec<String> = [
        details
            .level
            .map(|l| format!("level {} → {}", l.from, l.to)),
        delta("markers", &details.markers),
        delta("modal verbs", &details.keywords),
        delta("numbers", &details.numbers),
        delta("list items", &details.list_items),
    ]
    .into_iter()
    .flatten()
    .collect();
    if parts.is_empty() {
        String::new()
    } else {
        format!(" ({})", parts.join("; "))
    }
}

fn chain_text(chain: &[ChainLink]) -> String {
    let parts: Vec<String> = chain
        .iter()
        .map(|link| match link.status {
            Some(status) => format!("{} ({status})", link.control),
            None => link.control.to_string(),
        })
        .collect();
    parts.join(" → ")
}

fn list(controls: &[ControlId]) -> String {
    let names: Vec<&str> = controls.iter().map(ControlId::as_str).collect();
    names.join(", ")
}

fn shown(control: Option<&ControlId>) -> &str {
    control.map_or("?", ControlId::as_str)
}

/// What would meet an uncovered requirement through its crosswalks, at most five named.
fn unmet_through(pieces: &[RequirementKey]) -> String {
    if pieces.is_empty() {
        return String::new();
    }
    format!(
        ", nor does anything on its crosswalk paths: meeting {} would meet it, or part of it, through them (`reqgap crosswalk` lists each hop)",
        capped(pieces)
    )
}

fn capped(pieces: &[RequirementKey]) -> String {
    const SHOWN: usize = 5;
    let mut names: Vec<String> = pieces.iter().take(SHOWN).map(ToString::to_string).collect();
    if pieces.len() > SHOWN {
        names.push(format!("and {} more", pieces.len() - SHOWN));
    }
    names.join(", ")
}

fn crosswalk_undetermined(paths: usize) -> String {
    let plural = if paths == 1 { "" } else { "s" };
    format!(
        "met requirements lead here only through {paths} crosswalk path{plural} whose relations do not say whether they overlap it (e.g. a subset of something that also holds this): review whether the controls meet it (`reqgap coverage` shows the paths)"
    )
}

/// Names at most five missing pieces; `cause.missing` in JSON has them all.
fn crosswalk_partial(missing: &[RequirementKey], paths: usize, every_listed: bool) -> String {
    const SHOWN: usize = 5;
    let plural = if paths == 1 { "" } else { "s" };
    if every_listed {
        return format!(
            "partial: every part the crosswalks list is met ({paths} path{plural}), but they do not say the parts make it whole: confirm the rest, or mark the crosswalk `complete` where its source says so"
        );
    }
    let mut names: Vec<String> = missing
        .iter()
        .take(SHOWN)
        .map(ToString::to_string)
        .collect();
    if missing.len() > SHOWN {
        names.push(format!("and {} more", missing.len() - SHOWN));
    }
    format!(
        "only partly met through crosswalks ({paths} path{plural}): meet {} to complete it (`reqgap coverage` shows the paths)",
        names.join(", ")
    )
}
