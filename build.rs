//! Compiles every catalog under `standards/` into the binary, so that `reqgap` works on a
//! machine with nothing but the executable.

use std::fmt::Write as _;
use std::path::{Path, PathBuf};

fn collect(dir: &Path, found: &mut Vec<PathBuf>) {
    let mut entries: Vec<_> = std::fs::read_dir(dir)
        .unwrap_or_else(|e| panic!("cannot read {}: {e}", dir.display()))
        .map(|e| e.expect("readable folder entry").path())
        .collect();
    entries.sort();
    for path in entries {
        let hidden = path
            .file_name()
            .is_some_and(|n| n.to_string_lossy().starts_with('.'));
        if hidden {
            continue;
        }
        if path.is_dir() {
            collect(&path, found);
        } else if matches!(
            path.extension().and_then(|e| e.to_str()),
            Some("yaml" | "yml")
        ) {
            found.push(path);
        }
    }
}

fn main() {
    let root = PathBuf::from(std::env::var("CARGO_MANIFEST_DIR").expect("set by cargo"));
    let standards = root.join("standards");
    println!("cargo:rerun-if-changed=standards");
    let mut files = Vec::new();
    if standards.is_dir() {
        collect(&standards, &mut files);
    }
    let mut code = String::from("static BUNDLED_CATALOGS: &[(&str, &str)] = &[\n");
    for file in &files {
        let relative = file
            .strip_prefix(&standards)
            .expect("below standards/")
            .to_string_lossy()
            .replace('\\', "/");
        writeln!(
            code,
            "    ({relative:?}, include_str!({:?})),",
            file.display().to_string()
        )
        .expect("write to string");
    }
    code.push_str("];\n");
    let out = PathBuf::from(std::env::var("OUT_DIR").expect("set by cargo"));
    std::fs::write(out.join("bundled_catalogs.rs"), code).expect("write generated code");
}
