//! The integration tests stay one binary, and none of them is left out of it.
//!
//! Cargo builds every `tests/*.rs` as a binary of its own, linking the whole library again
//! (see `main.rs`); and a file in `tests/suite/` without a `mod` line in `main.rs` is never
//! compiled, so its tests would silently stop running.

use std::collections::BTreeSet;
use std::fs;
use std::path::Path;

fn rust_files(dir: &Path) -> BTreeSet<String> {
    fs::read_dir(dir)
        .unwrap()
        .map(|entry| entry.unwrap().path())
        .filter(|path| path.is_file() && path.extension().is_some_and(|e| e == "rs"))
        .map(|path| path.file_stem().unwrap().to_string_lossy().into_owned())
        .collect()
}

#[test]
fn every_file_in_the_suite_is_a_module_of_it() {
    let suite = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/suite");
    let main = fs::read_to_string(suite.join("main.rs")).unwrap();
    let declared: BTreeSet<String> = main
        .lines()
        .filter_map(|line| line.trim().strip_prefix("mod "))
        .filter_map(|rest| rest.strip_suffix(';'))
        .map(str::to_owned)
        .collect();
    let mut files = rust_files(&suite);
    files.remove("main");
    let missing: Vec<_> = files.difference(&declared).collect();
    assert!(
        missing.is_empty(),
        "tests/suite/main.rs has no `mod` line for {missing:?}: their tests never run"
    );
}

#[test]
fn the_only_other_test_binary_is_the_cli_cases() {
    let tests = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests");
    let binaries = rust_files(&tests);
    assert_eq!(
        binaries,
        BTreeSet::from(["cli".to_owned()]),
        "a new integration test belongs in tests/suite/ as a module of main.rs, not in a binary of its own"
    );
}
