//! Everything that reads files: YAML parsing, catalogs, the bundled standards, and the
//! folders users point reqgap at.

pub mod applicability;
pub mod baseline;
pub mod bundled;
pub mod catalog;
pub mod catalog_set;
pub mod crosswalk;
mod cycles;
pub mod history;
pub mod inventory;
pub mod plain;
pub mod policy;
pub(crate) mod scalar;
pub mod schema;
pub mod transition;
pub mod waivers;
pub mod write;
pub mod yaml;

use std::path::{Path, PathBuf};

use crate::diag::{Code, Diagnostic, Diagnostics, Location, SourceFile};

/// Input files larger than this are refused before they are read.
pub const MAX_FILE_BYTES: u64 = 64 << 20;

/// Reads a text file: refuses oversized files, reports invalid UTF-8 at its line and
/// column, and drops a UTF-8 byte-order mark. CRLF line ends are kept (the parsers
/// accept them).
pub fn read_text(path: &Path) -> Result<SourceFile, Diagnostics> {
    let display = display_path(path);
    let metadata = std::fs::metadata(path).map_err(|e| io_error(&display, &e))?;
    if metadata.is_dir() {
        return Err(
            Diagnostic::error(Code::NotAFile, "expected a file, found a folder")
                .at(Location::file(&display))
                .into(),
        );
    }
    if metadata.len() > MAX_FILE_BYTES {
        return Err(Diagnostic::error(
            Code::InputTooLarge,
            format!(
                "the file has {} bytes; reqgap reads files of at most {} bytes",
                metadata.len(),
                MAX_FILE_BYTES
            ),
        )
        .at(Location::file(&display))
        .into());
    }
    let bytes = std::fs::read(path).map_err(|e| io_error(&display, &e))?;
    decode_text(&display, bytes)
}

/// A path as diagnostics show it: as the user gave it, without a leading `./`.
pub fn display_path(path: &Path) -> String {
    path.strip_prefix(".").unwrap_or(path).display().to_string()
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
                source_line: None,
                width: 1,
            })
            .note("help: save the file as UTF-8")
            .into())
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

/// The YAML files below `dir` (recursively), sorted, skipping hidden entries.
pub fn yaml_files_in(dir: &Path) -> Result<Vec<PathBuf>, Diagnostics> {
    let mut found = Vec::new();
    let mut pending = vec![dir.to_path_buf()];
    while let Some(current) = pending.pop() {
        let display = current.display().to_string();
        let entries = std::fs::read_dir(&current).map_err(|e| io_error(&display, &e))?;
        for entry in entries {
            let entry = entry.map_err(|e| io_error(&display, &e))?;
            let path = entry.path();
            let name = entry.file_name();
            if name.to_string_lossy().starts_with('.') {
                continue;
            }
            if path.is_dir() {
                pending.push(path);
            } else if is_yaml(&path) {
                found.push(path);
            }
        }
    }
    found.sort();
    Ok(found)
}

pub fn is_yaml(path: &Path) -> bool {
    matches!(
        path.extension().and_then(|e| e.to_str()),
        Some("yaml" | "yml")
    )
}
