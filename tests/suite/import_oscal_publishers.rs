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

/// JSON field → the XML element of one array item.
fn singular(key: &str) -> &str {
    match key {
        "groups" => "group",
        "controls" => "control",
        "params" => "param",
        "props" => "prop",
        "links" => "link",
        "parts" => "part",
        "values" => "value",
        "constraints" => "constraint",
        other => other,
    }
}

/// Fields that OSCAL XML writes as attributes.
const ATTRIBUTES: [&str; 8] = [
    "id", "uuid", "name", "value", "ns", "href", "rel", "how-many",
];

fn escape(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

/// Prose with `{{ insert: param, x }}` as OSCAL XML writes it.
fn xml_prose(prose: &str) -> String {
    let mut out = String::new();
    let mut rest = prose;
    while let Some(start) = rest.find("{{ insert: param, ") {
        out += &escape(&rest[..start]);
        let after = &rest[start + "{{ insert: param, ".len()..];
        let end = after.find(" }}").unwrap();
        out += &format!("<insert type=\"param\" id-ref=\"{}\"/>", &after[..end]);
        rest = &after[end + 3..];
    }
    out + &escape(rest)
}

/// The OSCAL XML form of a JSON catalog value (the subset the generators use).
fn xml_element(name: &str, value: &Value, out: &mut String) {
    let Value::Object(map) = value else {
        let text = value
            .as_str()
            .map_or_else(|| value.to_string(), ToOwned::to_owned);
        *out += &format!("<{name}>{}</{name}>", xml_prose(&text));
        return;
    };
    *out += &format!("<{name}");
    for key in ATTRIBUTES {
        if let Some(Value::String(v)) = map.get(key) {
            *out += &format!(" {key}=\"{}\"", escape(v));
        }
    }
    *out += ">";
    for (key, child) in map {
        match (key.as_str(), child) {
            (k, Value::String(_)) if ATTRIBUTES.contains(&k) => {}
            ("prose", Value::String(p)) => *out += &format!("<p>{}</p>", xml_prose(p)),
            ("description", Value::String(p)) => {
                *out += &format!("<description><p>{}</p></description>", xml_prose(p))
            }
            (k, Value::Array(items)) => {
                for item in items {
                    xml_element(singular(k), item, out);
                }
            }
            (k, other) => xml_element(k, other, out),
        }
    }
    *out += &format!("</{name}>");
}

/// Block-style YAML of a JSON value, strings double-quoted (JSON escapes are YAML's).
fn yaml(value: &Value, indent: usize, out: &mut String) {
    let pad = " ".repeat(indent);
    match value {
        Value::Object(map) => {
            for (key, child) in map {
                match child {
                    Value::Array(items) if items.is_empty() => *out += &format!("{pad}{key}: []\n"),
                    Value::Object(_) | Value::Array(_) => {
                        *out += &format!("{pad}{key}:\n");
                        yaml(child, indent + 2, out);
                    }
                    scalar => *out += &format!("{pad}{key}: {scalar}\n"),
                }
            }
        }
        Value::Array(items) => {
            for item in items {
                let mut inner = String::new();
                yaml(item, indent + 2, &mut inner);
                match item {
                    Value::Object(_) | Value::Array(_) => {
                        *out += &format!("{pad}- {}", &inner[indent + 2..])
                    }
                    scalar => *out += &format!("{pad}- {scalar}\n"),
                }
            }
        }
        scalar => *out += &format!("{pad}{scalar}\n"),
    }
}

/// A small catalog with what publishers' XML carries: groups with and without ids, props,
/// parameters with labels, choices, constraints and values, nested items, links, and
/// characters that XML escapes.
fn three_format_catalog() -> Value {
    let mut ac1 = control(
        "ac-1",
        "Develop & review the policy {{ insert: param, ac-1_prm_1 }} <annually>.",
        json!([]),
    );
    ac1["props"] = json!([{ "name": "label", "value": "AC-1" }]);
    ac1["params"] = json!([
        { "id": "ac-1_prm_1", "label": "frequency",
          "constraints": [{ "description": "at least every 3 years" }] },
        { "id": "ac-1_prm_2", "select": { "how-many": "one-or-more", "choice": ["organization", "system"] } }
    ]);
    ac1["parts"][0]["parts"] = json!([
        { "id": "ac-1_smt.a", "name": "item", "props": [{ "name": "label", "value": "a." }],
          "prose": "Apply it at the {{ insert: param, ac-1_prm_2 }} level." }
    ]);
    let withdrawn = json!({
        "id": "ac-9", "title": "Withdrawn control",
        "props": [{ "name": "status", "value": "withdrawn" }],
        "links": [{ "href": "#ac-1", "rel": "incorporated-into" }]
    });
    catalog(json!([
        { "id": "ac", "title": "Access Control", "controls": [ac1, withdrawn] },
        { "title": "Guidelines for Email", "groups": [
            { "title": "Email usage", "controls": [
                control("ism-1", "Personnel are advised of email usage policies.", json!([])) ] } ] }
    ]))
}

#[test]
fn json_xml_and_yaml_of_one_catalog_give_the_same_catalog() {
    let value = three_format_catalog();
    let json_text = publisher_json(&value, 0);
    let mut xml_text = String::from("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
    xml_element("catalog", &value["catalog"], &mut xml_text);
    let xml_text = xml_text.replacen(
        "<catalog ",
        "<catalog xmlns=\"http://csrc.nist.gov/ns/oscal/1.0\" ",
        1,
    );
    let mut yaml_text = String::new();
    yaml(&value, 0, &mut yaml_text);
    let read = |name: &str, text: &str| {
        let imported = oscal::import(&SourceFile::new(name, text.to_owned()), &options())
            .unwrap_or_else(|e| panic!("{name}: {e:?}\n{text}"));
        Catalog {
            source: String::new(),
            origin: reqgap::model::Origin::Bundled(String::new()),
            ..imported.catalog
        }
    };
    let from_json = read("c.json", &json_text);
    assert_eq!(read("c.xml", &xml_text), from_json);
    assert_eq!(read("c.yaml", &yaml_text), from_json);
    assert_eq!(
        from_json.requirement("ac-1").unwrap().text,
        "Develop & review the policy [Assignment: frequency: at least every 3 years] <annually>.\na. Apply it at the [Selection (one or more): organization; system] level."
    );
    assert_eq!(from_json.requirements.len(), 3);
}

#[test]
fn broken_xml_is_a_located_error() {
    let text = "<?xml version=\"1.0\"?>\n<catalog uuid=\"x\">\n  <metadata>\n</catalog>\n";
    let problems = oscal::import(&SourceFile::new("broken.xml", text), &options()).unwrap_err();
    assert_eq!(problems.0[0].code, "not-xml");
    assert!(problems.0[0].location.as_ref().unwrap().line.unwrap() >= 3);
    let doctype = "<?xml version=\"1.0\"?>\n<!DOCTYPE x [<!ENTITY a \"aaaa\">]>\n<catalog/>\n";
    let problems = oscal::import(&SourceFile::new("dtd.xml", doctype), &options()).unwrap_err();
    assert_eq!(problems.0[0].code, "not-xml");
}
