//! Coverage through crosswalks, end to end on the fixture in tests/fixtures/crosswalk/paths:
//! a three-hop path, a cycle, a partial relation, and a crosswalk written for a version the
//! inventory does not map to (gamma@2; controls map gamma@1). Properties: adding a crosswalk
//! never lowers coverage, and no crosswalk at all gives exactly the analysis without them.

use std::path::{Path, PathBuf};

use chrono::NaiveDate;
use proptest::prelude::*;
use reqgap::gaps::coverage::{matrix, How};
use reqgap::gaps::GapReport;
use reqgap::model::{
    CatalogKey, Crosswalk, CrosswalkEntry, CrosswalkSet, Relation, RequirementId, TransitionSet,
};
use reqgap::source::inventory::{load, LoadedInventory};
use reqgap::Analysis;

const FIXTURE: &str = "tests/fixtures/crosswalk/paths";

/// After every evidence date of the fixture and of the bundled example.
fn today() -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, 11, 26).expect("date")
}

fn crosswalk_dir() -> PathBuf {
    Path::new(FIXTURE).join("crosswalks")
}

fn report(inventory: &str) -> GapReport {
    Analysis::new(Path::new(FIXTURE).join(inventory), today())
        .crosswalks([crosswalk_dir()])
        .run()
        .unwrap_or_else(|d| panic!("{d}"))
        .report
}

fn hows(report: &GapReport) -> Vec<(String, How)> {
    let loaded = load(&Path::new(FIXTURE).join("inventory"), &[], today()).expect("inventory");
    let alpha = loaded
        .catalogs
        .get(&"alpha@1".parse().unwrap())
        .expect("alpha");
    matrix(report, alpha)
        .rows
        .into_iter()
        .map(|r| (r.requirement.id.to_string(), r.how))
        .collect()
}

#[test]
fn coverage_follows_paths_across_versions_hops_and_cycles() {
    let report = report("inventory");
    assert_eq!(
        hows(&report),
        [
            ("A1".to_owned(), How::Via),
            ("A2".to_owned(), How::Partial),
            ("A3".to_owned(), How::Via),
            ("A4".to_owned(), How::Via),
            ("A5".to_owned(), How::Uncovered),
        ]
    );
    let json = serde_json::to_string_pretty(&report.targets).expect("json");
    insta::assert_snapshot!("crosswalk-paths-targets-json", json);
    let partial = report
        .gaps
        .iter()
        .find(|g| g.key == "partial:alpha@1:A2")
        .expect("A2 is a partial gap");
    insta::assert_snapshot!("crosswalk-partial-gap-message", partial.message);
}

#[test]
fn a_target_can_opt_out_of_crosswalks() {
    let report = report("opt-out");
    assert!(hows(&report).iter().all(|(_, how)| *how == How::Uncovered));
    assert!(report.targets[0].through_crosswalks.is_empty());
}

fn loaded() -> LoadedInventory {
    load(&Path::new(FIXTURE).join("inventory"), &[], today()).expect("inventory")
}

fn transitions(loaded: &LoadedInventory) -> TransitionSet {
    TransitionSet::load(&loaded.mapping_dirs, &loaded.catalogs).expect("transitions")
}

fn covered(loaded: &LoadedInventory, crosswalks: &CrosswalkSet) -> usize {
    let transitions = transitions(loaded);
    let report = Analysis::in_memory(
        &loaded.inventory,
        &loaded.catalogs,
        &transitions,
        crosswalks,
        today(),
    )
    .expect("analysis");
    report.targets.iter().map(|t| t.covered).sum()
}

const CATALOGS: [(&str, &[&str]); 5] = [
    ("alpha@1", &["A1", "A2", "A3", "A4", "A5"]),
    ("beta@1", &["B1", "B2", "B3", "B4", "B5"]),
    ("gamma@2", &["G1", "G2", "G30", "G4", "G5", "G6"]),
    ("gamma@1", &["G1", "G2", "G3", "G4", "G5", "G6"]),
    ("delta@1", &["D1", "D2"]),
];

