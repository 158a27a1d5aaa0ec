//! Where output goes: stdout for results, stderr for diagnostics and warnings.

use std::io::{self, IsTerminal, Write};
use std::path::Path;

use reqgap::diag::{self, Code, Diagnostic, Diagnostics, Location};
use reqgap::report::{ReportError, Style};
use reqgap::source::{display_path, write::write_atomic};

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

impl Failure {
    /// A file or folder that could not be written, named in the message.
    pub fn write(path: &Path, error: io::Error) -> Failure {
        Failure::Input(
            Diagnostic::error(Code::CannotWrite, format!("cannot write: {error}"))
                .at(Location::file(display_path(path)))
                .into(),
        )
    }
}

/// Writes a report the user named with `-o`: missing parent folders are created, the file
/// is replaced atomically, and a failure names the path.
pub fn write_output(path: &Path, bytes: &[u8]) -> Result<(), Failure> {
    create_parent_folders(path).map_err(|e| Failure::write(path, e))?;
    write_atomic(path, bytes).map_err(|e| Failure::write(path, e))
}

/// Creates the folders above `path`, so that `-o reports/reqgap.sarif` works in a fresh
/// checkout.
pub fn create_parent_folders(path: &Path) -> io::Result<()> {
    match path.parent() {
        Some(parent) if !parent.as_os_str().is_empty() => std::fs::create_dir_all(parent),
        _ => Ok(()),
    }
}

impl From<Diagnostics> for Failure {
    fn from(mut d: Diagnostics) -> Self {
        unquote_outside_root(&mut d);
        Failure::Input(d)
    }
}

/// Under `--allow-outside-root`: the folder outside which no line is quoted.
static QUOTE_ROOT: std::sync::OnceLock<std::path::PathBuf> = std::sync::OnceLock::new();

/// Files outside the folder reqgap runs in may be read (`--allow-outside-root`), but no
/// line of theirs is quoted in any output.
pub fn quote_only_inside_working_folder() {
    if let Ok(root) = std::env::current_dir().and_then(std::fs::canonicalize) {
        let _ = QUOTE_ROOT.set(root);
    }
}

fn unquote_outside_root(diagnostics: &mut Diagnostics) {
    if let Some(root) = QUOTE_ROOT.get() {
        reqgap::source::unquote_outside(diagnostics, root);
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
    Style {
        color,
        width: Some(width(terminal)),
        ..Style::default()
    }
}

/// Piped output is wrapped too, so that `reqgap gaps | less` reads like the terminal:
/// `COLUMNS` when it is set (as shells export it), else the terminal's width, else 100.
fn width(terminal: bool) -> u16 {
    let columns = std::env::var("COLUMNS")
        .ok()
        .and_then(|c| c.trim().parse::<u16>().ok())
        .filter(|c| *c >= 20);
    let measured = terminal
        .then(|| comfy_table::Table::new().width())
        .flatten();
    match (terminal, measured, columns) {
        (true, Some(width), _) => width,
        (_, _, Some(columns)) => columns,
        _ => DEFAULT_WIDTH,
    }
}

/// The width of piped output when `COLUMNS` is not set.
const DEFAULT_WIDTH: u16 = 100;

/// Leaves `value` for the end of the process to take back instead of freeing it piece by
/// piece: a command's output is written when it calls this, and freeing an analysis of
/// 50,000 requirements one allocation at a time took a twentieth of the run.
pub fn leave_to_exit<T>(value: T) {
    std::mem::forget(value);
}

/// Prints warnings (one line each unless they carry a location) to stderr.
pub fn warn(warnings: &[Diagnostic]) {
    let mut warnings = Diagnostics(warnings.to_vec());
    unquote_outside_root(&mut warnings);
    let mut err = io::stderr().lock();
    for warning in warnings.iter() {
        let _ = write!(err, "{}", diag::render(warning));
    }
}

/// Reports a failure on stderr and returns the exit code 2.
pub fn report_failure(failure: Failure) -> u8 {
    let mut err = io::stderr().lock();
    match failure {
        Failure::Input(mut diagnostics) => {
            unquote_outside_root(&mut diagnostics);
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
