//! Diagnostics: plain data describing a problem in an input file, rendered in one place.

use std::fmt::Write as _;
use std::io;

use serde::Serialize;

mod codes;
pub use codes::Code;

#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Severity {
    Error,
    Warning,
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
    pub path: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub line: Option<usize>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub column: Option<usize>,
    /// The text of the offending line, shown under the message.
    #[serde(skip)]
    pub source_line: Option<String>,
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
            source_line: None,
            width: 0,
        }
    }

    pub fn display(&self) -> String {
        match (self.line, self.column) {
            (Some(line), Some(column)) => format!("{}:{line}:{column}", self.path),
            (Some(line), None) => format!("{}:{line}", self.path),
            _ => self.path.clone(),
        }
    }
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Diagnostic {
    pub severity: Severity,
    /// Stable kebab-case code, e.g. `duplicate-id` (see [`Code`]).
    pub code: Code,
    pub message: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub location: Option<Box<Location>>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub notes: Vec<String>,
}

impl Diagnostic {
    pub fn error(code: Code, message: impl Into<String>) -> Self {
        Diagnostic {
            severity: Severity::Error,
            code,
            message: message.into(),
            location: None,
            notes: Vec::new(),
        }
    }

    pub fn warning(code: Code, message: impl Into<String>) -> Self {
        Diagnostic {
            severity: Severity::Warning,
            ..Diagnostic::error(code, message)
        }
    }

    pub fn at(mut self, location: Location) -> Self {
        self.location = Some(Box::new(location));
        self
    }

    pub fn at_opt(mut self, location: Option<Location>) -> Self {
        self.location = location.map(Box::new).or(self.location);
        self
    }

    pub fn note(mut self, note: impl Into<String>) -> Self {
        self.notes.push(note.into());
        self
    }

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
    pub fn new() -> Self {
        Diagnostics(Vec::new())
    }

    pub fn push(&mut self, diagnostic: Diagnostic) {
        self.0.push(diagnostic);
    }

    pub fn extend(&mut self, other: Diagnostics) {
        self.0.extend(other.0);
    }

    pub fn has_errors(&self) -> bool {
        self.0.iter().any(Diagnostic::is_error)
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    pub fn len(&self) -> usize {
        self.0.len()
    }

    pub fn iter(&self) -> impl Iterator<Item = &Diagnostic> {
        self.0.iter()
    }

    pub fn error_count(&self) -> usize {
        self.0.iter().filter(|d| d.is_error()).count()
    }

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

/// Renders one diagnostic the way compilers do:
///
/// ```text
/// error[duplicate-id]: requirement ID `REQ-5-01` is defined twice
///   --> catalog.yaml:20:9
///    |
/// 20 |   - id: REQ-5-01
///    |         ^^^^^^^^
///    = note: first defined at line 12
/// ```
pub fn render(diagnostic: &Diagnostic) -> String {
    let mut out = String::new();
    let _ = writeln!(
        out,
        "{}[{}]: {}",
        diagnostic.severity.as_str(),
        diagnostic.code,
        diagnostic.message
    );
    let gutter = diagnostic
        .location
        .as_ref()
        .and_then(|l| l.line)
        .map_or(1, |line| line.to_string().len());
    let pad = " ".repeat(gutter);
    if let Some(location) = &diagnostic.location {
        let _ = writeln!(out, "{pad}--> {}", location.display());
        if let (Some(line), Some(text)) = (location.line, &location.source_line) {
            let _ = writeln!(out, "{pad} |");
            let _ = writeln!(out, "{line} | {}", text.trim_end());
            if let Some(column) = location.column {
                let indent: String = text
                    .chars()
                    .take(column.saturating_sub(1))
                    .map(|c| if c == '\t' { '\t' } else { ' ' })
                    .collect();
                let _ = writeln!(out, "{pad} | {indent}{}", "^".repeat(location.width.max(1)));
            }
        }
    }
    for note in &diagnostic.notes {
        let _ = writeln!(out, "{pad} = {note}");
    }
    out
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
    pub text: String,
    line_starts: Vec<usize>,
}

impl SourceFile {
    pub fn new(path: impl Into<String>, text: impl Into<String>) -> Self {
        let text = text.into();
        let line_starts = std::iter::once(0)
            .chain(text.match_indices('\n').map(|(i, _)| i + 1))
            .collect();
        SourceFile {
            path: path.into(),
            text,
            line_starts,
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
            source_line: self.line_text(line).map(str::to_owned),
            width,
        }
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
        let column = self
            .text
            .get(start..offset)
            .map_or(1, |s| s.chars().count() + 1);
        self.location(line_index + 1, column, width)
    }

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
            "error[bad-value]: something is off\n --> c.yaml:2:8\n  |\n2 | b: [x, yy]\n  |        ^^\n  = help: fix it\n"
        );
    }

    #[test]
    fn byte_offsets_map_to_lines_and_character_columns() {
        let file = SourceFile::new("c.yaml", "é: 1\r\nkey: value\n");
        let location = file.location_at_byte(12, 1);
        assert_eq!((location.line, location.column), (Some(2), Some(6)));
        assert_eq!(location.source_line.as_deref(), Some("key: value"));
        let first = file.location_at_byte(2, 1);
        assert_eq!((first.line, first.column), (Some(1), Some(2)));
    }
}
