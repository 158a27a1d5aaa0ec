//! Markdown to plain text: what a reader sees, without the markup. Links keep their text,
//! emphasis and code marks go, table separators and rows are normalised, and paragraphs
//! are unwrapped, so that re-wrapping a paragraph or moving a link target never reads as
//! a change of the requirement.
//!
//! Every step is a single pass over its input with a bounded look-ahead, so hostile text
//! (thousands of unclosed brackets) costs linear time.

/// How far a `[` looks for its `]`, and a `](` for its `)`: a link longer than this is
/// kept as written.
const LINK_LOOKAHEAD: usize = 2048;

/// Renders the body of one section (its lines, without the heading) as plain text:
/// blocks separated by one blank line, table rows and list items on their own lines.
pub fn block_text<'a>(lines: impl IntoIterator<Item = &'a str>) -> String {
    let mut blocks: Vec<String> = Vec::new();
    let mut current: Vec<String> = Vec::new();
    let mut in_fence = false;
    let mut in_comment = false;
    for raw in lines {
        let line = raw.trim_end();
        if in_comment {
            in_comment = !line.contains("-->");
            continue;
        }
        if is_fence(line) {
            in_fence = !in_fence;
            continue;
        }
        if in_fence {
            current.push(line.trim().to_owned());
            continue;
        }
        if line.trim_start().starts_with("<!--") {
            in_comment = !line.contains("-->");
            continue;
        }
        if line.trim().is_empty() {
            flush(&mut blocks, &mut current);
            continue;
        }
        if is_reference_definition(line) || is_table_separator(line) {
            continue;
        }
        add_line(&mut current, line);
    }
    flush(&mut blocks, &mut current);
    blocks.join("\n\n")
}

fn flush(blocks: &mut Vec<String>, current: &mut Vec<String>) {
    if !current.is_empty() {
        blocks.push(current.join("\n"));
        current.clear();
    }
}

/// Adds one source line to the block: a list item or table row starts a new line, any
/// other line continues the previous one (a soft wrap).
fn add_line(current: &mut Vec<String>, line: &str) {
    let trimmed = line.trim();
    let rendered = if is_table_row(trimmed) {
        table_row(trimmed)
    } else if let Some((marker, rest)) = list_item(trimmed) {
        let text = inline(rest);
        format!("{marker} {text}")
    } else {
        inline(trimmed)
    };
    if rendered.is_empty() {
        return;
    }
    let starts_line = is_table_row(trimmed) || list_item(trimmed).is_some();
    match current.last_mut() {
        Some(last) if !starts_line && !last.contains(" | ") => {
            last.push(' ');
            last.push_str(&rendered);
        }
        _ => current.push(rendered),
    }
}

fn is_fence(line: &str) -> bool {
    let t = line.trim_start();
    t.starts_with("```") || t.starts_with("~~~")
}

/// `[label]: https://...` lines define reference links; they carry no text.
fn is_reference_definition(line: &str) -> bool {
    let t = line.trim_start();
    t.starts_with('[')
        && t.get(1..)
            .and_then(|rest| rest.find("]:"))
            .is_some_and(|end| end < LINK_LOOKAHEAD)
}

fn is_table_row(trimmed: &str) -> bool {
    trimmed.starts_with('|')
}

/// `|--|:-:|`, `+---+===+` and `---` rows only draw the table.
fn is_table_separator(line: &str) -> bool {
    let t = line.trim();
    t.len() >= 3
        && t.chars().any(|c| c == '-' || c == '=')
        && t.chars()
            .all(|c| matches!(c, '|' | '+' | '-' | '=' | ':' | ' '))
}

/// The cells of a pipe-table row, each rendered, joined by ` | `.
fn table_row(trimmed: &str) -> String {
    let inner = trimmed.strip_prefix('|').unwrap_or(trimmed);
    let inner = inner.strip_suffix('|').unwrap_or(inner);
    split_cells(inner)
        .iter()
        .map(|cell| inline(cell))
        .collect::<Vec<_>>()
        .join(" | ")
}

/// Splits a table row at `|` that are not escaped (`\|` stays in the cell).
pub fn split_cells(row: &str) -> Vec<String> {
    let mut cells = vec![String::new()];
    let mut chars = row.chars();
    while let Some(c) = chars.next() {
        match c {
            '\\' => {
                if let Some(next) = chars.next() {
                    if let Some(cell) = cells.last_mut() {
                        if next != '|' {
                            cell.push('\\');
                        }
                        cell.push(next);
                    }
                }
            }
            '|' => cells.push(String::new()),
            _ => {
                if let Some(cell) = cells.last_mut() {
                    cell.push(c);
                }
            }
        }
    }
    cells
}

