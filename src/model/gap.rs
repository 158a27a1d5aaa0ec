//! Gaps as data: their kinds, severities and stable keys. The analysis that finds them is
//! in [`crate::gaps`]; the kinds and keys live here because waivers, baselines and policies
//! (read by `source`) name them.

use std::fmt;
use std::str::FromStr;

use serde::{Serialize, Serializer};

use super::ids::{CatalogKey, ControlId, EvidenceId, KeyParseError, RequirementKey};

#[derive(
    Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, serde::Deserialize,
)]
/// The kinds of gap, each with a stable kebab-case code (see docs/gaps.md).
#[serde(rename_all = "kebab-case")]
pub enum GapKind {
    /// `uncovered`: no control meets an active requirement of a target.
    Uncovered,
    /// `partial`: controls meet a requirement only in part.
    Partial,
    /// `needs-review`: a claim must be reviewed before it counts (the requirement changed,
    /// the pair is uncertain, a not-applicable decision is due for review).
    NeedsReview,
    /// `stale-reference`: a mapping names a requirement's old ID.
    StaleReference,
    /// `broken-dependency`: a claiming control depends on a retired or planned control.
    BrokenDependency,
    /// `unowned`: nobody answers for an uncovered requirement or a control.
    Unowned,
    /// `stale-evidence`: an evidence item's review is overdue.
    StaleEvidence,
    /// `newer-version`: a later version of a target's standard is known.
    NewerVersion,
    /// `obsolete-mapping`: a mapped requirement has no successor in the target.
    ObsoleteMapping,
    /// `no-evidence`: an active control lists no evidence.
    NoEvidence,
}

impl GapKind {
    /// Every kind, in the order reports list them.
    pub const ALL: [GapKind; 10] = [
        GapKind::Uncovered,
        GapKind::Partial,
        GapKind::NeedsReview,
        GapKind::StaleReference,
        GapKind::BrokenDependency,
        GapKind::Unowned,
        GapKind::StaleEvidence,
        GapKind::NewerVersion,
        GapKind::ObsoleteMapping,
        GapKind::NoEvidence,
    ];

    /// The stable kebab-case code used in gap keys, filters, policies, waivers and SARIF.
    pub fn code(self) -> &'static str {
        match self {
            GapKind::Uncovered => "uncovered",
            GapKind::Partial => "partial",
            GapKind::NeedsReview => "needs-review",
            GapKind::StaleReference => "stale-reference",
            GapKind::BrokenDependency => "broken-dependency",
            GapKind::Unowned => "unowned",
            GapKind::StaleEvidence => "stale-evidence",
            GapKind::NewerVersion => "newer-version",
            GapKind::ObsoleteMapping => "obsolete-mapping",
            GapKind::NoEvidence => "no-evidence",
        }
    }

    /// One line saying what the gap means.
    pub fn description(self) -> &'static str {
        match self {
            GapKind::Uncovered => "No active control covers this requirement of the target version.",
            GapKind::Partial => "Controls cover only part of this requirement.",
            GapKind::NeedsReview => {
                "A control's mapping was made against an older text that changed in substance (or was split, merged or matched with low confidence); its owner must review it."
            }
            GapKind::StaleReference => {
                "A control maps to an ID that was renumbered; the coverage still counts, but the mapping should name the new ID."
            }
            GapKind::BrokenDependency => {
                "A covering control depends, directly or transitively, on a retired or planned control, so its coverage does not count."
            }
            GapKind::Unowned => "A control, or an uncovered requirement, has nobody responsible for it.",
            GapKind::StaleEvidence => "Evidence of a control was not reviewed within its review interval.",
            GapKind::NewerVersion => {
                "A newer version of a target standard is known: plan the transition before it takes effect."
            }
            GapKind::ObsoleteMapping => {
                "A control maps to a requirement that was removed from the target version; the mapping is kept and reported, never dropped."
            }
            GapKind::NoEvidence => {
                "An active control has no evidence at all, so nothing shows that it operates."
            }
        }
    }

    /// The kind whose code is `code`.
    pub fn from_code(code: &str) -> Option<GapKind> {
        GapKind::ALL.into_iter().find(|k| k.code() == code)
    }

    /// How serious the kind is for a `shall` requirement.
    pub fn base_severity(self) -> Severity {
        match self {
            GapKind::Uncovered | GapKind::BrokenDependency | GapKind::Unowned => Severity::High,
            GapKind::Partial
            | GapKind::NeedsReview
            | GapKind::StaleEvidence
            | GapKind::NewerVersion => Severity::Medium,
            GapKind::StaleReference | GapKind::NoEvidence => Severity::Low,
            GapKind::ObsoleteMapping => Severity::Info,
        }
    }
}

