//! Hostile input: one regression test per kind of hostile file that reqgap handles in
//! its loaders and renderers. Each builds a small inventory or catalog in a temporary
//! folder, breaks one thing, and checks the located error (or the safe output).
//! Speed is measured in `examples/hostile_bench.rs`, not here.

use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use chrono::NaiveDate;
use reqgap::diag::{Diagnostic, Diagnostics, SourceFile};
use reqgap::import;
use reqgap::source::inventory::{self, PathRule};
use reqgap::source::{read_text, yaml};

const DEMO_CATALOG: &str = "tests/fixtures/catalogs/demo/2.0.yaml";
const VALID: &str = "tests/fixtures/inventories/valid";

fn today() -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, 11, 26).unwrap()
}

/// A copy of the valid inventory in a temporary folder, with the demo catalog inside it
/// (so that every path stays inside the folder).
fn inventory() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    fs::create_dir_all(root.join("controls")).unwrap();
    fs::create_dir_all(root.join("catalogs")).unwrap();
    fs::copy(DEMO_CATALOG, root.join("catalogs/2.0.yaml")).unwrap();
    for file in [
        "owners.yaml",
        "controls/governance.yaml",
        "controls/incidents.yaml",
    ] {
        fs::copy(Path::new(VALID).join(file), root.join(file)).unwrap();
    }
    let config = fs::read_to_string(Path::new(VALID).join("reqgap.yaml")).unwrap();
    write(
        root,
        "reqgap.yaml",
        &config.replace("[../../catalogs/demo]", "[catalogs]"),
    );
    dir
}

fn write(dir: &Path, name: &str, text: &str) -> PathBuf {
    let path = dir.join(name);
    fs::write(&path, text).unwrap();
    path
}

fn load(dir: &Path, rule: &PathRule) -> Result<(), Diagnostics> {
    inventory::load_with(dir, &[], today(), rule).map(|_| ())
}

fn codes(problems: &Diagnostics) -> Vec<&'static str> {
    problems.iter().map(|d| d.code.as_str()).collect()
}

fn only(problems: &Diagnostics, code: &str) -> Diagnostic {
    let found: Vec<&Diagnostic> = problems
        .iter()
        .filter(|d| d.code.as_str() == code)
        .collect();
    assert_eq!(found.len(), 1, "{code} in {:?}", codes(problems));
    found[0].clone()
}

/// File name, line and column of a diagnostic.
fn place(diagnostic: &Diagnostic) -> (String, usize, usize) {
    let location = diagnostic.location.as_ref().expect("located");
    let name = Path::new(&location.path)
        .file_name()
        .unwrap()
        .to_string_lossy()
        .into_owned();
    (
        name,
        location.line.expect("line"),
        location.column.expect("column"),
    )
}

fn reqgap(dir: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_reqgap"))
        .args(args)
        .current_dir(dir)
        .env("NO_COLOR", "1")
        .output()
        .unwrap()
}

fn parse_error(text: &str) -> Diagnostic {
    let file = SourceFile::new("t.yaml", text);
    yaml::parse_value(&file).unwrap_err().0.remove(0)
}

// Case 1: a target listed twice repeated every gap N(N+1)/2 times.
#[test]
fn a_target_listed_twice_is_an_input_error() {
    let dir = inventory();
    let config = fs::read_to_string(dir.path().join("reqgap.yaml")).unwrap();
    let target = "  - standard: demo-secure-ops\n    version: \"2.0\"\n";
    write(
        dir.path(),
        "reqgap.yaml",
        &format!("{config}{target}{target}"),
    );
    let problems = load(dir.path(), &PathRule::default()).unwrap_err();
    assert_eq!(codes(&problems), ["duplicate-target", "duplicate-target"]);
    let d = &problems.0[0];
    assert_eq!(
        d.message,
        "demo-secure-ops@2.0 is listed as a target twice (first at line 9)"
    );
    assert_eq!(place(d), ("reqgap.yaml".into(), 15, 14));
}

