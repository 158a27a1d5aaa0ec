//! Validation of what a control maps to: the catalog each mapping is reviewed against and
//! the requirement IDs it names, with the help a reader needs to mend an unknown one.

use std::collections::{BTreeSet, HashMap};

use super::super::raw::{ControlEntry, ControlsFile};
use super::super::Parsed;
use super::ValidationContext;
use crate::diag::{Code, Diagnostic};
use crate::model::{
    Catalog, CatalogKey, CatalogSet, LinkRel, MappedRequirement, Mapping, Requirement,
    RequirementId, StandardSlug, Version,
};
use crate::source::scalar::Text;
use crate::source::yaml::{Step, YamlPath};

impl<'a> ValidationContext<'a> {
    /// The mappings (`satisfies`) of the control `entry`, found at `control`.
    pub(super) fn mappings(
        &mut self,
        file: &Parsed<ControlsFile>,
        control: YamlPath<'_>,
        entry: &ControlEntry,
    ) -> Vec<Mapping> {
        let mut mappings = Vec::new();
        for (j, mapping) in entry.satisfies.iter().enumerate() {
            let at = control.key("satisfies").index(j);
            let key = CatalogKey {
                standard: StandardSlug::new(mapping.standard.as_str()),
                version: Version::new(mapping.reviewed_against.as_str()),
            };
            let catalog = self.catalog(
                file,
                &key,
                mapping.reviewed_against.unquoted_number,
                &at.key("standard"),
                &at.key("reviewed-against"),
            );
            let mut requirements = Vec::new();
            for (k, id) in mapping.requirements.iter().enumerate() {
                let path = at.key("requirements").index(k);
                let mapped = self.mapped_requirement(file, &entry.id, &key, catalog, id, &path);
                requirements.extend(mapped);
            }
            mappings.push(Mapping {
                standard: key.standard,
                reviewed_against: key.version,
                coverage: mapping.coverage,
                requirements,
                note: mapping.note.clone(),
            });
        }
        mappings
    }

