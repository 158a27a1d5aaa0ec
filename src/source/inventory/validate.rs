//! Validation of the raw inventory files into the model. [`ValidationContext`] holds what
//! every check needs (the catalogs, today, the problems found so far) and collects every
//! problem before the load fails, so that a user with five mistakes sees five diagnostics.

mod mappings;

use std::collections::{BTreeMap, BTreeSet, HashMap};

use chrono::NaiveDate;

use super::raw::{ConfigFile, ControlEntry, ControlsFile, OwnersFile, TargetEntry};
use super::Parsed;
use crate::diag::{Code, Diagnostic, Diagnostics, Location};
use crate::model::{
    Catalog, CatalogKey, CatalogSet, Control, ControlId, Evidence, EvidenceId, Owner, OwnerId,
    Period, Place, Requirement, StandardSlug, Target, Version,
};
use crate::source::applicability;
use crate::source::catalog::parse_date;
use crate::source::scalar::{self, Text};
use crate::source::yaml::{Step, YamlPath};

/// What validation of one inventory needs, and the problems it has found so far.
pub(super) struct ValidationContext<'a> {
    pub(super) catalogs: &'a CatalogSet,
    pub(super) today: NaiveDate,
    pub(super) diagnostics: Diagnostics,
    /// The owners file could not be read (already reported): every owner reference
    /// would be "unknown", which says nothing new.
    owners_unreadable: bool,
    /// Each catalog's requirements by ID, built when a mapping first names the catalog:
    /// a scan of the catalog per mapped ID made validation quadratic.
    requirement_index: HashMap<CatalogKey, RequirementIndex<'a>>,
}

/// Lookup only, never iterated, so hash order reaches no output.
type RequirementIndex<'a> = HashMap<&'a str, &'a Requirement>;

impl<'a> ValidationContext<'a> {
    /// A context that goes on from the problems the load has found so far.
    pub(super) fn new(
        catalogs: &'a CatalogSet,
        today: NaiveDate,
        diagnostics: Diagnostics,
        owners_unreadable: bool,
    ) -> Self {
        ValidationContext {
            catalogs,
            today,
            diagnostics,
            owners_unreadable,
            requirement_index: HashMap::new(),
        }
    }

    pub(super) fn owners(&mut self, files: &[Parsed<OwnersFile>]) -> BTreeMap<OwnerId, Owner> {
        let mut owners = BTreeMap::new();
        for file in files {
            for (i, entry) in file.value.owners.iter().enumerate() {
                let at = YamlPath::root().key("owners").index(i);
                let place = file.place(&at.key("id"));
                if !self.printable_id(file, "owner", &entry.id, &at.key("id")) {
                    continue;
                }
                let id = OwnerId::new(entry.id.as_str());
                if let Some(first) = owners.get(&id).map(|o: &Owner| o.place.clone()) {
                    let duplicate = file.error(
                        Code::DuplicateId,
                        format!("owner `{id}` is defined twice"),
                        &at.key("id"),
                    );
                    self.diagnostics
                        .push(first_defined_at(duplicate, files, &first, &id));
                    continue;
                }
                let escalate_after = entry
                    .escalate_after
                    .as_deref()
                    .and_then(|text| self.period(file, text, &at.key("escalate-after")));
                owners.insert(
                    id.clone(),
                    Owner {
                        id,
                        name: entry.name.clone(),
                        email: entry.email.clone(),
                        escalates_to: entry.escalates_to.as_deref().map(OwnerId::new),
                        escalate_after,
                        place,
                    },
                );
            }
        }
        for file in files {
            for (i, entry) in file.value.owners.iter().enumerate() {
                if let Some(up) = &entry.escalates_to {
                    let at = YamlPath::root().key("owners").index(i);
                    self.known_owner(file, &owners, up, &at.key("escalates-to"));
                }
            }
        }
        owners
    }