// Case 2: a syntax error followed by deep nesting re-parsed the whole file (24 s).
#[test]
fn a_syntax_error_is_reported_from_the_one_parse_and_names_the_tab() {
    let text = format!("a:\tb\nc: {}\n", "[".repeat(100_000));
    let d = parse_error(&text);
    assert_eq!(d.code.as_str(), "yaml-syntax");
    assert_eq!(place(&d).1, 1);
    assert!(
        d.notes[0].contains("line 1 holds a tab at column 3"),
        "{:?}",
        d.notes
    );
}

#[test]
fn deep_nesting_through_aliases_is_refused() {
    // Each anchor nests 40 levels inside the previous one through an alias: 40 deep as
    // written, 400 deep once expanded.
    let mut text = String::from("a0: &a0 x\n");
    for level in 1..10 {
        let open = "[".repeat(40);
        let close = "]".repeat(40);
        text.push_str(&format!(
            "a{level}: &a{level} {open}*a{}{close}\n",
            level - 1
        ));
    }
    assert_eq!(parse_error(&text).code.as_str(), "input-too-complex");
}

// Case 3: `show` as a table of a 200,000-character requirement took 23 s.
#[test]
fn long_table_cells_are_cut_and_json_keeps_the_full_text() {
    let dir = tempfile::tempdir().unwrap();
    let catalog = fs::read_to_string(DEMO_CATALOG).unwrap().replace(
        "Approve a security policy and review it at least yearly.",
        &"word ".repeat(40_000),
    );
    write(dir.path(), "demo.yaml", &catalog);
    let table = reqgap(dir.path(), &["show", "demo.yaml", "DSO-1.1-01"]);
    assert_eq!(table.status.code(), Some(0));
    let text = String::from_utf8(table.stdout).unwrap();
    assert!(text.contains("more characters; --format json or markdown shows all]"));
    // Without a terminal the table is drawn at its natural width: every row is padded to
    // the widest cell, so the output grows with the cut cell, not with the text.
    assert!(text.len() < 60_000, "{} bytes", text.len());
    let json = reqgap(
        dir.path(),
        &["show", "demo.yaml", "DSO-1.1-01", "--format", "json"],
    );
    assert!(String::from_utf8(json.stdout)
        .unwrap()
        .contains(&"word ".repeat(39_999)));
}

// Case 5: `ln -s . controls/a; ln -s . controls/b` ran until killed.
#[cfg(unix)]
#[test]
fn symlink_loops_end_and_each_file_is_read_once() {
    let dir = inventory();
    let controls = dir.path().join("controls");
    std::os::unix::fs::symlink(".", controls.join("a")).unwrap();
    std::os::unix::fs::symlink(".", controls.join("b")).unwrap();
    std::os::unix::fs::symlink("governance.yaml", controls.join("again.yaml")).unwrap();
    let config = fs::read_to_string(dir.path().join("reqgap.yaml")).unwrap();
    write(
        dir.path(),
        "reqgap.yaml",
        &config.replace(
            "controls: [controls]",
            "controls: [controls, ./controls/a/b/incidents.yaml]",
        ),
    );
    let loaded = inventory::load_with(dir.path(), &[], today(), &PathRule::default()).unwrap();
    assert_eq!(loaded.inventory.controls.len(), 4);
}

// Case 6: devices grew to 6 GB (the size check saw 0 bytes) and FIFOs blocked forever.
#[cfg(unix)]
#[test]
fn devices_and_fifos_are_refused_without_reading() {
    let d = read_text(Path::new("/dev/zero")).unwrap_err().0.remove(0);
    assert_eq!(d.code.as_str(), "not-a-file");
    assert_eq!(d.message, "expected a file, found a device, pipe or socket");

    let dir = inventory();
    let fifo = dir.path().join("owners.fifo");
    let made = Command::new("mkfifo").arg(&fifo).status();
    if made.is_ok_and(|s| s.success()) {
        let d = read_text(&fifo).unwrap_err().0.remove(0);
        assert_eq!(d.code.as_str(), "not-a-file");
    }
    let config = fs::read_to_string(dir.path().join("reqgap.yaml")).unwrap();
    write(
        dir.path(),
        "reqgap.yaml",
        &config.replace("owners: owners.yaml", "owners: /dev/zero"),
    );
    let problems = load(dir.path(), &PathRule::Anywhere).unwrap_err();
    assert!(codes(&problems).contains(&"not-a-file"), "{problems}");
}

