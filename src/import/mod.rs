//! Importers: turn a publisher's machine-readable catalog (OSCAL), the text of an ETSI
//! deliverable (`pdftotext -layout`), or a spreadsheet export (CSV) into a [`Catalog`].
//!
//! Each importer is a pure function from input text to a catalog plus warnings; none prints
//! or writes files. The caller renders the result with [`render`], which goes through the
//! catalog file format and checks that the output reads back as the same catalog.

pub mod compare;
pub mod controls;
pub mod csv;
pub mod etsi_text;
pub mod files;
pub mod markdown;
pub mod oscal;
pub mod oscal_mapping;
mod oscal_xml;
pub mod pdf;
mod positions;

use std::path::Path;

use chrono::NaiveDate;

use crate::diag::{Code, Diagnostic, Diagnostics, SourceFile};
use crate::model::{Catalog, Origin, StandardSlug, Version};
use crate::source::catalog::{parse_catalog, render_file, to_file};

/// A catalog built by an importer, with what the importer could not use.
#[derive(Clone, Debug, PartialEq)]
pub struct Imported {
    /// The catalog built.
    pub catalog: Catalog,
    /// Non-fatal findings (lines not understood, IDs that disagree with their clause...),
    /// in input order.
    pub warnings: Vec<Diagnostic>,
}

/// Header values given on the command line; each replaces what the importer found.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct HeaderOverrides {
    /// Slug of the standard, e.g. `nist-sp-800-53`.
    pub standard: Option<String>,
    /// Version of the catalog, e.g. `5.0.1`.
    pub version: Option<String>,
    /// Full title.
    pub title: Option<String>,
    /// Publication date.
    pub published: Option<NaiveDate>,
}

impl HeaderOverrides {
    /// Checks the slug and version given by the user before any input is read.
    pub fn validate(&self) -> Result<(), Diagnostics> {
        let mut problems = Diagnostics::new();
        if let Some(slug) = &self.standard {
            if !StandardSlug::is_valid(slug) {
                problems.push(Diagnostic::error(
                    Code::BadStandard,
                    format!("`{slug}` is not a valid standard slug (lower-case letters, digits and hyphens)"),
                ));
            }
        }
        if let Some(version) = &self.version {
            if !Version::is_valid(version) {
                problems.push(Diagnostic::error(
                    Code::BadVersion,
                    format!("`{version}` is not a valid version (letters, digits and . - _ +)"),
                ));
            }
        }
        problems.into_result(())
    }
}

/// Renders an imported catalog as canonical catalog YAML and checks that the text reads
/// back, through the ordinary catalog loader, as the same catalog: an importer bug then
/// surfaces here instead of as a broken file in the user's repository.
pub fn render(catalog: &Catalog) -> Result<String, Diagnostics> {
    let text = render_file(&to_file(catalog))
        .map_err(|e| Diagnostics::from(Diagnostic::error(Code::RenderFailed, e)))?;
    let file = SourceFile::new("<imported catalog>", text);
    let reread = parse_catalog(&file, catalog.origin.clone()).map_err(|mut problems| {
        if problems.iter().all(|d| d.code == Code::InputTooComplex) {
            // A limit the loader keeps against hostile files (a value over 1 MiB, too
            // many nodes): the input is too large to import, which is no bug.
            return too_large_to_read_back(catalog);
        }
        problems.push(Diagnostic::error(
            Code::ImportInvalid,
            "the imported catalog does not validate; this is a bug in reqgap, please report it",
        ));
        problems
    })?;
    if reread != *catalog {
        return Err(Diagnostic::error(
            Code::ImportNotRoundTrip,
            "the imported catalog does not read back unchanged; this is a bug in reqgap, please report it",
        )
        .into());
    }
    Ok(file.text)
}

/// The error for an imported catalog beyond the limits of the catalog loader, placed at
/// the start of the input.
fn too_large_to_read_back(catalog: &Catalog) -> Diagnostics {
    let path = match &catalog.origin {
        Origin::File(path) => path.clone(),
        Origin::Bundled(path) => path.clone(),
    };
    Diagnostic::error(
        Code::InputTooComplex,
        format!(
            "the catalog imported from this file ({} requirements) is beyond what a catalog file may hold (a value over 1 MiB, or over a million values)",
            catalog.requirements.len()
        ),
    )
    .at(crate::diag::Location {
        line: Some(1),
        column: Some(1),
        ..crate::diag::Location::file(path)
    })
    .into()
}

