//! The `reqgap` command line: parses arguments, runs one command, maps the outcome to an
//! exit code (0 ok, 1 the policy fails, 2 usage or input error).

mod cli;
mod commands;
mod output;

use std::process::ExitCode;

use clap::Parser;

fn main() -> ExitCode {
    let cli = match cli::Cli::try_parse() {
        Ok(cli) => cli,
        Err(error) => {
            // clap prints help and version to stdout with success; everything else is a
            // usage error.
            let _ = error.print();
            return if error.use_stderr() {
                ExitCode::from(2)
            } else {
                ExitCode::SUCCESS
            };
        }
    };
    let code = commands::run(cli);
    ExitCode::from(code)
}
