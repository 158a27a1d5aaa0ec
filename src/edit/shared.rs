//! YAML anchors and aliases in an entry that an edit changes. An alias shares one value
//! between places: editing the anchored value would change every entry that aliases it (a
//! review of one control closing another control's gap). reqgap edits only what it means
//! to: an edited alias is replaced by a value of its own, and an edit of an anchored value
//! that others share is refused, naming both places.

use super::text::{Edit, Lines};
use crate::diag::{Code, Diagnostic, Diagnostics, SourceFile};
use crate::source::yaml::Position;

/// An `&name` or `*name` token in the text.
#[derive(Clone, Debug, PartialEq, Eq)]
struct Token<'a> {
    anchor: bool,
    name: &'a str,
    line: usize,
    column: usize,
}

/// `edits` of `file` made safe for anchors: an edit of an alias (`reviewed-against: *v`)
/// replaces the whole alias, so that the edited entry gets a value of its own and every
/// other entry keeps the shared one. An edit that would change an anchored value that an
/// alias elsewhere shares (or remove its anchor) is refused, naming both places.
pub(crate) fn unshare(file: &SourceFile, mut edits: Vec<Edit>) -> Result<Vec<Edit>, Diagnostics> {
    let text = &file.text;
    let tokens = tokens(text);
    let lines = Lines::new(text);
    for edit in &mut edits {
        let at_alias = tokens.iter().filter(|t| !t.anchor).find(|t| {
            lines.offset(Position {
                line: t.line,
                column: t.column,
                width: 1,
            }) == Some(edit.range.start)
        });
        if let Some(alias) = at_alias {
            let end = edit.range.start + 1 + alias.name.len();
            edit.range = edit.range.start..edit.range.end.max(end);
        }
    }
    let mut problems = Diagnostics::new();
    for anchor in tokens.iter().filter(|t| t.anchor) {
        let Some(extent) = extent(&lines, anchor) else {
            continue;
        };
        for edit in &edits {
            let touches = edit.range.start < extent.end
                && extent.start < edit.range.end.max(edit.range.start + 1);
            if !touches {
                continue;
            }
            let outside_edit = |t: &&Token<'_>| {
                let offset = lines.offset(Position {
                    line: t.line,
                    column: t.column,
                    width: 1,
                });
                !offset.is_some_and(|o| edit.range.start <= o && o < edit.range.end)
            };
            let aliases: Vec<&Token<'_>> = tokens
                .iter()
                .filter(|t| !t.anchor && t.name == anchor.name)
                .filter(outside_edit)
                .collect();
            if let Some(alias) = aliases.first() {
                problems.push(shared_value(file, anchor, alias, aliases.len()));
                break;
            }
        }
    }
    problems.into_result(edits)
}

/// The bytes an anchor names: from the anchor to the end of its scalar's line, to the
/// bracket that closes its flow collection, or over the block that follows it.
fn extent(lines: &Lines<'_>, anchor: &Token<'_>) -> Option<std::ops::Range<usize>> {
    let text = lines.text;
    let start = lines.offset(Position {
        line: anchor.line,
        column: anchor.column,
        width: 1,
    })?;
    let line_end = start + text[start..].find('\n').unwrap_or(text.len() - start);
    let after = text[start + 1 + anchor.name.len()..line_end].trim_start();
    if after.starts_with('[') || after.starts_with('{') {
        let mut depth = 0usize;
        for (i, c) in text[start..].char_indices() {
            match c {
                '[' | '{' => depth += 1,
                ']' | '}' if depth == 1 => return Some(start..start + i + 1),
                ']' | '}' => depth = depth.saturating_sub(1),
                _ => {}
            }
        }
        return Some(start..text.len());
    }
    if after.is_empty() || after.starts_with('#') {
        let next = (anchor.line + 1..=lines.count()).find(|l| {
            let t = lines.line(*l).trim_start();
            !t.is_empty() && !t.starts_with('#')
        })?;
        let content = lines.line(next);
        let column = content.len() - content.trim_start().len() + 1;
        let last = lines.block_end(next, column);
        return Some(start..lines.line_range(last).end);
    }
    Some(start..line_end)
}

