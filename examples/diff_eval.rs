//! Diff quality on real published editions, scored against a truth the publisher wrote.
//!
//! `cargo run --release --example diff_eval` (reads `tests/data/`; every run is
//! `--detect-only`, so no publisher link or transition file helps the matcher).
//!
//! 1. **NIST SP 800-53 Rev 4 → Rev 5** (OSCAL ids, `ac-2.1`). Truth: the `moved-to` and
//!    `incorporated-into` links that Rev 5 puts on every control it withdrew. A link whose
//!    control was active in Rev 4 and whose target is active in Rev 5 is a pair the diff
//!    should make: a `moved-to` control renumbered (or merged) into its target, an
//!    `incorporated-into` control merged into its target. Every other pair across IDs is
//!    outside NIST's links; a control active in both under one ID and not paired with
//!    itself is a same-ID control lost.
//! 2. **FedRAMP LOW Rev 4 → Rev 5 baselines with printed labels** (`AC-1` in Rev 4,
//!    zero-padded `AC-01` in Rev 5). Truth: the labels name one control; no pair may be a
//!    renumbering that is only zero padding, and every control kept under its label must
//!    be paired with itself (CA-3 and PS-1 were the ones lost).
//!
//! 3. **Australian ISM, September 2023 → December 2023** (OSCAL ids, `ism-0428`). Truth:
//!    ASD keeps a control's ID for its whole life and never reuses one, so every control
//!    in both releases must be paired with itself, and a pair that takes a surviving
//!    control to another ID is wrong. Pairs between a rescinded and an introduced control
//!    have no truth and are listed.
//!
//! Two more pairs are scored when you point the example at your own copy, because their
//! CC BY-SA 4.0 licence keeps them out of the repository:
//!
//! 4. **OWASP ASVS 4.0.3 → 5.0.0**, `-- --asvs DIR` with DIR a checkout of
//!    `github.com/OWASP/ASVS` (the two English CSV exports, imported as docs/import.md
//!    shows). Truth: OWASP's `5.0/mappings/mapping_v4.0.3_to_v5.0.0.yml`, which says of
//!    every 4.0.3 requirement whether it moved, split, merged into another, or was deleted
//!    (some "covered by" others).
//! 5. **BSI Grundschutz++ Kernel releases**, `-- --bsi OLD.json --bsi NEXT.json …` (the
//!    OSCAL catalog `BSI-Stand-der-Technik-Kernel-catalog.json` of each release, oldest
//!    first, from `github.com/BSI-Bund/Stand-der-Technik-Bibliothek`). Truth: the UUID BSI
//!    keeps for each control (`alt-identifier`) while it renumbers them.
//!
//! Each section prints recall and precision per class, and the targets beside them.
//! `-- --missed` also lists every pair of the truth the diff did not make, with the
//! signals `reqgap diff --explain` shows for it and what the diff decided instead.

#[path = "support/nist_data.rs"]
mod nist_data;
#[path = "support/own_copies.rs"]
mod own_copies;

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

use reqgap::diff::{diff_catalogs, explain, CatalogDiff, ChangeClass, DiffOptions};
use reqgap::import::{oscal, HeaderOverrides};
use reqgap::model::*;

fn main() {
    let rev4 = import(&nist_data::nist_rev4(), false, None);
    let rev5 = import(&nist_data::default_nist(), false, None);
    nist_pair(&rev4, &rev5);

    let fedramp = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/data/fedramp");
    let low4 = import(
        &fedramp.join("FedRAMP_rev4_LOW-baseline-resolved-profile_catalog-min.json"),
        true,
        Some("rev4"),
    );
    let low5 = import(
        &fedramp.join("FedRAMP_rev5_LOW-baseline-resolved-profile_catalog-min.json"),
        true,
        Some("rev5"),
    );
    labelled_pair("FedRAMP LOW Rev 4 → Rev 5, printed labels", &low4, &low5);

    let ism = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/data/ism");
    let sep = import(&ism.join("ISM_catalog_2023-09.json"), false, None);
    let dec = import(&ism.join("ISM_catalog_2023-12.json"), false, None);
    stable_id_pair("Australian ISM September 2023 → December 2023", &sep, &dec);

    if let Some(checkout) = argument_values("--asvs").first() {
        let (old, new, truth) = own_copies::asvs(Path::new(checkout));
        asvs_pair(&old, &new, &truth);
    }
    let releases: Vec<_> = argument_values("--bsi")
        .iter()
        .map(|path| own_copies::bsi_release(Path::new(path)))
        .collect();
    for pair in releases.windows(2) {
        let ((old, old_uuids), (new, new_uuids)) = (&pair[0], &pair[1]);
        stable_uuid_pair(old, new, old_uuids, new_uuids);
    }
}

