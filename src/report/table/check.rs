//! `reqgap check` for a terminal: the policy, coverage, one row per gap that matters with
//! its details, and the verdict as the last line.

use std::collections::BTreeMap;
use std::io::Write;

use super::gaps::{common_catalog, requirement_cell, requirement_header};
use super::layout::{Cell, Paint, RecordTable, Row};
use super::TableReporter;
use crate::check::{CheckReport, CheckedGap, Outcome, Policy, PolicySource};
use crate::gaps::{GapStatus, Severity};
use crate::model::OwnerId;
use crate::report::table::{not_applicable_lines, status_text, target_line};
use crate::report::ReportError;

pub(super) fn report(
    reporter: &TableReporter,
    report: &CheckReport,
    out: &mut dyn Write,
) -> Result<(), ReportError> {
    let mut head = format!(
        "reqgap check: {}, as of {}\n{}\n",
        report.organisation,
        report.today,
        policy_line(&report.policy)
    );
    for target in &report.targets {
        let floor = match (report.policy.min_coverage, target.meets_min_coverage) {
            (Some(min), false) => format!(" — below min-coverage {min}%"),
            _ => String::new(),
        };
        head.push_str(&format!("{}{floor}\n", target_line(&target.summary)));
        for line in not_applicable_lines(&target.summary) {
            head.push_str(&format!("  {line}\n"));
        }
    }
    reporter.write_wrapped(&head, out)?;
    let shown = [
        Outcome::Fail,
        Outcome::Warn,
        Outcome::Waived,
        Outcome::Baseline,
    ];
    let gaps: Vec<&CheckedGap> = shown
        .into_iter()
        .flat_map(|outcome| report.with_outcome(outcome))
        .collect();
    // One table per standard (gaps about a control alone first), each naming its
    // catalog once in the header, so that two targets do not widen every row.
    let mut parts: BTreeMap<Option<&str>, Vec<&CheckedGap>> = BTreeMap::new();
    for checked in gaps {
        let standard = checked
            .gap
            .requirement
            .as_ref()
            .map(|r| r.catalog.standard.as_str());
        parts.entry(standard).or_default().push(checked);
    }
    let width = reporter.style.width.map(usize::from);
    for (i, part) in parts.into_values().enumerate() {
        if i > 0 {
            writeln!(out)?;
        }
        let mut table = gap_table(&part);
        table.fold_to(width);
        write!(out, "{}", table.render(width, reporter.style.color))?;
    }
    reporter.write_wrapped(&closing(report), out)?;
    Ok(())
}

/// Notes, the baseline, warnings and the verdict line.
fn closing(report: &CheckReport) -> String {
    let mut text = String::new();
    if report.outcomes.note > 0 {
        text.push_str(&format!(
            "{} more gap{} neither fail nor fall due within the warning window (see --format json)\n",
            report.outcomes.note,
            if report.outcomes.note == 1 { "" } else { "s" }
        ));
    }
    if let Some(delta) = &report.baseline {
        let gone = match delta.gone_with_control.len() {
            0 => String::new(),
            n => format!(", {n} gone with their control"),
        };
        text.push_str(&format!(
            "Baseline {}: {} new, {} resolved{gone}\n",
            delta.file,
            delta.new.len(),
            delta.resolved.len(),
        ));
        for key in &delta.resolved {
            text.push_str(&format!("resolved: {key}\n"));
        }
        for key in &delta.gone_with_control {
            text.push_str(&format!(
                "gone with the control (retired or removed, not fixed): {key}\n"
            ));
        }
    }
    for warning in report.warnings.iter().skip(report.provenance_warnings) {
        text.push_str(&format!("warning: {warning}\n"));
    }
    text.push_str(&report.summary_line());
    text.push('\n');
    text
}

/// One row per gap: what the policy made of it, when it was due, what and whose it is;
/// the details carry the message, the escalation chain and the line that causes it.
fn gap_table(gaps: &[&CheckedGap]) -> RecordTable {
    let common = common_catalog(gaps.iter().map(|c| &c.gap));
    let rows = gaps
        .iter()
        .map(|checked| {
            let gap = &checked.gap;
            let alert = if gap.status == GapStatus::Overdue {
                Paint::Alert
            } else {
                Paint::Plain
            };
            let strong = if gap.severity == Severity::High {
                Paint::Strong
            } else {
                Paint::Plain
            };
            let outcome = if checked.outcome == Outcome::Fail {
                Paint::Strong
            } else {
                Paint::Plain
            };
            Row {
                cells: vec![
                    Cell::new(checked.outcome.as_str()).paint(outcome),
                    Cell::new(gap.due.to_string()).paint(alert),
                    Cell::new(gap.kind.code()).paint(strong),
                    Cell::new(requirement_cell(gap, common)).paint(strong),
                    Cell::new(
                        gap.control
                            .as_ref()
                            .map_or_else(|| "-".to_owned(), ToString::to_string),
                    ),
                    Cell::new(gap.owner.as_ref().map_or("-", OwnerId::as_str)),
                ],
                details: row_details(checked),
            }
        })
        .collect();
    let headers = ["Outcome", "Due", "Kind"]
        .into_iter()
        .map(str::to_owned)
        .chain([requirement_header(common), "Control".into(), "Owner".into()])
        .collect();
    RecordTable {
        headers,
        details_header: "Details",
        rows,
        foldable: vec![5],
    }
}

fn row_details(checked: &CheckedGap) -> String {
    let gap = &checked.gap;
    let mut text = format!(
        "{}: {} [{}, {}]",
        gap.title,
        detail(checked),
        gap.severity,
        status_text(gap)
    );
    if let Some(place) = &gap.place {
        text.push_str(&format!(" (at {place})"));
    }
    text
}

/// The gap's message plus what the policy made of it.
pub(crate) fn detail(checked: &CheckedGap) -> String {
    let mut text = checked.gap.message.clone();
    if let Some(plan) = &checked.gap.plan {
        text.push_str(&format!("; plan: {} until {}", plan.status, plan.due));
        if let Some(ticket) = &plan.ticket {
            text.push_str(&format!(", ticket {ticket}"));
        }
    }
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
