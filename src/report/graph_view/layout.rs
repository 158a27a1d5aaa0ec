//! A layered (Sugiyama-style) layout computed in Rust: every edge points to a later
//! column, and nodes within a column are ordered by the mean position of their neighbours
//! to keep edges from crossing.

use crate::picture::{EdgeKind, NodeKind, Picture};

pub const NODE_WIDTH: f64 = 180.0;
pub const NODE_HEIGHT: f64 = 34.0;
const COLUMN_GAP: f64 = 60.0;
const ROW_GAP: f64 = 14.0;
pub const MARGIN: f64 = 10.0;
/// Ordering sweeps; a few suffice for the small pictures drawn as SVG.
const SWEEPS: usize = 4;

#[derive(Clone, Debug, PartialEq)]
pub struct Layout {
    /// Top-left corner of each node's box, by node index.
    pub positions: Vec<(f64, f64)>,
    pub width: f64,
    pub height: f64,
}

/// The column of each node: requirements first, then controls (a dependency right of the
/// control that needs it), then owners (the one escalated to right of the one below).
pub fn columns(picture: &Picture) -> Vec<usize> {
    let mut column: Vec<usize> = picture
        .nodes
        .iter()
        .map(|n| match n.kind {
            NodeKind::Requirement => 0,
            NodeKind::Control(_) => 1,
            NodeKind::Owner => 2,
        })
        .collect();
    let controls_only = |kind: EdgeKind| kind == EdgeKind::DependsOn;
    longest_paths(picture, &mut column, controls_only);
    let last_control = picture
        .nodes
        .iter()
        .zip(&column)
        .filter(|(n, _)| matches!(n.kind, NodeKind::Control(_)))
        .map(|(_, c)| *c)
        .max()
        .unwrap_or(0);
    for (node, c) in picture.nodes.iter().zip(column.iter_mut()) {
        if node.kind == NodeKind::Owner {
            *c = last_control + 1;
        }
    }
    longest_paths(picture, &mut column, |kind| kind == EdgeKind::EscalatesTo);
    compact(&mut column);
    column
}

/// Drops empty columns (a picture without requirements starts with its controls).
fn compact(column: &mut [usize]) {
    let mut used: Vec<usize> = column.to_vec();
    used.sort_unstable();
    used.dedup();
    for c in column.iter_mut() {
        *c = used.binary_search(c).unwrap_or(*c);
    }
}

/// Pushes each edge's target right of its source. Bounded by the node count, so a cycle
/// (which validation rejects anyway) cannot loop forever.
fn longest_paths(picture: &Picture, column: &mut [usize], follow: impl Fn(EdgeKind) -> bool) {
    for _ in 0..picture.nodes.len() {
        let mut moved = false;
        for &(from, to, kind) in &picture.edges {
            if follow(kind) && column[to] <= column[from] {
                column[to] = column[from] + 1;
                moved = true;
            }
        }
        if !moved {
            break;
        }
    }
}

/// Columns, then the order within each column, then coordinates.
pub fn layered(picture: &Picture) -> Layout {
    let column = columns(picture);
    let count = column.iter().max().map_or(0, |c| c + 1);
    let mut order: Vec<Vec<usize>> = vec![Vec::new(); count];
    for (node, c) in column.iter().enumerate() {
        order[*c].push(node);
    }
    for sweep in 0..SWEEPS {
        let forward = sweep % 2 == 0;
        let range: Vec<usize> = if forward {
            (1..count).collect()
        } else {
            (0..count.saturating_sub(1)).rev().collect()
        };
        for c in range {
            let rank = ranks(&order, picture.nodes.len());
            let neighbour = |node: usize| -> Vec<f64> {
                picture
                    .edges
                    .iter()
                    .filter_map(|&(from, to, _)| match forward {
                        true if to == node => Some(rank[from]),
                        false if from == node => Some(rank[to]),
                        _ => None,
                    })
                    .collect()
            };
            let mut keyed: Vec<(f64, usize, usize)> = order[c]
                .iter()
                .enumerate()
                .map(|(position, &node)| {
                    let near = neighbour(node);
                    let centre = if near.is_empty() {
                        position as f64
                    } else {
                        near.iter().sum::<f64>() / near.len() as f64
                    };
                    (centre, position, node)
                })
                .collect();
            keyed.sort_by(|a, b| a.0.total_cmp(&b.0).then(a.1.cmp(&b.1)));
            order[c] = keyed.into_iter().map(|(_, _, node)| node).collect();
        }
    }
    place(&order, picture.nodes.len())
}

