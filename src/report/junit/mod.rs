//! JUnit XML for GitLab and Jenkins test reports: one test suite per target with one test
//! case per active requirement (failing when a gap on it fails the policy), one suite for
//! gaps about controls and removed requirements, and one for the coverage floor.

use std::collections::BTreeMap;
use std::io::{self, Write};

use quick_xml::events::{BytesDecl, BytesText, Event};
use quick_xml::Writer;

use super::{InputErrors, ReportError, Reporter};
use crate::check::{CheckReport, CheckedGap, CheckedTarget, Outcome};
use crate::diag;
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
        write_suites(&suites, out)
    }

    /// One `input` suite with a failing case per input error, so the pipeline's test
    /// report says why nothing was checked.
    fn input_errors(
        &self,
        errors: &InputErrors<'_>,
        out: &mut dyn Write,
    ) -> Result<(), ReportError> {
        let cases = errors
            .errors
            .iter()
            .map(|d| {
                let at = d
                    .location
                    .as_ref()
                    .map_or_else(String::new, |l| format!(" at {}", l.display()));
                let message = format!("{}{at}: {}", d.code, d.message);
                let body = diag::render(d);
                Case {
                    name: format!("{}{at}", d.code),
                    failure: d.is_error().then(|| (message, body.clone())),
                    output: if d.is_error() { String::new() } else { body },
                }
            })
            .collect();
        let suite = Suite {
            name: "input".into(),
            cases,
        };
        write_suites(&[suite], out)
    }
}

fn write_suites(suites: &[Suite], out: &mut dyn Write) -> Result<(), ReportError> {
    let tests: usize = suites.iter().map(|s| s.cases.len()).sum();
    let failures: usize = suites.iter().map(Suite::failures).sum();
    let mut xml = Writer::new_with_indent(Vec::new(), b' ', 2);
    xml.write_event(Event::Decl(BytesDecl::new("1.0", Some("UTF-8"), None)))?;
    xml.create_element("testsuites")
        .with_attributes([
            ("name", "reqgap check"),
            ("tests", &tests.to_string()),
            ("failures", &failures.to_string()),
            ("errors", "0"),
        ])
        .write_inner_content(|xml| suites.iter().try_for_each(|suite| suite.write(xml)))?;
    let mut bytes = xml.into_inner();
    bytes.push(b'\n');
    out.write_all(&bytes)?;
    Ok(())
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

    fn write(&self, xml: &mut Writer<Vec<u8>>) -> io::Result<()> {
        let name = xml_chars(&self.name);
        xml.create_element("testsuite")
            .with_attributes([
                ("name", name.as_str()),
                ("tests", &self.cases.len().to_string()),
                ("failures", &self.failures().to_string()),
                ("errors", "0"),
                ("skipped", "0"),
            ])
            .write_inner_content(|xml| {
                self.cases
                    .iter()
                    .try_for_each(|case| case.write(&name, xml))
            })?;
        Ok(())
    }
}

impl Case {
    fn write(&self, suite: &str, xml: &mut Writer<Vec<u8>>) -> io::Result<()> {
        let name = xml_chars(&self.name);
        let element = xml
            .create_element("testcase")
            .with_attributes([("classname", suite), ("name", name.as_str())]);
        if self.failure.is_none() && self.output.is_empty() {
            element.write_empty()?;
            return Ok(());
        }
        element.write_inner_content(|xml| {
            if let Some((message, body)) = &self.failure {
                xml.create_element("failure")
                    .with_attributes([("message", xml_chars(message).as_str()), ("type", "reqgap")])
                    .write_text_content(BytesText::new(&xml_chars(body)))?;
            }
            if !self.output.is_empty() {
                xml.create_element("system-out")
                    .write_text_content(BytesText::new(&xml_chars(&self.output)))?;
            }
            Ok(())
        })?;
        Ok(())
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

/// Text as XML 1.0 can carry it: characters it cannot carry at all (most control
/// characters) become U+FFFD; the writer escapes markup.
fn xml_chars(text: &str) -> String {
    text.chars()
        .map(|c| match c {
            '\t' | '\n' | '\r' => c,
            c if (c as u32) < 0x20 || c == '\u{FFFE}' || c == '\u{FFFF}' => '\u{FFFD}',
            c => c,
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn one_case(name: &str, failure: &str) -> String {
        let suite = Suite {
            name: "suite".into(),
            cases: vec![Case {
                name: name.into(),
                failure: Some((failure.into(), failure.into())),
                output: String::new(),
            }],
        };
        let mut out = Vec::new();
        write_suites(&[suite], &mut out).unwrap();
        String::from_utf8(out).unwrap()
    }

    #[test]
    fn escapes_markup_and_replaces_control_characters() {
        let xml = one_case("a<b & \"c\"", "bell\u{7} <x>");
        assert!(xml.contains("name=\"a&lt;b &amp; &quot;c&quot;\""), "{xml}");
        assert!(xml.contains(">bell\u{FFFD} &lt;x&gt;</failure>"), "{xml}");
        assert!(!xml.contains('\u{7}'));
    }
}
