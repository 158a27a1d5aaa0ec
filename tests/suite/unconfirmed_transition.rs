//! Transition entries their source does not state for sure: an inferred entry holds the
//! coverage it carries until a person confirms it, a detected pair written down with its
//! score is named where a review arises, and every format that shows a gap's message
//! names the entry (tests/fixtures/inventories/unconfirmed-transition).

use std::process::{Command, Output};

use serde_json::Value;

const INVENTORY: &str = "tests/fixtures/inventories/unconfirmed-transition";

fn reqgap(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_reqgap"))
        .args(args)
        .args(["--today", "2026-11-26"])
        .env("NO_COLOR", "1")
        .output()
        .expect("reqgap runs")
}

/// Standard output with every run of white space made one space (tables wrap lines).
fn flat(output: &Output) -> String {
    let text = String::from_utf8_lossy(&output.stdout);
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

#[test]
fn an_inferred_entry_holds_coverage_and_is_named_in_the_review() {
    let output = reqgap(&["gaps", INVENTORY, "--format", "json"]);
    assert_eq!(output.status.code(), Some(0), "{output:?}");
    let report: Value = serde_json::from_slice(&output.stdout).expect("JSON");
    let gaps = report["gaps"].as_array().expect("gaps");
    let on = |id: &str| {
        gaps.iter()
            .find(|g| g["requirement"].as_str().is_some_and(|r| r.ends_with(id)))
            .unwrap_or_else(|| panic!("a gap on {id}: {gaps:#?}"))
    };
    let renumbered = on(":RD-1A");
    assert_eq!(renumbered["kind"], "needs-review", "not a stale reference");
    let cause = &renumbered["cause"];
    assert_eq!(cause["change"], "unconfirmed-entry");
    assert_eq!(cause["unconfirmed-entries"][0]["why"], "inferred");
    assert_eq!(
        cause["unconfirmed-entries"][0]["marks"],
        "inferred, confidence medium"
    );
    let changed = on(":RD-3");
    assert_eq!(changed["cause"]["change"], "substantive");
    assert_eq!(
        changed["cause"]["unconfirmed-entries"][0]["why"],
        "wording-only"
    );
    assert!(
        gaps.iter()
            .all(|g| !g["requirement"].as_str().unwrap_or("").ends_with(":RD-2")),
        "RD-2 is unchanged and needs no entry: covered"
    );
    let unsure = on(":RD-4");
    assert_eq!(
        unsure["kind"], "needs-review",
        "unchanged, but the entry is unsure"
    );
    assert_eq!(
        unsure["cause"]["unconfirmed-entries"][0]["why"],
        "low-confidence"
    );
    let message = unsure["message"].as_str().expect("message");
    assert!(
        message.starts_with("RD-4 keeps its ID in records-demo@2.0; mapped through a transition entry of low confidence"),
        "{message}"
    );
}

#[test]
fn every_format_that_shows_the_message_names_the_entry() {
    let runs = [
        ("gaps", "table"),
        ("gaps", "json"),
        ("gaps", "markdown"),
        ("gaps", "html"),
        ("gaps", "csv"),
        ("gaps", "oscal-poam"),
        ("check", "table"),
        ("check", "sarif"),
        ("check", "junit"),
        ("check", "github"),
    ];
    for (command, format) in runs {
        let output = reqgap(&[command, INVENTORY, "--format", format]);
        assert_ne!(
            output.status.code(),
            Some(2),
            "{command} {format}: {output:?}"
        );
        let text = flat(&output);
        for words in [
            "mapped through an inferred transition entry",
            "mapped through a transition entry matched on wording only",
            "confirm it",
        ] {
            assert!(
                text.contains(words),
                "{command} --format {format} lacks `{words}`: {text}"
            );
        }
    }
}

#[test]
fn the_diff_explains_a_detected_successor_as_syntactic() {
    let output = reqgap(&[
        "diff",
        "records-demo@1.0",
        "records-demo@2.0",
        "--catalogs",
        &format!("{INVENTORY}/catalogs"),
        "--detect-only",
        "--explain",
        "RD-1",
        "--format",
        "json",
    ]);
    assert_eq!(output.status.code(), Some(0), "{output:?}");
    let explanation: Value = serde_json::from_slice(&output.stdout).expect("JSON");
    let decided = &explanation["decided"][0];
    assert_eq!(decided["id"], "RD-1A");
    assert_eq!(decided["curated"], false);
    assert_eq!(decided["rationale"], "syntactic");
    let table = reqgap(&[
        "diff",
        "records-demo@1.0",
        "records-demo@2.0",
        "--catalogs",
        &format!("{INVENTORY}/catalogs"),
        "--detect-only",
        "--explain",
        "RD-1",
    ]);
    assert!(flat(&table).contains("detected: syntactic"), "{table:?}");
}

#[test]
fn a_score_outside_zero_to_one_is_refused_at_its_line() {
    let folder = std::env::temp_dir().join(format!("reqgap-bad-score-{}", std::process::id()));
    std::fs::create_dir_all(&folder).expect("temp folder");
    let file = folder.join("1.0--2.0.yaml");
    std::fs::write(
        &file,
        "from: records-demo@1.0\nto: records-demo@2.0\nsource: test\ncorrespondences:\n  - from: [RD-1]\n    to: [RD-1A]\n    rationale: syntactic\n    score: 1.4\n    strength: 12\n",
    )
    .expect("written");
    let output = Command::new(env!("CARGO_BIN_EXE_reqgap"))
        .args(["validate", file.to_str().expect("path"), "--catalogs"])
        .arg(format!("{INVENTORY}/catalogs"))
        .env("NO_COLOR", "1")
        .output()
        .expect("reqgap runs");
    std::fs::remove_dir_all(&folder).expect("cleaned up");
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(2), "{stderr}");
    assert!(stderr.contains("error[bad-score]"), "{stderr}");
    assert!(
        stderr.contains("1.0--2.0.yaml:8:"),
        "located at the score: {stderr}"
    );
    assert!(
        stderr.contains("error[bad-strength]"),
        "both problems: {stderr}"
    );
}

#[test]
fn migrate_leaves_a_mapping_through_an_inferred_entry_for_review() {
    let output = reqgap(&["migrate", INVENTORY, "--dry-run"]);
    assert_eq!(output.status.code(), Some(0), "{output:?}");
    let text = String::from_utf8_lossy(&output.stdout);
    assert!(text.contains("requirements: [RD-2]"), "RD-2 moves: {text}");
    assert!(
        !text.contains("requirements: [RD-1A"),
        "RD-1 → RD-1A waits for a person: {text}"
    );
    let flat: String = text.split_whitespace().collect::<Vec<_>>().join(" ");
    assert!(
        flat.contains("RD-1: carried to RD-1A through an inferred transition entry"),
        "{flat}"
    );
}
