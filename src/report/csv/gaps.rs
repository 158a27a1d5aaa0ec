use std::io::Write;

use super::record;
use crate::gaps::GapReport;
use crate::model::OwnerId;
use crate::report::ReportError;

const HEADER: [&str; 18] = [
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
];

/// One row per gap, in the report's order (owner, due date, key).
pub(super) fn report(report: &GapReport, out: &mut dyn Write) -> Result<(), ReportError> {
    record(out, &HEADER.map(str::to_owned))?;
    let text = |value: Option<String>| value.unwrap_or_default();
    for gap in &report.gaps {
        let owner_name = gap
            .owner
            .as_ref()
            .and_then(|o| report.owners.get(o))
            .cloned();
        let escalation: Vec<&str> = gap.escalation.iter().map(OwnerId::as_str).collect();
        record(
            out,
            &[
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
            ],
        )?;
    }
    Ok(())
}
