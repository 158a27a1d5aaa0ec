//! Crosswalk files (`mappings/crosswalks/*.yaml`): correspondences between requirements of
//! two different standards, each entry with its NIST IR 8477 relation (the vocabulary of
//! transition files) and its own citation. IDs may be written as inclusive ranges
//! (`REQ-6.3-01 .. REQ-6.3-09`, or with `…` as printed in ETSI annexes); every expanded ID
//! is checked against its catalog. The printed annexes have known quirks (a dotted ID, a
//! range over REQ- and PRO- items): they are reported where they stand, never guessed.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use super::correspondence::{self, Endpoints, IdSyntax, Reader};
use super::scalar::Text;
use super::yaml::{self, Step};
use crate::diag::{Code, Diagnostic, Diagnostics, Location, SourceFile};
use crate::model::{
    Catalog, CatalogKey, CatalogSet, Crosswalk, CrosswalkEntry, CrosswalkSet, MappingConfidence,
    Rationale, Relation,
};

pub use super::correspondence::expand;

/// Bundled crosswalks live below this folder of `mappings/`.
pub const BUNDLED_FOLDER: &str = "crosswalks/";

/// A crosswalk file as written.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct CrosswalkFile {
    /// One catalog, `<standard>@<version>`, e.g. `eu-cir-2024-2690@2024-2690`.
    pub from: String,
    /// A catalog of another standard, e.g. `etsi-en-319-401@3.2.1`.
    pub to: String,
    /// The document the correspondences come from, as a whole.
    pub source: String,
    /// True when the source's listing is complete: for every requirement, the parts its
    /// entries list make it up whole (NIST IR 8477 and OLIR "comprehensive", OSCAL
    /// coverage). Only then do met parts add up to "covered"; otherwise a requirement whose
    /// listed parts are all met is "partial: every listed part met".
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub complete: bool,
    /// The correspondences, one per row of the source.
    pub correspondences: Vec<CrosswalkEntryFile>,
}

/// One correspondence between a group of `from` requirements and a group of `to` ones.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct CrosswalkEntryFile {
    /// Requirement IDs of `from`; an item `A .. B` (or `A … B`) is the inclusive range of
    /// one clause.
    pub from: Vec<Text>,
    /// Requirement IDs of `to`, ranges allowed as in `from`.
    pub to: Vec<Text>,
    /// NIST IR 8477 relation of the `from` content to the `to` content: `equal`,
    /// `subset-of`, `superset-of`, `intersects-with`, or `no-relationship` (reviewed, no
    /// overlap: shown, never coverage).
    pub relation: Relation,
    /// Where this entry comes from: clause, table row or article of the source.
    pub source: String,
    /// Anything a reader should know about the entry (e.g. a corrected misprint).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
    /// Overrides the file's `complete` for this entry: whether the parts it lists, with the
    /// other entries of the same requirement, make that requirement up whole.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub complete: Option<bool>,
    /// Why the entry holds: `syntactic`, `semantic` or `functional` (NIST IR 8477).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub rationale: Option<Rationale>,
    /// OLIR strength of relationship, 1 (weak) to 10 (strong).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub strength: Option<u8>,
    /// How sure the author is: `high`, `medium` or `low`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub confidence: Option<MappingConfidence>,
    /// True when the entry is an editorial inference the cited source does not state.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub inferred: bool,
}

impl Endpoints for CrosswalkFile {
    fn endpoints(&self) -> [&str; 2] {
        [&self.from, &self.to]
    }
}

impl CrosswalkSet {
    /// The bundled crosswalks plus every `.yaml` below each of `dirs`. A bundled crosswalk
    /// whose catalogs are not known is skipped (its standards are not in play).
    pub fn load(dirs: &[PathBuf], catalogs: &CatalogSet) -> Result<CrosswalkSet, Diagnostics> {
        let mut diagnostics = Diagnostics::new();
        let mut found: Vec<Crosswalk> = Vec::new();
        let mut warnings = Vec::new();
        let bundled = super::bundled::mapping_files()
            .iter()
            .filter(|(path, _)| path.starts_with(BUNDLED_FOLDER));
        correspondence::read_bundled::<CrosswalkFile, _>(
            bundled,
            catalogs,
            parse_crosswalk,
            Code::BundledCrosswalkSkipped,
            &mut warnings,
            &mut diagnostics,
            |crosswalk, _| found.push(crosswalk),
        );
        correspondence::read_dirs(dirs, catalogs, load_file, &mut diagnostics, |c, _| {
            found.push(c);
        });
        reject_duplicates(&found, &mut diagnostics);
        let mut set = CrosswalkSet::new(found);
        set.warnings = warnings;
        diagnostics.into_result(set)
    }
}

