//! The text of a PDF, laid out the way `pdftotext -layout` lays it out, so that the ETSI
//! importer reads a deliverable straight from its PDF with nothing installed beside
//! reqgap and nothing fetched.
//!
//! `lopdf` parses the file, decompresses the content streams (with a size limit) and
//! decodes the font encodings (WinAnsi, differences, `ToUnicode` maps). This module
//! follows the text operators of each page to place every piece of text at its baseline
//! and x position, then writes one text line per baseline: the first piece of a line at
//! the column its x position gives (indentation matters: it separates headings from
//! wrapped lines), one space between words, and at least three spaces where a column
//! jumps (ID and text, table cells). Pages are separated by form feeds, as pdftotext does.

use lopdf::{Dictionary, Document, Encoding, Object, ObjectId};

/// Whether `bytes` is a PDF file: the header `%PDF-` within the first kilobyte (some
/// producers put a few bytes before it).
pub fn is_pdf(bytes: &[u8]) -> bool {
    bytes
        .get(..bytes.len().min(1024))
        .is_some_and(|head| head.windows(5).any(|w| w == b"%PDF-"))
}

/// Decompressed content of one page, or one font's maps, may not exceed this.
const MAX_STREAM_BYTES: usize = 64 << 20;

/// The text of every page in order, laid out, pages separated by form feeds.
pub fn layout_text(bytes: &[u8]) -> Result<String, String> {
    let document = Document::load_mem(bytes).map_err(|e| format!("the PDF cannot be read: {e}"))?;
    let mut fragments = Vec::new();
    for (number, page) in document.get_pages() {
        let page_fragments = page_fragments(&document, page)
            .map_err(|e| format!("page {number} cannot be read: {e}"))?;
        fragments.push(page_fragments);
    }
    let grid = Grid::of(fragments.iter().flatten());
    let pages: Vec<String> = fragments.iter().map(|page| grid.page(page)).collect();
    Ok(pages.join("\u{c}"))
}

/// One piece of text as shown: its start on the page, its font size and its width.
#[derive(Clone, Debug)]
struct Fragment {
    x: f32,
    y: f32,
    size: f32,
    width: f32,
    text: String,
}

/// An affine matrix `[a b c d e f]` as PDF writes them (row vectors).
#[derive(Clone, Copy, Debug)]
struct Matrix([f32; 6]);

impl Matrix {
    const IDENTITY: Matrix = Matrix([1.0, 0.0, 0.0, 1.0, 0.0, 0.0]);

    fn translate(x: f32, y: f32) -> Matrix {
        Matrix([1.0, 0.0, 0.0, 1.0, x, y])
    }

    /// `self` then `other`.
    fn then(self, other: Matrix) -> Matrix {
        let [a1, b1, c1, d1, e1, f1] = self.0;
        let [a2, b2, c2, d2, e2, f2] = other.0;
        Matrix([
            a1 * a2 + b1 * c2,
            a1 * b2 + b1 * d2,
            c1 * a2 + d1 * c2,
            c1 * b2 + d1 * d2,
            e1 * a2 + f1 * c2 + e2,
            e1 * b2 + f1 * d2 + f2,
        ])
    }

    fn from_operands(operands: &[Object]) -> Option<Matrix> {
        let values: Vec<f32> = operands.iter().filter_map(|o| o.as_float().ok()).collect();
        let array: [f32; 6] = values.try_into().ok()?;
        Some(Matrix(array))
    }

    fn vertical_scale(self) -> f32 {
        self.0[2].hypot(self.0[3])
    }
}

/// What a font needs to turn shown bytes into text and widths.
struct FontInfo<'a> {
    encoding: Option<Encoding<'a>>,
    /// Two-byte codes (Type0 fonts).
    wide: bool,
    first_char: u32,
    widths: Vec<f32>,
    /// Sparse widths of Type0 fonts (`/W`).
    cid_widths: Vec<(u32, u32, f32)>,
    default_width: f32,
}

