use std::collections::BTreeMap;
use std::io::Write;

use super::layout::{Cell, Paint, RecordTable, Row};
use super::TableReporter;
use crate::gaps::{Gap, GapReport, GapStatus, Severity, TargetSummary};
use crate::model::{CatalogKey, Level, OwnerId};
use crate::report::{through, ReportError};

pub(super) fn report(
    reporter: &TableReporter,
    report: &GapReport,
    out: &mut dyn Write,
) -> Result<(), ReportError> {
    let mut head = Vec::new();
    header(report, &mut head)?;
    reporter.write_wrapped(&String::from_utf8_lossy(&head), out)?;
    for target in &report.targets {
        through_block(reporter, target, out)?;
    }
    for (owner, gaps) in report.by_owner() {
        writeln!(out)?;
        let chain = shared_escalation(&gaps);
        reporter.write_wrapped(&owner_heading(report, owner, &gaps, chain), out)?;
        let width = reporter.style.width.map(usize::from);
        for (i, part) in by_standard(&gaps).into_values().enumerate() {
            if i > 0 {
                writeln!(out)?;
            }
            let mut table = gap_table(&part, chain.is_some());
            table.shorten_header(2, "Sev", width);
            write!(out, "{}", table.render(width, reporter.style.color))?;
        }
    }
    if report.gaps.is_empty() {
        writeln!(out, "\nNo open gaps.")?;
    }
    Ok(())
}

/// The requirements of `target` met through crosswalks, each with its paths, indented
/// under a heading (nothing when there are none).
fn through_block(
    reporter: &TableReporter,
    target: &TargetSummary,
    out: &mut dyn Write,
) -> Result<(), ReportError> {
    let Some(heading) = through::heading(target) else {
        return Ok(());
    };
    writeln!(out)?;
    reporter.write_wrapped(&heading, out)?;
    for entry in through::entries(target) {
        let head = match &entry.missing {
            Some(missing) => format!("{} {}; {missing}", entry.id, entry.state),
            None => format!("{} {}", entry.id, entry.state),
        };
        reporter.write_indented(&head, 2, out)?;
        for path in &entry.paths {
            reporter.write_indented(path, 4, out)?;
        }
    }
    Ok(())
}

/// An owner's gaps split by the standard of their requirement (gaps about a control alone
/// first), so that each table names one standard in its header and stays narrow.
fn by_standard<'a>(gaps: &[&'a Gap]) -> BTreeMap<Option<&'a str>, Vec<&'a Gap>> {
    let mut parts: BTreeMap<Option<&str>, Vec<&Gap>> = BTreeMap::new();
    for gap in gaps {
        let standard = gap
            .requirement
            .as_ref()
            .map(|r| r.catalog.standard.as_str());
        parts.entry(standard).or_default().push(gap);
    }
    parts
}

/// One row per gap. The catalog most rows name is written once, as the requirement
/// column's header, so that rows show the bare ID; rows of other versions of the same
/// standard show `@<version>:<ID>`, and those of other standards the full name.
fn gap_table(gaps: &[&Gap], chain_in_heading: bool) -> RecordTable {
    let common = common_catalog(gaps.iter().copied());
    let requirement_header = requirement_header(common);
    let rows = gaps
        .iter()
        .map(|gap| {
            let overdue = gap.status == GapStatus::Overdue;
            let alert = if overdue { Paint::Alert } else { Paint::Plain };
            let strong = if gap.severity == Severity::High {
                Paint::Strong
            } else {
                Paint::Plain
            };
            let status = if chain_in_heading {
                gap.status.as_str().to_owned()
            } else {
                status_text(gap)
            };
            let requirement = requirement_cell(gap, common);
            Row {
                cells: vec![
                    Cell::new(gap.due.to_string()).paint(alert),
                    Cell::new(status).paint(alert),
                    Cell::new(gap.severity.as_str()).paint(strong),
                    Cell::new(gap.kind.code()),
                    Cell::new(requirement).paint(strong),
                    Cell::new(
                        gap.control
                            .as_ref()
                            .map_or_else(|| "-".to_owned(), ToString::to_string),
                    ),
                ],
                details: with_milestone(
                    match plan_text(gap) {
                        Some(plan) => format!("{}: {} [{plan}]", gap.title, gap.message),
                        None => format!("{}: {}", gap.title, gap.message),
                    },
                    gap,
                ),
            }
        })
        .collect();
    RecordTable {
        foldable: Vec::new(),
        headers: ["Due", "Status", "Severity", "Kind"]
            .into_iter()
            .map(str::to_owned)
            .chain([requirement_header, "Control".to_owned()])
            .collect(),
        details_header: "Details",
        rows,
    }
}

