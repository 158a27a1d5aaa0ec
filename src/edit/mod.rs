//! Editing the files people write by hand (control files, reqgap.yaml) without rewriting
//! them: each change is an edit of the exact span it concerns, so comments, key order,
//! quoting and blank lines survive, and every file of a change is written or none is.

pub mod commit;
pub mod mappings;
pub mod migrate;
pub mod plan;
pub mod review;
mod shared;
pub mod text;

pub use commit::{ChangeSet, FileChange};

use std::path::{Path, PathBuf};

use crate::diag::{Code, Diagnostic, Diagnostics, SourceFile};
use crate::model::Inventory;
use crate::source::inventory::ControlsFile;
use crate::source::yaml::{self, PositionIndex};

/// A control file as read for editing: its text (without a byte-order mark, which is put
/// back on writing), the parsed entries and the position of every node.
pub struct ControlFileText {
    pub path: PathBuf,
    pub file: SourceFile,
    pub value: ControlsFile,
    pub index: PositionIndex,
    bom: bool,
}

impl ControlFileText {
    pub fn read(path: &Path) -> Result<ControlFileText, Diagnostics> {
        let display = crate::source::display_path(path);
        let bytes = std::fs::read(path).map_err(|e| crate::source::io_error(&display, &e))?;
        let bom = bytes.starts_with(b"\xEF\xBB\xBF");
        let file = crate::source::decode_text(&display, bytes)?;
        let (value, index) = yaml::parse::<ControlsFile>(&file)?;
        Ok(ControlFileText {
            path: path.to_path_buf(),
            file,
            value,
            index,
            bom,
        })
    }

    /// The file with `changes` applied, as a change to write (unchanged when there are none).
    pub fn change(&self, changes: &[mappings::EntryChange]) -> Result<FileChange, Diagnostics> {
        let internal = |message: String| self.cannot_edit(changes, message);
        let edits = mappings::edits(&self.file.text, &self.index, changes).map_err(internal)?;
        let edits = shared::unshare(&self.file, edits)?;
        let text = text::apply(&self.file.text, edits).map_err(internal)?;
        // The edited file must still read as a control file; if it does not, nothing is
        // written, and the user hears about their own file's lines, not the edited text's.
        let check = SourceFile::new(self.file.path.clone(), text.clone());
        if yaml::parse::<ControlsFile>(&check).is_err() {
            return Err(self.cannot_edit(
                changes,
                "the edited entry would not read back as YAML".to_owned(),
            ));
        }
        let bom = if self.bom { "\u{feff}" } else { "" };
        Ok(FileChange {
            path: self.path.clone(),
            display: self.file.path.clone(),
            old: format!("{bom}{}", self.file.text),
            new: format!("{bom}{text}"),
            creates: false,
        })
    }
}

impl ControlFileText {
    /// A refusal located at the first entry to change, saying how to make it editable.
    fn cannot_edit(&self, changes: &[mappings::EntryChange], message: String) -> Diagnostics {
        let first = changes.iter().find(|c| !c.moves.is_empty());
        let start = first.and_then(|c| mappings::entry_start(&self.file.text, &self.index, c));
        let Some(((line, column), change)) = start.zip(first) else {
            return Diagnostic::error(Code::EditFailed, message)
                .at(self.file.whole_file())
                .into();
        };
        let flow = self.file.line_text(line).is_some_and(|l| {
            l.trim_start()
                .trim_start_matches('-')
                .trim_start()
                .starts_with('{')
        });
        let (why, help) = if flow {
            (
                "it is a flow mapping (`- {…}`), which reqgap does not rewrite",
                "help: write the entry as a block mapping, one key per line (docs/formats.md, Control files), then run the command again",
            )
        } else {
            (
                "its layout is one reqgap cannot edit safely",
                "help: write the entry as docs/formats.md shows it (`- standard: …` with its keys below, lists in `[…]` or one `- ID` per line), then run the command again",
            )
        };
        Diagnostic::error(
            Code::EditFailed,
            format!(
                "controls[{}].satisfies[{}] must change, but {why}: {message}; nothing was written",
                change.control, change.entry
            ),
        )
        .at(self.file.location(line, column, 1))
        .note(help)
        .into()
    }
}

/// reqgap.yaml as read for editing, like [`ControlFileText`].
pub struct ConfigFileText {
    pub path: PathBuf,
    pub file: SourceFile,
    pub value: crate::source::inventory::ConfigFile,
    pub index: PositionIndex,
    bom: bool,
}

impl ConfigFileText {
    pub fn read(path: &Path) -> Result<ConfigFileText, Diagnostics> {
        let display = crate::source::display_path(path);
        let bytes = std::fs::read(path).map_err(|e| crate::source::io_error(&display, &e))?;
        let bom = bytes.starts_with(b"\xEF\xBB\xBF");
        let file = crate::source::decode_text(&display, bytes)?;
        let (value, index) = yaml::parse(&file)?;
        Ok(ConfigFileText {
            path: path.to_path_buf(),
            file,
            value,
            index,
            bom,
        })
    }

