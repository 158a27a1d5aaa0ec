//! The worst hostile inputs we know (deep nesting, huge scalars, alias bombs, reused IDs,
//! …), each run through the release binary: wall time and peak memory (the child's
//! `ru_maxrss`) per command, against the bound of 2 s and 1 GB for any input under 64 MiB.
//!
//! `cargo build --release && cargo run --release --example hostile_bench [-- --oscal]`
//! (Linux and other Unix systems; the binary is taken from `target/release/reqgap`, or
//! from `$REQGAP_BIN`). `--oscal` adds case 4 (an OSCAL import of 20,000 controls sharing
//! one id), which needed 118 s and 19.6 GB before the importer's fix: run it only where
//! that is safe.
//!
//! The input files are written by a child process (`--generate DIR`): a child inherits
//! its parent's peak memory across `exec` on Linux, so a parent that had built a 60 MiB
//! string would inflate every figure.

use std::fs;
use std::path::{Path, PathBuf};

#[path = "support/hostile_pdfs.rs"]
mod hostile_pdfs;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

const TIME_LIMIT: Duration = Duration::from_secs(2);
const MEMORY_LIMIT_KIB: i64 = 1 << 20;

struct Case {
    name: &'static str,
    args: Vec<String>,
    cwd: PathBuf,
}

/// Set in the `--generate` child only: the case builders write their files.
static GENERATE: std::sync::atomic::AtomicBool = std::sync::atomic::AtomicBool::new(false);

fn generating() -> bool {
    GENERATE.load(std::sync::atomic::Ordering::Relaxed)
}

fn main() {
    let args: Vec<String> = std::env::args().collect();
    let with_oscal = args.iter().any(|a| a == "--oscal");
    if let Some(at) = args.iter().position(|a| a == "--generate") {
        GENERATE.store(true, std::sync::atomic::Ordering::Relaxed);
        cases(Path::new(&args[at + 1]), with_oscal);
        return;
    }
    let binary = std::env::var_os("REQGAP_BIN")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from("target/release/reqgap"));
    assert!(binary.is_file(), "build it first: cargo build --release");
    let binary = fs::canonicalize(binary).expect("binary path");
    let work = tempfile::tempdir().expect("temporary folder");
    let mut generator = Command::new(std::env::current_exe().expect("own path"));
    generator.arg("--generate").arg(work.path());
    if with_oscal {
        generator.arg("--oscal");
    }
    assert!(
        generator.status().expect("generate").success(),
        "generating inputs"
    );
    let cases = cases(work.path(), with_oscal);
    println!(
        "{:<44} {:>9} {:>10} {:>5}  within",
        "case", "seconds", "peak MiB", "exit"
    );
    let mut failed = 0;
    for case in &cases {
        let (took, peak_kib, code) = run(&binary, case);
        let within = took < TIME_LIMIT && peak_kib < MEMORY_LIMIT_KIB;
        failed += usize::from(!within);
        println!(
            "{:<44} {:>9.3} {:>10.1} {:>5}  {}",
            case.name,
            took.as_secs_f64(),
            peak_kib as f64 / 1024.0,
            code,
            if within { "yes" } else { "NO" }
        );
    }
    println!("{failed} of {} cases over 2 s or 1 GB", cases.len());
}

/// Runs one case and returns its wall time, peak resident memory (KiB) and exit code.
// The child is reaped by `wait4` (which also gives its peak memory), not by `Child::wait`.
#[allow(clippy::zombie_processes)]
fn run(binary: &Path, case: &Case) -> (Duration, i64, i32) {
    let started = Instant::now();
    let child = Command::new(binary)
        .args(&case.args)
        .current_dir(&case.cwd)
        .env("NO_COLOR", "1")
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("spawn reqgap");
    let pid = child.id() as libc::pid_t;
    let mut status = 0;
    // SAFETY: an all-zero rusage is a valid value; wait4 fills it for our own child,
    // which `Child` has not waited for.
    let mut usage: libc::rusage = unsafe { std::mem::zeroed() };
    let waited = unsafe { libc::wait4(pid, &mut status, 0, &mut usage) };
    assert_eq!(waited, pid, "wait4");
    let code = if libc::WIFEXITED(status) {
        libc::WEXITSTATUS(status)
    } else {
        -1
    };
    (started.elapsed(), usage.ru_maxrss, code)
}

