//! Importers on small fixtures: the rendered catalog and the warnings are snapshot-tested
//! together, every import reads back as the same catalog, and re-importing gives the same
//! bytes.

use reqgap::diag::{self, Diagnostics, SourceFile};
use reqgap::import::{self, csv, etsi_text, oscal, HeaderOverrides, Imported};
use reqgap::model::{Level, Marker, Status};
use reqgap::source::catalog::parse_catalog;
use reqgap::source::read_text;

const FIXTURES: &str = "tests/fixtures/import";

fn fixture(path: &str) -> SourceFile {
    read_text(std::path::Path::new(&format!("{FIXTURES}/{path}"))).expect("fixture is readable")
}

/// The rendered catalog, then the warnings, as one snapshot.
fn report(imported: &Imported) -> String {
    let mut out = import::render(&imported.catalog).expect("import renders and re-validates");
    out.push_str("\n--- warnings ---\n");
    for warning in &imported.warnings {
        out.push_str(&diag::render(warning));
    }
    out
}

fn errors(problems: &Diagnostics) -> String {
    let mut out = Vec::new();
    diag::write_all(problems, &mut out).unwrap();
    String::from_utf8(out).unwrap()
}

/// import → render → parse gives the same model.
fn assert_round_trip(imported: &Imported) {
    let text = import::render(&imported.catalog).unwrap();
    let reread = parse_catalog(
        &SourceFile::new("reread.yaml", text),
        imported.catalog.origin.clone(),
    )
    .unwrap();
    assert_eq!(reread, imported.catalog);
}

fn etsi(path: &str) -> Result<Imported, Diagnostics> {
    etsi_text::import(&fixture(path), &HeaderOverrides::default())
}

#[test]
fn etsi_synthetic_deliverable_imports_every_requirement() {
    let imported = etsi("etsi-en-319-401-synthetic.txt").unwrap();
    assert_round_trip(&imported);
    insta::assert_snapshot!("etsi-synthetic", report(&imported));
}

#[test]
fn etsi_ids_clauses_markers_and_levels_are_exact() {
    let catalog = etsi("etsi-en-319-401-synthetic.txt").unwrap().catalog;
    let ids: Vec<&str> = catalog.requirements.iter().map(|r| r.id.as_str()).collect();
    assert_eq!(
        ids,
        [
            "REQ-4.2-01",
            "REQ-4.2-02",
            "REQ-5-01",
            "REQ-5-02",
            "REQ-5-03",
            "REQ-7.4-04",
            "REQ-7.4-04A",
            "PRO-7.4-05",
            "REQ-7.4-06",
            "REQ-7.4-07",
            "REQ-7.4-08",
            "REQ-7.9.3-01",
            "OVR-7.9.3-02",
            "REG-7.9.3-03",
            "REQ-7.9.3-04",
            "REQ-7.11.1-01",
            "REQ-7.11-1-02",
        ]
    );
    let get = |id: &str| catalog.requirement(id).unwrap();
    assert_eq!(get("REQ-7.11-1-02").section.as_str(), "7.11.1");
    assert_eq!(get("REQ-5-03").status, Status::Withdrawn);
    assert_eq!(get("REQ-5-03").text, "");
    assert_eq!(
        get("REQ-5-02").text,
        "The TSP shall select treatment measures that match the risks found and shall keep them under review at planned intervals.",
        "text continues across the page break without furniture"
    );
    assert_eq!(get("REQ-7.4-04").level, Level::Should);
    assert_eq!(
        get("PRO-7.4-05").level,
        Level::May,
        "the note's `shall` does not count"
    );
    assert!(get("PRO-7.4-05").markers.contains(&Marker::Proportionate));
    let both: Vec<Marker> = get("REG-7.9.3-03").markers.iter().copied().collect();
    assert_eq!(both, [Marker::Conditional, Marker::Choice]);
    assert_eq!(
        catalog.section("7.9.3").unwrap().title,
        "Reporting of significant incidents and of the duties to notify that follow from them"
    );
    assert!(catalog
        .requirement("REQ-4.2-01")
        .unwrap()
        .text
        .ends_with("apply to it."));
    assert_eq!(catalog.published.to_string(), "2026-01-01");
    assert_eq!(catalog.version.as_str(), "3.2.1");
    assert_eq!(catalog.standard.as_str(), "etsi-en-319-401");
}

