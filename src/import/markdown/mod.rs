//! Standards written as numbered Markdown (CA/Browser Forum requirements, the Mozilla Root
//! Store Policy, the CCADB Policy): Pandoc Markdown with optional YAML front matter and
//! RFC 3647 numbered headings. Each numbered section with text becomes one requirement
//! (`BR-6.3.2`), its level read from the RFC 2119 keywords of its text.
//!
//! The text is rendered to what a reader sees (see `render`), so that a moved link, a
//! re-wrapped paragraph or new emphasis never reads as a substantive change.

pub(crate) mod dates;
mod document;
mod render;
mod schedule;

use chrono::NaiveDate;

use super::{HeaderOverrides, Imported};
use crate::diag::{Code, Diagnostic, Diagnostics, SourceFile};
use crate::model::{
    Catalog, Confidence, Level, Provenance, Requirement, RequirementId, Section, SectionId,
    StandardSlug, Status, Version,
};

pub use dates::parse_free_date;
use document::{Document, NumberedSection};

/// How a Markdown standard becomes a catalog.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct MarkdownOptions {
    /// Header values that replace what the document says.
    pub header: HeaderOverrides,
    /// The short name that prefixes every requirement ID (`BR` in `BR-6.3.2`); detected
    /// from the document when not given.
    pub short_name: Option<String>,
}

/// What the import read and what it made of it: the counts every import ends with.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Counts {
    /// Numbered headings read.
    pub numbered_sections: usize,
    /// Numbered sections that became requirements.
    pub requirements: usize,
    /// Of those, "No stipulation." sections kept as informative.
    pub no_stipulation: usize,
    /// Numbered sections with no text of their own (a heading over sub-sections).
    pub without_text: usize,
    /// Unnumbered headings inside a numbered section, kept in its text.
    pub unnumbered_headings: usize,
    /// Non-blank lines before the first numbered heading that are not imported.
    pub lines_before_sections: usize,
    /// Revision rows kept.
    pub revisions: usize,
    /// Milestones kept.
    pub milestones: usize,
}

impl Counts {
    /// The counts as one line, for the end of an import.
    pub fn summary(&self) -> String {
        format!(
            "read {} numbered sections: {} requirements ({} \"No stipulation\"), {} skipped without text of their own; {} unnumbered headings kept in their section's text; {} lines before the first numbered heading skipped; {} revision rows and {} milestones kept",
            self.numbered_sections,
            self.requirements,
            self.no_stipulation,
            self.without_text,
            self.unnumbered_headings,
            self.lines_before_sections,
            self.revisions,
            self.milestones,
        )
    }
}

/// The result of a Markdown import: the catalog, its warnings and the counts.
#[derive(Clone, Debug, PartialEq)]
pub struct MarkdownImport {
    /// The catalog and its warnings.
    pub imported: Imported,
    /// Sections read, kept and skipped.
    pub counts: Counts,
}

/// Imports a numbered Markdown standard. Fails (exit 2) when the document names no version
/// or date and none is given, or has no numbered section with text.
pub fn import(file: &SourceFile, options: &MarkdownOptions) -> Result<MarkdownImport, Diagnostics> {
    options.header.validate()?;
    let document = Document::read(file);
    let mut warnings = document.warnings.clone();
    let header = Header::resolve(file, &document, options, &mut warnings)?;
    let mut counts = Counts {
        numbered_sections: document.sections.len(),
        unnumbered_headings: document.unnumbered_headings,
        lines_before_sections: document.lines_before_sections,
        ..Counts::default()
    };
    let uppercase_keywords = document
        .sections
        .iter()
        .any(|s| has_uppercase_keyword(&s.text));
    let mut requirements = Vec::new();
    for section in &document.sections {
        if section.text.is_empty() {
            counts.without_text += 1;
            continue;
        }
        let stipulation = is_no_stipulation(&section.text);
        counts.no_stipulation += usize::from(stipulation);
        requirements.push(requirement(
            &header.short_name,
            section,
            stipulation,
            uppercase_keywords,
        ));
    }
    counts.requirements = requirements.len();
    if requirements.is_empty() {
        return Err(Diagnostic::error(
            Code::NoNumberedSections,
            "the document has no numbered heading (`## 1.2 Title`) with text under it; nothing to import",
        )
        .at(file.whole_file())
        .into());
    }
    let schedule = schedule::read(file, &document, &requirements, &mut warnings);
    counts.revisions = schedule.revisions.len();
    counts.milestones = schedule.milestones.values().map(Vec::len).sum();
    let effective = header.effective.or_else(|| {
        schedule
            .revisions
            .iter()
            .filter(|r| r.version.as_ref() == Some(&header.version))
            .filter_map(|r| r.effective)
            .max()
    });
    let catalog = Catalog {
        standard: StandardSlug::new(header.standard),
        title: header.title,
        version: header.version,
        published: header.published,
        effective,
        supersedes: None,
        provenance: Provenance::Verified,
        source: format!(
            "{}, imported by reqgap import markdown",
            super::cited_name(&file.path)
        ),
        sections: document
            .sections
            .iter()
            .map(|s| Section {
                id: SectionId::new(s.number.clone()),
                title: s.title.clone(),
            })
            .collect(),
        requirements,
        schedule,
        origin: super::origin(file),
    };
    Ok(MarkdownImport {
        imported: Imported {
            catalog,
            warnings: super::in_file_order(warnings),
        },
        counts,
    })
}