/// Each node's position within its column.
fn ranks(order: &[Vec<usize>], nodes: usize) -> Vec<f64> {
    let mut rank = vec![0.0; nodes];
    for column in order {
        for (position, node) in column.iter().enumerate() {
            rank[*node] = position as f64;
        }
    }
    rank
}

fn place(order: &[Vec<usize>], nodes: usize) -> Layout {
    let rows = order.iter().map(Vec::len).max().unwrap_or(0) as f64;
    let height = 2.0 * MARGIN + rows * NODE_HEIGHT + (rows - 1.0).max(0.0) * ROW_GAP;
    let columns = order.len() as f64;
    let width = 2.0 * MARGIN + columns * NODE_WIDTH + (columns - 1.0).max(0.0) * COLUMN_GAP;
    let mut positions = vec![(0.0, 0.0); nodes];
    for (c, column) in order.iter().enumerate() {
        let used = column.len() as f64 * (NODE_HEIGHT + ROW_GAP) - ROW_GAP;
        let top = (height - used) / 2.0;
        for (row, node) in column.iter().enumerate() {
            positions[*node] = (
                MARGIN + c as f64 * (NODE_WIDTH + COLUMN_GAP),
                top + row as f64 * (NODE_HEIGHT + ROW_GAP),
            );
        }
    }
    Layout {
        positions,
        width,
        height,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::ControlStatus;
    use crate::picture::PictureNode;

    fn node(id: &str, kind: NodeKind) -> PictureNode {
        PictureNode {
            id: id.into(),
            label: id.into(),
            detail: id.into(),
            kind,
        }
    }

    #[test]
    fn every_edge_points_right_and_no_boxes_overlap() {
        let active = NodeKind::Control(ControlStatus::Active);
        let picture = Picture {
            nodes: vec![
                node("control:A", active),
                node("control:B", active),
                node("control:C", active),
                node("owner:ciso", NodeKind::Owner),
                node("owner:ceo", NodeKind::Owner),
                node("requirement:R1", NodeKind::Requirement),
            ],
            edges: vec![
                (0, 1, EdgeKind::DependsOn),
                (1, 2, EdgeKind::DependsOn),
                (0, 4, EdgeKind::OwnedBy),
                (4, 3, EdgeKind::EscalatesTo),
                (5, 0, EdgeKind::MetBy),
            ],
        };
        let column = columns(&picture);
        assert_eq!(column, [1, 2, 3, 5, 4, 0]);
        let layout = layered(&picture);
        for &(from, to, _) in &picture.edges {
            assert!(layout.positions[from].0 < layout.positions[to].0);
        }
        for a in 0..picture.nodes.len() {
            for b in a + 1..picture.nodes.len() {
                let (pa, pb) = (layout.positions[a], layout.positions[b]);
                let apart = (pa.0 - pb.0).abs() >= NODE_WIDTH || (pa.1 - pb.1).abs() >= NODE_HEIGHT;
                assert!(apart, "{a} and {b} overlap");
            }
        }
        assert!(layout.width >= 6.0 * NODE_WIDTH);
    }

    #[test]
    fn a_picture_without_requirements_starts_with_its_controls() {
        let picture = Picture {
            nodes: vec![
                node("control:A", NodeKind::Control(ControlStatus::Active)),
                node("owner:ciso", NodeKind::Owner),
            ],
            edges: vec![(0, 1, EdgeKind::OwnedBy)],
        };
        assert_eq!(columns(&picture), [0, 1]);
    }

    #[test]
    fn neighbours_are_ordered_to_avoid_crossings() {
        let active = NodeKind::Control(ControlStatus::Active);
        // R1 → B and R2 → A: sorted by ID the edges cross; the sweep uncrosses them.
        let picture = Picture {
            nodes: vec![
                node("control:A", active),
                node("control:B", active),
                node("requirement:R1", NodeKind::Requirement),
                node("requirement:R2", NodeKind::Requirement),
            ],
            edges: vec![(2, 1, EdgeKind::MetBy), (3, 0, EdgeKind::MetBy)],
        };
        let layout = layered(&picture);
        let above = |a: usize, b: usize| layout.positions[a].1 < layout.positions[b].1;
        assert_eq!(above(2, 3), above(1, 0));
    }
}
