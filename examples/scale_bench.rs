//! Scale benchmark: every command that reads a whole inventory, on inventories whose
//! mappings are spread across a large catalog (as a group-wide inventory or an imported
//! control framework has them), at growing sizes, with the growth factor between sizes.
//!
//! `cargo build --release && cargo run --release --example scale_bench -- [REQS:CONTROLS ...]`
//! (default `10000:4000 20000:8000 40000:16000 50000:20000`; Linux; the binary is
//! taken from `target/release/reqgap`, or from `$REQGAP_BIN`). For each size it writes, from
//! a fixed seed, a catalog pair (5% renumbered, 10% reworded, 3% added and 3% removed), 200
//! owners in an escalation tree and the controls (4 requirements each, drawn from the whole
//! catalog, a third against the older version; two controls to a file), then runs `validate`,
//! `gaps --format json`, `report` (HTML and xlsx), `graph` (the whole graph as DOT, and one
//! control as SVG) and `migrate --dry-run` as child processes, three runs each once the
//! files are flushed to disk, and prints a Markdown table of the median run's wall time, CPU
//! time and peak memory (each child's `ru_maxrss`) per command and size, the
//! growth of CPU time from the first size to the one with four times its requirements (else
//! the last), and the machine's load average before and after the run.
//! Targets: 4× the input costs at most 6× the time; at 50,000 + 20,000, validate, gaps and
//! report each under 3 s and 1 GB.
//!
//! Every command's output is kept under `$TMPDIR/reqgap-scale-REQS-CONTROLS/out/`, so that
//! two builds can be compared byte for byte. The files are written by a child process
//! (`--generate DIR REQS CONTROLS`): a child inherits its parent's peak memory across `exec`
//! on Linux, so a parent that had built the catalogs would inflate every reading.

#[path = "support/synthetic.rs"]
mod synthetic;

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

use reqgap::source::catalog::{render_file, to_file};
use synthetic::{load_average, reqgap_binary, run_child, spread_inventory, ChildCost, Rng};

const TODAY: &str = "2026-11-26";
const MAPPED_PER_CONTROL: usize = 4;
const CONTROLS_PER_FILE: usize = 2;

#[derive(Clone, Copy)]
struct Size {
    requirements: usize,
    controls: usize,
}

impl Size {
    fn parse(text: &str) -> Option<Size> {
        let (requirements, controls) = text.split_once(':')?;
        Some(Size {
            requirements: requirements.parse().ok()?,
            controls: controls.parse().ok()?,
        })
    }

    fn label(self) -> String {
        format!(
            "{} + {}",
            thousands(self.requirements),
            thousands(self.controls)
        )
    }

    fn folder(self) -> PathBuf {
        std::env::temp_dir().join(format!(
            "reqgap-scale-{}-{}",
            self.requirements, self.controls
        ))
    }
}

fn thousands(n: usize) -> String {
    let digits = n.to_string();
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

/// One measured command: its label, its arguments after the inventory folder, and the
/// file (under `out/`) that keeps its standard output.
struct Case {
    label: &'static str,
    args: fn(&Path) -> Vec<String>,
    stdout: &'static str,
}

fn out_file(out: &Path, name: &str) -> String {
    out.join(name).to_string_lossy().into_owned()
}

const CASES: &[Case] = &[
    Case {
        label: "`validate`",
        args: |_| vec!["validate".into()],
        stdout: "validate.txt",
    },
    Case {
        label: "`gaps --format json`",
        args: |_| vec!["gaps".into(), "--format".into(), "json".into()],
        stdout: "gaps.json",
    },
    Case {
        label: "`report -o r.html`",
        args: |out| vec!["report".into(), "-o".into(), out_file(out, "report.html")],
        stdout: "report-html.txt",
    },
    Case {
        label: "`report -o r.xlsx`",
        args: |out| vec!["report".into(), "-o".into(), out_file(out, "report.xlsx")],
        stdout: "report-xlsx.txt",
    },
    Case {
        label: "`graph --format dot`",
        args: |_| vec!["graph".into(), "--format".into(), "dot".into()],
        stdout: "graph.dot",
    },
    Case {
        label: "`graph --format svg --control C-000001`",
        args: |_| {
            let args = ["graph", "--format", "svg", "--control", "C-000001"];
            args.map(String::from).to_vec()
        },
        stdout: "graph.svg",
    },
    Case {
        label: "`migrate --dry-run`",
        args: |_| vec!["migrate".into(), "--dry-run".into()],
        stdout: "migrate.diff",
    },
];

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    if args.first().map(String::as_str) == Some("--generate") {
        let size = Size {
            requirements: args[2].parse().expect("requirements"),
            controls: args[3].parse().expect("controls"),
        };
        return generate(Path::new(&args[1]), size);
    }
    let sizes: Vec<Size> = if args.is_empty() {
        vec![
            Size::parse("10000:4000"),
            Size::parse("20000:8000"),
            Size::parse("40000:16000"),
            Size::parse("50000:20000"),
        ]
        .into_iter()
        .flatten()
        .collect()
    } else {
        args.iter()
            .map(|a| Size::parse(a).expect("sizes are REQUIREMENTS:CONTROLS"))
            .collect()
    };
    let binary = reqgap_binary();
    assert!(
        binary.exists(),
        "build the binary first: cargo build --release"
    );
    let load_before = load_average();
    let costs: Vec<Vec<ChildCost>> = sizes.iter().map(|s| measure(&binary, *s)).collect();
    println!(
        "load average (1, 5, 15 min) before: {load_before}; after: {}",
        load_average()
    );
    print_table(&sizes, &costs);
}

