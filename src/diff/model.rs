//! The diff report model. Its serialised form is the JSON contract documented in
//! docs/diff.md: field names and meanings change only compatibly.

use std::collections::BTreeMap;

use serde::Serialize;

use crate::model::{
    CatalogKey, Level, LinkRel, Marker, Rationale, Relation, RequirementId, SectionId,
};

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
    /// Every class, in the order reports list them.
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
    /// Wording only: what is asked stays the same.
    Editorial,
    /// What is asked changes.
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

/// What exactly changed between two requirements, as data: gap messages and reviewers
/// read it instead of a bare "substantive". Every part is absent when it did not change.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub struct Details {
    /// The level changed, e.g. `should` → `shall`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub level: Option<LevelChange>,
    /// Markers (`conditional`, `choice`, `proportionate`) added or removed.
    #[serde(skip_serializing_if = "Delta::is_empty")]
    pub markers: Delta<Marker>,
    /// Normative keywords (`shall`, `should not` ...) the text gained or lost.
    #[serde(skip_serializing_if = "Delta::is_empty")]
    pub keywords: Delta<String>,
    /// Quantity phrases (`within 48 hours`, `at least yearly`) the text gained or lost.
    #[serde(skip_serializing_if = "Delta::is_empty")]
    pub numbers: Delta<String>,
    /// List item labels (`c`, `iv`) added or removed.
    #[serde(skip_serializing_if = "Delta::is_empty")]
    pub list_items: Delta<String>,
}

impl Details {
    /// True when nothing is recorded.
    pub fn is_empty(&self) -> bool {
        self.level.is_none()
            && self.markers.is_empty()
            && self.keywords.is_empty()
            && self.numbers.is_empty()
            && self.list_items.is_empty()
    }
}

/// [`Details`] kept out of line, and not at all when there are none: most changes and pairs
/// have none, a diff of two large editions holds tens of thousands of them, and each is
/// twice its size with the details inline (every page of that memory costs a fault to
/// touch). Reads, and serialises, as the [`Details`] it holds: empty ones when none.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct BoxedDetails(Option<Box<Details>>);

impl BoxedDetails {
    /// True when nothing is recorded.
    pub fn is_empty(&self) -> bool {
        self.0.is_none()
    }
}

impl From<Details> for BoxedDetails {
    fn from(details: Details) -> Self {
        BoxedDetails((!details.is_empty()).then(|| Box::new(details)))
    }
}

impl std::ops::Deref for BoxedDetails {
    type Target = Details;

    fn deref(&self) -> &Details {
        static NONE: Details = Details {
            level: None,
            markers: Delta::NONE,
            keywords: Delta::NONE,
            numbers: Delta::NONE,
            list_items: Delta::NONE,
        };
        self.0.as_deref().unwrap_or(&NONE)
    }
}

impl Serialize for BoxedDetails {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        Details::serialize(self, serializer)
    }
}

/// A level change, `from` the old requirement `to` the new one.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub struct LevelChange {
    /// The old requirement's level.
    pub from: Level,
    /// The new requirement's level.
    pub to: Level,
}

/// Items the new side has and the old one lacks (`added`), and the other way (`removed`),
/// each sorted; a multiset difference, so "24 hours" twice against once is one added.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub struct Delta<T> {
    /// Items only the new side has.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub added: Vec<T>,
    /// Items only the old side has.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub removed: Vec<T>,
}

impl<T> Delta<T> {
    /// Nothing added or removed.
    pub const NONE: Delta<T> = Delta {
        added: Vec::new(),
        removed: Vec::new(),
    };
}

impl<T> Default for Delta<T> {
    fn default() -> Self {
        Delta {
            added: Vec::new(),
            removed: Vec::new(),
        }
    }
}

