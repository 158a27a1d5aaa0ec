//! Output that is safe to open: text from input files (titles, owner names, IDs) reaches
//! terminals, spreadsheets and Markdown viewers, each of which acts on some characters.
//! Every text renderer passes input text through one of these functions.
//!
//! - Terminals act on control characters (`ESC [2J` clears the screen, BEL rings), and
//!   bidirectional overrides make text read differently from how it is stored; both are
//!   shown as visible escapes such as `\u{1b}` and `\u{202e}`.
//! - Spreadsheets run a cell that starts with `=`, `+`, `-` or `@` (or a tab or carriage
//!   return before one) as a formula: such cells get a leading `'`, the OWASP rule for CSV
//!   injection.
//! - Markdown viewers render raw HTML (`<script>`, `<img onerror=…>`): `<`, `>` and `&`
//!   become entities, as the HTML report already does.
//! - A long table cell is cut (in linear time) so that laying out a table stays fast; the
//!   JSON and Markdown formats keep the full text.

use std::borrow::Cow;

/// Characters of a table cell beyond which the text is cut.
pub const MAX_TABLE_CELL_CHARS: usize = 2_000;

/// The character rule and escape shared with IDs and diagnostics (see [`crate::visible`]).
pub use crate::visible::{is_hidden_control, visible_controls};

/// A CSV cell that a spreadsheet shows as text: a leading `'` before `=`, `+`, `-`, `@`,
/// tab or carriage return (OWASP "CSV Injection"), and visible control characters. A cell
/// of one character (the renderers' `-` for "none") is no formula and stays as it is.
pub fn csv_cell(text: &str) -> Cow<'_, str> {
    let formula =
        text.starts_with(['=', '+', '-', '@', '\t', '\r']) && text.chars().nth(1).is_some();
    let visible = visible_controls(text);
    if formula {
        Cow::Owned(format!("'{visible}"))
    } else {
        visible
    }
}

/// Text for Markdown: HTML special characters as entities, control characters visible.
pub fn markdown_text(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in visible_controls(text).chars() {
        match c {
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '&' => out.push_str("&amp;"),
            c => out.push(c),
        }
    }
    out
}

/// A terminal table cell: control characters visible, and at most
/// [`MAX_TABLE_CELL_CHARS`] characters, with a note of how much was cut. Runs in time
/// linear in the text, whatever its length.
pub fn table_cell(text: &str) -> String {
    let visible = visible_controls(text);
    match visible.char_indices().nth(MAX_TABLE_CELL_CHARS) {
        None => visible.into_owned(),
        Some((cut, _)) => {
            let rest = visible[cut..].chars().count();
            format!(
                "{}… [{rest} more characters; --format json or markdown shows all]",
                &visible[..cut]
            )
        }
    }
}

/// A comfy-table cell holding [`table_cell`] text.
pub fn cell(content: impl std::fmt::Display) -> comfy_table::Cell {
    comfy_table::Cell::new(table_cell(&content.to_string()))
}

/// A writer that makes control characters visible in everything written through it: the
/// catch-all for text formats, whose renderers also print titles, names and warnings
/// outside table cells. With `keep_colours`, well-formed SGR sequences (`ESC [ 1;31 m`,
/// which only set colours) pass, so that coloured tables stay coloured.
pub struct VisibleControls<'a> {
    inner: &'a mut dyn std::io::Write,
    keep_colours: bool,
    /// The start of a UTF-8 character split across two writes.
    pending: Vec<u8>,
}

impl<'a> VisibleControls<'a> {
    /// Writes to `inner`; `keep_colours` lets ANSI colour sequences through.
    pub fn new(inner: &'a mut dyn std::io::Write, keep_colours: bool) -> Self {
        VisibleControls {
            inner,
            keep_colours,
            pending: Vec::new(),
        }
    }

    fn escape(&self, text: &str) -> String {
        let mut out = String::with_capacity(text.len());
        let mut rest = text;
        while let Some(c) = rest.chars().next() {
            if self.keep_colours && c == '\u{1b}' {
                if let Some(len) = sgr_len(rest) {
                    out.push_str(&rest[..len]);
                    rest = &rest[len..];
                    continue;
                }
            }
            out.push_str(&visible_controls(&rest[..c.len_utf8()]));
            rest = &rest[c.len_utf8()..];
        }
        out
    }
}

