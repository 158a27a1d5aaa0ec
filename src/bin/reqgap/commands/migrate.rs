//! `reqgap migrate DIR [--to VERSION] [--dry-run]`: carry the inventory's mappings forward
//! to the target version, editing the control files in place (all or none).

use std::io::Write;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, OnceLock};

use chrono::NaiveDate;
use clap::Args;
use reqgap::edit::migrate::{self, Migration};
use reqgap::edit::plan::PlanFollowed;
use reqgap::edit::ChangeSet;
use reqgap::model::CatalogKey;
use reqgap::source::display_path;
use reqgap::source::inventory::{config_path, LoadedInventory};
use reqgap::source::journal::{self, Direction, StopFlag};
use signal_hook::consts::{SIGINT, SIGTERM, SIGXFSZ};
use signal_hook::flag;

use crate::cli::{parse_date, today, GlobalArgs};
use crate::output::{leave_to_exit, Failure, Outcome};

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
    #[arg(long, conflicts_with_all = ["finish", "roll_back"])]
    pub dry_run: bool,

    /// Complete an edit (migrate, review, import controls) of DIR that was interrupted:
    /// every file it names gets its new content, from the copies saved beside it.
    #[arg(long, conflicts_with_all = ["to", "roll_back"])]
    pub finish: bool,

    /// Undo an edit of DIR that was interrupted: every file it names gets its old content
    /// back, from the copies saved beside it.
    #[arg(long, conflicts_with = "to")]
    pub roll_back: bool,

    /// The date to validate the inventory as of (YYYY-MM-DD); default: today.
    #[arg(long, value_name = "DATE", value_parser = parse_date)]
    pub today: Option<NaiveDate>,
}

