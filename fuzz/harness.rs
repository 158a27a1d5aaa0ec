//! The properties that hostile input must not break, shared by the libFuzzer targets in
//! `fuzz/fuzz_targets/` and the stable proptest in `tests/suite/hostile_properties.rs` (both
//! include this file with `#[path]`, so they check the same things through the same entry
//! points):
//!
//! - no entry point panics;
//! - every rejection is a set of errors that each name a file, a line and a column (the
//!   CLI turns them into exit code 2);
//! - a catalog that an importer produces renders and reads back through the ordinary
//!   catalog loader.
//!
//! Fixture paths are relative to the repository root, found from the including crate's
//! manifest folder (the root itself, or `fuzz/`).

#![allow(dead_code)]

use std::fs;
use std::path::{Path, PathBuf};

use reqgap::diag::{Code, Diagnostics, SourceFile};
use reqgap::import::{self, csv, etsi_text, oscal, HeaderOverrides};
use reqgap::model::{CatalogSet, Origin};
use reqgap::source::inventory::{self, PathRule};
use reqgap::source::{catalog, transition};

/// The fixtures that seed the mutations and the fuzz corpus.
pub const CATALOG: &str = "tests/fixtures/catalogs/demo/2.0.yaml";
pub const CONFIG: &str = "tests/fixtures/inventories/valid/reqgap.yaml";
pub const OWNERS: &str = "tests/fixtures/inventories/valid/owners.yaml";
pub const CONTROLS: &str = "tests/fixtures/inventories/valid/controls/governance.yaml";
pub const TRANSITION: &str = "tests/fixtures/diff/mappings/diff-demo/1.0--2.0.yaml";
pub const TRANSITION_CATALOGS: &str = "tests/fixtures/diff/catalogs";
pub const OSCAL: &str = "tests/fixtures/import/oscal/demo-2.0.json";
pub const ETSI_TEXT: &str = "tests/fixtures/import/etsi-en-319-401-synthetic.txt";
pub const CSV: &str = "tests/fixtures/import/csv/grc-export.csv";

/// Separates the files of an inventory in one fuzz input: reqgap.yaml, the owners file
/// and a control file, in that order.
pub const FILE_SEPARATOR: &str = "\n%%%\n";

/// A property that failed, with what was seen.
pub type Verdict = Result<(), String>;

/// A fuzz input through `property`: bytes that are not UTF-8 must be rejected with a
/// located `not-utf8` error (as reading a file does); text goes to the property, and a
/// broken property is a crash.
pub fn run(data: &[u8], property: fn(&str) -> Verdict) {
    let verdict = match reqgap::source::decode_text("fuzz-input", data.to_vec()) {
        Ok(file) => property(&file.text),
        Err(problems) => located(&problems),
    };
    if let Err(failure) = verdict {
        panic!("{failure}");
    }
}

/// A path of the repository.
pub fn repo(path: &str) -> PathBuf {
    let manifest = Path::new(env!("CARGO_MANIFEST_DIR"));
    let root = if manifest.ends_with("fuzz") {
        manifest.parent().unwrap_or(manifest)
    } else {
        manifest
    };
    root.join(path)
}

/// Every error must carry a file, a line and a column.
pub fn located(problems: &Diagnostics) -> Verdict {
    if !problems.has_errors() {
        return Err(format!("a rejection without an error: {problems:?}"));
    }
    for d in problems.iter().filter(|d| d.is_error()) {
        let placed = d
            .location
            .as_ref()
            .is_some_and(|l| !l.path.is_empty() && l.line.is_some() && l.column.is_some());
        if !placed {
            return Err(format!("unlocated {}: {}", d.code, d.message));
        }
    }
    Ok(())
}

pub fn catalog(text: &str) -> Verdict {
    let file = SourceFile::new("catalog.yaml", text);
    match catalog::parse_catalog(&file, Origin::File("catalog.yaml".into())) {
        Ok(_) => Ok(()),
        Err(problems) => located(&problems),
    }
}