/// A random crosswalk between two catalogs of different standards.
fn arb_crosswalk(name: usize) -> impl Strategy<Value = Crosswalk> {
    (0..CATALOGS.len(), 0..CATALOGS.len())
        .prop_filter("two standards", |(a, b)| {
            CATALOGS[*a].0.split('@').next() != CATALOGS[*b].0.split('@').next()
        })
        .prop_flat_map(move |(a, b)| {
            let entry = (
                prop::sample::subsequence(CATALOGS[a].1, 1..=2),
                prop::sample::subsequence(CATALOGS[b].1, 1..=CATALOGS[b].1.len().min(3)),
                prop::sample::select(vec![
                    Relation::Equal,
                    Relation::SubsetOf,
                    Relation::SupersetOf,
                    Relation::IntersectsWith,
                    Relation::NoRelationship,
                ]),
                any::<bool>(),
            );
            let entries = prop::collection::vec(entry, 1..4);
            (entries, any::<bool>()).prop_map(move |(entries, complete)| Crosswalk {
                from: CATALOGS[a].0.parse::<CatalogKey>().expect("key"),
                to: CATALOGS[b].0.parse::<CatalogKey>().expect("key"),
                source: "generated".into(),
                origin: format!("generated-{name}.yaml"),
                complete,
                entries: entries
                    .into_iter()
                    .map(|(from, to, relation, entry_complete)| CrosswalkEntry {
                        from: from.into_iter().map(RequirementId::new).collect(),
                        to: to.into_iter().map(RequirementId::new).collect(),
                        relation,
                        source: "generated".into(),
                        note: None,
                        complete: complete && entry_complete,
                        provenance: Default::default(),
                    })
                    .collect(),
            })
        })
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(32))]

    #[test]
    fn adding_a_crosswalk_never_lowers_coverage(
        base in prop::collection::vec(0usize..4, 0..3),
        extra in arb_crosswalk(99),
        generated in prop::collection::vec(arb_crosswalk(0), 0..3),
    ) {
        let loaded = loaded();
        let fixture = CrosswalkSet::load(&[crosswalk_dir()], &loaded.catalogs).expect("fixture");
        let fixture: Vec<Crosswalk> = fixture.iter().cloned().collect();
        let mut chosen: Vec<Crosswalk> = base.iter().map(|i| fixture[*i].clone()).collect();
        chosen.sort_by(|a, b| a.origin.cmp(&b.origin));
        chosen.dedup_by(|a, b| a.origin == b.origin);
        chosen.extend(generated.into_iter().enumerate().map(|(i, mut c)| {
            c.origin = format!("generated-{i}.yaml");
            c
        }));
        let before = covered(&loaded, &CrosswalkSet::new(chosen.clone()));
        chosen.push(extra);
        let after = covered(&loaded, &CrosswalkSet::new(chosen));
        prop_assert!(after >= before, "coverage fell from {before} to {after}");
    }
}

/// Crosswalks change nothing for a target that opts out of them: the analysis with the
/// crosswalks in play (the fixture's; the bundled ones for the example) and every target set
/// to `crosswalks: false` is exactly the analysis with no crosswalk at all.
#[test]
fn without_crosswalks_the_analysis_is_exactly_todays() {
    for (dir, crosswalk_dirs) in [
        (format!("{FIXTURE}/inventory"), vec![crosswalk_dir()]),
        ("examples/trust-service-provider".to_owned(), Vec::new()),
    ] {
        let loaded = load(Path::new(&dir), &[], today()).unwrap_or_else(|d| panic!("{d}"));
        let crosswalks = CrosswalkSet::load(&crosswalk_dirs, &loaded.catalogs).expect("crosswalks");
        assert!(!crosswalks.is_empty(), "{dir}");
        let transitions =
            TransitionSet::load(&loaded.mapping_dirs, &loaded.catalogs).expect("transitions");
        let none = Analysis::in_memory(
            &loaded.inventory,
            &loaded.catalogs,
            &transitions,
            &CrosswalkSet::default(),
            today(),
        )
        .expect("analysis");
        let mut opted_out = loaded.inventory.clone();
        for target in &mut opted_out.targets {
            target.crosswalks = false;
        }
        let ignored = Analysis::in_memory(
            &opted_out,
            &loaded.catalogs,
            &transitions,
            &crosswalks,
            today(),
        )
        .expect("analysis");
        assert_eq!(none, ignored, "{dir}");
        assert!(none.targets.iter().all(|t| t.through_crosswalks.is_empty()));
    }
}

#[test]
fn reqgap_yaml_names_crosswalk_folders_as_the_flag_does() {
    let configured = Path::new(FIXTURE).join("configured");
    let from_config = Analysis::new(&configured, today())
        .run()
        .unwrap_or_else(|d| panic!("{d}"))
        .report;
    let from_flag = report("inventory");
    assert_eq!(hows(&from_config), hows(&from_flag));
    assert_eq!(from_config.targets[0].covered, 3);
    // Named by both, the folder is read once: no `duplicate-crosswalk`.
    let both = Analysis::new(&configured, today())
        .crosswalks([crosswalk_dir()])
        .run()
        .unwrap_or_else(|d| panic!("{d}"))
        .report;
    assert_eq!(hows(&both), hows(&from_flag));
}

#[test]
fn the_management_report_shows_each_path() {
    let analysed = Analysis::new(Path::new(FIXTURE).join("inventory"), today())
        .crosswalks([crosswalk_dir()])
        .run()
        .unwrap_or_else(|d| panic!("{d}"));
    let report = analysed.management_report(&Default::default());
    for text in [report.to_html(), report.to_markdown()] {
        assert!(
            text.contains("Through crosswalks, alpha@1: 3 covered, 1 partial"),
            "{text}"
        );
        assert!(text.contains("CTL-4 → D1 → A4 (equal)"));
        assert!(
            text.contains("CTL-2 → G3@1 ⇒ G30@2 [renumbered (curated)] → B2 (equal) → A1 (equal)")
        );
        assert!(text.contains("missing: beta@1:B4"));
    }
}