    /// False (with a located error) when `id` holds a character IDs may not hold.
    fn printable_id<T>(
        &mut self,
        file: &Parsed<T>,
        kind: &str,
        id: &str,
        path: &[Step<'_>],
    ) -> bool {
        let Some(message) = crate::source::id_character_problem(kind, id) else {
            return true;
        };
        self.diagnostics
            .push(file.error(Code::BadIdCharacter, message, path));
        false
    }

    fn known_owner<T>(
        &mut self,
        file: &Parsed<T>,
        owners: &BTreeMap<OwnerId, Owner>,
        id: &str,
        path: &[Step<'_>],
    ) {
        if owners.contains_key(id) || self.owners_unreadable {
            return;
        }
        let known: Vec<String> = owners.keys().map(ToString::to_string).collect();
        let mut d = file.error(Code::UnknownOwner, format!("unknown owner `{id}`"), path);
        if let Some(best) = crate::suggest::nearest(id, &known) {
            d = d.note(format!("help: did you mean `{best}`?"));
        }
        let list = if known.is_empty() {
            "none: the owners file defines no owner".to_owned()
        } else {
            known.join(", ")
        };
        self.diagnostics
            .push(d.note(format!("known owners: {list}")));
    }

    /// A period (`30 days`), or `None` with a located error.
    pub(super) fn period<T>(
        &mut self,
        file: &Parsed<T>,
        text: &str,
        path: &[Step<'_>],
    ) -> Option<Period> {
        let period = Period::parse(text);
        if period.is_none() {
            self.diagnostics.push(
                file.error(
                    Code::BadDuration,
                    format!("`{text}` is not a duration"),
                    path,
                )
                .note("help: write `N days`, `N weeks`, `N months` or `N years`, e.g. `30 days`"),
            );
        }
        period
    }

    fn date<T>(&mut self, file: &Parsed<T>, text: &Text, path: &[Step<'_>]) -> Option<NaiveDate> {
        let date = parse_date(text.as_str());
        if date.is_none() {
            self.diagnostics
                .push(scalar::bad_date(text.as_str(), |message| {
                    file.error(Code::BadDate, message, path)
                }));
        }
        date
    }

    pub(super) fn controls(
        &mut self,
        files: &[Parsed<ControlsFile>],
        owners: &BTreeMap<OwnerId, Owner>,
    ) -> BTreeMap<ControlId, Control> {
        let mut controls: BTreeMap<ControlId, Control> = BTreeMap::new();
        for file in files {
            for (i, entry) in file.value.controls.iter().enumerate() {
                let at = YamlPath::root().key("controls").index(i);
                let Some(control) = self.control(file, at, entry, owners) else {
                    continue;
                };
                if let Some(first) = controls.get(&control.id) {
                    let duplicate = file.error(
                        Code::DuplicateId,
                        format!("control `{}` is defined twice", control.id),
                        &at.key("id"),
                    );
                    self.diagnostics.push(first_defined_at(
                        duplicate,
                        files,
                        &first.place,
                        &control.id,
                    ));
                    continue;
                }
                controls.insert(control.id.clone(), control);
            }
        }
        self.dependencies(files, &controls);
        controls
    }

    /// The control of `entry`, found at `at`.
    fn control(
        &mut self,
        file: &Parsed<ControlsFile>,
        at: YamlPath<'_>,
        entry: &ControlEntry,
        owners: &BTreeMap<OwnerId, Owner>,
    ) -> Option<Control> {
        if entry.id.trim().is_empty() {
            self.diagnostics.push(file.error(
                Code::EmptyId,
                "control ID is empty".into(),
                &at.key("id"),
            ));
            return None;
        }
        if !self.printable_id(file, "control", &entry.id, &at.key("id")) {
            return None;
        }
        if let Some(owner) = &entry.owner {
            self.known_owner(file, owners, owner, &at.key("owner"));
        }
        let evidence = self.evidence(file, at, entry);
        let satisfies = self.mappings(file, at, entry);
        Some(Control {
            id: ControlId::new(entry.id.as_str()),
            title: entry.title.clone(),
            owner: entry.owner.as_deref().map(OwnerId::new),
            status: entry.status,
            depends_on: entry
                .depends_on
                .iter()
                .map(|d| ControlId::new(d.as_str()))
                .collect(),
            evidence,
            satisfies,
            place: file.place(&at.key("id")),
        })
    }

    /// The evidence of the control `entry`, found at `control`.
    fn evidence(
        &mut self,
        file: &Parsed<ControlsFile>,
        control: YamlPath<'_>,
        entry: &ControlEntry,
    ) -> Vec<Evidence> {
        let mut seen = BTreeSet::new();
        let mut evidence = Vec::new();
        for (j, item) in entry.evidence.iter().enumerate() {
            let at = control.key("evidence").index(j);
            if !self.printable_id(file, "evidence", &item.id, &at.key("id")) {
                continue;
            }
            if !seen.insert(item.id.as_str()) {
                self.diagnostics.push(file.error(
                    Code::DuplicateId,
                    format!(
                        "evidence `{}` appears twice in control `{}`",
                        item.id, entry.id
                    ),
                    &at.key("id"),
                ));
                continue;
            }
            let reviewed = self.date(file, &item.reviewed, &at.key("reviewed"));
            if let Some(date) = reviewed.filter(|d| *d > self.today) {
                self.diagnostics.push(file.error(
                    Code::FutureDate,
                    format!(
                        "evidence `{}` was reviewed on {date}, which is after today ({})",
                        item.id, self.today
                    ),
                    &at.key("reviewed"),
                ));
            }
            let period = Period::parse(&item.review_every);
            if period.is_none() {
                self.diagnostics.push(
                    file.error(
                        Code::BadDuration,
                        format!("`{}` is not a review interval", item.review_every),
                        &at.key("review-every"),
                    )
                    .note(
                        "help: write `N days`, `N weeks`, `N months` or `N years`, e.g. `3 months`",
                    ),
                );
            }
            if let (Some(reviewed), Some(review_every)) = (reviewed, period) {
                evidence.push(Evidence {
                    id: EvidenceId::new(item.id.as_str()),
                    description: item.description.clone(),
                    reviewed,
                    review_every,
                    place: file.place(&at.key("reviewed")),
                });
            }
        }
        evidence
    }

    fn dependencies(
        &mut self,
        files: &[Parsed<ControlsFile>],
        controls: &BTreeMap<ControlId, Control>,
    ) {
        let known: Vec<String> = controls.keys().map(ToString::to_string).collect();
        for file in files {
            for (i, entry) in file.value.controls.iter().enumerate() {
                let at = YamlPath::root().key("controls").index(i);
                for (j, dependency) in entry.depends_on.iter().enumerate() {
                    if controls.contains_key(dependency.as_str()) {
                        continue;
                    }
                    let mut d = file.error(
                        Code::UnknownControl,
                        format!(
                            "control `{}` depends on unknown control `{dependency}`",
                            entry.id
                        ),
                        &at.key("depends-on").index(j),
                    );
                    if let Some(best) = crate::suggest::nearest(dependency, &known) {
                        d = d.note(format!("help: did you mean `{best}`?"));
                    }
                    self.diagnostics.push(d);
                }
            }
        }
    }

    pub(super) fn targets(
        &mut self,
        config: &Parsed<ConfigFile>,
        owners: &BTreeMap<OwnerId, Owner>,
        default_due: Option<Period>,
    ) -> Vec<Target> {
        let mut targets = Vec::new();
        let mut first_line: BTreeMap<CatalogKey, usize> = BTreeMap::new();
        for (i, entry) in config.value.targets.iter().enumerate() {
            let at = YamlPath::root().key("targets").index(i);
            let key = CatalogKey {
                standard: StandardSlug::new(entry.standard.as_str()),
                version: Version::new(entry.version.as_str()),
            };
            // A repeated target would repeat every gap (N targets: N(N+1)/2 copies of
            // each), which is how a 300-line reqgap.yaml grew a 3.5 GB report.
            let line = config.place(&at.key("version")).line;
            if let Some(&first) = first_line.get(&key) {
                self.diagnostics.push(config.error(
                    Code::DuplicateTarget,
                    format!("{key} is listed as a target twice (first at line {first})"),
                    &at.key("version"),
                ));
                continue;
            }
            first_line.insert(key.clone(), line);
            let catalog = self.catalog(
                config,
                &key,
                entry.version.unquoted_number,
                &at.key("standard"),
                &at.key("version"),
            );
            let due = match &entry.due {
                Some(text) => self.date(config, text, &at.key("due")),
                None => catalog.and_then(|c| default_deadline(c, default_due)),
            };
            self.since(config, entry, &key, &at.key("since"));
            if let Some(owner) = &entry.default_owner {
                self.known_owner(config, owners, owner, &at.key("default-owner"));
            }
            self.section_owners(config, at, entry, &key, catalog, owners);
            let not_applicable = applicability::validate(
                &applicability::Context {
                    config,
                    target: i,
                    owners,
                    catalog,
                    today: self.today,
                },
                &entry.not_applicable,
                &mut self.diagnostics,
            );
            targets.push(Target {
                not_applicable,
                catalog: key,
                due,
                due_given: entry.due.is_some(),
                default_owner: entry.default_owner.as_deref().map(OwnerId::new),
                section_owners: entry
                    .section_owners
                    .iter()
                    .map(|(k, v)| (k.clone(), OwnerId::new(v.as_str())))
                    .collect(),
                crosswalks: entry.crosswalks.unwrap_or(true),
                since: entry.since.as_ref().map(|v| Version::new(v.as_str())),
                place: config.place(&at.key("version")),
            });
        }
        targets
    }

    /// `section-owners` of the target `entry` (`key`, at `target`): known owners of
    /// sections that the catalog has.
    fn section_owners(
        &mut self,
        config: &Parsed<ConfigFile>,
        target: YamlPath<'_>,
        entry: &TargetEntry,
        key: &CatalogKey,
        catalog: Option<&Catalog>,
        owners: &BTreeMap<OwnerId, Owner>,
    ) {
        for (prefix, owner) in &entry.section_owners {
            let path = target.key("section-owners").key(prefix);
            self.known_owner(config, owners, owner, &path);
            let exists = catalog.is_none_or(|c| c.sections.iter().any(|s| s.id.is_within(prefix)));
            if !exists {
                self.diagnostics.push(config.key_error(
                    Code::UnknownSection,
                    format!("{key} has no section `{prefix}`"),
                    &path,
                ));
            }
        }
    }

    /// `since:` must name a known version of the target's standard older than the target.
    fn since(
        &mut self,
        config: &Parsed<ConfigFile>,
        entry: &TargetEntry,
        target: &CatalogKey,
        path: &[Step<'_>],
    ) {
        let Some(since) = &entry.since else { return };
        let key = CatalogKey {
            standard: target.standard.clone(),
            version: Version::new(since.as_str()),
        };
        let known = self.catalog(config, &key, since.unquoted_number, path, path);
        if known.is_some() && key.version >= target.version {
            self.diagnostics.push(config.error(
                Code::UnknownCatalog,
                format!(
                    "`since: {}` must be an edition older than the target {target}",
                    key.version
                ),
                path,
            ));
        }
    }
}

/// A target's deadline when it names none: the date the catalog applies from, or when the
/// publisher gives none, `default-due` after publication (without it a version would be
/// overdue on the day it is published).
fn default_deadline(catalog: &Catalog, grace: Option<Period>) -> Option<NaiveDate> {
    catalog
        .effective
        .or_else(|| grace.map(|g| g.after(catalog.published)))
}

/// Points a duplicate definition at the first one, in whichever of `files` that is, so the
/// reader sees both places in one diagnostic.
fn first_defined_at<T>(
    duplicate: Diagnostic,
    files: &[Parsed<T>],
    first: &Place,
    id: &impl std::fmt::Display,
) -> Diagnostic {
    let location = files
        .iter()
        .find(|f| f.file.path == first.path)
        .map_or_else(
            || Location::file(first.path.clone()),
            |f| {
                f.file
                    .location(first.line, first.column, id.to_string().chars().count())
            },
        );
    duplicate.also_at(location, "first defined here")
}
