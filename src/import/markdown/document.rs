//! The structure of a numbered Markdown standard: its front matter (or the lines that
//! stand in for it) and its numbered sections, each with its own text.

use std::collections::BTreeMap;

use chrono::NaiveDate;

use super::dates::{leading_date, parse_free_date};
use super::render;
use crate::diag::{Code, Diagnostic, SourceFile};

/// Components a section number may have (`3.2.2.4.7` has five); deeper is no number.
const MAX_NUMBER_DEPTH: usize = 10;

/// Lines at the top of a document without front matter that may name its version and date.
const HEADER_LINES: usize = 40;

/// One numbered section: its heading and the text under it, up to the next heading.
#[derive(Debug)]
pub struct NumberedSection {
    /// `6.3.2`, `A.1.1`; without a trailing dot.
    pub number: String,
    pub title: String,
    /// 1-based line of the heading.
    pub line: usize,
    /// The lines under the heading, with their 1-based line numbers, as written.
    pub body: Vec<(usize, String)>,
    /// The body rendered as plain text.
    pub text: String,
}

/// What the importer reads from a document before building requirements.
#[derive(Debug, Default)]
pub struct Document {
    pub title: Option<String>,
    pub version: Option<String>,
    pub date: Option<NaiveDate>,
    pub effective: Option<NaiveDate>,
    pub sections: Vec<NumberedSection>,
    /// Unnumbered headings before the first numbered one (`Document History`), with their
    /// text: no requirements, but their tables may date the document.
    pub preamble: Vec<NumberedSection>,
    pub unnumbered_headings: usize,
    pub lines_before_sections: usize,
    pub warnings: Vec<Diagnostic>,
}

impl Document {
    pub fn read(file: &SourceFile) -> Document {
        let lines: Vec<&str> = file.text.lines().collect();
        let mut document = Document::default();
        let start = document.front_matter(&lines);
        let first_heading = document.scan_sections(file, &lines, start);
        document.header_lines(file, &lines, start, first_heading);
        for section in &mut document.sections {
            section.text = render::block_text(section.body.iter().map(|(_, l)| l.as_str()));
        }
        document
    }

    /// Reads `title`, `subtitle: Version x.y.z` and `date` from YAML front matter
    /// (`---` ... `---`); returns the index of the first line after it.
    fn front_matter(&mut self, lines: &[&str]) -> usize {
        if lines.first().map(|l| l.trim_end()) != Some("---") {
            return 0;
        }
        let Some(end) = lines
            .iter()
            .skip(1)
            .position(|l| matches!(l.trim_end(), "---" | "..."))
        else {
            return 0;
        };
        for line in &lines[1..=end] {
            // Top-level keys only: indented lines continue a block value (`copyright: |`).
            let Some((key, value)) = line.split_once(':') else {
                continue;
            };
            if key.starts_with(' ') {
                continue;
            }
            let value = value.trim().trim_matches(['"', '\'']);
            match key.trim() {
                "title" if !value.is_empty() => self.title = Some(render::inline(value)),
                "subtitle" => self.version = self.version.take().or_else(|| version_in(value)),
                "version" => {
                    self.version = self
                        .version
                        .take()
                        .or_else(|| version_in(&format!("Version {value}")))
                }
                "date" => self.date = parse_free_date(value),
                _ => {}
            }
        }
        end + 2
    }

    /// Reads the headings from `start` on; returns the index of the first numbered
    /// heading (or the end).
    fn scan_sections(&mut self, file: &SourceFile, lines: &[&str], start: usize) -> usize {
        let mut in_fence = false;
        let mut first_numbered = lines.len();
        let mut seen: BTreeMap<String, usize> = BTreeMap::new();
        // Index into `sections` of the section that receives text; `None` before the first.
        let mut current: Option<usize> = None;
        for (index, line) in lines.iter().enumerate().skip(start) {
            let number = index + 1;
            if line.trim_start().starts_with("```") || line.trim_start().starts_with("~~~") {
                in_fence = !in_fence;
            }
            let heading = (!in_fence).then(|| atx_heading(line)).flatten();
            match (heading, current) {
                (Some(text), _) => match section_number(&text) {
                    Some((id, title)) => {
                        first_numbered = first_numbered.min(index);
                        if let Some(&earlier) = seen.get(&id) {
                            self.warnings.push(
                                Diagnostic::warning(
                                    Code::RepeatedSectionNumber,
                                    format!("section {id} is numbered again (first at line {}); its text is added to the first", self.sections[earlier].line),
                                )
                                .at(file.location(number, 1, line.len())),
                            );
                            current = Some(earlier);
                            continue;
                        }
                        seen.insert(id.clone(), self.sections.len());
                        current = Some(self.sections.len());
                        self.sections.push(NumberedSection {
                            number: id,
                            title,
                            line: number,
                            body: Vec::new(),
                            text: String::new(),
                        });
                    }
                    None if current.is_none() && self.title.is_none() => {
                        self.title = Some(render::inline(&text));
                    }
                    None if current.is_none() => self.preamble.push(NumberedSection {
                        number: String::new(),
                        title: render::inline(&text),
                        line: number,
                        body: Vec::new(),
                        text: String::new(),
                    }),
                    None => {
                        if let Some(at) = current {
                            self.unnumbered_headings += 1;
                            let section = &mut self.sections[at];
                            section.body.push((number, String::new()));
                            section.body.push((number, render::inline(&text)));
                            section.body.push((number, String::new()));
                        }
                    }
                },
                (None, Some(at)) => self.sections[at].body.push((number, (*line).to_owned())),
                (None, None) => {
                    if let Some(preamble) = self.preamble.last_mut() {
                        preamble.body.push((number, (*line).to_owned()));
                    }
                }
            }
        }
        first_numbered
    }

