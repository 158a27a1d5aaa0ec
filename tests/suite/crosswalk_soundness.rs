//! Sound inference through crosswalks, end to end: the three-standards fixture (a subset
//! of something that holds a third requirement says nothing about it), a reviewed
//! `no-relationship`, and NIS2 Art. 23 reached through ETSI EN 319 401 clause 7.9.3 in the
//! bundled example.

use std::path::{Path, PathBuf};

use chrono::NaiveDate;
use reqgap::gaps::coverage::{matrix, How, Matrix};
use reqgap::gaps::{Cause, GapReport};
use reqgap::model::CatalogSet;
use reqgap::Analysis;

use crate::support::copy_dir;

const THREE: &str = "tests/fixtures/crosswalk/three-standards";
const EXAMPLE: &str = "examples/trust-service-provider";

fn today() -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, 11, 26).expect("date")
}

fn analysed(dir: &Path) -> (GapReport, CatalogSet) {
    let analysed = Analysis::new(dir, today())
        .run()
        .unwrap_or_else(|d| panic!("{d}"));
    (analysed.report, analysed.loaded.catalogs)
}

fn coverage(report: &GapReport, catalogs: &CatalogSet, target: &str) -> Matrix {
    let catalog = catalogs.get(&target.parse().expect("key")).expect("target");
    matrix(report, catalog)
}

fn how(matrix: &Matrix, id: &str) -> How {
    matrix
        .rows
        .iter()
        .find(|r| r.requirement.id.as_str() == id)
        .map(|r| r.how)
        .expect("row")
}

#[test]
fn the_three_standards_are_judged_by_what_the_relations_say() {
    let (report, catalogs) = analysed(&Path::new(THREE).join("inventory"));
    let b = coverage(&report, &catalogs, "b@1");
    assert_eq!(how(&b, "B-1"), How::Partial, "a subset is only part of B-1");
    assert_eq!(how(&b, "B-2"), How::Via);
    assert_eq!(how(&b, "B-3"), How::Uncovered, "no-relationship is no path");
    let c = coverage(&report, &catalogs, "c@1");
    assert_eq!(how(&c, "C-1"), How::Review, "neither covered nor partial");
    assert_eq!(how(&c, "C-2"), How::Via);
    let c1 = c
        .rows
        .iter()
        .find(|r| r.requirement.id.as_str() == "C-1")
        .expect("C-1");
    assert!(c1.paths.is_empty());
    assert_eq!(c1.undetermined.len(), 1);
    let review = report
        .gaps
        .iter()
        .find(|g| g.key == "needs-review:c@1:C-1")
        .expect("a review item for C-1");
    assert!(matches!(
        review.cause,
        Cause::UndeterminedThroughCrosswalk { .. }
    ));
    assert!(!report
        .gaps
        .iter()
        .any(|g| g.key.to_string().starts_with("partial:c@1:C-1")));
}

#[test]
fn no_relationship_validates_in_a_crosswalk_and_is_refused_in_a_transition() {
    let catalogs = CatalogSet::load(&[PathBuf::from(THREE).join("catalogs")]).expect("catalogs");
    let crosswalk = reqgap::source::crosswalk::load_file(
        &Path::new(THREE).join("crosswalks/a--b.yaml"),
        &catalogs,
    )
    .expect("no-relationship is a relation a crosswalk may state");
    assert_eq!(crosswalk.entries.len(), 3);
    let dir = tempfile::tempdir().expect("tempdir");
    let transition = dir.path().join("1--2.yaml");
    std::fs::write(
        &transition,
        "from: etsi-en-319-401@3.1.1\nto: etsi-en-319-401@3.2.1\nsource: test\ncorrespondences:\n- from: [REQ-5-01]\n  to: [REQ-5-01]\n  relation: no-relationship\n",
    )
    .expect("write");
    let bundled = CatalogSet::bundled().expect("bundled");
    let problems = reqgap::source::transition::load_file(&transition, &bundled)
        .expect_err("refused")
        .to_string();
    assert!(
        problems.contains("no-relationship-in-transition"),
        "{problems}"
    );
    assert!(problems.contains(":7:"), "located at its line: {problems}");
}

#[test]
fn nis2_article_23_is_reached_through_etsi_7_9_3() {
    let (report, _) = analysed(Path::new(EXAMPLE));
    let early_warning = report
        .gaps
        .iter()
        .find(|g| g.key == "uncovered:eu-nis2-directive@2022-2555:ART-23.4-a")
        .expect("ART-23.4-a is open while INC-05 is only planned");
    let Cause::NoActiveControl {
        through_crosswalks, ..
    } = &early_warning.cause
    else {
        panic!("{:?}", early_warning.cause);
    };
    let pieces: Vec<String> = through_crosswalks
        .iter()
        .map(|k| k.id.to_string())
        .collect();
    assert_eq!(
        pieces,
        [
            "REQ-7.9.3-07",
            "REQ-7.9.3-08",
            "REQ-7.9.3-09",
            "REQ-7.9.3-10"
        ]
    );
}

/// The example with `INC-05` (the significant-incident criteria, REQ-7.9.3-07 .. -10)
/// in operation instead of planned.
fn example_with_incident_criteria_active() -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("tempdir");
    copy_dir(Path::new(EXAMPLE), dir.path());
    let incidents = dir.path().join("controls/incidents.yaml");
    let text = std::fs::read_to_string(&incidents).expect("incidents");
    let marker = "  - id: INC-05\n";
    let at = text.find(marker).expect("INC-05");
    let (head, tail) = text.split_at(at);
    let tail = tail.replacen("status: planned", "status: active", 1);
    std::fs::write(&incidents, format!("{head}{tail}")).expect("write");
    dir
}

#[test]
fn with_the_criteria_met_article_23_is_partly_met_through_the_regulation() {
    let dir = example_with_incident_criteria_active();
    let (report, catalogs) = analysed(dir.path());
    let nis2 = coverage(&report, &catalogs, "eu-nis2-directive@2022-2555");
    for id in ["ART-23.4-a", "ART-23.4-sp2", "ART-23.1"] {
        assert_eq!(how(&nis2, id), How::Partial, "{id}");
    }
    let row = nis2
        .rows
        .iter()
        .find(|r| r.requirement.id.as_str() == "ART-23.4-a")
        .expect("row");
    let path = row
        .paths
        .iter()
        .find(|p| p.base.id.as_str() == "REQ-7.9.3-07")
        .expect("a path from REQ-7.9.3-07");
    let hops: Vec<String> = path
        .steps
        .iter()
        .map(|s| s.requirement.id.to_string())
        .collect();
    assert_eq!(hops.last().map(String::as_str), Some("ART-23.4-a"));
    assert!(hops.iter().any(|h| h.starts_with("ART-")), "{hops:?}");
    assert!(
        path.steps
            .last()
            .expect("step")
            .citation
            .contains("[inferred"),
        "the inferred Art. 23 entry says so on the path"
    );
}
