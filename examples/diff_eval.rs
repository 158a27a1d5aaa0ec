//! Diff quality on editions derived from the real NIST SP 800-53 Rev 5 catalog.
//!
//! `cargo run --release --example diff_eval -- [NIST_JSON]` (default: the Rev 5 catalog in
//! `tests/data/nist/`).
//!
//! This builds editions of known kinds from Rev 5 (imported with the library's OSCAL
//! importer) and measures recall and precision on each, with the targets beside them:
//!
//! 1. **Rev 4 style → Rev 5.** Every text reworded the Rev 4 way ("The organization tracks
//!    and documents …" for "Track and document …", "information system" for "system"),
//!    parameters rendered differently in some controls, a last list item missing in some
//!    (Rev 5 added it), a few texts rewritten outright under the same ID and title. Every
//!    control that Rev 5 withdrew with a link is active in the old edition: `moved-to`
//!    ones carry their target's text (the target is new in Rev 5), `incorporated-into` ones
//!    one list item of their target (which the old target lacks). Scored with
//!    `--detect-only` and with the publisher links.
//! 2. **Rendering only** (like 5.0.1 → 5.1.1): `[Selection (one or more): …]` written
//!    `[Selection: …]`, parameter labels shortened, typographic quotes. Nothing changed.
//! 3. **Title-keeping rewrite**: every text replaced by the control's own discussion under
//!    a new ID, titles kept.
//! 4. **IDs reused** (the ASVS trap): every ID of one half of the families carries a
//!    control of the other half, titles included; nothing should be paired.

#[path = "support/nist_data.rs"]
mod nist_data;
use nist_data::default_nist;

use std::collections::{BTreeMap, BTreeSet};
use std::path::PathBuf;

use reqgap::diff::{diff_catalogs, CatalogDiff, ChangeClass, DiffOptions, Edit};
use reqgap::import::oscal;
use reqgap::model::*;

fn main() {
    let path = std::env::args()
        .nth(1)
        .map(PathBuf::from)
        .unwrap_or_else(default_nist);
    let file = reqgap::source::read_text(&path).unwrap_or_else(|e| panic!("{e}"));
    let rev5 = import(&file, false);
    let with_guidance = import(&file, true);

    let (rev4, links) = rev4_style(&rev5);
    for detect_only in [true, false] {
        let diff = run(&rev4, &rev5, detect_only);
        report_rev4(&diff, &rev4, &rev5, &links, detect_only);
    }
    let rendered = rendering_only(&rev5);
    let diff = run(&rendered, &rev5, true);
    let substantive = diff.changes.iter().filter(|c| c.substantive).count();
    println!("\nRendering only (5.0.1 → 5.1.1 kind), --detect-only");
    println!("  substantive changes: {substantive}  (target 0)");

    let rewritten = title_keeping_rewrite(&rev5, &with_guidance);
    let diff = run(&rewritten, &rev5, true);
    let total = rewritten.requirements.len();
    let paired = diff
        .changes
        .iter()
        .flat_map(|c| &c.pairs)
        .filter(|p| p.old.as_str() == format!("x-{}", p.new))
        .count();
    println!("\nTitle-keeping rewrite (discussion text under new IDs), --detect-only");
    println!(
        "  equal controls paired: {paired} of {total} ({:.0} %)  (target ≥ 60 %)",
        100.0 * paired as f64 / total.max(1) as f64
    );

    let (reused_old, reused_new) = ids_reused(&rev5);
    let diff = run(&reused_old, &reused_new, true);
    let paired: usize = diff.changes.iter().map(|c| c.pairs.len()).sum();
    let confirmed = diff
        .changes
        .iter()
        .filter(|c| !c.pairs.is_empty() && !c.needs_confirmation)
        .count();
    println!(
        "  {} IDs; same-ID pairs (changed): {}  (target 0)",
        reused_new.requirements.len(),
        diff.counts[&ChangeClass::Changed]
    );
    println!("  cross-ID pairs between unrelated controls: {paired}, of them not needing confirmation: {confirmed}");
}

fn import(file: &reqgap::diag::SourceFile, with_guidance: bool) -> Catalog {
    let options = oscal::OscalOptions {
        with_guidance,
        ..oscal::OscalOptions::default()
    };
    oscal::import(file, &options)
        .expect("the NIST catalog imports")
        .catalog
}

fn run(old: &Catalog, new: &Catalog, detect_only: bool) -> CatalogDiff {
    let options = DiffOptions {
        detect_only,
        ..DiffOptions::default()
    };
    diff_catalogs(old, new, &[], &options)
}

