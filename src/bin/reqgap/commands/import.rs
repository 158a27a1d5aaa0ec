//! `reqgap import oscal|etsi-text|csv`: read a publisher's or a GRC tool's file, build a
//! catalog, and write it as canonical catalog YAML (stdout, or atomically to `-o FILE`).

use std::io::Write;
use std::path::{Path, PathBuf};

use chrono::NaiveDate;
use clap::{Args, Subcommand};
use reqgap::diag::{Code, Diagnostic, Diagnostics, Location};
use reqgap::import::{self, csv, etsi_text, oscal, HeaderOverrides, Imported};
use reqgap::source::{display_path, read_text, write::write_atomic_checked};

use crate::output::{warn, Failure, Outcome};

#[derive(Debug, Args)]
pub struct ImportArgs {
    #[command(subcommand)]
    pub from: ImportFrom,
}

#[derive(Debug, Subcommand)]
pub enum ImportFrom {
    /// An OSCAL catalog (JSON, or YAML when the name ends in .yaml/.yml), e.g. NIST
    /// SP 800-53. With --transition OLD NEW: a transition file from NEW's withdrawal links.
    Oscal(OscalArgs),
    /// The text of an ETSI EN/TS deliverable, as made by `pdftotext -layout`.
    EtsiText(EtsiTextArgs),
    /// A spreadsheet exported as CSV (comma or semicolon separated, detected).
    Csv(CsvArgs),
    /// A control register exported from a spreadsheet as CSV: one control file per ID
    /// prefix, mapped to the target version.
    Controls(super::import_controls::ControlsArgs),
}

/// Where the result goes.
#[derive(Debug, Args)]
pub struct OutputArgs {
    /// Write the result to FILE (atomically) instead of stdout.
    #[arg(short = 'o', long = "output", value_name = "FILE")]
    pub output: Option<PathBuf>,

    /// Replace FILE if it exists.
    #[arg(long)]
    pub force: bool,
}

/// Catalog header values that replace what the input says.
#[derive(Debug, Args)]
pub struct HeaderArgs {
    /// Slug of the standard, the same for all its versions, e.g. nist-sp-800-53.
    #[arg(long, value_name = "SLUG")]
    pub standard: Option<String>,

    /// Version of the catalog, e.g. 5.0.1.
    #[arg(long, value_name = "VERSION")]
    pub version: Option<String>,

    /// Full title of the standard.
    #[arg(long, value_name = "TEXT")]
    pub title: Option<String>,

    /// Publication date (YYYY-MM-DD).
    #[arg(long, value_name = "DATE", value_parser = parse_date)]
    pub published: Option<NaiveDate>,
}

#[derive(Debug, Args)]
pub struct OscalArgs {
    /// The OSCAL catalog; with --transition, the older and the newer catalog.
    #[arg(value_name = "CATALOG", required = true, num_args = 1..=2)]
    pub files: Vec<PathBuf>,

    /// Use the printed labels (AC-2, AC-2(1)) as requirement IDs instead of the OSCAL ids
    /// (ac-2, ac-2.1).
    #[arg(long)]
    pub label: bool,

    /// Append each control's guidance to its text.
    #[arg(long)]
    pub with_guidance: bool,

    /// Read two catalogs, OLD and NEW, and write the curated transition file made from
    /// NEW's moved-to and incorporated-into links.
    #[arg(long)]
    pub transition: bool,

    #[command(flatten)]
    pub header: HeaderArgs,

    #[command(flatten)]
    pub output: OutputArgs,
}

#[derive(Debug, Args)]
pub struct EtsiTextArgs {
    /// The text file made by `pdftotext -layout` from the deliverable's PDF.
    #[arg(value_name = "FILE")]
    pub file: PathBuf,

    #[command(flatten)]
    pub header: HeaderArgs,

    #[command(flatten)]
    pub output: OutputArgs,
}

#[derive(Debug, Args)]
pub struct CsvArgs {
    /// The CSV file (UTF-8, with or without BOM).
    #[arg(value_name = "FILE")]
    pub file: PathBuf,

    /// Column headers for reqgap's fields, e.g. --map "id=Control ID,text=Requirement".
    /// Fields: id, section, section-title, title, text, level. Repeatable.
    #[arg(long, value_name = "FIELD=HEADER,...")]
    pub map: Vec<String>,

    /// Slug of the standard, e.g. acme-security-baseline.
    #[arg(long, value_name = "SLUG")]
    pub standard: String,

    /// Version of the catalog, e.g. 2025.1.
    #[arg(long, value_name = "VERSION")]
    pub version: String,

    /// Publication date (YYYY-MM-DD).
    #[arg(long, value_name = "DATE", value_parser = parse_date)]
    pub published: NaiveDate,

