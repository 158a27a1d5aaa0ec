use std::io::Write;

use super::{Budget, MAX_CHARS};
use crate::gaps::{Gap, GapReport};
use crate::report::table::{
    not_applicable_lines, plan_text, requirement_text, status_text, target_line,
};
use crate::report::{md_cell, through, ReportError};

/// The whole report when it fits in [`MAX_CHARS`]; else the summary and the tables by
/// owner as far as they fit, and how many rows were left out.
pub(super) fn report(report: &GapReport, out: &mut dyn Write) -> Result<(), ReportError> {
    let mut head = Vec::new();
    summary(report, &mut head)?;
    let mut body = Vec::new();
    through(report, &mut Budget::unlimited(), &mut body)?;
    by_owner(report, &mut Budget::unlimited(), &mut body)?;
    if head.len() + body.len() <= MAX_CHARS {
        out.write_all(&head)?;
        out.write_all(&body)?;
        return Ok(());
    }
    let mut budget = Budget::new(MAX_CHARS.saturating_sub(head.len()));
    out.write_all(&head)?;
    through(report, &mut budget, out)?;
    by_owner(report, &mut budget, out)?;
    budget.write_note(out)
}

fn summary(report: &GapReport, out: &mut dyn Write) -> Result<(), ReportError> {
    writeln!(out, "# Gap analysis: {}\n", md_cell(&report.organisation))?;
    writeln!(out, "As of {}.\n", report.today)?;
    for target in &report.targets {
        writeln!(out, "- {}", target_line(target))?;
        for line in not_applicable_lines(target) {
            writeln!(out, "  - {}", md_cell(&line))?;
        }
    }
    writeln!(out, "\n| Kind | Gaps |\n|---|---:|")?;
    for (kind, n) in report.counts.iter().filter(|(_, n)| **n > 0) {
        writeln!(out, "| `{kind}` | {n} |")?;
    }
    writeln!(out, "| **overdue** | {} |", report.overdue)?;
    for warning in &report.warnings {
        writeln!(out, "\n> **Warning:** {}", md_cell(warning))?;
    }
    Ok(())
}

/// Per target, the requirements met through crosswalks with their paths.
fn through(
    report: &GapReport,
    budget: &mut Budget,
    out: &mut dyn Write,
) -> Result<(), ReportError> {
    for target in &report.targets {
        let Some(heading) = through::heading(target) else {
            continue;
        };
        let header = format!(
            "\n## {}\n\n| Requirement | How | Paths |\n|---|---|---|\n",
            md_cell(&heading)
        );
        let rows: Vec<String> = through::entries(target)
            .into_iter()
            .map(|entry| {
                let mut lines: Vec<String> = entry.paths.iter().map(|p| md_cell(p)).collect();
                lines.extend(entry.missing.as_deref().map(md_cell));
                format!(
                    "| `{}` | {} | {} |\n",
                    md_cell(&entry.id),
                    entry.state,
                    lines.join("<br>")
                )
            })
            .collect();
        budget.table(&header, &rows, out)?;
    }
    Ok(())
}

fn by_owner(
    report: &GapReport,
    budget: &mut Budget,
    out: &mut dyn Write,
) -> Result<(), ReportError> {
    for (owner, gaps) in report.by_owner() {
        let heading = match owner {
            None => "Unassigned".to_owned(),
            Some(id) => format!("{} (`{id}`)", md_cell(report.owner_name(id))),
        };
        let header = format!(
            "\n## {heading}\n\n| Due | Status | Severity | Kind | Requirement | Control | Details |\n|---|---|---|---|---|---|---|\n"
        );
        let rows: Vec<String> = gaps.iter().map(|g| row(g)).collect();
        budget.table(&header, &rows, out)?;
    }
    Ok(())
}

fn row(gap: &Gap) -> String {
    format!(
        "| {} | {} | {} | `{}` | {} | {} | {} |\n",
        gap.due,
        md_cell(&status_text(gap)),
        gap.severity,
        gap.kind,
        md_cell(&requirement_text(gap)),
        gap.control
            .as_ref()
            .map_or_else(|| "-".to_owned(), ToString::to_string),
        md_cell(&details(gap)),
    )
}

/// The title and message, then the plan entry when the gap has one.
fn details(gap: &Gap) -> String {
    match plan_text(gap) {
        Some(plan) => format!("{}: {} [{plan}]", gap.title, gap.message),
        None => format!("{}: {}", gap.title, gap.message),
    }
}
