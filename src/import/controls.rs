//! Control registers exported from a spreadsheet (CSV) → control files.
//!
//! One row per control with the columns `id`, `title`, `owner` and `satisfies` (requirement
//! IDs of the target version separated by commas, semicolons, spaces or line breaks), and
//! optionally `status`. The CSV rules are those of `import csv` (same reader: delimiter
//! detection, byte-order mark, CRLF, quoted multi-line cells, rows located by line).
//! Controls are grouped into one file per ID prefix (`ACC-01` → `acc.yaml`).

use std::collections::BTreeMap;

use super::csv::{ColumnMap, Row, RowKind, Sheet};
use crate::diag::{Code, Diagnostic, Diagnostics, Location, SourceFile};
use crate::model::{Catalog, ControlStatus};
use crate::source::plain::scalar;

/// The fields a row can fill.
const FIELDS: [&str; 5] = ["id", "title", "owner", "satisfies", "status"];
const CONTROL_ROWS: RowKind = RowKind {
    noun: "control",
    fields: &FIELDS,
    required: &["id", "title"],
};

/// Which column header holds each field; by default the field's own name.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ControlColumns(ColumnMap);

impl ControlColumns {
    /// Reads `--map` values: `field=Header` pairs separated by commas.
    pub fn parse(specs: &[String]) -> Result<ControlColumns, String> {
        ColumnMap::parse_fields(specs, &FIELDS).map(ControlColumns)
    }
}

/// A control file to write: its name inside the output folder and its text.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ControlFileOut {
    /// The file name, inside the output folder.
    pub name: String,
    /// The file's YAML.
    pub text: String,
    /// How many controls it holds.
    pub controls: usize,
}

/// Reads a control register; every requirement ID must exist in `target`. Every bad row is
/// reported with its line before failing.
pub fn import(
    file: &SourceFile,
    columns: &ControlColumns,
    target: &Catalog,
) -> Result<Vec<ControlFileOut>, Diagnostics> {
    let mut sheet = Sheet::open(file, &CONTROL_ROWS, &columns.0)?;
    let mut rows = Rows {
        target,
        controls: Vec::new(),
        first_line: BTreeMap::new(),
        problems: Diagnostics::new(),
    };
    for row in sheet.rows() {
        match row {
            Ok(row) => rows.add(&row),
            Err(problem) => rows.problems.push(problem),
        }
    }
    let origin = crate::import::cited_name(&file.path);
    let Rows {
        controls, problems, ..
    } = rows;
    problems.into_result(render(&controls, target, &origin))
}

/// One control read from a row.
struct Control {
    id: String,
    title: String,
    owner: Option<String>,
    status: ControlStatus,
    satisfies: Vec<String>,
}

struct Rows<'a> {
    target: &'a Catalog,
    controls: Vec<Control>,
    first_line: BTreeMap<String, usize>,
    problems: Diagnostics,
}

impl Rows<'_> {
    fn error(&mut self, location: &Location, code: Code, message: String) {
        self.problems
            .push(Diagnostic::error(code, message).at(location.clone()));
    }

    fn add(&mut self, row: &Row<'_>) {
        let location = &row.location;
        let (Some(id), Some(title)) = (row.cell("id"), row.cell("title")) else {
            return; // the sheet reported the row as incomplete
        };
        // The inventory loader's rule for IDs, applied to the input, so that the control
        // files written read back.
        let owner = row.cell("owner");
        let ids = [("control", Some(id)), ("owner", owner)];
        for (kind, value) in ids.into_iter().filter_map(|(k, v)| Some((k, v?))) {
            if let Some((code, message)) = crate::source::id_problem(kind, value) {
                return self.error(location, code, message);
            }
        }
        let line = location.line.unwrap_or(0);
        if let Some(first) = self.first_line.get(id).copied() {
            let message = format!("control `{id}` is defined twice (first at line {first})");
            return self.error(location, Code::DuplicateId, message);
        }
        self.first_line.insert(id.to_owned(), line);
        let Some(status) = self.status(row) else {
            return;
        };
        let Some(satisfies) = self.requirements(row) else {
            return;
        };
        self.controls.push(Control {
            id: id.to_owned(),
            title: title.split_whitespace().collect::<Vec<_>>().join(" "),
            owner: owner.map(str::to_owned),
            status,
            satisfies,
        });
    }

    fn status(&mut self, row: &Row<'_>) -> Option<ControlStatus> {
        match row.cell("status").map(str::to_lowercase).as_deref() {
            None | Some("active") => Some(ControlStatus::Active),
            Some("planned") => Some(ControlStatus::Planned),
            Some("retired") => Some(ControlStatus::Retired),
            Some(other) => {
                let message = format!("status `{other}` is not one of active, planned, retired");
                self.error(&row.location, Code::BadValue, message);
                None
            }
        }
    }

    /// A self-assessment names sections (`6.3.2`), not IDs: a token that is no requirement
    /// ID but the section of exactly one requirement of the target stands for it (`BR-6.3.2`
    /// in a catalog made by `import markdown`).
    fn by_section(&self, token: &str) -> String {
        if self.target.requirement(token).is_some() {
            return token.to_owned();
        }
        let mut in_section = self
            .target
            .requirements
            .iter()
            .filter(|r| r.section.as_str() == token);
        match (in_section.next(), in_section.next()) {
            (Some(only), None) => only.id.to_string(),
            _ => token.to_owned(),
        }
    }

    /// The requirement IDs of the `satisfies` cell; IDs unknown to the target are errors.
    fn requirements(&mut self, row: &Row<'_>) -> Option<Vec<String>> {
        let cell = row.cell("satisfies").unwrap_or_default();
        let ids: Vec<String> = cell
            .split([',', ';', ' ', '\n', '\r', '\t'])
            .filter(|s| !s.is_empty())
            .map(|token| self.by_section(token))
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
        self.error(&row.location, Code::UnknownRequirement, message);
        None
    }
}

/// The control files: one per ID prefix, controls in register order.
fn render(controls: &[Control], target: &Catalog, origin: &str) -> Vec<ControlFileOut> {
    let mut files: BTreeMap<String, Vec<&Control>> = BTreeMap::new();
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

fn render_control(row: &Control, target: &Catalog) -> String {
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
