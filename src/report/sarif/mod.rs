//! SARIF 2.1.0 for GitHub code scanning: one rule per gap kind (described with the same
//! text as docs/gaps.md), one result per gap at the inventory line that causes it, with
//! repository-relative URIs and fingerprints from the gap key so alerts stay stable.
//! Input errors that stop a run are results of one more rule, `input-error`.

mod model;

use std::collections::BTreeMap;
use std::io::Write;

use self::model::{
    ArtifactLocation, BaselineState, Configuration, Driver, Fingerprints, Level, Location, Log,
    Message, PhysicalLocation, Region, ResultProperties, Rule, RuleProperties, Run, RunProperties,
    SarifResult, Suppression, Tool, UriBase,
};
use super::{write_json, InputErrors, ReportError, Reporter};
use crate::check::{CheckReport, CheckedGap, Outcome, Verdict};
use crate::diag::{self, Diagnostic};
use crate::gaps::{GapKind, NotApplicableRequirement, Severity};
use crate::model::{Place, RequirementKey};
use crate::report::table::check_detail;

/// `requirement_places` locates requirements in catalog files of the repository; a gap on
/// one of them carries that place as a related location (the catalog line beside the
/// inventory line).
#[derive(Default)]
pub struct SarifReporter {
    pub requirement_places: BTreeMap<RequirementKey, Place>,
}

/// The rule of input errors, after the gap kinds.
pub const INPUT_ERROR_RULE: &str = "input-error";

/// The base every URI is relative to: the repository root (the folder reqgap runs in).
pub const SRCROOT: &str = "%SRCROOT%";

impl Reporter for SarifReporter {
    fn name(&self) -> &'static str {
        "sarif"
    }

    fn check(&self, report: &CheckReport, out: &mut dyn Write) -> Result<(), ReportError> {
        let mut results: Vec<SarifResult> = report
            .gaps
            .iter()
            .filter(|g| g.outcome != Outcome::Note)
            .map(|g| self.result(g, report.baseline.is_some()))
            .collect();
        results.extend(
            report
                .targets
                .iter()
                .flat_map(|t| &t.summary.not_applicable_requirements)
                .map(not_applicable_result),
        );
        let verdict = match report.verdict {
            Verdict::Pass => "pass",
            Verdict::Fail => "fail",
        };
        let properties = RunProperties {
            summary: report.summary_line(),
            verdict,
        };
        write_json(&log(results, properties), out)
    }

    fn input_errors(
        &self,
        errors: &InputErrors<'_>,
        out: &mut dyn Write,
    ) -> Result<(), ReportError> {
        let results = errors.errors.iter().map(input_result).collect();
        let properties = RunProperties {
            summary: errors.summary.clone(),
            verdict: errors.verdict,
        };
        write_json(&log(results, properties), out)
    }
}

fn log(results: Vec<SarifResult>, properties: RunProperties) -> Log {
    let root = UriBase {
        description: Message::new("The repository root: the folder reqgap ran in."),
    };
    Log {
        schema: "https://json.schemastore.org/sarif-2.1.0.json",
        runs: [Run {
            column_kind: "unicodeCodePoints",
            original_uri_base_ids: BTreeMap::from([(SRCROOT, root)]),
            properties,
            results,
            tool: Tool { driver: driver() },
        }],
        version: "2.1.0",
    }
}

fn driver() -> Driver {
    let mut rules: Vec<Rule> = GapKind::ALL
        .iter()
        .map(|kind| Rule {
            default_configuration: Configuration {
                level: severity_level(kind.base_severity()),
            },
            full_description: Message::new(kind.description()),
            id: kind.code(),
            name: kind.code(),
            properties: Some(RuleProperties {
                severity: kind.base_severity(),
            }),
            short_description: Message::new(kind.description()),
        })
        .collect();
    let input = "An input file is invalid, so the check could not run (see docs/diagnostics.md for the codes).";
    rules.push(Rule {
        default_configuration: Configuration {
            level: Level::Error,
        },
        full_description: Message::new(input),
        id: INPUT_ERROR_RULE,
        name: INPUT_ERROR_RULE,
        properties: None,
        short_description: Message::new(input),
    });
    Driver {
        information_uri: information_uri(),
        name: "reqgap",
        rules,
        semantic_version: env!("CARGO_PKG_VERSION"),
        version: env!("CARGO_PKG_VERSION"),
    }
}

