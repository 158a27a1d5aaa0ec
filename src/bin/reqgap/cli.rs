use std::path::PathBuf;

use chrono::NaiveDate;
use clap::builder::PossibleValue;
use clap::{Args, Parser, Subcommand, ValueEnum};
use reqgap::gaps::GapKind;
use reqgap::report::Format;
use reqgap::source::schema::SchemaFile;

/// Standards-change gap analysis: compare versions of a standard, map them to your
/// controls, and give every gap an owner and a deadline.
///
/// Exit codes: 0 ok, 1 gaps found that the policy fails on, 2 usage or input error.
#[derive(Debug, Parser)]
#[command(name = "reqgap", version, max_term_width = 100)]
pub struct Cli {
    #[command(flatten)]
    pub global: GlobalArgs,

    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Args)]
pub struct GlobalArgs {
    /// Also load the catalogs in this folder (repeatable). A catalog here replaces a bundled
    /// one of the same standard and version.
    #[arg(long = "catalogs", value_name = "DIR", global = true)]
    pub catalog_dirs: Vec<PathBuf>,

    /// Also load the curated transition files in this folder (repeatable), laid out as
    /// `<standard>/<from>--<to>.yaml`. A file here replaces a bundled one for the same
    /// pair of versions.
    #[arg(long = "mappings", value_name = "DIR", global = true)]
    pub mapping_dirs: Vec<PathBuf>,

    /// Also load the crosswalk files (correspondences between standards) in this folder
    /// (repeatable), besides the bundled ones under `mappings/crosswalks/` and those that
    /// reqgap.yaml names under `crosswalks:`.
    #[arg(long = "crosswalks", value_name = "DIR", global = true)]
    pub crosswalk_dirs: Vec<PathBuf>,

    /// Let paths in reqgap.yaml (owners, controls, catalogs, mappings, crosswalks, waivers) lead outside
    /// the folder reqgap runs in. Without it such a path is an error (`path-outside-root`),
    /// so that an inventory from a pull request cannot make reqgap read files elsewhere.
    #[arg(long, global = true)]
    pub allow_outside_root: bool,

    /// When to colour terminal output. NO_COLOR in the environment turns colour off.
    #[arg(long, value_enum, default_value_t = ColorChoice::Auto, global = true)]
    pub color: ColorChoice,

    /// Separate CSV fields with this character instead of `,` (`;` for Excel in locales
    /// with a decimal comma, `tab` for tabs).
    #[arg(long, value_name = "CHAR", global = true, value_parser = reqgap::report::CsvOptions::delimiter_from)]
    pub csv_delimiter: Option<char>,

    /// Start CSV output with a UTF-8 byte-order mark, so that Excel reads it as UTF-8.
    #[arg(long, global = true)]
    pub bom: bool,
}

impl GlobalArgs {
    pub fn csv_options(&self) -> reqgap::report::CsvOptions {
        reqgap::report::CsvOptions {
            delimiter: self.csv_delimiter.unwrap_or(','),
            bom: self.bom,
        }
    }
}

