//! The diff in Markdown, for a pull request or a management note: counts, clause changes,
//! then one table per class with inserted words in bold and deleted ones struck through.

use std::io::Write;

use crate::diff::{Change, ChangeClass, Segment, SegmentOp};
use crate::model::RequirementId;
use crate::report::diff::{class_label, match_label, what_label};
use crate::report::{md_cell, DiffView, ReportError};

pub(super) fn report(view: &DiffView<'_>, out: &mut dyn Write) -> Result<(), ReportError> {
    let diff = view.diff;
    writeln!(out, "# Changes from {} to {}\n", diff.old, diff.new)?;
    if diff.path.len() > 2 {
        let steps: Vec<String> = diff.path.iter().map(ToString::to_string).collect();
        writeln!(out, "Composed from curated steps: {}.\n", steps.join(" → "))?;
    }
    if diff.detect_only {
        writeln!(
            out,
            "Detection only: curated transition files and publisher links were ignored.\n"
        )?;
    }
    writeln!(out, "| Class | Count |\n|---|---:|")?;
    for (class, n) in &diff.counts {
        writeln!(out, "| {class} | {n} |")?;
    }
    if !diff.sections.is_empty() {
        writeln!(out, "\n## Clauses\n")?;
        for s in &diff.sections {
            let title = match (&s.old_title, &s.new_title) {
                (Some(a), Some(b)) => format!("{} → {}", md_cell(a), md_cell(b)),
                (Some(t), None) | (None, Some(t)) => md_cell(t),
                (None, None) => String::new(),
            };
            writeln!(out, "- {} **{}** {title}", s.class.as_str(), s.id)?;
        }
    }
    let listed: Vec<&Change> = view.listed().collect();
    for class in ChangeClass::ALL {
        let rows: Vec<&&Change> = listed.iter().filter(|c| c.class == class).collect();
        if rows.is_empty() {
            continue;
        }
        writeln!(
            out,
            "\n## {} ({})\n",
            capitalised(class.as_str()),
            rows.len()
        )?;
        writeln!(
            out,
            "| Old | New | Section | Class | Match | Change |\n|---|---|---|---|---|---|"
        )?;
        for change in rows {
            writeln!(
                out,
                "| {} | {} | {} | {} | {} | {} |",
                ids(&change.old),
                ids(&change.new),
                change.section,
                class_label(change),
                match_label(change),
                what_changed(change)
            )?;
        }
    }
    Ok(())
}

fn capitalised(word: &str) -> String {
    let mut chars = word.chars();
    chars
        .next()
        .map_or_else(String::new, |c| c.to_uppercase().chain(chars).collect())
}

fn ids(ids: &[RequirementId]) -> String {
    if ids.is_empty() {
        return "–".to_owned();
    }
    ids.iter()
        .map(|id| format!("`{id}`"))
        .collect::<Vec<_>>()
        .join(", ")
}

fn what_changed(change: &Change) -> String {
    match change.class {
        ChangeClass::Added | ChangeClass::Removed => {
            let mut text = md_cell(change.text.as_deref().unwrap_or(""));
            if let Some(source) = change.sources.first() {
                text.push_str(&format!(" (per {})", md_cell(source)));
            }
            text
        }
        ChangeClass::Split | ChangeClass::Merged => change
            .pairs
            .iter()
            .map(|p| format!("`{}` → `{}` ({:.2})", p.old, p.new, p.score))
            .collect::<Vec<_>>()
            .join("<br>"),
        _ => {
            let diff = change
                .pairs
                .first()
                .map_or_else(String::new, |p| segments(&p.diff));
            let reasons = what_label(change);
            if reasons.is_empty() {
                diff
            } else {
                format!("{diff} *({reasons})*")
            }
        }
    }
}

fn segments(segments: &[Segment]) -> String {
    let mut text = String::new();
    for segment in segments {
        let words = md_cell(segment.text.trim());
        if words.is_empty() {
            text.push(' ');
            continue;
        }
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
        let body = match segment.op {
            SegmentOp::Equal => words,
            SegmentOp::Delete => format!("~~{words}~~"),
            SegmentOp::Insert => format!("**{words}**"),
        };
        text.push_str(lead);
        text.push_str(&body);
        text.push_str(trail);
    }
    text.split(' ')
        .filter(|w| !w.is_empty())
        .collect::<Vec<_>>()
        .join(" ")
}