impl<T: Ord + Clone> Delta<T> {
    /// The multiset difference of two collections.
    pub fn between(old: &[T], new: &[T]) -> Delta<T> {
        // Sorted by reference, so that only the items that differ are copied.
        let mut old: Vec<&T> = old.iter().collect();
        let mut new: Vec<&T> = new.iter().collect();
        old.sort();
        new.sort();
        let (mut added, mut removed) = (Vec::new(), Vec::new());
        let (mut i, mut j) = (0, 0);
        loop {
            match (old.get(i), new.get(j)) {
                (None, None) => break,
                (Some(a), None) => {
                    removed.push((*a).clone());
                    i += 1;
                }
                (None, Some(b)) => {
                    added.push((*b).clone());
                    j += 1;
                }
                (Some(a), Some(b)) => match a.cmp(b) {
                    std::cmp::Ordering::Less => {
                        removed.push((*a).clone());
                        i += 1;
                    }
                    std::cmp::Ordering::Greater => {
                        added.push((*b).clone());
                        j += 1;
                    }
                    std::cmp::Ordering::Equal => {
                        i += 1;
                        j += 1;
                    }
                },
            }
        }
        Delta { added, removed }
    }

    /// True when neither side has anything the other lacks.
    pub fn is_empty(&self) -> bool {
        self.added.is_empty() && self.removed.is_empty()
    }

    /// The same change seen from the other version.
    pub fn mirrored(&self) -> Delta<T> {
        Delta {
            added: self.removed.clone(),
            removed: self.added.clone(),
        }
    }
}

/// One run of the word-level diff.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub struct Segment {
    /// Whether the run is in both texts, only the old or only the new.
    pub op: SegmentOp,
    /// The words of the run, with the spacing of the text they come from.
    pub text: String,
}

/// What a run of the word-level diff is.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum SegmentOp {
    /// In both texts.
    Equal,
    /// Only in the old text.
    Delete,
    /// Only in the new text.
    Insert,
}

/// One old requirement linked to one new requirement.
#[derive(Clone, Debug, PartialEq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub struct Pair {
    /// The old requirement.
    pub old: RequirementId,
    /// The new requirement.
    pub new: RequirementId,
    /// Symmetric similarity of the two requirements, 0 to 1 (1 for identical normalised
    /// text): IDF-weighted Dice of the stemmed words, raised by equal titles (docs/diff.md).
    pub score: f64,
    /// For a detected part of a split or merge: the weighted share of the part's words
    /// found in the other requirement. A reason shown beside the score, never the score.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub containment: Option<f64>,
    /// How the pair was found (curated, publisher link, same ID, detected).
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
    /// What changed in substance (`level`, `number`, `keyword`, ...).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub reasons: Vec<Reason>,
    /// What exactly changed: level, markers, keywords, numbers, list items.
    #[serde(skip_serializing_if = "BoxedDetails::is_empty")]
    pub details: BoxedDetails,
    /// Word-level diff from the old text to the new one; empty when the texts are equal.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub diff: Vec<Segment>,
}

/// One entry of the report: a single requirement, a pair, or a split/merge group.
#[derive(Clone, Debug, PartialEq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub struct Change {
    /// What happened: unchanged, changed, renumbered, split, merged, added or removed.
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
    /// What changed in substance (`level`, `number`, `keyword`, ...).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub reasons: Vec<Reason>,
    /// For `changed` and `renumbered`: what exactly changed (the pair's details).
    #[serde(skip_serializing_if = "BoxedDetails::is_empty")]
    pub details: BoxedDetails,
    /// The lowest score of the change's pairs; `None` for `added` and `removed`.
    pub score: Option<f64>,
    /// For `split` and `merged`: the similarity of all old texts together with all new
    /// texts together, which decides whether detected parts need confirmation.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub group_score: Option<f64>,
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
    /// For a change that is not `unchanged`: the rows of the new catalog's revision table
    /// (ballot, effective date) of the versions in which the requirement changed.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub ballots: Vec<Ballot>,
}

/// A revision-table row a diff names: the ballot that made a version, and from when.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub struct Ballot {
    /// The version the row made.
    pub version: crate::model::Version,
    /// The ballot, e.g. `SC081`, when the row names one.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub ballot: Option<String>,
    /// What changed, in the document's words.
    pub description: String,
    /// When the version took effect.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub effective: Option<chrono::NaiveDate>,
}

