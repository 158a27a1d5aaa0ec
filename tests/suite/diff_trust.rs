//! Matching a control owner can trust: the traps found on real editions, each rebuilt by a
//! small generator of its own (synthetic words, so no publisher's text is copied):
//! a same-ID pair beaten by an exact twin, an edition with zero-padded labels, moves that
//! score between 0.25 and 0.5, and a split that shares one sentence with its origin.

use chrono::NaiveDate;
use reqgap::diff::{diff_catalogs, id_key, CatalogDiff, Change, ChangeClass, DiffOptions, Pair};
use reqgap::model::*;

/// Synthetic text: sentences of rare words (`w123`) joined by common ones, from a fixed
/// seed, so that every run builds the same fixtures.
struct Words(u64);

impl Words {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }

    /// A sentence of `n` words, every other one rare.
    fn sentence(&mut self, n: usize) -> String {
        const COMMON: &[&str] = &["the", "of", "and", "shall", "to", "for", "all"];
        let words: Vec<String> = (0..n)
            .map(|i| {
                let r = self.next();
                if i % 2 == 1 {
                    COMMON[(r % COMMON.len() as u64) as usize].to_owned()
                } else {
                    format!("w{}", r % 100_000)
                }
            })
            .collect();
        format!("{}.", words.join(" "))
    }

    /// `text` with `share` of its rare words replaced by fresh ones.
    fn reword(&mut self, text: &str, share: f64) -> String {
        let rare = text.split(' ').filter(|w| w.starts_with('w')).count();
        let replace = (rare as f64 * share).round() as usize;
        let mut replaced = 0;
        text.split(' ')
            .map(|w| {
                if w.starts_with('w') && replaced < replace {
                    replaced += 1;
                    let dot = if w.ends_with('.') { "." } else { "" };
                    format!("x{}{dot}", self.next() % 100_000)
                } else {
                    w.to_owned()
                }
            })
            .collect::<Vec<_>>()
            .join(" ")
    }
}

fn requirement(id: &str, title: &str, text: &str) -> Requirement {
    Requirement {
        id: RequirementId::new(id),
        section: SectionId::new("1"),
        title: (!title.is_empty()).then(|| title.to_owned()),
        level: Level::Shall,
        level_derived: false,
        markers: Default::default(),
        confidence: Confidence::Confirmed,
        status: Status::Active,
        text: text.to_owned(),
        note: None,
        links: Vec::new(),
    }
}

fn catalog(version: &str, requirements: Vec<Requirement>) -> Catalog {
    Catalog {
        standard: StandardSlug::new("trust"),
        title: "Trust".into(),
        version: Version::new(version),
        published: NaiveDate::from_ymd_opt(2025, 1, 1).unwrap(),
        effective: None,
        supersedes: None,
        provenance: Provenance::Verified,
        source: "generated".into(),
        sections: vec![Section {
            id: SectionId::new("1"),
            title: "One".into(),
        }],
        requirements,
        origin: Origin::File("generated".into()),
        schedule: Default::default(),
    }
}

/// Unrelated requirements present unchanged in both versions, so that word weights mean
/// something and every fixture has bystanders to mis-pair.
fn bystanders(words: &mut Words) -> Vec<Requirement> {
    (0..12)
        .map(|i| requirement(&format!("Z-{i}"), "", &words.sentence(16)))
        .collect()
}

fn detect(old: &Catalog, new: &Catalog) -> CatalogDiff {
    let options = DiffOptions {
        detect_only: true,
        ..DiffOptions::default()
    };
    diff_catalogs(old, new, &[], &options)
}

fn pair<'d>(diff: &'d CatalogDiff, old: &str, new: &str) -> Option<(&'d Change, &'d Pair)> {
    diff.changes.iter().find_map(|c| {
        c.pairs
            .iter()
            .find(|p| p.old.as_str() == old && p.new.as_str() == new)
            .map(|p| (c, p))
    })
}