/// Every value given after `flag` on the command line.
fn argument_values(flag: &str) -> Vec<String> {
    let arguments: Vec<String> = std::env::args().collect();
    arguments
        .windows(2)
        .filter(|w| w[0] == flag)
        .map(|w| w[1].clone())
        .collect()
}

/// ASVS 4.0.3 → 5.0.0 against OWASP's mapping.
fn asvs_pair(old: &Catalog, new: &Catalog, truth: &own_copies::AsvsTruth) {
    let diff = detect(old, new);
    let made = pairs(&diff);
    println!("\nOWASP ASVS 4.0.3 → 5.0.0, --detect-only, against OWASP's mapping");
    print_counts(&diff);
    println!("  class       recall            target");
    for (name, links, target) in [
        ("moved", &truth.moved, "≥ 0.80"),
        ("split", &truth.split, "≥ 0.50"),
        ("merged", &truth.merged, "≥ 0.50"),
    ] {
        let missed: Vec<&(String, String)> =
            links.iter().filter(|p| !made.contains_key(*p)).collect();
        let found = links.len() - missed.len();
        println!(
            "  {name:<10}  {found:>3}/{:<3} ({:.2})    {target}",
            links.len(),
            ratio(found, links.len())
        );
        if show_missed() {
            print_missed(&diff, old, new, &missed);
        }
    }
    let named = truth.all();
    let cross: Vec<_> = made.iter().filter(|((o, n), _)| o != n).collect();
    let wrong: Vec<_> = cross.iter().filter(|(p, _)| !named.contains(p)).collect();
    let unflagged = wrong.iter().filter(|(_, m)| !m.needs_confirmation).count();
    let right = cross.len() - wrong.len();
    println!(
        "  cross-ID pairs: {} made, {right} named by OWASP (precision {:.2}, target ≥ 0.95); {} not named, {unflagged} of these not flagged for confirmation",
        cross.len(),
        ratio(right, cross.len()),
        wrong.len()
    );
    for ((o, n), made) in wrong {
        let flag = if made.needs_confirmation {
            ", needs confirmation"
        } else {
            ""
        };
        println!(
            "    {o} → {n} ({}, score {:.2}{flag})",
            made.class, made.score
        );
    }
}

/// Two releases whose publisher renumbers controls but keeps a UUID for each: the UUID is
/// the truth.
fn stable_uuid_pair(
    old: &Catalog,
    new: &Catalog,
    old_uuids: &BTreeMap<String, String>,
    new_uuids: &BTreeMap<String, String>,
) {
    let diff = detect(old, new);
    let made = pairs(&diff);
    println!(
        "\nBSI Grundschutz++ Kernel {} → {}, --detect-only, against BSI's control UUIDs",
        old.version, new.version
    );
    print_counts(&diff);
    let new_by_uuid: BTreeMap<&String, &String> =
        new_uuids.iter().map(|(id, uuid)| (uuid, id)).collect();
    let truth: BTreeSet<(String, String)> = old_uuids
        .iter()
        .filter_map(|(id, uuid)| new_by_uuid.get(uuid).map(|n| (id.clone(), (*n).clone())))
        .collect();
    let renumbered = truth.iter().filter(|(o, n)| o != n).count();
    let unpaired: Vec<_> = truth.iter().filter(|p| !made.contains_key(*p)).collect();
    println!(
        "  controls in both releases: {} ({renumbered} renumbered); not paired with their successor: {} (target ≤ 5)",
        truth.len(),
        unpaired.len()
    );
    for (o, n) in &unpaired {
        println!("    {o} → {n}");
    }
    if show_missed() {
        print_missed(&diff, old, new, &unpaired);
    }
    let wrong: Vec<_> = made.iter().filter(|(p, _)| !truth.contains(*p)).collect();
    let unflagged = wrong.iter().filter(|(_, m)| !m.needs_confirmation).count();
    println!(
        "  pairs between controls of different UUIDs: {} ({unflagged} not flagged for confirmation, target ≤ 1)",
        wrong.len()
    );
    for ((o, n), made) in wrong {
        let flag = if made.needs_confirmation {
            ", needs confirmation"
        } else {
            ""
        };
        println!(
            "    {o} → {n} ({}, score {:.2}{flag})",
            made.class, made.score
        );
    }
}

