//! Keeping the plan file in step with the edits of `review` and `migrate`. Every plan entry
//! must name an open gap (else the next run stops with `plan-matches-nothing`), so an edit
//! that closes or renames gaps edits the plan in the same all-or-none write:
//!
//! - an entry whose every matching gap the edit closes is done: it is removed, and the
//!   command names it (with its ticket) so the tracked work can be closed too; the review
//!   note in the control file (or reqgap.yaml) is the record of the decision;
//! - an entry naming a gap of a target that moves to a new edition is renamed to the new
//!   edition, and an exact key follows its requirement when it was renumbered.
//!
//! The plan is a list of work still to do, so nothing stays behind with a "done" status:
//! the validator keeps its one rule (every entry names an open gap).

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use serde::Serialize;

use super::text::{self, Edit, Lines};
use super::FileChange;
use crate::diag::{Code, Diagnostic, Diagnostics, SourceFile};
use crate::model::{CatalogKey, GapKey, GapPattern, GapSubject, Inventory, Place, RequirementId};
use crate::source::plan::PlanFile;
use crate::source::yaml::{self, PositionIndex, Step};

/// What an edit did to the plan file.
#[derive(Clone, Debug, Default, PartialEq, Serialize)]
pub struct PlanFollowed {
    /// Entries removed because the edit closed every gap they name.
    pub removed: Vec<RemovedEntry>,
    /// Entries renamed to a target's new edition: (old gap key, new gap key).
    pub renamed: Vec<(String, String)>,
    /// Entries renamed to the new edition whose requirement has no certain successor
    /// there: the next run reports them (`plan-matches-nothing`) until someone fixes them.
    pub unresolved: Vec<String>,
    #[serde(skip)]
    pub change: Option<FileChange>,
}

/// A plan entry whose gaps are closed.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct RemovedEntry {
    pub gap: String,
    pub status: crate::model::PlanStatus,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub ticket: Option<String>,
    /// Where the entry was.
    pub place: Place,
}

/// What the edit does to gaps.
pub struct Follow<'a> {
    /// The keys of the open gaps before the edit.
    pub open: &'a [&'a GapKey],
    /// The keys the edit closes.
    pub closed: &'a BTreeSet<String>,
    /// A target that moves from one edition to another, with the ID each requirement of
    /// the old edition has in the new one (`None`: no certain successor).
    pub retarget: Option<Retarget<'a>>,
}

pub struct Retarget<'a> {
    pub from: &'a CatalogKey,
    pub to: &'a CatalogKey,
    pub successor: &'a mut dyn FnMut(&RequirementId) -> Result<Option<RequirementId>, Diagnostics>,
}

/// Plans the plan file's edits for `follow`; nothing is written. Without a plan (or with
/// nothing to change) `change` is `None`.
pub fn follow(inventory: &Inventory, mut follow: Follow<'_>) -> Result<PlanFollowed, Diagnostics> {
    let mut followed = PlanFollowed::default();
    let Some(path) = inventory.plan.first().map(|e| e.place.path.clone()) else {
        return Ok(followed);
    };
    let file = PlanFileText::read(Path::new(&path))?;
    let mut edits = Vec::new();
    let mut removed = Vec::new();
    for (i, entry) in file.value.plan.iter().enumerate() {
        let Ok(pattern) = GapPattern::parse(&entry.gap) else {
            continue;
        };
        if is_done(&pattern, &follow) {
            removed.push(i);
            followed.removed.push(RemovedEntry {
                gap: entry.gap.clone(),
                status: entry.status,
                ticket: entry.ticket.clone(),
                place: file.place(i),
            });
            continue;
        }
        let Some(retarget) = follow.retarget.as_mut() else {
            continue;
        };
        let Some(renamed) = renamed(&entry.gap, &pattern, retarget)? else {
            continue;
        };
        if renamed.resolved {
            followed
                .renamed
                .push((entry.gap.clone(), renamed.key.clone()));
        } else {
            followed.unresolved.push(renamed.key.clone());
        }
        let range = file.scalar(&[Step::Key("plan"), i.into(), Step::Key("gap")])?;
        edits.push(Edit {
            text: text::scalar_like(&file.file.text[range.clone()], &renamed.key),
            range,
        });
    }
    edits.extend(file.removals(&removed)?);
    if !edits.is_empty() {
        followed.change = Some(file.change(edits)?);
    }
    Ok(followed)
}

