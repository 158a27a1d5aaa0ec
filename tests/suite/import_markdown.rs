//! `import markdown` on small documents that reproduce the layouts of CA/Browser Forum
//! requirements and the Mozilla Root Store Policy: front matter, RFC 3647 headings down to
//! five levels, tables, "No stipulation.", revision and relevant-dates tables, CRLF.

use reqgap::diag::{self, SourceFile};
use reqgap::import::markdown::{self, MarkdownImport, MarkdownOptions};
use reqgap::import::{self, HeaderOverrides};
use reqgap::model::{Level, RequirementId, Version};
use reqgap::source::catalog::parse_catalog;
use reqgap::source::read_text;

const FIXTURES: &str = "tests/fixtures/import/markdown";

fn fixture(name: &str) -> SourceFile {
    read_text(std::path::Path::new(&format!("{FIXTURES}/{name}"))).expect("fixture is readable")
}

fn import_fixture(name: &str) -> MarkdownImport {
    markdown::import(&fixture(name), &MarkdownOptions::default()).expect("fixture imports")
}

fn report(result: &MarkdownImport) -> String {
    let mut out = import::render(&result.imported.catalog).expect("renders and re-validates");
    out.push_str("\n--- warnings ---\n");
    for warning in &result.imported.warnings {
        out.push_str(&diag::render(warning));
    }
    out.push_str("--- counts ---\n");
    out.push_str(&result.counts.summary());
    out
}

#[test]
fn front_matter_and_deep_headings() {
    let result = import_fixture("front-matter-deep-headings.md");
    insta::assert_snapshot!(report(&result));
}

#[test]
fn header_comes_from_front_matter_and_the_title_names_the_document() {
    let catalog = import_fixture("front-matter-deep-headings.md")
        .imported
        .catalog;
    assert_eq!(catalog.standard.as_str(), "cabf-tls-br");
    assert_eq!(catalog.version.as_str(), "9.1.0");
    assert_eq!(catalog.published.to_string(), "2030-04-15");
    // The version's own revision row gives the effective date.
    assert_eq!(
        catalog.effective.map(|d| d.to_string()).as_deref(),
        Some("2030-04-15")
    );
    assert!(
        catalog.requirement("BR-6.3.2.1.1").is_some(),
        "five-level heading"
    );
}

#[test]
fn levels_no_stipulation_and_sections_without_text() {
    let result = import_fixture("front-matter-deep-headings.md");
    let catalog = &result.imported.catalog;
    let level = |id: &str| catalog.requirement(id).map(|r| r.level);
    assert_eq!(
        level("BR-1.3.1"),
        Some(Level::Informative),
        "No stipulation."
    );
    assert_eq!(
        level("BR-6.3.2"),
        Some(Level::Shall),
        "MUST NOT wins over SHOULD NOT"
    );
    assert_eq!(level("BR-1.1"), Some(Level::Informative));
    // Capital keywords elsewhere: "may" in prose is no keyword.
    assert_eq!(level("BR-6.3.2.1.1"), Some(Level::Informative));
    assert!(catalog.requirement("BR-1").is_none(), "heading only");
    assert!(catalog.section("1").is_some(), "kept as a section");
    assert_eq!(result.counts.no_stipulation, 1);
    assert_eq!(
        result.counts.numbered_sections,
        result.counts.requirements + result.counts.without_text
    );
}

#[test]
fn tables_lists_links_and_emphasis_become_plain_text() {
    let catalog = import_fixture("front-matter-deep-headings.md")
        .imported
        .catalog;
    let text = |id: &str| catalog.requirement(id).unwrap().text.clone();
    let validity = text("BR-6.3.2");
    assert!(
        validity.contains("greater than 397 days and MUST NOT have"),
        "{validity}"
    );
    assert!(validity.contains("2031-03-15 | 90 days"), "{validity}");
    assert!(
        !validity.contains("--"),
        "table separators are drawing only"
    );
    assert!(text("BR-4.2.1").contains("See Section 6.3.2."));
    assert!(text("BR-6.3.2.1").contains("- keyUsage, which MUST be present;"));
    assert!(
        text("BR-6.3.2.1.1").contains("[brackets](here)"),
        "code kept as written"
    );
}

#[test]
fn crlf_reads_as_lf() {
    let lf = import_fixture("front-matter-deep-headings.md")
        .imported
        .catalog;
    let crlf = import_fixture("crlf.md").imported.catalog;
    assert_eq!(lf.requirements, crlf.requirements);
    assert_eq!(lf.schedule, crlf.schedule);
}

#[test]
fn relevant_dates_and_effective_clauses_become_milestones() {
    let catalog = import_fixture("front-matter-deep-headings.md")
        .imported
        .catalog;
    let dates = |id: &str| -> Vec<String> {
        catalog
            .schedule
            .milestones_of(&RequirementId::new(id))
            .iter()
            .map(|m| format!("{} {}", m.date, m.source))
            .collect()
    };
    assert_eq!(
        dates("BR-6.3.2"),
        [
            "2031-03-15 1.2.2 Relevant Dates, row 1",
            "2033-03-15 1.2.2 Relevant Dates, row 2"
        ]
    );
    assert_eq!(
        dates("BR-4.2.1"),
        [
            "2031-03-15 section 4.2.1, \"Effective 2031-03-15\" clause",
            "2033-03-15 1.2.2 Relevant Dates, row 2"
        ]
    );
    let ballots = catalog
        .schedule
        .revisions_between(&Version::new("9.0.0"), &Version::new("9.1.0"));
    assert_eq!(ballots.len(), 1);
    assert_eq!(ballots[0].ballot.as_deref(), Some("SC902"));
}