/// The requirement column's header: the shared `standard@version:` prefix when there is
/// one.
pub(super) fn requirement_header(common: Option<&CatalogKey>) -> String {
    common.map_or_else(|| "Requirement".to_owned(), |c| format!("{c}:"))
}

/// A requirement without the prefix its column's header gives. Another version of the
/// header's standard is written `@2.3.1:REQ-7.11-01`, which keeps the column narrow (the
/// details name it in full); another standard keeps its full name.
pub(super) fn requirement_cell(gap: &Gap, common: Option<&CatalogKey>) -> String {
    match (&gap.requirement, common) {
        (Some(key), Some(common)) if key.catalog == *common => key.id.to_string(),
        (Some(key), Some(common)) if key.catalog.standard == common.standard => {
            format!("@{}:{}", key.catalog.version, key.id)
        }
        _ => requirement_text(gap),
    }
}

/// The catalog named by most rows (the first in order on a tie), if any row names one.
pub(super) fn common_catalog<'a>(gaps: impl Iterator<Item = &'a Gap>) -> Option<&'a CatalogKey> {
    let mut counts: BTreeMap<&CatalogKey, usize> = BTreeMap::new();
    for gap in gaps {
        if let Some(key) = &gap.requirement {
            *counts.entry(&key.catalog).or_default() += 1;
        }
    }
    let most = counts.values().copied().max()?;
    counts.into_iter().find(|(_, n)| *n == most).map(|(k, _)| k)
}

/// The escalation chain all overdue gaps of a group share, to print once in its heading.
fn shared_escalation<'a>(gaps: &[&'a Gap]) -> Option<&'a [OwnerId]> {
    let mut overdue = gaps.iter().filter(|g| g.status == GapStatus::Overdue);
    let first = overdue.next()?;
    overdue
        .all(|g| g.escalation == first.escalation)
        .then_some(first.escalation.as_slice())
        .filter(|chain| !chain.is_empty())
}

fn header(report: &GapReport, out: &mut dyn Write) -> Result<(), ReportError> {
    writeln!(
        out,
        "Gap analysis for {} as of {}",
        report.organisation, report.today
    )?;
    for target in &report.targets {
        writeln!(out, "{}", target_line(target))?;
        for line in not_applicable_lines(target) {
            writeln!(out, "  {line}")?;
        }
    }
    let counts: Vec<String> = report
        .counts
        .iter()
        .filter(|(_, n)| **n > 0)
        .map(|(kind, n)| format!("{n} {kind}"))
        .collect();
    let total = report.gaps.len();
    if counts.is_empty() {
        writeln!(out, "Gaps: none")?;
    } else {
        writeln!(
            out,
            "Gaps: {total} ({}); {} overdue",
            counts.join(", "),
            report.overdue
        )?;
    }
    // Provenance warnings go to standard error (the CLI prints them), so that the table
    // on standard output holds the findings alone.
    Ok(())
}

/// `Target etsi-en-319-401@3.2.1 (due 2026-06-30): 120 of 321 covered (37.3%); shall 100/290, …`
/// One line per requirement declared not applicable: every report shows the decision and
/// its justification, so that leaving a requirement out of the coverage is never silent.
pub(crate) fn not_applicable_lines(target: &TargetSummary) -> Vec<String> {
    target
        .not_applicable_requirements
        .iter()
        .map(|n| {
            format!(
                "not applicable: {} (approved by {}, next review {}): {}",
                n.requirement, n.approved_by, n.next_review, n.justification
            )
        })
        .collect()
}