// Case 7: tags were silently ignored.
#[test]
fn yaml_tags_are_located_errors() {
    for (text, tag, column) in [
        (
            "version: !!python/object:os.system \"2.0\"\n",
            "!!python/object:os.system",
            10,
        ),
        ("title: !!binary aGVsbG8=\n", "!!binary", 8),
        ("title: !!int Demo\n", "!!int", 8),
        ("list: !custom [a]\n", "!custom", 7),
    ] {
        let d = parse_error(text);
        assert_eq!(d.code.as_str(), "yaml-tag", "{text}");
        assert_eq!(
            d.message,
            format!("the YAML tag `{tag}` is not allowed here")
        );
        assert_eq!(place(&d), ("t.yaml".into(), 1, column), "{text}");
    }
}

// Case 8: IDs could hold NUL, a line break, U+202E or a trailing no-break space.
#[test]
fn ids_with_unprintable_characters_are_located_errors() {
    let dir = inventory();
    let governance = dir.path().join("controls/governance.yaml");
    let text = fs::read_to_string(&governance).unwrap();
    let text = text
        .replace("id: GOV-02\n", "id: \"GOV\\u202E20\"\n")
        .replace("id: GOV-01-approval", "id: \"approval\\0\"");
    fs::write(&governance, text).unwrap();
    let owners = fs::read_to_string(dir.path().join("owners.yaml")).unwrap();
    write(
        dir.path(),
        "owners.yaml",
        &owners.replace("id: board", "id: \"board\\u00A0\""),
    );
    let problems = load(dir.path(), &PathRule::default()).unwrap_err();
    let bad: Vec<String> = problems
        .iter()
        .filter(|d| d.code.as_str() == "bad-id-character")
        .map(|d| d.message.clone())
        .collect();
    assert_eq!(
        bad,
        [
            "evidence ID `approval\\u{0}` holds U+0000 NULL, which is not a printable character",
            "control ID `GOV\\u{202e}20` holds U+202E RIGHT-TO-LEFT OVERRIDE, which is not a printable character",
            "owner ID `board\\u{a0}` ends with U+00A0 NO-BREAK SPACE",
        ]
    );
}

#[test]
fn catalog_ids_with_line_breaks_are_refused() {
    let catalog = fs::read_to_string(DEMO_CATALOG)
        .unwrap()
        .replace("- id: DSO-2-03", "- id: \"DSO-2-03\\n\"")
        .replace("- id: \"3\"", "- id: \"3\\u2066\"");
    let file = SourceFile::new("demo.yaml", catalog);
    let problems = reqgap::source::catalog::parse_catalog(
        &file,
        reqgap::model::Origin::File("demo.yaml".into()),
    )
    .unwrap_err();
    let bad: Vec<(&str, usize)> = problems
        .iter()
        .filter(|d| d.code.as_str() == "bad-id-character")
        .map(|d| (d.message.as_str(), place(d).1))
        .collect();
    assert_eq!(
        bad,
        [
            (
                "section ID `3\\u{2066}` holds U+2066 LEFT-TO-RIGHT ISOLATE, which is not a printable character",
                16
            ),
            (
                "requirement ID `DSO-2-03\\u{a}` holds U+000A LINE FEED, which is not a printable character",
                35
            ),
        ]
    );
}

// Case 9: importers wrote catalogs that failed re-validation ("a bug in reqgap"). They
// apply the loaders' rules to their input; each class of input the round-trip property
// found is a located error on the input file.

/// The problems of an import, or of rendering what it imported (the round trip).
fn import_problems(result: Result<import::Imported, Diagnostics>) -> Diagnostics {
    match result {
        Ok(imported) => import::render(&imported.catalog).expect_err("a refused input"),
        Err(problems) => problems,
    }
}

/// Code, message, file, line and column of each problem; never a "bug in reqgap".
fn input_errors(problems: &Diagnostics) -> Vec<(&'static str, String, (String, usize, usize))> {
    assert!(
        !codes(problems).iter().any(|c| c.starts_with("import-")),
        "{problems}"
    );
    problems
        .iter()
        .map(|d| (d.code.as_str(), d.message.clone(), place(d)))
        .collect()
}

