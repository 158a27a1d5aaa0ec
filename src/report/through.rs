//! The crosswalk paths of a target, as the human formats show them: every requirement met
//! (fully or partly) through crosswalks, with the paths that justify the claim (at most
//! [`PATHS_SHOWN`](crate::gaps::coverage::PATHS_SHOWN) each; JSON lists every path) and,
//! for partial coverage, the pieces still missing, so that every claim shows its path.

use crate::gaps::coverage::{missing_shown, paths_shown};
use crate::gaps::crosswalk::ThroughState;
use crate::gaps::TargetSummary;

/// One requirement of a target met through crosswalks.
pub(crate) struct ThroughEntry {
    /// The bare requirement ID (the heading names the target).
    pub(crate) id: String,
    /// `covered` or `partial`.
    pub(crate) state: &'static str,
    /// Compact paths, capped, with an `and N more paths` line.
    pub(crate) paths: Vec<String>,
    /// `missing: …` for partial coverage.
    pub(crate) missing: Option<String>,
}

/// The entries of `target`, in requirement order (as the analysis sorted them).
pub(crate) fn entries(target: &TargetSummary) -> Vec<ThroughEntry> {
    target
        .through_crosswalks
        .iter()
        .map(|t| ThroughEntry {
            id: t.requirement.id.to_string(),
            state: match t.through.state {
                ThroughState::Covered => "covered",
                ThroughState::Partial if t.through.every_listed_part_met => {
                    "partial: every listed part met"
                }
                ThroughState::Partial => "partial",
                ThroughState::None => "undetermined: review",
            },
            // A requirement reached only through undetermined paths shows those, so that
            // people see why it is sent to review.
            paths: match t.through.state {
                ThroughState::None => paths_shown(&t.through.undetermined),
                _ => paths_shown(&t.through.paths),
            },
            missing: missing_shown(&t.through.missing),
        })
        .collect()
}

/// `Through crosswalks, eu-nis2-directive@2022-2555: 3 covered, 8 partial`, or `None`
/// when no requirement of the target is met through crosswalks.
pub(crate) fn heading(target: &TargetSummary) -> Option<String> {
    let through = &target.through_crosswalks;
    if through.is_empty() {
        return None;
    }
    let count = |state| through.iter().filter(|t| t.through.state == state).count();
    let covered = count(ThroughState::Covered);
    let partial = count(ThroughState::Partial);
    let undetermined = match count(ThroughState::None) {
        0 => String::new(),
        n => format!(", {n} undetermined (review)"),
    };
    Some(format!(
        "Through crosswalks, {}: {covered} covered, {partial} partial{undetermined} (control → requirement met → each crosswalk hop with its relation)",
        target.catalog,
    ))
}
