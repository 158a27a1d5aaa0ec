//! The ETSI importer on text laid out the way pdfminer (`pdf2txt.py`) extracts a
//! deliverable, with the page markers an extraction script adds.
//!
//! The deliverable is generated from the bundled EN 319 401 V3.2.1 catalog: its clause
//! numbers, titles and requirement IDs, with filler text written by this test (never ETSI
//! text). The layout reproduces pdfminer's traps: the contents in three layouts (one line
//! with dot leaders; a column of numbers, then of titles, then of page numbers; number and
//! title on lines of their own), each heading's number and title on separate lines with a
//! blank line between, page markers (`=== PAGE 14 ===`, `=== END PAGE 14 ===`) and running
//! headers (`ETSI`, the page number, the designation) wherever a page ends (inside
//! requirements too), and list labels (`a)`) on lines of their own, apart from their items.

use reqgap::diag::SourceFile;
use reqgap::import::{compare, etsi_text, HeaderOverrides, Imported};
use reqgap::model::{Catalog, Level, Marker};

const BUNDLED: &str = "standards/etsi-en-319-401/3.2.1.yaml";
const DESIGNATION: &str = "ETSI EN 319 401 V3.2.1 (2026-01)";
/// Text lines per page: small enough that page breaks fall inside many requirements.
const PAGE_LINES: usize = 37;

fn bundled() -> Catalog {
    reqgap::source::catalog::load_file(std::path::Path::new(BUNDLED)).unwrap()
}

#[derive(Clone, Copy, Debug)]
enum Contents {
    DotLeaders,
    Columns,
    SeparateLines,
}

/// How pages are told apart.
#[derive(Clone, Copy, Debug, PartialEq)]
enum PageBreaks {
    /// `=== PAGE n ===` ... `=== END PAGE n ===`, as an extraction script writes them.
    Markers,
    /// pdfminer's own form feed.
    FormFeeds,
}

/// Text written page by page, with the running header at the top of odd pages and at the
/// bottom of even ones (pdfminer orders text boxes by position, not by role).
struct Pages {
    out: String,
    page: usize,
    lines: usize,
    breaks: PageBreaks,
}

impl Pages {
    fn new(breaks: PageBreaks) -> Self {
        let mut pages = Pages {
            out: String::new(),
            page: 0,
            lines: 0,
            breaks,
        };
        pages.open_page();
        pages
    }

    fn open_page(&mut self) {
        self.page += 1;
        self.lines = 0;
        match self.breaks {
            PageBreaks::Markers => self.out += &format!("=== PAGE {} ===\n", self.page),
            PageBreaks::FormFeeds if self.page > 1 => self.out += "\u{c}",
            PageBreaks::FormFeeds => {}
        }
        if self.page > 1 && self.page % 2 == 1 {
            self.out += &format!("{DESIGNATION}\n\n{}\n\n", self.page);
        }
    }

    fn close_page(&mut self) {
        if self.page > 1 && self.page.is_multiple_of(2) {
            self.out += &format!("{DESIGNATION}\n\n{}\n\n", self.page);
        }
        self.out += "ETSI\n\n";
        if self.breaks == PageBreaks::Markers {
            self.out += &format!("=== END PAGE {} ===\n", self.page);
        }
    }

    fn line(&mut self, text: &str) {
        self.out += text;
        self.out += "\n";
        self.lines += 1;
        if self.lines >= PAGE_LINES {
            self.new_page();
        }
    }

    /// A text box: its lines, then the blank line pdfminer writes after every box.
    fn text_box(&mut self, lines: &[String]) {
        for line in lines {
            self.line(line);
        }
        self.line("");
    }

    fn new_page(&mut self) {
        self.close_page();
        self.open_page();
    }

    fn finish(mut self) -> String {
        self.close_page();
        self.out
    }
}

/// Deterministic filler words, none of them a modal verb or a capitalised word.
struct Filler(u64);

impl Filler {
    const WORDS: [&'static str; 16] = [
        "records",
        "keeps",
        "the",
        "operator",
        "service",
        "review",
        "of",
        "within",
        "each",
        "period",
        "agreed",
        "controls",
        "documented",
        "and",
        "staff",
        "evidence",
    ];

