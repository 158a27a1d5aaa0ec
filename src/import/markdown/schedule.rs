//! The dated side of a standard: its revision table (version, ballot, description,
//! adopted, effective), its table of relevant dates (date, sections, summary) and inline
//! "Effective `<date>`:" clauses. Each version's tables are read as that version publishes
//! them: later versions prune and rewrite rows.

use std::collections::BTreeMap;

use super::dates::leading_date;
use super::document::{Document, NumberedSection};
use super::render;
use crate::diag::{Code, Diagnostic, SourceFile};
use crate::model::{Milestone, Requirement, RequirementId, Revision, Schedule, Version};

/// Characters of an inline clause kept as a milestone's obligation.
const MAX_OBLIGATION_CHARS: usize = 600;

pub fn read(
    file: &SourceFile,
    document: &Document,
    requirements: &[Requirement],
    warnings: &mut Vec<Diagnostic>,
) -> Schedule {
    let mut schedule = Schedule::default();
    let known: BTreeMap<&str, &RequirementId> = requirements
        .iter()
        .map(|r| (r.section.as_str(), &r.id))
        .collect();
    for section in document.preamble.iter().chain(&document.sections) {
        let title = section.title.to_lowercase();
        if matches!(
            title.as_str(),
            "revisions" | "revision history" | "document history" | "change history"
        ) {
            schedule
                .revisions
                .extend(revisions(file, section, warnings));
        } else if title.contains("relevant dates") {
            let rows = relevant_dates(file, section, &known, warnings);
            for (id, milestone) in rows {
                schedule.milestones.entry(id).or_default().push(milestone);
            }
        }
    }
    for requirement in requirements {
        for milestone in inline_milestones(&requirement.section.to_string(), &requirement.text) {
            schedule
                .milestones
                .entry(requirement.id.clone())
                .or_default()
                .push(milestone);
        }
    }
    for milestones in schedule.milestones.values_mut() {
        milestones.sort();
        milestones.dedup_by(|a, b| a.date == b.date && a.obligation == b.obligation);
    }
    schedule
}

/// A pipe table in a section's body: its header cells (lower case) and its rows, each with
/// its line and rendered cells.
struct Table {
    header: Vec<String>,
    rows: Vec<(usize, Vec<String>)>,
}

impl Table {
    fn of(section: &NumberedSection) -> Option<Table> {
        let mut rows = section
            .body
            .iter()
            .filter(|(_, l)| l.trim_start().starts_with('|'))
            .filter(|(_, l)| {
                !l.chars()
                    .all(|c| matches!(c, '|' | '-' | ':' | ' ' | '=' | '+'))
            })
            .map(|(line, l)| {
                let t = l.trim();
                let inner = t.strip_prefix('|').unwrap_or(t);
                let inner = inner.strip_suffix('|').unwrap_or(inner);
                let cells: Vec<String> = render::split_cells(inner)
                    .iter()
                    .map(|c| render::inline(c))
                    .collect();
                (*line, cells)
            });
        let (_, header) = rows.next()?;
        let header = header.iter().map(|h| h.to_lowercase()).collect();
        Some(Table {
            header,
            rows: rows.collect(),
        })
    }

    /// The index of the first column whose header contains one of `names`.
    fn column(&self, names: &[&str]) -> Option<usize> {
        self.header
            .iter()
            .position(|h| names.iter().any(|n| h.contains(n)))
    }
}

fn cell(cells: &[String], column: Option<usize>) -> Option<&str> {
    let value = cells.get(column?)?.trim();
    (!value.is_empty() && value.trim_matches('-').trim() != "").then_some(value)
}

fn revisions(
    file: &SourceFile,
    section: &NumberedSection,
    warnings: &mut Vec<Diagnostic>,
) -> Vec<Revision> {
    let Some(table) = Table::of(section) else {
        return Vec::new();
    };
    let version = table.column(&["ver"]);
    let ballot = table.column(&["ballot"]);
    let description = table.column(&["desc"]);
    let adopted = table.column(&["adopt"]);
    // Tables without an effective column date each version by publication.
    let effective = table
        .column(&["effect"])
        .or_else(|| table.column(&["date"]));
    if version.is_none() && ballot.is_none() {
        return Vec::new();
    }
    let mut revisions = Vec::new();
    for (line, cells) in &table.rows {
        let date = |column| cell(cells, column).and_then(|c| leading_date(c).map(|(d, _)| d));
        let row = Revision {
            // `2.1 (current)`: the version is the first word.
            version: cell(cells, version)
                .and_then(|v| v.split_whitespace().next())
                .filter(|v| v.starts_with(|c: char| c.is_ascii_digit()) && Version::is_valid(v))
                .map(Version::new),
            ballot: cell(cells, ballot).map(ballot_name),
            description: cell(cells, description).unwrap_or_default().to_owned(),
            adopted: date(adopted),
            effective: date(effective),
        };
        if row.adopted.is_none() && row.effective.is_none() {
            warnings.push(unread_row(
                file,
                *line,
                "revision row has no adopted or effective date",
            ));
            continue;
        }
        revisions.push(row);
    }
    revisions
}

