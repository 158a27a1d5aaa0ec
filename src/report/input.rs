//! Input errors as a report: when a run stops on invalid input, machine formats still
//! write a document (a SARIF file for the upload step, `::error` annotations, a JUnit
//! failure, a JSON `errors` list) instead of leaving CI with nothing to show.

use serde::Serialize;

use crate::diag::{Diagnostic, Diagnostics};

/// The problems that stopped a run. Serialised as the JSON document of such a run.
#[derive(Clone, Debug, Serialize)]
pub struct InputErrors<'a> {
    /// Always `error`: the run could not decide pass or fail.
    pub verdict: &'static str,
    /// One line for logs, e.g. `check could not run: 2 input errors`.
    pub summary: String,
    /// Every diagnostic of the run (errors and warnings), sorted by file, line, column.
    pub errors: &'a [Diagnostic],
}

impl<'a> InputErrors<'a> {
    /// `command` names the run in the summary line (`check`, `gaps`).
    pub fn new(command: &str, diagnostics: &'a Diagnostics) -> Self {
        let count = diagnostics.error_count();
        let plural = if count == 1 { "" } else { "s" };
        InputErrors {
            verdict: "error",
            summary: format!("{command} could not run: {count} input error{plural}"),
            errors: &diagnostics.0,
        }
    }
}
