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
