//! The remediation plan named by `plan:` in reqgap.yaml: raw types and validation into
//! [`PlanEntry`]s. Each entry names a gap key (or a key prefix ending in `*`, as waivers
//! do) and gives the gaps it names their own due date, status and ticket.

use std::collections::BTreeSet;
use std::path::Path;

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use super::catalog::parse_date;
use super::inventory::{parse_file, Parsed};
use super::scalar::Text;
use super::yaml::Step;
use crate::diag::{Code, Diagnostic, Diagnostics, Location};
use crate::model::{GapKey, GapPattern, PlanEntry, PlanStatus};

/// A plan file.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct PlanFile {
    /// Planned remediations, one per gap or pattern of gap keys.
    pub plan: Vec<PlanFileEntry>,
}

/// One planned remediation.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct PlanFileEntry {
    /// The gap key (as `reqgap gaps` prints it), or a key prefix ending in `*`, e.g.
    /// `uncovered:etsi-en-319-401@3.2.1:REQ-7.14*`. The most specific entry decides.
    pub gap: String,
    /// The agreed date (YYYY-MM-DD); it replaces the target's due date for these gaps.
    pub due: Text,
    /// `planned`, `in-progress`, `blocked` or `done-pending-evidence`.
    pub status: PlanStatus,
    /// Where the work is tracked: free text or a URL.
    #[serde(default)]
    pub ticket: Option<String>,
    /// Free text, shown beside the gap.
    #[serde(default)]
    pub note: Option<String>,
}

/// Loads and validates the plan file at `path` (resolved by the inventory loader).
pub(crate) fn load(path: &Path, today: NaiveDate, diagnostics: &mut Diagnostics) -> Vec<PlanEntry> {
    let file: Parsed<PlanFile> = match parse_file(path) {
        Ok(file) => file,
        Err(problems) => {
            diagnostics.extend(problems);
            return Vec::new();
        }
    };
    let mut seen = BTreeSet::new();
    let mut plan = Vec::new();
    for (i, raw) in file.value.plan.iter().enumerate() {
        let Some(entry) = entry_checked(&file, i, raw, today, diagnostics) else {
            continue;
        };
        if !seen.insert(entry.gap.clone()) {
            let message = format!("the plan names `{}` twice", raw.gap);
            diagnostics.push(file.error(Code::DuplicateId, message, &at(i, "gap")));
            continue;
        }
        plan.push(entry);
    }
    plan
}

fn at(i: usize, key: &str) -> [Step<'_>; 3] {
    ["plan".into(), i.into(), Step::Key(key)]
}

fn entry_checked(
    file: &Parsed<PlanFile>,
    i: usize,
    raw: &PlanFileEntry,
    today: NaiveDate,
    diagnostics: &mut Diagnostics,
) -> Option<PlanEntry> {
    let gap = GapPattern::parse(&raw.gap).map_err(|e| {
        let message = e.message(&raw.gap).replace("waiver", "plan entry");
        diagnostics.push(file.error(Code::BadPlan, message, &at(i, "gap")));
    });
    let due = parse_date(raw.due.as_str());
    if due.is_none() {
        diagnostics.push(super::scalar::bad_date(raw.due.as_str(), |message| {
            file.error(Code::BadDate, message, &at(i, "due"))
        }));
    }
    let (gap, due) = (gap.ok()?, due?);
    // Work that has not started by its deadline is a plan nobody follows: say so, but as a
    // warning, since the day passing is no fault in the file.
    if raw.status == PlanStatus::Planned && due < today {
        diagnostics.push(
            file.warning(
                Code::PlanPastDue,
                format!("`{}` is still `planned` but was due {due}", raw.gap),
                &at(i, "due"),
            )
            .note("help: set the status the work has, or agree a new date"),
        );
    }
    Some(PlanEntry {
        gap,
        due,
        status: raw.status,
        ticket: raw.ticket.clone(),
        note: raw.note.clone(),
        place: file.place(&at(i, "gap")),
    })
}

/// A located error for each plan entry that names no gap of the analysis: it was closed
/// (remove the entry) or its key is misspelt, and either way the plan is out of date.
pub fn unmatched(plan: &[PlanEntry], keys: &[&GapKey]) -> Diagnostics {
    let mut problems = Diagnostics::new();
    for entry in plan {
        if keys.iter().any(|key| entry.gap.matches(key)) {
            continue;
        }
        let location = Location {
            path: entry.place.path.clone(),
            line: Some(entry.place.line),
            column: Some(entry.place.column),
            snippet: None,
            width: entry.gap.as_str().chars().count(),
        };
        problems.push(
            Diagnostic::error(
                Code::PlanMatchesNothing,
                format!("plan entry `{}` names no open gap", entry.gap),
            )
            .at(location)
            .note("help: remove the entry when the gap is closed (`reqgap review` and `reqgap migrate` remove the entries of the gaps they close), or correct the key (`reqgap gaps` prints every key)"),
        );
    }
    problems
}
