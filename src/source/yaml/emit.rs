//! A block-style YAML writer for the shapes reqgap writes (mappings, sequences, strings,
//! integers, booleans), byte-identical to `serde_yaml`'s output for them and several times
//! faster: `serde_yaml` hands every value to libyaml's emitter as an event, which costs as
//! much as importing the catalog in the first place.
//!
//! The writer decides a string's style with the same rules as `serde_yaml` and libyaml
//! (plain, single- or double-quoted, or a `|` literal block with libyaml's hints), and
//! gives up on anything else: a float, a tagged enum, a block that would need the `+` hint
//! or holds a line break other than `\n`, a single-quoted value with such a break, a key
//! over 128 bytes or on several lines. [`super::to_string`] then falls back to `serde_yaml`
//! for the whole value, so a rare shape costs time, never a different file. The tests
//! compare both writers on generated documents and on every catalog the repository holds.

use std::fmt;

use serde::ser::{self, Serialize};

/// Why the fast writer gave up; never shown to users (the fallback writes the value).
#[derive(Debug)]
pub(super) struct Unsupported;

impl fmt::Display for Unsupported {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a shape the block writer leaves to serde_yaml")
    }
}

impl std::error::Error for Unsupported {}

impl ser::Error for Unsupported {
    fn custom<T: fmt::Display>(_: T) -> Self {
        Unsupported
    }
}

type Result<T = ()> = std::result::Result<T, Unsupported>;

/// Writes `value` as `serde_yaml` would, or says it cannot.
pub(super) fn to_string<T: Serialize + ?Sized>(value: &T) -> Result<String> {
    write(value).map(|(text, _)| text)
}

/// What a written document holds, counted as the loader counts it when it reads the
/// document back (`tree`): every scalar (keys too) and every collection is one node.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub(super) struct Counts {
    pub nodes: usize,
    pub longest_scalar: usize,
}

/// [`to_string`], with the counts of what was written.
pub(super) fn write<T: Serialize + ?Sized>(value: &T) -> Result<(String, Counts)> {
    let mut writer = Writer {
        out: String::with_capacity(4096),
        counts: Counts::default(),
    };
    value.serialize(Node {
        writer: &mut writer,
        place: Place::Top,
    })?;
    Ok((writer.out, writer.counts))
}

struct Writer {
    out: String,
    counts: Counts,
}

/// Where the next node goes, which decides what is written before it.
#[derive(Clone, Copy)]
enum Place {
    /// The whole document.
    Top,
    /// The value of a key of a mapping whose keys stand at this column.
    Value(usize),
    /// An item of a sequence whose dashes stand at this column.
    Item(usize),
}

impl Place {
    /// The column of the lines of a literal block written here.
    fn block_indent(self) -> usize {
        match self {
            Place::Top => 2,
            Place::Value(column) | Place::Item(column) => column + 2,
        }
    }

    /// The column of the keys of a mapping written here, and whether its first key follows
    /// on the current line (after a dash).
    fn mapping(self) -> (usize, bool) {
        match self {
            Place::Top => (0, false),
            Place::Value(column) => (column + 2, false),
            Place::Item(column) => (column + 2, true),
        }
    }

    /// The column of the dashes of a sequence written here (a sequence under a key is not
    /// indented), and whether its first dash follows on the current line.
    fn sequence(self) -> (usize, bool) {
        match self {
            Place::Top => (0, false),
            Place::Value(column) => (column, false),
            Place::Item(column) => (column + 2, true),
        }
    }
}

impl Writer {
    fn count(&mut self, scalar_bytes: Option<usize>) {
        self.counts.nodes += 1;
        if let Some(bytes) = scalar_bytes {
            self.counts.longest_scalar = self.counts.longest_scalar.max(bytes);
        }
    }

    fn indent(&mut self, column: usize) {
        self.out.extend(std::iter::repeat_n(' ', column));
    }

    /// Before a nested collection: a key's line ends, a dash is followed by the first entry.
    fn open(&mut self, place: Place) {
        match place {
            Place::Top => {}
            Place::Value(_) => self.out.push('\n'),
            Place::Item(_) => self.out.push(' '),
        }
    }

    fn scalar(&mut self, place: Place, text: &str) {
        if !matches!(place, Place::Top) {
            self.out.push(' ');
        }
        self.out.push_str(text);
        self.out.push('\n');
    }

    /// A plain scalar that is not a string (a number, a boolean, null).
    fn typed(&mut self, place: Place, text: &str) {
        self.count(Some(text.len()));
        self.scalar(place, text);
    }

