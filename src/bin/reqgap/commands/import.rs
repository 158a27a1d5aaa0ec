//! `reqgap import oscal|etsi|csv`: read a publisher's or a GRC tool's file, build a
//! catalog, and write it as canonical catalog YAML (stdout, or atomically to `-o FILE`).

use std::io::Write;
use std::path::{Path, PathBuf};

use chrono::NaiveDate;
use clap::{Args, Subcommand};
use reqgap::diag::{Code, Diagnostic, Location};
use reqgap::import::files::{self, FileImport, ImportFile};
use reqgap::import::{self, csv, markdown, oscal, HeaderOverrides};
use reqgap::source::{display_path, write::write_atomic_checked};

use super::load_catalogs;
use crate::cli::{parse_date, GlobalArgs};
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
    /// An ETSI EN/TS deliverable as published: its PDF, or its text (pdftotext with or
    /// without -layout, or any extraction without form feeds), detected by content.
    #[command(visible_alias = "etsi-text")]
    Etsi(EtsiArgs),
    /// A spreadsheet exported as CSV (comma or semicolon separated, detected).
    Csv(CsvArgs),
    /// A control register exported from a spreadsheet as CSV: one control file per ID
    /// prefix, mapped to the target version.
    Controls(super::import_controls::ControlsArgs),
    /// An OSCAL 1.2 mapping-collection (JSON) as a crosswalk file (two standards) or a
    /// transition file (two versions of one standard), e.g. one written by `reqgap
    /// crosswalk A B --format oscal` or `reqgap diff A B --format oscal`.
    OscalMapping(super::import_mapping::OscalMappingArgs),
    /// A standard written as numbered Markdown (CA/Browser Forum requirements, the Mozilla
    /// Root Store Policy): one requirement per numbered section with text, with the
    /// revision table and dated milestones.
    Markdown(MarkdownArgs),
}

#[derive(Debug, Args)]
pub struct MarkdownArgs {
    /// The Markdown document (UTF-8; LF or CRLF line ends).
    #[arg(value_name = "FILE")]
    pub file: PathBuf,

    /// The prefix of every requirement ID (`BR` gives `BR-6.3.2`); detected from the
    /// document's title when not given.
    #[arg(long, value_name = "NAME")]
    pub short_name: Option<String>,

    #[command(flatten)]
    pub header: HeaderArgs,

    #[command(flatten)]
    pub findings: FindingArgs,

    #[command(flatten)]
    pub output: OutputArgs,
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

/// How findings are treated, and what the converted catalog is checked against.
#[derive(Debug, Args)]
pub struct FindingArgs {
    /// Treat every warning as an error: exit 2 and write nothing unless the input is
    /// read without a single finding.
    #[arg(long)]
    pub strict: bool,

    /// Show every warning; by default the first 10 of each kind are shown and the rest
    /// counted.
    #[arg(long)]
    pub verbose: bool,

    /// Compare the imported catalog with a known one (bundled, or in --catalogs), e.g.
    /// etsi-en-319-401@3.1.1: list the IDs, levels, statuses, markers and sections that
    /// differ, or say that they agree. Prints the comparison instead of the catalog
    /// (the catalog is still written with -o); exit 1 when they differ.
    #[arg(long, value_name = "STANDARD@VERSION")]
    pub compare: Option<String>,
}

/// Catalog header values that replace what the input says.
#[derive(Debug, Args)]
pub struct HeaderArgs {
    /// Slug of the standard, the same for all its versions, e.g. nist-sp-800-53.
    #[arg(long, value_name = "SLUG")]
    pub standard: Option<String>,

    /// Version of the catalog, e.g. 5.0.1. With --transition, give it twice: the older
    /// catalog's, then the newer's.
    #[arg(long, value_name = "VERSION")]
    pub version: Vec<String>,

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
    pub findings: FindingArgs,

    #[command(flatten)]
    pub output: OutputArgs,
}

#[derive(Debug, Args)]
pub struct EtsiArgs {
    /// The deliverable: its PDF, or a text file made from it (pdftotext -layout is best).
    #[arg(value_name = "FILE")]
    pub file: PathBuf,

