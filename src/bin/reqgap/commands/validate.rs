use std::io::Write;

use reqgap::diag::Diagnostics;
use reqgap::source::{catalog::load_file, yaml_files_in};

use crate::cli::ValidateArgs;
use crate::output::{Failure, Outcome};

pub fn run(args: &ValidateArgs) -> Result<Outcome, Failure> {
    let mut problems = Diagnostics::new();
    let mut files = Vec::new();
    for path in &args.paths {
        if path.is_dir() {
            match yaml_files_in(path) {
                Ok(found) => files.extend(found),
                Err(d) => problems.extend(d),
            }
        } else {
            files.push(path.clone());
        }
    }
    let mut requirements = 0;
    for file in &files {
        match load_file(file) {
            Ok(catalog) => requirements += catalog.requirements.len(),
            Err(d) => problems.extend(d),
        }
    }
    if problems.has_errors() {
        return Err(Failure::Input(problems.sorted()));
    }
    let plural = if files.len() == 1 { "" } else { "s" };
    writeln!(
        std::io::stdout(),
        "ok: {} catalog file{plural} valid, {requirements} requirements",
        files.len()
    )?;
    Ok(Outcome::Success)
}
