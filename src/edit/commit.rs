//! Writing a set of edited files all together or not at all. cargo-vet writes its files one
//! after another; a crash between two of them leaves an inventory that half says "migrated".
//! Here the edit goes through [`crate::source::journal`]: a journal names every file first,
//! so that a run killed midway is seen, finished or rolled back by the next one.

use std::path::{Path, PathBuf};

use crate::diag::Diagnostics;
use crate::source::journal::{self, CommitHooks, PlannedFile};

/// One file's old and new content.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FileChange {
    pub path: PathBuf,
    /// The path as messages show it.
    pub display: String,
    pub old: String,
    pub new: String,
    /// The edit creates the file: it must not exist when the edit is written.
    pub creates: bool,
}

/// Files to rewrite, in path order.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ChangeSet {
    pub files: Vec<FileChange>,
}

impl ChangeSet {
    /// Adds a file when its content changes (a created file always counts).
    pub fn push(&mut self, change: FileChange) {
        if change.old != change.new || change.creates {
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

    /// Writes every file, or none, as an edit of the folder `dir` (where its journal lives)
    /// made by `command`: see [`journal::commit`].
    pub fn commit(&self, dir: &Path, command: &str) -> Result<(), Diagnostics> {
        self.commit_with(dir, command, &mut journal::NoHooks)
    }

    /// [`ChangeSet::commit`] with hooks: an interruption flag, or a failure a test injects.
    pub fn commit_with(
        &self,
        dir: &Path,
        command: &str,
        hooks: &mut dyn CommitHooks,
    ) -> Result<(), Diagnostics> {
        let planned: Vec<PlannedFile<'_>> = self
            .files
            .iter()
            .map(|f| PlannedFile {
                path: &f.path,
                old: (!f.creates).then_some(f.old.as_bytes()),
                new: f.new.as_bytes(),
            })
            .collect();
        journal::commit(dir, command, &planned, hooks)
    }
}

#[cfg(test)]
mod tests {
    use std::fs;

    use super::*;
    use crate::source::journal::Next;

    /// The real file system, except that putting the `fail_at`-th file in place fails.
    struct FailingInstall {
        fail_at: usize,
    }

    impl CommitHooks for FailingInstall {
        fn before_install(&mut self, index: usize) -> Next {
            if index + 1 == self.fail_at {
                Next::Fail(std::io::Error::other("disk full (injected)"))
            } else {
                Next::Go
            }
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
                creates: false,
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
            let mut hooks = FailingInstall { fail_at };
            assert!(set.commit_with(dir.path(), "test", &mut hooks).is_err());
            assert_eq!(contents(dir.path()), before, "failing install {fail_at}");
        }
    }

    #[test]
    fn a_successful_commit_writes_every_file_and_leaves_nothing_behind() {
        let dir = tempfile::tempdir().unwrap();
        let set = three_files(dir.path());
        set.commit(dir.path(), "test").unwrap();
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
            creates: false,
        });
        assert!(set.is_empty());
        set.push(FileChange {
            path: "y.yaml".into(),
            display: "y.yaml".into(),
            old: "a\nb\n".into(),
            new: "a\nc\n".into(),
            creates: false,
        });
        assert_eq!(
            set.unified_diff(),
            "--- a/y.yaml\n+++ b/y.yaml\n@@ -1,2 +1,2 @@\n a\n-b\n+c\n"
        );
    }
}
