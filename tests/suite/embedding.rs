//! What an embedder gets from the library without the binary: the orchestration that
//! `reqgap validate`, `reqgap coverage` and `reqgap crosswalk` run, as typed results.

use std::path::{Path, PathBuf};

use chrono::NaiveDate;
use reqgap::diag::Code;
use reqgap::gaps::coverage::{crosswalk_listing, matrices, How};
use reqgap::model::{CatalogKey, CrosswalkSet};
use reqgap::source::inventory::PathRule;
use reqgap::source::validation::{Validated, Validator};
use reqgap::Analysis;

const EXAMPLE: &str = "examples/trust-service-provider";

fn today() -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, 11, 26).expect("date")
}

fn validate(paths: &[PathBuf]) -> reqgap::source::validation::Validation {
    Validator {
        catalog_dirs: &[],
        other_dirs: &[],
        path_rule: &PathRule::default(),
        today: today(),
    }
    .validate(paths)
}

#[test]
fn validating_an_inventory_counts_what_it_holds() {
    let validation = validate(&[PathBuf::from(EXAMPLE)]);
    assert!(!validation.problems.has_errors(), "{}", validation.problems);
    let [Validated::Inventory { path, counts }] = validation.validated.as_slice() else {
        panic!("one inventory expected: {:?}", validation.validated);
    };
    assert_eq!(path, EXAMPLE);
    let inventory =
        reqgap::source::inventory::load(Path::new(EXAMPLE), &[], today()).expect("inventory");
    assert_eq!(counts.targets, inventory.inventory.targets.len());
    assert_eq!(counts.controls, inventory.inventory.controls.len());
    assert!(counts.controls > 0 && counts.owners > 0 && counts.mappings >= counts.controls);
}

#[test]
fn a_control_file_is_validated_with_its_inventory_and_a_folder_without_yaml_is_an_error() {
    let empty = tempfile::tempdir().expect("temporary folder");
    let control_file = Path::new(EXAMPLE).join("controls");
    let control_file = std::fs::read_dir(&control_file)
        .expect("controls folder")
        .map(|entry| entry.expect("entry").path())
        .find(|p| p.extension().is_some_and(|e| e == "yaml"))
        .expect("a control file");
    let validation = validate(&[control_file, empty.path().to_path_buf()]);
    assert!(matches!(
        validation.validated.as_slice(),
        [Validated::Inventory { .. }]
    ));
    let codes: Vec<Code> = validation.problems.iter().map(|d| d.code).collect();
    assert_eq!(codes, [Code::NoInventory]);
}

#[test]
fn coverage_of_a_catalog_that_is_not_a_target_names_the_targets() {
    let analysed = Analysis::new(EXAMPLE, today()).run().expect("analysis");
    let catalogs = &analysed.loaded.catalogs;
    let all = matrices(&analysed.report, catalogs, None).expect("matrices");
    let targets: Vec<CatalogKey> = analysed
        .loaded
        .inventory
        .targets
        .iter()
        .map(|t| t.catalog.clone())
        .collect();
    let matrix_targets: Vec<CatalogKey> = all.iter().map(|m| m.target.clone()).collect();
    assert_eq!(matrix_targets, targets);
    assert!(all[0].rows.iter().any(|row| row.how == How::Direct));
    let one = matrices(&analysed.report, catalogs, Some(&targets[1])).expect("a target");
    assert_eq!(one, [all[1].clone()]);
    let older: CatalogKey = "etsi-en-319-401@2.2.1".parse().expect("key");
    let not = matrices(&analysed.report, catalogs, Some(&older)).expect_err("not a target");
    assert_eq!(not.wanted, older);
    assert_eq!(not.targets, targets);
}

#[test]
fn a_missing_crosswalk_names_the_crosswalks_there_are() {
    let analysed = Analysis::new(EXAMPLE, today()).run().expect("analysis");
    let catalogs = &analysed.loaded.catalogs;
    let crosswalks = CrosswalkSet::load(&[], catalogs).expect("bundled crosswalks");
    let first = crosswalks.iter().next().expect("a bundled crosswalk");
    let listing =
        crosswalk_listing(&crosswalks, catalogs, &first.to, &first.from).expect("either direction");
    assert_eq!((&listing.from, &listing.to), (&first.to, &first.from));
    let a: CatalogKey = "etsi-en-319-401@2.2.1".parse().expect("key");
    let b: CatalogKey = "etsi-en-319-401@3.2.1".parse().expect("key");
    let none = crosswalk_listing(&crosswalks, catalogs, &a, &b).expect_err("no crosswalk");
    let message = none.to_string();
    assert!(message.starts_with(
        "no crosswalk joins etsi-en-319-401@2.2.1 and etsi-en-319-401@3.2.1; known crosswalks: "
    ));
    assert!(
        message.contains(&format!("{} ↔ {}", first.from, first.to)),
        "{message}"
    );
}
