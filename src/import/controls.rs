//! Control registers exported from a spreadsheet (CSV) → control files.
//!
//! One row per control with the columns `id`, `title`, `owner` and `satisfies` (requirement
//! IDs of the target version separated by commas, semicolons, spaces or line breaks), and
//! optionally `status`. The CSV rules are those of `import csv` (same reader: delimiter
//! detection, byte-order mark, CRLF, quoted multi-line cells, rows located by line).
//! Controls are grouped into one file per ID prefix (`ACC-01` → `acc.yaml`).

use std::collections::BTreeMap;

use super::csv::{csv_error, detect_delimiter};
use crate::diag::{Code, Diagnostic, Diagnostics, Location, SourceFile};
use crate::model::{Catalog, ControlStatus};
use crate::source::plain::scalar;

/// The fields a row can fill.
const FIELDS: [&str; 5] = ["id", "title", "owner", "satisfies", "status"];
const REQUIRED: [&str; 2] = ["id", "title"];

/// Which column header holds each field; by default the field's own name.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ControlColumns(BTreeMap<&'static str, String>);

impl ControlColumns {
    /// Reads `--map` values: `field=Header` pairs separated by commas.
    pub fn parse(specs: &[String]) -> Result<ControlColumns, String> {
        let mut map = BTreeMap::new();
        for pair in specs.iter().flat_map(|s| s.split(',')) {
            let Some((field, header)) = pair.split_once('=') else {
                return Err(format!("--map expects FIELD=HEADER, got `{pair}`"));
            };
            let Some(known) = FIELDS.iter().find(|f| **f == field.trim()) else {
                return Err(format!(
                    "--map: unknown field `{}`; the fields are {}",
                    field.trim(),
                    FIELDS.join(", ")
                ));
            };
            map.insert(*known, header.trim().to_owned());
        }
        Ok(ControlColumns(map))
    }

    fn header_for(&self, field: &str) -> String {
        self.0
            .get(field)
            .cloned()
            .unwrap_or_else(|| field.to_owned())
    }
}

/// A control file to write: its name inside the output folder and its text.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ControlFileOut {
    pub name: String,
    pub text: String,
    pub controls: usize,
}

/// Reads a control register; every requirement ID must exist in `target`. Every bad row is
/// reported with its line before failing.
pub fn import(
    file: &SourceFile,
    columns: &ControlColumns,
    target: &Catalog,
) -> Result<Vec<ControlFileOut>, Diagnostics> {
    let mut reader = ::csv::ReaderBuilder::new()
        .delimiter(detect_delimiter(&file.text))
        .flexible(true)
        .has_headers(false)
        .from_reader(file.text.as_bytes());
    let mut records = reader.records();
    let header = match records.next() {
        Some(Ok(row)) => row,
        Some(Err(e)) => return Err(csv_error(file, &e).into()),
        None => {
            return Err(Diagnostic::error(Code::EmptyFile, "the file is empty")
                .at(file.whole_file())
                .into())
        }
    };
    let mut rows = Rows {
        file,
        target,
        columns: locate(file, &header, columns)?,
        width: header.len(),
        controls: Vec::new(),
        first_line: BTreeMap::new(),
        problems: Diagnostics::new(),
    };
    for record in records {
        match record {
            Ok(record) => rows.add(&record),
            Err(e) => rows.problems.push(csv_error(file, &e)),
        }
    }
    let origin = crate::import::cited_name(&file.path);
    let Rows {
        controls, problems, ..
    } = rows;
    problems.into_result(render(&controls, target, &origin))
}

fn locate(
    file: &SourceFile,
    header: &::csv::StringRecord,
    map: &ControlColumns,
) -> Result<BTreeMap<&'static str, usize>, Diagnostics> {
    let found: Vec<String> = header.iter().map(|h| h.trim().to_lowercase()).collect();
    let mut columns = BTreeMap::new();
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
                    format!("no column `{wanted}` for the control {field}"),
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

