//! The synthetic inventory of `gaps_bench` and `report_bench`: one generator and seed, so
//! that the figures of both benchmarks describe the same inventory.
#![allow(dead_code)]

use std::collections::BTreeMap;

use chrono::NaiveDate;
use reqgap::model::*;

#[path = "measure.rs"]
mod measure;
#[allow(unused_imports)] // each benchmark uses its own share
pub use measure::{children_cpu_seconds, own_cpu_seconds, peak_memory_mb, Rng};

pub fn date(text: &str) -> NaiveDate {
    NaiveDate::parse_from_str(text, "%Y-%m-%d").expect("valid date")
}

pub fn catalog(requirements: usize, version: &str) -> Catalog {
    let sections: Vec<Section> = (0..100)
        .map(|s| Section {
            id: SectionId::new(format!("{}.{}", s / 10 + 1, s % 10)),
            title: format!("Section {s}"),
        })
        .collect();
    let requirements = (0..requirements)
        .map(|i| {
            let section = &sections[i % sections.len()].id;
            Requirement {
                id: RequirementId::new(format!("REQ-{section}-{i:05}")),
                section: section.clone(),
                title: None,
                level: if i % 10 == 0 {
                    Level::Should
                } else {
                    Level::Shall
                },
                level_derived: false,
                markers: Default::default(),
                confidence: Confidence::Confirmed,
                status: Status::Active,
                text: format!("Synthetic requirement number {i} about topic {}.", i % 97),
                note: None,
                links: Vec::new(),
            }
        })
        .collect();
    Catalog {
        standard: StandardSlug::new("synthetic"),
        title: "Synthetic standard".into(),
        version: Version::new(version),
        published: date("2025-01-01"),
        effective: None,
        supersedes: None,
        provenance: Provenance::Verified,
        source: "generated".into(),
        sections,
        requirements,
        schedule: Default::default(),
        origin: Origin::File("synthetic".into()),
    }
}

/// The predecessor of `target`: every 20th requirement had another ID, every 10th other
/// wording.
pub fn predecessor(target: &Catalog) -> Catalog {
    let mut old = target.clone();
    old.version = Version::new("1.0");
    for (i, requirement) in old.requirements.iter_mut().enumerate() {
        if i % 20 == 7 {
            requirement.id = RequirementId::new(format!("OLD-{}", requirement.id));
        }
        if i % 10 == 3 {
            requirement.text = format!(
                "Earlier wording of synthetic requirement {i}, topic {}.",
                i % 97
            );
        }
    }
    old
}

pub fn inventory(
    target: &Catalog,
    old: &Catalog,
    controls: usize,
    mappings: usize,
    rng: &mut Rng,
) -> Inventory {
    let place = Place {
        path: "controls.yaml".into(),
        line: 1,
        column: 1,
    };
    let owners: BTreeMap<OwnerId, Owner> = (0..200)
        .map(|i| {
            let id = OwnerId::new(format!("owner-{i:03}"));
            let escalates_to = (i > 0).then(|| OwnerId::new(format!("owner-{:03}", i / 10)));
            (
                id.clone(),
                Owner {
                    id,
                    name: format!("Owner {i}"),
                    email: None,
                    escalates_to,
                    escalate_after: None,
                    place: place.clone(),
                },
            )
        })
        .collect();
    let per_control = mappings / controls.max(1);
    let mut map = BTreeMap::new();
    for i in 0..controls {
        let id = ControlId::new(format!("C-{i:06}"));
        let depends_on = (0..rng.below(3))
            .filter(|_| i > 0)
            .map(|_| ControlId::new(format!("C-{:06}", rng.below(i))))
            .collect();
        let status = match rng.below(100) {
            0 => ControlStatus::Retired,
            1 => ControlStatus::Planned,
            _ => ControlStatus::Active,
        };
        let catalog = if i % 3 == 0 { old } else { target };
        let requirements = (0..per_control)
            .map(|_| MappedRequirement {
                id: catalog.requirements[rng.below(catalog.requirements.len())]
                    .id
                    .clone(),
                place: place.clone(),
            })
            .collect();
        let evidence = vec![Evidence {
            id: EvidenceId::new("e"),
            description: "evidence".into(),
            reviewed: date("2026-01-01"),
            review_every: Period::parse(if i % 20 == 0 { "1 month" } else { "1 year" })
                .expect("period"),
            place: place.clone(),
        }];
        let satisfies = vec![Mapping {
            standard: catalog.standard.clone(),
            reviewed_against: catalog.version.clone(),
            coverage: if i % 25 == 0 {
                Coverage::Partial
            } else {
                Coverage::Full
            },
            requirements,
            note: None,
        }];
        let owner = (i % 500 != 0).then(|| OwnerId::new(format!("owner-{:03}", i % 200)));
        map.insert(
            id.clone(),
            Control {
                id,
                title: format!("Control {i}"),
                owner,
                status,
                depends_on,
                evidence,
                satisfies,
                place: place.clone(),
            },
        );
    }
    Inventory {
        organisation: "Synthetic".into(),
        root: ".".into(),
        targets: vec![Target {
            crosswalks: false,
            catalog: target.key(),
            due: Some(date("2026-06-30")),
            due_given: true,
            default_owner: Some(OwnerId::new("owner-000")),
            section_owners: Default::default(),
            not_applicable: Vec::new(),
            since: None,
            place,
        }],
        owners,
        controls: map,
        escalate_after: None,
        plan: Vec::new(),
    }
}

/// The benchmarks' input: the inventory (fixed seed) and the catalogs of both versions.
pub fn bench_input(
    requirements: usize,
    controls: usize,
    mappings: usize,
) -> (Inventory, CatalogSet) {
    let mut rng = Rng(0x5eed_1234_abcd_ef01);
    let target = catalog(requirements, "2.0");
    let old = predecessor(&target);
    let inventory = inventory(&target, &old, controls, mappings, &mut rng);
    let mut catalogs = CatalogSet::default();
    let mut diagnostics = reqgap::diag::Diagnostics::new();
    catalogs.add_user(old, &mut diagnostics);
    catalogs.add_user(target, &mut diagnostics);
    (inventory, catalogs)
}

pub fn arg(n: usize, default: usize) -> usize {
    std::env::args()
        .nth(n)
        .and_then(|a| a.parse().ok())
        .unwrap_or(default)
}
