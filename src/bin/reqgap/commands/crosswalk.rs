//! `reqgap crosswalk A B`: what the crosswalk between two catalogs maps to what, and what
//! maps to nothing on either side, so that gaps in the crosswalk itself are visible.

use std::io::Write;

use chrono::NaiveDate;
use clap::{Args, ValueEnum};
use reqgap::gaps::coverage::{crosswalk_listing, Listing};
use reqgap::model::{CatalogKey, CatalogSet, CrosswalkSet};
use reqgap::report::oscal::mapping::mapping_collection;
use reqgap::report::{reporter, Format};

use super::{emit, load_catalogs};
use crate::cli::{parse_date, today, GlobalArgs};
use crate::output::{warn, Failure, Outcome};

#[derive(Debug, Args)]
pub struct CrosswalkArgs {
    /// The catalog to read from, `<standard>@<version>` or `<standard>` for its newest.
    #[arg(value_name = "FROM")]
    pub from: String,

    /// The catalog of the other standard.
    #[arg(value_name = "TO")]
    pub to: String,

    /// Output format: a view (table, json, markdown, html), or `oscal`, the crosswalk as
    /// written in its file as an OSCAL 1.2 mapping-collection (JSON).
    #[arg(long, value_enum, default_value_t = CrosswalkFormat::Table)]
    pub format: CrosswalkFormat,

    /// The date written as the OSCAL export's `last-modified` (YYYY-MM-DD); default: today's
    /// date on this machine.
    #[arg(long, value_name = "YYYY-MM-DD", value_parser = parse_date)]
    pub today: Option<NaiveDate>,
}

/// The formats of `reqgap crosswalk`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum CrosswalkFormat {
    Table,
    Json,
    Markdown,
    Html,
    /// OSCAL 1.2 mapping-collection JSON.
    Oscal,
}

pub fn run(global: &GlobalArgs, args: &CrosswalkArgs) -> Result<Outcome, Failure> {
    let catalogs = load_catalogs(global)?;
    let from = catalogs.resolve(&args.from)?.key();
    let to = catalogs.resolve(&args.to)?.key();
    let format = match args.format {
        CrosswalkFormat::Oscal => return oscal(global, &catalogs, &from, &to, today(args.today)),
        CrosswalkFormat::Table => Format::Table,
        CrosswalkFormat::Json => Format::Json,
        CrosswalkFormat::Markdown => Format::Markdown,
        CrosswalkFormat::Html => Format::Html,
    };
    let view = view(global, &catalogs, &from, &to)?;
    emit(global, |style, out| {
        Ok(reporter(format, *style).crosswalk(&view, out)?)
    })?;
    Ok(Outcome::Success)
}

/// The crosswalk file joining `from` and `to`, as written (its direction kept), as an OSCAL
/// mapping-collection.
pub fn oscal(
    global: &GlobalArgs,
    catalogs: &CatalogSet,
    from: &CatalogKey,
    to: &CatalogKey,
    day: NaiveDate,
) -> Result<Outcome, Failure> {
    let crosswalks = CrosswalkSet::load(&global.crosswalk_dirs, catalogs)?;
    warn(&crosswalks.warnings);
    let Some(crosswalk) = crosswalks.between(from, to) else {
        // The listing's error names the crosswalks that do exist.
        return view(global, catalogs, from, to).map(|_| Outcome::Success);
    };
    let document = mapping_collection(crosswalk, day);
    emit(global, |_, out| {
        serde_json::to_writer_pretty(&mut *out, &document).map_err(std::io::Error::other)?;
        Ok(writeln!(out)?)
    })?;
    Ok(Outcome::Success)
}

/// The crosswalk between `from` and `to` read in that direction, or a usage error naming
/// the two catalogs and the crosswalks that do exist.
pub fn view(
    global: &GlobalArgs,
    catalogs: &CatalogSet,
    from: &CatalogKey,
    to: &CatalogKey,
) -> Result<Listing, Failure> {
    let crosswalks = CrosswalkSet::load(&global.crosswalk_dirs, catalogs)?;
    warn(&crosswalks.warnings);
    crosswalk_listing(&crosswalks, catalogs, from, to)
        .map_err(|none| Failure::Usage(none.to_string()))
}
