//! The OSCAL importer on the real NIST SP 800-53 Rev 5 catalog (public domain), kept in
//! `tests/data/nist/` with its provenance.

use std::path::PathBuf;

use reqgap::import::{self, oscal, HeaderOverrides};
use reqgap::model::{Level, LinkRel, Status};
use reqgap::source::catalog::parse_catalog;
use reqgap::source::read_text;
use serde_json::Value;

const FILE: &str = "NIST_SP-800-53_rev5_catalog.json";

fn nist_path() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("tests/data/nist")
        .join(FILE)
}

/// Controls and enhancements counted straight from the JSON, independently of the
/// importer: (all, withdrawn).
fn count_in_json(path: &PathBuf) -> (usize, usize) {
    fn walk(controls: &[Value], counts: &mut (usize, usize)) {
        for control in controls {
            counts.0 += 1;
            let withdrawn = control["props"].as_array().is_some_and(|props| {
                props
                    .iter()
                    .any(|p| p["name"] == "status" && p["value"] == "withdrawn")
            });
            counts.1 += usize::from(withdrawn);
            walk(
                control["controls"]
                    .as_array()
                    .map_or(&[][..], Vec::as_slice),
                counts,
            );
        }
    }
    fn groups(list: &[Value], counts: &mut (usize, usize)) {
        for group in list {
            walk(
                group["controls"].as_array().map_or(&[][..], Vec::as_slice),
                counts,
            );
            groups(
                group["groups"].as_array().map_or(&[][..], Vec::as_slice),
                counts,
            );
        }
    }
    let json: Value = serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap();
    let catalog = &json["catalog"];
    let mut counts = (0, 0);
    walk(
        catalog["controls"]
            .as_array()
            .map_or(&[][..], Vec::as_slice),
        &mut counts,
    );
    groups(
        catalog["groups"].as_array().map_or(&[][..], Vec::as_slice),
        &mut counts,
    );
    counts
}

fn options(label: bool) -> oscal::OscalOptions {
    oscal::OscalOptions {
        label,
        with_guidance: false,
        header: HeaderOverrides {
            standard: Some("nist-sp-800-53".into()),
            ..HeaderOverrides::default()
        },
    }
}

#[test]
fn nist_sp_800_53_rev5_imports_every_control_and_enhancement() {
    let path = nist_path();
    let (all, withdrawn) = count_in_json(&path);
    assert_eq!(
        (all, withdrawn),
        (1189, 182),
        "the data file is the documented release"
    );
    let imported = oscal::import(&read_text(&path).unwrap(), &options(false)).unwrap();
    let catalog = &imported.catalog;
    assert_eq!(catalog.requirements.len(), all);
    let imported_withdrawn = catalog
        .requirements
        .iter()
        .filter(|r| r.status == Status::Withdrawn)
        .count();
    assert_eq!(imported_withdrawn, withdrawn);
    assert_eq!(catalog.sections.len(), 20);
    assert_eq!(catalog.version.as_str(), "5.0.1");
    assert!(catalog
        .active_requirements()
        .all(|r| r.level == Level::Shall && !r.text.trim().is_empty()));
    assert!(catalog.requirements.iter().all(|r| !r.text.contains("{{")));

    // Round trip through the catalog file format and the ordinary loader.
    let text = import::render(catalog).unwrap();
    let file = reqgap::diag::SourceFile::new("nist.yaml", text);
    assert_eq!(
        &parse_catalog(&file, catalog.origin.clone()).unwrap(),
        catalog
    );
}

#[test]
fn nist_labels_parameters_and_withdrawal_links() {
    let imported = oscal::import(&read_text(&nist_path()).unwrap(), &options(true)).unwrap();
    let catalog = &imported.catalog;
    let ac_2_1 = catalog.requirement("AC-2(1)").unwrap();
    assert_eq!(
        ac_2_1.title.as_deref(),
        Some("Automated System Account Management")
    );
    assert_eq!(
        ac_2_1.text,
        "Support the management of system accounts using [Assignment: organization-defined automated mechanisms]."
    );
    let ac_1 = catalog.requirement("AC-1").unwrap();
    assert!(ac_1.text.contains(
        "[Selection (one or more): Organization-level; Mission/business process-level; System-level]"
    ));
    let ac_2_10 = catalog.requirement("AC-2(10)").unwrap();
    assert_eq!(ac_2_10.status, Status::Withdrawn);
    assert_eq!(ac_2_10.links.len(), 1);
    assert_eq!(ac_2_10.links[0].rel, LinkRel::IncorporatedInto);
    assert_eq!(ac_2_10.links[0].target.as_str(), "AC-2");
    // SA-12 went into the SR family as a whole: kept as a note, not a broken link.
    let sa_12 = catalog.requirement("SA-12").unwrap();
    assert!(sa_12.note.as_deref().unwrap().contains("`sr`"));
}

#[test]
fn nist_reimport_is_byte_identical() {
    let file = read_text(&nist_path()).unwrap();
    let render = || import::render(&oscal::import(&file, &options(true)).unwrap().catalog).unwrap();
    assert_eq!(render(), render());
}

#[test]
fn nist_capitalised_withdrawn_status_is_still_withdrawn() {
    // NIST's Rev 4 OSCAL catalog writes `Withdrawn`; the same controls read the same.
    let file = read_text(&nist_path()).unwrap();
    let capitalised = reqgap::diag::SourceFile::new(
        file.path.clone(),
        file.text.replace("\"withdrawn\"", "\"Withdrawn\""),
    );
    assert_ne!(capitalised.text, file.text);
    let imported = oscal::import(&capitalised, &options(false)).unwrap();
    let withdrawn = imported
        .catalog
        .requirements
        .iter()
        .filter(|r| r.status == Status::Withdrawn)
        .count();
    assert_eq!(withdrawn, 182);
    assert_eq!(
        imported.catalog,
        oscal::import(&file, &options(false)).unwrap().catalog
    );
}

