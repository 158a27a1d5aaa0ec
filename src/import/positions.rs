//! Where each scalar of a JSON or YAML input stands, found in one pass.
//!
//! serde gives no positions to semantic findings (a duplicate id, a link that leads
//! nowhere), so a finding is placed at the text of the value it is about. Searching the
//! text for each finding is quadratic: 20,000 controls that share one id took 9.6 s, and a
//! minified catalog is one line of megabytes. So the first few findings are searched for
//! (cheaper than indexing a large file for them), and past those an index of every word is
//! built once; every lookup after that is a hash-map access.

use std::cell::{Cell, OnceCell};
use std::collections::HashMap;

use crate::diag::{Location, SourceFile};

/// Bytes that end a scalar: quotes, whitespace, the key separator, commas and brackets.
fn is_boundary(byte: u8) -> bool {
    matches!(
        byte,
        b'"' | b'\'' | b' ' | b'\n' | b'\r' | b'\t' | b':' | b',' | b'[' | b']' | b'{' | b'}'
    )
}

/// Lookups answered by searching the text before the index is built: a few findings (a
/// catalog's header, a handful of dropped links) cost less to search for than an index of
/// every word of a large file, and a file full of findings still gets its index.
const SEARCHES_BEFORE_INDEX: usize = 16;

/// Where the values of one input stand: searched for while findings are few, indexed once
/// they are many.
pub struct Positions<'a> {
    file: &'a SourceFile,
    searches: Cell<usize>,
    index: OnceCell<Index<'a>>,
}

/// Byte offsets of every word between boundaries, and separately of those that are the
/// value of an `id` key (`"id": "ac-2"`, `id: ac-2`).
struct Index<'a> {
    all: HashMap<&'a str, Vec<usize>>,
    ids: HashMap<&'a str, Vec<usize>>,
}

impl<'a> Index<'a> {
    fn build(text: &'a str) -> Index<'a> {
        let bytes = text.as_bytes();
        let mut index = Index {
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
            index.all.entry(word).or_default().push(at);
            if previous == Some("id") && key_separator {
                index.ids.entry(word).or_default().push(at);
            }
            previous = Some(word);
            key_separator = false;
            at = end;
        }
        index
    }
}

impl<'a> Positions<'a> {
    /// Positions in `file`; nothing is read until a lookup.
    pub fn new(file: &'a SourceFile) -> Positions<'a> {
        Positions {
            file,
            searches: Cell::new(0),
            index: OnceCell::new(),
        }
    }

    /// The `nth` place (from 0) where `value` stands as a whole scalar.
    pub fn value(&self, value: &str, nth: usize) -> Option<Location> {
        let offset = self.value_offsets(value).nth(nth)?;
        self.at(offset, value)
    }

    /// The `nth` place where `value` is the value of an `id` key, so that a duplicate is
    /// not confused with a `sort-id` or a link to the same control.
    pub fn id(&self, value: &str, nth: usize) -> Option<Location> {
        self.at(self.id_offset(value, nth)?, value)
    }

    /// The `nth` place where `value` stands as a whole scalar after the `id` value `owner`
    /// (its first place as an `id`): a value inside an object, such as a link's `href`,
    /// placed within the object that holds it rather than at its first place in the file.
    pub fn value_after_id(&self, value: &str, owner: &str, nth: usize) -> Option<Location> {
        let from = self.id_offset(owner, 0)?;
        let offset = self.value_offsets(value).filter(|at| *at > from).nth(nth)?;
        self.at(offset, value)
    }

    fn id_offset(&self, value: &str, nth: usize) -> Option<usize> {
        match self.index() {
            Some(index) => index.ids.get(value)?.get(nth).copied(),
            None => {
                let bytes = self.file.text.as_bytes();
                self.scan_offsets(value)
                    .filter(|at| is_id_value(bytes, *at))
                    .nth(nth)
            }
        }
    }

    /// Every place of `value` as a whole scalar, in order. Values with a boundary byte in
    /// them (titles, dates with times, URLs) are never indexed words, so they are searched for.
    fn value_offsets<'s>(&'s self, value: &'s str) -> Box<dyn Iterator<Item = usize> + 's> {
        if value.bytes().any(is_boundary) {
            return Box::new(self.scan_offsets(value));
        }
        match self.index() {
            Some(index) => Box::new(index.all.get(value).into_iter().flatten().copied()),
            None => Box::new(self.scan_offsets(value)),
        }
    }

    /// The index, once enough lookups were answered by searching.
    fn index(&self) -> Option<&Index<'a>> {
        if self.index.get().is_none() {
            let searches = self.searches.get() + 1;
            self.searches.set(searches);
            if searches <= SEARCHES_BEFORE_INDEX {
                return None;
            }
        }
        Some(self.index.get_or_init(|| Index::build(&self.file.text)))
    }

