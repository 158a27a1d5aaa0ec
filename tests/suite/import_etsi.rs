//! The ETSI importer on one synthetic deliverable in the forms users have it in: the PDF
//! (written by this test's own generator), `pdftotext -layout` text, and text without form
//! feeds. All three must give the same catalog, exactly: IDs, sections, levels, markers,
//! withdrawn entries and table rows.
//!
//! The deliverable (`tests/fixtures/import/etsi/ts-119-499-layout.txt`) is invented
//! wording in the ETSI layout, with the traps found on real deliverables: a cover whose
//! document kind stands between designation and title, a contents page with a wrapped
//! entry, a foreword with dates and wrapped lines that start with numbers, a heading whose
//! number and title sit on two lines, bullets before IDs, a marker inside the first
//! sentence, a list continuing over a page break, a Void entry, a NOTE, a table inside a
//! requirement, a wrapped line that starts with an ID, and an annex citing IDs.

use lopdf::content::{Content, Operation};
use lopdf::{dictionary, Document, Object, Stream, StringFormat};
use reqgap::diag::{Diagnostics, SourceFile};
use reqgap::import::{self, etsi_text, HeaderOverrides, Imported};
use reqgap::model::{Catalog, Level, Marker, Status};

const LAYOUT: &str = "tests/fixtures/import/etsi/ts-119-499-layout.txt";
const NO_FORM_FEEDS: &str = "tests/fixtures/import/etsi/ts-119-499-no-form-feeds.txt";
/// What poppler's `pdftotext -layout` and plain `pdftotext` made of the generated PDF
/// (run once by hand, kept so that the tests need no poppler).
const POPPLER_LAYOUT: &str = "tests/fixtures/import/etsi/ts-119-499-poppler-layout.txt";
const POPPLER_PLAIN: &str = "tests/fixtures/import/etsi/ts-119-499-poppler-plain.txt";

/// Courier: every glyph is 600/1000 of the font size wide, so text columns map to x
/// positions exactly, as they do in the layout text.
const GLYPH_WIDTH: i64 = 600;
const FONT_SIZE: f32 = 7.0;
const LEFT: f32 = 50.0;
const TOP: f32 = 800.0;
const LINE_PITCH: f32 = 9.0;

/// A PDF with the text of `layout` at the places its columns and lines give, one page per
/// form feed. Runs of text separated by two or more spaces are shown separately, as a
/// word processor places tab-separated columns; the generator varies the operators
/// (`Td`, `Tm`, `TJ` with kerning instead of spaces) the way real producers do.
fn pdf_from_layout(layout: &str) -> Vec<u8> {
    let mut document = Document::with_version("1.5");
    let pages_id = document.new_object_id();
    let widths: Vec<Object> = (32..=255).map(|_| GLYPH_WIDTH.into()).collect();
    let font_id = document.add_object(dictionary! {
        "Type" => "Font", "Subtype" => "Type1", "BaseFont" => "Courier",
        "Encoding" => "WinAnsiEncoding", "FirstChar" => 32, "LastChar" => 255,
        "Widths" => widths,
    });
    let resources_id =
        document.add_object(dictionary! { "Font" => dictionary! { "F1" => font_id } });
    let mut kids = Vec::new();
    for page in layout.split('\u{c}') {
        let content = Content {
            operations: page_operations(page),
        };
        let stream = Stream::new(dictionary! {}, content.encode().unwrap());
        let content_id = document.add_object(stream);
        let page_id = document.add_object(dictionary! {
            "Type" => "Page", "Parent" => pages_id, "Contents" => content_id,
            "Resources" => resources_id, "MediaBox" => vec![0.into(), 0.into(), 595.into(), 842.into()],
        });
        kids.push(Object::from(page_id));
    }
    let count = kids.len() as i64;
    document.objects.insert(
        pages_id,
        Object::Dictionary(dictionary! { "Type" => "Pages", "Kids" => kids, "Count" => count }),
    );
    let catalog_id = document.add_object(dictionary! { "Type" => "Catalog", "Pages" => pages_id });
    document.trailer.set("Root", catalog_id);
    document.compress();
    let mut bytes = Vec::new();
    document.save_to(&mut bytes).unwrap();
    bytes
}

