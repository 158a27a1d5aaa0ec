//! Edits that never lose data: a run stopped dead between two files is reported by every
//! later run and finished or rolled back on request; a file keeps its mode, its hard links
//! and its symbolic link; a file changed since planning is not overwritten.

use std::fs;
use std::path::{Path, PathBuf};
use std::process::Command;

use chrono::NaiveDate;
use reqgap::diag::Code;
use reqgap::edit::migrate::{self, Migration};
use reqgap::edit::ChangeSet;
use reqgap::gaps::DiffBridge;
use reqgap::model::CatalogKey;
use reqgap::source::inventory::PathRule;
use reqgap::source::journal::{self, CommitHooks, Direction, Next};
use reqgap::Analysis;

use crate::support::copy_dir;

const EXAMPLE: &str = "examples/trust-service-provider";

fn today() -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, 11, 26).unwrap()
}

fn example_copy() -> (tempfile::TempDir, PathBuf) {
    let temp = tempfile::tempdir().unwrap();
    let dir = temp.path().join("inventory");
    copy_dir(Path::new(EXAMPLE), &dir);
    (temp, dir)
}

fn analyse(dir: &Path) -> Result<reqgap::Analysed, reqgap::diag::Diagnostics> {
    Analysis::new(dir, today())
        .path_rule(PathRule::Anywhere)
        .run()
}

fn plan(dir: &Path) -> Migration {
    try_plan(dir).unwrap()
}

/// Every file below `dir` with its content, sorted.
fn tree(dir: &Path) -> Vec<(String, Vec<u8>)> {
    let mut all = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(folder) = stack.pop() {
        for entry in fs::read_dir(&folder).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                stack.push(path);
            } else {
                let name = path.strip_prefix(dir).unwrap().display().to_string();
                all.push((name, fs::read(&path).unwrap()));
            }
        }
    }
    all.sort();
    all
}

fn temporary_files(dir: &Path) -> Vec<String> {
    tree(dir)
        .into_iter()
        .map(|(name, _)| name)
        .filter(|name| name.contains(".reqgap-") || name.ends_with(".tmp"))
        .collect()
}

/// Stops dead (as `kill -9` would) before the `at`-th file is put in place.
struct KillBefore {
    at: usize,
}

impl CommitHooks for KillBefore {
    fn before_install(&mut self, index: usize) -> Next {
        if index == self.at {
            Next::Abandon
        } else {
            Next::Go
        }
    }
}

fn codes(problems: &reqgap::diag::Diagnostics) -> Vec<Code> {
    problems.iter().map(|d| d.code).collect()
}

#[test]
fn a_migration_killed_between_files_is_reported_until_it_is_finished() {
    let (_temp, dir) = example_copy();
    let migration = plan(&dir);
    let files = migration.changes.files.len();
    assert!(files >= 3, "the example migration edits several files");
    let before = tree(&dir);
    let (_done, expected) = {
        let (temp, other) = example_copy();
        plan(&other)
            .changes
            .commit(&other, "reqgap migrate")
            .unwrap();
        (temp, tree(&other))
    };
    for at in [0, 1, files / 2, files - 1] {
        let mut hooks = KillBefore { at };
        let changes: &ChangeSet = &migration.changes;
        assert!(changes
            .commit_with(&dir, "reqgap migrate", &mut hooks)
            .is_err());

        let problems = analyse(&dir).map(|_| ()).unwrap_err();
        assert_eq!(
            codes(&problems),
            [Code::UnfinishedEdit],
            "killed before file {at}"
        );
        let message = problems.to_string();
        assert!(
            message.contains(&format!("{at} hold the new content")),
            "{message}"
        );
        assert!(message.contains("--finish"), "{message}");
        assert!(!temporary_files(&dir).is_empty());

        let done = journal::recover(&dir, Direction::Finish).unwrap().unwrap();
        assert_eq!(done.written.len(), files - at);
        assert_eq!(
            tree(&dir),
            expected,
            "finished after a kill before file {at}"
        );
        assert!(analyse(&dir).is_ok());

        // Back to the start for the next trial, through the other way out.
        for (name, bytes) in &before {
            fs::write(dir.join(name), bytes).unwrap();
        }
    }
}

