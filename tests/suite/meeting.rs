//! What the compliance meeting works from: a remediation plan per gap, escalation one level
//! per period overdue, "new in this edition" that outlives migrate and review, and the
//! warnings and refusals around them.

use std::path::Path;
use std::process::Command;

use chrono::NaiveDate;
use reqgap::source::history::History;
use reqgap::Analysis;

use crate::support::copy_dir;

const PLAN: &str = "tests/fixtures/inventories/plan";
const EXAMPLE: &str = "examples/trust-service-provider";

fn date(text: &str) -> NaiveDate {
    NaiveDate::parse_from_str(text, "%Y-%m-%d").unwrap()
}

fn reqgap(args: &[&str]) -> std::process::Output {
    Command::new(env!("CARGO_BIN_EXE_reqgap"))
        .args(args)
        .env("NO_COLOR", "1")
        .output()
        .unwrap()
}

#[test]
fn a_plan_entry_gives_its_gaps_the_plan_date_status_and_ticket_in_the_json() {
    let analysed = Analysis::new(PLAN, date("2027-05-01")).run().unwrap();
    let json = serde_json::to_value(&analysed.report).unwrap();
    let gap = |key: &str| {
        json["gaps"]
            .as_array()
            .unwrap()
            .iter()
            .find(|g| g["key"] == key)
            .unwrap_or_else(|| panic!("{key}"))
            .clone()
    };
    // A pattern entry: the target is due 2027-03-31, the plan moves this gap to September.
    let supplier = gap("uncovered:demo-secure-ops@2.0:DSO-3-01");
    assert_eq!(supplier["due"], "2027-09-30");
    assert_eq!(supplier["status"], "open");
    assert_eq!(supplier["plan"]["status"], "in-progress");
    assert_eq!(supplier["plan"]["ticket"], "SEC-4711");
    assert_eq!(
        supplier["plan"]["note"],
        "supplier clauses being renegotiated"
    );
    assert!(supplier.get("escalation").is_none());
    let blocked = gap("uncovered:demo-secure-ops@2.0:DSO-2-03");
    assert_eq!(blocked["due"], "2027-04-15");
    assert_eq!(blocked["plan"]["status"], "blocked");
    // A gap no entry names keeps the target's date and has no plan.
    let unplanned = gap("needs-review:demo-secure-ops@2.0:DSO-2-01:C-INC");
    assert_eq!(unplanned["due"], "2027-03-31");
    assert!(unplanned.get("plan").is_none());
    // The board page lists the blocked plan as a decision.
    let report = analysed.management_report(&History::default());
    let blocked: Vec<String> = report
        .decisions
        .blocked
        .iter()
        .map(|i| report.gaps[*i].key.to_string())
        .collect();
    assert_eq!(blocked, ["uncovered:demo-secure-ops@2.0:DSO-2-03"]);
    assert!(report
        .to_html()
        .contains("customer notice needs legal sign-off"));
}

#[test]
fn escalation_moves_one_level_per_holders_period() {
    let analysed = Analysis::new(PLAN, date("2027-05-01")).run().unwrap();
    let chain = |key: &str| -> Vec<String> {
        let gap = analysed
            .report
            .gaps
            .iter()
            .find(|g| g.key.to_string().as_str() == key);
        gap.unwrap()
            .escalation
            .iter()
            .map(ToString::to_string)
            .collect()
    };
    // ciso holds 30 days (the default): 31 days overdue reaches the board.
    assert_eq!(
        chain("needs-review:demo-secure-ops@2.0:DSO-1.1-02:C-POL"),
        ["board"]
    );
    // incident-lead holds 2 weeks, then ciso 30 days: 31 days overdue is with the ciso.
    assert_eq!(
        chain("needs-review:demo-secure-ops@2.0:DSO-2-01:C-INC"),
        ["ciso"]
    );
}

