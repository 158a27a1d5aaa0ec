//! `reqgap check` outputs checked by their consumers' rules: SARIF against the official
//! 2.1.0 schema, JUnit by an XML parser, every format byte-identical across runs, and the
//! file-writing paths (`--output`, `$GITHUB_STEP_SUMMARY`).

use std::path::Path;
use std::process::{Command, Output};

const MIXED: &str = "tests/fixtures/inventories/check/mixed";
const BASELINE: &str = "tests/fixtures/baselines/previous.json";
const TODAY: &str = "2026-10-01";
const FORMATS: [&str; 8] = [
    "table", "json", "markdown", "html", "csv", "sarif", "junit", "github",
];

fn reqgap(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_reqgap"))
        .args(args)
        .env("NO_COLOR", "1")
        .env_remove("GITHUB_STEP_SUMMARY")
        .output()
        .expect("reqgap runs")
}

fn check(dir: &str, format: &str, extra: &[&str]) -> Output {
    let mut args = vec!["check", dir, "--today", TODAY, "--format", format];
    args.extend_from_slice(extra);
    reqgap(&args)
}

/// Fixtures that between them give every outcome: fail, warn, waived, baseline, expired.
fn scenarios() -> Vec<(&'static str, Vec<&'static str>)> {
    vec![
        (MIXED, vec!["--baseline", BASELINE]),
        (MIXED, vec![]),
        ("tests/fixtures/inventories/check/waived", vec![]),
        ("tests/fixtures/inventories/check/stale-waiver", vec![]),
        ("tests/fixtures/inventories/check/min-coverage", vec![]),
        ("tests/fixtures/inventories/gaps/no-gaps", vec![]),
    ]
}

#[test]
fn sarif_validates_against_the_official_schema() {
    let schema_text = std::fs::read_to_string("tests/fixtures/schemas/sarif-schema-2.1.0.json")
        .expect("schema is committed");
    // The official schema's pattern for `run.language` has a stray `]` that jsonschema's
    // meta-schema check refuses as a regex; reqgap never writes `language`, so the pattern
    // is replaced by the evident intent before compiling. Everything else is as published.
    let schema_text = schema_text.replace(
        r"^[a-zA-Z]{2}|^[a-zA-Z]{2}-[a-zA-Z]{2}]?$",
        r"^[a-zA-Z]{2}(-[a-zA-Z]{2})?$",
    );
    let schema: serde_json::Value = serde_json::from_str(&schema_text).expect("schema is JSON");
    let validator = jsonschema::validator_for(&schema).expect("schema compiles");
    for (dir, extra) in scenarios() {
        let output = check(dir, "sarif", &extra);
        let sarif: serde_json::Value =
            serde_json::from_slice(&output.stdout).expect("SARIF output is JSON");
        let errors: Vec<String> = validator
            .iter_errors(&sarif)
            .map(|e| format!("{e} at {}", e.instance_path()))
            .collect();
        assert!(errors.is_empty(), "{dir}: {errors:#?}");
        let input_errors = check(TYPO, "sarif", &[]);
        let input_errors: serde_json::Value = serde_json::from_slice(&input_errors.stdout).unwrap();
        assert!(validator.is_valid(&input_errors), "input errors as SARIF");
        let mut tampered = sarif.clone();
        tampered["runs"][0]["tool"]["driver"]["rules"][0]["defaultConfiguration"] =
            serde_json::json!({ "level": "fatal" });
        assert!(!validator.is_valid(&tampered), "the schema check can fail");
        let results = sarif["runs"][0]["results"].as_array().expect("results");
        for result in results {
            let uri = &result["locations"][0]["physicalLocation"]["artifactLocation"];
            assert_eq!(uri["uriBaseId"], "%SRCROOT%", "{dir}: {result}");
            assert!(!uri["uri"].as_str().unwrap_or("/").starts_with('/'));
            assert!(result["partialFingerprints"]["reqgapGapKey/v1"].is_string());
        }
    }
}

