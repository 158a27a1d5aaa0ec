//! OSCAL 1.2 exports checked by NIST's JSON schemas (tests/data/oscal/): the bundled
//! crosswalks as mapping-collections that read back exactly, and open gaps as a POA&M.

use std::process::{Command, Output};

use chrono::NaiveDate;
use reqgap::diag::SourceFile;
use reqgap::import::oscal_mapping::{import, Endpoints};
use reqgap::model::{CatalogSet, Crosswalk, CrosswalkSet};
use reqgap::report::oscal::mapping::mapping_collection;
use reqgap::source::crosswalk::{parse_crosswalk, render};
use serde_json::Value;

const RELATIONSHIPS: [&str; 6] = [
    "equivalent-to",
    "equal-to",
    "subset-of",
    "superset-of",
    "intersects-with",
    "no-relationship",
];

fn reqgap(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_reqgap"))
        .args(args)
        .env("NO_COLOR", "1")
        .output()
        .expect("reqgap runs")
}

fn validator(schema: &str) -> jsonschema::Validator {
    let path = format!("tests/data/oscal/{schema}");
    let text = std::fs::read_to_string(&path).expect("schema is committed");
    let schema: Value = serde_json::from_str(&text).expect("schema is JSON");
    jsonschema::validator_for(&schema).expect("schema compiles")
}

fn assert_valid(validator: &jsonschema::Validator, document: &Value) {
    let errors: Vec<String> = validator
        .iter_errors(document)
        .map(|e| format!("{} at {}", e, e.instance_path()))
        .collect();
    assert!(errors.is_empty(), "schema errors: {errors:#?}");
}

fn bundled() -> (CatalogSet, CrosswalkSet) {
    let catalogs = CatalogSet::bundled().expect("bundled catalogs");
    let crosswalks = CrosswalkSet::load(&[], &catalogs).expect("bundled crosswalks");
    (catalogs, crosswalks)
}

fn day() -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, 11, 26).expect("date")
}

#[test]
fn the_nis2_crosswalk_exports_as_a_valid_mapping_collection() {
    let output = reqgap(&[
        "crosswalk",
        "eu-nis2-directive",
        "eu-cir-2024-2690",
        "--format",
        "oscal",
        "--today",
        "2026-11-26",
    ]);
    assert_eq!(output.status.code(), Some(0), "{output:?}");
    let document: Value = serde_json::from_slice(&output.stdout).expect("JSON");
    assert_valid(&validator("oscal_mapping_schema.json"), &document);
    let collection = &document["mapping-collection"];
    assert_eq!(collection["uuid"].as_str().map(str::len), Some(36));
    assert_eq!(
        collection["metadata"]["last-modified"],
        "2026-11-26T00:00:00Z"
    );
    assert_eq!(collection["provenance"]["status"], "complete");
    let maps = collection["mappings"][0]["maps"].as_array().expect("maps");
    assert!(maps.len() >= 10, "{} maps", maps.len());
    for map in maps {
        let relationship = map["relationship"].as_str().expect("relationship");
        assert!(RELATIONSHIPS.contains(&relationship), "{relationship}");
    }
    let again = reqgap(&[
        "crosswalk",
        "eu-nis2-directive",
        "eu-cir-2024-2690",
        "--format",
        "oscal",
        "--today",
        "2026-11-26",
    ]);
    assert_eq!(output.stdout, again.stdout, "byte-identical across runs");
}

/// A crosswalk through OSCAL and back, validated against the catalogs as a new file.
fn round_trip(crosswalk: &Crosswalk, catalogs: &CatalogSet) -> Crosswalk {
    let exported =
        serde_json::to_string_pretty(&mapping_collection(crosswalk, day())).expect("serialises");
    let document: Value = serde_json::from_str(&exported).expect("JSON");
    assert_valid(&validator("oscal_mapping_schema.json"), &document);
    let imported = import(
        &SourceFile::new("export.json", exported),
        &Endpoints::default(),
    )
    .expect("reads back");
    assert_eq!(imported.maps, crosswalk.entries.len());
    let text = render(&imported.crosswalk).expect("renders");
    let mut read = parse_crosswalk(&SourceFile::new(crosswalk.origin.clone(), text), catalogs)
        .expect("valid crosswalk");
    read.origin = crosswalk.origin.clone();
    read
}

#[test]
fn every_bundled_crosswalk_reads_back_exactly() {
    let (catalogs, crosswalks) = bundled();
    for crosswalk in crosswalks.iter() {
        assert_eq!(
            &round_trip(crosswalk, &catalogs),
            crosswalk,
            "{}",
            crosswalk.origin
        );
    }
}