    fn string(&mut self, place: Place, value: &str) -> Result {
        self.count(Some(value.len()));
        let analysis = Analysis::of(value);
        match style(value, &analysis) {
            Style::Plain => self.scalar(place, value),
            // libyaml folds breaks inside single quotes in its own way.
            Style::SingleQuoted if analysis.line_breaks => return Err(Unsupported),
            Style::SingleQuoted => self.scalar(place, &single_quoted(value)),
            Style::DoubleQuoted => self.scalar(place, &double_quoted(value)),
            Style::Literal => self.literal(place, value)?,
        }
        Ok(())
    }

    /// A `|` block: libyaml's hints (an indentation digit before a leading space or break,
    /// `-` without a final break, none with one), then the lines at the block's column.
    fn literal(&mut self, place: Place, value: &str) -> Result {
        let trailing_breaks = value.len() - value.trim_end_matches('\n').len();
        let keep_hint = trailing_breaks > 1 || trailing_breaks == value.len();
        if value.contains(['\r', '\u{85}', '\u{2028}', '\u{2029}']) || keep_hint {
            // Other breaks, and the `+` hint (which also ends the document with `...`).
            return Err(Unsupported);
        }
        let indent_hint = if value.starts_with([' ', '\n']) {
            "2"
        } else {
            ""
        };
        let chomp_hint = if trailing_breaks == 0 { "-" } else { "" };
        self.scalar(place, &format!("|{indent_hint}{chomp_hint}"));
        let column = place.block_indent();
        for line in value.strip_suffix('\n').unwrap_or(value).split('\n') {
            if !line.is_empty() {
                self.indent(column);
                self.out.push_str(line);
            }
            self.out.push('\n');
        }
        Ok(())
    }
}

#[derive(Debug, PartialEq, Eq)]
enum Style {
    Plain,
    SingleQuoted,
    DoubleQuoted,
    Literal,
}

/// The style `serde_yaml` asks for (a block for a value with `\n`, quotes for one that
/// would read as another type, else plain), demoted as libyaml demotes it in block context.
fn style(value: &str, analysis: &Analysis) -> Style {
    if value.contains('\n') {
        return if analysis.block_allowed() {
            Style::Literal
        } else {
            Style::DoubleQuoted
        };
    }
    let typed = reads_as_other_type(value) || digits_but_not_number(value);
    if !typed && analysis.plain_allowed() {
        Style::Plain
    } else if analysis.single_quoted_allowed() {
        Style::SingleQuoted
    } else {
        Style::DoubleQuoted
    }
}

/// The style of a mapping key, when it is one this writer reproduces (libyaml writes a
/// key over 128 bytes as a complex key, and a multi-line one double-quoted).
fn key_style(key: &str) -> Result<Style> {
    if key.is_empty() || key.len() > 128 {
        return Err(Unsupported);
    }
    let analysis = Analysis::of(key);
    match style(key, &analysis) {
        style @ (Style::Plain | Style::SingleQuoted) if !analysis.line_breaks => Ok(style),
        _ => Err(Unsupported),
    }
}

fn single_quoted(value: &str) -> String {
    format!("'{}'", value.replace('\'', "''"))
}

/// libyaml's double-quoted form: no folding (serde_yaml sets no line width), escapes for
/// what is not printable, line breaks, the byte order mark, `"` and `\`.
fn double_quoted(value: &str) -> String {
    let mut out = String::with_capacity(value.len() + 2);
    out.push('"');
    for c in value.chars() {
        if is_printable(c) && !is_break(c) && !matches!(c, '\u{FEFF}' | '"' | '\\') {
            out.push(c);
            continue;
        }
        out.push('\\');
        match c {
            '\0' => out.push('0'),
            '\u{7}' => out.push('a'),
            '\u{8}' => out.push('b'),
            '\t' => out.push('t'),
            '\n' => out.push('n'),
            '\u{B}' => out.push('v'),
            '\u{C}' => out.push('f'),
            '\r' => out.push('r'),
            '\u{1B}' => out.push('e'),
            '"' => out.push('"'),
            '\\' => out.push('\\'),
            '\u{85}' => out.push('N'),
            '\u{2028}' => out.push('L'),
            '\u{2029}' => out.push('P'),
            c if u32::from(c) <= 0xFF => out.push_str(&format!("x{:02X}", u32::from(c))),
            c if u32::from(c) <= 0xFFFF => out.push_str(&format!("u{:04X}", u32::from(c))),
            c => out.push_str(&format!("U{:08X}", u32::from(c))),
        }
    }
    out.push('"');
    out
}

/// libyaml's `IS_PRINTABLE` with Unicode allowed (serde_yaml allows it).
fn is_printable(c: char) -> bool {
    matches!(c, '\n' | ' '..='~')
        || ('\u{A0}'..='\u{D7FF}').contains(&c)
        || (('\u{E000}'..='\u{FFFD}').contains(&c) && c != '\u{FEFF}')
        || c >= '\u{10000}'
}

