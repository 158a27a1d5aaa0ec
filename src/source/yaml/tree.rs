//! The one parse of a YAML file: yaml-rust2's events become a tree of nodes that keep
//! their positions. The limits that protect against hostile input are checked here, while
//! the tree is built, so nothing later (serde, the position index, error messages) ever
//! parses the text again.

use std::collections::HashMap;
use std::sync::Arc;

use yaml_rust2::parser::{Event, Parser, Tag};
use yaml_rust2::scanner::{Marker, TScalarStyle};

use super::{limits, Position};
use crate::diag::{Code, Diagnostic, Diagnostics, SourceFile};

#[derive(Debug)]
pub(super) struct Node {
    pub(super) position: Position,
    pub(super) kind: NodeKind,
    /// Nodes this one stands for once aliases are expanded (billion-laughs guard).
    size: usize,
    /// Containers nested inside this one, itself included, once aliases are expanded.
    height: usize,
}

impl Node {
    /// The nodes this one stands for (the count the writer's own must match).
    #[cfg(test)]
    pub(super) fn size(&self) -> usize {
        self.size
    }
}

#[derive(Debug)]
pub(super) enum NodeKind {
    /// A scalar and whether it was plain (unquoted, so `3.2` is a number and `~` null).
    Scalar {
        value: String,
        plain: bool,
    },
    Sequence(Vec<Node>),
    Mapping(Vec<(Node, Node)>),
    /// An anchored node, at its anchor or at an alias: shared, never copied, so that an
    /// alias costs no memory however often it is used.
    Shared(Arc<Node>),
}

impl Node {
    /// The node itself, or the anchored node it refers to.
    pub(super) fn resolved(&self) -> &Node {
        match &self.kind {
            NodeKind::Shared(inner) => inner.resolved(),
            _ => self,
        }
    }

    pub(super) fn scalar(&self) -> Option<&str> {
        match &self.resolved().kind {
            NodeKind::Scalar { value, .. } => Some(value),
            _ => None,
        }
    }
}

enum Open {
    Sequence(Position, usize, Vec<Node>),
    Mapping(Position, usize, Vec<(Node, Node)>, Option<Node>),
}

struct Builder<'f> {
    file: &'f SourceFile,
    stack: Vec<Open>,
    root: Option<Node>,
    anchors: HashMap<usize, Arc<Node>>,
    expanded_nodes: usize,
}

/// Parses `file` into its root node (`None` for a file of comments only).
pub(super) fn build(file: &SourceFile) -> Result<Option<Node>, Diagnostics> {
    let mut parser = Parser::new_from_str(&file.text);
    let mut builder = Builder {
        file,
        stack: Vec::new(),
        root: None,
        anchors: HashMap::new(),
        expanded_nodes: 0,
    };
    loop {
        let (event, marker) = parser.next_token().map_err(|e| {
            if e.info().contains("recursion limit") {
                return limit_error(file, e.marker(), "nesting too deep".to_owned());
            }
            syntax_error(file, e.marker(), &builder.with_opening(e.info()))
        })?;
        match event {
            Event::StreamEnd => break,
            Event::Scalar(value, style, anchor, tag) => {
                builder.refuse_tag(tag.as_ref(), &marker)?;
                builder.scalar(&marker, value, style, anchor)?;
            }
            Event::Alias(anchor) => builder.alias(&marker, anchor)?,
            Event::SequenceStart(anchor, tag) => {
                builder.refuse_tag(tag.as_ref(), &marker)?;
                builder.open(&marker, anchor, true)?;
            }
            Event::MappingStart(anchor, tag) => {
                builder.refuse_tag(tag.as_ref(), &marker)?;
                builder.open(&marker, anchor, false)?;
            }
            Event::SequenceEnd | Event::MappingEnd => builder.close()?,
            Event::DocumentStart if builder.root.is_some() => {
                let p = position_of(&marker, 3);
                return Err(Diagnostic::error(
                    Code::YamlSyntax,
                    "more than one YAML document in the file; reqgap reads one per file",
                )
                .at(file.location(p.line, p.column, 3))
                .into());
            }
            Event::DocumentStart | Event::Nothing | Event::StreamStart | Event::DocumentEnd => {}
        }
    }
    Ok(builder.root)
}

