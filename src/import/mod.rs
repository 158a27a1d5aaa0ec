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
use crate::source::catalog::{parse_catalog, to_file, validate_file};
use crate::source::yaml::{self, Written};

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
///
/// Text from the block writer (`source::yaml::write`, tested to write what `serde_yaml`
/// writes and to read back unchanged) is not parsed again: the loader's rules and limits
/// are applied to the file as built, which costs a tenth of reading it (a third of the
/// whole import of NIST SP 800-53 went to reading it back). Text the block writer leaves
/// to `serde_yaml` is read back in full.
pub fn render(catalog: &Catalog) -> Result<String, Diagnostics> {
    let file = to_file(catalog);
    let written = yaml::write(&file)
        .map_err(|e| Diagnostics::from(Diagnostic::error(Code::RenderFailed, e)))?;
    let (text, reread) = match written {
        Written::Counted {
            within_limits: false,
            ..
        } => return Err(too_large_to_read_back(catalog)),
        Written::Counted { text, .. } => {
            let reread = validate_file(&imported_file(String::new()), file, catalog.origin.clone());
            (text, reread)
        }
        Written::Uncounted(text) => {
            let written = imported_file(text);
            let reread = parse_catalog(&written, catalog.origin.clone());
            (written.text, reread)
        }
    };
    let reread = reread.map_err(|mut problems| {
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
    Ok(text)
}

fn imported_file(text: String) -> SourceFile {
    SourceFile::new("<imported catalog>", text)
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
    use proptest::prelude::*;

    use super::*;

    const BASE: &str = "standard: example\ntitle: Example\nversion: 1.0.0\npublished: 2024-01-02\nprovenance: verified\nsource: test\nsections:\n- id: '1'\n  title: One\nrequirements:\n- id: REQ-1\n  section: '1'\n  title: First\n  level: shall\n  text: The first.\n- id: REQ-2\n  section: '1'\n  level: should\n  text: The second.\n";

    fn catalog_with(title: &str, text: &str, note: &str, section_title: &str) -> Catalog {
        let base = SourceFile::new("base.yaml", BASE);
        let mut catalog = parse_catalog(&base, Origin::File("base.yaml".into())).expect("base");
        catalog.title = title.to_owned();
        catalog.sections[0].title = section_title.to_owned();
        catalog.requirements[0].title = Some(title.to_owned());
        catalog.requirements[0].text = text.to_owned();
        catalog.requirements[1].note = Some(note.to_owned());
        catalog
    }

    fn yaml_trap() -> impl Strategy<Value = String> {
        prop_oneof![
            "[a-z0-9 :#'\"\\\\.\n\t|>~\\[\\]-]{0,16}",
            any::<String>(),
            prop::sample::select(vec![
                "", " ", "\n", "a\n", "a \nb", "true", "0123", "5.0", "- x", "#"
            ])
            .prop_map(str::to_owned),
        ]
    }

    proptest! {
        /// What `render` passes without reading the text back, reading it back confirms;
        /// what it refuses, reading back refuses too.
        #[test]
        fn rendered_catalogs_read_back_unchanged(
            title in yaml_trap(), text in yaml_trap(), note in yaml_trap(), section in yaml_trap()
        ) {
            let catalog = catalog_with(&title, &text, &note, &section);
            let reread = |text: String| parse_catalog(&imported_file(text), catalog.origin.clone());
            match render(&catalog) {
                Ok(text) => prop_assert_eq!(reread(text).expect("reads back"), catalog),
                Err(_) => {
                    let text = yaml::to_string(&to_file(&catalog)).expect("writes");
                    prop_assert!(reread(text).map_or(true, |again| again != catalog));
                }
            }
        }
    }

    #[test]
    fn text_that_needs_quotes_or_blocks_renders() {
        let catalog = catalog_with("it's: a # title", " indented\nlines", "note\n", "0123");
        let text = render(&catalog).expect("renders");
        assert!(text.contains("title: 'it''s: a # title'"), "{text}");
    }

    /// The catalogs of real publishers take the path that is not read back, and that path
    /// writes what `serde_yaml` writes.
    #[test]
    fn published_oscal_catalogs_are_written_by_the_block_writer() {
        let options = oscal::OscalOptions {
            label: true,
            ..Default::default()
        };
        for relative in [
            "tests/data/nist/NIST_SP-800-53_rev4_catalog-min.json",
            "tests/data/nist/NIST_SP-800-53_rev5_catalog.json",
            "tests/data/ism/ISM_catalog_2023-12.json",
            "tests/data/fedramp/FedRAMP_rev5_LOW-baseline-resolved-profile_catalog-min.json",
        ] {
            let path = Path::new(env!("CARGO_MANIFEST_DIR")).join(relative);
            let file = crate::source::read_text(&path).expect("data");
            let catalog = oscal::import(&file, &options).expect("imports").catalog;
            let raw = to_file(&catalog);
            let Written::Counted {
                text,
                within_limits,
            } = yaml::write(&raw).expect("writes")
            else {
                panic!("{relative} was left to serde_yaml");
            };
            assert!(within_limits, "{relative}");
            assert!(
                text == yaml::serde_yaml_text(&raw),
                "{relative}: not serde_yaml's text"
            );
        }
    }

    #[test]
    fn catalogs_over_the_loader_limits_are_refused_as_too_large() {
        let long = "x".repeat(crate::source::yaml::limits::MAX_SCALAR_BYTES + 1);
        let errors = render(&catalog_with("Example", &long, "n", "One")).unwrap_err();
        assert_eq!(errors.0[0].code, Code::InputTooComplex.as_str());
    }

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