/// Where a row starts. The reader's position can stand on the line end of the row before
/// (a CRLF file's `\n`), so line ends are skipped to name the row's own line.
fn row_start(file: &SourceFile, record: &::csv::StringRecord) -> Location {
    let Some(position) = record.position() else {
        return file.whole_file();
    };
    let mut byte = usize::try_from(position.byte()).unwrap_or(usize::MAX);
    let bytes = file.text.as_bytes();
    while byte < bytes.len() && matches!(bytes[byte], b'\r' | b'\n') {
        byte += 1;
    }
    file.location_at_byte(byte.min(bytes.len()), 1)
}

/// One control read from a row.
struct Row {
    id: String,
    title: String,
    owner: Option<String>,
    status: ControlStatus,
    satisfies: Vec<String>,
}

struct Rows<'a> {
    file: &'a SourceFile,
    target: &'a Catalog,
    columns: BTreeMap<&'static str, usize>,
    width: usize,
    controls: Vec<Row>,
    first_line: BTreeMap<String, usize>,
    problems: Diagnostics,
}

impl Rows<'_> {
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
        let location = row_start(self.file, record);
        if record.len() != self.width {
            let message = format!(
                "row has {} cells, the header row {}",
                record.len(),
                self.width
            );
            return self.problems.push(
                Diagnostic::error(Code::WrongCellCount, message)
                    .at(location)
                    .note("help: a cell that contains the separator must be quoted"),
            );
        }
        let (Some(id), Some(title)) = (self.cell(record, "id"), self.cell(record, "title")) else {
            let missing: Vec<&str> = REQUIRED
                .into_iter()
                .filter(|f| self.cell(record, f).is_none())
                .collect();
            let message = format!("row has no {}", missing.join(", "));
            return self.error(&location, Code::IncompleteRow, message);
        };
        let line = location.line.unwrap_or(0);
        if let Some(first) = self.first_line.get(id).copied() {
            let message = format!("control `{id}` is defined twice (first at line {first})");
            return self.error(&location, Code::DuplicateId, message);
        }
        self.first_line.insert(id.to_owned(), line);
        let Some(status) = self.status(record, &location) else {
            return;
        };
        let Some(satisfies) = self.requirements(record, &location) else {
            return;
        };
        self.controls.push(Row {
            id: id.to_owned(),
            title: title.split_whitespace().collect::<Vec<_>>().join(" "),
            owner: self.cell(record, "owner").map(str::to_owned),
            status,
            satisfies,
        });
    }

    fn status(
        &mut self,
        record: &::csv::StringRecord,
        location: &Location,
    ) -> Option<ControlStatus> {
        match self
            .cell(record, "status")
            .map(str::to_lowercase)
            .as_deref()
        {
            None | Some("active") => Some(ControlStatus::Active),
            Some("planned") => Some(ControlStatus::Planned),
            Some("retired") => Some(ControlStatus::Retired),
            Some(other) => {
                let message = format!("status `{other}` is not one of active, planned, retired");
                self.error(location, Code::BadValue, message);
                None
            }
        }
    }

    /// The requirement IDs of the `satisfies` cell; IDs unknown to the target are errors.
    fn requirements(
        &mut self,
        record: &::csv::StringRecord,
        location: &Location,
    ) -> Option<Vec<String>> {
        let cell = self.cell(record, "satisfies").unwrap_or_default();
        let ids: Vec<String> = cell
            .split([',', ';', ' ', '\n', '\r', '\t'])
            .filter(|s| !s.is_empty())
            .map(str::to_owned)
            .collect();
        let unknown: Vec<&str> = ids
            .iter()
            .filter(|id| self.target.requirement(id).is_none())
            .map(String::as_str)
            .collect();
        if unknown.is_empty() {
            return Some(ids);
        }
        let message = format!("{} not in {}", unknown.join(", "), self.target.key());
        self.error(location, Code::UnknownRequirement, message);
        None
    }
}