#[test]
fn sarif_marks_waived_and_baseline_results() {
    let output = check(MIXED, "sarif", &["--baseline", BASELINE]);
    let sarif: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
    let results = sarif["runs"][0]["results"].as_array().unwrap();
    let by_key = |key: &str| {
        results
            .iter()
            .find(|r| r["partialFingerprints"]["reqgapGapKey/v1"] == key)
            .cloned()
            .unwrap_or_else(|| panic!("no result for {key}"))
    };
    let waived = by_key("stale-evidence:control:C-POL:C-POL-approval");
    assert_eq!(waived["suppressions"][0]["kind"], "external");
    let known = by_key("uncovered:demo-secure-ops@2.0:DSO-3-01");
    assert_eq!(known["baselineState"], "unchanged");
    let new = by_key("unowned:control:C-REC");
    assert_eq!(new["baselineState"], "new");
    assert_eq!(new["level"], "error");
    let rules = sarif["runs"][0]["tool"]["driver"]["rules"]
        .as_array()
        .unwrap();
    assert_eq!(rules.len(), reqgap::gaps::GapKind::ALL.len() + 1);
    assert_eq!(rules.last().unwrap()["id"], "input-error");
}

/// A result the policy fails on is an `error`, whatever its severity (code scanning must
/// show what broke the build as one); every other result's level follows its severity.
#[test]
fn sarif_level_is_error_for_failures_and_follows_severity_otherwise() {
    // On 2026-12-15 the waiver of the stale evidence (a medium gap) has expired, so the
    // policy fails on it.
    for today in [TODAY, "2026-12-15"] {
        let args = [
            "check",
            MIXED,
            "--today",
            today,
            "--format",
            "sarif",
            "--baseline",
            BASELINE,
        ];
        let output = reqgap(&args);
        let sarif: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
        let results = sarif["runs"][0]["results"].as_array().unwrap();
        let mut levels = std::collections::BTreeSet::new();
        for result in results {
            let severity = result["properties"]["severity"].as_str().unwrap();
            let expected = match severity {
                _ if result["properties"]["outcome"] == "fail" => "error",
                "high" => "error",
                "medium" => "warning",
                _ => "note",
            };
            assert_eq!(result["level"], expected, "{result}");
            levels.insert((expected, severity));
        }
        assert!(
            levels.len() > 1,
            "the fixture has gaps of several severities"
        );
        if today != TODAY {
            assert!(
                levels.contains(&("error", "medium")),
                "a medium gap that fails the policy is an error: {levels:?}"
            );
        }
    }
}

/// An uncovered requirement points at the target entry and, as a related location, at the
/// requirement in its catalog file (a file of the repository, path normalised).
#[test]
fn sarif_uncovered_requirement_has_its_catalog_line_as_related_location() {
    let output = check(MIXED, "sarif", &[]);
    let sarif: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
    let results = sarif["runs"][0]["results"].as_array().unwrap();
    let uncovered = results
        .iter()
        .find(|r| {
            r["partialFingerprints"]["reqgapGapKey/v1"] == "uncovered:demo-secure-ops@2.0:DSO-3-01"
        })
        .expect("uncovered result");
    let at = &uncovered["locations"][0]["physicalLocation"];
    assert_eq!(
        at["artifactLocation"]["uri"],
        "tests/fixtures/inventories/check/mixed/reqgap.yaml"
    );
    let related = &uncovered["relatedLocations"][0]["physicalLocation"];
    assert_eq!(
        related["artifactLocation"]["uri"],
        "tests/fixtures/catalogs/demo/2.0.yaml"
    );
    let catalog = std::fs::read_to_string("tests/fixtures/catalogs/demo/2.0.yaml").unwrap();
    let line = related["region"]["startLine"].as_u64().unwrap() as usize;
    assert!(
        catalog.lines().nth(line - 1).unwrap().contains("DSO-3-01"),
        "line {line} names the requirement"
    );
}

const TYPO: &str = "tests/fixtures/inventories/errors/unknown-requirement";

