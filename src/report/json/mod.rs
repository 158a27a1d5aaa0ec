//! JSON: the report models serialised as they are. Field names are part of the contract
//! documented in docs/formats.md.

mod diff;

use std::io::Write;

use serde::Serialize;

use super::{write_json, CatalogList, CatalogView, DiffView, InputErrors, ReportError, Reporter};
use crate::check::CheckReport;
use crate::gaps::coverage::{Listing, Matrix};
use crate::gaps::GapReport;
use crate::model::Requirement;

pub struct JsonReporter;

#[derive(Serialize)]
struct SelectedRequirements<'a> {
    catalog: String,
    requirements: Vec<&'a Requirement>,
}

impl Reporter for JsonReporter {
    fn name(&self) -> &'static str {
        "json"
    }

    fn coverage(&self, matrices: &[Matrix], out: &mut dyn Write) -> Result<(), ReportError> {
        write_json(&matrices, out)
    }

    fn crosswalk(&self, listing: &Listing, out: &mut dyn Write) -> Result<(), ReportError> {
        write_json(listing, out)
    }

    fn catalog_list(&self, list: &CatalogList, out: &mut dyn Write) -> Result<(), ReportError> {
        write_json(list, out)
    }

    fn catalog(&self, view: &CatalogView<'_>, out: &mut dyn Write) -> Result<(), ReportError> {
        if view.is_whole_catalog() {
            write_json(view.catalog, out)
        } else {
            write_json(
                &SelectedRequirements {
                    catalog: view.catalog.key().to_string(),
                    requirements: view.selected.clone(),
                },
                out,
            )
        }
    }

    fn gaps(&self, report: &GapReport, out: &mut dyn Write) -> Result<(), ReportError> {
        write_json(report, out)
    }

    fn check(&self, report: &CheckReport, out: &mut dyn Write) -> Result<(), ReportError> {
        write_json(report, out)
    }

    fn diff(&self, view: &DiffView<'_>, out: &mut dyn Write) -> Result<(), ReportError> {
        Ok(diff::DiffDocument::new(view).write(out)?)
    }

    /// `{"verdict": "error", "summary": …, "errors": [{severity, code, message, location,
    /// notes}]}`: a run that could not decide still answers with JSON.
    fn input_errors(
        &self,
        errors: &InputErrors<'_>,
        out: &mut dyn Write,
    ) -> Result<(), ReportError> {
        write_json(errors, out)
    }
}