#[test]
fn a_killed_migration_rolls_back_to_the_files_as_they_were() {
    let (_temp, dir) = example_copy();
    let before = tree(&dir);
    let migration = plan(&dir);
    let mut hooks = KillBefore { at: 2 };
    assert!(migration
        .changes
        .commit_with(&dir, "reqgap migrate", &mut hooks)
        .is_err());
    assert!(journal::recover(&dir, Direction::RollBack)
        .unwrap()
        .is_some());
    assert_eq!(tree(&dir), before);
    assert!(journal::recover(&dir, Direction::Finish).unwrap().is_none());
}

#[test]
fn a_file_changed_after_the_kill_is_named_and_nothing_is_written() {
    let (_temp, dir) = example_copy();
    let migration = plan(&dir);
    let mut hooks = KillBefore { at: 1 };
    assert!(migration
        .changes
        .commit_with(&dir, "reqgap migrate", &mut hooks)
        .is_err());
    let first = &migration.changes.files[0].path;
    fs::write(first, "someone's own edit\n").unwrap();
    let state = tree(&dir);
    let problems = journal::recover(&dir, Direction::Finish).unwrap_err();
    assert_eq!(codes(&problems), [Code::UnfinishedEdit]);
    assert!(problems.to_string().contains("neither"), "{problems}");
    assert_eq!(tree(&dir), state);
}

#[test]
fn copies_left_by_a_run_killed_before_its_journal_are_removed_by_the_next_run() {
    let (_temp, dir) = example_copy();
    let pid = 4711;
    fs::write(
        dir.join(format!("controls/.gov.yaml.{pid}.reqgap-new")),
        "half",
    )
    .unwrap();
    fs::write(dir.join(format!(".reqgap-journal.{pid}.tmp")), "").unwrap();
    let analysed = analyse(&dir).unwrap();
    let warnings: Vec<&reqgap::diag::Diagnostic> = analysed
        .warnings
        .iter()
        .filter(|w| w.code == Code::LeftoverRemoved)
        .collect();
    assert_eq!(warnings.len(), 2, "{warnings:?}");
    assert!(temporary_files(&dir).is_empty());
}

#[test]
fn a_second_edit_is_refused_while_a_journal_exists() {
    let (_temp, dir) = example_copy();
    let migration = plan(&dir);
    let mut hooks = KillBefore { at: 0 };
    assert!(migration
        .changes
        .commit_with(&dir, "reqgap migrate", &mut hooks)
        .is_err());
    let state = tree(&dir);
    let problems = migration
        .changes
        .commit(&dir, "reqgap migrate")
        .unwrap_err();
    assert_eq!(codes(&problems), [Code::UnfinishedEdit]);
    assert_eq!(tree(&dir), state);
}

#[test]
fn a_file_changed_since_planning_is_not_overwritten() {
    let (_temp, dir) = example_copy();
    let migration = plan(&dir);
    let victim = migration.changes.files[1].path.clone();
    let mut text = fs::read_to_string(&victim).unwrap();
    text.push_str("# appended while migrate ran\n");
    fs::write(&victim, &text).unwrap();
    let before = tree(&dir);
    let problems = migration
        .changes
        .commit(&dir, "reqgap migrate")
        .unwrap_err();
    assert_eq!(codes(&problems), [Code::ChangedDuringEdit]);
    assert_eq!(tree(&dir), before);
}

#[cfg(unix)]
mod unix {
    use std::os::unix::fs::{symlink, MetadataExt as _, PermissionsExt as _};

    use super::*;