#[test]
fn plan_problems_are_located_errors() {
    let dir = tempfile::tempdir().unwrap();
    copy_dir(Path::new(PLAN), dir.path());
    let catalogs = std::fs::canonicalize("tests/fixtures/catalogs/demo").unwrap();
    let config = dir.path().join("reqgap.yaml");
    let text = std::fs::read_to_string(&config)
        .unwrap()
        .replace("../../catalogs/demo", catalogs.to_str().unwrap());
    std::fs::write(&config, text).unwrap();
    let dir_arg = dir.path().to_str().unwrap();
    let gaps = || {
        reqgap(&[
            "gaps",
            dir_arg,
            "--today",
            "2027-05-01",
            "--allow-outside-root",
        ])
    };
    std::fs::write(
        dir.path().join("plan.yaml"),
        "plan:\n  - gap: 'uncovered:demo-secure-ops@2.0:DSO-9*'\n    due: 2027-09-30\n    status: in-progress\n",
    )
    .unwrap();
    let out = gaps();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{stderr}");
    assert!(stderr.contains("plan-matches-nothing"), "{stderr}");
    assert!(stderr.contains("plan.yaml:2:10"), "{stderr}");
    std::fs::write(
        dir.path().join("plan.yaml"),
        "plan:\n  - gap: 'uncovered:demo-secure-ops@2.0:DSO-3*'\n    due: 2027-09-30\n    status: started\n    owner: ciso\n",
    )
    .unwrap();
    let out = gaps();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{stderr}");
    assert!(stderr.contains("plan.yaml:"), "{stderr}");
    assert!(
        stderr.contains("started") || stderr.contains("owner"),
        "{stderr}"
    );
}

/// The example with `escalate-after` on every owner and its targets due `due`, as of
/// 2026-12-06 (after every evidence review date of the example).
fn example_escalating_every(period: &str, due: &str) -> reqgap::Analysed {
    let dir = tempfile::tempdir().unwrap();
    copy_dir(Path::new(EXAMPLE), dir.path());
    let owners = dir.path().join("owners.yaml");
    let text = std::fs::read_to_string(&owners).unwrap();
    let mut with = String::new();
    for line in text.lines() {
        with.push_str(line);
        with.push('\n');
        if line.trim_start().starts_with("name:") {
            with.push_str(&format!("    escalate-after: {period}\n"));
        }
    }
    std::fs::write(&owners, with).unwrap();
    let config = dir.path().join("reqgap.yaml");
    let text = std::fs::read_to_string(&config).unwrap();
    std::fs::write(
        &config,
        text.replace("due: 2026-06-30", &format!("due: {due}")),
    )
    .unwrap();
    Analysis::new(dir.path(), date(TODAY))
        .path_rule(reqgap::source::inventory::PathRule::Anywhere)
        .run()
        .unwrap()
}

const TODAY: &str = "2026-12-06";

fn reaches_board(gap: &reqgap::gaps::Gap) -> bool {
    gap.escalation
        .iter()
        .any(|o| o.as_str() == "management-board")
}

#[test]
fn with_30_days_per_owner_no_gap_reaches_the_board_20_days_overdue() {
    // The targets due 20 days before today: every target gap is 20 days overdue.
    let report = example_escalating_every("30 days", "2026-11-16").report;
    let target_gaps: Vec<_> = report
        .gaps
        .iter()
        .filter(|g| g.due == date("2026-11-16"))
        .collect();
    assert!(target_gaps.len() > 200);
    assert!(target_gaps
        .iter()
        .all(|g| g.status == reqgap::gaps::GapStatus::Overdue));
    assert!(target_gaps.iter().all(|g| !reaches_board(g)));
    // Whatever its due date, no gap reaches the board before a period has passed (a gap
    // nobody owns goes to its default owner at once, and up from there).
    for gap in &report.gaps {
        if reaches_board(gap) {
            let days = (date(TODAY) - gap.due).num_days();
            assert!(
                days >= 30,
                "{} reached the board {days} days overdue",
                gap.key
            );
        }
    }
}

#[test]
fn with_30_days_per_owner_some_gaps_reach_the_board_149_days_overdue() {
    let report = example_escalating_every("30 days", "2026-07-10").report;
    let at_board = report
        .gaps
        .iter()
        .filter(|g| g.due == date("2026-07-10") && reaches_board(g))
        .count();
    assert!(at_board > 0);
    // Without escalate-after, every overdue gap reaches the top at once (the old rule).
    let at_once = Analysis::new(EXAMPLE, date(TODAY)).run().unwrap();
    assert!(
        at_once
            .report
            .gaps
            .iter()
            .filter(|g| reaches_board(g))
            .count()
            > 200
    );
}

