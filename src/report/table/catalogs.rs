use std::io::Write;

use super::layout::{self, RecordTable, Row};
use super::TableReporter;
use crate::model::{Catalog, Requirement};
use crate::report::sanitize::cell;
use crate::report::{CatalogList, CatalogView, ReportError};

pub(super) fn list(
    reporter: &TableReporter,
    list: &CatalogList,
    out: &mut dyn Write,
) -> Result<(), ReportError> {
    let width = reporter.style.width.map(usize::from);
    for group in list.catalogs.chunk_by(|a, b| a.publisher == b.publisher) {
        writeln!(out, "{}:", group[0].publisher)?;
        write!(
            out,
            "{}",
            publisher_table(group).render(width, reporter.style.color)
        )?;
    }
    let plural = if list.catalogs.len() == 1 { "" } else { "s" };
    writeln!(out, "{} catalog{plural}", list.catalogs.len())?;
    Ok(())
}

fn publisher_table(entries: &[crate::report::CatalogSummary]) -> RecordTable {
    let rows = entries
        .iter()
        .map(|entry| Row {
            cells: vec![
                layout::Cell::new(entry.catalog.clone()),
                layout::Cell::new(entry.published.to_string()),
                layout::Cell::new(
                    entry
                        .effective
                        .map_or_else(|| "-".to_owned(), |d| d.to_string()),
                ),
                layout::Cell::new(entry.provenance.to_string()),
                layout::Cell::new(requirement_count(entry.requirements, entry.withdrawn)),
                layout::Cell::new(entry.inferred.to_string()),
            ],
            details: entry.origin.to_string(),
        })
        .collect();
    RecordTable {
        headers: [
            "Catalog",
            "Published",
            "Effective",
            "Provenance",
            "Requirements",
            "Inferred",
        ]
        .map(str::to_owned)
        .to_vec(),
        details_header: "Origin",
        rows,
        foldable: Vec::new(),
    }
}

fn requirement_count(total: usize, withdrawn: usize) -> String {
    if withdrawn == 0 {
        total.to_string()
    } else {
        format!("{total} ({withdrawn} withdrawn)")
    }
}

pub(super) fn show(
    reporter: &TableReporter,
    view: &CatalogView<'_>,
    out: &mut dyn Write,
) -> Result<(), ReportError> {
    if view.is_whole_catalog() {
        whole_catalog(reporter, view.catalog, out)
    } else {
        for (i, requirement) in view.selected.iter().enumerate() {
            if i > 0 {
                writeln!(out)?;
            }
            one_requirement(reporter, view, requirement, out)?;
        }
        Ok(())
    }
}

fn whole_catalog(
    reporter: &TableReporter,
    catalog: &Catalog,
    out: &mut dyn Write,
) -> Result<(), ReportError> {
    writeln!(out, "{} — {}", catalog.key(), catalog.title)?;
    let effective = catalog
        .effective
        .map_or(String::new(), |d| format!(", effective {d}"));
    writeln!(
        out,
        "published {}{effective}; {} requirements in {} sections; provenance {} ({} inferred)",
        catalog.published,
        catalog.requirements.len(),
        catalog.sections.len(),
        catalog.provenance,
        catalog.inferred_count(),
    )?;
    reporter.write_wrapped(&format!("source: {}", catalog.source), out)?;
    let mut table = reporter.table(&["Section", "ID", "Level", "Markers", "Summary"]);
    for section in &catalog.sections {
        let members: Vec<&Requirement> = catalog
            .requirements
            .iter()
            .filter(|r| r.section == section.id)
            .collect();
        table.add_row(vec![
            cell(format!("{} {}", section.id, section.title)),
            cell(""),
            cell(""),
            cell(""),
            cell(""),
        ]);
        for requirement in members {
            table.add_row(vec![
                cell(""),
                cell(display_id(requirement)),
                cell(requirement.level),
                cell(markers(requirement)),
                cell(summary(requirement)),
            ]);
        }
    }
    writeln!(out, "{}", reporter.render(table))?;
    Ok(())
}

fn one_requirement(
    reporter: &TableReporter,
    view: &CatalogView<'_>,
    requirement: &Requirement,
    out: &mut dyn Write,
) -> Result<(), ReportError> {
    let catalog = view.catalog;
    let key = catalog.key().requirement(&requirement.id);
    match &requirement.title {
        Some(title) => writeln!(out, "{key} — {title}")?,
        None => writeln!(out, "{key}")?,
    }
    let mut table = reporter.table(&["Field", "Value"]);
    let section = format!(
        "{} {}",
        requirement.section,
        view.section_title(requirement)
    );
    let level = if requirement.level_derived {
        format!("{} (derived from the text)", requirement.level)
    } else {
        requirement.level.to_string()
    };
    let mut rows: Vec<(&str, String)> = vec![
        ("Standard", catalog.title.clone()),
        (
            "Version",
            format!("{} (published {})", catalog.version, catalog.published),
        ),
        ("Section", section.trim_end().to_owned()),
        ("Level", level),
        ("Markers", markers(requirement)),
        ("Status", requirement.status.to_string()),
        ("Confidence", requirement.confidence.to_string()),
        ("Text", requirement.text.clone()),
    ];
    if let Some(note) = &requirement.note {
        rows.push(("Note", note.clone()));
    }
    for link in &requirement.links {
        rows.push(("Link", format!("{} {}", link_name(link.rel), link.target)));
    }
    for (field, value) in rows {
        let value = if value.is_empty() {
            "-".to_owned()
        } else {
            value
        };
        table.add_row(vec![cell(field), cell(value)]);
    }
    writeln!(out, "{}", reporter.render(table))?;
    Ok(())
}

fn link_name(rel: crate::model::LinkRel) -> &'static str {
    match rel {
        crate::model::LinkRel::MovedTo => "moved to",
        crate::model::LinkRel::IncorporatedInto => "incorporated into",
        crate::model::LinkRel::Related => "related to",
    }
}

fn display_id(requirement: &Requirement) -> String {
    if requirement.is_active() {
        requirement.id.to_string()
    } else {
        format!("{} (withdrawn)", requirement.id)
    }
}

pub(crate) fn markers(requirement: &Requirement) -> String {
    requirement
        .markers
        .iter()
        .map(|m| m.as_str())
        .collect::<Vec<_>>()
        .join(", ")
}

fn summary(requirement: &Requirement) -> String {
    match &requirement.title {
        Some(title) => format!("{title}: {}", requirement.text),
        None => requirement.text.clone(),
    }
}
