//! The inventory folder: `reqgap.yaml`, the owners file and the control files.
//!
//! Shaped like a cargo-deny check, one concern per file: `raw` holds the serde types that
//! mirror the files, `paths` the rule for where the paths `reqgap.yaml` names may lead,
//! `load` reads the folder, and `validate` turns the raw types into an [`Inventory`],
//! collecting every problem in one [`Diagnostics`] before failing.

mod load;
mod paths;
mod raw;
mod validate;

use std::path::Path;

use crate::diag::{Code, Diagnostic, Diagnostics, SourceFile};
#[cfg(doc)]
use crate::model::Inventory;
use crate::model::Place;
use crate::source::yaml::{self, PositionIndex, Step};

pub(crate) use load::{finish, start, StartedLoad};
pub use load::{load, load_with, LoadedInventory};
pub use paths::{config_path, PathRule, CONFIG_FILE, CONFIG_FILE_YML};
pub use raw::{
    ConfigFile, ControlEntry, ControlsFile, EvidenceEntry, MappingEntry, OwnerEntry, OwnersFile,
    TargetEntry,
};

/// A parsed file kept with its text and positions for locating later findings.
pub(crate) struct Parsed<T> {
    pub(crate) value: T,
    pub(crate) file: SourceFile,
    pub(crate) index: PositionIndex,
}

impl<T> Parsed<T> {
    pub(crate) fn place(&self, path: &[Step<'_>]) -> Place {
        match self.index.nearest(path) {
            Some(p) => Place {
                path: self.file.path.clone(),
                line: p.line,
                column: p.column,
            },
            None => Place {
                path: self.file.path.clone(),
                line: 1,
                column: 1,
            },
        }
    }

    pub(crate) fn error(&self, code: Code, message: String, path: &[Step<'_>]) -> Diagnostic {
        Diagnostic::error(code, message).at(yaml::locate(&self.file, self.index.nearest(path)))
    }

    pub(crate) fn warning(&self, code: Code, message: String, path: &[Step<'_>]) -> Diagnostic {
        Diagnostic::warning(code, message).at(yaml::locate(&self.file, self.index.nearest(path)))
    }

    /// An error located at the key of `path` (for problems with a mapping key itself).
    fn key_error(&self, code: Code, message: String, path: &[Step<'_>]) -> Diagnostic {
        let position = self.index.key(path).or_else(|| self.index.nearest(path));
        Diagnostic::error(code, message).at(yaml::locate(&self.file, position))
    }
}

pub(crate) fn parse_file<T: serde::de::DeserializeOwned>(
    path: &Path,
) -> Result<Parsed<T>, Diagnostics> {
    let file = crate::source::read_text(path)?;
    let (value, index) = yaml::parse::<T>(&file)?;
    Ok(Parsed { value, file, index })
}

/// [`parse_file`] that reports every problem of the file at once: unknown keys go to
/// `diagnostics` and the rest of the file is still read, so that a mistyped key, a bad date
/// and an unknown requirement ID in one file are all shown in one run.
pub(crate) fn parse_file_past_unknown_keys<T: serde::de::DeserializeOwned>(
    path: &Path,
    diagnostics: &mut Diagnostics,
) -> Option<Parsed<T>> {
    let file = match crate::source::read_text(path) {
        Ok(file) => file,
        Err(problems) => {
            diagnostics.extend(problems);
            return None;
        }
    };
    match yaml::parse_past_unknown_keys::<T>(&file) {
        Ok((value, index, unknown)) => {
            diagnostics.extend(unknown);
            Some(Parsed { value, file, index })
        }
        Err(problems) => {
            diagnostics.extend(problems);
            None
        }
    }
}
