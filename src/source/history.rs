//! History: the JSON gap reports of earlier runs (`reqgap gaps --format json`), kept in a
//! folder, one file per run. The management report draws its trend from them and says what
//! changed since the last one.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use chrono::{Datelike as _, NaiveDate};
use serde::Deserialize;

use crate::diag::{Code, Diagnostic, Diagnostics, Location, SourceFile};
use crate::model::{CatalogKey, GapKey, Severity};

/// One earlier run, as far as the report needs it.
#[derive(Clone, Debug, PartialEq)]
pub struct Snapshot {
    /// The file, as the user's folder names it.
    pub path: String,
    /// The run's analysis date: its `today` field, else a `YYYY-MM-DD` in the file name.
    pub date: NaiveDate,
    pub gaps: BTreeMap<GapKey, SnapshotGap>,
}

#[derive(Clone, Debug, PartialEq)]
pub struct SnapshotGap {
    pub severity: Severity,
    /// The gap's `status` was `overdue`.
    pub overdue: bool,
    pub target: Option<CatalogKey>,
}

impl Snapshot {
    pub fn open(&self) -> usize {
        self.gaps.len()
    }

    pub fn overdue(&self) -> usize {
        self.gaps.values().filter(|g| g.overdue).count()
    }
}

/// The snapshots of a folder, oldest first. Several files of one date keep the last by
/// file name (a re-run on the same day replaces the earlier one).
#[derive(Clone, Debug, Default, PartialEq)]
pub struct History {
    pub snapshots: Vec<Snapshot>,
}

impl History {
    /// The newest snapshot strictly before `today`: "the last report" that the current one
    /// is compared with (a snapshot of today itself is the current run, committed early).
    pub fn last_before(&self, today: NaiveDate) -> Option<&Snapshot> {
        self.snapshots.iter().rev().find(|s| s.date < today)
    }
}

// Unknown fields are accepted on purpose: a snapshot is reqgap's own output, which gains
// fields over time, and old or newer snapshots must stay readable as history.
#[derive(Deserialize)]
struct RawReport {
    today: Option<NaiveDate>,
    gaps: Vec<RawGap>,
}

#[derive(Deserialize)]
struct RawGap {
    key: GapKey,
    severity: RawSeverity,
    status: RawStatus,
    target: Option<CatalogKey>,
}

#[derive(Deserialize)]
#[serde(rename_all = "kebab-case")]
enum RawSeverity {
    Info,
    Low,
    Medium,
    High,
}

#[derive(Deserialize)]
#[serde(rename_all = "kebab-case")]
enum RawStatus {
    Open,
    Overdue,
}

impl RawGap {
    fn into_gap(self) -> (GapKey, SnapshotGap) {
        let severity = match self.severity {
            RawSeverity::Info => Severity::Info,
            RawSeverity::Low => Severity::Low,
            RawSeverity::Medium => Severity::Medium,
            RawSeverity::High => Severity::High,
        };
        let gap = SnapshotGap {
            severity,
            overdue: matches!(self.status, RawStatus::Overdue),
            target: self.target,
        };
        (self.key, gap)
    }
}

/// Reads every `*.json` file of `dir` (not recursively; hidden files skipped). Every
/// unreadable or undated file is reported, all together.
/// A snapshot whose file is a symbolic link leading outside both `dir` and the folder
/// reqgap runs in is refused unread.
pub fn load(dir: &Path) -> Result<History, Diagnostics> {
    load_with(dir, &super::inventory::PathRule::default())
}

/// [`load`] with the rule for where a snapshot's file may lead (`--allow-outside-root`).
pub fn load_with(dir: &Path, rule: &super::inventory::PathRule) -> Result<History, Diagnostics> {
    let display = super::display_path(dir);
    let entries = std::fs::read_dir(dir).map_err(|e| super::io_error(&display, &e))?;
    let mut paths: Vec<PathBuf> = Vec::new();
    for entry in entries {
        let path = entry.map_err(|e| super::io_error(&display, &e))?.path();
        let name = path.file_name().map(|n| n.to_string_lossy().into_owned());
        let hidden = name.as_deref().is_none_or(|n| n.starts_with('.'));
        if !hidden && path.is_file() && path.extension().is_some_and(|e| e == "json") {
            paths.push(path);
        }
    }
    paths.sort();
    let mut problems = Diagnostics::new();
    let mut by_date: BTreeMap<NaiveDate, Snapshot> = BTreeMap::new();
    for path in &paths {
        if let Err(problem) = rule.admit(dir, path) {
            problems.push(problem);
            continue;
        }
        match read_snapshot(path) {
            Ok(snapshot) => {
                by_date.insert(snapshot.date, snapshot);
            }
            Err(d) => problems.extend(d),
        }
    }
    problems.into_result(History {
        snapshots: by_date.into_values().collect(),
    })
}

fn read_snapshot(path: &Path) -> Result<Snapshot, Diagnostics> {
    let file = super::read_text(path)?;
    let raw: RawReport = serde_json::from_str(&file.text).map_err(|e| bad_snapshot(&file, &e))?;
    let name = path.file_name().map(|n| n.to_string_lossy().into_owned());
    let date = raw
        .today
        .or_else(|| name.as_deref().and_then(date_in_name))
        .ok_or_else(|| {
            Diagnostic::error(
                Code::UndatedSnapshot,
                "the snapshot has no `today` field and its file name holds no YYYY-MM-DD date",
            )
            .at(Location::file(&file.path))
            .note("help: name snapshots like gaps-2026-11-26.json")
        })?;
    if !(MIN_YEAR..=MAX_YEAR).contains(&date.year()) {
        return Err(Diagnostic::error(
            Code::BadHistory,
            format!("the snapshot's date {date} lies outside the years {MIN_YEAR}–{MAX_YEAR}"),
        )
        .at(Location::file(&file.path))
        .note("help: give the date of the run as YYYY-MM-DD, as `reqgap gaps --format json` writes it")
        .into());
    }
    let gaps = raw.gaps.into_iter().map(RawGap::into_gap).collect();
    Ok(Snapshot {
        path: file.path.clone(),
        date,
        gaps,
    })
}

