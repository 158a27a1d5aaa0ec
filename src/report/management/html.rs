//! The management report as one self-contained HTML page: inline CSS and SVG, no scripts,
//! no external resources; readable on a phone and printed on A4. Written with maud, which
//! escapes every value, so hostile owner, control and title strings stay text.

use maud::{html, Markup, PreEscaped, DOCTYPE};

use super::chart::{self, percent};
use super::{legend, severity_meaning};
use crate::gaps::{CoverageState, Gap, GapStatus, Severity};
use crate::report::graph_view::svg::svg;
use crate::report::through;
use crate::summary::{
    Escalation, ManagementReport, Movement, OwnerBrief, SeverityCounts, TargetBrief, SEVERITIES,
};

const STYLE: &str = include_str!("report.css");

/// The whole page. Printed, the first page is the board page (the whole story per target);
/// each major section after it starts on a new page, and the full gaps table is the
/// appendix.
pub fn render(report: &ManagementReport) -> String {
    let title = format!("Compliance report: {}", report.organisation);
    let page = html! {
        (DOCTYPE)
        html lang="en" {
            head {
                meta charset="utf-8";
                meta name="viewport" content="width=device-width, initial-scale=1";
                title { (title) " (" (report.today) ")" }
                style { (PreEscaped(STYLE)) }
            }
            body {
                (board(report, &title))
                (new_in_edition(report))
                (by_owner(report))
                (by_section(report))
                (trend(report))
                (all_gaps(report))
                (legend_section(report))
            }
        }
    };
    // Control characters of input text would pass maud's escaping (and a browser may
    // refuse or hide them): they are shown as `\u{1b}`, as in every other output.
    let mut text = crate::visible::visible_controls(&page.into_string()).into_owned();
    text.push('\n');
    text
}

fn contents() -> Markup {
    html! {
        nav aria-label="Contents" {
            ol {
                li { a href="#summary" { "Board page" } }
                li { a href="#new" { "New in this edition" } }
                li { a href="#owners" { "By owner" } }
                li { a href="#sections" { "By section" } }
                li { a href="#trend" { "Trend" } }
                li { a href="#gaps" { "Appendix: all gaps" } }
                li { a href="#legend" { "Legend and notes" } }
            }
        }
    }
}

/// The first printed page: per target coverage, gaps by severity, the change since the last
/// meeting, what is new in the edition, and the top items by rank; then the decisions the
/// board must take. Everything else in the report supports this page.
fn board(report: &ManagementReport, title: &str) -> Markup {
    html! {
        section #summary .board {
            header {
                h1 { (title) }
                p.meta {
                    "Board page as of " span.id { (report.today) } ". Every figure comes from one analysis of the inventory; details follow on the next pages."
                    @if !report.warnings.is_empty() {
                        " " span.flag { (report.warnings.len()) " catalog warning" @if report.warnings.len() != 1 { "s" } " (see Notes)." }
                    }
                }
                (contents())
            }
            @if let Some(movement) = report.since_last.as_ref().filter(|_| report.has_several_scopes()) {
                p { "All gaps since the last meeting " (movement_text(movement)) }
            }
            @for target in &report.targets { (target_card(report, target)) }
            @if !report.control_escalations.is_empty() {
                p { "Gaps about controls alone: " (report.gaps.iter().filter(|g| g.target.is_none()).count()) " (see By owner)." }
            }
            (decisions(report))
        }
    }
}

fn target_card(report: &ManagementReport, target: &TargetBrief) -> Markup {
    let s = &target.summary;
    html! {
        article.target {
            h2 { span.id { (s.catalog) } " " (s.title) }
            p.figure {
                strong { (format!("{:.1}%", s.coverage_percent)) }
                " covered: " (s.covered) " of " (s.requirements) " applicable requirements; "
                (s.partial) " partial, " (s.needs_review) " to review, " (s.uncovered) " uncovered. Due " span.id { (s.due) } "."
            }
            (severity_row(&target.counts))
            p.line {
                @match &target.since_last {
                    Some(movement) => { "Since the last meeting " (movement_text(movement)) }
                    None => span.muted { "No earlier report in the history to compare with." },
                }
                " "
                @if let Some(since) = &target.reviewed_against {
                    @let items = report.new_in_edition.iter().filter(|i| i.requirement.catalog == s.catalog);
                    @let (all, open) = items.fold((0, 0), |(a, o), i| (a + 1, o + usize::from(i.state != CoverageState::Covered)));
                    "New since " span.id { (since.version) } ": " (all) " requirements, " strong { (open) " not yet met" } "."
                }
            }
            (through_summary(s))
            (top_table(report, target))
        }
    }
}