fn is_break(c: char) -> bool {
    matches!(c, '\r' | '\n' | '\u{85}' | '\u{2028}' | '\u{2029}')
}

/// libyaml's analysis of a scalar (`yaml_emitter_analyze_scalar`), the part that decides
/// the style in block context.
#[derive(Debug, Default, PartialEq, Eq)]
struct Analysis {
    empty: bool,
    block_indicators: bool,
    line_breaks: bool,
    special_characters: bool,
    leading_space: bool,
    leading_break: bool,
    trailing_space: bool,
    trailing_break: bool,
    break_space: bool,
    space_break: bool,
}

impl Analysis {
    fn of(value: &str) -> Analysis {
        let bytes = value.as_bytes();
        // Chunks without an early exit inside, so that the test compiles to vector code.
        let printable_ascii = bytes.chunks(64).all(|chunk| {
            chunk.iter().fold(true, |all, &b| {
                all & (matches!(b, b' '..=b'~') | (b == b'\n'))
            })
        });
        if printable_ascii {
            Analysis::of_printable_ascii(bytes)
        } else {
            Analysis::of_chars(value)
        }
    }

    /// [`Analysis::of_chars`] for printable ASCII and `\n` (nearly every value), by
    /// searching for the few byte pairs that matter instead of walking every character.
    fn of_printable_ascii(bytes: &[u8]) -> Analysis {
        let (Some(&first), Some(&last)) = (bytes.first(), bytes.last()) else {
            return Analysis {
                empty: true,
                ..Analysis::default()
            };
        };
        let second_blank = matches!(bytes.get(1), None | Some(b' ' | b'\n'));
        let mut analysis = Analysis {
            block_indicators: bytes.starts_with(b"---")
                || bytes.starts_with(b"...")
                || matches!(
                    first,
                    b'#' | b','
                        | b'['
                        | b']'
                        | b'{'
                        | b'}'
                        | b'&'
                        | b'*'
                        | b'!'
                        | b'|'
                        | b'>'
                        | b'\''
                        | b'"'
                        | b'%'
                        | b'@'
                        | b'`'
                )
                || (matches!(first, b'?' | b':' | b'-') && second_blank)
                || last == b':',
            leading_space: first == b' ',
            leading_break: first == b'\n',
            trailing_space: last == b' ',
            trailing_break: last == b'\n',
            ..Analysis::default()
        };
        // Every pair that matters holds a `:`, a `#` or a line break.
        for at in memchr::memchr3_iter(b':', b'#', b'\n', bytes) {
            let before = at.checked_sub(1).map(|i| bytes[i]);
            let after = bytes.get(at + 1).copied();
            match bytes[at] {
                b':' => analysis.block_indicators |= matches!(after, Some(b' ' | b'\n')),
                b'#' => analysis.block_indicators |= matches!(before, Some(b' ' | b'\n')),
                _ => {
                    analysis.line_breaks = true;
                    analysis.break_space |= after == Some(b' ');
                    analysis.space_break |= before == Some(b' ');
                }
            }
        }
        analysis
    }

    /// The analysis character by character, as libyaml walks the value.
    fn of_chars(value: &str) -> Analysis {
        let mut analysis = Analysis {
            empty: value.is_empty(),
            block_indicators: value.starts_with("---") || value.starts_with("..."),
            ..Analysis::default()
        };
        // libyaml reads the end of the value (a NUL) as whitespace.
        let blank =
            |c: Option<char>| c.is_none_or(|c| matches!(c, ' ' | '\t' | '\0') || is_break(c));
        let mut chars = value.chars().peekable();
        let mut previous: Option<char> = None;
        let (mut previous_space, mut previous_break) = (false, false);
        while let Some(c) = chars.next() {
            let next = chars.peek().copied();
            let followed_by_blank = blank(next);
            let first = previous.is_none();
            let last = next.is_none();
            analysis.block_indicators |= if first {
                matches!(
                    c,
                    '#' | ','
                        | '['
                        | ']'
                        | '{'
                        | '}'
                        | '&'
                        | '*'
                        | '!'
                        | '|'
                        | '>'
                        | '\''
                        | '"'
                        | '%'
                        | '@'
                        | '`'
                ) || (matches!(c, '?' | ':' | '-') && followed_by_blank)
            } else {
                (c == ':' && followed_by_blank) || (c == '#' && blank(previous))
            };
            analysis.special_characters |= !is_printable(c);
            if c == ' ' {
                analysis.leading_space |= first;
                analysis.trailing_space |= last;
                analysis.break_space |= previous_break;
                (previous_space, previous_break) = (true, false);
            } else if is_break(c) {
                analysis.line_breaks = true;
                analysis.leading_break |= first;
                analysis.trailing_break |= last;
                analysis.space_break |= previous_space;
                (previous_space, previous_break) = (false, true);
            } else {
                (previous_space, previous_break) = (false, false);
            }
            previous = Some(c);
        }
        analysis
    }

