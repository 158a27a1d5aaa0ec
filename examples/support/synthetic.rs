//! Synthetic catalogs for the benchmarks: a fixed-seed generator, so that every run and
//! every machine measures the same input.
#![allow(dead_code)]

use chrono::NaiveDate;
use reqgap::model::*;

#[path = "measure.rs"]
mod measure;
#[allow(unused_imports)] // each benchmark uses its own share
pub use measure::{children_cpu_seconds, peak_memory_mb, Rng};

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
