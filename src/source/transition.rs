//! Curated transition files (`mappings/<standard>/<from>--<to>.yaml`): correspondences
//! between two versions that a person or the publisher established. Raw types mirror the
//! file; validation against the known catalogs collects every problem before failing.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use super::scalar::Text;
use super::yaml::{self, PositionIndex, Step};
use crate::diag::{Code, Diagnostic, Diagnostics, Location, SourceFile};
use crate::model::CatalogSet;
use crate::model::{
    Catalog, CatalogKey, Correspondence, Origin, Relation, RequirementId, StandardSlug, Transition,
    TransitionSet,
};
use crate::suggest::nearest;

/// A transition file as written.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct TransitionFile {
    /// The older version, `<standard>@<version>`, e.g. `etsi-en-319-401@2.2.1`.
    pub from: String,
    /// The newer version, `<standard>@<version>`, of the same standard.
    pub to: String,
    /// Where the correspondences come from (document, clause, person and date): every entry
    /// must be traceable to it or to its own `note`.
    pub source: String,
    /// The correspondences, one per group of requirements that belong together.
    pub correspondences: Vec<CorrespondenceEntry>,
}

/// One correspondence between requirements of the two versions.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct CorrespondenceEntry {
    /// Requirement IDs in the `from` version; empty for requirements new in `to`.
    pub from: Vec<Text>,
    /// Requirement IDs in the `to` version; empty when the `from` requirements were
    /// withdrawn without successor.
    pub to: Vec<Text>,
    /// NIST IR 8477 relation of the `from` content to the `to` content: `equal`,
    /// `subset-of`, `superset-of` or `intersects-with`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub relation: Option<Relation>,
    /// Where this entry comes from, when the file's `source` is not enough.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
}

impl TransitionSet {
    /// The bundled transition files plus every `.yaml` below each of `dirs`, validated
    /// against `catalogs`. A user file replaces a bundled one for the same pair of versions.
    pub fn load(dirs: &[PathBuf], catalogs: &CatalogSet) -> Result<TransitionSet, Diagnostics> {
        let standards: Vec<StandardSlug> = catalogs
            .keys()
            .map(|k| k.standard.clone())
            .collect::<BTreeSet<_>>()
            .into_iter()
            .collect();
        TransitionSet::load_for(dirs, catalogs, &standards)
    }

    /// Like [`TransitionSet::load`], but reads only the bundled files of `standards`
    /// (bundled files live under `mappings/<standard>/`); user folders are read in full.
    pub fn load_for(
        dirs: &[PathBuf],
        catalogs: &CatalogSet,
        standards: &[StandardSlug],
    ) -> Result<TransitionSet, Diagnostics> {
        let mut set = TransitionSet::default();
        let mut diagnostics = Diagnostics::new();
        let wanted = |path: &str| {
            path.split_once('/')
                .is_some_and(|(standard, _)| standards.iter().any(|s| s.as_str() == standard))
        };
        for (path, text) in super::bundled::mapping_files()
            .iter()
            .filter(|(path, _)| wanted(path))
        {
            let file = SourceFile::new(format!("mappings/{path}"), *text);
            match parse_transition(&file, catalogs) {
                Ok(transition) => set.add(transition, true, &mut diagnostics),
                Err(problems) if involves_user_catalog(&file, catalogs) => {
                    set.warnings.push(Diagnostic::warning(
                        Code::BundledTransitionSkipped,
                        format!(
                            "{} does not fit the catalogs you supplied ({} problems); it is not used",
                            file.path,
                            problems.error_count()
                        ),
                    ));
                }
                Err(problems) => diagnostics.extend(problems),
            }
        }
        for dir in dirs {
            set.add_dir(dir, catalogs, &mut diagnostics);
        }
        diagnostics.into_result(set)
    }

    fn add_dir(&mut self, dir: &Path, catalogs: &CatalogSet, diagnostics: &mut Diagnostics) {
        let files = match super::yaml_files_in(dir) {
            Ok(files) => files,
            Err(problems) => return diagnostics.extend(problems),
        };
        for path in files {
            match load_file(&path, catalogs) {
                Ok(transition) => self.add(transition, false, diagnostics),
                Err(problems) => diagnostics.extend(problems),
            }
        }
    }