/// A typo in the inventory stops the check with exit 2, and the SARIF file is still
/// written (into folders that did not exist), valid, with the error at its line.
#[test]
fn input_errors_are_written_as_sarif_results() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("reports").join("ci").join("reqgap.sarif");
    let output = reqgap(&[
        "check",
        TYPO,
        "--today",
        TODAY,
        "--format",
        "sarif",
        "-o",
        path.to_str().unwrap(),
    ]);
    assert_eq!(output.status.code(), Some(2));
    assert_eq!(
        String::from_utf8_lossy(&output.stdout),
        "check could not run: 1 input error\n"
    );
    assert!(String::from_utf8_lossy(&output.stderr).contains("error[unknown-requirement]"));
    let sarif: serde_json::Value =
        serde_json::from_slice(&std::fs::read(&path).expect("the SARIF file is written")).unwrap();
    let result = &sarif["runs"][0]["results"][0];
    assert_eq!(result["ruleId"], "input-error");
    assert_eq!(result["level"], "error");
    assert_eq!(result["properties"]["code"], "unknown-requirement");
    let region = &result["locations"][0]["physicalLocation"]["region"];
    assert_eq!(
        (region["startLine"].as_u64(), region["startColumn"].as_u64()),
        (Some(8), Some(24))
    );
    let rule_index = result["ruleIndex"].as_u64().unwrap() as usize;
    assert_eq!(
        sarif["runs"][0]["tool"]["driver"]["rules"][rule_index]["id"],
        "input-error"
    );
}

#[test]
fn input_errors_in_json_and_junit() {
    let json = reqgap(&["check", TYPO, "--today", TODAY, "--format", "json"]);
    assert_eq!(json.status.code(), Some(2));
    let report: serde_json::Value = serde_json::from_slice(&json.stdout).unwrap();
    assert_eq!(report["verdict"], "error");
    assert_eq!(report["errors"][0]["code"], "unknown-requirement");
    assert_eq!(report["errors"][0]["location"]["line"], 8);

    let junit = reqgap(&["check", TYPO, "--today", TODAY, "--format", "junit"]);
    assert_eq!(junit.status.code(), Some(2));
    let (cases, failures, claimed) = junit_counts(&junit.stdout);
    assert_eq!((cases, failures, claimed), (1, 1, (1, 1)));
}

/// Counts `<testcase>` and `<failure>` elements with an XML parser and checks them against
/// the totals the document claims and against the fixture.
#[test]
fn junit_parses_as_xml_with_the_expected_counts() {
    let output = check(MIXED, "junit", &["--baseline", BASELINE]);
    assert_eq!(output.status.code(), Some(1));
    let (cases, failures, claimed) = junit_counts(&output.stdout);
    // Six requirements of demo-secure-ops 2.0, plus the two gaps about controls.
    assert_eq!(cases, 8);
    assert_eq!(failures, 1);
    assert_eq!(claimed, (8, 1));

    let passing = check("tests/fixtures/inventories/check/waived", "junit", &[]);
    let (cases, failures, claimed) = junit_counts(&passing.stdout);
    assert_eq!((cases, failures), (6, 0));
    assert_eq!(claimed, (6, 0));

    let floor = check(
        "tests/fixtures/inventories/check/min-coverage",
        "junit",
        &[],
    );
    let (cases, failures, _) = junit_counts(&floor.stdout);
    assert_eq!(
        (cases, failures),
        (7, 1),
        "the min-coverage rule is a failing test case"
    );
}

fn junit_counts(xml: &[u8]) -> (usize, usize, (usize, usize)) {
    use quick_xml::events::Event;
    let mut reader = quick_xml::Reader::from_reader(xml);
    let mut buffer = Vec::new();
    let (mut cases, mut failures, mut claimed) = (0, 0, (0, 0));
    loop {
        match reader
            .read_event_into(&mut buffer)
            .expect("well-formed XML")
        {
            Event::Eof => break,
            Event::Start(e) | Event::Empty(e) => match e.name().as_ref() {
                b"testcase" => cases += 1,
                b"failure" => failures += 1,
                b"testsuites" => {
                    let number = |name: &[u8]| {
                        e.try_get_attribute(name)
                            .ok()
                            .flatten()
                            .and_then(|a| String::from_utf8(a.value.to_vec()).ok())
                            .and_then(|v| v.parse::<usize>().ok())
                            .unwrap_or(usize::MAX)
                    };
                    claimed = (number(b"tests"), number(b"failures"));
                }
                _ => {}
            },
            _ => {}
        }
        buffer.clear();
    }
    (cases, failures, claimed)
}

#[test]
fn every_format_is_byte_identical_across_runs() {
    for format in FORMATS {
        for (dir, extra) in scenarios() {
            let first = check(dir, format, &extra);
            let second = check(dir, format, &extra);
            assert!(!first.stdout.is_empty(), "{format} {dir}");
            assert_eq!(first.stdout, second.stdout, "{format} {dir}");
            assert_eq!(first.status.code(), second.status.code());
        }
    }
}

