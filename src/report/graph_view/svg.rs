//! The picture as SVG, drawn from the layered layout through a maud template (every text
//! escaped). Standalone files carry the SVG namespace; drawings inlined in HTML need none.

use maud::{html, Markup};

use super::layout::{layered, NODE_HEIGHT, NODE_WIDTH};
use crate::model::ControlStatus;
use crate::picture::{NodeKind, Picture};
use crate::visible::visible_controls;

/// Longer labels are cut; the full text is in each box's tooltip.
const LABEL_CHARS: usize = 24;

/// The SVG drawing. `id_prefix` keeps element IDs unique when several drawings share one
/// HTML page; `standalone` adds the XML namespace a `.svg` file needs.
pub fn svg(picture: &Picture, id_prefix: &str, standalone: bool) -> Markup {
    let layout = layered(picture);
    let title_id = format!("{id_prefix}-title");
    let desc_id = format!("{id_prefix}-desc");
    let arrow = format!("{id_prefix}-arrow");
    let namespace = standalone.then_some(SVG_NAMESPACE);
    let drawing = html! {
        svg xmlns=[namespace] class="graph" role="img" aria-labelledby=(format!("{title_id} {desc_id}"))
            viewBox=(format!("0 0 {} {}", layout.width, layout.height))
            width=(layout.width) height=(layout.height)
            font-family="system-ui, sans-serif" font-size="12" {
            title id=(title_id) { (summary(picture)) }
            desc id=(desc_id) { (picture.sentences().join("; ")) }
            defs {
                marker id=(arrow) viewBox="0 0 10 10" refX="10" refY="5" markerWidth="7"
                    markerHeight="7" orient="auto" {
                    path d="M0,0 L10,5 L0,10 z" fill="#555" {}
                }
            }
            @for &(from, to, kind) in &picture.edges {
                @let (x1, y1) = layout.positions[from];
                @let (x2, y2) = layout.positions[to];
                @let (sx, sy, ex, ey) = (x1 + NODE_WIDTH, y1 + NODE_HEIGHT / 2.0, x2, y2 + NODE_HEIGHT / 2.0);
                @let mid = (sx + ex) / 2.0;
                path d=(format!("M{sx},{sy} C{mid},{sy} {mid},{ey} {ex},{ey}")) fill="none"
                    stroke="#555" stroke-width="1.2" marker-end=(format!("url(#{arrow})")) {
                    title { (picture.nodes[from].label) " " (kind) " " (picture.nodes[to].label) }
                }
            }
            @for (node, (x, y)) in picture.nodes.iter().zip(&layout.positions) {
                @let look = look(node.kind);
                g {
                    title { (node.detail) }
                    rect x=(x) y=(y) width=(NODE_WIDTH) height=(NODE_HEIGHT) rx="5"
                        fill=(look.fill) stroke=(look.stroke) stroke-width="1.5"
                        stroke-dasharray=[look.dashed.then_some("4 3")] {}
                    text x=(x + 8.0) y=(y + 14.0) fill="#111" { (cut(&node.label)) }
                    text x=(x + 8.0) y=(y + 28.0) fill="#555" font-size="10" { (look.caption) }
                }
            }
        }
    };
    // XML forbids most control characters even escaped (`&#1;` is not well-formed): a
    // title holding one would make the whole file unreadable, so it is shown as `\u{1}`.
    maud::PreEscaped(visible_controls(&drawing.into_string()).into_owned())
}

// The SVG namespace is a name, not a resource: nothing is fetched from it.
const SVG_NAMESPACE: &str = concat!("http", "://www.w3.org/2000/svg");

/// A standalone `.svg` file with its XML declaration.
pub fn svg_file(picture: &Picture) -> String {
    let drawing = svg(picture, "g", true).into_string();
    let mut file = String::from("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
    file.push_str(&drawing);
    file.push('\n');
    file
}

fn summary(picture: &Picture) -> String {
    let count =
        |wanted: fn(NodeKind) -> bool| picture.nodes.iter().filter(|n| wanted(n.kind)).count();
    format!(
        "Inventory graph: {} requirements, {} controls, {} owners",
        count(|k| k == NodeKind::Requirement),
        count(|k| matches!(k, NodeKind::Control(_))),
        count(|k| k == NodeKind::Owner),
    )
}

struct Look {
    fill: &'static str,
    stroke: &'static str,
    dashed: bool,
    caption: &'static str,
}

fn look(kind: NodeKind) -> Look {
    let (fill, stroke, dashed, caption) = match kind {
        NodeKind::Requirement => ("#e8f0fe", "#1a56b0", false, "requirement"),
        NodeKind::Control(ControlStatus::Active) => ("#e6f4ea", "#1e7b34", false, "control"),
        NodeKind::Control(ControlStatus::Planned) => {
            ("#ffffff", "#1e7b34", true, "control (planned)")
        }
        NodeKind::Control(ControlStatus::Retired) => {
            ("#eeeeee", "#777777", true, "control (retired)")
        }
        NodeKind::Owner => ("#fff4e5", "#b35c00", false, "owner"),
    };
    Look {
        fill,
        stroke,
        dashed,
        caption,
    }
}

fn cut(label: &str) -> String {
    if label.chars().count() <= LABEL_CHARS {
        return label.to_owned();
    }
    let mut short: String = label.chars().take(LABEL_CHARS - 1).collect();
    short.push('…');
    short
}