    #[test]
    fn an_edited_file_keeps_its_mode() {
        let (_temp, dir) = example_copy();
        let migration = plan(&dir);
        let path = migration.changes.files[0].path.clone();
        fs::set_permissions(&path, fs::Permissions::from_mode(0o600)).unwrap();
        let group = migration.changes.files[1].path.clone();
        fs::set_permissions(&group, fs::Permissions::from_mode(0o664)).unwrap();
        migration.changes.commit(&dir, "reqgap migrate").unwrap();
        assert_eq!(fs::metadata(&path).unwrap().mode() & 0o7777, 0o600);
        assert_eq!(fs::metadata(&group).unwrap().mode() & 0o7777, 0o664);
        assert_eq!(
            fs::read_to_string(&path).unwrap(),
            migration.changes.files[0].new
        );
    }

    #[test]
    fn a_hard_linked_file_shows_the_edit_under_both_names() {
        let (temp, dir) = example_copy();
        let migration = plan(&dir);
        let path = migration.changes.files[0].path.clone();
        let other_name = temp.path().join("other-name.yaml");
        fs::hard_link(&path, &other_name).unwrap();
        let inode = fs::metadata(&path).unwrap().ino();
        migration.changes.commit(&dir, "reqgap migrate").unwrap();
        let new = &migration.changes.files[0].new;
        assert_eq!(&fs::read_to_string(&other_name).unwrap(), new);
        assert_eq!(fs::metadata(&path).unwrap().ino(), inode);
        assert!(temporary_files(&dir).is_empty());
    }

    #[test]
    fn a_symlinked_control_file_stays_a_link_and_its_target_is_edited() {
        let (_temp, dir) = example_copy();
        let path = plan(&dir).changes.files[0].path.clone();
        let target = dir.join("kept-elsewhere.yaml");
        fs::rename(&path, &target).unwrap();
        symlink("../kept-elsewhere.yaml", &path).unwrap();
        let migration = plan(&dir);
        migration.changes.commit(&dir, "reqgap migrate").unwrap();
        assert!(fs::symlink_metadata(&path)
            .unwrap()
            .file_type()
            .is_symlink());
        let edited = migration.changes.files.iter().find(|f| f.path == path);
        assert_eq!(fs::read_to_string(&target).unwrap(), edited.unwrap().new);
        assert!(temporary_files(&dir).is_empty());
    }
}

fn reqgap(args: &[&str], cwd: &Path) -> std::process::Output {
    Command::new(env!("CARGO_BIN_EXE_reqgap"))
        .args(args)
        .current_dir(cwd)
        .env("NO_COLOR", "1")
        .output()
        .unwrap()
}

#[test]
fn check_fails_on_an_unfinished_edit_and_migrate_finish_completes_it() {
    let (temp, dir) = example_copy();
    let migration = plan(&dir);
    let mut hooks = KillBefore { at: 1 };
    assert!(migration
        .changes
        .commit_with(&dir, "reqgap migrate", &mut hooks)
        .is_err());
    let check = reqgap(
        &["check", "inventory", "--today", "2026-11-26"],
        temp.path(),
    );
    assert_eq!(check.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&check.stderr);
    assert!(stderr.contains("unfinished-edit"), "{stderr}");
    assert!(
        stderr.contains("reqgap migrate inventory --finish"),
        "{stderr}"
    );

    let finish = reqgap(&["migrate", "inventory", "--finish"], temp.path());
    assert_eq!(finish.status.code(), Some(0), "{finish:?}");
    assert!(String::from_utf8_lossy(&finish.stdout).starts_with("Finished `reqgap migrate`"));
    assert!(temporary_files(&dir).is_empty());
    let validate = reqgap(
        &["validate", "inventory", "--today", "2026-11-26"],
        temp.path(),
    );
    assert_eq!(validate.status.code(), Some(0), "{validate:?}");
}

