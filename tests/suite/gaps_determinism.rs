//! The gap report depends on the inventory's content only: two runs give byte-identical
//! output, and reordering files and list entries changes nothing but source positions.

use std::path::Path;

use chrono::NaiveDate;
use reqgap::gaps::GapReport;
use reqgap::report::{reporter, Format, Style};
use reqgap::Analysis;

const EXAMPLE: &str = "examples/trust-service-provider";

fn today() -> NaiveDate {
    NaiveDate::parse_from_str("2026-11-26", "%Y-%m-%d").unwrap()
}

fn analyse(dir: &Path) -> GapReport {
    Analysis::new(dir, today())
        .run()
        .unwrap_or_else(|d| panic!("{d}"))
        .report
}

fn json(report: &GapReport) -> String {
    let mut out = Vec::new();
    reporter(Format::Json, Style::default())
        .gaps(report, &mut out)
        .unwrap();
    String::from_utf8(out).unwrap()
}

/// The JSON without source positions, which legitimately move when entries are reordered.
fn without_places(report: &GapReport) -> serde_json::Value {
    let mut value: serde_json::Value = serde_json::from_str(&json(report)).unwrap();
    for gap in value["gaps"].as_array_mut().unwrap() {
        gap.as_object_mut().unwrap().remove("place");
    }
    value
}

/// Writes a YAML list document (`key:` followed by `  - ` items) with its items reversed.
fn reverse_items(text: &str) -> String {
    let mut lines = text.lines();
    let mut header = Vec::new();
    for line in lines.by_ref() {
        header.push(line);
        if !line.starts_with('#') && line.ends_with(':') {
            break;
        }
    }
    let mut items: Vec<Vec<&str>> = Vec::new();
    for line in lines {
        if line.starts_with("  - ") {
            items.push(Vec::new());
        }
        if let Some(item) = items.last_mut() {
            item.push(line);
        }
    }
    items.reverse();
    let mut out = header.join("\n");
    out.push('\n');
    for item in items {
        out.push_str(&item.join("\n"));
        out.push('\n');
    }
    out
}

#[test]
fn two_runs_are_byte_identical() {
    let first = json(&analyse(Path::new(EXAMPLE)));
    let second = json(&analyse(Path::new(EXAMPLE)));
    assert_eq!(first, second);
}

#[test]
fn file_and_list_order_do_not_matter() {
    let original = analyse(Path::new(EXAMPLE));
    let scratch = tempfile::tempdir().unwrap();
    let root = scratch.path();
    std::fs::create_dir(root.join("controls")).unwrap();
    let config = std::fs::read_to_string(Path::new(EXAMPLE).join("reqgap.yaml")).unwrap();
    std::fs::write(root.join("reqgap.yaml"), config).unwrap();
    let owners = std::fs::read_to_string(Path::new(EXAMPLE).join("owners.yaml")).unwrap();
    std::fs::write(root.join("owners.yaml"), reverse_items(&owners)).unwrap();
    let mut files: Vec<_> = std::fs::read_dir(Path::new(EXAMPLE).join("controls"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    files.sort();
    for (i, file) in files.iter().rev().enumerate() {
        let text = std::fs::read_to_string(file).unwrap();
        // New names sort in the opposite order of the originals.
        std::fs::write(
            root.join("controls").join(format!("{i:02}.yaml")),
            reverse_items(&text),
        )
        .unwrap();
    }
    let shuffled = analyse(root);
    assert_eq!(shuffled.gaps.len(), original.gaps.len());
    assert_eq!(without_places(&shuffled), without_places(&original));
}