impl fmt::Display for GapKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.code())
    }
}

/// How serious a gap is.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Severity {
    /// For information.
    Info,
    /// Low.
    Low,
    /// Medium.
    Medium,
    /// High.
    High,
}

enum_names!(Severity {
    Info => "info",
    Low => "low",
    Medium => "medium",
    High => "high",
});

impl Severity {
    /// One step less serious (a `should` requirement weighs less than a `shall`).
    pub fn lower(self) -> Severity {
        match self {
            Severity::High => Severity::Medium,
            Severity::Medium => Severity::Low,
            Severity::Low | Severity::Info => Severity::Info,
        }
    }
}

/// What a gap is about; together with the kind it makes the gap's [`GapKey`].
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum GapSubject {
    /// A requirement of a target (`uncovered`, `partial`, an unowned requirement).
    Requirement(RequirementKey),
    /// One control's mapping to a requirement (`needs-review`, `stale-reference`,
    /// `broken-dependency`, `obsolete-mapping`).
    Claim {
        /// The requirement the mapping names (in the target version).
        requirement: RequirementKey,
        /// The control that maps to it.
        control: ControlId,
    },
    /// A control alone (an unowned control).
    Control(ControlId),
    /// One piece of evidence of a control (`stale-evidence`).
    Evidence {
        /// The control.
        control: ControlId,
        /// The evidence item.
        evidence: EvidenceId,
    },
    /// A version of a standard (`newer-version`).
    Catalog(CatalogKey),
}

/// The stable identity of a gap across runs: waivers, baselines and SARIF fingerprints name
/// gaps by it. Written as
/// `<kind>:<standard>@<version>:<requirement>[:<control>]`,
/// `<kind>:control:<control>[:<evidence>]` or `<kind>:<standard>@<version>`.
/// Requirement and control IDs in keys must not contain `:`.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct GapKey {
    /// What kind of gap.
    pub kind: GapKind,
    /// What it is about.
    pub subject: GapSubject,
}

impl GapKey {
    /// The key of a gap of `kind` about `subject`.
    pub fn new(kind: GapKind, subject: GapSubject) -> Self {
        GapKey { kind, subject }
    }

    /// The requirement the gap is about, if any.
    pub fn requirement(&self) -> Option<&RequirementKey> {
        match &self.subject {
            GapSubject::Requirement(requirement) | GapSubject::Claim { requirement, .. } => {
                Some(requirement)
            }
            _ => None,
        }
    }

    /// The control the gap is about, if any.
    pub fn control(&self) -> Option<&ControlId> {
        match &self.subject {
            GapSubject::Claim { control, .. }
            | GapSubject::Control(control)
            | GapSubject::Evidence { control, .. } => Some(control),
            _ => None,
        }
    }

    /// The scope part of the key (`<standard>@<version>` or `control`) and the rest after
    /// it, as written; the rest is what a waiver's trailing `*` extends.
    fn scope_and_rest(&self) -> (Scope, String) {
        match &self.subject {
            GapSubject::Requirement(r) => (Scope::Catalog(r.catalog.clone()), r.id.to_string()),
            GapSubject::Claim {
                requirement,
                control,
            } => (
                Scope::Catalog(requirement.catalog.clone()),
                format!("{}:{control}", requirement.id),
            ),
            GapSubject::Control(control) => (Scope::Control, control.to_string()),
            GapSubject::Evidence { control, evidence } => {
                (Scope::Control, format!("{control}:{evidence}"))
            }
            GapSubject::Catalog(catalog) => (Scope::Catalog(catalog.clone()), String::new()),
        }
    }
}

impl fmt::Display for GapKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let kind = self.kind;
        match &self.subject {
            GapSubject::Requirement(r) => write!(f, "{kind}:{r}"),
            GapSubject::Claim {
                requirement,
                control,
            } => write!(f, "{kind}:{requirement}:{control}"),
            GapSubject::Control(control) => write!(f, "{kind}:control:{control}"),
            GapSubject::Evidence { control, evidence } => {
                write!(f, "{kind}:control:{control}:{evidence}")
            }
            GapSubject::Catalog(catalog) => write!(f, "{kind}:{catalog}"),
        }
    }
}

