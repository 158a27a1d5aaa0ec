//! The text of an ETSI EN/TS deliverable, as `pdftotext -layout` (poppler) writes it → a
//! reqgap catalog.
//!
//! ETSI text may not be redistributed, so each organisation converts its own copy of the
//! PDF; this importer reads that text. It takes the designation, version, date and title
//! from the cover, skips the table of contents, page headers and footers, records every
//! numbered heading as a section, and turns every paragraph that starts with a requirement
//! ID (`REQ-7.9.3-01:`, `PRO-7.2-10 [PRO]:`, `OVR-6.8.2-01:`, `REQ-7.4-04A:`, even the
//! misprinted `REQ-7.11-1-02:`) into a requirement whose text runs until the next ID,
//! heading or annex, across lines, page breaks, lists and notes. Annexes are not read:
//! their mapping tables cite IDs without defining them.
//!
//! Nothing is dropped silently: prose outside any requirement (after the first one) and
//! ID-like labels that do not parse are reported as warnings with their line.

use std::collections::{BTreeMap, BTreeSet};

use chrono::NaiveDate;

use super::{cited_name, origin, slugify, squash_spaces, HeaderOverrides, Imported};
use crate::diag::{Code, Diagnostic, Diagnostics, SourceFile};
use crate::model::{
    Catalog, Confidence, Level, Marker, Provenance, Requirement, RequirementId, Section, SectionId,
    StandardSlug, Status, Version,
};

/// Imports the `pdftotext -layout` text of an ETSI deliverable.
pub fn import(file: &SourceFile, overrides: &HeaderOverrides) -> Result<Imported, Diagnostics> {
    overrides.validate()?;
    let lines = split_lines(&file.text);
    let cover = read_cover(&lines);
    let mut parser = Parser::new(file, cover.as_ref().map(|c| c.designation.clone()));
    let skip = toc_range(&lines);
    for (index, line) in lines.iter().enumerate() {
        if skip.contains(&index) {
            continue;
        }
        if !parser.line(line) {
            break;
        }
    }
    parser.finish_paragraph();
    let header = header(file, cover.as_ref(), overrides, &mut parser.warnings);
    let requirements = parser.requirements();
    let mut errors = parser.errors;
    let header = match header {
        Ok(header) => Some(header),
        Err(problems) => {
            errors.extend(problems);
            None
        }
    };
    let Some(header) = errors.into_result(header)? else {
        return Err(Diagnostic::error(Code::NoCover, "the cover could not be read").into());
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
            "{}, converted with pdftotext -layout ({}), imported by reqgap",
            header.designation,
            cited_name(&file.path)
        ),
        sections: parser.sections,
        requirements,
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
}

fn split_lines(text: &str) -> Vec<Line<'_>> {
    text.split('\n')
        .enumerate()
        .map(|(i, raw)| {
            let raw = raw.trim_end_matches('\r');
            let text = raw.trim_start_matches('\u{c}');
            Line {
                number: i + 1,
                text,
                page_start: text.len() != raw.len(),
            }
        })
        .collect()
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