#[test]
fn output_file_gets_the_report_and_stdout_the_verdict() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("reqgap.sarif");
    let path_text = path.to_str().unwrap();
    let written = check(MIXED, "sarif", &["--output", path_text]);
    assert_eq!(written.status.code(), Some(1));
    assert_eq!(
        String::from_utf8_lossy(&written.stdout),
        "check failed: fail-on uncovered (1 gap), fail-on unowned (1 gap); 1 waived: stale-evidence:control:C-POL:C-POL-approval; 1 warning\n"
    );
    let direct = check(MIXED, "sarif", &[]);
    assert_eq!(std::fs::read(&path).unwrap(), direct.stdout);
    let entries: Vec<_> = std::fs::read_dir(dir.path()).unwrap().collect();
    assert_eq!(entries.len(), 1, "no temporary file is left behind");

    let nested = dir.path().join("no-such-folder").join("out.json");
    let created = check(MIXED, "json", &["--output", nested.to_str().unwrap()]);
    assert_eq!(created.status.code(), Some(1));
    assert!(nested.is_file(), "missing parent folders are created");

    // A parent that is a file cannot be created: the error names the path, exit 2.
    let blocked = Path::new(&path).join("out.json");
    let failed = check(MIXED, "json", &["--output", blocked.to_str().unwrap()]);
    assert_eq!(failed.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&failed.stderr);
    assert!(stderr.contains("error[cannot-write]"), "{stderr}");
    assert!(stderr.contains(blocked.to_str().unwrap()), "{stderr}");
}

/// A JSON check report is a baseline: checking against the report of the same state finds
/// nothing new, so the check passes.
#[test]
fn a_check_report_is_a_baseline() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("baseline.json");
    let path_text = path.to_str().unwrap();
    let first = check(MIXED, "json", &["--output", path_text]);
    assert_eq!(first.status.code(), Some(1));
    let again = check(MIXED, "json", &["--baseline", path_text]);
    assert_eq!(
        again.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&again.stdout)
    );
    let report: serde_json::Value = serde_json::from_slice(&again.stdout).unwrap();
    assert_eq!(report["baseline"]["new"], serde_json::json!([]));
    assert_eq!(report["baseline"]["resolved"], serde_json::json!([]));
}

#[test]
fn github_format_appends_the_markdown_summary() {
    let dir = tempfile::tempdir().unwrap();
    let summary = dir.path().join("summary.md");
    std::fs::write(&summary, "earlier step\n").unwrap();
    let output = Command::new(env!("CARGO_BIN_EXE_reqgap"))
        .args(["check", MIXED, "--today", TODAY, "--format", "github"])
        .env("GITHUB_STEP_SUMMARY", &summary)
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(1));
    let text = std::fs::read_to_string(&summary).unwrap();
    let markdown = check(MIXED, "markdown", &[]);
    assert_eq!(
        text,
        format!(
            "earlier step\n{}",
            String::from_utf8_lossy(&markdown.stdout)
        )
    );
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert!(stdout.lines().any(|l| l.starts_with("::error file=")));
    assert_eq!(
        stdout.lines().last(),
        Some("check failed: fail-on uncovered (1 gap), fail-on unowned (1 gap); 1 waived: stale-evidence:control:C-POL:C-POL-approval; 1 warning")
    );
}