impl Builder<'_> {
    /// yaml-rust2 says what it was parsing ("while parsing a flow sequence") but not where
    /// that started, which is usually where the mistake is (an unclosed `[`).
    fn with_opening(&self, info: &str) -> String {
        let opened = match self.stack.last() {
            Some(Open::Sequence(p, ..)) if info.contains("sequence") => p,
            Some(Open::Mapping(p, ..)) if info.contains("mapping") => p,
            _ => return info.to_owned(),
        };
        format!(
            "{info}; it opened at line {} column {}",
            opened.line, opened.column
        )
    }

    /// Tags ask a loader to build a type (`!!python/object`, `!!binary`) or to reinterpret
    /// a value (`!!int`); reqgap's files hold plain values only, so any tag is refused
    /// rather than silently ignored.
    fn refuse_tag(&self, tag: Option<&Tag>, marker: &Marker) -> Result<(), Diagnostics> {
        let Some(tag) = tag else { return Ok(()) };
        let written = format!("{}{}", tag.handle, tag.suffix);
        let shown = written
            .strip_prefix("tag:yaml.org,2002:")
            .map_or(written.clone(), |short| format!("!!{short}"));
        let p = position_of(marker, 1);
        let column = tag_column(self.file, p).unwrap_or(p.column);
        Err(Diagnostic::error(
            Code::YamlTag,
            format!("the YAML tag `{}` is not allowed here", super::clip(&shown)),
        )
        .at(self.file.token_location(p.line, column))
        .note("help: reqgap files hold plain values; remove the tag (quote the value if it must stay text)")
        .into())
    }

    fn scalar(
        &mut self,
        marker: &Marker,
        value: String,
        style: TScalarStyle,
        anchor: usize,
    ) -> Result<(), Diagnostics> {
        if value.len() > limits::MAX_SCALAR_BYTES {
            return Err(limit_error(
                self.file,
                marker,
                format!(
                    "a value of {} bytes exceeds the limit of {} bytes",
                    value.len(),
                    limits::MAX_SCALAR_BYTES
                ),
            ));
        }
        self.count(1, marker)?;
        let width = if value.contains('\n') {
            1
        } else {
            value.chars().count().max(1)
        };
        let plain = style == TScalarStyle::Plain;
        let node = Node {
            position: position_of(marker, width),
            kind: NodeKind::Scalar { value, plain },
            size: 1,
            height: 0,
        };
        self.push(node, anchor);
        Ok(())
    }

    fn alias(&mut self, marker: &Marker, anchor: usize) -> Result<(), Diagnostics> {
        let Some(target) = self.anchors.get(&anchor).cloned() else {
            return Err(syntax_error(
                self.file,
                marker,
                "an alias to an unknown anchor",
            ));
        };
        self.count(target.size, marker)?;
        if self.stack.len() + target.height > limits::MAX_DEPTH {
            return Err(too_deep(self.file, marker));
        }
        let node = Node {
            position: position_of(marker, 1),
            size: target.size,
            height: target.height,
            kind: NodeKind::Shared(target),
        };
        self.push(node, 0);
        Ok(())
    }

    fn open(&mut self, marker: &Marker, anchor: usize, sequence: bool) -> Result<(), Diagnostics> {
        if self.stack.len() >= limits::MAX_DEPTH {
            return Err(too_deep(self.file, marker));
        }
        self.count(1, marker)?;
        let position = position_of(marker, 1);
        self.stack.push(if sequence {
            Open::Sequence(position, anchor, Vec::new())
        } else {
            Open::Mapping(position, anchor, Vec::new(), None)
        });
        Ok(())
    }

    fn close(&mut self) -> Result<(), Diagnostics> {
        let (position, anchor, kind) = match self.stack.pop() {
            Some(Open::Sequence(position, anchor, items)) => {
                (position, anchor, NodeKind::Sequence(items))
            }
            Some(Open::Mapping(position, anchor, entries, _)) => {
                self.refuse_duplicate_keys(&entries)?;
                let position = block_mapping_start(position, &entries);
                (position, anchor, NodeKind::Mapping(entries))
            }
            None => return Ok(()),
        };
        let (size, height) = match &kind {
            NodeKind::Sequence(items) => extent(items.iter()),
            NodeKind::Mapping(entries) => extent(entries.iter().flat_map(|(k, v)| [k, v])),
            _ => (1, 1),
        };
        self.push(
            Node {
                position,
                kind,
                size,
                height,
            },
            anchor,
        );
        Ok(())
    }

    /// serde would take the last of two equal keys in a free-form mapping and report only
    /// an unlocated "duplicate field" for a struct; either way one value would be lost.
    fn refuse_duplicate_keys(&self, entries: &[(Node, Node)]) -> Result<(), Diagnostics> {
        match first_duplicate_key(entries) {
            Some((key, earlier)) => Err(self.duplicate_key(key, earlier)),
            None => Ok(()),
        }
    }

    fn duplicate_key(&self, key: &Node, earlier: Position) -> Diagnostics {
        let text = key.scalar().unwrap_or_default();
        Diagnostic::error(
            Code::DuplicateKey,
            format!(
                "the key `{}` appears twice in this mapping (first at line {})",
                super::clip(text),
                earlier.line
            ),
        )
        .at(self
            .file
            .token_location(key.position.line, key.position.column))
        .into()
    }

    fn push(&mut self, node: Node, anchor: usize) {
        let node = if anchor > 0 {
            let shared = Arc::new(node);
            self.anchors.insert(anchor, Arc::clone(&shared));
            Node {
                position: shared.position,
                size: shared.size,
                height: shared.height,
                kind: NodeKind::Shared(shared),
            }
        } else {
            node
        };
        match self.stack.last_mut() {
            None => {
                if self.root.is_none() {
                    self.root = Some(node);
                }
            }
            Some(Open::Sequence(_, _, items)) => items.push(node),
            Some(Open::Mapping(_, _, entries, pending_key)) => match pending_key.take() {
                None => *pending_key = Some(node),
                Some(key) => entries.push((key, node)),
            },
        }
    }

    fn count(&mut self, nodes: usize, marker: &Marker) -> Result<(), Diagnostics> {
        self.expanded_nodes = self.expanded_nodes.saturating_add(nodes);
        if self.expanded_nodes > limits::MAX_EXPANDED_NODES {
            return Err(limit_error(
                self.file,
                marker,
                format!(
                    "the document expands to more than {} nodes (YAML aliases repeated too often)",
                    limits::MAX_EXPANDED_NODES
                ),
            ));
        }
        Ok(())
    }
}

