//! JUnit XML for GitLab and Jenkins test reports: one test suite per target with one test
//! case per active requirement (failing when a gap on it fails the policy), one suite for
//! gaps about controls and removed requirements, and one for the coverage floor.

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::io::Write;

use super::{ReportError, Reporter};
use crate::check::{CheckReport, CheckedGap, CheckedTarget, Outcome};
use crate::report::table::check_detail;

pub struct JunitReporter;

impl Reporter for JunitReporter {
    fn name(&self) -> &'static str {
        "junit"
    }

    fn check(&self, report: &CheckReport, out: &mut dyn Write) -> Result<(), ReportError> {
        let mut suites: Vec<Suite> = report
            .targets
            .iter()
            .map(|t| target_suite(report, t))
            .collect();
        suites.push(other_suite(report));
        if let Some(suite) = coverage_suite(report) {
            suites.push(suite);
        }
        let tests: usize = suites.iter().map(|s| s.cases.len()).sum();
        let failures: usize = suites.iter().map(Suite::failures).sum();
        let mut xml = String::from("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
        let _ = writeln!(
            xml,
            "<testsuites name=\"reqgap check\" tests=\"{tests}\" failures=\"{failures}\" errors=\"0\">"
        );
        for suite in &suites {
            suite.write(&mut xml);
        }
        xml.push_str("</testsuites>\n");
        out.write_all(xml.as_bytes())?;
        Ok(())
    }
}

struct Case {
    name: String,
    /// `(message, body)` of the failure, when the policy fails on something here.
    failure: Option<(String, String)>,
    /// Gaps that do not fail (warnings, waived, baseline), for the log.
    output: String,
}

struct Suite {
    name: String,
    cases: Vec<Case>,
}

impl Suite {
    fn failures(&self) -> usize {
        self.cases.iter().filter(|c| c.failure.is_some()).count()
    }

    fn write(&self, xml: &mut String) {
        let name = escape(&self.name);
        let _ = writeln!(
            xml,
            "  <testsuite name=\"{name}\" tests=\"{}\" failures=\"{}\" errors=\"0\" skipped=\"0\">",
            self.cases.len(),
            self.failures()
        );
        for case in &self.cases {
            let _ = write!(
                xml,
                "    <testcase classname=\"{name}\" name=\"{}\"",
                escape(&case.name)
            );
            if case.failure.is_none() && case.output.is_empty() {
                xml.push_str("/>\n");
                continue;
            }
            xml.push_str(">\n");
            if let Some((message, body)) = &case.failure {
                let _ = writeln!(
                    xml,
                    "      <failure message=\"{}\" type=\"reqgap\">{}</failure>",
                    escape(message),
                    escape(body)
                );
            }
            if !case.output.is_empty() {
                let _ = writeln!(
                    xml,
                    "      <system-out>{}</system-out>",
                    escape(&case.output)
                );
            }
            xml.push_str("    </testcase>\n");
        }
        xml.push_str("  </testsuite>\n");
    }
}

fn target_suite(report: &CheckReport, target: &CheckedTarget) -> Suite {
    let catalog = &target.summary.catalog;
    let mut by_requirement: BTreeMap<&str, Vec<&CheckedGap>> = BTreeMap::new();
    for gap in &report.gaps {
        let on_target = gap
            .gap
            .requirement
            .as_ref()
            .filter(|r| r.catalog == *catalog);
        if let Some(requirement) = on_target {
            by_requirement
                .entry(requirement.id.as_str())
                .or_default()
                .push(gap);
        }
    }
    let cases = target
        .requirement_ids
        .iter()
        .map(|id| {
            case(
                id.as_str(),
                by_requirement
                    .get(id.as_str())
                    .map_or(&[][..], Vec::as_slice),
            )
        })
        .collect();
    Suite {
        name: catalog.to_string(),
        cases,
    }
}

/// Gaps that belong to no target requirement: controls, evidence, removed requirements and
/// newer versions, one case per gap.
fn other_suite(report: &CheckReport) -> Suite {
    let on_target = |gap: &CheckedGap| {
        gap.gap.requirement.as_ref().is_some_and(|r| {
            report
                .targets
                .iter()
                .any(|t| t.summary.catalog == r.catalog && t.requirement_ids.contains(&r.id))
        })
    };
    let cases = report
        .gaps
        .iter()
        .filter(|g| !on_target(g))
        .map(|g| case(&g.gap.key.to_string(), std::slice::from_ref(&g)))
        .collect();
    Suite {
        name: "inventory".into(),
        cases,
    }
}

fn coverage_suite(report: &CheckReport) -> Option<Suite> {
    let min = report.policy.min_coverage?;
    let cases = report
        .targets
        .iter()
        .map(|t| Case {
            name: format!("{} min-coverage {min}%", t.summary.catalog),
            failure: (!t.meets_min_coverage).then(|| {
                let message = format!(
                    "coverage {:.1}% is below {min}%",
                    t.summary.coverage_percent
                );
                (message.clone(), message)
            }),
            output: String::new(),
        })
        .collect();
    Some(Suite {
        name: "policy".into(),
        cases,
    })
}

fn case(name: &str, gaps: &[&CheckedGap]) -> Case {
    let failing: Vec<&&CheckedGap> = gaps.iter().filter(|g| g.outcome == Outcome::Fail).collect();
    let failure = failing.first().map(|first| {
        let message = format!("{}: {}", first.gap.kind, first.gap.title);
        let body: Vec<String> = failing.iter().map(|g| line(g)).collect();
        (message, body.join("\n"))
    });
    let output: Vec<String> = gaps
        .iter()
        .filter(|g| g.outcome != Outcome::Fail)
        .map(|g| line(g))
        .collect();
    Case {
        name: name.to_owned(),
        failure,
        output: output.join("\n"),
    }
}

fn line(checked: &CheckedGap) -> String {
    let gap = &checked.gap;
    let at = gap
        .place
        .as_ref()
        .map_or_else(String::new, |p| format!(" at {p}"));
    let owner = gap.owner.as_ref().map_or("nobody", |o| o.as_str());
    format!(
        "[{}] {}{at} (owner {owner}, due {}): {}",
        checked.outcome.as_str(),
        gap.key,
        gap.due,
        check_detail(checked)
    )
}

/// Escapes text for XML 1.0 content and attributes; characters XML 1.0 cannot carry at all
/// (most control characters) become U+FFFD.
pub fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            '\t' | '\n' | '\r' => out.push(c),
            c if (c as u32) < 0x20 || c == '\u{FFFE}' || c == '\u{FFFF}' => out.push('\u{FFFD}'),
            c => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::escape;

    #[test]
    fn escapes_markup_and_refuses_control_characters() {
        assert_eq!(
            escape("a<b & \"c\" 'd'>"),
            "a&lt;b &amp; &quot;c&quot; &apos;d&apos;&gt;"
        );
        assert_eq!(escape("bell\u{7}"), "bell\u{FFFD}");
        assert_eq!(escape("line\nnext"), "line\nnext");
    }
}