fn requirement(
    short_name: &str,
    section: &NumberedSection,
    no_stipulation: bool,
    uppercase_keywords: bool,
) -> Requirement {
    let level = if no_stipulation {
        Level::Informative
    } else {
        keyword_level(&section.text, uppercase_keywords)
    };
    Requirement {
        id: RequirementId::new(format!("{short_name}-{}", section.number)),
        section: SectionId::new(section.number.clone()),
        title: Some(section.title.clone()).filter(|t| !t.is_empty()),
        level,
        level_derived: false,
        markers: Default::default(),
        confidence: Confidence::Confirmed,
        status: Status::Active,
        text: section.text.clone(),
        note: None,
        links: Vec::new(),
    }
}

/// "No stipulation." (any case, with or without the period) and nothing else.
fn is_no_stipulation(text: &str) -> bool {
    text.trim()
        .trim_end_matches('.')
        .eq_ignore_ascii_case("no stipulation")
}

/// The words of RFC 2119 and the level each gives; negations (MUST NOT, SHOULD NOT, NOT
/// RECOMMENDED) keep the strength of their verb.
const KEYWORDS: [(&str, Level); 8] = [
    ("MUST", Level::Shall),
    ("SHALL", Level::Shall),
    ("REQUIRED", Level::Shall),
    ("SHOULD", Level::Should),
    ("RECOMMENDED", Level::Should),
    ("MAY", Level::May),
    ("OPTIONAL", Level::May),
    ("PROHIBITED", Level::Shall),
];

fn words(text: &str) -> impl Iterator<Item = &str> {
    text.split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
}

fn has_uppercase_keyword(text: &str) -> bool {
    words(text).any(|w| KEYWORDS.iter().any(|(k, _)| *k == w))
}

/// The strongest RFC 2119 keyword in the text. Documents that write the keywords in
/// capitals (RFC 8174) are read in capitals only, so that "may" in prose is no keyword.
fn keyword_level(text: &str, uppercase_only: bool) -> Level {
    let mut level = Level::Informative;
    for word in words(text) {
        let found = KEYWORDS.iter().find(|(k, _)| {
            if uppercase_only {
                *k == word
            } else {
                k.eq_ignore_ascii_case(word)
            }
        });
        if let Some((_, found)) = found {
            level = level.min(*found);
        }
    }
    level
}

/// The catalog header: what the document says, replaced by what the user gave.
struct Header {
    standard: String,
    short_name: String,
    title: String,
    version: Version,
    published: NaiveDate,
    effective: Option<NaiveDate>,
}

impl Header {
    fn resolve(
        file: &SourceFile,
        document: &Document,
        options: &MarkdownOptions,
        warnings: &mut Vec<Diagnostic>,
    ) -> Result<Header, Diagnostics> {
        let given = &options.header;
        let title = given
            .title
            .clone()
            .or_else(|| document.title.clone())
            .unwrap_or_default();
        let known = KnownDocument::recognise(&title);
        let version = given.version.clone().or_else(|| document.version.clone());
        let published = given.published.or(document.date).or(document.effective);
        let mut problems = Diagnostics::new();
        let missing = |what: &str, flag: &str| {
            Diagnostic::error(
                Code::NoDocumentHeader,
                format!("the document names no {what} (front matter or a `Version`/`Effective` line at the top); pass {flag}"),
            )
            .at(file.whole_file())
        };
        if version.as_deref().is_none_or(|v| !Version::is_valid(v)) {
            problems.push(missing("version", "--version"));
        }
        if published.is_none() {
            problems.push(missing("date", "--published"));
        }
        if title.is_empty() {
            problems.push(missing("title", "--title"));
        }
        let short_name = options
            .short_name
            .clone()
            .or_else(|| known.map(|k| k.short_name.to_owned()))
            .unwrap_or_else(|| initials(&title));
        if !short_name_is_valid(&short_name) {
            problems.push(Diagnostic::error(
                Code::BadValue,
                format!("`{short_name}` cannot prefix requirement IDs: use letters, digits and hyphens (--short-name)"),
            ));
        }
        let standard = match (&given.standard, known) {
            (Some(standard), _) => standard.clone(),
            (None, Some(known)) => known.standard.to_owned(),
            (None, None) => {
                let slug = super::slugify(&title);
                warnings.push(Diagnostic::warning(
                    Code::DerivedSlug,
                    format!("the standard slug `{slug}` was derived from the title; pass --standard to choose it"),
                ));
                slug
            }
        };
        let (Some(version), Some(published)) = (version, published) else {
            return Err(problems);
        };
        problems.into_result(Header {
            standard,
            short_name,
            title,
            version: Version::new(version),
            published,
            effective: document.effective,
        })
    }
}