/// Compares with a key's text, for tests and filters that hold keys as text.
impl PartialEq<str> for GapKey {
    fn eq(&self, other: &str) -> bool {
        other.parse::<GapKey>().is_ok_and(|key| key == *self)
    }
}

impl PartialEq<&str> for GapKey {
    fn eq(&self, other: &&str) -> bool {
        *self == **other
    }
}

/// Why a gap key could not be read.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum GapKeyError {
    /// The text before the first `:` is not a gap kind.
    #[error("`{0}` does not start with a gap kind")]
    UnknownKind(String),
    /// Nothing follows the kind.
    #[error("`{0}` names no requirement, control or catalog after the kind")]
    MissingSubject(String),
    /// The catalog part is not `<standard>@<version>`.
    #[error(transparent)]
    Catalog(#[from] KeyParseError),
}

impl FromStr for GapKey {
    type Err = GapKeyError;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let (kind, rest) = s
            .split_once(':')
            .ok_or_else(|| GapKeyError::UnknownKind(s.to_owned()))?;
        let kind =
            GapKind::from_code(kind).ok_or_else(|| GapKeyError::UnknownKind(s.to_owned()))?;
        let missing = || GapKeyError::MissingSubject(s.to_owned());
        let subject = if let Some(control_part) = rest.strip_prefix("control:") {
            match control_part.split_once(':') {
                Some((control, evidence)) if !control.is_empty() && !evidence.is_empty() => {
                    GapSubject::Evidence {
                        control: ControlId::new(control),
                        evidence: EvidenceId::new(evidence),
                    }
                }
                None if !control_part.is_empty() => {
                    GapSubject::Control(ControlId::new(control_part))
                }
                _ => return Err(missing()),
            }
        } else {
            let (catalog, tail) = split_catalog(rest);
            let catalog: CatalogKey = catalog.parse()?;
            match tail {
                None => GapSubject::Catalog(catalog),
                Some(tail) => match tail.split_once(':') {
                    Some((id, control)) if !id.is_empty() && !control.is_empty() => {
                        GapSubject::Claim {
                            requirement: catalog.requirement(&id.into()),
                            control: ControlId::new(control),
                        }
                    }
                    None if !tail.is_empty() => {
                        GapSubject::Requirement(catalog.requirement(&tail.into()))
                    }
                    _ => return Err(missing()),
                },
            }
        };
        Ok(GapKey { kind, subject })
    }
}

/// `<standard>@<version>` and what follows its first `:` (versions contain no `:`).
fn split_catalog(text: &str) -> (&str, Option<&str>) {
    let after_at = text.find('@').map_or(0, |at| at + 1);
    match text[after_at..].find(':') {
        Some(i) => (&text[..after_at + i], Some(&text[after_at + i + 1..])),
        None => (text, None),
    }
}

impl Serialize for GapKey {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_str(self)
    }
}

impl<'de> serde::Deserialize<'de> for GapKey {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let text = String::deserialize(deserializer)?;
        text.parse().map_err(serde::de::Error::custom)
    }
}

#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
enum Scope {
    Catalog(CatalogKey),
    Control,
}

/// A waiver's `gap`: a gap key, or a key prefix ending in `*` for a whole requirement,
/// section or control. Kind and scope (the `<standard>@<version>` or `control`) are
/// compared as values; only the IDs after them are compared as a prefix, so
/// `uncovered:demo@2.0:DSO-*` cannot match a gap of `demo@2.0.1`.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub struct GapPattern {
    text: String,
    kind: GapKind,
    scope: Scope,
    /// The IDs after the scope (without the `*`).
    rest: String,
    wildcard: bool,
}

/// Why a waiver's `gap` cannot be used.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum PatternError {
    /// The pattern is empty.
    Empty,
    /// `*` anywhere but at the end.
    InnerWildcard,
    /// The part before the first `:` is not a gap kind.
    UnknownKind(String),
    /// A wildcard must follow at least `<kind>:<scope>:<start of an ID>`, so that it cannot
    /// waive a whole kind, a whole target or everything at once.
    TooBroad,
    /// The scope is neither `control` nor a valid `<standard>@<version>`.
    BadScope(String),
}

