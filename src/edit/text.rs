//! Span edits on the original text of a YAML file. Positions come from the YAML index
//! (`source::yaml::PositionIndex`); everything outside the edited spans is kept byte for
//! byte, so comments, key order, quoting and blank lines survive.

use std::ops::Range;

use crate::source::yaml::Position;

/// Replace the bytes `range` of the original text with `text`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Edit {
    pub range: Range<usize>,
    pub text: String,
}

/// The text with every edit applied. Edits are applied in order of position; an edit that
/// overlaps an earlier one is an internal error.
pub fn apply(original: &str, mut edits: Vec<Edit>) -> Result<String, String> {
    edits.sort_by_key(|e| (e.range.start, e.range.end));
    let mut out = String::with_capacity(original.len());
    let mut at = 0;
    for edit in edits {
        if edit.range.start < at {
            return Err(format!(
                "overlapping edits at byte {} (internal error)",
                edit.range.start
            ));
        }
        out.push_str(&original[at..edit.range.start]);
        out.push_str(&edit.text);
        at = edit.range.end;
    }
    out.push_str(&original[at..]);
    Ok(out)
}

/// A text with its line starts, to turn line/column positions into byte offsets.
pub struct Lines<'a> {
    pub text: &'a str,
    starts: Vec<usize>,
}

impl<'a> Lines<'a> {
    pub fn new(text: &'a str) -> Lines<'a> {
        let starts = std::iter::once(0)
            .chain(text.match_indices('\n').map(|(i, _)| i + 1))
            .collect();
        Lines { text, starts }
    }

    /// The line end the file uses (CRLF when its first line ends so).
    pub fn newline(&self) -> &'static str {
        match self.text.find('\n') {
            Some(i) if i > 0 && self.text.as_bytes()[i - 1] == b'\r' => "\r\n",
            _ => "\n",
        }
    }

    /// Number of lines (a final line end does not start another line).
    pub fn count(&self) -> usize {
        match self.starts.last() {
            Some(&last) if last == self.text.len() => self.starts.len() - 1,
            _ => self.starts.len(),
        }
    }

    /// The bytes of a 1-based line including its line end.
    pub fn line_range(&self, line: usize) -> Range<usize> {
        let start = self.starts[line - 1];
        let end = self.starts.get(line).copied().unwrap_or(self.text.len());
        start..end
    }

    /// The text of a 1-based line without its line end.
    pub fn line(&self, line: usize) -> &'a str {
        self.text[self.line_range(line)].trim_end_matches(['\n', '\r'])
    }

    /// The byte offset of a position (column counted in characters).
    pub fn offset(&self, position: Position) -> Option<usize> {
        let start = *self.starts.get(position.line.checked_sub(1)?)?;
        let line = &self.text[start..];
        let skip = position.column.checked_sub(1)?;
        match line.char_indices().nth(skip) {
            Some((i, _)) => Some(start + i),
            None if line.chars().count() == skip => Some(start + line.len()),
            None => None,
        }
    }

    /// The bytes of the scalar that starts at `position`, quotes included.
    pub fn scalar(&self, position: Position) -> Option<Range<usize>> {
        let start = self.offset(position)?;
        let rest = &self.text[start..];
        let end = match rest.chars().next()? {
            '"' => closing_double_quote(rest)?,
            '\'' => closing_single_quote(rest)?,
            // A plain scalar on one line is exactly as long as its value.
            _ => rest
                .char_indices()
                .nth(position.width)
                .map_or(rest.len(), |(i, _)| i),
        };
        Some(start..start + end)
    }

    /// The last line of the block that starts on `first` with content at `column`: every
    /// following line that is blank, a comment, or indented deeper than `column` belongs to
    /// it; trailing blank and comment lines do not (they introduce what follows).
    pub fn block_end(&self, first: usize, column: usize) -> usize {
        let mut last = first;
        for line in first + 1..=self.count() {
            let text = self.line(line);
            let trimmed = text.trim_start();
            if trimmed.is_empty() || trimmed.starts_with('#') {
                continue;
            }
            let indent = text.len() - trimmed.len();
            if indent + 1 < column {
                break;
            }
            last = line;
        }
        last
    }
}

