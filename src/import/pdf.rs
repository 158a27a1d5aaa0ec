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

use std::collections::HashMap;
use std::rc::Rc;

use lopdf::{Dictionary, Document, Encoding, Object, ObjectId};

/// Whether `bytes` is a PDF file: the header `%PDF-` within the first kilobyte (some
/// producers put a few bytes before it).
pub fn is_pdf(bytes: &[u8]) -> bool {
    bytes
        .get(..bytes.len().min(1024))
        .is_some_and(|head| head.windows(5).any(|w| w == b"%PDF-"))
}

/// One font's decompressed maps may not exceed this.
const MAX_STREAM_BYTES: usize = 64 << 20;

/// The work a PDF may ask for. A deliverable's page holds tens of kilobytes of content
/// and a few thousand pieces of text; these bounds are hundreds of times that, and keep
/// any input under 64 MiB within seconds and well under a gigabyte (a 92 KB stream that
/// inflates to millions of operators; many pages sharing one huge stream).
struct Budget {
    /// Decompressed content of one page.
    page_bytes: usize,
    /// Decompressed content of all pages together.
    total_bytes: usize,
    /// Pieces of text in the whole document.
    fragments: usize,
}

const BUDGET: Budget = Budget {
    page_bytes: 4 << 20,
    total_bytes: 32 << 20,
    fragments: 1_000_000,
};

/// Text is laid out on at most this many columns: a position far off the page (`1e12`)
/// must not become a line of a trillion spaces.
const MAX_COLUMN: usize = 400;

/// Positions beyond this (in points, 14 km) are clamped: they are off any page.
const MAX_POSITION: f32 = 4.0e7;

/// Why a PDF gives no text.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum PdfError {
    /// The file is encrypted and could not be opened without a password.
    Encrypted,
    /// Damaged, beyond the bounds above, or a page that cannot be decoded.
    Unreadable(String),
}

impl std::fmt::Display for PdfError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            PdfError::Encrypted => f.write_str(
                "this PDF is encrypted and reqgap does not decrypt PDFs; save an unencrypted copy (or its text) and import that",
            ),
            PdfError::Unreadable(message) => f.write_str(message),
        }
    }
}

/// The text of every page in order, laid out, pages separated by form feeds.
pub fn layout_text(bytes: &[u8]) -> Result<String, PdfError> {
    let declares_encryption = || bytes.windows(8).any(|w| w == b"/Encrypt");
    let document = Document::load_mem(bytes).map_err(|e| {
        if declares_encryption() {
            PdfError::Encrypted
        } else {
            PdfError::Unreadable(format!("the PDF cannot be read: {e}"))
        }
    })?;
    // Still encrypted after loading: lopdf could not open it with the empty password.
    if document.is_encrypted() {
        return Err(PdfError::Encrypted);
    }
    let mut reader = Reader::new(&document);
    let mut fragments = Vec::new();
    for (number, page) in document.get_pages() {
        let page_fragments = reader
            .page(page)
            .map_err(|e| PdfError::Unreadable(format!("page {number} cannot be read: {e}")))?;
        fragments.push(page_fragments);
    }
    let grid = Grid::of(fragments.iter().flat_map(|f| f.iter()));
    let pages: Vec<String> = fragments.iter().map(|page| grid.page(page)).collect();
    Ok(pages.join("\u{c}"))
}

/// A page's fonts by resource name.
type PageFonts<'a> = Vec<(Vec<u8>, Rc<FontInfo<'a>>)>;

/// Reads pages within the [`BUDGET`], each font and each shared content stream once.
struct Reader<'a> {
    document: &'a Document,
    fonts: HashMap<*const Dictionary, Rc<FontInfo<'a>>>,
    /// Pages already read, by their content streams: a page tree whose pages share one
    /// stream is laid out once.
    contents: HashMap<Vec<ObjectId>, Rc<Vec<Fragment>>>,
    bytes: usize,
    fragments: usize,
}

impl<'a> Reader<'a> {
    fn new(document: &'a Document) -> Self {
        Reader {
            document,
            fonts: HashMap::new(),
            contents: HashMap::new(),
            bytes: 0,
            fragments: 0,
        }
    }