/// A ballot as the forum names it today: `SC81`, `SC-081` and `SC081` are one ballot,
/// written `SC081`; numbers without letters (`62`) stay as they are.
fn ballot_name(cell: &str) -> String {
    let compact: String = cell.chars().filter(|c| *c != '-' && *c != ' ').collect();
    let digits_at = compact.find(|c: char| c.is_ascii_digit());
    match digits_at {
        Some(at) if at > 0 && compact[at..].bytes().all(|b| b.is_ascii_digit()) => {
            format!("{}{:0>3}", &compact[..at], &compact[at..])
        }
        _ => cell.to_owned(),
    }
}

fn relevant_dates(
    file: &SourceFile,
    section: &NumberedSection,
    known: &BTreeMap<&str, &RequirementId>,
    warnings: &mut Vec<Diagnostic>,
) -> Vec<(RequirementId, Milestone)> {
    let Some(table) = Table::of(section) else {
        return Vec::new();
    };
    let date_column = table.column(&["compliance", "date"]);
    let sections_column = table.column(&["section"]);
    let summary_column = table.column(&["summary", "description"]);
    let mut milestones = Vec::new();
    for (row, (line, cells)) in table.rows.iter().enumerate() {
        let date = cell(cells, date_column).and_then(|c| leading_date(c).map(|(d, _)| d));
        let Some(date) = date else {
            warnings.push(unread_row(file, *line, "relevant-dates row has no date"));
            continue;
        };
        let numbers = section_numbers(cell(cells, sections_column).unwrap_or_default());
        let targets: Vec<&RequirementId> = numbers
            .iter()
            .filter_map(|n| known.get(n.as_str()).copied())
            .collect();
        if targets.is_empty() {
            warnings.push(unread_row(
                file,
                *line,
                &format!(
                    "relevant-dates row names no section of the document with text ({})",
                    numbers.join(", ")
                ),
            ));
            continue;
        }
        let source = format!("{} {}, row {}", section.number, section.title, row + 1)
            .trim_start()
            .to_owned();
        let obligation = cell(cells, summary_column).unwrap_or_default().to_owned();
        for target in targets {
            milestones.push((
                target.clone(),
                Milestone {
                    date,
                    obligation: obligation.clone(),
                    source: source.clone(),
                },
            ));
        }
    }
    milestones
}

fn unread_row(file: &SourceFile, line: usize, why: &str) -> Diagnostic {
    Diagnostic::warning(Code::UnreadDateRow, format!("{why}; the row gives no date"))
        .at(file.location(line, 1, 1))
}

/// Section numbers in a cell: `4.9.9`, `3.2.2.4 and 3.2.2.5`, `8.7`.
fn section_numbers(text: &str) -> Vec<String> {
    text.split(|c: char| !(c.is_ascii_digit() || c == '.'))
        .map(|t| t.trim_matches('.'))
        .filter(|t| t.contains('.') || (!t.is_empty() && t.len() <= 2))
        .filter(|t| !t.is_empty() && t.split('.').all(|p| !p.is_empty() && p.len() <= 4))
        .map(str::to_owned)
        .collect()
}

/// "Effective 2026-03-15: ..." and "Effective July 1, 2026, ..." at the start of a line or
/// a list item: the date and the rest of the line as the obligation.
fn inline_milestones(number: &str, text: &str) -> Vec<Milestone> {
    let mut milestones = Vec::new();
    for line in text.lines() {
        let line = line.trim_start_matches("- ").trim();
        let Some(rest) = line.strip_prefix("Effective ") else {
            continue;
        };
        let rest = rest.strip_prefix("on ").unwrap_or(rest);
        let Some((date, used)) = leading_date(rest) else {
            continue;
        };
        let after = &rest[used..];
        if !after.starts_with([':', ',']) && !after.is_empty() {
            continue;
        }
        let obligation: String = after
            .trim_start_matches([':', ','])
            .trim()
            .chars()
            .take(MAX_OBLIGATION_CHARS)
            .collect();
        milestones.push(Milestone {
            date,
            obligation,
            source: format!(
                "section {number}, \"Effective {}\" clause",
                date.format("%Y-%m-%d")
            ),
        });
    }
    milestones
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ballot_names_are_written_one_way() {
        assert_eq!(ballot_name("SC81"), "SC081");
        assert_eq!(ballot_name("SC-081"), "SC081");
        assert_eq!(ballot_name("SMC011"), "SMC011");
        assert_eq!(ballot_name("62"), "62");
        assert_eq!(ballot_name("SC62 and SC63"), "SC62 and SC63");
    }

    #[test]
    fn section_cells_give_their_numbers() {
        assert_eq!(
            section_numbers("3.2.2.4 and 3.2.2.5"),
            ["3.2.2.4", "3.2.2.5"]
        );
        assert_eq!(section_numbers("8.7"), ["8.7"]);
        assert_eq!(section_numbers("Section 4.9.9."), ["4.9.9"]);
    }

    #[test]
    fn inline_effective_clauses_become_milestones() {
        let found = inline_milestones(
            "3.2.2.9",
            "- Effective 2025-03-15, the CA MUST corroborate.\nEffective July 1, 2026: CAs MUST log.\nEffective dates vary.",
        );
        let dates: Vec<String> = found.iter().map(|m| m.date.to_string()).collect();
        assert_eq!(dates, ["2025-03-15", "2026-07-01"]);
        assert_eq!(found[0].obligation, "the CA MUST corroborate.");
    }
}
