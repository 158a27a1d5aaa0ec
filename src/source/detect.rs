//! What a reqgap file is, told by its top-level keys, so that `reqgap validate FILE` works
//! on any of them without being told the kind.

use std::path::Path;

use super::catalog::CatalogFile;
use super::inventory::{ControlsFile, OwnersFile};
use super::waivers::WaiversFile;
use super::yaml;
use crate::diag::{Code, Diagnostic, Diagnostics, SourceFile};

/// The kinds of file reqgap reads.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum FileKind {
    /// `reqgap.yaml` (or `reqgap.yml`): `organisation`, `targets`, …
    Config,
    /// One version of a standard: `standard`, `version`, `requirements`, …
    Catalog,
    /// Curated correspondences between two versions: `from`, `to`, `correspondences`.
    Transition,
    /// The same keys, between two different standards.
    Crosswalk,
    /// `controls: [...]`.
    Controls,
    /// `owners: [...]`.
    Owners,
    /// `waivers: [...]`.
    Waivers,
}

enum_names!(FileKind {
    Config => "reqgap.yaml",
    Catalog => "catalog",
    Transition => "transition file",
    Crosswalk => "crosswalk",
    Controls => "controls file",
    Owners => "owners file",
    Waivers => "waivers file",
});

/// A file read and parsed once, with its kind: the caller reads the parsed document as
/// that kind without parsing the text again.
#[derive(Debug)]
pub struct Detected {
    pub kind: FileKind,
    pub file: SourceFile,
    pub document: yaml::Document,
}

/// Reads `path` and tells its kind from the keys of its top-level mapping.
pub fn detect(path: &Path) -> Result<Detected, Diagnostics> {
    let file = super::read_text(path)?;
    let document = yaml::Document::parse(&file)?;
    let keys = document.top_level_keys();
    let kind = kind_of(&keys).map(|kind| match kind {
        FileKind::Transition if links_two_standards(&document) => FileKind::Crosswalk,
        other => other,
    });
    match kind {
        Some(kind) => Ok(Detected {
            kind,
            file,
            document,
        }),
        None => Err(Diagnostic::error(
            Code::UnknownFileKind,
            "this is not a file reqgap knows: no catalog, transition, controls, owners, waivers or reqgap.yaml keys at the top",
        )
        .at(file.whole_file())
        .note("help: a catalog starts with `standard:`, a transition file or crosswalk with `from:`, an inventory's files with `organisation:`, `controls:`, `owners:` or `waivers:`")
        .into()),
    }
}

/// A transition file links two versions of one standard; a crosswalk, two standards.
fn links_two_standards(document: &yaml::Document) -> bool {
    let standard = |key: &str| {
        document
            .top_level_text(key)
            .map(|name| name.split('@').next().unwrap_or(name))
    };
    matches!((standard("from"), standard("to")), (Some(a), Some(b)) if a != b)
}

/// The kind whose distinguishing keys appear; `owners` alone is an owners file, beside
/// `organisation` it is the config's pointer to one.
fn kind_of(keys: &[&str]) -> Option<FileKind> {
    let has = |key: &str| keys.contains(&key);
    if has("organisation") || has("targets") {
        Some(FileKind::Config)
    } else if has("requirements") || has("standard") {
        Some(FileKind::Catalog)
    } else if has("correspondences") || (has("from") && has("to")) {
        Some(FileKind::Transition)
    } else if has("controls") {
        Some(FileKind::Controls)
    } else if has("owners") {
        Some(FileKind::Owners)
    } else if has("waivers") {
        Some(FileKind::Waivers)
    } else {
        None
    }
}

/// Checks the structure of an inventory file that stands outside any inventory (so the
/// owners, catalogs and controls it names cannot be checked): keys, types and values.
pub fn check_structure(detected: Detected) -> Result<(), Diagnostics> {
    let Detected {
        kind,
        file,
        document,
    } = detected;
    match kind {
        FileKind::Controls => document.read::<ControlsFile>(&file).map(drop),
        FileKind::Owners => document.read::<OwnersFile>(&file).map(drop),
        FileKind::Waivers => document.read::<WaiversFile>(&file).map(drop),
        FileKind::Catalog => document.read::<CatalogFile>(&file).map(drop),
        FileKind::Config | FileKind::Transition | FileKind::Crosswalk => Ok(()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn kinds_come_from_top_level_keys() {
        assert_eq!(
            kind_of(&["organisation", "owners", "controls"]),
            Some(FileKind::Config)
        );
        assert_eq!(
            kind_of(&["standard", "version", "requirements"]),
            Some(FileKind::Catalog)
        );
        assert_eq!(
            kind_of(&["from", "to", "source", "correspondences"]),
            Some(FileKind::Transition)
        );
        assert_eq!(kind_of(&["controls"]), Some(FileKind::Controls));
        assert_eq!(kind_of(&["owners"]), Some(FileKind::Owners));
        assert_eq!(kind_of(&["waivers"]), Some(FileKind::Waivers));
        assert_eq!(kind_of(&["name"]), None);
        let document = |text: &str| yaml::Document::parse(&SourceFile::new("t.yaml", text));
        let crosswalk =
            document("from: eu-nis2-directive@2022-2555\nto: eu-cir-2024-2690@2024-10-17\n");
        assert!(links_two_standards(&crosswalk.unwrap()));
        let transition = document("from: a@1\nto: a@2\n");
        assert!(!links_two_standards(&transition.unwrap()));
    }
}