#[test]
fn import_controls_never_replaces_an_existing_file_without_force() {
    let temp = tempfile::tempdir().unwrap();
    let csv = temp.path().join("register.csv");
    fs::write(
        &csv,
        "Control ID,Name,Owner,ETSI requirements\nGOV-01,Policy,ciso,REQ-5-01\n",
    )
    .unwrap();
    let out = temp.path().join("controls");
    let args = [
        "import",
        "controls",
        "register.csv",
        "--target",
        "etsi-en-319-401@3.2.1",
        "--map",
        "id=Control ID,title=Name,owner=Owner,satisfies=ETSI requirements",
        "-o",
        "controls",
    ];
    let first = reqgap(&args, temp.path());
    assert_eq!(first.status.code(), Some(0), "{first:?}");
    let written = tree(&out);
    assert_eq!(written.len(), 1);
    let name = written[0].0.clone();
    for in_the_way in ["kept by hand\n", "\u{FFFD} not \u{1} utf-8"] {
        fs::write(out.join(&name), in_the_way).unwrap();
        let again = reqgap(&args, temp.path());
        assert_eq!(again.status.code(), Some(2));
        assert!(String::from_utf8_lossy(&again.stderr).contains("--force"));
        assert_eq!(fs::read_to_string(out.join(&name)).unwrap(), in_the_way);
    }
    fs::write(out.join(&name), [0xFF, 0xFE]).unwrap();
    assert_eq!(reqgap(&args, temp.path()).status.code(), Some(2));
    assert_eq!(fs::read(out.join(&name)).unwrap(), [0xFF, 0xFE]);
    let mut forced = args.to_vec();
    forced.push("--force");
    fs::write(out.join(&name), "kept by hand\n").unwrap();
    assert_eq!(reqgap(&forced, temp.path()).status.code(), Some(0));
    assert_eq!(tree(&out), written);
}

/// A copy of `tests/fixtures/migrate/<name>` whose reqgap.yaml names the demo catalogs by
/// absolute path.
fn fixture_copy(name: &str) -> (tempfile::TempDir, PathBuf) {
    let temp = tempfile::tempdir().unwrap();
    let dir = temp.path().join(name);
    copy_dir(&Path::new("tests/fixtures/migrate").join(name), &dir);
    let config = fs::read_to_string(dir.join("reqgap.yaml")).unwrap();
    let catalogs = fs::canonicalize("tests/fixtures/catalogs/demo").unwrap();
    let config = config.replace("../../catalogs/demo", catalogs.to_str().unwrap());
    fs::write(dir.join("reqgap.yaml"), &config).unwrap();
    (temp, dir)
}

/// The `needs-review` gaps of mappings whose requirement changed since they were reviewed
/// (not those `migrate` carried across the reconstructed catalog, which are confirmed
/// where they stand).
fn needs_review(dir: &Path) -> Vec<String> {
    analyse(dir)
        .unwrap()
        .report
        .gaps
        .iter()
        .filter(|g| g.kind == reqgap::gaps::GapKind::NeedsReview)
        .filter(|g| !matches!(g.cause, reqgap::gaps::Cause::AssumedCarry { .. }))
        .map(|g| g.key.to_string())
        .collect()
}

