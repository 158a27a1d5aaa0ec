//! Control characters in titles and names (NUL, ESC, U+0001, vertical tab) are shown as
//! visible escapes in the SVG drawing, DOT and the management HTML: a raw one makes an SVG
//! file ill-formed XML (a browser shows only an error) and reaches terminals through DOT.

use std::fs;
use std::path::Path;
use std::process::Command;

use quick_xml::events::Event;
use quick_xml::Reader;
use reqgap::model::ControlStatus;
use reqgap::picture::{NodeKind, Picture, PictureNode};
use reqgap::report::graph_view::{dot, svg::svg_file};

use crate::support::copy_dir;

const HOSTILE: &str = "Policy\u{0}\u{1b}[2J\u{1}\u{b}end";

fn raw_controls(text: &str) -> Vec<char> {
    text.chars()
        .filter(|c| c.is_control() && *c != '\n' && *c != '\t')
        .collect()
}

fn well_formed(xml: &str) -> Vec<String> {
    let mut reader = Reader::from_str(xml);
    let mut texts = Vec::new();
    loop {
        match reader.read_event() {
            Ok(Event::Text(t)) => texts.push(String::from_utf8_lossy(&t).into_owned()),
            Ok(Event::Eof) => return texts,
            Ok(_) => {}
            Err(e) => panic!("not well-formed XML: {e}\n{xml}"),
        }
    }
}

fn hostile_picture() -> Picture {
    Picture {
        nodes: vec![PictureNode {
            id: "control:GOV-01".to_owned(),
            label: format!("GOV-01 {HOSTILE}"),
            detail: HOSTILE.to_owned(),
            kind: NodeKind::Control(ControlStatus::Active),
        }],
        edges: Vec::new(),
    }
}

#[test]
fn an_svg_with_control_characters_in_a_title_parses_as_xml() {
    let svg = svg_file(&hostile_picture());
    assert_eq!(raw_controls(&svg), Vec::<char>::new());
    let texts = well_formed(&svg);
    assert!(
        texts
            .iter()
            .any(|t| t.contains("Policy\\u{0}\\u{1b}[2J\\u{1}\\u{b}end")),
        "{texts:?}"
    );
}

#[test]
fn dot_shows_control_characters_as_escapes() {
    let dot = dot(&hostile_picture());
    assert_eq!(raw_controls(&dot), Vec::<char>::new());
    assert!(dot.contains("Policy\\\\u{0}\\\\u{1b}[2J"), "{dot}");
}

#[test]
fn the_management_html_and_the_svg_command_show_control_characters_as_escapes() {
    let temp = tempfile::tempdir().unwrap();
    let dir = temp.path().join("demo");
    copy_dir(Path::new("tests/fixtures/inventories/report/demo"), &dir);
    let controls = dir.join("controls/controls.yaml");
    let text = fs::read_to_string(&controls).unwrap().replace(
        "title: Information security policy",
        r#"title: "Policy\0\e[2J\x01\vend""#,
    );
    fs::write(&controls, text).unwrap();
    let catalogs = fs::canonicalize("tests/fixtures/catalogs/demo").unwrap();
    let config = fs::read_to_string(dir.join("reqgap.yaml"))
        .unwrap()
        .replace("../../../catalogs/demo", catalogs.to_str().unwrap());
    fs::write(dir.join("reqgap.yaml"), config).unwrap();
    let run = |args: &[&str]| {
        let output = Command::new(env!("CARGO_BIN_EXE_reqgap"))
            .args(args)
            .current_dir(temp.path())
            .output()
            .unwrap();
        assert_eq!(output.status.code(), Some(0), "{output:?}");
        output
    };
    run(&[
        "report",
        "demo",
        "--today",
        "2027-05-01",
        "--allow-outside-root",
        "-o",
        "r.html",
    ]);
    let html = fs::read_to_string(temp.path().join("r.html")).unwrap();
    assert!(
        html.contains("Policy\\u{0}\\u{1b}[2J"),
        "the title is shown"
    );
    assert_eq!(raw_controls(&html), Vec::<char>::new());
    let svg = run(&[
        "graph",
        "demo",
        "--format",
        "svg",
        "--today",
        "2027-05-01",
        "--allow-outside-root",
    ]);
    let svg = String::from_utf8(svg.stdout).unwrap();
    assert_eq!(raw_controls(&svg), Vec::<char>::new());
    well_formed(&svg);
}
