use std::io::Write;

use crate::gaps::GapReport;
use crate::report::table::{not_applicable_lines, requirement_text, status_text, target_line};
use crate::report::{md_cell, ReportError};

pub(super) fn report(report: &GapReport, out: &mut dyn Write) -> Result<(), ReportError> {
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
    for (owner, gaps) in report.by_owner() {
        let heading = match owner {
            None => "Unassigned".to_owned(),
            Some(id) => format!("{} (`{id}`)", md_cell(report.owner_name(id))),
        };
        writeln!(out, "\n## {heading}\n")?;
        writeln!(
            out,
            "| Due | Status | Severity | Kind | Requirement | Control | Details |"
        )?;
        writeln!(out, "|---|---|---|---|---|---|---|")?;
        for gap in gaps {
            writeln!(
                out,
                "| {} | {} | {} | `{}` | {} | {} | {} |",
                gap.due,
                md_cell(&status_text(gap)),
                gap.severity,
                gap.kind,
                md_cell(&requirement_text(gap)),
                gap.control
                    .as_ref()
                    .map_or_else(|| "-".to_owned(), ToString::to_string),
                md_cell(&format!("{}: {}", gap.title, gap.message)),
            )?;
        }
    }
    Ok(())
}
