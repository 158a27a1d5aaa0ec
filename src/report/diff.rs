//! The `diff` report: a catalog diff with the command's filters applied.

use std::collections::BTreeSet;

use serde::Serialize;

use crate::diff::{CatalogDiff, Change, ChangeClass, Segment, SegmentOp};

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
    pub diff: &'a CatalogDiff,
    pub filter: DiffFilter,
    /// The changes that pass the filter, in report order.
    pub changes: Vec<&'a Change>,
}

impl<'a> DiffView<'a> {
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
