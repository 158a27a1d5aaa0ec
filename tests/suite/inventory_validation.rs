//! Each folder under tests/fixtures/inventories/errors breaks one rule of the inventory
//! format; loading it must fail with exactly that diagnostic, located in the file.

use std::path::Path;

use chrono::NaiveDate;
use reqgap::diag::render;
use reqgap::source::inventory;

const TODAY: &str = "2026-11-26";

fn today() -> NaiveDate {
    NaiveDate::parse_from_str(TODAY, "%Y-%m-%d").unwrap()
}

/// Fixture folder → the diagnostic code it must produce.
const CASES: &[(&str, &str)] = &[
    ("bad-date", "bad-date"),
    ("bad-duration", "bad-duration"),
    ("dependency-cycle", "dependency-cycle"),
    ("duplicate-control", "duplicate-id"),
    ("duplicate-owner", "duplicate-id"),
    ("escalation-cycle", "escalation-cycle"),
    ("future-evidence", "future-date"),
    ("missing-config", "no-inventory"),
    ("unknown-dependency", "unknown-control"),
    ("unknown-key", "unknown-key"),
    ("unknown-owner", "unknown-owner"),
    ("unknown-requirement", "unknown-requirement"),
    ("unknown-section", "unknown-section"),
    ("unknown-standard", "unknown-catalog"),
    ("unknown-version", "unknown-catalog"),
];

#[test]
fn every_error_fixture_is_listed() {
    let mut on_disk: Vec<String> = std::fs::read_dir("tests/fixtures/inventories/errors")
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    on_disk.sort();
    let listed: Vec<&str> = CASES.iter().map(|(dir, _)| *dir).collect();
    assert_eq!(on_disk, listed);
}

#[test]
fn each_broken_inventory_gives_its_located_diagnostic() {
    for (dir, code) in CASES {
        let path = Path::new("tests/fixtures/inventories/errors").join(dir);
        let problems = inventory::load(&path, &[], today()).expect_err(dir);
        let codes: Vec<&str> = problems.iter().map(|d| d.code.as_str()).collect();
        assert_eq!(codes, [*code], "{dir}");
        let rendered: String = problems.iter().map(render).collect();
        if *dir != "missing-config" {
            assert!(
                rendered.contains(&format!("{dir}/")),
                "{dir}: names the file\n{rendered}"
            );
        }
        insta::assert_snapshot!(format!("inventory-error-{dir}"), rendered);
    }
}

#[test]
fn a_control_defined_in_two_files_is_one_diagnostic_quoting_both() {
    let folder = Path::new("tests/fixtures/inventories/errors/duplicate-control");
    let problems = inventory::load(folder, &[], today()).expect_err("duplicate control");
    let [duplicate] = &problems.0[..] else {
        panic!("one diagnostic, not {}: {problems}", problems.len());
    };
    let rendered = render(duplicate);
    let second =
        "--> tests/fixtures/inventories/errors/duplicate-control/controls/incidents.yaml:9:9";
    let first =
        "::: tests/fixtures/inventories/errors/duplicate-control/controls/governance.yaml:2:9";
    assert!(rendered.contains(second), "{rendered}");
    assert!(rendered.contains(first), "{rendered}");
    assert!(rendered.contains("------ first defined here"), "{rendered}");
    assert_eq!(rendered.matches("  - id: GOV-01").count(), 2, "{rendered}");
}

#[test]
fn the_valid_inventory_loads() {
    let loaded =
        inventory::load(Path::new("tests/fixtures/inventories/valid"), &[], today()).unwrap();
    assert_eq!(loaded.inventory.controls.len(), 4);
    assert_eq!(loaded.inventory.owners.len(), 3);
    assert_eq!(loaded.inventory.targets.len(), 1);
}