    fn words(&mut self, count: usize) -> String {
        (0..count)
            .map(|_| {
                self.0 = self
                    .0
                    .wrapping_mul(6364136223846793005)
                    .wrapping_add(1442695040888963407);
                Self::WORDS[(self.0 >> 33) as usize % Self::WORDS.len()]
            })
            .collect::<Vec<_>>()
            .join(" ")
    }
}

/// Wraps text at about 80 columns, as a text box's lines.
fn wrap(text: &str) -> Vec<String> {
    let mut lines = vec![String::new()];
    for word in text.split(' ') {
        let last = lines.last_mut().unwrap();
        if !last.is_empty() && last.len() + word.len() > 80 {
            lines.push(word.to_owned());
        } else {
            if !last.is_empty() {
                last.push(' ');
            }
            last.push_str(word);
        }
    }
    lines
}

fn page_of(index: usize) -> usize {
    7 + index / 4
}

fn contents(pages: &mut Pages, catalog: &Catalog, layout: Contents) {
    pages.text_box(&["Contents".into()]);
    let front = [
        "Intellectual Property Rights",
        "Foreword",
        "Modal verbs terminology",
    ];
    for title in front {
        pages.text_box(&[format!("{title} {} 5", ".".repeat(40))]);
    }
    let entries: Vec<(String, String, usize)> = catalog
        .sections
        .iter()
        .enumerate()
        .map(|(i, s)| (s.id.to_string(), s.title.clone(), page_of(i)))
        .collect();
    let leaders = |title: &str, page: usize| format!("{title} {} {page}", ".".repeat(30));
    match layout {
        Contents::DotLeaders => {
            for (number, title, page) in &entries {
                pages.line(&format!("{number} {}", leaders(title, *page)));
            }
            pages.line("");
        }
        Contents::Columns => {
            let numbers: Vec<String> = entries.iter().map(|e| e.0.clone()).collect();
            let titles: Vec<String> = entries.iter().map(|e| e.1.clone()).collect();
            let page_numbers: Vec<String> = entries.iter().map(|e| e.2.to_string()).collect();
            pages.text_box(&numbers);
            pages.text_box(&titles);
            pages.text_box(&page_numbers);
        }
        Contents::SeparateLines => {
            for (number, title, page) in &entries {
                pages.text_box(std::slice::from_ref(number));
                pages.text_box(&[leaders(title, *page)]);
            }
        }
    }
    pages.text_box(&["Annex A (informative):".into()]);
    pages.text_box(&[leaders("Mapping of requirements", 90)]);
    pages.text_box(&[leaders("History", 95)]);
}

fn front_matter(pages: &mut Pages, filler: &mut Filler) {
    pages.text_box(&["Foreword".into()]);
    pages.text_box(&wrap(&format!(
        "This European Standard was prepared. {}",
        filler.words(40)
    )));
    pages.text_box(&[
        "Date of adoption of this EN:".into(),
        "5 January 2026".into(),
    ]);
    pages.text_box(&["Modal verbs terminology".into()]);
    pages.text_box(&wrap(&format!(
        "Drafting rules apply. {}",
        filler.words(30)
    )));
}

fn modal(level: Level) -> &'static str {
    match level {
        Level::Should => "should",
        Level::May => "may",
        _ => "shall",
    }
}

fn requirement(pages: &mut Pages, filler: &mut Filler, r: &reqgap::model::Requirement, n: usize) {
    let mut conditional = String::new();
    if r.markers.contains(&Marker::Conditional) {
        conditional += " [CONDITIONAL]";
    }
    if r.markers.contains(&Marker::Choice) {
        conditional += " [CHOICE]";
    }
    let pro = if r.markers.contains(&Marker::Proportionate) && !r.id.as_str().starts_with("PRO-") {
        "[PRO] "
    } else {
        ""
    };
    if n.is_multiple_of(5) {
        pages.text_box(&["\u{f0b7}".into()]);
    }
    let words = 6 + (n * 7) % 45;
    let text = format!(
        "{}{conditional}: {pro}The TSP {} keep {} {}",
        r.id,
        modal(r.level),
        r.title.as_deref().unwrap_or("it").to_lowercase(),
        filler.words(words)
    );
    pages.text_box(&wrap(&text));
    if n.is_multiple_of(4) {
        for label in ["a)", "b)"] {
            pages.text_box(&[label.into()]);
            pages.text_box(&wrap(&filler.words(12 + n % 20)));
        }
    }
}

