//! Properties of the diff: diff(A, A) is all unchanged; diff(B, A) mirrors diff(A, B);
//! shuffling requirement order changes nothing; output is byte-identical across runs.

use chrono::NaiveDate;
use proptest::prelude::*;
use reqgap::diff::{diff_catalogs, CatalogDiff, ChangeClass, DiffOptions};
use reqgap::model::*;
use reqgap::report::{reporter, DiffFilter, DiffView, Format, Style};

/// A small vocabulary, so that generated texts share words and the matcher has real
/// choices to make (renumberings, splits, merges, ties).
const WORDS: &[&str] = &[
    "shall",
    "should",
    "may",
    "keep",
    "register",
    "policy",
    "review",
    "yearly",
    "quarterly",
    "24",
    "48",
    "hours",
    "staff",
    "access",
    "keys",
    "backup",
    "incident",
    "notify",
    "a)",
    "b)",
    "supplier",
    "log",
    "audit",
    "network",
    "firewall",
    "the",
    "of",
    "and",
];

fn requirement(id: String, section: &str, words: &[usize], level: Level) -> Requirement {
    Requirement {
        id: RequirementId::new(id),
        section: SectionId::new(section),
        // Titles from the same small vocabulary, so that equal and shared titles occur.
        title: (!words.len().is_multiple_of(3)).then(|| WORDS[words[0] % WORDS.len()].to_owned()),
        level,
        level_derived: false,
        markers: Default::default(),
        confidence: Confidence::Confirmed,
        status: Status::Active,
        text: words
            .iter()
            .map(|w| WORDS[*w % WORDS.len()])
            .collect::<Vec<_>>()
            .join(" "),
        note: None,
        links: Vec::new(),
    }
}

fn catalog(version: &str, requirements: Vec<Requirement>) -> Catalog {
    Catalog {
        standard: StandardSlug::new("prop"),
        title: "Property".into(),
        version: Version::new(version),
        published: NaiveDate::from_ymd_opt(2025, 1, 1).unwrap(),
        effective: None,
        supersedes: None,
        provenance: Provenance::Verified,
        source: "generated".into(),
        sections: ["1", "2", "3"]
            .iter()
            .map(|s| Section {
                id: SectionId::new(*s),
                title: format!("S{s}"),
            })
            .collect(),
        requirements,
        schedule: Default::default(),
        origin: Origin::File("generated".into()),
    }
}

type Spec = (u8, Vec<usize>, u8);

/// A requirement spec: (ID number, words, level index). IDs are made unique by position.
fn specs() -> impl Strategy<Value = Vec<Spec>> {
    prop::collection::vec(
        (
            0u8..40,
            prop::collection::vec(0usize..WORDS.len(), 1..12),
            0u8..3,
        ),
        0..14,
    )
}

fn build(version: &str, specs: &[Spec]) -> Catalog {
    build_spelled(version, specs, |section, n| format!("R-{section}-{n:02}"))
}

fn build_spelled(version: &str, specs: &[Spec], id: impl Fn(&str, u8) -> String) -> Catalog {
    let levels = [Level::Shall, Level::Should, Level::May];
    let mut seen = std::collections::BTreeSet::new();
    let requirements = specs
        .iter()
        .filter(|(n, _, _)| seen.insert(*n))
        .map(|(n, words, level)| {
            let section = ["1", "2", "3"][*n as usize % 3];
            requirement(id(section, *n), section, words, levels[*level as usize])
        })
        .collect();
    catalog(version, requirements)
}

fn json(diff: &CatalogDiff) -> String {
    let mut out = Vec::new();
    reporter(Format::Json, Style::default())
        .diff(&DiffView::new(diff, DiffFilter::default()), &mut out)
        .unwrap();
    String::from_utf8(out).unwrap()
}

