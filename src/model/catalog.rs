//! The requirement catalog: one version of one standard.

use std::collections::BTreeSet;
use std::fmt;

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use super::ids::{CatalogKey, RequirementId, SectionId, StandardSlug, Version};

/// Whether the catalog's IDs were read from the deliverable itself or pieced together from
/// secondary sources (citations, change logs, neighbouring versions).
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
    Deserialize,
    schemars::JsonSchema,
)]
#[serde(rename_all = "kebab-case")]
pub enum Provenance {
    /// IDs and structure checked against the published deliverable.
    Verified,
    /// IDs partly inferred; see each requirement's `confidence`.
    Reconstructed,
}

enum_names!(Provenance {
    Verified => "verified",
    Reconstructed => "reconstructed",
});

/// How sure the catalog is of one requirement's ID and content.
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
    Deserialize,
    schemars::JsonSchema,
)]
#[serde(rename_all = "kebab-case")]
pub enum Confidence {
    /// Seen in the deliverable or in a source that quotes it.
    Confirmed,
    /// Derived from other versions or secondary sources.
    Inferred,
}

enum_names!(Confidence {
    Confirmed => "confirmed",
    Inferred => "inferred",
});

/// The normative strength of a requirement.
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
    Deserialize,
    schemars::JsonSchema,
)]
#[serde(rename_all = "kebab-case")]
pub enum Level {
    /// Mandatory: "shall", "must".
    Shall,
    /// Recommended: "should".
    Should,
    /// Permitted: "may".
    May,
    /// Explanatory text that obliges nothing.
    Informative,
}

enum_names!(Level {
    Shall => "shall",
    Should => "should",
    May => "may",
    Informative => "informative",
});

impl Level {
    /// The level a text implies when the catalog does not state it: the strongest
    /// normative keyword present wins, so "shall ... where it may" is still `shall`.
    pub fn from_text(text: &str) -> Level {
        let lower = text.to_lowercase();
        // One pass over the words, keeping the strongest keyword seen.
        let mut level = Level::Informative;
        for token in lower.split(|c: char| !c.is_alphanumeric()) {
            match token {
                "shall" | "must" => return Level::Shall,
                "should" => level = Level::Should,
                "may" if level == Level::Informative => level = Level::May,
                _ => {}
            }
        }
        level
    }
}

/// ETSI's requirement markers (EN 319 401 clause 3.4).
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
    Deserialize,
    schemars::JsonSchema,
)]
#[serde(rename_all = "kebab-case")]
pub enum Marker {
    /// `[CONDITIONAL]`: applies only when its condition holds.
    Conditional,
    /// `[CHOICE]`: one of several listed options must be met.
    Choice,
    /// `[PRO]` / `PRO-` IDs: implementation may be scaled by proportionality.
    Proportionate,
}

enum_names!(Marker {
    Conditional => "conditional",
    Choice => "choice",
    Proportionate => "proportionate",
});

#[derive(
    Clone,
    Copy,
    Debug,
    Default,
    PartialEq,
    Eq,
    PartialOrd,
    Ord,
    Hash,
    Serialize,
    Deserialize,
    schemars::JsonSchema,
)]
/// Whether a requirement is in force.
#[serde(rename_all = "kebab-case")]
pub enum Status {
    /// In force.
    #[default]
    Active,
    /// Kept in the catalog but no longer in force ("Void" in ETSI documents, `withdrawn`
    /// in OSCAL).
    Withdrawn,
}

enum_names!(Status {
    Active => "active",
    Withdrawn => "withdrawn",
});

/// How a requirement relates to another one of the same catalog or its successor.
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
    Deserialize,
    schemars::JsonSchema,
)]
#[serde(rename_all = "kebab-case")]
pub enum LinkRel {
    /// The content now lives at the target ID.
    MovedTo,
    /// The content was folded into the target requirement.
    IncorporatedInto,
    /// Informational cross-reference.
    Related,
}

/// A link from one requirement to another of the same catalog.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
pub struct Link {
    /// What the link says.
    pub rel: LinkRel,
    /// The requirement it points to.
    pub target: RequirementId,
}

/// A section (clause) of a catalog.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Section {
    /// The clause number, e.g. `7.9`.
    pub id: SectionId,
    /// The clause's title.
    pub title: String,
}

/// One requirement of a catalog.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Requirement {
    /// Its ID, unique within the catalog.
    pub id: RequirementId,
    /// The section it stands in.
    pub section: SectionId,
    /// A short title, when the publisher gives one.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub title: Option<String>,
    /// `shall`, `should`, `may` or `informative`.
    pub level: Level,
    /// True when `level` was not written in the file but derived from the text.
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub level_derived: bool,
    /// Markers the publisher sets on it (e.g. which kinds of provider it applies to).
    #[serde(skip_serializing_if = "BTreeSet::is_empty")]
    pub markers: BTreeSet<Marker>,
    /// Whether the entry is as published or reconstructed.
    pub confidence: Confidence,
    /// Active or withdrawn.
    pub status: Status,
    /// The requirement's text (or the summary we wrote for copyrighted texts).
    pub text: String,
    /// A remark of the catalog's author.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
    /// Links to other requirements (moved to, incorporated into, related).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub links: Vec<Link>,
}

impl Requirement {
    /// True when the requirement is in force.
    pub fn is_active(&self) -> bool {
        self.status == Status::Active
    }
}

/// Where a catalog was loaded from.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(tag = "kind", content = "path", rename_all = "kebab-case")]
pub enum Origin {
    /// Compiled into the binary from `standards/<path>`.
    Bundled(String),
    /// Read from a file given by the user.
    File(String),
}

