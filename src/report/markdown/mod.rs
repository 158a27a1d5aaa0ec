//! Markdown for pull requests, tickets and management notes.

mod check;
mod diff;
mod gaps;

use std::io::Write;

use super::sanitize::VisibleControls;
use super::{coverage, md_cell, CatalogList, CatalogView, DiffView, ReportError, Reporter};
use crate::check::CheckReport;
use crate::gaps::coverage::{Listing, Matrix};
use crate::gaps::GapReport;
use crate::report::table::markers_of;

pub struct MarkdownReporter;

/// The most a report for a pull-request comment may hold. GitHub refuses comments (and
/// step summaries) past 65,536 characters; the margin leaves room for what a workflow
/// wraps around the report. Bytes are counted, which is never less than characters.
pub const MAX_CHARS: usize = 65_000;

/// What is left of [`MAX_CHARS`] for tables, and how many rows did not fit.
pub(crate) struct Budget {
    remaining: usize,
    pub(crate) omitted: usize,
}

impl Budget {
    pub(crate) fn new(bytes: usize) -> Self {
        Budget {
            // Room for the note that says how many rows were left out.
            remaining: bytes.saturating_sub(NOTE_ROOM),
            omitted: 0,
        }
    }

    pub(crate) fn unlimited() -> Self {
        Budget {
            remaining: usize::MAX,
            omitted: 0,
        }
    }

    /// Writes `header` (a heading and the table head) and the rows that fit; the table is
    /// left out whole when not even its first row fits.
    pub(crate) fn table(
        &mut self,
        header: &str,
        rows: &[String],
        out: &mut dyn Write,
    ) -> Result<(), ReportError> {
        let first = rows.first().map_or(0, String::len);
        if header.len() + first > self.remaining {
            self.omitted += rows.len();
            return Ok(());
        }
        out.write_all(header.as_bytes())?;
        self.remaining -= header.len();
        for (i, row) in rows.iter().enumerate() {
            if row.len() > self.remaining {
                self.omitted += rows.len() - i;
                break;
            }
            out.write_all(row.as_bytes())?;
            self.remaining -= row.len();
        }
        Ok(())
    }

    pub(crate) fn write_note(&self, out: &mut dyn Write) -> Result<(), ReportError> {
        if self.omitted > 0 {
            let plural = if self.omitted == 1 { "" } else { "s" };
            writeln!(
                out,
                "\n_{} row{plural} left out to keep this under {MAX_CHARS} characters; the JSON, CSV or HTML report has them all._",
                self.omitted
            )?;
        }
        Ok(())
    }
}

const NOTE_ROOM: usize = 200;

impl Reporter for MarkdownReporter {
    fn name(&self) -> &'static str {
        "markdown"
    }

    fn coverage(&self, matrices: &[Matrix], out: &mut dyn Write) -> Result<(), ReportError> {
        Ok(coverage::matrix::markdown(matrices, out)?)
    }

    fn crosswalk(&self, listing: &Listing, out: &mut dyn Write) -> Result<(), ReportError> {
        Ok(coverage::crosswalk::markdown(listing, out)?)
    }

    fn catalog_list(&self, list: &CatalogList, out: &mut dyn Write) -> Result<(), ReportError> {
        writeln!(
            out,
            "| Publisher | Catalog | Published | Effective | Provenance | Requirements | Inferred |"
        )?;
        writeln!(out, "|---|---|---|---|---|---:|---:|")?;
        for c in &list.catalogs {
            writeln!(
                out,
                "| {} | {} | {} | {} | {} | {} | {} |",
                md_cell(&c.publisher),
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
