//! The catalog file format (`standards/<standard>/<version>.yaml`) and its validation into
//! the model. Raw types mirror the file exactly; every problem is collected before failing.

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use super::scalar::Text;
use super::yaml::{self, PositionIndex, Step, YamlPath};
use crate::diag::{Code, Diagnostic, Diagnostics, SourceFile};
use crate::model::{
    Catalog, Confidence, Level, Link, LinkRel, Marker, Origin, Provenance, Requirement,
    RequirementId, Section, SectionId, StandardSlug, Status, Version,
};

/// One version of one standard, as written in a catalog file.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct CatalogFile {
    /// Slug naming the standard across all its versions, e.g. `etsi-en-319-401`.
    pub standard: String,
    /// Full title of the standard.
    pub title: String,
    /// Version of this catalog, e.g. `3.2.1`.
    pub version: Text,
    /// Publication date (YYYY-MM-DD).
    pub published: Text,
    /// Date from which audits or law apply this version (YYYY-MM-DD).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub effective: Option<Text>,
    /// The version this one replaces.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub supersedes: Option<Text>,
    /// `verified` (IDs checked against the deliverable) or `reconstructed` (partly inferred).
    pub provenance: Provenance,
    /// Where the IDs and structure come from.
    pub source: String,
    /// The publisher's revision table (version, ballot, description, adopted, effective),
    /// as this version publishes it; a diff names the ballots of the rows between two
    /// versions.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub revisions: Vec<RevisionEntry>,
    /// Clauses, in document order.
    #[serde(default)]
    pub sections: Vec<SectionEntry>,
    /// Requirements, in document order.
    pub requirements: Vec<RequirementEntry>,
}

/// A clause heading.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct SectionEntry {
    /// Clause number, e.g. `7.9.3`.
    pub id: Text,
    /// Clause title.
    pub title: String,
}

/// One requirement.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct RequirementEntry {
    /// Requirement ID as printed, e.g. `REQ-7.9.3-01`.
    pub id: Text,
    /// The clause it belongs to; must be declared under `sections`.
    pub section: Text,
    /// Optional short name.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub title: Option<String>,
    /// `shall`, `should`, `may` or `informative`; derived from the text when absent.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub level: Option<Level>,
    /// `conditional`, `choice`, `proportionate`.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub markers: Vec<Marker>,
    /// `confirmed` or `inferred`; defaults from the catalog's provenance.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub confidence: Option<Confidence>,
    /// `active` (default) or `withdrawn`.
    #[serde(default, skip_serializing_if = "is_active")]
    pub status: Status,
    /// Provenance note for this requirement.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
    /// The requirement text (or, for copyrighted standards, a summary).
    pub text: String,
    /// Publisher links, e.g. where a withdrawn requirement went.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub links: Vec<LinkEntry>,
    /// Dates from which the requirement obliges more, as the document states them; a gap
    /// on it is due at the first one not yet passed unless the target sets `due`.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub milestones: Vec<MilestoneEntry>,
}

/// One row of a revision table.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct RevisionEntry {
    /// The version the row produced, e.g. `2.1.5`; absent for rows without one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub version: Option<Text>,
    /// The ballot, e.g. `SC081`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ballot: Option<String>,
    /// What the ballot changed, in the publisher's words.
    #[serde(default)]
    pub description: String,
    /// Date the ballot was adopted (YYYY-MM-DD).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub adopted: Option<Text>,
    /// Date the change took effect (YYYY-MM-DD).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub effective: Option<Text>,
}

/// A date from which a requirement obliges more (a phase-in).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct MilestoneEntry {
    /// The date (YYYY-MM-DD).
    pub date: Text,
    /// What applies from then on, in the document's words.
    pub obligation: String,
    /// Where the document says so, e.g. `1.2.2 Relevant Dates, row 17`.
    pub source: String,
}

fn is_active(status: &Status) -> bool {
    *status == Status::Active
}

