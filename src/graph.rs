//! The inventory as a graph: requirements of every catalog version in play, controls,
//! owners and evidence, with the edges between them. The gap rules are queries on it.

use std::collections::{BTreeMap, BTreeSet, HashMap, VecDeque};

use petgraph::graph::{DiGraph, NodeIndex};
use petgraph::visit::{EdgeRef, IntoNodeReferences};
use petgraph::Direction;

use crate::diff::Reason;
use crate::model::{
    ControlId, ControlStatus, Coverage, EvidenceId, Inventory, OwnerId, Place, RequirementKey,
    Version,
};

#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Node {
    Requirement(RequirementKey),
    Control(ControlId),
    Owner(OwnerId),
    Evidence(ControlId, EvidenceId),
}

/// How a requirement of one version carries to a requirement of a later version.
#[derive(Clone, Debug, PartialEq)]
pub struct Correspondence {
    pub carry: Carry,
    /// The relation makes coverage partial (NIST IR 8477 `subset-of` / `intersects-with`).
    pub partial: bool,
    /// Established by a person or the publisher rather than detected.
    pub curated: bool,
    /// Text similarity of the pair (1.0 for identical text).
    pub score: f64,
    /// What changed in substance, as the diff found it.
    pub reasons: Vec<Reason>,
    /// What exactly changed (level, markers, keywords, quantities, list items).
    pub details: crate::diff::Details,
    /// Transition entries the carry rests on that their source does not state for sure
    /// (inferred, of low or medium confidence, a detected pair written down): named in
    /// its review, and, except for detected pairs, holding its coverage until a person
    /// confirms it.
    pub unconfirmed: Vec<crate::model::UnconfirmedEntry>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum Carry {
    /// Same ID, same text.
    Unchanged,
    /// Wording changed, meaning did not.
    Editorial,
    /// Meaning changed: the mapping must be reviewed.
    Substantive,
    /// The same requirement under another ID.
    Renumbered { substantive: bool },
    /// One part of a split requirement.
    SplitPart,
    /// The requirement was merged with others into this one.
    MergedInto,
    /// The requirement is withdrawn; its catalog links its content into this one.
    IncorporatedInto,
    /// A detected match too weak to accept without a person confirming it.
    Unconfirmed,
}

#[derive(Clone, Debug, PartialEq)]
pub enum Edge {
    Satisfies {
        coverage: Coverage,
        reviewed_against: Version,
        place: Place,
    },
    DependsOn,
    OwnedBy,
    EvidencedBy,
    EscalatesTo,
    CorrespondsTo(Correspondence),
}

#[derive(Debug, Default)]
pub struct InventoryGraph {
    pub graph: DiGraph<Node, Edge>,
    /// Lookup only, never iterated: a hash map keeps large inventories fast without
    /// making any output depend on hash order.
    index: HashMap<Node, NodeIndex>,
}

impl InventoryGraph {
    /// Controls, owners, evidence and the requirements the controls map to.
    pub fn from_inventory(inventory: &Inventory) -> InventoryGraph {
        let mut g = InventoryGraph::default();
        for owner in inventory.owners.values() {
            let node = g.node(Node::Owner(owner.id.clone()));
            if let Some(up) = &owner.escalates_to {
                let up = g.node(Node::Owner(up.clone()));
                g.graph.add_edge(node, up, Edge::EscalatesTo);
            }
        }
        for control in inventory.controls.values() {
            let node = g.node(Node::Control(control.id.clone()));
            if let Some(owner) = &control.owner {
                let owner = g.node(Node::Owner(owner.clone()));
                g.graph.add_edge(node, owner, Edge::OwnedBy);
            }
            for dependency in &control.depends_on {
                let dependency = g.node(Node::Control(dependency.clone()));
                g.graph.add_edge(node, dependency, Edge::DependsOn);
            }
            for evidence in &control.evidence {
                let item = g.node(Node::Evidence(control.id.clone(), evidence.id.clone()));
                g.graph.add_edge(node, item, Edge::EvidencedBy);
            }
            for mapping in &control.satisfies {
                let catalog = mapping.catalog();
                for requirement in &mapping.requirements {
                    let target = g.node(Node::Requirement(catalog.requirement(&requirement.id)));
                    g.graph.add_edge(
                        node,
                        target,
                        Edge::Satisfies {
                            coverage: mapping.coverage,
                            reviewed_against: mapping.reviewed_against.clone(),
                            place: requirement.place.clone(),
                        },
                    );
                }
            }
        }
        g
    }

