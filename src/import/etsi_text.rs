//! The text of an ETSI EN/TS deliverable → a reqgap catalog.
//!
//! ETSI text may not be redistributed, so each organisation converts its own copy of the
//! PDF. This importer reads the text of that copy in any of the forms it comes in: the
//! text reqgap extracts from the PDF itself ([`super::pdf`]), `pdftotext -layout`, plain
//! `pdftotext`, or the output of another tool without form feeds (pages are then found
//! by their running headers). It takes the designation, version, date and title from the
//! cover, skips the table of contents, the front matter before clause 1 and page headers
//! and footers wherever they fall, records every numbered heading that follows the clause
//! numbering as a section (also when number and title sit on two lines), and turns every
//! paragraph that starts with a requirement ID (`REQ-7.9.3-01:`, `• PRO-7.2-10 [PRO]:`,
//! `OVR-6.8.2-01:`, `REQ-7.4-04A:`, even the misprinted `REQ-7.11-1-02:`) into a
//! requirement whose text runs until the next ID, heading or annex, across lines, page
//! breaks, lists, notes and tables. Annexes are not read: their mapping tables cite IDs
//! without defining them.
//!
//! Nothing is dropped silently: prose outside any requirement (after the first one),
//! lines that start with something ID-like that does not parse, IDs in the front matter
//! and requirements without text are reported with their line, and a document in which
//! no requirement is found is an error.

use std::collections::{BTreeMap, BTreeSet};
use std::ops::Range;

use chrono::NaiveDate;

use super::{cited_name, origin, slugify, squash_spaces, HeaderOverrides, Imported};
use crate::diag::{Code, Diagnostic, Diagnostics, SourceFile};
use crate::model::{
    Catalog, Confidence, Level, Marker, Provenance, Requirement, RequirementId, Section, SectionId,
    StandardSlug, Status, Version,
};

/// Glyphs that open a list item, or stand before an ID in a bulleted list of requirements
/// (EN 319 401 V3.2.1 bullets 180 of its 321 IDs). U+F0B7 and U+F0A7 are the Symbol-font
/// bullets of Word documents, which PDF text extraction leaves in the private use area.
const BULLETS: [char; 8] = ['•', '–', '-', '◦', '▪', '·', '\u{f0b7}', '\u{f0a7}'];

/// The first year an ETSI deliverable can carry (ETSI was founded in 1988); a cover date
/// outside 1988..=9999 is a misread, not a date.
const YEARS: std::ops::RangeInclusive<i32> = 1988..=9999;

/// What an ETSI input file turned out to be, from its content.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum InputForm {
    /// A PDF, whose text reqgap extracted itself.
    Pdf,
    /// Text with form feeds between pages (`pdftotext`, with or without `-layout`).
    PagedText,
    /// Text without form feeds: pages are found by their running headers.
    TextWithoutPageBreaks,
}

impl InputForm {
    /// How the summary names the input.
    pub fn describe(self) -> &'static str {
        match self {
            InputForm::Pdf => "PDF, text extracted by reqgap",
            InputForm::PagedText => "text with page breaks",
            InputForm::TextWithoutPageBreaks => "text without page breaks",
        }
    }
}

/// Reads an ETSI deliverable as published, a PDF or its text, detected by content (the
/// `%PDF-` header), not by the file name. For a PDF, the [`SourceFile`] holds the text
/// reqgap extracted, so that diagnostics can quote its lines.
pub fn read_document(
    display: &str,
    bytes: Vec<u8>,
) -> Result<(SourceFile, InputForm), Diagnostics> {
    if super::pdf::is_pdf(&bytes) {
        let text = super::pdf::layout_text(&bytes).map_err(|problem| {
            let code = match problem {
                super::pdf::PdfError::Encrypted => Code::EncryptedPdf,
                super::pdf::PdfError::Unreadable(_) => Code::BadPdf,
            };
            Diagnostics::from(Diagnostic::error(code, problem.to_string()).at(
                crate::diag::Location {
                    line: Some(1),
                    column: Some(1),
                    width: 1,
                    ..crate::diag::Location::file(display)
                },
            ))
        })?;
        return Ok((SourceFile::new(display, text), InputForm::Pdf));
    }
    let file = crate::source::decode_text(display, bytes)?;
    let form = if file.text.contains('\u{c}') {
        InputForm::PagedText
    } else {
        InputForm::TextWithoutPageBreaks
    };
    Ok((file, form))
}

/// Imports the text of an ETSI deliverable.
pub fn import(file: &SourceFile, overrides: &HeaderOverrides) -> Result<Imported, Diagnostics> {
    overrides.validate()?;
    let lines = split_lines(&file.text);
    let cover = read_cover(&lines);
    let mut parser = Parser::new(file, cover.as_ref().map(|c| c.designation.clone()));
    parser.run(&lines, toc_range(&lines));
    let header = header(file, cover.as_ref(), overrides, &mut parser.warnings);
    let requirements = parser.requirements();
    let mut errors = std::mem::take(&mut parser.errors);
    let header = match header {
        Ok(header) => Some(header),
        Err(problems) => {
            errors.extend(problems);
            None
        }
    };
    if requirements.is_empty() && !errors.has_errors() {
        errors.push(parser.nothing_found());
    }
    let Some(header) = errors.into_result(header)? else {
        return Err(
            Diagnostic::error(Code::NoCover, "the cover could not be read")
                .at(file.location(1, 1, 1))
                .into(),
        );
    };
    let catalog = Catalog {
        standard: StandardSlug::new(header.standard),
        title: header.title,
        version: Version::new(header.version),
        published: header.published,
        effective: None,
        supersedes: None,
        provenance: Provenance::Verified,
        source: format!(
            "{} ({}), imported by reqgap",
            header.designation,
            cited_name(&file.path)
        ),
        sections: parser.sections,
        requirements,
        schedule: Default::default(),
        origin: origin(file),
    };
    Ok(Imported {
        catalog,
        warnings: super::in_file_order(parser.warnings),
    })
}

/// One line of the text: its 1-based number, its content without form feed and line end,
/// and whether a new page starts with it.
#[derive(Clone, Copy, Debug)]
struct Line<'a> {
    number: usize,
    text: &'a str,
    page_start: bool,
    /// A page number that repeats the number of the page marker above it
    /// (`=== PAGE 14 ===` ... `14`): running furniture, whatever the line looks like.
    page_number: bool,
}

/// Splits the text into lines and marks the lines that repeat their page's number: the
/// page is known from the extraction's page markers, else from the count of form feeds
/// (ETSI prints the physical page number, the cover being page 1).
fn split_lines(text: &str) -> Vec<Line<'_>> {
    let mut marked: Option<String> = None;
    let mut form_feeds = 0usize;
    text.split('\n')
        .enumerate()
        .map(|(i, raw)| {
            let raw = raw.trim_end_matches('\r');
            let text = raw.trim_start_matches('\u{c}');
            form_feeds += raw.len() - text.len();
            if let Some(number) = page_marker_number(text) {
                marked = Some(number.to_owned());
            }
            let page = marked
                .clone()
                .unwrap_or_else(|| (form_feeds + 1).to_string());
            let number_only = !text.is_empty() && text.trim() == page;
            Line {
                number: i + 1,
                text,
                page_start: text.len() != raw.len(),
                page_number: number_only && (marked.is_some() || form_feeds > 0),
            }
        })
        .collect()
}

