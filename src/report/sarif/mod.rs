//! SARIF 2.1.0 for GitHub code scanning: one rule per gap kind (described with the same
//! text as docs/gaps.md), one result per gap at the inventory line that causes it, with
//! repository-relative URIs and fingerprints from the gap key so alerts stay stable.
//! Input errors that stop a run are results of one more rule, `input-error`.

use std::collections::BTreeMap;
use std::io::Write;

use serde_json::{json, Value};

use super::{write_json, InputErrors, ReportError, Reporter};
use crate::check::{CheckReport, CheckedGap, Outcome};
use crate::diag::{self, Diagnostic};
use crate::gaps::{GapKind, Severity};
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
        let mut results: Vec<Value> = report
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
        write_json(&document(results, report_properties(report)), out)
    }

    fn input_errors(
        &self,
        errors: &InputErrors<'_>,
        out: &mut dyn Write,
    ) -> Result<(), ReportError> {
        let results: Vec<Value> = errors.errors.iter().map(input_result).collect();
        let properties = json!({ "verdict": errors.verdict, "summary": errors.summary });
        write_json(&document(results, properties), out)
    }
}

fn report_properties(report: &CheckReport) -> Value {
    json!({ "verdict": report.verdict, "summary": report.summary_line() })
}

fn document(results: Vec<Value>, properties: Value) -> Value {
    json!({
        "$schema": "https://json.schemastore.org/sarif-2.1.0.json",
        "version": "2.1.0",
        "runs": [{
            "tool": { "driver": driver() },
            "originalUriBaseIds": {
                SRCROOT: { "description": { "text": "The repository root: the folder reqgap ran in." } }
            },
            "columnKind": "unicodeCodePoints",
            "results": results,
            "properties": properties,
        }],
    })
}

fn driver() -> Value {
    let mut rules: Vec<Value> = GapKind::ALL
        .iter()
        .map(|kind| {
            json!({
                "id": kind.code(),
                "name": kind.code(),
                "shortDescription": { "text": kind.description() },
                "fullDescription": { "text": kind.description() },
                "defaultConfiguration": { "level": level(kind.base_severity()) },
                "properties": { "severity": kind.base_severity() },
            })
        })
        .collect();
    let input = "An input file is invalid, so the check could not run (see docs/diagnostics.md for the codes).";
    rules.push(json!({
        "id": INPUT_ERROR_RULE,
        "name": INPUT_ERROR_RULE,
        "shortDescription": { "text": input },
        "fullDescription": { "text": input },
        "defaultConfiguration": { "level": "error" },
    }));
    json!({
        "name": "reqgap",
        "semanticVersion": env!("CARGO_PKG_VERSION"),
        "rules": rules,
    })
}

impl SarifReporter {
    fn result(&self, checked: &CheckedGap, with_baseline: bool) -> Value {
        let gap = &checked.gap;
        let rule_index = GapKind::ALL
            .iter()
            .position(|k| *k == gap.kind)
            .unwrap_or_default();
        let mut result = json!({
            "ruleId": gap.kind.code(),
            "ruleIndex": rule_index,
            "level": level(gap.severity),
            "message": { "text": format!("{}: {}", gap.title, check_detail(checked)) },
            "partialFingerprints": { "reqgapGapKey/v1": gap.key },
            "properties": {
                "outcome": checked.outcome,
                "severity": gap.severity,
                "status": gap.status,
                "owner": gap.owner,
                "due": gap.due,
            },
        });
        let Some(object) = result.as_object_mut() else {
            return result;
        };
        if let Some(place) = &gap.place {
            object.insert("locations".into(), json!([location(place)]));
        }
        let in_catalog = gap
            .requirement
            .as_ref()
            .and_then(|r| self.requirement_places.get(r));
        if let (Some(place), Some(requirement)) = (in_catalog, &gap.requirement) {
            let mut related = location(place);
            if let Some(related) = related.as_object_mut() {
                related.insert("id".into(), json!(0));
                related.insert(
                    "message".into(),
                    json!({ "text": format!("{requirement} in its catalog") }),
                );
            }
            object.insert("relatedLocations".into(), json!([related]));
        }
        if checked.outcome == Outcome::Waived {
            let reason = checked
                .waiver
                .as_ref()
                .map(|w| w.reason.clone())
                .unwrap_or_default();
            object.insert(
                "suppressions".into(),
                json!([{ "kind": "external", "status": "accepted", "justification": reason }]),
            );
        }
        if with_baseline {
            let state = if checked.outcome == Outcome::Baseline {
                "unchanged"
            } else {
                "new"
            };
            object.insert("baselineState".into(), json!(state));
        }
        result
    }
}

/// A requirement declared not applicable: the `uncovered` result it would otherwise be,
/// suppressed with the decision's justification, so code scanning shows it as accepted.
fn not_applicable_result(declared: &crate::gaps::NotApplicableRequirement) -> Value {
    let kind = GapKind::Uncovered;
    let rule_index = GapKind::ALL
        .iter()
        .position(|k| *k == kind)
        .unwrap_or_default();
    json!({
        "ruleId": kind.code(),
        "ruleIndex": rule_index,
        "level": "note",
        "message": { "text": format!("{} is declared not applicable: {}", declared.requirement, declared.justification) },
        "partialFingerprints": { "reqgapGapKey/v1": format!("{}:{}", kind.code(), declared.requirement) },
        "locations": [location(&declared.place)],
        "suppressions": [{
            "kind": "external",
            "status": "accepted",
            "justification": format!("{} (approved by {}, next review {})", declared.justification, declared.approved_by, declared.next_review),
        }],
        "properties": { "outcome": "not-applicable", "owner": declared.approved_by },
    })
}

/// The level follows the gap's severity, whatever the policy makes of it: code scanning
/// sorts and filters by level, and a stale reference is not as urgent as an uncovered
/// `shall`. Whether the run fails is the verdict's business (and the exit code's).
fn level(severity: Severity) -> &'static str {
    match severity {
        Severity::High => "error",
        Severity::Medium => "warning",
        Severity::Low | Severity::Info => "note",
    }
}

fn input_result(diagnostic: &Diagnostic) -> Value {
    let level = match diagnostic.severity {
        diag::Severity::Error => "error",
        diag::Severity::Warning => "warning",
        diag::Severity::Note => "note",
    };
    let mut text = format!("{}: {}", diagnostic.code, diagnostic.message);
    for note in &diagnostic.notes {
        text.push('\n');
        text.push_str(note);
    }
    let mut result = json!({
        "ruleId": INPUT_ERROR_RULE,
        "ruleIndex": GapKind::ALL.len(),
        "level": level,
        "message": { "text": text },
        "properties": { "code": diagnostic.code },
    });
    if let (Some(at), Some(object)) = (&diagnostic.location, result.as_object_mut()) {
        let place = Place {
            path: at.path.clone(),
            line: at.line.unwrap_or(1),
            column: at.column.unwrap_or(1),
        };
        object.insert("locations".into(), json!([location(&place)]));
    }
    result
}

fn location(place: &Place) -> Value {
    let (uri, base) = uri(&place.path);
    let mut artifact = json!({ "uri": uri });
    if let (Some(base), Some(object)) = (base, artifact.as_object_mut()) {
        object.insert("uriBaseId".into(), json!(base));
    }
    json!({
        "physicalLocation": {
            "artifactLocation": artifact,
            "region": { "startLine": place.line.max(1), "startColumn": place.column.max(1) },
        }
    })
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
