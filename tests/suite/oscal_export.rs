//! OSCAL 1.2 exports checked by NIST's JSON schemas (tests/data/oscal/): the bundled
//! crosswalks as mapping-collections that read back exactly, and open gaps as a POA&M.

use std::process::{Command, Output};

use chrono::NaiveDate;
use reqgap::diag::SourceFile;
use reqgap::import::oscal_mapping::{import, Endpoints, MappingFile};
use reqgap::model::oscal::transition::{transition_collection, DetectedPair, Detection};
use reqgap::model::{CatalogSet, Crosswalk, CrosswalkSet, Transition, TransitionSet};
use reqgap::report::oscal::mapping::mapping_collection;
use reqgap::source::crosswalk::{parse_crosswalk, render};
use reqgap::source::transition::parse_transition;
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
    let MappingFile::Crosswalk(file) = &imported.file else {
        panic!("two standards make a crosswalk");
    };
    let text = render(file).expect("renders");
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
    let MappingFile::Crosswalk(file) = &imported.file else {
        panic!("two standards make a crosswalk");
    };
    let entry = &file.correspondences[0];
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

fn transition_document(transition: &Transition, detection: &Detection) -> (String, Value) {
    let exported =
        serde_json::to_string_pretty(&transition_collection(transition, detection, day()))
            .expect("serialises");
    assert_ne!(exported, "null", "{} has maps", transition.origin);
    let document: Value = serde_json::from_str(&exported).expect("JSON");
    assert_valid(&validator("oscal_mapping_schema.json"), &document);
    (exported, document)
}

/// A transition file through OSCAL and back, validated against the catalogs as a new file.
fn transition_round_trip(transition: &Transition, catalogs: &CatalogSet) -> Transition {
    let (exported, _) = transition_document(transition, &Detection::default());
    let imported = import(
        &SourceFile::new("export.json", exported),
        &Endpoints::default(),
    )
    .expect("reads back");
    assert_eq!(imported.skipped, 0, "{:?}", imported.warnings);
    let MappingFile::Transition(file) = &imported.file else {
        panic!("two versions of one standard make a transition");
    };
    let text = reqgap::source::transition::render(file).expect("renders");
    parse_transition(&SourceFile::new(transition.origin.clone(), text), catalogs)
        .expect("valid transition")
}

#[test]
fn every_bundled_transition_reads_back_exactly() {
    let catalogs = CatalogSet::bundled().expect("bundled catalogs");
    let transitions = TransitionSet::load(&[], &catalogs).expect("bundled transitions");
    assert!(transitions.len() >= 4, "{} transitions", transitions.len());
    for transition in transitions.iter() {
        assert_eq!(
            &transition_round_trip(transition, &catalogs),
            transition,
            "{}",
            transition.origin
        );
    }
}

#[test]
fn a_transition_export_carries_renumbered_split_withdrawn_and_new_entries() {
    let catalogs = CatalogSet::bundled().expect("bundled catalogs");
    let transitions = TransitionSet::load(&[], &catalogs).expect("bundled transitions");
    let kinds = |document: &Value| -> Vec<String> {
        let mapping = &document["mapping-collection"]["mappings"][0];
        let maps = mapping["maps"].as_array().expect("maps").iter();
        let map_props = maps.flat_map(|m| m["props"].as_array().cloned().unwrap_or_default());
        let own = mapping["props"].as_array().cloned().unwrap_or_default();
        map_props
            .chain(own)
            .filter_map(|p| match p["name"].as_str() {
                Some("change") => p["value"].as_str().map(str::to_owned),
                Some(name @ ("removed" | "added")) => Some(name.to_owned()),
                _ => None,
            })
            .collect()
    };
    let mut seen = std::collections::BTreeSet::new();
    for transition in transitions.iter() {
        let (_, document) = transition_document(transition, &Detection::default());
        let collection = &document["mapping-collection"];
        assert_eq!(collection["provenance"]["method"], "human");
        for map in collection["mappings"][0]["maps"].as_array().expect("maps") {
            let relationship = map["relationship"].as_str().expect("relationship");
            assert!(RELATIONSHIPS.contains(&relationship), "{relationship}");
        }
        seen.extend(kinds(&document));
    }
    for kind in ["renumbered", "split", "removed", "added"] {
        assert!(seen.contains(kind), "{kind} not among {seen:?}");
    }
    let with_removed = transitions
        .iter()
        .find(|t| t.correspondences.iter().any(|c| c.to.is_empty()))
        .expect("a bundled transition withdraws a requirement");
    let (_, document) = transition_document(with_removed, &Detection::default());
    let summary = &document["mapping-collection"]["mappings"][0]["source-gap-summary"];
    assert!(
        summary["unmapped-controls"][0]["with-ids"]
            .as_array()
            .is_some_and(|ids| !ids.is_empty()),
        "withdrawn requirements are the source's unmapped controls: {summary}"
    );
}