impl std::fmt::Display for Ballot {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "{} {}",
            self.ballot.as_deref().unwrap_or("no ballot"),
            self.version
        )?;
        if let Some(effective) = self.effective {
            write!(f, " (effective {effective})")?;
        }
        Ok(())
    }
}

/// What happened to a clause.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum SectionClass {
    /// A clause only the new version has.
    Added,
    /// A clause only the old version has.
    Removed,
    /// A clause in both whose title changed.
    Retitled,
}

enum_names!(SectionClass {
    Added => "added",
    Removed => "removed",
    Retitled => "retitled",
});

/// A clause that was added, removed or retitled.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub struct SectionChange {
    /// What happened to it.
    pub class: SectionClass,
    /// The clause number.
    pub id: SectionId,
    /// Its title in the old version.
    pub old_title: Option<String>,
    /// Its title in the new version.
    pub new_title: Option<String>,
}

/// The thresholds a diff ran with, recorded in the report so that a result can be
/// reproduced.
#[derive(Clone, Debug, PartialEq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub struct Thresholds {
    /// See [`DiffOptions::match_score`](super::DiffOptions::match_score).
    pub match_score: f64,
    /// See [`DiffOptions::same_id_score`](super::DiffOptions::same_id_score).
    pub same_id_score: f64,
    /// See [`DiffOptions::confirm_score`](super::DiffOptions::confirm_score).
    pub confirm_score: f64,
    /// See [`DiffOptions::editorial_score`](super::DiffOptions::editorial_score).
    pub editorial_score: f64,
    /// See [`DiffOptions::containment`](super::DiffOptions::containment).
    pub containment: f64,
    /// See [`DiffOptions::part_share`](super::DiffOptions::part_share).
    pub part_share: f64,
}

/// The difference between two versions of a standard.
#[derive(Clone, Debug, PartialEq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub struct CatalogDiff {
    /// The older version.
    pub old: CatalogKey,
    /// The newer version.
    pub new: CatalogKey,
    /// The versions the diff went through: `[old, new]` for a direct diff, every
    /// intermediate version when curated steps were composed.
    pub path: Vec<CatalogKey>,
    /// True when curated sources (transition files, publisher links) were ignored.
    pub detect_only: bool,
    /// The thresholds the diff ran with.
    pub thresholds: Thresholds,
    /// Number of changes per class (every class present, zeros included).
    pub counts: BTreeMap<ChangeClass, usize>,
    /// Every change, in the new version's order.
    pub changes: Vec<Change>,
    /// Clauses added, removed or retitled.
    pub sections: Vec<SectionChange>,
    /// Requirements already withdrawn in the old version whose catalog links them onward:
    /// a mapping to them is carried along the link (not a change between the versions, so
    /// not counted).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub followed_links: Vec<FollowedLink>,
    /// The revision-table rows of the new catalog between the two versions (old
    /// exclusive, new inclusive): the ballots the diff spans.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub ballots: Vec<Ballot>,
}

/// A requirement withdrawn in the old version, followed along its catalog link to the
/// active requirement of the old version that holds its content.
#[derive(Clone, Debug, PartialEq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub struct FollowedLink {
    /// The withdrawn requirement.
    pub old: RequirementId,
    /// The link's relation (`moved-to`, `incorporated-into`).
    pub rel: LinkRel,
    /// The active requirement of the old version the link leads to (after following any
    /// chain of withdrawn requirements).
    pub via: RequirementId,
    /// Where its content is in the new version: the successors of `via`.
    pub new: Vec<RequirementId>,
    /// The catalog links followed, `<catalog>:<id> <rel> <target>`.
    pub sources: Vec<String>,
}

