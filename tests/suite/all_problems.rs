//! Every problem of one file in one run: a mistyped key does not hide the bad date and the
//! unknown requirement ID beside it (the README promises all problems of a run together).

use std::fs;
use std::path::Path;

use chrono::NaiveDate;
use reqgap::diag::Code;
use reqgap::source::inventory::PathRule;
use reqgap::Analysis;

use crate::support::copy_dir;

#[test]
fn a_mistyped_key_a_bad_date_and_an_unknown_id_in_one_file_are_all_shown() {
    let temp = tempfile::tempdir().unwrap();
    let dir = temp.path().join("inventory");
    copy_dir(Path::new("examples/trust-service-provider"), &dir);
    let file = dir.join("controls/access.yaml");
    let text = fs::read_to_string(&file)
        .unwrap()
        .replacen("depends-on: [ACC-01]", "dependson: [ACC-01]", 1)
        .replacen("reviewed: 2026-03-03", "reviewed: 2026-13-03", 1)
        .replacen("[REQ-7.4-04, REQ-7.4-05]", "[REQ-7.4-04, REQ-99.9-01]", 1);
    fs::write(&file, text).unwrap();
    let today = NaiveDate::from_ymd_opt(2026, 11, 26).unwrap();
    let problems = Analysis::new(&dir, today)
        .path_rule(PathRule::Anywhere)
        .run()
        .map(|_| ())
        .unwrap_err();
    let mut found: Vec<(Code, usize)> = problems
        .iter()
        .map(|d| (d.code, d.location.as_ref().and_then(|l| l.line).unwrap()))
        .collect();
    found.sort();
    assert_eq!(
        found,
        [
            (Code::UnknownKey, 20),
            (Code::BadDate, 10),
            (Code::UnknownRequirement, 29)
        ],
        "{problems}"
    );
    assert!(
        problems.to_string().contains("unknown field `dependson`"),
        "{problems}"
    );
}
