//! `reqgap check` as a pull-request comment (and a GitHub step summary): verdict, coverage,
//! failing gaps by owner, warnings, waivers, and what changed since the baseline.

use std::collections::BTreeMap;
use std::io::Write;

use crate::check::{CheckReport, CheckedGap, Outcome, Verdict};
use crate::model::OwnerId;
use crate::report::table::{check_detail, policy_line, requirement_text};
use crate::report::{md_cell, ReportError};

pub(super) fn report(report: &CheckReport, out: &mut dyn Write) -> Result<(), ReportError> {
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
    by_owner(report, out)?;
    section(report, Outcome::Warn, "Warnings", out)?;
    section(report, Outcome::Waived, "Waived", out)?;
    baseline(report, out)?;
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

fn by_owner(report: &CheckReport, out: &mut dyn Write) -> Result<(), ReportError> {
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
        writeln!(out, "\n#### {heading}: {}\n", gaps.len())?;
        table(&gaps, out)?;
    }
    Ok(())
}

fn section(
    report: &CheckReport,
    outcome: Outcome,
    title: &str,
    out: &mut dyn Write,
) -> Result<(), ReportError> {
    let gaps: Vec<&CheckedGap> = report.with_outcome(outcome).collect();
    if gaps.is_empty() {
        return Ok(());
    }
    writeln!(out, "\n### {title}: {}\n", gaps.len())?;
    table(&gaps, out)
}

fn table(gaps: &[&CheckedGap], out: &mut dyn Write) -> Result<(), ReportError> {
    writeln!(out, "| Due | Kind | Requirement | Control | At | Details |")?;
    writeln!(out, "|---|---|---|---|---|---|")?;
    for checked in gaps {
        let gap = &checked.gap;
        writeln!(
            out,
            "| {} | `{}` | {} | {} | {} | {} |",
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
        )?;
    }
    Ok(())
}

fn baseline(report: &CheckReport, out: &mut dyn Write) -> Result<(), ReportError> {
    let Some(delta) = &report.baseline else {
        return Ok(());
    };
    writeln!(out, "\n### Since the baseline ({})\n", md_cell(&delta.file))?;
    writeln!(
        out,
        "New gaps: {}. Resolved gaps: {}.",
        delta.new.len(),
        delta.resolved.len()
    )?;
    for (label, keys) in [("New", &delta.new), ("Resolved", &delta.resolved)] {
        if !keys.is_empty() {
            writeln!(out, "\n{label}:\n")?;
            for key in keys {
                writeln!(out, "- `{}`", md_cell(&key.to_string()))?;
            }
        }
    }
    Ok(())
}
