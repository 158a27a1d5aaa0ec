//! Record tables that fit the terminal: columns of IDs, codes and dates that never wrap,
//! and one free-text column (the details) that wraps at word boundaries. When the details
//! would get less than [`MIN_DETAILS`] columns beside the others, they go on their own
//! indented lines under each row, so that an 80-column terminal still reads well.

/// Narrower than this, details move under their row.
pub const MIN_DETAILS: usize = 40;

/// Space between columns.
const GAP: &str = "  ";

/// Indent of details written under their row.
const UNDER_INDENT: usize = 4;

/// How a cell is drawn on a colour terminal.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Paint {
    #[default]
    Plain,
    /// Overdue: red.
    Alert,
    /// High severity: bold.
    Strong,
}

impl Paint {
    fn wrap(self, text: &str, color: bool) -> String {
        match (self, color) {
            (Paint::Alert, true) => format!("\x1b[31m{text}\x1b[0m"),
            (Paint::Strong, true) => format!("\x1b[1m{text}\x1b[0m"),
            _ => text.to_owned(),
        }
    }
}

#[derive(Clone, Debug, Default)]
pub struct Cell {
    pub text: String,
    pub paint: Paint,
}

impl Cell {
    /// A cell showing `text` with control characters visible and at most
    /// [`crate::report::sanitize::MAX_TABLE_CELL_CHARS`] characters (linear in its length).
    pub fn new(text: impl Into<String>) -> Self {
        Cell {
            text: crate::report::sanitize::table_cell(&text.into()),
            paint: Paint::Plain,
        }
    }

    pub fn paint(mut self, paint: Paint) -> Self {
        self.paint = paint;
        self
    }
}

#[derive(Clone, Debug)]
pub struct Row {
    pub cells: Vec<Cell>,
    pub details: String,
}

#[derive(Clone, Debug)]
pub struct RecordTable {
    pub headers: Vec<String>,
    pub details_header: &'static str,
    pub rows: Vec<Row>,
    /// Columns that may move into the details (`Owner it-ops; …`) when the row would not
    /// fit the width otherwise, last first.
    pub foldable: Vec<usize>,
}

impl RecordTable {
    /// The table as lines of text. `width` is the terminal's (or `COLUMNS`); `None` draws
    /// every row on one line, for files and tools.
    pub fn render(&self, width: Option<usize>, color: bool) -> String {
        let capped;
        let this = if self.rows.iter().any(|r| needs_sanitizing(&r.details)) {
            let mut copy = self.clone();
            for row in &mut copy.rows {
                row.details = crate::report::sanitize::table_cell(&row.details);
            }
            capped = copy;
            &capped
        } else {
            self
        };
        this.render_sanitized(width, color)
    }

    fn render_sanitized(&self, width: Option<usize>, color: bool) -> String {
        let widths = self.column_widths();
        let fixed: usize = widths.iter().sum::<usize>() + GAP.len() * widths.len();
        let inline = match width {
            None => Some(usize::MAX),
            Some(total) => total
                .checked_sub(fixed)
                .filter(|room| *room >= MIN_DETAILS || *room >= self.longest_details())
                .map(|room| room.max(1)),
        };
        let mut out = String::new();
        let mut header: Vec<Cell> = self.headers.iter().map(Cell::new).collect();
        if inline.is_some() {
            header.push(Cell::new(self.details_header));
        }
        push_line(&mut out, &header, &widths, color);
        let rule_width = match (inline, width) {
            (Some(_), Some(total)) => total.min(fixed + self.longest_details()),
            (Some(_), None) => fixed + self.longest_details(),
            (None, _) => fixed - GAP.len(),
        };
        out.push_str(&"─".repeat(rule_width.max(1)));
        out.push('\n');
        for row in &self.rows {
            self.push_row(&mut out, row, &widths, inline, width, color);
        }
        out
    }

    fn push_row(
        &self,
        out: &mut String,
        row: &Row,
        widths: &[usize],
        inline: Option<usize>,
        width: Option<usize>,
        color: bool,
    ) {
        let mut cells = row.cells.clone();
        match inline {
            Some(room) => {
                let lines = wrap(&row.details, room);
                let mut lines = lines.into_iter();
                cells.push(Cell::new(lines.next().unwrap_or_default()));
                push_line(out, &cells, widths, color);
                let indent = " ".repeat(widths.iter().sum::<usize>() + GAP.len() * widths.len());
                for line in lines {
                    out.push_str(&indent);
                    out.push_str(&line);
                    out.push('\n');
                }
            }
            None => {
                push_line(out, &cells, widths, color);
                if row.details.is_empty() {
                    return;
                }
                let room = width.unwrap_or(usize::MAX).saturating_sub(UNDER_INDENT);
                let indent = " ".repeat(UNDER_INDENT);
                for line in wrap(&row.details, room.max(MIN_DETAILS / 2)) {
                    out.push_str(&indent);
                    out.push_str(&line);
                    out.push('\n');
                }
            }
        }
    }

    /// Uses `short` as header `column` when the full header would push the columns past
    /// `width` (e.g. `Sev` for `Severity` on an 80-column terminal).
    pub fn shorten_header(&mut self, column: usize, short: &str, width: Option<usize>) {
        let Some(width) = width else { return };
        if self.fixed_width() > width {
            if let Some(header) = self.headers.get_mut(column) {
                *header = short.to_owned();
            }
        }
    }