/// A change as seen from the other side, for comparing diff(B, A) with diff(A, B).
fn mirrored(diff: &CatalogDiff) -> Vec<String> {
    let mut entries: Vec<String> = diff
        .changes
        .iter()
        .map(|c| {
            let mut pairs: Vec<String> = c
                .pairs
                .iter()
                .map(|p| {
                    format!(
                        "{}>{}:{}:{:?}:{:?}:{}",
                        p.new, p.old, p.score, p.edit, p.reasons, p.needs_confirmation
                    )
                })
                .collect();
            pairs.sort();
            format!(
                "{}|{:?}|{:?}|{:?}|{}",
                c.class.mirrored(),
                c.new,
                c.old,
                c.edit,
                pairs.join(",")
            )
        })
        .collect();
    entries.sort();
    entries
}

fn plain(diff: &CatalogDiff) -> Vec<String> {
    let mut entries: Vec<String> = diff
        .changes
        .iter()
        .map(|c| {
            let mut pairs: Vec<String> = c
                .pairs
                .iter()
                .map(|p| {
                    format!(
                        "{}>{}:{}:{:?}:{:?}:{}",
                        p.old, p.new, p.score, p.edit, p.reasons, p.needs_confirmation
                    )
                })
                .collect();
            pairs.sort();
            format!(
                "{}|{:?}|{:?}|{:?}|{}",
                c.class,
                c.old,
                c.new,
                c.edit,
                pairs.join(",")
            )
        })
        .collect();
    entries.sort();
    entries
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    #[test]
    fn a_catalog_against_itself_is_all_unchanged(a in specs()) {
        let a = build("1", &a);
        let diff = diff_catalogs(&a, &a, &[], &DiffOptions::default());
        prop_assert_eq!(diff.changes.len(), a.requirements.len());
        prop_assert!(diff.changes.iter().all(|c| c.class == ChangeClass::Unchanged));
        prop_assert!(diff.sections.is_empty());
    }

    #[test]
    fn zero_padding_and_case_of_ids_change_nothing_but_their_spelling(a in specs()) {
        let padded = build("1", &a);
        let plain = build_spelled("2", &a, |section, n| format!("r-{section}-{n}"));
        let diff = diff_catalogs(&padded, &plain, &[], &DiffOptions::default());
        prop_assert_eq!(diff.changes.len(), padded.requirements.len());
        prop_assert!(diff.changes.iter().all(|c| c.class == ChangeClass::Unchanged));
    }

    #[test]
    fn swapping_the_versions_mirrors_the_diff(a in specs(), b in specs()) {
        let (a, b) = (build("1", &a), build("2", &b));
        let forward = diff_catalogs(&a, &b, &[], &DiffOptions::default());
        let backward = diff_catalogs(&b, &a, &[], &DiffOptions::default());
        prop_assert_eq!(mirrored(&forward), plain(&backward));
    }

    #[test]
    fn requirement_order_does_not_matter(a in specs(), b in specs(), seed in any::<u64>()) {
        let (a, b) = (build("1", &a), build("2", &b));
        let mut shuffled = b.clone();
        let mut state = seed | 1;
        for i in (1..shuffled.requirements.len()).rev() {
            state ^= state << 13; state ^= state >> 7; state ^= state << 17;
            shuffled.requirements.swap(i, (state % (i as u64 + 1)) as usize);
        }
        let one = diff_catalogs(&a, &b, &[], &DiffOptions::default());
        let two = diff_catalogs(&a, &shuffled, &[], &DiffOptions::default());
        prop_assert_eq!(json(&one), json(&two));
    }

    #[test]
    fn output_is_byte_identical_across_runs(a in specs(), b in specs()) {
        let (a, b) = (build("1", &a), build("2", &b));
        let one = json(&diff_catalogs(&a, &b, &[], &DiffOptions::default()));
        let two = json(&diff_catalogs(&a, &b, &[], &DiffOptions::default()));
        prop_assert_eq!(one, two);
    }
}