#[test]
fn etsi_import_does_not_depend_on_line_ends() {
    let unix = fixture("etsi-en-319-401-synthetic.txt");
    let windows = SourceFile::new(unix.path.clone(), unix.text.replace('\n', "\r\n"));
    let a = etsi_text::import(&unix, &HeaderOverrides::default()).unwrap();
    let b = etsi_text::import(&windows, &HeaderOverrides::default()).unwrap();
    assert_eq!(a.catalog, b.catalog);
    assert_eq!(
        import::render(&a.catalog).unwrap(),
        import::render(&b.catalog).unwrap()
    );
}

#[test]
fn etsi_duplicate_ids_and_missing_cover_are_errors() {
    let text = "ETSI TS 119 999 V1.1.1 (2025-02)\n\nA Title\n\n1  Scope\nREQ-1-01: The TSP shall a.\nREQ-1-01: The TSP shall b.\n";
    let problems = etsi_text::import(
        &SourceFile::new("dup.txt", text),
        &HeaderOverrides::default(),
    )
    .unwrap_err();
    insta::assert_snapshot!("etsi-duplicate-id", errors(&problems));
    let no_cover = "1  Scope\nREQ-1-01: The TSP shall a.\n";
    let problems = etsi_text::import(
        &SourceFile::new("bare.txt", no_cover),
        &HeaderOverrides::default(),
    )
    .unwrap_err();
    insta::assert_snapshot!("etsi-no-cover", errors(&problems));
}

#[test]
fn etsi_cover_values_can_be_replaced() {
    let overrides = HeaderOverrides {
        standard: Some("etsi-en-319-401".into()),
        version: Some("3.2.1".into()),
        title: Some("General Policy Requirements".into()),
        published: chrono::NaiveDate::from_ymd_opt(2026, 1, 15),
    };
    let imported =
        etsi_text::import(&fixture("etsi-en-319-401-synthetic.txt"), &overrides).unwrap();
    assert_eq!(imported.catalog.title, "General Policy Requirements");
    assert_eq!(imported.catalog.published.to_string(), "2026-01-15");
    assert!(imported
        .warnings
        .iter()
        .all(|w| w.code != "month-only-date"));
}

fn oscal_options(label: bool) -> oscal::OscalOptions {
    oscal::OscalOptions {
        label,
        with_guidance: true,
        header: HeaderOverrides {
            standard: Some("demo-controls".into()),
            ..HeaderOverrides::default()
        },
    }
}

#[test]
fn oscal_demo_catalog_imports_with_ids_and_with_labels() {
    for (label, name) in [(false, "oscal-demo-ids"), (true, "oscal-demo-labels")] {
        let imported =
            oscal::import(&fixture("oscal/demo-2.0.json"), &oscal_options(label)).unwrap();
        assert_round_trip(&imported);
        insta::assert_snapshot!(name, report(&imported));
    }
}

#[test]
fn oscal_yaml_and_json_give_the_same_catalog() {
    let json = oscal::import(&fixture("oscal/demo-2.0.json"), &oscal_options(false)).unwrap();
    let yaml = oscal::import(&fixture("oscal/demo-2.0.yaml"), &oscal_options(false)).unwrap();
    assert_eq!(json.catalog.requirements, yaml.catalog.requirements);
    assert_eq!(json.catalog.sections, yaml.catalog.sections);
}

