use reqgap::report;
use reqgap::{Analysed, Analysis};

use super::emit;
use crate::cli::{today, GapsArgs, GlobalArgs};
use crate::output::{warn, Failure, Outcome};

pub fn run(global: &GlobalArgs, args: &GapsArgs) -> Result<Outcome, Failure> {
    let analysed = analyse(global, &args.dir, today(args.today))?;
    let mut report = analysed.report;
    let kinds: Vec<_> = args.kind.iter().map(|k| k.0).collect();
    report.filter(args.owner.as_deref(), &kinds);
    emit(global, |style, out| {
        Ok(report::reporter(args.format, *style).gaps(&report, out)?)
    })?;
    Ok(Outcome::Success)
}

/// Runs the analysis of the inventory in `dir` with the global `--catalogs` and
/// `--mappings` folders, and prints its warnings to stderr.
pub fn analyse(
    global: &GlobalArgs,
    dir: &std::path::Path,
    today: chrono::NaiveDate,
) -> Result<Analysed, reqgap::diag::Diagnostics> {
    let analysed = Analysis::new(dir, today)
        .catalogs(global.catalog_dirs.iter().cloned())
        .mappings(global.mapping_dirs.iter().cloned())
        .crosswalks(global.crosswalk_dirs.iter().cloned())
        .path_rule(global.path_rule())
        .run()?;
    warn(&analysed.warnings);
    Ok(analysed)
}
