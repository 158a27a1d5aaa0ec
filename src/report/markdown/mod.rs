//! Markdown for pull requests, tickets and management notes.

mod check;
mod diff;
mod gaps;

use std::io::Write;

use super::{md_cell, CatalogList, CatalogView, DiffView, ReportError, Reporter};
use crate::check::CheckReport;
use crate::gaps::GapReport;
use crate::report::table::markers_of;

pub struct MarkdownReporter;

impl Reporter for MarkdownReporter {
    fn name(&self) -> &'static str {
        "markdown"
    }

    fn catalog_list(&self, list: &CatalogList, out: &mut dyn Write) -> Result<(), ReportError> {
        writeln!(
            out,
            "| Catalog | Published | Effective | Provenance | Requirements | Inferred |"
        )?;
        writeln!(out, "|---|---|---|---|---:|---:|")?;
        for c in &list.catalogs {
            writeln!(
                out,
                "| {} | {} | {} | {} | {} | {} |",
                c.catalog,
                c.published,
                c.effective
                    .map_or_else(|| "-".to_owned(), |d| d.to_string()),
                c.provenance,
                c.requirements,
                c.inferred
            )?;
        }
        Ok(())
    }

    fn catalog(&self, view: &CatalogView<'_>, out: &mut dyn Write) -> Result<(), ReportError> {
        let catalog = view.catalog;
        writeln!(out, "# {} ({})\n", catalog.title, catalog.key())?;
        let mut current_section = None;
        for requirement in view.requirements() {
            if current_section != Some(&requirement.section) {
                current_section = Some(&requirement.section);
                writeln!(
                    out,
                    "\n## {} {}\n",
                    requirement.section,
                    view.section_title(requirement)
                )?;
                writeln!(out, "| ID | Level | Markers | Requirement |")?;
                writeln!(out, "|---|---|---|---|")?;
            }
            let id = if requirement.is_active() {
                requirement.id.to_string()
            } else {
                format!("~~{}~~ (withdrawn)", requirement.id)
            };
            let text = match &requirement.title {
                Some(title) => format!("**{}**: {}", md_cell(title), md_cell(&requirement.text)),
                None => md_cell(&requirement.text),
            };
            writeln!(
                out,
                "| {} | {} | {} | {} |",
                id,
                requirement.level,
                markers_of(requirement),
                text
            )?;
        }
        Ok(())
    }

    fn gaps(&self, report: &GapReport, out: &mut dyn Write) -> Result<(), ReportError> {
        gaps::report(report, out)
    }

    fn check(&self, report: &CheckReport, out: &mut dyn Write) -> Result<(), ReportError> {
        check::report(report, out)
    }

    fn diff(&self, view: &DiffView<'_>, out: &mut dyn Write) -> Result<(), ReportError> {
        diff::report(view, out)
    }
}
