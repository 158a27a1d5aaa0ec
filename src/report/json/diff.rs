//! The JSON document of `reqgap diff --format json` (schema in docs/diff.md).
//!
//! The document is serde's pretty JSON of [`DiffDocument`], laid out as `write_json` lays
//! out every report. The list of changes, most of the document, is laid out here by hand:
//! a diff of two large editions is megabytes of it, and serde's calls per key cost more
//! than the rest of the diff's output together. Every value inside is still written by
//! serde, but for flags and the names of variants (`"same-id"`), which are written as
//! serde writes them; tests hold the two layouts to the same bytes.

use std::collections::BTreeMap;
use std::io::{self, Write};

use serde::Serialize;

use crate::diff::{
    Ballot, Change, ChangeClass, Edit, FollowedLink, Pair, Relation, SectionChange, Thresholds,
};
use crate::model::CatalogKey;
use crate::report::{DiffFilter, DiffView, PrettyJson};

/// The document, as serde would write it whole.
#[derive(Serialize)]
#[serde(rename_all = "kebab-case")]
pub(super) struct DiffDocument<'a> {
    old: &'a CatalogKey,
    new: &'a CatalogKey,
    path: &'a [CatalogKey],
    detect_only: bool,
    thresholds: &'a Thresholds,
    /// Counts over the whole diff, before filters.
    counts: &'a BTreeMap<ChangeClass, usize>,
    filters: &'a DiffFilter,
    /// The changes that pass the filters.
    changes: &'a [&'a Change],
    sections: &'a [SectionChange],
    #[serde(skip_serializing_if = "<[FollowedLink]>::is_empty")]
    followed_links: &'a [FollowedLink],
    #[serde(skip_serializing_if = "<[Ballot]>::is_empty")]
    ballots: &'a [Ballot],
}

impl<'a> DiffDocument<'a> {
    pub(super) fn new(view: &'a DiffView<'a>) -> Self {
        let diff = view.diff;
        DiffDocument {
            old: &diff.old,
            new: &diff.new,
            path: &diff.path,
            detect_only: diff.detect_only,
            thresholds: &diff.thresholds,
            counts: &diff.counts,
            filters: &view.filter,
            changes: &view.changes,
            sections: &diff.sections,
            followed_links: &diff.followed_links,
            ballots: &diff.ballots,
        }
    }

    /// Writes the document and a final newline.
    pub(super) fn write(&self, out: &mut dyn Write) -> io::Result<()> {
        let mut json = Layout::new(out);
        json.open(b'{');
        json.entry("old", self.old)?;
        json.entry("new", self.new)?;
        json.nested_entry("path", &self.path)?;
        json.entry("detect-only", &self.detect_only)?;
        json.nested_entry("thresholds", self.thresholds)?;
        json.nested_entry("counts", self.counts)?;
        json.nested_entry("filters", self.filters)?;
        json.key("changes");
        json.open(b'[');
        for change in self.changes {
            json.item();
            json.change(change)?;
            json.hand_over_when_full()?;
        }
        json.close(b']');
        json.nested_entry("sections", &self.sections)?;
        if !self.followed_links.is_empty() {
            json.nested_entry("followed-links", &self.followed_links)?;
        }
        if !self.ballots.is_empty() {
            json.nested_entry("ballots", &self.ballots)?;
        }
        json.close(b'}');
        json.text.push(b'\n');
        json.out.write_all(&json.text)?;
        json.out.flush()
    }
}

/// Pretty JSON laid out by hand: the position in the document, and the text not yet
/// handed over. The text is a plain vector, each piece appended without a call through
/// the writer.
struct Layout<'w> {
    out: &'w mut dyn Write,
    text: Vec<u8>,
    depth: usize,
    /// Whether the object or array last opened holds nothing yet.
    empty: bool,
}

/// How much text is handed over at once.
const CHUNK: usize = 1 << 16;

impl<'w> Layout<'w> {
    fn new(out: &'w mut dyn Write) -> Self {
        Layout {
            out,
            text: Vec::with_capacity(CHUNK + CHUNK / 4),
            depth: 0,
            empty: true,
        }
    }

