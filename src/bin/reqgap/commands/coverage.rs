//! `reqgap coverage DIR [--target STD@VER]`: the coverage matrix of a target, each
//! requirement with how it is met and, for crosswalk coverage, the path that justifies it.

use std::io::Write;
use std::path::PathBuf;

use chrono::NaiveDate;
use clap::{Args, ValueEnum};
use comfy_table::{presets, Cell, ContentArrangement, Table};
use reqgap::gaps::coverage::{matrices, missing_shown, path_compact, path_line, Matrix, MatrixRow};
use reqgap::gaps::crosswalk::Path;
use reqgap::report::sanitize::cell;

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

/// Paths shown per requirement in the table, in compact form with bare IDs (and at most
/// five missing pieces); JSON, Markdown and HTML show all, with full keys.
const TABLE_PATHS: usize = 3;

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
    emit(global, |_, out| {
        match args.format {
            ViewFormat::Json => {
                serde_json::to_writer_pretty(&mut *out, &matrices)
                    .map_err(std::io::Error::other)?;
                writeln!(out)?;
            }
            ViewFormat::Table => matrices.iter().try_for_each(|m| table(m, out))?,
            ViewFormat::Markdown => matrices.iter().try_for_each(|m| markdown(m, out))?,
            ViewFormat::Html => html(&matrices, out)?,
        }
        Ok(())
    })?;
    Ok(Outcome::Success)
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

fn table(matrix: &Matrix, out: &mut Vec<u8>) -> std::io::Result<()> {
    let mut table = Table::new();
    table
        .load_preset(presets::UTF8_FULL_CONDENSED)
        .set_content_arrangement(ContentArrangement::Disabled)
        .set_header(["Requirement", "Level", "How", "Path or missing pieces"]);
    for row in &matrix.rows {
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
        table.add_row(vec![
            cell(&row.requirement.id),
            Cell::new(row.level.to_string()),
            Cell::new(row.how.to_string()),
            cell(detail.join("\n")),
        ]);
    }
    writeln!(out, "{}", summary(matrix))?;
    writeln!(out, "{table}")
}

fn markdown(matrix: &Matrix, out: &mut Vec<u8>) -> std::io::Result<()> {
    writeln!(out, "## Coverage of {}\n", matrix.target)?;
    writeln!(out, "{}\n", summary(matrix))?;
    writeln!(
        out,
        "| Requirement | Level | How | Path or missing pieces |"
    )?;
    writeln!(out, "|---|---|---|---|")?;
    for row in &matrix.rows {
        let mut detail: Vec<String> = row.paths.iter().map(|p| md(&path_line(p))).collect();
        if !row.missing.is_empty() {
            detail.push(md(&format!("missing: {}", joined(&row.missing))));
        }
        detail.extend(row_notes(row, &path_line).iter().map(|l| md(l)));
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

fn html(matrices: &[Matrix], out: &mut Vec<u8>) -> std::io::Result<()> {
    writeln!(
        out,
        "<!DOCTYPE html>\n<html lang=\"en\">\n<head><meta charset=\"utf-8\"><title>Coverage</title></head>\n<body>"
    )?;
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
            let mut detail: Vec<String> = row.paths.iter().map(|p| escape(&path_line(p))).collect();
            if !row.missing.is_empty() {
                detail.push(escape(&format!("missing: {}", joined(&row.missing))));
            }
            detail.extend(row_notes(row, &path_line).iter().map(|l| escape(l)));
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

pub fn joined(items: &[impl ToString]) -> String {
    items
        .iter()
        .map(ToString::to_string)
        .collect::<Vec<_>>()
        .join(", ")
}

/// Text for a Markdown table cell: HTML as entities, control characters visible, `|` and
/// `\\` escaped, line breaks as spaces (as the library's Markdown reports write cells).
pub fn md(text: &str) -> String {
    reqgap::report::sanitize::markdown_text(text)
        .replace('\\', "\\\\")
        .replace('|', "\\|")
        .replace('\n', " ")
}

/// Text for HTML: markup as entities, control characters visible.
pub fn escape(text: &str) -> String {
    reqgap::report::sanitize::visible_controls(text)
        .replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}