/// A pair of editions whose publisher never renumbers: the ID is the truth.
fn stable_id_pair(title: &str, old: &Catalog, new: &Catalog) {
    let diff = detect(old, new);
    let made = pairs(&diff);
    println!("\n{title}, --detect-only");
    print_counts(&diff);
    let (old_ids, new_ids) = (active_ids(old), active_ids(new));
    let cross: Vec<(&(String, String), &Made)> = made.iter().filter(|((o, n), _)| o != n).collect();
    // A surviving control may take part in a split or merge, but never lose itself.
    let lost = |id: &String, ids: &BTreeSet<String>| {
        ids.contains(id) && !made.contains_key(&(id.clone(), id.clone()))
    };
    let (wrong, open): (Vec<_>, Vec<_>) = cross
        .iter()
        .partition(|((o, n), _)| lost(o, &new_ids) || lost(n, &old_ids));
    let unflagged = wrong.iter().filter(|(_, m)| !m.needs_confirmation).count();
    println!(
        "  cross-ID pairs: {} made; {} take a surviving control away from itself (wrong; {unflagged} not flagged, target 0); {} others: rescinded into introduced or surviving controls, or split off from surviving ones (no truth: listed)",
        cross.len(),
        wrong.len(),
        open.len()
    );
    for ((o, n), made) in wrong.iter().chain(&open) {
        let flag = if made.needs_confirmation {
            ", needs confirmation"
        } else {
            ""
        };
        println!(
            "    {o} → {n} ({}, score {:.2}{flag})",
            made.class, made.score
        );
    }
    same_id_lost(old, new, &made, |id| id.to_owned(), "0");
}

fn import(path: &Path, label: bool, version: Option<&str>) -> Catalog {
    let file = reqgap::source::read_text(path).unwrap_or_else(|e| panic!("{e}"));
    let options = oscal::OscalOptions {
        label,
        header: HeaderOverrides {
            version: version.map(str::to_owned),
            ..HeaderOverrides::default()
        },
        ..oscal::OscalOptions::default()
    };
    let imported = oscal::import(&file, &options)
        .unwrap_or_else(|e| panic!("the library's OSCAL importer refused {path:?}: {e:?}"));
    imported.catalog
}

fn options() -> DiffOptions {
    DiffOptions {
        detect_only: true,
        ..DiffOptions::default()
    }
}

fn diff_of(old: &Catalog, new: &Catalog) -> CatalogDiff {
    detect(old, new)
}

fn detect(old: &Catalog, new: &Catalog) -> CatalogDiff {
    diff_catalogs(old, new, &[], &options())
}

fn show_missed() -> bool {
    std::env::args().any(|a| a == "--missed")
}

/// One line per pair of the truth the diff did not make: its signals and what the diff
/// decided for the old requirement instead.
fn print_missed(diff: &CatalogDiff, old: &Catalog, new: &Catalog, missed: &[&(String, String)]) {
    for (o, n) in missed {
        let id = RequirementId::new(o.as_str());
        let Some(why) = explain(diff, old, new, &id, &options(), usize::MAX) else {
            continue;
        };
        let decided: Vec<String> = why
            .decided
            .iter()
            .map(|s| format!("{} ({})", s.id, s.class))
            .collect();
        let Some(c) = why.candidates.iter().find(|c| c.id.as_str() == n.as_str()) else {
            println!("      {o} → {n}: shares no word; decided {decided:?}");
            continue;
        };
        println!(
            "      {o} → {n}: score {:.2} text {:.2} title {:.2} old-in-new {:.2} new-in-old {:.2} margin {:+.2}; {}; decided {decided:?}",
            c.score, c.text_score, c.title_score, c.old_in_new, c.new_in_old, c.margin, c.verdict
        );
    }
}