/// True when the entry names open gaps and the edit closes every one of them.
fn is_done(pattern: &GapPattern, follow: &Follow<'_>) -> bool {
    let mut named = follow
        .open
        .iter()
        .filter(|key| pattern.matches(key))
        .peekable();
    named.peek().is_some() && named.all(|key| follow.closed.contains(&key.to_string()))
}

struct Renamed {
    key: String,
    /// False when the requirement of an exact key has no certain successor.
    resolved: bool,
}

/// The entry's gap key in the target's new edition, `None` when it names another target.
fn renamed(
    text: &str,
    pattern: &GapPattern,
    retarget: &mut Retarget<'_>,
) -> Result<Option<Renamed>, Diagnostics> {
    let (old_scope, new_scope) = (format!(":{}:", retarget.from), format!(":{}:", retarget.to));
    if !text.contains(&old_scope) {
        return Ok(None);
    }
    let moved = text.replacen(&old_scope, &new_scope, 1);
    let exact = if pattern.is_wildcard() {
        None
    } else {
        text.parse::<GapKey>().ok()
    };
    let Some(mut key) = exact else {
        return Ok(Some(Renamed {
            key: moved,
            resolved: true,
        }));
    };
    let requirement = match &mut key.subject {
        GapSubject::Requirement(r) | GapSubject::Claim { requirement: r, .. } => r,
        _ => {
            return Ok(Some(Renamed {
                key: moved,
                resolved: true,
            }))
        }
    };
    let Some(new_id) = (retarget.successor)(&requirement.id)? else {
        return Ok(Some(Renamed {
            key: moved,
            resolved: false,
        }));
    };
    *requirement = retarget.to.requirement(&new_id);
    Ok(Some(Renamed {
        key: key.to_string(),
        resolved: true,
    }))
}

/// The plan file as read for editing, like [`super::ConfigFileText`].
struct PlanFileText {
    path: PathBuf,
    file: SourceFile,
    value: PlanFile,
    index: PositionIndex,
    bom: bool,
}

impl PlanFileText {
    fn read(path: &Path) -> Result<PlanFileText, Diagnostics> {
        let display = crate::source::display_path(path);
        let bytes = std::fs::read(path).map_err(|e| crate::source::io_error(&display, &e))?;
        let bom = bytes.starts_with(b"\xEF\xBB\xBF");
        let file = crate::source::decode_text(&display, bytes)?;
        let (value, index) = yaml::parse(&file)?;
        Ok(PlanFileText {
            path: path.to_path_buf(),
            file,
            value,
            index,
            bom,
        })
    }

    fn place(&self, entry: usize) -> Place {
        let at = self
            .index
            .value(&[Step::Key("plan"), entry.into(), Step::Key("gap")]);
        Place {
            path: self.file.path.clone(),
            line: at.map_or(1, |p| p.line),
            column: at.map_or(1, |p| p.column),
        }
    }