/// Both versions around one scenario: the bystanders, then the scenario's own requirements.
fn editions(
    seed: u64,
    build: impl FnOnce(&mut Words) -> (Vec<Requirement>, Vec<Requirement>),
) -> (Catalog, Catalog) {
    let mut words = Words(seed);
    let common = bystanders(&mut words);
    let (old, new) = build(&mut words);
    let mut old_all = common.clone();
    old_all.extend(old);
    let mut new_all = common;
    new_all.extend(new);
    (catalog("1", old_all), catalog("2", new_all))
}

#[test]
fn a_same_id_pair_loses_to_an_exact_twin_and_the_close_call_is_flagged() {
    let (old, new) = editions(0x5eed_0001, |w| {
        let text = w.sentence(30);
        let near = w.reword(&text, 0.07);
        (
            vec![requirement("B-9", "Key rotation", &text)],
            vec![
                requirement("B-9", "Key storage", &near),
                requirement("B-11", "Key rotation", &text),
            ],
        )
    });
    let diff = detect(&old, &new);
    let (change, twin) = pair(&diff, "B-9", "B-11").expect("the exact twin is paired");
    assert_eq!(change.class, ChangeClass::Renumbered);
    assert_eq!(twin.score, 1.0);
    assert!(
        pair(&diff, "B-9", "B-9").is_none(),
        "the same ID lost to its twin"
    );
    // The same-ID partner scored above 0.9 under another title: close evidence, so the
    // decision is flagged, never silently made.
    assert!(twin.needs_confirmation);
}

#[test]
fn an_exact_twin_beats_a_distant_same_id_without_a_flag() {
    let (old, new) = editions(0x5eed_0002, |w| {
        let text = w.sentence(30);
        let far = w.reword(&text, 0.6);
        (
            vec![requirement("B-9", "Key rotation", &text)],
            vec![
                requirement("B-9", "Key storage", &far),
                requirement("B-11", "Key rotation", &text),
            ],
        )
    });
    let diff = detect(&old, &new);
    let (_, twin) = pair(&diff, "B-9", "B-11").expect("the exact twin is paired");
    assert!(!twin.needs_confirmation);
    assert!(pair(&diff, "B-9", "B-9").is_none());
}

#[test]
fn a_same_id_rewording_keeps_its_id_against_a_slightly_better_rival_and_is_flagged() {
    let (old, new) = editions(0x5eed_0003, |w| {
        let text = w.sentence(60);
        let reworded = w.reword(&text, 0.22);
        let rival = w.reword(&text, 0.18);
        (
            vec![requirement("C-1", "", &text)],
            vec![
                requirement("C-1", "", &reworded),
                requirement("C-7", "", &rival),
            ],
        )
    });
    let diff = detect(&old, &new);
    let (change, kept) = pair(&diff, "C-1", "C-1").expect("the same ID is kept");
    assert_eq!(change.class, ChangeClass::Changed);
    assert!(kept.score >= 0.75, "confident on its score: {}", kept.score);
    assert!(kept.needs_confirmation, "a rival within reach: flagged");
}

#[test]
fn zero_padded_labels_are_the_same_controls_never_renumbered() {
    let (old, new) = editions(0x5eed_0004, |w| {
        let texts: Vec<String> = (0..4).map(|_| w.sentence(20)).collect();
        let reworded = w.reword(&texts[1], 0.1);
        (
            vec![
                requirement("AC-1", "Policy", &texts[0]),
                requirement("AC-2", "Accounts", &texts[1]),
                requirement("AC-2(1)", "Automated management", &texts[2]),
                requirement("ISM-0428", "Sessions", &texts[3]),
            ],
            vec![
                requirement("AC-01", "Policy", &texts[0]),
                requirement("AC-02", "Accounts", &reworded),
                requirement("ac-2.1", "Automated management", &texts[2]),
                requirement("ISM-428", "Sessions", &texts[3]),
            ],
        )
    });
    let diff = detect(&old, &new);
    assert_eq!(
        diff.counts
            .get(&ChangeClass::Renumbered)
            .copied()
            .unwrap_or(0),
        0
    );
    for (o, n, class) in [
        ("AC-1", "AC-01", ChangeClass::Unchanged),
        ("AC-2", "AC-02", ChangeClass::Changed),
        ("AC-2(1)", "ac-2.1", ChangeClass::Unchanged),
        ("ISM-0428", "ISM-428", ChangeClass::Unchanged),
    ] {
        let (change, _) = pair(&diff, o, n).unwrap_or_else(|| panic!("{o} → {n} paired"));
        assert_eq!(change.class, class, "{o} → {n}");
        // Both spellings are shown.
        assert_eq!(change.old[0].as_str(), o);
        assert_eq!(change.new[0].as_str(), n);
    }
}

