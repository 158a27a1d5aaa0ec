//! The bundled CA standards stack (CA/Browser Forum requirements, Mozilla Root Store
//! Policy): the diffs between published versions and the dates their tables carry.

use chrono::NaiveDate;
use reqgap::diff::{diff_catalogs, ChangeClass, DiffOptions, Edit};
use reqgap::model::{Catalog, CatalogSet, RequirementId};
use reqgap::Analysis;

/// A BR target without `due` and a Root Store Policy target with one, no controls.
const INVENTORY: &str = "tests/fixtures/inventories/ca-milestones";

fn bundled() -> CatalogSet {
    CatalogSet::bundled().unwrap_or_else(|d| panic!("{d}"))
}

fn catalog<'a>(set: &'a CatalogSet, name: &str) -> &'a Catalog {
    set.resolve(name).unwrap_or_else(|d| panic!("{d:?}"))
}

fn date(text: &str) -> NaiveDate {
    NaiveDate::parse_from_str(text, "%Y-%m-%d").unwrap()
}

#[test]
fn identical_sections_are_unchanged_across_the_profiles_ballot() {
    let set = bundled();
    let (old, new) = (
        catalog(&set, "cabf-tls-br@1.8.7"),
        catalog(&set, "cabf-tls-br@2.0.0"),
    );
    let diff = diff_catalogs(old, new, &[], &DiffOptions::default());
    let identical: Vec<&RequirementId> = old
        .requirements
        .iter()
        .filter(|r| {
            new.requirement(r.id.as_str())
                .is_some_and(|n| n.text == r.text)
        })
        .map(|r| &r.id)
        .collect();
    let unchanged = identical
        .iter()
        .filter(|id| {
            diff.changes
                .iter()
                .any(|c| c.class == ChangeClass::Unchanged && c.old.contains(id))
        })
        .count();
    assert!(identical.len() > 100, "{}", identical.len());
    assert!(
        unchanged * 100 >= identical.len() * 95,
        "{unchanged} of {}",
        identical.len()
    );
}

#[test]
fn a_clean_up_ballot_changes_no_requirement_by_format_alone() {
    let set = bundled();
    let (old, new) = (
        catalog(&set, "cabf-tls-br@2.2.5"),
        catalog(&set, "cabf-tls-br@2.2.6"),
    );
    let diff = diff_catalogs(old, new, &[], &DiffOptions::default());
    let squash = |t: &str| t.split_whitespace().collect::<Vec<_>>().join(" ");
    for change in diff.changes.iter().filter(|c| c.substantive) {
        for pair in &change.pairs {
            let (a, b) = (
                old.requirement(pair.old.as_str()).unwrap(),
                new.requirement(pair.new.as_str()).unwrap(),
            );
            assert_ne!(
                squash(&a.text),
                squash(&b.text),
                "{} is format-only",
                pair.old
            );
        }
    }
}

/// The clean-up ballot rewrote dates to ISO form and spaced RFC numbers; those sections
/// read as edited, never as changed obligations, while its real edits stay substantive.
#[test]
fn a_clean_up_ballot_rewrites_dates_and_rfc_numbers_editorially() {
    let set = bundled();
    let (old, new) = (
        catalog(&set, "cabf-tls-br@2.2.5"),
        catalog(&set, "cabf-tls-br@2.2.6"),
    );
    let diff = diff_catalogs(old, new, &[], &DiffOptions::default());
    let edit_of = |id: &str| {
        diff.changes
            .iter()
            .flat_map(|c| &c.pairs)
            .find(|p| p.old.as_str() == id && p.new.as_str() == id)
            .and_then(|p| p.edit)
            .unwrap_or_else(|| panic!("{id} is not a changed pair"))
    };
    for (id, edit) in [
        ("BR-1.1", "1 July 2012 → 2012-07-01"),
        ("BR-4.9.9", "RFC6960 → RFC 6960"),
        ("BR-5.7.1.2", "December 1, 2025 → 2025-12-01"),
        ("BR-6.3.2", "15 March 2026 → 2026-03-15"),
        ("BR-7.1.2.4", "March 15, 2026 → 2026-03-15"),
        ("BR-3.2.2.4.20", "[RFC7301] → RFC 7301"),
    ] {
        assert_eq!(edit_of(id), Edit::Editorial, "{id}: {edit}");
    }
    assert_eq!(
        edit_of("BR-7.1.2.8.2"),
        Edit::Substantive,
        "MUST NOT → SHOULD NOT"
    );
}

#[test]
fn a_diff_names_the_ballot_and_its_effective_date() {
    let set = bundled();
    let (old, new) = (
        catalog(&set, "cabf-tls-br@2.1.4"),
        catalog(&set, "cabf-tls-br@2.1.5"),
    );
    let diff = diff_catalogs(old, new, &[], &DiffOptions::default());
    let names: Vec<String> = diff.ballots.iter().map(ToString::to_string).collect();
    assert_eq!(names, ["SC081 2.1.5 (effective 2025-05-16)"]);
    let changed: Vec<_> = diff
        .changes
        .iter()
        .filter(|c| c.class != ChangeClass::Unchanged)
        .collect();
    assert!(!changed.is_empty());
    for change in changed {
        assert_eq!(change.ballots.len(), 1, "{:?}", change.new);
        assert_eq!(change.ballots[0].effective, Some(date("2025-05-16")));
    }
}

