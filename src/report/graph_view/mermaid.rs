//! The picture as a Mermaid flowchart, which GitHub and GitLab render inline in Markdown.

use std::fmt::Write as _;

use crate::model::ControlStatus;
use crate::picture::{NodeKind, Picture};

pub fn mermaid(picture: &Picture) -> String {
    let mut out = String::from("flowchart LR\n");
    // Node IDs are positions, since Mermaid IDs cannot hold every character reqgap IDs may.
    for (i, node) in picture.nodes.iter().enumerate() {
        let (open, close) = match node.kind {
            NodeKind::Requirement => ("[", "]"),
            NodeKind::Control(_) => ("(", ")"),
            NodeKind::Owner => ("([", "])"),
        };
        let _ = writeln!(out, "  n{i}{open}\"{}\"{close}", label(&node.label));
    }
    for (from, to, kind) in &picture.edges {
        let _ = writeln!(out, "  n{from} -->|{kind}| n{to}");
    }
    out.push_str("  classDef requirement fill:#e8f0fe,stroke:#1a56b0\n");
    out.push_str("  classDef control fill:#e6f4ea,stroke:#1e7b34\n");
    out.push_str("  classDef inactive fill:#eeeeee,stroke:#777777,stroke-dasharray:4 3\n");
    out.push_str("  classDef owner fill:#fff4e5,stroke:#b35c00\n");
    for (class, wanted) in [
        ("requirement", NodeKind::Requirement),
        ("control", NodeKind::Control(ControlStatus::Active)),
        ("owner", NodeKind::Owner),
    ] {
        class_line(picture, &mut out, class, |k| k == wanted);
    }
    class_line(
        picture,
        &mut out,
        "inactive",
        |k| matches!(k, NodeKind::Control(s) if s != ControlStatus::Active),
    );
    out
}

fn class_line(picture: &Picture, out: &mut String, class: &str, wanted: impl Fn(NodeKind) -> bool) {
    let members: Vec<String> = picture
        .nodes
        .iter()
        .enumerate()
        .filter(|(_, n)| wanted(n.kind))
        .map(|(i, _)| format!("n{i}"))
        .collect();
    if !members.is_empty() {
        let _ = writeln!(out, "  class {} {class}", members.join(","));
    }
}

/// A quoted Mermaid label: Mermaid's entity codes for the characters that would end the
/// label or be read as markup.
fn label(text: &str) -> String {
    text.replace('&', "#amp;")
        .replace('"', "#quot;")
        .replace('<', "#lt;")
        .replace('>', "#gt;")
        .replace(['\n', '\r'], " ")
}

#[cfg(test)]
mod tests {
    #[test]
    fn labels_cannot_end_the_node() {
        assert_eq!(super::label("a\"]<b>&"), "a#quot;]#lt;b#gt;#amp;");
    }
}
