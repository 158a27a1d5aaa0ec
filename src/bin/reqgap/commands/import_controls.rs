//! `reqgap import controls FILE.csv --target STD@VER -o DIR`: a control register from a
//! spreadsheet becomes control files (all written, or none).

use std::io::Write;
use std::path::{Path, PathBuf};

use clap::Args;
use reqgap::diag::{Code, Diagnostic, Location};
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
        let old = existing(&path, args.force)?;
        changes.push(FileChange {
            display: display_path(&path),
            creates: old.is_none(),
            path,
            old: old.unwrap_or_default(),
            new: file.text.clone(),
        });
    }
    std::fs::create_dir_all(&args.output)?;
    super::migrate::commit(&changes, &args.output)?;
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

/// The content of a control file that the import would replace: `None` when there is none.
/// Anything at the path (a file, a link, even a dangling one, a folder) is replaced only
/// with `--force`, and only a UTF-8 file is replaced at all.
fn existing(path: &Path, force: bool) -> Result<Option<String>, Failure> {
    let refuse = |why: &str| {
        Failure::Input(
            Diagnostic::error(Code::OutputExists, format!("{why}; nothing was written"))
                .at(Location::file(display_path(path)))
                .into(),
        )
    };
    if std::fs::symlink_metadata(path).is_err() {
        return Ok(None);
    }
    if !force {
        return Err(refuse(
            "the control file exists; pass --force to replace it",
        ));
    }
    let bytes = std::fs::read(path)
        .map_err(|_| refuse("something that is not a readable file is in the way"))?;
    String::from_utf8(bytes)
        .map(Some)
        .map_err(|_| refuse("the file in the way is not UTF-8 text; move it away first"))
}
