//! What transition files (versions of one standard) and crosswalk files (two standards)
//! share: a file naming two catalogs and listing correspondences between their requirement
//! IDs. One reader checks both catalogs, every ID against its catalog and every pair for
//! repeats, locating each problem at its line; one loader reads the bundled files and the
//! user's folders. Each file kind keeps only its own rules (transitions: one standard,
//! withdrawn IDs; crosswalks: two standards, ranges, a citation per entry).

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use serde::de::DeserializeOwned;

use super::scalar::Text;
use super::yaml::{self, PositionIndex, Step};
use crate::diag::{Code, Diagnostic, Diagnostics, SourceFile};
use crate::model::{
    Catalog, CatalogKey, CatalogSet, MappingConfidence, MappingProvenance, Origin, Rationale,
    RequirementId,
};
use crate::suggest::nearest;

/// A raw correspondence file: the two catalogs it joins, as written.
pub(crate) trait Endpoints {
    /// `from` and `to`, `<standard>@<version>`.
    fn endpoints(&self) -> [&str; 2];
}

/// How the IDs of an entry are written.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum IdSyntax {
    /// One ID per item, exactly as the catalog has it (transition files).
    Plain,
    /// An item may be an inclusive range `A .. B` (or `A … B`), and the printed annexes'
    /// quirks (a dotted ID, a range over REQ- and PRO- items) get their own diagnostics
    /// (crosswalk files).
    Ranges,
}

/// Validates one correspondence file, collecting every problem located at its line.
pub(crate) struct Reader<'a> {
    file: &'a SourceFile,
    index: &'a PositionIndex,
    catalogs: &'a CatalogSet,
    syntax: IdSyntax,
    /// (from ID, to ID) → the entry that first listed the pair.
    pairs: BTreeMap<(RequirementId, RequirementId), usize>,
    pub(crate) diagnostics: Diagnostics,
}

impl<'a> Reader<'a> {
    pub(crate) fn new(
        file: &'a SourceFile,
        index: &'a PositionIndex,
        catalogs: &'a CatalogSet,
        syntax: IdSyntax,
    ) -> Self {
        Reader {
            file,
            index,
            catalogs,
            syntax,
            pairs: BTreeMap::new(),
            diagnostics: Diagnostics::new(),
        }
    }

