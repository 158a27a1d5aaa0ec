//! The management report: HTML parsed with an HTML5 parser (self-contained, hostile strings
//! escaped), the xlsx read back with calamine, the Markdown snapshot-tested, history read
//! from a folder of JSON gap reports.

use std::io::Cursor;
use std::path::Path;

use calamine::{open_workbook_from_rs, Data, Reader, Xlsx};
use chrono::NaiveDate;
use reqgap::source::history::{self, History};
use reqgap::summary::ManagementReport;
use reqgap::Analysis;
use scraper::{Html, Selector};

const DEMO: &str = "tests/fixtures/inventories/report/demo";
const HOSTILE: &str = "tests/fixtures/inventories/report/hostile";
const HISTORY: &str = "tests/fixtures/inventories/report/history";
const EXAMPLE: &str = "examples/trust-service-provider";

fn date(text: &str) -> NaiveDate {
    NaiveDate::parse_from_str(text, "%Y-%m-%d").unwrap()
}

fn build(dir: &str, today: &str, history: Option<&str>) -> ManagementReport {
    let analysed = Analysis::new(dir, date(today))
        .run()
        .unwrap_or_else(|d| panic!("{dir}: {d}"));
    let history = history.map_or_else(History::default, |h| history::load(Path::new(h)).unwrap());
    analysed.management_report(&history)
}

fn select<'a>(page: &'a Html, css: &str) -> Vec<scraper::ElementRef<'a>> {
    page.select(&Selector::parse(css).unwrap()).collect()
}

#[test]
fn html_is_one_valid_self_contained_page_with_every_section() {
    let report = build(EXAMPLE, "2026-11-26", None);
    let text = report.to_html();
    let page = Html::parse_document(&text);
    assert!(
        page.errors.is_empty(),
        "HTML5 parse errors: {:?}",
        page.errors
    );
    for id in [
        "summary", "new", "owners", "sections", "trend", "gaps", "legend",
    ] {
        assert_eq!(
            select(&page, &format!("section#{id}")).len(),
            1,
            "section {id}"
        );
    }
    assert!(select(&page, "script").is_empty());
    assert!(
        !text.contains("http://") && !text.contains("https://"),
        "external URL"
    );
    for element in select(&page, "[href], [src]") {
        let target = element
            .value()
            .attr("href")
            .or(element.value().attr("src"))
            .unwrap();
        assert!(target.starts_with('#'), "{target} leaves the page");
    }
    // Every chart and picture carries a text alternative.
    let charts = select(&page, "svg");
    assert!(charts.len() >= 2);
    for svg in charts {
        assert_eq!(svg.value().attr("role"), Some("img"));
        let labels = svg.value().attr("aria-labelledby").unwrap();
        for label in labels.split(' ') {
            assert_eq!(select(&page, &format!("#{label}")).len(), 1, "{label}");
        }
    }
    // The all-gaps table: one row per gap, IDs in no-wrap spans, highest severity first.
    let rows = select(&page, "section#gaps tbody tr");
    assert_eq!(rows.len(), report.gaps.len());
    let severity = Selector::parse("td .sev").unwrap();
    let ranks: Vec<usize> = rows
        .iter()
        .map(|r| {
            let s = r
                .select(&severity)
                .next()
                .unwrap()
                .text()
                .collect::<String>();
            ["high", "medium", "low", "info"]
                .iter()
                .position(|x| *x == s)
                .unwrap()
        })
        .collect();
    assert!(
        ranks.windows(2).all(|w| w[0] <= w[1]),
        "not sorted by severity"
    );
    assert!(text.contains(".id{white-space:nowrap"));
    assert!(text.contains("@media print") && text.contains("size:A4"));
    // A gap key may wrap only between its parts (so that it fits an A4 column): each part
    // is a no-wrap span ending in its colon, and the parts read back as the whole key.
    let keys = select(&page, "section#gaps tbody tr span.key");
    assert_eq!(keys.len(), report.gaps.len());
    let part = Selector::parse("span.id").unwrap();
    for (key, gap) in keys.iter().zip(&report.gaps) {
        let parts: Vec<String> = key.select(&part).map(|p| p.text().collect()).collect();
        assert_eq!(parts.concat(), gap.key.to_string());
        assert!(parts[..parts.len() - 1].iter().all(|p| p.ends_with(':')));
    }
    // Owner IDs in the owner and escalation columns never wrap at their hyphens.
    let owner_ids: Vec<String> = select(&page, "section#gaps tbody td span.id")
        .iter()
        .map(|s| s.text().collect::<String>())
        .filter(|t| t.starts_with('('))
        .collect();
    assert!(
        owner_ids.iter().any(|t| t == "(it-operations-lead)"),
        "{owner_ids:?}"
    );
}