#[test]
fn validity_periods_carry_their_phase_in_dates() {
    let set = bundled();
    let br = catalog(&set, "cabf-tls-br@2.2.6");
    let dates: Vec<String> = br
        .schedule
        .milestones_of(&RequirementId::new("BR-6.3.2"))
        .iter()
        .map(|m| m.date.to_string())
        .collect();
    assert_eq!(dates, ["2026-03-15", "2027-03-15", "2029-03-15"]);
}

#[test]
fn gaps_on_a_br_target_are_due_at_the_next_milestone() {
    let due_of = |today: &str| {
        let report = Analysis::new(std::path::Path::new(INVENTORY), date(today))
            .run()
            .unwrap_or_else(|d| panic!("{d}"))
            .report;
        let gap = report
            .gaps
            .iter()
            .find(|g| g.key == "uncovered:cabf-tls-br@2.2.6:BR-4.2.1")
            .cloned()
            .expect("BR-4.2.1 is uncovered");
        (gap.due.to_string(), gap.milestone.map(|m| m.source))
    };
    assert_eq!(
        due_of("2026-01-10"),
        (
            "2026-03-15".to_owned(),
            Some("1.2.2 Relevant Dates, row 15".to_owned())
        )
    );
    assert_eq!(due_of("2026-12-06").0, "2027-03-15");
    assert_eq!(due_of("2030-01-01").0, "2029-03-15", "all passed: the last");
}

#[test]
fn a_target_with_its_own_due_keeps_it() {
    let report = Analysis::new(std::path::Path::new(INVENTORY), date("2026-12-06"))
        .run()
        .unwrap()
        .report;
    assert!(report
        .gaps
        .iter()
        .filter(|g| g.key.to_string().contains("mozilla-root-store-policy@3.1"))
        .all(|g| g.due == date("2026-09-30") && g.milestone.is_none()));
}

#[test]
fn a_self_assessment_maps_br_sections_to_cps_controls() {
    use reqgap::import::controls::{import, ControlColumns};
    let set = bundled();
    let file = reqgap::source::read_text(std::path::Path::new(
        "examples/certificate-authority/self-assessment/br-self-assessment.csv",
    ))
    .unwrap();
    let columns = ControlColumns::parse(&[
        "id=CP/CPS Section,title=Explanation,owner=Owner,satisfies=BR Section".into(),
    ])
    .unwrap();
    let files = import(&file, &columns, catalog(&set, "cabf-tls-br@2.1.4")).unwrap();
    let text: String = files.iter().map(|f| f.text.as_str()).collect();
    assert!(text.contains("requirements: [BR-6.3.2]"), "{text}");
    // The CCADB template asks for every section: each BR 2.1.4 requirement is mapped once.
    let mut mapped: Vec<&str> = text
        .split(|c: char| c == '[' || c == ']' || c == ',' || c.is_whitespace())
        .filter(|t| t.starts_with("BR-"))
        .collect();
    mapped.sort_unstable();
    let mut all: Vec<&str> = catalog(&set, "cabf-tls-br@2.1.4")
        .requirements
        .iter()
        .map(|r| r.id.as_str())
        .collect();
    all.sort_unstable();
    assert_eq!(mapped, all);
}

/// The curated transitions for the real renumberings lead each old section to where its text
/// went, not to the section that took its number.
#[test]
fn renumbering_ballots_follow_their_transition_files() {
    use reqgap::diff::diff_versions;
    use reqgap::model::{CatalogKey, TransitionSet};
    let set = bundled();
    let transitions = TransitionSet::load(&[], &set).unwrap_or_else(|d| panic!("{d}"));
    let successors = |standard: &str, from: &str, to: &str, id: &str| -> Vec<String> {
        let (old, new) = (
            CatalogKey::new(standard, from),
            CatalogKey::new(standard, to),
        );
        let diff = diff_versions(&set, &transitions, &old, &new, &DiffOptions::default())
            .unwrap_or_else(|d| panic!("{d}"));
        let mut ids: Vec<String> = diff
            .successors(&RequirementId::new(id))
            .iter()
            .map(|s| s.id.to_string())
            .collect();
        ids.sort();
        ids
    };
    // SC062 gave 7.1.2.3 ("Subscriber Certificate") to a subordinate CA profile.
    assert_eq!(
        successors("cabf-tls-br", "1.8.7", "2.0.0", "BR-7.1.2.3"),
        ["BR-7.1.2.7", "BR-7.1.2.7.6"]
    );
    // SC065 moved the EV Guidelines into the RFC 3647 outline.
    assert_eq!(
        successors("cabf-tls-evg", "1.8.1", "2.0.0", "EVG-9.2.1"),
        ["EVG-7.1.4.2.1"]
    );
    // NS-003 turned the lettered items of NSR 1.7 into numbered requirements.
    assert!(successors("cabf-nsr", "1.7", "2.0", "NSR-1").contains(&"NSR-1.1.1".to_owned()));
}

/// A CPS mapping reviewed against BR 2.1.4 never saw SC081's phase-ins: its review is due
/// at the first of them (200 days from 2026-03-15), overdue, not at the next one.
#[test]
fn a_review_is_due_at_the_first_phase_in_after_the_last_review() {
    let report = Analysis::new(
        std::path::Path::new("examples/certificate-authority"),
        date("2026-04-15"),
    )
    .run()
    .unwrap()
    .report;
    let gap = report
        .gaps
        .iter()
        .find(|g| g.key == "needs-review:cabf-tls-br@2.2.6:BR-6.3.2:CPS-6.3.2")
        .expect("the validity period mapping needs review");
    assert_eq!(gap.due, date("2026-03-15"));
    let milestone = gap.milestone.as_ref().expect("due from a milestone");
    assert!(milestone.obligation.contains("200 days"), "{milestone:?}");
}