impl PatternError {
    /// The error, for people, naming `pattern`.
    pub fn message(&self, pattern: &str) -> String {
        match self {
            PatternError::Empty => "the waiver's gap key is empty".into(),
            PatternError::InnerWildcard => {
                format!("`{pattern}`: `*` is only allowed at the end of a gap key")
            }
            PatternError::UnknownKind(kind) => {
                format!("`{pattern}` does not start with a gap kind (`{kind}` is not one)")
            }
            PatternError::TooBroad => format!(
                "`{pattern}` is too broad: a wildcard must follow at least `<kind>:<standard>@<version>:<start of a requirement ID>` or `<kind>:control:<start of a control ID>`"
            ),
            PatternError::BadScope(why) => format!("`{pattern}`: {why}"),
        }
    }
}

impl GapPattern {
    /// Reads a waiver's `gap`: a gap key, or a prefix of one ending in `*`.
    pub fn parse(text: &str) -> Result<GapPattern, PatternError> {
        let text = text.trim();
        if text.is_empty() {
            return Err(PatternError::Empty);
        }
        let stem = text.strip_suffix('*').unwrap_or(text);
        let wildcard = stem.len() != text.len();
        if stem.contains('*') {
            return Err(PatternError::InnerWildcard);
        }
        let (kind_code, after_kind) = stem.split_once(':').unwrap_or((stem, ""));
        let Some(kind) = GapKind::from_code(kind_code) else {
            if text == "*" || stem.is_empty() {
                return Err(PatternError::TooBroad);
            }
            return Err(PatternError::UnknownKind(kind_code.to_string()));
        };
        let (scope, rest) = if let Some(rest) = after_kind.strip_prefix("control:") {
            (Scope::Control, Some(rest))
        } else {
            let (catalog, rest) = split_catalog(after_kind);
            if wildcard && rest.is_none() {
                return Err(PatternError::TooBroad);
            }
            let catalog = catalog
                .parse()
                .map_err(|e: KeyParseError| PatternError::BadScope(e.to_string()))?;
            (Scope::Catalog(catalog), rest)
        };
        let rest = rest.unwrap_or_default();
        if wildcard && rest.is_empty() {
            return Err(PatternError::TooBroad);
        }
        Ok(GapPattern {
            text: text.to_string(),
            kind,
            scope,
            rest: rest.to_string(),
            wildcard,
        })
    }

    /// The pattern as written.
    pub fn as_str(&self) -> &str {
        &self.text
    }

    /// True when it ends in `*`.
    pub fn is_wildcard(&self) -> bool {
        self.wildcard
    }

    /// The kind of gap it names.
    pub fn kind(&self) -> GapKind {
        self.kind
    }

    /// True when `key` is the key named, or starts with the prefix before `*`.
    pub fn matches(&self, key: &GapKey) -> bool {
        if key.kind != self.kind {
            return false;
        }
        let (scope, rest) = key.scope_and_rest();
        scope == self.scope
            && if self.wildcard {
                rest.starts_with(&self.rest)
            } else {
                rest == self.rest
            }
    }

    /// How specific the pattern is: an exact key beats any prefix, a longer prefix a shorter.
    pub fn specificity(&self) -> (bool, usize) {
        (!self.wildcard, self.text.len())
    }
}

impl fmt::Display for GapPattern {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.text)
    }
}

impl Serialize for GapPattern {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(&self.text)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_are_unique_kebab_case_and_round_trip() {
        let mut codes: Vec<&str> = GapKind::ALL.iter().map(|k| k.code()).collect();
        for code in &codes {
            assert!(
                code.bytes().all(|b| b.is_ascii_lowercase() || b == b'-'),
                "{code}"
            );
            assert_eq!(GapKind::from_code(code).map(GapKind::code), Some(*code));
        }
        codes.sort_unstable();
        codes.dedup();
        assert_eq!(codes.len(), GapKind::ALL.len());
    }

    #[test]
    fn serde_names_equal_codes() {
        for kind in GapKind::ALL {
            assert_eq!(serde_json::to_value(kind).unwrap(), kind.code());
            assert!(!kind.description().is_empty());
        }
    }
}

#[cfg(test)]
mod doc_tests {
    use super::GapKind;

    /// The documentation's table is written from the same descriptions as the code.
    #[test]
    fn docs_list_every_kind_with_its_description() {
        let doc = include_str!("../../docs/gaps.md");
        for kind in GapKind::ALL {
            let row = format!(
                "| `{}` | {} | {} |",
                kind.code(),
                kind.base_severity(),
                kind.description()
            );
            assert!(doc.contains(&row), "docs/gaps.md lacks the row:\n{row}");
        }
    }
}

#[cfg(test)]
mod key_tests {
    use proptest::prelude::*;

    use super::*;

