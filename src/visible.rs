//! Characters that a terminal or viewer acts on instead of showing, and their visible
//! form. One rule for every place that shows input text: IDs may not hold these
//! characters (`model::ids`), text outputs escape them (`report::sanitize`), and so do
//! the source lines quoted under a diagnostic (`diag`), so that an input file cannot put
//! terminal escapes into a CI log.

use std::borrow::Cow;
use std::fmt::Write as _;

/// Controls (C0, C1, DEL), bidirectional formatting characters (Trojan Source,
/// CVE-2021-42574), and the zero-width and soft-hyphen characters that display as nothing.
pub fn is_unprintable(c: char) -> bool {
    c.is_control()
        || matches!(
            c,
            '\u{00AD}'
                | '\u{061C}'
                | '\u{180E}'
                | '\u{200B}'..='\u{200F}'
                | '\u{202A}'..='\u{202E}'
                | '\u{2060}'..='\u{2064}'
                | '\u{2066}'..='\u{2069}'
                | '\u{FEFF}'
        )
}

/// True for the unprintable characters that text output escapes: all but tab and line
/// feed, which lay text out.
pub fn is_hidden_control(c: char) -> bool {
    c != '\n' && c != '\t' && is_unprintable(c)
}

/// `text` with every hidden control character written as a visible `\u{..}` escape.
pub fn visible_controls(text: &str) -> Cow<'_, str> {
    if !text.chars().any(is_hidden_control) {
        return Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len() + 8);
    for c in text.chars() {
        if is_hidden_control(c) {
            let _ = write!(out, "\\u{{{:x}}}", u32::from(c));
        } else {
            out.push(c);
        }
    }
    Cow::Owned(out)
}