impl<'a> FontInfo<'a> {
    fn read(document: &'a Document, font: &'a Dictionary) -> FontInfo<'a> {
        let wide = font.get(b"Subtype").and_then(Object::as_name).ok() == Some(b"Type0".as_slice());
        let number = |o: &Object| {
            document
                .dereference(o)
                .ok()
                .and_then(|(_, o)| o.as_float().ok())
        };
        let widths = font
            .get_deref(b"Widths", document)
            .and_then(Object::as_array)
            .map(|a| a.iter().map(|w| number(w).unwrap_or(0.0)).collect())
            .unwrap_or_default();
        let descendant = font
            .get_deref(b"DescendantFonts", document)
            .and_then(Object::as_array)
            .ok()
            .and_then(|a| a.first())
            .and_then(|d| document.dereference(d).ok())
            .and_then(|(_, d)| d.as_dict().ok());
        let default_width = descendant
            .and_then(|d| d.get(b"DW").ok())
            .and_then(number)
            .unwrap_or(if wide { 1000.0 } else { 500.0 });
        let cid_widths = descendant
            .and_then(|d| d.get_deref(b"W", document).and_then(Object::as_array).ok())
            .map(|w| cid_widths(document, w))
            .unwrap_or_default();
        FontInfo {
            encoding: font
                .get_font_encoding_with_limit(document, MAX_STREAM_BYTES)
                .ok(),
            wide,
            first_char: font
                .get(b"FirstChar")
                .ok()
                .and_then(number)
                .map_or(0, |f| f as u32),
            widths,
            cid_widths,
            default_width,
        }
    }

    /// Width of a glyph in thousandths of the font size.
    fn width(&self, code: u32) -> f32 {
        if self.wide {
            return self
                .cid_widths
                .iter()
                .find(|(first, last, _)| (*first..=*last).contains(&code))
                .map_or(self.default_width, |(_, _, w)| *w);
        }
        code.checked_sub(self.first_char)
            .and_then(|i| self.widths.get(i as usize))
            .copied()
            .filter(|w| *w > 0.0)
            .unwrap_or(self.default_width)
    }

    fn codes(&self, bytes: &[u8]) -> Vec<u32> {
        if self.wide {
            bytes
                .chunks(2)
                .map(|p| p.iter().fold(0, |acc, b| acc << 8 | u32::from(*b)))
                .collect()
        } else {
            bytes.iter().map(|b| u32::from(*b)).collect()
        }
    }

    fn decode(&self, bytes: &[u8]) -> String {
        match &self.encoding {
            Some(encoding) => Document::decode_text(encoding, bytes).unwrap_or_default(),
            None => bytes.iter().map(|b| char::from(*b)).collect(),
        }
    }
}

/// `/W` of a CID font: `c [w1 w2 ...]` or `c_first c_last w`, as (first, last, width).
fn cid_widths(document: &Document, array: &[Object]) -> Vec<(u32, u32, f32)> {
    let resolve = |o: &Object| document.dereference(o).map(|(_, o)| o.clone()).ok();
    let items: Vec<Object> = array.iter().filter_map(resolve).collect();
    let mut out = Vec::new();
    let mut index = 0;
    while let Some(first) = items.get(index).and_then(|o| o.as_float().ok()) {
        let first = first as u32;
        match items.get(index + 1) {
            Some(Object::Array(list)) => {
                for (offset, width) in list.iter().enumerate() {
                    let code = first + offset as u32;
                    out.push((code, code, width.as_float().unwrap_or(0.0)));
                }
                index += 2;
            }
            Some(last) => {
                let last = last.as_float().unwrap_or(0.0) as u32;
                let width = items.get(index + 2).and_then(|o| o.as_float().ok());
                out.push((first, last, width.unwrap_or(0.0)));
                index += 3;
            }
            None => break,
        }
    }
    out
}

/// The text state of PDF 32000-1 §9.3, as far as placing text needs it.
struct TextState<'a> {
    ctm: Matrix,
    saved: Vec<Matrix>,
    matrix: Matrix,
    line_matrix: Matrix,
    font: Option<&'a FontInfo<'a>>,
    size: f32,
    char_spacing: f32,
    word_spacing: f32,
    horizontal_scale: f32,
    leading: f32,
}