fn csv_import(text: &str) -> Diagnostics {
    let options = import::csv::CsvOptions {
        columns: import::csv::ColumnMap::default(),
        header: import::HeaderOverrides {
            standard: Some("demo".into()),
            version: Some("1.0".into()),
            title: Some("Demo".into()),
            published: NaiveDate::from_ymd_opt(2025, 3, 1),
        },
        withdrawn_pattern: None,
    };
    import_problems(import::csv::import(
        &SourceFile::new("export.csv", text),
        &options,
    ))
}

fn oscal_import(controls: &str, groups: &str) -> Diagnostics {
    let text = format!(
        "{{\"catalog\": {{\"metadata\": {{\"title\": \"T\", \"version\": \"1\", \"oscal-version\": \"1.1.2\", \"last-modified\": \"2025-01-01T00:00:00Z\"}},\n\"controls\": [{controls}],\n\"groups\": [{groups}]}}}}\n"
    );
    let options = import::oscal::OscalOptions {
        header: import::HeaderOverrides {
            standard: Some("demo".into()),
            ..Default::default()
        },
        ..Default::default()
    };
    import_problems(import::oscal::import(
        &SourceFile::new("catalog.json", text),
        &options,
    ))
}

#[test]
fn csv_ids_the_catalog_loader_refuses_are_located_input_errors() {
    let problems = csv_import(
        "id,section,text\n\u{feff}A-1,1,Text a.\nA-2,1\u{202e},Text b.\nA-\u{1b}3,1,Text c.\nA-4,1,Fine.\n",
    );
    assert_eq!(
        input_errors(&problems),
        [
            (
                "bad-id-character",
                "requirement ID `\\u{feff}A-1` holds U+FEFF ZERO WIDTH NO-BREAK SPACE (byte-order mark), which is not a printable character".into(),
                ("export.csv".into(), 2, 1)
            ),
            (
                "bad-id-character",
                "section ID `1\\u{202e}` holds U+202E RIGHT-TO-LEFT OVERRIDE, which is not a printable character".into(),
                ("export.csv".into(), 3, 1)
            ),
            (
                "bad-id-character",
                "requirement ID `A-\\u{1b}3` holds U+001B ESCAPE, which is not a printable character".into(),
                ("export.csv".into(), 4, 1)
            ),
        ]
    );
}

#[test]
fn oscal_ids_the_catalog_loader_refuses_are_located_input_errors() {
    let problems = oscal_import(
        r#"{"id": "c-1\ufeff", "title": "One", "parts": [{"name": "statement", "prose": "Do it."}]}"#,
        r#"{"id": "g\u202e", "title": "G", "controls": [{"id": "c-2", "title": "Two", "parts": [{"name": "statement", "prose": "Do."}]}]}"#,
    );
    let found = input_errors(&problems);
    let messages: Vec<(&str, &str)> = found.iter().map(|(c, m, _)| (*c, m.as_str())).collect();
    assert_eq!(
        messages,
        [
            ("bad-id-character", "requirement ID `c-1\\u{feff}` holds U+FEFF ZERO WIDTH NO-BREAK SPACE (byte-order mark), which is not a printable character"),
            ("bad-id-character", "section ID `c-1\\u{feff}` holds U+FEFF ZERO WIDTH NO-BREAK SPACE (byte-order mark), which is not a printable character"),
            ("bad-id-character", "section ID `g\\u{202e}` holds U+202E RIGHT-TO-LEFT OVERRIDE, which is not a printable character"),
        ]
    );
    assert!(found
        .iter()
        .all(|(_, _, (file, _, _))| file == "catalog.json"));
}

#[test]
fn an_oscal_control_without_statement_or_title_is_a_located_input_error() {
    let problems = oscal_import(
        "",
        r#"{"id": "g", "title": "G", "controls": [
{"id": "c-1", "title": "", "parts": []}]}"#,
    );
    let found = input_errors(&problems);
    assert_eq!(
        found,
        [(
            "empty-text",
            "requirement `c-1` is active but its text is empty".into(),
            ("catalog.json".into(), 4, 9)
        )]
    );
}

#[test]
fn an_imported_value_over_the_loader_limit_is_an_input_error() {
    let long = "x".repeat((1 << 20) + 1);
    let problems = csv_import(&format!("id,section,text\nA-1,1,{long}\n"));
    let found = input_errors(&problems);
    assert_eq!(found.len(), 1);
    assert_eq!(found[0].0, "input-too-complex");
    assert_eq!(found[0].2, ("export.csv".into(), 1, 1));
}