    fn id() -> impl Strategy<Value = String> {
        "[A-Za-z0-9][A-Za-z0-9._-]{0,12}"
    }

    fn catalog() -> impl Strategy<Value = CatalogKey> {
        (
            "[a-z][a-z0-9]{0,6}(-[a-z0-9]{1,4}){0,3}",
            "[0-9]{1,2}(\\.[0-9]{1,2}){0,2}",
        )
            .prop_map(|(s, v)| CatalogKey::new(s, v))
    }

    fn subject() -> impl Strategy<Value = GapSubject> {
        prop_oneof![
            (catalog(), id())
                .prop_map(|(c, r)| GapSubject::Requirement(c.requirement(&r.as_str().into()))),
            (catalog(), id(), id()).prop_map(|(c, r, k)| GapSubject::Claim {
                requirement: c.requirement(&r.as_str().into()),
                control: ControlId::new(k),
            }),
            id().prop_map(|k| GapSubject::Control(ControlId::new(k))),
            (id(), id()).prop_map(|(k, e)| GapSubject::Evidence {
                control: ControlId::new(k),
                evidence: EvidenceId::new(e),
            }),
            catalog().prop_map(GapSubject::Catalog),
        ]
    }

    proptest! {
        #[test]
        fn keys_round_trip_through_text(kind in 0..GapKind::ALL.len(), subject in subject()) {
            let key = GapKey::new(GapKind::ALL[kind], subject);
            let text = key.to_string();
            prop_assert_eq!(text.parse::<GapKey>(), Ok(key.clone()));
            // A pattern of the exact key matches it, and so does any wildcard prefix that
            // keeps the scope.
            prop_assert!(GapPattern::parse(&text).unwrap().matches(&key));
        }
    }

    #[test]
    fn malformed_keys_are_refused() {
        for bad in [
            "",
            "covered:demo@1:X",
            "uncovered",
            "uncovered:",
            "uncovered:control:",
            "uncovered:demo@1:",
            "uncovered:demo:X",
            "stale-evidence:control:C:",
        ] {
            assert!(bad.parse::<GapKey>().is_err(), "{bad}");
        }
    }

    fn key(text: &str) -> GapKey {
        text.parse().unwrap()
    }

    #[test]
    fn bare_and_kind_wide_wildcards_are_refused() {
        assert_eq!(GapPattern::parse("*"), Err(PatternError::TooBroad));
        assert_eq!(GapPattern::parse("uncovered*"), Err(PatternError::TooBroad));
        assert!(GapPattern::parse("uncovered:*").is_err());
        assert_eq!(
            GapPattern::parse("uncovered:demo@2.0*"),
            Err(PatternError::TooBroad)
        );
        assert_eq!(
            GapPattern::parse("unc*vered:a:b"),
            Err(PatternError::InnerWildcard)
        );
        assert_eq!(
            GapPattern::parse("covered:a:b"),
            Err(PatternError::UnknownKind("covered".into()))
        );
        assert_eq!(
            GapPattern::parse("uncovered:demo@2.0:*"),
            Err(PatternError::TooBroad)
        );
        assert!(GapPattern::parse("uncovered:demo@2.0:DSO-2*").is_ok());
        assert!(GapPattern::parse("stale-evidence:control:C-POL:*").is_ok());
    }

    #[test]
    fn wildcards_extend_ids_only_never_the_version() {
        let section = GapPattern::parse("uncovered:demo@2.0:DSO-2-*").unwrap();
        assert!(section.matches(&key("uncovered:demo@2.0:DSO-2-01")));
        assert!(!section.matches(&key("uncovered:demo@2.0:DSO-1.1-01")));
        assert!(!section.matches(&key("partial:demo@2.0:DSO-2-01")));
        let version = GapPattern::parse("uncovered:demo@2.0:D*").unwrap();
        assert!(!version.matches(&key("uncovered:demo@2.0.1:DSO-2-01")));
        let exact = GapPattern::parse("uncovered:demo@2.0:DSO-2-01").unwrap();
        assert!(exact.matches(&key("uncovered:demo@2.0:DSO-2-01")));
        assert!(!exact.matches(&key("uncovered:demo@2.0:DSO-2-011")));
        let control = GapPattern::parse("stale-evidence:control:C-POL:*").unwrap();
        assert!(control.matches(&key("stale-evidence:control:C-POL:EV-1")));
        assert!(!control.matches(&key("stale-evidence:control:C-POLICY:EV-1")));
    }
}