    fn add(&mut self, transition: Transition, bundled: bool, diagnostics: &mut Diagnostics) {
        let key = (transition.from.clone(), transition.to.clone());
        let reversed = (transition.to.clone(), transition.from.clone());
        let existing = [&key, &reversed].into_iter().find_map(|k| {
            self.transitions
                .get(k)
                .map(|t| (k.clone(), t.origin.clone()))
        });
        match existing {
            Some((found, first)) if bundled || !self.bundled.contains(&found) => {
                let message = format!(
                    "the transition {} → {} is defined twice (also in {first})",
                    key.0, key.1
                );
                diagnostics.push(
                    Diagnostic::error(Code::DuplicateTransition, message)
                        .at(Location::file(transition.origin.clone())),
                );
            }
            Some((found, first)) => {
                self.warnings.push(Diagnostic::warning(
                    Code::TransitionReplaced,
                    format!(
                        "{} replaces the bundled transition {first}",
                        transition.origin
                    ),
                ));
                self.transitions.remove(&found);
                self.bundled.remove(&found);
                self.transitions.insert(key, transition);
            }
            None => {
                if bundled {
                    self.bundled.insert(key.clone());
                }
                self.transitions.insert(key, transition);
            }
        }
    }
}

fn involves_user_catalog(file: &SourceFile, catalogs: &CatalogSet) -> bool {
    let Ok((raw, _)) = yaml::parse::<TransitionFile>(file) else {
        return false;
    };
    [raw.from, raw.to].iter().any(|spec| {
        spec.parse::<CatalogKey>()
            .ok()
            .and_then(|k| catalogs.get(&k))
            .is_some_and(|c| matches!(c.origin, Origin::File(_)))
    })
}

/// Reads and validates one transition file.
pub fn load_file(path: &Path, catalogs: &CatalogSet) -> Result<Transition, Diagnostics> {
    let file = super::read_text(path)?;
    parse_transition(&file, catalogs)
}

/// Parses and validates transition text that has already been read.
pub fn parse_transition(
    file: &SourceFile,
    catalogs: &CatalogSet,
) -> Result<Transition, Diagnostics> {
    read_transition(file, yaml::Document::parse(file)?, catalogs)
}

/// Validates a transition file that has already been parsed (see [`super::detect`]).
pub fn read_transition(
    file: &SourceFile,
    document: yaml::Document,
    catalogs: &CatalogSet,
) -> Result<Transition, Diagnostics> {
    let (raw, index) = document.read::<TransitionFile>(file)?;
    let mut validator = Validator {
        file,
        index: &index,
        catalogs,
        diagnostics: Diagnostics::new(),
    };
    let from = validator.catalog(&raw.from, "from");
    let to = validator.catalog(&raw.to, "to");
    if let (Some(a), Some(b)) = (from, to) {
        validator.same_standard(a, b);
    }
    let correspondences = validator.correspondences(&raw.correspondences, from, to);
    let transition = Transition {
        from: from.map_or_else(|| CatalogKey::new("unknown", "0"), Catalog::key),
        to: to.map_or_else(|| CatalogKey::new("unknown", "0"), Catalog::key),
        source: raw.source,
        origin: file.path.clone(),
        correspondences,
    };
    validator.diagnostics.into_result(transition)
}

struct Validator<'a> {
    file: &'a SourceFile,
    index: &'a PositionIndex,
    catalogs: &'a CatalogSet,
    diagnostics: Diagnostics,
}