#[test]
fn control_register_ids_the_inventory_loader_refuses_are_located_input_errors() {
    let catalog = reqgap::source::catalog::load_file(Path::new(DEMO_CATALOG)).unwrap();
    let register = SourceFile::new(
        "register.csv",
        "id,title,owner\nGOV-\u{202e}1,Policy,ciso\nGOV-2,Roles,ciso\u{200b}\n",
    );
    let problems = import::controls::import(
        &register,
        &import::controls::ControlColumns::default(),
        &catalog,
    )
    .unwrap_err();
    assert_eq!(
        input_errors(&problems),
        [
            (
                "bad-id-character",
                "control ID `GOV-\\u{202e}1` holds U+202E RIGHT-TO-LEFT OVERRIDE, which is not a printable character".into(),
                ("register.csv".into(), 2, 1)
            ),
            (
                "bad-id-character",
                "owner ID `ciso\\u{200b}` holds U+200B ZERO WIDTH SPACE, which is not a printable character".into(),
                ("register.csv".into(), 3, 1)
            ),
        ]
    );
}

/// A catalog whose texts try each output format's tricks.
fn hostile_catalog(dir: &Path) -> PathBuf {
    let catalog = fs::read_to_string(DEMO_CATALOG)
        .unwrap()
        .replace(
            "title: Demo Secure Operations Baseline",
            "title: \"<script>alert(1)</script> \\e[2J\\a\"",
        )
        .replace(
            "Approve a security policy and review it at least yearly.",
            "\"=HYPERLINK(\\\"http://evil\\\",\\\"x\\\") \\e[2J\"",
        )
        .replace("id: DSO-2-04", "id: \"@SUM(1+1)*cmd|' /C calc'!A0\"")
        .replace(
            "The policy shall name an owner for each topic.",
            "\"@SUM(1+1)*cmd|' /C calc'!A0 <img src=x onerror=alert(1)>\"",
        );
    write(dir, "demo.yaml", &catalog)
}

// Case 10: CSV cells starting with = + - @ were written raw.
#[test]
fn csv_cells_that_look_like_formulas_are_neutralised() {
    let dir = tempfile::tempdir().unwrap();
    let old = fs::read_to_string("tests/fixtures/catalogs/demo/1.0.yaml").unwrap();
    write(dir.path(), "old.yaml", &old);
    hostile_catalog(dir.path());
    let out = reqgap(
        dir.path(),
        &["diff", "old.yaml", "demo.yaml", "--format", "csv"],
    );
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(text.contains("'@SUM(1+1)*cmd"), "{text}");
    let mut reader = csv::Reader::from_reader(text.as_bytes());
    for record in reader.records() {
        for cell in record.unwrap().iter() {
            let risky = cell.len() > 1 && cell.starts_with(['=', '+', '-', '@', '\t', '\r']);
            assert!(!risky, "formula cell {cell:?}");
        }
    }
    assert!(!text.contains('\u{1b}'));
}

// Cases 11 and 12: raw HTML in Markdown, terminal escapes in tables and Markdown.
#[test]
fn markdown_escapes_html_and_text_outputs_show_control_characters() {
    let dir = tempfile::tempdir().unwrap();
    hostile_catalog(dir.path());
    let markdown = reqgap(dir.path(), &["show", "demo.yaml", "--format", "markdown"]);
    let text = String::from_utf8(markdown.stdout).unwrap();
    assert!(
        text.contains("&lt;script&gt;alert(1)&lt;/script&gt;"),
        "{text}"
    );
    assert!(
        text.contains("&lt;img src=x onerror=alert(1)&gt;"),
        "{text}"
    );
    assert!(!text.contains("<script>") && !text.contains("<img"));
    assert!(!text.contains('\u{1b}') && !text.contains('\u{7}'));
    assert!(text.contains("\\u{1b}[2J"), "{text}");

    let table = reqgap(dir.path(), &["show", "demo.yaml"]);
    let text = String::from_utf8(table.stdout).unwrap();
    assert!(
        !text.contains('\u{1b}') && !text.contains('\u{7}'),
        "{text}"
    );
    assert!(text.contains("\\u{1b}[2J\\u{7}"), "{text}");
}

