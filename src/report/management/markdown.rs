//! The management report in Markdown, for a wiki page, a ticket or the meeting's minutes.
//! Escalations are drawn as Mermaid diagrams, which GitHub and GitLab render inline.

use std::fmt::Write as _;

use super::chart::percent;
use super::{legend, severity_meaning};
use crate::gaps::{CoverageState, Gap, TargetSummary};
use crate::report::graph_view::mermaid;
use crate::report::{md_cell, through};
use crate::summary::{Escalation, ManagementReport, Movement, SeverityCounts, SEVERITIES};

/// Width of the text bars in the coverage table.
const BAR_CELLS: usize = 20;

pub fn render(report: &ManagementReport) -> String {
    let mut out = String::new();
    let _ = writeln!(
        out,
        "# Compliance report: {}\n",
        md_cell(&report.organisation)
    );
    let _ = writeln!(out, "As of {}.", report.today);
    for warning in &report.warnings {
        let _ = writeln!(out, "\n> **Warning:** {}", md_cell(warning));
    }
    summary(report, &mut out);
    new_in_edition(report, &mut out);
    by_owner(report, &mut out);
    by_section(report, &mut out);
    trend(report, &mut out);
    all_gaps(report, &mut out);
    legend_section(&mut out);
    out
}

fn summary(report: &ManagementReport, out: &mut String) {
    let _ = writeln!(out, "\n## 1. Executive summary");
    if let Some(m) = report
        .since_last
        .as_ref()
        .filter(|_| report.has_several_scopes())
    {
        let _ = writeln!(out, "\nAll gaps {}", movement_text(m));
    }
    for target in &report.targets {
        let s = &target.summary;
        let _ = writeln!(out, "\n### `{}` {}\n", s.catalog, md_cell(&s.title));
        let _ = writeln!(
            out,
            "**{:.1}%** of applicable requirements covered ({} of {}; {} partial, {} to review, {} uncovered), due {}.",
            s.coverage_percent, s.covered, s.requirements, s.partial, s.needs_review, s.uncovered, s.due
        );
        if let Some(m) = &target.since_last {
            let _ = writeln!(out, "\nSince the last report {}", movement_text(m));
        }
        severity_table(&target.counts, out);
        through(s, out);
        escalations(report, &target.escalations, out);
    }
    if !report.control_escalations.is_empty() {
        let _ = writeln!(out, "\n### Escalations about controls");
        escalations(report, &report.control_escalations, out);
    }
}

/// The requirements met through crosswalks, with their paths.
fn through(target: &TargetSummary, out: &mut String) {
    let Some(heading) = through::heading(target) else {
        return;
    };
    let _ = writeln!(out, "\n{}\n", md_cell(&heading));
    let _ = writeln!(out, "| Requirement | How | Paths |\n|---|---|---|");
    for entry in through::entries(target) {
        let mut lines: Vec<String> = entry.paths.iter().map(|p| md_cell(p)).collect();
        lines.extend(entry.missing.as_deref().map(md_cell));
        let _ = writeln!(
            out,
            "| `{}` | {} | {} |",
            md_cell(&entry.id),
            entry.state,
            lines.join("<br>")
        );
    }
}

fn movement_text(m: &Movement) -> String {
    format!(
        "({}): {} new, {} resolved; open {} → {}, overdue {} → {}.",
        m.since, m.new, m.resolved, m.open_before, m.open_now, m.overdue_before, m.overdue_now
    )
}

fn severity_table(counts: &SeverityCounts, out: &mut String) {
    let _ = writeln!(out, "\n| Severity | Open | Overdue |\n|---|---:|---:|");
    for severity in SEVERITIES {
        let _ = writeln!(
            out,
            "| {severity} | {} | {} |",
            counts.open.get(&severity).copied().unwrap_or(0),
            counts.overdue.get(&severity).copied().unwrap_or(0)
        );
    }
    let _ = writeln!(
        out,
        "| **total** | {} | {} |",
        counts.total_open(),
        counts.total_overdue()
    );
}