#[test]
fn hostile_strings_stay_text() {
    let report = build(HOSTILE, "2027-05-01", None);
    let text = report.to_html();
    let page = Html::parse_document(&text);
    assert!(page.errors.is_empty(), "{:?}", page.errors);
    assert!(
        select(&page, "script").is_empty(),
        "a script element was injected"
    );
    assert!(
        select(&page, "img").is_empty(),
        "an img element was injected"
    );
    assert!(
        select(&page, "b").is_empty(),
        "markup in the organisation was kept"
    );
    let body: String = select(&page, "body")[0].text().collect();
    assert!(body.contains("<script>alert('owner')</script>"));
    assert!(body.contains("\"><img src=x onerror=alert(1)>"));
    assert!(
        body.contains("\"><img src=x onerror=alert(2)>"),
        "control title missing"
    );
    let title: String = select(&page, "title")[0].text().collect();
    assert!(title.contains("Evil & Co <b>bold</b>"));
}

#[test]
fn xlsx_reads_back_with_the_expected_sheets_and_rows() {
    let report = build(DEMO, "2027-05-01", Some(HISTORY));
    let bytes = report.to_xlsx().unwrap();
    let mut book: Xlsx<_> = open_workbook_from_rs(Cursor::new(bytes)).unwrap();
    let names = book.sheet_names();
    assert_eq!(
        names,
        [
            "Summary",
            "Gaps",
            "New in edition",
            "Trend",
            // A name longer than Excel's 31 characters gives way to the owner ID, so that
            // two long names cut alike cannot look the same.
            "ciso",
            "Incident Lead",
            "Supplier Manager",
        ]
    );
    let gaps = book.worksheet_range("Gaps").unwrap();
    assert_eq!(gaps.height(), report.gaps.len() + 1);
    assert_eq!(gaps.get((0, 4)), Some(&Data::String("Due".into())));
    assert!(
        matches!(gaps.get((1, 4)), Some(Data::DateTime(d)) if d.as_f64() as i64 == 46_477),
        "due is not the date 2027-03-31: {:?}",
        gaps.get((1, 4))
    );
    assert_eq!(gaps.get((1, 3)), Some(&Data::String("overdue".into())));
    // Rank and severity order as numbers: sorting the sheet by them gives the report's order,
    // not the alphabet's (high, info, low, medium).
    assert_eq!(gaps.get((0, 16)), Some(&Data::String("Rank".into())));
    let column = |col: u32| -> Vec<f64> {
        (1..gaps.height() as u32)
            .map(|row| match gaps.get((row as usize, col as usize)) {
                Some(Data::Float(n)) => *n,
                other => panic!("{other:?}"),
            })
            .collect()
    };
    let ranks = column(16);
    assert_eq!(
        ranks,
        (1..=report.gaps.len())
            .map(|n| n as f64)
            .collect::<Vec<_>>()
    );
    let severity_order = column(17);
    assert!(severity_order.windows(2).all(|w| w[0] <= w[1]));
    let trend = book.worksheet_range("Trend").unwrap();
    assert_eq!(trend.height(), report.trend.len() + 1);
    assert!(matches!(trend.get((1, 0)), Some(Data::DateTime(_))));
    let edition = book.worksheet_range("New in edition").unwrap();
    assert_eq!(edition.height(), report.new_in_edition.len() + 1);
    let incident = book.worksheet_range("Incident Lead").unwrap();
    assert_eq!(incident.height(), 1 + 2);
    let summary = book.worksheet_range("Summary").unwrap();
    assert_eq!(
        summary.get((4, 0)),
        Some(&Data::String("demo-secure-ops@2.0".into()))
    );
    assert_eq!(
        summary.get((4, 9)),
        Some(&Data::Float(report.gaps.len() as f64))
    );
    // The last report's date is a date cell beside its label.
    let last = (0..summary.height())
        .find(|row| summary.get((*row, 0)) == Some(&Data::String("Last report".into())))
        .expect("a Last report row");
    assert!(matches!(summary.get((last, 1)), Some(Data::DateTime(_))));
}