impl Imported {
    /// The one line that ends every import: what was imported, and how many warnings.
    pub fn summary(&self, from: &str) -> String {
        let catalog = &self.catalog;
        let withdrawn = catalog
            .requirements
            .iter()
            .filter(|r| !r.is_active())
            .count();
        format!(
            "imported {} from {from}: {} requirements ({withdrawn} withdrawn) in {} sections, {}",
            catalog.key(),
            catalog.requirements.len(),
            catalog.sections.len(),
            plural(self.warnings.len(), "warning"),
        )
    }
}

/// `1 warning`, `2 warnings`.
pub(crate) fn plural(count: usize, noun: &str) -> String {
    if count == 1 {
        format!("1 {noun}")
    } else {
        format!("{count} {noun}s")
    }
}

/// Warnings to show: the first `limit` of each code, in the order given; then, for each
/// code with more, how many were left out. A file with hundreds of findings of one kind
/// (a catalog without statements) stays readable; `--verbose` passes no limit.
pub fn limit_per_code(
    warnings: &[Diagnostic],
    limit: Option<usize>,
) -> (Vec<&Diagnostic>, Vec<(Code, usize)>) {
    let mut counts: std::collections::BTreeMap<Code, usize> = Default::default();
    let mut shown = Vec::new();
    for warning in warnings {
        let count = counts.entry(warning.code).or_insert(0);
        *count += 1;
        if limit.is_none_or(|limit| *count <= limit) {
            shown.push(warning);
        }
    }
    let hidden = counts
        .into_iter()
        .filter_map(|(code, count)| {
            let limit = limit?;
            (count > limit).then(|| (code, count - limit))
        })
        .collect();
    (shown, hidden)
}

/// Lower-case ASCII slug of a title: letters and digits, runs of anything else become one
/// hyphen (`ETSI EN 319 401` → `etsi-en-319-401`).
pub(crate) fn slugify(title: &str) -> String {
    let mut slug = String::new();
    for c in title.chars() {
        if c.is_ascii_alphanumeric() {
            slug.push(c.to_ascii_lowercase());
        } else if !slug.is_empty() && !slug.ends_with('-') {
            slug.push('-');
        }
    }
    slug.trim_end_matches('-').to_owned()
}

/// The name under which an input is cited in a catalog's `source`: the file name only, so
/// that importing the same file from another folder or machine gives the same bytes.
pub(crate) fn cited_name(path: &str) -> String {
    Path::new(path)
        .file_name()
        .map_or_else(|| path.to_owned(), |n| n.to_string_lossy().into_owned())
}

/// The origin recorded for an imported catalog.
pub(crate) fn origin(file: &SourceFile) -> Origin {
    Origin::File(file.path.clone())
}

/// Warnings ordered by line (those without a line first), so that the user reads them
/// top to bottom; the sort is stable, so equal lines keep the order they were found in.
pub(crate) fn in_file_order(mut warnings: Vec<Diagnostic>) -> Vec<Diagnostic> {
    warnings.sort_by_key(|w| w.location.as_ref().and_then(|l| l.line));
    warnings
}

/// Collapses runs of whitespace into single spaces and trims the ends.
pub(crate) fn squash_spaces(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn slugs_keep_letters_and_digits_only() {
        assert_eq!(slugify("ETSI EN 319 401"), "etsi-en-319-401");
        assert_eq!(
            slugify("  NIST SP 800-53 (Rev. 5)  "),
            "nist-sp-800-53-rev-5"
        );
        assert_eq!(slugify("Ünïcode only"), "n-code-only");
        assert!(StandardSlug::is_valid(&slugify("ETSI EN 319 411-1")));
    }

    #[test]
    fn cited_names_drop_the_folder() {
        assert_eq!(cited_name("../publisher/data/cat.json"), "cat.json");
        assert_eq!(cited_name("cat.json"), "cat.json");
    }

    #[test]
    fn warnings_are_limited_per_code() {
        let warnings: Vec<Diagnostic> = (0..25)
            .map(|i| {
                let code = if i % 5 == 0 {
                    Code::NoLabel
                } else {
                    Code::NoStatement
                };
                Diagnostic::warning(code, "x")
            })
            .collect();
        let (shown, hidden) = limit_per_code(&warnings, Some(10));
        assert_eq!(shown.len(), 15);
        assert_eq!(hidden, [(Code::NoStatement, 10)]);
        let (shown, hidden) = limit_per_code(&warnings, None);
        assert_eq!((shown.len(), hidden.len()), (25, 0));
    }

    #[test]
    fn bad_overrides_are_reported_together() {
        let overrides = HeaderOverrides {
            standard: Some("NIST SP".into()),
            version: Some("rev 5".into()),
            ..HeaderOverrides::default()
        };
        assert_eq!(overrides.validate().unwrap_err().len(), 2);
    }
}
