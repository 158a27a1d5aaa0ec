//! Validating files and folders as `reqgap validate` does: any reqgap file (told by its
//! keys), folders of them, and inventory folders as a whole. Each thing validated is named
//! with what it held, so that an empty result is visible.

use std::path::{Path, PathBuf};

use chrono::NaiveDate;

use super::detect::{check_structure, detect, Detected, FileKind};
use super::inventory::{self, PathRule};
use super::{catalog, crosswalk, display_path, scan_folder, transition};
use crate::diag::{Code, Diagnostic, Diagnostics, Location};
use crate::model::{CatalogKey, CatalogSet, CrosswalkSet, Inventory, Origin};

/// What validation reads besides the paths it is given.
#[derive(Clone, Debug)]
pub struct Validator<'a> {
    /// Catalog folders besides the bundled catalogs (`--catalogs`).
    pub catalog_dirs: &'a [PathBuf],
    /// Other folders named on the command line (`--mappings`, `--crosswalks`): their files
    /// must obey `path_rule` like the catalogs'.
    pub other_dirs: &'a [PathBuf],
    /// Where files may lead.
    pub path_rule: &'a PathRule,
    /// Evidence reviewed after this day is refused.
    pub today: NaiveDate,
}

/// What a validation found. It passed when `problems` holds no error.
#[derive(Debug, Default)]
pub struct Validation {
    /// Everything validated, in the order it was read.
    pub validated: Vec<Validated>,
    /// Warnings of the inventories and catalogs read, then the files a folder skipped.
    pub warnings: Vec<Diagnostic>,
    /// Errors of every file together (and warnings found with them).
    pub problems: Diagnostics,
}

/// One thing validated.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Validated {
    /// An inventory folder, with what it holds.
    Inventory {
        path: String,
        counts: InventoryCounts,
    },
    /// A catalog file.
    Catalog { requirements: usize },
    /// A transition file between two versions of one standard.
    Transition {
        path: String,
        from: CatalogKey,
        to: CatalogKey,
        correspondences: usize,
    },
    /// A crosswalk file between two standards.
    Crosswalk {
        path: String,
        from: CatalogKey,
        to: CatalogKey,
        correspondences: usize,
    },
    /// A controls, owners or waivers file in no inventory folder: its structure alone, since
    /// the owners and catalogs it names are unknown.
    StructureOnly { kind: FileKind, path: String },
}

/// What an inventory holds.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct InventoryCounts {
    pub controls: usize,
    pub owners: usize,
    /// Requirement IDs named by all mappings together.
    pub mappings: usize,
    pub targets: usize,
    pub waivers: usize,
}

impl InventoryCounts {
    fn of(inventory: &Inventory, waivers: usize) -> Self {
        InventoryCounts {
            controls: inventory.controls.len(),
            owners: inventory.owners.len(),
            mappings: inventory
                .controls
                .values()
                .flat_map(|c| &c.satisfies)
                .map(|m| m.requirements.len())
                .sum(),
            targets: inventory.targets.len(),
            waivers,
        }
    }
}

