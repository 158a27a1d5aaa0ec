//! The catalog loader's results, snapshot-tested: the model it builds from the demo
//! catalogs (defaults filled in: derived level, confidence from provenance), and the
//! diagnostics it gives for each broken catalog.

use std::path::Path;

use reqgap::diag::render;
use reqgap::source::catalog::load_file;
use reqgap::source::yaml_files_in;

#[test]
fn demo_catalogs_load_into_the_model() {
    for version in ["1.0", "2.0"] {
        let path = format!("tests/fixtures/catalogs/demo/{version}.yaml");
        let catalog = load_file(Path::new(&path)).unwrap_or_else(|d| panic!("{d}"));
        insta::assert_json_snapshot!(format!("demo-catalog-{version}"), catalog);
    }
}

#[test]
fn broken_catalogs_give_one_located_diagnostic_each() {
    let files = yaml_files_in(Path::new("tests/cmd/validate-broken.in")).unwrap();
    assert_eq!(files.len(), 10);
    for file in files {
        let problems = load_file(&file).expect_err("broken on purpose");
        assert_eq!(problems.len(), 1, "{}", file.display());
        let diagnostic = &problems.0[0];
        let location = diagnostic.location.as_deref().expect("located");
        assert!(location
            .path
            .ends_with(&*file.file_name().unwrap().to_string_lossy()));
        if !file.ends_with("empty.yaml") {
            assert!(
                location.line.is_some() && location.column.is_some(),
                "{}",
                file.display()
            );
        }
        let name = file.file_stem().unwrap().to_string_lossy().into_owned();
        insta::assert_snapshot!(format!("broken-catalog-{name}"), render(diagnostic));
    }
}