pub fn run(global: &GlobalArgs, args: &MigrateArgs) -> Result<Outcome, Failure> {
    if args.finish || args.roll_back {
        return recover(args);
    }
    // A folder that fails validation is refused before anything is planned or written.
    let analysed = super::gaps::analyse(global, &args.dir, today(args.today))?;
    let loaded = &analysed.loaded;
    let bridge = analysed.bridge();
    let migration = match chosen_targets(loaded, args.to.as_deref())? {
        Chosen::Targets(targets) => migrate::plan(
            &loaded.inventory,
            &loaded.catalogs,
            &bridge,
            &analysed.report,
            &targets,
        )?,
        Chosen::Retarget { from, to } => migrate::plan_retarget(
            &loaded.inventory,
            &loaded.catalogs,
            &bridge,
            &analysed.report,
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
        commit(&migration.changes, &edit_folder(&args.dir))?;
    }
    write_summary(&mut out, &migration, args)?;
    drop(bridge);
    leave_to_exit((analysed, migration));
    Ok(Outcome::Success)
}

/// Writes every changed file or none, as an edit of the folder `dir` (where its journal
/// lives); says which file failed. Ctrl-C and SIGTERM while the files are written roll the
/// edit back instead of cutting it short, and a file-size limit (`ulimit -f`) is an error
/// rather than a kill.
pub fn commit(changes: &ChangeSet, dir: &Path) -> Result<(), Failure> {
    let signals = Signals::during_commit();
    let mut hooks = StopFlag(&signals.0.stop);
    changes
        .commit_with(dir, &typed_command(), &mut hooks)
        .map_err(Failure::Input)
}

/// The folder an edit of `dir` keeps its journal in: the inventory folder when `dir` names
/// an inventory (or its reqgap.yaml), else `dir` itself.
pub fn edit_folder(dir: &Path) -> PathBuf {
    config_path(dir).map_or_else(|| dir.to_path_buf(), |(folder, _)| folder)
}

/// The command line as the user typed it, for the journal of an edit.
fn typed_command() -> String {
    let mut words: Vec<String> = std::env::args().skip(1).collect();
    words.insert(0, "reqgap".to_owned());
    words.join(" ")
}

/// `--finish` and `--roll-back`.
fn recover(args: &MigrateArgs) -> Result<Outcome, Failure> {
    let direction = if args.finish {
        Direction::Finish
    } else {
        Direction::RollBack
    };
    let folder = edit_folder(&args.dir);
    let mut out = std::io::stdout().lock();
    let Some(done) = journal::recover(&folder, direction)? else {
        writeln!(
            out,
            "No unfinished edit in {}: nothing to do.",
            display_path(&folder)
        )?;
        return Ok(Outcome::Success);
    };
    let verb = match direction {
        Direction::Finish => "Finished",
        Direction::RollBack => "Rolled back",
    };
    writeln!(
        out,
        "{verb} `{}`: wrote {}, {} already as wanted.",
        done.command,
        count(done.written.len(), "file"),
        done.already.len()
    )?;
    for file in &done.written {
        writeln!(out, "  {file}")?;
    }
    Ok(Outcome::Success)
}

/// The signal handling of a commit. SIGINT and SIGTERM set `stop` while a commit runs (it
/// then rolls back) and act as usual at any other time; SIGXFSZ is caught for good, so that
/// a write past `ulimit -f` fails with an error instead of killing reqgap mid-write.
struct Signals {
    stop: Arc<AtomicBool>,
    outside_commit: Arc<AtomicBool>,
}

impl Signals {
    fn during_commit() -> CommitSignals {
        static SIGNALS: OnceLock<Signals> = OnceLock::new();
        let signals = SIGNALS.get_or_init(|| {
            let signals = Signals {
                stop: Arc::new(AtomicBool::new(false)),
                outside_commit: Arc::new(AtomicBool::new(true)),
            };
            for signal in [SIGINT, SIGTERM] {
                let _ = flag::register_conditional_default(signal, signals.outside_commit.clone());
                let _ = flag::register(signal, signals.stop.clone());
            }
            let _ = flag::register(SIGXFSZ, Arc::new(AtomicBool::new(false)));
            signals
        });
        signals.outside_commit.store(false, Ordering::SeqCst);
        CommitSignals(signals)
    }
}

/// While it lives, SIGINT and SIGTERM ask the commit to stop rather than end the process.
struct CommitSignals(&'static Signals);

impl Drop for CommitSignals {
    fn drop(&mut self) {
        self.0.outside_commit.store(true, Ordering::SeqCst);
    }
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
    write_plan_followed(out, &migration.plan, args.dry_run)?;
    if migration.assumed > 0 {
        writeln!(
            out,
            "{} carried across a reconstructed catalog {} an `assumed:` note and {} until confirmed with `reqgap review` (`reqgap gaps {} --kind needs-review` lists the keys)",
            count(migration.assumed, "mapped ID"),
            if migration.assumed == 1 { "has" } else { "have" },
            if migration.assumed == 1 {
                "is a needs-review gap"
            } else {
                "are needs-review gaps"
            },
            args.dir.display()
        )?;
    }
    if migration.remaining.is_empty() {
        let other = if migration.assumed > 0 { " other" } else { "" };
        return writeln!(out, "No{other} review work remains.");
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

/// What an edit did to the plan file: entries done (their gaps closed) leave it, entries
/// of a target that moved follow it.
pub fn write_plan_followed(
    out: &mut dyn Write,
    followed: &PlanFollowed,
    dry_run: bool,
) -> std::io::Result<()> {
    let removed = if dry_run {
        "would be removed"
    } else {
        "removed"
    };
    for entry in &followed.removed {
        let ticket = entry
            .ticket
            .as_ref()
            .map_or_else(String::new, |t| format!(", ticket {t}"));
        writeln!(
            out,
            "Plan entry `{}` ({}{ticket}) is done, its gaps closed: {removed} from {}",
            entry.gap, entry.status, entry.place.path
        )?;
    }
    for (old, new) in &followed.renamed {
        writeln!(out, "Plan entry `{old}` follows the target: `{new}`")?;
    }
    for key in &followed.unresolved {
        writeln!(
            out,
            "Plan entry `{key}` names a requirement with no certain successor in the new edition: correct its key in the plan file"
        )?;
    }
    Ok(())
}

/// `1 file`, `2 files`.
fn count(n: usize, noun: &str) -> String {
    format!("{n} {noun}{}", if n == 1 { "" } else { "s" })
}