/// How a mapping to an old requirement carries to the new version.
#[derive(Clone, Debug, PartialEq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub struct Successor {
    /// The requirement in the new version.
    pub id: RequirementId,
    /// What happened on the way.
    pub class: ChangeClass,
    /// Whether the change can alter what a control must do.
    pub substantive: bool,
    /// The curated relation, when a person or the publisher stated one.
    pub relation: Option<Relation>,
    /// True when a transition file or the publisher established the pair.
    pub curated: bool,
    /// The pair's similarity, 0 to 1.
    pub score: f64,
    /// `syntactic` for a changed pair the matcher found by text similarity (NIST IR
    /// 8477's rationale); curated pairs cite their entries in `sources` instead.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub rationale: Option<Rationale>,
    /// A detected pair below the confidence threshold: a person must confirm it.
    pub needs_confirmation: bool,
    /// What changed in substance between the pair.
    pub reasons: Vec<Reason>,
    /// What exactly changed on the way (level, markers, keywords, numbers, list items).
    pub details: Details,
    /// The catalog link followed when the mapped requirement was already withdrawn in the
    /// old version (`moved-to` / `incorporated-into`, and the requirement it names).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub via: Option<(LinkRel, RequirementId)>,
}

impl CatalogDiff {
    /// How a mapping to `old_id` (in `self.old`) carries to `self.new`: one entry per
    /// successor; empty = removed without successor (or unknown ID).
    pub fn successors(&self, old_id: &RequirementId) -> Vec<Successor> {
        if let Some(change) = self.changes.iter().find(|c| c.old.contains(old_id)) {
            return successors_in(change, old_id);
        }
        self.followed_links
            .iter()
            .filter(|f| &f.old == old_id)
            .flat_map(|followed| along_link(followed, self.successors(&followed.via)))
            .collect()
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
        let mut carried: BTreeMap<RequirementId, Vec<Successor>> = BTreeMap::new();
        for followed in &self.followed_links {
            let via = map.get(&followed.via).cloned().unwrap_or_default();
            carried
                .entry(followed.old.clone())
                .or_default()
                .extend(along_link(followed, via));
        }
        for (id, successors) in carried {
            map.entry(id).or_insert(successors);
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
            rationale: (!p.kind.is_curated() && change.class != ChangeClass::Unchanged)
                .then_some(Rationale::Syntactic),
            needs_confirmation: p.needs_confirmation,
            reasons: p.reasons.clone(),
            details: Details::clone(&p.details),
            via: None,
        })
        .collect()
}

/// The successors of a withdrawn requirement: those of the requirement its link names,
/// as a renumbering (`moved-to`) or a merge (`incorporated-into`), so that the mapping is
/// reported stale or sent for review instead of "no successor".
fn along_link(followed: &FollowedLink, via: Vec<Successor>) -> Vec<Successor> {
    let class = match followed.rel {
        LinkRel::IncorporatedInto => ChangeClass::Merged,
        _ => ChangeClass::Renumbered,
    };
    via.into_iter()
        .map(|s| Successor {
            class,
            substantive: s.substantive || class == ChangeClass::Merged,
            relation: match followed.rel {
                LinkRel::IncorporatedInto => {
                    Some(Relation::SubsetOf.then(s.relation.unwrap_or(Relation::Equal)))
                }
                _ => s.relation,
            },
            via: Some((followed.rel, followed.via.clone())),
            ..s
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn boxed_details_read_and_serialise_as_the_details() {
        let none = BoxedDetails::from(Details::default());
        assert!(none.is_empty() && none.is_empty() == Details::default().is_empty());
        assert_eq!(*none, Details::default());
        let some = Details {
            level: Some(LevelChange {
                from: Level::Should,
                to: Level::Shall,
            }),
            numbers: Delta::between(&["within 48 hours".to_owned()], &[]),
            ..Details::default()
        };
        let boxed = BoxedDetails::from(some.clone());
        assert!(!boxed.is_empty());
        assert_eq!(*boxed, some);
        for (boxed, details) in [(none, Details::default()), (boxed, some)] {
            assert_eq!(
                serde_json::to_string(&boxed).expect("serialises"),
                serde_json::to_string(&details).expect("serialises")
            );
        }
    }
}
