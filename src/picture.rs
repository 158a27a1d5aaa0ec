//! A picture of the inventory graph: the requirements, controls and owners a selection
//! names, with the edges between them (met by, depends on, owned by, escalates to), as plain
//! data. `report::graph_view` draws it as Graphviz DOT, Mermaid or SVG.

use std::collections::{BTreeMap, BTreeSet};

use serde::Serialize;

use crate::gaps::GapReport;
use crate::model::{ControlId, ControlStatus, Inventory, OwnerId, RequirementKey};

/// SVG is drawn for small subgraphs only: past this many nodes a layered drawing is no
/// longer readable, and DOT or Mermaid (laid out by their own tools) serve better.
pub const MAX_SVG_NODES: usize = 150;

/// What a node of a picture stands for.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum NodeKind {
    /// A requirement of one catalog version.
    Requirement,
    /// A control, with its status (drawn differently when planned or retired).
    Control(ControlStatus),
    /// An owner (a person or a body).
    Owner,
}

/// One box of a picture.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct PictureNode {
    /// Stable and unique: `requirement:<key>`, `control:<id>` or `owner:<id>`.
    pub id: String,
    /// The short text drawn in the box (an ID).
    pub label: String,
    /// The longer text (title or name), shown as a tooltip and in text alternatives.
    pub detail: String,
    /// What the node stands for.
    pub kind: NodeKind,
}

/// What an edge of a picture says.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum EdgeKind {
    /// Requirement → a control that claims it.
    MetBy,
    /// Control → a control it depends on.
    DependsOn,
    /// Control → its owner.
    OwnedBy,
    /// Requirement → the owner who answers for its gap (an uncovered requirement).
    AnsweredBy,
    /// Owner → the owner it escalates to.
    EscalatesTo,
}

impl EdgeKind {
    /// The words an edge is labelled with in a picture ("met by"); JSON writes the
    /// kebab-case name ("met-by").
    pub fn label(self) -> &'static str {
        match self {
            EdgeKind::MetBy => "met by",
            EdgeKind::DependsOn => "depends on",
            EdgeKind::OwnedBy => "owned by",
            EdgeKind::AnsweredBy => "answered by",
            EdgeKind::EscalatesTo => "escalates to",
        }
    }
}

impl std::fmt::Display for EdgeKind {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.label())
    }
}

/// Nodes sorted by ID; edges as node indices, sorted and without duplicates.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
pub struct Picture {
    /// The boxes, sorted by ID.
    pub nodes: Vec<PictureNode>,
    /// The arrows, as (from, to, kind) indices into `nodes`.
    pub edges: Vec<(usize, usize, EdgeKind)>,
}

/// What to draw. Empty: the whole inventory. Several entries draw their union.
#[derive(Clone, Debug, Default)]
pub struct Selection {
    /// `<standard>@<version>:<id>`, or a bare requirement ID for every version in play.
    pub requirements: Vec<String>,
    /// Controls to draw, each with its requirements, dependencies and owners.
    pub controls: Vec<ControlId>,
    /// Owners to draw, each with the controls they own and their chain.
    pub owners: Vec<OwnerId>,
}

/// Why a picture cannot be drawn.
#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum PictureError {
    /// The selection names a requirement nothing maps or names.
    #[error("no requirement `{0}` is mapped by a control or named by a gap")]
    UnknownRequirement(String),
    /// The selection names a control the inventory does not have.
    #[error("no control `{0}` in the inventory")]
    UnknownControl(String),
    /// The selection names an owner the inventory does not have.
    #[error("no owner `{0}` in the inventory")]
    UnknownOwner(String),
    /// Too many nodes to lay out as SVG.
    #[error("the picture has {0} nodes; SVG is drawn for at most {MAX_SVG_NODES}: narrow it with --requirement, --control or --owner, or use --format dot or mermaid")]
    TooLarge(usize),
}

/// Collects nodes and edges by stable ID, then freezes them into a sorted [`Picture`].
struct Builder<'a> {
    inventory: &'a Inventory,
    report: &'a GapReport,
    nodes: BTreeMap<String, PictureNode>,
    edges: BTreeSet<(String, String, EdgeKind)>,
    expanded: BTreeSet<ControlId>,
    /// Requirement titles, from the gaps that name them (mappings carry only IDs): indexed
    /// for a picture of many requirements; `None` for one gap's picture, which names a
    /// few and looks each up (a report draws dozens of those, and indexing every gap for
    /// each of them cost more than the pictures).
    titles: Option<BTreeMap<&'a RequirementKey, &'a str>>,
}

