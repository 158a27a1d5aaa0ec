//! Crosswalk files (`mappings/crosswalks/*.yaml`): correspondences between requirements of
//! two different standards, each entry with its NIST IR 8477 relation (the vocabulary of
//! transition files) and its own citation. IDs may be written as inclusive ranges
//! (`REQ-6.3-01 .. REQ-6.3-09`, or with `…` as printed in ETSI annexes); every expanded ID
//! is checked against its catalog. The printed annexes have known quirks (a dotted ID, a
//! range over REQ- and PRO- items): they are reported where they stand, never guessed.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use super::scalar::Text;
use super::yaml::{self, PositionIndex, Step};
use crate::diag::{Code, Diagnostic, Diagnostics, Location, SourceFile};
use crate::model::{
    Catalog, CatalogKey, CatalogSet, Crosswalk, CrosswalkEntry, CrosswalkSet, Origin, Relation,
    RequirementId,
};
use crate::suggest::nearest;

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
    /// `subset-of`, `superset-of` or `intersects-with`.
    pub relation: Relation,
    /// Where this entry comes from: clause, table row or article of the source.
    pub source: String,
    /// Anything a reader should know about the entry (e.g. a corrected misprint).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
}

impl CrosswalkSet {
    /// The bundled crosswalks plus every `.yaml` below each of `dirs`. A bundled crosswalk
    /// whose catalogs are not known is skipped (its standards are not in play).
    pub fn load(dirs: &[PathBuf], catalogs: &CatalogSet) -> Result<CrosswalkSet, Diagnostics> {
        let mut diagnostics = Diagnostics::new();
        let mut found: Vec<Crosswalk> = Vec::new();
        let mut warnings = Vec::new();
        for (path, text) in super::bundled::mapping_files() {
            if !path.starts_with(BUNDLED_FOLDER) {
                continue;
            }
            let file = SourceFile::new(format!("mappings/{path}"), *text);
            match parse_crosswalk(&file, catalogs) {
                Ok(crosswalk) => found.push(crosswalk),
                Err(problems) if involves_user_catalog(&file, catalogs) => {
                    warnings.push(Diagnostic::warning(
                        Code::BundledCrosswalkSkipped,
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
            match super::yaml_files_in(dir) {
                Ok(files) => {
                    for path in files {
                        match load_file(&path, catalogs) {
                            Ok(crosswalk) => found.push(crosswalk),
                            Err(problems) => diagnostics.extend(problems),
                        }
                    }
                }
                Err(problems) => diagnostics.extend(problems),
            }
        }
        reject_duplicates(&found, &mut diagnostics);
        let mut set = CrosswalkSet::new(found);
        set.warnings = warnings;
        diagnostics.into_result(set)
    }
}

/// True when the file names a catalog read from the user's folders (which replaced the
/// bundled catalog the crosswalk was written for).
fn involves_user_catalog(file: &SourceFile, catalogs: &CatalogSet) -> bool {
    let Ok((raw, _)) = yaml::parse::<CrosswalkFile>(file) else {
        return false;
    };
    [raw.from, raw.to].iter().any(|spec| {
        spec.parse::<CatalogKey>()
            .ok()
            .and_then(|k| catalogs.get(&k))
            .is_some_and(|c| matches!(c.origin, Origin::File(_)))
    })
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
    let mut validator = Validator {
        file,
        index: &index,
        diagnostics: Diagnostics::new(),
        pairs: BTreeMap::new(),
    };
    let from = validator.catalog(catalogs, &raw.from, "from");
    let to = validator.catalog(catalogs, &raw.to, "to");
    if let (Some(a), Some(b)) = (from, to) {
        if a.standard == b.standard {
            let message = format!(
                "a crosswalk joins different standards; {} and {} are versions of one (write a transition file)",
                a.key(),
                b.key()
            );
            validator.error(
                Diagnostic::error(Code::CrosswalkWithinStandard, message),
                &[Step::Key("to")],
            );
        }
    }
    let mut entries = Vec::with_capacity(raw.correspondences.len());
    for (i, raw_entry) in raw.correspondences.iter().enumerate() {
        if let Some(entry) = validator.entry(i, raw_entry, from, to) {
            validator.seen(i, &entry);
            entries.push(entry);
        }
    }
    let unknown = || CatalogKey::new("unknown", "0");
    let crosswalk = Crosswalk {
        from: from.map_or_else(unknown, Catalog::key),
        to: to.map_or_else(unknown, Catalog::key),
        source: raw.source,
        origin: file.path.clone(),
        entries,
    };
    validator.diagnostics.into_result(crosswalk)
}

struct Validator<'a> {
    file: &'a SourceFile,
    index: &'a PositionIndex,
    diagnostics: Diagnostics,
    /// (from ID, to ID) → the entry that first listed the pair.
    pairs: BTreeMap<(RequirementId, RequirementId), usize>,
}

impl<'a> Validator<'a> {
    fn error(&mut self, diagnostic: Diagnostic, path: &[Step<'_>]) {
        let location = yaml::locate(self.file, self.index.nearest(path));
        self.diagnostics.push(diagnostic.at(location));
    }

    fn catalog(
        &mut self,
        catalogs: &'a CatalogSet,
        spec: &str,
        key: &'static str,
    ) -> Option<&'a Catalog> {
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
        match catalogs.resolve(spec) {
            Ok(catalog) => Some(catalog),
            Err(diagnostic) => {
                self.error(diagnostic, &[Step::Key(key)]);
                None
            }
        }
    }

    /// Reports a pair of IDs that an earlier entry already joined.
    fn seen(&mut self, i: usize, entry: &CrosswalkEntry) {
        for from in &entry.from {
            for to in &entry.to {
                let Some(first) = self.pairs.insert((from.clone(), to.clone()), i) else {
                    continue;
                };
                let message = format!(
                    "`{from}` → `{to}` is already listed in correspondence {}",
                    first + 1
                );
                self.error(
                    Diagnostic::error(Code::DuplicateCorrespondence, message),
                    &["correspondences".into(), i.into()],
                );
            }
        }
    }

    fn entry(
        &mut self,
        i: usize,
        entry: &CrosswalkEntryFile,
        from: Option<&Catalog>,
        to: Option<&Catalog>,
    ) -> Option<CrosswalkEntry> {
        let here = ["correspondences".into(), i.into()];
        if entry.source.trim().is_empty() {
            let message =
                "every crosswalk entry needs a `source` citing its clause, table row or article";
            self.error(Diagnostic::error(Code::MissingCitation, message), &here);
        }
        if entry.from.is_empty() || entry.to.is_empty() {
            let message = "a crosswalk entry needs requirements on both sides";
            self.error(Diagnostic::error(Code::EmptyCorrespondence, message), &here);
            return None;
        }
        let from_ids = self.ids(&entry.from, from, i, "from");
        let to_ids = self.ids(&entry.to, to, i, "to");
        Some(CrosswalkEntry {
            from: from_ids,
            to: to_ids,
            relation: entry.relation,
            source: entry.source.clone(),
        })
    }

    /// The IDs of one side, ranges expanded, each checked against its catalog.
    fn ids(
        &mut self,
        raw: &[Text],
        catalog: Option<&Catalog>,
        entry: usize,
        key: &'static str,
    ) -> Vec<RequirementId> {
        let mut ids: Vec<RequirementId> = Vec::new();
        for (j, item) in raw.iter().enumerate() {
            let path = [
                "correspondences".into(),
                entry.into(),
                Step::Key(key),
                j.into(),
            ];
            let expanded = match expand(item.as_str()) {
                Ok(expanded) => expanded,
                Err(message) => {
                    let code = if message.contains("printed with a dot") {
                        Code::DottedId
                    } else {
                        Code::BadRange
                    };
                    self.error(Diagnostic::error(code, message), &path);
                    continue;
                }
            };
            for id in expanded {
                if ids.iter().any(|known| known.as_str() == id) {
                    let message = format!("`{id}` is listed twice in `{key}`");
                    self.error(Diagnostic::error(Code::DuplicateId, message), &path);
                    continue;
                }
                if let Some(catalog) = catalog {
                    if let Err(d) = check_id(catalog, &id, item.as_str()) {
                        self.error(d, &path);
                        continue;
                    }
                }
                ids.push(RequirementId::new(id));
            }
        }
        ids
    }
}

/// The IDs an item stands for: itself, or every ID of an inclusive range `A .. B` / `A … B`
/// whose ends share everything up to a final number (`REQ-7.9.2-01 .. REQ-7.9.2-19`).
pub fn expand(item: &str) -> Result<Vec<String>, String> {
    let Some((start, end)) = item.split_once('…').or_else(|| item.split_once("..")) else {
        return Ok(vec![item.trim().to_owned()]);
    };
    let (start, end) = (start.trim(), end.trim());
    let (Some((stem, first, width)), Some((end_stem, last, _))) =
        (split_number(start), split_number(end))
    else {
        return Err(format!(
            "`{item}`: both ends of a range must end in a number"
        ));
    };
    if stem != end_stem {
        if undotted(start)
            .is_some_and(|fixed| split_number(&fixed).is_some_and(|(s, ..)| s == end_stem))
        {
            return Err(format!(
                "`{item}`: the first end is printed with a dot before its number; write `{}`",
                undotted(start).unwrap_or_default()
            ));
        }
        return Err(format!(
            "`{item}`: both ends of a range need the same prefix and clause (`{stem}` and `{end_stem}`)"
        ));
    }
    if last < first {
        return Err(format!("`{item}`: the range runs backwards"));
    }
    if last - first > 999 {
        return Err(format!("`{item}`: a range may name at most 1000 IDs"));
    }
    Ok((first..=last)
        .map(|n| format!("{stem}{n:0width$}"))
        .collect())
}

/// `REQ-7.9.2-08` → (`REQ-7.9.2-`, 8, 2 digits).
fn split_number(id: &str) -> Option<(&str, u32, usize)> {
    let digits = id.len() - id.trim_end_matches(|c: char| c.is_ascii_digit()).len();
    let (stem, number) = id.split_at(id.len() - digits);
    number.parse::<u32>().ok().map(|n| (stem, n, digits))
}

/// Checks one expanded ID; the known misprints get their own diagnostic and a help line.
fn check_id(catalog: &Catalog, id: &str, item: &str) -> Result<(), Diagnostic> {
    if catalog.requirement(id).is_some() {
        return Ok(());
    }
    if let Some(hyphenated) = undotted(id).filter(|h| catalog.requirement(h).is_some()) {
        return Err(Diagnostic::error(
            Code::DottedId,
            format!(
                "{} has no requirement `{id}`; it has `{hyphenated}`",
                catalog.key()
            ),
        )
        .note(format!(
            "help: the source prints a dot before the item number; write `{hyphenated}`"
        )));
    }
    let in_range = item.trim() != id;
    if let Some(other) = other_prefix(catalog, id).filter(|_| in_range) {
        return Err(Diagnostic::error(
            Code::RangeSpansKinds,
            format!(
                "the range `{item}` expands to `{id}`, which {} has only as `{other}`",
                catalog.key()
            ),
        )
        .note("help: split the range and list that item with its own prefix"));
    }
    let known: Vec<String> = catalog
        .requirements
        .iter()
        .map(|r| r.id.to_string())
        .collect();
    let mut d = Diagnostic::error(
        Code::UnknownRequirement,
        if in_range {
            format!(
                "the range `{item}` expands to `{id}`, which {} does not have",
                catalog.key()
            )
        } else {
            format!("{} has no requirement `{id}`", catalog.key())
        },
    );
    if let Some(best) = nearest(id, &known) {
        d = d.note(format!("help: did you mean `{best}`?"));
    }
    Err(d)
}

/// `REQ-4.2.01` → `REQ-4.2-01`: the last dot before the item number made a hyphen.
fn undotted(id: &str) -> Option<String> {
    let (head, number) = id.rsplit_once('.')?;
    if number.is_empty() || !number.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    Some(format!("{head}-{number}"))
}

/// The catalog's ID with the same clause and number under another prefix (`PRO-7.6-10`
/// for `REQ-7.6-10`).
fn other_prefix(catalog: &Catalog, id: &str) -> Option<String> {
    let (_, rest) = id.split_once('-')?;
    catalog
        .requirements
        .iter()
        .map(|r| r.id.as_str())
        .find(|other| *other != id && other.split_once('-').is_some_and(|(_, r)| r == rest))
        .map(str::to_owned)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ranges_expand_inclusively_keeping_the_zero_padding() {
        assert_eq!(
            expand("REQ-7.9.2-08 .. REQ-7.9.2-10").unwrap(),
            ["REQ-7.9.2-08", "REQ-7.9.2-09", "REQ-7.9.2-10"]
        );
        assert_eq!(
            expand("REQ-5-01 … REQ-5-02").unwrap(),
            ["REQ-5-01", "REQ-5-02"]
        );
        assert_eq!(expand("ANNEX-1.1").unwrap(), ["ANNEX-1.1"]);
    }

    #[test]
    fn malformed_ranges_are_refused() {
        assert!(expand("REQ-7.2-05 .. REQ-7.3-01").is_err());
        assert!(expand("REQ-7.2-05 .. REQ-7.2-01").is_err());
        assert!(expand("REQ-7.2-05 .. end").is_err());
    }

    #[test]
    fn a_dotted_id_is_undotted_only_before_a_number() {
        assert_eq!(undotted("REQ-4.2.01").as_deref(), Some("REQ-4.2-01"));
        assert_eq!(undotted("ART-21.2-a"), None);
    }
}
