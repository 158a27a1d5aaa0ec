//! How much a diff costs on top of reading its input: `reqgap diff A.yaml B.yaml --format
//! json` against `reqgap validate A.yaml B.yaml` on the same two catalog files, each timed
//! as a whole command (process start, bundled data, parsing, work, output).
//!
//! `cargo build --release && cargo run --release --example diff_vs_validate -- [N]`
//! (default 20000 requirements per catalog; the binary is taken from
//! `target/release/reqgap`, or from `$REQGAP_BIN`). Prints both times and their ratio, as
//! wall-clock time and as CPU time (user + system of the child process, which other work
//! on the machine barely disturbs); the target is a ratio of at most 1.5.

#[path = "support/synthetic.rs"]
mod synthetic;

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::Instant;

use reqgap::source::catalog::{render_file, to_file};
use synthetic::{children_cpu_seconds, pair, reqgap_binary, Rng};

/// The best of `runs` runs: (wall-clock seconds, CPU seconds).
fn time(binary: &Path, args: &[&str], runs: usize) -> (f64, f64) {
    (0..runs)
        .map(|_| {
            let cpu_before = children_cpu_seconds();
            let start = Instant::now();
            let status = Command::new(binary)
                .args(args)
                .stdout(Stdio::null())
                .stderr(Stdio::null())
                .status()
                .expect("reqgap runs");
            assert!(status.success(), "reqgap {args:?} failed");
            (
                start.elapsed().as_secs_f64(),
                children_cpu_seconds() - cpu_before,
            )
        })
        .fold((f64::INFINITY, f64::INFINITY), |(w, c), (wall, cpu)| {
            (w.min(wall), c.min(cpu))
        })
}

fn main() {
    let n: usize = std::env::args()
        .nth(1)
        .and_then(|a| a.parse().ok())
        .unwrap_or(20_000);
    let binary = reqgap_binary();
    assert!(
        binary.exists(),
        "build the binary first: cargo build --release"
    );
    let dir = std::env::temp_dir().join(format!("reqgap-diff-vs-validate-{n}"));
    std::fs::create_dir_all(&dir).expect("temp folder");
    let (old, new) = pair(n, &mut Rng(0x5eed_d1ff_0f0f_0001));
    let paths: Vec<PathBuf> = [("1.yaml", &old), ("2.yaml", &new)]
        .into_iter()
        .map(|(name, catalog)| {
            let path = dir.join(name);
            let text = render_file(&to_file(catalog)).expect("renders");
            std::fs::write(&path, text).expect("writes");
            path
        })
        .collect();
    let a = paths[0].to_str().expect("utf-8 path");
    let b = paths[1].to_str().expect("utf-8 path");
    let (validate_wall, validate_cpu) = time(&binary, &["validate", a, b], 5);
    let (diff_wall, diff_cpu) = time(&binary, &["diff", a, b, "--format", "json"], 5);
    println!(
        "{n} requirements per catalog (best of 5):\n  wall: validate {validate_wall:.3} s, diff --format json {diff_wall:.3} s, ratio {:.2}\n  CPU:  validate {validate_cpu:.3} s, diff --format json {diff_cpu:.3} s, ratio {:.2} (target at most 1.5)",
        diff_wall / validate_wall,
        diff_cpu / validate_cpu
    );
}