/// The years a snapshot may be dated in: a report of the year 0 or -15 is a broken file,
/// and would head the trend as "last report (0000-01-01)".
const MIN_YEAR: i32 = 1900;
const MAX_YEAR: i32 = 9999;

/// `message` with every backquoted value cut as elsewhere (an unknown severity of 10,000
/// characters is named by its start).
fn clip_quoted(message: &str) -> String {
    message
        .split('`')
        .enumerate()
        .map(|(i, part)| {
            let clipped = super::yaml::clip(part);
            if i % 2 == 1 && clipped.len() < part.len() {
                format!("{clipped}…")
            } else {
                part.to_owned()
            }
        })
        .collect::<Vec<_>>()
        .join("`")
}

fn bad_snapshot(file: &SourceFile, error: &serde_json::Error) -> Diagnostics {
    let location = if error.line() > 0 {
        file.location(error.line(), error.column().max(1), 1)
    } else {
        Location::file(&file.path)
    };
    let message = error.to_string();
    let message = clip_quoted(message.split(" at line ").next().unwrap_or(&message));
    Diagnostic::error(
        Code::BadHistory,
        format!("not a JSON gap report: {message}"),
    )
    .at(location)
    .note("help: history snapshots are the output of `reqgap gaps --format json`")
    .into()
}

/// The first `YYYY-MM-DD` in a file name (`gaps-2026-11-26.json`).
pub fn date_in_name(name: &str) -> Option<NaiveDate> {
    let bytes = name.as_bytes();
    (0..bytes.len().saturating_sub(9)).find_map(|start| {
        let candidate = name.get(start..start + 10)?;
        let shape_ok = candidate.bytes().enumerate().all(|(i, b)| match i {
            4 | 7 => b == b'-',
            _ => b.is_ascii_digit(),
        });
        shape_ok
            .then(|| NaiveDate::parse_from_str(candidate, "%Y-%m-%d").ok())
            .flatten()
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn write(dir: &Path, name: &str, text: &str) {
        std::fs::write(dir.join(name), text).unwrap();
    }

    #[test]
    fn dates_come_from_today_else_the_file_name() {
        let dir = tempfile::tempdir().unwrap();
        write(
            dir.path(),
            "a.json",
            r#"{"today": "2026-10-01", "extra": 1, "gaps": [{"key": "unowned:control:A", "severity": "high", "status": "overdue"}]}"#,
        );
        write(dir.path(), "gaps-2026-09-01.json", r#"{"gaps": []}"#);
        write(dir.path(), "notes.txt", "not a snapshot");
        let history = load(dir.path()).unwrap();
        let dates: Vec<String> = history
            .snapshots
            .iter()
            .map(|s| s.date.to_string())
            .collect();
        assert_eq!(dates, ["2026-09-01", "2026-10-01"]);
        assert_eq!(history.snapshots[1].overdue(), 1);
        let today = NaiveDate::from_ymd_opt(2026, 10, 1).unwrap();
        assert_eq!(
            history.last_before(today).unwrap().date.to_string(),
            "2026-09-01"
        );
    }

    #[test]
    fn undated_and_malformed_snapshots_are_all_reported() {
        let dir = tempfile::tempdir().unwrap();
        write(dir.path(), "undated.json", r#"{"gaps": []}"#);
        write(
            dir.path(),
            "broken.json",
            "{\n  \"gaps\": [{\"key\": 1}]\n}\n",
        );
        let problems = load(dir.path()).unwrap_err();
        let codes: Vec<&str> = problems.iter().map(|d| d.code.as_str()).collect();
        assert_eq!(codes, ["bad-history", "undated-snapshot"]);
        let broken = problems.iter().next().unwrap();
        assert_eq!(broken.location.as_ref().and_then(|l| l.line), Some(2));
    }

    #[test]
    fn dates_outside_1900_to_9999_and_long_values_are_refused_briefly() {
        let dir = tempfile::tempdir().unwrap();
        write(
            dir.path(),
            "a.json",
            r#"{"today": "-0015-01-22", "gaps": []}"#,
        );
        write(dir.path(), "gaps-0000-01-01.json", r#"{"gaps": []}"#);
        let long = "x".repeat(300);
        write(
            dir.path(),
            "b.json",
            &format!(
                r#"{{"today": "2026-01-01", "gaps": [{{"key": "k", "severity": "{long}", "status": "open"}}]}}"#
            ),
        );
        write(
            dir.path(),
            "c.json",
            r#"{"today": "1900-01-01", "gaps": []}"#,
        );
        let problems = load(dir.path()).unwrap_err();
        let messages: Vec<String> = problems.iter().map(|d| d.message.clone()).collect();
        assert_eq!(messages.len(), 3, "{messages:?}");
        assert!(messages[0].contains("-0015-01-22 lies outside the years 1900–9999"));
        assert!(messages[1].chars().count() < 200, "{}", messages[1]);
        assert!(messages[2].contains("0000-01-01 lies outside"));
    }

    #[test]
    fn finds_a_date_anywhere_in_the_name() {
        assert_eq!(
            date_in_name("weekly-2026-11-26.json"),
            NaiveDate::from_ymd_opt(2026, 11, 26)
        );
        assert_eq!(date_in_name("2026-13-01.json"), None);
        assert_eq!(date_in_name("gaps.json"), None);
    }
}
