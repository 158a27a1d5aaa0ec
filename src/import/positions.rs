//! Where each scalar of a JSON or YAML input stands, found in one pass.
//!
//! serde gives no positions to semantic findings (a duplicate id, a link that leads
//! nowhere), so a finding is placed at the text of the value it is about. Searching the
//! text for each finding is quadratic: 20,000 controls that share one id took 9.6 s, and a
//! minified catalog is one line of megabytes. This index is built once, the first time a
//! finding needs a place; every lookup after that is a hash-map access.

use std::collections::HashMap;

use crate::diag::{Location, SourceFile};

/// Bytes that end a scalar: quotes, whitespace, the key separator, commas and brackets.
fn is_boundary(byte: u8) -> bool {
    matches!(
        byte,
        b'"' | b'\'' | b' ' | b'\n' | b'\r' | b'\t' | b':' | b',' | b'[' | b']' | b'{' | b'}'
    )
}

/// Byte offsets of every word between boundaries, and separately of those that are the
/// value of an `id` key (`"id": "ac-2"`, `id: ac-2`).
pub struct Positions<'a> {
    file: &'a SourceFile,
    all: HashMap<&'a str, Vec<usize>>,
    ids: HashMap<&'a str, Vec<usize>>,
}

impl<'a> Positions<'a> {
    pub fn build(file: &'a SourceFile) -> Positions<'a> {
        let text = file.text.as_str();
        let bytes = text.as_bytes();
        let mut positions = Positions {
            file,
            all: HashMap::new(),
            ids: HashMap::new(),
        };
        let mut previous: Option<&str> = None;
        let mut key_separator = false;
        let mut at = 0;
        while at < bytes.len() {
            if is_boundary(bytes[at]) {
                key_separator |= bytes[at] == b':';
                at += 1;
                continue;
            }
            let end = bytes[at..]
                .iter()
                .position(|b| is_boundary(*b))
                .map_or(bytes.len(), |n| at + n);
            let word = &text[at..end];
            positions.all.entry(word).or_default().push(at);
            if previous == Some("id") && key_separator {
                positions.ids.entry(word).or_default().push(at);
            }
            previous = Some(word);
            key_separator = false;
            at = end;
        }
        positions
    }

    /// The `nth` place (from 0) where `value` stands as a whole scalar.
    pub fn value(&self, value: &str, nth: usize) -> Option<Location> {
        if value.bytes().any(is_boundary) {
            return self.scan(value, nth);
        }
        self.at(self.all.get(value)?.get(nth)?, value)
    }

    /// The `nth` place where `value` is the value of an `id` key, so that a duplicate is
    /// not confused with a `sort-id` or a link to the same control.
    pub fn id(&self, value: &str, nth: usize) -> Option<Location> {
        self.at(self.ids.get(value)?.get(nth)?, value)
    }

    /// The `nth` place where `value` stands as a whole scalar after the `id` value `owner`
    /// (its first place as an `id`): a value inside an object, such as a link's `href`,
    /// placed within the object that holds it rather than at its first place in the file.
    pub fn value_after_id(&self, value: &str, owner: &str, nth: usize) -> Option<Location> {
        let from = *self.ids.get(owner)?.first()?;
        let offset = if value.bytes().any(is_boundary) {
            self.scan_offsets(value).filter(|at| *at > from).nth(nth)?
        } else {
            let offsets = self.all.get(value)?;
            *offsets.get(offsets.partition_point(|at| *at <= from) + nth)?
        };
        self.at(&offset, value)
    }

    fn at(&self, offset: &usize, value: &str) -> Option<Location> {
        Some(self.file.location_at_byte(*offset, value.chars().count()))
    }

    /// Values with spaces (titles, dates with times) are looked up once each, for the
    /// catalog header only; a plain search is enough there.
    fn scan(&self, value: &str, nth: usize) -> Option<Location> {
        self.scan_offsets(value)
            .nth(nth)
            .and_then(|at| self.at(&at, value))
    }

    fn scan_offsets<'v>(&self, value: &'v str) -> impl Iterator<Item = usize> + use<'a, 'v> {
        let text: &'a str = self.file.text.as_str();
        let bytes = text.as_bytes();
        let boundary = |at: Option<&u8>| at.is_none_or(|b| is_boundary(*b));
        text.match_indices(value)
            .filter(move |(at, _)| {
                boundary(at.checked_sub(1).and_then(|i| bytes.get(i)))
                    && boundary(bytes.get(at + value.len()))
            })
            .map(|(at, _)| at)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn values_and_id_values_are_found_in_json_and_yaml() {
        let json = SourceFile::new(
            "c.json",
            r##"{"id":"ac-2","sort-id":"ac-2","links":[{"href":"#ac-2"}],"controls":[{"id": "ac-2"}]}"##,
        );
        let positions = Positions::build(&json);
        assert_eq!(positions.id("ac-2", 0).unwrap().column, Some(8));
        assert_eq!(positions.id("ac-2", 1).unwrap().column, Some(78));
        assert!(positions.id("ac-2", 2).is_none());
        assert_eq!(positions.value("ac-2", 1).unwrap().column, Some(25));
        assert_eq!(positions.value("#ac-2", 0).unwrap().column, Some(49));
        assert_eq!(
            positions.value_after_id("#ac-2", "ac-2", 0).unwrap().column,
            Some(49)
        );
        assert!(positions.value_after_id("#ac-2", "ac-2", 1).is_none());
        let linked = SourceFile::new(
            "l.json",
            r#"[{"id":"a","href":"x:\/y"},{"id":"b","href":"x:\/y"}]"#,
        );
        let positions = Positions::build(&linked);
        assert_eq!(
            positions.value_after_id("x:\\/y", "b", 0).unwrap().column,
            Some(46)
        );
        let yaml = SourceFile::new("c.yaml", "catalog:\n  id: x-1\n  title: A title\n");
        let positions = Positions::build(&yaml);
        assert_eq!(positions.id("x-1", 0).unwrap().line, Some(2));
        assert_eq!(positions.value("A title", 0).unwrap().line, Some(3));
    }
}
