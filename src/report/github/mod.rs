//! GitHub Actions workflow commands: an `::error` annotation for every gap that fails the
//! policy and a `::warning` for every warning, on the line that causes it. The binary also
//! appends the Markdown summary to `$GITHUB_STEP_SUMMARY` when that is set.

use std::io::Write;

use super::{ReportError, Reporter};
use crate::check::{CheckReport, CheckedGap, Outcome, Verdict};
use crate::report::table::check_detail;

pub struct GithubReporter;

impl Reporter for GithubReporter {
    fn name(&self) -> &'static str {
        "github"
    }

    fn check(&self, report: &CheckReport, out: &mut dyn Write) -> Result<(), ReportError> {
        for (outcome, command) in [(Outcome::Fail, "error"), (Outcome::Warn, "warning")] {
            for gap in report.with_outcome(outcome) {
                writeln!(out, "{}", annotation(command, gap))?;
            }
        }
        for warning in &report.warnings {
            writeln!(out, "::warning title=reqgap::{}", escape_data(warning))?;
        }
        let command = match report.verdict {
            Verdict::Pass => "notice",
            Verdict::Fail => "error",
        };
        let summary = report.summary_line();
        writeln!(
            out,
            "::{command} title=reqgap check::{}",
            escape_data(&summary)
        )?;
        writeln!(out, "{summary}")?;
        Ok(())
    }
}

fn annotation(command: &str, checked: &CheckedGap) -> String {
    let gap = &checked.gap;
    let mut properties = Vec::new();
    if let Some(place) = &gap.place {
        properties.push(format!(
            "file={}",
            escape_property(&place.path.replace('\\', "/"))
        ));
        properties.push(format!("line={}", place.line));
        properties.push(format!("col={}", place.column));
    }
    let title = format!("{} {}", gap.kind, subject(checked));
    properties.push(format!("title={}", escape_property(&title)));
    let owner = gap.owner.as_ref().map_or("nobody", |o| o.as_str());
    let message = format!(
        "{}: {} (owner {owner}, due {}; gap {})",
        gap.title,
        check_detail(checked),
        gap.due,
        gap.key
    );
    format!(
        "::{command} {}::{}",
        properties.join(","),
        escape_data(&message)
    )
}

fn subject(checked: &CheckedGap) -> String {
    let gap = &checked.gap;
    match (&gap.requirement, &gap.control) {
        (Some(requirement), _) => requirement.to_string(),
        (None, Some(control)) => control.to_string(),
        (None, None) => gap.key.to_string(),
    }
}

/// The message part of a workflow command: `%`, CR and LF are encoded (as in
/// `@actions/core`'s `escapeData`).
pub fn escape_data(text: &str) -> String {
    text.replace('%', "%25")
        .replace('\r', "%0D")
        .replace('\n', "%0A")
}

/// A property value of a workflow command: like data, plus `:` and `,`, which end it.
pub fn escape_property(text: &str) -> String {
    escape_data(text).replace(':', "%3A").replace(',', "%2C")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_as_the_actions_toolkit_does() {
        assert_eq!(escape_data("50% done\r\nnext"), "50%25 done%0D%0Anext");
        assert_eq!(escape_property("a:b,c%"), "a%3Ab%2Cc%25");
    }
}