/// The page number of a marker that an extraction script writes at the start of each
/// page (`=== PAGE 14 ===`; not the `=== END PAGE 14 ===` at its end).
fn page_marker_number(text: &str) -> Option<&str> {
    if !is_page_marker(text) {
        return None;
    }
    let words: Vec<&str> = text
        .split(|c: char| c.is_whitespace() || "=-[]".contains(c))
        .filter(|w| !w.is_empty())
        .collect();
    match words.as_slice() {
        [page, number] if page.eq_ignore_ascii_case("page") => Some(number),
        _ => None,
    }
}

/// What the cover says.
#[derive(Clone, Debug)]
struct Cover {
    /// E.g. `ETSI EN 319 401 V3.2.1 (2026-01)`; page headers repeat it.
    designation: String,
    /// E.g. `ETSI EN 319 401`.
    document: String,
    version: String,
    year_month: (i32, u32),
    title: Option<String>,
    line: usize,
}

/// The designation is the first line that reads `ETSI <EN|TS|...> <number> V<x.y.z>
/// (<yyyy-mm>)`; the title is the first paragraph after it that is not the all-capitals
/// document kind (`EUROPEAN STANDARD`, `TECHNICAL SPECIFICATION`), which some layouts place
/// between the two.
fn read_cover(lines: &[Line<'_>]) -> Option<Cover> {
    let (at, mut cover) = lines.iter().take(200).enumerate().find_map(|(i, l)| {
        parse_designation(l.text).map(|c| {
            (
                i,
                Cover {
                    line: l.number,
                    ..c
                },
            )
        })
    })?;
    let title_lines: Vec<&str> = lines
        .get(at + 1..)?
        .iter()
        .take_while(|l| !l.page_start)
        .map(|l| l.text.trim())
        .skip_while(|t| t.is_empty() || is_caps_label(t))
        .take_while(|t| !t.is_empty() && !is_caps_label(t) && parse_designation(t).is_none())
        .collect();
    if !title_lines.is_empty() {
        cover.title = Some(squash_spaces(&title_lines.join(" ")));
    }
    Some(cover)
}

/// `EUROPEAN STANDARD`, `TECHNICAL SPECIFICATION`: capitals only, a few words.
fn is_caps_label(text: &str) -> bool {
    text.chars().any(char::is_alphabetic)
        && !text.chars().any(char::is_lowercase)
        && text.split_whitespace().count() <= 5
}

fn parse_designation(line: &str) -> Option<Cover> {
    let start = line.find("ETSI ")?;
    let tokens: Vec<&str> = line.get(start..)?.split_whitespace().collect();
    let kind = tokens.get(1)?;
    if !matches!(*kind, "EN" | "TS" | "TR" | "ES" | "EG" | "GS" | "GR" | "SR") {
        return None;
    }
    let version_at = tokens.iter().position(|t| is_version_token(t))?;
    let number = tokens.get(2..version_at)?;
    if number.is_empty()
        || !number
            .iter()
            .all(|t| t.chars().all(|c| c.is_ascii_digit() || c == '-'))
    {
        return None;
    }
    let version = tokens.get(version_at)?.get(1..)?.to_owned();
    let date = tokens.get(version_at + 1)?;
    let inner = date.strip_prefix('(')?.strip_suffix(')')?;
    let (year, month) = inner.split_once('-')?;
    let year_month = (year.parse().ok()?, month.parse().ok()?);
    let document = format!("ETSI {kind} {}", number.join(" "));
    Some(Cover {
        designation: format!("{document} V{version} ({inner})"),
        document,
        version,
        year_month,
        title: None,
        line: 0,
    })
}

fn is_version_token(token: &str) -> bool {
    token.strip_prefix('V').is_some_and(|v| {
        v.split('.').count() == 3
            && v.split('.')
                .all(|p| !p.is_empty() && p.bytes().all(|b| b.is_ascii_digit()))
    })
}

/// The table of contents: from the `Contents` line to its last dotted-leader entry
/// (`7.9.3  Reporting ........ 30`), so that wrapped entries go too. The end is found
/// without page breaks: the contents end where several lines in a row are no entries,
/// which keeps text without form feeds from being swallowed whole.
fn toc_range(lines: &[Line<'_>]) -> Range<usize> {
    const MAX_NON_ENTRY_LINES: usize = 6;
    let Some(start) = lines.iter().position(|l| l.text.trim() == "Contents") else {
        return 0..0;
    };
    let mut last_entry = None;
    let mut others = 0;
    for (index, line) in lines.iter().enumerate().skip(start + 1) {
        if is_toc_entry(line.text) {
            last_entry = Some(index);
            others = 0;
        } else if !line.text.trim().is_empty() {
            others += 1;
            if others > MAX_NON_ENTRY_LINES {
                break;
            }
        }
    }
    last_entry.map_or(0..0, |end| start..end + 1)
}

fn is_toc_entry(text: &str) -> bool {
    let trimmed = text.trim_end();
    let without_page = trimmed.trim_end_matches(|c: char| c.is_ascii_digit());
    without_page.len() < trimmed.len() && without_page.trim_end().ends_with("....")
}

/// The catalog header: the user's values first, then the cover's.
struct Header {
    standard: String,
    title: String,
    version: String,
    published: NaiveDate,
    designation: String,
}

fn header(
    file: &SourceFile,
    cover: Option<&Cover>,
    overrides: &HeaderOverrides,
    warnings: &mut Vec<Diagnostic>,
) -> Result<Header, Diagnostics> {
    let standard = overrides
        .standard
        .clone()
        .or_else(|| cover.map(|c| slugify(&c.document)));
    let version = overrides
        .version
        .clone()
        .or_else(|| cover.map(|c| c.version.clone()));
    let title = overrides
        .title
        .clone()
        .or_else(|| cover.and_then(|c| c.title.clone()));
    let published = match (overrides.published, cover) {
        (Some(date), _) => Some(date),
        (None, Some(c)) => Some(cover_date(file, c, warnings)?),
        (None, None) => None,
    };
    let (Some(standard), Some(version), Some(title), Some(published)) =
        (standard, version, title, published)
    else {
        return Err(no_cover(file, overrides, cover));
    };
    let designation = cover.map_or_else(|| format!("{title} {version}"), |c| c.designation.clone());
    Ok(Header {
        standard,
        title,
        version,
        published,
        designation,
    })
}

/// One error naming every header value that neither the cover nor the user gave.
fn no_cover(file: &SourceFile, overrides: &HeaderOverrides, cover: Option<&Cover>) -> Diagnostics {
    let mut flags = Vec::new();
    if overrides.standard.is_none() && cover.is_none() {
        flags.push("--standard");
    }
    if overrides.version.is_none() && cover.is_none() {
        flags.push("--version");
    }
    if overrides.title.is_none() && cover.and_then(|c| c.title.as_ref()).is_none() {
        flags.push("--title");
    }
    if overrides.published.is_none() && cover.is_none() {
        flags.push("--published");
    }
    let line = cover.map_or(1, |c| c.line);
    Diagnostic::error(
        Code::NoCover,
        "the cover could not be read (expected a line such as `ETSI EN 319 401 V3.2.1 (2026-01)` on the first page, then the title)",
    )
    .at(file.location(line, 1, 1))
    .note(format!("help: pass {}", flags.join(" ")))
    .into()
}

/// ETSI covers give year and month only; the first of the month stands for the date, and
/// the user is told so (the exact date is on the ETSI work-programme page).
fn cover_date(
    file: &SourceFile,
    cover: &Cover,
    warnings: &mut Vec<Diagnostic>,
) -> Result<NaiveDate, Diagnostics> {
    let (year, month) = cover.year_month;
    let date = NaiveDate::from_ymd_opt(year, month, 1).filter(|_| YEARS.contains(&year));
    let column = file
        .line_text(cover.line)
        .and_then(|t| t.find('(').map(|at| t[..at].chars().count() + 2))
        .unwrap_or(1);
    let Some(date) = date else {
        return Err(Diagnostic::error(
            Code::BadDate,
            format!("the cover date ({year}-{month:02}) is not a month between 1988 and 9999"),
        )
        .at(file.location(cover.line, column, 7))
        .note("help: pass --published YYYY-MM-DD")
        .into());
    };
    warnings.push(
        Diagnostic::warning(
            Code::MonthOnlyDate,
            format!("the cover gives only {year}-{month:02}; published is set to {date}"),
        )
        .at(file.location(cover.line, column, 7))
        .note("help: pass --published YYYY-MM-DD to record the exact date"),
    );
    Ok(date)
}

/// A requirement being read.
struct Draft {
    id: String,
    line: usize,
    section: SectionId,
    markers: BTreeSet<Marker>,
    text: String,
    note: Option<String>,
}

/// How the next piece of text attaches to what came before.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Join {
    /// Same paragraph: one space.
    Space,
    /// A blank line was seen: a new paragraph.
    Paragraph,
}

/// What the parser does after a line.
enum Step {
    /// Go on with the next line.
    Next,
    /// The line and this many more were consumed (a heading on two lines).
    Consumed(usize),
    /// The body has ended (annexes, history).
    End,
}

struct Parser<'a> {
    file: &'a SourceFile,
    designation: Option<String>,
    /// False in the front matter, until the heading of clause 1.
    in_body: bool,
    last_heading: Option<Vec<u32>>,
    /// True on the line right after a heading, which may carry the rest of a long title.
    heading_open: bool,
    /// True from a page break or page furniture to the next text line.
    page_gap: bool,
    /// True while the lines of the current requirement are rows of a table.
    in_table: bool,
    section: Option<SectionId>,
    sections: Vec<Section>,
    /// Section ID → its index in `sections`.
    section_index: BTreeMap<SectionId, usize>,
    current: Option<Draft>,
    join: Join,
    drafts: Vec<Draft>,
    seen: BTreeMap<String, usize>,
    /// First and last line of prose outside any requirement, reported when it ends.
    stray: Option<(usize, usize)>,
    warnings: Vec<Diagnostic>,
    errors: Diagnostics,
    /// Index of the line being read.
    at: usize,
    /// No heading of clause 1 precedes the requirement IDs: the text is an excerpt.
    excerpt: bool,
    /// Where the body starts (the heading of clause 1), when one is found before the first
    /// requirement ID; `None` for an excerpt, whose first heading may be any clause.
    body_start: Option<usize>,
    /// Per line, the clause named by the next requirement ID at or after it: headings are
    /// checked against the IDs that follow them.
    next_id_clause: Vec<Option<Vec<u32>>>,
    /// The line of the heading the current section comes from.
    section_line: usize,
    /// List labels (`a)`) that an extraction put on lines of their own, waiting for their
    /// items.
    pending_labels: Vec<String>,
    /// Requirements filed under the clause their ID names (no heading above them), with
    /// their line: reported in one warning.
    sections_from_ids: Vec<(String, usize)>,
}

