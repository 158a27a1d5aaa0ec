//! Reports: one serialisable model per command, and one [`Reporter`] per output format.
//! Machine formats serialise the model; none scrapes the human text.

pub mod catalogs;
pub(crate) mod coverage;
pub(crate) mod csv;
pub mod diff;
#[cfg(test)]
mod enum_names_test;
pub(crate) mod github;
pub mod graph_view;
pub(crate) mod html;
pub mod input;
pub(crate) mod json;
pub(crate) mod junit;
pub mod management;
pub(crate) mod markdown;
pub mod oscal;
pub mod sanitize;
pub(crate) mod sarif;
pub(crate) mod table;
pub(crate) mod through;

use std::io::{self, Write};

pub use catalogs::{CatalogList, CatalogSummary, CatalogView};
pub use csv::{field as csv_field, CsvOptions};
pub use diff::{DiffFilter, DiffView};
pub use input::InputErrors;

use crate::check::CheckReport;
use crate::gaps::coverage::{Listing, Matrix};
use crate::gaps::GapReport;

/// Output formats. Not every format suits every command; asking for one that does not
/// gives a usage error naming those that do.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Format {
    /// Tables for people reading a terminal.
    Table,
    /// JSON with a documented, stable schema, for tools.
    Json,
    /// Markdown, for pull requests, tickets and management notes.
    Markdown,
    /// A self-contained HTML page.
    Html,
    /// SARIF 2.1.0, for GitHub code scanning and other static-analysis viewers.
    Sarif,
    /// JUnit XML, for GitLab and Jenkins test reports.
    Junit,
    /// GitHub Actions workflow commands (annotations on the lines that cause gaps).
    Github,
    /// Comma-separated values (RFC 4180), one row per entry, for spreadsheets.
    Csv,
    /// OSCAL 1.2 plan of action and milestones (JSON), one item per gap.
    OscalPoam,
    /// OSCAL 1.2 mapping-collection (JSON): a transition between versions, or a crosswalk.
    Oscal,
}

impl Format {
    /// The name the command line uses (`--format NAME`).
    pub fn name(self) -> &'static str {
        match self {
            Format::Table => "table",
            Format::Json => "json",
            Format::Markdown => "markdown",
            Format::Html => "html",
            Format::Sarif => "sarif",
            Format::Junit => "junit",
            Format::Github => "github",
            Format::Csv => "csv",
            Format::OscalPoam => "oscal-poam",
            Format::Oscal => "oscal",
        }
    }
}

/// How human formats are drawn.
#[derive(Clone, Copy, Debug, Default)]
pub struct Style {
    /// Use ANSI colours (only on a terminal, never with NO_COLOR).
    pub color: bool,
    /// Wrap tables to this many columns (the terminal's, `COLUMNS`, or 100 when piped);
    /// `None` draws them at their natural width, for files written with `--output`.
    pub width: Option<u16>,
    /// Delimiter and byte-order mark of CSV output.
    pub csv: csv::CsvOptions,
}

/// Why a report could not be written.
#[derive(Debug, thiserror::Error)]
pub enum ReportError {
    /// The writer failed.
    #[error(transparent)]
    Io(#[from] io::Error),
    /// The format does not render this report.
    #[error("format `{format}` is not available for {report}")]
    Unsupported {
        /// The format's name.
        format: &'static str,
        /// The report's command.
        report: &'static str,
    },
}

fn unsupported(format: &'static str, report: &'static str) -> Result<(), ReportError> {
    Err(ReportError::Unsupported { format, report })
}

/// Writes each report model in one output format. A format implements what it supports;
/// the rest answers [`ReportError::Unsupported`]. Reporters hold no state beyond their
/// style, so one can serve several threads (a server rendering reports, say).
pub trait Reporter: Send + Sync {
    /// The format's name, for errors.
    fn name(&self) -> &'static str;

    /// `reqgap catalogs`.
    fn catalog_list(&self, _list: &CatalogList, _out: &mut dyn Write) -> Result<(), ReportError> {
        unsupported(self.name(), "`catalogs`")
    }

    /// `reqgap show`.
    fn catalog(&self, _view: &CatalogView<'_>, _out: &mut dyn Write) -> Result<(), ReportError> {
        unsupported(self.name(), "`show`")
    }

    /// `reqgap gaps`.
    fn gaps(&self, _report: &GapReport, _out: &mut dyn Write) -> Result<(), ReportError> {
        unsupported(self.name(), "`gaps`")
    }

    /// `reqgap check`.
    fn check(&self, _report: &CheckReport, _out: &mut dyn Write) -> Result<(), ReportError> {
        unsupported(self.name(), "`check`")
    }

    /// `reqgap diff`.
    fn diff(&self, _view: &DiffView<'_>, _out: &mut dyn Write) -> Result<(), ReportError> {
        unsupported(self.name(), "`diff`")
    }

    /// `reqgap coverage`: the coverage matrix of each target.
    fn coverage(&self, _matrices: &[Matrix], _out: &mut dyn Write) -> Result<(), ReportError> {
        unsupported(self.name(), "`coverage`")
    }

    /// `reqgap crosswalk`, and `reqgap diff` of two standards: what a crosswalk maps to
    /// what, and what maps to nothing on either side.
    fn crosswalk(&self, _listing: &Listing, _out: &mut dyn Write) -> Result<(), ReportError> {
        unsupported(self.name(), "`crosswalk`")
    }