/// An inventory mapped to ETSI EN 319 401 V3.1.1 whose target is V3.2.1.
fn mapped_to_3_1_1(dir: &Path) {
    std::fs::create_dir_all(dir.join("controls")).unwrap();
    std::fs::write(
        dir.join("reqgap.yaml"),
        "organisation: Edition Test\ncontrols: [controls]\nowners: owners.yaml\ntargets:\n  - standard: etsi-en-319-401\n    version: 3.2.1\n    due: 2026-06-30\n    default-owner: ciso\n",
    )
    .unwrap();
    std::fs::write(
        dir.join("owners.yaml"),
        "owners:\n  - id: ciso\n    name: CISO\n",
    )
    .unwrap();
    std::fs::write(
        dir.join("controls/hr.yaml"),
        "controls:\n  - id: HR-01\n    title: Screening and training\n    owner: ciso\n    satisfies:\n      - standard: etsi-en-319-401\n        reviewed-against: 3.1.1\n        requirements: [REQ-7.2-01, REQ-7.2-02, REQ-7.2-03, REQ-7.2-04, REQ-7.2-05]\n",
    )
    .unwrap();
}

fn unmet_additions(dir: &Path) -> usize {
    let analysed = Analysis::new(dir, date("2026-12-06"))
        .path_rule(reqgap::source::inventory::PathRule::Anywhere)
        .run()
        .unwrap();
    let report = analysed.management_report(&History::default());
    report
        .new_in_edition
        .iter()
        .filter(|i| i.new_in.change == reqgap::gaps::EditionChange::Added)
        .filter(|i| i.state != reqgap::gaps::CoverageState::Covered)
        .count()
}

#[test]
fn new_in_this_edition_outlives_migrate_and_review() {
    let dir = tempfile::tempdir().unwrap();
    mapped_to_3_1_1(dir.path());
    let dir_arg = dir.path().to_str().unwrap();
    let before = unmet_additions(dir.path());
    assert!(before > 0);
    let out = reqgap(&[
        "migrate",
        dir_arg,
        "--today",
        "2026-12-06",
        "--allow-outside-root",
    ]);
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    // migrate says that it relies on a reconstructed catalog (3.1.1 is one).
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("etsi-en-319-401@3.1.1 is reconstructed"),
        "{stderr}"
    );
    let config = std::fs::read_to_string(dir.path().join("reqgap.yaml")).unwrap();
    assert!(config.contains("since: \"3.1.1\""), "{config}");
    let out = reqgap(&[
        "review",
        dir_arg,
        "needs-review:etsi-en-319-401@3.2.1:REQ-*",
        "--by",
        "ciso",
        "--today",
        "2026-12-06",
        "--allow-outside-root",
    ]);
    let controls = std::fs::read_to_string(dir.path().join("controls/hr.yaml")).unwrap();
    assert!(
        out.status.code() == Some(0) || !controls.contains("3.1.1"),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(!controls.contains("reviewed-against: 3.1.1"), "{controls}");
    assert_eq!(unmet_additions(dir.path()), before);
    // Measured from the mappings alone (no `since:`), the list would now be empty.
    std::fs::write(
        dir.path().join("reqgap.yaml"),
        config.replace("since: \"3.1.1\"", ""),
    )
    .unwrap();
    assert_eq!(unmet_additions(dir.path()), 0);
}

#[test]
fn report_refuses_a_pdf_with_a_hint() {
    let dir = tempfile::tempdir().unwrap();
    let pdf = dir.path().join("board.pdf");
    let out = reqgap(&[
        "report",
        EXAMPLE,
        "--today",
        "2026-12-06",
        "-o",
        pdf.to_str().unwrap(),
    ]);
    assert_eq!(out.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("print-to-pdf") && stderr.contains("report.html"),
        "{stderr}"
    );
    assert!(!pdf.exists());
}

#[test]
fn the_meeting_agenda_shows_reviews_since_the_last_meeting_as_done() {
    let dir = tempfile::tempdir().unwrap();
    let inventory = dir.path().join("inventory");
    copy_dir(Path::new(PLAN), &inventory);
    let catalogs = std::fs::canonicalize("tests/fixtures/catalogs/demo").unwrap();
    let config = inventory.join("reqgap.yaml");
    let text = std::fs::read_to_string(&config)
        .unwrap()
        .replace("../../catalogs/demo", catalogs.to_str().unwrap());
    std::fs::write(&config, text).unwrap();
    let history = dir.path().join("history");
    let (inv, hist) = (inventory.to_str().unwrap(), history.to_str().unwrap());
    let snapshot = history.join("2027-04-01.json");
    let out = reqgap(&[
        "gaps",
        inv,
        "--today",
        "2027-04-01",
        "--format",
        "json",
        "-o",
        snapshot.to_str().unwrap(),
        "--allow-outside-root",
    ]);
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let reviewed = "needs-review:demo-secure-ops@2.0:DSO-2-01:C-INC";
    let out = reqgap(&[
        "review",
        inv,
        reviewed,
        "--by",
        "ciso",
        "--today",
        "2027-04-20",
        "--allow-outside-root",
    ]);
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let out = reqgap(&[
        "report",
        inv,
        "--meeting",
        "--history",
        hist,
        "--today",
        "2027-05-01",
        "--allow-outside-root",
    ]);
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let agenda = String::from_utf8(out.stdout).unwrap();
    assert!(
        agenda.contains("## 1. Since the last meeting (2027-04-01)"),
        "{agenda}"
    );
    assert!(
        agenda.contains(&format!("- [x] reviewed: `{reviewed}`")),
        "{agenda}"
    );
    assert!(
        agenda.contains("- [ ] unblock the plan for `uncovered:demo-secure-ops@2.0:DSO-2-03`"),
        "{agenda}"
    );
}

