//! `reqgap validate`: any reqgap file (told by its keys), folders of them, and inventory
//! folders as a whole; says what it loaded so that an empty result is visible.

use std::io::Write;
use std::path::{Path, PathBuf};

use chrono::NaiveDate;
use reqgap::diag::{Code, Diagnostic, Diagnostics, Location};
use reqgap::model::{CatalogSet, CrosswalkSet, Inventory, Origin};
use reqgap::source::detect::{check_structure, detect, Detected, FileKind};
use reqgap::source::{catalog, crosswalk, display_path, inventory, scan_folder, transition};

use crate::cli::{today, GlobalArgs, ValidateArgs};
use crate::output::{warn, Failure, Outcome};

/// What a run validated, for the closing lines.
#[derive(Default)]
struct Tally {
    lines: Vec<String>,
    catalog_files: usize,
    requirements: usize,
}

pub fn run(global: &GlobalArgs, args: &ValidateArgs) -> Result<Outcome, Failure> {
    let today = today(args.today);
    let mut problems = Diagnostics::new();
    let mut tally = Tally::default();
    let mut warnings = Vec::new();
    let mut files: Vec<PathBuf> = Vec::new();
    for path in &args.paths {
        if inventory::config_path(path).is_some() {
            validate_inventory(global, path, today, &mut tally, &mut problems);
        } else if path.is_dir() {
            match scan_folder(path) {
                Ok(scan) if scan.yaml.is_empty() => problems.push(nothing_in(path)),
                Ok(scan) => {
                    warnings.extend(scan.skipped.iter().map(|p| skipped(p)));
                    for file in scan.yaml {
                        match global.path_rule().admit(path, &file) {
                            Ok(()) => files.push(file),
                            Err(problem) => problems.push(problem),
                        }
                    }
                }
                Err(d) => problems.extend(d),
            }
        } else {
            files.push(path.clone());
        }
    }
    if let Err(Failure::Input(outside)) = super::confine(global) {
        problems.extend(outside);
    }
    let catalogs = CatalogSet::load(&global.catalog_dirs).unwrap_or_default();
    for file in &files {
        validate_file(global, file, &catalogs, today, &mut tally, &mut problems);
    }
    warn(&warnings);
    if problems.has_errors() {
        return Err(Failure::Input(problems.sorted()));
    }
    warn(&problems.0);
    print(&tally)
}

fn print(tally: &Tally) -> Result<Outcome, Failure> {
    let mut out = std::io::stdout().lock();
    if tally.catalog_files > 0 {
        let plural = if tally.catalog_files == 1 { "" } else { "s" };
        writeln!(
            out,
            "ok: {} catalog file{plural} valid, {} requirements",
            tally.catalog_files, tally.requirements
        )?;
    }
    for line in &tally.lines {
        writeln!(out, "ok: {line}")?;
    }
    Ok(Outcome::Success)
}

fn validate_inventory(
    global: &GlobalArgs,
    path: &Path,
    today: NaiveDate,
    tally: &mut Tally,
    problems: &mut Diagnostics,
) {
    match inventory::load_with(path, &global.catalog_dirs, today, &global.path_rule()) {
        Ok(loaded) => {
            warn(&loaded.catalogs.warnings);
            warn(&loaded.warnings);
            // The crosswalk folders reqgap.yaml names are part of the inventory: a bad
            // entry there must show here, not first in `gaps`.
            if !loaded.crosswalk_dirs.is_empty() {
                match CrosswalkSet::load(&loaded.crosswalk_dirs, &loaded.catalogs) {
                    Ok(set) => warn(&set.warnings),
                    Err(d) => return problems.extend(d),
                }
            }
            tally.lines.push(format!(
                "inventory {} valid: {}",
                display_path(path),
                loaded_counts(&loaded.inventory, loaded.waivers.len())
            ));
            crate::output::leave_to_exit(loaded);
        }
        Err(d) => problems.extend(d),
    }
}