    fn plain_allowed(&self) -> bool {
        !(self.leading_space
            || self.leading_break
            || self.trailing_space
            || self.trailing_break
            || self.break_space
            || self.space_break
            || self.special_characters
            || self.line_breaks
            || self.block_indicators)
    }

    fn single_quoted_allowed(&self) -> bool {
        !(self.break_space || self.space_break || self.special_characters)
    }

    fn block_allowed(&self) -> bool {
        !(self.empty || self.trailing_space || self.space_break || self.special_characters)
    }
}

/// Whether `serde_yaml` would read the plain scalar as null, a boolean or a number
/// (`serde_yaml::de::visit_untagged_scalar`), so that it must be quoted.
fn reads_as_other_type(value: &str) -> bool {
    // Numbers start with a digit, a sign or a dot; the words are listed.
    let may_be_number = value
        .bytes()
        .next()
        .is_some_and(|b| b.is_ascii_digit() || matches!(b, b'+' | b'-' | b'.'));
    value.is_empty()
        || matches!(
            value,
            "null" | "Null" | "NULL" | "~" | "true" | "True" | "TRUE" | "false" | "False" | "FALSE"
        )
        || (may_be_number
            && (parses_as_unsigned(value)
                || parses_as_negative(value)
                || (!digits_but_not_number(value) && parses_as_float(value))))
}

/// Leading zeros before more digits: a string in YAML 1.2, an octal number in YAML 1.1,
/// so `serde_yaml` quotes it.
fn digits_but_not_number(value: &str) -> bool {
    let unsigned = value.strip_prefix(['-', '+']).unwrap_or(value);
    unsigned.len() > 1
        && unsigned.starts_with('0')
        && unsigned[1..].bytes().all(|b| b.is_ascii_digit())
}

fn parses_as_unsigned(value: &str) -> bool {
    let unpositive = value.strip_prefix('+').unwrap_or(value);
    for (prefix, radix) in [("0x", 16), ("0o", 8), ("0b", 2)] {
        if let Some(rest) = unpositive.strip_prefix(prefix) {
            if rest.starts_with(['+', '-']) {
                return false;
            }
            if u128::from_str_radix(rest, radix).is_ok() {
                return true;
            }
        }
    }
    !unpositive.starts_with(['+', '-'])
        && !digits_but_not_number(value)
        && unpositive.parse::<u128>().is_ok()
}

fn parses_as_negative(value: &str) -> bool {
    for (prefix, radix) in [("-0x", 16), ("-0o", 8), ("-0b", 2)] {
        if let Some(rest) = value.strip_prefix(prefix) {
            if i128::from_str_radix(&format!("-{rest}"), radix).is_ok() {
                return true;
            }
        }
    }
    !digits_but_not_number(value) && value.parse::<i128>().is_ok()
}

fn parses_as_float(value: &str) -> bool {
    let unpositive = match value.strip_prefix('+') {
        Some(rest) if rest.starts_with(['+', '-']) => return false,
        Some(rest) => rest,
        None => value,
    };
    matches!(unpositive, ".inf" | ".Inf" | ".INF")
        || matches!(
            value,
            "-.inf" | "-.Inf" | "-.INF" | ".nan" | ".NaN" | ".NAN"
        )
        || unpositive.parse::<f64>().is_ok_and(f64::is_finite)
}

/// The serializer for one node at one place.
struct Node<'w> {
    writer: &'w mut Writer,
    place: Place,
}

/// A mapping (struct or map) being written.
struct Mapping<'w> {
    writer: &'w mut Writer,
    column: usize,
    inline_first: bool,
    announced: usize,
    written: usize,
}

impl Mapping<'_> {
    fn key(&mut self, key: &str) -> Result {
        let style = key_style(key)?;
        if self.written == self.announced {
            return Err(Unsupported);
        }
        self.writer.count(Some(key.len()));
        if self.written > 0 || !self.inline_first {
            self.writer.indent(self.column);
        }
        self.written += 1;
        match style {
            Style::Plain => self.writer.out.push_str(key),
            _ => self.writer.out.push_str(&single_quoted(key)),
        }
        self.writer.out.push(':');
        Ok(())
    }

    fn value<T: Serialize + ?Sized>(&mut self, value: &T) -> Result {
        value.serialize(Node {
            writer: self.writer,
            place: Place::Value(self.column),
        })
    }
}

/// A sequence being written.
struct Sequence<'w> {
    writer: &'w mut Writer,
    column: usize,
    inline_first: bool,
    announced: usize,
    written: usize,
}

