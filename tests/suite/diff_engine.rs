//! The diff engine on the hand-made fixture pair (every class once) and on the bundled
//! ETSI catalogs with their curated transition files.

use std::path::{Path, PathBuf};

use reqgap::diff::{diff_catalogs, diff_versions, ChangeClass, DiffOptions, Relation};
use reqgap::model::CatalogSet;
use reqgap::model::TransitionSet;
use reqgap::model::{CatalogKey, RequirementId};
use reqgap::report::{reporter, DiffFilter, DiffView, Format, Style};
use reqgap::source::bundled;
use reqgap::source::transition::parse_transition;
use reqgap::source::yaml_files_in;

fn fixture_set() -> CatalogSet {
    CatalogSet::load(&[PathBuf::from("tests/fixtures/diff/catalogs")]).unwrap()
}

fn fixture_transitions(set: &CatalogSet) -> TransitionSet {
    TransitionSet::load(&[PathBuf::from("tests/fixtures/diff/mappings")], set).unwrap()
}

fn render(format: Format, diff: &reqgap::diff::CatalogDiff) -> String {
    let view = DiffView::new(diff, DiffFilter::default());
    let mut out = Vec::new();
    reporter(format, Style::default())
        .diff(&view, &mut out)
        .unwrap();
    String::from_utf8(out).unwrap()
}

fn key(spec: &str) -> CatalogKey {
    spec.parse().unwrap()
}

#[test]
fn fixture_diff_with_curated_sources() {
    let set = fixture_set();
    let transitions = fixture_transitions(&set);
    let options = DiffOptions::default();
    let diff = diff_versions(
        &set,
        &transitions,
        &key("diff-demo@1.0"),
        &key("diff-demo@2.0"),
        &options,
    )
    .unwrap();
    for class in ChangeClass::ALL {
        assert!(
            diff.counts[&class] > 0,
            "the fixture shows every class, {class} missing"
        );
    }
    insta::assert_snapshot!("fixture-table", render(Format::Table, &diff));
    insta::assert_snapshot!("fixture-json", render(Format::Json, &diff));
}

#[test]
fn fixture_diff_detection_only() {
    let set = fixture_set();
    let old = set.resolve("diff-demo@1.0").unwrap();
    let new = set.resolve("diff-demo@2.0").unwrap();
    let options = DiffOptions {
        detect_only: true,
        ..DiffOptions::default()
    };
    let diff = diff_catalogs(old, new, &[], &options);
    assert!(diff.changes.iter().all(|c| !c.curated));
    insta::assert_snapshot!("fixture-detect-only-table", render(Format::Table, &diff));
    insta::assert_snapshot!("fixture-detect-only-json", render(Format::Json, &diff));
}

#[test]
fn successors_tell_how_a_mapping_carries() {
    let set = fixture_set();
    let transitions = fixture_transitions(&set);
    let diff = diff_versions(
        &set,
        &transitions,
        &key("diff-demo@1.0"),
        &key("diff-demo@2.0"),
        &DiffOptions::default(),
    )
    .unwrap();
    let of = |id: &str| diff.successors(&RequirementId::new(id));
    let curated = of("DD-1-04");
    assert_eq!(curated.len(), 1);
    assert_eq!(curated[0].id.as_str(), "DD-1-06");
    assert!(curated[0].curated && !curated[0].needs_confirmation);
    assert_eq!(curated[0].relation, Some(Relation::Equal));
    let split = of("DD-4-01");
    assert_eq!(split.len(), 2);
    assert!(split
        .iter()
        .all(|s| s.class == ChangeClass::Split && s.substantive));
    let substantive = of("DD-2-01");
    assert!(substantive[0].substantive && substantive[0].class == ChangeClass::Changed);
    assert!(
        !of("DD-1-02")[0].substantive,
        "editorial change carries coverage"
    );
    assert!(of("DD-2-02").is_empty(), "removed without successor");
    assert!(of("DD-6-01").is_empty(), "withdrawn by the curated file");
}