/// Loads an inventory made of `config`, `owners` and one control file, beside the demo
/// catalog, in a fresh temporary folder.
pub fn inventory(config: &str, owners: &str, controls: &str) -> Verdict {
    let dir = tempfile::tempdir().map_err(|e| e.to_string())?;
    let root = dir.path();
    let write = |name: &str, text: &str| -> Result<(), String> {
        let path = root.join(name);
        fs::create_dir_all(path.parent().unwrap_or(root)).map_err(|e| e.to_string())?;
        fs::write(path, text).map_err(|e| e.to_string())
    };
    write("catalogs/demo/2.0.yaml", &read(CATALOG))?;
    write(
        "reqgap.yaml",
        &config.replace("../../catalogs/demo", "catalogs/demo"),
    )?;
    write("owners.yaml", owners)?;
    write("controls/governance.yaml", controls)?;
    let today = chrono::NaiveDate::from_ymd_opt(2026, 11, 26).unwrap_or_default();
    match inventory::load_with(root, &[], today, &PathRule::default()) {
        Ok(_) => Ok(()),
        Err(problems) => located(&problems),
    }
}

/// [`inventory`] from one input holding the three files split by [`FILE_SEPARATOR`].
pub fn inventory_from(input: &str) -> Verdict {
    let mut parts = input.splitn(3, FILE_SEPARATOR);
    let config = parts.next().unwrap_or_default();
    let owners = parts.next().unwrap_or_default();
    let controls = parts.next().unwrap_or_default();
    inventory(config, owners, controls)
}

pub fn transition(text: &str) -> Verdict {
    // Read once: the fixture catalogs are the same for every input, and reading them per
    // input would make them most of the fuzzer's time.
    static CATALOGS: std::sync::OnceLock<Result<CatalogSet, String>> = std::sync::OnceLock::new();
    let catalogs = CATALOGS
        .get_or_init(|| {
            CatalogSet::load(&[repo(TRANSITION_CATALOGS)])
                .map_err(|e| format!("fixture catalogs: {e}"))
        })
        .as_ref()
        .map_err(Clone::clone)?;
    let file = SourceFile::new("1.0--2.0.yaml", text);
    match transition::parse_transition(&file, catalogs) {
        Ok(_) => Ok(()),
        Err(problems) => located(&problems),
    }
}

/// An importer's result: a catalog must render and read back; a rejection must not be
/// one of the "bug in reqgap" codes.
fn imported(result: Result<import::Imported, Diagnostics>) -> Verdict {
    match result {
        Ok(imported) => import::render(&imported.catalog)
            .map(|_| ())
            .map_err(|problems| format!("imported catalog does not re-validate: {problems}")),
        Err(problems) => {
            let bug = problems
                .iter()
                .find(|d| matches!(d.code, Code::ImportInvalid | Code::ImportNotRoundTrip));
            match bug {
                Some(d) => Err(format!("importer wrote an invalid catalog: {}", d.message)),
                None => Ok(()),
            }
        }
    }
}

fn header() -> HeaderOverrides {
    HeaderOverrides {
        standard: Some("fuzz-standard".into()),
        version: Some("1.0".into()),
        title: Some("Fuzz".into()),
        published: chrono::NaiveDate::from_ymd_opt(2025, 3, 1),
    }
}

pub fn oscal(text: &str) -> Verdict {
    let file = SourceFile::new("catalog.json", text);
    imported(oscal::import(&file, &oscal::OscalOptions::default()))
}

pub fn etsi_text(text: &str) -> Verdict {
    let file = SourceFile::new("deliverable.txt", text);
    imported(etsi_text::import(&file, &HeaderOverrides::default()))
}

pub fn csv(text: &str) -> Verdict {
    let file = SourceFile::new("export.csv", text);
    let options = csv::CsvOptions {
        columns: csv::ColumnMap::default(),
        header: header(),
        withdrawn_pattern: None,
    };
    imported(csv::import(&file, &options))
}

/// A fixture's text (fixtures are part of the repository; a missing one is a setup error).
pub fn read(path: &str) -> String {
    fs::read_to_string(repo(path)).unwrap_or_else(|e| panic!("{path}: {e}"))
}
