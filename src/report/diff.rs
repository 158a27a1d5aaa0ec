//! The `diff` report: a catalog diff with the command's filters applied.

use std::collections::BTreeSet;

use serde::Serialize;

use std::io::Write;

use crate::diff::{
    CatalogDiff, Change, ChangeClass, Details, Explanation, Segment, SegmentOp, Successor,
};
use crate::report::{Format, ReportError, Style};

/// The filters of `reqgap diff`; recorded in the JSON output.
#[derive(Clone, Debug, Default, PartialEq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub struct DiffFilter {
    /// Only these classes; empty = all.
    #[serde(skip_serializing_if = "BTreeSet::is_empty")]
    pub only: BTreeSet<ChangeClass>,
    /// Only changes whose old or new clause is this one or lies below it.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub section: Option<String>,
    /// Only matched changes scoring at least this; added and removed always pass.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub min_score: Option<f64>,
}

impl DiffFilter {
    /// True when `change` passes every part of the filter.
    pub fn accepts(&self, change: &Change) -> bool {
        let class_ok = self.only.is_empty() || self.only.contains(&change.class);
        let section_ok = self.section.as_deref().is_none_or(|prefix| {
            change.section.is_within(prefix)
                || change
                    .old_section
                    .as_ref()
                    .is_some_and(|s| s.is_within(prefix))
        });
        let score_ok = match (self.min_score, change.score) {
            (Some(min), Some(score)) => score >= min,
            _ => true,
        };
        class_ok && section_ok && score_ok
    }
}

/// What a reporter renders.
pub struct DiffView<'a> {
    /// The diff.
    pub diff: &'a CatalogDiff,
    /// What to show of it.
    pub filter: DiffFilter,
    /// The changes that pass the filter, in report order.
    pub changes: Vec<&'a Change>,
}