/// What the diff said about one pair.
#[derive(Clone, Copy)]
struct Made {
    needs_confirmation: bool,
    score: f64,
    class: ChangeClass,
}

/// Every pair the diff made, by (old ID, new ID).
fn pairs(diff: &CatalogDiff) -> BTreeMap<(String, String), Made> {
    diff.changes
        .iter()
        .flat_map(|c| c.pairs.iter().map(move |p| (c.class, p)))
        .map(|(class, p)| {
            let made = Made {
                needs_confirmation: p.needs_confirmation,
                score: p.score,
                class,
            };
            ((p.old.to_string(), p.new.to_string()), made)
        })
        .collect()
}

fn active_ids(catalog: &Catalog) -> BTreeSet<String> {
    catalog
        .active_requirements()
        .map(|r| r.id.to_string())
        .collect()
}

/// NIST's withdrawal links of `new` that join a control active in `old` to one active
/// in `new`: (withdrawn ID, target ID) per relation.
fn withdrawal_truth(old: &Catalog, new: &Catalog) -> BTreeMap<LinkRel, BTreeSet<(String, String)>> {
    let (old_ids, new_ids) = (active_ids(old), active_ids(new));
    let mut truth: BTreeMap<LinkRel, BTreeSet<(String, String)>> = BTreeMap::new();
    for withdrawn in new.requirements.iter().filter(|r| !r.is_active()) {
        for link in &withdrawn.links {
            let (from, to) = (withdrawn.id.to_string(), link.target.to_string());
            if link.rel != LinkRel::Related && old_ids.contains(&from) && new_ids.contains(&to) {
                truth.entry(link.rel).or_default().insert((from, to));
            }
        }
    }
    truth
}

fn nist_pair(old: &Catalog, new: &Catalog) {
    let diff = detect(old, new);
    let made = pairs(&diff);
    let truth = withdrawal_truth(old, new);
    println!("NIST SP 800-53 Rev 4 → Rev 5, --detect-only, against NIST's withdrawal links");
    print_counts(&diff);
    let all_truth: BTreeSet<&(String, String)> = truth.values().flatten().collect();
    let cross: Vec<(&(String, String), Made)> = made
        .iter()
        .filter(|((o, n), _)| o != n)
        .map(|(pair, made)| (pair, *made))
        .collect();
    println!("  class               recall             precision     target");
    for (rel, target) in [
        (LinkRel::MovedTo, "≥ 31/33"),
        (LinkRel::IncorporatedInto, "≥ 40/57"),
    ] {
        let links = truth.get(&rel).cloned().unwrap_or_default();
        let withdrawn: BTreeSet<&String> = links.iter().map(|(o, _)| o).collect();
        let missed: Vec<&(String, String)> =
            links.iter().filter(|p| !made.contains_key(*p)).collect();
        let found = links.len() - missed.len();
        // Precision of the class: of the cross-ID pairs the diff made from its withdrawn
        // controls, the share that NIST's links name.
        let proposed: Vec<_> = cross
            .iter()
            .filter(|((o, _), _)| withdrawn.contains(o))
            .collect();
        let right = proposed.iter().filter(|(p, _)| links.contains(*p)).count();
        println!(
            "  {:<18}  {found:>3}/{:<3} ({:.2})     {:>3}/{:<3} ({:.2})   {target}",
            rel_name(rel),
            links.len(),
            ratio(found, links.len()),
            right,
            proposed.len(),
            ratio(right, proposed.len()),
        );
        if show_missed() {
            print_missed(&diff, old, new, &missed);
        }
    }
    let outside: Vec<_> = cross
        .iter()
        .filter(|(p, _)| !all_truth.contains(p))
        .collect();
    let unflagged = outside
        .iter()
        .filter(|(_, made)| !made.needs_confirmation)
        .count();
    let right = cross.len() - outside.len();
    println!(
        "  cross-ID pairs: {} made, {right} in NIST's links (precision {:.2}); {} outside them (target ≤ 5), {unflagged} of these not flagged for confirmation",
        cross.len(),
        ratio(right, cross.len()),
        outside.len(),
    );
    for ((o, n), made) in &outside {
        let flag = if made.needs_confirmation {
            ", needs confirmation"
        } else {
            ""
        };
        println!(
            "    {o} → {n} ({}, score {:.2}{flag})",
            made.class, made.score
        );
    }
    same_id_lost(old, new, &made, |id| id.to_owned(), "≤ 10");
}