/// A stable pseudo-random number per string (FNV-1a), so every run builds the same
/// editions.
fn hash(text: &str, salt: u64) -> u64 {
    let mut h = 0xcbf2_9ce4_8422_2325u64 ^ salt;
    for b in text.bytes() {
        h ^= u64::from(b);
        h = h.wrapping_mul(0x100_0000_01b3);
    }
    h
}

fn chance(id: &str, salt: u64, percent: u64) -> bool {
    hash(id, salt) % 100 < percent
}

/// `track` → `tracks`, `apply` → `applies`, `establish` → `establishes`.
fn third_person(verb: &str) -> String {
    let lower = verb.to_lowercase();
    let vowel_y = ["ay", "ey", "oy", "uy"].iter().any(|e| lower.ends_with(e));
    if lower.ends_with('y') && !vowel_y {
        format!("{}ies", &lower[..lower.len() - 1])
    } else if ["s", "sh", "ch", "x", "z"]
        .iter()
        .any(|e| lower.ends_with(e))
    {
        format!("{lower}es")
    } else {
        format!("{lower}s")
    }
}

/// An item label at the start of a line: `a.`, `(a)`, `1.`.
fn label_len(line: &str) -> usize {
    let first = line.split_whitespace().next().unwrap_or("");
    let is_label = first.ends_with('.') && first.len() <= 3
        || first.starts_with('(') && first.ends_with(')') && first.len() <= 4;
    if is_label {
        line.find(first).unwrap_or(0) + first.len()
    } else {
        0
    }
}

/// "Define and document the …" → "Defines and documents the …": the first word and a
/// verb joined to it by "and" within the next three words.
fn conjugate(sentence: &str) -> String {
    let words: Vec<&str> = sentence.split(' ').collect();
    let mut out: Vec<String> = Vec::with_capacity(words.len());
    for (i, word) in words.iter().enumerate() {
        let after_and = (2..=4).contains(&i) && words[i - 1] == "and";
        let plain = word.trim_end_matches([',', ';', ':', '.']);
        let verb_like = plain.chars().all(char::is_alphabetic) && !plain.ends_with("ly");
        if (i == 0 || after_and) && verb_like && !plain.is_empty() {
            let verb = third_person(plain);
            let verb = if i == 0 { capitalise(&verb) } else { verb };
            out.push(format!("{verb}{}", &word[plain.len()..]));
        } else {
            out.push((*word).to_owned());
        }
    }
    out.join(" ")
}

fn capitalise(word: &str) -> String {
    let mut chars = word.chars();
    chars.next().map_or_else(String::new, |c| {
        c.to_uppercase().collect::<String>() + chars.as_str()
    })
}

/// The Rev 4 way of writing a Rev 5 text.
fn rev4ify(id: &str, text: &str) -> String {
    let lines: Vec<String> = text
        .lines()
        .map(|line| {
            let top_level = !line.starts_with(' ');
            let cut = label_len(line);
            if top_level && cut > 0 {
                let (label, rest) = line.split_at(cut);
                format!("{label} {}", conjugate(rest.trim_start()))
            } else {
                line.to_owned()
            }
        })
        .collect();
    let mut text = lines.join("\n");
    if label_len(&text) == 0 {
        let body = conjugate(&text);
        let mut chars = body.chars();
        let lowered = chars.next().map_or_else(String::new, |c| {
            c.to_lowercase().collect::<String>() + chars.as_str()
        });
        text = format!("The organization {lowered}");
    } else {
        text = format!("The organization:\n{text}");
    }
    text = text.replace("the system", "the information system");
    render_parameters(id, &text)
}

/// Parameters as another importer renders them, in some controls.
fn render_parameters(id: &str, text: &str) -> String {
    let mut text = text.to_owned();
    if chance(id, 1, 40) {
        text = text.replace("[Selection (one or more):", "[Selection:");
    }
    if chance(id, 2, 30) {
        text = text.replace("[Assignment: organization-defined ", "[Assignment: ");
    }
    if chance(id, 3, 20) {
        text = text.replace("personnel or roles]", "personnel]");
    }
    text
}

/// Top-level lines (list items) with enough words to be a requirement of their own.
fn items(text: &str) -> Vec<(usize, &str)> {
    text.lines()
        .enumerate()
        .filter(|(_, line)| !line.starts_with(' ') && label_len(line) > 0)
        .filter(|(_, line)| line.split_whitespace().count() >= 6)
        .collect()
}

/// Links of the new edition: (withdrawn ID, target ID, rel).
type Links = BTreeSet<(String, String, LinkRel)>;

