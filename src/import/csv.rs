//! Spreadsheet exports (CSV) → reqgap catalogs.
//!
//! One row per requirement with the columns `id`, `section`, `text` and optionally
//! `title`, `level` and `section-title`; the header names are configurable because every
//! GRC tool names them differently. Comma or semicolon separated (detected from the header
//! row; Excel in many European locales writes semicolons), quoted multi-line cells allowed.
//! The reader is the `csv` crate; the byte-order mark is dropped when the file is read.

use std::collections::BTreeMap;

use super::{origin, HeaderOverrides, Imported};
use crate::diag::{Code, Diagnostic, Diagnostics, Location, SourceFile};
use crate::model::{
    Catalog, Confidence, Level, Provenance, Requirement, RequirementId, Section, SectionId,
    StandardSlug, Status, Version,
};

/// The fields a row can fill, in the order `--map` documents them.
const FIELDS: [&str; 6] = ["id", "section", "section-title", "title", "text", "level"];
const REQUIRED: [&str; 3] = ["id", "section", "text"];

/// Which column header holds each field; by default the field's own name.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ColumnMap(BTreeMap<&'static str, String>);

impl ColumnMap {
    /// Reads `--map` values: `field=Header` pairs separated by commas.
    pub fn parse(specs: &[String]) -> Result<ColumnMap, String> {
        let mut map = BTreeMap::new();
        for pair in specs.iter().flat_map(|s| s.split(',')) {
            let Some((field, header)) = pair.split_once('=') else {
                return Err(format!("--map expects FIELD=HEADER, got `{pair}`"));
            };
            let field = field.trim();
            let Some(known) = FIELDS.iter().find(|f| **f == field) else {
                return Err(format!(
                    "--map: unknown field `{field}`; the fields are {}",
                    FIELDS.join(", ")
                ));
            };
            map.insert(*known, header.trim().to_owned());
        }
        Ok(ColumnMap(map))
    }

    fn header_for(&self, field: &str) -> String {
        self.0
            .get(field)
            .cloned()
            .unwrap_or_else(|| field.to_owned())
    }
}

/// How a CSV file becomes a catalog. CSV files carry no catalog header, so `standard`,
/// `version` and `published` must be set.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct CsvOptions {
    pub columns: ColumnMap,
    pub header: HeaderOverrides,
}

/// Imports a CSV export. Every bad row is reported (with its line) before failing.
pub fn import(file: &SourceFile, options: &CsvOptions) -> Result<Imported, Diagnostics> {
    options.header.validate()?;
    let (standard, version, published) = required_header(&options.header)?;
    let delimiter = detect_delimiter(&file.text);
    let mut reader = ::csv::ReaderBuilder::new()
        .delimiter(delimiter)
        .flexible(true)
        .has_headers(false)
        .from_reader(file.text.as_bytes());
    let mut records = reader.records();
    let header_row = match records.next() {
        Some(Ok(row)) => row,
        Some(Err(e)) => return Err(csv_error(file, &e).into()),
        None => {
            return Err(Diagnostic::error(Code::EmptyFile, "the file is empty")
                .at(file.whole_file())
                .into())
        }
    };
    let columns = locate_columns(file, &header_row, &options.columns)?;
    let mut rows = Rows::new(file, columns, header_row.len());
    for record in records {
        match record {
            Ok(record) => rows.add(&record),
            Err(e) => rows.problems.push(csv_error(file, &e)),
        }
    }
    let title = options
        .header
        .title
        .clone()
        .unwrap_or_else(|| standard.clone());
    let Rows {
        sections,
        requirements,
        problems,
        ..
    } = rows;
    let catalog = Catalog {
        standard: StandardSlug::new(standard),
        title,
        version: Version::new(version),
        published,
        effective: None,
        supersedes: None,
        provenance: Provenance::Verified,
        source: format!(
            "CSV export {}, imported by reqgap",
            super::cited_name(&file.path)
        ),
        sections,
        requirements,
        origin: origin(file),
    };
    problems.into_result(Imported {
        catalog,
        warnings: Vec::new(),
    })
}

