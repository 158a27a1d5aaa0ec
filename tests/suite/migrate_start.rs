//! Starting an inventory: `init` writes one that validates and runs, and `import controls`
//! turns a spreadsheet register into control files that the inventory accepts.

use std::fs;
use std::path::Path;
use std::process::{Command, Output};

fn reqgap(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_reqgap"))
        .args(args)
        .env("NO_COLOR", "1")
        .output()
        .unwrap()
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

#[test]
fn init_then_import_controls_then_gaps() {
    let temp = tempfile::tempdir().unwrap();
    let dir = temp.path().join("acme");
    let d = dir.to_str().unwrap();
    let init = reqgap(&[
        "init",
        d,
        "--organisation",
        "Acme Trust: Services",
        "--target",
        "etsi-en-319-401@3.2.1",
        "--owner",
        "ciso",
        "--today",
        "2026-11-26",
    ]);
    assert_eq!(init.status.code(), Some(0), "{}", text(&init.stderr));
    for file in [
        "reqgap.yaml",
        "owners.yaml",
        "controls/example.yaml",
        ".gitignore",
        "ci/github-actions.yml",
    ] {
        assert!(dir.join(file).is_file(), "{file}");
    }
    let config = fs::read_to_string(dir.join("reqgap.yaml")).unwrap();
    assert!(config.contains("organisation: \"Acme Trust: Services\""));
    assert!(
        config.starts_with('#'),
        "the starter files explain themselves"
    );

    let validate = reqgap(&["validate", d, "--today", "2026-11-26"]);
    assert_eq!(
        validate.status.code(),
        Some(0),
        "{}",
        text(&validate.stderr)
    );
    let gaps = reqgap(&["gaps", d, "--today", "2026-11-26"]);
    assert_eq!(gaps.status.code(), Some(0));
    assert!(text(&gaps.stdout).starts_with("Gap analysis for Acme Trust: Services"));

    // A second init refuses and changes nothing.
    let again = reqgap(&[
        "init",
        d,
        "--organisation",
        "X",
        "--target",
        "etsi-en-319-401@3.2.1",
    ]);
    assert_eq!(again.status.code(), Some(2));
    assert_eq!(fs::read_to_string(dir.join("reqgap.yaml")).unwrap(), config);

    // The owners the register names must exist for the inventory to validate.
    let owners = "owners:\n  - id: ciso\n    name: CISO\n  - id: it-operations-lead\n    name: IT Operations\n  - id: incident-manager\n    name: Incident Manager\n";
    fs::write(dir.join("owners.yaml"), owners).unwrap();
    let out = dir.join("controls");
    let import = reqgap(&[
        "import",
        "controls",
        "tests/fixtures/migrate/register/register.csv",
        "--map",
        "id=Control ID,title=Name,owner=Owner,satisfies=ETSI 319 401",
        "--target",
        "etsi-en-319-401@3.2.1",
        "-o",
        out.to_str().unwrap(),
    ]);
    assert_eq!(import.status.code(), Some(0), "{}", text(&import.stderr));
    let acc = fs::read_to_string(out.join("acc.yaml")).unwrap();
    assert!(acc.contains(
        "  - id: ACC-02\n    title: Joiner-mover-leaver process\n    owner: it-operations-lead\n"
    ));
    assert!(Path::new(&out.join("inc.yaml")).is_file());

    let gaps = reqgap(&["gaps", d, "--today", "2026-11-26"]);
    assert_eq!(gaps.status.code(), Some(0), "{}", text(&gaps.stderr));
    assert!(
        text(&gaps.stdout).contains("4 of 321 requirements covered"),
        "{}",
        text(&gaps.stdout)
    );
}
