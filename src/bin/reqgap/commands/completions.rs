//! `reqgap completions SHELL` and `reqgap man`: generated from the same clap definition as
//! `--help`, so they never drift from the commands.

use std::io::Write;

use clap::CommandFactory;

use crate::cli::{Cli, CompletionsArgs, ManArgs};
use crate::output::{Failure, Outcome};

pub fn completions(args: &CompletionsArgs) -> Result<Outcome, Failure> {
    let mut command = Cli::command();
    let mut script = Vec::new();
    clap_complete::generate(args.shell, &mut command, "reqgap", &mut script);
    let mut out = std::io::stdout().lock();
    out.write_all(&script)?;
    out.flush()?;
    Ok(Outcome::Success)
}

pub fn man(args: &ManArgs) -> Result<Outcome, Failure> {
    let command = Cli::command();
    match &args.dir {
        Some(dir) => {
            std::fs::create_dir_all(dir).map_err(|e| Failure::write(dir, e))?;
            clap_mangen::generate_to(command, dir).map_err(|e| Failure::write(dir, e))?;
        }
        None => {
            let mut page = Vec::new();
            clap_mangen::Man::new(command).render(&mut page)?;
            let mut out = std::io::stdout().lock();
            out.write_all(&page)?;
            out.flush()?;
        }
    }
    Ok(Outcome::Success)
}