    /// Records `diagnostic` at the node `path` leads to (or the nearest one above it).
    pub(crate) fn error(&mut self, diagnostic: Diagnostic, path: &[Step<'_>]) {
        let location = yaml::locate(self.file, self.index.nearest(path));
        self.diagnostics.push(diagnostic.at(location));
    }

    /// The catalog `spec` names under `key` (`from` or `to`).
    pub(crate) fn catalog(&mut self, spec: &str, key: &'static str) -> Option<&'a Catalog> {
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

    /// The provenance of entry `i`, its `strength` checked against OLIR's scale.
    pub(crate) fn provenance(
        &mut self,
        i: usize,
        rationale: Option<Rationale>,
        strength: Option<u8>,
        confidence: Option<MappingConfidence>,
        inferred: bool,
    ) -> MappingProvenance {
        if let Some(s) = strength.filter(|s| !(1..=10).contains(s)) {
            let message =
                format!("`strength` is {s}; OLIR's strength of relationship runs from 1 to 10");
            self.error(
                Diagnostic::error(Code::BadStrength, message),
                &["correspondences".into(), i.into(), Step::Key("strength")],
            );
        }
        MappingProvenance {
            rationale,
            strength,
            confidence,
            inferred,
            score: None,
        }
    }

    /// Reports each (from, to) pair of entry `i` that an earlier entry already joined.
    pub(crate) fn repeated_pairs(
        &mut self,
        i: usize,
        from: &[RequirementId],
        to: &[RequirementId],
    ) {
        for old in from {
            for new in to {
                let Some(first) = self.pairs.insert((old.clone(), new.clone()), i) else {
                    continue;
                };
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
    }

    /// The IDs of one side (`key`) of entry `entry`, ranges expanded where the syntax
    /// allows them, each checked against its catalog (when that is known).
    pub(crate) fn ids(
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
            let expanded = match self.syntax {
                IdSyntax::Plain => vec![item.as_str().to_owned()],
                IdSyntax::Ranges => match expand(item.as_str()) {
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
                },
            };
            for id in expanded {
                if ids.iter().any(|known| known.as_str() == id) {
                    let message = format!("`{id}` is listed twice in `{key}`");
                    self.error(Diagnostic::error(Code::DuplicateId, message), &path);
                    continue;
                }
                if let Some(catalog) = catalog {
                    if let Err(d) = check_id(catalog, &id, item.as_str(), self.syntax) {
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

/// The key of a catalog the reader could not resolve (its problem is already reported).
pub(crate) fn unknown_key() -> CatalogKey {
    CatalogKey::new("unknown", "0")
}

/// Reads the bundled files `files` (`(path below mappings/, text)`): a valid one goes to
/// `accept`; one that fails only because it names a catalog the user replaced is skipped
/// with a `skipped` warning (its standards are still known, just not the text it was
/// written for); any other problem is an error of the bundle.
pub(crate) fn read_bundled<'f, Raw, T>(
    files: impl IntoIterator<Item = &'f (&'f str, &'f str)>,
    catalogs: &CatalogSet,
    parse: fn(&SourceFile, &CatalogSet) -> Result<T, Diagnostics>,
    skipped: Code,
    warnings: &mut Vec<Diagnostic>,
    diagnostics: &mut Diagnostics,
    mut accept: impl FnMut(T, &mut Diagnostics),
) where
    Raw: DeserializeOwned + Endpoints,
{
    for (path, text) in files {
        let file = SourceFile::new(format!("mappings/{path}"), *text);
        match parse(&file, catalogs) {
            Ok(value) => accept(value, diagnostics),
            Err(problems) if involves_user_catalog::<Raw>(&file, catalogs) => {
                warnings.push(Diagnostic::warning(
                    skipped,
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
}

/// Reads every `.yaml` below each of `dirs` with `load`, handing each valid file to
/// `accept` in order.
pub(crate) fn read_dirs<T>(
    dirs: &[PathBuf],
    catalogs: &CatalogSet,
    load: fn(&Path, &CatalogSet) -> Result<T, Diagnostics>,
    diagnostics: &mut Diagnostics,
    mut accept: impl FnMut(T, &mut Diagnostics),
) {
    for dir in dirs {
        let files = match super::yaml_files_in(dir) {
            Ok(files) => files,
            Err(problems) => {
                diagnostics.extend(problems);
                continue;
            }
        };
        for path in files {
            match load(&path, catalogs) {
                Ok(value) => accept(value, diagnostics),
                Err(problems) => diagnostics.extend(problems),
            }
        }
    }
}

/// True when the file names a catalog read from the user's folders (which replaced the
/// bundled catalog the file was written for).
fn involves_user_catalog<Raw: DeserializeOwned + Endpoints>(
    file: &SourceFile,
    catalogs: &CatalogSet,
) -> bool {
    let Ok((raw, _)) = yaml::parse::<Raw>(file) else {
        return false;
    };
    raw.endpoints().iter().any(|spec| {
        spec.parse::<CatalogKey>()
            .ok()
            .and_then(|k| catalogs.get(&k))
            .is_some_and(|c| matches!(c.origin, Origin::File(_)))
    })
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

/// Checks one expanded ID; with [`IdSyntax::Ranges`] the known misprints get their own
/// diagnostic and a help line.
fn check_id(catalog: &Catalog, id: &str, item: &str, syntax: IdSyntax) -> Result<(), Diagnostic> {
    if catalog.requirement(id).is_some() {
        return Ok(());
    }
    if syntax == IdSyntax::Ranges {
        misprint(catalog, id, item)?;
    }
    let in_range = item.trim() != id;
    let known: Vec<String> = catalog
        .requirements
        .iter()
        .map(|r| r.id.to_string())
        .collect();
    let mut d = Diagnostic::error(
        Code::UnknownRequirement,
        if in_range && syntax == IdSyntax::Ranges {
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

/// A dotted ID, or a range item that the catalog has under another prefix.
fn misprint(catalog: &Catalog, id: &str, item: &str) -> Result<(), Diagnostic> {
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
    Ok(())
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
