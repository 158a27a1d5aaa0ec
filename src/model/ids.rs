//! Identifiers. Each kind of ID is its own type so that a control ID can never be
//! passed where a requirement ID is expected.

use std::cmp::Ordering;
use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Serialize};

macro_rules! string_id {
    ($(#[$doc:meta])* $name:ident) => {
        $(#[$doc])*
        #[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
        #[serde(transparent)]
        pub struct $name(String);

        impl $name {
            /// The ID as written, without checking its characters.
            pub fn new(value: impl Into<String>) -> Self {
                Self(value.into())
            }
            /// The ID as written.
            pub fn as_str(&self) -> &str {
                &self.0
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(&self.0)
            }
        }

        impl std::borrow::Borrow<str> for $name {
            fn borrow(&self) -> &str {
                &self.0
            }
        }

        impl From<&str> for $name {
            fn from(value: &str) -> Self {
                Self(value.to_owned())
            }
        }
    };
}

/// Why a text cannot be an ID. IDs are compared and shown character for character, so
/// a character that is invisible or changes how its neighbours display would let two IDs
/// look alike (or one look like another) while differing, and a reviewer would take two
/// entries for one.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum IdProblem {
    /// A control, bidirectional-formatting or invisible character, at a character index.
    Hidden {
        /// The character.
        character: char,
        /// Its index, in characters.
        index: usize,
    },
    /// White space at the start or the end.
    SurroundingSpace {
        /// The character.
        character: char,
        /// Its index, in characters.
        index: usize,
    },
}

impl IdProblem {
    /// The offending character's index (in characters) within the ID.
    pub fn index(self) -> usize {
        match self {
            IdProblem::Hidden { index, .. } | IdProblem::SurroundingSpace { index, .. } => index,
        }
    }
}

impl fmt::Display for IdProblem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match *self {
            IdProblem::Hidden { character, .. } => {
                write!(
                    f,
                    "holds {}, which is not a printable character",
                    describe_char(character)
                )
            }
            IdProblem::SurroundingSpace { character, index } => {
                let end = if index == 0 { "begins" } else { "ends" };
                write!(f, "{end} with {}", describe_char(character))
            }
        }
    }
}

/// Checks the characters of an ID: printable, with no control, bidirectional-override or
/// invisible formatting characters, and no white space at either end. (An empty ID is
/// reported by the loaders with their own wording.)
pub fn check_id_characters(value: &str) -> Result<(), IdProblem> {
    if let Some((index, character)) = value.chars().enumerate().find(|&(_, c)| is_unprintable(c)) {
        return Err(IdProblem::Hidden { character, index });
    }
    if let Some(character) = value.chars().next().filter(|c| c.is_whitespace()) {
        return Err(IdProblem::SurroundingSpace {
            character,
            index: 0,
        });
    }
    let count = value.chars().count();
    match value.chars().next_back().filter(|c| c.is_whitespace()) {
        Some(character) => Err(IdProblem::SurroundingSpace {
            character,
            index: count - 1,
        }),
        None => Ok(()),
    }
}

/// `value` with every unprintable character, and white space at either end, written as
/// a visible `\u{..}` escape, for messages that quote an ID.
pub fn shown(value: &str) -> String {
    let last = value.chars().count().saturating_sub(1);
    let mut out = String::with_capacity(value.len());
    for (i, c) in value.chars().enumerate() {
        let at_end = (i == 0 || i == last) && c.is_whitespace();
        if is_unprintable(c) || at_end {
            out.push_str(&format!("\\u{{{:x}}}", u32::from(c)));
        } else {
            out.push(c);
        }
    }
    out
}

pub use crate::visible::is_unprintable;

/// `U+202E RIGHT-TO-LEFT OVERRIDE`, or `U+XXXX` for characters without a listed name.
pub fn describe_char(c: char) -> String {
    let name = match c {
        '\0' => "NULL",
        '\t' => "CHARACTER TABULATION (tab)",
        '\n' => "LINE FEED",
        '\r' => "CARRIAGE RETURN",
        '\u{1B}' => "ESCAPE",
        '\u{7F}' => "DELETE",
        ' ' => "SPACE",
        '\u{A0}' => "NO-BREAK SPACE",
        '\u{AD}' => "SOFT HYPHEN",
        '\u{200B}' => "ZERO WIDTH SPACE",
        '\u{200C}' => "ZERO WIDTH NON-JOINER",
        '\u{200D}' => "ZERO WIDTH JOINER",
        '\u{200E}' => "LEFT-TO-RIGHT MARK",
        '\u{200F}' => "RIGHT-TO-LEFT MARK",
        '\u{202A}' => "LEFT-TO-RIGHT EMBEDDING",
        '\u{202B}' => "RIGHT-TO-LEFT EMBEDDING",
        '\u{202C}' => "POP DIRECTIONAL FORMATTING",
        '\u{202D}' => "LEFT-TO-RIGHT OVERRIDE",
        '\u{202E}' => "RIGHT-TO-LEFT OVERRIDE",
        '\u{2066}' => "LEFT-TO-RIGHT ISOLATE",
        '\u{2067}' => "RIGHT-TO-LEFT ISOLATE",
        '\u{2068}' => "FIRST STRONG ISOLATE",
        '\u{2069}' => "POP DIRECTIONAL ISOLATE",
        '\u{3000}' => "IDEOGRAPHIC SPACE",
        '\u{FEFF}' => "ZERO WIDTH NO-BREAK SPACE (byte-order mark)",
        _ => return format!("U+{:04X}", u32::from(c)),
    };
    format!("U+{:04X} {name}", u32::from(c))
}