fn reject_duplicates(found: &[Crosswalk], diagnostics: &mut Diagnostics) {
    let mut seen: BTreeMap<BTreeSet<&CatalogKey>, &str> = BTreeMap::new();
    for crosswalk in found {
        let pair: BTreeSet<&CatalogKey> = [&crosswalk.from, &crosswalk.to].into();
        if let Some(first) = seen.insert(pair, &crosswalk.origin) {
            let message = format!(
                "the crosswalk {} → {} is defined twice (also in {first})",
                crosswalk.from, crosswalk.to
            );
            diagnostics.push(
                Diagnostic::error(Code::DuplicateCrosswalk, message)
                    .at(Location::file(crosswalk.origin.clone())),
            );
        }
    }
}

/// A crosswalk file as YAML text, as reqgap writes it (imports).
pub fn render(file: &CrosswalkFile) -> Result<String, Diagnostics> {
    yaml::to_string(file).map_err(|e| Diagnostic::error(Code::RenderFailed, e).into())
}

/// Reads and validates one crosswalk file.
pub fn load_file(path: &Path, catalogs: &CatalogSet) -> Result<Crosswalk, Diagnostics> {
    let file = super::read_text(path)?;
    parse_crosswalk(&file, catalogs)
}

/// Parses and validates crosswalk text that has already been read.
pub fn parse_crosswalk(file: &SourceFile, catalogs: &CatalogSet) -> Result<Crosswalk, Diagnostics> {
    read_crosswalk(file, yaml::Document::parse(file)?, catalogs)
}

/// Validates a crosswalk file that has already been parsed (see [`super::detect`]).
pub fn read_crosswalk(
    file: &SourceFile,
    document: yaml::Document,
    catalogs: &CatalogSet,
) -> Result<Crosswalk, Diagnostics> {
    let (raw, index) = document.read::<CrosswalkFile>(file)?;
    let mut reader = Reader::new(file, &index, catalogs, IdSyntax::Ranges);
    let from = reader.catalog(&raw.from, "from");
    let to = reader.catalog(&raw.to, "to");
    if let (Some(a), Some(b)) = (from, to) {
        if a.standard == b.standard {
            let message = format!(
                "a crosswalk joins different standards; {} and {} are versions of one (write a transition file)",
                a.key(),
                b.key()
            );
            reader.error(
                Diagnostic::error(Code::CrosswalkWithinStandard, message),
                &[Step::Key("to")],
            );
        }
    }
    let mut entries = Vec::with_capacity(raw.correspondences.len());
    for (i, raw_entry) in raw.correspondences.iter().enumerate() {
        if let Some(entry) = entry(&mut reader, i, raw_entry, from, to, raw.complete) {
            reader.repeated_pairs(i, &entry.from, &entry.to);
            entries.push(entry);
        }
    }
    let crosswalk = Crosswalk {
        from: from.map_or_else(correspondence::unknown_key, Catalog::key),
        to: to.map_or_else(correspondence::unknown_key, Catalog::key),
        source: raw.source,
        origin: file.path.clone(),
        complete: raw.complete,
        entries,
    };
    reader.diagnostics.into_result(crosswalk)
}

/// One entry: a citation, requirements on both sides, each ID checked.
fn entry(
    reader: &mut Reader<'_>,
    i: usize,
    entry: &CrosswalkEntryFile,
    from: Option<&Catalog>,
    to: Option<&Catalog>,
    complete: bool,
) -> Option<CrosswalkEntry> {
    let here = ["correspondences".into(), i.into()];
    if entry.source.trim().is_empty() {
        let message =
            "every crosswalk entry needs a `source` citing its clause, table row or article";
        reader.error(Diagnostic::error(Code::MissingCitation, message), &here);
    }
    if entry.from.is_empty() || entry.to.is_empty() {
        let message = "a crosswalk entry needs requirements on both sides";
        reader.error(Diagnostic::error(Code::EmptyCorrespondence, message), &here);
        return None;
    }
    let provenance = reader.provenance(
        i,
        entry.rationale,
        entry.strength,
        entry.confidence,
        entry.inferred,
    );
    let from_ids = reader.ids(&entry.from, from, i, "from");
    let to_ids = reader.ids(&entry.to, to, i, "to");
    Some(CrosswalkEntry {
        from: from_ids,
        to: to_ids,
        relation: entry.relation,
        source: entry.source.clone(),
        note: entry.note.clone(),
        complete: entry.complete.unwrap_or(complete),
        provenance,
    })
}
