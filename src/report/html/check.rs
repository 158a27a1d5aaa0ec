//! `reqgap check --format html`: the verdict, the policy, coverage per target and every gap
//! that matters (fail, warn, waived, baseline), for an audit file or a CI artefact.

use std::fmt::Write as _;

use super::{escape, STYLE};
use crate::check::{CheckReport, Outcome, Verdict};
use crate::report::table::{check_detail, policy_line, requirement_text, status_text, target_line};

pub(super) fn page(report: &CheckReport) -> String {
    let mut page = String::new();
    let verdict = match report.verdict {
        Verdict::Pass => "passed",
        Verdict::Fail => "failed",
    };
    let title = format!("reqgap check {verdict}: {}", escape(&report.organisation));
    let _ = write!(
        page,
        "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n<title>{title}</title>\n<style>{STYLE}</style>\n</head>\n<body>\n<h1>{title}</h1>\n<p>As of {}. {}</p>\n<ul>\n",
        report.today,
        escape(&policy_line(&report.policy))
    );
    for target in &report.targets {
        let below = if target.meets_min_coverage {
            ""
        } else {
            " (below min-coverage)"
        };
        let _ = writeln!(
            page,
            "<li>{}{below}</li>",
            escape(&target_line(&target.summary))
        );
    }
    page.push_str("</ul>\n");
    gap_table(report, &mut page);
    for warning in &report.warnings {
        let _ = writeln!(
            page,
            "<p class=\"warning\">Warning: {}</p>",
            escape(warning)
        );
    }
    let _ = writeln!(
        page,
        "<p><strong>{}</strong></p>\n</body>\n</html>",
        escape(&report.summary_line())
    );
    page
}

fn gap_table(report: &CheckReport, page: &mut String) {
    page.push_str("<table>\n<tr><th>Outcome</th><th>Due</th><th>Status</th><th>Severity</th><th>Kind</th><th>Requirement</th><th>Control</th><th>Owner</th><th>Details</th></tr>\n");
    let shown = [
        Outcome::Fail,
        Outcome::Warn,
        Outcome::Waived,
        Outcome::Baseline,
    ];
    for outcome in shown {
        for checked in report.with_outcome(outcome) {
            let gap = &checked.gap;
            let class = if outcome == Outcome::Fail {
                " class=\"overdue\""
            } else {
                ""
            };
            let control = gap
                .control
                .as_ref()
                .map_or_else(|| "-".to_owned(), ToString::to_string);
            let _ = writeln!(
                page,
                "<tr id=\"{}\"><td{class}>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td><strong>{}</strong>: {}</td></tr>",
                escape(&gap.key.to_string()),
                outcome.as_str(),
                gap.due,
                escape(&status_text(gap)),
                gap.severity,
                gap.kind,
                escape(&requirement_text(gap)),
                escape(&control),
                escape(report.owner_name(gap.owner.as_ref())),
                escape(&gap.title),
                escape(&check_detail(checked)),
            );
        }
    }
    page.push_str("</table>\n");
}
