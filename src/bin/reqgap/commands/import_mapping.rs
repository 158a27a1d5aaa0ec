//! `reqgap import oscal-mapping FILE`: an OSCAL 1.2 mapping-collection as a reqgap crosswalk
//! file (two standards) or transition file (two versions of one standard), checked against
//! the known catalogs before anything is written.

use std::io::Write;
use std::path::PathBuf;

use clap::Args;
use reqgap::diag::SourceFile;
use reqgap::import::oscal_mapping::{import, Endpoints, MappingFile};
use reqgap::source::crosswalk::parse_crosswalk;
use reqgap::source::transition::parse_transition;
use reqgap::source::{display_path, read_text};

use super::import::OutputArgs;
use super::load_catalogs;
use crate::cli::GlobalArgs;
use crate::output::{warn, Failure, Outcome};

#[derive(Debug, Args)]
pub struct OscalMappingArgs {
    /// The mapping-collection (JSON) with one mapping between two catalogs: of two
    /// standards it becomes a crosswalk file, of two versions of one standard a
    /// transition file.
    #[arg(value_name = "FILE")]
    pub file: PathBuf,

    /// The catalog of the mapping's source resource, `<standard>@<version>`, for files that
    /// do not name it in reqgap's property (files from other tools).
    #[arg(long, value_name = "STANDARD@VERSION")]
    pub from: Option<String>,

    /// The catalog of the mapping's target resource, as `--from`.
    #[arg(long, value_name = "STANDARD@VERSION")]
    pub to: Option<String>,

    #[command(flatten)]
    pub output: OutputArgs,
}

pub fn run(global: &GlobalArgs, args: &OscalMappingArgs) -> Result<Outcome, Failure> {
    let catalogs = load_catalogs(global)?;
    let endpoints = Endpoints {
        from: args.from.clone(),
        to: args.to.clone(),
    };
    let imported = import(&read_text(&args.file)?, &endpoints)?;
    let text = match &imported.file {
        MappingFile::Crosswalk(file) => reqgap::source::crosswalk::render(file)?,
        MappingFile::Transition(file) => reqgap::source::transition::render(file)?,
    };
    // The file must hold against the catalogs before it is written: every ID known,
    // every entry cited.
    let written_as = args
        .output
        .output
        .as_deref()
        .map_or_else(|| "<stdout>".to_owned(), display_path);
    let written = SourceFile::new(written_as, text.clone());
    let kind = match &imported.file {
        MappingFile::Crosswalk(_) => parse_crosswalk(&written, &catalogs).map(|_| "crosswalk")?,
        MappingFile::Transition(_) => {
            parse_transition(&written, &catalogs).map(|_| "transition")?
        }
    };
    warn(&imported.warnings);
    super::import::write_result(&text, &args.output)?;
    let [from, to] = imported.file.endpoints();
    let (maps, entries, skipped) = (imported.maps, imported.file.entries(), imported.skipped);
    let _ = writeln!(
        std::io::stderr().lock(),
        "read {} ({maps} maps): wrote the {kind} {from} → {to}, {entries} entries kept, {skipped} skipped",
        display_path(&args.file),
    );
    Ok(Outcome::Success)
}