#[test]
fn oscal_bad_inputs_give_located_errors() {
    for name in ["profile", "not-json", "duplicate-id", "missing-id"] {
        let problems = oscal::import(
            &fixture(&format!("oscal/{name}.json")),
            &oscal::OscalOptions::default(),
        )
        .unwrap_err();
        insta::assert_snapshot!(format!("oscal-error-{name}"), errors(&problems));
    }
}

#[test]
fn oscal_transition_comes_from_withdrawal_links() {
    let old = oscal::import(&fixture("oscal/demo-1.0.json"), &oscal_options(false)).unwrap();
    let new = oscal::import(&fixture("oscal/demo-2.0.json"), &oscal_options(false)).unwrap();
    let transition = oscal::transition(&old.catalog, &new.catalog, "demo-2.0.json").unwrap();
    insta::assert_snapshot!(
        "oscal-transition",
        oscal::render_transition(&transition).unwrap()
    );
    // The argument order is followed; the versions' disagreement is a warning.
    let backwards = oscal::transition(&new.catalog, &old.catalog, "demo-1.0.json").unwrap();
    assert_eq!(backwards.warnings[0].code, "version-order-disagrees");
}

fn csv_options(map: &[&str]) -> csv::CsvOptions {
    let map: Vec<String> = map.iter().map(|s| s.to_string()).collect();
    csv::CsvOptions {
        columns: csv::ColumnMap::parse(&map).unwrap(),
        header: HeaderOverrides {
            standard: Some("acme-baseline".into()),
            version: Some("2025.1".into()),
            title: Some("ACME Security Baseline".into()),
            published: chrono::NaiveDate::from_ymd_opt(2025, 3, 1),
        },
        withdrawn_pattern: None,
    }
}

#[test]
fn csv_with_bom_crlf_quotes_and_multiline_cells() {
    let imported = csv::import(&fixture("csv/grc-export.csv"), &csv_options(&[])).unwrap();
    assert_round_trip(&imported);
    insta::assert_snapshot!("csv-grc-export", report(&imported));
}

#[test]
fn csv_with_semicolons_and_mapped_headers() {
    let options = csv_options(&[
        "id=Control ID,section=Clause,title=Heading",
        "text=Requirement text,level=Obligation",
    ]);
    let imported = csv::import(&fixture("csv/semicolon-export.csv"), &options).unwrap();
    assert_round_trip(&imported);
    insta::assert_snapshot!("csv-semicolon-export", report(&imported));
}

#[test]
fn csv_bad_rows_are_all_reported() {
    for name in ["bad-rows", "missing-column"] {
        let problems =
            csv::import(&fixture(&format!("csv/{name}.csv")), &csv_options(&[])).unwrap_err();
        insta::assert_snapshot!(format!("csv-error-{name}"), errors(&problems));
    }
    assert!(csv::ColumnMap::parse(&["colour=Colour".into()]).is_err());
    assert!(csv::ColumnMap::parse(&["id".into()]).is_err());
}

#[test]
fn reimporting_gives_byte_identical_files() {
    let render = || {
        [
            import::render(&etsi("etsi-en-319-401-synthetic.txt").unwrap().catalog).unwrap(),
            import::render(
                &oscal::import(&fixture("oscal/demo-2.0.json"), &oscal_options(true))
                    .unwrap()
                    .catalog,
            )
            .unwrap(),
            import::render(
                &csv::import(&fixture("csv/grc-export.csv"), &csv_options(&[]))
                    .unwrap()
                    .catalog,
            )
            .unwrap(),
        ]
    };
    assert_eq!(render(), render());
}

fn synthetic(name: &str) -> Imported {
    oscal::import(&fixture(&format!("oscal/{name}")), &oscal_options(true)).unwrap()
}

