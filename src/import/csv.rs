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
const FIELDS: [&str; 7] = [
    "id",
    "section",
    "section-title",
    "title",
    "text",
    "level",
    "status",
];
const REQUIRED: [&str; 3] = ["id", "section", "text"];

/// Which column header holds each field; by default the field's own name.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ColumnMap(BTreeMap<&'static str, String>);

impl ColumnMap {
    /// Reads `--map` values for `import csv`: `field=Header` pairs separated by commas.
    pub fn parse(specs: &[String]) -> Result<ColumnMap, String> {
        ColumnMap::parse_fields(specs, &FIELDS)
    }

    /// Reads `--map` values naming the `fields` of one kind of row.
    pub(crate) fn parse_fields(
        specs: &[String],
        fields: &[&'static str],
    ) -> Result<ColumnMap, String> {
        let mut map = BTreeMap::new();
        for pair in specs.iter().flat_map(|s| s.split(',')) {
            let Some((field, header)) = pair.split_once('=') else {
                return Err(format!("--map expects FIELD=HEADER, got `{pair}`"));
            };
            let field = field.trim();
            let Some(known) = fields.iter().find(|f| **f == field) else {
                return Err(format!(
                    "--map: unknown field `{field}`; the fields are {}",
                    fields.join(", ")
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
    /// Rows whose text matches this pattern are withdrawn (publishers mark deleted rows in
    /// the text: ASVS 4.0.3 `[DELETED, MERGED TO 1.2.3]`). `*` stands for any run of
    /// characters; case is ignored; the whole trimmed text must match.
    pub withdrawn_pattern: Option<String>,
}

/// Imports a CSV export. Every bad row is reported (with its line) before failing.
pub fn import(file: &SourceFile, options: &CsvOptions) -> Result<Imported, Diagnostics> {
    options.header.validate()?;
    let (standard, version, published) = required_header(&options.header)?;
    let mut sheet = Sheet::open(file, &REQUIREMENT_ROWS, &options.columns)?;
    let mut rows = Rows {
        withdrawn_pattern: options.withdrawn_pattern.as_deref().map(str::to_lowercase),
        ..Rows::default()
    };
    for row in sheet.rows() {
        match row {
            Ok(row) => rows.add(&row),
            Err(problem) => rows.problems.push(problem),
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
        schedule: Default::default(),
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

/// The fields of one kind of row: what `--map` may name, and what a row must fill.
pub(crate) struct RowKind {
    /// What a row describes, for messages ("no column `id` for the requirement id").
    pub noun: &'static str,
    pub fields: &'static [&'static str],
    pub required: &'static [&'static str],
}

const REQUIREMENT_ROWS: RowKind = RowKind {
    noun: "requirement",
    fields: &FIELDS,
    required: &REQUIRED,
};

/// A CSV file read the way every CSV importer reads it (`import csv`, `import
/// controls`): the delimiter detected from the header row, columns found by header name
/// (case-insensitive), quoted multi-line cells, and each row located by its line.
pub(crate) struct Sheet<'a> {
    file: &'a SourceFile,
    kind: &'a RowKind,
    columns: Columns,
    /// Cells in the header row; a row with another count has lost or gained a separator.
    width: usize,
    records: ::csv::StringRecordsIntoIter<&'a [u8]>,
}

/// A row of a [`Sheet`] that holds every required value.
pub(crate) struct Row<'s> {
    record: ::csv::StringRecord,
    columns: &'s Columns,
    pub location: Location,
}

impl Row<'_> {
    /// The trimmed cell of `field`, if the sheet has that column and the cell is not empty.
    pub fn cell(&self, field: &str) -> Option<&str> {
        cell(&self.record, self.columns, field)
    }
}

fn cell<'r>(record: &'r ::csv::StringRecord, columns: &Columns, field: &str) -> Option<&'r str> {
    let index = *columns.get(field)?;
    record.get(index).map(str::trim).filter(|c| !c.is_empty())
}

impl<'a> Sheet<'a> {
    /// Reads the header row and finds the columns of `kind` in it (named as `map` says).
    pub(crate) fn open(
        file: &'a SourceFile,
        kind: &'a RowKind,
        map: &ColumnMap,
    ) -> Result<Sheet<'a>, Diagnostics> {
        let mut records = ::csv::ReaderBuilder::new()
            .delimiter(detect_delimiter(&file.text))
            .flexible(true)
            .has_headers(false)
            .from_reader(file.text.as_bytes())
            .into_records();
        let header = match records.next() {
            Some(Ok(row)) => row,
            Some(Err(e)) => return Err(csv_error(file, &e).into()),
            None => {
                return Err(Diagnostic::error(Code::EmptyFile, "the file is empty")
                    .at(file.whole_file())
                    .into())
            }
        };
        let columns = locate_columns(file, &header, kind, map)?;
        Ok(Sheet {
            file,
            kind,
            columns,
            width: header.len(),
            records,
        })
    }

    /// The rows after the header that hold anything (spreadsheets often end with empty
    /// rows), each either complete or the located error that says what it lacks.
    pub(crate) fn rows(
        &mut self,
    ) -> impl Iterator<Item = Result<Row<'_>, Diagnostic>> + use<'_, 'a> {
        let (file, kind, columns, width) = (self.file, self.kind, &self.columns, self.width);
        self.records.by_ref().filter_map(move |record| {
            let record = match record {
                Ok(record) => record,
                Err(e) => return Some(Err(csv_error(file, &e))),
            };
            if record.iter().all(|c| c.trim().is_empty()) {
                return None;
            }
            let location = record
                .position()
                .map(|p| row_location(file, p))
                .unwrap_or_else(|| file.whole_file());
            Some(check_row(record, columns, width, kind, location))
        })
    }
}

