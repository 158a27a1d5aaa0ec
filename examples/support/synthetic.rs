//! Synthetic catalogs for the benchmarks, and the spread inventory files of `scale_bench`:
//! a fixed-seed generator, so that every run and every machine measures the same input.
#![allow(dead_code)]

use std::collections::BTreeSet;

use chrono::NaiveDate;
use reqgap::model::*;

#[path = "measure.rs"]
mod measure;
#[allow(unused_imports)] // each benchmark uses its own share
pub use measure::{
    children_cpu_seconds, load_average, peak_memory_mb, reqgap_binary, run_child, ChildCost, Rng,
};

const COMMON: &[&str] = &[
    "the", "provider", "shall", "ensure", "that", "all", "of", "and", "to", "is", "are", "for",
    "in", "with", "a", "its", "be", "by", "on", "any",
];

/// A word from a large vocabulary, skewed so that some words are frequent and most rare,
/// like the terms of a real standard.
pub fn word(rng: &mut Rng) -> String {
    if rng.below(3) == 0 {
        return COMMON[rng.below(COMMON.len())].to_owned();
    }
    let skewed = rng.below(200) * rng.below(200);
    format!("term{skewed}")
}

pub fn text(rng: &mut Rng) -> String {
    let len = 15 + rng.below(25);
    (0..len).map(|_| word(rng)).collect::<Vec<_>>().join(" ")
}

pub fn requirement(id: String, section: &SectionId, text: String) -> Requirement {
    Requirement {
        id: RequirementId::new(id),
        section: section.clone(),
        title: None,
        level: Level::Shall,
        level_derived: false,
        markers: Default::default(),
        confidence: Confidence::Confirmed,
        status: Status::Active,
        text,
        note: None,
        links: Vec::new(),
    }
}

pub fn catalog(version: &str, sections: &[Section], requirements: Vec<Requirement>) -> Catalog {
    Catalog {
        standard: StandardSlug::new("synthetic"),
        title: "Synthetic".into(),
        version: Version::new(version),
        published: NaiveDate::from_ymd_opt(2025, 1, 1).expect("valid date"),
        effective: None,
        supersedes: None,
        provenance: Provenance::Verified,
        source: "generated".into(),
        sections: sections.to_vec(),
        requirements,
        schedule: Default::default(),
        origin: Origin::File("generated".into()),
    }
}

/// Old and new catalogs with planted changes.
pub fn pair(n: usize, rng: &mut Rng) -> (Catalog, Catalog) {
    let sections: Vec<Section> = (0..100)
        .map(|s| Section {
            id: SectionId::new(format!("{}.{}", s / 10 + 1, s % 10)),
            title: format!("Section {s}"),
        })
        .collect();
    let old: Vec<Requirement> = (0..n)
        .map(|i| requirement(format!("R-{i:06}"), &sections[i % 100].id, text(rng)))
        .collect();
    let mut new = Vec::with_capacity(n);
    for (i, r) in old.iter().enumerate() {
        let mut r = r.clone();
        match i % 100 {
            0..=2 => continue,
            3..=7 => r.id = RequirementId::new(format!("N-{i:06}")),
            8..=17 => {
                let mut words: Vec<String> = r.text.split(' ').map(str::to_owned).collect();
                for _ in 0..1 + rng.below(3) {
                    let at = rng.below(words.len());
                    words[at] = word(rng);
                }
                r.text = words.join(" ");
            }
            _ => {}
        }
        new.push(r);
    }
    for i in 0..n * 3 / 100 {
        new.push(requirement(
            format!("A-{i:06}"),
            &sections[i % 100].id,
            text(rng),
        ));
    }
    // File order must not matter: shuffle the new catalog.
    for i in (1..new.len()).rev() {
        new.swap(i, rng.below(i + 1));
    }
    (catalog("1", &sections, old), catalog("2", &sections, new))
}

/// The YAML text of an inventory's owners file and of its control files (name, text).
pub struct SpreadInventory {
    pub owners: String,
    pub control_files: Vec<(String, String)>,
}

/// An inventory whose mappings are spread across a large catalog, as a group-wide
/// inventory or an imported control framework has them: every control maps `per_control`
/// requirements drawn from the whole catalog, a third of the controls against `old`, the
/// rest against `new`; `per_file` controls to a file. 200 owners in an escalation tree.
pub fn spread_inventory(
    old: &Catalog,
    new: &Catalog,
    controls: usize,
    per_control: usize,
    per_file: usize,
    rng: &mut Rng,
) -> SpreadInventory {
    use std::fmt::Write;
    let mut owners = String::from("owners:\n");
    for i in 0..200 {
        let _ = writeln!(owners, "  - id: owner-{i:03}\n    name: Owner {i}");
        if i > 0 {
            let _ = writeln!(owners, "    escalates-to: owner-{:03}", i / 10);
        }
    }
    let mut control_files = Vec::new();
    let mut text = String::new();
    for i in 0..controls {
        if i.is_multiple_of(per_file) {
            text = String::from("controls:\n");
        }
        spread_control(&mut text, i, old, new, per_control, rng);
        if i % per_file == per_file - 1 || i == controls - 1 {
            control_files.push((
                format!("controls-{:05}.yaml", i / per_file),
                std::mem::take(&mut text),
            ));
        }
    }
    SpreadInventory {
        owners,
        control_files,
    }
}

fn spread_control(
    text: &mut String,
    i: usize,
    old: &Catalog,
    new: &Catalog,
    per_control: usize,
    rng: &mut Rng,
) {
    use std::fmt::Write;
    let _ = writeln!(text, "  - id: C-{i:06}\n    title: Control {i}");
    if !i.is_multiple_of(500) {
        let _ = writeln!(text, "    owner: owner-{:03}", i % 200);
    }
    match rng.below(100) {
        0 => text.push_str("    status: retired\n"),
        1 => text.push_str("    status: planned\n"),
        _ => {}
    }
    let dependencies: Vec<String> = (0..rng.below(3))
        .filter(|_| i > 0)
        .map(|_| format!("C-{:06}", rng.below(i)))
        .collect::<BTreeSet<_>>()
        .into_iter()
        .collect();
    if !dependencies.is_empty() {
        let _ = writeln!(text, "    depends-on: [{}]", dependencies.join(", "));
    }
    let every = if i.is_multiple_of(20) {
        "1 month"
    } else {
        "1 year"
    };
    let _ = writeln!(
        text,
        "    evidence:\n      - id: e\n        description: evidence\n        reviewed: 2026-01-01\n        review-every: {every}"
    );
    let catalog = if i.is_multiple_of(3) { old } else { new };
    let requirements: BTreeSet<&str> = (0..per_control)
        .map(|_| {
            catalog.requirements[rng.below(catalog.requirements.len())]
                .id
                .as_str()
        })
        .collect();
    let coverage = if i.is_multiple_of(25) {
        "partial"
    } else {
        "full"
    };
    let _ = writeln!(
        text,
        "    satisfies:\n      - standard: {}\n        reviewed-against: \"{}\"\n        coverage: {coverage}\n        requirements: [{}]",
        catalog.standard,
        catalog.version,
        requirements.into_iter().collect::<Vec<_>>().join(", ")
    );
}
