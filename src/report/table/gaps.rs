use std::io::Write;

use crate::report::sanitize::cell;

use super::TableReporter;
use crate::gaps::{Gap, GapReport, GapStatus, TargetSummary};
use crate::model::{Level, OwnerId};
use crate::report::ReportError;

pub(super) fn report(
    reporter: &TableReporter,
    report: &GapReport,
    out: &mut dyn Write,
) -> Result<(), ReportError> {
    header(report, out)?;
    for (owner, gaps) in report.by_owner() {
        writeln!(out)?;
        writeln!(out, "{}", owner_heading(report, owner, &gaps))?;
        let mut table = reporter.table(&[
            "Due",
            "Status",
            "Severity",
            "Kind",
            "Requirement",
            "Control",
            "Details",
        ]);
        for gap in gaps {
            table.add_row(vec![
                cell(gap.due),
                cell(status_text(gap)),
                cell(gap.severity),
                cell(gap.kind),
                cell(requirement_text(gap)),
                cell(
                    gap.control
                        .as_ref()
                        .map_or_else(|| "-".to_owned(), ToString::to_string),
                ),
                cell(format!("{}: {}", gap.title, gap.message)),
            ]);
        }
        writeln!(out, "{table}")?;
    }
    if report.gaps.is_empty() {
        writeln!(out, "\nNo open gaps.")?;
    }
    Ok(())
}

fn header(report: &GapReport, out: &mut dyn Write) -> Result<(), ReportError> {
    writeln!(
        out,
        "Gap analysis for {} as of {}",
        report.organisation, report.today
    )?;
    for target in &report.targets {
        writeln!(out, "{}", target_line(target))?;
        for line in not_applicable_lines(target) {
            writeln!(out, "  {line}")?;
        }
    }
    let counts: Vec<String> = report
        .counts
        .iter()
        .filter(|(_, n)| **n > 0)
        .map(|(kind, n)| format!("{n} {kind}"))
        .collect();
    let total = report.gaps.len();
    if counts.is_empty() {
        writeln!(out, "Gaps: none")?;
    } else {
        writeln!(
            out,
            "Gaps: {total} ({}); {} overdue",
            counts.join(", "),
            report.overdue
        )?;
    }
    for warning in &report.warnings {
        writeln!(out, "warning: {warning}")?;
    }
    Ok(())
}

/// `Target etsi-en-319-401@3.2.1 (due 2026-06-30): 120 of 321 covered (37.3%); shall 100/290, …`
/// One line per requirement declared not applicable: every report shows the decision and
/// its justification, so that leaving a requirement out of the coverage is never silent.
pub(crate) fn not_applicable_lines(target: &TargetSummary) -> Vec<String> {
    target
        .not_applicable_requirements
        .iter()
        .map(|n| {
            format!(
                "not applicable: {} (approved by {}, next review {}): {}",
                n.requirement, n.approved_by, n.next_review, n.justification
            )
        })
        .collect()
}

pub(crate) fn target_line(target: &TargetSummary) -> String {
    let levels: Vec<String> = [Level::Shall, Level::Should, Level::May, Level::Informative]
        .into_iter()
        .filter_map(|level| {
            target
                .by_level
                .get(&level)
                .map(|c| format!("{level} {}/{}", c.covered, c.total))
        })
        .collect();
    let applicable = if target.not_applicable == 0 {
        format!("{} requirements", target.requirements)
    } else {
        format!(
            "{} applicable ({} not applicable)",
            target.requirements, target.not_applicable
        )
    };
    format!(
        "Target {} (due {}): {} of {applicable} covered ({:.1}%; {}); {} partial, {} to review, {} uncovered",
        target.catalog,
        target.due,
        target.covered,
        target.coverage_percent,
        levels.join(", "),
        target.partial,
        target.needs_review,
        target.uncovered
    )
}

fn owner_heading(report: &GapReport, owner: Option<&OwnerId>, gaps: &[&Gap]) -> String {
    let overdue = gaps
        .iter()
        .filter(|g| g.status == GapStatus::Overdue)
        .count();
    let plural = if gaps.len() == 1 { "" } else { "s" };
    match owner {
        None => format!(
            "Unassigned: {} gap{plural} without a responsible owner ({overdue} overdue)",
            gaps.len()
        ),
        Some(id) => {
            let name = report.owner_name(id);
            format!(
                "{name} ({id}): {} gap{plural}, {overdue} overdue",
                gaps.len()
            )
        }
    }
}

pub(crate) fn status_text(gap: &Gap) -> String {
    match gap.status {
        GapStatus::Open => "open".to_owned(),
        GapStatus::Overdue if gap.escalation.is_empty() => "overdue".to_owned(),
        GapStatus::Overdue => {
            let chain: Vec<&str> = gap.escalation.iter().map(OwnerId::as_str).collect();
            format!("overdue → {}", chain.join(" → "))
        }
    }
}

pub(crate) fn requirement_text(gap: &Gap) -> String {
    match (&gap.requirement, &gap.evidence) {
        (Some(key), _) => key.to_string(),
        (None, Some(evidence)) => format!("evidence {evidence}"),
        (None, None) => gap
            .target
            .as_ref()
            .map_or_else(|| "-".to_owned(), ToString::to_string),
    }
}