impl Sequence<'_> {
    fn item<T: Serialize + ?Sized>(&mut self, value: &T) -> Result {
        if self.written == self.announced {
            return Err(Unsupported);
        }
        if self.written > 0 || !self.inline_first {
            self.writer.indent(self.column);
        }
        self.written += 1;
        self.writer.out.push('-');
        value.serialize(Node {
            writer: self.writer,
            place: Place::Item(self.column),
        })
    }
}

impl<'w> Node<'w> {
    fn mapping(self, len: Option<usize>) -> Result<Mapping<'w>> {
        let len = len.ok_or(Unsupported)?;
        self.writer.count(None);
        let (column, inline_first) = self.place.mapping();
        if len == 0 {
            self.writer.scalar(self.place, "{}");
        } else {
            self.writer.open(self.place);
        }
        Ok(Mapping {
            writer: self.writer,
            column,
            inline_first,
            announced: len,
            written: 0,
        })
    }

    fn sequence(self, len: Option<usize>) -> Result<Sequence<'w>> {
        let len = len.ok_or(Unsupported)?;
        self.writer.count(None);
        let (column, inline_first) = self.place.sequence();
        if len == 0 {
            self.writer.scalar(self.place, "[]");
        } else {
            self.writer.open(self.place);
        }
        Ok(Sequence {
            writer: self.writer,
            column,
            inline_first,
            announced: len,
            written: 0,
        })
    }
}

impl<'w> ser::Serializer for Node<'w> {
    type Ok = ();
    type Error = Unsupported;
    type SerializeSeq = Sequence<'w>;
    type SerializeTuple = ser::Impossible<(), Unsupported>;
    type SerializeTupleStruct = ser::Impossible<(), Unsupported>;
    type SerializeTupleVariant = ser::Impossible<(), Unsupported>;
    type SerializeMap = Mapping<'w>;
    type SerializeStruct = Mapping<'w>;
    type SerializeStructVariant = ser::Impossible<(), Unsupported>;

    fn serialize_bool(self, v: bool) -> Result {
        self.writer
            .typed(self.place, if v { "true" } else { "false" });
        Ok(())
    }

    fn serialize_i8(self, v: i8) -> Result {
        self.serialize_i64(v.into())
    }

    fn serialize_i16(self, v: i16) -> Result {
        self.serialize_i64(v.into())
    }

    fn serialize_i32(self, v: i32) -> Result {
        self.serialize_i64(v.into())
    }

    fn serialize_i64(self, v: i64) -> Result {
        self.writer.typed(self.place, &v.to_string());
        Ok(())
    }

    fn serialize_u8(self, v: u8) -> Result {
        self.serialize_u64(v.into())
    }

    fn serialize_u16(self, v: u16) -> Result {
        self.serialize_u64(v.into())
    }

    fn serialize_u32(self, v: u32) -> Result {
        self.serialize_u64(v.into())
    }

    fn serialize_u64(self, v: u64) -> Result {
        self.writer.typed(self.place, &v.to_string());
        Ok(())
    }

    fn serialize_f32(self, _: f32) -> Result {
        Err(Unsupported)
    }

    fn serialize_f64(self, _: f64) -> Result {
        Err(Unsupported)
    }

    fn serialize_char(self, _: char) -> Result {
        Err(Unsupported)
    }

    fn serialize_str(self, v: &str) -> Result {
        self.writer.string(self.place, v)
    }

    fn serialize_bytes(self, _: &[u8]) -> Result {
        Err(Unsupported)
    }

    fn serialize_none(self) -> Result {
        self.serialize_unit()
    }

    fn serialize_some<T: Serialize + ?Sized>(self, value: &T) -> Result {
        value.serialize(self)
    }

    fn serialize_unit(self) -> Result {
        self.writer.typed(self.place, "null");
        Ok(())
    }

    fn serialize_unit_struct(self, _: &'static str) -> Result {
        Err(Unsupported)
    }

    fn serialize_unit_variant(self, _: &'static str, _: u32, variant: &'static str) -> Result {
        self.serialize_str(variant)
    }

    fn serialize_newtype_struct<T: Serialize + ?Sized>(self, _: &'static str, value: &T) -> Result {
        value.serialize(self)
    }

    fn serialize_newtype_variant<T: Serialize + ?Sized>(
        self,
        _: &'static str,
        _: u32,
        _: &'static str,
        _: &T,
    ) -> Result {
        Err(Unsupported)
    }

    fn serialize_seq(self, len: Option<usize>) -> Result<Self::SerializeSeq> {
        self.sequence(len)
    }

    fn serialize_tuple(self, _: usize) -> Result<Self::SerializeTuple> {
        Err(Unsupported)
    }

    fn serialize_tuple_struct(
        self,
        _: &'static str,
        _: usize,
    ) -> Result<Self::SerializeTupleStruct> {
        Err(Unsupported)
    }

