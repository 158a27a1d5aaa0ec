//! Correspondences between versions of a standard: the NIST IR 8477 relations, and the
//! transitions that people or publishers curated (read from transition files by
//! [`crate::source::transition`]).

use std::collections::{BTreeMap, BTreeSet};

use serde::Serialize;

use super::ids::{CatalogKey, RequirementId};
use crate::diag::Diagnostic;

/// NIST IR 8477 set-theory relationship of an old requirement to a new one.
#[derive(
    Clone,
    Copy,
    Debug,
    PartialEq,
    Eq,
    PartialOrd,
    Ord,
    Hash,
    Serialize,
    serde::Deserialize,
    schemars::JsonSchema,
)]
#[serde(rename_all = "kebab-case")]
pub enum Relation {
    /// Same content.
    Equal,
    /// The old requirement asks for part of what the new one asks.
    SubsetOf,
    /// The old requirement asks for more than the new one.
    SupersetOf,
    /// They overlap; each has content the other lacks.
    IntersectsWith,
    /// Reviewed and found not to overlap (distinct from "not mapped", which says nothing).
    NoRelationship,
}

enum_names!(Relation {
    Equal => "equal",
    SubsetOf => "subset-of",
    SupersetOf => "superset-of",
    IntersectsWith => "intersects-with",
    NoRelationship => "no-relationship",
});

impl Relation {
    /// The relation seen from the other side (new → old).
    pub fn inverse(self) -> Relation {
        match self {
            Relation::SubsetOf => Relation::SupersetOf,
            Relation::SupersetOf => Relation::SubsetOf,
            other => other,
        }
    }

    /// The relation of `a → c` that `a → b` (self) and `b → c` (next) guarantee, or `None`
    /// when the set relations do not fix it (NIST IR 8477 relations read as sets: `A-1 ⊂ B-1
    /// ⊃ C-1` says nothing about A-1 and C-1). `intersects-with` in a result claims only that
    /// the two overlap: `a ⊃ b ⊂ c` share `b`, but either may hold the other. The table is
    /// in docs/gaps.md and is checked against every triple of small sets in the tests.
    pub fn compose(self, next: Relation) -> Option<Relation> {
        use Relation::{Equal, IntersectsWith, NoRelationship, SubsetOf, SupersetOf};
        match (self, next) {
            (Equal, other) | (other, Equal) => Some(other),
            (SubsetOf, SubsetOf) => Some(SubsetOf),
            (SupersetOf, SupersetOf) => Some(SupersetOf),
            // Both contain the middle one, or the first contains the overlap.
            (SupersetOf, SubsetOf | IntersectsWith) | (IntersectsWith, SubsetOf) => {
                Some(IntersectsWith)
            }
            // Inside something disjoint from c, or disjoint from something holding c.
            (SubsetOf, NoRelationship) | (NoRelationship, SupersetOf) => Some(NoRelationship),
            _ => None,
        }
    }

    /// [`Relation::compose`] for chains of version transitions, which must name a relation:
    /// where the composition is undetermined this says `intersects-with`, which never lets a
    /// carried claim count in full, so the mapping goes to review.
    pub fn then(self, next: Relation) -> Relation {
        self.compose(next).unwrap_or(Relation::IntersectsWith)
    }

    /// How much meeting one side tells about the other: `equal` 3, `subset-of` and
    /// `superset-of` 2, `intersects-with` 1, `no-relationship` 0. A composed path is never
    /// stronger than its weakest step.
    pub fn strength(self) -> u8 {
        match self {
            Relation::Equal => 3,
            Relation::SubsetOf | Relation::SupersetOf => 2,
            Relation::IntersectsWith => 1,
            Relation::NoRelationship => 0,
        }
    }
}

/// Why two requirements correspond (NIST IR 8477 and OSCAL 1.2 `matching-rationale`).
#[derive(
    Clone,
    Copy,
    Debug,
    PartialEq,
    Eq,
    PartialOrd,
    Ord,
    Hash,
    Serialize,
    serde::Deserialize,
    schemars::JsonSchema,
)]
#[serde(rename_all = "kebab-case")]
pub enum Rationale {
    /// The wording is similar (text comparison; detected pairs).
    Syntactic,
    /// The meanings are similar (a person read both).
    Semantic,
    /// Meeting one has the same results as meeting the other.
    Functional,
}

enum_names!(Rationale {
    Syntactic => "syntactic",
    Semantic => "semantic",
    Functional => "functional",
});

/// How sure the author of an entry is (OSCAL 1.2 `confidence-score` categories).
#[derive(
    Clone,
    Copy,
    Debug,
    PartialEq,
    Eq,
    PartialOrd,
    Ord,
    Hash,
    Serialize,
    serde::Deserialize,
    schemars::JsonSchema,
)]
#[serde(rename_all = "kebab-case")]
pub enum MappingConfidence {
    /// The author is sure.
    High,
    /// Likely, with some doubt.
    Medium,
    /// A guess that a person should confirm.
    Low,
}

