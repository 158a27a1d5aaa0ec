//! The library's layers only point down:
//! model ← source ← import ← diff ← graph ← gaps ← check ← picture ← summary ← report ← edit
//! ← analysis ← bin: the renderers in `report` never name the analysis or the edits.
//! `diag`, `suggest`, `visible` and `macros` are leaves that every layer may use and that use none.
//! A module that names a higher layer (`crate::<higher>` in its code) fails this test.

use std::path::{Path, PathBuf};

const LAYERS: &[&str] = &[
    "model", "source", "import", "diff", "graph", "gaps", "check", "picture", "summary", "report",
    "edit", "analysis",
];
const LEAVES: &[&str] = &["diag", "suggest", "visible", "macros"];

fn rust_files(dir: &Path, found: &mut Vec<PathBuf>) {
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            rust_files(&path, found);
        } else if path.extension().is_some_and(|e| e == "rs") {
            found.push(path);
        }
    }
}

/// The top-level module a file under `src/` belongs to (`src/gaps/cause.rs` → `gaps`).
fn module_of(path: &Path) -> String {
    let relative = path.strip_prefix("src").unwrap();
    let first = relative.components().next().unwrap();
    first
        .as_os_str()
        .to_string_lossy()
        .trim_end_matches(".rs")
        .to_owned()
}

/// Every `crate::<module>` the file names outside comments.
fn named_modules(text: &str) -> Vec<String> {
    let mut names = Vec::new();
    for line in text.lines() {
        let code = line.split("//").next().unwrap_or_default();
        let mut rest = code;
        while let Some(at) = rest.find("crate::") {
            let after = &rest[at + "crate::".len()..];
            let name: String = after
                .chars()
                .take_while(|c| c.is_ascii_alphanumeric() || *c == '_')
                .collect();
            // `crate::Analysis` and `crate::Analysed` are the crate root's re-exports.
            if name.starts_with(|c: char| c.is_ascii_uppercase()) {
                names.push("analysis".to_owned());
            } else {
                names.push(name);
            }
            rest = after;
        }
    }
    names
}

fn rank(module: &str) -> Option<usize> {
    LAYERS.iter().position(|m| *m == module)
}

#[test]
fn layers_only_point_down() {
    let mut files = Vec::new();
    rust_files(Path::new("src"), &mut files);
    files.sort();
    let mut upward = Vec::new();
    for file in files.iter().filter(|f| !f.starts_with("src/bin")) {
        let module = module_of(file);
        if module == "lib" {
            continue;
        }
        let text = std::fs::read_to_string(file).unwrap();
        for named in named_modules(&text) {
            let allowed = if LEAVES.contains(&module.as_str()) {
                named == module || LEAVES.contains(&named.as_str())
            } else {
                let own = rank(&module).unwrap_or_else(|| {
                    panic!("{}: module `{module}` has no layer", file.display())
                });
                named == module
                    || LEAVES.contains(&named.as_str())
                    || rank(&named).is_some_and(|r| r <= own)
            };
            if !allowed {
                upward.push(format!("{}: {module} names crate::{named}", file.display()));
            }
        }
    }
    upward.dedup();
    assert!(upward.is_empty(), "upward imports:\n{}", upward.join("\n"));
}

#[test]
fn the_checker_sees_an_upward_import() {
    let names = named_modules("use crate::gaps::Gap; // crate::report is only a comment");
    assert_eq!(names, ["gaps"]);
}

/// Library files (everything outside `src/bin`) that name `crate_name` in code, outside
/// the allowed top-level modules.
fn library_files_naming(crate_name: &str, allowed_modules: &[&str]) -> Vec<String> {
    let mut files = Vec::new();
    rust_files(Path::new("src"), &mut files);
    files.sort();
    let needle = format!("{crate_name}::");
    files
        .iter()
        .filter(|f| !f.starts_with("src/bin"))
        .filter(|f| !allowed_modules.contains(&module_of(f).as_str()))
        .filter(|f| {
            let text = std::fs::read_to_string(f).unwrap();
            text.lines().any(|line| {
                line.split("//")
                    .next()
                    .unwrap_or_default()
                    .contains(&needle)
            })
        })
        .map(|f| f.display().to_string())
        .collect()
}

/// The library has no CLI dependency: clap is optional (feature `cli`, which only the
/// binary requires), so library code must never name it.
#[test]
fn only_the_binary_names_clap() {
    let naming = library_files_naming("clap", &[]);
    assert!(naming.is_empty(), "library files naming clap: {naming:?}");
}

/// Terminal tables are a presentation concern: only `report` renders them.
#[test]
fn only_report_names_comfy_table() {
    let naming = library_files_naming("comfy_table", &["report"]);
    assert!(
        naming.is_empty(),
        "library files naming comfy_table: {naming:?}"
    );
}