    fn serialize_tuple_variant(
        self,
        _: &'static str,
        _: u32,
        _: &'static str,
        _: usize,
    ) -> Result<Self::SerializeTupleVariant> {
        Err(Unsupported)
    }

    fn serialize_map(self, len: Option<usize>) -> Result<Self::SerializeMap> {
        self.mapping(len)
    }

    fn serialize_struct(self, _: &'static str, len: usize) -> Result<Self::SerializeStruct> {
        self.mapping(Some(len))
    }

    fn serialize_struct_variant(
        self,
        _: &'static str,
        _: u32,
        _: &'static str,
        _: usize,
    ) -> Result<Self::SerializeStructVariant> {
        Err(Unsupported)
    }
}

impl ser::SerializeSeq for Sequence<'_> {
    type Ok = ();
    type Error = Unsupported;

    fn serialize_element<T: Serialize + ?Sized>(&mut self, value: &T) -> Result {
        self.item(value)
    }

    fn end(self) -> Result {
        as_announced(self.written, self.announced)
    }
}

impl ser::SerializeStruct for Mapping<'_> {
    type Ok = ();
    type Error = Unsupported;

    fn serialize_field<T: Serialize + ?Sized>(&mut self, key: &'static str, value: &T) -> Result {
        self.key(key)?;
        self.value(value)
    }

    fn end(self) -> Result {
        as_announced(self.written, self.announced)
    }
}

impl ser::SerializeMap for Mapping<'_> {
    type Ok = ();
    type Error = Unsupported;

    fn serialize_key<T: Serialize + ?Sized>(&mut self, key: &T) -> Result {
        let key = key.serialize(KeyText)?;
        self.key(&key)
    }

    fn serialize_value<T: Serialize + ?Sized>(&mut self, value: &T) -> Result {
        self.value(value)
    }

    fn end(self) -> Result {
        as_announced(self.written, self.announced)
    }
}

/// The layout was chosen from the announced length (`[]` and `{}` for none), so a
/// collection that wrote another number of entries is left to `serde_yaml`.
fn as_announced(written: usize, announced: usize) -> Result {
    if written == announced {
        Ok(())
    } else {
        Err(Unsupported)
    }
}

/// Takes a mapping key that is a string; any other key is left to `serde_yaml`.
struct KeyText;

impl ser::Serializer for KeyText {
    type Ok = String;
    type Error = Unsupported;
    type SerializeSeq = ser::Impossible<String, Unsupported>;
    type SerializeTuple = ser::Impossible<String, Unsupported>;
    type SerializeTupleStruct = ser::Impossible<String, Unsupported>;
    type SerializeTupleVariant = ser::Impossible<String, Unsupported>;
    type SerializeMap = ser::Impossible<String, Unsupported>;
    type SerializeStruct = ser::Impossible<String, Unsupported>;
    type SerializeStructVariant = ser::Impossible<String, Unsupported>;

    fn serialize_str(self, v: &str) -> Result<String> {
        Ok(v.to_owned())
    }

    fn serialize_unit_variant(
        self,
        _: &'static str,
        _: u32,
        variant: &'static str,
    ) -> Result<String> {
        Ok(variant.to_owned())
    }

    fn serialize_newtype_struct<T: Serialize + ?Sized>(
        self,
        _: &'static str,
        value: &T,
    ) -> Result<String> {
        value.serialize(self)
    }