#[test]
fn two_spellings_of_one_key_in_one_edition_stay_apart() {
    let (old, new) = editions(0x5eed_0005, |w| {
        let (a, b) = (w.sentence(20), w.sentence(20));
        (
            vec![requirement("AC-1", "", &a), requirement("AC-01", "", &b)],
            vec![requirement("AC-001", "", &w.sentence(20))],
        )
    });
    let diff = detect(&old, &new);
    assert!(pair(&diff, "AC-1", "AC-001").is_none());
    assert!(pair(&diff, "AC-01", "AC-001").is_none());
}

#[test]
fn the_id_key_ignores_padding_case_and_enhancement_notation() {
    for (a, b) in [
        ("AC-1", "AC-01"),
        ("AC-2(1)", "AC-02(01)"),
        ("AC-2(1)", "ac-2.1"),
        ("ISM-0428", "ism-428"),
    ] {
        assert_eq!(id_key(a), id_key(b), "{a} = {b}");
    }
    for (a, b) in [
        ("AC-2(1)", "AC-21"),
        ("AC-1", "AC-10"),
        ("AC-2.1", "AC-2.1.1"),
    ] {
        assert_ne!(id_key(a), id_key(b), "{a} ≠ {b}");
    }
}

#[test]
fn a_move_scoring_between_0_4_and_0_5_is_paired_on_its_margin_for_confirmation() {
    let (old, new) = editions(0x5eed_0006, |w| {
        let text = w.sentence(40);
        let moved = w.reword(&text, 0.62);
        (
            vec![requirement("M-3", "", &text)],
            vec![requirement("N-8", "", &moved)],
        )
    });
    let diff = detect(&old, &new);
    let (change, moved) = pair(&diff, "M-3", "N-8").expect("the move is found");
    assert!(
        (0.4..0.5).contains(&moved.score),
        "the fixture must score between 0.4 and 0.5, not {}",
        moved.score
    );
    assert_eq!(change.class, ChangeClass::Renumbered);
    assert!(moved.needs_confirmation);
}

/// A requirement rewritten as it moved (`share` of its rare words replaced), with the
/// old ID listed as withdrawn in the new edition when `tombstone` is set.
fn rewritten_move(share: f64, tombstone: bool) -> (Catalog, Catalog) {
    editions(0x5eed_0010, |w| {
        let text = w.sentence(40);
        let moved = w.reword(&text, share);
        let mut new = vec![requirement("N-8", "", &moved)];
        if tombstone {
            new.push(withdrawn("M-3"));
        }
        (vec![requirement("M-3", "", &text)], new)
    })
}

#[test]
fn a_move_rewritten_down_to_a_third_is_paired_on_its_margin_for_confirmation() {
    let (old, new) = rewritten_move(0.8, false);
    let diff = detect(&old, &new);
    let (change, moved) = pair(&diff, "M-3", "N-8").expect("the move is found");
    assert!(
        (0.25..0.4).contains(&moved.score),
        "the fixture must score between 0.25 and 0.4, not {}",
        moved.score
    );
    assert_eq!(change.class, ChangeClass::Renumbered);
    assert!(moved.needs_confirmation);
    // The mirror holds.
    assert!(pair(&detect(&new, &old), "N-8", "M-3").is_some());
}

