//! Writing several hand-kept files as one edit that reqgap sees as all or none.
//!
//! Before anything is copied, a journal (`.reqgap-journal`, JSON) names every file of the
//! edit with the SHA-256 of its old and new content. Then each file's new and old content
//! is staged beside it (`.NAME.PID.reqgap-new`, `.NAME.PID.reqgap-old`), every file is
//! checked to be unchanged since the edit was planned, and only then are the files put in
//! place one by one. A process killed at any point leaves the journal: every later run that
//! reads the folder reports the unfinished edit (exit 2), and [`recover`] finishes it or
//! rolls it back from the staged copies. Staged copies without a journal are leftovers of a
//! run killed before it published its journal; [`check_folders`] removes them.
//!
//! A file is put in place so that it stays the same file: a symbolic link keeps pointing at
//! its target, which is edited; a file with several hard links, or whose owner reqgap
//! cannot give to a new file, is rewritten through its own inode (after the new content is
//! safe on disk beside it); otherwise the staged copy takes the original's mode and owner
//! and is renamed over it.

use std::fs::{self, File, OpenOptions};
use std::io::{self, Read as _, Seek as _, Write as _};
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use crate::diag::{Code, Diagnostic, Diagnostics, Location};

/// The journal's file name, in the folder the edit belongs to (the inventory folder).
pub const JOURNAL_FILE: &str = ".reqgap-journal";

const NEW_SUFFIX: &str = "reqgap-new";
const OLD_SUFFIX: &str = "reqgap-old";
const JOURNAL_TEMP_PREFIX: &str = ".reqgap-journal.";

/// One file of an edit: what it holds now (`None` when the edit creates it) and what it
/// will hold.
pub struct PlannedFile<'a> {
    pub path: &'a Path,
    pub old: Option<&'a [u8]>,
    pub new: &'a [u8],
}

/// The journal of an edit, as stored in [`JOURNAL_FILE`].
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct Journal {
    /// The journal format's version, 1.
    pub reqgap_journal: u32,
    /// The command that made the edit, as a person would type it.
    pub command: String,
    /// The files of the edit, in the order they are put in place.
    pub files: Vec<JournalEntry>,
}

/// One file of a [`Journal`].
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct JournalEntry {
    /// The file, relative to the journal's folder, `/`-separated (after symbolic links).
    pub path: String,
    /// SHA-256 of the content before the edit; absent when the edit creates the file.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub old_sha256: Option<String>,
    /// SHA-256 of the content after the edit.
    pub new_sha256: String,
    /// The staged new content, a file name in the same folder.
    pub new_copy: String,
    /// The saved old content, a file name in the same folder (absent for a created file).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub old_copy: Option<String>,
}

/// What a test makes happen before a file is put in place: carry on, fail as a full disk
/// would (the edit is rolled back), or stop dead as `kill -9` would (nothing is cleaned).
pub enum Next {
    Go,
    Fail(io::Error),
    Abandon,
}

/// Points at which a commit looks outside itself: for an interruption (Ctrl-C) and, in
/// tests, for an injected failure.
pub trait CommitHooks {
    /// Called before the `index`-th file is put in place.
    fn before_install(&mut self, _index: usize) -> Next {
        Next::Go
    }

    /// Whether the user asked the run to stop (SIGINT, SIGTERM).
    fn interrupted(&self) -> bool {
        false
    }
}

/// No hooks: the plain commit.
pub struct NoHooks;

impl CommitHooks for NoHooks {}

/// An interruption flag set by a signal handler.
pub struct StopFlag<'a>(pub &'a std::sync::atomic::AtomicBool);

impl CommitHooks for StopFlag<'_> {
    fn interrupted(&self) -> bool {
        self.0.load(std::sync::atomic::Ordering::SeqCst)
    }
}