impl<'a> DiffView<'a> {
    /// The view of `diff` through `filter`.
    pub fn new(diff: &'a CatalogDiff, filter: DiffFilter) -> DiffView<'a> {
        let changes = diff.changes.iter().filter(|c| filter.accepts(c)).collect();
        DiffView {
            diff,
            filter,
            changes,
        }
    }

    /// The changes human formats list: unchanged requirements only when asked for by
    /// `--only unchanged`, since listing hundreds of them hides what changed.
    pub fn listed(&self) -> impl Iterator<Item = &'a Change> + '_ {
        let show_unchanged = self.filter.only.contains(&ChangeClass::Unchanged);
        self.changes
            .iter()
            .copied()
            .filter(move |c| show_unchanged || c.class != ChangeClass::Unchanged)
    }

    /// "3 changed (1 substantive), 2 renumbered, ..." over the whole diff.
    pub fn summary(&self) -> String {
        let mut parts = Vec::new();
        for (class, n) in &self.diff.counts {
            let mut part = format!("{n} {class}");
            let substantive = self
                .diff
                .changes
                .iter()
                .filter(|c| c.class == *class && c.edit.is_some() && c.substantive)
                .count();
            if matches!(class, ChangeClass::Changed | ChangeClass::Renumbered) && substantive > 0 {
                part.push_str(&format!(" ({substantive} substantive)"));
            }
            parts.push(part);
        }
        let confirm = self
            .diff
            .changes
            .iter()
            .filter(|c| c.needs_confirmation)
            .count();
        let mut line = format!(
            "{} → {}: {}",
            self.diff.old,
            self.diff.new,
            parts.join(", ")
        );
        if confirm > 0 {
            line.push_str(&format!("; {confirm} need confirmation"));
        }
        if !self.diff.ballots.is_empty() {
            let ballots: Vec<String> = self.diff.ballots.iter().map(ToString::to_string).collect();
            line.push_str(&format!("; ballots: {}", ballots.join(", ")));
        }
        line
    }
}

/// The class as people read it: "renumbered, substantive", "changed, editorial".
pub fn class_label(change: &Change) -> String {
    let mut label = change.class.to_string();
    if let Some(edit) = change.edit {
        label.push_str(", ");
        label.push_str(edit.as_str());
    }
    label
}

/// Score and how the match was made: "0.93 detected", "curated", "0.55 detected, confirm".
pub fn match_label(change: &Change) -> String {
    let Some(score) = change.score else {
        return if change.curated {
            "curated".to_owned()
        } else {
            String::new()
        };
    };
    let how = if change.curated {
        let relation = change.pairs.first().and_then(|p| p.relation);
        let all_links = change
            .pairs
            .iter()
            .all(|p| p.kind == crate::diff::MatchKind::PublisherLink);
        let who = if all_links {
            "publisher link"
        } else {
            "curated"
        };
        match (change.pairs.len(), relation) {
            (1, Some(r)) => format!("{who} ({r})"),
            _ => who.to_owned(),
        }
    } else if change
        .pairs
        .iter()
        .all(|p| p.kind == crate::diff::MatchKind::SameId)
    {
        "same ID".to_owned()
    } else {
        "detected".to_owned()
    };
    let confirm = if change.needs_confirmation {
        ", confirm"
    } else {
        ""
    };
    format!("{score:.2} {how}{confirm}")
}

/// The reasons of a substantive change, comma-separated.
pub fn reasons_label(change: &Change) -> String {
    change
        .reasons
        .iter()
        .map(|r| r.as_str())
        .collect::<Vec<_>>()
        .join(", ")
}

/// A word diff shortened to the changed runs with a few words of context around them.
pub fn short_diff(segments: &[Segment], context_words: usize) -> Vec<Segment> {
    let last = segments.len().saturating_sub(1);
    segments
        .iter()
        .enumerate()
        .map(|(i, s)| {
            if s.op != SegmentOp::Equal {
                return s.clone();
            }
            let words: Vec<&str> = s.text.split_whitespace().collect();
            if words.len() <= context_words * 2 + 1 {
                return s.clone();
            }
            let head = if i == 0 {
                Vec::new()
            } else {
                words[..context_words].to_vec()
            };
            let tail = if i == last {
                Vec::new()
            } else {
                words[words.len() - context_words..].to_vec()
            };
            let mut text = String::new();
            if i > 0 {
                text.push(' ');
            }
            text.push_str(&head.join(" "));
            if !head.is_empty() {
                text.push(' ');
            }
            text.push('…');
            if !tail.is_empty() {
                text.push(' ');
                text.push_str(&tail.join(" "));
            }
            if i < last {
                text.push(' ');
            }
            Segment {
                op: SegmentOp::Equal,
                text,
            }
        })
        .collect()
}

/// Shortens a text to `max` characters on a word boundary.
pub fn shorten(text: &str, max: usize) -> String {
    let flat = text.split_whitespace().collect::<Vec<_>>().join(" ");
    if flat.chars().count() <= max {
        return flat;
    }
    let cut: String = flat.chars().take(max).collect();
    let cut = cut.rsplit_once(' ').map_or(cut.as_str(), |(head, _)| head);
    format!("{cut} …")
}

/// The details of a change, plus "text too different" when that is a reason of its own;
/// the bare reasons when the change carries no details (older composed data).
pub fn what_label(change: &Change) -> String {
    let mut label = details_label(&change.details);
    if label.is_empty() {
        return reasons_label(change);
    }
    if change.reasons.contains(&crate::diff::Reason::TooDifferent) {
        label.push_str("; text too different");
    }
    label
}

/// "level should → shall; numbers within 48 hours → within 24 hours; markers +conditional":
/// the details of a change in one line, for tables and Markdown.
pub fn details_label(details: &Details) -> String {
    let mut parts = Vec::new();
    if let Some(level) = details.level {
        parts.push(format!("level {} → {}", level.from, level.to));
    }
    let delta = |name: &str, removed: Vec<String>, added: Vec<String>| -> Option<String> {
        match (removed.is_empty(), added.is_empty()) {
            (true, true) => None,
            (false, false) => Some(format!(
                "{name} {} → {}",
                removed.join(", "),
                added.join(", ")
            )),
            (false, true) => Some(format!("{name} −{}", removed.join(", −"))),
            (true, false) => Some(format!("{name} +{}", added.join(", +"))),
        }
    };
    let names = |items: &[crate::model::Marker]| items.iter().map(|m| m.to_string()).collect();
    parts.extend(delta(
        "markers",
        names(&details.markers.removed),
        names(&details.markers.added),
    ));
    parts.extend(delta(
        "keywords",
        details.keywords.removed.clone(),
        details.keywords.added.clone(),
    ));
    parts.extend(delta(
        "numbers",
        details.numbers.removed.clone(),
        details.numbers.added.clone(),
    ));
    parts.extend(delta(
        "list items",
        details.list_items.removed.clone(),
        details.list_items.added.clone(),
    ));
    parts.join("; ")
}

/// Writes an explanation (`reqgap diff --explain`): JSON, or text for every other
/// human format.
pub fn write_explanation(
    explanation: &Explanation,
    format: Format,
    style: Style,
    out: &mut dyn Write,
) -> Result<(), ReportError> {
    match format {
        Format::Json => {
            serde_json::to_writer_pretty(&mut *out, explanation).map_err(std::io::Error::from)?;
            writeln!(out)?;
            Ok(())
        }
        Format::Table => write_explanation_text(explanation, out),
        _ => Err(ReportError::Unsupported {
            format: crate::report::reporter(format, style).name(),
            report: "`diff --explain`",
        }),
    }
}

fn write_explanation_text(e: &Explanation, out: &mut dyn Write) -> Result<(), ReportError> {
    writeln!(out, "{} in {} → {}", e.id, e.old, e.new)?;
    if e.decided.is_empty() {
        writeln!(out, "Decided: removed (no successor)")?;
    }
    for successor in &e.decided {
        writeln!(out, "Decided: {}", decision(successor))?;
    }
    for source in &e.sources {
        writeln!(out, "Source: {source}")?;
    }
    if e.withdrawn_in_new {
        writeln!(
            out,
            "Withdrawn in {}: may join the requirement its words lie inside as a part",
            e.new
        )?;
    }
    if e.candidates.is_empty() {
        writeln!(out, "No requirement of {} shares a word with it.", e.new)?;
        return Ok(());
    }
    writeln!(out, "Candidates (score = text and title combined):")?;
    for c in &e.candidates {
        let same = if c.same_id { ", same ID" } else { "" };
        writeln!(
            out,
            "  {:<16} {:.2}  text {:.2}, title {:.2}, old in new {:.2}, new in old {:.2}, margin {:+.2}{same}",
            c.id.as_str(),
            c.score,
            c.text_score,
            c.title_score,
            c.old_in_new,
            c.new_in_old,
            c.margin
        )?;
        if let Some(g) = c.base_gained {
            writeln!(
                out,
                "  {:<16} its base control: gained {:.2} of it ({:.2} of the words in common)",
                "", g.of_old, g.of_common
            )?;
        }
        if !c.shared.is_empty() {
            writeln!(out, "  {:<16} shares: {}", "", c.shared.join(", "))?;
        }
        writeln!(out, "  {:<16} {}", "", c.verdict)?;
    }
    Ok(())
}

fn decision(s: &Successor) -> String {
    let mut text = format!("{} {} (score {:.2}", s.class, s.id, s.score);
    if s.curated {
        text.push_str(", curated");
    }
    if let Some(rationale) = s.rationale {
        text.push_str(&format!(", detected: {rationale}"));
    }
    if let Some(relation) = s.relation {
        text.push_str(&format!(", {relation}"));
    }
    if s.needs_confirmation {
        text.push_str(", needs confirmation");
    }
    text.push(')');
    let details = details_label(&s.details);
    if !details.is_empty() {
        text.push_str(&format!(": {details}"));
    }
    if let Some((rel, via)) = &s.via {
        text.push_str(&format!(
            " via {} {via}",
            crate::report::diff::link_name(*rel)
        ));
    }
    text
}

/// The catalog link's name as catalogs write it.
pub fn link_name(rel: crate::model::LinkRel) -> &'static str {
    match rel {
        crate::model::LinkRel::MovedTo => "moved-to",
        crate::model::LinkRel::IncorporatedInto => "incorporated-into",
        crate::model::LinkRel::Related => "related",
    }
}