fn rev4_style(rev5: &Catalog) -> (Catalog, Links) {
    let by_id: BTreeMap<&str, &Requirement> = rev5
        .requirements
        .iter()
        .map(|r| (r.id.as_str(), r))
        .collect();
    let mut links = Links::new();
    for withdrawn in rev5.requirements.iter().filter(|r| !r.is_active()) {
        for link in &withdrawn.links {
            let target_active = by_id
                .get(link.target.as_str())
                .is_some_and(|t| t.is_active());
            if link.rel != LinkRel::Related && target_active {
                links.insert((withdrawn.id.to_string(), link.target.to_string(), link.rel));
            }
        }
    }
    let moved_targets: BTreeSet<&str> = links
        .iter()
        .filter(|l| l.2 == LinkRel::MovedTo)
        .map(|l| l.1.as_str())
        .collect();
    // Which line of each target an incorporated requirement held, so the old target lacks it.
    let mut taken: BTreeMap<&str, BTreeSet<usize>> = BTreeMap::new();
    let mut old_texts: BTreeMap<String, String> = BTreeMap::new();
    for (withdrawn, target, rel) in &links {
        let text = &by_id[target.as_str()].text;
        let part = if *rel == LinkRel::MovedTo {
            text.clone()
        } else {
            let candidates = items(text);
            let used = taken.entry(target.as_str()).or_default();
            let free: Vec<&(usize, &str)> = candidates
                .iter()
                .filter(|(i, _)| !used.contains(i))
                .collect();
            match free.get(hash(withdrawn, 4) as usize % free.len().max(1)) {
                Some((line, item)) => {
                    used.insert(*line);
                    item[label_len(item)..].trim().to_owned()
                }
                None => text.lines().next().unwrap_or("").to_owned(),
            }
        };
        let entry = old_texts.entry(withdrawn.clone()).or_default();
        if !entry.is_empty() {
            entry.push('\n');
        }
        entry.push_str(&part);
    }
    let mut requirements = Vec::new();
    for r in &rev5.requirements {
        let id = r.id.as_str();
        if moved_targets.contains(id) {
            continue;
        }
        let mut old = r.clone();
        if let Some(text) = old_texts.get(id) {
            old.status = Status::Active;
            old.links.clear();
            old.text = rev4ify(id, text);
        } else if r.is_active() {
            let mut text = drop_lines(&r.text, taken.get(id));
            if chance(id, 5, 15) {
                text = drop_last_item(&text);
            }
            old.text = rev4ify(id, &text);
        } else {
            continue;
        }
        requirements.push(old);
    }
    let catalog = Catalog {
        version: Version::new("4-style"),
        requirements,
        ..rev5.clone()
    };
    (catalog, links)
}

fn drop_lines(text: &str, lines: Option<&BTreeSet<usize>>) -> String {
    let Some(lines) = lines else {
        return text.to_owned();
    };
    text.lines()
        .enumerate()
        .filter(|(i, _)| !lines.contains(i))
        .map(|(_, l)| l)
        .collect::<Vec<_>>()
        .join("\n")
}

/// Rev 5 added a list item at the end of some controls.
fn drop_last_item(text: &str) -> String {
    let items = items(text);
    match items.last() {
        Some((line, _)) if items.len() >= 3 => drop_lines(text, Some(&BTreeSet::from([*line]))),
        _ => text.to_owned(),
    }
}

