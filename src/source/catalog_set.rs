//! Every catalog reqgap knows: the bundled ones plus those in the user's folders.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use super::catalog::{load_file, parse_catalog};
use crate::diag::{Code, Diagnostic, Diagnostics, Location, SourceFile};
use crate::model::{Catalog, CatalogKey, Origin, Provenance, StandardSlug};
use crate::suggest::nearest;

#[derive(Debug, Default)]
pub struct CatalogSet {
    catalogs: BTreeMap<CatalogKey, Catalog>,
    /// Non-fatal findings while loading (e.g. a user catalog replacing a bundled one).
    pub warnings: Vec<Diagnostic>,
}

impl CatalogSet {
    /// The bundled catalogs only.
    pub fn bundled() -> Result<CatalogSet, Diagnostics> {
        CatalogSet::load(&[])
    }

    /// The bundled catalogs plus every catalog file below each of `dirs`. A user catalog
    /// replaces a bundled one of the same standard and version (e.g. an exact import of a
    /// deliverable replacing a reconstructed catalog); two user catalogs of the same key are
    /// an error.
    pub fn load(dirs: &[PathBuf]) -> Result<CatalogSet, Diagnostics> {
        let mut set = CatalogSet::default();
        let mut diagnostics = Diagnostics::new();
        for (path, text) in super::bundled::files() {
            let file = SourceFile::new(format!("standards/{path}"), *text);
            match parse_catalog(&file, Origin::Bundled((*path).to_owned())) {
                Ok(catalog) => {
                    set.catalogs.insert(catalog.key(), catalog);
                }
                Err(problems) => diagnostics.extend(problems),
            }
        }
        for dir in dirs {
            set.add_dir(dir, &mut diagnostics);
        }
        diagnostics.into_result(set)
    }

    fn add_dir(&mut self, dir: &Path, diagnostics: &mut Diagnostics) {
        let files = match super::yaml_files_in(dir) {
            Ok(files) => files,
            Err(problems) => return diagnostics.extend(problems),
        };
        for path in files {
            match load_file(&path) {
                Ok(catalog) => self.add_user(catalog, diagnostics),
                Err(problems) => diagnostics.extend(problems),
            }
        }
    }

    /// Adds a catalog read from a user's file (see [`CatalogSet::load`] for precedence).
    pub fn add_user(&mut self, catalog: Catalog, diagnostics: &mut Diagnostics) {
        let key = catalog.key();
        match self.catalogs.get(&key).map(|c| c.origin.clone()) {
            Some(Origin::File(first)) => {
                let Origin::File(second) = &catalog.origin else {
                    return;
                };
                if first != *second {
                    diagnostics.push(
                        Diagnostic::error(
                            Code::DuplicateCatalog,
                            format!("{key} is defined twice (also in {first})"),
                        )
                        .at(Location::file(second.clone())),
                    );
                }
            }
            Some(Origin::Bundled(_)) => {
                self.warnings.push(Diagnostic::warning(
                    Code::CatalogReplaced,
                    format!(
                        "{key} from {} replaces the bundled catalog of the same version",
                        catalog.origin
                    ),
                ));
                self.catalogs.insert(key, catalog);
            }
            None => {
                self.catalogs.insert(key, catalog);
            }
        }
    }

    pub fn iter(&self) -> impl Iterator<Item = &Catalog> {
        self.catalogs.values()
    }

    pub fn len(&self) -> usize {
        self.catalogs.len()
    }

    pub fn is_empty(&self) -> bool {
        self.catalogs.is_empty()
    }

    /// The versions of one standard, oldest first.
    pub fn versions(&self, standard: &StandardSlug) -> Vec<&Catalog> {
        let mut versions: Vec<&Catalog> = self
            .catalogs
            .values()
            .filter(|c| &c.standard == standard)
            .collect();
        versions.sort_by(|a, b| a.version.cmp(&b.version));
        versions
    }

    pub fn get(&self, key: &CatalogKey) -> Option<&Catalog> {
        self.catalogs.get(key)
    }

    /// Finds a catalog by `<standard>@<version>`, or by `<standard>` alone for its newest
    /// version. An unknown name is an error that suggests the nearest known ones.
    pub fn resolve(&self, spec: &str) -> Result<&Catalog, Diagnostic> {
        if let Some((standard, _)) = spec.split_once('@') {
            let key: CatalogKey = spec.parse().map_err(|e: crate::model::KeyParseError| {
                Diagnostic::error(Code::BadCatalogName, e.to_string())
            })?;
            if let Some(catalog) = self.catalogs.get(&key) {
                return Ok(catalog);
            }
            let known: Vec<String> = self.catalogs.keys().map(ToString::to_string).collect();
            let mut diagnostic = Diagnostic::error(
                Code::UnknownCatalog,
                format!("no catalog `{spec}` is known"),
            );
            let same_standard: Vec<String> = self
                .versions(&StandardSlug::new(standard))
                .iter()
                .map(|c| c.key().to_string())
                .collect();
            let candidates = if same_standard.is_empty() {
                &known
            } else {
                &same_standard
            };
            diagnostic = match nearest(spec, candidates) {
                Some(best) => diagnostic.note(format!("help: did you mean `{best}`?")),
                None => diagnostic,
            };
            return Err(diagnostic.note(format!("known catalogs: {}", known.join(", "))));
        }
        let standard = StandardSlug::new(spec);
        if let Some(newest) = self.versions(&standard).last() {
            return Ok(*newest);
        }
        let standards: Vec<String> = self
            .catalogs
            .keys()
            .map(|k| k.standard.to_string())
            .collect::<std::collections::BTreeSet<_>>()
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
        Err(diagnostic)
    }

    /// A version of the same standard newer than `key`, if any (the newest one).
    pub fn newest_after(&self, key: &CatalogKey) -> Option<&Catalog> {
        self.versions(&key.standard)
            .last()
            .copied()
            .filter(|c| c.version > key.version)
    }
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