impl Picture {
    /// The part of the inventory graph that `selection` names.
    pub fn build(
        inventory: &Inventory,
        report: &GapReport,
        selection: &Selection,
    ) -> Result<Picture, PictureError> {
        let mut b = Builder::new(inventory, report, true);
        let everything = selection.requirements.is_empty()
            && selection.controls.is_empty()
            && selection.owners.is_empty();
        if everything {
            for id in inventory.controls.keys() {
                b.control(id, true);
            }
            for id in inventory.owners.keys() {
                b.owner(id);
            }
        }
        for spec in &selection.requirements {
            let keys = b.requirement_keys(spec);
            if keys.is_empty() {
                return Err(PictureError::UnknownRequirement(spec.clone()));
            }
            for key in keys {
                b.requirement(&key);
            }
        }
        for id in &selection.controls {
            if !inventory.controls.contains_key(id) {
                return Err(PictureError::UnknownControl(id.to_string()));
            }
            b.control(id, true);
        }
        for id in &selection.owners {
            if !inventory.owners.contains_key(id) {
                return Err(PictureError::UnknownOwner(id.to_string()));
            }
            b.owner(id);
            let owned = inventory
                .controls
                .values()
                .filter(|c| c.owner.as_ref() == Some(id));
            for control in owned {
                b.control(&control.id, true);
            }
        }
        Ok(b.finish())
    }

    /// The small picture behind one escalation: the requirement (or control) of the gap,
    /// the controls involved, and the owner's chain upwards.
    pub fn for_gap(inventory: &Inventory, report: &GapReport, gap: &crate::gaps::Gap) -> Picture {
        let mut b = Builder::new(inventory, report, false);
        match (&gap.requirement, &gap.control) {
            (Some(requirement), _) => b.requirement(requirement),
            (None, Some(control)) => {
                b.control(control, false);
            }
            (None, None) => {}
        }
        if let Some(owner) = &gap.owner {
            b.owner(owner);
        }
        b.finish()
    }

    /// The index of the node with the stable ID `id`.
    pub fn index_of(&self, id: &str) -> Option<usize> {
        self.nodes.binary_search_by(|n| n.id.as_str().cmp(id)).ok()
    }

    /// Fails with [`PictureError::TooLarge`] when the picture is too big to draw as SVG.
    pub fn check_svg_size(&self) -> Result<(), PictureError> {
        if self.nodes.len() > MAX_SVG_NODES {
            return Err(PictureError::TooLarge(self.nodes.len()));
        }
        Ok(())
    }

    /// One sentence per edge ("REQ-5-04 met by C-RISK-01"), the text alternative of the
    /// drawing.
    pub fn sentences(&self) -> Vec<String> {
        self.edges
            .iter()
            .map(|(from, to, kind)| {
                let (from, to) = (&self.nodes[*from], &self.nodes[*to]);
                format!("{} {kind} {}", from.label, to.label)
            })
            .collect()
    }
}

impl<'a> Builder<'a> {
    fn new(inventory: &'a Inventory, report: &'a GapReport, indexed: bool) -> Self {
        Builder {
            inventory,
            report,
            nodes: BTreeMap::new(),
            edges: BTreeSet::new(),
            expanded: BTreeSet::new(),
            titles: indexed.then(|| {
                report
                    .gaps
                    .iter()
                    .rev()
                    .filter_map(|g| Some((g.requirement.as_ref()?, g.title.as_str())))
                    .collect()
            }),
        }
    }