pub(crate) fn target_line(target: &TargetSummary) -> String {
    let levels: Vec<String> = [Level::Shall, Level::Should, Level::May, Level::Informative]
        .into_iter()
        .filter_map(|level| {
            target
                .by_level
                .get(&level)
                .map(|c| format!("{level} {}/{}", c.covered, c.total))
        })
        .collect();
    let applicable = if target.not_applicable == 0 {
        format!("{} requirements", target.requirements)
    } else {
        format!(
            "{} applicable ({} not applicable)",
            target.requirements, target.not_applicable
        )
    };
    format!(
        "Target {} (due {}): {} of {applicable} covered ({:.1}%; {}); {} partial, {} to review, {} uncovered",
        target.catalog,
        target.due,
        target.covered,
        target.coverage_percent,
        levels.join(", "),
        target.partial,
        target.needs_review,
        target.uncovered
    )
}

fn owner_heading(
    report: &GapReport,
    owner: Option<&OwnerId>,
    gaps: &[&Gap],
    chain: Option<&[OwnerId]>,
) -> String {
    let overdue = gaps
        .iter()
        .filter(|g| g.status == GapStatus::Overdue)
        .count();
    let plural = if gaps.len() == 1 { "" } else { "s" };
    let escalated = chain.map_or_else(String::new, |chain| {
        let chain: Vec<&str> = chain.iter().map(OwnerId::as_str).collect();
        format!("; overdue ones escalate → {}", chain.join(" → "))
    });
    let heading = match owner {
        None => format!(
            "Unassigned: {} gap{plural} without a responsible owner ({overdue} overdue)",
            gaps.len()
        ),
        Some(id) => {
            let name = report.owner_name(id);
            format!(
                "{name} ({id}): {} gap{plural}, {overdue} overdue",
                gaps.len()
            )
        }
    };
    heading + &escalated
}

pub(crate) fn status_text(gap: &Gap) -> String {
    match gap.status {
        GapStatus::Open => "open".to_owned(),
        GapStatus::Overdue if gap.escalation.is_empty() => "overdue".to_owned(),
        GapStatus::Overdue => {
            let chain: Vec<&str> = gap.escalation.iter().map(OwnerId::as_str).collect();
            format!("overdue → {}", chain.join(" → "))
        }
    }
}

pub(crate) fn requirement_text(gap: &Gap) -> String {
    match (&gap.requirement, &gap.evidence) {
        (Some(key), _) => match &gap.new_in {
            Some(new_in) => {
                let mut ballots: Vec<&str> = new_in
                    .ballots
                    .iter()
                    .filter_map(|b| b.ballot.as_deref())
                    .collect();
                ballots.dedup();
                let by = if ballots.is_empty() {
                    String::new()
                } else {
                    format!(" by {}", ballots.join(", "))
                };
                format!(
                    "{key} ({} since {}{by})",
                    new_in.change, new_in.since.version
                )
            }
            None => key.to_string(),
        },
        (None, Some(evidence)) => format!("evidence {evidence}"),
        (None, None) => gap
            .target
            .as_ref()
            .map_or_else(|| "-".to_owned(), ToString::to_string),
    }
}

/// The plan entry a gap carries, as every human format shows it beside the gap's details:
/// `plan: in-progress, SEC-4711; supplier clauses being renegotiated` (its date is the
/// gap's due date).
pub(crate) fn plan_text(gap: &Gap) -> Option<String> {
    let plan = gap.plan.as_ref()?;
    let mut text = format!("plan: {}", plan.status);
    if let Some(ticket) = &plan.ticket {
        text.push_str(&format!(", {ticket}"));
    }
    if let Some(note) = &plan.note {
        text.push_str(&format!("; {note}"));
    }
    Some(text)
}

/// A gap's details, followed by the milestone its due date comes from (`from 2027-03-15:
/// Maximum validity period ... (1.2.2 Relevant Dates, row 23)`).
fn with_milestone(details: String, gap: &Gap) -> String {
    match &gap.milestone {
        Some(m) => format!(
            "{details} Milestone {}: {} ({}).",
            m.date, m.obligation, m.source
        ),
        None => details,
    }
}