impl GlobalArgs {
    /// Where reqgap.yaml's paths may lead, per `--allow-outside-root`.
    pub fn path_rule(&self) -> reqgap::source::inventory::PathRule {
        if self.allow_outside_root {
            reqgap::source::inventory::PathRule::Anywhere
        } else {
            reqgap::source::inventory::PathRule::WithinWorkingFolder
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ColorChoice {
    Auto,
    Always,
    Never,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// List every known catalog: bundled ones and those in --catalogs folders.
    Catalogs(CatalogsArgs),
    /// Show a catalog's sections and requirements, or some requirements in full.
    Show(ShowArgs),
    /// Compare two versions of a standard: unchanged, changed (editorial or substantive),
    /// renumbered, split, merged, added and removed requirements, and changed clauses.
    Diff(DiffArgs),
    /// Report every open gap of an inventory, each with an owner, a due date and an
    /// escalation path. Exits 0 whatever it finds (`check` applies a policy).
    Gaps(GapsArgs),
    /// Run the gap analysis and apply the policy of reqgap.yaml, for CI: exit 0 when the
    /// policy holds, 1 when it fails, 2 on usage or input errors.
    Check(CheckArgs),
    /// Validate catalog files and inventory folders; report every problem with its file,
    /// line and column.
    Validate(ValidateArgs),
    /// Turn an OSCAL catalog, an ETSI deliverable's text or a CSV export into a catalog.
    Import(crate::commands::import::ImportArgs),
    /// Write the management report: executive summary per target, what is new in the
    /// edition, owners with their overdue items and escalations, coverage per clause, the
    /// trend from earlier runs, and every gap (HTML, xlsx or Markdown).
    Report(crate::commands::report::ReportArgs),
    /// Draw the inventory graph (requirements → controls → dependencies → owners →
    /// escalation) as DOT, Mermaid or SVG.
    Graph(crate::commands::graph::GraphArgs),
    /// Print the JSON Schema of an input file, for editors and CI validation.
    Schema(SchemaArgs),
    /// Carry the inventory's mappings forward to the target version after a standard
    /// update: renumbered IDs move, unchanged ones are raised, the rest is listed for review.
    Migrate(crate::commands::migrate::MigrateArgs),
    /// Record that controls' mappings were reviewed against the target version, or that a
    /// not-applicable decision due for review still holds, closing their needs-review gaps.
    Review(crate::commands::review::ReviewArgs),
    /// Write a commented starter inventory into a new folder.
    Init(crate::commands::init::InitArgs),
    /// How each requirement of a target is met: directly, via a crosswalk path (with the
    /// path), partially, or not at all.
    Coverage(crate::commands::coverage::CoverageArgs),
    /// What a crosswalk between two standards maps to what, and what maps to nothing.
    Crosswalk(crate::commands::crosswalk::CrosswalkArgs),
    /// Print a shell completion script (see the README for where to put it).
    Completions(CompletionsArgs),
    /// Print the manual page in roff, or write one page per subcommand to a folder.
    Man(ManArgs),
}

#[derive(Debug, Args)]
pub struct CompletionsArgs {
    /// The shell to complete in.
    #[arg(value_enum)]
    pub shell: clap_complete::Shell,
}

#[derive(Debug, Args)]
pub struct ManArgs {
    /// Write `reqgap.1` and one `reqgap-<command>.1` per subcommand into this folder
    /// (created when missing) instead of printing `reqgap.1`.
    #[arg(long, value_name = "DIR")]
    pub dir: Option<PathBuf>,
}

#[derive(Debug, Args)]
pub struct GapsArgs {
    /// The inventory folder (the one with reqgap.yaml).
    #[arg(default_value = ".", value_name = "DIR")]
    pub dir: PathBuf,

    /// The date the analysis runs as of (YYYY-MM-DD); decides what is overdue and stale.
    /// Default: today's date on this machine.
    #[arg(long, value_name = "DATE", value_parser = parse_date)]
    pub today: Option<NaiveDate>,

    /// Only gaps owned by this owner ID (an unknown ID is an error naming the known ones).
    #[arg(long, value_name = "ID")]
    pub owner: Option<String>,

    /// Only gaps of these kinds (comma-separated).
    #[arg(long, value_enum, value_delimiter = ',', value_name = "KIND")]
    pub kind: Vec<KindArg>,

    /// Only gaps whose due date has passed.
    #[arg(long)]
    pub overdue: bool,

    /// Only overdue gaps whose escalation chain reaches this owner ID: what has escalated
    /// to them (e.g. `--escalated-to board`).
    #[arg(long, value_name = "ID")]
    pub escalated_to: Option<String>,

    /// Output format.
    #[arg(long, value_enum, default_value_t = GapsFormat::Table)]
    pub format: GapsFormat,

    /// Write the report to FILE (atomically: all or nothing; missing parent folders are
    /// created) instead of standard output; a summary line still goes to standard output.
    #[arg(long, short = 'o', value_name = "FILE")]
    pub output: Option<PathBuf>,
}

#[derive(Debug, Args)]
pub struct CheckArgs {
    /// The inventory folder (the one with reqgap.yaml).
    #[arg(default_value = ".", value_name = "DIR")]
    pub dir: PathBuf,

    /// The date to check as of (YYYY-MM-DD): due dates, overdue gaps, waiver expiry;
    /// default: today's date on this machine.
    #[arg(long, value_name = "DATE", value_parser = parse_date)]
    pub today: Option<NaiveDate>,

    /// A JSON report of an earlier run (`check` or `gaps` with `--format json`): gaps it
    /// lists do not fail the check, and gaps it lists that are gone are reported resolved.
    #[arg(long, value_name = "FILE")]
    pub baseline: Option<PathBuf>,

    /// Output format. Machine formats (json, sarif, junit, github) also carry input
    /// errors, so that CI shows them where it shows gaps.
    #[arg(long, value_enum, default_value_t = CheckFormat::Table)]
    pub format: CheckFormat,

    /// Write the report to FILE (atomically: all or nothing; missing parent folders are
    /// created) instead of standard output; the verdict line still goes to standard output.
    #[arg(long, short = 'o', value_name = "FILE")]
    pub output: Option<PathBuf>,
}

#[derive(Debug, Args)]
pub struct SchemaArgs {
    /// Which file's schema to print.
    #[arg(value_enum)]
    pub file: SchemaArg,
}

#[derive(Debug, Args)]
pub struct DiffArgs {
    /// The older version: `<standard>@<version>` or a catalog file.
    pub old: String,

    /// The newer version: `<standard>@<version>` or a catalog file.
    pub new: String,

    /// Output format (json has a stable schema, see docs/diff.md).
    #[arg(long, value_enum, default_value_t = DiffFormat::Table)]
    pub format: DiffFormat,

    /// Only these classes, comma-separated: unchanged, changed, renumbered, split, merged,
    /// added, removed. Tables list unchanged requirements only when named here.
    #[arg(long, value_delimiter = ',', value_name = "CLASSES")]
    pub only: Vec<reqgap::diff::ChangeClass>,

    /// Only changes whose old or new clause is this one or lies below it, e.g. 7.9.
    #[arg(long, value_name = "CLAUSE")]
    pub section: Option<String>,

    /// Only matched changes whose score is at least this (0 to 1); added and removed
    /// requirements have no score and are always shown.
    #[arg(long, value_name = "SCORE", value_parser = parse_score)]
    pub min_score: Option<f64>,

    /// Ignore every curated source (transition files and publisher links), to check what
    /// detection finds on its own.
    #[arg(long)]
    pub detect_only: bool,

    /// Instead of the diff, explain how this requirement of OLD was matched: what the diff
    /// decided and the best candidates of NEW with their scores and signals (table or
    /// json).
    #[arg(long, value_name = "OLD-ID")]
    pub explain: Option<String>,

    /// The date written as the `--format oscal` export's `last-modified` (YYYY-MM-DD);
    /// default: today's date on this machine.
    #[arg(long, value_name = "YYYY-MM-DD", value_parser = parse_date)]
    pub today: Option<NaiveDate>,
}

/// Declares the `--format` values of one subcommand: only the formats it supports, so that
/// `--help` and shell completion offer nothing that would fail.
macro_rules! subcommand_format {
    ($name:ident { $($variant:ident),+ $(,)? }) => {
        #[derive(Debug, Clone, Copy, PartialEq, Eq)]
        pub enum $name {
            $($variant,)+
        }

        impl From<$name> for Format {
            fn from(value: $name) -> Format {
                match value {
                    $($name::$variant => Format::$variant,)+
                }
            }
        }

        impl ValueEnum for $name {
            fn value_variants<'a>() -> &'a [Self] {
                &[$($name::$variant,)+]
            }

            fn to_possible_value(&self) -> Option<PossibleValue> {
                let format = Format::from(*self);
                Some(PossibleValue::new(format.name()).help(format_help(format)))
            }
        }
    };
}

subcommand_format!(CatalogsFormat {
    Table,
    Json,
    Markdown
});
subcommand_format!(ShowFormat {
    Table,
    Json,
    Markdown
});
subcommand_format!(DiffFormat {
    Table,
    Json,
    Markdown,
    Csv,
    Oscal
});
subcommand_format!(GapsFormat {
    Table,
    Json,
    Markdown,
    Html,
    Csv,
    OscalPoam
});
subcommand_format!(CheckFormat {
    Table,
    Json,
    Markdown,
    Html,
    Csv,
    Sarif,
    Junit,
    Github
});

/// The one-line help of each output format.
fn format_help(format: Format) -> &'static str {
    match format {
        Format::Table => "Tables for people reading a terminal",
        Format::Json => "JSON with a documented, stable schema, for tools",
        Format::Markdown => "Markdown, for pull requests, tickets and management notes",
        Format::Html => "A self-contained HTML page",
        Format::Sarif => "SARIF 2.1.0, for GitHub code scanning",
        Format::Junit => "JUnit XML, for GitLab and Jenkins test reports",
        Format::Github => "GitHub Actions workflow commands (annotations)",
        Format::Csv => "Comma-separated values (RFC 4180), for spreadsheets",
        Format::OscalPoam => "OSCAL 1.2 plan of action and milestones (JSON), one item per gap",
        Format::Oscal => {
            "OSCAL 1.2 mapping-collection (JSON): the transition, curated and detected, or the crosswalk"
        }
    }
}

/// Parses a score between 0 and 1.
fn parse_score(text: &str) -> Result<f64, String> {
    match text.parse::<f64>() {
        Ok(score) if (0.0..=1.0).contains(&score) => Ok(score),
        _ => Err(format!("`{text}` is not a score between 0 and 1")),
    }
}

#[derive(Debug, Args)]
pub struct CatalogsArgs {
    /// Output format.
    #[arg(long, value_enum, default_value_t = CatalogsFormat::Table)]
    pub format: CatalogsFormat,
}

#[derive(Debug, Args)]
pub struct ShowArgs {
    /// The catalog: `<standard>@<version>`, `<standard>` for its newest version, or a
    /// catalog file; or a requirement as reports name it, `<standard>@<version>:<ID>`.
    pub catalog: String,

    /// Requirement IDs to show in full; none shows the whole catalog. The names reports
    /// print (`<standard>@<version>:<ID>`) are accepted too.
    pub ids: Vec<String>,

    /// Output format.
    #[arg(long, value_enum, default_value_t = ShowFormat::Table)]
    pub format: ShowFormat,
}

#[derive(Debug, Args)]
pub struct ValidateArgs {
    /// Any reqgap file (catalog, transition or crosswalk, controls, owners, waivers,
    /// reqgap.yaml/reqgap.yml, recognised by its keys), folders searched for such files, or
    /// inventory folders (those with a reqgap.yaml), which are validated as a whole.
    #[arg(required = true, value_name = "FILE|DIR")]
    pub paths: Vec<PathBuf>,

    /// The date to validate as of (YYYY-MM-DD), e.g. to refuse evidence reviewed in the
    /// future; default: today's date on this machine.
    #[arg(long, value_name = "DATE", value_parser = parse_date)]
    pub today: Option<NaiveDate>,
}

/// Parses a YYYY-MM-DD date argument.
pub fn parse_date(text: &str) -> Result<NaiveDate, String> {
    reqgap::source::catalog::parse_date(text).ok_or_else(|| {
        match reqgap::source::date_problem(text) {
            (message, Some(help)) => format!("{message}\n  {help}"),
            (message, None) => message,
        }
    })
}

/// The analysis date: `--today` when given, else the machine's local date.
pub fn today(arg: Option<NaiveDate>) -> NaiveDate {
    arg.unwrap_or_else(|| chrono::Local::now().date_naive())
}

/// A schema's file kind as a command-line value.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct SchemaArg(pub SchemaFile);

impl clap::ValueEnum for SchemaArg {
    fn value_variants<'a>() -> &'a [Self] {
        const FILES: [SchemaArg; SchemaFile::ALL.len()] = {
            let mut files = [SchemaArg(SchemaFile::Catalog); SchemaFile::ALL.len()];
            let mut i = 0;
            while i < files.len() {
                files[i] = SchemaArg(SchemaFile::ALL[i]);
                i += 1;
            }
            files
        };
        &FILES
    }

    fn to_possible_value(&self) -> Option<clap::builder::PossibleValue> {
        Some(clap::builder::PossibleValue::new(self.0.name()).help(self.0.description()))
    }
}

/// A gap kind as a command-line value (the library's `GapKind` knows nothing of clap).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct KindArg(pub GapKind);

impl clap::ValueEnum for KindArg {
    fn value_variants<'a>() -> &'a [Self] {
        const KINDS: [KindArg; GapKind::ALL.len()] = {
            let mut kinds = [KindArg(GapKind::Uncovered); GapKind::ALL.len()];
            let mut i = 0;
            while i < kinds.len() {
                kinds[i] = KindArg(GapKind::ALL[i]);
                i += 1;
            }
            kinds
        };
        &KINDS
    }

    fn to_possible_value(&self) -> Option<clap::builder::PossibleValue> {
        Some(clap::builder::PossibleValue::new(self.0.code()))
    }
}