    fn scalar(&self, path: &[Step<'_>]) -> Result<std::ops::Range<usize>, Diagnostics> {
        let lines = Lines::new(&self.file.text);
        self.index
            .value(path)
            .and_then(|p| lines.scalar(p))
            .ok_or_else(|| self.refusal(None, "an entry reqgap cannot place".into()))
    }

    /// The edits that delete the entries `removed` (indices into the list), each from its
    /// `-` line to its last line; comments above an entry stay. When no entry is left the
    /// list becomes `plan: []`, which still reads as a plan.
    fn removals(&self, removed: &[usize]) -> Result<Vec<Edit>, Diagnostics> {
        let lines = Lines::new(&self.file.text);
        let items = self.index.items(&[Step::Key("plan")]).len();
        let mut edits = Vec::new();
        for &i in removed {
            // The entry's first key marks where its content starts (the mapping node's own
            // position is not always there).
            let Some(item) = self.first_key(i) else {
                return Err(self.refusal(None, "an entry reqgap cannot place".into()));
            };
            let start = self.item_start(&lines, item).ok_or_else(|| {
                self.refusal(
                    Some(item),
                    "it is not written as a block entry (`- gap: …` with its keys below)".into(),
                )
            })?;
            let last = lines.block_end(item.line, item.column);
            edits.push(Edit {
                range: start..lines.line_range(last).end,
                text: String::new(),
            });
        }
        if !removed.is_empty() && removed.len() == items {
            edits.push(self.empty_list()?);
        }
        Ok(edits)
    }

    /// The position of the first key of entry `i` in the text.
    fn first_key(&self, i: usize) -> Option<yaml::Position> {
        let entry = self.value.plan.get(i)?;
        let mut keys = vec!["gap", "due", "status"];
        if entry.ticket.is_some() {
            keys.push("ticket");
        }
        if entry.note.is_some() {
            keys.push("note");
        }
        keys.into_iter()
            .filter_map(|key| {
                self.index
                    .key(&[Step::Key("plan"), i.into(), Step::Key(key)])
            })
            .min_by_key(|p| (p.line, p.column))
    }

    /// Where the item at `item` starts: its `-` line, when the dash is on the item's first
    /// line or alone on the line above; `None` for a flow list.
    fn item_start(&self, lines: &Lines<'_>, item: yaml::Position) -> Option<usize> {
        let line = lines.line(item.line);
        let before: String = line.chars().take(item.column - 1).collect();
        let dash = before.trim();
        if dash == "-" {
            return Some(lines.line_range(item.line).start);
        }
        let above = item.line.checked_sub(1).filter(|l| *l > 0)?;
        (dash.is_empty() && lines.line(above).trim() == "-").then(|| lines.line_range(above).start)
    }

    /// ` []` after `plan:`.
    fn empty_list(&self) -> Result<Edit, Diagnostics> {
        let lines = Lines::new(&self.file.text);
        let colon = self
            .index
            .key(&[Step::Key("plan")])
            .and_then(|p| lines.offset(p))
            .and_then(|start| self.file.text[start..].find(':').map(|i| start + i + 1))
            .ok_or_else(|| self.refusal(None, "the `plan:` key cannot be placed".into()))?;
        Ok(Edit {
            range: colon..colon,
            text: " []".into(),
        })
    }

    /// The file with `edits` applied; the result must still read as a plan file, or
    /// nothing is written.
    fn change(&self, edits: Vec<Edit>) -> Result<FileChange, Diagnostics> {
        let edits = super::shared::unshare(&self.file, edits)?;
        let new = text::apply(&self.file.text, edits).map_err(|m| self.refusal(None, m))?;
        let check = SourceFile::new(self.file.path.clone(), new.clone());
        if yaml::parse::<PlanFile>(&check).is_err() {
            return Err(self.refusal(None, "the edited plan would not read back".into()));
        }
        let bom = if self.bom { "\u{feff}" } else { "" };
        Ok(FileChange {
            path: self.path.clone(),
            display: self.file.path.clone(),
            old: format!("{bom}{}", self.file.text),
            new: format!("{bom}{new}"),
            creates: false,
        })
    }

    fn refusal(&self, at: Option<yaml::Position>, why: String) -> Diagnostics {
        let location = match at {
            Some(p) => self.file.location(p.line, p.column, 1),
            None => self.file.whole_file(),
        };
        Diagnostic::error(
            Code::EditFailed,
            format!("the plan file must change with this edit, but {why}; nothing was written"),
        )
        .at(location)
        .note("help: write each plan entry as a block mapping (`- gap: …` with `due:` and `status:` below), as docs/formats.md shows, then run the command again")
        .into()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const PLAN: &str = "# agreed at the March meeting\nplan:\n  # supplier work\n  - gap: 'uncovered:demo@2.0:DSO-3*'\n    due: 2027-09-30\n    status: in-progress\n    ticket: SEC-4711\n  - gap: needs-review:demo@2.0:DSO-2-01:C-INC\n    due: 2027-04-15\n    status: planned\n";

    fn file(text: &str) -> (tempfile::TempDir, PlanFileText) {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("plan.yaml");
        std::fs::write(&path, text).unwrap();
        let file = PlanFileText::read(&path).unwrap();
        (dir, file)
    }

    fn removed(text: &str, entries: &[usize]) -> Result<String, String> {
        let (_dir, file) = file(text);
        let edits = file.removals(entries).map_err(|d| d.to_string())?;
        file.change(edits).map(|c| c.new).map_err(|d| d.to_string())
    }

    #[test]
    fn a_done_entry_leaves_the_list_and_the_comments_above_it_stay() {
        assert_eq!(
            removed(PLAN, &[1]).unwrap(),
            "# agreed at the March meeting\nplan:\n  # supplier work\n  - gap: 'uncovered:demo@2.0:DSO-3*'\n    due: 2027-09-30\n    status: in-progress\n    ticket: SEC-4711\n"
        );
        assert_eq!(
            removed(PLAN, &[0]).unwrap(),
            "# agreed at the March meeting\nplan:\n  # supplier work\n  - gap: needs-review:demo@2.0:DSO-2-01:C-INC\n    due: 2027-04-15\n    status: planned\n"
        );
    }

    #[test]
    fn removing_every_entry_leaves_an_empty_list_that_still_reads() {
        assert_eq!(
            removed(PLAN, &[0, 1]).unwrap(),
            "# agreed at the March meeting\nplan: []\n  # supplier work\n"
        );
    }

    #[test]
    fn a_flow_list_is_refused_and_nothing_is_written() {
        let flow =
            "plan: [{gap: 'uncovered:demo@2.0:DSO-3-01', due: 2027-09-30, status: planned}]\n";
        let refused = removed(flow, &[0]).unwrap_err();
        assert!(refused.contains("edit-failed"), "{refused}");
        assert!(refused.contains("block"), "{refused}");
    }

    #[test]
    fn an_entry_whose_dash_stands_alone_goes_with_its_dash() {
        let text = "plan:\n  -\n    gap: uncovered:demo@2.0:DSO-3-01\n    due: 2027-09-30\n    status: planned\n  - gap: uncovered:demo@2.0:DSO-3-02\n    due: 2027-09-30\n    status: planned\n";
        assert_eq!(
            removed(text, &[0]).unwrap(),
            "plan:\n  - gap: uncovered:demo@2.0:DSO-3-02\n    due: 2027-09-30\n    status: planned\n"
        );
    }

    #[test]
    fn a_retargeted_entry_follows_its_renumbered_requirement_or_says_it_cannot() {
        let (from, to): (CatalogKey, CatalogKey) =
            ("demo@1.0".parse().unwrap(), "demo@2.0".parse().unwrap());
        let mut successor = |id: &RequirementId| {
            Ok(match id.as_str() {
                "DSO-2-03" => Some(RequirementId::new("DSO-2-04")),
                "DSO-1-01" => Some(id.clone()),
                _ => None,
            })
        };
        let mut retarget = Retarget {
            from: &from,
            to: &to,
            successor: &mut successor,
        };
        let mut rename = |text: &str| {
            let pattern = GapPattern::parse(text).unwrap();
            renamed(text, &pattern, &mut retarget)
                .unwrap()
                .map(|r| (r.key, r.resolved))
        };
        assert_eq!(
            rename("needs-review:demo@1.0:DSO-2-03:C-INC"),
            Some(("needs-review:demo@2.0:DSO-2-04:C-INC".into(), true))
        );
        assert_eq!(
            rename("uncovered:demo@1.0:DSO-3*"),
            Some(("uncovered:demo@2.0:DSO-3*".into(), true))
        );
        assert_eq!(
            rename("uncovered:demo@1.0:DSO-9-01"),
            Some(("uncovered:demo@2.0:DSO-9-01".into(), false))
        );
        assert_eq!(rename("uncovered:other@1.0:DSO-2-03"), None);
    }

    #[test]
    fn an_entry_is_done_only_when_every_gap_it_names_is_closed() {
        let keys: Vec<GapKey> = [
            "uncovered:demo@2.0:DSO-3-01",
            "uncovered:demo@2.0:DSO-3-02",
            "uncovered:demo@2.0:DSO-4-01",
        ]
        .iter()
        .map(|k| k.parse().unwrap())
        .collect();
        let open: Vec<&GapKey> = keys.iter().collect();
        let pattern = GapPattern::parse("uncovered:demo@2.0:DSO-3*").unwrap();
        let closing = |closed: &[&str]| {
            let closed: BTreeSet<String> = closed.iter().map(|k| k.to_string()).collect();
            is_done(
                &pattern,
                &Follow {
                    open: &open,
                    closed: &closed,
                    retarget: None,
                },
            )
        };
        assert!(!closing(&["uncovered:demo@2.0:DSO-3-01"]));
        assert!(closing(&[
            "uncovered:demo@2.0:DSO-3-01",
            "uncovered:demo@2.0:DSO-3-02"
        ]));
        // An entry that names no open gap was not closed by this edit: it is left for the
        // validator to report.
        let none = GapPattern::parse("uncovered:demo@2.0:DSO-9*").unwrap();
        let closed: BTreeSet<String> = BTreeSet::new();
        assert!(!is_done(
            &none,
            &Follow {
                open: &open,
                closed: &closed,
                retarget: None
            }
        ));
    }
}
