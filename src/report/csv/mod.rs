//! CSV (RFC 4180) for spreadsheets: one row per entry, a header row, CRLF-free so that
//! version control diffs stay readable.

mod diff;
mod gaps;

use std::io::Write;

use super::{DiffView, ReportError, Reporter};
use crate::gaps::GapReport;

pub struct CsvReporter;

impl Reporter for CsvReporter {
    fn name(&self) -> &'static str {
        "csv"
    }

    fn diff(&self, view: &DiffView<'_>, out: &mut dyn Write) -> Result<(), ReportError> {
        diff::report(view, out)
    }

    fn gaps(&self, report: &GapReport, out: &mut dyn Write) -> Result<(), ReportError> {
        gaps::report(report, out)
    }
}

/// Quotes a field when it holds a comma, quote or line break (RFC 4180), after
/// neutralising formulas (see [`super::sanitize::csv_cell`]).
pub(crate) fn field(text: &str) -> String {
    let text = super::sanitize::csv_cell(text);
    if text.contains([',', '"', '\n', '\r']) {
        format!("\"{}\"", text.replace('"', "\"\""))
    } else {
        text.into_owned()
    }
}

/// Writes one record.
pub(crate) fn record(out: &mut dyn Write, fields: &[String]) -> Result<(), ReportError> {
    let line: Vec<String> = fields.iter().map(|f| field(f)).collect();
    writeln!(out, "{}", line.join(","))?;
    Ok(())
}
