//! OSCAL XML → the JSON shape of the same OSCAL model, so that one importer reads both
//! (NIST CSF 2.0, the Australian ISM and FedRAMP publish XML; the ISM ships one catalog as
//! JSON, XML and YAML).
//!
//! The mapping follows the OSCAL XML ↔ JSON conversion rules as far as a catalog needs
//! them: attributes become fields; elements that repeat (`group`, `control`, `param`,
//! `prop`, `link`, `part`, `value`, `constraint`, `choice`, ...) become arrays under their
//! JSON names; prose (`p`, `ol`, `ul`, `table`, ... directly in a `part`) becomes the
//! `prose` string, paragraphs separated by a blank line and list items one per line;
//! `<insert type="param" id-ref="x"/>` becomes `{{ insert: param, x }}`; inline markup keeps
//! its text. The reader is quick-xml: no DTD, no entities beyond the five predefined ones
//! and character references, nesting bounded.

use quick_xml::events::{BytesStart, Event};
use quick_xml::Reader;
use serde_json::{Map, Value};

use crate::diag::{Code, Diagnostic, Diagnostics, SourceFile};

/// Deeper nesting is refused: no OSCAL catalog comes near it, and the converter recurses.
const MAX_DEPTH: usize = 256;

/// XML element → the JSON key of the array that collects it.
const ARRAYS: [(&str, &str); 14] = [
    ("group", "groups"),
    ("control", "controls"),
    ("param", "params"),
    ("prop", "props"),
    ("link", "links"),
    ("part", "parts"),
    ("value", "values"),
    ("constraint", "constraints"),
    ("guideline", "guidelines"),
    ("choice", "choice"),
    ("role", "roles"),
    ("party", "parties"),
    ("resource", "resources"),
    ("location", "locations"),
];

/// Elements of markup-multiline prose.
const BLOCKS: [&str; 12] = [
    "p",
    "ol",
    "ul",
    "li",
    "table",
    "tr",
    "td",
    "th",
    "pre",
    "blockquote",
    "h1",
    "h2",
];

/// Elements whose whole content is text (markup-line or plain strings).
const TEXT_FIELDS: [&str; 9] = [
    "title",
    "label",
    "value",
    "choice",
    "version",
    "oscal-version",
    "last-modified",
    "published",
    "usage",
];

/// Markup-multiline fields that JSON holds as one string (`constraint/description`).
const PROSE_FIELDS: [&str; 2] = ["description", "remarks"];

/// Whether the text looks like XML (its first non-blank character is `<`).
pub fn is_xml(text: &str) -> bool {
    text.trim_start_matches('\u{feff}')
        .trim_start()
        .starts_with('<')
}

/// The document as the JSON value an OSCAL JSON file of the same content would give.
pub fn to_json(file: &SourceFile) -> Result<Value, Diagnostics> {
    let mut reader = Reader::from_str(&file.text);
    let mut stack: Vec<Node> = vec![Node::root()];
    loop {
        let event = reader
            .read_event()
            .map_err(|e| xml_error(file, reader.error_position(), &e.to_string()))?;
        let at = reader.buffer_position();
        match event {
            Event::Start(start) => {
                if stack.len() > MAX_DEPTH {
                    return Err(xml_error(file, at, "the elements nest too deeply"));
                }
                stack.push(Node::open(&start, file, at)?);
            }
            Event::Empty(start) => {
                let node = Node::open(&start, file, at)?;
                close(&mut stack, node);
            }
            Event::End(_) => {
                let Some(node) = stack.pop().filter(|_| !stack.is_empty()) else {
                    return Err(xml_error(file, at, "an end tag closes nothing"));
                };
                close(&mut stack, node);
            }
            Event::Text(text) => {
                let text = text
                    .decode()
                    .map_err(|e| xml_error(file, at, &e.to_string()))?;
                push_text(&mut stack, &text);
            }
            Event::CData(data) => {
                let text = data
                    .decode()
                    .map_err(|e| xml_error(file, at, &e.to_string()))?;
                push_text(&mut stack, &text);
            }
            Event::GeneralRef(reference) => {
                let resolved = match reference.resolve_char_ref() {
                    Ok(Some(c)) => c.to_string(),
                    _ => {
                        let name = reference
                            .decode()
                            .map_err(|e| xml_error(file, at, &e.to_string()))?;
                        let Some(text) = quick_xml::escape::resolve_predefined_entity(&name) else {
                            return Err(xml_error(file, at, &format!("unknown entity `&{name};`")));
                        };
                        text.to_owned()
                    }
                };
                push_text(&mut stack, &resolved);
            }
            Event::DocType(_) => {
                return Err(xml_error(
                    file,
                    at,
                    "a DOCTYPE is not read (OSCAL needs none)",
                ))
            }
            Event::Eof => break,
            Event::Comment(_) | Event::Decl(_) | Event::PI(_) => {}
        }
    }
    match stack.pop() {
        Some(root) if stack.is_empty() => Ok(Value::Object(root.fields)),
        _ => Err(xml_error(
            file,
            file.text.len() as u64,
            "the document ends inside an element",
        )),
    }
}