fn required_header(
    header: &HeaderOverrides,
) -> Result<(String, String, chrono::NaiveDate), Diagnostics> {
    match (&header.standard, &header.version, header.published) {
        (Some(standard), Some(version), Some(published)) => {
            Ok((standard.clone(), version.clone(), published))
        }
        _ => Err(Diagnostic::error(
            Code::MissingHeader,
            "a CSV file has no catalog header: standard, version and published date must be given",
        )
        .into()),
    }
}

/// The separator of the header row: the more frequent of `;` and `,` outside quotes
/// (comma on a tie).
pub(crate) fn detect_delimiter(text: &str) -> u8 {
    let mut in_quotes = false;
    let (mut commas, mut semicolons) = (0usize, 0usize);
    for c in text.chars() {
        match c {
            '"' => in_quotes = !in_quotes,
            ',' if !in_quotes => commas += 1,
            ';' if !in_quotes => semicolons += 1,
            '\n' if !in_quotes => break,
            _ => {}
        }
    }
    if semicolons > commas {
        b';'
    } else {
        b','
    }
}

/// Column index of each field found in the header row.
type Columns = BTreeMap<&'static str, usize>;

fn locate_columns(
    file: &SourceFile,
    header: &::csv::StringRecord,
    map: &ColumnMap,
) -> Result<Columns, Diagnostics> {
    let found: Vec<String> = header.iter().map(|h| h.trim().to_lowercase()).collect();
    let mut columns = Columns::new();
    let mut problems = Diagnostics::new();
    for field in FIELDS {
        let wanted = map.header_for(field);
        match found.iter().position(|h| *h == wanted.to_lowercase()) {
            Some(index) => {
                columns.insert(field, index);
            }
            None if REQUIRED.contains(&field) => problems.push(
                Diagnostic::error(
                    Code::MissingColumn,
                    format!("no column `{wanted}` for the requirement {field}"),
                )
                .at(file.location(1, 1, 1))
                .note(format!(
                    "help: the header row has: {}; name the column with --map {field}=<header>",
                    header.iter().collect::<Vec<_>>().join(", ")
                )),
            ),
            None => {}
        }
    }
    problems.into_result(columns)
}

pub(crate) fn csv_error(file: &SourceFile, error: &::csv::Error) -> Diagnostic {
    let location = error
        .position()
        .map(|p| row_location(file, p))
        .unwrap_or_else(|| file.whole_file());
    Diagnostic::error(Code::BadCsv, error.to_string()).at(location)
}

/// Where a row starts. The csv reader ends a record at the `\r` of a CRLF line end, so
/// the next record's position is the `\n` still on the line before: line ends are
/// skipped to reach the row itself (Excel writes CRLF by default).
fn row_location(file: &SourceFile, position: &::csv::Position) -> Location {
    let byte = usize::try_from(position.byte()).unwrap_or(usize::MAX);
    let line_ends = file.text.as_bytes().get(byte..).map_or(0, |rest| {
        rest.iter()
            .take_while(|b| matches!(b, b'\r' | b'\n'))
            .count()
    });
    file.location_at_byte(byte + line_ends, 1)
}

/// Rows read so far.
struct Rows<'a> {
    file: &'a SourceFile,
    columns: Columns,
    /// Cells in the header row; a row with another count has lost or gained a separator.
    width: usize,
    sections: Vec<Section>,
    requirements: Vec<Requirement>,
    first_line: BTreeMap<String, usize>,
    problems: Diagnostics,
}

impl<'a> Rows<'a> {
    fn new(file: &'a SourceFile, columns: Columns, width: usize) -> Self {
        Rows {
            file,
            columns,
            width,
            sections: Vec::new(),
            requirements: Vec::new(),
            first_line: BTreeMap::new(),
            problems: Diagnostics::new(),
        }
    }

