//! `reqgap check` as a pull-request comment (and a GitHub step summary): verdict, coverage,
//! failing gaps by owner, warnings, waivers, and what changed since the baseline.

use std::collections::BTreeMap;
use std::io::Write;

use super::{Budget, MAX_CHARS};
use crate::check::{CheckReport, CheckedGap, Outcome, Verdict};
use crate::model::OwnerId;
use crate::report::table::{check_detail, policy_line, requirement_text};
use crate::report::{md_cell, ReportError};

/// The whole report when it fits in [`MAX_CHARS`]; else the summary, the failing gaps by
/// owner as far as they fit, and how many rows were left out.
pub(super) fn report(report: &CheckReport, out: &mut dyn Write) -> Result<(), ReportError> {
    let mut full = Vec::new();
    write_report(report, &mut Budget::unlimited(), &mut full)?;
    if full.len() <= MAX_CHARS {
        out.write_all(&full)?;
        return Ok(());
    }
    let mut head = Vec::new();
    summary(report, &mut head)?;
    let mut tail = Vec::new();
    closing(report, &mut tail)?;
    let mut budget = Budget::new(MAX_CHARS.saturating_sub(head.len() + tail.len()));
    let mut body = Vec::new();
    by_owner(report, &mut budget, &mut body)?;
    budget.omitted += [Outcome::Warn, Outcome::Waived]
        .into_iter()
        .map(|o| report.with_outcome(o).count())
        .sum::<usize>();
    out.write_all(&head)?;
    out.write_all(&body)?;
    budget.write_note(out)?;
    out.write_all(&tail)?;
    Ok(())
}

fn write_report(
    report: &CheckReport,
    budget: &mut Budget,
    out: &mut dyn Write,
) -> Result<(), ReportError> {
    summary(report, out)?;
    by_owner(report, budget, out)?;
    section(report, Outcome::Warn, "Warnings", budget, out)?;
    section(report, Outcome::Waived, "Waived", budget, out)?;
    baseline(report, out)?;
    closing(report, out)
}

/// Verdict, policy, coverage and the failing rules.
fn summary(report: &CheckReport, out: &mut dyn Write) -> Result<(), ReportError> {
    let verdict = match report.verdict {
        Verdict::Pass => "passed",
        Verdict::Fail => "failed",
    };
    writeln!(
        out,
        "## reqgap check {verdict}: {}\n",
        md_cell(&report.organisation)
    )?;
    writeln!(
        out,
        "As of {}. {}\n",
        report.today,
        md_cell(&policy_line(&report.policy))
    )?;
    coverage(report, out)?;
    if !report.failures.is_empty() {
        writeln!(out, "\n**Failing rules:**\n")?;
        for failure in &report.failures {
            writeln!(out, "- `{}`", failure.describe())?;
        }
    }
    Ok(())
}

/// Warnings and the verdict line, which every version of the comment ends with.
fn closing(report: &CheckReport, out: &mut dyn Write) -> Result<(), ReportError> {
    for warning in &report.warnings {
        writeln!(out, "\n> **Warning:** {}", md_cell(warning))?;
    }
    writeln!(out, "\n**{}**", md_cell(&report.summary_line()))?;
    Ok(())
}

fn coverage(report: &CheckReport, out: &mut dyn Write) -> Result<(), ReportError> {
    writeln!(
        out,
        "| Target | Due | Coverage | Covered | Partial | To review | Uncovered |"
    )?;
    writeln!(out, "|---|---|---:|---:|---:|---:|---:|")?;
    for target in &report.targets {
        let t = &target.summary;
        let mark = if target.meets_min_coverage {
            ""
        } else {
            " (below minimum)"
        };
        writeln!(
            out,
            "| {} | {} | {:.1}%{mark} | {} of {} | {} | {} | {} |",
            t.catalog,
            t.due,
            t.coverage_percent,
            t.covered,
            t.requirements,
            t.partial,
            t.needs_review,
            t.uncovered
        )?;
    }
    Ok(())
}

fn by_owner(
    report: &CheckReport,
    budget: &mut Budget,
    out: &mut dyn Write,
) -> Result<(), ReportError> {
    let mut owners: BTreeMap<Option<&OwnerId>, Vec<&CheckedGap>> = BTreeMap::new();
    for gap in report.with_outcome(Outcome::Fail) {
        owners.entry(gap.gap.owner.as_ref()).or_default().push(gap);
    }
    if owners.is_empty() {
        return Ok(());
    }
    writeln!(out, "\n### Gaps that fail the policy, by owner")?;
    for (owner, gaps) in owners {
        let heading = match owner {
            None => "Unassigned".to_owned(),
            Some(id) => format!("{} (`{id}`)", md_cell(report.owner_name(Some(id)))),
        };
        let heading = format!("\n#### {heading}: {}\n\n", gaps.len());
        table(&heading, &gaps, budget, out)?;
    }
    Ok(())
}

fn section(
    report: &CheckReport,
    outcome: Outcome,
    title: &str,
    budget: &mut Budget,
    out: &mut dyn Write,
) -> Result<(), ReportError> {
    let gaps: Vec<&CheckedGap> = report.with_outcome(outcome).collect();
    if gaps.is_empty() {
        return Ok(());
    }
    let heading = format!("\n### {title}: {}\n\n", gaps.len());
    table(&heading, &gaps, budget, out)
}

/// A heading and a table of gaps, as many rows as the budget allows.
fn table(
    heading: &str,
    gaps: &[&CheckedGap],
    budget: &mut Budget,
    out: &mut dyn Write,
) -> Result<(), ReportError> {
    let rows: Vec<String> = gaps.iter().map(|g| row(g)).collect();
    let header = format!(
        "{heading}| Due | Kind | Requirement | Control | At | Details |\n|---|---|---|---|---|---|\n"
    );
    budget.table(&header, &rows, out)
}

fn row(checked: &CheckedGap) -> String {
    let gap = &checked.gap;
    format!(
        "| {} | `{}` | {} | {} | {} | {} |\n",
        gap.due,
        gap.kind,
        md_cell(&requirement_text(gap)),
        gap.control
            .as_ref()
            .map_or_else(|| "-".to_owned(), |c| md_cell(c.as_str())),
        gap.place
            .as_ref()
            .map_or_else(|| "-".to_owned(), |p| md_cell(&p.to_string())),
        md_cell(&format!("{}: {}", gap.title, check_detail(checked))),
    )
}

fn baseline(report: &CheckReport, out: &mut dyn Write) -> Result<(), ReportError> {
    let Some(delta) = &report.baseline else {
        return Ok(());
    };
    writeln!(out, "\n### Since the baseline ({})\n", md_cell(&delta.file))?;
    let gone = match delta.gone_with_control.len() {
        0 => String::new(),
        n => format!(" Gone with their control (retired or removed, not fixed): {n}."),
    };
    writeln!(
        out,
        "New gaps: {}. Resolved gaps: {}.{gone}",
        delta.new.len(),
        delta.resolved.len(),
    )?;
    let sections = [
        ("New", &delta.new),
        ("Resolved", &delta.resolved),
        ("Gone with the control", &delta.gone_with_control),
    ];
    for (label, keys) in sections {
        if !keys.is_empty() {
            writeln!(out, "\n{label}:\n")?;
            for key in keys {
                writeln!(out, "- `{}`", md_cell(&key.to_string()))?;
            }
        }
    }
    Ok(())
}
