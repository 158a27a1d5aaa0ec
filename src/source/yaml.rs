//! The only module that knows which YAML crates reqgap uses.
//!
//! A file is read twice: first by an event parser that checks the limits that protect
//! against hostile input and records where every node starts (so that semantic errors
//! found later can point at a line and column), then by serde into the typed raw structs.

use serde::de::DeserializeOwned;
use yaml_rust2::parser::{Event, Parser};
use yaml_rust2::scanner::Marker;

use crate::diag::{Code, Diagnostic, Diagnostics, SourceFile};

/// Limits that keep a hostile file from exhausting time or memory.
pub mod limits {
    /// Nesting deeper than this is refused (reqgap files nest five levels at most).
    pub const MAX_DEPTH: usize = 64;
    /// A single scalar larger than this is refused.
    pub const MAX_SCALAR_BYTES: usize = 1 << 20;
    /// Nodes a document may expand to once aliases are resolved (billion-laughs guard).
    pub const MAX_EXPANDED_NODES: usize = 5_000_000;
}

/// One step of a path into a YAML document: a mapping key or a sequence index.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Step<'a> {
    Key(&'a str),
    Index(usize),
}

impl<'a> From<&'a str> for Step<'a> {
    fn from(key: &'a str) -> Self {
        Step::Key(key)
    }
}

impl From<usize> for Step<'_> {
    fn from(index: usize) -> Self {
        Step::Index(index)
    }
}

/// Where a node starts: 1-based line and column (in characters), and its length when it is
/// a scalar on one line.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Position {
    pub line: usize,
    pub column: usize,
    pub width: usize,
}

#[derive(Debug)]
enum NodeKind {
    Scalar(String),
    Sequence(Vec<Node>),
    Mapping(Vec<(Node, Node)>),
    Alias,
}

#[derive(Debug)]
struct Node {
    position: Position,
    kind: NodeKind,
}

/// The positions of every node of a document, addressed by path.
#[derive(Debug, Default)]
pub struct PositionIndex {
    root: Option<Node>,
}

