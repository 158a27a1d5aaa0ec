//! Diagnostics: plain data describing a problem in an input file, rendered in one place.

use std::io;

use serde::Serialize;

mod codes;
mod render;
pub use codes::Code;
pub use render::render;

/// How serious a diagnostic is.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Severity {
    /// The input cannot be used: exit code 2.
    Error,
    /// The input is used, but something in it was skipped or looks wrong.
    Warning,
    /// For information only.
    Note,
}

enum_names!(Severity {
    Error => "error",
    Warning => "warning",
    Note => "note",
});

/// A place in an input file. Lines and columns count from 1; columns count characters.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize)]
pub struct Location {
    /// The file, as the user named it (or `standards/...` for bundled files).
    pub path: String,
    /// Line, from 1.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub line: Option<usize>,
    /// Column in characters, from 1.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub column: Option<usize>,
    /// The part of the offending line shown under the message. Only that window is
    /// kept, not the line: a minified JSON file is one line of megabytes, and every
    /// diagnostic on it would otherwise hold a copy.
    #[serde(skip)]
    pub snippet: Option<Snippet>,
    /// How many characters to underline from `column`.
    #[serde(skip)]
    pub width: usize,
}

impl Location {
    /// A whole file, when no line is known (unreadable, empty, too large).
    pub fn file(path: impl Into<String>) -> Self {
        Location {
            path: path.into(),
            line: None,
            column: None,
            snippet: None,
            width: 0,
        }
    }

    /// `path:line:column`, or as much of it as is known.
    pub fn display(&self) -> String {
        match (self.line, self.column) {
            (Some(line), Some(column)) => format!("{}:{line}:{column}", self.path),
            (Some(line), None) => format!("{}:{line}", self.path),
            _ => self.path.clone(),
        }
    }
}

/// At most `SNIPPET_WIDTH` (120) characters of a source line around a column, with `…`
/// where the line is cut, as the file holds them (control characters are escaped when
/// the snippet is rendered).
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub struct Snippet {
    /// The window of the line.
    pub text: String,
    /// The location's column counted within `text`.
    pub column: Option<usize>,
}

impl Snippet {
    /// The window of `line` (without its line end) shown for a 1-based `column`.
    pub fn of(line: &str, column: Option<usize>) -> Snippet {
        let line = line.trim_end();
        let length = line.chars().count();
        let slice = |from: usize, to: usize| line.chars().skip(from).take(to - from).collect();
        let (text, column) = snippet_window(length, column, slice);
        Snippet { text, column }
    }
}

/// One problem found in the input: its code, a message, where it is and what helps.
/// Diagnostics are plain data, rendered in one place ([`render`]).
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Diagnostic {
    /// Error, warning or note.
    pub severity: Severity,
    /// Stable kebab-case code, e.g. `duplicate-id` (see [`Code`]).
    pub code: Code,
    /// What is wrong, in one sentence.
    pub message: String,
    /// Where it is, when it has a place.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub location: Option<Box<Location>>,
    /// Further lines under the message: `help: ...` and lists of what is known.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub notes: Vec<String>,
    /// Other places the problem involves, each with what it is: the first definition of a
    /// duplicate, the other end of a conflict. Rendered under the main location.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub related: Vec<Related>,
}

/// A second place of a diagnostic and what it is ("first defined here").
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize)]
pub struct Related {
    /// The second place.
    pub location: Location,
    /// What it is, shown beside it.
    pub label: String,
}

impl Diagnostic {
    /// An error with code `code`.
    pub fn error(code: Code, message: impl Into<String>) -> Self {
        Diagnostic {
            severity: Severity::Error,
            code,
            message: message.into(),
            location: None,
            notes: Vec::new(),
            related: Vec::new(),
        }
    }

    /// A warning with code `code`.
    pub fn warning(code: Code, message: impl Into<String>) -> Self {
        Diagnostic {
            severity: Severity::Warning,
            ..Diagnostic::error(code, message)
        }
    }

    /// This diagnostic located at `location`.
    pub fn at(mut self, location: Location) -> Self {
        self.location = Some(Box::new(location));
        self
    }

    /// This diagnostic located at `location` when there is one.
    pub fn at_opt(mut self, location: Option<Location>) -> Self {
        self.location = location.map(Box::new).or(self.location);
        self
    }

