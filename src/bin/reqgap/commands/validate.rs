use std::io::Write;
use std::path::PathBuf;

use reqgap::diag::Diagnostics;
use reqgap::source::inventory::{self, CONFIG_FILE};
use reqgap::source::{catalog::load_file, yaml_files_in};

use crate::cli::{today, GlobalArgs, ValidateArgs};
use crate::output::{warn, Failure, Outcome};

pub fn run(global: &GlobalArgs, args: &ValidateArgs) -> Result<Outcome, Failure> {
    let mut problems = Diagnostics::new();
    let mut catalog_files: Vec<PathBuf> = Vec::new();
    let mut inventories = 0;
    let mut requirements = 0;
    for path in &args.paths {
        if path.join(CONFIG_FILE).is_file() {
            inventories += 1;
            match inventory::load_with(
                path,
                &global.catalog_dirs,
                today(args.today),
                &global.path_rule(),
            ) {
                Ok(loaded) => warn(&loaded.catalogs.warnings),
                Err(d) => problems.extend(d),
            }
        } else if path.is_dir() {
            match yaml_files_in(path) {
                Ok(found) => catalog_files.extend(found),
                Err(d) => problems.extend(d),
            }
        } else {
            catalog_files.push(path.clone());
        }
    }
    for file in &catalog_files {
        match load_file(file) {
            Ok(catalog) => requirements += catalog.requirements.len(),
            Err(d) => problems.extend(d),
        }
    }
    if problems.has_errors() {
        return Err(Failure::Input(problems.sorted()));
    }
    let mut out = std::io::stdout().lock();
    if !catalog_files.is_empty() {
        let plural = if catalog_files.len() == 1 { "" } else { "s" };
        writeln!(
            out,
            "ok: {} catalog file{plural} valid, {requirements} requirements",
            catalog_files.len()
        )?;
    }
    if inventories > 0 {
        let plural = if inventories == 1 { "" } else { "s" };
        writeln!(
            out,
            "ok: {inventories} inventor{} valid",
            if plural.is_empty() { "y" } else { "ies" }
        )?;
    }
    Ok(Outcome::Success)
}