#[test]
fn a_weak_move_is_not_made_from_an_id_the_new_edition_lists_as_withdrawn() {
    let (old, new) = rewritten_move(0.8, true);
    let diff = detect(&old, &new);
    assert!(
        pair(&diff, "M-3", "N-8").is_none(),
        "under 0.4, a withdrawn ID needs more than a margin"
    );
    let why = reqgap::diff::explain(
        &diff,
        &old,
        &new,
        &RequirementId::new("M-3"),
        &DiffOptions {
            detect_only: true,
            ..DiffOptions::default()
        },
        usize::MAX,
    )
    .expect("M-3 is explained");
    let candidate = why
        .candidates
        .iter()
        .find(|c| c.id.as_str() == "N-8")
        .expect("N-8 is a candidate");
    assert!(
        candidate.verdict.contains("lists an ID as withdrawn"),
        "{}",
        candidate.verdict
    );
}

#[test]
fn a_longer_neighbour_sharing_a_phrase_does_not_join_a_moved_requirement_as_a_part() {
    let (old, new) = editions(0x5eed_0011, |w| {
        let moved = w.sentence(12);
        let phrase: Vec<&str> = moved.trim_end_matches('.').split(' ').take(7).collect();
        let successor = format!("{moved} {}", w.sentence(30));
        let neighbour = format!("{} {}", phrase.join(" "), w.sentence(14));
        (
            vec![requirement("P-1", "", &moved)],
            vec![
                requirement("Q-1", "", &successor),
                requirement("Q-2", "", &neighbour),
            ],
        )
    });
    let diff = detect(&old, &new);
    assert!(
        pair(&diff, "P-1", "Q-1").is_some(),
        "the successor holds it whole"
    );
    assert!(
        pair(&diff, "P-1", "Q-2").is_none(),
        "the neighbour would make the group less alike: {:?}",
        pair(&diff, "P-1", "Q-2").map(|(c, p)| (c.class, p.score, p.containment))
    );
}

/// `M-3` in the old version; `N-8` and `N-9`, two rewordings of it alike, in the new.
fn one_old_two_reworded_alike() -> (Catalog, Catalog) {
    editions(0x5eed_0007, |w| {
        let text = w.sentence(40);
        let one = w.reword(&text, 0.62);
        let other = w.reword(&text, 0.62);
        (
            vec![requirement("M-3", "", &text)],
            vec![requirement("N-8", "", &one), requirement("N-9", "", &other)],
        )
    })
}

#[test]
fn a_weak_move_with_two_equal_candidates_is_not_made() {
    let (old, new) = one_old_two_reworded_alike();
    let diff = detect(&old, &new);
    let scores: Vec<f64> = ["N-8", "N-9"]
        .iter()
        .filter_map(|n| pair(&diff, "M-3", n).map(|(_, p)| p.score))
        .collect();
    assert!(
        scores.is_empty(),
        "no margin between two candidates below 0.5: nothing paired, got {scores:?}"
    );
}

#[test]
fn explain_weighs_a_candidate_against_the_other_requirements_that_want_it() {
    // Two old requirements reworded alike compete for one new requirement: the margin
    // --explain shows for either is its lead over the other, and is too small to pair.
    let (few, many) = one_old_two_reworded_alike();
    let (old, new) = (many, few);
    let diff = detect(&old, &new);
    let options = DiffOptions {
        detect_only: true,
        ..DiffOptions::default()
    };
    let why = reqgap::diff::explain(&diff, &old, &new, &RequirementId::new("N-8"), &options, 5)
        .expect("N-8 is explained");
    let m3 = why
        .candidates
        .iter()
        .find(|c| c.id.as_str() == "M-3")
        .expect("M-3 is a candidate");
    assert!(pair(&diff, "N-8", "M-3").is_none() && pair(&diff, "N-9", "M-3").is_none());
    assert!(
        m3.margin.abs() < 0.1,
        "N-9 wants M-3 about as much: margin {}",
        m3.margin
    );
}

