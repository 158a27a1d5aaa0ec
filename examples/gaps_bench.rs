//! Gap-analysis benchmark on a synthetic inventory.
//!
//! `cargo run --release --example gaps_bench -- [REQUIREMENTS] [CONTROLS] [MAPPINGS]`
//! (default 20000 50000 200000). Generates a target catalog (version 2.0) and its
//! predecessor (1.0: 5% of requirements under other IDs, 10% with other wording), owners
//! with an escalation chain, controls with dependencies (1% retired or planned), evidence
//! and mapping edges (a third of the controls still mapped against 1.0), all from a fixed
//! seed, then times `Analysis::in_memory` (the diff between the versions included) and reports
//! peak memory (VmHWM).

#[path = "support/inventory.rs"]
mod synthetic_inventory;

use std::time::Instant;

use reqgap::gaps;
use reqgap::model::*;
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
    let elapsed = start.elapsed();
    let target = &report.targets[0];
    println!(
        "{requirements} requirements, {controls} controls, {mappings} mapping edges (a third against the older version): {} gaps ({} stale-reference, {} needs-review), {} of {} covered; analyse with diff {:.3} s; peak memory {:.0} MB",
        report.gaps.len(),
        report.counts[&gaps::GapKind::StaleReference],
        report.counts[&gaps::GapKind::NeedsReview],
        target.covered,
        target.requirements,
        elapsed.as_secs_f64(),
        peak_memory_mb().unwrap_or(f64::NAN)
    );
}
