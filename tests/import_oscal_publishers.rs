//! The OSCAL importer on catalogs shaped as publishers ship them, each generated here
//! with invented wording: levels stated in props (BSI Grundschutz++ `modal_verb`) or by
//! modal verbs in German, French or English text; parameters whose values a resolved
//! profile constrains (FedRAMP); groups without ids (the Australian ISM), whose section IDs
//! must survive a group inserted before them.

use reqgap::diag::SourceFile;
use reqgap::import::{oscal, HeaderOverrides};
use reqgap::model::{Catalog, Level};
use serde_json::{json, Value};

fn options() -> oscal::OscalOptions {
    oscal::OscalOptions {
        label: false,
        with_guidance: false,
        header: HeaderOverrides {
            standard: Some("publisher-style".into()),
            ..HeaderOverrides::default()
        },
    }
}

fn catalog(groups: Value) -> Value {
    json!({ "catalog": {
        "uuid": "00000000-0000-4000-8000-000000000000",
        "metadata": {
            "title": "Publisher-style catalog", "version": "2026.1",
            "oscal-version": "1.1.2", "last-modified": "2026-01-15T00:00:00Z"
        },
        "groups": groups
    }})
}

fn control(id: &str, prose: &str, props: Value) -> Value {
    json!({
        "id": id, "title": format!("Control {id}"),
        "parts": [{ "id": format!("{id}_smt"), "name": "statement", "props": props, "prose": prose }]
    })
}

/// JSON as publishers write OSCAL: `id` and `title` before the other keys of an object
/// (serde_json would sort them), one key per line.
fn publisher_json(value: &Value, indent: usize) -> String {
    let pad = "  ".repeat(indent + 1);
    match value {
        Value::Object(map) => {
            let rank = |k: &str| match k {
                "id" => 0,
                "title" => 1,
                _ => 2,
            };
            let mut keys: Vec<&String> = map.keys().collect();
            keys.sort_by_key(|k| rank(k));
            let fields: Vec<String> = keys
                .iter()
                .map(|k| format!("{pad}\"{k}\": {}", publisher_json(&map[*k], indent + 1)))
                .collect();
            format!("{{\n{}\n{}}}", fields.join(",\n"), "  ".repeat(indent))
        }
        Value::Array(items) => {
            let items: Vec<String> = items
                .iter()
                .map(|v| format!("{pad}{}", publisher_json(v, indent + 1)))
                .collect();
            format!("[\n{}\n{}]", items.join(",\n"), "  ".repeat(indent))
        }
        scalar => scalar.to_string(),
    }
}

fn import(value: &Value, name: &str) -> reqgap::import::Imported {
    let text = publisher_json(value, 0);
    oscal::import(&SourceFile::new(name, text), &options()).unwrap()
}

#[test]
fn levels_come_from_props_then_from_modal_verbs_in_three_languages() {
    let modal = |verb: &str| json!([{ "name": "modal_verb", "value": verb, "ns": "https://example.org/ns" }]);
    let value = catalog(json!([{ "id": "kern", "title": "Kern", "controls": [
        control("k-1", "Die Institution MUSS Regeln festlegen.", modal("MUSS")),
        control("k-2", "Die Institution SOLLTE Regeln pflegen.", modal("SOLLTE")),
        control("k-3", "Die Institution KANN Werkzeuge nutzen.", modal("KANN")),
        // The prop wins over the text.
        control("k-4", "Die Institution MUSS prüfen.", modal("SOLLTE")),
        control("k-5", "Die Leitung SOLLTE berichten; sie kann Hilfe holen.", json!([])),
        control("f-1", "L'opérateur doit conserver les journaux.", json!([])),
        control("f-2", "L'opérateur devrait chiffrer les sauvegardes.", json!([])),
        control("f-3", "L'opérateur peut déléguer.", json!([])),
        control("e-1", "The provider MAY publish a summary.", json!([])),
        control("e-2", "Review the policy; results may be published.", json!([])),
    ]}]));
    let catalog = import(&value, "levels.json").catalog;
    let levels: Vec<(&str, Level)> = catalog
        .requirements
        .iter()
        .map(|r| (r.id.as_str(), r.level))
        .collect();
    assert_eq!(
        levels,
        [
            ("k-1", Level::Shall),
            ("k-2", Level::Should),
            ("k-3", Level::May),
            ("k-4", Level::Should),
            ("k-5", Level::Should),
            ("f-1", Level::Shall),
            ("f-2", Level::Should),
            ("f-3", Level::May),
            ("e-1", Level::May),
            // An imperative without a keyword (SP 800-53) stays binding.
            ("e-2", Level::Shall),
        ]
    );
    reqgap::import::render(&catalog).expect("levels re-validate");
}