#[test]
fn a_split_sharing_one_sentence_with_its_origin_is_found() {
    let (old, new) = editions(0x5eed_0008, |w| {
        let (a, b, c) = (w.sentence(14), w.sentence(14), w.sentence(14));
        let intro = w.sentence(8);
        (
            vec![requirement("S-1", "", &format!("{a} {b} {c}"))],
            vec![
                requirement("S-1", "", &format!("{a} {b}")),
                requirement("S-7", "", &format!("{intro} {c}")),
            ],
        )
    });
    let diff = detect(&old, &new);
    let (change, part) = pair(&diff, "S-1", "S-7").expect("the split part is found");
    assert_eq!(change.class, ChangeClass::Split);
    assert!(pair(&diff, "S-1", "S-1").is_some());
    let containment = part.containment.expect("a part shows its containment");
    assert!(
        (0.55..0.8).contains(&containment),
        "one shared sentence of two: containment {containment}"
    );
    // Swapping the versions makes it a merge.
    let back = detect(&new, &old);
    let (change, _) = pair(&back, "S-7", "S-1").expect("the merge part is found");
    assert_eq!(change.class, ChangeClass::Merged);
}

fn withdrawn(id: &str) -> Requirement {
    Requirement {
        status: Status::Withdrawn,
        ..requirement(id, "", "")
    }
}

#[test]
fn an_enhancement_the_new_edition_withdrew_joins_the_base_that_already_said_it() {
    let build = |tombstone: bool| {
        editions(0x5eed_0009, |w| {
            let (base, extra) = (w.sentence(30), w.sentence(12));
            let enhancement = format!("{extra} {}", w.sentence(4));
            let reworded = w.reword(&base, 0.1);
            let mut new = vec![requirement("E-4", "", &format!("{reworded} {extra}"))];
            if tombstone {
                new.push(withdrawn("E-4.2"));
            }
            (
                vec![
                    requirement("E-4", "", &format!("{base} {extra}")),
                    requirement("E-4.2", "", &enhancement),
                ],
                new,
            )
        })
    };
    let (old, new) = build(true);
    let diff = detect(&old, &new);
    let (change, part) = pair(&diff, "E-4.2", "E-4").expect("folded into its base");
    assert_eq!(change.class, ChangeClass::Merged);
    assert!(part.containment.expect("a part shows its containment") >= 0.55);
    assert!(part.needs_confirmation);
    // The mirror: the old edition names the requirement withdrawn, the new one has it.
    let back = detect(&new, &old);
    let (change, _) = pair(&back, "E-4", "E-4.2").expect("split back out of its base");
    assert_eq!(change.class, ChangeClass::Split);
    // Without the publisher's word that it was withdrawn, a requirement that adds nothing
    // to the one it lies inside is only removed.
    let (old, new) = build(false);
    assert!(pair(&detect(&old, &new), "E-4.2", "E-4").is_none());
}

#[test]
fn a_new_near_copy_of_a_requirement_that_keeps_its_id_is_added_not_split_off() {
    let (old, new) = editions(0x5eed_000a, |w| {
        let text = w.sentence(40);
        let kept = w.reword(&text, 0.1);
        let copy = w.reword(&text, 0.1);
        (
            vec![requirement("K-7", "Monitoring", &text)],
            vec![
                requirement("K-7", "Monitoring", &kept),
                requirement("P-31", "Monitoring strategy", &copy),
            ],
        )
    });
    let diff = detect(&old, &new);
    let (change, _) = pair(&diff, "K-7", "K-7").expect("the same ID is kept");
    assert_eq!(change.class, ChangeClass::Changed);
    assert!(
        pair(&diff, "K-7", "P-31").is_none(),
        "a copy is not a split"
    );
    assert!(pair(&detect(&new, &old), "P-31", "K-7").is_none());
}

