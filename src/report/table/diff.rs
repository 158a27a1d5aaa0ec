//! The diff as a terminal table: the summary line, clause changes, then one row per change
//! grouped by class, each with a short word diff (coloured on a terminal).

use std::io::Write;

use crate::report::sanitize::cell;

use super::TableReporter;
use crate::diff::{Change, ChangeClass, Segment, SegmentOp};
use crate::model::RequirementId;
use crate::report::diff::{class_label, match_label, short_diff, shorten, what_label};
use crate::report::{DiffView, ReportError};

/// Words of unchanged context kept around each changed run.
const CONTEXT_WORDS: usize = 3;
/// Longest text shown for an added or removed requirement.
const TEXT_CHARS: usize = 70;

pub(super) fn report(
    reporter: &TableReporter,
    view: &DiffView<'_>,
    out: &mut dyn Write,
) -> Result<(), ReportError> {
    reporter.write_wrapped(&view.summary(), out)?;
    if view.diff.path.len() > 2 {
        let steps: Vec<String> = view
            .diff
            .path
            .iter()
            .map(|k| k.version.to_string())
            .collect();
        writeln!(out, "Composed from curated steps: {}", steps.join(" → "))?;
    }
    for section in &view.diff.sections {
        let titles = match (&section.old_title, &section.new_title) {
            (Some(a), Some(b)) => format!("{a} → {b}"),
            (Some(a), None) => a.clone(),
            (None, Some(b)) => b.clone(),
            (None, None) => String::new(),
        };
        let line = format!("Clause {} {}: {titles}", section.id, section.class.as_str());
        reporter.write_wrapped(&line, out)?;
    }
    let listed: Vec<&Change> = view.listed().collect();
    if listed.is_empty() {
        writeln!(out, "No changes to list.")?;
        return Ok(());
    }
    let mut table = reporter.table(&["Class", "Old", "New", "Section", "Match", "Change"]);
    for change in &listed {
        table.add_row(vec![
            cell(class_label(change)),
            cell(ids(&change.old)),
            cell(ids(&change.new)),
            cell(section(change)),
            cell(match_label(change)),
            cell(with_ballots(
                what_changed(change, reporter.style.color),
                change,
            )),
        ]);
    }
    writeln!(out, "{}", reporter.render(table))?;
    if listed.len() < view.diff.changes.len() {
        writeln!(
            out,
            "{} of {} changes listed.",
            listed.len(),
            view.diff.changes.len()
        )?;
    }
    Ok(())
}

fn ids(ids: &[RequirementId]) -> String {
    ids.iter()
        .map(RequirementId::as_str)
        .collect::<Vec<_>>()
        .join("\n")
}

fn section(change: &Change) -> String {
    match &change.old_section {
        Some(old) => format!("{old} → {}", change.section),
        None => change.section.to_string(),
    }
}

/// The change, then the ballots (with their effective dates) that made it, when the
/// catalog has a revision table.
fn with_ballots(what: String, change: &Change) -> String {
    if change.ballots.is_empty() {
        return what;
    }
    let ballots: Vec<String> = change.ballots.iter().map(ToString::to_string).collect();
    let line = format!("ballot: {}", ballots.join(", "));
    if what.is_empty() {
        line
    } else {
        format!("{what}\n{line}")
    }
}

fn what_changed(change: &Change, color: bool) -> String {
    match change.class {
        ChangeClass::Added | ChangeClass::Removed => {
            let text = shorten(change.text.as_deref().unwrap_or(""), TEXT_CHARS);
            match change.sources.first() {
                Some(source) if text.is_empty() => format!("per {source}"),
                _ => text,
            }
        }
        ChangeClass::Split | ChangeClass::Merged => change
            .pairs
            .iter()
            .map(|p| match p.containment {
                Some(contained) => format!(
                    "{} → {} ({:.2}, contained {:.2})",
                    p.old, p.new, p.score, contained
                ),
                None => format!("{} → {} ({:.2})", p.old, p.new, p.score),
            })
            .collect::<Vec<_>>()
            .join("\n"),
        _ => {
            let Some(pair) = change.pairs.first() else {
                return String::new();
            };
            let diff = render_segments(&short_diff(&pair.diff, CONTEXT_WORDS), color);
            let reasons = what_label(change);
            match (diff.is_empty(), reasons.is_empty()) {
                (true, true) => String::new(),
                (true, false) => format!("[{reasons}]"),
                (false, true) => diff,
                (false, false) => format!("{diff}\n[{reasons}]"),
            }
        }
    }
}

/// Deleted words red and struck through, inserted words green; without colour
/// `[-deleted-]{+inserted+}` as `git diff --word-diff` writes them.
fn render_segments(segments: &[Segment], color: bool) -> String {
    let mut text = String::new();
    for segment in segments {
        let words = segment
            .text
            .split_whitespace()
            .collect::<Vec<_>>()
            .join(" ");
        let lead = if segment.text.starts_with(char::is_whitespace) {
            " "
        } else {
            ""
        };
        let trail = if segment.text.ends_with(char::is_whitespace) {
            " "
        } else {
            ""
        };
        let body = match (segment.op, color) {
            (SegmentOp::Equal, _) => words,
            (SegmentOp::Delete, true) => format!("\u{1b}[31;9m{words}\u{1b}[0m"),
            (SegmentOp::Insert, true) => format!("\u{1b}[32m{words}\u{1b}[0m"),
            (SegmentOp::Delete, false) => format!("[-{words}-]"),
            (SegmentOp::Insert, false) => format!("{{+{words}+}}"),
        };
        text.push_str(lead);
        text.push_str(&body);
        text.push_str(trail);
    }
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}