/// An element being read.
struct Node {
    name: String,
    fields: Map<String, Value>,
    /// Text content (for text fields and inline markup).
    text: String,
    /// Prose blocks of a part, in order.
    prose: Vec<String>,
}

impl Node {
    fn root() -> Node {
        Node {
            name: String::new(),
            fields: Map::new(),
            text: String::new(),
            prose: Vec::new(),
        }
    }

    fn open(start: &BytesStart<'_>, file: &SourceFile, at: u64) -> Result<Node, Diagnostics> {
        let name = String::from_utf8_lossy(start.local_name().as_ref()).into_owned();
        let mut node = Node {
            name,
            ..Node::root()
        };
        for attribute in start.attributes() {
            let attribute = attribute.map_err(|e| xml_error(file, at, &e.to_string()))?;
            let key = String::from_utf8_lossy(attribute.key.local_name().as_ref()).into_owned();
            let value = attribute
                .normalized_value(quick_xml::XmlVersion::Implicit1_0)
                .map_err(|e| xml_error(file, at, &e.to_string()))?;
            node.fields.insert(key, Value::String(value.into_owned()));
        }
        if node.name == "insert" {
            let kind = node
                .fields
                .get("type")
                .and_then(Value::as_str)
                .unwrap_or("param");
            let target = node
                .fields
                .get("id-ref")
                .and_then(Value::as_str)
                .unwrap_or("");
            node.text = format!("{{{{ insert: {kind}, {target} }}}}");
        }
        Ok(node)
    }

    /// The element's value in its parent: a string for text fields and for elements
    /// with only text, else an object.
    fn into_value(mut self) -> Value {
        if PROSE_FIELDS.contains(&self.name.as_str()) {
            let mut blocks = self.prose;
            let loose = squash(&self.text);
            if !loose.is_empty() {
                blocks.insert(0, loose);
            }
            return Value::String(blocks.join("\n\n"));
        }
        if !self.prose.is_empty() {
            let prose = self.prose.join("\n\n");
            self.fields.insert("prose".into(), Value::String(prose));
        }
        let text = squash(&self.text);
        if TEXT_FIELDS.contains(&self.name.as_str()) || (self.fields.is_empty() && !text.is_empty())
        {
            return Value::String(text);
        }
        Value::Object(self.fields)
    }
}

fn push_text(stack: &mut [Node], text: &str) {
    if let Some(node) = stack.last_mut() {
        node.text.push_str(text);
    }
}

/// Hands a finished element to its parent: into an array, a field, the prose of a part,
/// or the text of an enclosing inline element.
fn close(stack: &mut [Node], node: Node) {
    let Some(parent) = stack.last_mut() else {
        return;
    };
    let inline = matches!(
        node.name.as_str(),
        "insert"
            | "em"
            | "strong"
            | "b"
            | "i"
            | "code"
            | "q"
            | "a"
            | "sub"
            | "sup"
            | "img"
            | "span"
    );
    let in_prose =
        BLOCKS.contains(&parent.name.as_str()) || TEXT_FIELDS.contains(&parent.name.as_str());
    if inline || in_prose && !BLOCKS.contains(&node.name.as_str()) {
        parent.text.push_str(&node.text);
        return;
    }
    if BLOCKS.contains(&node.name.as_str()) {
        let block = block_text(node);
        if BLOCKS.contains(&parent.name.as_str()) {
            parent.text.push('\n');
            parent.text.push_str(&block);
        } else if !block.is_empty() {
            parent.prose.push(block);
        }
        return;
    }
    let key = ARRAYS
        .iter()
        .find(|(element, _)| *element == node.name)
        .map(|(_, key)| *key);
    let name = node.name.clone();
    let value = node.into_value();
    match key {
        Some(key) => {
            let entry = parent
                .fields
                .entry(key.to_owned())
                .or_insert_with(|| Value::Array(Vec::new()));
            if let Value::Array(items) = entry {
                items.push(value);
            }
        }
        None => {
            parent.fields.insert(name, value);
        }
    }
}

/// A prose block's text: its lines squashed, list items and rows one per line.
fn block_text(node: Node) -> String {
    node.text
        .split('\n')
        .map(squash)
        .filter(|l| !l.is_empty())
        .collect::<Vec<_>>()
        .join("\n")
}

fn squash(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

fn xml_error(file: &SourceFile, at: u64, message: &str) -> Diagnostics {
    let byte = usize::try_from(at)
        .unwrap_or(usize::MAX)
        .min(file.text.len());
    Diagnostic::error(
        Code::NotXml,
        format!("the OSCAL XML cannot be read: {message}"),
    )
    .at(file.location_at_byte(byte, 1))
    .into()
}
