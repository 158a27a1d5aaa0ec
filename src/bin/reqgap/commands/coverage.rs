//! `reqgap coverage DIR [--target STD@VER]`: the coverage matrix of a target, each
//! requirement with how it is met and, for crosswalk coverage, the path that justifies it.

use std::path::PathBuf;

use chrono::NaiveDate;
use clap::{Args, ValueEnum};
use reqgap::gaps::coverage::matrices;
use reqgap::report::{reporter, Format};

use super::emit;
use crate::cli::{parse_date, today, GlobalArgs};
use crate::output::{Failure, Outcome};

#[derive(Debug, Args)]
pub struct CoverageArgs {
    /// The inventory folder (the one with reqgap.yaml).
    #[arg(default_value = ".", value_name = "DIR")]
    pub dir: PathBuf,

    /// The target to show, `<standard>@<version>` (one of reqgap.yaml's targets); default:
    /// every target.
    #[arg(long, value_name = "STD@VER")]
    pub target: Option<String>,

    /// The date the analysis runs as of (YYYY-MM-DD); default: today's date on this machine.
    #[arg(long, value_name = "DATE", value_parser = parse_date)]
    pub today: Option<NaiveDate>,

    /// Output format.
    #[arg(long, value_enum, default_value_t = ViewFormat::Table)]
    pub format: ViewFormat,
}

/// The formats of the `coverage` and `crosswalk` views.
#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum ViewFormat {
    Table,
    Json,
    Markdown,
    Html,
}

impl ViewFormat {
    /// The report format this view is written in.
    pub fn format(self) -> Format {
        match self {
            ViewFormat::Table => Format::Table,
            ViewFormat::Json => Format::Json,
            ViewFormat::Markdown => Format::Markdown,
            ViewFormat::Html => Format::Html,
        }
    }
}

pub fn run(global: &GlobalArgs, args: &CoverageArgs) -> Result<Outcome, Failure> {
    let analysed = super::gaps::analyse(global, &args.dir, today(args.today))?;
    super::gaps::warn_provenance(&analysed.report);
    let catalogs = &analysed.loaded.catalogs;
    let wanted = match &args.target {
        Some(spec) => Some(catalogs.resolve(spec)?.key()),
        None => None,
    };
    let matrices = matrices(&analysed.report, catalogs, wanted.as_ref()).map_err(|not| {
        let known: Vec<String> = not.targets.iter().map(ToString::to_string).collect();
        Failure::Usage(format!(
            "{} is not a target of {}; its targets: {} (add it under `targets:` in reqgap.yaml)",
            not.wanted,
            args.dir.display(),
            known.join(", ")
        ))
    })?;
    emit(global, |style, out| {
        Ok(reporter(args.format.format(), *style).coverage(&matrices, out)?)
    })?;
    Ok(Outcome::Success)
}