/// The tool's home page, from the package metadata (`homepage`, else `repository`); SARIF
/// viewers link the tool name to it. Absent while the package names neither.
fn information_uri() -> Option<&'static str> {
    [env!("CARGO_PKG_HOMEPAGE"), env!("CARGO_PKG_REPOSITORY")]
        .into_iter()
        .find(|uri| !uri.is_empty())
}

fn rule_index(kind: GapKind) -> usize {
    GapKind::ALL
        .iter()
        .position(|k| *k == kind)
        .unwrap_or_default()
}

impl SarifReporter {
    fn result(&self, checked: &CheckedGap, with_baseline: bool) -> SarifResult {
        let gap = &checked.gap;
        let related_locations = gap
            .requirement
            .as_ref()
            .and_then(|r| Some((r, self.requirement_places.get(r)?)))
            .map(|(requirement, place)| Location {
                id: Some(0),
                message: Some(Message::new(format!("{requirement} in its catalog"))),
                ..location(place)
            })
            .into_iter()
            .collect();
        let suppressions = (checked.outcome == Outcome::Waived)
            .then(|| Suppression {
                justification: checked
                    .waiver
                    .as_ref()
                    .map(|w| w.reason.clone())
                    .unwrap_or_default(),
                kind: "external",
                status: "accepted",
            })
            .into_iter()
            .collect();
        let baseline_state = with_baseline.then_some(if checked.outcome == Outcome::Baseline {
            BaselineState::Unchanged
        } else {
            BaselineState::New
        });
        SarifResult {
            baseline_state,
            level: result_level(checked),
            locations: gap.place.iter().map(location).collect(),
            message: Message::new(format!("{}: {}", gap.title, check_detail(checked))),
            partial_fingerprints: Some(Fingerprints {
                gap_key: gap.key.to_string(),
            }),
            properties: ResultProperties::Gap {
                due: gap.due,
                outcome: checked.outcome,
                owner: gap.owner.clone(),
                plan: gap.plan.clone(),
                severity: gap.severity,
                status: gap.status,
            },
            related_locations,
            rule_id: gap.kind.code(),
            rule_index: rule_index(gap.kind),
            suppressions,
        }
    }
}

/// A requirement declared not applicable: the `uncovered` result it would otherwise be,
/// suppressed with the decision's justification, so code scanning shows it as accepted.
fn not_applicable_result(declared: &NotApplicableRequirement) -> SarifResult {
    let kind = GapKind::Uncovered;
    SarifResult {
        baseline_state: None,
        level: Level::Note,
        locations: vec![location(&declared.place)],
        message: Message::new(format!(
            "{} is declared not applicable: {}",
            declared.requirement, declared.justification
        )),
        partial_fingerprints: Some(Fingerprints {
            gap_key: format!("{}:{}", kind.code(), declared.requirement),
        }),
        properties: ResultProperties::NotApplicable {
            outcome: "not-applicable",
            owner: declared.approved_by.clone(),
        },
        related_locations: Vec::new(),
        rule_id: kind.code(),
        rule_index: rule_index(kind),
        suppressions: vec![Suppression {
            justification: format!(
                "{} (approved by {}, next review {})",
                declared.justification, declared.approved_by, declared.next_review
            ),
            kind: "external",
            status: "accepted",
        }],
    }
}

/// A gap the policy fails on is an `error`: code scanning must show the alert that broke
/// the build as one. Otherwise the level follows the gap's severity, since code scanning
/// sorts and filters by level and a stale reference is not as urgent as an uncovered
/// `shall`.
fn result_level(checked: &CheckedGap) -> Level {
    if checked.outcome == Outcome::Fail {
        Level::Error
    } else {
        severity_level(checked.gap.severity)
    }
}

fn severity_level(severity: Severity) -> Level {
    match severity {
        Severity::High => Level::Error,
        Severity::Medium => Level::Warning,
        Severity::Low | Severity::Info => Level::Note,
    }
}