#[test]
fn a_partner_sharing_many_words_is_found_beside_ten_single_rare_coincidences() {
    let (old, new) = editions(0x5eed_000b, |w| {
        let family = w.sentence(40);
        let own = |w: &mut Words, n: usize| w.sentence(n);
        let coincidences: Vec<String> = (0..10).map(|i| format!("r{i}z")).collect();
        let query = format!("{family} {}", coincidences.join(" and "));
        let mut old = vec![requirement("Q-9", "", &query)];
        // Look-alikes on both sides share the family words; listed before the query, they
        // take the first candidate slots of any tie.
        old.extend(
            (1..=8)
                .map(|i| requirement(&format!("A-{i}"), "", &format!("{family} {}", own(w, 30)))),
        );
        let mut new = vec![requirement("P-1", "", &format!("{family} {}", own(w, 6)))];
        new.extend(
            (1..=6)
                .map(|i| requirement(&format!("F-{i}"), "", &format!("{family} {}", own(w, 30)))),
        );
        new.extend(coincidences.iter().enumerate().map(|(i, word)| {
            requirement(&format!("U-{i}"), "", &format!("{word} {}", own(w, 30)))
        }));
        (old, new)
    });
    let diff = detect(&old, &new);
    let (change, moved) = pair(&diff, "Q-9", "P-1").expect("the partner is a candidate");
    assert_eq!(change.class, ChangeClass::Renumbered);
    assert!(moved.score >= 0.5, "score {}", moved.score);
}

#[test]
fn a_same_id_text_that_grew_keeps_its_id_against_a_sibling_reusing_the_old_sentence() {
    let (old, new) = editions(0x5eed_000c, |w| {
        let text = w.sentence(12);
        let grown = format!("{} {}", w.sentence(14), text);
        let sibling = w.reword(&text, 0.2);
        (
            vec![requirement("ISM-0304", "", &text)],
            vec![
                requirement("ISM-0304", "", &grown),
                requirement("ISM-1905", "", &sibling),
            ],
        )
    });
    let diff = detect(&old, &new);
    let (change, kept) = pair(&diff, "ISM-0304", "ISM-0304").expect("the ID keeps its text");
    assert_eq!(change.class, ChangeClass::Changed);
    // The sibling scores higher: a close call either way, so the pair is flagged.
    assert!(kept.needs_confirmation);
    assert!(pair(&diff, "ISM-0304", "ISM-1905").is_none());
}

#[test]
fn a_near_copy_merged_into_a_kept_requirement_that_took_its_words_is_a_merge_part() {
    let (old, new) = editions(0x5eed_000d, |w| {
        let (head, tail) = (w.sentence(10), w.sentence(6));
        let (one, other) = (w.sentence(4), w.sentence(4));
        (
            vec![
                requirement("ISM-1508", "", &format!("{head} {one} {tail}")),
                requirement("ISM-1853", "", &format!("{head} {other} {tail}")),
            ],
            vec![requirement(
                "ISM-1508",
                "",
                &format!("{head} {one} {other} {tail}"),
            )],
        )
    });
    let diff = detect(&old, &new);
    let (change, _) = pair(&diff, "ISM-1853", "ISM-1508").expect("merged into the one kept");
    assert_eq!(change.class, ChangeClass::Merged);
    assert!(pair(&diff, "ISM-1508", "ISM-1508").is_some());
}