    /// Print the text reqgap reads (for a PDF: the text it extracted, whose line numbers
    /// the warnings cite) instead of importing.
    #[arg(long)]
    pub extract_text: bool,

    #[command(flatten)]
    pub header: HeaderArgs,

    #[command(flatten)]
    pub findings: FindingArgs,

    #[command(flatten)]
    pub output: OutputArgs,
}

#[derive(Debug, Args)]
pub struct CsvArgs {
    /// The CSV file (UTF-8, with or without BOM).
    #[arg(value_name = "FILE")]
    pub file: PathBuf,

    /// Column headers for reqgap's fields, e.g. --map "id=Control ID,text=Requirement".
    /// Fields: id, section, section-title, title, text, level, status. Repeatable.
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

    /// Import rows whose text matches PATTERN as withdrawn, e.g. '[DELETED*' for the rows
    /// ASVS marks deleted. `*` matches anything; case is ignored; the whole text must match.
    /// A `status` column (active, withdrawn, deleted) does the same per row.
    #[arg(long, value_name = "PATTERN")]
    pub withdrawn_pattern: Option<String>,

    #[command(flatten)]
    pub findings: FindingArgs,

    #[command(flatten)]
    pub output: OutputArgs,
}

impl HeaderArgs {
    /// The header values for one catalog: at most one `--version`.
    fn overrides(&self) -> Result<HeaderOverrides, Failure> {
        let version = match self.version.as_slice() {
            [] => None,
            [version] => Some(version.clone()),
            _ => {
                return Err(Failure::Usage(
                    "--version is given more than once; twice only with --transition OLD NEW"
                        .into(),
                ))
            }
        };
        Ok(HeaderOverrides {
            standard: self.standard.clone(),
            version,
            title: self.title.clone(),
            published: self.published,
        })
    }
}

pub fn run(global: &GlobalArgs, args: &ImportArgs) -> Result<Outcome, Failure> {
    let (file, findings, output) = match &args.from {
        ImportFrom::Controls(args) => return super::import_controls::run(global, args),
        ImportFrom::OscalMapping(args) => return super::import_mapping::run(global, args),
        ImportFrom::Oscal(args) if args.transition => return run_transition(args),
        ImportFrom::Oscal(args) => {
            let [file] = args.files.as_slice() else {
                return Err(Failure::Usage(
                    "import oscal takes one catalog; two only with --transition OLD NEW".into(),
                ));
            };
            let options = oscal_options(args, args.header.overrides()?);
            let file = ImportFile::Oscal(file.clone(), options);
            (file, &args.findings, &args.output)
        }
        ImportFrom::Etsi(args) if args.extract_text => {
            let (file, _) = files::read_etsi(&args.file)?;
            return write_result(&file.text, &args.output);
        }
        ImportFrom::Etsi(args) => {
            let file = ImportFile::Etsi(args.file.clone(), args.header.overrides()?);
            (file, &args.findings, &args.output)
        }
        ImportFrom::Markdown(args) => {
            let options = markdown::MarkdownOptions {
                header: args.header.overrides()?,
                short_name: args.short_name.clone(),
            };
            let file = ImportFile::Markdown(args.file.clone(), options);
            (file, &args.findings, &args.output)
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
                withdrawn_pattern: args.withdrawn_pattern.clone(),
            };
            (
                ImportFile::Csv(args.file.clone(), options),
                &args.findings,
                &args.output,
            )
        }
    };
    let import = file.import()?;
    let outcome = finish(global, &import, findings, output)?;
    if let Some(counts) = &import.counts {
        eprintln_summary(counts);
    }
    Ok(outcome)
}

fn oscal_options(args: &OscalArgs, header: HeaderOverrides) -> oscal::OscalOptions {
    oscal::OscalOptions {
        label: args.label,
        with_guidance: args.with_guidance,
        header,
    }
}