    /// Requirement `id` that `control` maps to under `key`, or `None` with a located error
    /// when `catalog` does not have it; a withdrawn one is kept with a warning.
    fn mapped_requirement(
        &mut self,
        file: &Parsed<ControlsFile>,
        control: &str,
        key: &CatalogKey,
        catalog: Option<&'a Catalog>,
        id: &Text,
        path: &[Step<'_>],
    ) -> Option<MappedRequirement> {
        // `etsi-en-319-401@3.2.1:REQ-7.9.3-01`, copied from a report, names the
        // same requirement when its catalog is the mapping's.
        let id = match id.as_str().split_once(':') {
            Some((prefix, bare)) if prefix == key.to_string() => Text::from(bare),
            Some((prefix, _)) if prefix.contains('@') => {
                self.diagnostics.push(file.error(
                    Code::UnknownRequirement,
                    format!("`{id}` names a requirement of {prefix}, but this mapping is reviewed against {key}"),
                    path,
                ).note("help: write the bare ID under the `standard` and `reviewed-against` it belongs to"));
                return None;
            }
            _ => id.clone(),
        };
        if let Some(catalog) = catalog {
            let Some(requirement) = self.requirement(catalog, id.as_str()) else {
                let unknown = self.unknown_requirement(file, control, key, catalog, &id, path);
                self.diagnostics.push(unknown);
                return None;
            };
            if !requirement.is_active() {
                let warning = file.warning(
                    Code::MappingToWithdrawn,
                    format!("control `{control}` maps to `{id}`, which {key} marks withdrawn"),
                    path,
                );
                self.diagnostics.push(withdrawn_help(warning, requirement));
            }
        }
        Some(MappedRequirement {
            id: RequirementId::new(id.as_str()),
            place: file.place(path),
        })
    }

    /// `control` maps to `id`, which `catalog` (`key`) does not have: the error, with the
    /// version that has it or the nearest ID.
    fn unknown_requirement(
        &mut self,
        file: &Parsed<ControlsFile>,
        control: &str,
        key: &CatalogKey,
        catalog: &Catalog,
        id: &Text,
        path: &[Step<'_>],
    ) -> Diagnostic {
        let d = file.error(
            Code::UnknownRequirement,
            format!("control `{control}` maps to `{id}`, which {key} does not have"),
            path,
        );
        let elsewhere = self.versions_with(key, id.as_str());
        if let Some(latest) = elsewhere.last() {
            return d.note(format!(
                "help: `{id}` is in {}; did you mean `reviewed-against: \"{latest}\"`?",
                elsewhere.join(", ")
            ));
        }
        let known: Vec<String> = catalog
            .requirements
            .iter()
            .map(|r| r.id.to_string())
            .collect();
        match crate::suggest::nearest(id.as_str(), &known) {
            Some(best) => d.note(format!("help: did you mean `{best}`?")),
            None => d,
        }
    }

    /// Requirement `id` of `catalog`, as [`crate::model::Catalog::requirement`] finds it
    /// (the first with that ID), through the catalog's index.
    fn requirement(&mut self, catalog: &'a Catalog, id: &str) -> Option<&'a Requirement> {
        let index = self
            .requirement_index
            .entry(catalog.key())
            .or_insert_with(|| {
                let mut index = HashMap::with_capacity(catalog.requirements.len());
                for requirement in &catalog.requirements {
                    index.entry(requirement.id.as_str()).or_insert(requirement);
                }
                index
            });
        index.get(id).copied()
    }

    /// The versions of `key`'s standard, other than `key`, that have requirement `id`,
    /// oldest first: a mapping that names a 3.x ID under `reviewed-against: 2.2.1` most
    /// likely has the wrong version, not the wrong ID.
    fn versions_with(&mut self, key: &CatalogKey, id: &str) -> Vec<String> {
        let catalogs: &'a CatalogSet = self.catalogs;
        catalogs
            .versions(&key.standard)
            .into_iter()
            .filter(|c| c.version != key.version && self.requirement(c, id).is_some())
            .map(|c| c.version.to_string())
            .collect()
    }

    /// The catalog for `key`, or a located error naming what is unknown. A version written
    /// as a bare number is an error too, with the version most likely meant.
    pub(super) fn catalog<T>(
        &mut self,
        file: &Parsed<T>,
        key: &CatalogKey,
        unquoted_number: bool,
        standard_path: &[Step<'_>],
        version_path: &[Step<'_>],
    ) -> Option<&'a Catalog> {
        let catalogs: &'a CatalogSet = self.catalogs;
        if unquoted_number {
            self.unquoted_version(file, key, version_path);
            return catalogs.get(key);
        }
        if let Some(catalog) = catalogs.get(key) {
            return Some(catalog);
        }
        // Names only: listing what is known must not parse every bundled catalog.
        let versions: Vec<String> = self
            .catalogs
            .version_keys(&key.standard)
            .iter()
            .map(|k| k.version.to_string())
            .collect();
        let (path, message, known) = if versions.is_empty() {
            let standards: BTreeSet<String> = self
                .catalogs
                .keys()
                .map(|k| k.standard.to_string())
                .collect();
            (
                standard_path,
                format!("unknown standard `{}`", key.standard),
                standards.into_iter().collect::<Vec<_>>(),
            )
        } else {
            (
                version_path,
                format!("unknown version `{}` of {}", key.version, key.standard),
                versions,
            )
        };
        let mut d = file.error(Code::UnknownCatalog, message, path);
        if !known.is_empty() {
            d = d.note(format!("known: {}", known.join(", ")));
        }
        self.diagnostics.push(d);
        None
    }

    fn unquoted_version<T>(&mut self, file: &Parsed<T>, key: &CatalogKey, path: &[Step<'_>]) {
        let written = key.version.as_str();
        let versions: Vec<String> = self
            .catalogs
            .version_keys(&key.standard)
            .iter()
            .map(|k| k.version.to_string())
            .collect();
        let meant = versions
            .iter()
            .rev()
            .find(|v| v.as_str() == written || v.starts_with(&format!("{written}.")))
            .map(String::as_str)
            .or_else(|| crate::suggest::nearest(written, &versions))
            .unwrap_or(written);
        let d = file.error(
            Code::BadVersion,
            format!(
                "the version {written} is written as a number, which YAML may change (2.10 would read as 2.1)"
            ),
            path,
        );
        let d = d.note(format!("help: write it in quotes: \"{meant}\""));
        let d = if versions.is_empty() {
            d
        } else {
            d.note(format!(
                "known versions of {}: {}",
                key.standard,
                versions.join(", ")
            ))
        };
        self.diagnostics.push(d);
    }
}

/// What to do about a mapping to a withdrawn requirement, from the catalog's own links.
fn withdrawn_help(warning: Diagnostic, withdrawn: &Requirement) -> Diagnostic {
    let names = |rel: LinkRel| -> Vec<String> {
        withdrawn
            .links
            .iter()
            .filter(|l| l.rel == rel)
            .map(|l| format!("`{}`", l.target))
            .collect()
    };
    let moved = names(LinkRel::MovedTo);
    let incorporated = names(LinkRel::IncorporatedInto);
    if !moved.is_empty() {
        warning.note(format!(
            "help: its content moved to {}; `reqgap migrate` updates the mapping",
            moved.join(", ")
        ))
    } else if !incorporated.is_empty() {
        warning.note(format!(
            "help: it was incorporated into {}; review the control against it and map it there",
            incorporated.join(", ")
        ))
    } else {
        warning.note("help: it has no successor; remove the mapping or map the control elsewhere")
    }
}