#[test]
fn detected_pairs_travel_as_syntactic_automation_with_their_score() {
    let catalogs = CatalogSet::bundled().expect("bundled catalogs");
    let transitions = TransitionSet::load(&[], &catalogs).expect("bundled transitions");
    let curated = transitions.iter().next().expect("one").clone();
    let detected = Detection {
        pairs: vec![DetectedPair {
            old: reqgap::model::RequirementId::new("REQ-5-01"),
            new: reqgap::model::RequirementId::new("REQ-5-02"),
            change: "renumbered".into(),
            score: 0.6123,
            identical: false,
            needs_confirmation: true,
        }],
        ..Detection::default()
    };
    let empty = Transition {
        correspondences: Vec::new(),
        ..curated.clone()
    };
    let (_, automated) = transition_document(&empty, &detected);
    assert_eq!(
        automated["mapping-collection"]["provenance"]["method"],
        "automation"
    );
    let (exported, hybrid) = transition_document(&curated, &detected);
    let collection = &hybrid["mapping-collection"];
    assert_eq!(collection["provenance"]["method"], "hybrid");
    let maps = collection["mappings"][0]["maps"].as_array().expect("maps");
    let last = maps.last().expect("the detected map comes last");
    assert_eq!(last["matching-rationale"], "syntactic");
    assert_eq!(last["relationship"], "intersects-with");
    assert_eq!(last["confidence-score"]["percentage"], 0.6123);
    let imported = import(
        &SourceFile::new("hybrid.json", exported),
        &Endpoints::default(),
    )
    .expect("reads");
    let MappingFile::Transition(file) = imported.file else {
        panic!("a transition");
    };
    let entry = file.correspondences.last().expect("entries");
    assert_eq!(entry.relation, None, "text similarity states no relation");
    assert_eq!(entry.rationale, Some(reqgap::model::Rationale::Syntactic));
    assert_eq!(entry.score, Some(0.6123));
    assert_eq!(
        entry.confidence,
        Some(reqgap::model::MappingConfidence::Low),
        "a pair the diff wanted confirmed stays doubtful"
    );
    assert_eq!(
        file.correspondences.len(),
        curated.correspondences.len() + 1
    );
}

#[test]
fn a_foreign_gap_summary_is_not_read_as_withdrawn() {
    let catalogs = CatalogSet::bundled().expect("bundled catalogs");
    let transitions = TransitionSet::load(&[], &catalogs).expect("bundled transitions");
    let transition = transitions.iter().next().expect("one");
    let mut document = serde_json::to_value(transition_collection(
        transition,
        &Detection::default(),
        day(),
    ))
    .expect("JSON");
    document["mapping-collection"]["mappings"][0]["target-gap-summary"] = serde_json::json!({
        "uuid": "3f1c1a5e-9a47-5d2c-8d1e-2b1f7a9c0d11",
        "unmapped-controls": [{"with-ids": ["REQ-5-01"]}]
    });
    assert_valid(&validator("oscal_mapping_schema.json"), &document);
    let imported = import(
        &SourceFile::new("foreign.json", document.to_string()),
        &Endpoints::default(),
    )
    .expect("reads");
    assert_eq!(imported.skipped, 1);
    assert!(
        imported.warnings[0].message.contains("REQ-5-01"),
        "{:?}",
        imported.warnings
    );
}

#[test]
fn diff_exports_its_transition_as_oscal_and_import_writes_it_back_as_a_transition_file() {
    let export = reqgap(&[
        "diff",
        "etsi-en-319-401@2.2.1",
        "etsi-en-319-401@2.3.1",
        "--format",
        "oscal",
        "--today",
        "2026-11-26",
    ]);
    assert_eq!(export.status.code(), Some(0), "{export:?}");
    let document: Value = serde_json::from_slice(&export.stdout).expect("JSON");
    assert_valid(&validator("oscal_mapping_schema.json"), &document);
    let collection = &document["mapping-collection"];
    assert_eq!(
        collection["provenance"]["method"], "hybrid",
        "curated entries and detected pairs"
    );
    let folder = std::env::temp_dir().join(format!("reqgap-oscal-diff-{}", std::process::id()));
    std::fs::create_dir_all(&folder).expect("temp folder");
    let json = folder.join("transition.json");
    std::fs::write(&json, &export.stdout).expect("written");
    let yaml = folder.join("2.2.1--2.3.1.yaml");
    let imported = reqgap(&[
        "import",
        "oscal-mapping",
        json.to_str().expect("path"),
        "-o",
        yaml.to_str().expect("path"),
    ]);
    let stderr = String::from_utf8_lossy(&imported.stderr);
    assert_eq!(imported.status.code(), Some(0), "{stderr}");
    assert!(stderr.contains("wrote the transition"), "{stderr}");
    let text = std::fs::read_to_string(&yaml).expect("transition file");
    std::fs::remove_dir_all(&folder).expect("cleaned up");
    assert!(text.contains("rationale: syntactic"), "{text}");
    assert!(text.contains("score: 0."), "{text}");
    let again = reqgap(&[
        "diff",
        "etsi-en-319-401@2.2.1",
        "etsi-en-319-401@2.3.1",
        "--format",
        "oscal",
        "--today",
        "2026-11-26",
    ]);
    assert_eq!(export.stdout, again.stdout, "byte-identical across runs");
}

