//! One small inventory per gap kind (tests/fixtures/inventories/gaps/<case>), analysed with
//! `--today` pinned; each must produce exactly the kinds listed, and its table and JSON
//! reports are snapshot-tested.

use std::collections::BTreeSet;
use std::path::Path;

use chrono::NaiveDate;
use reqgap::gaps::GapReport;
use reqgap::report::{reporter, Format, Style};
use reqgap::Analysis;

fn today() -> NaiveDate {
    NaiveDate::parse_from_str("2026-11-26", "%Y-%m-%d").unwrap()
}

pub fn analyse(dir: &Path) -> GapReport {
    Analysis::new(dir, today())
        .run()
        .unwrap_or_else(|d| panic!("{}: {d}", dir.display()))
        .report
}

fn render(report: &GapReport, format: Format) -> String {
    let mut out = Vec::new();
    reporter(format, Style::default())
        .gaps(report, &mut out)
        .unwrap();
    String::from_utf8(out).unwrap()
}

/// Fixture → the gap keys it must produce, exactly.
const CASES: &[(&str, &[&str])] = &[
    ("no-gaps", &[]),
    ("uncovered", &["uncovered:demo-secure-ops@2.0:DSO-3-01"]),
    ("planned-only", &["uncovered:demo-secure-ops@2.0:DSO-3-01"]),
    ("partial", &["partial:demo-secure-ops@2.0:DSO-3-01"]),
    (
        "broken-dependency",
        &[
            "broken-dependency:demo-secure-ops@2.0:DSO-2-01:C-INC",
            "broken-dependency:demo-secure-ops@2.0:DSO-2-03:C-INC",
            "uncovered:demo-secure-ops@2.0:DSO-2-01",
            "uncovered:demo-secure-ops@2.0:DSO-2-03",
        ],
    ),
    ("unowned-control", &["unowned:control:C-REC"]),
    (
        "unowned-requirement",
        &[
            "uncovered:demo-secure-ops@2.0:DSO-3-01",
            "unowned:demo-secure-ops@2.0:DSO-3-01",
        ],
    ),
    (
        "stale-evidence",
        &["stale-evidence:control:C-POL:C-POL-approval"],
    ),
    (
        "needs-review",
        &["needs-review:demo-secure-ops@2.0:DSO-2-01:C-INC"],
    ),
    (
        "stale-reference",
        &["stale-reference:demo-secure-ops@2.0:DSO-2-04:C-REC"],
    ),
    (
        "obsolete-mapping",
        &[
            "obsolete-mapping:demo-secure-ops@1.0:DSO-2-05:C-INC",
            "needs-review:demo-secure-ops@2.0:DSO-2-01:C-INC",
        ],
    ),
    ("overdue", &["uncovered:demo-secure-ops@2.0:DSO-3-01"]),
    (
        "withdrawn-in-target",
        &[
            "needs-review:demo-withdrawals@1.0:ACC-1:C-ACC",
            "obsolete-mapping:demo-withdrawals@1.0:ACC-5:C-ACC",
            "stale-reference:demo-withdrawals@1.0:ACC-3:C-ACC",
            "needs-review:demo-withdrawals@1.0:ACC-8:C-ACC",
        ],
    ),
    ("newer-version", &["newer-version:demo-secure-ops@2.0"]),
];

#[test]
fn every_gap_fixture_is_listed() {
    let mut on_disk: Vec<String> = std::fs::read_dir("tests/fixtures/inventories/gaps")
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    on_disk.sort();
    let mut listed: Vec<&str> = CASES.iter().map(|(d, _)| *d).collect();
    listed.sort();
    assert_eq!(on_disk, listed);
}

#[test]
fn each_fixture_gives_exactly_its_gaps() {
    for (dir, expected) in CASES {
        let report = analyse(&Path::new("tests/fixtures/inventories/gaps").join(dir));
        let keys: BTreeSet<String> = report.gaps.iter().map(|g| g.key.to_string()).collect();
        let expected: BTreeSet<String> = expected.iter().map(|k| k.to_string()).collect();
        assert_eq!(keys, expected, "{dir}");
        insta::assert_snapshot!(format!("gaps-{dir}-table"), render(&report, Format::Table));
        insta::assert_snapshot!(format!("gaps-{dir}-json"), render(&report, Format::Json));
    }
}
