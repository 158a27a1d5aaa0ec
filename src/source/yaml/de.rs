//! serde reads the typed raw structs straight from the parsed tree: one parse per file,
//! and every type error knows the position of the node it is about.

use std::fmt;

use serde::de::{self, DeserializeSeed, IntoDeserializer, Unexpected, Visitor};

use super::tree::{Node, NodeKind};
use super::Position;

/// A type error from serde, with the position of the node it concerns when known.
#[derive(Debug)]
pub(super) struct Error {
    message: String,
    pub(super) position: Option<Position>,
    /// Where in the document, innermost step first: `.level`, `[0]`, `.requirements`.
    path: Vec<String>,
}

impl Error {
    /// The message with the path to the node in front, as serde_yaml wrote it:
    /// `requirements[0].level: unknown variant ...`.
    pub(super) fn message(&self) -> String {
        if self.path.is_empty() {
            return self.message.clone();
        }
        let path: String = self.path.iter().rev().map(String::as_str).collect();
        format!("{}: {}", path.trim_start_matches('.'), self.message)
    }

    fn within(mut self, step: String) -> Self {
        self.path.push(step);
        self
    }

    /// Keeps the innermost position: the node closest to the problem.
    fn or_at(mut self, position: Position) -> Self {
        self.position.get_or_insert(position);
        self
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for Error {}

impl de::Error for Error {
    fn custom<T: fmt::Display>(message: T) -> Self {
        Error {
            message: message.to_string(),
            position: None,
            path: Vec::new(),
        }
    }
}

type Result<T> = std::result::Result<T, Error>;

/// Deserialises one node.
pub(super) struct NodeDe<'a>(pub(super) &'a Node);

impl<'a> NodeDe<'a> {
    fn node(&self) -> &'a Node {
        self.0.resolved()
    }

    fn plain(&self) -> Option<&'a str> {
        match &self.node().kind {
            NodeKind::Scalar { value, plain: true } => Some(value),
            _ => None,
        }
    }

    fn is_null(&self) -> bool {
        self.plain().is_some_and(is_null)
    }

    /// What the node is, for "invalid type" messages; a long text is cut so that a
    /// message never echoes a whole file.
    fn unexpected(&self) -> Unexpected<'a> {
        match &self.node().kind {
            NodeKind::Scalar { value, .. } => Unexpected::Str(super::clip(value)),
            NodeKind::Sequence(_) => Unexpected::Seq,
            _ => Unexpected::Map,
        }
    }

    fn invalid<T>(&self, expected: &dyn de::Expected) -> Result<T> {
        Err(de::Error::invalid_type(self.unexpected(), expected))
    }

    fn located<T>(&self, result: Result<T>) -> Result<T> {
        result.map_err(|e| e.or_at(self.0.position))
    }
}

fn is_null(v: &str) -> bool {
    matches!(v, "" | "~" | "null" | "Null" | "NULL")
}

fn parse_bool(v: &str) -> Option<bool> {
    match v {
        "true" | "True" | "TRUE" => Some(true),
        "false" | "False" | "FALSE" => Some(false),
        _ => None,
    }
}

/// YAML 1.2 core-schema integers (decimal, `0x`, `0o`), as serde_yaml read them; a
/// decimal with a leading zero (`007`) stays text, as the spec says.
fn parse_int(v: &str) -> Option<std::result::Result<u64, i64>> {
    let (negative, digits) = match v.as_bytes().first() {
        Some(b'-') => (true, &v[1..]),
        Some(b'+') => (false, &v[1..]),
        _ => (false, v),
    };
    let (radix, body) = if let Some(hex) = digits.strip_prefix("0x") {
        (16, hex)
    } else if let Some(octal) = digits.strip_prefix("0o") {
        (8, octal)
    } else {
        if digits.len() > 1 && digits.starts_with('0') {
            return None;
        }
        (10, digits)
    };
    if body.is_empty() || body.starts_with(['+', '-']) {
        return None;
    }
    let magnitude = u64::from_str_radix(body, radix).ok()?;
    if !negative {
        return Some(Ok(magnitude));
    }
    i64::try_from(magnitude).ok().map(|m| Err(-m))
}

fn parse_float(v: &str) -> Option<f64> {
    let unsigned = v.strip_prefix(['+', '-']).unwrap_or(v);
    let sign = if v.starts_with('-') { -1.0 } else { 1.0 };
    match unsigned {
        ".inf" | ".Inf" | ".INF" => return Some(sign * f64::INFINITY),
        ".nan" | ".NaN" | ".NAN" if unsigned == v => return Some(f64::NAN),
        _ => {}
    }
    let numeric = unsigned
        .bytes()
        .all(|b| b.is_ascii_digit() || matches!(b, b'.' | b'e' | b'E' | b'+' | b'-'));
    let leading_zero_int = unsigned.len() > 1
        && unsigned.starts_with('0')
        && unsigned.bytes().all(|b| b.is_ascii_digit());
    if !numeric || leading_zero_int || !unsigned.bytes().any(|b| b.is_ascii_digit()) {
        return None;
    }
    v.parse::<f64>().ok().filter(|f| f.is_finite())
}

