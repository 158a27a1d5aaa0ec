//! The management report laid out for people: the HTML page (board page first), the xlsx
//! workbook, Markdown with Mermaid diagrams, and the agenda of the next management meeting.
//! Every figure comes from [`crate::summary::ManagementReport`]; nothing here computes.

mod chart;
mod html;
mod markdown;
mod meeting;
mod xlsx;

pub use xlsx::SheetNames;

use crate::gaps::{GapKind, Severity};
use crate::summary::ManagementReport;

impl ManagementReport {
    /// The self-contained HTML page.
    pub fn to_html(&self) -> String {
        html::render(self)
    }

    /// The Markdown text, with Mermaid diagrams.
    pub fn to_markdown(&self) -> String {
        markdown::render(self)
    }

    /// The agenda of the next management meeting, in Markdown for the minutes.
    pub fn to_agenda(&self) -> String {
        meeting::render(self)
    }

    /// The xlsx workbook's bytes.
    pub fn to_xlsx(&self) -> std::io::Result<Vec<u8>> {
        xlsx::render(self)
    }
}

/// Kinds in the order of the legend, with their base severity and meaning.
pub fn legend() -> impl Iterator<Item = (GapKind, Severity, &'static str)> {
    GapKind::ALL
        .into_iter()
        .map(|k| (k, k.base_severity(), k.description()))
}

/// What each severity asks of management, for the legend.
pub fn severity_meaning(severity: Severity) -> &'static str {
    match severity {
        Severity::High => "A binding requirement is not met, or nobody answers for it: act now.",
        Severity::Medium => "Coverage is incomplete or must be reviewed: plan it.",
        Severity::Low => "Housekeeping: the coverage counts, a reference should be updated.",
        Severity::Info => "For the record: nothing to do beyond noting it.",
    }
}