impl<'a> Validator<'a> {
    fn error(&mut self, diagnostic: Diagnostic, path: &[Step<'_>]) {
        let location = yaml::locate(self.file, self.index.nearest(path));
        self.diagnostics.push(diagnostic.at(location));
    }

    fn catalog(&mut self, spec: &str, key: &'static str) -> Option<&'a Catalog> {
        if !spec.contains('@') {
            let message = format!(
                "`{spec}` is not of the form <standard>@<version>, e.g. etsi-en-319-401@3.2.1"
            );
            self.error(
                Diagnostic::error(Code::BadCatalogName, message),
                &[Step::Key(key)],
            );
            return None;
        }
        match self.catalogs.resolve(spec) {
            Ok(catalog) => Some(catalog),
            Err(diagnostic) => {
                self.error(diagnostic, &[Step::Key(key)]);
                None
            }
        }
    }

    fn same_standard(&mut self, from: &Catalog, to: &Catalog) {
        if from.standard != to.standard {
            let message = format!(
                "a transition joins versions of one standard, not {} and {}",
                from.key(),
                to.key()
            );
            self.error(
                Diagnostic::error(Code::TransitionAcrossStandards, message),
                &[Step::Key("to")],
            );
        } else if from.version == to.version {
            let message = format!("`from` and `to` are both {}", from.key());
            self.error(
                Diagnostic::error(Code::TransitionToItself, message),
                &[Step::Key("to")],
            );
        }
    }

    fn correspondences(
        &mut self,
        raw: &[CorrespondenceEntry],
        from: Option<&Catalog>,
        to: Option<&Catalog>,
    ) -> Vec<Correspondence> {
        let mut seen_pairs: BTreeMap<(String, String), usize> = BTreeMap::new();
        let mut mapped_old: BTreeSet<String> = BTreeSet::new();
        let mut removed_old: BTreeMap<String, usize> = BTreeMap::new();
        let mut result = Vec::with_capacity(raw.len());
        for (i, entry) in raw.iter().enumerate() {
            if entry.from.is_empty() && entry.to.is_empty() {
                let message = "a correspondence needs at least one requirement in `from` or `to`";
                self.error(
                    Diagnostic::error(Code::EmptyCorrespondence, message),
                    &["correspondences".into(), i.into()],
                );
                continue;
            }
            let old_ids = self.ids(&entry.from, from, i, "from");
            let new_ids = self.ids(&entry.to, to, i, "to");
            for old in &old_ids {
                for new in &new_ids {
                    let key = (old.to_string(), new.to_string());
                    if let Some(first) = seen_pairs.insert(key, i) {
                        let message = format!(
                            "`{old}` → `{new}` is already listed in correspondence {}",
                            first + 1
                        );
                        self.error(
                            Diagnostic::error(Code::DuplicateCorrespondence, message),
                            &["correspondences".into(), i.into()],
                        );
                    }
                }
                if new_ids.is_empty() && entry.to.is_empty() {
                    removed_old.insert(old.to_string(), i);
                } else {
                    mapped_old.insert(old.to_string());
                }
            }
            result.push(Correspondence {
                from: old_ids,
                to: new_ids,
                relation: entry.relation,
                note: entry.note.clone(),
            });
        }
        for (old, i) in removed_old {
            if mapped_old.contains(&old) {
                let message = format!("`{old}` is declared withdrawn without successor here but has a successor in another correspondence");
                self.error(
                    Diagnostic::error(Code::ConflictingCorrespondence, message),
                    &["correspondences".into(), i.into()],
                );
            }
        }
        result
    }

    /// The IDs of one list, each checked against its catalog.
    fn ids(
        &mut self,
        raw: &[Text],
        catalog: Option<&Catalog>,
        entry: usize,
        key: &'static str,
    ) -> Vec<RequirementId> {
        let mut ids = Vec::new();
        for (j, id) in raw.iter().enumerate() {
            let path = [
                "correspondences".into(),
                entry.into(),
                Step::Key(key),
                j.into(),
            ];
            if ids
                .iter()
                .any(|known: &RequirementId| known.as_str() == id.as_str())
            {
                let message = format!("`{id}` is listed twice in `{key}`");
                self.error(Diagnostic::error(Code::DuplicateId, message), &path);
                continue;
            }
            if let Some(catalog) = catalog {
                if catalog.requirement(id.as_str()).is_none() {
                    let known: Vec<String> = catalog
                        .requirements
                        .iter()
                        .map(|r| r.id.to_string())
                        .collect();
                    let mut d = Diagnostic::error(
                        Code::UnknownRequirement,
                        format!("{} has no requirement `{id}`", catalog.key()),
                    );
                    if let Some(best) = nearest(id.as_str(), &known) {
                        d = d.note(format!("help: did you mean `{best}`?"));
                    }
                    self.error(d, &path);
                    continue;
                }
            }
            ids.push(RequirementId::new(id.as_str()));
        }
        ids
    }
}
