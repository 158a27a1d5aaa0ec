//! Where the paths that `reqgap.yaml` names may lead. In CI the inventory comes from a pull
//! request, so `owners: /etc/passwd` or a symbolic link to `~/.ssh` must not make reqgap
//! read (and quote into a public log) a file outside the repository.

use std::path::{Path, PathBuf};

use super::raw::ConfigFile;
use super::Parsed;
use crate::diag::{Code, Diagnostic, Diagnostics, Location};
use crate::source::yaml::{self, Step, YamlPath};
use crate::source::{display_path, yaml_files_in};

/// The name of the inventory's root file.
pub const CONFIG_FILE: &str = "reqgap.yaml";

/// The other spelling people use for YAML files, accepted too.
pub const CONFIG_FILE_YML: &str = "reqgap.yml";

/// The inventory folder and its config file for a path that names either: a folder holding
/// `reqgap.yaml` (or `reqgap.yml`), or that file itself.
pub fn config_path(path: &Path) -> Option<(PathBuf, PathBuf)> {
    let is_config = |p: &Path| {
        p.file_name()
            .is_some_and(|n| n == CONFIG_FILE || n == CONFIG_FILE_YML)
    };
    if path.is_file() && is_config(path) {
        let dir = path.parent().unwrap_or(Path::new(""));
        let dir = if dir.as_os_str().is_empty() {
            Path::new(".")
        } else {
            dir
        };
        return Some((dir.to_path_buf(), path.to_path_buf()));
    }
    [CONFIG_FILE, CONFIG_FILE_YML]
        .into_iter()
        .map(|name| path.join(name))
        .find(|p| p.is_file())
        .map(|config| (path.to_path_buf(), config))
}

/// Where the paths that `reqgap.yaml` names may lead. In CI the inventory comes from a
/// pull request, so `owners: /etc/passwd` or a symbolic link to `~/.ssh` must not make
/// reqgap read (and quote into a public log) a file outside the repository.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub enum PathRule {
    /// Inside the folder reqgap runs in, after symbolic links are resolved; when the
    /// inventory folder itself lies elsewhere (named on the command line), inside that.
    #[default]
    WithinWorkingFolder,
    /// Inside this folder, after symbolic links are resolved.
    Within(PathBuf),
    /// Anywhere (`--allow-outside-root`).
    Anywhere,
}

impl PathRule {
    /// The folder paths must stay in (canonical), or `None` when any path is allowed.
    fn root(&self, inventory_dir: &Path) -> Option<PathBuf> {
        let inventory = std::fs::canonicalize(inventory_dir).ok()?;
        match self {
            PathRule::Anywhere => None,
            PathRule::Within(root) => std::fs::canonicalize(root).ok(),
            PathRule::WithinWorkingFolder => {
                let working = std::env::current_dir().and_then(std::fs::canonicalize).ok();
                match working {
                    Some(working) if inventory.starts_with(&working) => Some(working),
                    _ => Some(inventory),
                }
            }
        }
    }

    /// The folder (canonical) that every file reqgap reads must stay in unless it lies in
    /// the folder it was named with, or `None` under [`PathRule::Anywhere`].
    pub fn working_root(&self) -> Option<PathBuf> {
        match self {
            PathRule::Anywhere => None,
            PathRule::Within(root) => std::fs::canonicalize(root).ok(),
            PathRule::WithinWorkingFolder => {
                std::env::current_dir().and_then(std::fs::canonicalize).ok()
            }
        }
    }

    /// Refuses `file`, found in `folder` (named on the command line: `--catalogs`,
    /// `--history`, …), when its resolved path leaves both that folder and the working
    /// root: in CI the folder comes with the pull request, and a symbolic link in it to
    /// `/proc/self/environ` must not make reqgap read (and quote) the job's secrets.
    pub fn admit(&self, folder: &Path, file: &Path) -> Result<(), Diagnostic> {
        let Some(root) = self.working_root() else {
            return Ok(());
        };
        // A missing file is reported by whoever reads it.
        let Ok(resolved) = std::fs::canonicalize(file) else {
            return Ok(());
        };
        let folder = std::fs::canonicalize(folder).unwrap_or_else(|_| folder.to_path_buf());
        if resolved.starts_with(&root) || resolved.starts_with(&folder) {
            return Ok(());
        }
        Err(outside_root(file))
    }

    /// [`PathRule::admit`] for a file named on the command line (`--baseline`): a symbolic
    /// link must not lead out of the folder the file is named in.
    pub fn admit_file(&self, file: &Path) -> Result<(), Diagnostic> {
        let folder = match file.parent() {
            Some(parent) if !parent.as_os_str().is_empty() => parent,
            _ => Path::new("."),
        };
        self.admit(folder, file)
    }

    /// [`PathRule::admit`] for every YAML file below each of `folders`, all problems
    /// together.
    pub fn admit_all_below(&self, folders: &[PathBuf]) -> Result<(), Diagnostics> {
        let mut problems = Diagnostics::new();
        for folder in folders {
            for file in yaml_files_in(folder).unwrap_or_default() {
                if let Err(problem) = self.admit(folder, &file) {
                    problems.push(problem);
                }
            }
        }
        problems.into_result(())
    }
}