#[test]
fn migrate_to_a_new_edition_moves_the_plan_with_the_target() {
    let dir = tempfile::tempdir().unwrap();
    copy_dir(Path::new("tests/fixtures/migrate/retarget"), dir.path());
    let catalogs = std::fs::canonicalize("tests/fixtures/catalogs/demo").unwrap();
    let config = dir.path().join("reqgap.yaml");
    let text = std::fs::read_to_string(&config)
        .unwrap()
        .replace("../../catalogs/demo", catalogs.to_str().unwrap())
        .replace(
            "owners: owners.yaml",
            "owners: owners.yaml\nplan: plan.yaml",
        );
    let decision = text.find("    not-applicable:").unwrap();
    std::fs::write(&config, &text[..decision]).unwrap();
    // Leave DSO-1.1-02 and DSO-2-03 (DSO-2-04 in 2.0) uncovered, and plan them.
    let controls = dir.path().join("controls/controls.yaml");
    let text = std::fs::read_to_string(&controls)
        .unwrap()
        .replace("[DSO-1.1-01, DSO-1.1-02]", "[DSO-1.1-01]")
        .replace("          - DSO-2-03\n", "");
    std::fs::write(&controls, text).unwrap();
    std::fs::write(
        dir.path().join("plan.yaml"),
        "plan:\n  - gap: 'uncovered:demo-secure-ops@1.0:DSO-1.1-02'   # policy owners\n    due: 2027-09-30\n    status: planned\n  - gap: uncovered:demo-secure-ops@1.0:DSO-2-03\n    due: 2027-10-31\n    status: planned\n",
    )
    .unwrap();
    let dir_arg = dir.path().to_str().unwrap();
    let out = reqgap(&[
        "migrate",
        dir_arg,
        "--to",
        "2.0",
        "--today",
        "2027-05-01",
        "--allow-outside-root",
    ]);
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        stdout.contains("Plan entry `uncovered:demo-secure-ops@1.0:DSO-2-03` follows the target: `uncovered:demo-secure-ops@2.0:DSO-2-04`"),
        "{stdout}"
    );
    let plan = std::fs::read_to_string(dir.path().join("plan.yaml")).unwrap();
    assert_eq!(
        plan,
        "plan:\n  - gap: 'uncovered:demo-secure-ops@2.0:DSO-1.1-02'   # policy owners\n    due: 2027-09-30\n    status: planned\n  - gap: uncovered:demo-secure-ops@2.0:DSO-2-04\n    due: 2027-10-31\n    status: planned\n"
    );
    let analysed = Analysis::new(dir.path(), date("2027-05-01"))
        .path_rule(reqgap::source::inventory::PathRule::Anywhere)
        .run()
        .unwrap();
    let planned = analysed
        .report
        .gaps
        .iter()
        .find(|g| g.key.to_string().as_str() == "uncovered:demo-secure-ops@2.0:DSO-1.1-02")
        .unwrap();
    assert_eq!(planned.due, date("2027-09-30"));
    let renumbered = analysed
        .report
        .gaps
        .iter()
        .find(|g| g.key.to_string().as_str() == "uncovered:demo-secure-ops@2.0:DSO-2-04")
        .unwrap();
    assert_eq!(renumbered.due, date("2027-10-31"));
}