/// A link from a requirement to another of the same catalog.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct LinkEntry {
    /// `moved-to`, `incorporated-into` or `related`.
    pub rel: LinkRel,
    /// The requirement ID linked to.
    pub target: Text,
}

/// Reads and validates one catalog file.
pub fn load_file(path: &Path) -> Result<Catalog, Diagnostics> {
    let file = super::read_text(path)?;
    let origin = Origin::File(file.path.clone());
    parse_catalog(&file, origin)
}

/// Where each requirement ID of a catalog file is written (its `id:` value), for reports
/// that point at the catalog beside the inventory (SARIF related locations).
pub fn requirement_places(
    path: &Path,
) -> Result<BTreeMap<RequirementId, crate::model::Place>, Diagnostics> {
    let file = super::read_text(path)?;
    let (raw, index) = yaml::parse::<CatalogFile>(&file)?;
    let places = raw
        .requirements
        .iter()
        .enumerate()
        .filter_map(|(i, entry)| {
            let position = index.value(&["requirements".into(), i.into(), "id".into()])?;
            let place = crate::model::Place {
                path: file.path.clone(),
                line: position.line,
                column: position.column,
            };
            Some((RequirementId::new(entry.id.as_str()), place))
        })
        .collect();
    Ok(places)
}

/// Parses and validates catalog text that has already been read.
pub fn parse_catalog(file: &SourceFile, origin: Origin) -> Result<Catalog, Diagnostics> {
    read_catalog(file, yaml::Document::parse(file)?, origin)
}

/// Validates a catalog file that has already been parsed (see [`super::detect`]).
pub fn read_catalog(
    file: &SourceFile,
    document: yaml::Document,
    origin: Origin,
) -> Result<Catalog, Diagnostics> {
    let (raw, index) = document.read::<CatalogFile>(file)?;
    Validator {
        file,
        index: &index,
        diagnostics: Diagnostics::new(),
    }
    .catalog(raw, origin)
}

/// Validates a catalog file built in memory (an importer's, before it is written), by the
/// rules [`read_catalog`] applies to a file; every problem is placed at the start of `file`.
pub fn validate_file(
    file: &SourceFile,
    raw: CatalogFile,
    origin: Origin,
) -> Result<Catalog, Diagnostics> {
    Validator {
        file,
        index: &PositionIndex::default(),
        diagnostics: Diagnostics::new(),
    }
    .catalog(raw, origin)
}

/// Parses an ISO date (YYYY-MM-DD).
pub fn parse_date(text: &str) -> Option<NaiveDate> {
    // Exactly YYYY-MM-DD in ASCII digits: chrono alone also takes a signed year
    // (`-015-01-22`), which would be written back differently (`-0015-01-22`).
    let bytes = text.as_bytes();
    let shape = bytes.len() == 10
        && bytes.iter().enumerate().all(|(i, b)| match i {
            4 | 7 => *b == b'-',
            _ => b.is_ascii_digit(),
        });
    if !shape {
        return None;
    }
    NaiveDate::parse_from_str(text, "%Y-%m-%d").ok()
}

struct Validator<'a> {
    file: &'a SourceFile,
    index: &'a PositionIndex,
    diagnostics: Diagnostics,
}

