//! Every catalog reqgap knows in a run: the bundled ones plus those in the user's folders
//! (read by [`crate::source::catalog_set`]). Bundled catalogs are parsed lazily, on first
//! use, so that a run that needs none of them (a diff of two catalog files) parses none.

use std::collections::{BTreeMap, BTreeSet};
use std::sync::OnceLock;

use super::catalog::{Catalog, Origin, Provenance};
use super::ids::{CatalogKey, KeyParseError, StandardSlug};
use crate::diag::{Code, Diagnostic};
use crate::suggest::nearest;

/// Parses a bundled catalog (path below `standards/`, deflated text); `None` when it does not
/// validate, which the bundled-catalog tests rule out.
pub type BundledParser = fn(&'static str, &'static [u8]) -> Option<Catalog>;

/// The catalogs reqgap knows: the bundled ones and those of the user's folders, keyed by
/// `<standard>@<version>`. A bundled catalog is parsed the first time it is asked for.
#[derive(Debug, Default)]
pub struct CatalogSet {
    pub(crate) catalogs: BTreeMap<CatalogKey, Entry>,
    /// Non-fatal findings while loading (e.g. a user catalog replacing a bundled one).
    pub warnings: Vec<Diagnostic>,
}

#[derive(Debug)]
pub(crate) enum Entry {
    Loaded(Box<Catalog>),
    Bundled(Box<LazyCatalog>),
}

pub(crate) struct LazyCatalog {
    pub(crate) path: &'static str,
    pub(crate) text: &'static [u8],
    pub(crate) parse: BundledParser,
    pub(crate) parsed: OnceLock<Option<Catalog>>,
}

impl std::fmt::Debug for LazyCatalog {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("LazyCatalog")
            .field("path", &self.path)
            .field("parsed", &self.parsed.get().is_some())
            .finish()
    }
}

impl Entry {
    fn catalog(&self) -> Option<&Catalog> {
        match self {
            Entry::Loaded(catalog) => Some(catalog),
            Entry::Bundled(lazy) => lazy
                .parsed
                .get_or_init(|| (lazy.parse)(lazy.path, lazy.text))
                .as_ref(),
        }
    }

    pub(crate) fn origin(&self) -> Origin {
        match self {
            Entry::Loaded(catalog) => catalog.origin.clone(),
            Entry::Bundled(lazy) => Origin::Bundled(lazy.path.to_owned()),
        }
    }
}

impl CatalogSet {
    /// Adds a bundled catalog, to be parsed on first use. Its key comes from its path
    /// (`<standard>/<version>.yaml`), which the catalog loader checks against the content.
    pub fn add_bundled(&mut self, path: &'static str, text: &'static [u8], parse: BundledParser) {
        let Some(key) = bundled_key(path) else {
            return;
        };
        let lazy = LazyCatalog {
            path,
            text,
            parse,
            parsed: OnceLock::new(),
        };
        self.catalogs.insert(key, Entry::Bundled(Box::new(lazy)));
    }

    /// Adds a catalog read in full (a user's file, or one built in code), replacing any
    /// catalog of the same key.
    pub fn insert(&mut self, catalog: Catalog) {
        self.catalogs
            .insert(catalog.key(), Entry::Loaded(Box::new(catalog)));
    }

    /// Every known catalog key, parsing nothing.
    pub fn keys(&self) -> impl Iterator<Item = &CatalogKey> {
        self.catalogs.keys()
    }

    /// Every catalog (parses the bundled ones not yet parsed).
    pub fn iter(&self) -> impl Iterator<Item = &Catalog> {
        self.catalogs.values().filter_map(Entry::catalog)
    }

    /// How many catalogs are known.
    pub fn len(&self) -> usize {
        self.catalogs.len()
    }

    /// True when none is known.
    pub fn is_empty(&self) -> bool {
        self.catalogs.is_empty()
    }

    /// The keys of one standard's versions, oldest first (parses nothing).
    pub fn version_keys(&self, standard: &StandardSlug) -> Vec<&CatalogKey> {
        let mut keys: Vec<&CatalogKey> = self
            .catalogs
            .keys()
            .filter(|k| &k.standard == standard)
            .collect();
        keys.sort_by(|a, b| a.version.cmp(&b.version));
        keys
    }

