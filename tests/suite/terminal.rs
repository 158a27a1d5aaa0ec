//! Terminal behaviour that trycmd cannot express well: generated completion scripts and
//! man pages, table width against COLUMNS, and colour choices.

use std::process::{Command, Output};

fn reqgap(args: &[&str], env: &[(&str, &str)]) -> Output {
    let mut command = Command::new(env!("CARGO_BIN_EXE_reqgap"));
    command
        .args(args)
        .env_remove("NO_COLOR")
        .env_remove("COLUMNS");
    for (key, value) in env {
        command.env(key, value);
    }
    command.output().expect("reqgap runs")
}

fn stdout(output: &Output) -> String {
    String::from_utf8_lossy(&output.stdout).into_owned()
}

#[test]
fn completions_cover_every_subcommand_in_every_shell() {
    for shell in ["bash", "zsh", "fish", "powershell"] {
        let output = reqgap(&["completions", shell], &[]);
        assert_eq!(output.status.code(), Some(0), "{shell}");
        let script = stdout(&output);
        for command in ["gaps", "check", "validate", "completions", "man"] {
            assert!(script.contains(command), "{shell} lacks {command}");
        }
    }
    let bash = stdout(&reqgap(&["completions", "bash"], &[]));
    assert!(
        bash.contains("complete -F _reqgap"),
        "a bash completion function"
    );
    let refused = reqgap(&["completions", "tcsh"], &[]);
    assert_eq!(refused.status.code(), Some(2));
}

#[test]
fn man_prints_a_roff_page_and_writes_one_per_subcommand() {
    let page = stdout(&reqgap(&["man"], &[]));
    assert!(
        page.starts_with(".ie \\n(.g .ds Aq"),
        "roff: {}",
        &page[..40]
    );
    assert!(page.contains(".TH reqgap 1"));
    let dir = tempfile::tempdir().unwrap();
    let target = dir.path().join("man").join("man1");
    let output = reqgap(&["man", "--dir", target.to_str().unwrap()], &[]);
    assert_eq!(output.status.code(), Some(0));
    for page in ["reqgap.1", "reqgap-gaps.1", "reqgap-check.1"] {
        assert!(target.join(page).is_file(), "{page}");
    }
}

/// Piped output wraps to COLUMNS, else to 100 columns; no line is wider.
#[test]
fn piped_tables_fit_columns_or_100() {
    let args = [
        "gaps",
        "examples/trust-service-provider",
        "--today",
        "2026-11-26",
    ];
    let widest = |env: &[(&str, &str)]| {
        stdout(&reqgap(&args, env))
            .lines()
            .map(|l| l.chars().count())
            .max()
            .unwrap_or(0)
    };
    assert_eq!(widest(&[]), 100);
    assert!(widest(&[("COLUMNS", "80")]) <= 80);
    assert!(widest(&[("COLUMNS", "200")]) > 100);
    let check = stdout(&reqgap(
        &[
            "check",
            "examples/trust-service-provider",
            "--today",
            "2026-11-26",
        ],
        &[("COLUMNS", "80")],
    ));
    assert!(check.lines().all(|l| l.chars().count() <= 80), "{check}");
}

/// Colour only when asked for or on a terminal; NO_COLOR turns `auto` off, and an explicit
/// `--color always` wins over it.
#[test]
fn colour_follows_the_flag_and_no_color() {
    let args = [
        "gaps",
        "tests/fixtures/inventories/check/mixed",
        "--today",
        "2026-10-01",
    ];
    let has_ansi = |extra: &[&str], env: &[(&str, &str)]| {
        let mut all = args.to_vec();
        all.extend_from_slice(extra);
        stdout(&reqgap(&all, env)).contains("\x1b[")
    };
    assert!(!has_ansi(&[], &[]), "piped output is plain");
    assert!(has_ansi(&["--color", "always"], &[]));
    assert!(has_ansi(&["--color", "always"], &[("NO_COLOR", "1")]));
    assert!(!has_ansi(&["--color", "never"], &[]));
    assert!(!has_ansi(&["--color", "auto"], &[("NO_COLOR", "1")]));
}
