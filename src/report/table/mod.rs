//! Terminal tables for people.

mod catalogs;
mod check;
mod diff;
mod gaps;

pub(crate) use catalogs::markers as markers_of;
pub(crate) use check::{detail as check_detail, policy_line};
pub(crate) use gaps::{not_applicable_lines, requirement_text, status_text, target_line};

use std::io::Write;

use comfy_table::presets::UTF8_FULL_CONDENSED;
use comfy_table::{ContentArrangement, Table};

use super::{CatalogList, CatalogView, DiffView, ReportError, Reporter, Style};
use crate::check::CheckReport;
use crate::gaps::GapReport;

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
