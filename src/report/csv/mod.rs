//! CSV (RFC 4180) for spreadsheets: one row per entry, a header row, CRLF-free so that
//! version control diffs stay readable.

mod check;
mod diff;
mod gaps;

use std::io::Write;

use super::{DiffView, ReportError, Reporter};
use crate::check::CheckReport;
use crate::gaps::coverage::Listing;
use crate::gaps::GapReport;

/// How CSV is written for the spreadsheet that reads it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct CsvOptions {
    /// The field separator: `,` by default; `;` for spreadsheets in locales where the comma
    /// is the decimal separator (Excel in most of Europe).
    pub delimiter: char,
    /// Start with a UTF-8 byte-order mark, without which Excel reads UTF-8 as a legacy
    /// code page and garbles accented names.
    pub bom: bool,
}

impl Default for CsvOptions {
    fn default() -> Self {
        CsvOptions {
            delimiter: ',',
            bom: false,
        }
    }
}

impl CsvOptions {
    /// Refuses separators that would make the file ambiguous: quotes, line breaks and
    /// anything but one ASCII character.
    pub fn delimiter_from(text: &str) -> Result<char, String> {
        let delimiter = match text {
            "\\t" | "tab" => '\t',
            _ => {
                let mut chars = text.chars();
                match (chars.next(), chars.next()) {
                    (Some(c), None) => c,
                    _ => return Err(format!("`{text}` is not one character")),
                }
            }
        };
        if !delimiter.is_ascii() || matches!(delimiter, '"' | '\n' | '\r') {
            return Err(format!("`{text}` cannot separate CSV fields"));
        }
        Ok(delimiter)
    }

    fn start(&self, out: &mut dyn Write) -> Result<(), ReportError> {
        if self.bom {
            out.write_all("\u{FEFF}".as_bytes())?;
        }
        Ok(())
    }
}

pub struct CsvReporter {
    pub options: CsvOptions,
}

impl Reporter for CsvReporter {
    fn name(&self) -> &'static str {
        "csv"
    }

    fn crosswalk(&self, listing: &Listing, out: &mut dyn Write) -> Result<(), ReportError> {
        Ok(super::coverage::crosswalk::csv(listing, self.options, out)?)
    }

    fn diff(&self, view: &DiffView<'_>, out: &mut dyn Write) -> Result<(), ReportError> {
        self.options.start(out)?;
        diff::report(view, self.options.delimiter, out)
    }

    fn gaps(&self, report: &GapReport, out: &mut dyn Write) -> Result<(), ReportError> {
        self.options.start(out)?;
        gaps::report(report, self.options.delimiter, out)
    }

    fn check(&self, report: &CheckReport, out: &mut dyn Write) -> Result<(), ReportError> {
        self.options.start(out)?;
        check::report(report, self.options.delimiter, out)
    }
}

/// Quotes a field when it holds the delimiter, a quote or a line break (RFC 4180), after
/// neutralising formulas (see [`super::sanitize::csv_cell`]).
pub fn field(text: &str, delimiter: char) -> String {
    let text = super::sanitize::csv_cell(text);
    if text.contains([delimiter, '"', '\n', '\r']) {
        format!("\"{}\"", text.replace('"', "\"\""))
    } else {
        text.into_owned()
    }
}

/// Writes one record.
pub(crate) fn record(
    out: &mut dyn Write,
    delimiter: char,
    fields: &[String],
) -> Result<(), ReportError> {
    let line: Vec<String> = fields.iter().map(|f| field(f, delimiter)).collect();
    writeln!(out, "{}", line.join(&delimiter.to_string()))?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fields_holding_the_delimiter_are_quoted() {
        assert_eq!(field("a;b", ';'), "\"a;b\"");
        assert_eq!(field("a,b", ';'), "a,b");
        let mut out = Vec::new();
        CsvOptions {
            delimiter: ';',
            bom: true,
        }
        .start(&mut out)
        .unwrap();
        record(&mut out, ';', &["x".into(), "y;z".into()]).unwrap();
        assert_eq!(out, "\u{FEFF}x;\"y;z\"\n".as_bytes());
    }

    #[test]
    fn only_unambiguous_delimiters_are_accepted() {
        assert_eq!(CsvOptions::delimiter_from(";"), Ok(';'));
        assert_eq!(CsvOptions::delimiter_from("tab"), Ok('\t'));
        assert!(CsvOptions::delimiter_from("\"").is_err());
        assert!(CsvOptions::delimiter_from(";;").is_err());
        assert!(CsvOptions::delimiter_from("§").is_err());
    }
}
