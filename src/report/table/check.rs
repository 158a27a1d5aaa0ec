//! `reqgap check` for a terminal: the policy, coverage, one line block per gap that
//! matters, and the verdict as the last line.

use std::io::Write;

use super::TableReporter;
use crate::check::{CheckReport, CheckedGap, Outcome, Policy, PolicySource};
use crate::report::table::{not_applicable_lines, requirement_text, status_text, target_line};
use crate::report::ReportError;

pub(super) fn report(
    reporter: &TableReporter,
    report: &CheckReport,
    out: &mut dyn Write,
) -> Result<(), ReportError> {
    writeln!(
        out,
        "reqgap check: {}, as of {}",
        report.organisation, report.today
    )?;
    writeln!(out, "{}", policy_line(&report.policy))?;
    for target in &report.targets {
        let floor = match (report.policy.min_coverage, target.meets_min_coverage) {
            (Some(min), false) => format!(" — below min-coverage {min}%"),
            _ => String::new(),
        };
        writeln!(out, "{}{floor}", target_line(&target.summary))?;
        for line in not_applicable_lines(&target.summary) {
            writeln!(out, "  {line}")?;
        }
    }
    let shown = [
        Outcome::Fail,
        Outcome::Warn,
        Outcome::Waived,
        Outcome::Baseline,
    ];
    let mut table = reporter.table(&[
        "Outcome",
        "Kind",
        "Requirement",
        "Control",
        "Owner",
        "Due",
        "Status",
        "At",
    ]);
    let mut rows = 0;
    for outcome in shown {
        for gap in report.with_outcome(outcome) {
            table.add_row(row(report, gap));
            rows += 1;
        }
    }
    if rows > 0 {
        writeln!(out, "{table}")?;
    }
    for gap in report.gaps.iter().filter(|g| g.outcome != Outcome::Note) {
        writeln!(out, "{}: {}", gap.gap.key, detail(gap))?;
    }
    if report.outcomes.note > 0 {
        writeln!(
            out,
            "{} more gap{} neither fail nor fall due within the warning window (see --format json)",
            report.outcomes.note,
            if report.outcomes.note == 1 { "" } else { "s" }
        )?;
    }
    if let Some(delta) = &report.baseline {
        writeln!(
            out,
            "Baseline {}: {} new, {} resolved",
            delta.file,
            delta.new.len(),
            delta.resolved.len()
        )?;
        for key in &delta.resolved {
            writeln!(out, "resolved: {key}")?;
        }
    }
    for warning in &report.warnings {
        writeln!(out, "warning: {warning}")?;
    }
    writeln!(out, "{}", report.summary_line())?;
    Ok(())
}

fn row(report: &CheckReport, checked: &CheckedGap) -> Vec<String> {
    let gap = &checked.gap;
    vec![
        checked.outcome.as_str().to_owned(),
        gap.kind.to_string(),
        requirement_text(gap),
        gap.control
            .as_ref()
            .map_or_else(|| "-".to_owned(), ToString::to_string),
        report.owner_name(gap.owner.as_ref()).to_owned(),
        gap.due.to_string(),
        status_text(gap),
        gap.place
            .as_ref()
            .map_or_else(|| "-".to_owned(), ToString::to_string),
    ]
}

/// The gap's message plus what the policy made of it.
pub(crate) fn detail(checked: &CheckedGap) -> String {
    let mut text = checked.gap.message.clone();
    if let Some(waiver) = &checked.waiver {
        if waiver.expired {
            text.push_str(&format!(
                "; waiver `{}` ({}) expired on {}: the gap is open again",
                waiver.gap, waiver.at, waiver.expires
            ));
        } else {
            text.push_str(&format!(
                "; waived until {} by {}: {}",
                waiver.expires, waiver.approved_by, waiver.reason
            ));
        }
    }
    text
}

pub(crate) fn policy_line(policy: &Policy) -> String {
    let fail_on: Vec<&str> = policy.fail_on.iter().map(|r| r.code()).collect();
    let source = match policy.source {
        PolicySource::Default => "strict defaults; reqgap.yaml has none",
        PolicySource::Config => "reqgap.yaml",
    };
    let mut line = format!("Policy ({source}): fail-on [{}]", fail_on.join(", "));
    if let Some(min) = policy.min_coverage {
        line.push_str(&format!(", min-coverage {min}%"));
    }
    if let Some(window) = policy.warn_within {
        line.push_str(&format!(", warn-within {window}"));
    }
    line
}