    /// The node for `node`, added if new.
    pub fn node(&mut self, node: Node) -> NodeIndex {
        if let Some(index) = self.index.get(&node) {
            return *index;
        }
        let index = self.graph.add_node(node.clone());
        self.index.insert(node, index);
        index
    }

    pub fn find(&self, node: &Node) -> Option<NodeIndex> {
        self.index.get(node).copied()
    }

    /// Records that `from` (older version) corresponds to `to` (newer version).
    pub fn add_correspondence(
        &mut self,
        from: RequirementKey,
        to: RequirementKey,
        c: Correspondence,
    ) {
        let from = self.node(Node::Requirement(from));
        let to = self.node(Node::Requirement(to));
        self.graph.add_edge(from, to, Edge::CorrespondsTo(c));
    }

    /// Requirement nodes mapped by at least one control, in key order.
    pub fn mapped_requirements(&self) -> Vec<RequirementKey> {
        self.mapped_requirements_where(|_| true)
    }

    /// The mapped requirements for which `wanted` holds, in key order (chosen before they
    /// are sorted: an inventory maps tens of thousands).
    pub fn mapped_requirements_where(
        &self,
        wanted: impl Fn(&RequirementKey) -> bool,
    ) -> Vec<RequirementKey> {
        self.graph
            .node_references()
            .filter_map(|(index, node)| match node {
                Node::Requirement(key)
                    if wanted(key)
                        && self
                            .graph
                            .edges_directed(index, Direction::Incoming)
                            .any(|e| matches!(e.weight(), Edge::Satisfies { .. })) =>
                {
                    Some(key.clone())
                }
                _ => None,
            })
            .collect::<BTreeSet<_>>()
            .into_iter()
            .collect()
    }

    /// The controls that claim `requirement`, with the claim, sorted by control ID.
    pub fn claims(&self, requirement: &RequirementKey) -> Vec<(ControlId, Coverage, Place)> {
        let Some(index) = self.find(&Node::Requirement(requirement.clone())) else {
            return Vec::new();
        };
        let mut claims: Vec<_> = self
            .graph
            .edges_directed(index, Direction::Incoming)
            .filter_map(|e| match (e.weight(), &self.graph[e.source()]) {
                (
                    Edge::Satisfies {
                        coverage, place, ..
                    },
                    Node::Control(id),
                ) => Some((id.clone(), *coverage, place.clone())),
                _ => None,
            })
            .collect();
        claims.sort_by(|a, b| a.0.cmp(&b.0).then_with(|| a.2.cmp(&b.2)));
        claims
    }

    /// Where `requirement` goes in later versions, following correspondence edges one step.
    pub fn successors(
        &self,
        requirement: &RequirementKey,
    ) -> Vec<(RequirementKey, Correspondence)> {
        let Some(index) = self.find(&Node::Requirement(requirement.clone())) else {
            return Vec::new();
        };
        let mut next: Vec<_> = self
            .graph
            .edges_directed(index, Direction::Outgoing)
            .filter_map(|e| match (e.weight(), &self.graph[e.target()]) {
                (Edge::CorrespondsTo(c), Node::Requirement(key)) => Some((key.clone(), c.clone())),
                _ => None,
            })
            .collect();
        next.sort_by(|a, b| a.0.cmp(&b.0));
        next
    }

