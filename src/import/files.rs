//! Importing from files, as `reqgap import` does: each importer reads its file, names where
//! the catalog came from, and a transition file is built from two OSCAL catalogs. An
//! embedder gets the same results, summaries and errors as the command line.

use std::path::{Path, PathBuf};

use super::compare::{self, Comparison};
use super::csv::{self, CsvOptions};
use super::etsi_text::{self, InputForm};
use super::markdown::{self, MarkdownOptions};
use super::oscal::{self, OscalOptions, TransitionOut};
use super::{plural, HeaderOverrides, Imported};
use crate::diag::{Code, Diagnostic, Diagnostics, Location, SourceFile};
use crate::model::{Catalog, Origin};
use crate::source::{display_path, read_text, MAX_FILE_BYTES};

/// A publisher's or a GRC tool's file to import as a catalog.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ImportFile {
    /// An OSCAL catalog (JSON, or YAML when the name ends in .yaml/.yml).
    Oscal(PathBuf, OscalOptions),
    /// An ETSI deliverable: its PDF or its text, told apart by content.
    Etsi(PathBuf, HeaderOverrides),
    /// A spreadsheet exported as CSV.
    Csv(PathBuf, CsvOptions),
    /// A standard written as numbered Markdown.
    Markdown(PathBuf, MarkdownOptions),
}

/// An imported catalog with the name of what it came from.
#[derive(Clone, Debug, PartialEq)]
pub struct FileImport {
    /// The catalog and its warnings.
    pub imported: Imported,
    /// How the summary names the input: `OSCAL catalogs/rev5.json`.
    pub from: String,
    /// What the importer read and made of it, when it counts more than the catalog shows
    /// (Markdown: sections read, kept and skipped).
    pub counts: Option<String>,
}

impl FileImport {
    /// The one line that ends every import: what was imported, and how many warnings.
    pub fn summary(&self) -> String {
        self.imported.summary(&self.from)
    }

    /// The comparison of the imported catalog with `reference`, each named for the reader.
    pub fn compare(&self, reference: &Catalog) -> Comparison {
        let mut comparison = compare::compare(&self.imported.catalog, reference);
        comparison.converted = format!("the import of {}", self.from);
        comparison.reference = match &reference.origin {
            Origin::Bundled(_) => format!("the bundled {}", reference.key()),
            Origin::File(path) => format!("{} ({path})", reference.key()),
        };
        comparison
    }
}

impl ImportFile {
    /// Reads the file and imports it.
    pub fn import(&self) -> Result<FileImport, Diagnostics> {
        let (imported, from, counts) = match self {
            ImportFile::Oscal(path, options) => {
                let imported = oscal::import(&read_text(path)?, options)?;
                (imported, format!("OSCAL {}", display_path(path)), None)
            }
            ImportFile::Etsi(path, header) => {
                let (file, form) = read_etsi(path)?;
                let imported = etsi_text::import(&file, header)?;
                let from = format!("{} ({})", display_path(path), form.describe());
                (imported, from, None)
            }
            ImportFile::Csv(path, options) => {
                let imported = csv::import(&read_text(path)?, options)?;
                (imported, format!("CSV {}", display_path(path)), None)
            }
            ImportFile::Markdown(path, options) => {
                let result = markdown::import(&read_text(path)?, options)?;
                let from = format!("Markdown {}", display_path(path));
                (result.imported, from, Some(result.counts.summary()))
            }
        };
        Ok(FileImport {
            imported,
            from,
            counts,
        })
    }
}

/// An ETSI deliverable as reqgap reads it: for a PDF, the text it extracted (whose line
/// numbers the warnings cite).
pub fn read_etsi(path: &Path) -> Result<(SourceFile, InputForm), Diagnostics> {
    etsi_text::read_document(&display_path(path), read_bytes(path)?)
}

/// The bytes of an input that may be binary (a PDF), with the limits `read_text` applies.
fn read_bytes(path: &Path) -> Result<Vec<u8>, Diagnostics> {
    let display = display_path(path);
    let located = |error: std::io::Error| {
        Diagnostics::from(
            Diagnostic::error(Code::CannotRead, error.to_string()).at(Location::file(&display)),
        )
    };
    let metadata = std::fs::metadata(path).map_err(located)?;
    if !metadata.is_file() {
        return Err(Diagnostic::error(Code::NotAFile, "expected a file")
            .at(Location::file(&display))
            .into());
    }
    if metadata.len() > MAX_FILE_BYTES {
        return Err(Diagnostic::error(
            Code::InputTooLarge,
            format!(
                "the file has {} bytes; reqgap reads files of at most {MAX_FILE_BYTES} bytes",
                metadata.len()
            ),
        )
        .at(Location::file(&display))
        .into());
    }
    std::fs::read(path).map_err(located)
}

/// A transition file built from two OSCAL catalogs, with the warnings of both imports and
/// of the transition.
#[derive(Clone, Debug, PartialEq)]
pub struct ImportedTransition {
    /// The transition file's content.
    pub transition: TransitionOut,
    /// Warnings of both imports, then of the transition.
    pub warnings: Vec<Diagnostic>,
}

impl ImportedTransition {
    /// The transition file's text.
    pub fn render(&self) -> Result<String, Diagnostics> {
        oscal::render_transition(&self.transition)
    }

    /// The line that ends the import.
    pub fn summary(&self) -> String {
        format!(
            "wrote the transition {} → {}: {} correspondences, {}",
            self.transition.from,
            self.transition.to,
            self.transition.correspondences.len(),
            plural(self.warnings.len(), "warning")
        )
    }
}

/// Imports the OSCAL catalogs `old` and `new`, each with its own options, and builds the
/// transition from `new`'s moved-to and incorporated-into links. The problems of both
/// files come back together.
pub fn oscal_transition(
    [old, new]: [&Path; 2],
    [old_options, new_options]: [&OscalOptions; 2],
) -> Result<ImportedTransition, Diagnostics> {
    let import_one =
        |path: &Path, options: &OscalOptions| oscal::import(&read_text(path)?, options);
    let (old_catalog, new_catalog) =
        match (import_one(old, old_options), import_one(new, new_options)) {
            (Ok(old), Ok(new)) => (old, new),
            (old, new) => {
                let mut problems = Diagnostics::new();
                problems.extend(old.err().unwrap_or_default());
                problems.extend(new.err().unwrap_or_default());
                return Err(problems.sorted());
            }
        };
    let transition = oscal::transition(
        &old_catalog.catalog,
        &new_catalog.catalog,
        &display_path(new),
    )?;
    let mut warnings = old_catalog.warnings;
    warnings.extend(new_catalog.warnings);
    warnings.extend(transition.warnings.iter().cloned());
    Ok(ImportedTransition {
        transition,
        warnings,
    })
}
