//! Curated transition files (`mappings/<standard>/<from>--<to>.yaml`): correspondences
//! between two versions that a person or the publisher established. Raw types mirror the
//! file; validation against the known catalogs collects every problem before failing.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use super::correspondence::{self, Endpoints, IdSyntax, Reader};
use super::scalar::Text;
use super::yaml::{self, Step};
use crate::diag::{Code, Diagnostic, Diagnostics, Location, SourceFile};
use crate::model::CatalogSet;
use crate::model::{
    Catalog, Correspondence, MappingConfidence, Rationale, Relation, Score, StandardSlug,
    Transition, TransitionSet,
};

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
    /// Why the entry holds: `syntactic` (wording), `semantic` (meaning) or `functional`
    /// (results), as NIST IR 8477 and OSCAL 1.2 name the rationale.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub rationale: Option<Rationale>,
    /// OLIR strength of relationship, 1 (weak) to 10 (strong).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub strength: Option<u8>,
    /// How sure the author is: `high`, `medium` or `low`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub confidence: Option<MappingConfidence>,
    /// True when the entry is an editorial inference that the cited source does not state;
    /// reports show it as `inferred`.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub inferred: bool,
    /// For a pair the diff detected by text similarity (`rationale: syntactic`): its score,
    /// 0 to 1 (docs/diff.md). Reports show it with the entry's citation, and a review of a
    /// mapping carried through the entry names it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub score: Option<f64>,
}

impl Endpoints for TransitionFile {
    fn endpoints(&self) -> [&str; 2] {
        [&self.from, &self.to]
    }
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
        let bundled = super::bundled::mapping_files()
            .iter()
            .filter(|(path, _)| wanted(path));
        let mut skipped = Vec::new();
        correspondence::read_bundled::<TransitionFile, _>(
            bundled,
            catalogs,
            parse_transition,
            Code::BundledTransitionSkipped,
            &mut skipped,
            &mut diagnostics,
            |transition, diagnostics| set.add(transition, true, diagnostics),
        );
        set.warnings.extend(skipped);
        correspondence::read_dirs(
            dirs,
            catalogs,
            load_file,
            &mut diagnostics,
            |transition, diagnostics| set.add(transition, false, diagnostics),
        );
        diagnostics.into_result(set)
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

/// The file as YAML text, in the field order of [`TransitionFile`].
pub fn render(file: &TransitionFile) -> Result<String, Diagnostics> {
    yaml::to_string(file).map_err(|e| Diagnostic::error(Code::RenderFailed, e).into())
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
    let mut reader = Reader::new(file, &index, catalogs, IdSyntax::Plain);
    let from = reader.catalog(&raw.from, "from");
    let to = reader.catalog(&raw.to, "to");
    if let (Some(a), Some(b)) = (from, to) {
        same_standard(&mut reader, a, b);
    }
    let correspondences = correspondences(&mut reader, &raw.correspondences, from, to);
    let transition = Transition {
        from: from.map_or_else(correspondence::unknown_key, Catalog::key),
        to: to.map_or_else(correspondence::unknown_key, Catalog::key),
        source: raw.source,
        origin: file.path.clone(),
        correspondences,
    };
    reader.diagnostics.into_result(transition)
}

/// A detected pair's score, refused outside 0 to 1.
fn score(reader: &mut Reader<'_>, i: usize, value: f64) -> Option<Score> {
    let score = Score::new(value);
    if score.is_none() {
        let message = format!("`score` is {value}; a similarity score runs from 0 to 1");
        reader.error(
            Diagnostic::error(Code::BadScore, message),
            &["correspondences".into(), i.into(), Step::Key("score")],
        );
    }
    score
}

fn same_standard(reader: &mut Reader<'_>, from: &Catalog, to: &Catalog) {
    if from.standard != to.standard {
        let message = format!(
            "a transition joins versions of one standard, not {} and {}",
            from.key(),
            to.key()
        );
        reader.error(
            Diagnostic::error(Code::TransitionAcrossStandards, message),
            &[Step::Key("to")],
        );
    } else if from.version == to.version {
        let message = format!("`from` and `to` are both {}", from.key());
        reader.error(
            Diagnostic::error(Code::TransitionToItself, message),
            &[Step::Key("to")],
        );
    }
}

/// The entries, each ID checked; an ID declared withdrawn in one entry and given a
/// successor in another is a conflict.
fn correspondences(
    reader: &mut Reader<'_>,
    raw: &[CorrespondenceEntry],
    from: Option<&Catalog>,
    to: Option<&Catalog>,
) -> Vec<Correspondence> {
    let mut mapped_old: BTreeSet<String> = BTreeSet::new();
    let mut removed_old: BTreeMap<String, usize> = BTreeMap::new();
    let mut result = Vec::with_capacity(raw.len());
    for (i, entry) in raw.iter().enumerate() {
        if entry.from.is_empty() && entry.to.is_empty() {
            let message = "a correspondence needs at least one requirement in `from` or `to`";
            reader.error(
                Diagnostic::error(Code::EmptyCorrespondence, message),
                &["correspondences".into(), i.into()],
            );
            continue;
        }
        if entry.relation == Some(Relation::NoRelationship) {
            let message = "a transition entry cannot say `no-relationship`: list the old requirements with an empty `to` (withdrawn) or the new ones with an empty `from` (new)";
            reader.error(
                Diagnostic::error(Code::NoRelationshipInTransition, message),
                &["correspondences".into(), i.into(), Step::Key("relation")],
            );
        }
        let mut provenance = reader.provenance(
            i,
            entry.rationale,
            entry.strength,
            entry.confidence,
            entry.inferred,
        );
        provenance.score = entry.score.and_then(|s| score(reader, i, s));
        let old_ids = reader.ids(&entry.from, from, i, "from");
        let new_ids = reader.ids(&entry.to, to, i, "to");
        reader.repeated_pairs(i, &old_ids, &new_ids);
        for old in &old_ids {
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
            provenance,
        });
    }
    for (old, i) in removed_old {
        if mapped_old.contains(&old) {
            let message = format!("`{old}` is declared withdrawn without successor here but has a successor in another correspondence");
            reader.error(
                Diagnostic::error(Code::ConflictingCorrespondence, message),
                &["correspondences".into(), i.into()],
            );
        }
    }
    result
}