enum_names!(MappingConfidence {
    High => "high",
    Medium => "medium",
    Low => "low",
});

/// A text-similarity score from 0 to 1, kept to four decimals as the diff rounds it, so
/// that it compares exactly and reads back as written.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Score(u16);

impl Score {
    const SCALE: f64 = 10_000.0;

    /// The score `value`, or `None` outside 0 to 1 (or not a number).
    pub fn new(value: f64) -> Option<Score> {
        // The range check keeps the cast in 0..=10000.
        #[allow(clippy::cast_possible_truncation, clippy::cast_sign_loss)]
        (value.is_finite() && (0.0..=1.0).contains(&value))
            .then(|| Score((value * Score::SCALE).round() as u16))
    }

    /// The score as a number from 0 to 1.
    pub fn value(self) -> f64 {
        f64::from(self.0) / Score::SCALE
    }
}

impl std::fmt::Display for Score {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{:.2}", self.value())
    }
}

impl Serialize for Score {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_f64(self.value())
    }
}

/// IR 8477 and OSCAL provenance of one entry, all optional: why it holds, how strongly
/// (OLIR strength 1 to 10), how sure its author is, whether it is an editorial inference
/// rather than a statement of the cited source, and for a pair the diff detected, its
/// text-similarity score.
#[derive(Clone, Debug, Default, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "kebab-case")]
pub struct MappingProvenance {
    /// Why the relation holds (IR 8477 rationale).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub rationale: Option<Rationale>,
    /// How strongly it holds, 1 to 10 (OLIR strength).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub strength: Option<u8>,
    /// How sure the entry's author is.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub confidence: Option<MappingConfidence>,
    /// True when the entry is an editorial inference rather than a statement of the cited
    /// source.
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub inferred: bool,
    /// The similarity score of a detected pair written down as an entry (0 to 1).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub score: Option<Score>,
}

impl MappingProvenance {
    /// Why a person should confirm a mapping carried through this entry: `inferred`,
    /// `low-confidence` or `medium-confidence`, or `wording-only` (a detected pair written
    /// down; see [`Caution::holds_coverage`]); `None` for an entry its source states with
    /// no doubt attached.
    pub fn caution(&self) -> Option<Caution> {
        if self.inferred {
            return Some(Caution::Inferred);
        }
        match self.confidence {
            Some(MappingConfidence::Low) => return Some(Caution::LowConfidence),
            Some(MappingConfidence::Medium) => return Some(Caution::MediumConfidence),
            _ => {}
        }
        (self.rationale == Some(Rationale::Syntactic) && self.score.is_some())
            .then_some(Caution::WordingOnly)
    }

    /// `inferred, confidence low, semantic, strength 6, score 0.87`, or `None` when nothing
    /// is stated.
    pub fn describe(&self) -> Option<String> {
        let mut parts = Vec::new();
        if self.inferred {
            parts.push("inferred".to_owned());
        }
        if let Some(c) = self.confidence {
            parts.push(format!("confidence {c}"));
        }
        if let Some(r) = self.rationale {
            parts.push(r.to_string());
        }
        if let Some(s) = self.strength {
            parts.push(format!("strength {s}"));
        }
        if let Some(s) = self.score {
            parts.push(format!("score {s}"));
        }
        (!parts.is_empty()).then(|| parts.join(", "))
    }
}

/// Why a transition entry needs a person's confirmation before coverage counts through it.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Caution {
    /// An editorial inference the cited source does not state (`inferred: true`).
    Inferred,
    /// Its author is not sure (`confidence: low`).
    LowConfidence,
    /// Its author is fairly sure (`confidence: medium`).
    MediumConfidence,
    /// A pair detected by text similarity, written down with its score.
    WordingOnly,
}

enum_names!(Caution {
    Inferred => "inferred",
    LowConfidence => "low-confidence",
    MediumConfidence => "medium-confidence",
    WordingOnly => "wording-only",
});

impl Caution {
    /// Whether coverage through the entry waits for a person. A detected pair written
    /// down with its score is no weaker than the diff's own detection, which carries
    /// coverage when its score is high enough; it is named wherever a review arises.
    pub fn holds_coverage(self) -> bool {
        self != Caution::WordingOnly
    }

    /// The entry as a sentence names it: `an inferred transition entry`.
    pub fn entry_words(self) -> &'static str {
        match self {
            Caution::Inferred => "an inferred transition entry",
            Caution::LowConfidence => "a transition entry of low confidence",
            Caution::MediumConfidence => "a transition entry of medium confidence",
            Caution::WordingOnly => "a transition entry matched on wording only",
        }
    }
}