/// A review that closes every gap of a plan entry removes the entry in the same write
/// (and says so, with its ticket): the next run does not stop at an entry naming no open
/// gap. An entry with gaps still open stays.
#[test]
fn review_removes_the_plan_entries_whose_gaps_it_closes() {
    let dir = tempfile::tempdir().unwrap();
    copy_dir(Path::new(PLAN), dir.path());
    let catalogs = std::fs::canonicalize("tests/fixtures/catalogs/demo").unwrap();
    let config = dir.path().join("reqgap.yaml");
    let text = std::fs::read_to_string(&config)
        .unwrap()
        .replace("../../catalogs/demo", catalogs.to_str().unwrap());
    std::fs::write(&config, text).unwrap();
    let plan = dir.path().join("plan.yaml");
    let mut text = std::fs::read_to_string(&plan).unwrap();
    text.push_str("  # the 24-hour notice\n  - gap: needs-review:demo-secure-ops@2.0:DSO-2-01:C-INC\n    due: 2027-06-30\n    status: in-progress\n    ticket: SEC-4720\n");
    std::fs::write(&plan, &text).unwrap();
    let dir_arg = dir.path().to_str().unwrap();
    let out = reqgap(&[
        "review",
        dir_arg,
        "needs-review:demo-secure-ops@2.0:DSO-2-01:C-INC",
        "--by",
        "ciso",
        "--today",
        "2027-05-01",
        "--allow-outside-root",
    ]);
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(
        stdout.contains("Plan entry `needs-review:demo-secure-ops@2.0:DSO-2-01:C-INC` (in-progress, ticket SEC-4720) is done, its gaps closed: removed from"),
        "{stdout}"
    );
    let after = std::fs::read_to_string(&plan).unwrap();
    assert_eq!(
        after,
        text.replace("  - gap: needs-review:demo-secure-ops@2.0:DSO-2-01:C-INC\n    due: 2027-06-30\n    status: in-progress\n    ticket: SEC-4720\n", "")
    );
    let out = reqgap(&[
        "gaps",
        dir_arg,
        "--today",
        "2027-05-01",
        "--allow-outside-root",
    ]);
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
}

/// The Markdown and HTML gap reports show each gap's plan (status, ticket, note) beside
/// its details, escaped like every other text from the inventory.
#[test]
fn the_plan_of_a_gap_shows_in_markdown_and_html_escaped() {
    use reqgap::report::{reporter, Format, Style};
    let mut analysed = Analysis::new(PLAN, date("2027-05-01")).run().unwrap();
    let blocked = analysed
        .report
        .gaps
        .iter_mut()
        .find(|g| g.key == "uncovered:demo-secure-ops@2.0:DSO-2-03")
        .unwrap();
    let plan = blocked.plan.as_mut().unwrap();
    plan.note = Some("legal | <script>alert(1)</script>".into());
    let render = |format| {
        let mut out = Vec::new();
        reporter(format, Style::default())
            .gaps(&analysed.report, &mut out)
            .unwrap();
        String::from_utf8(out).unwrap()
    };
    let markdown = render(Format::Markdown);
    assert!(
        markdown.contains("[plan: in-progress, SEC-4711; supplier clauses being renegotiated]"),
        "{markdown}"
    );
    assert!(
        markdown.contains("[plan: blocked, https://tickets.example.test/SEC-4712; legal \\|"),
        "{markdown}"
    );
    assert!(!markdown.contains("<script>"), "{markdown}");
    let html = render(Format::Html);
    assert!(
        html.contains("<em>[plan: blocked, https://tickets.example.test/SEC-4712; legal | &lt;script&gt;alert(1)&lt;/script&gt;]</em>"),
        "{html}"
    );
    assert!(!html.contains("<script>"), "{html}");
}

