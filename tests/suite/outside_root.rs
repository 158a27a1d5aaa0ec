//! Files that lead outside the repository (by a symbolic link) are not read, and nothing of
//! them reaches a log: not in errors, not in `::error` annotations, not in SARIF. The
//! repository is the folder reqgap runs in; a pull request can replace any file in it with
//! a link to `/proc/self/environ`.
#![cfg(unix)]

use std::fs;
use std::os::unix::fs::symlink;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use crate::support::copy_dir;

const SECRET: &str = "GH_TOKEN: do-not-print-me-3141\n";

/// A repository folder holding a copy of the example inventory, and a secret beside it.
struct Setup {
    _temp: tempfile::TempDir,
    repo: PathBuf,
    secret: PathBuf,
}

fn setup() -> Setup {
    let temp = tempfile::tempdir().unwrap();
    let repo = temp.path().join("repo");
    copy_dir(Path::new("examples/trust-service-provider"), &repo);
    let secret = temp.path().join("secret.yaml");
    fs::write(&secret, SECRET).unwrap();
    Setup {
        _temp: temp,
        repo,
        secret,
    }
}

fn reqgap(cwd: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_reqgap"))
        .args(args)
        .current_dir(cwd)
        .env("NO_COLOR", "1")
        .output()
        .unwrap()
}

/// Exit 2, `path-outside-root` named, and not a byte of the secret in any output.
fn assert_refused_unread(output: &Output) {
    let all = format!(
        "{}{}",
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    );
    assert_eq!(output.status.code(), Some(2), "{all}");
    assert!(all.contains("path-outside-root"), "{all}");
    assert!(!all.contains("do-not-print"), "{all}");
    assert!(!all.contains("GH_TOKEN"), "{all}");
}

#[test]
fn a_symlinked_reqgap_yaml_is_not_read_in_any_format() {
    let s = setup();
    fs::remove_file(s.repo.join("reqgap.yaml")).unwrap();
    symlink(&s.secret, s.repo.join("reqgap.yaml")).unwrap();
    assert_refused_unread(&reqgap(&s.repo, &["validate", "."]));
    for format in ["github", "sarif", "json", "junit"] {
        assert_refused_unread(&reqgap(&s.repo, &["check", ".", "--format", format]));
    }
}

#[test]
fn a_symlinked_file_in_a_catalogs_folder_named_on_the_command_line_is_not_read() {
    let s = setup();
    fs::create_dir(s.repo.join("catalogs")).unwrap();
    symlink(&s.secret, s.repo.join("catalogs/evil.yaml")).unwrap();
    assert_refused_unread(&reqgap(&s.repo, &["catalogs", "--catalogs", "catalogs"]));
    assert_refused_unread(&reqgap(&s.repo, &["gaps", ".", "--catalogs", "catalogs"]));
    assert_refused_unread(&reqgap(&s.repo, &["validate", "catalogs"]));
}

#[test]
fn symlinked_mappings_crosswalks_history_and_baseline_files_are_not_read() {
    let s = setup();
    for folder in ["mappings", "crosswalks", "history"] {
        fs::create_dir(s.repo.join(folder)).unwrap();
    }
    symlink(&s.secret, s.repo.join("mappings/evil.yaml")).unwrap();
    symlink(&s.secret, s.repo.join("crosswalks/evil.yaml")).unwrap();
    symlink(&s.secret, s.repo.join("history/gaps-2026-01-01.json")).unwrap();
    symlink(&s.secret, s.repo.join("baseline.json")).unwrap();
    assert_refused_unread(&reqgap(&s.repo, &["gaps", ".", "--mappings", "mappings"]));
    assert_refused_unread(&reqgap(
        &s.repo,
        &["gaps", ".", "--crosswalks", "crosswalks"],
    ));
    let history = ["report", ".", "--history", "history", "-o", "r.html"];
    assert_refused_unread(&reqgap(&s.repo, &history));
    assert_refused_unread(&reqgap(
        &s.repo,
        &["check", ".", "--baseline", "baseline.json"],
    ));
}

#[test]
fn allowed_outside_files_are_read_but_never_quoted() {
    let s = setup();
    fs::remove_file(s.repo.join("reqgap.yaml")).unwrap();
    symlink(&s.secret, s.repo.join("reqgap.yaml")).unwrap();
    let output = reqgap(&s.repo, &["validate", ".", "--allow-outside-root"]);
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(2), "{stderr}");
    assert!(stderr.contains("unknown-key"), "{stderr}");
    assert!(!stderr.contains("do-not-print"), "{stderr}");
    assert!(!stderr.contains(" | "), "no line is quoted: {stderr}");
}

#[test]
fn files_inside_the_repository_reached_by_links_are_read_as_usual() {
    let s = setup();
    fs::rename(s.repo.join("reqgap.yaml"), s.repo.join("real-config.yaml")).unwrap();
    symlink("real-config.yaml", s.repo.join("reqgap.yaml")).unwrap();
    let output = reqgap(&s.repo, &["validate", ".", "--today", "2026-11-26"]);
    assert_eq!(output.status.code(), Some(0), "{output:?}");
}
