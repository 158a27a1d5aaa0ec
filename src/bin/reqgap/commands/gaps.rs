use chrono::NaiveDate;
use reqgap::gaps::{self, DiffBridge, GapReport};
use reqgap::report;
use reqgap::source::inventory::{self, LoadedInventory};
use reqgap::model::TransitionSet;

use super::emit;
use crate::cli::{today, GapsArgs, GlobalArgs};
use crate::output::{warn, Failure, Outcome};

pub fn run(global: &GlobalArgs, args: &GapsArgs) -> Result<Outcome, Failure> {
    let today = today(args.today);
    let loaded = inventory::load(&args.dir, &global.catalog_dirs, today)?;
    warn(&loaded.catalogs.warnings);
    let mut report = analyse(global, &loaded, today)?;
    let kinds: Vec<_> = args.kind.iter().map(|k| k.0).collect();
    report.filter(args.owner.as_deref(), &kinds);
    emit(global, |style, out| {
        Ok(report::reporter(args.format, *style).gaps(&report, out)?)
    })?;
    Ok(Outcome::Success)
}

/// The gap analysis of a loaded inventory: its catalogs, the transition files (bundled,
/// `--mappings` folders and those its reqgap.yaml names) and the diff engine between versions.
pub fn analyse(
    global: &GlobalArgs,
    loaded: &LoadedInventory,
    today: NaiveDate,
) -> Result<GapReport, Failure> {
    let mut mapping_dirs = global.mapping_dirs.clone();
    mapping_dirs.extend(loaded.mapping_dirs.iter().cloned());
    let transitions = TransitionSet::load(&mapping_dirs, &loaded.catalogs)?;
    let bridge = DiffBridge::new(&transitions);
    Ok(gaps::analyse(
        &loaded.inventory,
        &loaded.catalogs,
        &bridge,
        today,
    )?)
}