/// `--transition OLD NEW`: each file is imported with the shared flags and its own
/// `--version` (given twice, old then new) and `--published` refused (it would name one).
fn run_transition(args: &OscalArgs) -> Result<Outcome, Failure> {
    let [old, new] = args.files.as_slice() else {
        return Err(Failure::Usage(
            "--transition takes two catalogs: the older, then the newer".into(),
        ));
    };
    if args.header.published.is_some() || args.findings.compare.is_some() {
        return Err(Failure::Usage(
            "--published and --compare name one catalog; with --transition each file's own dates are used".into(),
        ));
    }
    let versions: [Option<String>; 2] = match args.header.version.as_slice() {
        [] => [None, None],
        [old, new] => [Some(old.clone()), Some(new.clone())],
        _ => {
            return Err(Failure::Usage(
                "with --transition, give --version twice (the older catalog's, then the newer's) or not at all".into(),
            ))
        }
    };
    let options = versions.map(|version| {
        let header = HeaderOverrides {
            version,
            ..shared_header(&args.header)
        };
        oscal_options(args, header)
    });
    let imported = files::oscal_transition([old, new], [&options[0], &options[1]])?;
    report_warnings(&imported.warnings, &args.findings)?;
    write_result(&imported.render()?, &args.output)?;
    eprintln_summary(&imported.summary());
    Ok(Outcome::Success)
}

/// The shared header values, without the version (which differs per catalog).
fn shared_header(args: &HeaderArgs) -> HeaderOverrides {
    HeaderOverrides {
        standard: args.standard.clone(),
        version: None,
        title: args.title.clone(),
        published: args.published,
    }
}

/// Warnings on stderr, limited per kind unless `--verbose`; under `--strict` they fail
/// the import instead.
fn report_warnings(warnings: &[Diagnostic], findings: &FindingArgs) -> Result<(), Failure> {
    if findings.strict && !warnings.is_empty() {
        return Err(Failure::Input(warnings_as_errors(warnings)));
    }
    let limit = (!findings.verbose).then_some(WARNINGS_PER_KIND);
    let (shown, hidden) = import::limit_per_code(warnings, limit);
    let shown: Vec<Diagnostic> = shown.into_iter().cloned().collect();
    warn(&shown);
    for (code, count) in hidden {
        eprintln_summary(&format!(
            "note: and {count} more {code} warnings (--verbose shows all)"
        ));
    }
    Ok(())
}

/// Under `--strict`, every warning becomes an error: the import fails and nothing is
/// written.
fn warnings_as_errors(warnings: &[Diagnostic]) -> reqgap::diag::Diagnostics {
    reqgap::diag::Diagnostics(
        warnings
            .iter()
            .map(|w| Diagnostic {
                severity: reqgap::diag::Severity::Error,
                ..w.clone()
            })
            .collect(),
    )
}

/// Warnings of one kind shown before the rest are only counted.
const WARNINGS_PER_KIND: usize = 10;

fn finish(
    global: &GlobalArgs,
    import: &FileImport,
    findings: &FindingArgs,
    output: &OutputArgs,
) -> Result<Outcome, Failure> {
    report_warnings(&import.imported.warnings, findings)?;
    let text = import::render(&import.imported.catalog)?;
    let outcome = match &findings.compare {
        Some(spec) => {
            let set = load_catalogs(global)?;
            let comparison = import.compare(set.resolve(spec)?);
            if output.output.is_some() {
                write_result(&text, output)?;
            }
            let mut out = std::io::stdout().lock();
            out.write_all(comparison.render().as_bytes())?;
            out.flush()?;
            if comparison.agrees() {
                Outcome::Success
            } else {
                Outcome::PolicyFailed
            }
        }
        None => write_result(&text, output)?,
    };
    eprintln_summary(&import.summary());
    Ok(outcome)
}

fn eprintln_summary(line: &str) {
    let _ = writeln!(std::io::stderr().lock(), "{line}");
}

pub(super) fn write_result(text: &str, output: &OutputArgs) -> Result<Outcome, Failure> {
    match &output.output {
        None => {
            let mut out = std::io::stdout().lock();
            out.write_all(text.as_bytes())?;
            out.flush()?;
        }
        Some(path) => crate::output::create_parent_folders(path)
            .and_then(|()| write_atomic_checked(path, text.as_bytes(), output.force))
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
