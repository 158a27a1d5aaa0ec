//! Writing a set of edited files all together or not at all. cargo-vet writes its files one
//! after another; a crash between two of them leaves an inventory that half says "migrated".
//! Here every new file is first staged beside its original, then the staged files are
//! renamed over the originals; if any step fails, the originals are restored.

use std::fs::{self, OpenOptions};
use std::io::{self, Write};
use std::path::{Path, PathBuf};

/// One file's old and new content.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FileChange {
    pub path: PathBuf,
    /// The path as messages show it.
    pub display: String,
    pub old: String,
    pub new: String,
}

/// Files to rewrite, in path order.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ChangeSet {
    pub files: Vec<FileChange>,
}

impl ChangeSet {
    /// Adds a file when its content changes.
    pub fn push(&mut self, change: FileChange) {
        if change.old != change.new {
            self.files.push(change);
            self.files.sort_by(|a, b| a.path.cmp(&b.path));
        }
    }

    pub fn is_empty(&self) -> bool {
        self.files.is_empty()
    }

    /// A unified diff of every change, with `a/` and `b/` prefixes as `git diff` writes them.
    pub fn unified_diff(&self) -> String {
        let mut out = String::new();
        for file in &self.files {
            let diff = similar::TextDiff::from_lines(&file.old, &file.new);
            let a = format!("a/{}", file.display.trim_start_matches('/'));
            let b = format!("b/{}", file.display.trim_start_matches('/'));
            out.push_str(
                &diff
                    .unified_diff()
                    .context_radius(3)
                    .header(&a, &b)
                    .to_string(),
            );
        }
        out
    }

    /// Writes every file, or none: see [`commit_with`].
    pub fn commit(&self) -> io::Result<()> {
        commit_with(self, &mut RealFiles)
    }
}

/// The file operations a commit needs, so that tests can make one fail midway.
pub trait FileOps {
    fn write_new(&mut self, path: &Path, bytes: &[u8]) -> io::Result<()>;
    fn rename(&mut self, from: &Path, to: &Path) -> io::Result<()>;
    fn remove(&mut self, path: &Path);
}

/// The real file system.
pub struct RealFiles;

impl FileOps for RealFiles {
    fn write_new(&mut self, path: &Path, bytes: &[u8]) -> io::Result<()> {
        let mut file = OpenOptions::new().write(true).create_new(true).open(path)?;
        file.write_all(bytes)?;
        file.sync_all()
    }

    fn rename(&mut self, from: &Path, to: &Path) -> io::Result<()> {
        fs::rename(from, to)
    }

    fn remove(&mut self, path: &Path) {
        let _ = fs::remove_file(path);
    }
}

/// Stages every new file beside its original (`.NAME.reqgap-new`), then renames each over
/// its original. A failure while staging removes the staged files; a failure while
/// renaming puts the already replaced originals back (staged the same way) so that every
/// file is as it was.
pub fn commit_with(changes: &ChangeSet, ops: &mut dyn FileOps) -> io::Result<()> {
    let staged: Vec<PathBuf> = changes
        .files
        .iter()
        .map(|f| beside(&f.path, "reqgap-new"))
        .collect();
    for (i, file) in changes.files.iter().enumerate() {
        if let Err(e) = ops.write_new(&staged[i], file.new.as_bytes()) {
            staged[..=i].iter().for_each(|p| ops.remove(p));
            return Err(e);
        }
    }
    for (i, file) in changes.files.iter().enumerate() {
        if let Err(e) = ops.rename(&staged[i], &file.path) {
            staged[i..].iter().for_each(|p| ops.remove(p));
            restore(&changes.files[..i], ops);
            return Err(e);
        }
    }
    Ok(())
}

/// Puts the old content back into files already replaced.
fn restore(files: &[FileChange], ops: &mut dyn FileOps) {
    for file in files {
        let back = beside(&file.path, "reqgap-old");
        ops.remove(&back);
        if ops.write_new(&back, file.old.as_bytes()).is_ok()
            && ops.rename(&back, &file.path).is_err()
        {
            ops.remove(&back);
        }
    }
}

fn beside(path: &Path, suffix: &str) -> PathBuf {
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    path.with_file_name(format!(".{name}.{}.{suffix}", std::process::id()))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The real file system, except that the `fail_at`-th rename fails.
    struct FailingRename {
        renames: usize,
        fail_at: usize,
    }

    impl FileOps for FailingRename {
        fn write_new(&mut self, path: &Path, bytes: &[u8]) -> io::Result<()> {
            RealFiles.write_new(path, bytes)
        }

        fn rename(&mut self, from: &Path, to: &Path) -> io::Result<()> {
            self.renames += 1;
            if self.renames == self.fail_at {
                return Err(io::Error::other("disk full (injected)"));
            }
            RealFiles.rename(from, to)
        }

        fn remove(&mut self, path: &Path) {
            RealFiles.remove(path)
        }
    }

    fn three_files(dir: &Path) -> ChangeSet {
        let mut set = ChangeSet::default();
        for name in ["a.yaml", "b.yaml", "c.yaml"] {
            let path = dir.join(name);
            fs::write(&path, format!("old {name}\n")).unwrap();
            set.push(FileChange {
                path,
                display: name.to_owned(),
                old: format!("old {name}\n"),
                new: format!("new {name}\n"),
            });
        }
        set
    }

    fn contents(dir: &Path) -> Vec<(String, String)> {
        let mut all: Vec<(String, String)> = fs::read_dir(dir)
            .unwrap()
            .map(|e| e.unwrap().path())
            .map(|p| {
                let name = p.file_name().unwrap().to_string_lossy().into_owned();
                (name, fs::read_to_string(&p).unwrap())
            })
            .collect();
        all.sort();
        all
    }

    #[test]
    fn a_failure_midway_leaves_every_file_as_it_was() {
        for fail_at in 1..=3 {
            let dir = tempfile::tempdir().unwrap();
            let set = three_files(dir.path());
            let before = contents(dir.path());
            let mut ops = FailingRename {
                renames: 0,
                fail_at,
            };
            assert!(commit_with(&set, &mut ops).is_err());
            assert_eq!(contents(dir.path()), before, "failing rename {fail_at}");
        }
    }

    #[test]
    fn a_successful_commit_writes_every_file_and_leaves_nothing_behind() {
        let dir = tempfile::tempdir().unwrap();
        let set = three_files(dir.path());
        set.commit().unwrap();
        let names: Vec<String> = contents(dir.path()).into_iter().map(|(_, c)| c).collect();
        assert_eq!(names, ["new a.yaml\n", "new b.yaml\n", "new c.yaml\n"]);
    }

    #[test]
    fn unchanged_files_are_not_part_of_the_set_and_the_diff_is_unified() {
        let mut set = ChangeSet::default();
        set.push(FileChange {
            path: "x.yaml".into(),
            display: "x.yaml".into(),
            old: "same\n".into(),
            new: "same\n".into(),
        });
        assert!(set.is_empty());
        set.push(FileChange {
            path: "y.yaml".into(),
            display: "y.yaml".into(),
            old: "a\nb\n".into(),
            new: "a\nc\n".into(),
        });
        assert_eq!(
            set.unified_diff(),
            "--- a/y.yaml\n+++ b/y.yaml\n@@ -1,2 +1,2 @@\n a\n-b\n+c\n"
        );
    }
}
