//! The only module that knows which YAML crates reqgap uses.
//!
//! A file is parsed once, by yaml-rust2's event parser, into a tree of positioned nodes
//! (`tree`); the limits that protect against hostile input are checked while the tree is
//! built. serde then reads the typed raw structs from that tree (`de`), and the same tree
//! answers "where is `requirements[3].id`?" for errors found later. No error path parses
//! the text a second time.

mod de;
mod emit;
mod path;
mod tree;

use serde::de::DeserializeOwned;

use crate::diag::{Code, Diagnostic, Diagnostics, Location, SourceFile};
pub(crate) use path::YamlPath;
use tree::{Node, NodeKind};

/// Limits that keep a hostile file from exhausting time or memory.
pub mod limits {
    /// Nesting deeper than this is refused (reqgap files nest five levels at most; OSCAL
    /// catalogs about fifteen).
    pub const MAX_DEPTH: usize = 64;
    /// A single scalar larger than this is refused.
    pub const MAX_SCALAR_BYTES: usize = 1 << 20;
    /// Nodes a document may expand to once aliases are resolved (billion-laughs guard).
    /// A catalog of 20,000 requirements has about 150,000; at five million, 60 MiB of
    /// one-character values took 6 s and 700 MB before being refused (`examples/hostile_bench.rs`).
    pub const MAX_EXPANDED_NODES: usize = 1_000_000;
    /// Characters of a value that a message quotes; a longer value is cut, so that no
    /// diagnostic echoes a whole file into a CI log.
    pub const MAX_QUOTED_CHARS: usize = 60;
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
        match &self.node(parent)?.resolved().kind {
            NodeKind::Mapping(entries) => entries
                .iter()
                .find(|(k, _)| k.scalar() == Some(wanted))
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
        match self.node(path).map(|n| &n.resolved().kind) {
            Some(NodeKind::Sequence(items)) => items.iter().map(|n| n.position).collect(),
            _ => Vec::new(),
        }
    }