fn measure(binary: &Path, size: Size) -> Vec<ChildCost> {
    let folder = size.folder();
    let status = Command::new(std::env::current_exe().expect("own path"))
        .arg("--generate")
        .arg(&folder)
        .arg(size.requirements.to_string())
        .arg(size.controls.to_string())
        .status()
        .expect("the generator runs");
    assert!(status.success(), "generating {} failed", size.label());
    let inventory = folder.join("inventory");
    let out = folder.join("out");
    std::fs::create_dir_all(&out).expect("output folder");
    // The generated files are flushed to disk first, so that no command is measured while
    // the kernel writes them back.
    // SAFETY: sync takes no arguments and cannot fail.
    unsafe { libc::sync() };
    CASES
        .iter()
        .map(|case| {
            let mut args = (case.args)(&out);
            args.insert(1, inventory.to_string_lossy().into_owned());
            if args[0] != "validate" {
                args.extend(["--today".to_owned(), TODAY.to_owned()]);
            }
            let mut runs: Vec<ChildCost> = (0..RUNS)
                .map(|_| run_once(binary, &args, &out, case))
                .collect();
            runs.sort_by(|a, b| a.wall_seconds.total_cmp(&b.wall_seconds));
            let median = runs.swap_remove(RUNS / 2);
            eprintln!(
                "{}: {} {:.2} s (median of {RUNS})",
                size.label(),
                case.label,
                median.wall_seconds
            );
            median
        })
        .collect()
}

/// Runs of each command per size: the table shows the run with the median wall time.
const RUNS: usize = 3;

fn run_once(binary: &Path, args: &[String], out: &Path, case: &Case) -> ChildCost {
    let stdout = std::fs::File::create(out.join(case.stdout)).expect("output file");
    let stderr =
        std::fs::File::create(out.join(format!("{}.stderr", case.stdout))).expect("output file");
    let cost = run_child(
        Command::new(binary)
            .args(args)
            .stdin(Stdio::null())
            .stdout(stdout)
            .stderr(stderr),
    );
    assert_eq!(
        cost.exit_code,
        0,
        "reqgap {args:?} failed; see {}",
        out.display()
    );
    cost
}

/// Writes the catalog pair and the inventory of `size` into `folder` (emptied first).
fn generate(folder: &Path, size: Size) {
    let _ = std::fs::remove_dir_all(folder);
    let inventory = folder.join("inventory");
    let catalogs = inventory.join("catalogs");
    let controls = inventory.join("controls");
    for dir in [&catalogs, &controls] {
        std::fs::create_dir_all(dir).expect("folder");
    }
    let (old, new) = synthetic::pair(
        size.requirements,
        &mut synthetic::Rng(0x5eed_5ca1_e000_0001),
    );
    for (name, catalog) in [("synthetic-1.yaml", &old), ("synthetic-2.yaml", &new)] {
        let text = render_file(&to_file(catalog)).expect("renders");
        std::fs::write(catalogs.join(name), text).expect("writes");
    }
    let files = spread_inventory(
        &old,
        &new,
        size.controls,
        MAPPED_PER_CONTROL,
        CONTROLS_PER_FILE,
        &mut Rng(0x5eed_5ca1_e000_0002),
    );
    std::fs::write(inventory.join("owners.yaml"), files.owners).expect("writes");
    for (name, text) in files.control_files {
        std::fs::write(controls.join(name), text).expect("writes");
    }
    std::fs::write(inventory.join("reqgap.yaml"), CONFIG).expect("writes");
}

const CONFIG: &str = "organisation: Synthetic Group
catalogs: [catalogs]
controls: [controls]
owners: owners.yaml
targets:
  - standard: synthetic
    version: \"2\"
    due: 2026-06-30
    default-owner: owner-000
    section-owners:
      \"1\": owner-001
      \"2\": owner-002
      \"5.5\": owner-055
";

fn print_table(sizes: &[Size], costs: &[Vec<ChildCost>]) {
    let growth = growth_pair(sizes);
    let mut header = String::from("| Command |");
    let mut rule = String::from("|---|");
    for size in sizes {
        header.push_str(&format!(" {} |", size.label()));
        rule.push_str("---|");
    }
    if let Some((from, to)) = growth {
        let input = sizes[to].requirements as f64 / sizes[from].requirements as f64;
        header.push_str(&format!(
            " Growth {} → {} (×{input:.1} input) |",
            sizes[from].label(),
            sizes[to].label()
        ));
        rule.push_str("---|");
    }
    println!("Each cell: wall s / CPU s (user + system) / peak MB; growth is of CPU time");
    println!("{header}\n{rule}");
    for (c, case) in CASES.iter().enumerate() {
        let mut row = format!("| {} |", case.label);
        for size_costs in costs {
            let cost = &size_costs[c];
            row.push_str(&format!(
                " {:.2} s / {:.2} s / {:.0} MB |",
                cost.wall_seconds, cost.cpu_seconds, cost.peak_mb
            ));
        }
        if let Some((from, to)) = growth {
            let time = costs[to][c].cpu_seconds / costs[from][c].cpu_seconds.max(1e-3);
            row.push_str(&format!(" ×{time:.1} |"));
        }
        println!("{row}");
    }
}

/// The sizes the growth column compares: the first, and the first with four times its
/// requirements (else the last); none for a single size.
fn growth_pair(sizes: &[Size]) -> Option<(usize, usize)> {
    if sizes.len() < 2 {
        return None;
    }
    let fourfold = sizes
        .iter()
        .position(|s| s.requirements == 4 * sizes[0].requirements);
    Some((0, fourfold.unwrap_or(sizes.len() - 1)))
}