fn page_operations(page: &str) -> Vec<Operation> {
    let mut operations = Vec::new();
    for (row, line) in page.split('\n').enumerate() {
        let y = TOP - row as f32 * LINE_PITCH;
        for (index, (column, run)) in runs(line).into_iter().enumerate() {
            let x = LEFT + column as f32 * GLYPH_WIDTH as f32 / 1000.0 * FONT_SIZE;
            operations.push(Operation::new("BT", vec![]));
            operations.push(Operation::new("Tf", vec!["F1".into(), FONT_SIZE.into()]));
            if (row + index) % 2 == 0 {
                operations.push(Operation::new("Td", vec![x.into(), y.into()]));
            } else {
                let matrix = [1.0, 0.0, 0.0, 1.0, x, y];
                operations.push(Operation::new("Tm", matrix.map(Object::from).to_vec()));
            }
            operations.push(show(run, row % 3 == 0));
            operations.push(Operation::new("ET", vec![]));
        }
    }
    operations
}

/// `Tj` with the spaces as characters, or `TJ` with each space replaced by a kerning
/// adjustment of one glyph width, as producers that position words do.
fn show(run: &str, kerned: bool) -> Operation {
    if !kerned || !run.contains(' ') {
        return Operation::new("Tj", vec![pdf_string(run)]);
    }
    let mut items = Vec::new();
    for (i, word) in run.split(' ').enumerate() {
        if i > 0 {
            items.push(Object::Integer(-GLYPH_WIDTH));
        }
        items.push(pdf_string(word));
    }
    Operation::new("TJ", vec![Object::Array(items)])
}

/// WinAnsi bytes of the fixture's characters (ASCII and the bullet).
fn pdf_string(text: &str) -> Object {
    let bytes = text
        .chars()
        .map(|c| match c {
            '•' => 0x95,
            c if c.is_ascii() => c as u8,
            other => panic!("the fixture uses `{other}`, which the generator cannot encode"),
        })
        .collect();
    Object::String(bytes, StringFormat::Literal)
}

/// Runs of text separated by two or more spaces, with their start column.
fn runs(line: &str) -> Vec<(usize, &str)> {
    let mut out = Vec::new();
    let chars: Vec<(usize, char)> = line.char_indices().collect();
    let mut start: Option<usize> = None;
    for (i, &(_, c)) in chars.iter().enumerate() {
        let gap = c == ' ' && chars.get(i + 1).is_none_or(|(_, n)| *n == ' ');
        match (start, c == ' ' && gap) {
            (None, false) if c != ' ' => start = Some(i),
            (Some(s), true) => {
                out.push((s, &line[chars[s].0..chars[i].0]));
                start = None;
            }
            _ => {}
        }
    }
    if let Some(s) = start {
        out.push((s, line[chars[s].0..].trim_end()));
    }
    out
}

fn import_file(path: &str) -> Imported {
    let bytes = std::fs::read(path).unwrap();
    let (file, _) = etsi_text::read_document(path, bytes).unwrap();
    etsi_text::import(&file, &HeaderOverrides::default()).unwrap()
}

fn import_pdf() -> (SourceFile, Imported) {
    let pdf = pdf_from_layout(&std::fs::read_to_string(LAYOUT).unwrap());
    let (file, form) = etsi_text::read_document("ts-119-499.pdf", pdf).unwrap();
    assert_eq!(form, etsi_text::InputForm::Pdf);
    let imported = etsi_text::import(&file, &HeaderOverrides::default()).unwrap();
    (file, imported)
}

/// The catalog without what names the input file.
fn content(catalog: &Catalog) -> Catalog {
    Catalog {
        source: String::new(),
        origin: reqgap::model::Origin::Bundled(String::new()),
        ..catalog.clone()
    }
}

#[test]
fn pdf_layout_text_and_text_without_form_feeds_give_the_same_catalog() {
    let layout = import_file(LAYOUT);
    let no_form_feeds = import_file(NO_FORM_FEEDS);
    let (_, pdf) = import_pdf();
    assert_eq!(content(&layout.catalog), content(&no_form_feeds.catalog));
    assert_eq!(content(&layout.catalog), content(&pdf.catalog));
    let codes = |i: &Imported| i.warnings.iter().map(|w| w.code).collect::<Vec<_>>();
    assert_eq!(codes(&layout), codes(&pdf));
    assert_eq!(codes(&layout), codes(&no_form_feeds));
    import::render(&pdf.catalog).expect("the PDF import re-validates");
}