/// One line for the crosswalk paths on the board page; the table is in the appendix.
fn through_summary(target: &crate::gaps::TargetSummary) -> Markup {
    match through::heading(target) {
        Some(heading) => html! { p.line.muted { (heading) " (paths in the notes)." } },
        None => html! {},
    }
}

/// The target's first gaps by rank, with who has them now and the plan.
fn top_table(report: &ManagementReport, target: &TargetBrief) -> Markup {
    if target.top.is_empty() {
        return html! { p { "No open gap." } };
    }
    html! {
        table.top {
            caption { "Top " (target.top.len()) " by rank (severity, days overdue, new in the edition, level, plan)" }
            thead { tr { th { "#" } th { "Gap" } th { "Overdue" } th { "Owner" } th { "Now with" } th { "Plan" } } }
            tbody {
                @for (n, index) in target.top.iter().enumerate() {
                    @let gap = &report.gaps[*index];
                    @let owner = gap.owner.as_ref().map_or("nobody", |o| report.owner_name(o));
                    @let now = gap.escalation.last().map_or("–", |o| report.owner_name(o));
                    tr {
                        td.num { (n + 1) }
                        td.clip { (badge(gap.severity)) " " span.id { (gap_subject(gap)) } " " (gap.title) }
                        td.num { (overdue_text(report, gap)) }
                        td.clip title=(owner) { (owner) }
                        td.clip title=(now) { (now) }
                        td.clip { (plan_text(gap)) }
                    }
                }
            }
        }
    }
}

/// What a gap is about, short: the requirement ID (with the control), else the key's end.
fn gap_subject(gap: &Gap) -> String {
    let mut subject = match (&gap.requirement, &gap.control) {
        (Some(r), Some(c)) => format!("{}·{c}", r.id),
        (Some(r), None) => r.id.to_string(),
        (None, Some(c)) => c.to_string(),
        (None, None) => gap.key.to_string(),
    };
    if gap.new_in.is_some() {
        subject.push_str(" (new)");
    }
    subject
}

fn overdue_text(report: &ManagementReport, gap: &Gap) -> String {
    match report.days_overdue(gap) {
        0 => format!("due {}", gap.due),
        days => format!("{days} d"),
    }
}

fn plan_text(gap: &Gap) -> Markup {
    match &gap.plan {
        Some(plan) => html! {
            span class=(format!("plan {}", plan.status)) { (plan.status) }
            @if let Some(ticket) = &plan.ticket { " " span.id { (ticket) } }
        },
        None => html! { span.muted { "none" } },
    }
}

/// Severity counts as two short rows, open and overdue.
fn severity_row(counts: &SeverityCounts) -> Markup {
    html! {
        table.counts {
            thead { tr { th {} @for s in SEVERITIES { th { (badge(s)) } } th { "Total" } } }
            tbody {
                tr { th scope="row" { "Open" } @for s in SEVERITIES { td.num { (counts.open.get(&s).copied().unwrap_or(0)) } } td.num { strong { (counts.total_open()) } } }
                tr { th scope="row" { "Overdue" } @for s in SEVERITIES { td.num { (counts.overdue.get(&s).copied().unwrap_or(0)) } } td.num { strong { (counts.total_overdue()) } } }
            }
        }
    }
}

/// Decisions the meeting must take: reviews of not-applicable decisions and waiver expiries
/// within a quarter, and blocked plans.
fn decisions(report: &ManagementReport) -> Markup {
    let d = &report.decisions;
    html! {
        section.decisions aria-label="Decisions needed" {
            h2 { "Decisions needed" }
            @if d.not_applicable.is_empty() && d.waivers.is_empty() && d.blocked.is_empty() {
                p { "None: no not-applicable decision or waiver falls due within a quarter, and no plan is blocked." }
            }
            ul {
                @for item in &d.not_applicable {
                    li { "Review not-applicable " span.id { (item.subject) } " by " span.id { (item.due) } " (approved by " (report.owner_name(&item.approved_by)) ")." }
                }
                @for item in &d.waivers {
                    li { "Waiver " span.id { (item.subject) } @if item.due < report.today { " expired " } @else { " expires " } span.id { (item.due) } " (approved by " (report.owner_name(&item.approved_by)) "): renew, or close the gap." }
                }
                @for index in &d.blocked {
                    @let gap = &report.gaps[*index];
                    li { "Plan blocked: " span.id { (gap.key) } @if let Some(note) = gap.plan.as_ref().and_then(|p| p.note.as_ref()) { ": " (note) } }
                }
            }
        }
    }
}