/// An enhancement of 20 words and its base control, which in the new edition takes in
/// (`gains`) or already held (`held`) the enhancement's first six words.
fn base_and_enhancement(tombstone: bool, held: bool) -> (Catalog, Catalog) {
    editions(0x5eed_0027, |w| {
        let base = w.sentence(30);
        let enhancement = w.sentence(20);
        let fragment: Vec<&str> = enhancement.split(' ').take(6).collect();
        let fragment = fragment.join(" ");
        let old_base = if held {
            format!("{base} {fragment}")
        } else {
            base.clone()
        };
        let new_base = format!("{} {fragment}", w.reword(&base, 0.1));
        let mut new = vec![requirement("E-9", "", &new_base)];
        if tombstone {
            new.push(withdrawn("E-9.1"));
        }
        (
            vec![
                requirement("E-9", "", &old_base),
                requirement("E-9.1", "", &enhancement),
            ],
            new,
        )
    })
}

#[test]
fn a_withdrawn_enhancement_joins_its_base_when_the_base_gained_its_words() {
    let (old, new) = base_and_enhancement(true, false);
    let diff = detect(&old, &new);
    let (change, part) = pair(&diff, "E-9.1", "E-9").expect("placed in its base");
    assert_eq!(change.class, ChangeClass::Merged);
    assert!(part.needs_confirmation, "structure alone is never silent");
    assert!(
        part.containment.expect("a part shows its containment") < 0.55,
        "the containment rule alone would not have placed it"
    );
    assert!(pair(&diff, "E-9", "E-9").is_some(), "the base keeps its ID");
    let options = DiffOptions {
        detect_only: true,
        ..DiffOptions::default()
    };
    let why = reqgap::diff::explain(&diff, &old, &new, &RequirementId::new("E-9.1"), &options, 5)
        .expect("an active requirement");
    let base = why.candidates.iter().find(|c| c.id.as_str() == "E-9");
    let gained = base
        .and_then(|c| c.base_gained)
        .expect("the signal is shown");
    assert!(
        gained.of_old >= 0.05 && gained.of_common >= 0.5,
        "{gained:?}"
    );
    for (format, shown) in [
        (reqgap::report::Format::Json, "\"base-gained\""),
        (reqgap::report::Format::Table, "its base control: gained"),
    ] {
        let mut out = Vec::new();
        reqgap::report::diff::write_explanation(&why, format, Default::default(), &mut out)
            .expect("written");
        assert!(
            String::from_utf8(out).unwrap().contains(shown),
            "{format:?}"
        );
    }
    // The mirror: the old edition names it withdrawn, the new one has it.
    let back = detect(&new, &old);
    let (change, _) = pair(&back, "E-9", "E-9.1").expect("split back out of its base");
    assert_eq!(change.class, ChangeClass::Split);
}

#[test]
fn a_withdrawn_enhancement_stays_removed_when_its_base_gained_nothing_of_it() {
    // The base held the shared words all along: resemblance, not incorporation.
    let (old, new) = base_and_enhancement(true, true);
    assert!(pair(&detect(&old, &new), "E-9.1", "E-9").is_none());
    // Without the publisher's word that it was withdrawn, the hierarchy says nothing.
    let (old, new) = base_and_enhancement(false, false);
    assert!(pair(&detect(&old, &new), "E-9.1", "E-9").is_none());
}

/// Two siblings built on one sentence, `X-1` (its own words `a`) and `X-2` (its own words
/// `b`); the new edition withdraws `X-2` and adds a clause to `X-1`, which either keeps
/// its own words or gives them up (`generalised`) and so now covers `X-2` as well.
fn sibling_withdrawn(generalised: bool) -> (Catalog, Catalog) {
    editions(0x5eed_0028, |w| {
        let shared = w.sentence(20);
        let (a, b, clause) = (w.sentence(6), w.sentence(6), w.sentence(4));
        let new_text = if generalised {
            format!("{shared} {clause}")
        } else {
            format!("{shared} {a} {clause}")
        };
        (
            vec![
                requirement("X-1", "", &format!("{shared} {a}")),
                requirement("X-2", "", &format!("{shared} {b}")),
            ],
            vec![requirement("X-1", "", &new_text), withdrawn("X-2")],
        )
    })
}