    /// The versions of one standard, oldest first.
    pub fn versions(&self, standard: &StandardSlug) -> Vec<&Catalog> {
        self.version_keys(standard)
            .into_iter()
            .filter_map(|k| self.get(k))
            .collect()
    }

    /// The catalog `key` names, parsed on first use.
    pub fn get(&self, key: &CatalogKey) -> Option<&Catalog> {
        self.catalogs.get(key).and_then(Entry::catalog)
    }

    /// Where the catalog of `key` comes from, without parsing it.
    pub fn origin(&self, key: &CatalogKey) -> Option<Origin> {
        self.catalogs.get(key).map(Entry::origin)
    }

    /// Finds a catalog by `<standard>@<version>`, or by `<standard>` alone for its newest
    /// version. An unknown name is an error that suggests the nearest known ones.
    pub fn resolve(&self, spec: &str) -> Result<&Catalog, Diagnostic> {
        if let Some((standard, _)) = spec.split_once('@') {
            let key: CatalogKey = spec.parse().map_err(|e: KeyParseError| {
                Diagnostic::error(Code::BadCatalogName, e.to_string())
            })?;
            if let Some(catalog) = self.get(&key) {
                return Ok(catalog);
            }
            return Err(self.unknown_version(spec, &StandardSlug::new(standard)));
        }
        let standard = StandardSlug::new(spec);
        if let Some(newest) = self.version_keys(&standard).last() {
            if let Some(catalog) = self.get(newest) {
                return Ok(catalog);
            }
        }
        Err(self.unknown_standard(spec))
    }

    fn unknown_version(&self, spec: &str, standard: &StandardSlug) -> Diagnostic {
        let known: Vec<String> = self.catalogs.keys().map(ToString::to_string).collect();
        let diagnostic = Diagnostic::error(
            Code::UnknownCatalog,
            format!("no catalog `{spec}` is known"),
        );
        let same_standard: Vec<String> = self
            .version_keys(standard)
            .iter()
            .map(ToString::to_string)
            .collect();
        let candidates = if same_standard.is_empty() {
            &known
        } else {
            &same_standard
        };
        let diagnostic = match nearest(spec, candidates) {
            Some(best) => diagnostic.note(format!("help: did you mean `{best}`?")),
            None => diagnostic,
        };
        diagnostic.note(format!("known catalogs: {}", known.join(", ")))
    }

    fn unknown_standard(&self, spec: &str) -> Diagnostic {
        let standards: Vec<String> = self
            .catalogs
            .keys()
            .map(|k| k.standard.to_string())
            .collect::<BTreeSet<_>>()
            .into_iter()
            .collect();
        let mut diagnostic = Diagnostic::error(
            Code::UnknownCatalog,
            format!("no standard `{spec}` is known"),
        );
        if let Some(best) = nearest(spec, &standards) {
            diagnostic = diagnostic.note(format!("help: did you mean `{best}`?"));
        }
        if !standards.is_empty() {
            diagnostic = diagnostic.note(format!("known standards: {}", standards.join(", ")));
        }
        diagnostic
    }

    /// A version of the same standard newer than `key`, if any (the newest one).
    pub fn newest_after(&self, key: &CatalogKey) -> Option<&Catalog> {
        self.version_keys(&key.standard)
            .last()
            .filter(|newest| newest.version > key.version)
            .and_then(|newest| self.get(newest))
    }
}

/// `<standard>/<version>.yaml` → `<standard>@<version>`.
fn bundled_key(path: &str) -> Option<CatalogKey> {
    let (standard, file) = path.split_once('/')?;
    let version = file
        .strip_suffix(".yaml")
        .or_else(|| file.strip_suffix(".yml"))?;
    Some(CatalogKey::new(standard, version))
}

/// The one-line warning shown whenever an analysis uses a reconstructed catalog: an audit
/// must not rest on inferred IDs without knowing it.
pub fn provenance_warning(catalog: &Catalog) -> Option<Diagnostic> {
    if catalog.provenance != Provenance::Reconstructed {
        return None;
    }
    Some(Diagnostic::warning(
        Code::ReconstructedCatalog,
        format!(
            "{} is reconstructed: {} of {} requirement IDs are inferred, not read from the deliverable; \
             for an exact copy, convert your own copy with `reqgap import etsi-text` and pass its folder with --catalogs",
            catalog.key(),
            catalog.inferred_count(),
            catalog.requirements.len()
        ),
    ))
}
