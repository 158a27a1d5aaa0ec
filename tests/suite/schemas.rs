//! The committed JSON Schemas under `schemas/` are what the code generates. Regenerate them
//! with `REQGAP_BLESS_SCHEMAS=1 cargo test --test suite schemas::`. The schemas also accept the
//! valid fixture inventories and refuse a file with an unknown key.

use reqgap::diag::SourceFile;
use reqgap::source::schema::SchemaFile;

fn committed_path(file: SchemaFile) -> String {
    format!("schemas/{}.schema.json", file.name())
}

#[test]
fn committed_schemas_match_the_code() {
    let bless = std::env::var_os("REQGAP_BLESS_SCHEMAS").is_some();
    for file in SchemaFile::ALL {
        let path = committed_path(file);
        let generated = file.render();
        if bless {
            std::fs::write(&path, &generated).unwrap();
            continue;
        }
        let committed = std::fs::read_to_string(&path).unwrap_or_default();
        assert!(
            committed == generated,
            "{path} is out of date: run `REQGAP_BLESS_SCHEMAS=1 cargo test --test suite schemas::`"
        );
    }
}

fn validator(file: SchemaFile) -> jsonschema::Validator {
    let schema: serde_json::Value = serde_json::from_str(&file.render()).unwrap();
    jsonschema::validator_for(&schema).unwrap()
}

fn yaml(path: &str) -> serde_json::Value {
    let text = std::fs::read_to_string(path).unwrap();
    reqgap::source::yaml::parse_value(&SourceFile::new(path, text)).unwrap()
}

#[test]
fn schemas_accept_valid_files_and_refuse_unknown_keys() {
    let valid = [
        (
            SchemaFile::Config,
            "tests/fixtures/inventories/check/mixed/reqgap.yaml",
        ),
        (
            SchemaFile::Config,
            "tests/fixtures/inventories/check/min-coverage/reqgap.yaml",
        ),
        (
            SchemaFile::Owners,
            "tests/fixtures/inventories/check/mixed/owners.yaml",
        ),
        (
            SchemaFile::Controls,
            "tests/fixtures/inventories/check/mixed/controls/controls.yaml",
        ),
        (
            SchemaFile::Waivers,
            "tests/fixtures/inventories/check/mixed/waivers.yaml",
        ),
        (SchemaFile::Catalog, "tests/fixtures/catalogs/demo/2.0.yaml"),
        (
            SchemaFile::Transition,
            "mappings/etsi-en-319-401/3.1.1--3.2.1.yaml",
        ),
        (
            SchemaFile::Crosswalk,
            "mappings/crosswalks/eu-cir-2024-2690--etsi-en-319-401.yaml",
        ),
    ];
    for (file, path) in valid {
        let instance = yaml(path);
        let errors: Vec<String> = validator(file)
            .iter_errors(&instance)
            .map(|e| format!("{e} at {}", e.instance_path()))
            .collect();
        assert!(errors.is_empty(), "{path}: {errors:#?}");
    }
    let mut config = yaml("tests/fixtures/inventories/check/mixed/reqgap.yaml");
    config["polcy"] = serde_json::json!({});
    assert!(!validator(SchemaFile::Config).is_valid(&config));
    let waiver_without_reason = serde_json::json!({ "waivers": [{ "gap": "uncovered:a@1:B" }] });
    assert!(!validator(SchemaFile::Waivers).is_valid(&waiver_without_reason));
}