    fn node(&self, path: &[Step<'_>]) -> Option<&Node> {
        PositionIndex::node_in(self.root.as_ref()?, path)
    }

    fn node_in<'n>(root: &'n Node, path: &[Step<'_>]) -> Option<&'n Node> {
        let mut node = root;
        for step in path {
            node = match (&node.resolved().kind, step) {
                (NodeKind::Mapping(entries), Step::Key(key)) => entries
                    .iter()
                    .find(|(k, _)| k.scalar() == Some(key))
                    .map(|(_, v)| v)?,
                (NodeKind::Sequence(items), Step::Index(i)) => items.get(*i)?,
                _ => return None,
            };
        }
        Some(node)
    }
}

/// Turns a position into a located diagnostic target; without one, the start of the file.
pub fn locate(file: &SourceFile, position: Option<Position>) -> Location {
    match position {
        Some(p) => file.token_location(p.line, p.column),
        None => file_start(file),
    }
}

/// Line 1, column 1: where a problem with the whole file is reported, so that every
/// input error carries a line and a column.
pub fn file_start(file: &SourceFile) -> Location {
    file.location(1, 1, 1)
}

/// Parses `file` into `T`, refusing hostile input, and returns the position index beside it.
pub fn parse<T: DeserializeOwned>(file: &SourceFile) -> Result<(T, PositionIndex), Diagnostics> {
    Document::parse(file)?.read(file)
}

/// A parsed YAML file before it is read as a type: what a caller that must look at a
/// file to choose its type (`validate`) inspects, so that the file is parsed once, not
/// once to look and again to read (a 60 MiB catalog took 4.35 s that way).
#[derive(Debug)]
pub struct Document {
    root: Node,
}

impl Document {
    /// Parses `file`, refusing hostile input.
    pub fn parse(file: &SourceFile) -> Result<Document, Diagnostics> {
        refuse_bare_carriage_returns(file)?;
        match tree::build(file)? {
            Some(root) if !file.text.trim().is_empty() => Ok(Document { root }),
            _ => Err(Diagnostic::error(
                Code::EmptyFile,
                "the file is empty; expected a YAML mapping",
            )
            .at(file_start(file))
            .into()),
        }
    }

    /// The keys of the top-level mapping, in file order (none when the top is no mapping).
    pub fn top_level_keys(&self) -> Vec<&str> {
        match &self.root.resolved().kind {
            NodeKind::Mapping(entries) => entries.iter().filter_map(|(k, _)| k.scalar()).collect(),
            _ => Vec::new(),
        }
    }

    /// The text of a top-level key's value, when it is a scalar.
    pub fn top_level_text(&self, key: &str) -> Option<&str> {
        PositionIndex::node_in(&self.root, &[Step::Key(key)])?.scalar()
    }

    /// Reads the document as `T` (`file` is the text it was parsed from, for locations).
    pub fn read<T: DeserializeOwned>(
        self,
        file: &SourceFile,
    ) -> Result<(T, PositionIndex), Diagnostics> {
        let root = self.root;
        let value = T::deserialize(de::NodeDe(&root)).map_err(|e| serde_error(file, &root, e))?;
        Ok((value, PositionIndex { root: Some(root) }))
    }
}

/// [`parse`], going on past unknown keys: the value read without them, and one
/// `unknown-key` error for each (an empty list when there is none). Any other error fails
/// the read as in [`parse`].
pub fn parse_past_unknown_keys<T: DeserializeOwned>(
    file: &SourceFile,
) -> Result<(T, PositionIndex, Diagnostics), Diagnostics> {
    let root = Document::parse(file)?.root;
    // The strict read names the first unknown key with its path (`controls[1]: …`); the
    // keys set aside are named where they stand.
    let strict = match T::deserialize(de::NodeDe(&root)) {
        Ok(value) => {
            return Ok((
                value,
                PositionIndex { root: Some(root) },
                Diagnostics::new(),
            ))
        }
        Err(error) => serde_error(file, &root, error),
    };
    if strict.iter().any(|d| d.code != Code::UnknownKey) {
        return Err(strict);
    }
    let (value, unknown) = de::setting_aside(|| T::deserialize(de::NodeDe(&root)));
    let mut problems = Diagnostics::new();
    for error in unknown {
        for problem in serde_error(file, &root, error).0 {
            let same_place = strict.iter().find(|s| s.location == problem.location);
            problems.push(same_place.cloned().unwrap_or(problem));
        }
    }
    match value {
        Ok(value) => Ok((value, PositionIndex { root: Some(root) }, problems)),
        Err(error) => {
            problems.extend(serde_error(file, &root, error));
            Err(problems)
        }
    }
}

/// Parses a document into a generic JSON value (used where the shape is checked by hand).
pub fn parse_value(file: &SourceFile) -> Result<serde_json::Value, Diagnostics> {
    parse::<serde_json::Value>(file).map(|(value, _)| value)
}

/// Serialises a value as YAML (used by importers; the output is canonical because the
/// serialised types have a fixed field order). The block writer in `emit` writes what
/// `serde_yaml` would, faster; a shape it does not reproduce is written by `serde_yaml`.
pub fn to_string<T: serde::Serialize>(value: &T) -> Result<String, String> {
    match emit::to_string(value) {
        Ok(text) => Ok(text),
        Err(emit::Unsupported) => serde_yaml::to_string(value).map_err(|e| e.to_string()),
    }
}

/// A document written for the loader to read back.
#[derive(Debug)]
pub enum Written {
    /// Written by the block writer, which counted the nodes and the longest value as the
    /// loader counts them: whether the loader's [`limits`] take the text is known without
    /// reading it.
    Counted { text: String, within_limits: bool },
    /// Written by `serde_yaml` (a shape the block writer leaves to it): only reading the
    /// text back tells.
    Uncounted(String),
}

/// [`to_string`], saying whether the loader would take the text back within its limits.
pub fn write<T: serde::Serialize>(value: &T) -> Result<Written, String> {
    match emit::write(value) {
        Ok((text, counts)) => Ok(Written::Counted {
            text,
            within_limits: counts.nodes <= limits::MAX_EXPANDED_NODES
                && counts.longest_scalar <= limits::MAX_SCALAR_BYTES,
        }),
        Err(emit::Unsupported) => serde_yaml::to_string(value)
            .map(Written::Uncounted)
            .map_err(|e| e.to_string()),
    }
}

/// `serde_yaml`'s own text for `value`, which the block writer must reproduce (for tests
/// outside this module).
#[cfg(test)]
pub(crate) fn serde_yaml_text<T: serde::Serialize>(value: &T) -> String {
    serde_yaml::to_string(value).expect("serde_yaml writes it")
}

/// A carriage return not followed by a line feed ends a line for the YAML parser but not
/// for line numbering, so every position after it would be wrong: refuse it where it is.
fn refuse_bare_carriage_returns(file: &SourceFile) -> Result<(), Diagnostics> {
    let bytes = file.text.as_bytes();
    let mut from = 0;
    let mut bare = None;
    while let Some(found) = bytes[from..].iter().position(|&b| b == b'\r') {
        let at = from + found;
        if bytes.get(at + 1) != Some(&b'\n') {
            bare = Some(at);
            break;
        }
        from = at + 1;
    }
    match bare {
        None => Ok(()),
        Some(offset) => Err(Diagnostic::error(
            Code::BareCarriageReturn,
            "a line ends with a bare carriage return (CR without LF)",
        )
        .at(file.location_at_byte(offset, 1))
        .note("help: save the file with LF or CRLF line ends")
        .into()),
    }
}

/// `text` cut to its first [`limits::MAX_QUOTED_CHARS`] characters.
pub(crate) fn clip(text: &str) -> &str {
    match text.char_indices().nth(limits::MAX_QUOTED_CHARS) {
        Some((cut, _)) => &text[..cut],
        None => text,
    }
}

fn serde_error(file: &SourceFile, root: &Node, error: de::Error) -> Diagnostics {
    let (code, message) = classify_serde_message(&error.message());
    let position = error.position.unwrap_or(root.position);
    let mut diagnostic =
        Diagnostic::error(code, message).at(file.token_location(position.line, position.column));
    if code == Code::UnknownKey {
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
    } else {
        Code::YamlSyntax
    };
    (code, clip_message(message))
}

/// A message quotes at most a few values, each clipped; this cuts whatever a visitor
/// wrote past that, so no message is longer than a screen line or two.
fn clip_message(message: String) -> String {
    const MAX_MESSAGE_CHARS: usize = 4 * limits::MAX_QUOTED_CHARS;
    match message.char_indices().nth(MAX_MESSAGE_CHARS) {
        Some((cut, _)) => format!("{}…", &message[..cut]),
        None => message,
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
    fn a_missing_field_points_at_the_start_of_its_mapping() {
        #[derive(serde::Deserialize, Debug)]
        struct Noted {
            #[allow(dead_code)]
            items: Vec<NotedItem>,
        }
        #[derive(serde::Deserialize, Debug)]
        struct NotedItem {
            #[allow(dead_code)]
            id: String,
            #[allow(dead_code)]
            note: Option<String>,
        }
        let location = |text: &str| {
            let err = parse::<Noted>(&SourceFile::new("t.yaml", text)).unwrap_err();
            assert_eq!(err.0[0].code, "missing-key");
            let l = err.0[0].location.clone().unwrap();
            (l.line, l.column)
        };
        assert_eq!(location("items:\n  - note: red\n"), (Some(2), Some(5)));
        assert_eq!(location("items: [ {note: red} ]\n"), (Some(1), Some(10)));
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