#[test]
fn review_through_a_shared_anchor_is_refused_naming_both_places() {
    let (_temp, dir) = fixture_copy("basic");
    plan(&dir).changes.commit(&dir, "reqgap migrate").unwrap();
    let controls = dir.join("controls/controls.yaml");
    let text = fs::read_to_string(&controls).unwrap();
    // The two entries that need review share their version through an anchor.
    let mut shared = String::new();
    let mut seen = 0;
    for line in text.split_inclusive('\n') {
        match line.split_once("reviewed-against: ") {
            Some((lead, value)) if value.contains("1.0") => {
                seen += 1;
                let value = if seen == 1 {
                    format!("&v {value}")
                } else {
                    "*v\n".to_owned()
                };
                shared.push_str(&format!("{lead}reviewed-against: {value}"));
            }
            _ => shared.push_str(line),
        }
    }
    assert!(seen >= 2, "{text}");
    fs::write(&controls, &shared).unwrap();
    let open = needs_review(&dir);
    assert_eq!(open.len(), 2, "{open:?}");

    let review = |key: &str| {
        let analysed = analyse(&dir).unwrap();
        let loaded = &analysed.loaded;
        let patterns = vec![key.to_owned()];
        let request = reqgap::edit::review::Request {
            patterns: &patterns,
            by: "incident-lead",
            note: None,
            today: today(),
        };
        let bridge = DiffBridge::new(&analysed.transitions);
        reqgap::edit::review::plan(
            &loaded.inventory,
            &loaded.catalogs,
            &bridge,
            &analysed.report,
            &request,
        )
        .map(|review| review.changes)
    };
    // The entry holding the anchor: its edit would change the other entry too.
    let anchored = open.iter().find(|k| k.ends_with(":C-POL")).unwrap();
    let problems = review(anchored).unwrap_err();
    assert_eq!(codes(&problems), [Code::SharedAnchor], "{problems}");
    let message = problems.to_string();
    assert!(message.contains("`&v` at line"), "{message}");
    assert!(message.contains("alias `*v`"), "{message}");
    assert_eq!(fs::read_to_string(&controls).unwrap(), shared);

    // The entry holding the alias gets a value of its own; the other keeps its gap.
    let aliased = open.iter().find(|k| k.ends_with(":C-INC")).unwrap();
    review(aliased)
        .unwrap()
        .commit(&dir, "reqgap review")
        .unwrap();
    assert_eq!(needs_review(&dir), std::slice::from_ref(anchored));
    let text = fs::read_to_string(&controls).unwrap();
    assert!(text.contains("&v '1.0'"), "{text}");
    assert!(!text.contains("*v"), "{text}");
}

fn try_plan(dir: &Path) -> Result<Migration, reqgap::diag::Diagnostics> {
    let analysed = analyse(dir).unwrap();
    let loaded = &analysed.loaded;
    let targets: Vec<CatalogKey> = loaded
        .inventory
        .targets
        .iter()
        .map(|t| t.catalog.clone())
        .collect();
    let bridge = DiffBridge::new(&analysed.transitions);
    migrate::plan(
        &loaded.inventory,
        &loaded.catalogs,
        &bridge,
        &analysed.report,
        &targets,
    )
}

const SPLIT_ENTRY: &str = "      - standard: demo-secure-ops
        reviewed-against: '1.0'      # single-quoted on purpose
        requirements: [DSO-1.1-01, DSO-1.1-02]";

#[test]
fn a_flow_mapping_entry_is_refused_at_its_own_line_with_what_to_do() {
    let (_temp, dir) = fixture_copy("basic");
    let controls = dir.join("controls/controls.yaml");
    let text = fs::read_to_string(&controls).unwrap().replace(
        SPLIT_ENTRY,
        "      - {standard: demo-secure-ops, reviewed-against: '1.0', requirements: [DSO-1.1-01, DSO-1.1-02]}",
    );
    fs::write(&controls, &text).unwrap();
    let problems = try_plan(&dir).map(|_| ()).unwrap_err();
    assert_eq!(codes(&problems), [Code::EditFailed]);
    let problem = problems.iter().next().unwrap();
    let location = problem.location.as_ref().unwrap();
    assert_eq!(location.line, Some(13));
    assert!(location
        .snippet
        .as_ref()
        .unwrap()
        .text
        .contains("- {standard"));
    assert!(problem.message.contains("flow mapping"), "{problems}");
    assert!(problem.notes[0].contains("block mapping"), "{problems}");
}