fn short_name_is_valid(name: &str) -> bool {
    !name.is_empty()
        && name.len() <= 32
        && name.chars().all(|c| c.is_ascii_alphanumeric() || c == '-')
}

/// Upper-case initials of the title's capitalised words (at most 8), for a document
/// reqgap does not know: `Acme Key Ceremony Rules` → `AKCR`.
fn initials(title: &str) -> String {
    let letters: String = title
        .split_whitespace()
        .filter_map(|w| w.chars().next())
        .filter(char::is_ascii_uppercase)
        .take(8)
        .collect();
    if letters.is_empty() {
        "REQ".to_owned()
    } else {
        letters
    }
}

/// A publisher document reqgap recognises by its title, with the slug and short name the
/// bundled catalogs use.
#[derive(Clone, Copy)]
struct KnownDocument {
    /// Words the title holds (lower case), all of them.
    title_words: &'static [&'static str],
    standard: &'static str,
    short_name: &'static str,
}

const KNOWN_DOCUMENTS: [KnownDocument; 7] = [
    KnownDocument {
        title_words: &["extended validation"],
        standard: "cabf-tls-evg",
        short_name: "EVG",
    },
    KnownDocument {
        title_words: &["network and certificate system security"],
        standard: "cabf-nsr",
        short_name: "NSR",
    },
    KnownDocument {
        title_words: &["s/mime"],
        standard: "cabf-smime-br",
        short_name: "SBR",
    },
    KnownDocument {
        title_words: &["code signing"],
        standard: "cabf-cs-br",
        short_name: "CSBR",
    },
    // After S/MIME and code signing, whose titles also read "Baseline Requirements ...
    // Publicly-Trusted"; TLS BR titles before 2.0 do not say "TLS Server".
    KnownDocument {
        title_words: &["baseline requirements", "publicly-trusted"],
        standard: "cabf-tls-br",
        short_name: "BR",
    },
    KnownDocument {
        title_words: &["mozilla root store policy"],
        standard: "mozilla-root-store-policy",
        short_name: "RSP",
    },
    KnownDocument {
        title_words: &["ccadb", "policy"],
        standard: "ccadb-policy",
        short_name: "CCADB",
    },
];

impl KnownDocument {
    fn recognise(title: &str) -> Option<KnownDocument> {
        let lower = title.to_lowercase();
        KNOWN_DOCUMENTS
            .iter()
            .find(|k| k.title_words.iter().all(|w| lower.contains(w)))
            .copied()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn levels_follow_the_strongest_keyword_with_negations() {
        assert_eq!(keyword_level("The CA MUST NOT issue", true), Level::Shall);
        assert_eq!(
            keyword_level("It SHOULD NOT exceed; it MAY", true),
            Level::Should
        );
        assert_eq!(
            keyword_level("Subscribers may ask.", true),
            Level::Informative
        );
        assert_eq!(keyword_level("Subscribers may ask.", false), Level::May);
        assert_eq!(keyword_level("NOT RECOMMENDED", true), Level::Should);
    }

    #[test]
    fn no_stipulation_is_recognised_in_any_case() {
        assert!(is_no_stipulation("No stipulation."));
        assert!(is_no_stipulation("no Stipulation"));
        assert!(!is_no_stipulation("No stipulation. The CA MUST log."));
    }

    #[test]
    fn publisher_documents_are_told_apart_by_title() {
        let short = |t: &str| KnownDocument::recognise(t).map(|k| k.short_name);
        assert_eq!(
            short("Baseline Requirements for the Issuance and Management of Publicly-Trusted TLS Server Certificates"),
            Some("BR")
        );
        assert_eq!(
            short("Baseline Requirements for the Issuance and Management of Publicly-Trusted S/MIME Certificates"),
            Some("SBR")
        );
        assert_eq!(short("Mozilla Root Store Policy"), Some("RSP"));
        assert_eq!(short("Acme Rules"), None);
        assert_eq!(initials("Acme Key Ceremony rules"), "AKC");
    }
}
