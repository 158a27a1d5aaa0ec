//! Reads the catalogs of a run: the bundled ones plus those in the user's folders.

use std::path::{Path, PathBuf};

use super::catalog::{load_file, parse_catalog};
use crate::diag::{Code, Diagnostic, Diagnostics, Location, SourceFile};
use crate::model::{Catalog, CatalogSet, Origin};

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
        CatalogSet::load_admitting(dirs, |_, _| Ok(()))
    }

    /// [`CatalogSet::load`], reading a file found in a folder only when `admit(folder,
    /// file)` allows it; otherwise its error is reported and the file is not read. The
    /// inventory applies its path rule this way: a symbolic link inside a `catalogs:`
    /// folder may lead outside the repository (a symbolic link inside it, say).
    pub fn load_admitting(
        dirs: &[PathBuf],
        admit: impl Fn(&Path, &Path) -> Result<(), Diagnostic>,
    ) -> Result<CatalogSet, Diagnostics> {
        let mut set = CatalogSet::default();
        let mut diagnostics = Diagnostics::new();
        for (path, text) in super::bundled::files() {
            set.add_bundled(path, text, parse_bundled);
        }
        // Folders may overlap (`catalogs: [., ./catalogs]`): each file is read once, by its
        // canonical path, or it would be reported as defined twice by itself.
        let mut seen = std::collections::BTreeSet::new();
        for dir in dirs {
            set.add_dir(dir, &admit, &mut seen, &mut diagnostics);
        }
        diagnostics.into_result(set)
    }

    fn add_dir(
        &mut self,
        dir: &Path,
        admit: &impl Fn(&Path, &Path) -> Result<(), Diagnostic>,
        seen: &mut std::collections::BTreeSet<PathBuf>,
        diagnostics: &mut Diagnostics,
    ) {
        let files = match super::yaml_files_in(dir) {
            Ok(files) => files,
            Err(problems) => return diagnostics.extend(problems),
        };
        let mut admitted = Vec::with_capacity(files.len());
        for path in files {
            let canonical = std::fs::canonicalize(&path).unwrap_or_else(|_| path.clone());
            if !seen.insert(canonical) {
                continue;
            }
            admitted.push(admit(dir, &path).map(|()| path));
        }
        let paths: Vec<&Path> = admitted.iter().flatten().map(PathBuf::as_path).collect();
        let mut loaded = super::read_in_parallel(&paths, |path| load_file(path)).into_iter();
        for entry in admitted {
            match entry.map(|_| loaded.next()) {
                Err(problem) => diagnostics.push(problem),
                Ok(Some(Ok(catalog))) => self.add_user(catalog, diagnostics),
                Ok(Some(Err(problems))) => diagnostics.extend(problems),
                Ok(None) => {}
            }
        }
    }

    /// Adds a catalog read from a user's file (see [`CatalogSet::load`] for precedence).
    pub fn add_user(&mut self, catalog: Catalog, diagnostics: &mut Diagnostics) {
        let key = catalog.key();
        match self.origin(&key) {
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
                        .at(Location {
                            line: Some(1),
                            column: Some(1),
                            ..Location::file(second.clone())
                        }),
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
                self.insert(catalog);
            }
            None => {
                self.insert(catalog);
            }
        }
    }
}

/// Parses one bundled catalog ([`CatalogSet::add_bundled`] calls it on first use).
fn parse_bundled(path: &'static str, deflated: &'static [u8]) -> Option<Catalog> {
    let file = SourceFile::new(format!("standards/{path}"), super::bundled::text(deflated)?);
    parse_catalog(&file, Origin::Bundled(path.to_owned())).ok()
}