/// Controls active in both versions under one ID (compared by `key`) that the diff did
/// not pair with themselves.
fn same_id_lost(
    old: &Catalog,
    new: &Catalog,
    made: &BTreeMap<(String, String), Made>,
    key: impl Fn(&str) -> String,
    target: &str,
) {
    let new_by_key: BTreeMap<String, String> = active_ids(new)
        .into_iter()
        .map(|id| (key(&id), id))
        .collect();
    let both: Vec<(String, String)> = active_ids(old)
        .into_iter()
        .filter_map(|id| new_by_key.get(&key(&id)).map(|n| (id, n.clone())))
        .collect();
    let lost: Vec<&(String, String)> = both.iter().filter(|p| !made.contains_key(*p)).collect();
    println!(
        "  same-ID controls paired with themselves: {}/{} (recall {:.2}); lost: {} (target {target})",
        both.len() - lost.len(),
        both.len(),
        ratio(both.len() - lost.len(), both.len()),
        lost.len()
    );
    for (o, n) in lost {
        println!("    {o}");
        if show_missed() {
            print_missed(&diff_of(old, new), old, new, &[&(o.clone(), n.clone())]);
        }
    }
}

fn labelled_pair(title: &str, old: &Catalog, new: &Catalog) {
    let diff = detect(old, new);
    let made = pairs(&diff);
    println!("\n{title}, --detect-only");
    print_counts(&diff);
    let padding_only = diff
        .changes
        .iter()
        .filter(|c| c.class == ChangeClass::Renumbered)
        .filter(|c| label_key(c.old[0].as_str()) == label_key(c.new[0].as_str()))
        .count();
    println!("  renumbered only by zero padding: {padding_only} (target 0)");
    let cross: Vec<_> = made
        .keys()
        .filter(|(o, n)| label_key(o) != label_key(n))
        .collect();
    println!(
        "  pairs across labels: {} (no truth: each is listed)",
        cross.len()
    );
    for (o, n) in cross {
        println!("    {o} → {n}");
    }
    for id in ["CA-3", "PS-1"] {
        let paired = made
            .keys()
            .any(|(o, n)| o == id && label_key(n) == label_key(id));
        println!(
            "  {id} paired with its Rev 5 label: {}",
            if paired { "yes" } else { "NO" }
        );
    }
    same_id_lost(old, new, &made, label_key, "0");
}

/// A label without leading zeros and case: `AC-02(01)` → `ac-2(1)`. Written here, apart
/// from the library's own key, so that the evaluation does not grade itself.
fn label_key(label: &str) -> String {
    let mut out = String::new();
    let mut digits = String::new();
    for c in label.chars().chain(std::iter::once(' ')) {
        if c.is_ascii_digit() {
            digits.push(c);
            continue;
        }
        if !digits.is_empty() {
            let trimmed = digits.trim_start_matches('0');
            out.push_str(if trimmed.is_empty() { "0" } else { trimmed });
            digits.clear();
        }
        if c != ' ' {
            out.extend(c.to_lowercase());
        }
    }
    out
}

fn print_counts(diff: &CatalogDiff) {
    let counts: Vec<String> = ChangeClass::ALL
        .iter()
        .map(|c| format!("{} {}", c, diff.counts.get(c).copied().unwrap_or(0)))
        .collect();
    let flagged = diff.changes.iter().filter(|c| c.needs_confirmation).count();
    println!(
        "  {}; {flagged} changes need confirmation",
        counts.join(", ")
    );
}

fn rel_name(rel: LinkRel) -> &'static str {
    match rel {
        LinkRel::MovedTo => "moved-to",
        LinkRel::IncorporatedInto => "incorporated-into",
        LinkRel::Related => "related",
    }
}

fn ratio(part: usize, whole: usize) -> f64 {
    if whole == 0 {
        return 1.0;
    }
    part as f64 / whole as f64
}
