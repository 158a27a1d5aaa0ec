//! The NIST job a user runs, side by side with OSCAL Deep Diff on the same two files.
//!
//! `cargo build --release && cargo run --release --example nist_job_bench -- [--runs N]
//! [--deep-diff DIR]` (Linux; the binary is taken from `target/release/reqgap`, or from
//! `$REQGAP_BIN`). The job is three processes, as a user types it: `import oscal` of
//! NIST SP 800-53 Rev 4 (NIST's minified JSON), `import oscal` of Rev 5, and
//! `diff --format json` of the two imported catalogs. Both catalogs are the public-domain
//! files in `tests/data/nist/`.
//!
//! With `--deep-diff DIR` (a checkout of `github:usnistgov/oscal-deep-diff` on which
//! `npm ci` has run, and `node` on the PATH), it also runs OSCAL Deep Diff on the same two
//! files in two configurations: `controls` arrays matched by `id` with every other array
//! left to the tool's default matcher, and every array matched by `id`. It prints each
//! run's wall time, CPU time (user + system) and peak memory, the median of each, and the
//! ratio of OSCAL Deep Diff's median wall time to the reqgap job's, with the machine's load
//! average before and after.

#[path = "support/measure.rs"]
mod measure;
#[path = "support/nist_data.rs"]
mod nist_data;

use std::fs::File;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

use measure::{load_average, reqgap_binary, run_child, ChildCost};

/// One way of doing the job: its name and the processes it runs, in order.
struct Job {
    label: String,
    steps: Vec<Step>,
}

/// One process of a job, and the file its standard output goes to (else nowhere).
struct Step {
    command: Command,
    stdout: Option<PathBuf>,
}

impl Step {
    fn new(command: Command) -> Step {
        Step {
            command,
            stdout: None,
        }
    }
}

/// What one run of a job cost: wall and CPU time summed over its processes, and the largest
/// peak memory among them.
#[derive(Clone, Copy)]
struct RunCost {
    wall_seconds: f64,
    cpu_seconds: f64,
    peak_mb: f64,
}

fn main() {
    let options = Options::parse();
    let binary = reqgap_binary();
    assert!(
        binary.exists(),
        "build the binary first: cargo build --release (or set REQGAP_BIN)"
    );
    let folder = std::env::temp_dir().join("reqgap-nist-job");
    std::fs::create_dir_all(&folder).expect("a scratch folder");

    let mut jobs = vec![reqgap_job(&binary, &folder)];
    if let Some(deep_diff) = &options.deep_diff {
        jobs.push(deep_diff_job(
            deep_diff,
            &folder,
            DeepDiffMatching::ControlsById,
        ));
        jobs.push(deep_diff_job(
            deep_diff,
            &folder,
            DeepDiffMatching::EveryArrayById,
        ));
    }

    let load_before = load_average();
    let medians: Vec<RunCost> = jobs
        .iter_mut()
        .map(|job| measure(job, options.runs))
        .collect();
    println!(
        "\nload average (1, 5, 15 min) before: {load_before}; after: {}",
        load_average()
    );
    print_ratios(&jobs, &medians);
}

struct Options {
    runs: usize,
    deep_diff: Option<PathBuf>,
}

impl Options {
    fn parse() -> Options {
        let mut options = Options {
            runs: 5,
            deep_diff: None,
        };
        let mut args = std::env::args().skip(1);
        while let Some(arg) = args.next() {
            match arg.as_str() {
                "--runs" => {
                    options.runs = args
                        .next()
                        .and_then(|n| n.parse().ok())
                        .filter(|n| *n > 0)
                        .expect("--runs takes a positive number")
                }
                "--deep-diff" => {
                    options.deep_diff = Some(PathBuf::from(
                        args.next().expect("--deep-diff takes a folder"),
                    ))
                }
                other => panic!("unknown argument `{other}`; see the header of nist_job_bench.rs"),
            }
        }
        options
    }
}