    fn hand_over_when_full(&mut self) -> io::Result<()> {
        if self.text.len() >= CHUNK {
            self.out.write_all(&self.text)?;
            self.text.clear();
        }
        Ok(())
    }

    fn open(&mut self, bracket: u8) {
        self.depth += 1;
        self.empty = true;
        self.text.push(bracket);
    }

    /// Closes the object or array last opened, which is then a value of the one around it.
    fn close(&mut self, bracket: u8) {
        self.depth -= 1;
        if !self.empty {
            self.new_line(false);
        }
        self.empty = false;
        self.text.push(bracket);
    }

    fn new_line(&mut self, comma: bool) {
        if comma {
            self.text.push(b',');
        }
        self.text.push(b'\n');
        self.text.extend(std::iter::repeat_n(b' ', 2 * self.depth));
    }

    /// The start of the next value of an array.
    fn item(&mut self) {
        let comma = !std::mem::replace(&mut self.empty, false);
        self.new_line(comma);
    }

    /// A key of an object (one that JSON writes as it is: no quote, backslash or control
    /// character).
    fn key(&mut self, name: &str) {
        self.item();
        self.text.push(b'"');
        self.text.extend_from_slice(name.as_bytes());
        self.text.extend_from_slice(b"\": ");
    }

    /// A value without brackets around it: a string, number, boolean or null.
    fn scalar(&mut self, value: &impl Serialize) -> io::Result<()> {
        serde_json::to_writer(&mut self.text, value).map_err(io::Error::from)
    }

    /// Any value, laid out by serde from the current depth.
    fn nested(&mut self, value: &impl Serialize) -> io::Result<()> {
        let mut serializer = serde_json::Serializer::with_formatter(
            &mut self.text,
            PrettyJson::at_depth(self.depth),
        );
        value.serialize(&mut serializer).map_err(io::Error::from)
    }

    /// The name of a variant (kebab-case, as serde writes it), or null.
    fn variant(&mut self, key: &str, name: Option<&str>) {
        self.key(key);
        match name {
            Some(name) => {
                self.text.push(b'"');
                self.text.extend_from_slice(name.as_bytes());
                self.text.push(b'"');
            }
            None => self.text.extend_from_slice(b"null"),
        }
    }

    /// A score, most often 1 (the same text): written as serde writes it, without a call.
    fn score(&mut self, score: Option<f64>) -> io::Result<()> {
        if score != Some(1.0) {
            return self.entry("score", &score);
        }
        self.key("score");
        self.text.extend_from_slice(b"1.0");
        Ok(())
    }

    fn flag(&mut self, key: &str, value: bool) {
        self.key(key);
        self.text
            .extend_from_slice(if value { b"true" } else { b"false" });
    }

    fn entry(&mut self, name: &str, value: &impl Serialize) -> io::Result<()> {
        self.key(name);
        self.scalar(value)
    }

    fn nested_entry(&mut self, name: &str, value: &impl Serialize) -> io::Result<()> {
        self.key(name);
        self.nested(value)
    }

    /// An array of scalars.
    fn list_entry<T: Serialize>(&mut self, name: &str, items: &[T]) -> io::Result<()> {
        self.key(name);
        self.open(b'[');
        for item in items {
            self.item();
            self.scalar(item)?;
        }
        self.close(b']');
        Ok(())
    }

