//! Management-report benchmark on the synthetic inventory of `gaps_bench` (the same
//! generator and seed, so the figures of both benchmarks describe one inventory).
//!
//! `cargo run --release --example report_bench -- [REQUIREMENTS] [CONTROLS] [MAPPINGS]`
//! (default 20000 50000 200000). Runs the analysis, then times building the report model
//! (the diff for "new in this edition" included) and rendering HTML, xlsx and Markdown,
//! and reports peak memory (VmHWM). Target: the report under 3 s and 600 MB.

#[path = "support/inventory.rs"]
mod synthetic_inventory;

use std::time::Instant;

use reqgap::model::*;
use reqgap::source::history::History;
use reqgap::summary::{Input, ManagementReport};
use synthetic_inventory::*;

fn main() {
    let (requirements, controls, mappings) = (arg(1, 20_000), arg(2, 50_000), arg(3, 200_000));
    let (inventory, catalogs) = bench_input(requirements, controls, mappings);
    let transitions = TransitionSet::default();
    let start = Instant::now();
    let report = reqgap::Analysis::in_memory(
        &inventory,
        &catalogs,
        &transitions,
        &CrosswalkSet::default(),
        date("2026-11-26"),
    )
    .expect("analysis runs");
    let analysis = start.elapsed();
    let input = Input {
        report: &report,
        inventory: &inventory,
        catalogs: &catalogs,
        transitions: &transitions,
        waivers: &[],
    };
    let start = Instant::now();
    let model = ManagementReport::build(&input, &History::default());
    let built = start.elapsed();
    let start = Instant::now();
    let page = model.to_html();
    let html_time = start.elapsed();
    let start = Instant::now();
    let workbook = model.to_xlsx().expect("workbook renders");
    let xlsx_time = start.elapsed();
    let start = Instant::now();
    let text = model.to_markdown();
    let markdown_time = start.elapsed();
    let report_time = built + html_time + xlsx_time + markdown_time;
    println!(
        "{requirements} requirements, {controls} controls, {mappings} mapping edges: {} gaps, {} new in edition; analysis {:.2} s; report model {:.2} s, HTML {:.2} s ({:.1} MB), xlsx {:.2} s ({:.1} MB), Markdown {:.2} s ({:.1} MB); report total {:.2} s; peak memory {:.0} MB",
        model.gaps.len(),
        model.new_in_edition.len(),
        analysis.as_secs_f64(),
        built.as_secs_f64(),
        html_time.as_secs_f64(),
        page.len() as f64 / 1e6,
        xlsx_time.as_secs_f64(),
        workbook.len() as f64 / 1e6,
        markdown_time.as_secs_f64(),
        text.len() as f64 / 1e6,
        report_time.as_secs_f64(),
        peak_memory_mb().unwrap_or(f64::NAN)
    );
}