/// The requirements met through crosswalks, with their paths (maud escapes every value).
fn through_table(target: &crate::gaps::TargetSummary) -> Markup {
    let Some(heading) = through::heading(target) else {
        return html! {};
    };
    html! {
        h4 { (heading) }
        div.scroll {
            table {
                thead { tr { th { "Requirement" } th { "How" } th { "Paths" } } }
                tbody {
                    @for entry in through::entries(target) {
                        tr {
                            td.id { (entry.id) }
                            td { (entry.state) }
                            td {
                                @for (i, line) in entry.paths.iter().chain(entry.missing.iter()).enumerate() {
                                    @if i > 0 { br; }
                                    (line)
                                }
                            }
                        }
                    }
                }
            }
        }
    }
}

fn movement_text(m: &Movement) -> String {
    format!(
        "({}): {} new, {} resolved; open {} → {}, overdue {} → {}.",
        m.since, m.new, m.resolved, m.open_before, m.open_now, m.overdue_before, m.overdue_now
    )
}

fn escalation_list(report: &ManagementReport, escalations: &[Escalation]) -> Markup {
    html! {
        @for (n, escalation) in escalations.iter().enumerate() {
            @let gap = &report.gaps[escalation.gap];
            figure.escalation {
                figcaption {
                    (badge(gap.severity)) " " (key(&gap.key)) br;
                    (gap.title.trim_end_matches('.')) ". Due " span.id { (gap.due) } ", owner " (owner_text(report, gap)) "; escalates to " (chain(report, gap)) "."
                }
                div.scroll { (svg(&escalation.picture, &format!("esc-{}-{n}", escalation.gap), false)) }
            }
        }
    }
}

fn owner_text(report: &ManagementReport, gap: &Gap) -> Markup {
    match &gap.owner {
        Some(owner) => owner_markup(report, owner),
        None => html! { "nobody" },
    }
}

/// An owner's name with the owner ID after it, the ID kept on one line.
fn owner_markup(report: &ManagementReport, owner: &crate::model::OwnerId) -> Markup {
    html! { (report.owner_name(owner)) " " span.id { "(" (owner) ")" } }
}

fn chain(report: &ManagementReport, gap: &Gap) -> Markup {
    html! {
        @for (i, owner) in gap.escalation.iter().enumerate() {
            @if i > 0 { " → " }
            (owner_markup(report, owner))
        }
    }
}

fn new_in_edition(report: &ManagementReport) -> Markup {
    html! {
        section #new {
            h2 { "1. New in this edition" }
            @for target in &report.targets {
                @let items: Vec<_> = report.new_in_edition.iter().filter(|i| i.requirement.catalog == target.summary.catalog).collect();
                h3 { span.id { (target.summary.catalog) } }
                @match &target.reviewed_against {
                    None => p { "No earlier edition to measure from: the target names no " code { "since:" } " and every mapping was reviewed against this version." },
                    Some(since) => {
                        @let open = items.iter().filter(|i| i.state != CoverageState::Covered).count();
                        p { (items.len()) " requirements were added or changed in substance since " span.id { (since) } " (the edition last met); " (open) " of them are not yet met." }
                        @let with_ballots = items.iter().any(|i| !i.new_in.ballots.is_empty());
                        div.scroll { table.edition {
                            thead { tr { th { "Requirement" } th { "Clause" } th { "Change" } @if with_ballots { th { "Ballots" } th { "Due" } } th { "Level" } th { "Status" } th { "Owner" } th { "Title" } } }
                            tbody {
                                @for item in &items {
                                    tr {
                                        td.id { (item.requirement.id) }
                                        td.id { (item.section) }
                                        td { (item.new_in.change) }
                                        @if with_ballots {
                                            td { (super::markdown::ballot_list(&item.new_in.ballots)) }
                                            td.id { @if let Some(due) = item.due { (due) } @else { "–" } }
                                        }
                                        td { (item.level) }
                                        td { span class=(format!("state {}", item.state)) { (state_text(item.state)) } }
                                        td { @if let Some(o) = &item.owner { (report.owner_name(o)) } @else { "–" } }
                                        td.clip { (item.title) }
                                    }
                                }
                            }
                        } }
                    }
                }
            }
        }
    }
}