    /// A [`Change`], field by field as its `Serialize` writes it.
    fn change(&mut self, c: &Change) -> io::Result<()> {
        self.open(b'{');
        self.variant("class", Some(c.class.as_str()));
        self.list_entry("old", &c.old)?;
        self.list_entry("new", &c.new)?;
        self.entry("section", &c.section)?;
        if let Some(old_section) = &c.old_section {
            self.entry("old-section", old_section)?;
        }
        self.flag("substantive", c.substantive);
        self.variant("edit", c.edit.map(Edit::as_str));
        if !c.reasons.is_empty() {
            self.list_entry("reasons", &c.reasons)?;
        }
        if !c.details.is_empty() {
            self.nested_entry("details", &c.details)?;
        }
        self.score(c.score)?;
        if let Some(group_score) = &c.group_score {
            self.entry("group-score", group_score)?;
        }
        self.flag("needs-confirmation", c.needs_confirmation);
        self.flag("curated", c.curated);
        if !c.pairs.is_empty() {
            self.key("pairs");
            self.open(b'[');
            for pair in &c.pairs {
                self.item();
                self.pair(pair)?;
            }
            self.close(b']');
        }
        if !c.sources.is_empty() {
            self.list_entry("sources", &c.sources)?;
        }
        if let Some(text) = &c.text {
            self.entry("text", text)?;
        }
        if !c.ballots.is_empty() {
            self.nested_entry("ballots", &c.ballots)?;
        }
        self.close(b'}');
        Ok(())
    }