string_id!(
    /// A requirement ID as printed in the standard, e.g. `REQ-7.9.3-01` or `ac-2.1`.
    RequirementId
);
string_id!(
    /// A clause or group number, e.g. `7.9.3`.
    SectionId
);
string_id!(
    /// A control of the organisation's inventory, e.g. `GOV-01`.
    ControlId
);
string_id!(
    /// A person or role responsible for controls and gaps.
    OwnerId
);
string_id!(
    /// A piece of evidence attached to a control.
    EvidenceId
);
string_id!(
    /// The slug that names a standard across all its versions, e.g. `etsi-en-319-401`.
    StandardSlug
);

impl StandardSlug {
    /// Slugs are lower-case ASCII letters, digits and inner hyphens, so they can be used
    /// in file names, URLs and gap keys without quoting.
    pub fn is_valid(value: &str) -> bool {
        !value.is_empty()
            && !value.starts_with('-')
            && !value.ends_with('-')
            && value
                .bytes()
                .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
    }
}

impl SectionId {
    /// True when `self` is `prefix` or lies below it (`7.9.3` is within `7.9` and `7`,
    /// not within `7.1`).
    pub fn is_within(&self, prefix: &str) -> bool {
        let own = self.as_str();
        own == prefix
            || (own.len() > prefix.len()
                && own.starts_with(prefix)
                && own.as_bytes()[prefix.len()] == b'.')
    }

    /// The enclosing clause (`7.9` for `7.9.3`), if any.
    pub fn parent(&self) -> Option<SectionId> {
        self.0
            .rsplit_once('.')
            .map(|(head, _)| SectionId::new(head))
    }
}

/// A version of a standard. Versions order by their dotted parts: numeric parts compare
/// as numbers (`2.10.0` > `2.9.1`), a numeric part sorts before a textual one, textual parts
/// compare as text, and a version that is a prefix of another sorts first (`3.1` < `3.1.1`).
#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(transparent)]
pub struct Version(String);

impl Version {
    /// A version as written, without checking it.
    pub fn new(value: impl Into<String>) -> Self {
        Self(value.into())
    }
    /// The version as written.
    pub fn as_str(&self) -> &str {
        &self.0
    }
    /// True for letters, digits and `.`, `-`, `_`, `+`.
    pub fn is_valid(value: &str) -> bool {
        !value.is_empty()
            && value
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '-' | '_' | '+'))
    }
}

#[derive(PartialEq, Eq, PartialOrd, Ord)]
enum VersionPart<'a> {
    Number(u64),
    Text(&'a str),
}

fn version_parts(v: &str) -> impl Iterator<Item = VersionPart<'_>> {
    v.split('.').map(|part| match part.parse::<u64>() {
        Ok(n) if !part.is_empty() && part.bytes().all(|b| b.is_ascii_digit()) => {
            VersionPart::Number(n)
        }
        _ => VersionPart::Text(part),
    })
}

impl Ord for Version {
    fn cmp(&self, other: &Self) -> Ordering {
        version_parts(&self.0)
            .cmp(version_parts(&other.0))
            .then_with(|| self.0.cmp(&other.0))
    }
}

impl PartialOrd for Version {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

impl fmt::Display for Version {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// One version of one standard: `<standard>@<version>`.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct CatalogKey {
    /// The standard.
    pub standard: StandardSlug,
    /// The version.
    pub version: Version,
}

impl CatalogKey {
    /// `standard@version`, without checking either.
    pub fn new(standard: impl Into<String>, version: impl Into<String>) -> Self {
        Self {
            standard: StandardSlug::new(standard),
            version: Version::new(version),
        }
    }

    /// Requirement `id` of this catalog.
    pub fn requirement(&self, id: &RequirementId) -> RequirementKey {
        RequirementKey {
            catalog: self.clone(),
            id: id.clone(),
        }
    }
}

impl fmt::Display for CatalogKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}@{}", self.standard, self.version)
    }
}

/// Why a `<standard>@<version>` string could not be read.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum KeyParseError {
    /// There is no `@` between standard and version.
    #[error("`{0}` is not of the form <standard>@<version>, e.g. etsi-en-319-401@3.2.1")]
    MissingAt(String),
    /// The standard is not a valid slug.
    #[error("`{0}` is not a valid standard slug (lower-case letters, digits and hyphens)")]
    BadStandard(String),
    /// The version is not valid.
    #[error("`{0}` is not a valid version (letters, digits and . - _ +)")]
    BadVersion(String),
    /// There is no `:<requirement-id>` after the catalog.
    #[error("`{0}` is not of the form <standard>@<version>:<requirement-id>")]
    MissingRequirement(String),
}

