//! The listing of a crosswalk as a table, Markdown, HTML and CSV (JSON serialises it as
//! it is).

use std::io::{self, Write};

use comfy_table::{presets, Cell, ContentArrangement, Table};

use super::{escape, html_head, joined};
use crate::gaps::coverage::Listing;
use crate::model::RequirementId;
use crate::report::csv::{field as csv_field, CsvOptions};
use crate::report::md_cell as md;
use crate::report::sanitize::{cell, visible_controls};

/// The entries as a table between the heading and what maps to nothing; the long ID
/// lists of annex rows wrap at `width`, or not at all without one.
pub(crate) fn table(view: &Listing, width: Option<u16>, out: &mut dyn Write) -> io::Result<()> {
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

/// The listing as a Markdown section: a table, then what maps to nothing as a list.
pub(crate) fn markdown(view: &Listing, out: &mut dyn Write) -> io::Result<()> {
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

/// The listing as one HTML page.
pub(crate) fn html(view: &Listing, out: &mut dyn Write) -> io::Result<()> {
    writeln!(out, "{}", html_head("Crosswalk"))?;
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

/// The listing as CSV: one row per entry (`from`, `relation`, `to`, `source`), then one per
/// requirement that maps to nothing, with the relation `unmapped`. Cells are quoted and
/// neutralised as in every CSV reqgap writes.
pub(crate) fn csv(view: &Listing, options: CsvOptions, out: &mut dyn Write) -> io::Result<()> {
    if options.bom {
        out.write_all("\u{FEFF}".as_bytes())?;
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
    let line = |side: &str, ids: &[RequirementId]| {
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