fn check_row<'s>(
    record: ::csv::StringRecord,
    columns: &'s Columns,
    width: usize,
    kind: &RowKind,
    location: Location,
) -> Result<Row<'s>, Diagnostic> {
    if record.len() != width {
        let message = format!("row has {} cells, the header row {width}", record.len());
        return Err(Diagnostic::error(Code::WrongCellCount, message)
            .at(location)
            .note("help: a cell that contains the separator must be quoted"));
    }
    let missing: Vec<&str> = kind
        .required
        .iter()
        .copied()
        .filter(|f| cell(&record, columns, f).is_none())
        .collect();
    if !missing.is_empty() {
        let message = format!("row has no {}", missing.join(", "));
        return Err(Diagnostic::error(Code::IncompleteRow, message).at(location));
    }
    Ok(Row {
        record,
        columns,
        location,
    })
}

fn locate_columns(
    file: &SourceFile,
    header: &::csv::StringRecord,
    kind: &RowKind,
    map: &ColumnMap,
) -> Result<Columns, Diagnostics> {
    let found: Vec<String> = header.iter().map(|h| h.trim().to_lowercase()).collect();
    let mut columns = Columns::new();
    let mut problems = Diagnostics::new();
    for &field in kind.fields {
        let wanted = map.header_for(field);
        match found.iter().position(|h| *h == wanted.to_lowercase()) {
            Some(index) => {
                columns.insert(field, index);
            }
            None if kind.required.contains(&field) => problems.push(
                Diagnostic::error(
                    Code::MissingColumn,
                    format!("no column `{wanted}` for the {} {field}", kind.noun),
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

fn csv_error(file: &SourceFile, error: &::csv::Error) -> Diagnostic {
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
#[derive(Default)]
struct Rows {
    sections: Vec<Section>,
    /// Section ID → its index in `sections` (a sheet may hold many sections).
    section_index: BTreeMap<String, usize>,
    requirements: Vec<Requirement>,
    first_line: BTreeMap<String, usize>,
    problems: Diagnostics,
    /// The `--withdrawn-pattern`, in lower case.
    withdrawn_pattern: Option<String>,
}

impl Rows {
    fn error(&mut self, location: &Location, code: Code, message: String) {
        self.problems
            .push(Diagnostic::error(code, message).at(location.clone()));
    }

    fn add(&mut self, row: &Row<'_>) {
        let location = &row.location;
        let line = location.line.unwrap_or(0);
        let (Some(id), Some(section), Some(text)) =
            (row.cell("id"), row.cell("section"), row.cell("text"))
        else {
            return; // the sheet reported the row as incomplete
        };
        // The catalog loader's rule for IDs, applied to the input: an imported catalog
        // must read back.
        for (kind, value) in [("requirement", id), ("section", section)] {
            if let Some((code, message)) = crate::source::id_problem(kind, value) {
                return self.error(location, code, message);
            }
        }
        if let Some(first) = self.first_line.insert(id.to_owned(), line) {
            self.first_line.insert(id.to_owned(), first);
            return self.error(
                location,
                Code::DuplicateId,
                format!("requirement ID `{id}` is defined twice (first at line {first})"),
            );
        }
        let level = match row.cell("level").map(|raw| (raw, parse_level(raw))) {
            None => None,
            Some((_, Some(level))) => Some(level),
            Some((raw, None)) => {
                return self.error(
                    location,
                    Code::BadLevel,
                    format!("level `{raw}` is not one of shall, should, may, informative"),
                );
            }
        };
        let status = match row.cell("status").map(|raw| (raw, parse_status(raw))) {
            None => Status::Active,
            Some((_, Some(status))) => status,
            Some((raw, None)) => {
                return self.error(
                    location,
                    Code::IncompleteRow,
                    format!("status `{raw}` is not one of active, withdrawn, deleted"),
                );
            }
        };
        let marked = self
            .withdrawn_pattern
            .as_deref()
            .is_some_and(|p| glob_matches(p, &text.trim().to_lowercase()));
        let section_title = row.cell("section-title").unwrap_or_default();
        self.declare_section(section, section_title);
        let mut requirement = requirement(id, section, row.cell("title"), text, level);
        if marked {
            requirement.status = Status::Withdrawn;
        } else {
            requirement.status = status;
        }
        self.requirements.push(requirement);
    }

    fn declare_section(&mut self, id: &str, title: &str) {
        match self.section_index.get(id) {
            Some(&at) if self.sections[at].title.is_empty() => {
                self.sections[at].title = title.to_owned();
            }
            Some(_) => {}
            None => {
                self.section_index
                    .insert(id.to_owned(), self.sections.len());
                self.sections.push(Section {
                    id: SectionId::new(id),
                    title: title.to_owned(),
                });
            }
        }
    }
}

fn parse_status(raw: &str) -> Option<Status> {
    match raw.to_lowercase().as_str() {
        "active" => Some(Status::Active),
        "withdrawn" | "deleted" | "removed" => Some(Status::Withdrawn),
        _ => None,
    }
}

/// Whether `text` matches `pattern`, where `*` matches any run of characters. Linear in
/// practice: on a mismatch only the last star is re-tried, one character further.
fn glob_matches(pattern: &str, text: &str) -> bool {
    let (pattern, text): (Vec<char>, Vec<char>) =
        (pattern.chars().collect(), text.chars().collect());
    let (mut p, mut t) = (0, 0);
    let mut star: Option<(usize, usize)> = None;
    while t < text.len() {
        if p < pattern.len() && pattern[p] == '*' {
            star = Some((p, t));
            p += 1;
        } else if p < pattern.len() && pattern[p] == text[t] {
            p += 1;
            t += 1;
        } else if let Some((star_p, star_t)) = star {
            p = star_p + 1;
            t = star_t + 1;
            star = Some((star_p, star_t + 1));
        } else {
            return false;
        }
    }
    pattern[p..].iter().all(|c| *c == '*')
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

#[cfg(test)]
mod tests {
    use super::glob_matches;

    #[test]
    fn withdrawn_patterns_match_whole_texts_with_stars() {
        assert!(glob_matches("[deleted*", "[deleted, merged to 1.2.3]"));
        assert!(glob_matches("*deleted*", "this row was [deleted]"));
        assert!(!glob_matches("[deleted*", "verify that [deleted] rows"));
        assert!(glob_matches("a*b*c", "axxbyyc"));
        assert!(!glob_matches("a*b*c", "axxbyy"));
        assert!(glob_matches("", ""));
    }
}
