//! `reqgap schema`: prints the JSON Schema of an input file.

use std::io::Write;

use crate::cli::SchemaArgs;
use crate::output::{Failure, Outcome};

pub fn run(args: &SchemaArgs) -> Result<Outcome, Failure> {
    let mut out = std::io::stdout().lock();
    out.write_all(args.file.0.render().as_bytes())?;
    out.flush()?;
    Ok(Outcome::Success)
}