#[test]
fn unreadable_rows_are_located_warnings() {
    let result = import_fixture("front-matter-deep-headings.md");
    let codes: Vec<(String, Option<usize>)> = result
        .imported
        .warnings
        .iter()
        .map(|w| (w.code.to_string(), w.location.as_ref().and_then(|l| l.line)))
        .collect();
    assert_eq!(
        codes,
        [
            ("unread-date-row".to_owned(), Some(33)),
            ("unread-date-row".to_owned(), Some(43)),
            ("unread-date-row".to_owned(), Some(44)),
        ]
    );
}

#[test]
fn documents_without_front_matter_read_version_and_date_from_the_top() {
    let result = import_fixture("no-front-matter.md");
    let catalog = &result.imported.catalog;
    assert_eq!(catalog.version.as_str(), "3.1");
    assert_eq!(catalog.published.to_string(), "2031-07-01");
    assert_eq!(catalog.standard.as_str(), "acme-key-ceremony-rules");
    let ids: Vec<&str> = catalog.requirements.iter().map(|r| r.id.as_str()).collect();
    assert_eq!(ids, ["AKCR-1", "AKCR-1.1", "AKCR-2.1"]);
    let minutes = &catalog.requirement("AKCR-2.1").unwrap().text;
    assert!(
        minutes.contains("Format of minutes\n\nMinutes are kept"),
        "{minutes}"
    );
    assert!(
        minutes.contains("SHOULD sign"),
        "repeated number adds its text"
    );
    assert!(
        !minutes.contains("example.invalid"),
        "reference definitions dropped"
    );
    assert_eq!(result.counts.lines_before_sections, 1);
    assert_eq!(result.counts.unnumbered_headings, 1);
    let codes: Vec<String> = result
        .imported
        .warnings
        .iter()
        .map(|w| w.code.to_string())
        .collect();
    assert_eq!(
        codes,
        [
            "derived-slug",
            "text-before-sections",
            "repeated-section-number"
        ]
    );
}

#[test]
fn the_short_name_and_header_can_be_given() {
    let options = MarkdownOptions {
        short_name: Some("ACME".into()),
        header: HeaderOverrides {
            standard: Some("acme-rules".into()),
            version: Some("4.0".into()),
            ..HeaderOverrides::default()
        },
    };
    let catalog = markdown::import(&fixture("no-front-matter.md"), &options)
        .unwrap()
        .imported
        .catalog;
    assert_eq!(catalog.requirements[0].id.as_str(), "ACME-1");
    assert_eq!(catalog.version.as_str(), "4.0");
}

#[test]
fn a_document_without_numbered_sections_is_refused() {
    let problems =
        markdown::import(&fixture("no-sections.md"), &MarkdownOptions::default()).unwrap_err();
    let codes: Vec<String> = problems.iter().map(|d| d.code.to_string()).collect();
    assert_eq!(codes, ["no-numbered-sections"]);
}

#[test]
fn a_document_without_version_or_date_is_refused() {
    let file = SourceFile::new("bare.md", "# 1. Scope\n\nThe CA MUST act.\n");
    let problems = markdown::import(&file, &MarkdownOptions::default()).unwrap_err();
    let codes: Vec<String> = problems.iter().map(|d| d.code.to_string()).collect();
    assert_eq!(
        codes,
        [
            "no-document-header",
            "no-document-header",
            "no-document-header"
        ]
    );
}

#[test]
fn imports_read_back_and_repeat_byte_for_byte() {
    for name in ["front-matter-deep-headings.md", "no-front-matter.md"] {
        let result = import_fixture(name);
        let text = import::render(&result.imported.catalog).unwrap();
        let reread = parse_catalog(
            &SourceFile::new("reread.yaml", text.clone()),
            result.imported.catalog.origin.clone(),
        )
        .unwrap();
        assert_eq!(reread, result.imported.catalog);
        assert_eq!(
            import::render(&import_fixture(name).imported.catalog).unwrap(),
            text
        );
    }
}

#[test]
fn hostile_markdown_is_read_in_bounded_time() {
    let mut text = String::from("---\ntitle: T\nsubtitle: Version 1\ndate: 2030-01-01\n---\n");
    for i in 0..2_000 {
        text.push_str(&format!(
            "## {i}.1 H\n\n{}\n| a | b |\n",
            "[[[*_`<".repeat(50)
        ));
    }
    text.push_str(&"#".repeat(100_000));
    let result = markdown::import(
        &SourceFile::new("hostile.md", text),
        &MarkdownOptions::default(),
    )
    .unwrap();
    assert_eq!(result.counts.requirements, 2_000);
}