/// `12 controls, 5 owners, 40 mappings, 1 target, 2 waivers`.
fn loaded_counts(inventory: &Inventory, waivers: usize) -> String {
    let mappings: usize = inventory
        .controls
        .values()
        .flat_map(|c| &c.satisfies)
        .map(|m| m.requirements.len())
        .sum();
    let count =
        |n: usize, one: &str, many: &str| format!("{n} {}", if n == 1 { one } else { many });
    [
        count(inventory.controls.len(), "control", "controls"),
        count(inventory.owners.len(), "owner", "owners"),
        count(mappings, "mapping", "mappings"),
        count(inventory.targets.len(), "target", "targets"),
        count(waivers, "waiver", "waivers"),
    ]
    .join(", ")
}

/// One file, validated as what its keys say it is. A controls, owners or waivers file
/// inside an inventory is validated with the inventory (its owners and catalogs); one
/// outside any is checked for structure alone.
fn validate_file(
    global: &GlobalArgs,
    file: &Path,
    catalogs: &CatalogSet,
    today: NaiveDate,
    tally: &mut Tally,
    problems: &mut Diagnostics,
) {
    let Detected {
        kind,
        file: source,
        document,
    } = match detect(file) {
        Ok(detected) => detected,
        Err(d) => return problems.extend(d),
    };
    let shown = display_path(file);
    let result = match kind {
        FileKind::Config => {
            return validate_inventory(global, file, today, tally, problems);
        }
        FileKind::Catalog => {
            let origin = Origin::File(source.path.clone());
            catalog::read_catalog(&source, document, origin).map(|c| {
                tally.catalog_files += 1;
                tally.requirements += c.requirements.len();
            })
        }
        FileKind::Transition => transition::read_transition(&source, document, catalogs).map(|t| {
            let n = t.correspondences.len();
            tally.lines.push(format!(
                "transition file {shown} valid: {} → {}, {n} correspondence{}",
                t.from,
                t.to,
                if n == 1 { "" } else { "s" }
            ));
        }),
        FileKind::Crosswalk => crosswalk::read_crosswalk(&source, document, catalogs).map(|c| {
            let n = c.entries.len();
            tally.lines.push(format!(
                "crosswalk {shown} valid: {} → {}, {n} correspondence{}",
                c.from,
                c.to,
                if n == 1 { "" } else { "s" }
            ));
        }),
        FileKind::Controls | FileKind::Owners | FileKind::Waivers => {
            if let Some(root) = enclosing_inventory(file) {
                return validate_inventory(global, &root, today, tally, problems);
            }
            let detected = Detected {
                kind,
                file: source,
                document,
            };
            check_structure(detected).map(|()| {
                tally.lines.push(format!(
                    "{kind} {shown} valid (structure only: it is in no inventory folder, so the owners and catalogs it names were not checked)"
                ));
            })
        }
    };
    if let Err(d) = result {
        problems.extend(d);
    }
}

/// The nearest folder above `file` that holds a reqgap.yaml.
fn enclosing_inventory(file: &Path) -> Option<PathBuf> {
    let absolute = std::path::absolute(file).ok()?;
    let root = absolute
        .ancestors()
        .skip(1)
        .find(|dir| inventory::config_path(dir).is_some())?;
    // Keep the path as the user wrote it when possible, for messages.
    let depth = absolute.ancestors().position(|a| a == root)?;
    let mut relative = file.to_path_buf();
    for _ in 0..depth {
        relative.pop();
    }
    Some(if relative.as_os_str().is_empty() {
        PathBuf::from(".")
    } else {
        relative
    })
}

fn skipped(path: &Path) -> Diagnostic {
    let shown = display_path(path);
    Diagnostic::warning(
        Code::SkippedFile,
        format!("skipped `{shown}`: only `.yaml` and `.yml` files are read (the extension is case-sensitive)"),
    )
    .at(Location::file(shown))
}

/// A folder with neither a config nor YAML files: validating nothing must not pass.
fn nothing_in(path: &Path) -> Diagnostic {
    let shown = display_path(path);
    Diagnostic::error(
        Code::NoInventory,
        format!("the folder `{shown}` has no reqgap.yaml and no .yaml or .yml files to validate"),
    )
    .at(Location::file(shown))
    .note("help: pass an inventory folder (with a reqgap.yaml), a catalog folder, or files")
}
