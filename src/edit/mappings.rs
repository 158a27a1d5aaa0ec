//! Moving requirement IDs of a control's `satisfies` entries to a target version, as text
//! edits on the control file. Shared by `migrate` and `review`.

use super::text::{self, Edit, Lines};
use crate::model::{Coverage, RequirementId, Version};
use crate::source::yaml::{PositionIndex, Step};

/// What happens to one `satisfies` entry: some of its requirement IDs move to the target
/// version (possibly under a new ID).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct EntryChange {
    /// Index of the control in the file's `controls` list.
    pub control: usize,
    /// Index of the entry in the control's `satisfies` list.
    pub entry: usize,
    /// Items of `requirements` that leave the entry, each with its ID in the target version.
    pub moves: Vec<(usize, RequirementId)>,
    /// Number of items the entry has.
    pub items: usize,
    pub standard: String,
    pub coverage: Coverage,
    /// The version the moved IDs are now reviewed against.
    pub target: Version,
    /// Recorded on the entry that holds the moved IDs.
    pub note: Option<String>,
    /// The entry's note, kept after a new note.
    pub old_note: Option<String>,
    /// The entry is already reviewed against `target` (a requirement the target withdrew,
    /// followed along its link): only IDs change, each where it stands.
    pub same_version: bool,
}

impl EntryChange {
    /// The note for the entry that holds the moved IDs: the new one, with the entry's
    /// earlier note after it.
    fn combined_note(&self) -> Option<String> {
        match (&self.note, &self.old_note) {
            (Some(note), Some(old)) => Some(format!("{note} (earlier note: {old})")),
            (Some(note), None) => Some(note.clone()),
            (None, old) => old.clone(),
        }
    }

    /// Every item leaves the entry.
    fn moves_all(&self) -> bool {
        let mut moved: Vec<usize> = self.moves.iter().map(|(i, _)| *i).collect();
        moved.sort_unstable();
        moved.dedup();
        moved.len() == self.items
    }

    /// Each item goes to exactly one ID and no two items to the same one.
    fn one_to_one(&self) -> bool {
        self.moves.len() == self.items && self.new_ids().len() == self.items
    }

    /// Renaming the moved items where they stand leaves no ID twice in the list.
    fn renames_without_duplicates(
        &self,
        text: &str,
        index: &PositionIndex,
        at: &Entry<'_>,
    ) -> bool {
        let lines = Lines::new(text);
        let current: Vec<String> = index
            .items(&at.path("requirements"))
            .iter()
            .filter_map(|p| lines.scalar(*p))
            .map(|range| text[range].trim_matches(['"', '\'']).to_owned())
            .collect();
        let mut after = current.clone();
        for (item, new_id) in &self.moves {
            match after.get_mut(*item) {
                Some(slot) => *slot = new_id.to_string(),
                None => return false,
            }
        }
        let mut unique = after.clone();
        unique.sort();
        unique.dedup();
        unique.len() == after.len()
    }

    fn new_ids(&self) -> Vec<String> {
        let mut ids: Vec<String> = Vec::new();
        for (_, id) in &self.moves {
            if !ids.iter().any(|known| known == id.as_str()) {
                ids.push(id.to_string());
            }
        }
        ids
    }
}

/// The edits that carry out `changes` on a control file's text.
pub fn edits(
    text: &str,
    index: &PositionIndex,
    changes: &[EntryChange],
) -> Result<Vec<Edit>, String> {
    let lines = Lines::new(text);
    let mut edits = Vec::new();
    for change in changes.iter().filter(|c| !c.moves.is_empty()) {
        let at = Entry {
            lines: &lines,
            index,
            control: change.control,
            entry: change.entry,
        };
        if change.same_version && change.renames_without_duplicates(text, index, &at) {
            at.rename_items(change, &mut edits)?;
        } else if change.moves_all() && change.one_to_one() {
            at.rewrite_in_place(change, &mut edits)?;
        } else if change.moves_all() {
            at.replace_entry(change, &mut edits)?;
        } else {
            at.split_off(change, &mut edits)?;
        }
    }
    Ok(edits)
}

/// Where the entry of `change` starts in `text` (line and column of its first key), for a
/// message about an edit that cannot be made.
pub(crate) fn entry_start(
    text: &str,
    index: &PositionIndex,
    change: &EntryChange,
) -> Option<(usize, usize)> {
    let lines = Lines::new(text);
    let at = Entry {
        lines: &lines,
        index,
        control: change.control,
        entry: change.entry,
    };
    at.start().ok()
}