#[test]
fn nist_minified_gives_the_same_catalog_as_pretty_printed() {
    let file = read_text(&nist_path()).unwrap();
    let value: Value = serde_json::from_str(&file.text).unwrap();
    let minified =
        reqgap::diag::SourceFile::new(file.path.clone(), serde_json::to_string(&value).unwrap());
    assert_eq!(minified.text.lines().count(), 1);
    let pretty = oscal::import(&file, &options(true)).unwrap();
    let small = oscal::import(&minified, &options(true)).unwrap();
    assert_eq!(pretty.catalog, small.catalog);
    assert_eq!(pretty.warnings.len(), small.warnings.len());
}

#[test]
fn nist_transition_accepts_a_date_version_before_a_numbered_one() {
    // Rev 4's OSCAL version is `2015-01-22`: versions are then ordered by date.
    let file = read_text(&nist_path()).unwrap();
    let new = oscal::import(&file, &options(true)).unwrap().catalog;
    let old_text = file
        .text
        .replacen("\"version\": \"5.0.1\"", "\"version\": \"2015-01-22\"", 1)
        .replacen(
            "\"last-modified\": \"2021-06-08",
            "\"last-modified\": \"2015-01-22",
            1,
        );
    let old_file = reqgap::diag::SourceFile::new("rev4.json", old_text);
    let old = oscal::import(&old_file, &options(true)).unwrap().catalog;
    assert_eq!(old.version.as_str(), "2015-01-22");
    assert!(oscal::transition(&old, &new, "rev5.json").is_ok());
}

/// The recipe of docs/import.md, run as written on the files as NIST publishes them: Rev 4's
/// metadata says `published: 2023-10-12` (the file's re-issue), later than Rev 5's, yet its
/// version `2015-01-22` is the edition's date and agrees with the argument order.
#[test]
fn the_documented_rev4_to_rev5_transition_recipe_works_on_nists_files() {
    let data = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/data/nist");
    let out = tempfile::tempdir().unwrap();
    let target = out.path().join("2015-01-22--5.0.1.yaml");
    let run = std::process::Command::new(env!("CARGO_BIN_EXE_reqgap"))
        .args(["import", "oscal", "--transition", "--label"])
        .args(["--standard", "nist-sp-800-53"])
        .arg(data.join("NIST_SP-800-53_rev4_catalog-min.json"))
        .arg(data.join(FILE))
        .arg("-o")
        .arg(&target)
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&run.stderr);
    assert_eq!(run.status.code(), Some(0), "{stderr}");
    assert!(!stderr.contains("version-order"), "{stderr}");
    let written = std::fs::read_to_string(&target).unwrap();
    assert!(written.starts_with("from: nist-sp-800-53@2015-01-22\nto: nist-sp-800-53@5.0.1\n"));
    // Rev 5 withdrew AC-2(10), active in Rev 4, into AC-2: NIST's own links carry over.
    assert!(
        written.contains("- from:\n  - AC-2(10)\n  to:\n  - AC-2\n"),
        "{}",
        &written[..600]
    );
}

#[test]
fn a_transition_whose_dates_disagree_with_the_arguments_is_followed_with_a_warning() {
    let file = read_text(&nist_path()).unwrap();
    let new = oscal::import(&file, &options(true)).unwrap().catalog;
    let old = reqgap::model::Catalog {
        version: reqgap::model::Version::new("2024-01-01"),
        ..new.clone()
    };
    let transition = oscal::transition(&old, &new, "rev5.json").unwrap();
    assert_eq!(transition.warnings.len(), 1);
    assert_eq!(transition.warnings[0].code, "version-order-disagrees");
    assert!(transition.warnings[0]
        .message
        .contains("the order of the arguments is followed"));
    let same = oscal::transition(&new, &new, "rev5.json").unwrap_err();
    assert_eq!(same.0[0].code, "version-order");
}

#[test]
fn rev4_links_to_documents_are_warnings_placed_at_the_escaped_href() {
    // Rev 4 (minified, one line) links three controls to a DOI with JSON-escaped slashes
    // (`https:\/\/doi.org\/…`); each dropped link is placed at its own href, not at 1:1.
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("tests/data/nist/NIST_SP-800-53_rev4_catalog-min.json");
    let file = read_text(&path).unwrap();
    let imported = oscal::import(&file, &options(false)).unwrap();
    let dropped: Vec<_> = imported
        .warnings
        .iter()
        .filter(|w| w.code == reqgap::diag::Code::UnresolvedLink)
        .collect();
    assert_eq!(dropped.len(), 3);
    let mut places: Vec<_> = dropped
        .iter()
        .map(|w| w.location.as_deref().unwrap().column)
        .collect();
    places.dedup();
    assert_eq!(places.len(), 3, "each link at its own place: {places:?}");
    for warning in dropped {
        assert!(
            warning
                .message
                .contains("links to `https://doi.org/10.6028/NIST.SP.800-53r4`"),
            "{}",
            warning.message
        );
        let location = warning.location.as_deref().unwrap();
        let column = location.column.unwrap();
        let at = file.text.char_indices().nth(column - 1).unwrap().0;
        assert!(
            file.text[at..].starts_with("https:\\/\\/doi.org"),
            "column {column} is not the href"
        );
    }
}