#[test]
fn etsi_3_1_1_to_3_2_1_shows_the_7_5_and_7_8_shifts_as_renumberings() {
    let set = CatalogSet::bundled().unwrap();
    let transitions = TransitionSet::load(&[], &set).unwrap();
    for options in [
        DiffOptions::default(),
        DiffOptions {
            detect_only: true,
            ..DiffOptions::default()
        },
    ] {
        let diff = diff_versions(
            &set,
            &transitions,
            &key("etsi-en-319-401@3.1.1"),
            &key("etsi-en-319-401@3.2.1"),
            &options,
        )
        .unwrap();
        for (old, new) in [
            ("REQ-7.5-02", "REQ-7.5-05"),
            ("REQ-7.8-17", "REQ-7.8-18"),
            ("REQ-7.8-18", "REQ-7.8-19"),
            ("REQ-7.8-21", "REQ-7.8-22"),
        ] {
            let successors = diff.successors(&RequirementId::new(old));
            assert_eq!(successors.len(), 1, "{old}");
            assert_eq!(successors[0].id.as_str(), new);
            assert_eq!(successors[0].class, ChangeClass::Renumbered);
            assert_eq!(successors[0].curated, !options.detect_only);
        }
    }
}

#[test]
fn etsi_2_2_1_to_3_2_1_direct_file_and_composed_steps_agree_on_the_documented_moves() {
    let set = CatalogSet::bundled().unwrap();
    let all = TransitionSet::load(&[], &set).unwrap();
    let steps_only = TransitionSet::from_transitions(
        all.iter()
            .filter(|t| t.from.version.as_str() != "2.2.1" || t.to.version.as_str() != "3.2.1")
            .cloned(),
    );
    let (old, new) = (key("etsi-en-319-401@2.2.1"), key("etsi-en-319-401@3.2.1"));
    let direct = diff_versions(&set, &all, &old, &new, &DiffOptions::default()).unwrap();
    let composed = diff_versions(&set, &steps_only, &old, &new, &DiffOptions::default()).unwrap();
    assert_eq!(direct.path.len(), 2);
    assert_eq!(composed.path.len(), 4, "2.2.1 → 2.3.1 → 3.1.1 → 3.2.1");
    for (from, to) in [
        ("REQ-6.3-05", "REQ-7.14.3-01"),
        ("REQ-7.1.1-07", "REQ-7.14.3-04"),
        ("REQ-7.4-02", "REQ-7.8-21"),
        ("REQ-7.8-14", "REQ-7.8-18"),
        ("REQ-7.9-07", "REQ-7.9.3-01"),
        ("REQ-7.9-10", "REQ-7.9.2-09"),
    ] {
        for diff in [&direct, &composed] {
            let successors = diff.successors(&RequirementId::new(from));
            assert!(
                successors.iter().any(|s| s.id.as_str() == to && s.curated),
                "{from} → {to} in {:?}",
                diff.path
            );
        }
    }
}

#[test]
fn bundled_transition_list_equals_the_mappings_folder() {
    let on_disk: Vec<String> = yaml_files_in(Path::new("mappings"))
        .unwrap()
        .into_iter()
        .map(|p| {
            p.strip_prefix("mappings")
                .unwrap()
                .to_string_lossy()
                .trim_start_matches('/')
                .replace('\\', "/")
        })
        .collect();
    let compiled: Vec<String> = bundled::mapping_files()
        .iter()
        .map(|(p, _)| (*p).to_owned())
        .collect();
    assert_eq!(compiled, on_disk);
    assert!(!compiled.is_empty());
}

#[test]
fn every_bundled_transition_loads_and_is_named_for_its_versions() {
    let set = CatalogSet::bundled().unwrap();
    let transitions = TransitionSet::load(&[], &set).unwrap_or_else(|d| panic!("{d}"));
    assert!(transitions.warnings.is_empty());
    // Crosswalks between standards live below `mappings/crosswalks/` (tests/suite/crosswalk.rs).
    let transition_files: Vec<_> = bundled::mapping_files()
        .iter()
        .filter(|(path, _)| !path.starts_with("crosswalks/"))
        .collect();
    assert_eq!(transitions.len(), transition_files.len());
    for (path, text) in transition_files {
        let file = reqgap::diag::SourceFile::new(format!("mappings/{path}"), *text);
        let t = parse_transition(&file, &set).unwrap();
        assert_eq!(
            *path,
            format!(
                "{}/{}--{}.yaml",
                t.from.standard, t.from.version, t.to.version
            )
        );
        let untraceable = t
            .correspondences
            .iter()
            .filter(|c| c.note.is_none())
            .count();
        assert_eq!(
            untraceable, 0,
            "{path}: every entry cites its source in `note`"
        );
    }
}