fn report_rev4(diff: &CatalogDiff, old: &Catalog, new: &Catalog, links: &Links, detect_only: bool) {
    let pairs: BTreeSet<(String, String)> = diff
        .changes
        .iter()
        .flat_map(|c| &c.pairs)
        .map(|p| (p.old.to_string(), p.new.to_string()))
        .collect();
    let recovered = |rel: LinkRel| {
        let of_rel: Vec<_> = links.iter().filter(|l| l.2 == rel).collect();
        let found = of_rel
            .iter()
            .filter(|l| pairs.contains(&(l.0.clone(), l.1.clone())))
            .count();
        (found, of_rel.len())
    };
    let linked: BTreeSet<(String, String)> =
        links.iter().map(|l| (l.0.clone(), l.1.clone())).collect();
    let unlinked = pairs
        .iter()
        .filter(|(o, n)| o != n && !linked.contains(&(o.clone(), n.clone())))
        .count();
    let new_active: BTreeSet<&str> = new.active_requirements().map(|r| r.id.as_str()).collect();
    let both: Vec<&str> = old
        .active_requirements()
        .map(|r| r.id.as_str())
        .filter(|id| new_active.contains(id))
        .collect();
    let lost = both
        .iter()
        .filter(|id| !pairs.contains(&(id.to_string(), id.to_string())))
        .count();
    let confirm = diff.changes.iter().filter(|c| c.needs_confirmation).count();
    let (moved, moved_all) = recovered(LinkRel::MovedTo);
    let (incorporated, incorporated_all) = recovered(LinkRel::IncorporatedInto);
    let pct = |a: usize, b: usize| 100.0 * a as f64 / b.max(1) as f64;
    if detect_only {
        println!(
            "Rev 4 style → Rev 5, --detect-only ({} → {} requirements)",
            old.requirements.len(),
            new.active_requirements().count()
        );
        println!("  moved-to recovered:          {moved} of {moved_all} ({:.0} %)  (target ≥ 31/33, 94 %)", pct(moved, moved_all));
        println!("  incorporated-into recovered: {incorporated} of {incorporated_all} ({:.0} %)  (target ≥ 40/57, 70 %)", pct(incorporated, incorporated_all));
        println!("  cross-ID pairs not linked:   {unlinked}  (target ≤ 5)");
        println!(
            "  same-ID controls lost:       {lost} of {}  (target ≤ 10)",
            both.len()
        );
    } else {
        println!("Rev 4 style → Rev 5, with publisher links");
        println!("  moved-to recovered:          {moved} of {moved_all}  (target all)");
        println!("  incorporated-into recovered: {incorporated} of {incorporated_all}  (target ≥ 56/57, 98 %)");
        println!("  cross-ID pairs not linked:   {unlinked}  (target ≤ 10)");
        println!("  same-ID controls lost:       {lost} of {}", both.len());
    }
    let substantive = diff
        .changes
        .iter()
        .filter(|c| c.edit == Some(Edit::Substantive))
        .count();
    println!("  changes needing confirmation: {confirm}; substantive edits: {substantive}");
}

fn rendering_only(rev5: &Catalog) -> Catalog {
    let requirements = rev5
        .requirements
        .iter()
        .map(|r| {
            let mut old = r.clone();
            let text = r.text.replace("[Selection (one or more):", "[Selection:");
            let text = if chance(r.id.as_str(), 6, 50) {
                text.replace("personnel or roles]", "personnel]")
                    .replace("organization-defined frequency]", "frequency]")
            } else {
                text
            };
            old.text = text.replace('\'', "\u{2019}");
            old
        })
        .collect();
    Catalog {
        version: Version::new("5.0.1-style"),
        requirements,
        ..rev5.clone()
    }
}

fn title_keeping_rewrite(rev5: &Catalog, with_guidance: &Catalog) -> Catalog {
    let guidance: BTreeMap<&str, &str> = with_guidance
        .requirements
        .iter()
        .map(|r| (r.id.as_str(), r.text.as_str()))
        .collect();
    let requirements = rev5
        .active_requirements()
        .filter_map(|r| {
            let full = guidance.get(r.id.as_str())?;
            let discussion = full.strip_prefix(r.text.as_str())?.trim();
            (discussion.split_whitespace().count() >= 8).then(|| Requirement {
                id: RequirementId::new(format!("x-{}", r.id)),
                text: discussion.to_owned(),
                ..r.clone()
            })
        })
        .collect();
    Catalog {
        version: Version::new("rewritten"),
        requirements,
        ..rev5.clone()
    }
}

/// New: the controls of the first half of the families. Old: the same IDs, each carrying
/// (text and title) a control of the second half. Policy controls (`-1`) are left out:
/// their texts are the same paragraph in every family.
fn ids_reused(rev5: &Catalog) -> (Catalog, Catalog) {
    let families: Vec<&SectionId> = rev5
        .sections
        .iter()
        .map(|s| &s.id)
        .collect::<BTreeSet<_>>()
        .into_iter()
        .collect();
    let half: BTreeSet<&SectionId> = families[..families.len() / 2].iter().copied().collect();
    let usable = |r: &&Requirement| r.is_active() && !r.id.as_str().ends_with("-1");
    let first: Vec<&Requirement> = rev5
        .requirements
        .iter()
        .filter(usable)
        .filter(|r| half.contains(&r.section))
        .collect();
    let second: Vec<&Requirement> = rev5
        .requirements
        .iter()
        .filter(usable)
        .filter(|r| !half.contains(&r.section))
        .collect();
    let count = first.len().min(second.len());
    let new: Vec<Requirement> = first[..count].iter().map(|r| (*r).clone()).collect();
    let old: Vec<Requirement> = first[..count]
        .iter()
        .zip(&second[..count])
        .map(|(slot, content)| Requirement {
            id: slot.id.clone(),
            section: slot.section.clone(),
            ..(*content).clone()
        })
        .collect();
    let catalog = |version: &str, requirements| Catalog {
        version: Version::new(version),
        requirements,
        ..rev5.clone()
    };
    (catalog("reused-old", old), catalog("reused-new", new))
}