#[test]
fn a_withdrawn_sibling_joins_a_requirement_only_where_it_gave_up_what_set_them_apart() {
    // The kept sibling still says what set it apart: the withdrawn one only resembled it.
    let (old, new) = sibling_withdrawn(false);
    let diff = detect(&old, &new);
    assert!(
        pair(&diff, "X-2", "X-1").is_none(),
        "a sibling on the same sentence is not a part: {:?}",
        pair(&diff, "X-2", "X-1").map(|(c, p)| (c.class, p.score, p.containment))
    );
    assert!(pair(&diff, "X-1", "X-1").is_some());
    assert!(pair(&detect(&new, &old), "X-1", "X-2").is_none());
    // The kept sibling dropped its own words and now covers both: the withdrawn one went
    // there.
    let (old, new) = sibling_withdrawn(true);
    let diff = detect(&old, &new);
    let (change, part) = pair(&diff, "X-2", "X-1").expect("taken in by the generalised one");
    assert_eq!(change.class, ChangeClass::Merged);
    assert!(part.needs_confirmation);
    let back = detect(&new, &old);
    let (change, _) = pair(&back, "X-1", "X-2").expect("split back out");
    assert_eq!(change.class, ChangeClass::Split);
}

/// Three requirements called "Central oversight" in the old edition, each "centrally
/// oversees" something of its own; the new edition withdraws two and keeps the title for
/// `K-9` alone, reworded (or, with `second_carrier`, gives the title to one more).
fn one_title_kept(second_carrier: bool) -> (Catalog, Catalog) {
    editions(0x5eed_0029, |w| {
        let subject = w.sentence(8);
        let (own, other, kept) = (w.sentence(8), w.sentence(8), w.sentence(8));
        let title = "Central oversight";
        let mut new = vec![
            requirement(
                "K-9",
                title,
                &format!("{} {}", w.reword(&subject, 0.25), kept),
            ),
            withdrawn("K-2.1"),
            withdrawn("K-3.1"),
        ];
        if second_carrier {
            new.push(requirement("K-12", title, &w.sentence(16)));
        }
        (
            vec![
                requirement("K-9", title, &format!("{subject} {kept}")),
                requirement("K-2.1", title, &format!("{subject} {own}")),
                requirement("K-3.1", title, &format!("{subject} {other}")),
            ],
            new,
        )
    })
}

#[test]
fn withdrawn_requirements_join_the_one_requirement_that_keeps_their_title() {
    let (old, new) = one_title_kept(false);
    let diff = detect(&old, &new);
    for id in ["K-2.1", "K-3.1"] {
        let (change, part) = pair(&diff, id, "K-9").expect("placed under the kept title");
        assert_eq!(change.class, ChangeClass::Merged);
        assert!(part.needs_confirmation, "a title never places silently");
        assert!(
            part.containment.expect("a part shows its containment") < 0.55,
            "the containment rule alone would not have placed {id}"
        );
    }
    assert!(pair(&diff, "K-9", "K-9").is_some(), "K-9 keeps its ID");
    let options = DiffOptions {
        detect_only: true,
        ..DiffOptions::default()
    };
    let why = reqgap::diff::explain(&diff, &old, &new, &RequirementId::new("K-2.1"), &options, 5)
        .expect("an active requirement");
    let kept = why.candidates.iter().find(|c| c.id.as_str() == "K-9");
    assert!(
        kept.is_some_and(|c| c
            .verdict
            .contains("the only requirement of the new version with its title")),
        "--explain names the signal: {kept:?}"
    );
    let back = detect(&new, &old);
    let (change, _) = pair(&back, "K-9", "K-2.1").expect("the mirror splits it back out");
    assert_eq!(change.class, ChangeClass::Split);
    // A title two requirements carry does not say which one it went to.
    let (old, new) = one_title_kept(true);
    let diff = detect(&old, &new);
    assert!(pair(&diff, "K-2.1", "K-9").is_none() && pair(&diff, "K-2.1", "K-12").is_none());
}