fn state_text(state: CoverageState) -> &'static str {
    match state {
        CoverageState::Covered => "covered",
        CoverageState::Partial => "partial",
        CoverageState::NeedsReview => "to review",
        CoverageState::Uncovered => "not met",
    }
}

fn by_owner(report: &ManagementReport) -> Markup {
    html! {
        section #owners {
            h2 { "2. By owner" }
            p { "Each owner's own gaps, once, in rank order; the appendix has the full text of each." }
            table {
                thead { tr {
                    th { "Owner" } th { "Open" } th { "Overdue" }
                    @for s in SEVERITIES { th { (s) } }
                } }
                tbody {
                    @for owner in &report.owners {
                        tr {
                            td { (owner_label(owner)) }
                            td.num { (owner.gaps.len()) }
                            td.num { (owner.overdue.len()) }
                            @for s in SEVERITIES { td.num { (owner.counts.open.get(&s).copied().unwrap_or(0)) } }
                        }
                    }
                }
            }
            (escalation_pictures(report))
            @for owner in &report.owners {
                h3 { (owner_label(owner)) ": " (owner.gaps.len()) " open, " (owner.overdue.len()) " overdue" }
                (owner_table(report, &owner.gaps))
            }
        }
    }
}

/// The top escalations of each target as pictures of what they involve.
fn escalation_pictures(report: &ManagementReport) -> Markup {
    let any = report.targets.iter().any(|t| !t.escalations.is_empty())
        || !report.control_escalations.is_empty();
    html! {
        @if any {
            h3 { "Top escalations, pictured" }
            @for target in &report.targets { (escalation_list(report, &target.escalations)) }
            (escalation_list(report, &report.control_escalations))
        }
    }
}

/// One line per gap: the owner's list for the meeting, without the full message.
fn owner_table(report: &ManagementReport, gaps: &[usize]) -> Markup {
    html! {
        table.owner {
            thead { tr { th { "Severity" } th { "Gap" } th { "Overdue" } th { "Now with" } th { "Plan" } } }
            tbody {
                @for index in gaps {
                    @let gap = &report.gaps[*index];
                    tr class=[(gap.status == GapStatus::Overdue).then_some("overdue")] {
                        td { (badge(gap.severity)) }
                        td.clip { span.id { (gap.kind) " " (gap_subject(gap)) } " " (gap.title) }
                        td.num { (overdue_text(report, gap)) }
                        td.clip { @match gap.escalation.last() { Some(now) => (report.owner_name(now)), None => span.muted { "owner" } } }
                        td { (plan_text(gap)) }
                    }
                }
            }
        }
    }
}

fn owner_label(owner: &OwnerBrief) -> Markup {
    html! {
        (owner.name)
        @if let Some(id) = &owner.owner { " " span.id { "(" (id) ")" } }
    }
}

fn by_section(report: &ManagementReport) -> Markup {
    html! {
        section #sections {
            h2 { "3. By section" }
            p.key {
                span.swatch style=(format!("background:{}", chart::COVERED)) {} " covered "
                span.swatch style=(format!("background:{}", chart::PARTIAL)) {} " partial "
                span.swatch style=(format!("background:{}", chart::REVIEW)) {} " to review "
                span.swatch style=(format!("background:{}", chart::UNCOVERED)) {} " uncovered"
            }
            @for (n, target) in report.targets.iter().enumerate() {
                h3 { span.id { (target.summary.catalog) } }
                div.scroll { (chart::coverage_bars(&target.sections, &format!("sections-{n}"))) }
                details {
                    summary { "The numbers behind the chart" }
                    div.scroll { table {
                        thead { tr { th { "Clause" } th { "Title" } th { "Requirements" } th { "Covered" } th { "Partial" } th { "To review" } th { "Uncovered" } } }
                        tbody {
                            @for bar in &target.sections {
                                tr {
                                    td.id { (bar.clause) } td { (bar.title) } td.num { (bar.total) }
                                    td.num { (bar.covered) " (" (percent(bar.covered, bar.total)) ")" }
                                    td.num { (bar.partial) } td.num { (bar.needs_review) } td.num { (bar.uncovered) }
                                }
                            }
                        }
                    } }
                }
            }
        }
    }
}

