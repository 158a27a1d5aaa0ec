//! GitHub Actions workflow commands: an `::error` annotation for every gap that fails the
//! policy and a `::warning` for every warning, on the line that causes it. The binary also
//! appends the Markdown summary to `$GITHUB_STEP_SUMMARY` when that is set.

use std::io::Write;

use super::{InputErrors, ReportError, Reporter};
use crate::check::{CheckReport, CheckedGap, Outcome, Verdict};
use crate::diag::{Diagnostic, Severity};
use crate::report::table::check_detail;

pub struct GithubReporter;

impl Reporter for GithubReporter {
    fn name(&self) -> &'static str {
        "github"
    }

    fn check(&self, report: &CheckReport, out: &mut dyn Write) -> Result<(), ReportError> {
        let errors: Vec<String> = report
            .with_outcome(Outcome::Fail)
            .map(|gap| annotation("error", gap))
            .collect();
        let warnings: Vec<String> = report
            .with_outcome(Outcome::Warn)
            .map(|gap| annotation("warning", gap))
            .chain(
                report
                    .warnings
                    .iter()
                    .map(|w| format!("::warning title=reqgap::{}", escape_data(w))),
            )
            .collect();
        let command = match report.verdict {
            Verdict::Pass => "notice",
            Verdict::Fail => "error",
        };
        let summary_is_error = usize::from(command == "error");
        write_limited(out, "error", &errors, summary_is_error)?;
        write_limited(out, "warning", &warnings, 0)?;
        let summary = report.summary_line();
        writeln!(
            out,
            "::{command} title=reqgap check::{}",
            escape_data(&summary)
        )?;
        writeln!(out, "{summary}")?;
        Ok(())
    }

    /// One `::error` (or `::warning`) per diagnostic at its file, line and column, so the
    /// pull request shows the typo where it is.
    fn input_errors(
        &self,
        errors: &InputErrors<'_>,
        out: &mut dyn Write,
    ) -> Result<(), ReportError> {
        let (failing, other): (Vec<&Diagnostic>, Vec<&Diagnostic>) =
            errors.errors.iter().partition(|d| d.is_error());
        let failing: Vec<String> = failing.into_iter().map(input_annotation).collect();
        let other: Vec<String> = other.into_iter().map(input_annotation).collect();
        write_limited(out, "error", &failing, 1)?;
        write_limited(out, "warning", &other, 0)?;
        writeln!(
            out,
            "::error title=reqgap check::{}",
            escape_data(&errors.summary)
        )?;
        writeln!(out, "{}", errors.summary)?;
        Ok(())
    }
}

/// GitHub shows at most this many annotations of one level (error, warning) per step and
/// silently drops the rest.
pub const ANNOTATIONS_PER_LEVEL: usize = 10;

/// Writes the annotations of one level within GitHub's limit, `reserved` of which the caller
/// writes afterwards. Past the limit, one annotation says how many more there are, and the
/// rest follow as plain log lines (the commands with their leading `::` removed), so every
/// finding is still in the log.
fn write_limited(
    out: &mut dyn Write,
    command: &str,
    annotations: &[String],
    reserved: usize,
) -> Result<(), ReportError> {
    let budget = ANNOTATIONS_PER_LEVEL.saturating_sub(reserved);
    if annotations.len() <= budget {
        for annotation in annotations {
            writeln!(out, "{annotation}")?;
        }
        return Ok(());
    }
    let shown = budget.saturating_sub(1);
    for annotation in &annotations[..shown] {
        writeln!(out, "{annotation}")?;
    }
    let rest = &annotations[shown..];
    writeln!(
        out,
        "::{command} title=reqgap::{} more {command}s are not annotated (GitHub shows {ANNOTATIONS_PER_LEVEL} per step); they follow in the log, and the SARIF report and job summary list them all",
        rest.len()
    )?;
    for annotation in rest {
        writeln!(out, "{}", annotation.trim_start_matches(':'))?;
    }
    Ok(())
}

fn input_annotation(diagnostic: &Diagnostic) -> String {
    let command = match diagnostic.severity {
        Severity::Error => "error",
        Severity::Warning => "warning",
        Severity::Note => "notice",
    };
    let mut properties = Vec::new();
    if let Some(location) = &diagnostic.location {
        properties.push(format!(
            "file={}",
            escape_property(&location.path.replace('\\', "/"))
        ));
        if let Some(line) = location.line {
            properties.push(format!("line={line}"));
        }
        if let Some(column) = location.column {
            properties.push(format!("col={column}"));
        }
    }
    let title = format!("reqgap input-error {}", diagnostic.code);
    properties.push(format!("title={}", escape_property(&title)));
    let mut message = diagnostic.message.clone();
    for related in &diagnostic.related {
        message.push_str(&format!(
            "\n{}: {}",
            related.label,
            related.location.display()
        ));
    }
    for note in &diagnostic.notes {
        message.push('\n');
        message.push_str(note);
    }
    format!(
        "::{command} {}::{}",
        properties.join(","),
        escape_data(&message)
    )
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
