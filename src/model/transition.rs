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
}

enum_names!(Relation {
    Equal => "equal",
    SubsetOf => "subset-of",
    SupersetOf => "superset-of",
    IntersectsWith => "intersects-with",
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

    /// The relation of `a → c` given `a → b` (self) and `b → c` (next).
    pub fn then(self, next: Relation) -> Relation {
        match (self, next) {
            (Relation::Equal, other) | (other, Relation::Equal) => other,
            (a, b) if a == b && a != Relation::IntersectsWith => a,
            _ => Relation::IntersectsWith,
        }
    }
}

/// A validated transition between two versions of one standard.
#[derive(Clone, Debug, PartialEq)]
pub struct Transition {
    pub from: CatalogKey,
    pub to: CatalogKey,
    pub source: String,
    /// The file it was read from (`mappings/...` for bundled files).
    pub origin: String,
    pub correspondences: Vec<Correspondence>,
}

#[derive(Clone, Debug, PartialEq)]
pub struct Correspondence {
    pub from: Vec<RequirementId>,
    pub to: Vec<RequirementId>,
    pub relation: Option<Relation>,
    pub note: Option<String>,
}

impl Correspondence {
    /// How a report cites this entry: the file, and the entry's note when it has one.
    pub fn source_text(&self, origin: &str) -> String {
        match &self.note {
            Some(note) => format!("{origin}: {note}"),
            None => origin.to_owned(),
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

    pub fn iter(&self) -> impl Iterator<Item = &Transition> {
        self.transitions.values()
    }

    pub fn len(&self) -> usize {
        self.transitions.len()
    }

    pub fn is_empty(&self) -> bool {
        self.transitions.is_empty()
    }
}