fn trend(report: &ManagementReport) -> Markup {
    html! {
        section #trend {
            h2 { "4. Trend" }
            @if report.trend.len() < 2 {
                p.muted { "No history yet: keep the JSON report of each run (" code { "reqgap gaps --format json" } ") in a folder and pass it with " code { "--history DIR" } "." }
            } @else {
                div.scroll { (chart::trend_lines(&report.trend, "trend")) }
                div.scroll { table {
                    caption { "Gaps per run" }
                    thead { tr { th { "Date" } th { "Open" } th { "Overdue" } } }
                    tbody {
                        @for point in &report.trend {
                            tr { td.id { (point.date) @if point.current { " (this report)" } } td.num { (point.open) } td.num { (point.overdue) } }
                        }
                    }
                } }
            }
        }
    }
}

fn all_gaps(report: &ManagementReport) -> Markup {
    html! {
        section #gaps {
            h2 { "Appendix: all gaps (" (report.gaps.len()) ")" }
            p { "In rank order: severity, days overdue, new in the edition, level, plan." }
            (gap_table(report, report.gaps.iter()))
        }
    }
}

fn gap_table<'a>(report: &ManagementReport, gaps: impl Iterator<Item = &'a Gap>) -> Markup {
    html! {
        table.gaps {
            thead { tr { th { "Severity, due (red: overdue)" } th { "Gap" } th { "Owner, now with" } th { "What to do" } } }
            tbody {
                @for gap in gaps {
                    tr class=[(gap.status == GapStatus::Overdue).then_some("overdue")] {
                        td {
                            (badge(gap.severity)) br;
                            span.id.status title=(gap.status) { (gap.due) }
                            @if let Some(plan) = &gap.plan { br; (plan_text_full(plan)) }
                        }
                        td {
                            (key(&gap.key)) br; (gap.title)
                            @if let Some(control) = &gap.control {
                                br; "Control " span.id { (control) } @if let Some(title) = report.control_title(control) { ": " (title) }
                            }
                        }
                        td {
                            (owner_text(report, gap))
                            @if let Some(now) = gap.escalation.last() { br; "→ now with " (report.owner_name(now)) }
                        }
                        td { (gap.message) }
                    }
                }
            }
        }
    }
}

/// A gap key that may wrap only after its colons: each part (kind, catalog, requirement ID,
/// control) stays whole, so a long key fits a printed A4 column without breaking an ID.
fn key(key: &crate::model::GapKey) -> Markup {
    let text = key.to_string();
    let mut parts = text.split_inclusive(':').peekable();
    html! {
        span.key {
            @while let Some(part) = parts.next() {
                span.id { (part) }
                @if parts.peek().is_some() { wbr; }
            }
        }
    }
}

fn plan_text_full(plan: &crate::model::GapPlan) -> Markup {
    html! {
        span class=(format!("plan {}", plan.status)) { (plan.status) }
        @if let Some(ticket) = &plan.ticket { " " span.id { (ticket) } }
        @if let Some(note) = &plan.note { br; (note) }
    }
}

fn badge(severity: Severity) -> Markup {
    html! { span class=(format!("sev {severity}")) { (severity) } }
}

fn legend_section(report: &ManagementReport) -> Markup {
    html! {
        section #legend {
            h2 { "Legend and notes" }
            @for warning in &report.warnings { p.warning { "Warning: " (warning) } }
            @for target in &report.targets { (through_table(&target.summary)) }
            div.scroll { table {
                caption { "Severities" }
                tbody { @for s in SEVERITIES { tr { th scope="row" { (badge(s)) } td { (severity_meaning(s)) } } } }
            } }
            div.scroll { table {
                caption { "Gap kinds (severity for a shall requirement; should is one step lower)" }
                tbody { @for (kind, severity, meaning) in legend() { tr { th.id scope="row" { (kind) } td { (badge(severity)) } td { (meaning) } } } }
            } }
        }
    }
}