/// Length of a double-quoted scalar with its quotes, honouring backslash escapes.
fn closing_double_quote(text: &str) -> Option<usize> {
    let mut escaped = false;
    for (i, c) in text.char_indices().skip(1) {
        match c {
            _ if escaped => escaped = false,
            '\\' => escaped = true,
            '"' => return Some(i + 1),
            _ => {}
        }
    }
    None
}

/// Length of a single-quoted scalar with its quotes (`''` is an escaped quote).
fn closing_single_quote(text: &str) -> Option<usize> {
    let bytes = text.as_bytes();
    let mut i = 1;
    while i < bytes.len() {
        if bytes[i] == b'\'' {
            if bytes.get(i + 1) == Some(&b'\'') {
                i += 2;
                continue;
            }
            return Some(i + 1);
        }
        i += 1;
    }
    None
}

/// `value` written the way `original` was: in the same quotes, or plain when the original
/// was plain and the value needs no quotes.
pub fn scalar_like(original: &str, value: &str) -> String {
    match original.chars().next() {
        Some('\'') => format!("'{}'", value.replace('\'', "''")),
        Some('"') => double_quoted(value),
        _ => scalar(value),
    }
}

pub use crate::source::plain::scalar;

fn double_quoted(value: &str) -> String {
    crate::source::plain::double_quoted(value)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(line: usize, column: usize, width: usize) -> Position {
        Position {
            line,
            column,
            width,
        }
    }

    #[test]
    fn scalar_spans_cover_quotes_and_plain_values() {
        let text = "a: [X-1, \"Y 2\", 'it''s']\nb: plain value  # comment\n";
        let lines = Lines::new(text);
        let span = |p| &text[lines.scalar(p).unwrap()];
        assert_eq!(span(at(1, 5, 3)), "X-1");
        assert_eq!(span(at(1, 10, 3)), "\"Y 2\"");
        assert_eq!(span(at(1, 17, 4)), "'it''s'");
        assert_eq!(span(at(2, 4, 11)), "plain value");
    }

    #[test]
    fn edits_apply_in_position_order_and_refuse_overlaps() {
        let edits = vec![
            Edit {
                range: 4..5,
                text: "Z".into(),
            },
            Edit {
                range: 0..1,
                text: "aa".into(),
            },
        ];
        assert_eq!(apply("a b c", edits).unwrap(), "aa b Z");
        let overlapping = vec![
            Edit {
                range: 0..3,
                text: String::new(),
            },
            Edit {
                range: 2..4,
                text: String::new(),
            },
        ];
        assert!(apply("abcdef", overlapping).is_err());
    }

    #[test]
    fn values_keep_their_quoting_and_typed_values_get_quotes() {
        assert_eq!(scalar_like("'2.3.1'", "3.2.1"), "'3.2.1'");
        assert_eq!(scalar_like("\"2.3.1\"", "3.2.1"), "\"3.2.1\"");
        assert_eq!(scalar_like("2.3.1", "3.2.1"), "3.2.1");
        assert_eq!(scalar("3.2"), "\"3.2\"");
        assert_eq!(scalar("yes"), "\"yes\"");
        assert_eq!(scalar("2026-01-01"), "\"2026-01-01\"");
        assert_eq!(scalar("REQ-7.9.3-01"), "REQ-7.9.3-01");
        assert_eq!(scalar("a: b"), "\"a: b\"");
        assert_eq!(scalar("Access review"), "Access review");
        assert_eq!(scalar("[x]"), "\"[x]\"");
        assert_eq!(scalar("two\nlines"), "\"two\\nlines\"");
    }

    #[test]
    fn blocks_end_before_trailing_comments_and_shallower_lines() {
        let text = "- a: 1\n  b: [x]\n\n  # about c\n  c: 2\n# next\n- d: 3\n";
        let lines = Lines::new(text);
        assert_eq!(lines.block_end(1, 3), 5);
        assert_eq!(lines.block_end(7, 3), 7);
        assert_eq!(lines.newline(), "\n");
        assert_eq!(Lines::new("a\r\nb\r\n").newline(), "\r\n");
    }
}