    /// A [`Pair`], field by field as its `Serialize` writes it.
    fn pair(&mut self, p: &Pair) -> io::Result<()> {
        self.open(b'{');
        self.entry("old", &p.old)?;
        self.entry("new", &p.new)?;
        self.score(Some(p.score))?;
        if let Some(containment) = &p.containment {
            self.entry("containment", containment)?;
        }
        self.variant("match", Some(p.kind.as_str()));
        self.variant("relation", p.relation.map(Relation::as_str));
        self.flag("needs-confirmation", p.needs_confirmation);
        if !p.sources.is_empty() {
            self.list_entry("sources", &p.sources)?;
        }
        self.variant("edit", p.edit.map(Edit::as_str));
        if !p.reasons.is_empty() {
            self.list_entry("reasons", &p.reasons)?;
        }
        if !p.details.is_empty() {
            self.nested_entry("details", &p.details)?;
        }
        if !p.diff.is_empty() {
            self.key("diff");
            self.open(b'[');
            for segment in &p.diff {
                self.item();
                self.open(b'{');
                self.entry("op", &segment.op)?;
                self.entry("text", &segment.text)?;
                self.close(b'}');
            }
            self.close(b']');
        }
        self.close(b'}');
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::diff::{Delta, Details, Edit, LevelChange, MatchKind, Reason, Segment, SegmentOp};
    use crate::model::{Level, Marker, Relation, RequirementId, SectionId};

    #[test]
    fn variant_names_are_serdes() {
        fn same_names<T: Serialize + Copy>(variants: &[T], name: impl Fn(T) -> &'static str) {
            for &variant in variants {
                let json = serde_json::to_string(&variant).expect("serialises");
                assert_eq!(json, format!("\"{}\"", name(variant)));
            }
        }
        same_names(ChangeClass::VARIANTS, ChangeClass::as_str);
        same_names(MatchKind::VARIANTS, MatchKind::as_str);
        same_names(Edit::VARIANTS, Edit::as_str);
        same_names(Relation::VARIANTS, Relation::as_str);
        assert_eq!(
            serde_json::to_string(&Some(1.0)).expect("serialises"),
            "1.0"
        );
    }

    fn ids(ids: &[&str]) -> Vec<RequirementId> {
        ids.iter().map(|id| RequirementId::new(*id)).collect()
    }

    fn texts(items: &[&str]) -> Vec<String> {
        items.iter().map(|s| s.to_string()).collect()
    }

    /// A pair with every field set (a struct literal, so that a new field fails to
    /// compile here until the writer knows it).
    fn full_pair() -> Pair {
        Pair {
            old: RequirementId::new("REQ-1"),
            new: RequirementId::new("REQ-\"2\"\n"),
            score: 0.6123,
            containment: Some(0.8),
            kind: MatchKind::Curated,
            relation: Some(Relation::SubsetOf),
            needs_confirmation: true,
            sources: texts(&["a.yaml: note \\ \u{1}", "b.yaml"]),
            edit: Some(Edit::Substantive),
            reasons: vec![Reason::Keyword, Reason::TooDifferent],
            details: full_details().into(),
            diff: vec![
                Segment {
                    op: SegmentOp::Equal,
                    text: "keep the ".into(),
                },
                Segment {
                    op: SegmentOp::Delete,
                    text: "tab\tbed «old»".into(),
                },
            ],
        }
    }

    fn full_details() -> Details {
        Details {
            level: Some(LevelChange {
                from: Level::Should,
                to: Level::Shall,
            }),
            markers: Delta {
                added: vec![Marker::Conditional],
                removed: Vec::new(),
            },
            keywords: Delta {
                added: texts(&["shall"]),
                removed: texts(&["should"]),
            },
            numbers: Delta {
                added: texts(&["within 24 hours"]),
                removed: Vec::new(),
            },
            list_items: Delta {
                added: Vec::new(),
                removed: texts(&["c"]),
            },
        }
    }

    fn full_change() -> Change {
        Change {
            class: ChangeClass::Merged,
            old: ids(&["REQ-1", "REQ-3"]),
            new: ids(&["REQ-2"]),
            section: SectionId::new("7.1"),
            old_section: Some(SectionId::new("6.2")),
            substantive: true,
            edit: Some(Edit::Editorial),
            reasons: vec![Reason::Level],
            details: full_details().into(),
            score: Some(0.5),
            group_score: Some(1.0),
            needs_confirmation: true,
            curated: false,
            pairs: vec![full_pair(), full_pair()],
            sources: texts(&["t.yaml"]),
            text: Some("Keep \"keys\" safe.\r\n".into()),
            ballots: vec![Ballot {
                version: crate::model::Version::new("2.0"),
                ballot: Some("SC-1".into()),
                description: "Text".into(),
                effective: None,
            }],
        }
    }

    fn bare_change(class: ChangeClass) -> Change {
        Change {
            class,
            old: Vec::new(),
            new: ids(&["A-1"]),
            section: SectionId::new("1"),
            old_section: None,
            substantive: false,
            edit: None,
            reasons: Vec::new(),
            details: Default::default(),
            score: None,
            group_score: None,
            needs_confirmation: false,
            curated: true,
            pairs: Vec::new(),
            sources: Vec::new(),
            text: None,
            ballots: Vec::new(),
        }
    }

    fn both_layouts(view: &DiffView<'_>) -> (String, String) {
        let document = DiffDocument::new(view);
        let mut by_serde = Vec::new();
        crate::report::write_json(&document, &mut by_serde).expect("serde writes");
        let mut by_hand = Vec::new();
        document.write(&mut by_hand).expect("writes");
        (
            String::from_utf8(by_serde).expect("utf-8"),
            String::from_utf8(by_hand).expect("utf-8"),
        )
    }

    #[test]
    fn the_layout_by_hand_is_serdes_to_the_byte() {
        let mut pair_without_options = full_pair();
        pair_without_options.containment = None;
        pair_without_options.relation = None;
        pair_without_options.sources.clear();
        pair_without_options.edit = None;
        pair_without_options.reasons.clear();
        pair_without_options.details = Default::default();
        pair_without_options.diff.clear();
        let mut unchanged = bare_change(ChangeClass::Unchanged);
        unchanged.pairs.push(pair_without_options);
        unchanged.score = Some(1.0);
        let changes = [full_change(), bare_change(ChangeClass::Added), unchanged];
        let mut diff = crate::diff::CatalogDiff {
            old: CatalogKey::new("std", "1"),
            new: CatalogKey::new("std", "2"),
            path: vec![CatalogKey::new("std", "1"), CatalogKey::new("std", "2")],
            detect_only: false,
            thresholds: crate::diff::DiffOptions::default().thresholds(),
            counts: crate::diff::count_classes(&changes),
            changes: changes.to_vec(),
            sections: Vec::new(),
            followed_links: Vec::new(),
            ballots: Vec::new(),
        };
        let (serde, by_hand) = both_layouts(&DiffView::new(&diff, DiffFilter::default()));
        assert_eq!(by_hand, serde);
        diff.changes.clear();
        let (serde, by_hand) = both_layouts(&DiffView::new(&diff, DiffFilter::default()));
        assert_eq!(by_hand, serde, "no change at all");
    }
}
