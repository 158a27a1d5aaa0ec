//! Writing output files atomically: a reader (or a CI step after a failed run) sees the
//! old file or the complete new one, never half a report.

use std::fs::{self, OpenOptions};
use std::io::{self, Write};
use std::path::{Path, PathBuf};

/// Writes `bytes` to `path` through a temporary file in the same folder (so the rename
/// stays on one file system) and renames it over `path`. On failure the temporary file is
/// removed and `path` is untouched.
///
/// A `path` that exists and is neither a regular file nor a folder (`/dev/null`,
/// `/dev/stdout`, a named pipe) is written to directly: renaming over it would replace the
/// device or pipe with a regular file, and a run as root would break `/dev/null` for the
/// whole machine.
pub fn write_atomic(path: &Path, bytes: &[u8]) -> io::Result<()> {
    if is_special(path) {
        return OpenOptions::new().write(true).open(path)?.write_all(bytes);
    }
    let temp = temp_path(path)?;
    let result = write_new(&temp, bytes).and_then(|()| fs::rename(&temp, path));
    if result.is_err() {
        let _ = fs::remove_file(&temp);
    }
    result
}

/// [`write_atomic`] for files the user names with `-o`: unless `overwrite` is set, refuses
/// with [`io::ErrorKind::AlreadyExists`] when `path` exists, so that an import never
/// clobbers a curated catalog by accident. Without `overwrite` the final step is a hard
/// link, which fails if another process created `path` in the meantime.
pub fn write_atomic_checked(path: &Path, bytes: &[u8], overwrite: bool) -> io::Result<()> {
    if overwrite {
        return write_atomic(path, bytes);
    }
    if fs::symlink_metadata(path).is_ok() {
        return Err(already_exists(path));
    }
    let temp = temp_path(path)?;
    let result = write_new(&temp, bytes).and_then(|()| publish_new(&temp, path));
    let _ = fs::remove_file(&temp);
    result
}

/// True when `path` (after links) exists and is a device, pipe or socket.
fn is_special(path: &Path) -> bool {
    fs::metadata(path).is_ok_and(|m| !m.is_file() && !m.is_dir())
}

/// The diagnostic for a failed write of `path`: it names the file (a CI log that says
/// only "permission denied" leaves the reader to guess which of several outputs failed).
pub fn write_diagnostic(path: &Path, error: &io::Error) -> crate::diag::Diagnostic {
    use crate::diag::{Code, Diagnostic, Location};
    let display = super::display_path(path);
    let diagnostic = match error.kind() {
        io::ErrorKind::AlreadyExists => {
            Diagnostic::error(Code::OutputExists, "the output file already exists")
                .note("help: pass --force to replace it")
        }
        io::ErrorKind::NotFound => Diagnostic::error(
            Code::CannotWrite,
            format!("cannot write {display}: its folder does not exist"),
        ),
        io::ErrorKind::PermissionDenied => Diagnostic::error(
            Code::CannotWrite,
            format!("cannot write {display}: permission denied"),
        ),
        _ => Diagnostic::error(
            Code::CannotWrite,
            format!("cannot write {display}: {error}"),
        ),
    };
    diagnostic.at(Location::file(display))
}

fn publish_new(temp: &Path, path: &Path) -> io::Result<()> {
    match fs::hard_link(temp, path) {
        Err(e) if e.kind() == io::ErrorKind::AlreadyExists => Err(already_exists(path)),
        // Some file systems (FAT, some network mounts) have no hard links; the existence
        // check above is then the guard.
        Err(e) if e.kind() == io::ErrorKind::Unsupported => fs::rename(temp, path),
        other => other,
    }
}

fn already_exists(path: &Path) -> io::Error {
    io::Error::new(
        io::ErrorKind::AlreadyExists,
        format!(
            "{} already exists; pass --force to replace it",
            path.display()
        ),
    )
}

fn temp_path(path: &Path) -> io::Result<PathBuf> {
    let name = path.file_name().ok_or_else(|| {
        io::Error::new(
            io::ErrorKind::InvalidInput,
            format!("{} does not name a file", path.display()),
        )
    })?;
    let mut temp_name = std::ffi::OsString::from(".");
    temp_name.push(name);
    temp_name.push(format!(".{}.tmp", std::process::id()));
    Ok(path.with_file_name(temp_name))
}

fn write_new(temp: &Path, bytes: &[u8]) -> io::Result<()> {
    let mut file = OpenOptions::new().write(true).create_new(true).open(temp)?;
    file.write_all(bytes)?;
    file.sync_all()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn replaces_the_file_and_leaves_no_temporary_behind() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("report.sarif");
        fs::write(&path, "old").unwrap();
        write_atomic(&path, b"new").unwrap();
        assert_eq!(fs::read_to_string(&path).unwrap(), "new");
        assert_eq!(fs::read_dir(dir.path()).unwrap().count(), 1);
    }

    /// A named pipe stays a pipe and its reader gets the bytes (the same path that keeps
    /// `-o /dev/null` from replacing the device with a regular file).
    #[cfg(unix)]
    #[test]
    fn a_pipe_is_written_to_not_replaced() {
        use std::os::unix::fs::FileTypeExt;
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("pipe");
        let status = std::process::Command::new("mkfifo")
            .arg(&path)
            .status()
            .unwrap();
        assert!(status.success());
        // Opened without blocking before the write, so that a regression (the pipe
        // renamed away) fails the test instead of hanging it.
        let mut reader = {
            use std::os::unix::fs::OpenOptionsExt;
            OpenOptions::new()
                .read(true)
                .custom_flags(libc::O_NONBLOCK)
                .open(&path)
                .unwrap()
        };
        write_atomic(&path, b"report").unwrap();
        let mut received = Vec::new();
        let _ = io::Read::read_to_end(&mut reader, &mut received);
        assert_eq!(received, b"report");
        assert!(fs::metadata(&path).unwrap().file_type().is_fifo());
        assert_eq!(fs::read_dir(dir.path()).unwrap().count(), 1);
    }

    #[test]
    fn checked_writes_refuse_to_replace_without_overwrite() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("catalog.yaml");
        write_atomic_checked(&path, b"first", false).unwrap();
        let err = write_atomic_checked(&path, b"second", false).unwrap_err();
        assert_eq!(err.kind(), io::ErrorKind::AlreadyExists);
        assert_eq!(fs::read_to_string(&path).unwrap(), "first");
        write_atomic_checked(&path, b"third", true).unwrap();
        assert_eq!(fs::read_to_string(&path).unwrap(), "third");
        assert_eq!(fs::read_dir(dir.path()).unwrap().count(), 1);
    }

    #[test]
    fn write_errors_name_the_file() {
        let missing = Path::new("no-such-folder/report.json");
        let error = write_atomic(missing, b"x").unwrap_err();
        let diagnostic = write_diagnostic(missing, &error);
        assert_eq!(
            diagnostic.message,
            "cannot write no-such-folder/report.json: its folder does not exist"
        );
        assert_eq!(
            diagnostic.location.unwrap().path,
            "no-such-folder/report.json"
        );
    }

    #[test]
    fn a_failed_write_keeps_the_old_file() {
        let dir = tempfile::tempdir().unwrap();
        let missing = dir.path().join("no-such-folder").join("report.json");
        assert!(write_atomic(&missing, b"new").is_err());
        assert!(write_atomic(Path::new("/"), b"x").is_err());
    }
}