fn escalations(report: &ManagementReport, list: &[Escalation], out: &mut String) {
    if list.is_empty() {
        let _ = writeln!(out, "\nNo overdue gap escalates.");
        return;
    }
    let _ = writeln!(out, "\nTop escalations:");
    for escalation in list {
        let gap = &report.gaps[escalation.gap];
        let _ = writeln!(
            out,
            "\n- **{}** `{}`: {}. Due {}, owner {}; escalates to {}.\n\n  ```mermaid\n{}  ```",
            gap.severity,
            gap.key,
            md_cell(gap.title.trim_end_matches('.')),
            gap.due,
            owner_text(report, gap),
            chain(report, gap),
            indent(&mermaid(&escalation.picture)),
        );
    }
}

fn indent(text: &str) -> String {
    text.lines().map(|l| format!("  {l}\n")).collect()
}

fn owner_text(report: &ManagementReport, gap: &Gap) -> String {
    gap.owner.as_ref().map_or_else(
        || "nobody".to_owned(),
        |o| format!("{} (`{o}`)", md_cell(report.owner_name(o))),
    )
}

fn chain(report: &ManagementReport, gap: &Gap) -> String {
    let names: Vec<String> = gap
        .escalation
        .iter()
        .map(|o| format!("{} (`{o}`)", md_cell(report.owner_name(o))))
        .collect();
    names.join(" → ")
}

fn new_in_edition(report: &ManagementReport, out: &mut String) {
    let _ = writeln!(out, "\n## 2. New in this edition");
    for target in &report.targets {
        let catalog = &target.summary.catalog;
        let _ = writeln!(out, "\n### `{catalog}`\n");
        let Some(since) = &target.reviewed_against else {
            let _ = writeln!(
                out,
                "Every mapping was reviewed against this version: nothing is new to the inventory."
            );
            continue;
        };
        let items: Vec<_> = report
            .new_in_edition
            .iter()
            .filter(|i| &i.requirement.catalog == catalog)
            .collect();
        let open = items
            .iter()
            .filter(|i| i.state != CoverageState::Covered)
            .count();
        let _ = writeln!(
            out,
            "{} requirements were added or changed in substance since `{since}`; {open} of them are not yet met.\n",
            items.len()
        );
        // Standards that publish a revision table (the CA/Browser Forum's) say which ballot
        // changed each requirement and when it takes effect: "which ballots touch what we
        // map, by when, and who owns them".
        let with_ballots = items.iter().any(|i| !i.new_in.ballots.is_empty());
        if with_ballots {
            let _ = writeln!(out, "| Requirement | Clause | Change | Ballots | Due | Level | Status | Owner | Title |\n|---|---|---|---|---|---|---|---|---|");
        } else {
            let _ = writeln!(out, "| Requirement | Clause | Change | Level | Status | Owner | Title |\n|---|---|---|---|---|---|---|");
        }
        for item in items {
            let owner = item.owner.as_ref().map_or("–", |o| report.owner_name(o));
            let ballots = if with_ballots {
                let due = item.due.map_or_else(|| "–".to_owned(), |d| d.to_string());
                format!(" {} | {due} |", md_cell(&ballot_list(&item.new_in.ballots)))
            } else {
                String::new()
            };
            let _ = writeln!(
                out,
                "| `{}` | {} | {} |{ballots} {} | {} | {} | {} |",
                item.requirement.id,
                item.section,
                item.new_in.change,
                item.level,
                item.state,
                md_cell(owner),
                md_cell(&item.title)
            );
        }
    }
}

/// "SC081 2.1.5 (effective 2025-05-16), SC095 2.2.6 (…)", or "–" for none.
pub(super) fn ballot_list(ballots: &[crate::diff::Ballot]) -> String {
    if ballots.is_empty() {
        return "–".to_owned();
    }
    let mut names: Vec<String> = ballots.iter().map(ToString::to_string).collect();
    // A ballot with two revision rows (two descriptions) is one ballot to the reader.
    names.dedup();
    names.join(", ")
}