/// A file whose resolved path leaves the root: named without a line, so that nothing of
/// what it points to is shown.
pub(super) fn outside_root(file: &Path) -> Diagnostic {
    Diagnostic::error(
        Code::PathOutsideRoot,
        "this file leads outside the folder reqgap runs in (after symbolic links); it was not read",
    )
    .at(Location::file(display_path(file)))
    .note(OUTSIDE_ROOT_HELP)
}

const OUTSIDE_ROOT_HELP: &str = "help: paths in reqgap.yaml must stay inside the repository (after symbolic links); pass --allow-outside-root to lift this";

/// Resolves the paths that `reqgap.yaml` names, reporting a missing or escaping path at
/// the line that names it.
pub(super) struct PathGate<'a> {
    dir: &'a Path,
    root: Option<PathBuf>,
}

impl<'a> PathGate<'a> {
    /// The gate for the inventory in `dir` under `rule`.
    pub(super) fn new(dir: &'a Path, rule: &PathRule) -> Self {
        PathGate {
            dir,
            root: rule.root(dir),
        }
    }

    /// `entry` of reqgap.yaml (at `at`) against the inventory folder, or a located error
    /// when it does not exist or leads outside the root.
    pub(super) fn resolve(
        &self,
        config: &Parsed<ConfigFile>,
        entry: &str,
        at: &[Step<'_>],
    ) -> Result<PathBuf, Diagnostic> {
        let path = self.dir.join(entry);
        let canonical = std::fs::canonicalize(&path).map_err(|e| {
            let why = match e.kind() {
                std::io::ErrorKind::NotFound => "there is no such file or folder".to_owned(),
                _ => e.to_string(),
            };
            config.error(
                Code::CannotRead,
                format!("cannot read `{}`: {why}", yaml::clip(entry)),
                at,
            )
        })?;
        self.check_inside(&canonical).map_err(|message| {
            config
                .error(
                    Code::PathOutsideRoot,
                    format!("`{}` {message}", yaml::clip(entry)),
                    at,
                )
                .note(OUTSIDE_ROOT_HELP)
        })?;
        Ok(path)
    }

    /// [`PathGate::resolve`] for an entry that must name a file (`owners:`, `waivers:`):
    /// a folder, device or pipe is reported at the line that names it (an empty
    /// `owners:` names the inventory folder itself).
    pub(super) fn resolve_file(
        &self,
        config: &Parsed<ConfigFile>,
        entry: &str,
        at: &[Step<'_>],
    ) -> Result<PathBuf, Diagnostic> {
        if entry.trim().is_empty() {
            let message = "no file named: an empty path names the inventory folder";
            return Err(config.key_error(Code::NotAFile, message.to_owned(), at));
        }
        let path = self.resolve(config, entry, at)?;
        if path.is_file() {
            return Ok(path);
        }
        let found = if path.is_dir() {
            "a folder"
        } else {
            "a device, pipe or socket"
        };
        Err(config.error(
            Code::NotAFile,
            format!("`{}` is {found}; expected a file", yaml::clip(entry)),
            at,
        ))
    }

    /// A file found by walking a folder: a symbolic link in it may lead elsewhere.
    pub(super) fn check_found(&self, path: &Path) -> Result<(), Diagnostic> {
        let canonical = std::fs::canonicalize(path).unwrap_or_else(|_| path.to_path_buf());
        self.check_canonical(path, &canonical)
    }

    /// [`PathGate::check_found`] for a file whose canonical path is known (the path itself
    /// when it has none).
    pub(super) fn check_canonical(&self, path: &Path, canonical: &Path) -> Result<(), Diagnostic> {
        self.check_inside(canonical).map_err(|message| {
            Diagnostic::error(Code::PathOutsideRoot, format!("this file {message}"))
                .at(Location {
                    line: Some(1),
                    column: Some(1),
                    ..Location::file(display_path(path))
                })
                .note(OUTSIDE_ROOT_HELP)
        })
    }

    fn check_inside(&self, canonical: &Path) -> Result<(), String> {
        match &self.root {
            Some(root) if !canonical.starts_with(root) => {
                Err("leads outside the folder reqgap runs in".to_owned())
            }
            _ => Ok(()),
        }
    }

    /// Every file below `folders` must stay inside the root too: a symbolic link in a
    /// crosswalk folder must not make reqgap read (and quote) a file elsewhere.
    pub(super) fn check_files_below(&self, folders: &[PathBuf], diagnostics: &mut Diagnostics) {
        for folder in folders {
            let Ok(files) = yaml_files_in(folder) else {
                continue; // the loader of the folder reports why it cannot be read
            };
            for file in files {
                if let Err(problem) = self.check_found(&file) {
                    diagnostics.push(problem);
                }
            }
        }
    }

    /// The folders `entries` listed under `key` (`catalogs`, `mappings`, `crosswalks`), each
    /// resolved.
    pub(super) fn folders(
        &self,
        config: &Parsed<ConfigFile>,
        key: &str,
        entries: &[String],
        diagnostics: &mut Diagnostics,
    ) -> Vec<PathBuf> {
        let mut folders = Vec::new();
        for (i, entry) in entries.iter().enumerate() {
            match self.resolve(config, entry, &YamlPath::root().key(key).index(i)) {
                Ok(path) => folders.push(path),
                Err(problem) => diagnostics.push(problem),
            }
        }
        folders
    }
}
