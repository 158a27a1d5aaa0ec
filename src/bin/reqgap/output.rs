//! Where output goes: stdout for results, stderr for diagnostics and warnings.

use std::io::{self, IsTerminal, Write};

use reqgap::diag::{self, Diagnostic, Diagnostics};
use reqgap::report::{ReportError, Style};

use crate::cli::ColorChoice;

/// How a command ended, mapped to the exit code.
pub enum Outcome {
    /// Exit 0.
    Success,
    /// Exit 1: the policy fails.
    PolicyFailed,
}

/// Why a command could not do its job: always exit 2.
pub enum Failure {
    Input(Diagnostics),
    Usage(String),
    Io(io::Error),
}

impl From<Diagnostics> for Failure {
    fn from(d: Diagnostics) -> Self {
        Failure::Input(d)
    }
}

impl From<Diagnostic> for Failure {
    fn from(d: Diagnostic) -> Self {
        Failure::Input(d.into())
    }
}

impl From<io::Error> for Failure {
    fn from(e: io::Error) -> Self {
        Failure::Io(e)
    }
}

impl From<ReportError> for Failure {
    fn from(e: ReportError) -> Self {
        match e {
            ReportError::Io(e) => Failure::Io(e),
            unsupported @ ReportError::Unsupported { .. } => {
                Failure::Usage(unsupported.to_string())
            }
        }
    }
}

pub fn style(choice: ColorChoice) -> Style {
    let stdout = io::stdout();
    let terminal = stdout.is_terminal();
    let color = match choice {
        ColorChoice::Always => true,
        ColorChoice::Never => false,
        ColorChoice::Auto => terminal && std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty()),
    };
    let width = if terminal {
        comfy_table::Table::new().width()
    } else {
        None
    };
    Style {
        color,
        width,
        ..Style::default()
    }
}

/// Prints warnings (one line each unless they carry a location) to stderr.
pub fn warn(warnings: &[Diagnostic]) {
    let mut err = io::stderr().lock();
    for warning in warnings {
        let _ = write!(err, "{}", diag::render(warning));
    }
}

/// Reports a failure on stderr and returns the exit code 2.
pub fn report_failure(failure: Failure) -> u8 {
    let mut err = io::stderr().lock();
    match failure {
        Failure::Input(diagnostics) => {
            let _ = diag::write_all(&diagnostics, &mut err);
        }
        Failure::Usage(message) => {
            let _ = writeln!(err, "error: {message}");
        }
        Failure::Io(error) if error.kind() == io::ErrorKind::BrokenPipe => return 0,
        Failure::Io(error) => {
            let _ = writeln!(err, "error: {error}");
        }
    }
    2
}