impl<'de> de::Deserializer<'de> for NodeDe<'_> {
    type Error = Error;

    fn deserialize_any<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value> {
        let result = match &self.node().kind {
            NodeKind::Scalar { value, plain: true } => visit_plain(value, visitor),
            NodeKind::Scalar { value, .. } => visitor.visit_str(value),
            NodeKind::Sequence(items) => visitor.visit_seq(Items(items.iter().enumerate())),
            NodeKind::Mapping(entries) => visitor.visit_map(Entries::new(entries)),
            // resolved() has followed every shared node.
            NodeKind::Shared(_) => self.invalid(&visitor),
        };
        self.located(result)
    }

    fn deserialize_str<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value> {
        let result = match &self.node().kind {
            NodeKind::Scalar { value, .. } => visitor.visit_str(value),
            _ => self.invalid(&visitor),
        };
        self.located(result)
    }

    fn deserialize_string<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value> {
        self.deserialize_str(visitor)
    }

    fn deserialize_identifier<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value> {
        self.deserialize_str(visitor)
    }

    fn deserialize_option<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value> {
        if self.is_null() {
            return self.located(visitor.visit_none());
        }
        let position = self.0.position;
        visitor.visit_some(self).map_err(|e| e.or_at(position))
    }

    fn deserialize_unit<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value> {
        let result = if self.is_null() {
            visitor.visit_unit()
        } else {
            self.invalid(&visitor)
        };
        self.located(result)
    }

    fn deserialize_unit_struct<V: Visitor<'de>>(
        self,
        _name: &'static str,
        visitor: V,
    ) -> Result<V::Value> {
        self.deserialize_unit(visitor)
    }

    fn deserialize_newtype_struct<V: Visitor<'de>>(
        self,
        _name: &'static str,
        visitor: V,
    ) -> Result<V::Value> {
        visitor.visit_newtype_struct(self)
    }

    fn deserialize_seq<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value> {
        let result = match &self.node().kind {
            NodeKind::Sequence(items) => visitor.visit_seq(Items(items.iter().enumerate())),
            _ => self.invalid(&visitor),
        };
        self.located(result)
    }

    fn deserialize_tuple<V: Visitor<'de>>(self, _len: usize, visitor: V) -> Result<V::Value> {
        self.deserialize_seq(visitor)
    }

    fn deserialize_tuple_struct<V: Visitor<'de>>(
        self,
        _name: &'static str,
        _len: usize,
        visitor: V,
    ) -> Result<V::Value> {
        self.deserialize_seq(visitor)
    }

    fn deserialize_map<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value> {
        let result = match &self.node().kind {
            NodeKind::Mapping(entries) => visitor.visit_map(Entries::new(entries)),
            _ => self.invalid(&visitor),
        };
        self.located(result)
    }

    fn deserialize_struct<V: Visitor<'de>>(
        self,
        _name: &'static str,
        fields: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value> {
        let setting_aside = SET_ASIDE.with(|s| s.borrow().is_some());
        let NodeKind::Mapping(entries) = &self.node().kind else {
            return self.deserialize_map(visitor);
        };
        if !setting_aside {
            return self.deserialize_map(visitor);
        }
        let mut known = Vec::with_capacity(entries.len());
        for entry in entries {
            match entry.0.scalar() {
                Some(key) if !fields.contains(&key) => {
                    let error = <Error as de::Error>::unknown_field(key, fields);
                    set_aside(error.or_at(entry.0.position));
                }
                _ => known.push(entry),
            }
        }
        let result = visitor.visit_map(Entries {
            entries: known.into_iter(),
            value: None,
        });
        self.located(result)
    }

    fn deserialize_enum<V: Visitor<'de>>(
        self,
        _name: &'static str,
        _variants: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value> {
        // reqgap's enums are unit variants written as plain words (`shall`, `active`).
        let result = match &self.node().kind {
            NodeKind::Scalar { value, .. } => {
                let variant: de::value::StrDeserializer<'_, Error> =
                    value.as_str().into_deserializer();
                visitor.visit_enum(variant)
            }
            _ => self.invalid(&visitor),
        };
        self.located(result)
    }

    fn deserialize_ignored_any<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value> {
        visitor.visit_unit()
    }

    serde::forward_to_deserialize_any! {
        bool i8 i16 i32 i64 i128 u8 u16 u32 u64 u128 f32 f64 char bytes byte_buf
    }
}

