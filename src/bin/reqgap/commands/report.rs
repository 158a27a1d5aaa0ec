//! `reqgap report`: the management report (HTML, xlsx or Markdown) of an inventory, with
//! the trend from earlier JSON gap reports.

use std::io::Write;
use std::path::{Path, PathBuf};

use chrono::NaiveDate;
use clap::{Args, ValueEnum};
use reqgap::report::management::{Input, ManagementReport};
use reqgap::source::history::{self, History};

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
    let format = args
        .format
        .or_else(|| args.output.as_deref().and_then(format_of))
        .unwrap_or(ReportFormat::Html);
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
    let report = ManagementReport::build(&Input::of(&analysed), &history);
    let bytes = match format {
        ReportFormat::Html => report.to_html().into_bytes(),
        ReportFormat::Markdown => report.to_markdown().into_bytes(),
        ReportFormat::Xlsx => report.to_xlsx()?,
    };
    match &args.output {
        Some(path) => write_output(path, &bytes)?,
        None => {
            let mut stdout = std::io::stdout().lock();
            stdout.write_all(&bytes)?;
            stdout.flush()?;
        }
    }
    Ok(Outcome::Success)
}

fn format_of(path: &Path) -> Option<ReportFormat> {
    match path.extension()?.to_str()?.to_ascii_lowercase().as_str() {
        "html" | "htm" => Some(ReportFormat::Html),
        "xlsx" => Some(ReportFormat::Xlsx),
        "md" | "markdown" => Some(ReportFormat::Markdown),
        _ => None,
    }
}
