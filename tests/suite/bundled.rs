//! The catalogs compiled into the binary are exactly the files under standards/, and all
//! of them load without a single diagnostic.

use std::path::Path;

use reqgap::model::CatalogSet;
use reqgap::model::Origin;
use reqgap::source::{bundled, yaml_files_in};

#[test]
fn bundled_list_equals_the_standards_folder() {
    let on_disk: Vec<String> = yaml_files_in(Path::new("standards"))
        .unwrap()
        .into_iter()
        .map(|p| {
            p.strip_prefix("standards")
                .unwrap()
                .to_string_lossy()
                .trim_start_matches('/')
                .replace('\\', "/")
        })
        .collect();
    let compiled: Vec<String> = bundled::files()
        .iter()
        .map(|(path, _)| (*path).to_owned())
        .collect();
    assert_eq!(compiled, on_disk);
    assert!(!compiled.is_empty());
}

#[test]
fn every_bundled_catalog_loads_and_lives_at_its_canonical_path() {
    for (path, deflated) in bundled::files() {
        let text = bundled::text(deflated).unwrap_or_else(|| panic!("{path} does not inflate"));
        let on_disk = std::fs::read_to_string(Path::new("standards").join(path)).unwrap();
        assert_eq!(text, on_disk, "{path}: the compiled text is the file's");
        let file = reqgap::diag::SourceFile::new(format!("standards/{path}"), text);
        let origin = Origin::Bundled((*path).to_owned());
        if let Err(problems) = reqgap::source::catalog::parse_catalog(&file, origin) {
            panic!("{problems}");
        }
    }
    let set = CatalogSet::bundled().unwrap_or_else(|d| panic!("{d}"));
    assert!(set.warnings.is_empty());
    // Parsed lazily: every file yields its catalog on first use.
    assert_eq!(set.iter().count(), bundled::files().len());
    for catalog in set.iter() {
        let Origin::Bundled(path) = &catalog.origin else {
            panic!("{} is not bundled", catalog.key());
        };
        assert_eq!(
            path,
            &format!("{}/{}.yaml", catalog.standard, catalog.version)
        );
    }
}