#[test]
fn parameter_constraints_of_a_resolved_profile_stay_in_the_text() {
    let mut ac1 = control(
        "ac-1",
        "Review and update the policy {{ insert: param, ac-1_prm_1 }}.",
        json!([]),
    );
    ac1["params"] = json!([{
        "id": "ac-1_prm_1", "label": "frequency",
        "constraints": [{ "description": "at least every 3 years" }]
    }, {
        "id": "ac-1_prm_2", "label": "personnel", "values": ["the security officer"]
    }]);
    ac1["parts"][0]["prose"] = json!(
        "Review and update the policy {{ insert: param, ac-1_prm_1 }}; inform {{ insert: param, ac-1_prm_2 }}."
    );
    let value = catalog(json!([{ "id": "ac", "title": "Access Control", "controls": [ac1] }]));
    let catalog = import(&value, "fedramp-low.json").catalog;
    assert_eq!(
        catalog.requirement("ac-1").unwrap().text,
        "Review and update the policy [Assignment: frequency: at least every 3 years]; inform the security officer."
    );
}

fn ism_groups(with_inserted: bool) -> Value {
    let guideline = |title: &str, sub: &[&str], first: usize| {
        let groups: Vec<Value> = sub
            .iter()
            .enumerate()
            .map(|(i, t)| json!({ "title": t, "controls": [control(&format!("ism-{}", first + i), "Systems are patched.", json!([]))] }))
            .collect();
        json!({ "title": title, "groups": groups })
    };
    let mut groups = vec![guideline(
        "Guidelines for Cyber Security Roles",
        &["Chief Information Security Officer"],
        1,
    )];
    if with_inserted {
        groups.push(guideline(
            "Guidelines for Cyber Security Incidents",
            &["Detecting"],
            100,
        ));
    }
    groups.push(guideline(
        "Guidelines for Email",
        &["Email usage", "Email gateways and servers"],
        10,
    ));
    json!(groups)
}

#[test]
fn groups_without_ids_keep_their_section_when_a_group_is_inserted_before_them() {
    let before = import(&catalog(ism_groups(false)), "ism-oct.json").catalog;
    let after = import(&catalog(ism_groups(true)), "ism-dec.json").catalog;
    let section = |c: &Catalog, id: &str| c.requirement(id).unwrap().section.to_string();
    for id in ["ism-1", "ism-10", "ism-11"] {
        assert_eq!(section(&before, id), section(&after, id), "{id}");
    }
    assert_eq!(
        section(&after, "ism-10"),
        "guidelines-for-email/email-usage"
    );
    reqgap::import::render(&after).expect("title-path sections re-validate");
}

#[test]
fn group_warnings_stand_at_the_groups_own_title() {
    // The title "Email usage" appears first in the prose of an earlier control.
    let mut groups = ism_groups(false);
    groups[0]["groups"][0]["controls"][0]["parts"][0]["prose"] = json!("See Email usage for mail.");
    let value = catalog(groups);
    let text = publisher_json(&value, 0);
    let imported = oscal::import(&SourceFile::new("ism.json", text.clone()), &options()).unwrap();
    let warning = imported
        .warnings
        .iter()
        .find(|w| w.message.starts_with("group `Email usage`"))
        .unwrap();
    let line = warning.location.as_ref().unwrap().line.unwrap();
    assert_eq!(
        text.lines().nth(line - 1).unwrap().trim(),
        "\"title\": \"Email usage\","
    );
    assert!(warning
        .message
        .contains("`guidelines-for-email/email-usage`"));
}