/// The nodes a container stands for once aliases are expanded, itself included, and the
/// containers nested in it, itself included.
fn extent<'n>(children: impl Iterator<Item = &'n Node>) -> (usize, usize) {
    children.fold((1, 1), |(size, height), child| {
        (size + child.size, height.max(child.height + 1))
    })
}

/// The first key (in file order) that repeats an earlier one, and where the earlier one
/// stands. Mappings of a few keys (nearly all) are compared pairwise, which needs no table.
fn first_duplicate_key(entries: &[(Node, Node)]) -> Option<(&Node, Position)> {
    const SMALL: usize = 16;
    if entries.len() <= SMALL {
        return entries.iter().enumerate().find_map(|(i, (key, _))| {
            let text = key.scalar()?;
            let earlier = entries[..i]
                .iter()
                .find(|(k, _)| k.scalar() == Some(text))?;
            Some((key, earlier.0.position))
        });
    }
    let mut first: HashMap<&str, Position> = HashMap::with_capacity(entries.len());
    entries.iter().find_map(|(key, _)| {
        let text = key.scalar()?;
        first
            .insert(text, key.position)
            .map(|earlier| (key, earlier))
    })
}

/// yaml-rust2 places a tagged node at its value; the tag is the `!` word just before it
/// on the same line.
fn tag_column(file: &SourceFile, value: Position) -> Option<usize> {
    let line = file.line_text(value.line)?;
    let before: Vec<char> = line.chars().take(value.column.saturating_sub(1)).collect();
    let end = before.iter().rposition(|c| !c.is_whitespace())? + 1;
    let start = before[..end]
        .iter()
        .rposition(|c| c.is_whitespace())
        .map_or(0, |i| i + 1);
    (before.get(start) == Some(&'!')).then_some(start + 1)
}

fn too_deep(file: &SourceFile, marker: &Marker) -> Diagnostics {
    limit_error(
        file,
        marker,
        format!("nesting deeper than {} levels", limits::MAX_DEPTH),
    )
}

fn limit_error(file: &SourceFile, marker: &Marker, message: String) -> Diagnostics {
    let p = position_of(marker, 1);
    Diagnostic::error(Code::InputTooComplex, message)
        .at(file.location(p.line.max(1), p.column, 1))
        .note("help: reqgap refuses such input to protect the machine it runs on")
        .into()
}

/// A syntax error at `marker`, in yaml-rust2's words. A tab is the most common cause that
/// the words do not name (YAML indents with spaces only), so a tab on the line is pointed
/// out.
fn syntax_error(file: &SourceFile, marker: &Marker, info: &str) -> Diagnostics {
    let p = position_of(marker, 1);
    let line = p.line.max(1);
    let mut diagnostic =
        Diagnostic::error(Code::YamlSyntax, info.to_owned()).at(file.location(line, p.column, 1));
    let tab = file
        .line_text(line)
        .and_then(|text| text.chars().position(|c| c == '\t'));
    if let Some(tab) = tab {
        if tab + 1 == p.column {
            diagnostic.message = format!("{info} (the character here is a tab)");
        }
        diagnostic = diagnostic.note(format!(
            "help: line {line} holds a tab at column {}; YAML indents and separates with spaces",
            tab + 1
        ));
    }
    diagnostic.into()
}

fn position_of(marker: &Marker, width: usize) -> Position {
    // yaml-rust2 counts lines from 1 and columns from 0.
    Position {
        line: marker.line(),
        column: marker.col() + 1,
        width,
    }
}

/// yaml-rust2 marks a block mapping where its first `:` stands (`id: R-0` at the colon),
/// so an error about the whole mapping (a missing field) would point into its first key.
/// The mapping starts where that key starts; a flow mapping's `{` comes before its first
/// key and stays.
fn block_mapping_start(marked: Position, entries: &[(Node, Node)]) -> Position {
    match entries.first() {
        Some((key, _))
            if (key.position.line, key.position.column) < (marked.line, marked.column) =>
        {
            Position {
                width: 1,
                ..key.position
            }
        }
        _ => marked,
    }
}
