//! Terminal tables for people.

mod catalogs;
mod check;
mod diff;
mod gaps;
pub(crate) mod layout;

pub(crate) use catalogs::markers as markers_of;
pub(crate) use check::{detail as check_detail, policy_line};
pub(crate) use gaps::{
    not_applicable_lines, plan_text, requirement_text, status_text, target_line,
};

use std::io::Write;

use comfy_table::presets::UTF8_FULL_CONDENSED;
use comfy_table::{ColumnConstraint, ContentArrangement, Table, Width};

use super::{coverage, CatalogList, CatalogView, DiffView, ReportError, Reporter, Style};
use crate::check::CheckReport;
use crate::gaps::coverage::{Listing, Matrix};
use crate::gaps::GapReport;

/// Words longer than this may still be broken to fit (long paths, URLs).
const MAX_UNBROKEN: usize = 40;

/// A column of single tokens (IDs, dates, versions, codes) keeps its content width; a
/// column of prose is at least as wide as its longest word, so it wraps between words.
fn unbroken(cells: &[String]) -> ColumnConstraint {
    let longest_word = cells
        .iter()
        .flat_map(|c| c.split_whitespace().map(|w| w.chars().count()))
        .max()
        .unwrap_or(1)
        .min(MAX_UNBROKEN);
    let tokens = cells
        .iter()
        .all(|c| !c.trim().contains(char::is_whitespace));
    if tokens && longest_word < MAX_UNBROKEN {
        ColumnConstraint::ContentWidth
    } else {
        ColumnConstraint::LowerBoundary(Width::Fixed(u16::try_from(longest_word).unwrap_or(1)))
    }
}

pub struct TableReporter {
    pub style: Style,
}

impl TableReporter {
    /// A table in the house style: light borders, wrapped to the terminal when there is one.
    pub fn table(&self, header: &[&str]) -> Table {
        let mut table = Table::new();
        table.load_preset(UTF8_FULL_CONDENSED);
        match self.style.width {
            Some(width) => {
                table
                    .set_content_arrangement(ContentArrangement::Dynamic)
                    .set_width(width);
            }
            None => {
                table.set_content_arrangement(ContentArrangement::Disabled);
            }
        }
        if !self.style.color {
            table.force_no_tty();
        }
        table.set_header(header.iter().copied());
        table
    }

    /// The table as text, with every column at least as wide as its longest word (up to
    /// [`MAX_UNBROKEN`]), so that wrapping to the terminal breaks text between words and
    /// never inside an ID, a date or a version.
    pub fn render(&self, mut table: Table) -> String {
        if self.style.width.is_some() {
            let constraints: Vec<ColumnConstraint> = (0..table.column_count())
                .map(|i| {
                    let cells: Vec<String> = table
                        .column_cells_iter(i)
                        .flatten()
                        .map(|c| c.content())
                        .collect();
                    unbroken(&cells)
                })
                .collect();
            table.set_constraints(constraints);
        }
        table.to_string()
    }

    /// Writes lines of prose (headings, summaries, warnings) wrapped at word boundaries
    /// to the width, when there is one.
    pub fn write_wrapped(&self, text: &str, out: &mut dyn Write) -> Result<(), ReportError> {
        for line in text.lines() {
            match self.style.width {
                Some(width) if line.chars().count() > usize::from(width) => {
                    for (i, part) in layout::wrap(line, usize::from(width) - 2)
                        .iter()
                        .enumerate()
                    {
                        let indent = if i == 0 { "" } else { "  " };
                        writeln!(out, "{indent}{part}")?;
                    }
                }
                _ => writeln!(out, "{line}")?,
            }
        }
        Ok(())
    }

    /// Writes one line of prose indented by `indent` spaces, wrapped to the width with
    /// its continuation lines two spaces further in.
    pub fn write_indented(
        &self,
        line: &str,
        indent: usize,
        out: &mut dyn Write,
    ) -> Result<(), ReportError> {
        let pad = " ".repeat(indent);
        match self.style.width.map(usize::from) {
            Some(width) if line.chars().count() + indent > width && width > indent + 12 => {
                for (i, part) in layout::wrap(line, width - indent - 2).iter().enumerate() {
                    let more = if i == 0 { "" } else { "  " };
                    writeln!(out, "{pad}{more}{part}")?;
                }
            }
            _ => writeln!(out, "{pad}{line}")?,
        }
        Ok(())
    }
}

impl TableReporter {
    /// Input text reaches the terminal with its control characters made visible.
    fn visible<'a>(&self, out: &'a mut dyn Write) -> super::sanitize::VisibleControls<'a> {
        super::sanitize::VisibleControls::new(out, self.style.color)
    }
}

impl Reporter for TableReporter {
    fn name(&self) -> &'static str {
        "table"
    }

    /// Matrices at their natural width: paths are long, and wrapping them would split IDs.
    fn coverage(&self, matrices: &[Matrix], out: &mut dyn Write) -> Result<(), ReportError> {
        Ok(coverage::matrix::table(matrices, out)?)
    }

    fn crosswalk(&self, listing: &Listing, out: &mut dyn Write) -> Result<(), ReportError> {
        Ok(coverage::crosswalk::table(listing, self.style.width, out)?)
    }

    fn catalog_list(&self, list: &CatalogList, out: &mut dyn Write) -> Result<(), ReportError> {
        catalogs::list(self, list, &mut self.visible(out))
    }

    fn catalog(&self, view: &CatalogView<'_>, out: &mut dyn Write) -> Result<(), ReportError> {
        catalogs::show(self, view, &mut self.visible(out))
    }

    fn gaps(&self, report: &GapReport, out: &mut dyn Write) -> Result<(), ReportError> {
        gaps::report(self, report, &mut self.visible(out))
    }

    fn check(&self, report: &CheckReport, out: &mut dyn Write) -> Result<(), ReportError> {
        check::report(self, report, &mut self.visible(out))
    }

    fn diff(&self, view: &DiffView<'_>, out: &mut dyn Write) -> Result<(), ReportError> {
        diff::report(self, view, &mut self.visible(out))
    }
}