    /// Moves foldable columns into the details, last first, until the columns fit `width`.
    pub fn fold_to(&mut self, width: Option<usize>) {
        let Some(width) = width else { return };
        let mut foldable = self.foldable.clone();
        foldable.sort_unstable();
        while self.fixed_width() > width {
            let Some(column) = foldable.pop() else { return };
            let header = self.headers.remove(column).to_lowercase();
            for row in &mut self.rows {
                if column < row.cells.len() {
                    let cell = row.cells.remove(column);
                    row.details = format!("{header} {}; {}", cell.text, row.details);
                }
            }
        }
    }

    fn fixed_width(&self) -> usize {
        self.column_widths().iter().sum::<usize>()
            + GAP.len() * self.headers.len().saturating_sub(1)
    }

    fn column_widths(&self) -> Vec<usize> {
        self.headers
            .iter()
            .enumerate()
            .map(|(i, header)| {
                self.rows
                    .iter()
                    .filter_map(|r| r.cells.get(i))
                    .map(|c| c.text.chars().count())
                    .chain([header.chars().count()])
                    .max()
                    .unwrap_or(0)
            })
            .collect()
    }

    fn longest_details(&self) -> usize {
        self.rows
            .iter()
            .map(|r| r.details.chars().count())
            .chain([self.details_header.len()])
            .max()
            .unwrap_or(0)
    }
}

/// One line of cells, padded to the column widths (the last cell is not padded, so lines
/// carry no trailing spaces).
fn push_line(out: &mut String, cells: &[Cell], widths: &[usize], color: bool) {
    let mut line = String::new();
    for (i, cell) in cells.iter().enumerate() {
        if i > 0 {
            line.push_str(GAP);
        }
        line.push_str(&cell.paint.wrap(&cell.text, color));
        if let Some(width) = widths.get(i).filter(|_| i + 1 < cells.len()) {
            let pad = width.saturating_sub(cell.text.chars().count());
            line.push_str(&" ".repeat(pad));
        }
    }
    out.push_str(line.trim_end());
    out.push('\n');
}

/// Splits `text` into lines of at most `width` characters at spaces; a word longer than
/// `width` is cut (there is no better place). Linear in the length of `text`.
pub fn wrap(text: &str, width: usize) -> Vec<String> {
    let width = width.max(1);
    let mut lines = Vec::new();
    let mut line = String::new();
    let mut line_len = 0;
    for word in text.split_whitespace() {
        let mut word: Vec<char> = word.chars().collect();
        while word.len() > width {
            if line_len > 0 {
                lines.push(std::mem::take(&mut line));
                line_len = 0;
            }
            let rest = word.split_off(width);
            lines.push(word.into_iter().collect());
            word = rest;
        }
        let needed = if line_len == 0 {
            word.len()
        } else {
            line_len + 1 + word.len()
        };
        if needed > width && line_len > 0 {
            lines.push(std::mem::take(&mut line));
            line_len = 0;
        }
        if line_len > 0 {
            line.push(' ');
            line_len += 1;
        }
        line.extend(word.iter());
        line_len += word.len();
    }
    if line_len > 0 || lines.is_empty() {
        lines.push(line);
    }
    lines
}

/// Details longer than a cell may hold, or holding control characters.
fn needs_sanitizing(text: &str) -> bool {
    text.len() > crate::report::sanitize::MAX_TABLE_CELL_CHARS
        || text.chars().any(crate::report::sanitize::is_hidden_control)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn wraps_at_spaces_and_cuts_only_overlong_words() {
        assert_eq!(wrap("a bb ccc dddd", 6), ["a bb", "ccc", "dddd"]);
        assert_eq!(wrap("abcdefgh ij", 3), ["abc", "def", "gh", "ij"]);
        assert_eq!(wrap("", 5), [""]);
    }

    fn table() -> RecordTable {
        RecordTable {
            headers: vec!["Due".into(), "ID".into()],
            details_header: "Details",
            rows: vec![Row {
                cells: vec![
                    Cell::new("2026-06-30").paint(Paint::Alert),
                    Cell::new("REQ-7.9.3-01"),
                ],
                details: "one two three four five six seven eight nine ten eleven twelve".into(),
            }],
            foldable: vec![1],
        }
    }

    #[test]
    fn details_go_beside_the_row_when_there_is_room_and_under_it_otherwise() {
        let wide = table().render(Some(100), false);
        assert!(wide.lines().nth(2).unwrap().ends_with("twelve"), "{wide}");
        let narrow = table().render(Some(50), false);
        assert_eq!(narrow.lines().nth(2), Some("2026-06-30  REQ-7.9.3-01"));
        assert!(narrow.lines().all(|l| l.chars().count() <= 50), "{narrow}");
        assert!(narrow.contains("    one two three"), "{narrow}");
    }

    #[test]
    fn foldable_columns_move_into_the_details_when_too_wide() {
        let mut narrow = table();
        narrow.fold_to(Some(20));
        let text = narrow.render(Some(20), false);
        assert_eq!(text.lines().next(), Some("Due"));
        assert!(text.contains("    id REQ-7.9.3-01; one"), "{text}");
        let mut wide = table();
        wide.fold_to(Some(100));
        assert_eq!(wide.headers.len(), 2);
    }

    #[test]
    fn colour_does_not_change_the_layout() {
        let plain = table().render(Some(100), false);
        let coloured = table().render(Some(100), true);
        assert_eq!(
            coloured.replace("\x1b[31m", "").replace("\x1b[0m", ""),
            plain
        );
        assert!(coloured.contains("\x1b[31m2026-06-30\x1b[0m"));
    }
}
