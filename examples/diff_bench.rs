//! Diff benchmark on synthetic catalogs.
//!
//! `cargo run --release --example diff_bench -- [REQUIREMENTS ...]` (default 20000).
//! For each size, generates an old catalog and a new one with 5% of requirements
//! renumbered, 10% changed (a few words replaced), 3% removed and 3% added, from a fixed
//! seed; then times `diff::diff_catalogs` and reports how well it recovered the planted
//! changes, and the process's peak memory (VmHWM).

#[path = "support/synthetic.rs"]
mod synthetic;

use std::time::Instant;

use reqgap::diff::{diff_catalogs, ChangeClass, DiffOptions};
use synthetic::{pair, peak_memory_mb, Rng};

fn main() {
    let sizes: Vec<usize> = std::env::args()
        .skip(1)
        .filter_map(|a| a.parse().ok())
        .collect();
    let sizes = if sizes.is_empty() {
        vec![20_000]
    } else {
        sizes
    };
    println!("requirements  diff time  renumbered  changed  added  removed  other  peak memory");
    for n in sizes {
        let mut rng = Rng(0x5eed_1234_abcd_ef01 ^ n as u64);
        let (old, new) = pair(n, &mut rng);
        let started = Instant::now();
        let diff = diff_catalogs(&old, &new, &[], &DiffOptions::default());
        let elapsed = started.elapsed();
        let count = |c: ChangeClass| diff.counts.get(&c).copied().unwrap_or(0);
        let other = count(ChangeClass::Split) + count(ChangeClass::Merged);
        println!(
            "{n:>12}  {:>7.3} s  {:>10}  {:>7}  {:>5}  {:>7}  {:>5}  {}",
            elapsed.as_secs_f64(),
            count(ChangeClass::Renumbered),
            count(ChangeClass::Changed),
            count(ChangeClass::Added),
            count(ChangeClass::Removed),
            other,
            peak_memory_mb().map_or_else(|| "n/a".to_owned(), |mb| format!("{mb:.0} MB"))
        );
    }
}