#[test]
fn a_foreign_file_needs_its_catalogs_named_and_an_unknown_relationship_is_refused() {
    let (_, crosswalks) = bundled();
    let crosswalk = crosswalks.iter().next().expect("one").clone();
    let mut document = serde_json::to_value(mapping_collection(&crosswalk, day())).expect("JSON");
    let mapping = &mut document["mapping-collection"]["mappings"][0];
    mapping["source-resource"]["props"] = Value::Array(Vec::new());
    mapping["maps"][2]["relationship"] = Value::String("contains".into());
    let file = SourceFile::new("foreign.json", document.to_string());
    let problems = import(&file, &Endpoints::default())
        .expect_err("refused")
        .to_string();
    assert!(
        problems.contains("map 3: `contains` is not an OSCAL relationship"),
        "{problems}"
    );
    assert!(problems.contains("give it with --from"), "{problems}");
}

#[test]
fn equivalent_to_reads_as_equal_with_a_semantic_rationale() {
    let (_, crosswalks) = bundled();
    let crosswalk = crosswalks.iter().next().expect("one").clone();
    let mut document = serde_json::to_value(mapping_collection(&crosswalk, day())).expect("JSON");
    let map = &mut document["mapping-collection"]["mappings"][0]["maps"][0];
    map["relationship"] = Value::String("equivalent-to".into());
    map.as_object_mut()
        .expect("map")
        .remove("matching-rationale");
    let file = SourceFile::new("equivalent.json", document.to_string());
    let imported = import(&file, &Endpoints::default()).expect("reads");
    let entry = &imported.crosswalk.correspondences[0];
    assert_eq!(entry.relation, reqgap::model::Relation::Equal);
    assert_eq!(entry.rationale, Some(reqgap::model::Rationale::Semantic));
}

fn gaps(format: &str) -> Output {
    reqgap(&[
        "gaps",
        "examples/trust-service-provider",
        "--today",
        "2026-11-26",
        "--format",
        format,
    ])
}

#[test]
fn gaps_as_oscal_poam_give_one_valid_item_per_gap() {
    let output = gaps("oscal-poam");
    assert_eq!(output.status.code(), Some(0), "{output:?}");
    let poam: Value = serde_json::from_slice(&output.stdout).expect("JSON");
    assert_valid(&validator("oscal_poam_schema.json"), &poam);
    let report: Value = serde_json::from_slice(&gaps("json").stdout).expect("JSON");
    let gap_list = report["gaps"].as_array().expect("gaps");
    let plan = &poam["plan-of-action-and-milestones"];
    let items = plan["poam-items"].as_array().expect("items");
    assert_eq!(items.len(), gap_list.len());
    let parties = plan["metadata"]["parties"].as_array().expect("parties");
    let prop = |props: &Value, name: &str| -> Option<String> {
        props
            .as_array()?
            .iter()
            .find(|p| p["name"] == name)
            .and_then(|p| p["value"].as_str().map(str::to_owned))
    };
    for (item, gap) in items.iter().zip(gap_list) {
        assert_eq!(
            prop(&item["props"], "gap-key").as_deref(),
            gap["key"].as_str()
        );
        assert_eq!(
            prop(&item["props"], "requirement").as_deref(),
            gap["requirement"].as_str()
        );
        let risk_uuid = &item["related-risks"][0]["risk-uuid"];
        let risk = plan["risks"]
            .as_array()
            .and_then(|risks| risks.iter().find(|r| &r["uuid"] == risk_uuid))
            .expect("related risk");
        let due = gap["due"].as_str().expect("due");
        assert_eq!(risk["deadline"], format!("{due}T00:00:00Z"));
        let task = &risk["remediations"][0]["tasks"][0];
        let Some(owner) = gap["owner"].as_str() else {
            assert!(
                task.get("responsible-roles").is_none(),
                "an unowned gap names nobody"
            );
            continue;
        };
        let party = parties
            .iter()
            .find(|p| prop(&p["props"], "owner-id").as_deref() == Some(owner))
            .expect("owner is a party");
        assert_eq!(
            task["responsible-roles"][0]["party-uuids"][0],
            party["uuid"]
        );
    }
    assert_eq!(output.stdout, gaps("oscal-poam").stdout, "byte-identical");
}

#[test]
fn the_schemas_refuse_what_oscal_does_not_allow() {
    let (_, crosswalks) = bundled();
    let crosswalk = crosswalks.iter().next().expect("one");
    let mut document = serde_json::to_value(mapping_collection(crosswalk, day())).expect("JSON");
    assert_valid(&validator("oscal_mapping_schema.json"), &document);
    document["mapping-collection"]
        .as_object_mut()
        .expect("collection")
        .remove("uuid");
    assert!(!validator("oscal_mapping_schema.json").is_valid(&document));
}