    fn page(&mut self, page: ObjectId) -> Result<Rc<Vec<Fragment>>, String> {
        let streams = self.document.get_page_contents(page);
        let fonts = self.fonts(page)?;
        if let Some(done) = self.contents.get(&streams).cloned() {
            self.count_fragments(done.len())?;
            return Ok(done);
        }
        let content = self
            .document
            .get_page_content_with_limit(page, BUDGET.page_bytes)
            .map_err(|e| {
                format!(
                    "{e} (reqgap reads at most {} MiB of content per page)",
                    BUDGET.page_bytes >> 20
                )
            })?;
        self.bytes += content.len();
        if self.bytes > BUDGET.total_bytes {
            return Err(format!(
                "the pages hold more than {} MiB of content, more than reqgap reads",
                BUDGET.total_bytes >> 20
            ));
        }
        let fragments = Rc::new(page_fragments(&content, &fonts)?);
        self.count_fragments(fragments.len())?;
        self.contents.insert(streams, fragments.clone());
        Ok(fragments)
    }

    fn count_fragments(&mut self, count: usize) -> Result<(), String> {
        self.fragments += count;
        if self.fragments > BUDGET.fragments {
            return Err(format!(
                "the document shows more than {} pieces of text, more than reqgap reads",
                BUDGET.fragments
            ));
        }
        Ok(())
    }

    /// The page's fonts, each read once for the whole document.
    fn fonts(&mut self, page: ObjectId) -> Result<PageFonts<'a>, String> {
        let document = self.document;
        let fonts = document.get_page_fonts(page).map_err(|e| e.to_string())?;
        Ok(fonts
            .into_iter()
            .map(|(name, font)| {
                let info = self
                    .fonts
                    .entry(std::ptr::from_ref(font))
                    .or_insert_with(|| Rc::new(FontInfo::read(document, font)))
                    .clone();
                (name, info)
            })
            .collect())
    }
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
    /// Sparse widths of Type0 fonts (`/W`), sorted by first code, found by binary search
    /// (a scan per glyph is quadratic on a font with a huge width table).
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
        let mut cid_widths = cid_widths;
        cid_widths.sort_by_key(|(first, _, _)| *first);
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
            let after = self
                .cid_widths
                .partition_point(|(first, _, _)| *first <= code);
            return after
                .checked_sub(1)
                .and_then(|i| self.cid_widths.get(i))
                .filter(|(_, last, _)| code <= *last)
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

fn page_fragments<'a>(content: &[u8], fonts: &'a PageFonts<'a>) -> Result<Vec<Fragment>, String> {
    let operations = lopdf::content::Content::decode(content)
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
            fonts,
            &mut fragments,
        );
        if fragments.len() > BUDGET.fragments {
            return Err(format!(
                "the page shows more than {} pieces of text, more than reqgap reads",
                BUDGET.fragments
            ));
        }
    }
    Ok(fragments)
}

impl<'a> TextState<'a> {
    fn apply(
        &mut self,
        operator: &str,
        operands: &[Object],
        fonts: &'a PageFonts<'a>,
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
                self.font =
                    name.and_then(|n| fonts.iter().find(|(f, _)| f == n).map(|(_, i)| i.as_ref()));
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
            x: clamp(placed.0[4]),
            y: clamp(placed.0[5]),
            size: self.size * placed.vertical_scale(),
            width: advance * scale,
            text: font.decode(bytes),
        });
        self.advance(advance);
    }

    fn advance(&mut self, x: f32) {
        let x = if x.is_finite() {
            x.clamp(-MAX_POSITION, MAX_POSITION)
        } else {
            0.0
        };
        self.matrix = Matrix::translate(x, 0.0).then(self.matrix);
    }
}

/// A coordinate on the page: off-page values are clamped, non-numbers are 0.
fn clamp(value: f32) -> f32 {
    if value.is_finite() {
        value.clamp(-MAX_POSITION, MAX_POSITION)
    } else {
        0.0
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
        let column = ((x - self.left) / self.pitch).round().max(0.0);
        (column.min(MAX_COLUMN as f32)) as usize
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
        // Characters in `out`, kept as it grows: counting them per piece is quadratic on
        // a line of a million pieces.
        let mut chars = 0;
        let mut end: Option<f32> = None;
        for fragment in fragments {
            let gap = end.map_or(f32::MAX, |e| fragment.x - e);
            let text = fragment.text.trim_end();
            if gap >= 1.5 * fragment.size {
                let column = self
                    .column(fragment.x)
                    .max(if chars == 0 { 0 } else { chars + 3 });
                out.extend(std::iter::repeat_n(' ', column - chars));
                chars = column;
                let text = text.trim_start();
                out.push_str(text);
                chars += text.chars().count();
            } else {
                if gap > 0.2 * fragment.size && !out.ends_with(' ') && !text.starts_with(' ') {
                    out.push(' ');
                    chars += 1;
                }
                out.push_str(text);
                chars += text.chars().count();
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