#[test]
fn xlsx_of_the_same_input_is_byte_identical() {
    let report = build(DEMO, "2027-05-01", None);
    assert_eq!(report.to_xlsx().unwrap(), report.to_xlsx().unwrap());
}

#[test]
fn history_gives_the_trend_and_the_change_since_the_last_report() {
    let report = build(DEMO, "2027-05-01", Some(HISTORY));
    let trend: Vec<(String, usize, usize)> = report
        .trend
        .iter()
        .map(|p| (p.date.to_string(), p.open, p.overdue))
        .collect();
    assert_eq!(
        trend,
        [
            ("2027-02-01".into(), 5, 1),
            ("2027-04-01".into(), 4, 4),
            ("2027-05-01".into(), 4, 4),
        ]
    );
    let movement = report.since_last.as_ref().unwrap();
    assert_eq!(movement.since, date("2027-04-01"));
    assert_eq!((movement.new, movement.resolved), (0, 0));
    // Compared with February, the stale-evidence gap is resolved.
    let earlier = build(DEMO, "2027-03-01", Some(HISTORY));
    let movement = earlier.since_last.as_ref().unwrap();
    assert_eq!((movement.since, movement.resolved), (date("2027-02-01"), 1));
}

#[test]
fn new_in_edition_lists_added_and_changed_requirements_with_their_state() {
    let report = build(DEMO, "2027-05-01", None);
    let items: Vec<String> = report
        .new_in_edition
        .iter()
        .map(|i| format!("{} {} {}", i.requirement.id, i.new_in.change, i.state))
        .collect();
    assert_eq!(
        items,
        [
            "DSO-1.1-02 changed needs-review",
            "DSO-2-01 changed needs-review",
            "DSO-2-03 added uncovered",
            "DSO-3-01 added uncovered",
        ]
    );
    let target = &report.targets[0];
    assert_eq!(
        target.reviewed_against.as_ref().unwrap().to_string(),
        "demo-secure-ops@1.0"
    );
    let covered: usize = target.sections.iter().map(|s| s.covered).sum();
    assert_eq!(
        covered, target.summary.covered,
        "clauses add up to the target"
    );
}

#[test]
fn markdown_report() {
    let report = build(DEMO, "2027-05-01", Some(HISTORY));
    insta::assert_snapshot!("report-demo-markdown", report.to_markdown());
}

#[test]
fn example_coverage_by_clause_adds_up_to_the_summary() {
    let report = build(EXAMPLE, "2026-11-26", None);
    for target in &report.targets {
        let sum = |f: fn(&reqgap::summary::SectionBar) -> usize| {
            target.sections.iter().map(f).sum::<usize>()
        };
        let s = &target.summary;
        assert_eq!(sum(|b| b.total), s.requirements);
        assert_eq!(sum(|b| b.covered), s.covered);
        assert_eq!(sum(|b| b.partial), s.partial);
        assert_eq!(sum(|b| b.needs_review), s.needs_review);
        assert_eq!(sum(|b| b.uncovered), s.uncovered);
    }
}

/// The xlsx lists every crosswalk path of the example's NIS2 target (one row per path, no
/// cap), beside the requirement it meets and what a partial claim still lacks.
#[test]
fn xlsx_lists_every_crosswalk_path() {
    let report = build(EXAMPLE, "2026-11-26", None);
    let bytes = report.to_xlsx().unwrap();
    let mut book: Xlsx<_> = open_workbook_from_rs(Cursor::new(bytes)).unwrap();
    assert!(book.sheet_names().contains(&"Crosswalk paths".to_owned()));
    let sheet = book.worksheet_range("Crosswalk paths").unwrap();
    let expected: usize = report
        .targets
        .iter()
        .flat_map(|t| &t.summary.through_crosswalks)
        .map(|t| t.through.paths.len().max(1))
        .sum();
    assert!(
        expected > 3,
        "the example should meet NIS2 through several paths"
    );
    assert_eq!(sheet.height(), expected + 1);
    let cell = |row: usize, col: usize| match sheet.get((row, col)) {
        Some(Data::String(s)) => s.clone(),
        other => panic!("({row}, {col}): {other:?}"),
    };
    assert_eq!(cell(0, 3), "Path");
    assert_eq!(cell(1, 0), "eu-nis2-directive@2022-2555");
    assert!(cell(1, 3).contains(" → "), "{}", cell(1, 3));
    assert_eq!(cell(1, 2), "partial");
    assert!(
        cell(1, 4).contains("etsi-en-319-401@3.2.1:"),
        "{}",
        cell(1, 4)
    );
}

