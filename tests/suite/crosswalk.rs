//! Crosswalk files: the bundled ones load against the bundled catalogs; the annex's known
//! quirks and every bad entry are located diagnostics.

use reqgap::model::{CatalogSet, CrosswalkSet, RequirementId};
use reqgap::source::crosswalk::load_file;

fn bundled() -> CatalogSet {
    CatalogSet::bundled().expect("bundled catalogs")
}

#[test]
fn the_bundled_crosswalks_load_and_expand_their_ranges() {
    let catalogs = bundled();
    let set = CrosswalkSet::load(&[], &catalogs).expect("bundled crosswalks are valid");
    assert_eq!(set.len(), 2);
    let cir_etsi = set
        .between(
            &"eu-cir-2024-2690@2024-2690".parse().unwrap(),
            &"etsi-en-319-401@3.2.1".parse().unwrap(),
        )
        .expect("CIR → ETSI");
    let annex_3_1 = cir_etsi
        .entries
        .iter()
        .find(|e| e.from == [RequirementId::new("ANNEX-3.1")])
        .expect("row 3.1");
    assert_eq!(annex_3_1.to.len(), 19, "REQ-7.9.2-01 .. -19");
}

fn problems(fixture: &str) -> String {
    let path = format!("tests/fixtures/crosswalk/bad/{fixture}");
    let errors = load_file(std::path::Path::new(&path), &bundled()).expect_err("invalid");
    errors.to_string()
}

#[test]
fn the_annex_quirks_are_reported_where_they_stand() {
    let found = problems("annex-quirks.yaml");
    insta::assert_snapshot!(found);
}

#[test]
fn a_bundled_crosswalk_that_no_longer_fits_a_replaced_catalog_is_skipped_with_a_warning() {
    let catalogs =
        CatalogSet::load(&["tests/fixtures/crosswalk/replaced-etsi".into()]).expect("catalogs");
    let set = CrosswalkSet::load(&[], &catalogs).expect("no error, only a warning");
    assert_eq!(set.len(), 1, "NIS2 → CIR still loads");
    assert_eq!(set.warnings.len(), 1);
    assert_eq!(
        set.warnings[0].code.as_str(),
        "bundled-crosswalk-skipped",
        "{}",
        set.warnings[0].message
    );
}

/// A crosswalk's citations come from a file a pull request may change: listing it (through
/// `reqgap crosswalk` or `reqgap diff` across standards) never passes markup or terminal
/// controls through.
#[test]
fn a_hostile_citation_is_shown_as_text_in_every_listing_format() {
    let dir = tempfile::tempdir().unwrap();
    let text = "from: alpha@1\nto: beta@1\nsource: \"\\e[2J<script>x</script> | y\"\ncorrespondences:\n- from: [A1]\n  to: [B1]\n  relation: equal\n  source: \"\\e[2J<img src=x onerror=alert(1)> | z\"\n";
    std::fs::write(dir.path().join("hostile.yaml"), text).unwrap();
    let crosswalks = dir.path().to_str().unwrap();
    for (command, format) in [
        ("crosswalk", "table"),
        ("crosswalk", "markdown"),
        ("crosswalk", "html"),
        ("diff", "table"),
        ("diff", "markdown"),
    ] {
        let out = std::process::Command::new(env!("CARGO_BIN_EXE_reqgap"))
            .args([command, "alpha@1", "beta@1", "--format", format])
            .args(["--catalogs", "tests/fixtures/crosswalk/paths/catalogs"])
            .args(["--crosswalks", crosswalks])
            .output()
            .unwrap();
        assert_eq!(
            out.status.code(),
            Some(0),
            "{command} {format}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        let shown = String::from_utf8(out.stdout).unwrap();
        assert!(!shown.contains('\u{1b}'), "{command} {format}: {shown}");
        if format != "table" {
            assert!(!shown.contains("<img"), "{command} {format}: {shown}");
        }
        if format == "markdown" {
            assert!(shown.contains("\\| z"), "{shown}");
        }
    }
}
