//! The picture in Graphviz DOT, for `dot -Tsvg` and tools that read it.

use std::fmt::Write as _;

use crate::model::ControlStatus;
use crate::picture::{NodeKind, Picture};

pub fn dot(picture: &Picture) -> String {
    let mut out = String::from("digraph inventory {\n  rankdir=LR;\n  node [shape=box, style=\"rounded,filled\", fontname=\"sans-serif\"];\n");
    for node in &picture.nodes {
        let (fill, style) = match node.kind {
            NodeKind::Requirement => ("#e8f0fe", "rounded,filled"),
            NodeKind::Control(ControlStatus::Active) => ("#e6f4ea", "rounded,filled"),
            NodeKind::Control(_) => ("#eeeeee", "rounded,filled,dashed"),
            NodeKind::Owner => ("#fff4e5", "rounded,filled"),
        };
        let _ = writeln!(
            out,
            "  {} [label={}, tooltip={}, fillcolor=\"{fill}\", style=\"{style}\"];",
            quote(&node.id),
            quote(&node.label),
            quote(&node.detail)
        );
    }
    for (from, to, kind) in &picture.edges {
        let _ = writeln!(
            out,
            "  {} -> {} [label={}];",
            quote(&picture.nodes[*from].id),
            quote(&picture.nodes[*to].id),
            quote(kind.label())
        );
    }
    out.push_str("}\n");
    out
}

/// A DOT string: control characters visible (Graphviz refuses some and a terminal acts on
/// others), quotes and backslashes escaped, line breaks as `\n`.
fn quote(text: &str) -> String {
    let escaped = crate::visible::visible_controls(&text.replace('\r', ""))
        .replace('\\', "\\\\")
        .replace('"', "\\\"")
        .replace('\n', "\\n");
    format!("\"{escaped}\"")
}

#[cfg(test)]
mod tests {
    #[test]
    fn quotes_cannot_break_out_of_a_string() {
        assert_eq!(super::quote("a\"] x [b\\"), "\"a\\\"] x [b\\\\\"");
    }
}