/// The control files: one per ID prefix, controls in register order.
fn render(controls: &[Row], target: &Catalog, origin: &str) -> Vec<ControlFileOut> {
    let mut files: BTreeMap<String, Vec<&Row>> = BTreeMap::new();
    for row in controls {
        files.entry(file_name(&row.id)).or_default().push(row);
    }
    files
        .into_iter()
        .map(|(name, rows)| {
            let mut text = format!(
                "# Imported from {origin} by `reqgap import controls`; edit freely, reqgap keeps\n# comments when it migrates mappings.\ncontrols:\n"
            );
            for (i, row) in rows.iter().enumerate() {
                if i > 0 {
                    text.push('\n');
                }
                text.push_str(&render_control(row, target));
            }
            ControlFileOut {
                name,
                text,
                controls: rows.len(),
            }
        })
        .collect()
}

/// `ACC-01` → `acc.yaml`; an ID without a letter prefix → `controls.yaml`.
fn file_name(id: &str) -> String {
    let prefix: String = id
        .chars()
        .take_while(char::is_ascii_alphabetic)
        .collect::<String>()
        .to_lowercase();
    if prefix.is_empty() {
        "controls.yaml".to_owned()
    } else {
        format!("{prefix}.yaml")
    }
}

fn render_control(row: &Row, target: &Catalog) -> String {
    let mut out = format!(
        "  - id: {}\n    title: {}\n",
        scalar(&row.id),
        scalar(&row.title)
    );
    if let Some(owner) = &row.owner {
        out.push_str(&format!("    owner: {}\n", scalar(owner)));
    }
    if row.status != ControlStatus::Active {
        out.push_str(&format!("    status: {}\n", row.status.as_str()));
    }
    if !row.satisfies.is_empty() {
        let ids: Vec<String> = row.satisfies.iter().map(|id| scalar(id)).collect();
        out.push_str(&format!(
            "    satisfies:\n      - standard: {}\n        reviewed-against: {}\n        requirements: [{}]\n",
            target.standard,
            scalar(target.version.as_str()),
            ids.join(", ")
        ));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn catalog() -> Catalog {
        let set = crate::model::CatalogSet::bundled().unwrap();
        set.get(&"etsi-en-319-401@3.2.1".parse().unwrap())
            .unwrap()
            .clone()
    }

    #[test]
    fn rows_become_control_files_grouped_by_prefix() {
        let csv = "\u{feff}ID;Name;Owner;Maps to\r\nACC-01;\"Access\r\nreview\";ciso;\"REQ-7.4.1-01, REQ-7.4.1-02\"\r\nGOV-01;Board;;\r\n";
        let columns =
            ControlColumns::parse(&["id=ID,title=Name,satisfies=Maps to".into()]).unwrap();
        let files = import(
            &SourceFile::new("r.csv", csv.trim_start_matches('\u{feff}')),
            &columns,
            &catalog(),
        )
        .unwrap();
        let names: Vec<&str> = files.iter().map(|f| f.name.as_str()).collect();
        assert_eq!(names, ["acc.yaml", "gov.yaml"]);
        assert!(files[0]
            .text
            .contains("    title: Access review\n    owner: ciso\n"));
        assert!(files[0]
            .text
            .contains("requirements: [REQ-7.4.1-01, REQ-7.4.1-02]"));
        assert!(!files[1].text.contains("satisfies"));
    }

    #[test]
    fn every_bad_row_is_reported_at_its_line() {
        let csv = "id,title,satisfies,status\r\nA-1,\"two\r\nlines\",REQ-9-99,active\r\nA-1,dup,,\r\nA-2,,,\r\nA-3,x,,sleeping\r\n";
        let err = import(
            &SourceFile::new("r.csv", csv),
            &ControlColumns::default(),
            &catalog(),
        )
        .unwrap_err();
        let found: Vec<(Code, Option<usize>)> = err
            .0
            .iter()
            .map(|d| (d.code, d.location.as_ref().and_then(|l| l.line)))
            .collect();
        assert_eq!(
            found,
            [
                (Code::UnknownRequirement, Some(2)),
                (Code::DuplicateId, Some(4)),
                (Code::IncompleteRow, Some(5)),
                (Code::BadValue, Some(6)),
            ]
        );
    }
}