fn reqgap_job(binary: &Path, folder: &Path) -> Job {
    let rev4 = folder.join("rev4.yaml");
    let rev5 = folder.join("rev5.yaml");
    let import = |source: PathBuf, version: &str, output: &Path| {
        let mut command = Command::new(binary);
        command
            .args(["import", "oscal"])
            .arg(source)
            .args(["--standard", "nist-sp-800-53", "--version", version])
            .arg("--force")
            .arg("-o")
            .arg(output);
        command
    };
    let mut diff = Command::new(binary);
    diff.arg("diff")
        .arg(&rev4)
        .arg(&rev5)
        .args(["--format", "json"]);
    Job {
        label: "reqgap: `import oscal` Rev 4, `import oscal` Rev 5, `diff --format json`".into(),
        steps: vec![
            Step::new(import(nist_data::nist_rev4(), "4", &rev4)),
            Step::new(import(nist_data::default_nist(), "5.0.1", &rev5)),
            Step {
                command: diff,
                stdout: Some(folder.join("diff.json")),
            },
        ],
    }
}

#[derive(Clone, Copy)]
enum DeepDiffMatching {
    ControlsById,
    EveryArrayById,
}

fn deep_diff_job(checkout: &Path, folder: &Path, matching: DeepDiffMatching) -> Job {
    let (name, label, matched) = match matching {
        DeepDiffMatching::ControlsById => (
            "controls-by-id",
            "OSCAL Deep Diff: `controls` matched by `id`, other arrays by its default matcher",
            "controls",
        ),
        DeepDiffMatching::EveryArrayById => (
            "every-array-by-id",
            "OSCAL Deep Diff: every array matched by `id`",
            "'*'",
        ),
    };
    let config = folder.join(format!("{name}.yaml"));
    let text = format!(
        "leftPath: {}\nrightPath: {}\noutputPath: {}\ncomparatorConfig:\n  {matched}:\n    \
         matcherGenerators:\n      - type: ObjectPropertyMatcherContainer\n        \
         property: id\noutputConfigs: []\n",
        nist_data::nist_rev4().display(),
        nist_data::default_nist().display(),
        folder.join(format!("{name}.json")).display(),
    );
    std::fs::write(&config, text).expect("the configuration is written");
    let mut command = Command::new("node");
    command
        .arg(checkout.join("bin/oscal-deep-diff"))
        .arg("--config")
        .arg(&config);
    Job {
        label: label.into(),
        steps: vec![Step::new(command)],
    }
}

fn measure(job: &mut Job, runs: usize) -> RunCost {
    println!("\n{}", job.label);
    println!("| run | wall | CPU | peak memory |\n|---|---|---|---|");
    let mut costs = Vec::with_capacity(runs);
    for run in 1..=runs {
        let steps: Vec<ChildCost> = job
            .steps
            .iter_mut()
            .map(|step| {
                let stdout = match &step.stdout {
                    Some(path) => Stdio::from(File::create(path).expect("the output file")),
                    None => Stdio::null(),
                };
                let cost = run_child(step.command.stdout(stdout).stderr(Stdio::null()));
                assert_eq!(cost.exit_code, 0, "{:?} failed", step.command);
                cost
            })
            .collect();
        let cost = RunCost {
            wall_seconds: steps.iter().map(|c| c.wall_seconds).sum(),
            cpu_seconds: steps.iter().map(|c| c.cpu_seconds).sum(),
            peak_mb: steps.iter().map(|c| c.peak_mb).fold(0.0, f64::max),
        };
        println!(
            "| {run} | {:.3} s | {:.3} s | {:.0} MB |",
            cost.wall_seconds, cost.cpu_seconds, cost.peak_mb
        );
        costs.push(cost);
    }
    let median = RunCost {
        wall_seconds: median(costs.iter().map(|c| c.wall_seconds)),
        cpu_seconds: median(costs.iter().map(|c| c.cpu_seconds)),
        peak_mb: median(costs.iter().map(|c| c.peak_mb)),
    };
    println!(
        "| median | {:.3} s | {:.3} s | {:.0} MB |",
        median.wall_seconds, median.cpu_seconds, median.peak_mb
    );
    median
}

fn print_ratios(jobs: &[Job], medians: &[RunCost]) {
    let reqgap = medians[0];
    for (job, cost) in jobs.iter().zip(medians).skip(1) {
        println!(
            "{}: {:.1}× the reqgap job's wall time, {:.1}× its CPU time (medians; target 40× wall)",
            job.label,
            cost.wall_seconds / reqgap.wall_seconds,
            cost.cpu_seconds / reqgap.cpu_seconds
        );
    }
}

fn median(values: impl Iterator<Item = f64>) -> f64 {
    let mut values: Vec<f64> = values.collect();
    values.sort_by(f64::total_cmp);
    values[values.len() / 2]
}
