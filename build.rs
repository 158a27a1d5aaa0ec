//! Compiles every catalog under `standards/` and every transition file under `mappings/`
//! into the binary, so that `reqgap` works on a machine with nothing but the executable.
//! Catalogs are stored deflated (each file on its own, inflated when first used): the
//! CA/Browser Forum's versions carry their full text, and kept plain they would double the
//! binary.

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
    let out = PathBuf::from(std::env::var("OUT_DIR").expect("set by cargo"));
    bundle(
        &root,
        "standards",
        "BUNDLED_CATALOGS",
        &out,
        Store::Deflated,
    );
    bundle(&root, "mappings", "BUNDLED_MAPPINGS", &out, Store::Plain);
}

/// How a bundled file is compiled in.
#[derive(Clone, Copy, PartialEq)]
enum Store {
    /// As text (`&str`): transition files and crosswalks, all read on every run.
    Plain,
    /// Deflated (`&[u8]`), inflated when first used: catalogs, most of which a run never
    /// reads.
    Deflated,
}

/// Writes `static <name>: &[(path below folder, text)]` for every YAML file below `folder`
/// into `out/<folder>.rs` (the text deflated into `out/<folder>/` first when asked).
fn bundle(root: &Path, folder: &str, name: &str, out: &Path, store: Store) {
    let base = root.join(folder);
    println!("cargo:rerun-if-changed={folder}");
    let mut files = Vec::new();
    if base.is_dir() {
        collect(&base, &mut files);
    }
    let kind = match store {
        Store::Plain => "&str",
        Store::Deflated => "&[u8]",
    };
    let mut code = format!("static {name}: &[(&str, {kind})] = &[\n");
    for file in &files {
        let relative = file
            .strip_prefix(&base)
            .expect("below the bundled folder")
            .to_string_lossy()
            .replace('\\', "/");
        let included = match store {
            Store::Plain => format!("include_str!({:?})", file.display().to_string()),
            Store::Deflated => {
                let text = std::fs::read(file)
                    .unwrap_or_else(|e| panic!("cannot read {}: {e}", file.display()));
                let deflated = out.join(folder).join(format!("{relative}.deflate"));
                std::fs::create_dir_all(deflated.parent().expect("a file has a folder"))
                    .expect("create a folder in OUT_DIR");
                std::fs::write(&deflated, miniz_oxide::deflate::compress_to_vec(&text, 9))
                    .expect("write a deflated catalog");
                format!("include_bytes!({:?})", deflated.display().to_string())
            }
        };
        writeln!(code, "    ({relative:?}, {included}),").expect("write to string");
    }
    code.push_str("];\n");
    std::fs::write(out.join(format!("{folder}.rs")), code).expect("write generated code");
}