    /// Adds a second place the problem involves, shown with `label` under the main one.
    pub fn also_at(mut self, location: Location, label: impl Into<String>) -> Self {
        self.related.push(Related {
            location,
            label: label.into(),
        });
        self
    }

    /// This diagnostic with one more line under the message.
    pub fn note(mut self, note: impl Into<String>) -> Self {
        self.notes.push(note.into());
        self
    }

    /// True for errors.
    pub fn is_error(&self) -> bool {
        self.severity == Severity::Error
    }

    /// Order for output: by file, line, column, then message, so runs are byte-identical.
    fn sort_key(&self) -> (Option<&Location>, &str, &str) {
        (self.location.as_deref(), self.code.as_str(), &self.message)
    }
}

/// A set of diagnostics, returned when an input cannot be used. It always holds at least
/// one error.
#[derive(Clone, Debug, PartialEq, Eq, Default, Serialize)]
#[serde(transparent)]
pub struct Diagnostics(pub Vec<Diagnostic>);

impl Diagnostics {
    /// No diagnostics.
    pub fn new() -> Self {
        Diagnostics(Vec::new())
    }

    /// Adds one diagnostic.
    pub fn push(&mut self, diagnostic: Diagnostic) {
        self.0.push(diagnostic);
    }

    /// Adds all of `other`.
    pub fn extend(&mut self, other: Diagnostics) {
        self.0.extend(other.0);
    }

    /// True when any diagnostic is an error.
    pub fn has_errors(&self) -> bool {
        self.0.iter().any(Diagnostic::is_error)
    }

    /// True when there are none.
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// How many there are.
    pub fn len(&self) -> usize {
        self.0.len()
    }

    /// Every diagnostic, in the order collected.
    pub fn iter(&self) -> impl Iterator<Item = &Diagnostic> {
        self.0.iter()
    }

    /// How many are errors.
    pub fn error_count(&self) -> usize {
        self.0.iter().filter(|d| d.is_error()).count()
    }

    /// Sorted by file, line and column, repeats removed: the order they are shown in.
    pub fn sorted(mut self) -> Self {
        self.0.sort_by(|a, b| a.sort_key().cmp(&b.sort_key()));
        self.0.dedup();
        self
    }

    /// `Ok(value)` when no error was collected, else the diagnostics.
    pub fn into_result<T>(self, value: T) -> Result<T, Diagnostics> {
        if self.has_errors() {
            Err(self.sorted())
        } else {
            Ok(value)
        }
    }
}

impl From<Diagnostic> for Diagnostics {
    fn from(diagnostic: Diagnostic) -> Self {
        Diagnostics(vec![diagnostic])
    }
}

impl std::fmt::Display for Diagnostics {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        for diagnostic in &self.0 {
            f.write_str(&render(diagnostic))?;
        }
        Ok(())
    }
}

impl std::error::Error for Diagnostics {}

/// Characters of a source line shown at most: a minified JSON file is one line of
/// megabytes, and a diagnostic quotes a window of it, not all of it.
const SNIPPET_WIDTH: usize = 120;

/// The part of a line of `length` characters to show around the 1-based `column`, with
/// `…` where it is cut, and the column within what is shown; `slice(from, to)` gives the
/// line's characters `from..to`.
fn snippet_window(
    length: usize,
    column: Option<usize>,
    slice: impl Fn(usize, usize) -> String,
) -> (String, Option<usize>) {
    if length <= SNIPPET_WIDTH {
        return (slice(0, length), column);
    }
    let target = column.unwrap_or(1).saturating_sub(1).min(length);
    let start = target
        .saturating_sub(SNIPPET_WIDTH / 2)
        .min(length - SNIPPET_WIDTH);
    let end = start + SNIPPET_WIDTH;
    let mut shown = slice(start, end);
    let mut shift = start;
    if start > 0 {
        shown.insert(0, '…');
        shift = start - 1;
    }
    if end < length {
        shown.push('…');
    }
    (shown, column.map(|c| c - shift))
}

/// Writes every diagnostic, then a one-line count of the errors.
pub fn write_all(diagnostics: &Diagnostics, out: &mut dyn io::Write) -> io::Result<()> {
    for diagnostic in diagnostics.iter() {
        writeln!(out, "{}", render(diagnostic))?;
    }
    let errors = diagnostics.error_count();
    if errors > 0 {
        let plural = if errors == 1 { "" } else { "s" };
        writeln!(out, "error: {errors} problem{plural} found")?;
    }
    Ok(())
}

