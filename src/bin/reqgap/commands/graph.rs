//! `reqgap graph`: a picture of the inventory graph (requirements → controls →
//! dependencies → owners → escalation) as DOT, Mermaid or SVG.

use std::io::Write;
use std::path::PathBuf;

use chrono::NaiveDate;
use clap::{Args, ValueEnum};
use reqgap::model::{ControlId, OwnerId};
use reqgap::picture::{Picture, PictureError, Selection};
use reqgap::report::graph_view::{dot, mermaid, svg::svg_file};

use crate::cli::{parse_date, today, GlobalArgs};
use crate::output::{write_output, Failure, Outcome};

#[derive(Debug, Args)]
pub struct GraphArgs {
    /// The inventory folder (the one with reqgap.yaml).
    #[arg(default_value = ".", value_name = "DIR")]
    pub dir: PathBuf,

    /// dot (Graphviz), mermaid (renders inline in GitHub and GitLab Markdown) or svg
    /// (laid out by reqgap; for pictures of at most 150 nodes).
    #[arg(long, value_enum, default_value_t = GraphFormat::Mermaid)]
    pub format: GraphFormat,

    /// Draw this requirement, the controls that claim it and their owners:
    /// `<standard>@<version>:<id>`, or a bare ID for every version in play (repeatable).
    #[arg(long, value_name = "KEY")]
    pub requirement: Vec<String>,

    /// Draw this control, its requirements, dependencies and owners (repeatable).
    #[arg(long, value_name = "ID")]
    pub control: Vec<String>,

    /// Draw this owner, the controls it owns and whom it escalates to (repeatable).
    #[arg(long, value_name = "ID")]
    pub owner: Vec<String>,

    /// The analysis date (YYYY-MM-DD), which decides who answers for open gaps; default:
    /// today's date on this machine.
    #[arg(long, value_name = "DATE", value_parser = parse_date)]
    pub today: Option<NaiveDate>,

    /// Write the picture to FILE (atomically) instead of standard output.
    #[arg(long, short = 'o', value_name = "FILE")]
    pub output: Option<PathBuf>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum GraphFormat {
    Dot,
    Mermaid,
    Svg,
}

pub fn run(global: &GlobalArgs, args: &GraphArgs) -> Result<Outcome, Failure> {
    let analysed = super::gaps::analyse(global, &args.dir, today(args.today))?;
    let selection = Selection {
        requirements: args.requirement.clone(),
        controls: args.control.iter().map(ControlId::new).collect(),
        owners: args.owner.iter().map(OwnerId::new).collect(),
    };
    let usage = |e: PictureError| Failure::Usage(e.to_string());
    let picture =
        Picture::build(&analysed.loaded.inventory, &analysed.report, &selection).map_err(usage)?;
    let text = match args.format {
        GraphFormat::Dot => dot(&picture),
        GraphFormat::Mermaid => mermaid(&picture),
        GraphFormat::Svg => {
            picture.check_svg_size().map_err(usage)?;
            svg_file(&picture)
        }
    };
    match &args.output {
        Some(path) => write_output(path, text.as_bytes())?,
        None => {
            let mut stdout = std::io::stdout().lock();
            stdout.write_all(text.as_bytes())?;
            stdout.flush()?;
        }
    }
    Ok(Outcome::Success)
}
