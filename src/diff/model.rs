//! The diff report model. Its serialised form is the JSON contract documented in
//! docs/diff.md: field names and meanings change only compatibly.

use std::collections::BTreeMap;

use serde::Serialize;

use crate::model::{CatalogKey, Relation, RequirementId, SectionId};

/// What happened to a requirement (or group of requirements) between two versions.
/// The order is the order of the report's groups.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum ChangeClass {
    /// Same ID, same normalised text, level and markers.
    Unchanged,
    /// Same ID, different text, level or markers.
    Changed,
    /// The same requirement under another ID (possibly also changed: see `edit`).
    Renumbered,
    /// One old requirement became several new ones.
    Split,
    /// Several old requirements became one new one.
    Merged,
    /// New in the later version.
    Added,
    /// Gone (or withdrawn) without a successor.
    Removed,
}

enum_names!(ChangeClass {
    Unchanged => "unchanged",
    Changed => "changed",
    Renumbered => "renumbered",
    Split => "split",
    Merged => "merged",
    Added => "added",
    Removed => "removed",
});

impl ChangeClass {
    pub const ALL: [ChangeClass; 7] = [
        ChangeClass::Unchanged,
        ChangeClass::Changed,
        ChangeClass::Renumbered,
        ChangeClass::Split,
        ChangeClass::Merged,
        ChangeClass::Added,
        ChangeClass::Removed,
    ];

    /// The class the same change has when the versions are swapped.
    pub fn mirrored(self) -> ChangeClass {
        match self {
            ChangeClass::Split => ChangeClass::Merged,
            ChangeClass::Merged => ChangeClass::Split,
            ChangeClass::Added => ChangeClass::Removed,
            ChangeClass::Removed => ChangeClass::Added,
            other => other,
        }
    }
}

impl std::str::FromStr for ChangeClass {
    type Err = String;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        ChangeClass::ALL
            .into_iter()
            .find(|c| c.as_str() == s)
            .ok_or_else(|| {
                let names: Vec<&str> = ChangeClass::ALL.iter().map(|c| c.as_str()).collect();
                format!(
                    "unknown change class `{s}` (expected one of {})",
                    names.join(", ")
                )
            })
    }
}

/// How a pair was established.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum MatchKind {
    /// From a curated transition file.
    Curated,
    /// From the publisher's `moved-to` / `incorporated-into` link on a withdrawn requirement.
    PublisherLink,
    /// Same ID in both versions, accepted on text similarity.
    SameId,
    /// Found by text similarity across different IDs.
    Detected,
}

enum_names!(MatchKind {
    Curated => "curated",
    PublisherLink => "publisher-link",
    SameId => "same-id",
    Detected => "detected",
});

impl MatchKind {
    /// True for matches a person or the publisher established.
    pub fn is_curated(self) -> bool {
        matches!(self, MatchKind::Curated | MatchKind::PublisherLink)
    }
}

/// Whether a text change is wording only or changes what is asked.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Edit {
    Editorial,
    Substantive,
}

enum_names!(Edit {
    Editorial => "editorial",
    Substantive => "substantive",
});

/// Why a change counts as substantive.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Reason {
    /// A normative keyword changed (shall / should / may / shall not ...).
    Keyword,
    /// A number, duration, frequency or deadline changed ("48 hours" → "24 hours",
    /// "yearly" → "quarterly").
    Number,
    /// A list item (`a)`, `b)` ...) was added or removed.
    ListItem,
    /// The level (shall / should / may / informative) changed.
    Level,
    /// The markers (conditional / choice / proportionate) changed.
    Markers,
    /// The texts are too different to call the change wording only.
    TooDifferent,
}

enum_names!(Reason {
    Keyword => "keyword",
    Number => "number",
    ListItem => "list-item",
    Level => "level",
    Markers => "markers",
    TooDifferent => "too-different",
});

/// One run of the word-level diff.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub struct Segment {
    pub op: SegmentOp,
    /// The words of the run, with the spacing of the text they come from.
    pub text: String,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum SegmentOp {
    Equal,
    Delete,
    Insert,
}

/// One old requirement linked to one new requirement.
#[derive(Clone, Debug, PartialEq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub struct Pair {
    pub old: RequirementId,
    pub new: RequirementId,
    /// Word-overlap similarity of the two texts, 0 to 1 (1 for identical normalised text).
    pub score: f64,
    #[serde(rename = "match")]
    pub kind: MatchKind,
    /// Curated relation, when a person or the publisher stated one.
    pub relation: Option<Relation>,
    /// A detected match below the confidence threshold: a person must confirm it.
    pub needs_confirmation: bool,
    /// Where a curated pair comes from: the transition file (and its entry's note) or the
    /// catalog link; several when composed across versions.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub sources: Vec<String>,
    /// `None` when text, level and markers are identical.
    pub edit: Option<Edit>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub reasons: Vec<Reason>,
    /// Word-level diff from the old text to the new one; empty when the texts are equal.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub diff: Vec<Segment>,
}