#[test]
fn an_entry_with_extra_spaces_after_the_dash_is_split_in_its_own_style() {
    let (_temp, dir) = fixture_copy("basic");
    let controls = dir.join("controls/controls.yaml");
    let spaced = "      -   standard: demo-secure-ops
          reviewed-against: '1.0'      # single-quoted on purpose
          requirements: [DSO-1.1-01, DSO-1.1-02]";
    let text = fs::read_to_string(&controls)
        .unwrap()
        .replace(SPLIT_ENTRY, spaced);
    fs::write(&controls, &text).unwrap();
    try_plan(&dir)
        .unwrap()
        .changes
        .commit(&dir, "reqgap migrate")
        .unwrap();
    let after = fs::read_to_string(&controls).unwrap();
    assert!(
        after.contains("          requirements: [DSO-1.1-02]\n      -   standard: demo-secure-ops\n          reviewed-against: \"2.0\"\n"),
        "{after}"
    );
    assert!(analyse(&dir).is_ok());
}

#[cfg(unix)]
#[test]
fn a_control_file_whose_name_is_not_utf8_is_named_as_such() {
    use std::os::unix::ffi::OsStrExt as _;
    let (_temp, dir) = example_copy();
    let odd = dir.join(std::ffi::OsStr::from_bytes(b"controls/acc\xff.yaml"));
    fs::rename(dir.join("controls/access.yaml"), &odd).unwrap();
    let before = tree(&dir);
    let analysed = analyse(&dir).unwrap();
    let loaded = &analysed.loaded;
    let targets: Vec<CatalogKey> = loaded
        .inventory
        .targets
        .iter()
        .map(|t| t.catalog.clone())
        .collect();
    let bridge = DiffBridge::new(&analysed.transitions);
    let problems = migrate::plan(
        &loaded.inventory,
        &loaded.catalogs,
        &bridge,
        &analysed.report,
        &targets,
    )
    .map(|_| ())
    .unwrap_err();
    assert_eq!(codes(&problems), [Code::EditFailed]);
    assert!(
        problems.to_string().contains("not valid UTF-8"),
        "{problems}"
    );
    assert_eq!(tree(&dir), before);
}

#[test]
fn reviewing_a_split_and_merged_entry_keeps_its_comments_quoting_and_block_note() {
    let (_temp, dir) = example_copy();
    let file = dir.join("controls/access.yaml");
    let entry = "      - standard: etsi-en-319-401
        reviewed-against: 2.3.1
        requirements: [REQ-7.4-04, REQ-7.4-05]
";
    let kept = "      - standard: 'etsi-en-319-401'   # quoted on purpose
        # checked with HR in 2025
        reviewed-against: 2.3.1
        requirements: [REQ-7.4-04, REQ-7.4-05]
        note: |
          Leavers are reconciled quarterly.
          Second line.
";
    let text = fs::read_to_string(&file).unwrap();
    assert!(text.contains(entry));
    fs::write(&file, text.replacen(entry, kept, 1)).unwrap();
    plan(&dir).changes.commit(&dir, "reqgap migrate").unwrap();

    let analysed = analyse(&dir).unwrap();
    let loaded = &analysed.loaded;
    let patterns: Vec<String> = ["02", "07", "08"]
        .iter()
        .map(|n| format!("needs-review:etsi-en-319-401@3.2.1:REQ-7.4.1-{n}:ACC-02"))
        .collect();
    let request = reqgap::edit::review::Request {
        patterns: &patterns,
        by: "it-operations-lead",
        note: Some("checked"),
        today: today(),
    };
    let bridge = DiffBridge::new(&analysed.transitions);
    let review = reqgap::edit::review::plan(
        &loaded.inventory,
        &loaded.catalogs,
        &bridge,
        &analysed.report,
        &request,
    )
    .unwrap();
    review.changes.commit(&dir, "reqgap review").unwrap();
    let after = fs::read_to_string(&file).unwrap();
    let expected = "      - standard: 'etsi-en-319-401'   # quoted on purpose
        # checked with HR in 2025
        reviewed-against: 3.2.1
        requirements: [REQ-7.4.1-02, REQ-7.4.1-07, REQ-7.4.1-08]
        note: |
          Reviewed against 3.2.1 by it-operations-lead on 2026-11-26: checked
          Leavers are reconciled quarterly.
          Second line.
";
    assert!(after.contains(expected), "{after}");
    assert!(analyse(&dir).is_ok());
}