/// The text of one input file, kept beside the parsed data so that diagnostics can quote
/// the offending line.
#[derive(Clone, Debug)]
pub struct SourceFile {
    /// The path as the user gave it (or `standards/...` for bundled files): diagnostics
    /// show it unchanged so that editors and CI annotations can open it.
    pub path: String,
    /// The whole text of the file.
    pub text: String,
    line_starts: Vec<usize>,
    /// Characters before every [`CHECKPOINT_BYTES`]-th byte, built the first time a
    /// column or window lies far into a line: on a minified file of one line, each of
    /// thousands of findings is then placed in constant time, not by counting from the
    /// start of the line.
    checkpoints: std::sync::OnceLock<Vec<(usize, usize)>>,
}

/// Bytes between two character-count checkpoints of a [`SourceFile`].
const CHECKPOINT_BYTES: usize = 4096;

impl SourceFile {
    /// The file at `path` (as it is shown) holding `text`.
    pub fn new(path: impl Into<String>, text: impl Into<String>) -> Self {
        let text = text.into();
        let line_starts = std::iter::once(0)
            .chain(text.match_indices('\n').map(|(i, _)| i + 1))
            .collect();
        SourceFile {
            path: path.into(),
            text,
            line_starts,
            checkpoints: std::sync::OnceLock::new(),
        }
    }

    /// The text of a 1-based line, without its line end.
    pub fn line_text(&self, line: usize) -> Option<&str> {
        let start = *self.line_starts.get(line.checked_sub(1)?)?;
        let end = self
            .line_starts
            .get(line)
            .copied()
            .unwrap_or(self.text.len());
        Some(self.text[start..end].trim_end_matches(['\n', '\r']))
    }

    /// A location at a 1-based line and column (in characters), underlining `width`
    /// characters.
    pub fn location(&self, line: usize, column: usize, width: usize) -> Location {
        Location {
            path: self.path.clone(),
            line: Some(line),
            column: Some(column),
            snippet: self.snippet(line, column),
            width,
        }
    }

    /// The window of a 1-based line shown under a diagnostic at `column`.
    fn snippet(&self, line: usize, column: usize) -> Option<Snippet> {
        let text = self.line_text(line)?.trim_end();
        if text.len() <= CHECKPOINT_BYTES {
            return Some(Snippet::of(text, Some(column)));
        }
        let start = self.line_starts[line - 1];
        let first = self.chars_before(start);
        let length = self.chars_before(start + text.len()) - first;
        let slice = |from: usize, to: usize| {
            let (from, to) = (self.byte_at(first + from), self.byte_at(first + to));
            self.text[from..to].to_owned()
        };
        let (text, column) = snippet_window(length, Some(column), slice);
        Some(Snippet { text, column })
    }

    fn checkpoints(&self) -> &[(usize, usize)] {
        self.checkpoints.get_or_init(|| {
            let mut points = vec![(0, 0)];
            let (mut at, mut chars) = (0, 0);
            while at + CHECKPOINT_BYTES < self.text.len() {
                let mut next = at + CHECKPOINT_BYTES;
                while !self.text.is_char_boundary(next) {
                    next += 1;
                }
                chars += self.text[at..next].chars().count();
                points.push((next, chars));
                at = next;
            }
            points
        })
    }

    /// Characters of the text before the byte `offset` (a character boundary).
    fn chars_before(&self, offset: usize) -> usize {
        let points = self.checkpoints();
        let (at, chars) = points[points.partition_point(|&(b, _)| b <= offset) - 1];
        chars + self.text.get(at..offset).map_or(0, |t| t.chars().count())
    }

    /// The byte offset of the character with index `chars` in the text (or its end).
    fn byte_at(&self, chars: usize) -> usize {
        let points = self.checkpoints();
        let (at, before) = points[points.partition_point(|&(_, c)| c <= chars) - 1];
        self.text[at..]
            .char_indices()
            .nth(chars - before)
            .map_or(self.text.len(), |(i, _)| at + i)
    }

    /// A location at a 1-based line and column that underlines the YAML token starting
    /// there: a quoted string with its quotes, or a plain word up to a separator.
    pub fn token_location(&self, line: usize, column: usize) -> Location {
        let width = self
            .line_text(line)
            .map_or(1, |text| token_width(text, column));
        self.location(line, column, width)
    }