    /// The title of the first gap that names `key`.
    fn title(&self, key: &RequirementKey) -> Option<&'a str> {
        match &self.titles {
            Some(titles) => titles.get(key).copied(),
            None => self
                .report
                .gaps
                .iter()
                .find(|g| g.requirement.as_ref() == Some(key))
                .map(|g| g.title.as_str()),
        }
    }

    /// Every requirement key that mappings or gaps name and that `spec` matches.
    fn requirement_keys(&self, spec: &str) -> BTreeSet<RequirementKey> {
        let mapped = self.inventory.controls.values().flat_map(|c| {
            c.satisfies.iter().flat_map(|m| {
                m.requirements
                    .iter()
                    .map(|r| m.catalog().requirement(&r.id))
            })
        });
        let gaps = self
            .report
            .gaps
            .iter()
            .filter_map(|g| g.requirement.clone());
        mapped
            .chain(gaps)
            .filter(|key| key.to_string() == spec || key.id.as_str() == spec)
            .collect()
    }

    fn requirement(&mut self, key: &RequirementKey) {
        let node = self.requirement_node(key);
        let claiming: Vec<ControlId> = self
            .inventory
            .controls
            .values()
            .filter(|c| {
                // Compared field by field: building a key per mapped ID made every
                // escalation picture of a large report allocate for the whole inventory.
                c.satisfies.iter().any(|m| {
                    m.standard == key.catalog.standard
                        && m.reviewed_against == key.catalog.version
                        && m.requirements.iter().any(|r| r.id == key.id)
                })
            })
            .map(|c| c.id.clone())
            .collect();
        let report = self.report;
        let mut involved = claiming;
        for gap in report
            .gaps
            .iter()
            .filter(|g| g.requirement.as_ref() == Some(key))
        {
            involved.extend(gap.control.iter().cloned());
            involved.extend(gap.related_controls.iter().cloned());
            if gap.control.is_none() {
                if let Some(owner) = &gap.owner {
                    let owner_node = self.owner(owner);
                    self.edges
                        .insert((node.clone(), owner_node, EdgeKind::AnsweredBy));
                }
            }
        }
        for control in involved {
            if let Some(id) = self.control(&control, false) {
                self.edges.insert((node.clone(), id, EdgeKind::MetBy));
            }
        }
    }

    fn requirement_node(&mut self, key: &RequirementKey) -> String {
        let id = format!("requirement:{key}");
        let detail = match self.title(key) {
            Some(title) => format!("{key}: {title}"),
            None => key.to_string(),
        };
        self.nodes.entry(id.clone()).or_insert_with(|| PictureNode {
            id: id.clone(),
            label: format!("{} ({})", key.id, key.catalog.version),
            detail,
            kind: NodeKind::Requirement,
        });
        id
    }

    /// Adds a control with its dependencies (transitively), owners and their chains; with
    /// `requirements`, also the requirements it maps to. `None` for an unknown control.
    fn control(&mut self, id: &ControlId, requirements: bool) -> Option<String> {
        let control = self.inventory.controls.get(id)?;
        let node = format!("control:{id}");
        self.nodes
            .entry(node.clone())
            .or_insert_with(|| PictureNode {
                id: node.clone(),
                label: id.to_string(),
                detail: format!("{id}: {}", control.title),
                kind: NodeKind::Control(control.status),
            });
        if requirements {
            for mapping in &control.satisfies {
                for requirement in &mapping.requirements {
                    let key = mapping.catalog().requirement(&requirement.id);
                    let from = self.requirement_node(&key);
                    self.edges.insert((from, node.clone(), EdgeKind::MetBy));
                }
            }
        }
        if !self.expanded.insert(id.clone()) {
            return Some(node);
        }
        if let Some(owner) = &control.owner {
            let owner = self.owner(owner);
            self.edges.insert((node.clone(), owner, EdgeKind::OwnedBy));
        }
        for dependency in &control.depends_on {
            if let Some(to) = self.control(dependency, false) {
                self.edges.insert((node.clone(), to, EdgeKind::DependsOn));
            }
        }
        Some(node)
    }

    /// Adds an owner and the chain of owners it escalates to.
    fn owner(&mut self, id: &OwnerId) -> String {
        let node = format!("owner:{id}");
        if self.nodes.contains_key(&node) {
            return node;
        }
        let owner = self.inventory.owners.get(id);
        self.nodes.insert(
            node.clone(),
            PictureNode {
                id: node.clone(),
                label: id.to_string(),
                detail: owner.map_or_else(|| id.to_string(), |o| format!("{id}: {}", o.name)),
                kind: NodeKind::Owner,
            },
        );
        if let Some(up) = owner.and_then(|o| o.escalates_to.as_ref()) {
            let up = self.owner(up);
            self.edges.insert((node.clone(), up, EdgeKind::EscalatesTo));
        }
        node
    }

    fn finish(self) -> Picture {
        let nodes: Vec<PictureNode> = self.nodes.into_values().collect();
        let index: BTreeMap<&str, usize> = nodes
            .iter()
            .enumerate()
            .map(|(i, n)| (n.id.as_str(), i))
            .collect();
        let mut edges: Vec<(usize, usize, EdgeKind)> = self
            .edges
            .iter()
            .filter_map(|(from, to, kind)| {
                Some((*index.get(from.as_str())?, *index.get(to.as_str())?, *kind))
            })
            .collect();
        edges.sort_unstable();
        edges.dedup();
        Picture { nodes, edges }
    }
}