/// One `satisfies` entry in the text.
struct Entry<'a> {
    lines: &'a Lines<'a>,
    index: &'a PositionIndex,
    control: usize,
    entry: usize,
}

impl Entry<'_> {
    fn path<'k>(&self, key: &'k str) -> [Step<'k>; 5] {
        [
            "controls".into(),
            self.control.into(),
            "satisfies".into(),
            self.entry.into(),
            Step::Key(key),
        ]
    }

    fn scalar_at(&self, path: &[Step<'_>]) -> Result<std::ops::Range<usize>, String> {
        self.index
            .value(path)
            .and_then(|p| self.lines.scalar(p))
            .ok_or_else(|| self.lost())
    }

    fn lost(&self) -> String {
        format!(
            "cannot place the edit of controls[{}].satisfies[{}] (internal error)",
            self.control, self.entry
        )
    }

    fn replace(&self, range: std::ops::Range<usize>, value: &str) -> Edit {
        let original = &self.lines.text[range.clone()];
        Edit {
            range,
            text: text::scalar_like(original, value),
        }
    }

    /// Every ID moves to its own new ID: the version and each ID change where they stand.
    fn rewrite_in_place(&self, change: &EntryChange, edits: &mut Vec<Edit>) -> Result<(), String> {
        let version = self.scalar_at(&self.path("reviewed-against"))?;
        edits.push(self.replace(version, change.target.as_str()));
        self.rename_items(change, edits)?;
        self.set_note(change, edits)
    }

    /// Each moved item whose ID changes is renamed where it stands (used alone when the
    /// entry is already reviewed against the target version).
    fn rename_items(&self, change: &EntryChange, edits: &mut Vec<Edit>) -> Result<(), String> {
        let items = self.index.items(&self.path("requirements"));
        for (item, new_id) in &change.moves {
            let range = items
                .get(*item)
                .and_then(|p| self.lines.scalar(*p))
                .ok_or_else(|| self.lost())?;
            if self.lines.text[range.clone()].trim_matches(['"', '\'']) != new_id.as_str() {
                edits.push(self.replace(range, new_id.as_str()));
            }
        }
        Ok(())
    }

    /// Every ID moves, but not one to one (merged or split): the version, the list and the
    /// note change where they stand, so that comments, quoting and a block-scalar note
    /// inside the entry stay. An entry whose list cannot be placed is written anew.
    fn replace_entry(&self, change: &EntryChange, edits: &mut Vec<Edit>) -> Result<(), String> {
        let version = self.scalar_at(&self.path("reviewed-against"))?;
        if let Some(list) = self.new_list(change) {
            edits.push(self.replace(version, change.target.as_str()));
            edits.push(list);
            return self.set_note(change, edits);
        }
        self.write_anew(change, edits)
    }

    /// The entry's `requirements` value replaced by the new IDs, in the list's own style:
    /// `[…]` for a flow list, one `- ID` line each for a block list.
    fn new_list(&self, change: &EntryChange) -> Option<Edit> {
        let text = self.lines.text;
        let items = self.index.items(&self.path("requirements"));
        let first = *items.first()?;
        let last = self.lines.scalar(*items.last()?)?;
        let ids: Vec<String> = change.new_ids().iter().map(|id| text::scalar(id)).collect();
        let line = self.lines.line_range(first.line);
        let lead = &text[line.start..self.lines.offset(first)?];
        if lead.trim() == "-" {
            let last_line = self.lines.line_range(items.last()?.line);
            let nl = self.lines.newline();
            let block: String = ids.iter().map(|id| format!("{lead}{id}{nl}")).collect();
            return Some(Edit {
                range: line.start..last_line.end,
                text: block,
            });
        }
        let open = self
            .index
            .value(&self.path("requirements"))
            .and_then(|p| self.lines.offset(p))
            .filter(|at| text[*at..].starts_with('['))?;
        let close = last.end + text[last.end..].find(']')? + 1;
        Some(Edit {
            range: open..close,
            text: format!("[{}]", ids.join(", ")),
        })
    }

    /// The entry written anew in its place, its note kept.
    fn write_anew(&self, change: &EntryChange, edits: &mut Vec<Edit>) -> Result<(), String> {
        let (start, column) = self.start()?;
        let end = self.lines.block_end(start, column);
        let first = self.lines.line_range(start).start;
        let last = self.lines.line_range(end).end;
        let mut text = self.render_entry(change, column);
        if !self.lines.text[..last].ends_with('\n') {
            text.truncate(text.trim_end_matches(['\r', '\n']).len());
        }
        edits.push(Edit {
            range: first..last,
            text,
        });
        Ok(())
    }

    /// Some IDs move: they leave this entry's list and a new entry after it holds them.
    fn split_off(&self, change: &EntryChange, edits: &mut Vec<Edit>) -> Result<(), String> {
        let items = self.index.items(&self.path("requirements"));
        let mut removed: Vec<usize> = change.moves.iter().map(|(i, _)| *i).collect();
        removed.sort_unstable();
        removed.dedup();
        edits.extend(self.remove_items(&items, &removed)?);
        // The old entry keeps its note; the new one carries only the new note.
        let change = &EntryChange {
            old_note: None,
            ..change.clone()
        };
        let (start, column) = self.start()?;
        let end = self.lines.block_end(start, column);
        let insert_at = self.lines.line_range(end).end;
        let mut block = String::new();
        if !self.lines.text[..insert_at].ends_with('\n') {
            block.push_str(self.lines.newline());
        }
        block.push_str(&self.render_entry(change, column));
        edits.push(Edit {
            range: insert_at..insert_at,
            text: block,
        });
        Ok(())
    }

    /// The line and column of the entry's first key (the index places a block mapping
    /// where its first value starts, so the keys are asked one by one).
    fn start(&self) -> Result<(usize, usize), String> {
        [
            "standard",
            "reviewed-against",
            "coverage",
            "requirements",
            "note",
        ]
        .into_iter()
        .filter_map(|key| self.index.key(&self.path(key)))
        .map(|p| (p.line, p.column))
        .min()
        .ok_or_else(|| self.lost())
    }

    fn render_entry(&self, change: &EntryChange, column: usize) -> String {
        let nl = self.lines.newline();
        let indent = " ".repeat(column - 1);
        let dash = self.dash(column);
        let ids: Vec<String> = change.new_ids().iter().map(|id| text::scalar(id)).collect();
        let mut out = format!("{dash}standard: {}{nl}", text::scalar(&change.standard));
        out.push_str(&format!(
            "{indent}reviewed-against: {}{nl}",
            text::scalar(change.target.as_str())
        ));
        if change.coverage == Coverage::Partial {
            out.push_str(&format!("{indent}coverage: partial{nl}"));
        }
        out.push_str(&format!("{indent}requirements: [{}]{nl}", ids.join(", ")));
        if let Some(note) = change.combined_note() {
            out.push_str(&format!("{indent}note: {}{nl}", text::scalar(&note)));
        }
        out
    }

    /// A note written as a block scalar (`note: |` or `note: >`) keeps every line: the new
    /// note becomes its first line (a paragraph of its own in a folded block).
    fn note_in_block(&self, change: &EntryChange) -> Option<Edit> {
        let new = change.note.as_deref()?;
        let key = self.index.key(&self.path("note"))?;
        let line = self.lines.line(key.line);
        let after = line.split_once(':')?.1.trim_start();
        let folded = match after.chars().next()? {
            '|' => false,
            '>' => true,
            _ => return None,
        };
        let content =
            (key.line + 1..=self.lines.count()).find(|l| !self.lines.line(*l).trim().is_empty())?;
        let body = self.lines.line(content);
        let indent = &body[..body.len() - body.trim_start().len()];
        let nl = self.lines.newline();
        let mut text: String = new.lines().map(|l| format!("{indent}{l}{nl}")).collect();
        if folded {
            text.push_str(nl);
        }
        let at = self.lines.line_range(key.line + 1).start;
        Some(Edit {
            range: at..at,
            text,
        })
    }

    /// What precedes the entry's first key on its line (`      - `, or `      -   ` for a
    /// file written with more spaces after the dash), so that a new entry lines up.
    fn dash(&self, column: usize) -> String {
        let fallback = format!("{}- ", " ".repeat(column.saturating_sub(3)));
        let Ok((line, _)) = self.start() else {
            return fallback;
        };
        let text = self.lines.line(line);
        let lead: String = text.chars().take(column - 1).collect();
        let trimmed = lead.trim_start();
        if trimmed.starts_with('-') && trimmed[1..].chars().all(|c| c == ' ') && trimmed.len() > 1 {
            lead
        } else {
            fallback
        }
    }

    /// Removes items of the `requirements` list: their lines in a block list; in a flow
    /// list the list is written again with the items that stay, in their own spelling.
    fn remove_items(
        &self,
        items: &[crate::source::yaml::Position],
        removed: &[usize],
    ) -> Result<Vec<Edit>, String> {
        let text = self.lines.text;
        let spans: Vec<std::ops::Range<usize>> = items
            .iter()
            .map(|p| self.lines.scalar(*p).ok_or_else(|| self.lost()))
            .collect::<Result<_, _>>()?;
        let (Some(first), Some(last)) = (items.first(), spans.last()) else {
            return Ok(Vec::new());
        };
        let line = self.lines.line_range(first.line);
        if text[line.start..spans[0].start].trim() == "-" {
            return Ok(removed
                .iter()
                .map(|k| Edit {
                    range: self.lines.line_range(items[*k].line),
                    text: String::new(),
                })
                .collect());
        }
        let open = self
            .index
            .value(&self.path("requirements"))
            .and_then(|p| self.lines.offset(p))
            .filter(|at| text[*at..].starts_with('['))
            .ok_or_else(|| self.lost())?;
        let close = text[last.end..]
            .find(']')
            .map(|i| last.end + i + 1)
            .ok_or_else(|| self.lost())?;
        if text[open..close].contains('\n') {
            return self.remove_flow_lines(items, &spans, removed);
        }
        let kept: Vec<&str> = spans
            .iter()
            .enumerate()
            .filter(|(k, _)| !removed.contains(k))
            .map(|(_, span)| &text[span.clone()])
            .collect();
        Ok(vec![Edit {
            range: open..close,
            text: format!("[{}]", kept.join(", ")),
        }])
    }

    /// Removes items of a flow list written over several lines (`[` … `]`, often with a
    /// comment after each item): each removed item must stand alone on its line, which
    /// goes with its comment; every other line, comments included, stays byte for byte.
    /// A comma left before `]` is valid YAML.
    fn remove_flow_lines(
        &self,
        items: &[crate::source::yaml::Position],
        spans: &[std::ops::Range<usize>],
        removed: &[usize],
    ) -> Result<Vec<Edit>, String> {
        let text = self.lines.text;
        let mut edits = Vec::new();
        for &k in removed {
            let line = items[k].line;
            let range = self.lines.line_range(line);
            let before = text[range.start..spans[k].start].trim();
            let after = text[spans[k].end..range.end].trim();
            let after = after.strip_prefix(',').unwrap_or(after).trim();
            let alone = before.is_empty() && (after.is_empty() || after.starts_with('#'));
            if !alone {
                return Err(format!(
                    "controls[{}].satisfies[{}]: line {line} holds `{}` with other items of a flow list written over several lines; put each item on its own line (or the list on one line), then run again",
                    self.control,
                    self.entry,
                    &text[spans[k].clone()]
                ));
            }
            edits.push(Edit {
                range,
                text: String::new(),
            });
        }
        Ok(edits)
    }

    /// Sets the note of an entry edited in place, keeping an earlier note after it.
    fn set_note(&self, change: &EntryChange, edits: &mut Vec<Edit>) -> Result<(), String> {
        if change.note.is_none() {
            return Ok(());
        }
        let value = change.combined_note().unwrap_or_default();
        if let Some(edit) = self.note_in_block(change) {
            edits.push(edit);
            return Ok(());
        }
        if let Some(position) = self.index.value(&self.path("note")) {
            if let Some(range) = self.lines.scalar(position) {
                if self.lines.line_range(position.line).contains(&range.end)
                    || range.end == self.lines.text.len()
                {
                    edits.push(Edit {
                        range,
                        text: text::scalar(&value),
                    });
                    return Ok(());
                }
            }
            return Err(format!(
                "controls[{}].satisfies[{}]: the note spans several lines; edit it by hand",
                self.control, self.entry
            ));
        }
        let (start, column) = self.start()?;
        let end = self.lines.block_end(start, column);
        let at = self.lines.line_range(end).end;
        let nl = self.lines.newline();
        let lead = if self.lines.text[..at].ends_with('\n') {
            ""
        } else {
            nl
        };
        edits.push(Edit {
            range: at..at,
            text: format!(
                "{lead}{}note: {}{nl}",
                " ".repeat(column - 1),
                text::scalar(&value)
            ),
        });
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::diag::SourceFile;
    use crate::source::inventory::ControlsFile;

    const FILE: &str = "\
controls:
  # the first control
  - id: A-01
    title: A
    satisfies:
      - standard: std
        reviewed-against: \"1.0\"   # quoted on purpose
        requirements: [R-1, R-2, R-3]
        note: kept
      - standard: std
        reviewed-against: 1.1.0
        requirements:
          - R-4
          - R-5   # about R-5

  - id: B-01
    title: B
";

    fn change(entry: usize, moves: &[(usize, &str)], items: usize) -> EntryChange {
        EntryChange {
            control: 0,
            entry,
            moves: moves
                .iter()
                .map(|(i, id)| (*i, RequirementId::new(*id)))
                .collect(),
            items,
            standard: "std".into(),
            coverage: Coverage::Full,
            target: Version::new("2.0"),
            note: None,
            old_note: None,
            same_version: false,
        }
    }

    fn run(changes: &[EntryChange]) -> String {
        let file = SourceFile::new("c.yaml", FILE);
        let (_, index) = crate::source::yaml::parse::<ControlsFile>(&file).unwrap();
        let edits = edits(FILE, &index, changes).unwrap();
        let out = text::apply(FILE, edits).unwrap();
        crate::source::yaml::parse::<ControlsFile>(&SourceFile::new("c.yaml", out.clone()))
            .unwrap();
        out
    }

    #[test]
    fn an_entry_that_moves_whole_is_edited_where_it_stands() {
        let out = run(&[change(0, &[(0, "R-1"), (1, "R-20"), (2, "R-3")], 3)]);
        assert!(out.contains("reviewed-against: \"2.0\"   # quoted on purpose\n"));
        assert!(out.contains("requirements: [R-1, R-20, R-3]\n        note: kept\n"));
        assert_eq!(out.lines().count(), FILE.lines().count());
    }

    #[test]
    fn moving_part_of_an_entry_splits_it_after_the_entry() {
        let out = run(&[change(1, &[(1, "R-50")], 2)]);
        assert!(out.contains(
            "          - R-4\n      - standard: std\n        reviewed-against: \"2.0\"\n        requirements: [R-50]\n\n  - id: B-01"
        ), "{out}");
        let out = run(&[change(0, &[(1, "R-20")], 3)]);
        assert!(
            out.contains("requirements: [R-1, R-3]\n        note: kept\n      - standard: std\n")
        );
    }

    #[test]
    fn comments_inside_a_flow_list_over_several_lines_survive_a_split() {
        let file = "\
controls:
  - id: A-01
    title: A
    satisfies:
      - standard: std
        reviewed-against: \"1.0\"
        requirements: [
          R-1,   # the first
          R-2,   # moves away
          R-3    # the last
        ]
";
        let (_, index) =
            crate::source::yaml::parse::<ControlsFile>(&SourceFile::new("c.yaml", file)).unwrap();
        for (moved, kept) in [
            (1, ["# the first", "# the last"]),
            (2, ["# the first", "# moves away"]),
        ] {
            let changes = [change(0, &[(moved, "R-20")], 3)];
            let out = text::apply(file, edits(file, &index, &changes).unwrap()).unwrap();
            crate::source::yaml::parse::<ControlsFile>(&SourceFile::new("c.yaml", out.clone()))
                .unwrap_or_else(|e| panic!("{e}\n{out}"));
            for comment in kept {
                assert!(out.contains(comment), "{out}");
            }
            assert!(out.contains("requirements: [R-20]"), "{out}");
        }
    }

    #[test]
    fn ids_that_merge_shorten_the_list_and_notes_are_recorded() {
        let mut merged = change(0, &[(0, "R-9"), (1, "R-9"), (2, "R-9")], 3);
        merged.note = Some("Reviewed by x".into());
        merged.old_note = Some("kept".into());
        let out = run(&[merged]);
        assert!(
            out.contains(
                "requirements: [R-9]\n        note: \"Reviewed by x (earlier note: kept)\"\n"
            ),
            "{out}"
        );
    }
}
