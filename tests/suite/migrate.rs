//! `migrate` and `review` on copies of real inventories: the bundled example and the small
//! fixture under tests/fixtures/migrate. Files are edited, never rewritten: every line
//! that is not a mapping's version or requirement list stays byte for byte.

use std::fs;
use std::path::{Path, PathBuf};
use std::process::Command;

use chrono::NaiveDate;
use reqgap::edit::migrate::{self, Migration};
use reqgap::edit::review::{self, Request};
use reqgap::gaps::{DiffBridge, GapKind};
use reqgap::model::CatalogKey;
use reqgap::source::inventory::PathRule;
use reqgap::Analysis;

use crate::support::copy_dir;

const EXAMPLE: &str = "examples/trust-service-provider";
const COMMENT: &str = "# reqgap must keep this comment";

fn today() -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, 11, 26).unwrap()
}

/// A copy of `tests/fixtures/migrate/<name>` whose reqgap.yaml names the demo catalogs by
/// absolute path (the fixture names them relative to its place in the repository), with
/// that reqgap.yaml's text.
fn fixture_copy(name: &str) -> (tempfile::TempDir, PathBuf, String) {
    let temp = tempfile::tempdir().unwrap();
    let dir = temp.path().join(name);
    copy_dir(&Path::new("tests/fixtures/migrate").join(name), &dir);
    let config = fs::read_to_string(dir.join("reqgap.yaml")).unwrap();
    let catalogs = fs::canonicalize("tests/fixtures/catalogs/demo").unwrap();
    let config = config.replace("../../catalogs/demo", catalogs.to_str().unwrap());
    fs::write(dir.join("reqgap.yaml"), &config).unwrap();
    (temp, dir, config)
}

/// A copy of the bundled example with a comment line inside every control file, placed
/// just above the first mapping so that it sits among the lines migrate edits.
fn example_copy() -> (tempfile::TempDir, PathBuf) {
    let temp = tempfile::tempdir().unwrap();
    let dir = temp.path().join("inventory");
    copy_dir(Path::new(EXAMPLE), &dir);
    for file in control_files(&dir) {
        let text = fs::read_to_string(&file).unwrap();
        let at = text.find("      - standard:").expect("a mapping");
        let commented = format!("{}{COMMENT}\n{}", &text[..at], &text[at..]);
        fs::write(&file, commented).unwrap();
    }
    (temp, dir)
}

