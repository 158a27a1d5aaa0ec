//! `reqgap import oscal|etsi|csv`: read a publisher's or a GRC tool's file, build a
//! catalog, and write it as canonical catalog YAML (stdout, or atomically to `-o FILE`).

use std::io::Write;
use std::path::{Path, PathBuf};

use chrono::NaiveDate;
use clap::{Args, Subcommand};
use reqgap::diag::{Code, Diagnostic, Diagnostics, Location};
use reqgap::import::{self, compare, csv, etsi_text, markdown, oscal, HeaderOverrides, Imported};
use reqgap::model::Origin;
use reqgap::source::{display_path, read_text, write::write_atomic_checked, MAX_FILE_BYTES};

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
    match &args.from {
        ImportFrom::Controls(args) => super::import_controls::run(global, args),
        ImportFrom::OscalMapping(args) => super::import_mapping::run(global, args),
        ImportFrom::Oscal(args) if args.transition => run_transition(args),
        ImportFrom::Oscal(args) => {
            let [file] = args.files.as_slice() else {
                return Err(Failure::Usage(
                    "import oscal takes one catalog; two only with --transition OLD NEW".into(),
                ));
            };
            let options = oscal_options(args, args.header.overrides()?);
            let imported = oscal::import(&read_text(file)?, &options)?;
            let from = format!("OSCAL {}", display_path(file));
            finish(global, imported, &from, &args.findings, &args.output)
        }
        ImportFrom::Etsi(args) => run_etsi(global, args),
        ImportFrom::Markdown(args) => run_markdown(global, args),
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
            let imported = csv::import(&read_text(&args.file)?, &options)?;
            let from = format!("CSV {}", display_path(&args.file));
            finish(global, imported, &from, &args.findings, &args.output)
        }
    }
}

fn run_etsi(global: &GlobalArgs, args: &EtsiArgs) -> Result<Outcome, Failure> {
    let display = display_path(&args.file);
    let bytes = read_bytes(&args.file)?;
    let (file, form) = etsi_text::read_document(&display, bytes)?;
    if args.extract_text {
        return write_result(&file.text, &args.output);
    }
    let imported = etsi_text::import(&file, &args.header.overrides()?)?;
    let from = format!("{display} ({})", form.describe());
    finish(global, imported, &from, &args.findings, &args.output)
}

fn run_markdown(global: &GlobalArgs, args: &MarkdownArgs) -> Result<Outcome, Failure> {
    let options = markdown::MarkdownOptions {
        header: args.header.overrides()?,
        short_name: args.short_name.clone(),
    };
    let result = markdown::import(&read_text(&args.file)?, &options)?;
    let from = format!("Markdown {}", display_path(&args.file));
    let outcome = finish(global, result.imported, &from, &args.findings, &args.output)?;
    eprintln_summary(&result.counts.summary());
    Ok(outcome)
}

/// The bytes of an input that may be binary (a PDF), with the limits `read_text` applies.
fn read_bytes(path: &Path) -> Result<Vec<u8>, Failure> {
    let display = display_path(path);
    let located = |error: std::io::Error| {
        Failure::from(
            Diagnostic::error(Code::CannotRead, error.to_string()).at(Location::file(&display)),
        )
    };
    let metadata = std::fs::metadata(path).map_err(located)?;
    if !metadata.is_file() {
        return Err(Diagnostic::error(Code::NotAFile, "expected a file")
            .at(Location::file(&display))
            .into());
    }
    if metadata.len() > MAX_FILE_BYTES {
        return Err(Diagnostic::error(
            Code::InputTooLarge,
            format!(
                "the file has {} bytes; reqgap reads files of at most {MAX_FILE_BYTES} bytes",
                metadata.len()
            ),
        )
        .at(Location::file(&display))
        .into());
    }
    std::fs::read(path).map_err(located)
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
    let import_one = |path: &PathBuf, version: &Option<String>| {
        let header = HeaderOverrides {
            version: version.clone(),
            ..shared_header(&args.header)
        };
        oscal::import(&read_text(path)?, &oscal_options(args, header))
    };
    let (old_catalog, new_catalog) =
        match (import_one(old, &versions[0]), import_one(new, &versions[1])) {
            (Ok(old), Ok(new)) => (old, new),
            (old, new) => {
                let mut problems = Diagnostics::new();
                problems.extend(old.err().unwrap_or_default());
                problems.extend(new.err().unwrap_or_default());
                return Err(Failure::Input(problems.sorted()));
            }
        };
    let transition = oscal::transition(
        &old_catalog.catalog,
        &new_catalog.catalog,
        &display_path(new),
    )?;
    let mut warnings = old_catalog.warnings.clone();
    warnings.extend(new_catalog.warnings.iter().cloned());
    warnings.extend(transition.warnings.iter().cloned());
    report_warnings(&warnings, &args.findings)?;
    let text = oscal::render_transition(&transition)?;
    write_result(&text, &args.output)?;
    eprintln_summary(&format!(
        "wrote the transition {} → {}: {} correspondences, {}",
        transition.from,
        transition.to,
        transition.correspondences.len(),
        import::plural(warnings.len(), "warning")
    ));
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
        return Err(Failure::Input(import::warnings_as_errors(warnings)));
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

/// Warnings of one kind shown before the rest are only counted.
const WARNINGS_PER_KIND: usize = 10;

fn finish(
    global: &GlobalArgs,
    imported: Imported,
    from: &str,
    findings: &FindingArgs,
    output: &OutputArgs,
) -> Result<Outcome, Failure> {
    report_warnings(&imported.warnings, findings)?;
    let text = import::render(&imported.catalog)?;
    let outcome = match &findings.compare {
        Some(spec) => {
            let set = load_catalogs(global)?;
            let reference = set.resolve(spec)?;
            let mut comparison = compare::compare(&imported.catalog, reference);
            comparison.converted = format!("the import of {from}");
            comparison.reference = match &reference.origin {
                Origin::Bundled(_) => format!("the bundled {}", reference.key()),
                Origin::File(path) => format!("{} ({path})", reference.key()),
            };
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
    eprintln_summary(&imported.summary(from));
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