fn shared_value(
    file: &SourceFile,
    anchor: &Token<'_>,
    alias: &Token<'_>,
    count: usize,
) -> Diagnostic {
    let others = if count > 1 {
        format!(" and {} more", count - 1)
    } else {
        String::new()
    };
    Diagnostic::error(
        Code::SharedAnchor,
        format!(
            "the edit would change the value anchored `&{}` at line {}, which line {}{others} shares through the alias `*{}`",
            anchor.name, anchor.line, alias.line, anchor.name
        ),
    )
    .at(file.location(alias.line, alias.column, anchor.name.len() + 1))
    .note(format!(
        "help: write the value out in place of `*{}` at line {}{others} (or drop the anchor), then run the command again; nothing was written",
        anchor.name, alias.line
    ))
}

/// Every anchor and alias that starts a value: after `key: `, `- `, `[`, `{` or `,`, outside
/// quotes and comments (a `*` inside plain text is text).
fn tokens(text: &str) -> Vec<Token<'_>> {
    let mut found = Vec::new();
    for (i, line) in text.lines().enumerate() {
        let mut quote: Option<char> = None;
        let mut previous = ' ';
        let mut before_previous = ' ';
        for (at, c) in line.char_indices() {
            match quote {
                Some(q) if c == q => quote = None,
                Some(_) => {}
                None if (c == '"' || c == '\'') && starts_value(previous, before_previous) => {
                    quote = Some(c)
                }
                None if c == '#' && previous.is_whitespace() => break,
                None if (c == '&' || c == '*') && starts_value(previous, before_previous) => {
                    let rest = &line[at + 1..];
                    let end = rest
                        .find(|c: char| c.is_whitespace() || ",[]{}".contains(c))
                        .unwrap_or(rest.len());
                    if end > 0 {
                        found.push(Token {
                            anchor: c == '&',
                            name: &rest[..end],
                            line: i + 1,
                            column: line[..at].chars().count() + 1,
                        });
                    }
                }
                None => {}
            }
            before_previous = previous;
            previous = c;
        }
    }
    found
}

/// Whether a value may start after these two characters.
fn starts_value(previous: char, before_previous: char) -> bool {
    matches!(previous, '[' | '{' | ',')
        || (previous == ' ' && matches!(before_previous, ':' | '-' | ' ' | ',' | '[' | '{'))
        || (previous == ' ' && before_previous == ' ')
}

#[cfg(test)]
mod tests {
    use super::*;

    fn edit_of(text: &str, at: &str, new: &str) -> Edit {
        let start = text.find(at).unwrap();
        Edit {
            range: start..start + at.len(),
            text: new.to_owned(),
        }
    }

    #[test]
    fn an_edit_inside_a_shared_list_or_block_is_refused_and_an_alias_is_replaced() {
        let text = "a:\n  requirements: &r [R-1, R-2]\nb:\n  requirements: *r\nc: &n\n  - x\n  - y\nd: *n\ne: *n\n";
        let file = SourceFile::new("c.yaml", text);
        let problems = unshare(&file, vec![edit_of(text, "R-2", "R-20")]).unwrap_err();
        assert!(problems
            .to_string()
            .contains("anchored `&r` at line 2, which line 4 shares"));
        let problems = unshare(&file, vec![edit_of(text, "  - y\n", "")]).unwrap_err();
        assert!(
            problems.to_string().contains("line 8 and 1 more shares"),
            "{problems}"
        );
        let alias = text.find("*r").unwrap();
        let edits = vec![Edit {
            range: alias..alias + 1,
            text: "[R-1]".to_owned(),
        }];
        let edits = unshare(&file, edits).unwrap();
        assert_eq!(edits[0].range, alias..alias + 2);
    }

    #[test]
    fn anchors_and_aliases_are_found_where_values_start_only() {
        let text = "a: &v 2.3.1\nb: *v\nc: [*v, x]\nnote: see *this* # *not\nd: \"*quoted\"\n";
        let names: Vec<(bool, &str, usize)> = tokens(text)
            .iter()
            .map(|t| (t.anchor, t.name, t.line))
            .collect();
        assert_eq!(names, [(true, "v", 1), (false, "v", 2), (false, "v", 3)]);
    }
}
