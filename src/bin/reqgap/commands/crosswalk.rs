//! `reqgap crosswalk A B`: what the crosswalk between two catalogs maps to what, and what
//! maps to nothing on either side, so that gaps in the crosswalk itself are visible.

use std::io::Write;

use chrono::NaiveDate;
use clap::{Args, ValueEnum};
use comfy_table::{presets, Cell, ContentArrangement, Table};
use reqgap::gaps::coverage::{crosswalk_listing, Listing};
use reqgap::model::{CatalogKey, CatalogSet, CrosswalkSet};
use reqgap::report::oscal::mapping::mapping_collection;
use reqgap::report::sanitize::{cell, visible_controls};
use reqgap::report::{csv_field, CsvOptions};

use super::coverage::{escape, joined, md, ViewFormat};
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
        CrosswalkFormat::Table => ViewFormat::Table,
        CrosswalkFormat::Json => ViewFormat::Json,
        CrosswalkFormat::Markdown => ViewFormat::Markdown,
        CrosswalkFormat::Html => ViewFormat::Html,
    };
    let view = view(global, &catalogs, &from, &to)?;
    emit(global, |style, out| {
        Ok(render(&view, format, style.width, out)?)
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

pub fn render(
    view: &Listing,
    format: ViewFormat,
    width: Option<u16>,
    out: &mut Vec<u8>,
) -> std::io::Result<()> {
    match format {
        ViewFormat::Json => {
            serde_json::to_writer_pretty(&mut *out, view).map_err(std::io::Error::other)?;
            writeln!(out)
        }
        ViewFormat::Table => table(view, width, out),
        ViewFormat::Markdown => markdown(view, out),
        ViewFormat::Html => html(view, out),
    }
}

/// The listing as CSV: one row per entry (`from`, `relation`, `to`, `source`), then one per
/// requirement that maps to nothing, with the relation `unmapped`. Cells are quoted and
/// neutralised as in every CSV reqgap writes.
pub fn csv(view: &Listing, options: CsvOptions, out: &mut Vec<u8>) -> std::io::Result<()> {
    if options.bom {
        out.extend_from_slice("\u{FEFF}".as_bytes());
    }
    let delimiter = options.delimiter;
    let line = |cells: [&str; 4]| {
        let fields: Vec<String> = cells.iter().map(|c| csv_field(c, delimiter)).collect();
        fields.join(&delimiter.to_string())
    };
    writeln!(out, "{}", line(["from", "relation", "to", "source"]))?;
    for row in &view.rows {
        let (from, to) = (joined(&row.from), joined(&row.to));
        let relation = row.relation.to_string();
        writeln!(out, "{}", line([&from, &relation, &to, &row.source]))?;
    }
    for id in &view.unmapped_from {
        writeln!(out, "{}", line([id.as_str(), "unmapped", "", ""]))?;
    }
    for id in &view.unmapped_to {
        writeln!(out, "{}", line(["", "unmapped", id.as_str(), ""]))?;
    }
    Ok(())
}

fn heading(view: &Listing) -> String {
    format!(
        "{} → {} ({}, {} entries)",
        view.from,
        view.to,
        view.origin,
        view.rows.len()
    )
}

fn unmapped_lines(view: &Listing) -> [String; 2] {
    let line = |side: &str, ids: &[reqgap::model::RequirementId]| {
        if ids.is_empty() {
            format!("every active requirement of {side} is mapped")
        } else {
            format!("{} of {side} map to nothing: {}", ids.len(), joined(ids))
        }
    };
    [
        line(&view.from.to_string(), &view.unmapped_from),
        line(&view.to.to_string(), &view.unmapped_to),
    ]
}

/// The entries as a table; the long ID lists of annex rows wrap at `width`.
fn table(view: &Listing, width: Option<u16>, out: &mut Vec<u8>) -> std::io::Result<()> {
    let mut table = Table::new();
    table
        .load_preset(presets::UTF8_FULL_CONDENSED)
        .set_header(["From", "Relation", "To", "Source"]);
    match width {
        Some(width) => table
            .set_content_arrangement(ContentArrangement::Dynamic)
            .set_width(width),
        None => table.set_content_arrangement(ContentArrangement::Disabled),
    };
    for row in &view.rows {
        table.add_row(vec![
            cell(joined(&row.from)),
            Cell::new(row.relation.to_string()),
            cell(joined(&row.to)),
            cell(&row.source),
        ]);
    }
    writeln!(out, "{}", visible_controls(&heading(view)))?;
    writeln!(out, "{table}")?;
    for line in unmapped_lines(view) {
        writeln!(out, "{}", visible_controls(&line))?;
    }
    Ok(())
}

fn markdown(view: &Listing, out: &mut Vec<u8>) -> std::io::Result<()> {
    writeln!(out, "## Crosswalk {}\n", md(&heading(view)))?;
    writeln!(out, "| From | Relation | To | Source |")?;
    writeln!(out, "|---|---|---|---|")?;
    for row in &view.rows {
        writeln!(
            out,
            "| {} | {} | {} | {} |",
            md(&joined(&row.from)),
            row.relation,
            md(&joined(&row.to)),
            md(&row.source)
        )?;
    }
    writeln!(out)?;
    for line in unmapped_lines(view) {
        writeln!(out, "- {}", md(&line))?;
    }
    Ok(())
}

fn html(view: &Listing, out: &mut Vec<u8>) -> std::io::Result<()> {
    writeln!(
        out,
        "<!DOCTYPE html>\n<html lang=\"en\">\n<head><meta charset=\"utf-8\"><title>Crosswalk</title></head>\n<body>"
    )?;
    writeln!(out, "<h2>Crosswalk {}</h2>", escape(&heading(view)))?;
    writeln!(
        out,
        "<table>\n<tr><th>From</th><th>Relation</th><th>To</th><th>Source</th></tr>"
    )?;
    for row in &view.rows {
        writeln!(
            out,
            "<tr><td>{}</td><td>{}</td><td>{}</td><td>{}</td></tr>",
            escape(&joined(&row.from)),
            row.relation,
            escape(&joined(&row.to)),
            escape(&row.source)
        )?;
    }
    writeln!(out, "</table>")?;
    for line in unmapped_lines(view) {
        writeln!(out, "<p>{}</p>", escape(&line))?;
    }
    writeln!(out, "</body>\n</html>")
}
