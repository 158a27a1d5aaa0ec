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

    /// Migrate to the target of this version only (`3.2.1` or `etsi-en-319-401@3.2.1`).
    /// A newer known version of a target's standard moves that target there as well:
    /// reqgap.yaml's `version` changes with the mappings, and not-applicable decisions
    /// follow renumbered requirements. Default: every target, as they are.
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
    let bridge = DiffBridge::new(&analysed.transitions);
    let migration = match chosen_targets(loaded, args.to.as_deref())? {
        Chosen::Targets(targets) => {
            migrate::plan(&loaded.inventory, &loaded.catalogs, &bridge, &targets)?
        }
        Chosen::Retarget { from, to } => migrate::plan_retarget(
            &loaded.inventory,
            &loaded.catalogs,
            &bridge,
            std::path::Path::new(&loaded.config_file.path),
            &from,
            &to,
        )?,
    };
    crate::output::warn(&migration.warnings);
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

/// What `--to` asks for.
enum Chosen {
    /// Existing targets, as they are.
    Targets(Vec<CatalogKey>),
    /// One target moved to a newer version of its standard.
    Retarget { from: CatalogKey, to: CatalogKey },
}

fn chosen_targets(loaded: &LoadedInventory, to: Option<&str>) -> Result<Chosen, Failure> {
    let all: Vec<CatalogKey> = loaded
        .inventory
        .targets
        .iter()
        .map(|t| t.catalog.clone())
        .collect();
    let Some(to) = to else {
        return Ok(Chosen::Targets(all));
    };
    let chosen: Vec<CatalogKey> = all
        .iter()
        .filter(|k| k.version.as_str() == to || k.to_string() == to)
        .cloned()
        .collect();
    if !chosen.is_empty() {
        return Ok(Chosen::Targets(chosen));
    }
    let (standard, version) = match to.split_once('@') {
        Some((standard, version)) => (Some(standard), version),
        None => (None, to),
    };
    let newer: Vec<(CatalogKey, CatalogKey)> = all
        .iter()
        .filter(|k| standard.is_none_or(|s| k.standard.as_str() == s))
        .filter_map(|k| {
            let next = CatalogKey {
                standard: k.standard.clone(),
                version: reqgap::model::Version::new(version),
            };
            (next.version > k.version && loaded.catalogs.get(&next).is_some())
                .then(|| (k.clone(), next))
        })
        .collect();
    match newer.as_slice() {
        [(from, to)] => Ok(Chosen::Retarget {
            from: from.clone(),
            to: to.clone(),
        }),
        [] => {
            let names: Vec<String> = all.iter().map(ToString::to_string).collect();
            Err(Failure::Usage(format!(
                "--to {to}: neither a target of reqgap.yaml (targets: {}) nor a known newer version of a target's standard (`reqgap catalogs` lists them)",
                names.join(", ")
            )))
        }
        _ => Err(Failure::Usage(format!(
            "--to {to}: several targets could move to that version; name the standard, e.g. --to {}",
            newer[0].1
        ))),
    }
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
    for moved in &migration.retargeted {
        writeln!(
            out,
            "Target {} {} {} in reqgap.yaml{}",
            moved.from,
            if args.dry_run {
                "would move to"
            } else {
                "moved to"
            },
            moved.to,
            if moved.not_applicable_moved.is_empty() {
                String::new()
            } else {
                let pairs: Vec<String> = moved
                    .not_applicable_moved
                    .iter()
                    .map(|(a, b)| format!("{a} → {b}"))
                    .collect();
                format!("; not-applicable decisions follow: {}", pairs.join(", "))
            }
        )?;
    }
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
    for recorded in &migration.since_recorded {
        writeln!(
            out,
            "Target {} {} `since: \"{}\"` in reqgap.yaml: \"new in this edition\" stays measured from the edition last met",
            recorded.target,
            if args.dry_run { "would get" } else { "got" },
            recorded.since.version
        )?;
    }
    if migration.assumed > 0 {
        writeln!(
            out,
            "{} carried across a reconstructed catalog {} an `assumed:` note: confirm them with `reqgap review`",
            count(migration.assumed, "mapped ID"),
            if migration.assumed == 1 { "has" } else { "have" }
        )?;
    }
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