    fn at(&self, offset: usize, value: &str) -> Option<Location> {
        Some(self.file.location_at_byte(offset, value.chars().count()))
    }

    fn scan_offsets<'v>(&self, value: &'v str) -> impl Iterator<Item = usize> + use<'a, 'v> {
        let bytes: &'a [u8] = self.file.text.as_bytes();
        let boundary = |at: Option<&u8>| at.is_none_or(|b| is_boundary(*b));
        // memchr's SIMD search: `str::match_indices` took a third of importing NIST's
        // minified Rev 4 (one line of 2.7 MB) to place its first findings.
        memchr::memmem::find_iter(bytes, value.as_bytes()).filter(move |&at| {
            boundary(at.checked_sub(1).and_then(|i| bytes.get(i)))
                && boundary(bytes.get(at + value.len()))
        })
    }
}

/// Whether the word at `at` is the value of an `id` key, read backwards the way the index
/// reads forwards: boundaries with a `:` among them, then the word `id`.
fn is_id_value(bytes: &[u8], at: usize) -> bool {
    let key_end = bytes[..at]
        .iter()
        .rposition(|b| !is_boundary(*b))
        .map_or(0, |i| i + 1);
    if !bytes[key_end..at].contains(&b':') {
        return false;
    }
    let key_start = bytes[..key_end]
        .iter()
        .rposition(|b| is_boundary(*b))
        .map_or(0, |i| i + 1);
    &bytes[key_start..key_end] == b"id"
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The same file looked up both ways: by searching, and through the index.
    fn both_ways(file: &SourceFile) -> [Positions<'_>; 2] {
        let indexed = Positions::new(file);
        indexed.searches.set(SEARCHES_BEFORE_INDEX);
        [Positions::new(file), indexed]
    }

    #[test]
    fn values_and_id_values_are_found_in_json_and_yaml() {
        let json = SourceFile::new(
            "c.json",
            r##"{"id":"ac-2","sort-id":"ac-2","links":[{"href":"#ac-2"}],"controls":[{"id": "ac-2"}]}"##,
        );
        for positions in both_ways(&json) {
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
        }
        let linked = SourceFile::new(
            "l.json",
            r#"[{"id":"a","href":"x:\/y"},{"id":"b","href":"x:\/y"}]"#,
        );
        for positions in both_ways(&linked) {
            assert_eq!(
                positions.value_after_id("x:\\/y", "b", 0).unwrap().column,
                Some(46)
            );
        }
        let yaml = SourceFile::new("c.yaml", "catalog:\n  id: x-1\n  title: A title\n");
        for positions in both_ways(&yaml) {
            assert_eq!(positions.id("x-1", 0).unwrap().line, Some(2));
            assert_eq!(positions.value("A title", 0).unwrap().line, Some(3));
        }
    }

    #[test]
    fn the_index_is_built_only_after_a_few_searches() {
        let file = SourceFile::new("c.json", r#"{"id":"a","title":"A"}"#);
        let positions = Positions::new(&file);
        for _ in 0..SEARCHES_BEFORE_INDEX {
            assert_eq!(positions.id("a", 0).unwrap().column, Some(8));
        }
        assert!(positions.index.get().is_none());
        assert_eq!(positions.id("a", 0).unwrap().column, Some(8));
        assert!(positions.index.get().is_some());
    }
}