impl Validator<'_> {
    fn error(&mut self, code: Code, message: String, path: &[Step<'_>]) {
        let location = yaml::locate(self.file, self.index.nearest(path));
        self.diagnostics
            .push(Diagnostic::error(code, message).at(location));
    }

    /// A duplicate ID at `path`, pointing at its first definition (`first`: line and
    /// column) too.
    fn duplicate(&mut self, message: String, path: &[Step<'_>], first: (usize, usize), id: &str) {
        let location = yaml::locate(self.file, self.index.nearest(path));
        let (line, column) = first;
        let first = self.file.location(line, column, id.chars().count());
        self.diagnostics.push(
            Diagnostic::error(Code::DuplicateId, message)
                .at(location)
                .also_at(first, "first defined here"),
        );
    }

    fn date(&mut self, text: &Text, key: &str) -> Option<NaiveDate> {
        let date = parse_date(text.as_str());
        if date.is_none() {
            let location = yaml::locate(self.file, self.index.nearest(&YamlPath::root().key(key)));
            self.diagnostics
                .push(super::scalar::bad_date(text.as_str(), |message| {
                    Diagnostic::error(Code::BadDate, message).at(location)
                }));
        }
        date
    }

    fn version(&mut self, text: &Text, key: &str) -> Version {
        if !Version::is_valid(text.as_str()) {
            self.error(
                Code::BadVersion,
                format!("`{text}` is not a valid version (letters, digits and . - _ +)"),
                &YamlPath::root().key(key),
            );
        }
        Version::new(text.as_str())
    }

    fn catalog(mut self, raw: CatalogFile, origin: Origin) -> Result<Catalog, Diagnostics> {
        if !StandardSlug::is_valid(&raw.standard) {
            self.error(
                Code::BadStandard,
                format!(
                    "`{}` is not a valid standard slug (lower-case letters, digits and hyphens)",
                    raw.standard
                ),
                &["standard".into()],
            );
        }
        let version = self.version(&raw.version, "version");
        let published = self.date(&raw.published, "published");
        let effective = raw
            .effective
            .as_ref()
            .and_then(|d| self.date(d, "effective"));
        let supersedes = raw
            .supersedes
            .as_ref()
            .map(|v| self.version(v, "supersedes"));
        if let Some(older) = &supersedes {
            if *older >= version {
                self.error(
                    Code::BadVersion,
                    format!("version {version} cannot supersede {older}, which is not older"),
                    &["supersedes".into()],
                );
            }
        }
        let sections = self.sections(&raw.sections);
        let mut schedule = crate::model::Schedule {
            revisions: self.revisions(&raw.revisions),
            milestones: BTreeMap::new(),
        };
        for (i, entry) in raw.requirements.iter().enumerate() {
            let milestones = self.milestones(i, &entry.milestones);
            if !milestones.is_empty() {
                schedule
                    .milestones
                    .insert(RequirementId::new(entry.id.as_str()), milestones);
            }
        }
        let requirements = self.requirements(raw.requirements, &sections, raw.provenance);
        let catalog = Catalog {
            standard: StandardSlug::new(raw.standard),
            title: raw.title,
            version,
            published: published.unwrap_or_default(),
            effective,
            supersedes,
            provenance: raw.provenance,
            source: raw.source,
            sections,
            requirements,
            schedule,
            origin,
        };
        self.diagnostics.into_result(catalog)
    }

    fn date_at(&mut self, text: &Text, path: &[Step<'_>]) -> Option<NaiveDate> {
        let date = parse_date(text.as_str());
        if date.is_none() {
            let location = yaml::locate(self.file, self.index.nearest(path));
            self.diagnostics
                .push(super::scalar::bad_date(text.as_str(), |message| {
                    Diagnostic::error(Code::BadDate, message).at(location)
                }));
        }
        date
    }

    fn revisions(&mut self, raw: &[RevisionEntry]) -> Vec<crate::model::Revision> {
        let mut revisions = Vec::with_capacity(raw.len());
        for (i, entry) in raw.iter().enumerate() {
            let at = YamlPath::root().key("revisions").index(i);
            let version = entry.version.as_ref().map(|v| {
                if !Version::is_valid(v.as_str()) {
                    self.error(
                        Code::BadVersion,
                        format!("`{v}` is not a valid version (letters, digits and . - _ +)"),
                        &at.key("version"),
                    );
                }
                Version::new(v.as_str())
            });
            revisions.push(crate::model::Revision {
                version,
                ballot: entry.ballot.clone(),
                description: entry.description.clone(),
                adopted: entry
                    .adopted
                    .as_ref()
                    .and_then(|d| self.date_at(d, &at.key("adopted"))),
                effective: entry
                    .effective
                    .as_ref()
                    .and_then(|d| self.date_at(d, &at.key("effective"))),
            });
        }
        revisions
    }

    fn milestones(
        &mut self,
        requirement: usize,
        raw: &[MilestoneEntry],
    ) -> Vec<crate::model::Milestone> {
        let mut milestones: Vec<crate::model::Milestone> = raw
            .iter()
            .enumerate()
            .filter_map(|(j, entry)| {
                let path = YamlPath::root()
                    .key("requirements")
                    .index(requirement)
                    .key("milestones")
                    .index(j)
                    .key("date");
                let date = self.date_at(&entry.date, &path)?;
                Some(crate::model::Milestone {
                    date,
                    obligation: entry.obligation.clone(),
                    source: entry.source.clone(),
                })
            })
            .collect();
        milestones.sort();
        milestones
    }

    fn sections(&mut self, raw: &[SectionEntry]) -> Vec<Section> {
        let mut first_at: BTreeMap<&str, (usize, usize)> = BTreeMap::new();
        let mut sections = Vec::with_capacity(raw.len());
        for (i, entry) in raw.iter().enumerate() {
            let path = YamlPath::root().key("sections").index(i).key("id");
            let at = self
                .index
                .value(&path)
                .map_or((0, 0), |p| (p.line, p.column));
            match super::id_problem("section", entry.id.as_str()) {
                // An empty section still holds its requirements (no second error for them).
                Some((Code::EmptyId, message)) => self.error(Code::EmptyId, message, &path),
                Some((code, message)) => {
                    self.error(code, message, &path);
                    continue;
                }
                None => {}
            }
            if let Some(first) = first_at.insert(entry.id.as_str(), at) {
                let message = format!("section `{}` is declared twice", entry.id);
                self.duplicate(message, &path, first, entry.id.as_str());
                continue;
            }
            sections.push(Section {
                id: SectionId::new(entry.id.as_str()),
                title: entry.title.clone(),
            });
        }
        sections
    }

    fn requirements(
        &mut self,
        raw: Vec<RequirementEntry>,
        sections: &[Section],
        provenance: Provenance,
    ) -> Vec<Requirement> {
        let declared: BTreeSet<&str> = sections.iter().map(|s| s.id.as_str()).collect();
        let ids: BTreeSet<String> = raw.iter().map(|r| r.id.0.clone()).collect();
        let mut first_at: BTreeMap<String, (usize, usize)> = BTreeMap::new();
        let mut requirements = Vec::with_capacity(raw.len());
        for (i, entry) in raw.into_iter().enumerate() {
            let at = YamlPath::root().key("requirements").index(i);
            let id = entry.id.as_str();
            let place = self
                .index
                .value(&at.key("id"))
                .map_or((0, 0), |p| (p.line, p.column));
            if let Some((code, message)) = super::id_problem("requirement", id) {
                self.error(code, message, &at.key("id"));
                continue;
            }
            if let Some(first) = first_at.insert(id.to_owned(), place) {
                let message = format!("requirement ID `{id}` is defined twice");
                self.duplicate(message, &at.key("id"), first, id);
                continue;
            }
            if !declared.contains(entry.section.as_str()) {
                self.error(
                    Code::UndeclaredSection,
                    format!(
                        "requirement `{id}` is in section `{}`, which is not declared under `sections`",
                        entry.section
                    ),
                    &at.key("section"),
                );
            }
            if let Some((code, message)) = text_problem(id, entry.status, &entry.text) {
                self.error(code, message, &at.key("text"));
            }
            for (j, link) in entry.links.iter().enumerate() {
                let target = link.target.as_str();
                if target == id || !ids.contains(target) {
                    let why = if target == id {
                        "itself"
                    } else {
                        "an unknown requirement"
                    };
                    self.error(
                        Code::BadLink,
                        format!("requirement `{id}` links to {why} `{target}`"),
                        &at.key("links").index(j).key("target"),
                    );
                }
            }
            requirements.push(build_requirement(entry, provenance));
        }
        requirements
    }
}

/// The rule for a requirement's text, which the loader applies to catalog files and the
/// importers to their input, so that every catalog an importer writes reads back: an active
/// requirement has text.
pub(crate) fn text_problem(id: &str, status: Status, text: &str) -> Option<(Code, String)> {
    (status == Status::Active && text.trim().is_empty()).then(|| {
        (
            Code::EmptyText,
            format!("requirement `{id}` is active but its text is empty"),
        )
    })
}

fn build_requirement(entry: RequirementEntry, provenance: Provenance) -> Requirement {
    let (level, level_derived) = match entry.level {
        Some(level) => (level, false),
        None => (Level::from_text(&entry.text), true),
    };
    let confidence = entry.confidence.unwrap_or(default_confidence(provenance));
    let mut links: Vec<Link> = entry
        .links
        .into_iter()
        .map(|l| Link {
            rel: l.rel,
            target: RequirementId::new(l.target.0),
        })
        .collect();
    links.sort();
    links.dedup();
    Requirement {
        id: RequirementId::new(entry.id.0),
        section: SectionId::new(entry.section.0),
        title: entry.title,
        level,
        level_derived,
        markers: entry.markers.into_iter().collect(),
        confidence,
        status: entry.status,
        text: entry.text,
        note: entry.note,
        links,
    }
}

/// The confidence a requirement has when its entry does not state one.
pub fn default_confidence(provenance: Provenance) -> Confidence {
    match provenance {
        Provenance::Verified => Confidence::Confirmed,
        Provenance::Reconstructed => Confidence::Inferred,
    }
}

/// Turns a model catalog back into its file form (used by importers and tests).
pub fn to_file(catalog: &Catalog) -> CatalogFile {
    CatalogFile {
        standard: catalog.standard.to_string(),
        title: catalog.title.clone(),
        version: Text(catalog.version.to_string()),
        published: Text(catalog.published.format("%Y-%m-%d").to_string()),
        effective: catalog
            .effective
            .map(|d| Text(d.format("%Y-%m-%d").to_string())),
        supersedes: catalog.supersedes.as_ref().map(|v| Text(v.to_string())),
        provenance: catalog.provenance,
        source: catalog.source.clone(),
        revisions: catalog
            .schedule
            .revisions
            .iter()
            .map(|r| RevisionEntry {
                version: r.version.as_ref().map(|v| Text(v.to_string())),
                ballot: r.ballot.clone(),
                description: r.description.clone(),
                adopted: r.adopted.map(iso),
                effective: r.effective.map(iso),
            })
            .collect(),
        sections: catalog
            .sections
            .iter()
            .map(|s| SectionEntry {
                id: Text(s.id.to_string()),
                title: s.title.clone(),
            })
            .collect(),
        requirements: catalog
            .requirements
            .iter()
            .map(|r| RequirementEntry {
                id: Text(r.id.to_string()),
                section: Text(r.section.to_string()),
                title: r.title.clone(),
                level: (!r.level_derived).then_some(r.level),
                markers: r.markers.iter().copied().collect(),
                // The loader fills a missing confidence from the provenance; writing only
                // the exceptions keeps imported files free of noise.
                confidence: (r.confidence != default_confidence(catalog.provenance))
                    .then_some(r.confidence),
                status: r.status,
                note: r.note.clone(),
                text: r.text.clone(),
                links: r
                    .links
                    .iter()
                    .map(|l| LinkEntry {
                        rel: l.rel,
                        target: Text(l.target.to_string()),
                    })
                    .collect(),
                milestones: catalog
                    .schedule
                    .milestones_of(&r.id)
                    .iter()
                    .map(|m| MilestoneEntry {
                        date: iso(m.date),
                        obligation: m.obligation.clone(),
                        source: m.source.clone(),
                    })
                    .collect(),
            })
            .collect(),
    }
}

/// Renders a catalog file as canonical YAML: fixed key order, requirements in the given
/// order, so that re-importing an unchanged source gives a byte-identical file.
pub fn render_file(file: &CatalogFile) -> Result<String, String> {
    yaml::to_string(file)
}

fn iso(date: NaiveDate) -> Text {
    Text(date.format("%Y-%m-%d").to_string())
}
