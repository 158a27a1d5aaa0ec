//! The agenda of the recurring management meeting, in Markdown so that it becomes the
//! minutes: what was done since the last meeting (closed gaps, decisions confirmed with
//! `review`), where each target stands, the items ranked first, and the decisions to take.
//! The audit finding asks for a recurring meeting with recorded results; this is its
//! record, written from the same analysis as every other report.

use std::fmt::Write as _;

use crate::gaps::{CoverageState, GapKind};
use crate::report::md_cell;
use crate::summary::{DecisionDue, ManagementReport, TargetBrief};

pub fn render(report: &ManagementReport) -> String {
    let mut out = String::new();
    let _ = writeln!(
        out,
        "# Management meeting: {}\n\nAgenda as of {}, from the gap analysis of the inventory.",
        md_cell(&report.organisation),
        report.today
    );
    done(report, &mut out);
    let _ = writeln!(out, "\n## 2. Where each target stands");
    for target in &report.targets {
        standing(report, target, &mut out);
    }
    decisions(report, &mut out);
    let _ = writeln!(
        out,
        "\n## 4. Actions\n\n| Action | Owner | Due |\n|---|---|---|\n|  |  |  |"
    );
    out
}

fn done(report: &ManagementReport, out: &mut String) {
    let done = &report.done;
    let Some(since) = done.since else {
        let _ = writeln!(
            out,
            "\n## 1. Since the last meeting\n\nNo earlier report to compare with: keep the JSON gap report of each meeting (`reqgap gaps --format json -o history/DATE.json`) and pass the folder with `--history`."
        );
        return;
    };
    let _ = writeln!(out, "\n## 1. Since the last meeting ({since})\n");
    let reviewed = |k: &&crate::model::GapKey| {
        matches!(k.kind, GapKind::NeedsReview | GapKind::StaleReference)
    };
    let (by_review, other): (Vec<_>, Vec<_>) = done.closed.iter().partition(reviewed);
    let _ = writeln!(
        out,
        "- Done: {} gaps closed ({} by a review of mappings), {} new.",
        done.closed.len(),
        by_review.len(),
        done.opened.len()
    );
    for key in &by_review {
        let _ = writeln!(out, "  - [x] reviewed: `{key}`");
    }
    for key in &other {
        let _ = writeln!(out, "  - [x] closed: `{key}`");
    }
    for decision in &done.confirmed {
        let _ = writeln!(
            out,
            "  - [x] not-applicable `{}` confirmed by {} on {}",
            decision.subject,
            md_cell(report.owner_name(&decision.approved_by)),
            decision.due
        );
    }
    for index in &done.opened {
        let _ = writeln!(out, "  - new: `{}`", report.gaps[*index].key);
    }
}

fn standing(report: &ManagementReport, target: &TargetBrief, out: &mut String) {
    let s = &target.summary;
    let new_open = report
        .new_in_edition
        .iter()
        .filter(|i| i.requirement.catalog == s.catalog && i.state != CoverageState::Covered)
        .count();
    let _ = writeln!(
        out,
        "\n### `{}` {}\n\n{:.1}% covered ({} of {}); {} open gaps, {} overdue; {} requirements new in the edition not yet met. Due {}.\n",
        s.catalog,
        md_cell(&s.title),
        s.coverage_percent,
        s.covered,
        s.requirements,
        target.counts.total_open(),
        target.counts.total_overdue(),
        new_open,
        s.due
    );
    if target.top.is_empty() {
        return;
    }
    let _ = writeln!(
        out,
        "| # | Severity | Gap | Overdue | Owner | Now with | Plan |\n|---|---|---|---|---|---|---|"
    );
    for (n, index) in target.top.iter().enumerate() {
        let gap = &report.gaps[*index];
        let owner = gap
            .owner
            .as_ref()
            .map_or("nobody", |o| report.owner_name(o));
        let now = gap.escalation.last().map_or("–", |o| report.owner_name(o));
        let plan = gap.plan.as_ref().map_or_else(
            || "none".to_owned(),
            |p| format!("{} {}", p.status, p.ticket.as_deref().unwrap_or("")),
        );
        let _ = writeln!(
            out,
            "| {} | {} | `{}` {} | {} | {} | {} | {} |",
            n + 1,
            gap.severity,
            gap.key,
            md_cell(&gap.title),
            match report.days_overdue(gap) {
                0 => format!("due {}", gap.due),
                days => format!("{days} d"),
            },
            md_cell(owner),
            md_cell(now),
            md_cell(plan.trim())
        );
    }
}

fn decisions(report: &ManagementReport, out: &mut String) {
    let d = &report.decisions;
    let _ = writeln!(out, "\n## 3. Decisions to take\n");
    if d.not_applicable.is_empty() && d.waivers.is_empty() && d.blocked.is_empty() {
        let _ = writeln!(out, "None due within a quarter.");
        return;
    }
    let line = |what: &str, item: &DecisionDue| {
        format!(
            "- [ ] {what} `{}` (due {}, approved by {})",
            item.subject,
            item.due,
            md_cell(report.owner_name(&item.approved_by))
        )
    };
    for item in &d.not_applicable {
        let _ = writeln!(out, "{}", line("confirm or revoke not-applicable", item));
    }
    for item in &d.waivers {
        let _ = writeln!(out, "{}", line("renew or end waiver", item));
    }
    for index in &d.blocked {
        let gap = &report.gaps[*index];
        let note = gap
            .plan
            .as_ref()
            .and_then(|p| p.note.as_deref())
            .unwrap_or("");
        let _ = writeln!(
            out,
            "- [ ] unblock the plan for `{}` {}",
            gap.key,
            md_cell(note)
        );
    }
}