    fn serialize_bool(self, _: bool) -> Result<String> {
        Err(Unsupported)
    }
    fn serialize_i8(self, _: i8) -> Result<String> {
        Err(Unsupported)
    }
    fn serialize_i16(self, _: i16) -> Result<String> {
        Err(Unsupported)
    }
    fn serialize_i32(self, _: i32) -> Result<String> {
        Err(Unsupported)
    }
    fn serialize_i64(self, _: i64) -> Result<String> {
        Err(Unsupported)
    }
    fn serialize_u8(self, _: u8) -> Result<String> {
        Err(Unsupported)
    }
    fn serialize_u16(self, _: u16) -> Result<String> {
        Err(Unsupported)
    }
    fn serialize_u32(self, _: u32) -> Result<String> {
        Err(Unsupported)
    }
    fn serialize_u64(self, _: u64) -> Result<String> {
        Err(Unsupported)
    }
    fn serialize_f32(self, _: f32) -> Result<String> {
        Err(Unsupported)
    }
    fn serialize_f64(self, _: f64) -> Result<String> {
        Err(Unsupported)
    }
    fn serialize_char(self, _: char) -> Result<String> {
        Err(Unsupported)
    }
    fn serialize_bytes(self, _: &[u8]) -> Result<String> {
        Err(Unsupported)
    }
    fn serialize_none(self) -> Result<String> {
        Err(Unsupported)
    }
    fn serialize_some<T: Serialize + ?Sized>(self, _: &T) -> Result<String> {
        Err(Unsupported)
    }
    fn serialize_unit(self) -> Result<String> {
        Err(Unsupported)
    }
    fn serialize_unit_struct(self, _: &'static str) -> Result<String> {
        Err(Unsupported)
    }
    fn serialize_newtype_variant<T: Serialize + ?Sized>(
        self,
        _: &'static str,
        _: u32,
        _: &'static str,
        _: &T,
    ) -> Result<String> {
        Err(Unsupported)
    }
    fn serialize_seq(self, _: Option<usize>) -> Result<Self::SerializeSeq> {
        Err(Unsupported)
    }
    fn serialize_tuple(self, _: usize) -> Result<Self::SerializeTuple> {
        Err(Unsupported)
    }
    fn serialize_tuple_struct(
        self,
        _: &'static str,
        _: usize,
    ) -> Result<Self::SerializeTupleStruct> {
        Err(Unsupported)
    }
    fn serialize_tuple_variant(
        self,
        _: &'static str,
        _: u32,
        _: &'static str,
        _: usize,
    ) -> Result<Self::SerializeTupleVariant> {
        Err(Unsupported)
    }
    fn serialize_map(self, _: Option<usize>) -> Result<Self::SerializeMap> {
        Err(Unsupported)
    }
    fn serialize_struct(self, _: &'static str, _: usize) -> Result<Self::SerializeStruct> {
        Err(Unsupported)
    }
    fn serialize_struct_variant(
        self,
        _: &'static str,
        _: u32,
        _: &'static str,
        _: usize,
    ) -> Result<Self::SerializeStructVariant> {
        Err(Unsupported)
    }
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeMap;
    use std::path::{Path, PathBuf};

    use proptest::prelude::*;
    use serde_json::{json, Value};

    use super::*;
    use crate::diag::SourceFile;
    use crate::source::catalog::{parse_catalog, to_file};

    /// The fast writer's text, which must be `serde_yaml`'s; `None` when it gave up.
    fn both<T: Serialize + ?Sized>(value: &T) -> Option<String> {
        let fast = to_string(value).ok()?;
        let reference = serde_yaml::to_string(value).expect("serde_yaml writes it");
        assert_eq!(fast, reference, "the block writer differs from serde_yaml");
        Some(fast)
    }

    /// Strings that sit on an edge of libyaml's or serde_yaml's style rules.
    const EDGES: &[&str] = &[
        "plain words",
        "AC-1",
        "ac-2.1",
        "5.0.1",
        "5.0",
        "2021-06-08",
        "0123",
        "+12",
        "-12",
        "0x1F",
        "-0x1F",
        "0o17",
        "0b101",
        "1e5",
        "1_000",
        ".inf",
        "-.inf",
        "+.inf",
        ".nan",
        "inf",
        "nan",
        "infinity",
        "true",
        "True",
        "yes",
        "no",
        "on",
        "null",
        "~",
        "",
        " leading",
        "trailing ",
        "a: b",
        "a:b",
        "ends with:",
        "a #comment",
        "a#b",
        "# start",
        "- item",
        "-item",
        "-",
        "?",
        "? x",
        ":x",
        "---",
        "--- x",
        "...x",
        "[x]",
        "{x}",
        "x, y [z] {w}",
        "&anchor",
        "*alias",
        "!tag",
        "|pipe",
        ">fold",
        "'quoted'",
        "it's",
        "\"double\"",
        "%percent",
        "@at",
        "`tick",
        "tab\there",
        "bell\u{7}",
        "nel\u{85}x",
        "line\u{2028}sep",
        "bom\u{FEFF}",
        "non-char\u{FFFE}",
        "Grüße – “quotes” … §5 ≥ 2",
        "emoji 🙂",
        "two\nlines",
        "blank\n\nline",
        "  indented\nfirst",
        "\nleading break",
        "trailing break\n",
        "trailing breaks\n\n",
        "space \nbefore break",
        "after break\n  indented",
        "ends in space\nx ",
        "- list\n- in text",
        "# hash\nline",
        "a\n#b",
    ];

    #[test]
    fn every_edge_string_is_written_as_serde_yaml_writes_it_or_left_to_it() {
        let mut written = 0;
        for edge in EDGES {
            let documents = [
                json!({ "key": edge }),
                json!({ "items": [{ "id": "x", "text": edge }, edge] }),
                json!([edge, [edge, edge], { "in": [edge] }]),
                json!(edge),
            ];
            for document in &documents {
                written += usize::from(both(document).is_some());
            }
            let mut keyed = BTreeMap::new();
            keyed.insert(edge.to_string(), vec![*edge]);
            both(&keyed);
        }
        // The check would pass vacuously if the writer gave up everywhere.
        assert!(
            written > EDGES.len() * 3,
            "only {written} documents written"
        );
    }

