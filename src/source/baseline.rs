//! Baselines: the JSON report of an earlier `reqgap gaps` or `reqgap check` run, of which
//! only the gap keys matter.

use std::collections::BTreeSet;
use std::path::Path;

use serde::Deserialize;

use crate::diag::{Code, Diagnostic, Diagnostics};
use crate::model::{Baseline, GapKey};

/// The part of a JSON gap or check report that a baseline needs. Other fields are
/// ignored, so that reports of any later reqgap version remain usable as baselines.
#[derive(Deserialize)]
struct ReportFile {
    gaps: Vec<ReportGap>,
}

#[derive(Deserialize)]
struct ReportGap {
    key: GapKey,
}

/// Reads the gap keys of the JSON report at `path`.
pub fn load(path: &Path) -> Result<Baseline, Diagnostics> {
    let file = super::read_text(path)?;
    match serde_json::from_str::<ReportFile>(&file.text) {
        Ok(report) => Ok(Baseline {
            path: file.path.clone(),
            keys: report
                .gaps
                .into_iter()
                .map(|g| g.key)
                .collect::<BTreeSet<_>>(),
        }),
        Err(error) => {
            let location =
                (error.line() > 0).then(|| file.location(error.line(), error.column().max(1), 1));
            Err(Diagnostic::error(
                Code::BadBaseline,
                format!("not a JSON gap report: {}", strip_position(&error.to_string())),
            )
            .at_opt(location)
            .note("help: write a baseline with `reqgap check --format json --output FILE` (or `reqgap gaps --format json`)")
            .into())
        }
    }
}

/// serde_json appends " at line L column C"; the location already says it.
fn strip_position(message: &str) -> &str {
    message.split(" at line ").next().unwrap_or(message)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_keys_and_locates_errors() {
        let dir = tempfile::tempdir().unwrap();
        let good = dir.path().join("good.json");
        std::fs::write(
            &good,
            r#"{"today": "2026-01-01", "gaps": [{"key": "unowned:control:A", "kind": "x"}, {"key": "uncovered:s@1:R-1"}]}"#,
        )
        .unwrap();
        let baseline = load(&good).unwrap();
        let keys: Vec<String> = baseline.keys.iter().map(ToString::to_string).collect();
        assert_eq!(keys, ["uncovered:s@1:R-1", "unowned:control:A"]);
        let bad = dir.path().join("bad.json");
        std::fs::write(&bad, "{\n  \"gaps\": [{\"kee\": \"a\"}]\n}\n").unwrap();
        let error = load(&bad).unwrap_err();
        let first = error.iter().next().unwrap();
        assert_eq!(first.code, "bad-baseline");
        assert_eq!(first.location.as_ref().and_then(|l| l.line), Some(2));
        let unknown_kind = dir.path().join("kind.json");
        std::fs::write(
            &unknown_kind,
            "{\"gaps\": [\n {\"key\": \"covered:s@1:R-1\"}]}",
        )
        .unwrap();
        let error = load(&unknown_kind).unwrap_err();
        assert_eq!(
            error
                .iter()
                .next()
                .unwrap()
                .location
                .as_ref()
                .and_then(|l| l.line),
            Some(2)
        );
    }
}
