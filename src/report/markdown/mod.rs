//! Markdown for pull requests, tickets and management notes.

mod check;
mod diff;
mod gaps;

use std::io::Write;

use super::sanitize::VisibleControls;
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
        let out = &mut VisibleControls::new(out, false);
        let catalog = view.catalog;
        writeln!(out, "# {} ({})\n", md_cell(&catalog.title), catalog.key())?;
        let mut current_section = None;
        for requirement in view.requirements() {
            if current_section != Some(&requirement.section) {
                current_section = Some(&requirement.section);
                writeln!(
                    out,
                    "\n## {} {}\n",
                    md_cell(requirement.section.as_str()),
                    md_cell(view.section_title(requirement))
                )?;
                writeln!(out, "| ID | Level | Markers | Requirement |")?;
                writeln!(out, "|---|---|---|---|")?;
            }
            let id = if requirement.is_active() {
                md_cell(requirement.id.as_str())
            } else {
                format!("~~{}~~ (withdrawn)", md_cell(requirement.id.as_str()))
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
        gaps::report(report, &mut VisibleControls::new(out, false))
    }

    fn check(&self, report: &CheckReport, out: &mut dyn Write) -> Result<(), ReportError> {
        check::report(report, &mut VisibleControls::new(out, false))
    }

    fn diff(&self, view: &DiffView<'_>, out: &mut dyn Write) -> Result<(), ReportError> {
        diff::report(view, &mut VisibleControls::new(out, false))
    }
}