    #[test]
    fn ordinary_catalog_text_takes_the_fast_path() {
        for value in [
            "plain words",
            "5.0",
            "a: b",
            "two\nlines",
            "it's",
            "Grüße – “quotes”",
            "tab\there",
            "trailing break\n",
            "space \nbefore break",
            " leading space\nand break",
        ] {
            assert!(both(&json!({ "k": value })).is_some(), "{value:?}");
        }
        for value in ["trailing breaks\n\n", "ok\u{2028}"] {
            assert!(to_string(&json!({ "k": value })).is_err(), "{value:?}");
        }
    }

    #[test]
    fn nesting_layouts_match_serde_yaml() {
        let document = json!({
            "empty-list": [],
            "empty-map": {},
            "numbers": [1, -2, 3],
            "flags": { "on": true, "off": false, "none": null },
            "nested": { "deeper": { "list": [[1, [2, 3]], [], {}], "text": "a\nb" } },
            "items": [
                { "id": "A", "parts": [{ "id": "A.1", "marks": ["x"] }], "text": "one\n\ntwo" },
                { "empty": [] },
                [],
                {},
                "a\nb",
            ],
        });
        assert!(both(&document).is_some());
        assert!(to_string(&json!({ "k": 1.5 })).is_err());
    }

    proptest! {
        #[test]
        fn the_ascii_analysis_agrees_with_the_walk(value in "[a-z :#?,'\\-.\n]{0,10}") {
            prop_assert_eq!(Analysis::of_printable_ascii(value.as_bytes()), Analysis::of_chars(&value));
        }
    }

    #[test]
    fn the_ascii_analysis_agrees_with_the_walk_on_every_edge() {
        for edge in EDGES
            .iter()
            .filter(|e| e.bytes().all(|b| matches!(b, b' '..=b'~' | b'\n')))
        {
            assert_eq!(
                Analysis::of_printable_ascii(edge.as_bytes()),
                Analysis::of_chars(edge),
                "{edge:?}"
            );
        }
    }

    fn edge_or_word() -> impl Strategy<Value = String> {
        prop_oneof![
            prop::sample::select(EDGES).prop_map(str::to_owned),
            "[a-z0-9 :#'\"\\-.\n]{0,12}",
            any::<String>(),
        ]
    }

    fn document() -> impl Strategy<Value = Value> {
        let leaf = prop_oneof![
            edge_or_word().prop_map(Value::String),
            any::<i64>().prop_map(Value::from),
            any::<bool>().prop_map(Value::Bool),
            Just(Value::Null),
        ];
        leaf.prop_recursive(4, 48, 6, |inner| {
            prop_oneof![
                prop::collection::vec(inner.clone(), 0..6).prop_map(Value::Array),
                prop::collection::btree_map(edge_or_word(), inner, 0..6)
                    .prop_map(|map| Value::Object(map.into_iter().collect())),
            ]
        })
    }

    proptest! {
        #[test]
        fn generated_documents_are_written_as_serde_yaml_writes_them(document in document()) {
            both(&document);
        }
    }

    fn manifest() -> PathBuf {
        PathBuf::from(env!("CARGO_MANIFEST_DIR"))
    }

    fn yaml_files(folder: &Path, found: &mut Vec<PathBuf>) {
        let mut entries: Vec<_> = std::fs::read_dir(folder)
            .expect("folder")
            .map(|e| e.expect("entry").path())
            .collect();
        entries.sort();
        for path in entries {
            if path.is_dir() {
                yaml_files(&path, found);
            } else if path.extension().is_some_and(|e| e == "yaml") {
                found.push(path);
            }
        }
    }

    #[test]
    fn every_catalog_and_mapping_in_the_repository_is_written_by_the_fast_path() {
        let mut files = Vec::new();
        yaml_files(&manifest().join("standards"), &mut files);
        yaml_files(&manifest().join("mappings"), &mut files);
        let mut catalogs = 0;
        for path in &files {
            let file = crate::source::read_text(path).expect("readable");
            let value = crate::source::yaml::parse_value(&file).expect("YAML");
            assert!(
                both(&value).is_some(),
                "{} left to serde_yaml",
                path.display()
            );
            if let Ok(catalog) = parse_catalog(
                &file,
                crate::model::Origin::File(path.display().to_string()),
            ) {
                let raw = to_file(&catalog);
                assert!(both(&raw).is_some(), "{}", path.display());
                let (text, counts) = write(&raw).expect("written");
                let loaded =
                    super::super::Document::parse(&SourceFile::new("t", text)).expect("reads");
                assert_eq!(counts.nodes, loaded.root.size(), "{}", path.display());
                catalogs += 1;
            }
        }
        assert!(
            catalogs >= 10,
            "only {catalogs} catalogs among {} files",
            files.len()
        );
    }
}