/// A transition entry a carried mapping rests on that its source does not state for sure.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "kebab-case")]
pub struct UnconfirmedEntry {
    /// Why the entry needs a person's confirmation.
    pub why: Caution,
    /// The transition file.
    pub file: String,
    /// The entry's provenance marks, `inferred, confidence low`.
    pub marks: String,
}

impl UnconfirmedEntry {
    /// The entries of `transitions` that need confirmation, by the citation the diff gives
    /// their pairs ([`Correspondence::source_text`]).
    pub fn index(transitions: &TransitionSet) -> BTreeMap<String, UnconfirmedEntry> {
        let mut index = BTreeMap::new();
        for transition in transitions.iter() {
            for entry in &transition.correspondences {
                let Some(why) = entry.provenance.caution() else {
                    continue;
                };
                index.insert(
                    entry.source_text(&transition.origin),
                    UnconfirmedEntry {
                        why,
                        file: transition.origin.clone(),
                        marks: entry.provenance.describe().unwrap_or_default(),
                    },
                );
            }
        }
        index
    }
}

/// A validated transition between two versions of one standard.
#[derive(Clone, Debug, PartialEq)]
pub struct Transition {
    /// The older version.
    pub from: CatalogKey,
    /// The newer version.
    pub to: CatalogKey,
    /// What the correspondences rest on, as the file says.
    pub source: String,
    /// The file it was read from (`mappings/...` for bundled files).
    pub origin: String,
    /// Its correspondences, in file order.
    pub correspondences: Vec<Correspondence>,
}

/// One correspondence of a transition: old requirements to new ones.
#[derive(Clone, Debug, PartialEq)]
pub struct Correspondence {
    /// IDs in the older version.
    pub from: Vec<RequirementId>,
    /// IDs in the newer version (none: removed without successor).
    pub to: Vec<RequirementId>,
    /// How the old content relates to the new, when the file says.
    pub relation: Option<Relation>,
    /// A remark of the file's author.
    pub note: Option<String>,
    /// Rationale, strength, confidence and whether the entry is inferred.
    pub provenance: MappingProvenance,
}

impl Correspondence {
    /// How a report cites this entry: the file, the entry's note when it has one, and its
    /// provenance marks (`[inferred, confidence low]`) so an inference never reads as a
    /// statement of the source.
    pub fn source_text(&self, origin: &str) -> String {
        let cited = match &self.note {
            Some(note) => format!("{origin}: {note}"),
            None => origin.to_owned(),
        };
        match self.provenance.describe() {
            Some(marks) => format!("{cited} [{marks}]"),
            None => cited,
        }
    }
}

impl Transition {
    /// The same transition read backwards (`to` → `from`), relations inverted.
    pub fn inverse(&self) -> Transition {
        Transition {
            from: self.to.clone(),
            to: self.from.clone(),
            source: self.source.clone(),
            origin: self.origin.clone(),
            correspondences: self
                .correspondences
                .iter()
                .map(|c| Correspondence {
                    from: c.to.clone(),
                    to: c.from.clone(),
                    relation: c.relation.map(Relation::inverse),
                    note: c.note.clone(),
                    provenance: c.provenance.clone(),
                })
                .collect(),
        }
    }
}

/// Every transition reqgap knows: the bundled ones plus those in the user's folders.
#[derive(Debug, Default)]
pub struct TransitionSet {
    pub(crate) transitions: BTreeMap<(CatalogKey, CatalogKey), Transition>,
    /// Pairs whose transition is the bundled one (a user file may replace it).
    pub(crate) bundled: BTreeSet<(CatalogKey, CatalogKey)>,
    /// Non-fatal findings while loading (e.g. a user file replacing a bundled one).
    pub warnings: Vec<Diagnostic>,
}

impl TransitionSet {
    /// A set of already validated transitions (for callers that build them in code, and
    /// for tests). Later ones replace earlier ones for the same pair of versions.
    pub fn from_transitions(transitions: impl IntoIterator<Item = Transition>) -> TransitionSet {
        let mut set = TransitionSet::default();
        for t in transitions {
            set.transitions.insert((t.from.clone(), t.to.clone()), t);
        }
        set
    }

    /// The transition from `from` to `to`, read backwards when only `to` → `from` exists.
    pub fn find(&self, from: &CatalogKey, to: &CatalogKey) -> Option<Transition> {
        if let Some(t) = self.transitions.get(&(from.clone(), to.clone())) {
            return Some(t.clone());
        }
        self.transitions
            .get(&(to.clone(), from.clone()))
            .map(Transition::inverse)
    }

    /// Every transition, in key order.
    pub fn iter(&self) -> impl Iterator<Item = &Transition> {
        self.transitions.values()
    }

    /// How many transitions there are.
    pub fn len(&self) -> usize {
        self.transitions.len()
    }

    /// True when there is none.
    pub fn is_empty(&self) -> bool {
        self.transitions.is_empty()
    }
}