fn body(pages: &mut Pages, catalog: &Catalog, filler: &mut Filler) {
    for section in &catalog.sections {
        pages.text_box(&[section.id.to_string()]);
        pages.text_box(std::slice::from_ref(&section.title));
        let in_section: Vec<_> = catalog
            .requirements
            .iter()
            .filter(|r| r.section == section.id)
            .collect();
        if in_section.is_empty() {
            pages.text_box(&wrap(&format!("General text. {}", filler.words(25))));
        }
        for r in in_section {
            let n = catalog
                .requirements
                .iter()
                .position(|x| x.id == r.id)
                .unwrap();
            requirement(pages, filler, r, n);
        }
    }
    pages.text_box(&["Annex A (informative):".into()]);
    pages.text_box(&["Mapping of requirements".into()]);
    pages.text_box(&["REQ-5-01".into(), "REQ-6.1-01".into()]);
    pages.text_box(&["History".into()]);
}

/// A synthetic deliverable from the bundled catalog's structure, in pdfminer's layout.
fn pdfminer_text(layout: Contents, breaks: PageBreaks) -> String {
    let catalog = bundled();
    let mut filler = Filler(26);
    let mut pages = Pages::new(breaks);
    pages.text_box(&[DESIGNATION.into()]);
    pages.text_box(&[
        "Electronic Signatures and Trust Infrastructures (ESI);".into(),
        "General Policy Requirements for".into(),
        "Trust Service Providers".into(),
    ]);
    pages.text_box(&["EUROPEAN STANDARD".into()]);
    pages.new_page();
    contents(&mut pages, &catalog, layout);
    pages.new_page();
    front_matter(&mut pages, &mut filler);
    pages.new_page();
    body(&mut pages, &catalog, &mut filler);
    pages.finish()
}

fn import(text: &str) -> Imported {
    etsi_text::import(
        &SourceFile::new("en.txt", text),
        &HeaderOverrides::default(),
    )
    .unwrap()
}

/// No text keeps page furniture or a list label apart from its item.
fn assert_clean_texts(catalog: &Catalog) {
    for r in &catalog.requirements {
        for line in r.text.lines() {
            let line = line.trim();
            assert!(
                !line.contains("PAGE") && !line.contains("V3.2.1"),
                "{}: {line}",
                r.id
            );
            assert!(
                line != "ETSI" && line.parse::<u32>().is_err(),
                "{}: {line}",
                r.id
            );
            assert!(
                !matches!(line, "a)" | "b)"),
                "{}: label apart: {:?}",
                r.id,
                r.text
            );
        }
    }
}

#[test]
fn pdfminer_text_imports_every_requirement_in_every_contents_layout() {
    let reference = bundled();
    for layout in [
        Contents::DotLeaders,
        Contents::Columns,
        Contents::SeparateLines,
    ] {
        for breaks in [PageBreaks::Markers, PageBreaks::FormFeeds] {
            let imported = import(&pdfminer_text(layout, breaks));
            let catalog = &imported.catalog;
            assert_eq!(catalog.requirements.len(), 321, "{layout:?} {breaks:?}");
            let comparison = compare::compare(catalog, &reference);
            assert!(
                comparison.agrees(),
                "{layout:?} {breaks:?}: {}",
                comparison.render()
            );
            assert_clean_texts(catalog);
            assert_eq!(catalog.version.as_str(), "3.2.1");
        }
    }
}