#[test]
fn diff_of_two_standards_exports_their_crosswalk_and_filters_are_refused() {
    let args = ["eu-nis2-directive", "eu-cir-2024-2690", "--format", "oscal"];
    let dated = |command: &str| {
        let mut all = vec![command];
        all.extend(args);
        all.extend(["--today", "2026-11-26"]);
        reqgap(&all)
    };
    assert_eq!(dated("diff").stdout, dated("crosswalk").stdout);
    let filtered = reqgap(&[
        "diff",
        "etsi-en-319-401@2.2.1",
        "etsi-en-319-401@2.3.1",
        "--format",
        "oscal",
        "--only",
        "split",
    ]);
    assert_eq!(filtered.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&filtered.stderr).contains("--only does not apply"));
    let same = reqgap(&[
        "diff",
        "etsi-en-319-401@3.2.1",
        "etsi-en-319-401@3.2.1",
        "--format",
        "oscal",
    ]);
    assert_eq!(same.status.code(), Some(2), "{same:?}");
    assert!(String::from_utf8_lossy(&same.stderr).contains("at least one map"));
}

/// Withdrawn and new entries between maps, an unstated relation, a split, and every
/// provenance mark, on the records-demo catalogs: each comes back in its place.
const EVERY_KIND_OF_ENTRY: &str = "\
from: records-demo@1.0
to: records-demo@2.0
source: every kind of entry
correspondences:
- from: [RD-2]
  to: []
  note: withdrawn, an editor's reading
  rationale: semantic
  strength: 4
  confidence: low
  inferred: true
- from: [RD-1]
  to: [RD-3]
  note: detected and written down
  rationale: syntactic
  confidence: medium
  score: 0.5123
- from: []
  to: [RD-1A]
  note: new in 2.0
- from: [RD-3]
  to: [RD-2, RD-3]
  relation: superset-of
  strength: 7
";

#[test]
fn every_kind_of_transition_entry_comes_back_in_its_place() {
    let catalogs = CatalogSet::load(&[std::path::PathBuf::from(
        "tests/fixtures/inventories/unconfirmed-transition/catalogs",
    )])
    .expect("catalogs");
    let transition = parse_transition(
        &SourceFile::new("every-kind.yaml", EVERY_KIND_OF_ENTRY.to_owned()),
        &catalogs,
    )
    .expect("valid transition");
    assert_eq!(transition_round_trip(&transition, &catalogs), transition);
    let (_, document) = transition_document(&transition, &Detection::default());
    let mapping = &document["mapping-collection"]["mappings"][0];
    assert_eq!(
        mapping["source-gap-summary"]["unmapped-controls"][0]["with-ids"],
        serde_json::json!(["RD-2"])
    );
    assert_eq!(
        mapping["target-gap-summary"]["unmapped-controls"][0]["with-ids"],
        serde_json::json!(["RD-1A"])
    );
    let unstated = &mapping["maps"][0];
    assert_eq!(unstated["relationship"], "intersects-with");
    assert_eq!(unstated["confidence-score"]["category"], "medium");
}

#[test]
fn a_composed_transition_exports_its_curated_pairs_with_the_doubt_of_their_steps() {
    let export = reqgap(&[
        "diff",
        "etsi-en-319-401@2.2.1",
        "etsi-en-319-401@3.1.1",
        "--format",
        "oscal",
        "--today",
        "2026-11-26",
    ]);
    assert_eq!(export.status.code(), Some(0), "{export:?}");
    let text = String::from_utf8(export.stdout).expect("UTF-8");
    let document: Value = serde_json::from_str(&text).expect("JSON");
    assert_valid(&validator("oscal_mapping_schema.json"), &document);
    let maps = document["mapping-collection"]["mappings"][0]["maps"]
        .as_array()
        .expect("maps");
    let continuity = maps
        .iter()
        .find(|m| m["sources"][0]["id-ref"] == "REQ-7.11-01")
        .expect("REQ-7.11-01 is carried through the inferred entry of 2.3.1 → 3.1.1");
    assert_eq!(continuity["confidence-score"]["category"], "low");
    let inferred = continuity["props"]
        .as_array()
        .expect("props")
        .iter()
        .any(|p| p["name"] == "inferred" && p["value"] == "true");
    assert!(inferred, "{continuity}");
    let imported = import(
        &SourceFile::new("composed.json", text),
        &Endpoints::default(),
    )
    .expect("reads back");
    let MappingFile::Transition(file) = &imported.file else {
        panic!("a transition");
    };
    let yaml = reqgap::source::transition::render(file).expect("renders");
    let catalogs = CatalogSet::bundled().expect("bundled catalogs");
    parse_transition(&SourceFile::new("composed.yaml", yaml), &catalogs)
        .expect("a valid transition file");
}
