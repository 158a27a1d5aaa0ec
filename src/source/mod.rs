//! Everything that reads files: YAML parsing, catalogs, the bundled standards, and the
//! folders users point reqgap at.

pub mod applicability;
pub mod baseline;
pub mod bundled;
pub mod catalog;
pub mod catalog_set;
mod correspondence;
pub mod crosswalk;
mod cycles;
pub mod detect;
pub mod history;
pub mod inventory;
pub mod journal;
pub mod plain;
pub mod plan;
pub mod policy;
pub(crate) mod scalar;
pub use scalar::date_problem;
pub mod schema;
pub mod transition;
pub mod validation;
pub mod waivers;
pub mod write;
pub mod yaml;

use std::path::{Path, PathBuf};

use crate::diag::{Code, Diagnostic, Diagnostics, Location, SourceFile};

/// Input files larger than this are refused before they are read.
pub const MAX_FILE_BYTES: u64 = 64 << 20;

/// Reads a text file: refuses anything but a regular file (a device or a FIFO would never
/// end or never start), refuses oversized files by counting the bytes actually read (a
/// file can grow, and `/proc` files report size 0), reports invalid UTF-8 at its line and
/// column, and drops a UTF-8 byte-order mark. CRLF line ends are kept (the parsers accept
/// them).
pub fn read_text(path: &Path) -> Result<SourceFile, Diagnostics> {
    let display = display_path(path);
    let metadata = std::fs::metadata(path).map_err(|e| io_error(&display, &e))?;
    if !metadata.is_file() {
        let found = if metadata.is_dir() {
            "a folder"
        } else {
            "a device, pipe or socket"
        };
        return Err(
            Diagnostic::error(Code::NotAFile, format!("expected a file, found {found}"))
                .at(Location::file(&display))
                .into(),
        );
    }
    if metadata.len() > MAX_FILE_BYTES {
        return Err(too_large(&display, &metadata.len().to_string()));
    }
    let bytes = read_at_most(path, MAX_FILE_BYTES).map_err(|e| io_error(&display, &e))?;
    if bytes.len() as u64 > MAX_FILE_BYTES {
        return Err(too_large(&display, "more than that"));
    }
    decode_text(&display, bytes)
}

/// Reads up to `limit + 1` bytes, so that a caller can tell "exactly at the limit" from
/// "over it" without ever holding more.
fn read_at_most(path: &Path, limit: u64) -> std::io::Result<Vec<u8>> {
    use std::io::Read as _;
    let file = std::fs::File::open(path)?;
    let mut bytes = Vec::new();
    file.take(limit + 1).read_to_end(&mut bytes)?;
    Ok(bytes)
}

fn too_large(display: &str, size: &str) -> Diagnostics {
    Diagnostic::error(
        Code::InputTooLarge,
        format!("the file has {size} bytes; reqgap reads files of at most {MAX_FILE_BYTES} bytes"),
    )
    .at(Location::file(display))
    .into()
}

/// A path as diagnostics show it: as the user gave it, without a leading `./`.
pub fn display_path(path: &Path) -> String {
    let shown = path.strip_prefix(".").unwrap_or(path).display().to_string();
    if shown.is_empty() {
        // The current folder: `.` rather than an empty name in messages.
        ".".to_owned()
    } else {
        shown
    }
}

/// Decodes bytes as UTF-8 text for `display`, pointing at the first invalid byte.
pub fn decode_text(display: &str, mut bytes: Vec<u8>) -> Result<SourceFile, Diagnostics> {
    if bytes.starts_with(b"\xEF\xBB\xBF") {
        bytes.drain(..3);
    }
    match String::from_utf8(bytes) {
        Ok(text) => Ok(SourceFile::new(display, text)),
        Err(error) => {
            let valid = error.utf8_error().valid_up_to();
            let bytes = error.into_bytes();
            let prefix = String::from_utf8_lossy(&bytes[..valid]).into_owned();
            let line = prefix.matches('\n').count() + 1;
            let column = prefix.rsplit('\n').next().map_or(0, |l| l.chars().count()) + 1;
            Err(Diagnostic::error(
                Code::NotUtf8,
                format!("the file is not valid UTF-8 (byte 0x{:02X})", bytes[valid]),
            )
            .at(Location {
                path: display.to_owned(),
                line: Some(line),
                column: Some(column),
                snippet: None,
                width: 1,
            })
            .note("help: save the file as UTF-8")
            .into())
        }
    }
}

/// Drops the quoted line from every diagnostic located in a file whose resolved path lies
/// outside `root`: with `--allow-outside-root` reqgap may read such a file, but a CI log
/// must still not show what it holds.
pub fn unquote_outside(diagnostics: &mut Diagnostics, root: &Path) {
    for diagnostic in &mut diagnostics.0 {
        if let Some(location) = diagnostic.location.as_deref_mut() {
            let inside = std::fs::canonicalize(&location.path).is_ok_and(|p| p.starts_with(root));
            if location.snippet.is_some() && !inside {
                location.snippet = None;
            }
        }
    }
}