impl FromStr for CatalogKey {
    type Err = KeyParseError;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let (standard, version) = s
            .split_once('@')
            .ok_or_else(|| KeyParseError::MissingAt(s.to_owned()))?;
        if !StandardSlug::is_valid(standard) {
            return Err(KeyParseError::BadStandard(standard.to_owned()));
        }
        if !Version::is_valid(version) {
            return Err(KeyParseError::BadVersion(version.to_owned()));
        }
        Ok(CatalogKey::new(standard, version))
    }
}

impl Serialize for CatalogKey {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_str(self)
    }
}

impl<'de> Deserialize<'de> for CatalogKey {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let text = String::deserialize(deserializer)?;
        text.parse().map_err(serde::de::Error::custom)
    }
}

/// One requirement of one version of one standard: `<standard>@<version>:<id>`.
/// Nothing in reqgap is keyed on a bare requirement ID: IDs are reused across versions
/// with other meanings.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct RequirementKey {
    /// The catalog.
    pub catalog: CatalogKey,
    /// The requirement's ID in it.
    pub id: RequirementId,
}

impl fmt::Display for RequirementKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}:{}", self.catalog, self.id)
    }
}

impl FromStr for RequirementKey {
    type Err = KeyParseError;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let at = s
            .find('@')
            .ok_or_else(|| KeyParseError::MissingAt(s.to_owned()))?;
        let colon = s[at..]
            .find(':')
            .map(|i| at + i)
            .ok_or_else(|| KeyParseError::MissingRequirement(s.to_owned()))?;
        let catalog: CatalogKey = s[..colon].parse()?;
        let id = &s[colon + 1..];
        if id.is_empty() {
            return Err(KeyParseError::MissingRequirement(s.to_owned()));
        }
        Ok(catalog.requirement(&RequirementId::new(id)))
    }
}

impl Serialize for RequirementKey {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_str(self)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn versions_order_numerically_by_dotted_parts() {
        let mut versions: Vec<Version> = ["2.9.1", "2.10.0", "3.1", "3.1.1", "10", "2.2.1"]
            .into_iter()
            .map(Version::new)
            .collect();
        versions.sort();
        let sorted: Vec<&str> = versions.iter().map(Version::as_str).collect();
        assert_eq!(sorted, ["2.2.1", "2.9.1", "2.10.0", "3.1", "3.1.1", "10"]);
    }

    #[test]
    fn numeric_parts_sort_before_textual_ones() {
        assert!(Version::new("1.0") < Version::new("1.rc1"));
        assert!(Version::new("2022-2555") > Version::new("2022"));
        assert!(Version::new("rev4") < Version::new("rev5"));
    }

    #[test]
    fn catalog_and_requirement_keys_round_trip() {
        let key: RequirementKey = "etsi-en-319-401@3.2.1:REQ-7.9.3-01".parse().unwrap();
        assert_eq!(key.catalog, CatalogKey::new("etsi-en-319-401", "3.2.1"));
        assert_eq!(key.id.as_str(), "REQ-7.9.3-01");
        assert_eq!(key.to_string(), "etsi-en-319-401@3.2.1:REQ-7.9.3-01");
        assert!("etsi-en-319-401".parse::<CatalogKey>().is_err());
        assert!("ETSI@3.2.1".parse::<CatalogKey>().is_err());
        assert!("etsi@3.2.1:".parse::<RequirementKey>().is_err());
    }

    #[test]
    fn ids_are_printable_without_surrounding_space() {
        assert_eq!(check_id_characters("REQ-7.9.3-01"), Ok(()));
        assert_eq!(check_id_characters("Kontrolle Ä 1"), Ok(()));
        let rlo = check_id_characters("GOV\u{202E}01").unwrap_err();
        assert_eq!(rlo.index(), 3);
        assert_eq!(
            rlo.to_string(),
            "holds U+202E RIGHT-TO-LEFT OVERRIDE, which is not a printable character"
        );
        assert!(check_id_characters("A\0B").is_err());
        assert!(check_id_characters("A\nB").is_err());
        assert_eq!(
            check_id_characters("GOV-01\u{A0}").unwrap_err().to_string(),
            "ends with U+00A0 NO-BREAK SPACE"
        );
        assert_eq!(
            check_id_characters(" GOV").unwrap_err().to_string(),
            "begins with U+0020 SPACE"
        );
    }

    #[test]
    fn sections_nest_by_dotted_prefix() {
        let s = SectionId::new("7.9.3");
        assert!(s.is_within("7.9"));
        assert!(s.is_within("7"));
        assert!(s.is_within("7.9.3"));
        assert!(!s.is_within("7.1"));
        assert!(!SectionId::new("7.10").is_within("7.1"));
        assert_eq!(s.parent(), Some(SectionId::new("7.9")));
    }
}