impl fmt::Display for Origin {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Origin::Bundled(path) => write!(f, "bundled ({path})"),
            Origin::File(path) => f.write_str(path),
        }
    }
}

/// One version of a standard: its header, sections and requirements.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Catalog {
    /// The standard's slug, the same for all its versions.
    pub standard: StandardSlug,
    /// The standard's full title.
    pub title: String,
    /// This version.
    pub version: Version,
    /// When the publisher published it.
    pub published: NaiveDate,
    /// When it applies from, when that differs from `published`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub effective: Option<NaiveDate>,
    /// The version it replaces.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub supersedes: Option<Version>,
    /// How far the catalog follows the published text (see docs/formats.md).
    pub provenance: Provenance,
    /// Where the catalog comes from (document and edition).
    pub source: String,
    /// Its sections, in document order.
    pub sections: Vec<Section>,
    /// Its requirements, in document order.
    pub requirements: Vec<Requirement>,
    /// The publisher's change history and dated obligations, when the document has them.
    #[serde(skip_serializing_if = "Schedule::is_empty")]
    pub schedule: Schedule,
    /// The file it was read from.
    pub origin: Origin,
}

impl Catalog {
    /// `<standard>@<version>`.
    pub fn key(&self) -> CatalogKey {
        CatalogKey {
            standard: self.standard.clone(),
            version: self.version.clone(),
        }
    }

    /// The first requirement with ID `id`.
    pub fn requirement(&self, id: &str) -> Option<&Requirement> {
        self.requirements.iter().find(|r| r.id.as_str() == id)
    }

    /// The section with ID `id`.
    pub fn section(&self, id: &str) -> Option<&Section> {
        self.sections.iter().find(|s| s.id.as_str() == id)
    }

    /// How many requirements were reconstructed rather than taken from the publisher.
    pub fn inferred_count(&self) -> usize {
        self.requirements
            .iter()
            .filter(|r| r.confidence == Confidence::Inferred)
            .count()
    }

    /// The requirements in force, in document order.
    pub fn active_requirements(&self) -> impl Iterator<Item = &Requirement> {
        self.requirements.iter().filter(|r| r.is_active())
    }

    /// The date from which the catalog binds: `effective` when known, else `published`.
    pub fn binding_date(&self) -> NaiveDate {
        self.effective.unwrap_or(self.published)
    }
}

/// A date from which a requirement obliges more (or differently) than before, as the
/// document states it: a row of a "Relevant Dates" table, or an inline "Effective `<date>`:"
/// clause.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize)]
pub struct Milestone {
    /// The day it applies from.
    pub date: NaiveDate,
    /// What applies from that date, in the document's words.
    pub obligation: String,
    /// Where the document states it, e.g. `1.2.2 Relevant Dates, row 17`.
    pub source: String,
}

/// One row of a document's revision table: which ballot made which version, and when the
/// change took effect.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Revision {
    /// The version the row produced; `None` for rows without one (`--`).
    pub version: Option<Version>,
    /// The ballot, e.g. `SC081`; `None` for rows without one.
    pub ballot: Option<String>,
    /// What changed, in the document's words.
    pub description: String,
    /// When the change was adopted.
    pub adopted: Option<NaiveDate>,
    /// When it took effect.
    pub effective: Option<NaiveDate>,
}

/// The dated side of a catalog: its revision history and the milestones of its
/// requirements.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
pub struct Schedule {
    /// Revision rows in document order.
    pub revisions: Vec<Revision>,
    /// Milestones per requirement, each list sorted by date.
    pub milestones: std::collections::BTreeMap<RequirementId, Vec<Milestone>>,
}

impl Schedule {
    /// True when the document has neither revisions nor milestones.
    pub fn is_empty(&self) -> bool {
        self.revisions.is_empty() && self.milestones.is_empty()
    }

    /// The milestones of one requirement, earliest first.
    pub fn milestones_of(&self, id: &RequirementId) -> &[Milestone] {
        self.milestones.get(id).map_or(&[], Vec::as_slice)
    }

    /// The revision rows that lead from `older` (exclusive) to `newer` (inclusive): the
    /// ballots a diff between the two versions carries.
    pub fn revisions_between(&self, older: &Version, newer: &Version) -> Vec<&Revision> {
        self.revisions
            .iter()
            .filter(|r| r.version.as_ref().is_some_and(|v| v > older && v <= newer))
            .collect()
    }
}

impl Catalog {
    /// The date a gap on `requirement` is due when its target sets no `due`: the first of
    /// its milestones not yet passed on `today`, or its last milestone when all have passed;
    /// `None` for a requirement without milestones.
    pub fn milestone_due(
        &self,
        requirement: &RequirementId,
        today: NaiveDate,
    ) -> Option<&Milestone> {
        let milestones = self.schedule.milestones_of(requirement);
        milestones
            .iter()
            .find(|m| m.date >= today)
            .or_else(|| milestones.last())
    }
}

#[cfg(test)]
mod tests {
    use super::Level;

    #[test]
    fn the_strongest_modal_verb_sets_the_level() {
        let cases = [
            ("The TSP may log and should retain.", Level::Should),
            ("It MAY be kept; it Must be signed.", Level::Shall),
            ("Records should be kept, and may be shared.", Level::Should),
            ("Keys may rotate.", Level::May),
            ("mayor, shallow, musty", Level::Informative),
            ("", Level::Informative),
        ];
        for (text, level) in cases {
            assert_eq!(Level::from_text(text), level, "{text}");
        }
    }
}