fn by_owner(report: &ManagementReport, out: &mut String) {
    let _ = writeln!(out, "\n## 3. By owner\n");
    let _ = writeln!(out, "| Owner | Open | Overdue | high | medium | low | info |\n|---|---:|---:|---:|---:|---:|---:|");
    for owner in &report.owners {
        let id = owner
            .owner
            .as_ref()
            .map_or_else(String::new, |o| format!(" (`{o}`)"));
        let n = |s| owner.counts.open.get(&s).copied().unwrap_or(0);
        let _ = writeln!(
            out,
            "| {}{id} | {} | {} | {} | {} | {} | {} |",
            md_cell(&owner.name),
            owner.gaps.len(),
            owner.overdue.len(),
            n(SEVERITIES[0]),
            n(SEVERITIES[1]),
            n(SEVERITIES[2]),
            n(SEVERITIES[3]),
        );
    }
    for owner in report.owners.iter().filter(|o| !o.overdue.is_empty()) {
        let _ = writeln!(
            out,
            "\n### {}: {} overdue\n",
            md_cell(&owner.name),
            owner.overdue.len()
        );
        let _ = writeln!(
            out,
            "| Severity | Due | Gap | Escalates to |\n|---|---|---|---|"
        );
        for gap in owner.overdue.iter().map(|i| &report.gaps[*i]) {
            let _ = writeln!(
                out,
                "| {} | {} | `{}` | {} |",
                gap.severity,
                gap.due,
                gap.key,
                chain(report, gap)
            );
        }
    }
}

fn by_section(report: &ManagementReport, out: &mut String) {
    let _ = writeln!(out, "\n## 4. By section");
    for target in &report.targets {
        let _ = writeln!(out, "\n### `{}`\n", target.summary.catalog);
        let _ = writeln!(out, "| Clause | Title | Coverage | Covered | Partial | To review | Uncovered |\n|---|---|---|---:|---:|---:|---:|");
        for bar in &target.sections {
            let filled = (bar.covered * BAR_CELLS)
                .checked_div(bar.total)
                .unwrap_or(0);
            let _ = writeln!(
                out,
                "| {} | {} | `{}{}` {} | {}/{} | {} | {} | {} |",
                bar.clause,
                md_cell(&bar.title),
                "█".repeat(filled),
                "░".repeat(BAR_CELLS - filled),
                percent(bar.covered, bar.total),
                bar.covered,
                bar.total,
                bar.partial,
                bar.needs_review,
                bar.uncovered
            );
        }
    }
}

fn trend(report: &ManagementReport, out: &mut String) {
    let _ = writeln!(out, "\n## 5. Trend\n");
    if report.trend.len() < 2 {
        let _ = writeln!(out, "No history yet: keep the JSON report of each run (`reqgap gaps --format json`) in a folder and pass it with `--history DIR`.");
        return;
    }
    let _ = writeln!(out, "| Date | Open | Overdue |\n|---|---:|---:|");
    for point in &report.trend {
        let marker = if point.current { " (this report)" } else { "" };
        let _ = writeln!(
            out,
            "| {}{marker} | {} | {} |",
            point.date, point.open, point.overdue
        );
    }
}

fn all_gaps(report: &ManagementReport, out: &mut String) {
    let _ = writeln!(out, "\n## 6. All gaps ({})\n", report.gaps.len());
    let _ = writeln!(out, "| Severity | Due | Status | Kind | Gap | Owner | What to do |\n|---|---|---|---|---|---|---|");
    for gap in &report.gaps {
        let _ = writeln!(
            out,
            "| {} | {} | {} | `{}` | `{}` | {} | {} |",
            gap.severity,
            gap.due,
            gap.status,
            gap.kind,
            gap.key,
            owner_text(report, gap),
            md_cell(&match crate::report::table::plan_text(gap) {
                Some(plan) => format!("{} [{plan}]", gap.message),
                None => gap.message.clone(),
            })
        );
    }
}

fn legend_section(out: &mut String) {
    let _ = writeln!(out, "\n## 7. Legend\n\n| Severity | Meaning |\n|---|---|");
    for severity in SEVERITIES {
        let _ = writeln!(out, "| {severity} | {} |", severity_meaning(severity));
    }
    let _ = writeln!(
        out,
        "\n| Kind | Severity (shall) | Meaning |\n|---|---|---|"
    );
    for (kind, severity, meaning) in legend() {
        let _ = writeln!(out, "| `{kind}` | {severity} | {meaning} |");
    }
}
