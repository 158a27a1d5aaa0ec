//! A target's coverage matrix as a table, Markdown and HTML (JSON serialises it as it is).

use std::io::{self, Write};

use comfy_table::{presets, Cell, ContentArrangement, Table};

use super::{escape, html_head, joined};
use crate::gaps::coverage::{missing_shown, path_compact, path_line, Matrix, MatrixRow};
use crate::gaps::crosswalk::Path;
use crate::report::md_cell as md;
use crate::report::sanitize::cell;

/// Paths shown per requirement in the table, in compact form with bare IDs (and at most
/// five missing pieces); JSON, Markdown and HTML show all, with full keys.
const TABLE_PATHS: usize = 3;

/// Each matrix as its summary line and a table, at its natural width (paths are long
/// and wrapping them would split IDs).
pub(crate) fn table(matrices: &[Matrix], out: &mut dyn Write) -> io::Result<()> {
    matrices.iter().try_for_each(|m| one_table(m, out))
}

/// Each matrix as a Markdown section with its summary and a table.
pub(crate) fn markdown(matrices: &[Matrix], out: &mut dyn Write) -> io::Result<()> {
    matrices.iter().try_for_each(|m| one_markdown(m, out))
}

/// The matrices as one HTML page, a section per target.
pub(crate) fn html(matrices: &[Matrix], out: &mut dyn Write) -> io::Result<()> {
    writeln!(out, "{}", html_head("Coverage"))?;
    for matrix in matrices {
        writeln!(
            out,
            "<h2>Coverage of {}</h2>",
            escape(&matrix.target.to_string())
        )?;
        writeln!(out, "<p>{}</p>", escape(&summary(matrix)))?;
        writeln!(
            out,
            "<table>\n<tr><th>Requirement</th><th>Level</th><th>How</th><th>Path or missing pieces</th></tr>"
        )?;
        for row in &matrix.rows {
            let detail = full_detail(row, &escape);
            writeln!(
                out,
                "<tr><td>{}</td><td>{}</td><td>{}</td><td>{}</td></tr>",
                escape(row.requirement.id.as_str()),
                row.level,
                row.how,
                detail.join("<br>")
            )?;
        }
        writeln!(out, "</table>")?;
    }
    writeln!(out, "</body>\n</html>")
}

fn summary(matrix: &Matrix) -> String {
    let counts: Vec<String> = matrix
        .counts()
        .into_iter()
        .map(|(how, n)| format!("{n} {how}"))
        .collect();
    format!(
        "{}: {} requirements: {}",
        matrix.target,
        matrix.rows.len(),
        counts.join(", ")
    )
}

fn one_table(matrix: &Matrix, out: &mut dyn Write) -> io::Result<()> {
    let mut table = Table::new();
    table
        .load_preset(presets::UTF8_FULL_CONDENSED)
        .set_content_arrangement(ContentArrangement::Disabled)
        .set_header(["Requirement", "Level", "How", "Path or missing pieces"]);
    for row in &matrix.rows {
        table.add_row(vec![
            cell(&row.requirement.id),
            Cell::new(row.level.to_string()),
            Cell::new(row.how.to_string()),
            cell(compact_detail(row).join("\n")),
        ]);
    }
    writeln!(out, "{}", summary(matrix))?;
    writeln!(out, "{table}")
}

/// A row's paths in compact form, at most [`TABLE_PATHS`] of them, then what is missing
/// and the row's notes.
fn compact_detail(row: &MatrixRow) -> Vec<String> {
    let mut detail: Vec<String> = row
        .paths
        .iter()
        .take(TABLE_PATHS)
        .map(path_compact)
        .collect();
    if row.paths.len() > TABLE_PATHS {
        detail.push(format!(
            "… {} more paths (--format json lists all)",
            row.paths.len() - TABLE_PATHS
        ));
    }
    detail.extend(missing_shown(&row.missing));
    detail.extend(row_notes(row, &path_compact));
    detail
}

/// A row's paths in full, what is missing and the row's notes, each escaped by `escape`.
fn full_detail(row: &MatrixRow, escape: &dyn Fn(&str) -> String) -> Vec<String> {
    let mut detail: Vec<String> = row.paths.iter().map(|p| escape(&path_line(p))).collect();
    if !row.missing.is_empty() {
        detail.push(escape(&format!("missing: {}", joined(&row.missing))));
    }
    detail.extend(row_notes(row, &path_line).iter().map(|l| escape(l)));
    detail
}

fn one_markdown(matrix: &Matrix, out: &mut dyn Write) -> io::Result<()> {
    writeln!(out, "## Coverage of {}\n", matrix.target)?;
    writeln!(out, "{}\n", summary(matrix))?;
    writeln!(
        out,
        "| Requirement | Level | How | Path or missing pieces |"
    )?;
    writeln!(out, "|---|---|---|---|")?;
    for row in &matrix.rows {
        let detail = full_detail(row, &md);
        writeln!(
            out,
            "| `{}` | {} | {} | {} |",
            md(row.requirement.id.as_str()),
            row.level,
            row.how,
            detail.join("<br>")
        )?;
    }
    writeln!(out)
}

/// What a row adds below its paths: that only the listed parts are known to be met, and
/// the undetermined paths, each rendered by `path`.
fn row_notes(row: &MatrixRow, path: &dyn Fn(&Path) -> String) -> Vec<String> {
    let mut notes = Vec::new();
    if row.every_listed_part_met {
        notes.push(
            "every listed part met; the crosswalk does not say they make it whole".to_owned(),
        );
    }
    notes.extend(
        row.undetermined
            .iter()
            .take(TABLE_PATHS)
            .map(|p| format!("undetermined, review: {}", path(p))),
    );
    if row.undetermined.len() > TABLE_PATHS {
        notes.push(format!(
            "… {} more undetermined paths (--format json lists all)",
            row.undetermined.len() - TABLE_PATHS
        ));
    }
    notes
}