pub fn io_error(display: &str, error: &std::io::Error) -> Diagnostics {
    let message = match error.kind() {
        std::io::ErrorKind::NotFound => "no such file or folder".to_owned(),
        std::io::ErrorKind::PermissionDenied => "permission denied".to_owned(),
        _ => error.to_string(),
    };
    Diagnostic::error(Code::CannotRead, message)
        .at(Location::file(display))
        .into()
}

/// The YAML files below `dir` (recursively), sorted, skipping hidden entries. Symbolic
/// links are followed, but each folder is entered once (by its canonical path), so a link
/// loop ends; a file reached by several paths is listed once, by the first path found.
pub fn yaml_files_in(dir: &Path) -> Result<Vec<PathBuf>, Diagnostics> {
    scan_folder(dir).map(|scan| scan.yaml)
}

/// What a folder holds: the YAML files reqgap reads, and the YAML files it skips because
/// of the case of their extension (so that a `controls/GOV.YAML` is named instead of
/// silently ignored; a README stays unremarked).
#[derive(Debug, Default)]
pub struct FolderScan {
    pub yaml: Vec<PathBuf>,
    pub skipped: Vec<PathBuf>,
}

/// The files below `dir` (recursively, see [`yaml_files_in`]), sorted.
pub fn scan_folder(dir: &Path) -> Result<FolderScan, Diagnostics> {
    let mut walk = Walk::default();
    walk.folder(dir)?;
    walk.found.sort();
    walk.skipped.sort();
    Ok(FolderScan {
        yaml: walk.found,
        skipped: walk.skipped,
    })
}

#[derive(Default)]
struct Walk {
    entered: std::collections::HashSet<PathBuf>,
    seen_files: std::collections::HashSet<PathBuf>,
    found: Vec<PathBuf>,
    skipped: Vec<PathBuf>,
}

impl Walk {
    fn folder(&mut self, dir: &Path) -> Result<(), Diagnostics> {
        let display = display_path(dir);
        let canonical = std::fs::canonicalize(dir).map_err(|e| io_error(&display, &e))?;
        if !self.entered.insert(canonical) {
            return Ok(());
        }
        let mut entries = Vec::new();
        for entry in std::fs::read_dir(dir).map_err(|e| io_error(&display, &e))? {
            let entry = entry.map_err(|e| io_error(&display, &e))?;
            if !entry.file_name().to_string_lossy().starts_with('.') {
                entries.push(entry.path());
            }
        }
        entries.sort();
        for path in entries {
            if path.is_dir() {
                self.folder(&path)?;
            } else if is_yaml(&path) {
                // A dangling link has no canonical path; keep it, so that reading it
                // reports the broken link.
                let canonical = std::fs::canonicalize(&path).unwrap_or_else(|_| path.clone());
                if self.seen_files.insert(canonical) {
                    self.found.push(path);
                }
            } else if looks_like_yaml(&path) {
                self.skipped.push(path);
            }
        }
        Ok(())
    }
}

/// `.YAML`, `.Yml`, …: meant as YAML, but not read (file names are case-sensitive on most
/// systems, and a catalog folder must read the same everywhere).
fn looks_like_yaml(path: &Path) -> bool {
    path.extension()
        .and_then(|e| e.to_str())
        .is_some_and(|e| e.eq_ignore_ascii_case("yaml") || e.eq_ignore_ascii_case("yml"))
}

/// The rule for an ID that a catalog or inventory file holds: not empty (white space
/// alone counts as empty), and only printable characters with none around it. The
/// loaders apply it to the files they read and the importers to their input, so that
/// every file an importer writes reads back. The problem comes as its
/// code and message; the caller places it.
pub(crate) fn id_problem(kind: &str, id: &str) -> Option<(Code, String)> {
    if id.trim().is_empty() {
        return Some((Code::EmptyId, format!("{kind} ID is empty")));
    }
    id_character_problem(kind, id).map(|message| (Code::BadIdCharacter, message))
}

/// The message for an ID whose characters are refused (see
/// [`crate::model::ids::check_id_characters`]), e.g. "control ID `GOV\u{202e}01` holds
/// U+202E RIGHT-TO-LEFT OVERRIDE, …".
pub(crate) fn id_character_problem(kind: &str, id: &str) -> Option<String> {
    let problem = crate::model::ids::check_id_characters(id).err()?;
    Some(format!(
        "{kind} ID `{}` {problem}",
        crate::model::ids::shown(yaml::clip(id))
    ))
}

pub fn is_yaml(path: &Path) -> bool {
    matches!(
        path.extension().and_then(|e| e.to_str()),
        Some("yaml" | "yml")
    )
}