fn page_fragments(document: &Document, page: ObjectId) -> Result<Vec<Fragment>, String> {
    let fonts: Vec<(Vec<u8>, FontInfo<'_>)> = document
        .get_page_fonts(page)
        .map_err(|e| e.to_string())?
        .into_iter()
        .map(|(name, font)| (name, FontInfo::read(document, font)))
        .collect();
    let content = document
        .get_page_content_with_limit(page, MAX_STREAM_BYTES)
        .map_err(|e| e.to_string())?;
    let operations = lopdf::content::Content::decode(&content)
        .map_err(|e| e.to_string())?
        .operations;
    let mut state = TextState {
        ctm: Matrix::IDENTITY,
        saved: Vec::new(),
        matrix: Matrix::IDENTITY,
        line_matrix: Matrix::IDENTITY,
        font: None,
        size: 0.0,
        char_spacing: 0.0,
        word_spacing: 0.0,
        horizontal_scale: 1.0,
        leading: 0.0,
    };
    let mut fragments = Vec::new();
    for operation in &operations {
        state.apply(
            &operation.operator,
            &operation.operands,
            &fonts,
            &mut fragments,
        );
    }
    Ok(fragments)
}

impl<'a> TextState<'a> {
    fn apply(
        &mut self,
        operator: &str,
        operands: &[Object],
        fonts: &'a [(Vec<u8>, FontInfo<'a>)],
        out: &mut Vec<Fragment>,
    ) {
        let number = |i: usize| {
            operands
                .get(i)
                .and_then(|o| o.as_float().ok())
                .unwrap_or(0.0)
        };
        match operator {
            "q" => self.saved.push(self.ctm),
            "Q" => self.ctm = self.saved.pop().unwrap_or(Matrix::IDENTITY),
            "cm" => {
                if let Some(m) = Matrix::from_operands(operands) {
                    self.ctm = m.then(self.ctm);
                }
            }
            "BT" => {
                self.matrix = Matrix::IDENTITY;
                self.line_matrix = Matrix::IDENTITY;
            }
            "Tf" => {
                let name = operands.first().and_then(|o| o.as_name().ok());
                self.font = name.and_then(|n| fonts.iter().find(|(f, _)| f == n).map(|(_, i)| i));
                self.size = number(1);
            }
            "Tc" => self.char_spacing = number(0),
            "Tw" => self.word_spacing = number(0),
            "Tz" => self.horizontal_scale = number(0) / 100.0,
            "TL" => self.leading = number(0),
            "Td" => self.move_line(number(0), number(1)),
            "TD" => {
                self.leading = -number(1);
                self.move_line(number(0), number(1));
            }
            "Tm" => {
                if let Some(m) = Matrix::from_operands(operands) {
                    self.matrix = m;
                    self.line_matrix = m;
                }
            }
            "T*" => self.move_line(0.0, -self.leading),
            "Tj" => self.show_operand(operands.first(), out),
            "'" => {
                self.move_line(0.0, -self.leading);
                self.show_operand(operands.first(), out);
            }
            "\"" => {
                self.word_spacing = number(0);
                self.char_spacing = number(1);
                self.move_line(0.0, -self.leading);
                self.show_operand(operands.get(2), out);
            }
            "TJ" => self.show_array(operands.first(), out),
            _ => {}
        }
    }

    fn move_line(&mut self, x: f32, y: f32) {
        self.line_matrix = Matrix::translate(x, y).then(self.line_matrix);
        self.matrix = self.line_matrix;
    }

    fn show_array(&mut self, operand: Option<&Object>, out: &mut Vec<Fragment>) {
        let Some(Object::Array(items)) = operand else {
            return;
        };
        for item in items {
            match item {
                Object::String(bytes, _) => self.show(bytes, out),
                other => {
                    let adjust = other.as_float().unwrap_or(0.0);
                    self.advance(-adjust / 1000.0 * self.size * self.horizontal_scale);
                }
            }
        }
    }

    fn show_operand(&mut self, operand: Option<&Object>, out: &mut Vec<Fragment>) {
        if let Some(Object::String(bytes, _)) = operand {
            self.show(bytes, out);
        }
    }

    fn show(&mut self, bytes: &[u8], out: &mut Vec<Fragment>) {
        let Some(font) = self.font else {
            return;
        };
        let placed = self.matrix.then(self.ctm);
        let mut advance = 0.0;
        for code in font.codes(bytes) {
            let space = !font.wide && code == 32;
            let glyph = font.width(code) / 1000.0 * self.size + self.char_spacing;
            let word = if space { self.word_spacing } else { 0.0 };
            advance += (glyph + word) * self.horizontal_scale;
        }
        let scale = placed.0[0].hypot(placed.0[1]);
        out.push(Fragment {
            x: placed.0[4],
            y: placed.0[5],
            size: self.size * placed.vertical_scale(),
            width: advance * scale,
            text: font.decode(bytes),
        });
        self.advance(advance);
    }

    fn advance(&mut self, x: f32) {
        self.matrix = Matrix::translate(x, 0.0).then(self.matrix);
    }
}