/// A pull-request comment must stay under GitHub's limit: past 65,000 characters the
/// report keeps the summary, the failing gaps by owner as far as they fit, says how many
/// rows were left out, and still ends with the verdict.
#[test]
fn markdown_stays_under_the_comment_limit() {
    use reqgap::report::{reporter, Format, Style};
    let today = chrono::NaiveDate::from_ymd_opt(2026, 11, 26).unwrap();
    let analysed = reqgap::Analysis::new("examples/trust-service-provider", today)
        .run()
        .expect("the example loads");
    let mut report = analysed.check(None);
    // Three times the example's gaps: far past the limit.
    let gaps = report.gaps.clone();
    for _ in 0..2 {
        report.gaps.extend(gaps.iter().cloned());
    }
    let mut rendered = Vec::new();
    reporter(Format::Markdown, Style::default())
        .check(&report, &mut rendered)
        .unwrap();
    let text = String::from_utf8(rendered).unwrap();
    assert!(text.chars().count() < 65_000, "{}", text.len());
    assert!(text.contains("### Gaps that fail the policy, by owner"));
    let note = text
        .lines()
        .find(|l| l.contains("left out to keep this under 65000 characters"))
        .expect("a note on what was left out");
    let omitted: usize = note
        .trim_start_matches('_')
        .split(' ')
        .next()
        .and_then(|n| n.parse().ok())
        .expect("the note counts the rows");
    let shown = text.lines().filter(|l| l.starts_with("| 20")).count();
    let listed = report
        .gaps
        .iter()
        .filter(|g| {
            g.outcome != reqgap::check::Outcome::Note
                && g.outcome != reqgap::check::Outcome::Baseline
        })
        .count();
    assert_eq!(shown + omitted, listed, "every row is shown or counted");
    assert!(
        text.trim_end()
            .ends_with(&format!("**{}**", report.summary_line())),
        "the verdict closes the comment"
    );

    let example = reqgap(&[
        "check",
        "examples/trust-service-provider",
        "--today",
        "2026-11-26",
        "--format",
        "markdown",
    ]);
    assert!(String::from_utf8_lossy(&example.stdout).chars().count() < 65_000);
    let small = check(MIXED, "markdown", &[]);
    assert!(!String::from_utf8_lossy(&small.stdout).contains("left out"));
}

/// GitHub shows ten annotations of a level per step and drops the rest without a word: past
/// that, one annotation says how many more there are and every other failing gap still
/// reaches the log.
#[test]
fn github_annotations_stay_within_the_per_step_limit_and_lose_nothing() {
    let output = reqgap(&[
        "check",
        "examples/trust-service-provider",
        "--today",
        "2026-11-26",
        "--format",
        "github",
    ]);
    assert_eq!(output.status.code(), Some(1));
    let text = String::from_utf8(output.stdout).unwrap();
    let errors = text.lines().filter(|l| l.starts_with("::error")).count();
    let warnings = text.lines().filter(|l| l.starts_with("::warning")).count();
    assert_eq!(errors, 10, "{text}");
    assert!(warnings <= 10, "{text}");
    assert!(text.contains("more errors are not annotated"), "{text}");
    let json = reqgap(&[
        "check",
        "examples/trust-service-provider",
        "--today",
        "2026-11-26",
        "--format",
        "json",
    ]);
    let report: serde_json::Value = serde_json::from_slice(&json.stdout).unwrap();
    let failing: Vec<&str> = report["gaps"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|g| g["outcome"] == "fail")
        .map(|g| g["key"].as_str().unwrap())
        .collect();
    assert!(failing.len() > 10);
    for key in failing {
        assert!(text.contains(&format!("gap {key})")), "{key} is missing");
    }
}

/// A gap's remediation plan reaches the CI formats: SARIF carries it in the result's
/// properties, and every format's message names its status, date and ticket.
#[test]
fn the_plan_of_a_gap_reaches_sarif_github_and_junit() {
    let plan = "tests/fixtures/inventories/plan";
    let check = |format: &str| {
        let output = reqgap(&["check", plan, "--today", "2027-05-01", "--format", format]);
        String::from_utf8(output.stdout).unwrap()
    };
    let sarif: serde_json::Value = serde_json::from_str(&check("sarif")).unwrap();
    let results = sarif["runs"][0]["results"].as_array().unwrap();
    let planned = results
        .iter()
        .find(|r| {
            r["partialFingerprints"]["reqgapGapKey/v1"] == "uncovered:demo-secure-ops@2.0:DSO-2-03"
        })
        .expect("the blocked gap is a result");
    assert_eq!(planned["properties"]["plan"]["status"], "blocked");
    assert_eq!(planned["properties"]["plan"]["due"], "2027-04-15");
    let message = planned["message"]["text"].as_str().unwrap();
    assert!(
        message.contains(
            "plan: blocked until 2027-04-15, ticket https://tickets.example.test/SEC-4712"
        ),
        "{message}"
    );
    for format in ["github", "junit"] {
        let text = check(format);
        assert!(
            text.contains("plan: blocked until 2027-04-15"),
            "{format}: {text}"
        );
    }
}