    /// Input errors that stopped a run, in this format, so that CI shows them where it
    /// shows gaps. Human formats leave them to standard error.
    fn input_errors(
        &self,
        _errors: &InputErrors<'_>,
        _out: &mut dyn Write,
    ) -> Result<(), ReportError> {
        unsupported(self.name(), "input errors")
    }
}

/// The reporter for `format`.
pub fn reporter(format: Format, style: Style) -> Box<dyn Reporter> {
    match format {
        Format::Table => Box::new(table::TableReporter { style }),
        Format::Json => Box::new(json::JsonReporter),
        Format::Markdown => Box::new(markdown::MarkdownReporter),
        Format::Html => Box::new(html::HtmlReporter),
        Format::Sarif => Box::new(sarif::SarifReporter::default()),
        Format::Junit => Box::new(junit::JunitReporter),
        Format::Github => Box::new(github::GithubReporter),
        Format::Csv => Box::new(csv::CsvReporter { options: style.csv }),
        Format::OscalPoam => Box::new(oscal::poam::PoamReporter),
        Format::Oscal => Box::new(oscal::MappingReporter),
    }
}

/// The SARIF reporter with the places of requirements in catalog files of the repository,
/// which gaps on them carry as related locations.
pub fn sarif_reporter(
    requirement_places: std::collections::BTreeMap<
        crate::model::RequirementKey,
        crate::model::Place,
    >,
) -> Box<dyn Reporter> {
    Box::new(sarif::SarifReporter { requirement_places })
}

/// Writes `value` as pretty JSON with a final newline.
pub(crate) fn write_json<T: serde::Serialize>(
    value: &T,
    out: &mut dyn Write,
) -> Result<(), ReportError> {
    // Buffered here: serialising through `dyn Write` costs a dynamic call per token, and
    // a diff of two large editions is megabytes of tokens. A buffer of the whole text
    // would cost as much again in memory.
    let mut buffered = io::BufWriter::with_capacity(1 << 16, out);
    let mut serializer =
        serde_json::Serializer::with_formatter(&mut buffered, PrettyJson::default());
    value.serialize(&mut serializer).map_err(io::Error::from)?;
    buffered.write_all(b"\n")?;
    buffered.flush()?;
    Ok(())
}

/// serde_json's pretty layout (two spaces per level), each line break and its indent
/// written at once rather than one level at a time.
#[derive(Default)]
pub(crate) struct PrettyJson {
    depth: usize,
    has_value: bool,
}

impl PrettyJson {
    /// The layout of a value that starts `depth` levels inside a document.
    pub(crate) fn at_depth(depth: usize) -> Self {
        PrettyJson {
            depth,
            has_value: false,
        }
    }

    fn new_line<W: ?Sized + Write>(&self, writer: &mut W, comma: bool) -> io::Result<()> {
        const SPACES: &[u8] = &[b' '; 64];
        writer.write_all(if comma { b",\n" } else { b"\n" })?;
        let mut indent = 2 * self.depth;
        while indent > 0 {
            let run = indent.min(SPACES.len());
            writer.write_all(&SPACES[..run])?;
            indent -= run;
        }
        Ok(())
    }

    fn open<W: ?Sized + Write>(&mut self, writer: &mut W, bracket: &[u8]) -> io::Result<()> {
        self.depth += 1;
        self.has_value = false;
        writer.write_all(bracket)
    }

    fn close<W: ?Sized + Write>(&mut self, writer: &mut W, bracket: &[u8]) -> io::Result<()> {
        self.depth -= 1;
        if self.has_value {
            self.new_line(writer, false)?;
        }
        writer.write_all(bracket)
    }
}

impl serde_json::ser::Formatter for PrettyJson {
    fn begin_array<W: ?Sized + Write>(&mut self, writer: &mut W) -> io::Result<()> {
        self.open(writer, b"[")
    }

    fn end_array<W: ?Sized + Write>(&mut self, writer: &mut W) -> io::Result<()> {
        self.close(writer, b"]")
    }

    fn begin_array_value<W: ?Sized + Write>(
        &mut self,
        writer: &mut W,
        first: bool,
    ) -> io::Result<()> {
        self.new_line(writer, !first)
    }

    fn end_array_value<W: ?Sized + Write>(&mut self, _writer: &mut W) -> io::Result<()> {
        self.has_value = true;
        Ok(())
    }

    fn begin_object<W: ?Sized + Write>(&mut self, writer: &mut W) -> io::Result<()> {
        self.open(writer, b"{")
    }

    fn end_object<W: ?Sized + Write>(&mut self, writer: &mut W) -> io::Result<()> {
        self.close(writer, b"}")
    }

    fn begin_object_key<W: ?Sized + Write>(
        &mut self,
        writer: &mut W,
        first: bool,
    ) -> io::Result<()> {
        self.new_line(writer, !first)
    }

    fn begin_object_value<W: ?Sized + Write>(&mut self, writer: &mut W) -> io::Result<()> {
        writer.write_all(b": ")
    }

    fn end_object_value<W: ?Sized + Write>(&mut self, _writer: &mut W) -> io::Result<()> {
        self.has_value = true;
        Ok(())
    }
}

/// Escapes text for a Markdown table cell (and HTML and control characters, see
/// [`sanitize`]).
pub(crate) fn md_cell(text: &str) -> String {
    sanitize::markdown_text(text)
        .replace('\\', "\\\\")
        .replace('|', "\\|")
        .replace('\n', " ")
}
