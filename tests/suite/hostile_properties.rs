//! Mutated fixtures through every loader and importer: no panic, a bounded
//! time per input, and every rejection located (file, line and column), which is what
//! makes the CLI exit with code 2 and point at the problem. The same properties run under
//! libFuzzer in `fuzz/` (see docs/contributing.md); this is the stable-toolchain share
//! that runs in `cargo test`: 6 entry points × 500 inputs.
//!
//! For the importers it also holds the round-trip property: a catalog
//! that an importer writes reads back through the ordinary catalog loader. The importers
//! apply the loader's rules to their input, so what would not re-validate (an ID holding
//! U+FEFF, a requirement with no text) is a located error or warning on the input file.

#[path = "../../fuzz/harness.rs"]
mod harness;

use std::time::{Duration, Instant};

use proptest::prelude::*;

/// Far above what any input here needs (a few milliseconds); only an input that makes
/// the work blow up (an error path once took 24 seconds) comes near it.
const TIME_PER_INPUT: Duration = Duration::from_secs(5);

/// Fragments that YAML, JSON, CSV and the ETSI text reader treat specially.
const TOKENS: &[&str] = &[
    "[", "]", "{", "}", ":", ": ", "- ", ",", "\"", "'", "&a ", "*a", "!!str ", "!t ", "\t", "\r",
    "\r\n", "\n", "\n  ", "#", "~", "null", "true", "1e999", "3.2", "007", "|\n", ">-\n", "---\n",
    "...\n", "<<: *a\n", "\u{202E}", "\u{0}", "\u{FEFF}", "\u{A0}", "é", "REQ-1-01", "7.9.3",
    "id: ", "text: ", "=", "@", ";", "\"\"", "{}", "[]", "0x1F",
];

#[derive(Clone, Debug)]
enum Mutation {
    Insert {
        at: usize,
        token: usize,
    },
    Delete {
        at: usize,
        len: usize,
    },
    DuplicateLine {
        at: usize,
    },
    Repeat {
        at: usize,
        token: usize,
        times: usize,
    },
}

fn mutation() -> impl Strategy<Value = Mutation> {
    let at = 0usize..10_000;
    prop_oneof![
        4 => (at.clone(), 0..TOKENS.len()).prop_map(|(at, token)| Mutation::Insert { at, token }),
        3 => (at.clone(), 1usize..40).prop_map(|(at, len)| Mutation::Delete { at, len }),
        2 => at.clone().prop_map(|at| Mutation::DuplicateLine { at }),
        1 => (at, 0..TOKENS.len(), 2usize..200)
            .prop_map(|(at, token, times)| Mutation::Repeat { at, token, times }),
    ]
}

fn mutations() -> impl Strategy<Value = Vec<Mutation>> {
    prop::collection::vec(mutation(), 1..6)
}

/// The character boundary at `per_ten_thousand` of the way through `text`.
fn boundary(text: &str, per_ten_thousand: usize) -> usize {
    let mut at = text.len() * per_ten_thousand / 10_000;
    while !text.is_char_boundary(at) {
        at -= 1;
    }
    at
}

fn mutate(text: &str, mutations: &[Mutation]) -> String {
    let mut text = text.to_owned();
    for m in mutations {
        match *m {
            Mutation::Insert { at, token } => {
                let at = boundary(&text, at);
                text.insert_str(at, TOKENS[token]);
            }
            Mutation::Delete { at, len } => {
                let start = boundary(&text, at);
                let mut end = (start + len).min(text.len());
                while !text.is_char_boundary(end) {
                    end -= 1;
                }
                text.replace_range(start..end, "");
            }
            Mutation::DuplicateLine { at } => {
                let at = boundary(&text, at);
                let start = text[..at].rfind('\n').map_or(0, |i| i + 1);
                let end = text[at..].find('\n').map_or(text.len(), |i| at + i + 1);
                let line = text[start..end].to_owned();
                text.insert_str(end, &line);
            }
            Mutation::Repeat { at, token, times } => {
                let at = boundary(&text, at);
                text.insert_str(at, &TOKENS[token].repeat(times));
            }
        }
    }
    text
}

fn check(name: &str, input: &str, property: impl FnOnce(&str) -> harness::Verdict) {
    let started = Instant::now();
    let verdict = property(input);
    let took = started.elapsed();
    assert!(
        took < TIME_PER_INPUT,
        "{name}: {took:?} for this input:\n{input:?}"
    );
    if let Err(failure) = verdict {
        panic!("{name}: {failure}\ninput:\n{input:?}");
    }
}

fn config() -> ProptestConfig {
    ProptestConfig {
        cases: std::env::var("PROPTEST_CASES")
            .ok()
            .and_then(|n| n.parse().ok())
            .unwrap_or(500),
        failure_persistence: None,
        ..ProptestConfig::default()
    }
}

proptest! {
    #![proptest_config(config())]

    #[test]
    fn mutated_catalogs(m in mutations()) {
        check("catalog", &mutate(&harness::read(harness::CATALOG), &m), harness::catalog);
    }

    #[test]
    fn mutated_inventories(file in 0usize..3, m in mutations()) {
        let mut files = [
            harness::read(harness::CONFIG),
            harness::read(harness::OWNERS),
            harness::read(harness::CONTROLS),
        ];
        files[file] = mutate(&files[file], &m);
        let input = files.join(harness::FILE_SEPARATOR);
        check("inventory", &input, harness::inventory_from);
    }

    #[test]
    fn mutated_transitions(m in mutations()) {
        check("transition", &mutate(&harness::read(harness::TRANSITION), &m), harness::transition);
    }

    #[test]
    fn mutated_oscal_catalogs(m in mutations()) {
        let input = mutate(&harness::read(harness::OSCAL), &m);
        check("oscal", &input, harness::oscal);
    }

    #[test]
    fn mutated_etsi_texts(m in mutations()) {
        let input = mutate(&harness::read(harness::ETSI_TEXT), &m);
        check("etsi-text", &input, harness::etsi_text);
    }

    #[test]
    fn mutated_csv_exports(m in mutations()) {
        let input = mutate(&harness::read(harness::CSV), &m);
        check("csv", &input, harness::csv);
    }
}

#[test]
fn the_unmutated_fixtures_pass() {
    for (name, result) in [
        (
            "catalog",
            harness::catalog(&harness::read(harness::CATALOG)),
        ),
        (
            "transition",
            harness::transition(&harness::read(harness::TRANSITION)),
        ),
        ("oscal", harness::oscal(&harness::read(harness::OSCAL))),
        ("csv", harness::csv(&harness::read(harness::CSV))),
        (
            "inventory",
            harness::inventory(
                &harness::read(harness::CONFIG),
                &harness::read(harness::OWNERS),
                &harness::read(harness::CONTROLS),
            ),
        ),
    ] {
        assert_eq!(result, Ok(()), "{name}");
    }
}