    /// An error about this file that names no line (an edit that cannot be placed).
    pub fn internal(&self, message: String) -> Diagnostics {
        Diagnostics::from(Diagnostic::error(Code::EditFailed, message).at(self.file.whole_file()))
    }

    /// The byte range of the scalar at `path`.
    pub fn scalar(&self, path: &[yaml::Step<'_>]) -> Result<std::ops::Range<usize>, Diagnostics> {
        let lines = text::Lines::new(&self.file.text);
        self.index
            .value(path)
            .and_then(|p| lines.scalar(p))
            .ok_or_else(|| {
                self.internal(format!("cannot place an edit at {path:?} (internal error)"))
            })
    }

    /// The file with `edits` applied, as a change to write; the result must still read as
    /// reqgap.yaml, or nothing is written.
    pub fn change(&self, edits: Vec<text::Edit>) -> Result<FileChange, Diagnostics> {
        let edits = shared::unshare(&self.file, edits)?;
        let new = text::apply(&self.file.text, edits).map_err(|m| self.internal(m))?;
        let check = SourceFile::new(self.file.path.clone(), new.clone());
        yaml::parse::<crate::source::inventory::ConfigFile>(&check)?;
        let bom = if self.bom { "\u{feff}" } else { "" };
        Ok(FileChange {
            path: self.path.clone(),
            display: self.file.path.clone(),
            old: format!("{bom}{}", self.file.text),
            new: format!("{bom}{new}"),
            creates: false,
        })
    }
}

/// The control files of an inventory, in path order (those that define at least one control).
pub fn control_files(inventory: &Inventory) -> Result<Vec<ControlFileText>, Diagnostics> {
    let mut paths: Vec<&str> = inventory
        .controls
        .values()
        .map(|c| c.place.path.as_str())
        .collect();
    paths.sort_unstable();
    paths.dedup();
    paths
        .into_iter()
        .map(|p| ControlFileText::read(Path::new(p)).map_err(|problems| non_utf8_name(p, problems)))
        .collect()
}

/// A control file whose name is not UTF-8 is read by the loader, but its name as reqgap
/// shows it (with U+FFFD) names no file: say so instead of "no such file".
fn non_utf8_name(shown: &str, problems: Diagnostics) -> Diagnostics {
    if !shown.contains('\u{FFFD}') || Path::new(shown).exists() {
        return problems;
    }
    Diagnostic::error(
        Code::EditFailed,
        "the name of this control file is not valid UTF-8 (shown with �), so reqgap cannot name it to edit it; nothing was written",
    )
    .at(crate::diag::Location::file(shown))
    .note("help: rename the file to a UTF-8 name (e.g. with `mv`), then run the command again")
    .into()
}

#[cfg(test)]
mod tests {
    use super::*;

    const CONFIG: &str = "organisation: Demo\ncontrols: [controls]\nowners: owners.yaml\ntargets:\n  - standard: a\n    version: &v \"1.0\"\n  - standard: b\n    version: *v\n";

    fn config() -> (tempfile::TempDir, ConfigFileText) {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("reqgap.yaml");
        std::fs::write(&path, CONFIG).unwrap();
        let file = ConfigFileText::read(&path).unwrap();
        (dir, file)
    }

    /// reqgap.yaml gets the anchor rules of control files: moving one target must not move
    /// another that shares its version through an alias.
    #[test]
    fn an_edit_of_an_anchored_value_in_reqgap_yaml_is_refused_naming_both_places() {
        let (_dir, file) = config();
        let range = file
            .scalar(&[
                yaml::Step::Key("targets"),
                0.into(),
                yaml::Step::Key("version"),
            ])
            .unwrap();
        let edit = text::Edit {
            range,
            text: "\"2.0\"".into(),
        };
        let problems = file.change(vec![edit]).unwrap_err();
        let rendered = problems.to_string();
        assert!(rendered.contains("shared-anchor"), "{rendered}");
        assert!(rendered.contains("line 8"), "{rendered}");
    }

    #[test]
    fn an_edit_of_an_alias_in_reqgap_yaml_gives_that_entry_its_own_value() {
        let (_dir, file) = config();
        let range = file
            .scalar(&[
                yaml::Step::Key("targets"),
                1.into(),
                yaml::Step::Key("version"),
            ])
            .unwrap();
        let edit = text::Edit {
            range,
            text: "\"2.0\"".into(),
        };
        let change = file.change(vec![edit]).unwrap();
        assert!(change.new.contains("version: &v \"1.0\""), "{}", change.new);
        assert!(change.new.contains("version: \"2.0\"\n"), "{}", change.new);
    }
}