/// The hex SHA-256 of `bytes`.
pub fn sha256(bytes: &[u8]) -> String {
    use sha2::Digest as _;
    sha2::Sha256::digest(bytes)
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

/// One file as the commit handles it: where it really is, and its staged copies.
struct Slot<'a> {
    planned: &'a PlannedFile<'a>,
    target: PathBuf,
    new_copy: PathBuf,
    old_copy: Option<PathBuf>,
}

/// Writes every file of `files` (an edit of the folder `dir`, made by `command`), or none:
/// see the module documentation. Errors name the file and say that nothing changed.
pub fn commit(
    dir: &Path,
    command: &str,
    files: &[PlannedFile<'_>],
    hooks: &mut dyn CommitHooks,
) -> Result<(), Diagnostics> {
    if files.is_empty() {
        return Ok(());
    }
    let slots = files
        .iter()
        .map(slot)
        .collect::<Result<Vec<_>, Diagnostics>>()?;
    let journal = journal_for(dir, command, &slots)?;
    let journal_path = publish_journal(dir, &journal)?;
    let cleanup = |slots: &[Slot<'_>]| {
        for slot in slots {
            let _ = fs::remove_file(&slot.new_copy);
            if let Some(old) = &slot.old_copy {
                let _ = fs::remove_file(old);
            }
        }
        let _ = fs::remove_file(&journal_path);
    };
    if let Err(problem) = stage(&slots, hooks).and_then(|()| unchanged(&slots)) {
        cleanup(&slots);
        return Err(problem);
    }
    for (i, slot) in slots.iter().enumerate() {
        let step = match hooks.before_install(i) {
            Next::Go if hooks.interrupted() => Err(interrupted_error()),
            Next::Go => install(&slot.target, &slot.new_copy, slot.planned.new),
            Next::Fail(e) => Err(e),
            Next::Abandon => return Err(abandoned()),
        };
        if let Err(e) = step {
            roll_back_installed(&slots[..i]);
            cleanup(&slots);
            return Err(not_written(slot.planned.path, &e));
        }
    }
    let _ = fs::remove_file(&journal_path);
    sync_folder(dir);
    cleanup(&slots);
    Ok(())
}

fn slot<'a>(planned: &'a PlannedFile<'a>) -> Result<Slot<'a>, Diagnostics> {
    let target = match planned.old {
        // An edited file is written where it really is, so that a symbolic link stays one.
        Some(_) => fs::canonicalize(planned.path).map_err(|e| not_written(planned.path, &e))?,
        None => planned.path.to_path_buf(),
    };
    if planned.old.is_some() {
        let metadata = fs::metadata(&target).map_err(|e| not_written(planned.path, &e))?;
        if metadata.permissions().readonly() {
            return Err(refusal(
                planned.path,
                "the file is read-only; make it writable (chmod u+w) for reqgap to edit it",
            ));
        }
    }
    Ok(Slot {
        planned,
        new_copy: beside(&target, NEW_SUFFIX),
        old_copy: planned.old.map(|_| beside(&target, OLD_SUFFIX)),
        target,
    })
}

fn journal_for(dir: &Path, command: &str, slots: &[Slot<'_>]) -> Result<Journal, Diagnostics> {
    let base = fs::canonicalize(dir).map_err(|e| not_written(dir, &e))?;
    let files = slots
        .iter()
        .map(|slot| JournalEntry {
            path: relative(&base, &absolute(&slot.target)),
            old_sha256: slot.planned.old.map(sha256),
            new_sha256: sha256(slot.planned.new),
            new_copy: file_name(&slot.new_copy),
            old_copy: slot.old_copy.as_deref().map(file_name),
        })
        .collect();
    Ok(Journal {
        reqgap_journal: 1,
        command: command.to_owned(),
        files,
    })
}

/// Writes the journal under a temporary name and links it into place, so that it appears
/// complete or not at all, and a second edit of the same folder is refused while it exists.
fn publish_journal(dir: &Path, journal: &Journal) -> Result<PathBuf, Diagnostics> {
    let path = dir.join(JOURNAL_FILE);
    let temp = dir.join(format!("{JOURNAL_TEMP_PREFIX}{}.tmp", std::process::id()));
    let mut text = serde_json::to_string_pretty(journal)
        .map_err(|e| not_written(&path, &io::Error::other(e)))?;
    text.push('\n');
    let _ = fs::remove_file(&temp);
    let published = write_new(&temp, text.as_bytes()).and_then(|()| fs::hard_link(&temp, &path));
    let _ = fs::remove_file(&temp);
    match published {
        Ok(()) => {
            sync_folder(dir);
            Ok(path)
        }
        Err(e) if e.kind() == io::ErrorKind::AlreadyExists => Err(busy(dir, &path)),
        Err(e) => Err(not_written(&path, &e)),
    }
}

fn stage(slots: &[Slot<'_>], hooks: &dyn CommitHooks) -> Result<(), Diagnostics> {
    for slot in slots {
        if hooks.interrupted() {
            return Err(not_written(slot.planned.path, &interrupted_error()));
        }
        write_new(&slot.new_copy, slot.planned.new)
            .map_err(|e| not_written(slot.planned.path, &e))?;
        if let (Some(copy), Some(old)) = (&slot.old_copy, slot.planned.old) {
            write_new(copy, old).map_err(|e| not_written(slot.planned.path, &e))?;
        }
    }
    Ok(())
}

/// Refuses when a file changed since the edit was planned (someone saved it meanwhile):
/// writing would lose their change.
fn unchanged(slots: &[Slot<'_>]) -> Result<(), Diagnostics> {
    let mut problems = Diagnostics::new();
    for slot in slots {
        let now = read_bytes(&slot.target);
        let same = match (slot.planned.old, &now) {
            (Some(old), Ok(now)) => old == now.as_slice(),
            (None, Err(e)) => e.kind() == io::ErrorKind::NotFound,
            _ => false,
        };
        if !same {
            let message = match slot.planned.old {
                Some(_) => "the file changed after reqgap read it; nothing was written. Run the command again",
                None => "the file appeared after reqgap planned to create it; nothing was written",
            };
            problems.push(
                Diagnostic::error(Code::ChangedDuringEdit, message)
                    .at(Location::file(super::display_path(slot.planned.path))),
            );
        }
    }
    problems.into_result(())
}

/// Puts `copy` (holding `bytes`) in place of `target`, keeping the file's identity; see
/// the module documentation. A file that does not exist yet is created, never replaced.
fn install(target: &Path, copy: &Path, bytes: &[u8]) -> io::Result<()> {
    let metadata = match fs::metadata(target) {
        Err(e) if e.kind() == io::ErrorKind::NotFound => {
            fs::hard_link(copy, target)?;
            return fs::remove_file(copy);
        }
        other => other?,
    };
    if same_identity_possible(&metadata, copy) {
        fs::rename(copy, target)?;
    } else {
        write_in_place(target, bytes)?;
        fs::remove_file(copy)?;
    }
    Ok(())
}

/// Gives `copy` the mode and owner of the original; false when the original has other
/// names (hard links) or its owner cannot be given, so that it must be rewritten in place.
#[cfg(unix)]
fn same_identity_possible(original: &fs::Metadata, copy: &Path) -> bool {
    use std::os::unix::fs::MetadataExt as _;
    if original.nlink() > 1 || fs::set_permissions(copy, original.permissions()).is_err() {
        return false;
    }
    match fs::metadata(copy) {
        Ok(staged) if staged.uid() == original.uid() && staged.gid() == original.gid() => true,
        Ok(_) => std::os::unix::fs::chown(copy, Some(original.uid()), Some(original.gid())).is_ok(),
        Err(_) => false,
    }
}

#[cfg(not(unix))]
fn same_identity_possible(original: &fs::Metadata, copy: &Path) -> bool {
    fs::set_permissions(copy, original.permissions()).is_ok()
}

fn write_in_place(target: &Path, bytes: &[u8]) -> io::Result<()> {
    let mut file = OpenOptions::new().write(true).open(target)?;
    file.rewind()?;
    file.write_all(bytes)?;
    file.set_len(bytes.len() as u64)?;
    file.sync_all()
}

/// Puts the old content back into the files already replaced (a failure midway).
fn roll_back_installed(slots: &[Slot<'_>]) {
    for slot in slots {
        match (&slot.old_copy, slot.planned.old) {
            (Some(copy), Some(old)) => {
                let _ = install(&slot.target, copy, old);
            }
            _ => {
                let _ = fs::remove_file(&slot.target);
            }
        }
    }
}

/// Which way [`recover`] takes an unfinished edit.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Direction {
    /// Put the new content of every file in place.
    Finish,
    /// Put the old content of every file back.
    RollBack,
}

/// What [`recover`] did.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Recovered {
    /// The command whose edit this was.
    pub command: String,
    /// Files written now.
    pub written: Vec<String>,
    /// Files that already held the content wanted.
    pub already: Vec<String>,
}

/// Finishes or rolls back the unfinished edit whose journal lies in `dir`. Every file must
/// hold either its old or its new content (as the journal's hashes say); a file changed
/// since is named and nothing is written. `Ok(None)` when there is no journal.
pub fn recover(dir: &Path, direction: Direction) -> Result<Option<Recovered>, Diagnostics> {
    let Some(journal) = read_journal(dir)? else {
        return Ok(None);
    };
    let states: Vec<FileState> = journal
        .files
        .iter()
        .map(|entry| FileState::of(dir, entry))
        .collect();
    let mut problems = Diagnostics::new();
    for (entry, state) in journal.files.iter().zip(&states) {
        if let Err(problem) = state.can_take(dir, entry, direction) {
            problems.push(problem);
        }
    }
    problems.into_result(()).map_err(|p| summarised(dir, p))?;
    let mut done = Recovered {
        command: journal.command.clone(),
        ..Recovered::default()
    };
    for (entry, state) in journal.files.iter().zip(&states) {
        let shown = super::display_path(&dir.join(&entry.path));
        if state.holds(direction) {
            done.already.push(shown);
            continue;
        }
        take(dir, entry, direction).map_err(|e| not_written(&dir.join(&entry.path), &e))?;
        done.written.push(shown);
    }
    let _ = fs::remove_file(dir.join(JOURNAL_FILE));
    sync_folder(dir);
    for entry in &journal.files {
        let folder = dir.join(&entry.path);
        let folder = folder.parent().unwrap_or(dir);
        let _ = fs::remove_file(folder.join(&entry.new_copy));
        if let Some(old) = &entry.old_copy {
            let _ = fs::remove_file(folder.join(old));
        }
    }
    Ok(Some(done))
}

/// Problems of more than a few files as one: an edit killed while it saved its copies
/// lacks a copy for every file not yet saved, and thousands of lines would bury the advice.
fn summarised(dir: &Path, problems: Diagnostics) -> Diagnostics {
    const SHOWN: usize = 5;
    if problems.len() <= SHOWN {
        return problems;
    }
    let rest = problems.len() - SHOWN;
    let mut kept: Vec<Diagnostic> = problems.0.into_iter().take(SHOWN).collect();
    kept.push(
        Diagnostic::error(
            Code::UnfinishedEdit,
            format!(
                "… and {rest} more files of the interrupted edit, as above; nothing was written"
            ),
        )
        .at(Location::file(super::display_path(&dir.join(JOURNAL_FILE)))),
    );
    Diagnostics(kept)
}

/// Where a file of an unfinished edit stands.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum FileState {
    Old,
    New,
    /// Neither: changed by someone since, or cut short while being rewritten in place.
    Other,
}

impl FileState {
    fn of(dir: &Path, entry: &JournalEntry) -> FileState {
        match read_bytes(&dir.join(&entry.path)) {
            Ok(bytes) => {
                let hash = sha256(&bytes);
                if hash == entry.new_sha256 {
                    FileState::New
                } else if entry.old_sha256.as_deref() == Some(hash.as_str()) {
                    FileState::Old
                } else {
                    FileState::Other
                }
            }
            Err(e) if e.kind() == io::ErrorKind::NotFound && entry.old_sha256.is_none() => {
                FileState::Old
            }
            Err(_) => FileState::Other,
        }
    }

    fn holds(self, direction: Direction) -> bool {
        matches!(
            (self, direction),
            (FileState::New, Direction::Finish) | (FileState::Old, Direction::RollBack)
        )
    }

    /// Whether the file can be brought to the content `direction` asks for.
    fn can_take(
        self,
        dir: &Path,
        entry: &JournalEntry,
        direction: Direction,
    ) -> Result<(), Diagnostic> {
        let path = dir.join(&entry.path);
        if self == FileState::Other {
            return Err(Diagnostic::error(
                Code::UnfinishedEdit,
                "the file holds neither its content from before the interrupted edit nor the edited one (changed since?); nothing was written",
            )
            .at(Location::file(super::display_path(&path)))
            .note(format!(
                "help: compare it with the copies beside it ({}, {}), set it to the one you want, then run the command again",
                entry.old_copy.as_deref().unwrap_or("none"),
                entry.new_copy
            )));
        }
        if self.holds(direction) || (direction == Direction::RollBack && entry.old_sha256.is_none())
        {
            return Ok(());
        }
        let (copy, hash) = match direction {
            Direction::Finish => (Some(entry.new_copy.as_str()), Some(&entry.new_sha256)),
            Direction::RollBack => (entry.old_copy.as_deref(), entry.old_sha256.as_ref()),
        };
        let folder = path.parent().unwrap_or(dir);
        let intact = match (copy, hash) {
            (Some(copy), Some(hash)) => {
                read_bytes(&folder.join(copy)).is_ok_and(|b| &sha256(&b) == hash)
            }
            _ => false,
        };
        if intact {
            return Ok(());
        }
        let other = match direction {
            Direction::Finish => "--roll-back",
            Direction::RollBack => "--finish",
        };
        Err(Diagnostic::error(
            Code::UnfinishedEdit,
            "the saved copy this file needs is missing or damaged; nothing was written",
        )
        .at(Location::file(super::display_path(&path)))
        .note(format!(
            "help: the edit was cut short before its copies were complete; use {other} instead"
        )))
    }
}

/// Brings one file to the content `direction` asks for, from its staged copy.
fn take(dir: &Path, entry: &JournalEntry, direction: Direction) -> io::Result<()> {
    let path = dir.join(&entry.path);
    let folder = path.parent().unwrap_or(dir);
    let copy = match direction {
        Direction::Finish => Some(&entry.new_copy),
        Direction::RollBack => entry.old_copy.as_ref(),
    };
    match copy {
        Some(copy) => {
            let copy = folder.join(copy);
            let bytes = read_bytes(&copy)?;
            install(&path, &copy, &bytes)
        }
        // Rolling back a file the edit created: it goes.
        None => match fs::remove_file(&path) {
            Err(e) if e.kind() == io::ErrorKind::NotFound => Ok(()),
            other => other,
        },
    }
}

/// The journal in `dir`, if any; a journal that cannot be read is an error at its path.
pub fn read_journal(dir: &Path) -> Result<Option<Journal>, Diagnostics> {
    let path = dir.join(JOURNAL_FILE);
    let bytes = match read_bytes(&path) {
        Err(e) if e.kind() == io::ErrorKind::NotFound => return Ok(None),
        other => other.map_err(|e| super::io_error(&super::display_path(&path), &e))?,
    };
    let journal: Journal = serde_json::from_slice(&bytes).map_err(|e| {
        Diagnostics::from(
            Diagnostic::error(
                Code::UnfinishedEdit,
                format!("the journal of an unfinished edit cannot be read ({e})"),
            )
            .at(Location::file(super::display_path(&path)))
            .note("help: restore the files from version control, then delete the journal"),
        )
    })?;
    let escapes = journal.files.iter().any(|f| {
        Path::new(&f.path).is_absolute()
            || [&f.new_copy, f.old_copy.as_ref().unwrap_or(&f.new_copy)]
                .iter()
                .any(|c| c.contains('/') || c.contains('\\'))
    });
    if escapes || journal.reqgap_journal != 1 {
        return Err(Diagnostic::error(
            Code::UnfinishedEdit,
            "the journal of an unfinished edit is not one reqgap wrote",
        )
        .at(Location::file(super::display_path(&path)))
        .note("help: restore the files from version control, then delete the journal")
        .into());
    }
    Ok(Some(journal))
}

/// Reports every unfinished edit whose journal lies in one of `folders` (an error, with the
/// commands that finish or undo it); when there is none, removes the staged copies that a
/// run killed before publishing its journal left in `folders` (named in a warning).
pub fn check_folders(folders: &[PathBuf], diagnostics: &mut Diagnostics) {
    let mut all: Vec<&Path> = folders.iter().map(PathBuf::as_path).collect();
    all.sort();
    all.dedup();
    let mut unfinished_edits = 0;
    for folder in &all {
        match read_journal(folder) {
            Ok(Some(journal)) => diagnostics.push(unfinished(folder, &journal)),
            Ok(None) => continue,
            Err(problems) => diagnostics.extend(problems),
        }
        unfinished_edits += 1;
    }
    if unfinished_edits == 0 {
        for folder in all {
            remove_leftovers(folder, diagnostics);
        }
    }
}

fn unfinished(dir: &Path, journal: &Journal) -> Diagnostic {
    let states: Vec<FileState> = journal
        .files
        .iter()
        .map(|e| FileState::of(dir, e))
        .collect();
    let count = |s: FileState| states.iter().filter(|x| **x == s).count();
    let shown = super::display_path(dir);
    Diagnostic::error(
        Code::UnfinishedEdit,
        format!(
            "`{}` was interrupted before it finished: of its {} files, {} hold the new content, {} the old{}",
            journal.command,
            journal.files.len(),
            count(FileState::New),
            count(FileState::Old),
            match count(FileState::Other) {
                0 => String::new(),
                n => format!(", {n} neither"),
            }
        ),
    )
    .at(Location::file(super::display_path(&dir.join(JOURNAL_FILE))))
    .note(format!(
        "help: run `reqgap migrate {shown} --finish` to complete it, or `reqgap migrate {shown} --roll-back` to undo it"
    ))
}

fn remove_leftovers(folder: &Path, diagnostics: &mut Diagnostics) {
    let Ok(entries) = fs::read_dir(folder) else {
        return;
    };
    let mut removed = Vec::new();
    for entry in entries.flatten() {
        let name = entry.file_name().to_string_lossy().into_owned();
        let staged = name.starts_with('.')
            && (name.ends_with(&format!(".{NEW_SUFFIX}"))
                || name.ends_with(&format!(".{OLD_SUFFIX}"))
                || (name.starts_with(JOURNAL_TEMP_PREFIX) && name.ends_with(".tmp")));
        let is_file = entry.file_type().is_ok_and(|t| t.is_file());
        if staged && is_file && fs::remove_file(entry.path()).is_ok() {
            removed.push(name);
        }
    }
    if removed.is_empty() {
        return;
    }
    removed.sort();
    diagnostics.push(
        Diagnostic::warning(
            Code::LeftoverRemoved,
            format!(
                "removed {} temporary file{} left by an edit that was stopped before it changed anything: {}",
                removed.len(),
                if removed.len() == 1 { "" } else { "s" },
                removed.join(", ")
            ),
        )
        .at(Location::file(super::display_path(folder))),
    );
}

fn beside(path: &Path, suffix: &str) -> PathBuf {
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    path.with_file_name(format!(".{name}.{}.{suffix}", std::process::id()))
}

fn file_name(path: &Path) -> String {
    path.file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default()
}

/// `path` made absolute by its canonical folder (the file itself may not exist yet).
fn absolute(path: &Path) -> PathBuf {
    let name = path.file_name().unwrap_or_default();
    match path.parent().filter(|p| !p.as_os_str().is_empty()) {
        Some(parent) => fs::canonicalize(parent)
            .unwrap_or_else(|_| parent.to_path_buf())
            .join(name),
        None => std::env::current_dir()
            .and_then(fs::canonicalize)
            .unwrap_or_default()
            .join(name),
    }
}

/// `path` relative to `base` (both absolute), with `..` where it leaves `base`.
fn relative(base: &Path, path: &Path) -> String {
    let base: Vec<_> = base.components().collect();
    let path: Vec<_> = path.components().collect();
    let common = base.iter().zip(&path).take_while(|(a, b)| a == b).count();
    let mut parts: Vec<String> = vec!["..".to_owned(); base.len() - common];
    parts.extend(
        path[common..]
            .iter()
            .map(|c| c.as_os_str().to_string_lossy().into_owned()),
    );
    parts.join("/")
}

fn read_bytes(path: &Path) -> io::Result<Vec<u8>> {
    let mut bytes = Vec::new();
    File::open(path)?
        .take(super::MAX_FILE_BYTES + 1)
        .read_to_end(&mut bytes)?;
    Ok(bytes)
}

fn write_new(path: &Path, bytes: &[u8]) -> io::Result<()> {
    let mut file = OpenOptions::new().write(true).create_new(true).open(path)?;
    file.write_all(bytes)?;
    file.sync_all()
}

/// Makes renames and removals in `dir` durable (where the platform allows opening a folder).
fn sync_folder(dir: &Path) {
    if let Ok(folder) = File::open(dir) {
        let _ = folder.sync_all();
    }
}

fn interrupted_error() -> io::Error {
    io::Error::new(io::ErrorKind::Interrupted, "interrupted")
}

fn abandoned() -> Diagnostics {
    Diagnostic::error(
        Code::UnfinishedEdit,
        "the edit was abandoned midway (test hook)",
    )
    .into()
}

fn not_written(path: &Path, error: &io::Error) -> Diagnostics {
    let why = match error.kind() {
        io::ErrorKind::NotFound => "no such file or folder".to_owned(),
        io::ErrorKind::PermissionDenied => "permission denied".to_owned(),
        io::ErrorKind::Interrupted => "interrupted".to_owned(),
        _ if error.raw_os_error() == Some(27) => "file too large (ulimit -f)".to_owned(),
        _ => error.to_string(),
    };
    Diagnostic::error(
        Code::CannotWrite,
        format!("could not write the edit ({why}); every file was left as it was"),
    )
    .at(Location::file(super::display_path(path)))
    .into()
}

fn refusal(path: &Path, message: &str) -> Diagnostics {
    Diagnostic::error(Code::CannotWrite, format!("{message}; nothing was written"))
        .at(Location::file(super::display_path(path)))
        .into()
}

fn busy(dir: &Path, journal: &Path) -> Diagnostics {
    let shown = super::display_path(dir);
    Diagnostic::error(
        Code::UnfinishedEdit,
        "another edit of this folder is running or was interrupted; nothing was written",
    )
    .at(Location::file(super::display_path(journal)))
    .note(format!(
        "help: if no other reqgap is running, run `reqgap migrate {shown} --finish` or `reqgap migrate {shown} --roll-back`"
    ))
    .into()
}