/// The designation is the first line of the first page that reads
/// `ETSI <EN|TS|...> <number> V<x.y.z> (<yyyy-mm>)`; the title is the paragraph after it.
fn read_cover(lines: &[Line<'_>]) -> Option<Cover> {
    let first_page_end = lines
        .iter()
        .skip(1)
        .position(|l| l.page_start)
        .map_or(lines.len(), |p| p + 1);
    let first_page = lines.get(..first_page_end)?;
    let (at, mut cover) = first_page.iter().enumerate().find_map(|(i, l)| {
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
    let title_lines: Vec<&str> = first_page
        .get(at + 1..)?
        .iter()
        .map(|l| l.text.trim())
        .skip_while(|t| t.is_empty())
        .take_while(|t| !t.is_empty())
        .collect();
    if !title_lines.is_empty() {
        cover.title = Some(squash_spaces(&title_lines.join(" ")));
    }
    Some(cover)
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

/// The table of contents: from the `Contents` line to the end of the page holding the last
/// dotted-leader entry (`7.9.3  Reporting ........ 30`), so wrapped entries go too.
fn toc_range(lines: &[Line<'_>]) -> std::ops::Range<usize> {
    let Some(start) = lines.iter().position(|l| l.text.trim() == "Contents") else {
        return 0..0;
    };
    let Some(last_entry) = lines.iter().rposition(|l| is_toc_entry(l.text)) else {
        return 0..0;
    };
    if last_entry < start {
        return 0..0;
    }
    let end = lines
        .iter()
        .skip(last_entry + 1)
        .position(|l| l.page_start)
        .map_or(lines.len(), |p| last_entry + 1 + p);
    start..end
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
    Diagnostic::error(
        Code::NoCover,
        "the cover could not be read (expected a line such as `ETSI EN 319 401 V3.2.1 (2026-01)` on the first page, then the title)",
    )
    .at(file.whole_file())
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
    let date = NaiveDate::from_ymd_opt(year, month, 1).ok_or_else(|| {
        Diagnostics::from(
            Diagnostic::error(
                Code::BadDate,
                format!("the cover date {year}-{month:02} is not a month"),
            )
            .at(file.location(cover.line, 1, 1)),
        )
    })?;
    warnings.push(
        Diagnostic::warning(
            Code::MonthOnlyDate,
            format!("the cover gives only {year}-{month:02}; published is set to {date}"),
        )
        .at(file.location(cover.line, 1, 1))
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

struct Parser<'a> {
    file: &'a SourceFile,
    designation: Option<String>,
    in_body: bool,
    last_heading: Option<Vec<u32>>,
    /// True on the line right after a heading, which may carry the rest of a long title.
    heading_open: bool,
    /// True from a page break or page furniture to the next text line.
    page_gap: bool,
    section: Option<SectionId>,
    sections: Vec<Section>,
    current: Option<Draft>,
    join: Join,
    drafts: Vec<Draft>,
    seen: BTreeMap<String, usize>,
    /// First and last line of prose outside any requirement, reported when it ends.
    stray: Option<(usize, usize)>,
    warnings: Vec<Diagnostic>,
    errors: Diagnostics,
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
            section: None,
            sections: Vec::new(),
            current: None,
            join: Join::Space,
            drafts: Vec::new(),
            seen: BTreeMap::new(),
            stray: None,
            warnings: Vec::new(),
            errors: Diagnostics::new(),
        }
    }

    /// Reads one line; false once the body has ended (annexes).
    fn line(&mut self, line: &Line<'_>) -> bool {
        let text = line.text;
        if line.page_start || self.is_furniture(text) || is_toc_entry(text) {
            // Page furniture sits between two halves of one paragraph: the blank lines
            // around it are layout, not paragraph breaks.
            self.join = Join::Space;
            self.page_gap = true;
            if self.is_furniture(text) || is_toc_entry(text) || text.trim().is_empty() {
                return true;
            }
        }
        if text.trim().is_empty() {
            self.heading_open = false;
            if !self.page_gap {
                self.blank();
            }
            return true;
        }
        self.page_gap = false;
        if self.in_body && is_body_end(text) {
            self.finish_paragraph();
            return false;
        }
        if let Some((number, title)) = self.heading(text) {
            self.finish_paragraph();
            self.in_body = true;
            self.open_section(number, title);
            self.heading_open = true;
            return true;
        }
        if std::mem::take(&mut self.heading_open) && self.continue_heading(text) {
            return true;
        }
        if !self.in_body {
            return true; // cover, front matter (foreword, modal verbs)
        }
        match parse_requirement_start(text) {
            Start::Requirement { id, markers, rest } => {
                self.open_requirement(line, id, markers, rest)
            }
            Start::Malformed(token) => {
                self.warn_line(line, Code::UnparsedId, format!("`{token}` looks like a requirement ID but is not one; the line is kept as text"));
                self.text_line(line);
            }
            Start::None => self.text_line(line),
        }
        true
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
        let bare_page_number = !trimmed.is_empty() && trimmed.bytes().all(|b| b.is_ascii_digit());
        header_or_footer || bare_page_number
    }

    fn blank(&mut self) {
        if self.current.as_ref().is_some_and(|d| !d.text.is_empty()) {
            self.join = Join::Paragraph;
        }
        self.flush_stray();
    }

    /// A numbered heading: at the left margin, `7.9.3` then a capitalised title, and
    /// numbered after the previous heading (a wrapped line starting with a number is not).
    fn heading(&self, text: &str) -> Option<(Vec<u32>, String)> {
        if text.starts_with(char::is_whitespace) {
            return None;
        }
        let (number, title) = text.split_once(char::is_whitespace)?;
        let title = title.trim();
        let number = number.strip_suffix('.').unwrap_or(number);
        let parts: Option<Vec<u32>> = number.split('.').map(|p| p.parse().ok()).collect();
        let parts = parts?;
        if !title.starts_with(|c: char| c.is_uppercase())
            || parts.first().is_some_and(|p| *p == 0 || *p > 99)
        {
            return None;
        }
        if self
            .last_heading
            .as_ref()
            .is_some_and(|last| parts <= *last)
        {
            return None;
        }
        Some((parts, squash_spaces(title)))
    }

    /// A long heading wraps onto an indented line that starts in lower case.
    fn continue_heading(&mut self, text: &str) -> bool {
        let rest = text.trim_start();
        let wrapped = rest.len() < text.len()
            && rest.starts_with(|c: char| c.is_lowercase())
            && matches!(parse_requirement_start(text), Start::None);
        if let (true, Some(section)) = (wrapped, self.sections.last_mut()) {
            section.title = format!("{} {}", section.title, squash_spaces(rest));
            return true;
        }
        false
    }

    fn open_section(&mut self, number: Vec<u32>, title: String) {
        let id = number
            .iter()
            .map(u32::to_string)
            .collect::<Vec<_>>()
            .join(".");
        let id = SectionId::new(id);
        self.sections.push(Section {
            id: id.clone(),
            title,
        });
        self.section = Some(id);
        self.last_heading = Some(number);
    }

    fn open_requirement(&mut self, line: &Line<'_>, id: &str, markers: Vec<&str>, rest: &str) {
        self.finish_paragraph();
        let Some(section) = self.section.clone() else {
            return;
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
        first.push(squash_spaces(rest));
        draft.text = squash_spaces(&first.join(" "));
        self.check_clause(line, &mut draft);
        self.current = Some(draft);
        self.join = Join::Space;
    }

    /// IDs name their clause; a mismatch is usually a misprint (`REQ-7.11-1-02` under
    /// 7.11.1). The ID is kept as printed and the catalog notes where it stands.
    fn check_clause(&mut self, line: &Line<'_>, draft: &mut Draft) {
        let clause = id_clause(&draft.id);
        if clause == Some(draft.section.as_str()) {
            return;
        }
        let section = draft.section.clone();
        self.warn_line(
            line,
            Code::IdClauseMismatch,
            format!(
                "{} stands under clause {section}; the ID is kept as printed",
                draft.id
            ),
        );
        draft.note = Some(format!(
            "ID as printed in the deliverable; it stands under clause {section}"
        ));
    }

    fn text_line(&mut self, line: &Line<'_>) {
        let Some(draft) = self.current.as_mut() else {
            self.stray = Some(
                self.stray
                    .map_or((line.number, line.number), |(s, _)| (s, line.number)),
            );
            return;
        };
        let content = squash_spaces(line.text);
        let separator = if draft.text.is_empty() {
            ""
        } else if is_note(&content) {
            "\n\n"
        } else if is_list_item(&content) {
            "\n"
        } else if self.join == Join::Paragraph {
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
        let column = self
            .file
            .line_text(first)
            .map_or(1, |t| t.len() - t.trim_start().len() + 1);
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
        let Some(draft) = self.current.take() else {
            return;
        };
        if let Some(first) = self.seen.get(&draft.id) {
            self.errors.push(
                Diagnostic::error(
                    Code::DuplicateId,
                    format!(
                        "requirement ID `{}` is defined twice (first at line {first})",
                        draft.id
                    ),
                )
                .at(self.file.location(draft.line, 1, draft.id.chars().count())),
            );
            return;
        }
        self.seen.insert(draft.id.clone(), draft.line);
        self.drafts.push(draft);
    }

    fn warn_line(&mut self, line: &Line<'_>, code: Code, message: String) {
        let column = line.text.len() - line.text.trim_start().len();
        let column = line.text.get(..column).map_or(1, |p| p.chars().count() + 1);
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
    Requirement {
        id: RequirementId::new(draft.id.clone()),
        section: draft.section.clone(),
        title: None,
        level,
        level_derived: level == Level::from_text(&text),
        markers: draft.markers.clone(),
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

/// Annexes cite IDs in mapping tables; the History table closes the document.
/// Annex headings are centred, so only their words count: `Annex B (normative):`.
fn is_body_end(text: &str) -> bool {
    let trimmed = text.trim();
    let annex = trimmed.strip_prefix("Annex ").is_some_and(|rest| {
        let mut words = rest.split_whitespace();
        let letter = words
            .next()
            .is_some_and(|w| w.len() <= 2 && w.bytes().all(|b| b.is_ascii_uppercase()));
        let kind = words
            .next()
            .is_some_and(|w| w.starts_with("(normative)") || w.starts_with("(informative)"));
        letter && kind
    });
    annex || trimmed == "History" && !text.starts_with(char::is_whitespace)
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

/// `ID [MARKER]...: text`, `ID` alone on its line (text on the next), or `ID` and the text
/// separated by a column gap of two or more spaces.
fn parse_requirement_start(text: &str) -> Start<'_> {
    let trimmed = text.trim_start();
    let token_len = trimmed
        .find(|c: char| !(c.is_ascii_alphanumeric() || c == '-' || c == '.'))
        .unwrap_or(trimmed.len());
    let token = trimmed
        .get(..token_len)
        .unwrap_or_default()
        .trim_end_matches('.');
    if !looks_like_id(token) {
        return Start::None;
    }
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

/// `a)`, `ii)`, `1)` or a bullet, followed by a space or nothing.
fn is_list_item(content: &str) -> bool {
    if content.starts_with("- ") || content.starts_with("• ") {
        return true;
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