impl Validator<'_> {
    /// Validates each of `paths`: an inventory folder (or its reqgap.yaml) as a whole, a
    /// folder file by file, a file as what its keys say it is.
    pub fn validate(&self, paths: &[PathBuf]) -> Validation {
        let mut validation = Validation::default();
        let mut skipped = Vec::new();
        let mut files: Vec<PathBuf> = Vec::new();
        for path in paths {
            if inventory::config_path(path).is_some() {
                self.inventory(path, &mut validation);
            } else if path.is_dir() {
                match scan_folder(path) {
                    Ok(scan) if scan.yaml.is_empty() => validation.problems.push(nothing_in(path)),
                    Ok(scan) => {
                        skipped.extend(scan.skipped.iter().map(|p| skipped_file(p)));
                        for file in scan.yaml {
                            match self.path_rule.admit(path, &file) {
                                Ok(()) => files.push(file),
                                Err(problem) => validation.problems.push(problem),
                            }
                        }
                    }
                    Err(d) => validation.problems.extend(d),
                }
            } else {
                files.push(path.clone());
            }
        }
        let mut named = self.catalog_dirs.to_vec();
        named.extend(self.other_dirs.iter().cloned());
        if let Err(outside) = self.path_rule.admit_all_below(&named) {
            validation.problems.extend(outside);
        }
        let catalogs = CatalogSet::load(self.catalog_dirs).unwrap_or_default();
        for file in &files {
            self.file(file, &catalogs, &mut validation);
        }
        validation.warnings.extend(skipped);
        validation
    }

    fn inventory(&self, path: &Path, validation: &mut Validation) {
        let loaded = match inventory::load_with(path, self.catalog_dirs, self.today, self.path_rule)
        {
            Ok(loaded) => loaded,
            Err(d) => return validation.problems.extend(d),
        };
        validation
            .warnings
            .extend(loaded.catalogs.warnings.iter().cloned());
        validation.warnings.extend(loaded.warnings.iter().cloned());
        // The crosswalk folders reqgap.yaml names are part of the inventory: a bad entry
        // there must show here, not first in `gaps`.
        if !loaded.crosswalk_dirs.is_empty() {
            match CrosswalkSet::load(&loaded.crosswalk_dirs, &loaded.catalogs) {
                Ok(set) => validation.warnings.extend(set.warnings),
                Err(d) => return validation.problems.extend(d),
            }
        }
        validation.validated.push(Validated::Inventory {
            path: display_path(path),
            counts: InventoryCounts::of(&loaded.inventory, loaded.waivers.len()),
        });
    }

    /// One file, validated as what its keys say it is. A controls, owners or waivers file
    /// inside an inventory is validated with the inventory (its owners and catalogs); one
    /// outside any is checked for structure alone.
    fn file(&self, file: &Path, catalogs: &CatalogSet, validation: &mut Validation) {
        let detected = match detect(file) {
            Ok(detected) => detected,
            Err(d) => return validation.problems.extend(d),
        };
        let path = display_path(file);
        let result = match detected.kind {
            FileKind::Config => return self.inventory(file, validation),
            FileKind::Catalog => {
                let origin = Origin::File(detected.file.path.clone());
                catalog::read_catalog(&detected.file, detected.document, origin).map(|c| {
                    Validated::Catalog {
                        requirements: c.requirements.len(),
                    }
                })
            }
            FileKind::Transition => {
                transition::read_transition(&detected.file, detected.document, catalogs).map(|t| {
                    Validated::Transition {
                        path,
                        correspondences: t.correspondences.len(),
                        from: t.from,
                        to: t.to,
                    }
                })
            }
            FileKind::Crosswalk => {
                crosswalk::read_crosswalk(&detected.file, detected.document, catalogs).map(|c| {
                    Validated::Crosswalk {
                        path,
                        correspondences: c.entries.len(),
                        from: c.from,
                        to: c.to,
                    }
                })
            }
            FileKind::Controls | FileKind::Owners | FileKind::Waivers => {
                if let Some(root) = enclosing_inventory(file) {
                    return self.inventory(&root, validation);
                }
                structure_only(detected, path)
            }
        };
        match result {
            Ok(validated) => validation.validated.push(validated),
            Err(d) => validation.problems.extend(d),
        }
    }
}

fn structure_only(detected: Detected, path: String) -> Result<Validated, Diagnostics> {
    let kind = detected.kind;
    check_structure(detected).map(|()| Validated::StructureOnly { kind, path })
}

/// The nearest folder above `file` that holds a reqgap.yaml.
fn enclosing_inventory(file: &Path) -> Option<PathBuf> {
    let absolute = std::path::absolute(file).ok()?;
    let root = absolute
        .ancestors()
        .skip(1)
        .find(|dir| inventory::config_path(dir).is_some())?;
    // Keep the path as the user wrote it when possible, for messages.
    let depth = absolute.ancestors().position(|a| a == root)?;
    let mut relative = file.to_path_buf();
    for _ in 0..depth {
        relative.pop();
    }
    Some(if relative.as_os_str().is_empty() {
        PathBuf::from(".")
    } else {
        relative
    })
}

fn skipped_file(path: &Path) -> Diagnostic {
    let shown = display_path(path);
    Diagnostic::warning(
        Code::SkippedFile,
        format!("skipped `{shown}`: only `.yaml` and `.yml` files are read (the extension is case-sensitive)"),
    )
    .at(Location::file(shown))
}

/// A folder with neither a config nor YAML files: validating nothing must not pass.
fn nothing_in(path: &Path) -> Diagnostic {
    let shown = display_path(path);
    Diagnostic::error(
        Code::NoInventory,
        format!("the folder `{shown}` has no reqgap.yaml and no .yaml or .yml files to validate"),
    )
    .at(Location::file(shown))
    .note("help: pass an inventory folder (with a reqgap.yaml), a catalog folder, or files")
}
