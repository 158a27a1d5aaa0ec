//! Pictures of the inventory graph: what a selection draws, and that the SVG is well-formed
//! XML with hostile names kept as text.

use chrono::NaiveDate;
use quick_xml::events::Event;
use quick_xml::Reader;
use reqgap::model::{ControlId, ControlStatus, OwnerId};
use reqgap::picture::{NodeKind, Picture, PictureError, PictureNode, Selection, MAX_SVG_NODES};
use reqgap::report::graph_view::{dot, mermaid, svg::svg_file};
use reqgap::{Analysed, Analysis};

fn analyse(dir: &str) -> Analysed {
    let today = NaiveDate::from_ymd_opt(2027, 5, 1).unwrap();
    Analysis::new(dir, today).run().unwrap()
}

fn picture(analysed: &Analysed, selection: &Selection) -> Result<Picture, PictureError> {
    Picture::build(&analysed.loaded.inventory, &analysed.report, selection)
}

/// Element names of an XML text, failing on any syntax error.
fn xml_elements(text: &str) -> Vec<String> {
    let mut reader = Reader::from_str(text);
    let mut names = Vec::new();
    loop {
        match reader.read_event() {
            Ok(Event::Start(e)) | Ok(Event::Empty(e)) => {
                names.push(String::from_utf8(e.name().as_ref().to_vec()).unwrap());
            }
            Ok(Event::Eof) => return names,
            Ok(_) => {}
            Err(e) => panic!("not well-formed XML: {e}"),
        }
    }
}

#[test]
fn a_control_brings_its_requirements_dependencies_owners_and_chain() {
    let analysed = analyse("tests/fixtures/inventories/report/demo");
    let selection = Selection {
        controls: vec![ControlId::new("C-INC")],
        ..Selection::default()
    };
    let picture = picture(&analysed, &selection).unwrap();
    assert_eq!(
        picture.sentences(),
        [
            "C-INC depends on C-REC",
            "C-INC owned by incident-lead",
            "C-REC owned by incident-lead",
            "ciso escalates to board",
            "incident-lead escalates to ciso",
            "DSO-2-01 (1.0) met by C-INC",
        ]
    );
    let mermaid = mermaid(&picture);
    assert!(mermaid.starts_with("flowchart LR\n"));
    assert_eq!(mermaid.matches(" -->|").count(), picture.edges.len());
    let dot = dot(&picture);
    assert!(dot.starts_with("digraph inventory {") && dot.ends_with("}\n"));
    assert_eq!(dot.matches(" -> ").count(), picture.edges.len());
}

#[test]
fn the_whole_inventory_is_drawn_without_a_selection() {
    let analysed = analyse("tests/fixtures/inventories/report/demo");
    let all = picture(&analysed, &Selection::default()).unwrap();
    let controls = all
        .nodes
        .iter()
        .filter(|n| matches!(n.kind, NodeKind::Control(_)))
        .count();
    assert_eq!(controls, analysed.loaded.inventory.controls.len());
    assert_eq!(all, picture(&analysed, &Selection::default()).unwrap());
}

#[test]
fn unknown_names_are_refused() {
    let analysed = analyse("tests/fixtures/inventories/report/demo");
    let owner = Selection {
        owners: vec![OwnerId::new("cfo")],
        ..Selection::default()
    };
    assert_eq!(
        picture(&analysed, &owner),
        Err(PictureError::UnknownOwner("cfo".into()))
    );
    let requirement = Selection {
        requirements: vec!["DSO-9-99".into()],
        ..Selection::default()
    };
    assert!(matches!(
        picture(&analysed, &requirement),
        Err(PictureError::UnknownRequirement(_))
    ));
}

#[test]
fn svg_is_well_formed_and_keeps_hostile_names_as_text() {
    let analysed = analyse("tests/fixtures/inventories/report/hostile");
    let picture = picture(&analysed, &Selection::default()).unwrap();
    let svg = svg_file(&picture);
    let elements = xml_elements(&svg);
    assert_eq!(elements[0], "svg");
    assert!(!elements.iter().any(|e| e == "script" || e == "img"));
    assert!(svg.contains("&lt;script&gt;alert('owner')&lt;/script&gt;"));
    assert!(svg.contains("&quot;&gt;&lt;img src=x onerror=alert(2)&gt;"));
    assert!(svg.contains("<title id=\"g-title\">"));
}

#[test]
fn svg_is_refused_for_large_pictures() {
    let nodes = (0..=MAX_SVG_NODES)
        .map(|i| PictureNode {
            id: format!("control:C-{i:04}"),
            label: format!("C-{i:04}"),
            detail: String::new(),
            kind: NodeKind::Control(ControlStatus::Active),
        })
        .collect();
    let big = Picture {
        nodes,
        edges: Vec::new(),
    };
    assert_eq!(
        big.check_svg_size(),
        Err(PictureError::TooLarge(MAX_SVG_NODES + 1))
    );
}