#[test]
fn oscal_withdrawn_controls_are_recognised_in_every_nist_form() {
    let withdrawn = |imported: &Imported| {
        imported
            .catalog
            .requirements
            .iter()
            .filter(|r| r.status == Status::Withdrawn)
            .map(|r| r.id.to_string())
            .collect::<Vec<_>>()
    };
    // Rev 4 style: `Withdrawn` with a capital W.
    let rev4 = synthetic("rev4-style.json");
    assert_eq!(withdrawn(&rev4), ["SX-4"]);
    assert!(rev4.warnings.is_empty(), "{:?}", rev4.warnings);
    // `withdrawn`, `WITHDRAWN`, and withdrawn only by a link (`Incorporated-Into`).
    let rev5 = synthetic("rev5-style.json");
    assert_eq!(withdrawn(&rev5), ["SX-2", "SX-3", "SX-4"]);
    let sx_3 = rev5.catalog.requirement("SX-3").unwrap();
    assert_eq!(sx_3.links[0].target.as_str(), "SX-5");
    assert_round_trip(&rev5);
}

#[test]
fn oscal_transition_orders_by_date_when_versions_are_not_comparable() {
    let rev4 = synthetic("rev4-style.json");
    let rev5 = synthetic("rev5-style.json");
    assert_eq!(rev4.catalog.version.as_str(), "2015-01-22");
    let transition = oscal::transition(&rev4.catalog, &rev5.catalog, "rev5-style.json").unwrap();
    let pairs: Vec<(String, Vec<String>, Option<&str>)> = transition
        .correspondences
        .iter()
        .map(|c| (c.from.join(","), c.to.clone(), c.relation))
        .collect();
    assert_eq!(
        pairs,
        [
            ("SX-2".to_owned(), vec!["SX-1".to_owned()], Some("equal")),
            (
                "SX-3".to_owned(),
                vec!["SX-5".to_owned()],
                Some("subset-of")
            ),
        ]
    );
    let backwards = oscal::transition(&rev5.catalog, &rev4.catalog, "rev4-style.json").unwrap();
    assert_eq!(backwards.warnings[0].code, "version-order-disagrees");
    assert!(backwards.warnings[0].message.contains("later by date"));
}

#[test]
fn oscal_groups_sharing_an_id_are_a_located_error() {
    let problems = oscal::import(
        &fixture("oscal/duplicate-group.json"),
        &oscal::OscalOptions::default(),
    )
    .unwrap_err();
    insta::assert_snapshot!("oscal-error-duplicate-group", errors(&problems));
}

#[test]
fn oscal_duplicate_ids_are_each_located_at_their_own_place() {
    let controls: Vec<String> = (0..2000)
        .map(|i| format!(r#"{{"id":"dup","title":"C{i}","parts":[{{"name":"statement","prose":"Do {i}."}}]}}"#))
        .collect();
    let text = format!(
        r#"{{"catalog":{{"metadata":{{"title":"T","version":"1","oscal-version":"1.1.2","last-modified":"2025-01-01T00:00:00Z"}},"groups":[{{"id":"g","title":"G","controls":[
{}
]}}]}}}}"#,
        controls.join(",\n")
    );
    let problems =
        oscal::import(&SourceFile::new("dups.json", text), &oscal_options(false)).unwrap_err();
    assert_eq!(problems.len(), 1999);
    let lines: Vec<Option<usize>> = problems
        .iter()
        .map(|p| p.location.as_ref().and_then(|l| l.line))
        .collect();
    assert_eq!(lines.first(), Some(&Some(3)), "the second occurrence");
    assert_eq!(lines.last(), Some(&Some(2001)));
}

#[test]
fn oscal_minified_file_with_100_warnings_keeps_diagnostics_small() {
    let imported = synthetic("minified-100-warnings.json");
    let file = fixture("oscal/minified-100-warnings.json");
    assert_eq!(file.text.lines().count(), 1, "the fixture is one line");
    let no_statement = imported
        .warnings
        .iter()
        .filter(|w| w.code == "no-statement");
    assert_eq!(no_statement.count(), 100);
    for warning in &imported.warnings {
        let rendered = diag::render(warning);
        assert!(
            rendered.lines().all(|l| l.chars().count() <= 130),
            "{rendered}"
        );
        assert_eq!(warning.location.as_ref().unwrap().line, Some(1));
    }
    let (shown, hidden) = import::limit_per_code(&imported.warnings, Some(10));
    assert_eq!(shown.len(), 10);
    assert_eq!(hidden, [(reqgap::diag::Code::NoStatement, 90)]);
}