/// How x positions become columns for the whole document: the leftmost text is column 0
/// and one column is the average width of a character.
struct Grid {
    left: f32,
    pitch: f32,
}

impl Grid {
    fn of<'f>(fragments: impl Iterator<Item = &'f Fragment>) -> Grid {
        let (mut left, mut width, mut chars) = (f32::MAX, 0.0, 0usize);
        for fragment in fragments.filter(|f| !f.text.trim().is_empty()) {
            left = left.min(fragment.x);
            width += fragment.width;
            chars += fragment.text.chars().count();
        }
        let pitch = if chars == 0 {
            5.0
        } else {
            width / chars as f32
        };
        Grid {
            left: if left == f32::MAX { 0.0 } else { left },
            pitch: pitch.max(1.0),
        }
    }

    fn column(&self, x: f32) -> usize {
        ((x - self.left) / self.pitch).round().max(0.0) as usize
    }

    /// One page: lines top to bottom, a blank line where the gap between baselines is
    /// more than one and a half lines (a paragraph break).
    fn page(&self, fragments: &[Fragment]) -> String {
        let mut shown: Vec<&Fragment> = fragments
            .iter()
            .filter(|f| !f.text.trim().is_empty())
            .collect();
        shown.sort_by(|a, b| b.y.total_cmp(&a.y).then(a.x.total_cmp(&b.x)));
        let mut lines: Vec<Vec<&Fragment>> = Vec::new();
        for fragment in shown {
            match lines.last_mut() {
                Some(line) if (line[0].y - fragment.y).abs() < 0.4 * line[0].size.max(1.0) => {
                    line.push(fragment)
                }
                _ => lines.push(vec![fragment]),
            }
        }
        let mut out = String::new();
        let mut previous: Option<&Fragment> = None;
        for mut line in lines {
            line.sort_by(|a, b| a.x.total_cmp(&b.x));
            if let Some(above) = previous {
                if above.y - line[0].y > 1.6 * above.size.max(1.0) {
                    out.push('\n');
                }
            }
            out.push_str(&self.line(&line));
            out.push('\n');
            previous = line.first().copied();
        }
        out
    }

    /// The pieces of one baseline. Word gaps give one space; a gap wider than one and a
    /// half times the font size is a column jump, placed at its column with at least
    /// three spaces, so that ID and text, or table cells, stay apart.
    fn line(&self, fragments: &[&Fragment]) -> String {
        let mut out = String::new();
        let mut end: Option<f32> = None;
        for fragment in fragments {
            let gap = end.map_or(f32::MAX, |e| fragment.x - e);
            let chars = out.chars().count();
            let text = fragment.text.trim_end();
            if gap >= 1.5 * fragment.size {
                let column = self
                    .column(fragment.x)
                    .max(if chars == 0 { 0 } else { chars + 3 });
                out.extend(std::iter::repeat_n(' ', column - chars));
                out.push_str(text.trim_start());
            } else {
                if gap > 0.2 * fragment.size && !out.ends_with(' ') && !text.starts_with(' ') {
                    out.push(' ');
                }
                out.push_str(text);
            }
            end = Some(fragment.x + fragment.width);
        }
        out.trim_end().to_owned()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pdf_files_are_recognised_by_their_header() {
        assert!(is_pdf(b"%PDF-1.7\n..."));
        assert!(is_pdf(b"\xEF\xBB\xBF%PDF-1.4"));
        assert!(!is_pdf(b"ETSI EN 319 401 V3.2.1 (2026-01)"));
    }

    #[test]
    fn matrices_compose_in_pdf_order() {
        let moved = Matrix::translate(10.0, 20.0).then(Matrix([2.0, 0.0, 0.0, 2.0, 5.0, 5.0]));
        assert_eq!(moved.0, [2.0, 0.0, 0.0, 2.0, 25.0, 45.0]);
    }

    #[test]
    fn garbage_is_an_error_not_a_panic() {
        assert!(layout_text(b"%PDF-1.4\nnot really").is_err());
    }
}
