//! Property: any catalog an importer writes re-validates. Inputs are built from the pieces
//! real documents are made of (and the misreads found in them: empty requirements, covers
//! with impossible years, groups that share an id); whatever an importer accepts must
//! render and read back through the ordinary catalog loader, and whatever it refuses is
//! refused with located errors.

use proptest::prelude::*;
use reqgap::diag::{Diagnostics, SourceFile};
use reqgap::import::{self, csv, etsi_text, oscal, HeaderOverrides, Imported};

fn check(result: Result<Imported, Diagnostics>) -> Result<(), TestCaseError> {
    match result {
        Ok(imported) => {
            let rendered = import::render(&imported.catalog);
            prop_assert!(rendered.is_ok(), "{:?}", rendered.err());
            for warning in &imported.warnings {
                prop_assert!(
                    warning.location.as_ref().is_some_and(|l| l.line.is_some()),
                    "{warning:?}"
                );
            }
        }
        Err(problems) => {
            prop_assert!(problems.has_errors());
            for problem in problems.iter() {
                prop_assert!(
                    problem.location.as_ref().is_some_and(|l| l.line.is_some()),
                    "{problem:?}"
                );
            }
        }
    }
    Ok(())
}

fn etsi_line() -> impl Strategy<Value = String> {
    prop_oneof![
        (1u32..9, 0u32..4).prop_map(|(a, b)| if b == 0 {
            format!("{a}   Clause {a}")
        } else {
            format!("{a}.{b}   Clause {a}.{b}")
        }),
        (1u32..9).prop_map(|a| a.to_string()),
        Just("Title on its own line".to_owned()),
        (1u32..9, 1u32..30).prop_map(|(a, n)| format!("REQ-{a}-{n:02}:   The TSP shall do {n}.")),
        (1u32..9, 1u32..30)
            .prop_map(|(a, n)| format!("   •   REQ-{a}-{n:02}: [CHOICE] The TSP should pick.")),
        (1u32..9, 1u32..30).prop_map(|(a, n)| format!("REQ-{a}-{n:02}:")),
        (1u32..9, 1u32..30).prop_map(|(a, n)| format!("REQ-{a}-{n:02}: Void.")),
        (1u32..9, 1u32..30).prop_map(|(a, n)| format!("REQ-{a}-{n:02} is cited here.")),
        Just("                 a)    an item;".to_owned()),
        Just("                 NOTE:     A note that may matter.".to_owned()),
        Just("                 Cell one        Cell two".to_owned()),
        Just("".to_owned()),
        Just("\u{c}   5    ETSI TS 119 999 V1.1.1 (2025-02)".to_owned()),
        Just("Contents".to_owned()),
        Just("1   Scope ........................ 5".to_owned()),
        Just("Annex A (informative):".to_owned()),
        Just("5 January 2026 was a date.".to_owned()),
    ]
}

fn cover() -> impl Strategy<Value = String> {
    prop_oneof![
        Just("ETSI TS 119 999 V1.1.1 (2025-02)".to_owned()),
        Just("ETSI TS 119 999 V1.1.1 (10000-01)".to_owned()),
        Just("ETSI TS 119 999 V1.1.1 (2025-13)".to_owned()),
        Just("ETSI EN 319 401 V3.2.1 (0000-01)".to_owned()),
        Just("No cover at all".to_owned()),
    ]
}

fn oscal_control() -> impl Strategy<Value = String> {
    (0u32..6, any::<bool>(), 0u8..4).prop_map(|(n, statement, status)| {
        let props = match status {
            0 => "",
            1 => r#","props":[{"name":"status","value":"Withdrawn"}]"#,
            2 => r##","links":[{"href":"#c-1","rel":"moved-to"}]"##,
            _ => r#","props":[{"name":"label","value":"C"}]"#,
        };
        let parts = if statement {
            format!(r#","parts":[{{"name":"statement","prose":"Do {n}."}}]"#)
        } else {
            String::new()
        };
        format!(r#"{{"id":"c-{n}","title":"Control {n}"{props}{parts}}}"#)
    })
}

fn oscal_group() -> impl Strategy<Value = String> {
    (0u32..3, prop::collection::vec(oscal_control(), 0..4)).prop_map(|(id, controls)| {
        format!(
            r#"{{"id":"g{id}","title":"Group {id}","controls":[{}]}}"#,
            controls.join(",")
        )
    })
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 200, ..ProptestConfig::default() })]

    #[test]
    fn etsi_imports_revalidate(cover in cover(), lines in prop::collection::vec(etsi_line(), 0..40)) {
        let text = format!("{cover}\n\nA Title\n\n1   Scope\n{}\n", lines.join("\n"));
        check(etsi_text::import(&SourceFile::new("t.txt", text), &HeaderOverrides::default()))?;
    }

    #[test]
    fn oscal_imports_revalidate(groups in prop::collection::vec(oscal_group(), 0..4), label in any::<bool>()) {
        let text = format!(
            r#"{{"catalog":{{"metadata":{{"title":"T: x","version":"1","oscal-version":"1.1.2","last-modified":"2025-01-01T00:00:00Z"}},"groups":[{}]}}}}"#,
            groups.join(",")
        );
        let options = oscal::OscalOptions { label, ..oscal::OscalOptions::default() };
        check(oscal::import(&SourceFile::new("c.json", text), &options))?;
    }

    #[test]
    fn csv_imports_revalidate(rows in prop::collection::vec(("[A-C]-[1-3]", "[1-3]?", "(The TSP shall x\\.)?", "(shall|may|bogus)?"), 0..8), crlf in any::<bool>()) {
        let mut text = String::from("id,section,text,level\n");
        for (id, section, body, level) in rows {
            text.push_str(&format!("{id},{section},{body},{level}\n"));
        }
        if crlf {
            text = text.replace('\n', "\r\n");
        }
        let options = csv::CsvOptions {
            columns: csv::ColumnMap::default(),
            header: HeaderOverrides {
                standard: Some("prop".into()),
                version: Some("1".into()),
                title: None,
                published: chrono::NaiveDate::from_ymd_opt(2025, 1, 1),
            },
        withdrawn_pattern: None,
        };
        check(csv::import(&SourceFile::new("c.csv", text), &options))?;
    }
}