fn write(path: &Path, text: &str) {
    if !generating() {
        return;
    }
    if let Some(parent) = path.parent() {
        fs::create_dir_all(parent).expect("folder");
    }
    fs::write(path, text).expect("write");
}

fn args(list: &[&str]) -> Vec<String> {
    list.iter().map(|s| s.to_string()).collect()
}

fn cases(work: &Path, with_oscal: bool) -> Vec<Case> {
    let repo = std::env::current_dir().expect("repository root");
    let inventory = inventory(work, &repo);
    let mut cases = vec![
        repeated_targets(&inventory),
        syntax_error_then_nesting(work),
        long_show_cell(work, &repo),
        symlink_loops(&inventory),
        large_catalog(work, &repo),
        largest_catalog(work, &repo),
        many_tiny_nodes(work),
        deep_flow_nesting(work),
        alias_bomb(work),
    ];
    cases.extend(devices_and_fifos(work));
    cases.extend(hostile_pdf_cases(work));
    if with_oscal {
        cases.push(oscal_duplicate_ids(work));
    }
    cases
}

/// Crafted PDFs through `import etsi` (each ends with exit 2: no catalog in them).
fn hostile_pdf_cases(work: &Path) -> Vec<Case> {
    type Generator = fn() -> Vec<u8>;
    let list: [(&'static str, &str, Generator); 7] = [
        (
            "PDF: 16 MiB of operators from a small stream",
            "inflate.pdf",
            hostile_pdfs::inflating_operators,
        ),
        ("PDF: 200,000 pieces on one line", "line200k.pdf", || {
            hostile_pdfs::one_line_of_pieces(200_000)
        }),
        ("PDF: 1,000,000 pieces on one line", "line1m.pdf", || {
            hostile_pdfs::one_line_of_pieces(1_000_000)
        }),
        (
            "PDF: 2,000 pages share a 3 MiB stream",
            "shared.pdf",
            || hostile_pdfs::shared_stream(2_000),
        ),
        (
            "PDF: 1M glyphs, 200,000 width ranges",
            "widths.pdf",
            hostile_pdfs::huge_width_table,
        ),
        (
            "PDF: 100,000 lines at x = 1e12",
            "far.pdf",
            hostile_pdfs::far_positions,
        ),
        ("PDF: encrypted", "encrypted.pdf", hostile_pdfs::encrypted),
    ];
    list.into_iter()
        .map(|(name, file, generate)| {
            if generating() {
                fs::write(work.join(file), generate()).expect("write PDF");
            }
            Case {
                name,
                args: args(&["import", "etsi", file]),
                cwd: work.to_path_buf(),
            }
        })
        .collect()
}

/// A copy of the test inventory with the demo catalog inside it.
fn inventory(work: &Path, repo: &Path) -> PathBuf {
    let dir = work.join("inventory");
    let valid = repo.join("tests/fixtures/inventories/valid");
    for file in [
        "owners.yaml",
        "controls/governance.yaml",
        "controls/incidents.yaml",
    ] {
        write(
            &dir.join(file),
            &fs::read_to_string(valid.join(file)).expect("fixture"),
        );
    }
    let catalog = fs::read_to_string(repo.join("tests/fixtures/catalogs/demo/2.0.yaml"));
    write(&dir.join("catalogs/2.0.yaml"), &catalog.expect("fixture"));
    if !generating() {
        return dir;
    }
    let config = fs::read_to_string(valid.join("reqgap.yaml")).expect("fixture");
    write(
        &dir.join("reqgap.yaml"),
        &config.replace("../../catalogs/demo", "catalogs"),
    );
    dir
}

fn repeated_targets(inventory: &Path) -> Case {
    let dir = inventory.with_file_name("repeated-targets");
    if generating() {
        copy_dir(inventory, &dir);
        let mut config = fs::read_to_string(dir.join("reqgap.yaml")).expect("config");
        for _ in 0..300 {
            config.push_str("  - standard: demo-secure-ops\n    version: \"2.0\"\n");
        }
        write(&dir.join("reqgap.yaml"), &config);
    }
    Case {
        name: "1 300 repeated targets, check --format junit",
        args: args(&["check", ".", "--format", "junit", "--today", "2026-11-26"]),
        cwd: dir,
    }
}

fn syntax_error_then_nesting(work: &Path) -> Case {
    if generating() {
        let text = format!("a:\tb\nc: {}\n", "[".repeat(100_000));
        write(&work.join("tab.yaml"), &text);
    }
    Case {
        name: "2 tab, then 100 KB of [ (validate)",
        args: args(&["validate", "tab.yaml"]),
        cwd: work.to_path_buf(),
    }
}

fn long_show_cell(work: &Path, repo: &Path) -> Case {
    if generating() {
        let catalog = fs::read_to_string(repo.join("tests/fixtures/catalogs/demo/2.0.yaml"))
            .expect("fixture")
            .replace(
                "Approve a security policy and review it at least yearly.",
                &"x".repeat(1_000_000 - 1),
            );
        write(&work.join("long.yaml"), &catalog);
    }
    Case {
        name: "3 show table, 1,000,000-character text",
        args: args(&["show", "long.yaml", "DSO-1.1-01"]),
        cwd: work.to_path_buf(),
    }
}

fn symlink_loops(inventory: &Path) -> Case {
    let dir = inventory.with_file_name("symlink-loops");
    if generating() {
        copy_dir(inventory, &dir);
        #[cfg(unix)]
        for name in ["a", "b", "c"] {
            std::os::unix::fs::symlink(".", dir.join("controls").join(name)).expect("symlink");
        }
    }
    Case {
        name: "5 three symlink loops in controls/ (validate)",
        args: args(&["validate", ".", "--today", "2026-11-26"]),
        cwd: dir,
    }
}

/// The largest valid catalog under the node limit: 110,000 requirements of 400
/// characters (about 44 MiB).
fn large_catalog(work: &Path, repo: &Path) -> Case {
    valid_catalog(work, repo, "big.yaml", 110_000, 10);
    Case {
        name: "valid 44 MiB catalog (validate)",
        args: args(&["validate", "big.yaml"]),
        cwd: work.to_path_buf(),
    }
}

/// A valid catalog just under the 64 MiB input limit: 100,000 requirements of about 590
/// characters (60 MiB).
fn largest_catalog(work: &Path, repo: &Path) -> Case {
    valid_catalog(work, repo, "largest.yaml", 100_000, 15);
    Case {
        name: "valid 60 MiB catalog (validate)",
        args: args(&["validate", "largest.yaml"]),
        cwd: work.to_path_buf(),
    }
}

/// The demo catalog's header with `count` requirements whose text repeats a sentence
/// `repeats` times.
fn valid_catalog(work: &Path, repo: &Path, name: &str, count: usize, repeats: usize) {
    if !generating() {
        return;
    }
    let head =
        fs::read_to_string(repo.join("tests/fixtures/catalogs/demo/2.0.yaml")).expect("fixture");
    let head = &head[..head.find("requirements:").expect("requirements")];
    let mut text = format!("{head}requirements:\n");
    let words = "the provider shall keep a record of it ".repeat(repeats);
    for i in 0..count {
        text.push_str(&format!(
            "  - id: BIG-{i}\n    section: \"1.1\"\n    text: {words}{i}\n"
        ));
    }
    write(&work.join(name), &text);
}

/// 60 MiB of one-character scalars: the most nodes a file under the limit can hold.
fn many_tiny_nodes(work: &Path) -> Case {
    if generating() {
        let mut text = String::from("requirements: [");
        text.push_str(&"1,".repeat(30 << 20));
        text.push_str("1]\n");
        write(&work.join("tiny.yaml"), &text);
    }
    Case {
        name: "60 MiB of one-character scalars",
        args: args(&["validate", "tiny.yaml"]),
        cwd: work.to_path_buf(),
    }
}

fn deep_flow_nesting(work: &Path) -> Case {
    if generating() {
        let text = format!("a: {}{}\n", "[".repeat(30 << 20), "]".repeat(30 << 20));
        write(&work.join("deep.yaml"), &text);
    }
    Case {
        name: "60 MiB of nested [ ]",
        args: args(&["validate", "deep.yaml"]),
        cwd: work.to_path_buf(),
    }
}

fn alias_bomb(work: &Path) -> Case {
    if generating() {
        let mut text = String::from("a0: &a0 [x, x, x, x, x, x, x, x, x, x]\n");
        for level in 1..20 {
            let refs = vec![format!("*a{}", level - 1); 10].join(", ");
            text.push_str(&format!("a{level}: &a{level} [{refs}]\n"));
        }
        write(&work.join("bomb.yaml"), &text);
    }
    Case {
        name: "alias bomb (10^20 nodes expanded)",
        args: args(&["validate", "bomb.yaml"]),
        cwd: work.to_path_buf(),
    }
}

fn devices_and_fifos(work: &Path) -> Vec<Case> {
    let mut cases = vec![Case {
        name: "6 /dev/zero as a catalog",
        args: args(&["validate", "/dev/zero"]),
        cwd: work.to_path_buf(),
    }];
    let dir = work.join("inventory");
    let zero = work.join("zero-owners");
    if generating() {
        let config = fs::read_to_string(dir.join("reqgap.yaml")).expect("config");
        copy_dir(&dir, &zero);
        write(
            &zero.join("reqgap.yaml"),
            &config.replace("owners: owners.yaml", "owners: /dev/zero"),
        );
    }
    cases.push(Case {
        name: "6 owners: /dev/zero, --allow-outside-root",
        args: args(&["validate", ".", "--allow-outside-root"]),
        cwd: zero,
    });
    let fifo = work.join("fifo.yaml");
    if generating() {
        let _ = Command::new("mkfifo").arg(&fifo).status();
    }
    if fifo.exists() {
        cases.push(Case {
            name: "6 a FIFO as a catalog",
            args: args(&["validate", "fifo.yaml"]),
            cwd: work.to_path_buf(),
        });
    }
    cases
}

fn oscal_duplicate_ids(work: &Path) -> Case {
    if generating() {
        let control = r#"{"id":"ac-1","title":"T","parts":[{"id":"ac-1_smt","name":"statement","prose":"The organisation shall act."}]}"#;
        let controls = vec![control; 20_000].join(",");
        let text = format!(
            r#"{{"catalog":{{"uuid":"u","metadata":{{"title":"Dup","version":"1","oscal-version":"1.1.2","last-modified":"2024-01-01T00:00:00Z"}},"groups":[{{"id":"ac","title":"Access","controls":[{controls}]}}]}}}}"#
        );
        write(&work.join("dup.json"), &text);
    }
    Case {
        name: "4 import oscal, 20,000 controls with one id",
        args: args(&[
            "import",
            "oscal",
            "dup.json",
            "--standard",
            "dup",
            "-o",
            "out.yaml",
            "--force",
        ]),
        cwd: work.to_path_buf(),
    }
}

fn copy_dir(from: &Path, to: &Path) {
    for entry in fs::read_dir(from).expect("read folder") {
        let entry = entry.expect("entry");
        let target = to.join(entry.file_name());
        if entry.file_type().expect("type").is_dir() {
            copy_dir(&entry.path(), &target);
        } else {
            write(&target, &fs::read_to_string(entry.path()).expect("read"));
        }
    }
}