    /// Without front matter, the lines above the first numbered heading may name the
    /// version (`*Version 3.1*`) and the date (`*Effective July 1, 2026*`); any other
    /// text there is counted and reported as not imported.
    fn header_lines(
        &mut self,
        file: &SourceFile,
        lines: &[&str],
        start: usize,
        first_heading: usize,
    ) {
        let mut skipped: Vec<usize> = Vec::new();
        for (index, line) in lines.iter().enumerate().take(first_heading).skip(start) {
            let text = render::inline(line);
            if text.is_empty() || atx_heading(line).is_some() {
                continue;
            }
            if index < HEADER_LINES {
                let version = version_in(&text).filter(|_| self.version.is_none());
                let effective = effective_in(&text).filter(|_| self.effective.is_none());
                let used = version.is_some() || effective.is_some();
                self.version = self.version.take().or(version);
                self.effective = self.effective.take().or(effective);
                if used {
                    continue;
                }
            }
            skipped.push(index + 1);
        }
        self.lines_before_sections = skipped.len();
        if let Some(&first) = skipped.first() {
            self.warnings.push(
                Diagnostic::warning(
                    Code::TextBeforeSections,
                    format!(
                        "{} lines of text before the first numbered heading belong to no section and are not imported",
                        skipped.len()
                    ),
                )
                .at(file.location(first, 1, 1)),
            );
        }
    }
}

/// The text of an ATX heading (`### 1.2 Title {#anchor}`), without its marks.
fn atx_heading(line: &str) -> Option<String> {
    let hashes = line.bytes().take_while(|b| *b == b'#').count();
    if !(1..=6).contains(&hashes) {
        return None;
    }
    let rest = &line[hashes..];
    if !(rest.is_empty() || rest.starts_with(' ') || rest.starts_with('\t')) {
        return None;
    }
    let text = rest.trim().trim_end_matches('#').trim();
    Some(text.to_owned())
}

/// The number and title of a numbered heading: `6.3.2 Certificate operational periods`,
/// `1. INTRODUCTION`, `A.1.1. CAA contactemail Property`, `Appendix A – CAA Contact Tag`.
fn section_number(heading: &str) -> Option<(String, String)> {
    let text = render::inline(heading);
    let (appendix, rest) = match text.strip_prefix("Appendix ") {
        Some(rest) => (true, rest),
        None => (false, text.as_str()),
    };
    let token_end = rest.find(char::is_whitespace).unwrap_or(rest.len());
    let token = rest[..token_end].trim_end_matches(['.', ':']);
    let parts: Vec<&str> = token.split('.').collect();
    let valid = !token.is_empty()
        && parts.len() <= MAX_NUMBER_DEPTH
        && parts.iter().enumerate().all(|(i, p)| {
            (!p.is_empty() && p.len() <= 4 && p.bytes().all(|b| b.is_ascii_digit()))
                || (i == 0
                    && p.len() == 1
                    && p.bytes().all(|b| b.is_ascii_uppercase())
                    && (appendix || parts.len() > 1))
        });
    if !valid {
        return None;
    }
    let title = rest[token_end..]
        .trim()
        .trim_start_matches(['–', '—', '-', ':'])
        .trim()
        .to_owned();
    Some((token.to_owned(), title))
}

/// `Version 2.2.6` (also `Version: 3.1`, in emphasis) → `2.2.6`.
fn version_in(text: &str) -> Option<String> {
    let rendered = render::inline(text);
    let rest = rendered.trim().strip_prefix("Version")?;
    let value = rest
        .trim_start_matches([':', ' '])
        .trim()
        .trim_end_matches('.');
    let value = value
        .split_whitespace()
        .next()?
        .trim_end_matches([',', ';']);
    (value.starts_with(|c: char| c.is_ascii_digit()) && crate::model::Version::is_valid(value))
        .then(|| value.to_owned())
}

/// `Effective July 1, 2026` (alone, or after the version: `Version 2.1, Effective: March
/// 20, 2026`) → the date.
fn effective_in(text: &str) -> Option<NaiveDate> {
    let text = render::inline(text);
    let at = text.find("Effective")?;
    let rest = &text[at + "Effective".len()..];
    let rest = rest.trim_start().strip_prefix("Date").unwrap_or(rest);
    let (date, _) = leading_date(rest.trim_start_matches([':', ' ']))?;
    Some(date)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn headings_with_numbers_are_sections() {
        let number = |h: &str| section_number(h).map(|(n, t)| format!("{n}|{t}"));
        assert_eq!(
            number("6.3.2 Certificate periods").as_deref(),
            Some("6.3.2|Certificate periods")
        );
        assert_eq!(number("1. INTRODUCTION").as_deref(), Some("1|INTRODUCTION"));
        assert_eq!(
            number("A.1.1. CAA Property").as_deref(),
            Some("A.1.1|CAA Property")
        );
        assert_eq!(
            number("Appendix A – CAA Contact Tag").as_deref(),
            Some("A|CAA Contact Tag")
        );
        assert_eq!(number("Overview"), None);
        assert_eq!(number("A Overview"), None);
        assert_eq!(number("2026 Changes"), Some("2026|Changes".to_owned()));
    }

    #[test]
    fn versions_and_effective_lines_are_read() {
        assert_eq!(version_in("*Version 3.1*").as_deref(), Some("3.1"));
        assert_eq!(version_in("Version 2.2.6").as_deref(), Some("2.2.6"));
        assert_eq!(version_in("Versioning is hard"), None);
        assert_eq!(
            effective_in("*[Effective July 1, 2026][Policy-Archive]*"),
            NaiveDate::from_ymd_opt(2026, 7, 1)
        );
    }
}