#[test]
fn list_labels_on_lines_of_their_own_join_their_items() {
    let catalog = import(&pdfminer_text(Contents::Columns, PageBreaks::Markers)).catalog;
    let first = &catalog.requirements[0];
    let lines: Vec<&str> = first.text.lines().collect();
    assert_eq!(lines.len(), 3, "{:?}", first.text);
    assert!(lines[1].starts_with("a) ") && lines[2].starts_with("b) "));
}

#[test]
fn the_misprinted_id_is_warned_with_both_places() {
    let text = pdfminer_text(Contents::DotLeaders, PageBreaks::Markers);
    let imported = import(&text);
    let warning = imported
        .warnings
        .iter()
        .find(|w| w.code == "id-clause-mismatch")
        .expect("a clause mismatch warning");
    assert!(warning.message.contains(
        "REQ-7.11-1-02 names clause 7.11-1 but stands under clause 7.11.1 (heading at line "
    ));
    let heading_line = text.lines().position(|l| l == "7.11.1").unwrap() + 1;
    let body_heading = text.lines().skip(heading_line).position(|l| l == "7.11.1");
    let at = body_heading.map_or(heading_line, |i| heading_line + i + 1);
    assert!(
        warning.message.contains(&format!("line {at})")),
        "{}",
        warning.message
    );
    let location = warning.location.as_ref().unwrap().line.unwrap();
    assert_eq!(
        text.lines().nth(location - 1).unwrap().split(':').next(),
        Some("REQ-7.11-1-02")
    );
}

#[test]
fn an_excerpt_that_starts_at_clause_5_imports() {
    let text = pdfminer_text(Contents::Columns, PageBreaks::Markers);
    let lines: Vec<&str> = text.lines().collect();
    let start = lines
        .iter()
        .position(|l| l.starts_with("REQ-5-01"))
        .and_then(|id| lines[..id].iter().rposition(|l| *l == "5"))
        .unwrap();
    let excerpt = lines[start..].join("\n");
    let catalog = etsi_text::import(
        &SourceFile::new("excerpt.txt", excerpt),
        &HeaderOverrides {
            standard: Some("etsi-en-319-401".into()),
            version: Some("3.2.1".into()),
            title: Some("Excerpt".into()),
            published: chrono::NaiveDate::from_ymd_opt(2026, 1, 15),
        },
    )
    .unwrap()
    .catalog;
    let reference = bundled();
    let expected: Vec<_> = reference
        .requirements
        .iter()
        .filter(|r| r.section.as_str() != "4.2")
        .map(|r| (r.id.clone(), r.section.clone()))
        .collect();
    let found: Vec<_> = catalog
        .requirements
        .iter()
        .map(|r| (r.id.clone(), r.section.clone()))
        .collect();
    assert_eq!(found, expected);
    assert_clean_texts(&catalog);
}

#[test]
fn without_readable_headings_requirements_are_filed_under_their_ids_clause() {
    let text = pdfminer_text(Contents::Columns, PageBreaks::Markers);
    let reference = bundled();
    let titles: std::collections::BTreeSet<&str> = reference
        .sections
        .iter()
        .map(|s| s.title.as_str())
        .collect();
    // The headings' titles are lost (as in an extraction that drops a font): no heading
    // can be read, only the numbers remain.
    let body_at = text.find("=== PAGE 4 ===").unwrap();
    let (head, body) = text.split_at(body_at);
    let body: Vec<&str> = body.lines().filter(|l| !titles.contains(l)).collect();
    let imported = import(&format!("{head}{}", body.join("\n")));
    let catalog = &imported.catalog;
    assert_eq!(catalog.requirements.len(), 321);
    let same_section = catalog
        .requirements
        .iter()
        .zip(&reference.requirements)
        .filter(|(a, b)| a.id == b.id && a.section == b.section)
        .count();
    assert!(
        same_section >= 320,
        "{same_section} of 321 in the catalog's section"
    );
    let warnings: Vec<_> = imported
        .warnings
        .iter()
        .filter(|w| w.code == "section-from-id")
        .collect();
    assert_eq!(warnings.len(), 1);
    assert!(warnings[0]
        .message
        .contains("requirements stand under no readable heading"));
}