/// The length of the SGR sequence (`ESC [ digits and ; m`) at the start of `text`.
fn sgr_len(text: &str) -> Option<usize> {
    let body = text.strip_prefix("\u{1b}[")?;
    let params = body
        .bytes()
        .take_while(|b| b.is_ascii_digit() || *b == b';')
        .count();
    (body.as_bytes().get(params) == Some(&b'm')).then_some(2 + params + 1)
}

impl std::io::Write for VisibleControls<'_> {
    fn write(&mut self, bytes: &[u8]) -> std::io::Result<usize> {
        self.pending.extend_from_slice(bytes);
        let valid = match std::str::from_utf8(&self.pending) {
            Ok(text) => text.len(),
            // An incomplete character at the end waits for the next write.
            Err(e) if e.error_len().is_none() => e.valid_up_to(),
            // Not UTF-8 at all: no renderer writes that, so pass it on unchanged.
            Err(_) => {
                self.inner.write_all(&self.pending)?;
                self.pending.clear();
                return Ok(bytes.len());
            }
        };
        let text = std::str::from_utf8(&self.pending[..valid]).unwrap_or_default();
        let escaped = self.escape(text);
        self.inner.write_all(escaped.as_bytes())?;
        self.pending.drain(..valid);
        Ok(bytes.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        if !self.pending.is_empty() {
            self.inner.write_all(&self.pending)?;
            self.pending.clear();
        }
        self.inner.flush()
    }
}

impl Drop for VisibleControls<'_> {
    fn drop(&mut self) {
        let _ = std::io::Write::flush(self);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn control_and_bidi_characters_become_visible() {
        assert_eq!(visible_controls("a\u{1b}[2J\u{7}b"), "a\\u{1b}[2J\\u{7}b");
        assert_eq!(visible_controls("GOV\u{202E}10"), "GOV\\u{202e}10");
        assert_eq!(visible_controls("line\nnext\ttab"), "line\nnext\ttab");
        assert!(matches!(visible_controls("plain"), Cow::Borrowed(_)));
    }

    #[test]
    fn csv_formulas_are_neutralised() {
        for formula in [
            "=HYPERLINK(\"x\")",
            "+1",
            "-1+2",
            "@SUM(1+1)*cmd|' /C calc'!A0",
            "\t=1",
            "\r=1",
        ] {
            assert!(csv_cell(formula).starts_with('\''), "{formula}");
        }
        assert_eq!(csv_cell("GOV-01 = ok"), "GOV-01 = ok");
        assert_eq!(csv_cell("-"), "-");
    }

    #[test]
    fn markdown_escapes_html() {
        assert_eq!(
            markdown_text("<script>alert(1)</script> & <img onerror=x>"),
            "&lt;script&gt;alert(1)&lt;/script&gt; &amp; &lt;img onerror=x&gt;"
        );
    }

    #[test]
    fn the_writer_escapes_across_writes_and_keeps_only_colours() {
        use std::io::Write;
        let mut out = Vec::new();
        {
            let mut w = VisibleControls::new(&mut out, true);
            let text = "\u{1b}[1;31mred\u{1b}[0m \u{1b}[2J\u{7} \u{202E}";
            let bytes = text.as_bytes();
            let split = bytes.len() - 2; // inside the three bytes of U+202E
            w.write_all(&bytes[..split]).unwrap();
            w.write_all(&bytes[split..]).unwrap();
        }
        assert_eq!(
            String::from_utf8(out).unwrap(),
            "\u{1b}[1;31mred\u{1b}[0m \\u{1b}[2J\\u{7} \\u{202e}"
        );
    }

    #[test]
    fn long_table_cells_are_cut_with_a_note() {
        let cell = table_cell(&"x".repeat(MAX_TABLE_CELL_CHARS + 5));
        assert!(cell.starts_with(&"x".repeat(MAX_TABLE_CELL_CHARS)));
        assert!(cell.ends_with("… [5 more characters; --format json or markdown shows all]"));
        assert_eq!(table_cell("short"), "short");
    }
}