/// A mapping `migrate` carried across a reconstructed catalog is assumed: the analysis
/// lists it as a `needs-review` gap (cause `assumed-carry`) and does not count it as
/// covered; `review` confirms it, drops the `assumed:` mark, and it counts.
#[test]
fn an_assumed_mapping_needs_review_until_review_confirms_it() {
    let dir = tempfile::tempdir().unwrap();
    copy_dir(Path::new("tests/fixtures/migrate/basic"), dir.path());
    let catalogs = std::fs::canonicalize("tests/fixtures/catalogs/demo").unwrap();
    let config = dir.path().join("reqgap.yaml");
    let text = std::fs::read_to_string(&config)
        .unwrap()
        .replace("../../catalogs/demo", catalogs.to_str().unwrap());
    std::fs::write(&config, text).unwrap();
    let dir_arg = dir.path().to_str().unwrap();
    let run = |args: &[&str]| {
        let mut all = vec![args[0], dir_arg];
        all.extend(&args[1..]);
        all.extend(["--today", "2026-10-01", "--allow-outside-root"]);
        let out = reqgap(&all);
        let stderr = String::from_utf8_lossy(&out.stderr).into_owned();
        assert_eq!(out.status.code(), Some(0), "{args:?}: {stderr}");
    };
    let analyse = || {
        Analysis::new(dir.path(), date("2026-10-01"))
            .path_rule(reqgap::source::inventory::PathRule::Anywhere)
            .run()
            .unwrap()
            .report
    };
    let covered_before = analyse().targets[0].covered;
    run(&["migrate"]);
    let report = analyse();
    let assumed: Vec<String> = report
        .gaps
        .iter()
        .filter(|g| matches!(g.cause, reqgap::gaps::Cause::AssumedCarry { .. }))
        .map(|g| g.key.to_string())
        .collect();
    assert_eq!(
        assumed,
        [
            "needs-review:demo-secure-ops@2.0:DSO-1.1-01:C-POL",
            "needs-review:demo-secure-ops@2.0:DSO-2-04:C-INC"
        ]
    );
    assert_eq!(report.targets[0].covered, covered_before - 2);
    let json = serde_json::to_value(&report).unwrap();
    let cause = json["gaps"]
        .as_array()
        .unwrap()
        .iter()
        .find(|g| g["key"] == assumed[0])
        .unwrap()["cause"]
        .clone();
    assert_eq!(cause["type"], "assumed-carry");
    assert_eq!(cause["from"], "demo-secure-ops@1.0");
    let mut review = vec!["review"];
    review.extend(assumed.iter().map(String::as_str));
    review.extend(["--by", "ciso"]);
    run(&review);
    let report = analyse();
    assert!(!report
        .gaps
        .iter()
        .any(|g| matches!(g.cause, reqgap::gaps::Cause::AssumedCarry { .. })));
    assert_eq!(report.targets[0].covered, covered_before);
    let controls = std::fs::read_to_string(dir.path().join("controls/controls.yaml")).unwrap();
    assert!(!controls.contains("assumed:"), "{controls}");
    assert!(
        controls.contains("note: Reviewed against 2.0 by ciso on 2026-10-01"),
        "{controls}"
    );
}

/// `migrate` closes the stale references it moves to the new ID; a plan entry for one of
/// them is done and leaves the plan in the same write, so the next run does not stop.
#[test]
fn migrate_removes_the_plan_entry_of_a_stale_reference_it_moves() {
    let dir = tempfile::tempdir().unwrap();
    copy_dir(Path::new("tests/fixtures/migrate/basic"), dir.path());
    let catalogs = std::fs::canonicalize("tests/fixtures/catalogs/demo").unwrap();
    let config = dir.path().join("reqgap.yaml");
    let text = std::fs::read_to_string(&config)
        .unwrap()
        .replace("../../catalogs/demo", catalogs.to_str().unwrap())
        .replace(
            "owners: owners.yaml",
            "owners: owners.yaml\nplan: plan.yaml",
        );
    std::fs::write(&config, text).unwrap();
    std::fs::write(
        dir.path().join("plan.yaml"),
        "plan:\n  - gap: stale-reference:demo-secure-ops@2.0:DSO-2-04:C-INC\n    due: 2027-01-31\n    status: planned\n    ticket: SEC-9\n",
    )
    .unwrap();
    let dir_arg = dir.path().to_str().unwrap();
    let args = |command| {
        [
            command,
            dir_arg,
            "--today",
            "2026-10-01",
            "--allow-outside-root",
        ]
    };
    let out = reqgap(&args("migrate"));
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert_eq!(out.status.code(), Some(0), "{stdout}");
    assert!(
        stdout.contains("Plan entry `stale-reference:demo-secure-ops@2.0:DSO-2-04:C-INC` (planned, ticket SEC-9) is done"),
        "{stdout}"
    );
    let plan = std::fs::read_to_string(dir.path().join("plan.yaml")).unwrap();
    assert_eq!(plan, "plan: []\n");
    let out = reqgap(&args("gaps"));
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
}

/// The management report in Markdown shows the plan beside each planned gap too.
#[test]
fn the_management_report_in_markdown_shows_the_plan() {
    let analysed = Analysis::new(PLAN, date("2027-05-01")).run().unwrap();
    let report = analysed.management_report(&History::default());
    let markdown = report.to_markdown();
    assert!(
        markdown.contains("[plan: blocked, https://tickets.example.test/SEC-4712; customer notice needs legal sign-off]"),
        "{markdown}"
    );
}