fn visit_plain<'de, V: Visitor<'de>>(value: &str, visitor: V) -> Result<V::Value> {
    if is_null(value) {
        return visitor.visit_unit();
    }
    if let Some(b) = parse_bool(value) {
        return visitor.visit_bool(b);
    }
    match parse_int(value) {
        Some(Ok(n)) => return visitor.visit_u64(n),
        Some(Err(n)) => return visitor.visit_i64(n),
        None => {}
    }
    match parse_float(value) {
        Some(f) => visitor.visit_f64(f),
        None => visitor.visit_str(value),
    }
}

struct Items<'a>(std::iter::Enumerate<std::slice::Iter<'a, Node>>);

impl<'de> de::SeqAccess<'de> for Items<'_> {
    type Error = Error;

    fn next_element_seed<T: DeserializeSeed<'de>>(&mut self, seed: T) -> Result<Option<T::Value>> {
        match self.0.next() {
            Some((i, node)) => seed
                .deserialize(NodeDe(node))
                .map(Some)
                .map_err(|e| e.or_at(node.position).within(format!("[{i}]"))),
            None => Ok(None),
        }
    }

    fn size_hint(&self) -> Option<usize> {
        Some(self.0.len())
    }
}

struct Entries<'a> {
    entries: std::vec::IntoIter<&'a (Node, Node)>,
    value: Option<(&'a Node, &'a Node)>,
}

impl<'a> Entries<'a> {
    fn new(entries: &'a [(Node, Node)]) -> Self {
        Entries {
            entries: entries.iter().collect::<Vec<_>>().into_iter(),
            value: None,
        }
    }
}

thread_local! {
    /// The unknown keys set aside by a read that goes on past them ([`setting_aside`]);
    /// `None` when an unknown key fails the read, as serde's `deny_unknown_fields` asks.
    static SET_ASIDE: std::cell::RefCell<Option<Vec<Error>>> = const { std::cell::RefCell::new(None) };
}

fn set_aside(error: Error) {
    SET_ASIDE.with(|s| {
        if let Some(errors) = s.borrow_mut().as_mut() {
            errors.push(error);
        }
    });
}

/// Runs `read` so that unknown keys are skipped and returned instead of failing it, so
/// that a file's other problems (a bad date, an unknown ID) are found in the same run.
pub(super) fn setting_aside<R>(read: impl FnOnce() -> R) -> (R, Vec<Error>) {
    SET_ASIDE.with(|s| *s.borrow_mut() = Some(Vec::new()));
    let result = read();
    let errors = SET_ASIDE
        .with(|s| s.borrow_mut().take())
        .unwrap_or_default();
    (result, errors)
}

impl<'de> de::MapAccess<'de> for Entries<'_> {
    type Error = Error;

    fn next_key_seed<K: DeserializeSeed<'de>>(&mut self, seed: K) -> Result<Option<K::Value>> {
        let Some((key, value)) = self.entries.next() else {
            return Ok(None);
        };
        self.value = Some((key, value));
        seed.deserialize(NodeDe(key))
            .map(Some)
            .map_err(|e| e.or_at(key.position))
    }

    fn next_value_seed<V: DeserializeSeed<'de>>(&mut self, seed: V) -> Result<V::Value> {
        let (key, value) = self
            .value
            .take()
            .ok_or_else(|| <Error as de::Error>::custom("a value without a key"))?;
        seed.deserialize(NodeDe(value)).map_err(|e| {
            let step = format!(".{}", super::clip(key.scalar().unwrap_or("?")));
            e.or_at(value.position).within(step)
        })
    }

    fn size_hint(&self) -> Option<usize> {
        Some(self.entries.len())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn plain_scalars_resolve_like_yaml_1_2_core() {
        assert_eq!(parse_int("42"), Some(Ok(42)));
        assert_eq!(parse_int("-3"), Some(Err(-3)));
        assert_eq!(parse_int("0x1F"), Some(Ok(31)));
        assert_eq!(parse_int("007"), None);
        assert_eq!(parse_int("2.1"), None);
        assert_eq!(parse_float("3.2"), Some(3.2));
        assert_eq!(parse_float("1e3"), Some(1000.0));
        assert_eq!(parse_float("3.2.1"), None);
        assert_eq!(parse_float("007"), None);
        assert_eq!(parse_float("e"), None);
        assert!(parse_float(".nan").unwrap().is_nan());
        assert_eq!(parse_bool("True"), Some(true));
        assert!(is_null("~") && is_null(""));
    }
}
