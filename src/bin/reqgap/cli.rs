use std::path::PathBuf;

use chrono::NaiveDate;
use clap::{Args, Parser, Subcommand, ValueEnum};
use reqgap::gaps::GapKind;
use reqgap::report::Format;

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
    /// (repeatable), besides the bundled ones under `mappings/crosswalks/`.
    #[arg(long = "crosswalks", value_name = "DIR", global = true)]
    pub crosswalk_dirs: Vec<PathBuf>,

    /// Let paths in reqgap.yaml (owners, controls, catalogs, mappings, waivers) lead outside
    /// the folder reqgap runs in. Without it such a path is an error (`path-outside-root`),
    /// so that an inventory from a pull request cannot make reqgap read files elsewhere.
    #[arg(long, global = true)]
    pub allow_outside_root: bool,

    /// When to colour terminal output. NO_COLOR in the environment turns colour off.
    #[arg(long, value_enum, default_value_t = ColorChoice::Auto, global = true)]
    pub color: ColorChoice,
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
    /// Record that controls' mappings were reviewed against the target version, closing
    /// their needs-review gaps.
    Review(crate::commands::review::ReviewArgs),
    /// Write a commented starter inventory into a new folder.
    Init(crate::commands::init::InitArgs),
    /// How each requirement of a target is met: directly, via a crosswalk path (with the
    /// path), partially, or not at all.
    Coverage(crate::commands::coverage::CoverageArgs),
    /// What a crosswalk between two standards maps to what, and what maps to nothing.
    Crosswalk(crate::commands::crosswalk::CrosswalkArgs),
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

    /// Only gaps owned by this owner ID.
    #[arg(long, value_name = "ID")]
    pub owner: Option<String>,

    /// Only gaps of these kinds (comma-separated).
    #[arg(long, value_enum, value_delimiter = ',', value_name = "KIND")]
    pub kind: Vec<KindArg>,

    /// Output format: table, json, markdown or csv.
    #[arg(long, value_enum, default_value_t = Format::Table)]
    pub format: Format,
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

    /// Output format: table, json, markdown, sarif, junit or github.
    #[arg(long, value_enum, default_value_t = Format::Table)]
    pub format: Format,

    /// Write the report to FILE (atomically: all or nothing) instead of standard output;
    /// the verdict line still goes to standard output.
    #[arg(long, short = 'o', value_name = "FILE")]
    pub output: Option<PathBuf>,
}

#[derive(Debug, Args)]
pub struct SchemaArgs {
    /// Which file's schema to print.
    #[arg(value_enum)]
    pub file: reqgap::source::schema::SchemaFile,
}

#[derive(Debug, Args)]
pub struct DiffArgs {
    /// The older version: `<standard>@<version>` or a catalog file.
    pub old: String,

    /// The newer version: `<standard>@<version>` or a catalog file.
    pub new: String,

    /// Output format: table, json (stable schema, see docs/diff.md), markdown or csv.
    #[arg(long, value_enum, default_value_t = Format::Table)]
    pub format: Format,

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
    /// Output format: table or json.
    #[arg(long, value_enum, default_value_t = Format::Table)]
    pub format: Format,
}

#[derive(Debug, Args)]
pub struct ShowArgs {
    /// The catalog: `<standard>@<version>`, `<standard>` for its newest version, or a
    /// catalog file.
    pub catalog: String,

    /// Requirement IDs to show in full; none shows the whole catalog.
    pub ids: Vec<String>,

    /// Output format: table, json or markdown.
    #[arg(long, value_enum, default_value_t = Format::Table)]
    pub format: Format,
}

#[derive(Debug, Args)]
pub struct ValidateArgs {
    /// Catalog files, folders searched for `.yaml`/`.yml` catalog files, or inventory
    /// folders (those with a reqgap.yaml), which are validated as a whole.
    #[arg(required = true, value_name = "FILE|DIR")]
    pub paths: Vec<PathBuf>,

    /// The date to validate as of (YYYY-MM-DD), e.g. to refuse evidence reviewed in the
    /// future; default: today's date on this machine.
    #[arg(long, value_name = "DATE", value_parser = parse_date)]
    pub today: Option<NaiveDate>,
}

/// Parses a YYYY-MM-DD date argument.
pub fn parse_date(text: &str) -> Result<NaiveDate, String> {
    reqgap::source::catalog::parse_date(text)
        .ok_or_else(|| format!("`{text}` is not a date of the form YYYY-MM-DD"))
}

/// The analysis date: `--today` when given, else the machine's local date.
pub fn today(arg: Option<NaiveDate>) -> NaiveDate {
    arg.unwrap_or_else(|| chrono::Local::now().date_naive())
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