// Case 13: `owners: /etc/passwd` printed the whole file in one message.
#[test]
fn paths_outside_the_repository_are_refused_at_their_line() {
    let dir = inventory();
    let config = fs::read_to_string(dir.path().join("reqgap.yaml")).unwrap();
    write(
        dir.path(),
        "reqgap.yaml",
        &config.replace(
            "owners: owners.yaml",
            "owners: ../../../../../../etc/passwd",
        ),
    );
    let problems = load(dir.path(), &PathRule::default()).unwrap_err();
    let d = only(&problems, "path-outside-root");
    assert_eq!(
        d.message,
        "`../../../../../../etc/passwd` leads outside the folder reqgap runs in"
    );
    assert_eq!(place(&d), ("reqgap.yaml".into(), 6, 9));
    assert!(d.notes[0].contains("--allow-outside-root"));
}

#[test]
fn a_crosswalk_folder_outside_the_repository_is_refused_at_its_line() {
    let dir = inventory();
    let config = fs::read_to_string(dir.path().join("reqgap.yaml")).unwrap();
    let line = config.lines().count() + 1;
    write(
        dir.path(),
        "reqgap.yaml",
        &format!("{config}crosswalks: [../../../../../../tmp]\n"),
    );
    let problems = load(dir.path(), &PathRule::default()).unwrap_err();
    let d = only(&problems, "path-outside-root");
    assert_eq!(
        d.message,
        "`../../../../../../tmp` leads outside the folder reqgap runs in"
    );
    assert_eq!(place(&d), ("reqgap.yaml".into(), line, 14));
    assert!(load(dir.path(), &PathRule::Anywhere).is_ok());
}

#[cfg(unix)]
#[test]
fn a_symbolic_link_out_of_a_crosswalk_folder_is_refused() {
    let outside = tempfile::tempdir().unwrap();
    let secret = write(outside.path(), "secret.yaml", "from: a@1\n");
    let dir = inventory();
    fs::create_dir_all(dir.path().join("crosswalks")).unwrap();
    std::os::unix::fs::symlink(&secret, dir.path().join("crosswalks/leak.yaml")).unwrap();
    let config = fs::read_to_string(dir.path().join("reqgap.yaml")).unwrap();
    write(
        dir.path(),
        "reqgap.yaml",
        &format!("{config}crosswalks: [crosswalks]\n"),
    );
    let problems = load(dir.path(), &PathRule::default()).unwrap_err();
    let d = only(&problems, "path-outside-root");
    assert_eq!(place(&d), ("leak.yaml".into(), 1, 1));
    assert!(load(dir.path(), &PathRule::Anywhere).is_ok());
}

#[cfg(unix)]
#[test]
fn a_symbolic_link_out_of_the_controls_folder_is_refused() {
    let outside = tempfile::tempdir().unwrap();
    let secret = write(outside.path(), "secret.yaml", "controls: []\n");
    let dir = inventory();
    std::os::unix::fs::symlink(&secret, dir.path().join("controls/leak.yaml")).unwrap();
    let problems = load(dir.path(), &PathRule::default()).unwrap_err();
    let d = only(&problems, "path-outside-root");
    assert_eq!(place(&d), ("leak.yaml".into(), 1, 1));
    assert!(load(dir.path(), &PathRule::Anywhere).is_ok());
}

#[cfg(unix)]
#[test]
fn a_symbolic_link_out_of_a_catalogs_or_mappings_folder_is_refused() {
    let outside = tempfile::tempdir().unwrap();
    let secret = write(outside.path(), "secret.yaml", "password: hunter2\n");
    let dir = inventory();
    std::os::unix::fs::symlink(&secret, dir.path().join("catalogs/leak.yaml")).unwrap();
    let problems = load(dir.path(), &PathRule::default()).unwrap_err();
    let d = only(&problems, "path-outside-root");
    assert_eq!(place(&d), ("leak.yaml".into(), 1, 1));
    assert!(!problems.to_string().contains("hunter2"), "{problems}");
    fs::remove_file(dir.path().join("catalogs/leak.yaml")).unwrap();

    fs::create_dir_all(dir.path().join("mappings")).unwrap();
    std::os::unix::fs::symlink(&secret, dir.path().join("mappings/leak.yaml")).unwrap();
    let config = fs::read_to_string(dir.path().join("reqgap.yaml")).unwrap();
    write(
        dir.path(),
        "reqgap.yaml",
        &format!("{config}mappings: [mappings]\n"),
    );
    let problems = load(dir.path(), &PathRule::default()).unwrap_err();
    let d = only(&problems, "path-outside-root");
    assert_eq!(place(&d), ("leak.yaml".into(), 1, 1));
    assert!(load(dir.path(), &PathRule::Anywhere).is_ok());
}