/// A list item's marker (`-` for any bullet, `3.` or `a)` kept) and its text.
fn list_item(trimmed: &str) -> Option<(String, &str)> {
    for bullet in ["- ", "* ", "+ "] {
        if let Some(rest) = trimmed.strip_prefix(bullet) {
            return Some(("-".to_owned(), rest));
        }
    }
    let marker_len = trimmed
        .char_indices()
        .take(4)
        .find(|(_, c)| !c.is_ascii_alphanumeric())
        .map(|(i, _)| i)?;
    let (head, tail) = trimmed.split_at(marker_len);
    let numbered = !head.is_empty()
        && (head.bytes().all(|b| b.is_ascii_digit())
            || (head.len() == 1 && head.bytes().all(|b| b.is_ascii_lowercase())));
    let rest = tail
        .strip_prefix(". ")
        .or_else(|| tail.strip_prefix(") "))?;
    numbered.then(|| (format!("{head}{}", &tail[..1]), rest))
}

/// Renders inline Markdown as the text a reader sees: link text without its target,
/// emphasis and code marks dropped, escapes resolved, `<br>` as a space, spaces squashed.
pub fn inline(text: &str) -> String {
    let bytes = text.as_bytes();
    let mut out = String::with_capacity(text.len());
    // Where a link's text ends and where its target ends: reaching the first skips to the
    // second.
    let mut skip: Vec<(usize, usize)> = Vec::new();
    let mut i = 0;
    while i < text.len() {
        if let Some(&(at, to)) = skip.last() {
            if i == at {
                skip.pop();
                i = to;
                continue;
            }
        }
        let c = text[i..].chars().next().unwrap_or(' ');
        let width = c.len_utf8();
        match c {
            '\\' => {
                let next = text[i + 1..].chars().next();
                match next {
                    Some(n) if n.is_ascii_punctuation() => {
                        out.push(n);
                        i += 1 + n.len_utf8();
                    }
                    // A backslash at the end of a line is a hard line break.
                    None => i += 1,
                    Some(_) => {
                        out.push('\\');
                        i += 1;
                    }
                }
                continue;
            }
            '!' if bytes.get(i + 1) == Some(&b'[') => {}
            // A footnote reference (`[^maxlength]`) marks, it does not say.
            '[' if text[i..].starts_with("[^") => {
                match text[i..].char_indices().take(64).find(|(_, c)| *c == ']') {
                    Some((end, _)) => {
                        i += end + 1;
                        continue;
                    }
                    None => out.push('['),
                }
            }
            '[' => match link_end(text, i) {
                Some(ends) => skip.push(ends),
                None => out.push('['),
            },
            // Typographic quotes and dashes read as their ASCII forms, so that a
            // clean-up that straightens them changes nothing.
            '\u{2018}' | '\u{2019}' => out.push('\''),
            '\u{201C}' | '\u{201D}' => out.push('"'),
            '\u{2010}' | '\u{2011}' | '\u{2013}' => out.push('-'),
            '\u{00A0}' => out.push(' '),
            '*' | '`' => {}
            '_' if at_word_edge(text, i) => {}
            // An autolink (`<https://...>`) reads as its address, as a bare address does.
            '<' if autolink(&text[i + 1..]).is_some() => {
                let address = autolink(&text[i + 1..]).unwrap_or_default();
                out.push_str(address);
                i += address.len() + 2;
                continue;
            }
            '<' => match html_tag(text, i) {
                Some((end, replacement)) => {
                    out.push_str(replacement);
                    i = end;
                    continue;
                }
                None => out.push('<'),
            },
            '{' if text[i..].starts_with("{#") => {
                // Bounded, like every look-ahead here: `{#{#{#` never closes.
                let window = text[i..].char_indices().take(256);
                if let Some((end, _)) = window.clone().find(|(_, c)| *c == '}') {
                    i += end + 1;
                    continue;
                }
                out.push('{');
            }
            _ => out.push(c),
        }
        i += width;
    }
    super::super::squash_spaces(&out)
}

