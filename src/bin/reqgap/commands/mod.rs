mod catalogs;
mod check;
mod completions;
pub mod coverage;
pub mod crosswalk;
mod diff;
mod gaps;
pub mod graph;
pub mod import;
mod import_controls;
mod import_mapping;
pub mod init;
pub mod migrate;
pub mod report;
pub mod review;
mod schema;
mod show;
mod validate;

use std::io::{self, Write};

use reqgap::model::CatalogSet;

use crate::cli::{Cli, Command, GlobalArgs};
use crate::output::{report_failure, style, warn, Failure, Outcome};

/// Runs the command and returns the process exit code.
pub fn run(cli: Cli) -> u8 {
    if cli.global.allow_outside_root {
        crate::output::quote_only_inside_working_folder();
    }
    let result = match &cli.command {
        Command::Catalogs(args) => catalogs::run(&cli.global, args),
        Command::Show(args) => show::run(&cli.global, args),
        Command::Gaps(args) => gaps::run(&cli.global, args),
        Command::Validate(args) => validate::run(&cli.global, args),
        Command::Check(args) => check::run(&cli.global, args),
        Command::Schema(args) => schema::run(args),
        Command::Diff(args) => diff::run(&cli.global, args),
        Command::Import(args) => import::run(&cli.global, args),
        Command::Completions(args) => completions::completions(args),
        Command::Man(args) => completions::man(args),
        Command::Migrate(args) => migrate::run(&cli.global, args),
        Command::Review(args) => review::run(&cli.global, args),
        Command::Init(args) => init::run(&cli.global, args),
        Command::Coverage(args) => coverage::run(&cli.global, args),
        Command::Crosswalk(args) => crosswalk::run(&cli.global, args),
        Command::Report(args) => report::run(&cli.global, args),
        Command::Graph(args) => graph::run(&cli.global, args),
    };
    match result {
        Ok(Outcome::Success) => 0,
        Ok(Outcome::PolicyFailed) => 1,
        Err(failure) => report_failure(failure),
    }
}

/// The bundled catalogs plus the user's folders; load warnings go to stderr.
pub fn load_catalogs(global: &GlobalArgs) -> Result<CatalogSet, Failure> {
    confine(global)?;
    let set = CatalogSet::load(&global.catalog_dirs)?;
    warn(&set.warnings);
    Ok(set)
}

/// Refuses a file in a `--catalogs`, `--mappings` or `--crosswalks` folder that leads
/// outside the folder reqgap runs in and outside its own folder (unless
/// `--allow-outside-root`), before anything of it is read.
pub fn confine(global: &GlobalArgs) -> Result<(), Failure> {
    let rule = global.path_rule();
    let mut folders = global.catalog_dirs.clone();
    folders.extend(global.mapping_dirs.iter().cloned());
    folders.extend(global.crosswalk_dirs.iter().cloned());
    Ok(rule.admit_all_below(&folders)?)
}

/// Renders into memory first, so that a failure half-way leaves no partial output.
pub fn emit(
    global: &GlobalArgs,
    render: impl FnOnce(&reqgap::report::Style, &mut Vec<u8>) -> Result<(), Failure>,
) -> Result<(), Failure> {
    let mut buffer = Vec::new();
    render(&report_style(global), &mut buffer)?;
    let mut out = io::stdout().lock();
    out.write_all(&buffer)?;
    out.flush()?;
    Ok(())
}

/// Renders straight to stdout, for a report whose rendering can fail only before it
/// writes (a format that does not render it) or on writing itself: its output can be
/// megabytes, and holding all of it in memory first costs more than rendering it.
pub fn emit_streaming(
    global: &GlobalArgs,
    render: impl FnOnce(&reqgap::report::Style, &mut dyn Write) -> Result<(), Failure>,
) -> Result<(), Failure> {
    let mut out = io::BufWriter::with_capacity(1 << 16, io::stdout().lock());
    render(&report_style(global), &mut out)?;
    out.flush()?;
    Ok(())
}

fn report_style(global: &GlobalArgs) -> reqgap::report::Style {
    reqgap::report::Style {
        csv: global.csv_options(),
        ..style(global.color)
    }
}
