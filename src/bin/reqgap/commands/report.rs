//! `reqgap report`: the management report (HTML, xlsx or Markdown) of an inventory, with
//! the trend from earlier JSON gap reports.

use std::io::Write;
use std::path::{Path, PathBuf};

use chrono::NaiveDate;
use clap::{Args, ValueEnum};
use reqgap::source::history::{self, History};
use reqgap::summary::ManagementReport;

use crate::cli::{parse_date, today, GlobalArgs};
use crate::output::{write_output, Failure, Outcome};

#[derive(Debug, Args)]
pub struct ReportArgs {
    /// The inventory folder (the one with reqgap.yaml).
    #[arg(default_value = ".", value_name = "DIR")]
    pub dir: PathBuf,

    /// Output format; default: from the extension of --output (.html, .xlsx, .md), else
    /// html.
    #[arg(long, value_enum)]
    pub format: Option<ReportFormat>,

    /// Write the report to FILE (atomically: all or nothing; missing folders are created)
    /// instead of standard output.
    /// Required for xlsx.
    #[arg(long, short = 'o', value_name = "FILE")]
    pub output: Option<PathBuf>,

    /// A folder of earlier JSON gap reports (`reqgap gaps --format json`), one per run,
    /// dated by their `today` field or a YYYY-MM-DD in the file name: they give the trend
    /// and the change since the last report.
    #[arg(long, value_name = "DIR")]
    pub history: Option<PathBuf>,

    /// Write the agenda of the next management meeting (Markdown, for the minutes) instead
    /// of the report: where each target stands, the items ranked first, the decisions to
    /// take; with --history, what was done since the last meeting (gaps closed, decisions
    /// confirmed with `reqgap review`).
    #[arg(long)]
    pub meeting: bool,

    /// The date the report is made as of (YYYY-MM-DD); default: today's date on this
    /// machine.
    #[arg(long, value_name = "DATE", value_parser = parse_date)]
    pub today: Option<NaiveDate>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ReportFormat {
    /// One self-contained page (inline CSS and SVG, no scripts), for screens and A4.
    Html,
    /// An Excel workbook: Summary, Gaps, New in edition, and one sheet per owner.
    Xlsx,
    /// Markdown with Mermaid diagrams, for wikis, tickets and minutes.
    Markdown,
}

pub fn run(global: &GlobalArgs, args: &ReportArgs) -> Result<Outcome, Failure> {
    let format = chosen_format(args)?;
    if args.meeting
        && format != ReportFormat::Markdown
        && (args.format.is_some() || args.output.is_some())
    {
        return Err(Failure::Usage(
            "the meeting agenda is Markdown: name the file .md, or leave out --format".to_owned(),
        ));
    }
    let format = if args.meeting {
        ReportFormat::Markdown
    } else {
        format
    };
    if format == ReportFormat::Xlsx && args.output.is_none() {
        return Err(Failure::Usage(
            "an xlsx workbook is binary: name the file with --output FILE".to_owned(),
        ));
    }
    let history = match &args.history {
        Some(dir) => history::load_with(dir, &global.path_rule())?,
        None => History::default(),
    };
    let analysed = super::gaps::analyse(global, &args.dir, today(args.today))?;
    super::gaps::warn_provenance(&analysed.report);
    let report = analysed.management_report(&history);
    let bytes = match format {
        _ if args.meeting => report.to_agenda().into_bytes(),
        ReportFormat::Html => report.to_html().into_bytes(),
        ReportFormat::Markdown => report.to_markdown().into_bytes(),
        ReportFormat::Xlsx => report.to_xlsx()?,
    };
    let mut stdout = std::io::stdout().lock();
    match &args.output {
        Some(path) => {
            write_output(path, &bytes)?;
            writeln!(
                stdout,
                "{}",
                summary_line(&report, format, args.meeting, path)
            )?;
        }
        None => stdout.write_all(&bytes)?,
    }
    stdout.flush()?;
    Ok(Outcome::Success)
}

/// What was written, in one line: the file, its format, and the figures on its first page.
fn summary_line(
    report: &ManagementReport,
    format: ReportFormat,
    meeting: bool,
    path: &Path,
) -> String {
    let counts = report.counts();
    let name = match format {
        _ if meeting => "meeting agenda",
        ReportFormat::Html => "HTML report",
        ReportFormat::Xlsx => "xlsx workbook",
        ReportFormat::Markdown => "Markdown report",
    };
    let targets: Vec<String> = report
        .targets
        .iter()
        .map(|t| {
            format!(
                "{} {:.1}% covered",
                t.summary.catalog, t.summary.coverage_percent
            )
        })
        .collect();
    format!(
        "Wrote {name} to {}: {}; {} gaps, {} overdue, as of {}",
        path.display(),
        targets.join(", "),
        counts.total_open(),
        counts.total_overdue(),
        report.today
    )
}

/// `--format`, else the output file's extension, else HTML. A PDF is refused: the HTML
/// page is laid out for A4 and a browser prints it; writing HTML into a `.pdf` file would
/// hand the reader a file no PDF viewer opens.
fn chosen_format(args: &ReportArgs) -> Result<ReportFormat, Failure> {
    let extension = args
        .output
        .as_deref()
        .and_then(Path::extension)
        .and_then(|e| e.to_str())
        .map(str::to_ascii_lowercase);
    if extension.as_deref() == Some("pdf") {
        return Err(Failure::Usage(
            "reqgap writes no PDF; write HTML (`-o report.html`) and print it to PDF from a browser: \
             the page is laid out for A4, the board page first (e.g. `chromium --headless --print-to-pdf=report.pdf report.html`)"
                .to_owned(),
        ));
    }
    if let Some(format) = args.format {
        return Ok(format);
    }
    match extension.as_deref() {
        None => Ok(ReportFormat::Html),
        Some("html" | "htm") => Ok(ReportFormat::Html),
        Some("xlsx") => Ok(ReportFormat::Xlsx),
        Some("md" | "markdown") => Ok(ReportFormat::Markdown),
        Some(other) => Err(Failure::Usage(format!(
            "cannot tell the report format from `.{other}`: name the file .html, .xlsx or .md, or pass --format"
        ))),
    }
}