/// For a `[` at `open`: where its `]` is and where the link's target ends, when the
/// bracket opens a link (`[text](url)`, `[text][ref]`, `[text][]`).
fn link_end(text: &str, open: usize) -> Option<(usize, usize)> {
    let window = &text[open + 1..];
    let close = window
        .char_indices()
        .take_while(|(i, _)| *i < LINK_LOOKAHEAD)
        .find(|(_, c)| *c == ']' || *c == '[')
        .filter(|(_, c)| *c == ']')?
        .0;
    let at = open + 1 + close;
    let after = &text[at + 1..];
    let closer = match after.chars().next() {
        Some('(') => ')',
        Some('[') => ']',
        _ => return None,
    };
    let end = after[1..]
        .char_indices()
        .take_while(|(i, _)| *i < LINK_LOOKAHEAD)
        .find(|(_, c)| *c == closer)?
        .0;
    Some((at, at + 1 + 1 + end + 1))
}

/// An `_` that opens or closes emphasis: next to a non-word character on one side.
fn at_word_edge(text: &str, i: usize) -> bool {
    let before = text[..i].chars().next_back();
    let after = text[i + 1..].chars().next();
    let word = |c: Option<char>| c.is_some_and(|c| c.is_alphanumeric());
    !(word(before) && word(after))
}

/// The address of an autolink whose `<` precedes `rest`: up to its `>`, without spaces.
fn autolink(rest: &str) -> Option<&str> {
    if !(rest.starts_with("http://") || rest.starts_with("https://") || rest.starts_with("mailto:"))
    {
        return None;
    }
    let end = rest
        .char_indices()
        .take_while(|(i, c)| *i < LINK_LOOKAHEAD && !c.is_whitespace())
        .find(|(_, c)| *c == '>')?
        .0;
    Some(&rest[..end])
}

/// An inline HTML element reqgap knows how to read: `<br>` becomes a space, an autolink
/// `<https://...>` its address, `<sup>`/`<sub>`/`<span ...>` and their ends vanish.
fn html_tag(text: &str, open: usize) -> Option<(usize, &'static str)> {
    let rest = &text[open + 1..];
    let close = rest.char_indices().take(256).find(|(_, c)| *c == '>')?.0;
    let tag = &rest[..close];
    let end = open + 1 + close + 1;
    let lower = tag.to_ascii_lowercase();
    let name = lower.trim_start_matches('/');
    let name = name.split([' ', '/']).next().unwrap_or("");
    if name == "br" {
        return Some((end, " "));
    }
    if matches!(
        name,
        "sup" | "sub" | "span" | "a" | "b" | "i" | "em" | "strong" | "u"
    ) {
        return Some((end, ""));
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn links_keep_their_text_only() {
        assert_eq!(
            inline("See [Section 4.9.9](#499-on-line) and [RFC 5280][RFC5280]."),
            "See Section 4.9.9 and RFC 5280."
        );
        assert_eq!(inline("an ![image](x.png) here"), "an image here");
        assert_eq!(inline("[not a link] stays"), "[not a link] stays");
    }

    #[test]
    fn emphasis_and_code_marks_vanish() {
        assert_eq!(
            inline("**MUST NOT** use _local_ `policy` in snake_case"),
            "MUST NOT use local policy in snake_case"
        );
        assert_eq!(
            inline(r"Effective\* dates \| pipes"),
            "Effective* dates | pipes"
        );
        assert_eq!(inline("a<br>b <sup>1</sup>"), "a b 1");
        assert_eq!(
            inline("tools (<https://example.org/t>) and (https://example.org/t)"),
            "tools (https://example.org/t) and (https://example.org/t)"
        );
        assert_eq!(
            inline("Length[^max] of the CA\u{2019}s \u{201C}x\u{201D}"),
            "Length of the CA's \"x\""
        );
    }

    #[test]
    fn wrapping_does_not_change_the_text() {
        let wrapped = block_text(["The CA SHALL", "  keep records."]);
        let unwrapped = block_text(["The CA SHALL keep records."]);
        assert_eq!(wrapped, unwrapped);
    }

    #[test]
    fn tables_and_lists_keep_their_rows() {
        let text = block_text([
            "| **Ext** | Presence |",
            "|-|--|",
            "| `keyUsage` | MUST |",
            "",
            "* first",
            "2. second",
        ]);
        assert_eq!(
            text,
            "Ext | Presence\nkeyUsage | MUST\n\n- first\n2. second"
        );
    }

    #[test]
    fn unclosed_brackets_cost_linear_time() {
        let hostile = "[".repeat(200_000) + &"](".repeat(50_000);
        let rendered = inline(&hostile);
        assert!(rendered.len() >= 200_000);
    }
}
