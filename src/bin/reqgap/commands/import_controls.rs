//! `reqgap import controls FILE.csv --target STD@VER -o DIR`: a control register from a
//! spreadsheet becomes control files (all written, or none).

use std::io::Write;
use std::path::PathBuf;

use clap::Args;
use reqgap::edit::{ChangeSet, FileChange};
use reqgap::import::controls::{self, ControlColumns};
use reqgap::model::CatalogKey;
use reqgap::source::{display_path, read_text};

use crate::cli::GlobalArgs;
use crate::output::{Failure, Outcome};

#[derive(Debug, Args)]
pub struct ControlsArgs {
    /// The CSV file (UTF-8, with or without BOM; comma or semicolon separated).
    #[arg(value_name = "FILE")]
    pub file: PathBuf,

    /// Column headers for the control fields, e.g. --map "id=Control ID,title=Name,
    /// owner=Owner,satisfies=ETSI requirements". Fields: id, title, owner, satisfies,
    /// status. Repeatable.
    #[arg(long, value_name = "FIELD=HEADER,...")]
    pub map: Vec<String>,

    /// The version the `satisfies` IDs belong to, `<standard>@<version>`.
    #[arg(long, value_name = "STD@VER")]
    pub target: String,

    /// The folder to write the control files into (created if missing), e.g.
    /// my-inventory/controls.
    #[arg(short = 'o', long = "output", value_name = "DIR")]
    pub output: PathBuf,

    /// Replace control files that exist.
    #[arg(long)]
    pub force: bool,
}

pub fn run(global: &GlobalArgs, args: &ControlsArgs) -> Result<Outcome, Failure> {
    let catalogs = super::load_catalogs(global)?;
    let key: CatalogKey = args.target.parse().map_err(|_| {
        Failure::Usage(format!(
            "--target {}: expected <standard>@<version>, e.g. etsi-en-319-401@3.2.1",
            args.target
        ))
    })?;
    let catalog = catalogs.get(&key).ok_or_else(|| {
        Failure::Usage(format!(
            "--target {key}: no such catalog; `reqgap catalogs` lists the known ones"
        ))
    })?;
    let columns = ControlColumns::parse(&args.map).map_err(Failure::Usage)?;
    let files = controls::import(&read_text(&args.file)?, &columns, catalog)?;
    let mut changes = ChangeSet::default();
    for file in &files {
        let path = args.output.join(&file.name);
        let old = match std::fs::read_to_string(&path) {
            Ok(_) if !args.force => {
                return Err(Failure::Usage(format!(
                    "{} exists; pass --force to replace it (nothing was written)",
                    display_path(&path)
                )))
            }
            Ok(text) => text,
            Err(_) => String::new(),
        };
        changes.push(FileChange {
            display: display_path(&path),
            path,
            old,
            new: file.text.clone(),
        });
    }
    std::fs::create_dir_all(&args.output)?;
    super::migrate::commit(&changes)?;
    let mut out = std::io::stdout().lock();
    for file in &files {
        let plural = if file.controls == 1 { "" } else { "s" };
        writeln!(
            out,
            "wrote {} ({} control{plural})",
            display_path(&args.output.join(&file.name)),
            file.controls
        )?;
    }
    Ok(Outcome::Success)
}