// Case 12 and 13: a diagnostic quotes a window of its line, with control characters
// shown as escapes, so that an input cannot put terminal escapes into a CI log.
#[test]
fn diagnostics_show_control_characters_of_the_quoted_line_as_escapes() {
    let dir = tempfile::tempdir().unwrap();
    let catalog = fs::read_to_string(DEMO_CATALOG).unwrap().replace(
        "- id: DSO-2-03",
        "- id: DSO-2-03\u{1b}]0;pwned\u{7}\u{1b}[2J",
    );
    write(dir.path(), "demo.yaml", &catalog);
    let out = reqgap(dir.path(), &["validate", "demo.yaml"]);
    assert_eq!(out.status.code(), Some(2));
    let stderr = String::from_utf8(out.stderr).unwrap();
    assert!(
        !stderr.contains('\u{1b}') && !stderr.contains('\u{7}'),
        "{stderr:?}"
    );
    assert!(
        stderr.contains(r"- id: DSO-2-03\u{1b}]0;pwned\u{7}\u{1b}[2J"),
        "{stderr}"
    );
}

#[test]
fn a_wrong_type_message_never_quotes_a_whole_file() {
    let passwd: String = (0..50)
        .map(|i| format!("user{i}:x:{i}:{i}:User {i}:/var/lib/user{i}:/bin/sh\n"))
        .collect();
    let dir = inventory();
    write(dir.path(), "owners.yaml", &passwd);
    let problems = load(dir.path(), &PathRule::default()).unwrap_err();
    let d = only(&problems, "wrong-type");
    assert!(d.message.len() < 200, "{}", d.message);
    assert!(!d.message.contains("user2:"), "{}", d.message);
    assert_eq!(place(&d), ("owners.yaml".into(), 1, 1));
}

// Case 14: an empty `owners:` named the inventory folder itself, and the `not-a-file`
// error had no line (found by the property test).
#[test]
fn a_folder_where_reqgap_yaml_expects_a_file_is_reported_at_its_line() {
    let dir = inventory();
    let config = fs::read_to_string(dir.path().join("reqgap.yaml")).unwrap();
    write(
        dir.path(),
        "reqgap.yaml",
        &config.replace("owners: owners.yaml", "owners: "),
    );
    let problems = load(dir.path(), &PathRule::default()).unwrap_err();
    let d = only(&problems, "not-a-file");
    assert_eq!(
        d.message,
        "no file named: an empty path names the inventory folder"
    );
    assert_eq!(place(&d), ("reqgap.yaml".into(), 6, 1));

    fs::create_dir(dir.path().join("owners.d")).unwrap();
    write(
        dir.path(),
        "reqgap.yaml",
        &config.replace("owners: owners.yaml", "owners: owners.d"),
    );
    let problems = load(dir.path(), &PathRule::default()).unwrap_err();
    let d = only(&problems, "not-a-file");
    assert_eq!(d.message, "`owners.d` is a folder; expected a file");
    assert_eq!(place(&d), ("reqgap.yaml".into(), 6, 9));
}

// Case 14: input errors without line and column.
#[test]
fn whole_file_problems_are_located_at_line_one() {
    let d = parse_error("# only a comment\n");
    assert_eq!(d.code.as_str(), "empty-file");
    assert_eq!(d.message, "the file is empty; expected a YAML mapping");
    assert_eq!(place(&d), ("t.yaml".into(), 1, 1));

    let d = parse_error("a: 1\rb: 2\n");
    assert_eq!(d.code.as_str(), "bare-carriage-return");
    assert_eq!(place(&d), ("t.yaml".into(), 1, 5));
}