impl<'a> Parser<'a> {
    fn new(file: &'a SourceFile, designation: Option<String>) -> Self {
        Parser {
            file,
            designation,
            in_body: false,
            last_heading: None,
            heading_open: false,
            page_gap: false,
            in_table: false,
            section: None,
            sections: Vec::new(),
            section_index: BTreeMap::new(),
            current: None,
            join: Join::Space,
            drafts: Vec::new(),
            seen: BTreeMap::new(),
            stray: None,
            warnings: Vec::new(),
            errors: Diagnostics::new(),
            at: 0,
            excerpt: false,
            body_start: None,
            next_id_clause: Vec::new(),
            section_line: 0,
            pending_labels: Vec::new(),
            sections_from_ids: Vec::new(),
        }
    }

    fn run(&mut self, lines: &[Line<'_>], contents: Range<usize>) {
        self.next_id_clause = next_id_clauses(lines);
        self.body_start = self.find_body_start(lines, &contents);
        let has_ids = lines
            .iter()
            .any(|l| matches!(parse_requirement_start(l.text), Start::Requirement { .. }));
        if self.body_start.is_none() && has_ids {
            // An excerpt (or a text whose first pages were not extracted): the body is
            // everything, and the first heading may be any clause.
            self.in_body = true;
            self.excerpt = true;
        }
        let mut index = 0;
        while let Some(line) = lines.get(index) {
            if contents.contains(&index) {
                index = contents.end;
                continue;
            }
            self.at = index;
            if line.page_start {
                self.page_break();
            }
            match self.line(lines, index) {
                Step::Next => index += 1,
                Step::Consumed(more) => index += 1 + more,
                Step::End => break,
            }
        }
        self.finish_paragraph();
        self.report_sections_from_ids();
    }

    /// The heading of clause 1 that opens the body: the first one after which a
    /// requirement ID follows with no contents entry between. The contents list clause 1
    /// too, in whatever layout the extraction gave them (one line with dot leaders, a
    /// column of numbers then a column of titles, numbers and titles on lines of their
    /// own), and every such layout has contents entries after its `1`. A `1` after IDs of
    /// later clauses is not the start of the body (an excerpt that starts at clause 5).
    fn find_body_start(&self, lines: &[Line<'_>], contents: &Range<usize>) -> Option<usize> {
        let mut start = None;
        for (index, line) in lines.iter().enumerate() {
            if let Start::Requirement { id, .. } = parse_requirement_start(line.text) {
                if start.is_some() {
                    return start;
                }
                let clause = id_clause(id).and_then(|c| c.split(['.', '-']).next());
                if clause.is_some_and(|top| top != "1") {
                    return None;
                }
            } else if is_toc_entry(line.text) || is_annex_heading(line.text) {
                start = None;
            } else if start.is_none()
                && !contents.contains(&index)
                && self.opens_clause_1(lines, index)
            {
                start = Some(index);
            }
        }
        None
    }

    /// `1   Scope`, or `1` alone with `Scope` on a later line (after blank lines, page
    /// furniture or more numbers of a column).
    fn opens_clause_1(&self, lines: &[Line<'_>], index: usize) -> bool {
        let text = lines[index].text;
        if text.starts_with(char::is_whitespace) {
            return false;
        }
        if let Some((number, title)) = text.split_once(char::is_whitespace) {
            return clause_number(number).is_some_and(|n| n == [1])
                && is_title(&squash_spaces(title))
                && !is_toc_entry(text);
        }
        if clause_number(text.trim_end()).is_none_or(|n| n != [1]) {
            return false;
        }
        lines
            .iter()
            .skip(index + 1)
            .take(200)
            .find(|l| !self.is_skippable(l) && bare_clause_number(l.text).is_none())
            .is_some_and(|l| self.heading_title(l.text).is_some() && !is_toc_entry(l.text))
    }

    /// One warning for all requirements filed under the clause their ID names.
    fn report_sections_from_ids(&mut self) {
        let Some((first, line)) = self.sections_from_ids.first().cloned() else {
            return;
        };
        let count = self.sections_from_ids.len();
        let message = format!(
            "{} under no readable heading (first {first}); each is filed under the clause its ID names",
            if count == 1 { "1 requirement stands".to_owned() } else { format!("{count} requirements stand") },
        );
        self.warnings.push(
            Diagnostic::warning(Code::SectionFromId, message).at(self.file.location(
                line,
                1,
                first.chars().count(),
            )),
        );
    }

    fn line(&mut self, lines: &[Line<'_>], index: usize) -> Step {
        let text = lines[index].text;
        // Before furniture: a bare `5` is a page number unless a title follows it.
        if let Some(step) = self.stacked_headings(lines, index) {
            return step;
        }
        if is_bullet_only(text) {
            return Step::Next; // plain pdftotext puts a list's bullets on lines of their own
        }
        if lines[index].page_number || self.is_furniture(text) || is_toc_entry(text) {
            self.page_break();
            return Step::Next;
        }
        if text.trim().is_empty() {
            self.blank();
            return Step::Next;
        }
        self.page_gap = false;
        if self.in_body && is_body_end(text) {
            return Step::End;
        }
        if let Some((number, title)) = self.heading(text) {
            self.start_section(number, title);
            return Step::Next;
        }
        if std::mem::take(&mut self.heading_open) && self.continue_heading(text) {
            return Step::Next;
        }
        if self.in_body {
            self.body_line(lines, index);
        } else {
            self.front_matter_line(&lines[index]);
        }
        Step::Next
    }

    /// Page furniture sits between two halves of one paragraph: the blank lines around it
    /// are layout, not paragraph breaks.
    fn page_break(&mut self) {
        self.join = Join::Space;
        self.page_gap = true;
    }

    fn is_furniture(&self, text: &str) -> bool {
        let trimmed = text.trim();
        let rest = match &self.designation {
            Some(d) => trimmed.replacen(d.as_str(), "", 1),
            None => trimmed.to_owned(),
        };
        let rest = rest.trim().trim_start_matches("ETSI").trim();
        // A header or footer: the designation and/or `ETSI`, with at most a page number.
        let header_or_footer =
            rest.len() < trimmed.len() && rest.bytes().all(|b| b.is_ascii_digit() || b == b' ');
        // A running header of a text whose cover was not extracted (an excerpt).
        let other_designation = parse_designation(trimmed).is_some_and(|c| {
            trimmed
                .strip_prefix(c.designation.as_str())
                .is_some_and(|after| after.bytes().all(|b| b.is_ascii_digit() || b == b' '))
        });
        let bare_page_number = !trimmed.is_empty() && trimmed.bytes().all(|b| b.is_ascii_digit());
        header_or_footer || other_designation || bare_page_number || is_page_marker(trimmed)
    }

    fn blank(&mut self) {
        self.heading_open = false;
        if self.page_gap {
            return;
        }
        if self.current.as_ref().is_some_and(|d| !d.text.is_empty()) {
            self.join = Join::Paragraph;
        }
        self.flush_stray();
    }

    /// A numbered heading at the left margin: `7.9.3` then a capitalised title, numbered
    /// after the previous heading. Before clause 1 nothing is a heading, so that foreword
    /// dates (`5 January 2026`) and wrapped lines that start with a number are not.
    fn heading(&self, text: &str) -> Option<(Vec<u32>, String)> {
        if text.starts_with(char::is_whitespace) {
            return None;
        }
        let (number, title) = text.split_once(char::is_whitespace)?;
        let number = clause_number(number)?;
        let title = squash_spaces(title);
        (is_title(&title) && self.accepts(&number)).then_some((number, title))
    }

    /// Headings whose numbers stand alone on their lines, each title on a later line.
    /// Plain `pdftotext` reads the number column before the title column, so one or more
    /// numbers (`4`, `4.1`) come first, then as many titles, with bullets and page
    /// furniture possibly between. A bare number that opens a page is its page number.
    fn stacked_headings(&mut self, lines: &[Line<'_>], index: usize) -> Option<Step> {
        // Only a number opens a stack; checking this first keeps the scan below from
        // running over every blank line again (quadratic on long runs of them).
        bare_clause_number(lines[index].text)?;
        let mut numbers: Vec<Vec<u32>> = Vec::new();
        let mut at = index;
        while let Some(line) = lines.get(at) {
            let follows_last = |n: &Vec<u32>| match numbers.last() {
                Some(last) => follows(last, n) && self.agrees_with_next_id(n),
                None => self.accepts(n),
            };
            if line.page_number && at > index {
                at += 1;
                continue;
            }
            if let Some(number) = bare_clause_number(line.text).filter(follows_last) {
                if line.page_start && line.page_number {
                    return None;
                }
                numbers.push(number);
            } else if !self.is_skippable(line) {
                break;
            }
            at += 1;
        }
        if numbers.is_empty() {
            return None;
        }
        let mut titles = Vec::new();
        while titles.len() < numbers.len() {
            let line = lines.get(at)?;
            if !self.is_skippable(line) {
                titles.push(self.heading_title(line.text)?);
            }
            at += 1;
        }
        for (number, title) in numbers.into_iter().zip(titles) {
            self.start_section(number, title);
        }
        Some(Step::Consumed(at - index - 1))
    }

    /// Lines that may stand between a heading's number and its title: blank lines, page
    /// furniture, bullets alone.
    fn is_skippable(&self, line: &Line<'_>) -> bool {
        let text = line.text;
        text.trim().is_empty()
            || line.page_number
            || self.is_furniture(text)
            || is_bullet_only(text)
    }

    /// The line as a heading title, if it can be one.
    fn heading_title(&self, text: &str) -> Option<String> {
        let title = squash_spaces(text);
        let plain = is_title(&title)
            && !is_body_end(&title)
            && matches!(parse_requirement_start(&title), Start::None)
            && id_like_start(&title).is_none()
            && bare_clause_number(&title).is_none();
        plain.then_some(title)
    }

    fn accepts(&self, number: &[u32]) -> bool {
        let in_order = match &self.last_heading {
            None if self.excerpt => true,
            None => number == [1] && self.body_start.is_none_or(|start| self.at >= start),
            Some(last) => follows(last, number),
        };
        in_order && self.agrees_with_next_id(number)
    }

    /// A heading of another top-level clause than the next requirement ID names, when
    /// that ID belongs to an earlier clause, is no heading: it is a page number (`8`) or a
    /// wrapped line above a title-like line. The IDs decide; headings only refine.
    fn agrees_with_next_id(&self, number: &[u32]) -> bool {
        let Some(Some(id)) = self.next_id_clause.get(self.at) else {
            return true;
        };
        let earlier = id.as_slice() < number && !number.starts_with(id);
        !(earlier && id.first() != number.first())
    }

    fn start_section(&mut self, number: Vec<u32>, title: String) {
        self.finish_paragraph();
        self.section_line = self.at + 1;
        self.in_body = true;
        self.in_table = false;
        let id = number
            .iter()
            .map(u32::to_string)
            .collect::<Vec<_>>()
            .join(".");
        let id = SectionId::new(id);
        self.section = Some(id.clone());
        self.last_heading = Some(number);
        match self.section_index.get(&id) {
            // Filed from the IDs before its heading was read (an excerpt): the heading
            // gives the title.
            Some(&at) => {
                self.sections[at].title = title;
                self.heading_open = false;
            }
            None => {
                self.section_index.insert(id.clone(), self.sections.len());
                self.sections.push(Section { id, title });
                self.heading_open = true;
            }
        }
    }

    /// A long heading wraps onto a line that starts in lower case.
    fn continue_heading(&mut self, text: &str) -> bool {
        let rest = text.trim_start();
        let wrapped = rest.starts_with(|c: char| c.is_lowercase())
            && matches!(parse_requirement_start(text), Start::None)
            && !is_list_item(rest);
        if let (true, Some(section)) = (wrapped, self.sections.last_mut()) {
            section.title = format!("{} {}", section.title, squash_spaces(rest));
            return true;
        }
        false
    }

    /// Before clause 1 only IDs matter: one there means the body was not found where it
    /// was expected, and the user must hear of it.
    fn front_matter_line(&mut self, line: &Line<'_>) {
        if let Some(token) = id_like_start(line.text) {
            self.warn_line(
                line,
                Code::IdBeforeClause1,
                format!(
                    "`{token}` stands before clause 1 (in the front matter) and is not imported"
                ),
            );
        }
    }

    fn body_line(&mut self, lines: &[Line<'_>], index: usize) {
        let line = &lines[index];
        match parse_requirement_start(line.text) {
            Start::Requirement { id, markers, rest } => {
                self.open_requirement(line, id, markers, rest)
            }
            Start::Malformed(token) => {
                self.warn_line(line, Code::UnparsedId, format!("`{token}` looks like a requirement ID but is not one; the line is kept as text"));
                self.text_line(lines, index);
            }
            Start::None => {
                if let Some(token) = id_like_start(line.text) {
                    let message = format!("the line starts with `{token}` but no `:` follows it, so no requirement starts here; the line is kept as text");
                    self.warn_line(line, Code::UnparsedId, message);
                }
                self.text_line(lines, index);
            }
        }
    }

    fn open_requirement(&mut self, line: &Line<'_>, id: &str, markers: Vec<&str>, rest: &str) {
        self.finish_paragraph();
        self.in_table = false;
        let section = match self.section.clone() {
            Some(section) if !names_later_clause(id, &section) => section,
            _ => self.section_from_id(id, line.number),
        };
        let mut draft = Draft {
            id: id.to_owned(),
            line: line.number,
            section,
            markers: BTreeSet::new(),
            text: String::new(),
            note: None,
        };
        if id.starts_with("PRO-") {
            draft.markers.insert(Marker::Proportionate);
        }
        let (rest_markers, rest) = leading_tags(rest);
        let mut unknown = Vec::new();
        for tag in markers.into_iter().chain(rest_markers) {
            match marker(tag) {
                Some(m) => {
                    draft.markers.insert(m);
                }
                None => unknown.push(tag),
            }
        }
        for tag in &unknown {
            self.warn_line(
                line,
                Code::UnknownMarker,
                format!("`[{tag}]` on {id} is not a marker reqgap knows; it is kept in the text"),
            );
        }
        let mut first = unknown.iter().map(|t| format!("[{t}]")).collect::<Vec<_>>();
        first.push(clean_text(rest));
        draft.text = squash_spaces(&first.join(" "));
        self.check_clause(line, &mut draft);
        self.current = Some(draft);
        self.join = Join::Space;
    }

    /// A requirement before any readable heading is filed under the clause its ID names
    /// (`REQ-7.9.3-01` under 7.9.3), a section declared once with a title saying so.
    fn section_from_id(&mut self, id: &str, line: usize) -> SectionId {
        let clause = id_clause(id).unwrap_or(id);
        let section = SectionId::new(clause);
        if !self.section_index.contains_key(&section) {
            self.section_index
                .insert(section.clone(), self.sections.len());
            self.sections.push(Section {
                id: section.clone(),
                title: format!("Clause {clause}"),
            });
        }
        self.sections_from_ids.push((id.to_owned(), line));
        section
    }

    /// IDs name their clause; a mismatch is usually a misprint (`REQ-7.11-1-02` under
    /// 7.11.1). The ID is kept as printed and the catalog notes where it stands.
    fn check_clause(&mut self, line: &Line<'_>, draft: &mut Draft) {
        let clause = id_clause(&draft.id);
        if clause == Some(draft.section.as_str())
            || self
                .sections_from_ids
                .last()
                .is_some_and(|(id, _)| *id == draft.id)
        {
            return;
        }
        let section = draft.section.clone();
        let heading = self.section_line;
        self.warn_line(
            line,
            Code::IdClauseMismatch,
            format!(
                "{} names clause {} but stands under clause {section} (heading at line {heading}); the ID is kept as printed",
                draft.id,
                clause.unwrap_or("?"),
            ),
        );
        draft.note = Some(format!(
            "ID as printed in the deliverable; it stands under clause {section}"
        ));
    }

    fn text_line(&mut self, lines: &[Line<'_>], index: usize) {
        let line = &lines[index];
        if self.current.is_none() {
            self.stray = Some(
                self.stray
                    .map_or((line.number, line.number), |(s, _)| (s, line.number)),
            );
            return;
        }
        let row = table_cells(line.text)
            .filter(|_| self.in_table || next_is_table_row(lines, index))
            .map(|cells| cells.join(" | "));
        self.in_table = row.is_some();
        let join = self.join;
        let mut content = row.clone().unwrap_or_else(|| clean_text(line.text));
        if row.is_none() && is_bare_list_label(&content) {
            // Extractions that read the label column apart put `a)` on a line of its
            // own; it waits for its item.
            self.pending_labels.push(content);
            return;
        }
        if !self.pending_labels.is_empty() && !is_list_item(&content) {
            let label = self.pending_labels.remove(0);
            content = format!("{label} {content}");
        }
        let Some(draft) = self.current.as_mut() else {
            return;
        };
        let separator = if draft.text.is_empty() {
            ""
        } else if row.is_some() || is_list_item(&content) {
            "\n"
        } else if is_note(&content) || join == Join::Paragraph {
            "\n\n"
        } else {
            " "
        };
        draft.text.push_str(separator);
        draft.text.push_str(&content);
        self.join = Join::Space;
    }

    fn flush_stray(&mut self) {
        let Some((first, last)) = self.stray.take() else {
            return;
        };
        // Introductory clauses (scope, references, definitions) precede the first
        // requirement and are not expected to hold any.
        if self.drafts.is_empty() && self.current.is_none() {
            return;
        }
        let lines = if first == last {
            format!("line {first}")
        } else {
            format!("lines {first}-{last}")
        };
        let column = self.file.line_text(first).map_or(1, |t| {
            t[..t.len() - t.trim_start().len()].chars().count() + 1
        });
        self.warnings.push(
            Diagnostic::warning(
                Code::NotRequirementText,
                format!("text on {lines} is not part of any requirement and is not imported"),
            )
            .at(self.file.location(first, column, 1)),
        );
    }

    fn finish_paragraph(&mut self) {
        self.flush_stray();
        let labels = std::mem::take(&mut self.pending_labels);
        let Some(mut draft) = self.current.take() else {
            return;
        };
        for label in labels {
            // A label whose item never came is kept, not lost.
            draft.text.push('\n');
            draft.text.push_str(&label);
        }
        let at = self.file.location(draft.line, 1, draft.id.chars().count());
        if let Some((code, message)) = crate::source::id_problem("requirement", &draft.id) {
            // The catalog loader's rule, applied to the input (an imported catalog must read back).
            return self.errors.push(Diagnostic::error(code, message).at(at));
        }
        if let Some(first) = self.seen.get(&draft.id) {
            self.errors.push(
                Diagnostic::error(
                    Code::DuplicateId,
                    format!(
                        "requirement ID `{}` is defined twice (first at line {first})",
                        draft.id
                    ),
                )
                .at(at),
            );
            return;
        }
        self.seen.insert(draft.id.clone(), draft.line);
        if draft.text.trim().is_empty() {
            // A catalog requirement needs text; an empty one is a misread (the text above
            // the ID, or lost in extraction) that the user must look at.
            return self.errors.push(
                Diagnostic::error(
                    Code::RequirementWithoutText,
                    format!("{} has no text: the next ID or heading follows it directly", draft.id),
                )
                .at(at)
                .note("help: check this place in the PDF; if the text stands above the ID in the text file, move it below"),
            );
        }
        self.drafts.push(draft);
    }

    fn warn_line(&mut self, line: &Line<'_>, code: Code, message: String) {
        let indent = line.text.len() - line.text.trim_start().len();
        let column = line.text.get(..indent).map_or(1, |p| p.chars().count() + 1);
        self.warnings
            .push(Diagnostic::warning(code, message).at(self.file.location(
                line.number,
                column,
                1,
            )));
    }

    fn requirements(&self) -> Vec<Requirement> {
        self.drafts.iter().map(to_requirement).collect()
    }

    /// The error for a document in which no requirement was found, saying what was
    /// expected where: an empty catalog is never a success.
    fn nothing_found(&self) -> Diagnostic {
        let note = match (&self.last_heading, self.sections.first()) {
            (None, _) => "help: clause 1 was not found: expected a heading such as `1   Scope` at the left margin after the table of contents".to_owned(),
            (Some(_), Some(first)) => format!(
                "help: read {} sections ({} to {}), but no line that starts with a requirement ID and a colon, such as `REQ-7.9.3-01: The TSP shall ...`",
                self.sections.len(),
                first.id,
                self.sections.last().map_or("", |s| s.id.as_str())
            ),
            (Some(_), None) => String::new(),
        };
        Diagnostic::error(
            Code::NoRequirements,
            "no requirement found: expected an ETSI deliverable with requirement IDs such as `REQ-7.9.3-01:`",
        )
        .at(self.file.location(1, 1, 1))
        .note(note)
    }
}

fn to_requirement(draft: &Draft) -> Requirement {
    let void = matches!(draft.text.to_lowercase().as_str(), "void" | "void.");
    let text = if void {
        String::new()
    } else {
        draft.text.clone()
    };
    // The level comes from the requirement's own sentence, not from its notes.
    let normative = text.split("\n\nNOTE").next().unwrap_or_default();
    let level = Level::from_text(normative);
    let mut markers = draft.markers.clone();
    markers.extend(bracket_tags(first_sentence(&text)).filter_map(marker));
    Requirement {
        id: RequirementId::new(draft.id.clone()),
        section: draft.section.clone(),
        title: None,
        level,
        level_derived: level == Level::from_text(&text),
        markers,
        confidence: Confidence::Confirmed,
        status: if void {
            Status::Withdrawn
        } else {
            Status::Active
        },
        text,
        note: draft.note.clone(),
        links: Vec::new(),
    }
}

/// The requirement's first sentence: up to the first line break or full stop.
fn first_sentence(text: &str) -> &str {
    let line = text.split('\n').next().unwrap_or_default();
    line.split(". ").next().unwrap_or(line)
}

/// Tags that mark the sentence they end: `... the TSP shall [CHOICE]:`, `[COND] [PRO]:`.
/// A tag followed by more words is prose about markers (`requirements marked [PRO]
/// apply`), not a marker.
fn bracket_tags(text: &str) -> impl Iterator<Item = &str> {
    text.split('[').skip(1).filter_map(|piece| {
        let (tag, after) = piece.split_once(']')?;
        let after = after.trim_start();
        let ends = after.is_empty() || after.starts_with(':') || after.starts_with('[');
        (ends && !tag.is_empty() && !tag.contains(char::is_whitespace)).then_some(tag)
    })
}

/// The index of the next line with text, skipping blank lines.
fn next_content_line(lines: &[Line<'_>], index: usize) -> Option<usize> {
    (index + 1..lines.len()).find(|&i| !lines[i].text.trim().is_empty())
}

fn next_is_table_row(lines: &[Line<'_>], index: usize) -> bool {
    next_content_line(lines, index).is_some_and(|next| {
        table_cells(lines[next].text).is_some()
            && matches!(parse_requirement_start(lines[next].text), Start::None)
    })
}

/// The cells of a table row: text separated by runs of three or more spaces, after the
/// indentation and any list or note label. One such line alone is a layout artefact
/// (a justified line); two in a row are a table.
fn table_cells(text: &str) -> Option<Vec<String>> {
    let body = strip_label(text.trim());
    let cells: Vec<String> = body
        .split("   ")
        .map(str::trim)
        .filter(|c| !c.is_empty())
        .map(clean_text)
        .collect();
    (cells.len() >= 2).then_some(cells)
}

/// The text after a list label (`a)`, `•`) or a note label (`NOTE 1:`), if any.
fn strip_label(text: &str) -> &str {
    if is_list_item(text) || is_note(text) {
        let label_end = if is_note(text) {
            text.find(':').map_or(0, |i| i + 1)
        } else {
            text.find(char::is_whitespace).unwrap_or(text.len())
        };
        return text.get(label_end..).unwrap_or_default().trim_start();
    }
    text
}

/// Text as it goes into a requirement: one space between words, private-use bullets as `•`.
fn clean_text(text: &str) -> String {
    squash_spaces(&text.replace(['\u{f0b7}', '\u{f0a7}'], "•"))
}

/// Page markers that other extraction tools write instead of form feeds: `Page 5`,
/// `Page 5 of 80`, `- 5 -`, `--- Page 5 ---`, `[Page 5]`.
fn is_page_marker(text: &str) -> bool {
    let inner = text
        .trim_matches(|c: char| c == '-' || c == '[' || c == ']' || c == '=' || c.is_whitespace());
    // Extraction scripts mark both ends of a page: `=== PAGE 14 ===`, `=== END PAGE 14 ===`.
    let inner = ["END ", "End ", "end ", "START ", "BEGIN "]
        .iter()
        .find_map(|word| inner.strip_prefix(word))
        .unwrap_or(inner);
    let inner = ["Page ", "page ", "PAGE "]
        .iter()
        .find_map(|word| inner.strip_prefix(word))
        .unwrap_or(inner);
    let words: Vec<&str> = inner.split_whitespace().collect();
    let number = |w: &&str| w.bytes().all(|b| b.is_ascii_digit());
    let shape = match words.as_slice() {
        [n] => number(n) && inner.len() < text.len(),
        [n, of, m] => number(n) && *of == "of" && number(m),
        _ => false,
    };
    shape && !text.trim().bytes().all(|b| b.is_ascii_digit())
}

/// A line that holds only a clause number, at the left margin.
fn bare_clause_number(text: &str) -> Option<Vec<u32>> {
    if text.starts_with(char::is_whitespace) {
        return None;
    }
    clause_number(text.trim_end())
}

/// A bullet alone on its line.
fn is_bullet_only(text: &str) -> bool {
    let mut chars = text.trim().chars();
    chars.next().is_some_and(|c| BULLETS.contains(&c)) && chars.next().is_none()
}

/// `7.9.3` (or `7.9.3.`) with parts from 1 to 99: a clause number.
fn clause_number(token: &str) -> Option<Vec<u32>> {
    let token = token.strip_suffix('.').unwrap_or(token);
    let parts: Option<Vec<u32>> = token
        .split('.')
        .map(|p| {
            p.bytes()
                .all(|b| b.is_ascii_digit())
                .then(|| p.parse().ok())
                .flatten()
        })
        .collect();
    let parts = parts?;
    (parts.first().is_some_and(|p| *p >= 1) && parts.iter().all(|p| *p <= 99) && parts.len() <= 6)
        .then_some(parts)
}

/// Whether `next` can follow heading `last` in a clause numbering: a sub-clause of it, or
/// the next clause at some level. Small gaps are allowed (extracts and drafts leave
/// clauses out), larger jumps are wrapped lines that start with a number.
fn follows(last: &[u32], next: &[u32]) -> bool {
    let common = last.iter().zip(next).take_while(|(a, b)| a == b).count();
    let max_step = if common == 0 { 5 } else { 9 };
    match (last.get(common), next.get(common)) {
        (_, None) => false,
        (None, Some(first_new)) => *first_new <= 20 && next.len() <= last.len() + 2,
        (Some(old), Some(new)) => new > old && new - old <= max_step,
    }
}

/// A heading title: starts with a capital and is not a date (`January 2026`).
fn is_title(title: &str) -> bool {
    let mut words = title.split_whitespace();
    let first = words.next().unwrap_or_default();
    let year_follows = words
        .next()
        .is_some_and(|w| w.len() == 4 && w.bytes().all(|b| b.is_ascii_digit()));
    title.starts_with(|c: char| c.is_uppercase())
        && !(crate::source::scalar::MONTHS.contains(&first) && year_follows)
        && !title.ends_with("....")
}

/// Annexes cite IDs in mapping tables; the History table closes the document.
/// Annex headings are centred, so only their words count: `Annex B (normative):`.
fn is_body_end(text: &str) -> bool {
    let trimmed = text.trim();
    is_annex_heading(trimmed) || trimmed == "History" && !text.starts_with(char::is_whitespace)
}

/// `Annex B (normative):`, in the body or as a contents entry.
fn is_annex_heading(text: &str) -> bool {
    text.trim().strip_prefix("Annex ").is_some_and(|rest| {
        let mut words = rest.split_whitespace();
        let letter = words
            .next()
            .is_some_and(|w| w.len() <= 2 && w.bytes().all(|b| b.is_ascii_uppercase()));
        let kind = words
            .next()
            .is_some_and(|w| w.starts_with("(normative)") || w.starts_with("(informative)"));
        letter && kind
    })
}

/// Whether the ID names a clause after `section` (`REQ-7.9.3-01` under 7.9 or 7.8): the
/// heading of that clause was not read, and the ID says where the requirement belongs.
fn names_later_clause(id: &str, section: &SectionId) -> bool {
    let named = id_clause(id).and_then(clause_number);
    let heading = clause_number(section.as_str());
    matches!((named, heading), (Some(named), Some(heading)) if named > heading)
}

/// For each line, the clause named by the next requirement ID at or after it whose
/// clause is dotted numbers (a misprinted ID names none and is passed over).
fn next_id_clauses(lines: &[Line<'_>]) -> Vec<Option<Vec<u32>>> {
    let mut next = None;
    let mut out = vec![None; lines.len()];
    for (index, line) in lines.iter().enumerate().rev() {
        if let Start::Requirement { id, .. } = parse_requirement_start(line.text) {
            if let Some(clause) = id_clause(id).and_then(clause_number) {
                next = Some(clause);
            }
        }
        out[index] = next.clone();
    }
    out
}

/// How a body line starts.
enum Start<'t> {
    Requirement {
        id: &'t str,
        markers: Vec<&'t str>,
        rest: &'t str,
    },
    /// An ID-like label followed by a colon that does not follow the ID grammar.
    Malformed(&'t str),
    None,
}

/// The line without its indentation and a bullet before its first word.
fn strip_bullet(text: &str) -> &str {
    let trimmed = text.trim_start();
    let mut chars = trimmed.chars();
    match (chars.next(), chars.next()) {
        (Some(bullet), Some(space)) if BULLETS.contains(&bullet) && space.is_whitespace() => {
            trimmed[bullet.len_utf8()..].trim_start()
        }
        _ => trimmed,
    }
}

/// The ID-like first word of a line (`REQ-5-08` in `REQ-5-08 applies as well`), if any.
fn id_like_start(text: &str) -> Option<&str> {
    let trimmed = strip_bullet(text);
    let token_len = trimmed
        .find(|c: char| !(c.is_ascii_alphanumeric() || c == '-' || c == '.'))
        .unwrap_or(trimmed.len());
    let token = trimmed.get(..token_len)?.trim_end_matches('.');
    looks_like_id(token).then_some(token)
}

/// `ID [MARKER]...: text`, `ID` alone on its line (text on the next), or `ID` and the text
/// separated by a column gap of two or more spaces; a bullet may stand before the ID.
fn parse_requirement_start(text: &str) -> Start<'_> {
    let trimmed = strip_bullet(text);
    let Some(token) = id_like_start(trimmed) else {
        return Start::None;
    };
    let after = trimmed.get(token.len()..).unwrap_or_default();
    let (markers, after_tags) = leading_tags(after);
    let (rest, labelled) = match after_tags.trim_start().strip_prefix(':') {
        Some(rest) => (rest, true),
        None if after.trim().is_empty() => ("", true),
        None if after.starts_with("  ") && markers.is_empty() => (after, true),
        None => (after_tags, false),
    };
    match (labelled, is_requirement_id(token)) {
        (true, true) => Start::Requirement {
            id: token,
            markers,
            rest,
        },
        (true, false) if after_tags.trim_start().starts_with(':') => Start::Malformed(token),
        _ => Start::None,
    }
}

/// Two to five capitals, a hyphen and a digit: `REQ-7`, `OVR-6`, `GEN-6`.
fn looks_like_id(token: &str) -> bool {
    let Some((prefix, rest)) = token.split_once('-') else {
        return false;
    };
    (2..=5).contains(&prefix.len())
        && prefix.bytes().all(|b| b.is_ascii_uppercase())
        && rest.starts_with(|c: char| c.is_ascii_digit())
}

/// `<PREFIX>-<clause>-<counter>`: the clause is dotted digits (a misprinted extra `-1`
/// segment is allowed), the counter one to three digits with an optional inserted-letter
/// suffix (`04A`).
fn is_requirement_id(token: &str) -> bool {
    let segments: Vec<&str> = token.split('-').collect();
    let [_, clause @ .., counter] = segments.as_slice() else {
        return false;
    };
    let dotted = |s: &&str| {
        !s.is_empty()
            && s.split('.')
                .all(|p| !p.is_empty() && p.bytes().all(|b| b.is_ascii_digit()))
    };
    let digits = counter.bytes().take_while(u8::is_ascii_digit).count();
    let suffix = counter.get(digits..).unwrap_or_default();
    !clause.is_empty()
        && clause.iter().all(dotted)
        && (1..=3).contains(&digits)
        && suffix.len() <= 2
        && suffix.bytes().all(|b| b.is_ascii_uppercase())
}

/// The clause an ID names: `7.9.3` for `REQ-7.9.3-01`, `7.11-1` for `REQ-7.11-1-02`.
fn id_clause(id: &str) -> Option<&str> {
    let (_, rest) = id.split_once('-')?;
    rest.rsplit_once('-').map(|(clause, _)| clause)
}

/// Bracketed tags at the start of `text` (`[CONDITIONAL] [PRO]`) and what follows them.
fn leading_tags(text: &str) -> (Vec<&str>, &str) {
    let mut tags = Vec::new();
    let mut rest = text;
    while let Some(inner) = rest.trim_start().strip_prefix('[') {
        let Some(end) = inner.find(']') else { break };
        let tag = inner.get(..end).unwrap_or_default();
        if tag.is_empty() || tag.contains(char::is_whitespace) {
            break;
        }
        tags.push(tag);
        rest = inner.get(end + 1..).unwrap_or_default();
    }
    (tags, rest)
}

fn marker(tag: &str) -> Option<Marker> {
    match tag {
        "CONDITIONAL" | "COND" => Some(Marker::Conditional),
        "CHOICE" => Some(Marker::Choice),
        "PRO" => Some(Marker::Proportionate),
        _ => None,
    }
}

fn is_note(content: &str) -> bool {
    ["NOTE", "EXAMPLE"].iter().any(|word| {
        content.strip_prefix(word).is_some_and(|rest| {
            let rest = rest.trim_start_matches(|c: char| c.is_ascii_digit() || c == ' ');
            rest.starts_with(':')
        })
    })
}

/// A list label with nothing after it: `a)`, `ii)`, `10)`.
fn is_bare_list_label(content: &str) -> bool {
    content.ends_with(')') && !content.contains(' ') && is_list_item(content)
}

/// `a)`, `ii)`, `1)` or a bullet, followed by a space or nothing.
fn is_list_item(content: &str) -> bool {
    let mut chars = content.chars();
    if let (Some(first), Some(second)) = (chars.next(), chars.next()) {
        if BULLETS.contains(&first) && second.is_whitespace() {
            return true;
        }
    }
    let Some(close) = content.find(')') else {
        return false;
    };
    let label = content.get(..close).unwrap_or_default();
    let after = content.get(close + 1..).unwrap_or_default();
    let letter = label.len() == 1 && label.bytes().all(|b| b.is_ascii_lowercase());
    let roman = (1..=4).contains(&label.len()) && label.bytes().all(|b| b"ivx".contains(&b));
    let number = (1..=2).contains(&label.len()) && label.bytes().all(|b| b.is_ascii_digit());
    (letter || roman || number) && (after.is_empty() || after.starts_with(' '))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn requirement_ids_follow_the_etsi_grammar() {
        for id in [
            "REQ-7.9.3-01",
            "PRO-7.2-10",
            "OVR-6.8.2-01",
            "REG-6.2.2-18",
            "REQ-7.4-04A",
            "REQ-5-01",
            "REQ-7.11-1-02",
        ] {
            assert!(is_requirement_id(id), "{id}");
        }
        for id in [
            "REQ-7.9.3",
            "REQ-7..9-01",
            "REQ-7.9-1a",
            "REQ-7.9-0001",
            "REQ--01",
        ] {
            assert!(!is_requirement_id(id), "{id}");
        }
        assert_eq!(id_clause("REQ-7.11-1-02"), Some("7.11-1"));
        assert_eq!(id_clause("REQ-5-01"), Some("5"));
    }

    #[test]
    fn requirement_starts_take_markers_before_or_after_the_colon() {
        let Start::Requirement { id, markers, rest } =
            parse_requirement_start("REQ-6.1-09 [CONDITIONAL]: When x")
        else {
            panic!("not a start")
        };
        assert_eq!(
            (id, markers, rest.trim()),
            ("REQ-6.1-09", vec!["CONDITIONAL"], "When x")
        );
        let Start::Requirement { markers, rest, .. } =
            parse_requirement_start("PRO-7.2-10:   [PRO] The TSP")
        else {
            panic!("not a start")
        };
        assert_eq!(leading_tags(rest).0, vec!["PRO"]);
        assert!(markers.is_empty());
        assert!(matches!(
            parse_requirement_start("REQ-7.9-1a: text"),
            Start::Malformed("REQ-7.9-1a")
        ));
        assert!(matches!(
            parse_requirement_start("REQ-5-08 applies as well."),
            Start::None
        ));
    }

    #[test]
    fn designations_are_read_from_the_cover_line() {
        let cover = parse_designation("        ETSI EN 319 411-1 V1.4.1 (2023-10)").unwrap();
        assert_eq!(cover.designation, "ETSI EN 319 411-1 V1.4.1 (2023-10)");
        assert_eq!(slugify(&cover.document), "etsi-en-319-411-1");
        assert_eq!(
            (cover.version.as_str(), cover.year_month),
            ("1.4.1", (2023, 10))
        );
        assert!(parse_designation("ETSI 2026, all rights reserved").is_none());
    }

    #[test]
    fn list_items_and_notes_are_recognised() {
        assert!(is_list_item("a) the TSP"));
        assert!(is_list_item("10) ten"));
        assert!(!is_list_item("and) more"));
        assert!(!is_list_item("(see clause 5)"));
        assert!(is_note("NOTE: x"));
        assert!(is_note("NOTE 2: x"));
        assert!(!is_note("NOTED: x"));
    }
}