/// One entry of the report: a single requirement, a pair, or a split/merge group.
#[derive(Clone, Debug, PartialEq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub struct Change {
    pub class: ChangeClass,
    /// Old IDs (empty for `added`), in natural order.
    pub old: Vec<RequirementId>,
    /// New IDs (empty for `removed`), in natural order.
    pub new: Vec<RequirementId>,
    /// The clause in the new version (the old one for `removed`).
    pub section: SectionId,
    /// The clause in the old version, when it differs from `section` (a moved requirement).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub old_section: Option<SectionId>,
    /// Whether the change can alter what a control must do: substantive text changes,
    /// splits, merges, additions and removals.
    pub substantive: bool,
    /// For `changed` and `renumbered`: editorial or substantive; `None` when the text is
    /// unchanged.
    pub edit: Option<Edit>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub reasons: Vec<Reason>,
    /// The lowest score of the change's pairs; `None` for `added` and `removed`.
    pub score: Option<f64>,
    /// True when any pair is a detected match below the confidence threshold.
    pub needs_confirmation: bool,
    /// True when every pair is curated (or, for `removed`, a curated entry says so).
    pub curated: bool,
    /// The links behind the change; empty for `added` and `removed`.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub pairs: Vec<Pair>,
    /// For an addition or removal established by a transition file: where it comes from.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub sources: Vec<String>,
    /// The requirement's text, for `added` and `removed` (pairs carry theirs in `diff`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub text: Option<String>,
}

/// What happened to a clause.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum SectionClass {
    Added,
    Removed,
    Retitled,
}

enum_names!(SectionClass {
    Added => "added",
    Removed => "removed",
    Retitled => "retitled",
});

#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub struct SectionChange {
    pub class: SectionClass,
    pub id: SectionId,
    pub old_title: Option<String>,
    pub new_title: Option<String>,
}

/// The thresholds a diff ran with, recorded in the report so that a result can be
/// reproduced.
#[derive(Clone, Debug, PartialEq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub struct Thresholds {
    pub match_score: f64,
    pub confirm_score: f64,
    pub editorial_score: f64,
    pub containment: f64,
}

/// The difference between two versions of a standard.
#[derive(Clone, Debug, PartialEq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub struct CatalogDiff {
    pub old: CatalogKey,
    pub new: CatalogKey,
    /// The versions the diff went through: `[old, new]` for a direct diff, every
    /// intermediate version when curated steps were composed.
    pub path: Vec<CatalogKey>,
    /// True when curated sources (transition files, publisher links) were ignored.
    pub detect_only: bool,
    pub thresholds: Thresholds,
    /// Number of changes per class (every class present, zeros included).
    pub counts: BTreeMap<ChangeClass, usize>,
    pub changes: Vec<Change>,
    pub sections: Vec<SectionChange>,
}

/// How a mapping to an old requirement carries to the new version.
#[derive(Clone, Debug, PartialEq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub struct Successor {
    pub id: RequirementId,
    pub class: ChangeClass,
    pub substantive: bool,
    pub relation: Option<Relation>,
    pub curated: bool,
    pub score: f64,
    pub needs_confirmation: bool,
    /// What changed in substance between the pair.
    pub reasons: Vec<Reason>,
}

impl CatalogDiff {
    /// How a mapping to `old_id` (in `self.old`) carries to `self.new`: one entry per
    /// successor; empty = removed without successor (or unknown ID).
    pub fn successors(&self, old_id: &RequirementId) -> Vec<Successor> {
        self.changes
            .iter()
            .find(|c| c.old.contains(old_id))
            .map_or_else(Vec::new, |change| successors_in(change, old_id))
    }

    /// Every old ID's successors, in one pass over the changes (for callers that need
    /// them all; `successors` searches the changes on each call).
    pub fn successor_map(&self) -> BTreeMap<RequirementId, Vec<Successor>> {
        let mut map: BTreeMap<RequirementId, Vec<Successor>> = BTreeMap::new();
        for change in &self.changes {
            for id in &change.old {
                map.entry(id.clone())
                    .or_insert_with(|| successors_in(change, id));
            }
        }
        map
    }

    /// Number of changes per class (for the "newer version available" gap).
    pub fn counts(&self) -> BTreeMap<ChangeClass, usize> {
        self.counts.clone()
    }

    /// The change that names `id` on the new side, if any.
    pub fn predecessor_change(&self, new_id: &RequirementId) -> Option<&Change> {
        self.changes.iter().find(|c| c.new.contains(new_id))
    }
}

fn successors_in(change: &Change, old_id: &RequirementId) -> Vec<Successor> {
    change
        .pairs
        .iter()
        .filter(|p| &p.old == old_id)
        .map(|p| Successor {
            id: p.new.clone(),
            class: change.class,
            substantive: match change.class {
                ChangeClass::Changed | ChangeClass::Renumbered => p.edit == Some(Edit::Substantive),
                _ => change.substantive,
            },
            relation: p.relation,
            curated: p.kind.is_curated(),
            score: p.score,
            needs_confirmation: p.needs_confirmation,
            reasons: p.reasons.clone(),
        })
        .collect()
}

/// Counts per class, every class present.
pub fn count_classes(changes: &[Change]) -> BTreeMap<ChangeClass, usize> {
    let mut counts: BTreeMap<ChangeClass, usize> =
        ChangeClass::ALL.iter().map(|c| (*c, 0)).collect();
    for change in changes {
        *counts.entry(change.class).or_default() += 1;
    }
    counts
}
