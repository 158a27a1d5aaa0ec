use std::io::Write;

use std::collections::BTreeMap;

use super::record;
use crate::gaps::{Gap, GapReport};
use crate::model::OwnerId;
use crate::report::ReportError;

pub(super) const HEADER: [&str; 23] = [
    "key",
    "kind",
    "severity",
    "status",
    "owner",
    "owner_name",
    "due",
    "escalation",
    "target",
    "requirement",
    "section",
    "level",
    "control",
    "evidence",
    "title",
    "message",
    "file",
    "line",
    "new_in",
    "new_in_since",
    "plan_status",
    "plan_ticket",
    "plan_note",
];

/// One row per gap, in the report's order (owner, due date, key).
pub(super) fn report(
    report: &GapReport,
    delimiter: char,
    out: &mut dyn Write,
) -> Result<(), ReportError> {
    record(out, delimiter, &HEADER.map(str::to_owned))?;
    for gap in &report.gaps {
        record(out, delimiter, &fields(gap, &report.owners))?;
    }
    Ok(())
}

/// The cells of one gap, in [`HEADER`] order.
pub(super) fn fields(gap: &Gap, owners: &BTreeMap<OwnerId, String>) -> Vec<String> {
    let text = |value: Option<String>| value.unwrap_or_default();
    let owner_name = gap.owner.as_ref().and_then(|o| owners.get(o)).cloned();
    let escalation: Vec<&str> = gap.escalation.iter().map(OwnerId::as_str).collect();
    vec![
        gap.key.to_string(),
        gap.kind.to_string(),
        gap.severity.to_string(),
        gap.status.as_str().to_owned(),
        text(gap.owner.as_ref().map(ToString::to_string)),
        text(owner_name),
        gap.due.to_string(),
        escalation.join(" > "),
        text(gap.target.as_ref().map(ToString::to_string)),
        text(gap.requirement.as_ref().map(ToString::to_string)),
        text(gap.section.clone()),
        text(gap.level.map(|l| l.to_string())),
        text(gap.control.as_ref().map(ToString::to_string)),
        text(gap.evidence.as_ref().map(ToString::to_string)),
        gap.title.clone(),
        gap.message.clone(),
        text(gap.place.as_ref().map(|p| p.path.clone())),
        text(gap.place.as_ref().map(|p| p.line.to_string())),
        text(gap.new_in.as_ref().map(|n| n.change.to_string())),
        text(gap.new_in.as_ref().map(|n| n.since.to_string())),
        text(gap.plan.as_ref().map(|p| p.status.to_string())),
        text(gap.plan.as_ref().and_then(|p| p.ticket.clone())),
        text(gap.plan.as_ref().and_then(|p| p.note.clone())),
    ]
}