    /// A location at a byte offset into the text.
    pub fn location_at_byte(&self, offset: usize, width: usize) -> Location {
        let offset = offset.min(self.text.len());
        let line_index = match self.line_starts.binary_search(&offset) {
            Ok(i) => i,
            Err(i) => i - 1,
        };
        let start = self.line_starts[line_index];
        let column = match self.text.get(start..offset) {
            None => 1,
            Some(prefix) if prefix.len() <= CHECKPOINT_BYTES => prefix.chars().count() + 1,
            Some(_) => self.chars_before(offset) - self.chars_before(start) + 1,
        };
        self.location(line_index + 1, column, width)
    }

    /// A location naming the whole file, without a line.
    pub fn whole_file(&self) -> Location {
        Location::file(self.path.clone())
    }
}

fn token_width(line: &str, column: usize) -> usize {
    let rest: Vec<char> = line.chars().skip(column.saturating_sub(1)).collect();
    match rest.first() {
        None => 1,
        Some(&quote @ ('"' | '\'')) => rest[1..]
            .iter()
            .position(|&c| c == quote)
            .map_or(rest.len(), |end| end + 2),
        Some(_) => (0..rest.len())
            .find(|&i| {
                let c = rest[i];
                let key_end = c == ':' && rest.get(i + 1).is_none_or(|n| n.is_whitespace());
                key_end || c.is_whitespace() || matches!(c, ',' | ']' | '}' | '#')
            })
            .unwrap_or(rest.len())
            .max(1),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn renders_location_source_line_and_caret() {
        let file = SourceFile::new("c.yaml", "a: 1\nb: [x, yy]\n");
        let diagnostic = Diagnostic::error(Code::BadValue, "something is off")
            .at(file.location(2, 8, 2))
            .note("help: fix it");
        assert_eq!(
            render(&diagnostic),
            "error[bad-value]: something is off\n --> c.yaml:2:8\n  |\n2 | b: [x, yy]\n  |        ^^\n  |\n  = help: fix it\n"
        );
    }

    #[test]
    fn long_lines_are_shown_as_a_window_around_the_column() {
        let line = format!("{}\"needle\"{}", "a".repeat(5000), "b".repeat(5000));
        let file = SourceFile::new("min.json", line);
        let rendered =
            render(&Diagnostic::warning(Code::UnparsedId, "here").at(file.location(1, 5001, 8)));
        let lines: Vec<&str> = rendered.lines().collect();
        assert!(lines[3].chars().count() < 130, "{}", lines[3]);
        assert!(lines[3].starts_with("1 | …a") && lines[3].ends_with("b…"));
        let caret_at = lines[4].find('^').unwrap();
        let under: String = lines[3].chars().skip(caret_at).take(8).collect();
        assert_eq!(under, "\"needle\"");
        assert_eq!(lines[1], " --> min.json:1:5001");
        let start = render(&Diagnostic::warning(Code::UnparsedId, "x").at(file.location(1, 1, 1)));
        assert!(start.lines().nth(3).unwrap().starts_with("1 | aaa"));
    }

    #[test]
    fn control_characters_in_quoted_lines_are_shown_escaped() {
        // A source line must not carry terminal escapes (ESC [2J, BEL) into a CI log.
        let file = SourceFile::new("c.yaml", "id: \u{1b}[2J\u{7}GOV\u{202e}-01 # x\n");
        let rendered = render(
            &Diagnostic::error(Code::BadIdCharacter, "bad \u{1b}[31m")
                .at(file.location(1, 5, 12))
                .note("see \u{7}"),
        );
        assert!(
            !rendered.chars().any(crate::visible::is_hidden_control),
            "{rendered:?}"
        );
        let lines: Vec<&str> = rendered.lines().collect();
        assert_eq!(lines[0], "error[bad-id-character]: bad \\u{1b}[31m");
        assert_eq!(lines[3], "1 | id: \\u{1b}[2J\\u{7}GOV\\u{202e}-01 # x");
        let carets = lines[4].trim_start_matches("  | ");
        let marked: String = lines[3]
            .chars()
            .skip(lines[4].find('^').unwrap())
            .take(carets.trim().len())
            .collect();
        assert_eq!(marked, "\\u{1b}[2J\\u{7}GOV\\u{202e}-01");
        assert_eq!(lines[6], "  = see \\u{7}");
        assert_eq!(
            lines[1], " --> c.yaml:1:5",
            "the file's column, not the escaped one"
        );
    }

    #[test]
    fn a_second_place_is_quoted_under_the_first_with_its_label() {
        let first = SourceFile::new("a.yaml", "controls:\n  - id: GOV-01\n");
        let second = SourceFile::new("b.yaml", format!("{}  - id: GOV-01\n", "\n".repeat(11)));
        let diagnostic = Diagnostic::error(Code::DuplicateId, "control `GOV-01` is defined twice")
            .at(second.location(12, 9, 6))
            .also_at(first.location(2, 9, 6), "first defined here");
        assert_eq!(
            render(&diagnostic),
            "error[duplicate-id]: control `GOV-01` is defined twice
  --> b.yaml:12:9
   |
12 |   - id: GOV-01
   |         ^^^^^^
   |
  ::: a.yaml:2:9
   |
 2 |   - id: GOV-01
   |         ------ first defined here
"
        );
    }

    #[test]
    fn places_without_a_quoted_line_show_the_place_and_the_label() {
        let diagnostic = Diagnostic::error(Code::NotUtf8, "the file is not valid UTF-8")
            .at(Location {
                line: Some(2),
                column: Some(11),
                ..Location::file("n.yaml")
            })
            .also_at(Location::file("m.yaml"), "also here")
            .note("help: save the file as UTF-8");
        assert_eq!(
            render(&diagnostic),
            "error[not-utf8]: the file is not valid UTF-8
--> n.yaml:2:11
::: m.yaml
 = also here
 = help: save the file as UTF-8
"
        );
    }

    #[test]
    fn the_header_names_the_files_column_when_an_escape_stands_before_the_mark() {
        let file = SourceFile::new("c.yaml", "a\u{7}b: GOV\n");
        let rendered = render(&Diagnostic::error(Code::BadValue, "x").at(file.location(1, 6, 3)));
        let lines: Vec<&str> = rendered.lines().collect();
        assert_eq!(lines[1], " --> c.yaml:1:6");
        assert_eq!(lines[3], "1 | a\\u{7}b: GOV");
        assert_eq!(lines[4], "  |          ^^^");
    }

    #[test]
    fn a_location_keeps_only_the_shown_window_of_its_line() {
        let file = SourceFile::new("min.json", "x".repeat(1 << 20));
        let location = file.location(1, 500_000, 3);
        let snippet = location.snippet.unwrap();
        assert!(snippet.text.chars().count() <= SNIPPET_WIDTH + 2);
        assert_eq!(snippet.column, Some(62));
    }

    #[test]
    fn columns_and_windows_far_into_a_line_match_counting_from_its_start() {
        // Multi-byte characters put checkpoints off character boundaries.
        let line: String = (0..30_000).map(|i| ['a', 'é', '€', '𝄞'][i % 4]).collect();
        let file = SourceFile::new("min.json", format!("{{\n{line}  \n}}\n"));
        for column in [1, 2, 61, 5_000, 17_321, 29_950, 30_000, 30_001] {
            let location = file.location(2, column, 1);
            assert_eq!(
                location.snippet,
                Some(Snippet::of(&line, Some(column))),
                "column {column}"
            );
        }
        for chars in [0, 1, 4_095, 4_096, 12_345, 29_999] {
            let byte = 2 + line.char_indices().nth(chars).unwrap().0;
            let location = file.location_at_byte(byte, 1);
            assert_eq!(location.column, Some(chars + 1));
            assert_eq!(location.snippet, Some(Snippet::of(&line, Some(chars + 1))));
        }
    }

    #[test]
    fn byte_offsets_map_to_lines_and_character_columns() {
        let file = SourceFile::new("c.yaml", "é: 1\r\nkey: value\n");
        let location = file.location_at_byte(12, 1);
        assert_eq!((location.line, location.column), (Some(2), Some(6)));
        let snippet = location.snippet.as_ref().map(|s| s.text.as_str());
        assert_eq!(snippet, Some("key: value"));
        let first = file.location_at_byte(2, 1);
        assert_eq!((first.line, first.column), (Some(1), Some(2)));
    }
}