fn control_files(dir: &Path) -> Vec<PathBuf> {
    let mut files: Vec<PathBuf> = fs::read_dir(dir.join("controls"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    files.sort();
    files
}

fn snapshot(dir: &Path) -> Vec<(PathBuf, String)> {
    let mut all = vec![(
        dir.join("reqgap.yaml"),
        fs::read_to_string(dir.join("reqgap.yaml")).unwrap(),
    )];
    all.extend(
        control_files(dir)
            .into_iter()
            .map(|f| (f.clone(), fs::read_to_string(f).unwrap())),
    );
    all
}

fn plan(dir: &Path) -> Migration {
    let analysed = Analysis::new(dir, today())
        .path_rule(PathRule::Anywhere)
        .run()
        .unwrap();
    let targets: Vec<CatalogKey> = analysed
        .loaded
        .inventory
        .targets
        .iter()
        .map(|t| t.catalog.clone())
        .collect();
    let bridge = DiffBridge::new(&analysed.transitions);
    let loaded = &analysed.loaded;
    migrate::plan(
        &loaded.inventory,
        &loaded.catalogs,
        &bridge,
        &analysed.report,
        &targets,
    )
    .unwrap()
}

fn count(dir: &Path, kind: GapKind) -> usize {
    let report = Analysis::new(dir, today())
        .path_rule(PathRule::Anywhere)
        .run()
        .unwrap()
        .report;
    report.gaps.iter().filter(|g| g.kind == kind).count()
}

/// Lines a migration may change: a mapping's version and requirement list, and the lines
/// of a new mapping entry it adds beside one.
fn is_mapping_line(line: &str) -> bool {
    let trimmed = line.trim_start();
    [
        "reviewed-against:",
        "requirements:",
        "- standard:",
        "coverage:",
        // Carried across a reconstructed catalog: marked for `review` to confirm.
        "note:",
    ]
    .iter()
    .any(|p| trimmed.starts_with(p))
}

#[test]
fn migrating_the_example_leaves_no_stale_reference_and_keeps_everything_else() {
    let (_temp, dir) = example_copy();
    assert_eq!(count(&dir, GapKind::StaleReference), 37);
    let summary_before = Analysis::new(&dir, today())
        .path_rule(PathRule::Anywhere)
        .run()
        .unwrap()
        .report
        .targets[0]
        .clone();
    let before = snapshot(&dir);

    let migration = plan(&dir);
    assert_eq!(migration.renumbered.len(), 37);
    assert!(migration.raised > 0);
    migration.changes.commit(&dir, "reqgap migrate").unwrap();

    assert_eq!(count(&dir, GapKind::StaleReference), 0);
    let report = Analysis::new(&dir, today())
        .path_rule(PathRule::Anywhere)
        .run()
        .unwrap()
        .report;
    // Nothing is gained or lost: what migrate carried across the reconstructed catalogs
    // is to review until confirmed, not covered; the rest is as before.
    let summary = &report.targets[0];
    assert!(migration.assumed > 0);
    assert_eq!(
        summary.covered + summary.needs_review,
        summary_before.covered + summary_before.needs_review
    );
    assert!(summary.covered < summary_before.covered);
    assert_eq!(summary.uncovered, summary_before.uncovered);
    assert_eq!(confirm_assumed(&dir), summary_before.covered);
    // What is left for people is exactly what needs a person.
    let needs_review = count(&dir, GapKind::NeedsReview);
    let listed: usize = migration
        .remaining
        .iter()
        .filter(|r| r.gap_keys.iter().any(|k| k.starts_with("needs-review:")))
        .count();
    assert!(listed > 0 && needs_review > 0);

    let after = snapshot(&dir);
    for ((path, old), (_, new)) in before.iter().zip(&after) {
        if path.ends_with("reqgap.yaml") {
            // Only the edition last met is recorded, so that "new in this edition" outlives
            // the migration.
            let recorded = old.replace(
                "    version: 3.2.1\n",
                "    version: 3.2.1\n    since: \"2.3.1\"  # recorded by reqgap migrate: the edition last met\n",
            );
            assert_eq!(&recorded, new, "reqgap.yaml changes only by `since:`");
            continue;
        }
        assert!(new.contains(COMMENT), "{} lost its comment", path.display());
        let diff = similar::TextDiff::from_lines(old, new);
        for change in diff.iter_all_changes() {
            if change.tag() != similar::ChangeTag::Equal {
                assert!(
                    is_mapping_line(change.value()),
                    "{}: unexpected change of `{}`",
                    path.display(),
                    change.value().trim_end()
                );
            }
        }
    }

    // A second run finds nothing to do.
    let again = plan(&dir);
    assert!(again.changes.is_empty(), "{}", again.changes.unified_diff());
    assert!(again.renumbered.is_empty());
    assert_eq!(again.raised, 0);
}

/// Confirms every mapping migrate marked assumed with one review; returns the target's
/// coverage afterwards.
fn confirm_assumed(dir: &Path) -> usize {
    let analysed = Analysis::new(dir, today())
        .path_rule(PathRule::Anywhere)
        .run()
        .unwrap();
    let patterns: Vec<String> = analysed
        .report
        .gaps
        .iter()
        .filter(|g| matches!(g.cause, reqgap::gaps::Cause::AssumedCarry { .. }))
        .map(|g| g.key.to_string())
        .collect();
    let request = Request {
        patterns: &patterns,
        by: "compliance-officer",
        note: None,
        today: today(),
    };
    let bridge = DiffBridge::new(&analysed.transitions);
    let loaded = &analysed.loaded;
    let review = review::plan(
        &loaded.inventory,
        &loaded.catalogs,
        &bridge,
        &analysed.report,
        &request,
    )
    .unwrap();
    let confirmed = tempfile::tempdir().unwrap();
    copy_dir(dir, confirmed.path());
    let mut changes = review.changes;
    for file in &mut changes.files {
        file.path = confirmed.path().join(file.path.strip_prefix(dir).unwrap());
    }
    changes.commit(confirmed.path(), "reqgap review").unwrap();
    let report = Analysis::new(confirmed.path(), today())
        .path_rule(PathRule::Anywhere)
        .run()
        .unwrap()
        .report;
    assert!(!report
        .gaps
        .iter()
        .any(|g| matches!(g.cause, reqgap::gaps::Cause::AssumedCarry { .. })));
    report.targets[0].covered
}

#[test]
fn a_dry_run_writes_nothing() {
    let (_temp, dir) = example_copy();
    let before = snapshot(&dir);
    let output = Command::new(env!("CARGO_BIN_EXE_reqgap"))
        .args([
            "migrate",
            dir.to_str().unwrap(),
            "--dry-run",
            "--today",
            "2026-11-26",
        ])
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(0));
    let stdout = String::from_utf8(output.stdout).unwrap();
    assert!(stdout.contains("+        requirements: [REQ-7.9.3-01, REQ-7.9.3-02]"));
    assert_eq!(snapshot(&dir), before);
}

#[test]
fn review_closes_the_needs_review_gaps_it_names() {
    let (_temp, dir, _) = fixture_copy("basic");

    plan(&dir).changes.commit(&dir, "reqgap migrate").unwrap();
    // Two changed in substance, two carried across the reconstructed catalog (assumed).
    assert_eq!(count(&dir, GapKind::NeedsReview), 4);

    let analysed = Analysis::new(&dir, today())
        .path_rule(PathRule::Anywhere)
        .run()
        .unwrap();
    let bridge = DiffBridge::new(&analysed.transitions);
    let patterns = vec!["needs-review:demo-secure-ops@2.0:DSO-2-01:*".to_owned()];
    let request = Request {
        patterns: &patterns,
        by: "incident-lead",
        note: Some("24 hours since 2025"),
        today: today(),
    };
    let loaded = &analysed.loaded;
    let review = review::plan(
        &loaded.inventory,
        &loaded.catalogs,
        &bridge,
        &analysed.report,
        &request,
    )
    .unwrap();
    assert_eq!(
        review.closed,
        ["needs-review:demo-secure-ops@2.0:DSO-2-01:C-INC"]
    );
    review.changes.commit(&dir, "reqgap migrate").unwrap();

    let report = Analysis::new(&dir, today())
        .path_rule(PathRule::Anywhere)
        .run()
        .unwrap()
        .report;
    let open: Vec<String> = report
        .gaps
        .iter()
        .filter(|g| g.kind == GapKind::NeedsReview)
        .filter(|g| !matches!(g.cause, reqgap::gaps::Cause::AssumedCarry { .. }))
        .map(|g| g.key.to_string())
        .collect();
    assert_eq!(open, ["needs-review:demo-secure-ops@2.0:DSO-1.1-02:C-POL"]);
    let text = fs::read_to_string(dir.join("controls/controls.yaml")).unwrap();
    // The whole entry was reviewed: it is edited in place and keeps its earlier note.
    assert!(
        text.contains(
            "note: \"Reviewed against 2.0 by incident-lead on 2026-11-26: 24 hours since 2025 (earlier note: Agreed with the supervisory body in 2024.)\""
        ),
        "{text}"
    );
    assert!(text.contains("# Comments, quoting and blank lines must survive a migration."));
    assert!(text.contains("reviewed-against: '1.0'      # single-quoted on purpose"));
}

/// A mapping made against the target itself, to a requirement the target withdrew with a
/// `moved-to` link, is a stale reference: migrate moves it along the link and leaves the
/// incorporated, changed and unlinked ones listed for a person.
#[test]
fn migrate_follows_the_links_of_requirements_the_target_withdrew() {
    let temp = tempfile::tempdir().unwrap();
    let dir = temp.path().join("inventory");
    copy_dir(
        Path::new("tests/fixtures/inventories/gaps/withdrawn-in-target"),
        &dir,
    );
    assert_eq!(count(&dir, GapKind::StaleReference), 1);

    let migration = plan(&dir);
    let moved: Vec<String> = migration
        .renumbered
        .iter()
        .map(|m| format!("{} → {}", m.from, m.to))
        .collect();
    assert_eq!(
        moved,
        ["demo-withdrawals@1.0:ACC-2 → demo-withdrawals@1.0:ACC-3"]
    );
    let mut left: Vec<String> = migration
        .remaining
        .iter()
        .map(|r| r.requirement.id.to_string())
        .collect();
    left.sort();
    assert_eq!(left, ["ACC-4", "ACC-5", "ACC-6"]);
    migration.changes.commit(&dir, "reqgap migrate").unwrap();

    assert_eq!(count(&dir, GapKind::StaleReference), 0);
    let controls = fs::read_to_string(dir.join("controls/controls.yaml")).unwrap();
    assert!(
        controls.contains("[ACC-3, ACC-4, ACC-5, ACC-6]"),
        "{controls}"
    );
    let again = plan(&dir);
    assert!(again.changes.is_empty(), "{}", again.changes.unified_diff());
}

/// A not-applicable decision whose review fell due is a `needs-review` gap on the
/// requirement; `review` closes it in reqgap.yaml: today's date as `reviewed`, the
/// reviewer as `approved-by`, and the note as a comment, with nothing else changed.
#[test]
fn review_confirms_a_not_applicable_decision_that_fell_due() {
    let (_temp, dir, config) = fixture_copy("applicability");

    let later = NaiveDate::from_ymd_opt(2026, 12, 15).unwrap();
    let analyse = || {
        Analysis::new(&dir, later)
            .path_rule(PathRule::Anywhere)
            .run()
            .unwrap()
    };
    let analysed = analyse();
    let due: Vec<String> = analysed
        .report
        .gaps
        .iter()
        .filter(|g| matches!(g.cause, reqgap::gaps::Cause::NotApplicableReviewDue { .. }))
        .map(|g| g.key.to_string())
        .collect();
    assert_eq!(due, ["needs-review:demo-secure-ops@2.0:DSO-3-01"]);

    let bridge = DiffBridge::new(&analysed.transitions);
    let patterns = vec!["needs-review:demo-secure-ops@2.0:DSO-3-*".to_owned()];
    let request = Request {
        patterns: &patterns,
        by: "incident-lead",
        note: Some("still no suppliers\nin scope"),
        today: later,
    };
    let loaded = &analysed.loaded;
    let review = review::plan(
        &loaded.inventory,
        &loaded.catalogs,
        &bridge,
        &analysed.report,
        &request,
    )
    .unwrap();
    assert_eq!(review.closed, due);
    review.changes.commit(&dir, "reqgap migrate").unwrap();

    let after = analyse();
    assert!(
        !after
            .report
            .gaps
            .iter()
            .any(|g| g.key.to_string().contains("DSO-3-01")),
        "the decision is confirmed until its next review"
    );
    let text = fs::read_to_string(dir.join("reqgap.yaml")).unwrap();
    let expected = config
        .replace(
            "        approved-by: ciso\n        reviewed: 2025-12-01\n",
            "        approved-by: incident-lead\n        # Confirmed by incident-lead on 2026-12-15: still no suppliers in scope\n        reviewed: 2026-12-15\n",
        );
    assert_ne!(expected, config, "the fixture's layout changed");
    assert_eq!(text, expected);
}

/// `migrate --to` a newer version of a target's standard moves the target itself:
/// reqgap.yaml's `version` changes in place, a not-applicable decision follows its
/// renumbered requirement, the mappings migrate, and afterwards no stale reference is left.
#[test]
fn migrate_to_a_newer_version_moves_the_target_and_its_decisions() {
    let (_temp, dir, config) = fixture_copy("basic");
    let config = config
        .replace("version: \"2.0\"", "version: \"1.0\"")
        .replace(
            "      \"2\": incident-lead\n",
            "      \"2\": incident-lead\n    not-applicable:\n      - requirement: DSO-2-03   # renumbered to DSO-2-04 in 2.0\n        justification: Kept for the test.\n        approved-by: ciso\n        reviewed: 2026-06-01\n        review-every: 1 year\n",
        );
    fs::write(dir.join("reqgap.yaml"), &config).unwrap();

    let analysed = Analysis::new(&dir, today())
        .path_rule(PathRule::Anywhere)
        .run()
        .unwrap();
    let bridge = DiffBridge::new(&analysed.transitions);
    let loaded = &analysed.loaded;
    let from: CatalogKey = "demo-secure-ops@1.0".parse().unwrap();
    let to: CatalogKey = "demo-secure-ops@2.0".parse().unwrap();
    let migration = migrate::plan_retarget(
        &loaded.inventory,
        &loaded.catalogs,
        &bridge,
        &analysed.report,
        &dir.join("reqgap.yaml"),
        &from,
        &to,
    )
    .unwrap();
    assert_eq!(
        migration.retargeted[0].not_applicable_moved,
        [("DSO-2-03".to_owned(), "DSO-2-04".to_owned())]
    );
    migration.changes.commit(&dir, "reqgap migrate").unwrap();

    let text = fs::read_to_string(dir.join("reqgap.yaml")).unwrap();
    let expected = config
        .replace(
            "version: \"1.0\"",
            "version: \"2.0\"\n    since: \"1.0\"  # recorded by reqgap migrate: the edition last met",
        )
        .replace("requirement: DSO-2-03   #", "requirement: DSO-2-04   #");
    assert_eq!(text, expected);
    let report = Analysis::new(&dir, today())
        .path_rule(PathRule::Anywhere)
        .run()
        .unwrap()
        .report;
    assert_eq!(report.targets[0].catalog, to);
    assert_eq!(report.targets[0].not_applicable, 1);
    assert_eq!(count(&dir, GapKind::StaleReference), 0);
}

#[test]
fn comments_inside_a_flow_list_over_several_lines_survive_migrate() {
    let (_temp, dir, _) = fixture_copy("basic");
    let controls = dir.join("controls/controls.yaml");
    let text = fs::read_to_string(&controls).unwrap().replace(
        "requirements: [DSO-1.1-01, DSO-1.1-02]\n",
        "requirements: [\n          DSO-1.1-01,   # moves in 2.0\n          DSO-1.1-02,   # kept: changed in 2.0\n        ]   # end of the list\n",
    );
    fs::write(&controls, &text).unwrap();
    plan(&dir).changes.commit(&dir, "reqgap migrate").unwrap();
    let after = fs::read_to_string(&controls).unwrap();
    assert!(
        after.contains(
            "requirements: [\n          DSO-1.1-02,   # kept: changed in 2.0\n        ]   # end of the list\n"
        ),
        "{after}"
    );
    assert!(after.contains("requirements: [DSO-1.1-01]"), "{after}");
    assert_eq!(count(&dir, GapKind::StaleReference), 0);
}