fn input_result(diagnostic: &Diagnostic) -> SarifResult {
    let level = match diagnostic.severity {
        diag::Severity::Error => Level::Error,
        diag::Severity::Warning => Level::Warning,
        diag::Severity::Note => Level::Note,
    };
    let mut text = format!("{}: {}", diagnostic.code, diagnostic.message);
    for note in &diagnostic.notes {
        text.push('\n');
        text.push_str(note);
    }
    let locations = diagnostic
        .location
        .iter()
        .map(|at| location(&place_of(at)))
        .collect();
    SarifResult {
        baseline_state: None,
        level,
        locations,
        message: Message::new(text),
        partial_fingerprints: None,
        properties: ResultProperties::InputError {
            code: diagnostic.code.as_str(),
        },
        related_locations: related_locations(diagnostic),
        rule_id: INPUT_ERROR_RULE,
        rule_index: GapKind::ALL.len(),
        suppressions: Vec::new(),
    }
}

/// The other places of a diagnostic (the first definition of a duplicate), numbered from 0.
fn related_locations(diagnostic: &Diagnostic) -> Vec<Location> {
    diagnostic
        .related
        .iter()
        .enumerate()
        .map(|(id, related)| Location {
            id: Some(id),
            message: Some(Message::new(related.label.clone())),
            ..location(&place_of(&related.location))
        })
        .collect()
}

fn place_of(at: &diag::Location) -> Place {
    Place {
        path: at.path.clone(),
        line: at.line.unwrap_or(1),
        column: at.column.unwrap_or(1),
    }
}

fn location(place: &Place) -> Location {
    let (uri, uri_base_id) = uri(&place.path);
    Location {
        id: None,
        message: None,
        physical_location: PhysicalLocation {
            artifact_location: ArtifactLocation { uri, uri_base_id },
            region: Region {
                start_column: place.column.max(1),
                start_line: place.line.max(1),
            },
        },
    }
}

/// A repository-relative URI with `%SRCROOT%` as its base; an absolute path (when reqgap
/// was pointed at one) becomes a `file:` URI without a base.
pub fn uri(path: &str) -> (String, Option<&'static str>) {
    let path = normalise(&path.replace('\\', "/"));
    let relative = path.trim_start_matches("./");
    let absolute = relative.starts_with('/') || relative.as_bytes().get(1) == Some(&b':');
    let encoded = percent_encode(relative);
    if absolute {
        let slash = if encoded.starts_with('/') { "" } else { "/" };
        (format!("file://{slash}{encoded}"), None)
    } else {
        (encoded, Some(SRCROOT))
    }
}

/// Removes `.` segments and folds `dir/..` pairs, so that a catalog named from an
/// inventory (`inv/../catalogs/x.yaml`) gets the URI code scanning knows
/// (`catalogs/x.yaml`). Leading `..` segments stay: they leave the repository.
fn normalise(path: &str) -> String {
    let absolute = path.starts_with('/');
    let mut segments: Vec<&str> = Vec::new();
    for segment in path.split('/') {
        match segment {
            "" | "." => {}
            ".." if segments.last().is_some_and(|s| *s != "..") => {
                segments.pop();
            }
            other => segments.push(other),
        }
    }
    let joined = segments.join("/");
    if absolute {
        format!("/{joined}")
    } else {
        joined
    }
}

/// Percent-encodes every byte outside RFC 3986's unreserved characters and `/` (and `:`
/// of a Windows drive).
fn percent_encode(path: &str) -> String {
    let mut out = String::with_capacity(path.len());
    for (i, byte) in path.bytes().enumerate() {
        let keep = byte.is_ascii_alphanumeric()
            || matches!(byte, b'-' | b'.' | b'_' | b'~' | b'/')
            || (byte == b':' && i == 1);
        if keep {
            out.push(char::from(byte));
        } else {
            out.push_str(&format!("%{byte:02X}"));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn uris_are_relative_and_encoded() {
        assert_eq!(
            uri("inv/controls/a b.yaml"),
            ("inv/controls/a%20b.yaml".into(), Some(SRCROOT))
        );
        assert_eq!(
            uri("./inv\\x#.yaml"),
            ("inv/x%23.yaml".into(), Some(SRCROOT))
        );
        assert_eq!(
            uri("/srv/inv/a.yaml"),
            ("file:///srv/inv/a.yaml".into(), None)
        );
        assert_eq!(
            uri("inv/sub/../../catalogs/./x.yaml"),
            ("catalogs/x.yaml".into(), Some(SRCROOT))
        );
        assert_eq!(uri("../x.yaml"), ("../x.yaml".into(), Some(SRCROOT)));
        assert_eq!(
            uri("C:\\inv\\a.yaml"),
            ("file:///C:/inv/a.yaml".into(), None)
        );
    }
}