#[test]
fn every_oscal_finding_names_its_file_and_a_line() {
    for name in [
        "profile",
        "not-json",
        "duplicate-id",
        "missing-id",
        "duplicate-group",
    ] {
        let problems = oscal::import(
            &fixture(&format!("oscal/{name}.json")),
            &oscal::OscalOptions::default(),
        )
        .unwrap_err();
        for problem in problems.iter() {
            let location = problem.location.as_ref().expect("located");
            assert!(
                location.path.ends_with(".json") && location.line.is_some(),
                "{problem:?}"
            );
        }
    }
    let derived = oscal::import(
        &fixture("oscal/demo-2.0.json"),
        &oscal::OscalOptions::default(),
    )
    .unwrap();
    assert!(derived
        .warnings
        .iter()
        .all(|w| w.location.as_ref().is_some_and(|l| l.line.is_some())));
}

#[test]
fn csv_errors_point_at_the_same_lines_with_crlf_line_ends() {
    let lines = |name: &str| {
        csv::import(&fixture(name), &csv_options(&[]))
            .unwrap_err()
            .iter()
            .map(|p| p.location.as_ref().and_then(|l| l.line))
            .collect::<Vec<_>>()
    };
    let crlf = fixture("csv/bad-rows-crlf.csv");
    assert!(crlf.text.contains("\r\n"));
    assert_eq!(lines("csv/bad-rows-crlf.csv"), lines("csv/bad-rows.csv"));
    assert_eq!(lines("csv/bad-rows.csv").first(), Some(&Some(3)));
}

/// ASVS 4.0.3 keeps deleted rows in its CSV, marked in the text (`[DELETED, ...]`); a row
/// may also carry its status in a column.
#[test]
fn csv_rows_marked_deleted_are_withdrawn_by_pattern_or_status_column() {
    let text = "id,section,text,status\n\
        V1.1.1,V1.1,Verify the use of a secure development lifecycle.,\n\
        V1.1.7,V1.1,\"[DELETED, NOT ACTIONABLE]\",\n\
        V1.2.5,V1.2,\"[deleted, merged to 1.2.3]\",\n\
        V1.2.6,V1.2,Verify that keys are rotated.,withdrawn\n";
    let file = reqgap::diag::SourceFile::new("asvs.csv", text);
    let options = csv::CsvOptions {
        withdrawn_pattern: Some("[DELETED*".into()),
        ..csv_options(&[])
    };
    let catalog = csv::import(&file, &options).unwrap().catalog;
    let statuses: Vec<(&str, Status)> = catalog
        .requirements
        .iter()
        .map(|r| (r.id.as_str(), r.status))
        .collect();
    assert_eq!(
        statuses,
        [
            ("V1.1.1", Status::Active),
            ("V1.1.7", Status::Withdrawn),
            ("V1.2.5", Status::Withdrawn),
            ("V1.2.6", Status::Withdrawn),
        ]
    );
    import::render(&catalog).expect("withdrawn rows re-validate");
    let without = csv::import(&file, &csv_options(&[])).unwrap().catalog;
    assert_eq!(
        without
            .requirements
            .iter()
            .filter(|r| r.is_active())
            .count(),
        3
    );
    let bad =
        reqgap::diag::SourceFile::new("bad.csv", "id,section,text,status\nA-1,1,Text.,gone\n");
    assert_eq!(
        csv::import(&bad, &csv_options(&[])).unwrap_err().0[0].code,
        "incomplete-row"
    );
}
