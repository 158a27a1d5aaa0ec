use std::io::Write;

use super::record;
use crate::diff::{Change, MatchKind};
use crate::model::RequirementId;
use crate::report::{DiffView, ReportError};

const HEADER: [&str; 12] = [
    "class",
    "old",
    "new",
    "section",
    "old_section",
    "edit",
    "substantive",
    "reasons",
    "score",
    "match",
    "needs_confirmation",
    "sources",
];

/// One row per change; IDs of splits and merges separated by spaces. Every change the
/// filters pass is listed, unchanged ones included, so a spreadsheet can count them.
pub(super) fn report(
    view: &DiffView<'_>,
    delimiter: char,
    out: &mut dyn Write,
) -> Result<(), ReportError> {
    record(out, delimiter, &HEADER.map(str::to_owned))?;
    for change in &view.changes {
        record(out, delimiter, &row(change))?;
    }
    Ok(())
}

fn ids(ids: &[RequirementId]) -> String {
    ids.iter()
        .map(RequirementId::as_str)
        .collect::<Vec<_>>()
        .join(" ")
}

fn row(change: &Change) -> Vec<String> {
    let kinds: Vec<&str> = {
        let mut kinds: Vec<MatchKind> = change.pairs.iter().map(|p| p.kind).collect();
        kinds.sort();
        kinds.dedup();
        kinds.into_iter().map(MatchKind::as_str).collect()
    };
    let mut sources: Vec<String> = change.sources.clone();
    for pair in &change.pairs {
        sources.extend(pair.sources.iter().cloned());
    }
    sources.dedup();
    vec![
        change.class.to_string(),
        ids(&change.old),
        ids(&change.new),
        change.section.to_string(),
        change
            .old_section
            .as_ref()
            .map_or_else(String::new, ToString::to_string),
        change.edit.map_or("", |e| e.as_str()).to_owned(),
        change.substantive.to_string(),
        change
            .reasons
            .iter()
            .map(|r| r.as_str())
            .collect::<Vec<_>>()
            .join(" "),
        change.score.map_or_else(String::new, |s| format!("{s:.4}")),
        kinds.join(" "),
        change.needs_confirmation.to_string(),
        sources.join("; "),
    ]
}