    /// Full title of the standard; defaults to the slug.
    #[arg(long, value_name = "TEXT")]
    pub title: Option<String>,

    #[command(flatten)]
    pub output: OutputArgs,
}

fn parse_date(text: &str) -> Result<NaiveDate, String> {
    reqgap::source::catalog::parse_date(text)
        .ok_or_else(|| format!("`{text}` is not a date of the form YYYY-MM-DD"))
}

impl From<&HeaderArgs> for HeaderOverrides {
    fn from(args: &HeaderArgs) -> Self {
        HeaderOverrides {
            standard: args.standard.clone(),
            version: args.version.clone(),
            title: args.title.clone(),
            published: args.published,
        }
    }
}

pub fn run(global: &crate::cli::GlobalArgs, args: &ImportArgs) -> Result<Outcome, Failure> {
    match &args.from {
        ImportFrom::Controls(args) => super::import_controls::run(global, args),
        ImportFrom::Oscal(args) if args.transition => run_transition(args),
        ImportFrom::Oscal(args) => {
            let [file] = args.files.as_slice() else {
                return Err(Failure::Usage(
                    "import oscal takes one catalog; two only with --transition OLD NEW".into(),
                ));
            };
            let options = oscal_options(args);
            let imported = oscal::import(&read_text(file)?, &options)?;
            finish(imported, &args.output)
        }
        ImportFrom::EtsiText(args) => {
            let overrides = HeaderOverrides::from(&args.header);
            let imported = etsi_text::import(&read_text(&args.file)?, &overrides)?;
            finish(imported, &args.output)
        }
        ImportFrom::Csv(args) => {
            let options = csv::CsvOptions {
                columns: csv::ColumnMap::parse(&args.map).map_err(Failure::Usage)?,
                header: HeaderOverrides {
                    standard: Some(args.standard.clone()),
                    version: Some(args.version.clone()),
                    title: args.title.clone(),
                    published: Some(args.published),
                },
            };
            let imported = csv::import(&read_text(&args.file)?, &options)?;
            finish(imported, &args.output)
        }
    }
}

fn oscal_options(args: &OscalArgs) -> oscal::OscalOptions {
    oscal::OscalOptions {
        label: args.label,
        with_guidance: args.with_guidance,
        header: HeaderOverrides::from(&args.header),
    }
}

fn run_transition(args: &OscalArgs) -> Result<Outcome, Failure> {
    let [old, new] = args.files.as_slice() else {
        return Err(Failure::Usage(
            "--transition takes two catalogs: the older, then the newer".into(),
        ));
    };
    if args.header.version.is_some() || args.header.published.is_some() {
        return Err(Failure::Usage(
            "--version and --published name one catalog; with --transition each file's own are used".into(),
        ));
    }
    let options = oscal::OscalOptions {
        ..oscal_options(args)
    };
    let mut problems = Diagnostics::new();
    let old_catalog = oscal::import(&read_text(old)?, &options);
    let new_catalog = oscal::import(&read_text(new)?, &options);
    let (old_catalog, new_catalog) = match (old_catalog, new_catalog) {
        (Ok(old), Ok(new)) => {
            warn(&old.warnings);
            warn(&new.warnings);
            (old.catalog, new.catalog)
        }
        (old, new) => {
            problems.extend(old.err().unwrap_or_default());
            problems.extend(new.err().unwrap_or_default());
            return Err(Failure::Input(problems.sorted()));
        }
    };
    let transition = oscal::transition(&old_catalog, &new_catalog, &display_path(new))?;
    let text = oscal::render_transition(&transition)?;
    write_result(&text, &args.output)
}

fn finish(imported: Imported, output: &OutputArgs) -> Result<Outcome, Failure> {
    warn(&imported.warnings);
    let text = import::render(&imported.catalog)?;
    write_result(&text, output)
}

fn write_result(text: &str, output: &OutputArgs) -> Result<Outcome, Failure> {
    match &output.output {
        None => {
            let mut out = std::io::stdout().lock();
            out.write_all(text.as_bytes())?;
            out.flush()?;
        }
        Some(path) => write_atomic_checked(path, text.as_bytes(), output.force)
            .map_err(|e| write_error(path, &e))?,
    }
    Ok(Outcome::Success)
}

fn write_error(path: &Path, error: &std::io::Error) -> Failure {
    let display = display_path(path);
    let diagnostic = if error.kind() == std::io::ErrorKind::AlreadyExists {
        Diagnostic::error(Code::OutputExists, "the output file already exists")
            .note("help: pass --force to replace it")
    } else {
        Diagnostic::error(Code::CannotWrite, error.to_string())
    };
    Failure::Input(diagnostic.at(Location::file(display)).into())
}