#[test]
fn poppler_text_of_the_generated_pdf_gives_the_same_catalog() {
    let layout = import_file(LAYOUT).catalog;
    assert_eq!(
        content(&import_file(POPPLER_LAYOUT).catalog),
        content(&layout)
    );
    // Plain pdftotext reads columns one after the other: headings come as stacked numbers
    // then titles, bullets on lines of their own, and table cells column by column, so
    // everything but the table's text is the same.
    let plain = import_file(POPPLER_PLAIN).catalog;
    let shape = |c: &Catalog| {
        c.requirements
            .iter()
            .map(|r| {
                (
                    r.id.clone(),
                    r.section.clone(),
                    r.level,
                    r.status,
                    r.markers.clone(),
                )
            })
            .collect::<Vec<_>>()
    };
    assert_eq!(shape(&plain), shape(&layout));
    assert_eq!(plain.sections, layout.sections);
    let same_text =
        |id: &str| plain.requirement(id).unwrap().text == layout.requirement(id).unwrap().text;
    let differing: Vec<&str> = layout
        .requirements
        .iter()
        .map(|r| r.id.as_str())
        .filter(|id| !same_text(id))
        .collect();
    assert_eq!(
        differing,
        ["OPS-4.2-01", "OPS-4.2-02"],
        "only the table and the text after it"
    );
}

#[test]
fn the_deliverable_gives_exactly_its_ids_sections_levels_and_markers() {
    let catalog = import_file(LAYOUT).catalog;
    let ids: Vec<(&str, &str, Level)> = catalog
        .requirements
        .iter()
        .map(|r| (r.id.as_str(), r.section.as_str(), r.level))
        .collect();
    assert_eq!(
        ids,
        [
            ("GEN-3-01", "3", Level::Shall),
            ("GEN-3-02", "3", Level::Shall),
            ("GEN-3-03", "3", Level::Informative),
            ("OPS-4.1-01", "4.1", Level::Shall),
            ("OPS-4.1-02", "4.1", Level::Shall),
            ("OPS-4.2-01", "4.2", Level::Shall),
            ("OPS-4.2-02", "4.2", Level::May),
            ("PRO-5-01", "5", Level::Shall),
            ("REQ-5-02", "5", Level::Shall),
        ]
    );
    let sections: Vec<(&str, &str)> = catalog
        .sections
        .iter()
        .map(|s| (s.id.as_str(), s.title.as_str()))
        .collect();
    assert_eq!(
        sections,
        [
            ("1", "Scope"),
            ("2", "Definitions"),
            ("3", "General rules"),
            ("4", "Operation of the service"),
            ("4.1", "Staff"),
            (
                "4.2",
                "Records of events that the operator keeps, and the periods for which it keeps them"
            ),
            ("5", "Continuity"),
        ]
    );
    assert_eq!(
        catalog.title,
        "Electronic Signatures and Trust Infrastructures (ESI); Invented Operating Rules for Synthetic Trust Services"
    );
    let get = |id: &str| catalog.requirement(id).unwrap();
    assert_eq!(get("GEN-3-03").status, Status::Withdrawn);
    assert!(
        get("GEN-3-02").markers.contains(&Marker::Choice),
        "marker inside the first sentence"
    );
    assert!(get("OPS-4.1-02").markers.contains(&Marker::Conditional));
    assert!(get("PRO-5-01").markers.contains(&Marker::Proportionate));
    assert_eq!(
        get("OPS-4.1-01").text,
        "The operator shall check, before hiring:\na) the identity of the candidate;\nb) the qualifications claimed; and\nc) the absence of relevant convictions.\n\nNOTE: A check may reuse the results of an earlier one, which shall then be dated.",
        "the list continues over the page break; the note is its own paragraph"
    );
    assert_eq!(
        get("OPS-4.2-01").text,
        "The operator shall keep each record for the period below:\nRecord | Period\nAudit log | 7 years\nCertificate request | 10 years",
        "table rows are kept as rows"
    );
}