    /// Controls whose dependencies, followed transitively, reach a control for which
    /// `is_bad` holds (retired or planned), each with the nearest such control. One
    /// multi-source search backwards from the bad controls: linear in the graph's size, so
    /// large inventories with long dependency chains stay fast.
    pub fn broken_controls(
        &self,
        is_bad: impl Fn(&ControlId) -> bool,
    ) -> BTreeMap<ControlId, Vec<ControlId>> {
        // `next_hop[n]` is the dependency through which `n` reaches its nearest bad control.
        let mut next_hop: BTreeMap<NodeIndex, Option<NodeIndex>> = BTreeMap::new();
        let mut queue: VecDeque<NodeIndex> = self
            .graph
            .node_references()
            .filter(|(_, node)| matches!(node, Node::Control(id) if is_bad(id)))
            .map(|(index, _)| index)
            .collect();
        for bad in &queue {
            next_hop.insert(*bad, None);
        }
        while let Some(current) = queue.pop_front() {
            let mut dependents: Vec<NodeIndex> = self
                .graph
                .edges_directed(current, Direction::Incoming)
                .filter(|e| matches!(e.weight(), Edge::DependsOn))
                .map(|e| e.source())
                .collect();
            dependents.sort_by(|a, b| self.graph[*a].cmp(&self.graph[*b]));
            for dependent in dependents {
                if let std::collections::btree_map::Entry::Vacant(entry) = next_hop.entry(dependent)
                {
                    entry.insert(Some(current));
                    queue.push_back(dependent);
                }
            }
        }
        let control_id = |index: NodeIndex| match &self.graph[index] {
            Node::Control(id) => Some(id.clone()),
            _ => None,
        };
        next_hop
            .iter()
            .filter_map(|(&start, hop)| {
                let mut chain = Vec::new();
                let mut at = (*hop)?;
                loop {
                    chain.push(control_id(at)?);
                    match next_hop.get(&at).copied().flatten() {
                        Some(next) => at = next,
                        None => break,
                    }
                }
                Some((control_id(start)?, chain))
            })
            .collect()
    }

    /// The chain of owners above `owner`, nearest first.
    pub fn escalation_chain(&self, owner: &OwnerId) -> Vec<OwnerId> {
        let mut chain = Vec::new();
        let mut current = self.find(&Node::Owner(owner.clone()));
        while let Some(index) = current {
            current = self
                .graph
                .edges_directed(index, Direction::Outgoing)
                .find(|e| matches!(e.weight(), Edge::EscalatesTo))
                .map(|e| e.target());
            if let Some(Node::Owner(id)) = current.map(|i| &self.graph[i]) {
                if id == owner || chain.contains(id) {
                    break;
                }
                chain.push(id.clone());
            }
        }
        chain
    }
}

/// True when `status` lets a control's coverage count.
pub fn counts(status: ControlStatus) -> bool {
    status == ControlStatus::Active
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn broken_controls_name_the_nearest_bad_dependency() {
        let mut g = InventoryGraph::default();
        let control = |g: &mut InventoryGraph, id: &str| g.node(Node::Control(ControlId::new(id)));
        let (a, b, c, d, e) = (
            control(&mut g, "A"),
            control(&mut g, "B"),
            control(&mut g, "C"),
            control(&mut g, "D"),
            control(&mut g, "E"),
        );
        for (from, to) in [(a, b), (b, c), (d, e)] {
            g.graph.add_edge(from, to, Edge::DependsOn);
        }
        let broken = g.broken_controls(|id| id.as_str() == "C");
        let found: Vec<(&str, Vec<&str>)> = broken
            .iter()
            .map(|(k, v)| (k.as_str(), v.iter().map(ControlId::as_str).collect()))
            .collect();
        assert_eq!(found, [("A", vec!["B", "C"]), ("B", vec!["C"])]);
    }
}