impl PositionIndex {
    /// The position of the node at `path`, e.g. `["requirements", 3, "id"]`. For a key, the
    /// value's position; [`PositionIndex::key`] gives the key's own.
    pub fn value(&self, path: &[Step<'_>]) -> Option<Position> {
        self.node(path).map(|n| n.position)
    }

    /// The position of the last key of `path` itself (useful for "unknown key" and for
    /// values that are empty).
    pub fn key(&self, path: &[Step<'_>]) -> Option<Position> {
        let (last, parent) = path.split_last()?;
        let Step::Key(wanted) = last else {
            return self.value(path);
        };
        match &self.node(parent)?.kind {
            NodeKind::Mapping(entries) => entries
                .iter()
                .find(|(k, _)| matches!(&k.kind, NodeKind::Scalar(s) if s == wanted))
                .map(|(k, _)| k.position),
            _ => None,
        }
    }

    /// The value's position if present, else the nearest enclosing node's.
    pub fn nearest(&self, path: &[Step<'_>]) -> Option<Position> {
        (0..=path.len())
            .rev()
            .find_map(|len| self.value(&path[..len]))
    }

    /// Positions of the items of the sequence at `path`, in order.
    pub fn items(&self, path: &[Step<'_>]) -> Vec<Position> {
        match self.node(path).map(|n| &n.kind) {
            Some(NodeKind::Sequence(items)) => items.iter().map(|n| n.position).collect(),
            _ => Vec::new(),
        }
    }

    fn node(&self, path: &[Step<'_>]) -> Option<&Node> {
        let mut node = self.root.as_ref()?;
        for step in path {
            node = match (&node.kind, step) {
                (NodeKind::Mapping(entries), Step::Key(key)) => entries
                    .iter()
                    .find(|(k, _)| matches!(&k.kind, NodeKind::Scalar(s) if s == key))
                    .map(|(_, v)| v)?,
                (NodeKind::Sequence(items), Step::Index(i)) => items.get(*i)?,
                _ => return None,
            };
        }
        Some(node)
    }
}

/// Turns a position into a located diagnostic target.
pub fn locate(file: &SourceFile, position: Option<Position>) -> crate::diag::Location {
    match position {
        Some(p) => file.token_location(p.line, p.column),
        None => file.whole_file(),
    }
}

/// Parses `file` into `T`, refusing hostile input, and returns the position index beside it.
pub fn parse<T: DeserializeOwned>(file: &SourceFile) -> Result<(T, PositionIndex), Diagnostics> {
    if file.text.trim().is_empty() {
        return Err(Diagnostic::error(Code::EmptyFile, "the file is empty")
            .at(file.whole_file())
            .into());
    }
    let index = build_index(file)?;
    let value = serde_yaml::from_str::<T>(&file.text).map_err(|e| serde_error(file, &e))?;
    Ok((value, index))
}

/// Parses a document into a generic JSON value (used where the shape is checked by hand).
pub fn parse_value(file: &SourceFile) -> Result<serde_json::Value, Diagnostics> {
    parse::<serde_json::Value>(file).map(|(value, _)| value)
}

/// Serialises a value as YAML (used by importers; the output is canonical because the
/// serialised types have a fixed field order).
pub fn to_string<T: serde::Serialize>(value: &T) -> Result<String, String> {
    serde_yaml::to_string(value).map_err(|e| e.to_string())
}

fn serde_error(file: &SourceFile, error: &serde_yaml::Error) -> Diagnostics {
    let raw = error.to_string();
    // serde_yaml appends " at line L column C" to its message; the location is shown
    // separately, so drop it from the text.
    let message = match raw.find(" at line ") {
        Some(cut) => raw[..cut].to_owned(),
        None => raw.clone(),
    };
    let (code, message) = classify_serde_message(&message);
    let location = match error.location() {
        Some(l) => file.token_location(l.line(), l.column()),
        None => file.whole_file(),
    };
    let mut diagnostic = Diagnostic::error(code, message).at(location);
    if code == "unknown-key" {
        diagnostic = diagnostic
            .note("help: keys are kebab-case; see the format reference in docs/formats.md");
    }
    diagnostic.into()
}

/// serde names the Rust type it expected ("expected struct CatalogFile"); users wrote a
/// YAML mapping, so say that instead.
fn without_type_names(message: &str) -> String {
    let mut out = String::with_capacity(message.len());
    let mut rest = message;
    while let Some(at) = rest.find("struct ") {
        out.push_str(&rest[..at]);
        let after = &rest[at + "struct ".len()..];
        let name_len = after
            .find(|c: char| !c.is_ascii_alphanumeric() && c != '_')
            .unwrap_or(after.len());
        out.push_str("a mapping");
        rest = &after[name_len..];
    }
    out.push_str(rest);
    out
}

fn classify_serde_message(message: &str) -> (Code, String) {
    let message = without_type_names(message.trim());
    let code = if message.contains("unknown field") {
        Code::UnknownKey
    } else if message.contains("missing field") {
        Code::MissingKey
    } else if message.contains("duplicate field") || message.contains("duplicate entry") {
        Code::DuplicateKey
    } else if message.contains("unknown variant") {
        Code::BadValue
    } else if message.contains("invalid type") || message.contains("invalid value") {
        Code::WrongType
    } else if message.contains("recursion limit") || message.contains("repetition limit") {
        Code::InputTooComplex
    } else {
        Code::YamlSyntax
    };
    (code, message)
}

/// A syntax error at `marker`. libyaml (behind serde_yaml) also says where the construct
/// that failed was opened ("while parsing a flow sequence at line 13 column 11"), which
/// helps more than the end of file, so its wording is preferred when it has one. Parsing
/// stops at the syntax error, before any alias could be expanded.
fn syntax_error(file: &SourceFile, marker: &Marker, info: &str) -> Diagnostics {
    let p = position_of(marker, 1);
    let mut message = info.to_owned();
    if let Err(error) = serde_yaml::from_str::<serde::de::IgnoredAny>(&file.text) {
        let text = error.to_string();
        if let (Some(location), true) = (error.location(), text.contains("while parsing")) {
            let at = format!(" at line {} column {}", location.line(), location.column());
            message = text.replacen(&at, "", 1);
        }
    }
    Diagnostic::error(Code::YamlSyntax, message)
        .at(file.location(p.line.max(1), p.column, 1))
        .into()
}

fn position_of(marker: &Marker, width: usize) -> Position {
    // yaml-rust2 counts lines from 1 and columns from 0.
    Position {
        line: marker.line(),
        column: marker.col() + 1,
        width,
    }
}

enum Open {
    Sequence(Position, Vec<Node>),
    Mapping(Position, Vec<(Node, Node)>, Option<Node>),
}

struct IndexBuilder {
    stack: Vec<Open>,
    root: Option<Node>,
    /// Node count of each anchored node, to charge aliases their expanded size.
    anchor_sizes: std::collections::HashMap<usize, usize>,
    /// Anchors currently open (their node count is not final yet), with the count at
    /// their start.
    open_anchors: Vec<(usize, usize, usize)>,
    expanded_nodes: usize,
}

impl IndexBuilder {
    fn push_node(&mut self, node: Node) {
        match self.stack.last_mut() {
            None => {
                if self.root.is_none() {
                    self.root = Some(node);
                }
            }
            Some(Open::Sequence(_, items)) => items.push(node),
            Some(Open::Mapping(_, entries, pending_key)) => match pending_key.take() {
                None => *pending_key = Some(node),
                Some(key) => entries.push((key, node)),
            },
        }
    }

    fn count(
        &mut self,
        nodes: usize,
        file: &SourceFile,
        marker: &Marker,
    ) -> Result<(), Diagnostics> {
        self.expanded_nodes = self.expanded_nodes.saturating_add(nodes);
        if self.expanded_nodes > limits::MAX_EXPANDED_NODES {
            return Err(limit_error(
                file,
                marker,
                format!(
                    "the document expands to more than {} nodes (YAML aliases repeated too often)",
                    limits::MAX_EXPANDED_NODES
                ),
            ));
        }
        Ok(())
    }

    fn close_anchor(&mut self, depth: usize) {
        while let Some(&(anchor, at_depth, start)) = self.open_anchors.last() {
            if at_depth != depth {
                break;
            }
            self.open_anchors.pop();
            self.anchor_sizes
                .insert(anchor, self.expanded_nodes - start);
        }
    }
}

fn limit_error(file: &SourceFile, marker: &Marker, message: String) -> Diagnostics {
    let p = position_of(marker, 1);
    Diagnostic::error(Code::InputTooComplex, message)
        .at(file.location(p.line, p.column, 1))
        .note("help: reqgap refuses such input to protect the machine it runs on")
        .into()
}

fn build_index(file: &SourceFile) -> Result<PositionIndex, Diagnostics> {
    let mut parser = Parser::new_from_str(&file.text);
    let mut builder = IndexBuilder {
        stack: Vec::new(),
        root: None,
        anchor_sizes: Default::default(),
        open_anchors: Vec::new(),
        expanded_nodes: 0,
    };
    loop {
        let (event, marker) = parser.next_token().map_err(|e| {
            if e.info().contains("recursion limit") {
                return limit_error(file, e.marker(), "nesting too deep".to_owned());
            }
            syntax_error(file, e.marker(), e.info())
        })?;
        match event {
            Event::StreamEnd => break,
            Event::Scalar(value, _, anchor, _) => builder.scalar(file, &marker, value, anchor)?,
            Event::Alias(anchor) => {
                let size = builder.anchor_sizes.get(&anchor).copied().unwrap_or(1);
                builder.count(size, file, &marker)?;
                builder.push_node(Node {
                    position: position_of(&marker, 1),
                    kind: NodeKind::Alias,
                });
            }
            Event::SequenceStart(anchor, _) => builder.open(file, &marker, anchor, true)?,
            Event::MappingStart(anchor, _) => builder.open(file, &marker, anchor, false)?,
            Event::SequenceEnd | Event::MappingEnd => builder.close(),
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
    Ok(PositionIndex { root: builder.root })
}

impl IndexBuilder {
    fn scalar(
        &mut self,
        file: &SourceFile,
        marker: &Marker,
        value: String,
        anchor: usize,
    ) -> Result<(), Diagnostics> {
        if value.len() > limits::MAX_SCALAR_BYTES {
            return Err(limit_error(
                file,
                marker,
                format!(
                    "a value of {} bytes exceeds the limit of {} bytes",
                    value.len(),
                    limits::MAX_SCALAR_BYTES
                ),
            ));
        }
        self.count(1, file, marker)?;
        if anchor > 0 {
            self.anchor_sizes.insert(anchor, 1);
        }
        let width = if value.contains('\n') {
            1
        } else {
            value.chars().count().max(1)
        };
        self.push_node(Node {
            position: position_of(marker, width),
            kind: NodeKind::Scalar(value),
        });
        Ok(())
    }

    fn open(
        &mut self,
        file: &SourceFile,
        marker: &Marker,
        anchor: usize,
        sequence: bool,
    ) -> Result<(), Diagnostics> {
        if self.stack.len() >= limits::MAX_DEPTH {
            return Err(limit_error(
                file,
                marker,
                format!("nesting deeper than {} levels", limits::MAX_DEPTH),
            ));
        }
        self.count(1, file, marker)?;
        if anchor > 0 {
            let start = self.expanded_nodes - 1;
            self.open_anchors.push((anchor, self.stack.len(), start));
        }
        let position = position_of(marker, 1);
        self.stack.push(if sequence {
            Open::Sequence(position, Vec::new())
        } else {
            Open::Mapping(position, Vec::new(), None)
        });
        Ok(())
    }

    fn close(&mut self) {
        let node = match self.stack.pop() {
            Some(Open::Sequence(position, items)) => Node {
                position,
                kind: NodeKind::Sequence(items),
            },
            Some(Open::Mapping(position, entries, _)) => Node {
                position,
                kind: NodeKind::Mapping(entries),
            },
            None => return,
        };
        let depth = self.stack.len();
        self.close_anchor(depth);
        self.push_node(node);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(serde::Deserialize, Debug)]
    #[serde(deny_unknown_fields)]
    struct Doc {
        #[allow(dead_code)]
        items: Vec<Item>,
    }

    #[derive(serde::Deserialize, Debug)]
    #[serde(deny_unknown_fields)]
    struct Item {
        #[allow(dead_code)]
        id: String,
    }

    #[test]
    fn index_finds_values_and_keys_by_path() {
        let file = SourceFile::new("t.yaml", "items:\n  - id: A\n  - id: \"BB\"\n");
        let (_, index): (Doc, _) = parse(&file).unwrap();
        let p = index
            .value(&["items".into(), 1.into(), "id".into()])
            .unwrap();
        assert_eq!((p.line, p.column, p.width), (3, 9, 2));
        let k = index.key(&["items".into(), 0.into(), "id".into()]).unwrap();
        assert_eq!((k.line, k.column), (2, 5));
        assert_eq!(index.items(&["items".into()]).len(), 2);
    }

    #[test]
    fn serde_errors_carry_line_and_column() {
        let file = SourceFile::new("t.yaml", "items:\n  - id: A\n    colour: red\n");
        let err = parse::<Doc>(&file).unwrap_err();
        let d = &err.0[0];
        assert_eq!(d.code, "unknown-key");
        let l = d.location.as_ref().unwrap();
        assert_eq!((l.line, l.column), (Some(3), Some(5)));
    }

    #[test]
    fn alias_bombs_are_refused() {
        let mut text = String::from("a0: &a0 [x, x, x, x, x, x, x, x, x, x]\n");
        for level in 1..12 {
            let refs = vec![format!("*a{}", level - 1); 10].join(", ");
            text.push_str(&format!("a{level}: &a{level} [{refs}]\n"));
        }
        let file = SourceFile::new("bomb.yaml", text);
        let err = parse_value(&file).unwrap_err();
        assert_eq!(err.0[0].code, "input-too-complex");
    }

    #[test]
    fn deep_nesting_and_huge_scalars_are_refused() {
        let deep = format!("{}{}", "[".repeat(10_000), "]".repeat(10_000));
        let err = parse_value(&SourceFile::new("deep.yaml", deep)).unwrap_err();
        assert_eq!(err.0[0].code, "input-too-complex");

        let huge = format!("a: {}\n", "x".repeat(3 << 20));
        let err = parse_value(&SourceFile::new("huge.yaml", huge)).unwrap_err();
        assert_eq!(err.0[0].code, "input-too-complex");
    }

    #[test]
    fn messages_speak_of_mappings_not_rust_types() {
        assert_eq!(
            without_type_names("invalid type: sequence, expected struct CatalogFile"),
            "invalid type: sequence, expected a mapping"
        );
        assert_eq!(without_type_names("unknown field `x`"), "unknown field `x`");
    }

    #[test]
    fn empty_files_and_multiple_documents_are_refused() {
        let err = parse_value(&SourceFile::new("e.yaml", "  \n")).unwrap_err();
        assert_eq!(err.0[0].code, "empty-file");
        let err = parse_value(&SourceFile::new("m.yaml", "a: 1\n---\nb: 2\n")).unwrap_err();
        assert_eq!(err.0[0].code, "yaml-syntax");
    }
}