#[test]
fn the_board_page_ranks_and_the_rest_starts_on_new_pages() {
    let report = build(EXAMPLE, "2026-11-26", None);
    let text = report.to_html();
    let page = Html::parse_document(&text);
    // The board page comes first, with each target's top 5 by rank.
    let first = select(&page, "body > section")[0];
    assert_eq!(first.value().attr("id"), Some("summary"));
    let tops = select(&page, "section#summary table.top");
    assert_eq!(tops.len(), report.targets.len());
    let part = Selector::parse("tbody tr").unwrap();
    for (table, target) in tops.iter().zip(&report.targets) {
        assert_eq!(table.select(&part).count(), 5);
        let ranked: Vec<usize> = report
            .gaps
            .iter()
            .enumerate()
            .filter(|(_, g)| g.target.as_ref() == Some(&target.summary.catalog))
            .map(|(i, _)| i)
            .take(5)
            .collect();
        assert_eq!(target.top, ranked);
    }
    assert_eq!(select(&page, "section#summary .decisions").len(), 1);
    // Ranked, the example's top gap is new in the edition (it ties on severity and due date
    // with 190 others), not the first in key order.
    let top = &report.gaps[report.targets[0].top[0]];
    assert!(top.new_in.is_some(), "{}", top.key);
    // Owner sections list each gap once; the appendix lists every gap once.
    let owner_rows = select(&page, "section#owners table.owner tbody tr");
    assert_eq!(owner_rows.len(), report.gaps.len());
    assert!(text.contains("section{break-before:page}"));
}

/// A CA's "new in this edition" names, per BR section, the ballots that changed it since the
/// last self-assessment and when its gap is due, in every format.
#[test]
fn new_in_edition_names_the_ballots_and_due_dates_of_a_revision_table() {
    let report = build("examples/certificate-authority", "2026-04-15", None);
    let row = "| `BR-6.3.2` | 6.3.2 | changed | SC081 2.1.5 (effective 2025-05-16), SC095 2.2.6 (effective 2026-03-31) | 2026-03-15 |";
    assert!(report.to_markdown().contains(row));
    let page = Html::parse_document(&report.to_html());
    let cells: Vec<String> = select(&page, "table.edition tr")
        .into_iter()
        .map(|tr| tr.text().collect::<Vec<_>>().join("|"))
        .filter(|t| t.starts_with("BR-6.3.2|"))
        .collect();
    assert_eq!(cells.len(), 1);
    assert!(
        cells[0].contains("SC081 2.1.5 (effective 2025-05-16)"),
        "{cells:?}"
    );
    let bytes = report.to_xlsx().unwrap();
    let mut book: Xlsx<_> = open_workbook_from_rs(Cursor::new(bytes)).unwrap();
    let edition = book.worksheet_range("New in edition").unwrap();
    let line = (0..edition.height())
        .find(|r| edition.get((*r, 2)) == Some(&Data::String("BR-6.3.2".into())))
        .expect("a BR-6.3.2 row");
    assert_eq!(
        edition.get((line, 10)),
        Some(&Data::String(
            "SC081 2.1.5 (effective 2025-05-16), SC095 2.2.6 (effective 2026-03-31)".into()
        ))
    );
    assert!(matches!(edition.get((line, 11)), Some(Data::DateTime(_))));
    // A standard without a revision table keeps the table it had.
    let etsi = build(EXAMPLE, "2026-11-26", None).to_markdown();
    assert!(!etsi.contains("| Ballots |"));
}