#[test]
fn every_line_not_used_is_reported_with_its_line() {
    let imported = import_file(LAYOUT);
    let found: Vec<(&str, Option<usize>)> = imported
        .warnings
        .iter()
        .map(|w| (w.code.as_str(), w.location.as_ref().and_then(|l| l.line)))
        .collect();
    assert_eq!(
        found,
        [("month-only-date", Some(4)), ("unparsed-id", Some(105)),]
    );
}

#[test]
fn pdf_text_keeps_columns_indentation_and_page_breaks() {
    let (file, _) = import_pdf();
    let pages: Vec<&str> = file.text.split('\u{c}').collect();
    assert_eq!(pages.len(), 9);
    assert!(file
        .text
        .lines()
        .any(|l| l == "   •      GEN-3-01:    The operator shall publish its practice statement."));
    assert!(file
        .text
        .lines()
        .any(|l| l.trim_start().starts_with("Record") && l.contains("   Period")));
}

fn etsi_text_errors(text: &str) -> Diagnostics {
    etsi_text::import(&SourceFile::new("t.txt", text), &HeaderOverrides::default()).unwrap_err()
}

const COVER: &str = "ETSI TS 119 999 V1.1.1 (2025-02)\n\nAn Invented Title\n\n";

#[test]
fn a_document_without_requirements_is_an_error_that_says_what_was_expected() {
    let no_clause_1 = etsi_text_errors(&format!("{COVER}Foreword\nSome text.\n"));
    assert_eq!(no_clause_1.0[0].code, "no-requirements");
    assert!(no_clause_1.0[0].notes[0].contains("clause 1 was not found"));
    let no_ids = etsi_text_errors(&format!("{COVER}1  Scope\nText only.\n2  More\nText.\n"));
    assert!(no_ids.0[0].notes[0].contains("read 2 sections (1 to 2)"));
    assert_eq!(no_ids.0[0].location.as_ref().unwrap().line, Some(1));
}

#[test]
fn importer_outputs_that_would_not_validate_are_located_input_errors() {
    let empty = etsi_text_errors(&format!(
        "{COVER}1  Scope\nREQ-1-01:\nREQ-1-02: The TSP shall b.\n"
    ));
    assert_eq!(empty.0[0].code, "requirement-without-text");
    assert_eq!(empty.0[0].location.as_ref().unwrap().line, Some(6));
    let year = etsi_text_errors(
        "ETSI TS 119 999 V1.1.1 (10000-01)\n\nTitle\n\n1  Scope\nREQ-1-01: The TSP shall a.\n",
    );
    assert_eq!(year.0[0].code, "bad-date");
    assert_eq!(year.0[0].location.as_ref().unwrap().line, Some(1));
}

#[test]
fn symbol_font_bullets_and_en_dashes_before_ids_are_bullets() {
    let text = format!("{COVER}1  Scope\n\u{f0b7}   REQ-1-01: The TSP shall a:\n      \u{f0b7}   one;\n–  REQ-1-02: The TSP shall b.\n");
    let catalog = etsi_text::import(&SourceFile::new("t.txt", text), &HeaderOverrides::default())
        .unwrap()
        .catalog;
    let ids: Vec<&str> = catalog.requirements.iter().map(|r| r.id.as_str()).collect();
    assert_eq!(ids, ["REQ-1-01", "REQ-1-02"]);
    assert_eq!(catalog.requirements[0].text, "The TSP shall a:\n• one;");
}

#[test]
fn ids_in_the_front_matter_are_reported() {
    let text = format!("{COVER}Foreword\nREQ-1-01: stray.\n1  Scope\nREQ-1-02: The TSP shall b.\n");
    let imported =
        etsi_text::import(&SourceFile::new("t.txt", text), &HeaderOverrides::default()).unwrap();
    assert!(imported
        .warnings
        .iter()
        .any(|w| w.code == "id-before-clause-1"));
}

#[test]
fn the_committed_pdf_gives_the_layout_texts_catalog() {
    // The CLI cases and the poppler fixtures use tests/fixtures/import/etsi/ts-119-499.pdf,
    // written by the generator above (its bytes depend on the compressor's version, so the
    // catalog is compared, not the bytes).
    let committed = import_file("tests/fixtures/import/etsi/ts-119-499.pdf");
    assert_eq!(
        content(&committed.catalog),
        content(&import_file(LAYOUT).catalog)
    );
}
