//! SARIF 2.1.0 for GitHub code scanning: one rule per gap kind (described with the same
//! text as docs/gaps.md), one result per gap at the inventory line that causes it, with
//! repository-relative URIs and fingerprints from the gap key so alerts stay stable.

use std::io::Write;

use serde_json::{json, Value};

use super::{write_json, ReportError, Reporter};
use crate::check::{CheckReport, CheckedGap, Outcome};
use crate::gaps::GapKind;
use crate::model::Place;
use crate::report::table::check_detail;

pub struct SarifReporter;

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
            .map(|g| result(g, report.baseline.is_some()))
            .collect();
        results.extend(
            report
                .targets
                .iter()
                .flat_map(|t| &t.summary.not_applicable_requirements)
                .map(not_applicable_result),
        );
        let sarif = json!({
            "$schema": "https://json.schemastore.org/sarif-2.1.0.json",
            "version": "2.1.0",
            "runs": [{
                "tool": { "driver": driver() },
                "originalUriBaseIds": {
                    SRCROOT: { "description": { "text": "The repository root: the folder reqgap ran in." } }
                },
                "columnKind": "unicodeCodePoints",
                "results": results,
                "properties": {
                    "verdict": report.verdict,
                    "summary": report.summary_line(),
                },
            }],
        });
        write_json(&sarif, out)
    }
}

fn driver() -> Value {
    let rules: Vec<Value> = GapKind::ALL
        .iter()
        .map(|kind| {
            json!({
                "id": kind.code(),
                "name": kind.code(),
                "shortDescription": { "text": kind.description() },
                "fullDescription": { "text": kind.description() },
                "properties": { "severity": kind.base_severity() },
            })
        })
        .collect();
    json!({
        "name": "reqgap",
        "semanticVersion": env!("CARGO_PKG_VERSION"),
        "rules": rules,
    })
}

fn result(checked: &CheckedGap, with_baseline: bool) -> Value {
    let gap = &checked.gap;
    let rule_index = GapKind::ALL
        .iter()
        .position(|k| *k == gap.kind)
        .unwrap_or_default();
    let mut result = json!({
        "ruleId": gap.kind.code(),
        "ruleIndex": rule_index,
        "level": level(checked),
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
    if let (Some(place), Some(object)) = (&gap.place, result.as_object_mut()) {
        object.insert("locations".into(), json!([location(place)]));
    }
    if let Some(object) = result.as_object_mut() {
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
    }
    result
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

/// Failing gaps are errors; the rest keep the level they would have without a waiver or
/// baseline, so that a reopened gap looks the same as before it was waived.
fn level(checked: &CheckedGap) -> &'static str {
    match (checked.outcome, checked.rule) {
        (Outcome::Fail, _) | (Outcome::Waived | Outcome::Baseline, Some(_)) => "error",
        (Outcome::Note, _) => "note",
        _ => "warning",
    }
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
    let path = path.replace('\\', "/");
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
            uri("C:\\inv\\a.yaml"),
            ("file:///C:/inv/a.yaml".into(), None)
        );
    }
}