#[test]
fn a_missing_owners_file_is_reported_where_reqgap_yaml_names_it() {
    let dir = inventory();
    fs::remove_file(dir.path().join("owners.yaml")).unwrap();
    let problems = load(dir.path(), &PathRule::default()).unwrap_err();
    let d = problems
        .iter()
        .find(|d| d.code.as_str() == "cannot-read")
        .unwrap();
    assert_eq!(
        d.message,
        "cannot read `owners.yaml`: there is no such file or folder"
    );
    assert_eq!(place(d), ("reqgap.yaml".into(), 6, 9));
}

#[test]
fn check_output_write_errors_name_the_file() {
    let dir = inventory();
    let out = reqgap(
        dir.path(),
        &[
            "check",
            ".",
            "--today",
            "2026-11-26",
            "--output",
            "reqgap.yaml/report.json",
            "--format",
            "json",
        ],
    );
    assert_eq!(out.status.code(), Some(2));
    let stderr = String::from_utf8(out.stderr).unwrap();
    assert!(stderr.contains("reqgap.yaml/report.json"), "{stderr}");
}

/// Found by the `import_oscal` fuzz target after 5.6 million runs: a date with a signed
/// year (`-015-01-22`) was read as the year −15 and written back as `-0015-01-22`, which
/// the catalog loader refuses. Only YYYY-MM-DD in digits is a date, for the importer and
/// for the loader alike.
#[test]
fn a_signed_year_is_not_a_date_for_the_importer_or_the_loader() {
    let text = "{\"catalog\": {\"metadata\": {\"title\": \"T\", \"version\": \"1\", \"oscal-version\": \"1.1.2\",\n\"published\": \"-015-01-22T00:00:00.000-05:00\", \"last-modified\": \"2025-01-01T00:00:00Z\"},\n\"groups\": [{\"id\": \"g\", \"title\": \"G\", \"controls\": [{\"id\": \"c-1\", \"title\": \"One\", \"parts\": [{\"name\": \"statement\", \"prose\": \"Do it.\"}]}]}]}}\n";
    let options = import::oscal::OscalOptions {
        header: import::HeaderOverrides {
            standard: Some("demo".into()),
            ..Default::default()
        },
        ..Default::default()
    };
    let problems = import_problems(import::oscal::import(
        &SourceFile::new("catalog.json", text),
        &options,
    ));
    let found = input_errors(&problems);
    assert_eq!(found.len(), 1, "{problems}");
    assert_eq!(found[0].0, "bad-date");
    assert_eq!(found[0].2, ("catalog.json".into(), 2, 15));

    let catalog = fs::read_to_string(DEMO_CATALOG)
        .unwrap()
        .replace("published: 2025-", "published: -015-");
    assert!(catalog.contains("published: -015-"), "the fixture changed");
    let file = SourceFile::new("demo.yaml", catalog);
    let problems = reqgap::source::catalog::parse_catalog(
        &file,
        reqgap::model::Origin::File("demo.yaml".into()),
    )
    .unwrap_err();
    assert!(
        problems.iter().any(|d| d.code.as_str() == "bad-date"),
        "{problems}"
    );
}

/// Found by the `inventory` fuzz target: `catalogs: [., ./catalogs/demo]` named one file
/// twice, through overlapping folders, and it was reported as a catalog defined twice, by
/// itself, with no line. Each file is read once, by its canonical path; two files that do
/// define one catalog version are reported at line 1 of the second.
#[test]
fn overlapping_catalog_folders_read_each_file_once() {
    let dir = inventory();
    let root = dir.path();
    let config = fs::read_to_string(root.join("reqgap.yaml")).unwrap();
    write(
        root,
        "reqgap.yaml",
        &config.replace("[catalogs]", "[catalogs, ./catalogs, catalogs/../catalogs]"),
    );
    load(root, &PathRule::default()).unwrap();

    fs::copy(DEMO_CATALOG, root.join("catalogs/copy.yaml")).unwrap();
    let problems = load(root, &PathRule::default()).unwrap_err();
    let duplicate = only(&problems, "duplicate-catalog");
    let (file, line, column) = place(&duplicate);
    assert!(file == "copy.yaml" || file == "2.0.yaml", "{file}");
    assert_eq!((line, column), (1, 1));
}
