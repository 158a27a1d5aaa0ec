//! `reqgap migrate DIR [--to VERSION] [--dry-run]`: carry the inventory's mappings forward
//! to the target version, editing the control files in place (all or none).

use std::io::Write;
use std::path::PathBuf;

use chrono::NaiveDate;
use clap::Args;
use reqgap::edit::migrate::{self, Migration};
use reqgap::edit::ChangeSet;
use reqgap::gaps::DiffBridge;
use reqgap::model::CatalogKey;
use reqgap::source::inventory::LoadedInventory;

use crate::cli::{parse_date, today, GlobalArgs};
use crate::output::{Failure, Outcome};

#[derive(Debug, Args)]
pub struct MigrateArgs {
    /// The inventory folder (the one with reqgap.yaml).
    #[arg(default_value = ".", value_name = "DIR")]
    pub dir: PathBuf,

    /// Migrate to the target of this version only (`3.2.1` or
    /// `etsi-en-319-401@3.2.1`); it must be a target of reqgap.yaml. Default: every target.
    #[arg(long, value_name = "VERSION")]
    pub to: Option<String>,

    /// Print the changes as a unified diff and write nothing.
    #[arg(long)]
    pub dry_run: bool,

    /// The date to validate the inventory as of (YYYY-MM-DD); default: today.
    #[arg(long, value_name = "DATE", value_parser = parse_date)]
    pub today: Option<NaiveDate>,
}

pub fn run(global: &GlobalArgs, args: &MigrateArgs) -> Result<Outcome, Failure> {
    // A folder that fails validation is refused before anything is planned or written.
    let analysed = super::gaps::analyse(global, &args.dir, today(args.today))?;
    let loaded = &analysed.loaded;
    let targets = chosen_targets(loaded, args.to.as_deref())?;
    let bridge = DiffBridge::new(&analysed.transitions);
    let migration = migrate::plan(&loaded.inventory, &loaded.catalogs, &bridge, &targets)?;
    let mut out = std::io::stdout().lock();
    if args.dry_run {
        out.write_all(migration.changes.unified_diff().as_bytes())?;
    } else {
        commit(&migration.changes)?;
    }
    write_summary(&mut out, &migration, args)?;
    Ok(Outcome::Success)
}

/// Writes every changed file or none; says which file failed.
pub fn commit(changes: &ChangeSet) -> Result<(), Failure> {
    changes.commit().map_err(|e| {
        Failure::Usage(format!(
            "could not write the changes ({e}); every file was left as it was"
        ))
    })
}

fn chosen_targets(loaded: &LoadedInventory, to: Option<&str>) -> Result<Vec<CatalogKey>, Failure> {
    let all: Vec<CatalogKey> = loaded
        .inventory
        .targets
        .iter()
        .map(|t| t.catalog.clone())
        .collect();
    let Some(to) = to else {
        return Ok(all);
    };
    let chosen: Vec<CatalogKey> = all
        .iter()
        .filter(|k| k.version.as_str() == to || k.to_string() == to)
        .cloned()
        .collect();
    if chosen.is_empty() {
        let names: Vec<String> = all.iter().map(ToString::to_string).collect();
        return Err(Failure::Usage(format!(
            "--to {to}: no target of reqgap.yaml has that version (targets: {}); set the target's version in reqgap.yaml first",
            names.join(", ")
        )));
    }
    Ok(chosen)
}

fn write_summary(
    out: &mut impl Write,
    migration: &Migration,
    args: &MigrateArgs,
) -> std::io::Result<()> {
    let targets: Vec<String> = migration.targets.iter().map(ToString::to_string).collect();
    let files = migration.changes.files.len();
    let verb = if args.dry_run {
        "would change"
    } else {
        "changed"
    };
    writeln!(
        out,
        "Migrated to {}: {} moved to a new ID, {} raised (unchanged or editorial); {verb} {}{}",
        targets.join(", "),
        count(migration.renumbered.len(), "mapped ID"),
        count(migration.raised, "mapped ID"),
        count(files, "file"),
        if args.dry_run {
            " (dry run: nothing written)"
        } else {
            ""
        },
    )?;
    if migration.remaining.is_empty() {
        return writeln!(out, "No review work remains.");
    }
    writeln!(
        out,
        "Review work that remains ({}), each closed with `reqgap review {} GAP-KEY --by OWNER`:",
        migration.remaining.len(),
        args.dir.display()
    )?;
    for left in &migration.remaining {
        writeln!(
            out,
            "  {}  {} {}: {}",
            left.place, left.control, left.requirement, left.reason
        )?;
        for key in &left.gap_keys {
            writeln!(out, "      {key}")?;
        }
    }
    Ok(())
}

/// `1 file`, `2 files`.
fn count(n: usize, noun: &str) -> String {
    format!("{n} {noun}{}", if n == 1 { "" } else { "s" })
}