    fn cell<'r>(&self, record: &'r ::csv::StringRecord, field: &str) -> Option<&'r str> {
        let index = *self.columns.get(field)?;
        record.get(index).map(str::trim).filter(|c| !c.is_empty())
    }

    fn error(&mut self, location: &Location, code: Code, message: String) {
        self.problems
            .push(Diagnostic::error(code, message).at(location.clone()));
    }

    fn add(&mut self, record: &::csv::StringRecord) {
        if record.iter().all(|c| c.trim().is_empty()) {
            return; // spreadsheets often end with empty rows
        }
        let location = record
            .position()
            .map(|p| row_location(self.file, p))
            .unwrap_or_else(|| self.file.whole_file());
        let line = location.line.unwrap_or(0);
        if record.len() != self.width {
            let diagnostic = Diagnostic::error(
                Code::WrongCellCount,
                format!(
                    "row has {} cells, the header row {}",
                    record.len(),
                    self.width
                ),
            )
            .at(location)
            .note("help: a cell that contains the separator must be quoted");
            return self.problems.push(diagnostic);
        }
        let (Some(id), Some(section), Some(text)) = (
            self.cell(record, "id"),
            self.cell(record, "section"),
            self.cell(record, "text"),
        ) else {
            let missing: Vec<&str> = REQUIRED
                .into_iter()
                .filter(|f| self.cell(record, f).is_none())
                .collect();
            return self.error(
                &location,
                Code::IncompleteRow,
                format!("row has no {}", missing.join(", ")),
            );
        };
        if let Some(first) = self.first_line.insert(id.to_owned(), line) {
            self.first_line.insert(id.to_owned(), first);
            return self.error(
                &location,
                Code::DuplicateId,
                format!("requirement ID `{id}` is defined twice (first at line {first})"),
            );
        }
        let level = match self.cell(record, "level").map(parse_level) {
            None => None,
            Some(Some(level)) => Some(level),
            Some(None) => {
                let raw = self.cell(record, "level").unwrap_or_default();
                return self.error(
                    &location,
                    Code::BadLevel,
                    format!("level `{raw}` is not one of shall, should, may, informative"),
                );
            }
        };
        let section_title = self.cell(record, "section-title").unwrap_or_default();
        self.declare_section(section, section_title);
        let requirement = requirement(id, section, self.cell(record, "title"), text, level);
        self.requirements.push(requirement);
    }

    fn declare_section(&mut self, id: &str, title: &str) {
        match self.sections.iter_mut().find(|s| s.id.as_str() == id) {
            Some(existing) if existing.title.is_empty() => existing.title = title.to_owned(),
            Some(_) => {}
            None => self.sections.push(Section {
                id: SectionId::new(id),
                title: title.to_owned(),
            }),
        }
    }
}

fn parse_level(raw: &str) -> Option<Level> {
    match raw.to_lowercase().as_str() {
        "shall" | "must" => Some(Level::Shall),
        "should" => Some(Level::Should),
        "may" => Some(Level::May),
        "informative" => Some(Level::Informative),
        _ => None,
    }
}

fn requirement(
    id: &str,
    section: &str,
    title: Option<&str>,
    text: &str,
    level: Option<Level>,
) -> Requirement {
    // Cells keep their line breaks (a list inside a requirement), but not Windows line ends.
    let text = text.replace("\r\n", "\n");
    let derived = Level::from_text(&text);
    Requirement {
        id: RequirementId::new(id),
        section: SectionId::new(section),
        title: title.map(str::to_owned),
        level: level.unwrap_or(derived),
        level_derived: level.is_none_or(|l| l == derived),
        markers: Default::default(),
        confidence: Confidence::Confirmed,
        status: Status::Active,
        text,
        note: None,
        links: Vec::new(),
    }
}
