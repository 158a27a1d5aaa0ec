//! `reqgap validate`: any reqgap file (told by its keys), folders of them, and inventory
//! folders as a whole; says what it loaded so that an empty result is visible.

use std::io::Write;

use reqgap::source::validation::{InventoryCounts, Validated, Validator};

use crate::cli::{today, GlobalArgs, ValidateArgs};
use crate::output::{warn, Failure, Outcome};

pub fn run(global: &GlobalArgs, args: &ValidateArgs) -> Result<Outcome, Failure> {
    let mut other_dirs = global.mapping_dirs.clone();
    other_dirs.extend(global.crosswalk_dirs.iter().cloned());
    let validation = Validator {
        catalog_dirs: &global.catalog_dirs,
        other_dirs: &other_dirs,
        path_rule: &global.path_rule(),
        today: today(args.today),
    }
    .validate(&args.paths);
    warn(&validation.warnings);
    if validation.problems.has_errors() {
        return Err(Failure::Input(validation.problems.sorted()));
    }
    warn(&validation.problems.0);
    print(&validation.validated)
}

fn print(validated: &[Validated]) -> Result<Outcome, Failure> {
    let mut out = std::io::stdout().lock();
    let (mut catalog_files, mut requirements) = (0, 0);
    for item in validated {
        if let Validated::Catalog { requirements: n } = item {
            catalog_files += 1;
            requirements += n;
        }
    }
    if catalog_files > 0 {
        let plural = if catalog_files == 1 { "" } else { "s" };
        writeln!(
            out,
            "ok: {catalog_files} catalog file{plural} valid, {requirements} requirements"
        )?;
    }
    for line in validated.iter().filter_map(line) {
        writeln!(out, "ok: {line}")?;
    }
    Ok(Outcome::Success)
}

/// The closing line for one thing validated (catalogs are summed up in one line instead).
fn line(item: &Validated) -> Option<String> {
    let plural = |n: usize| if n == 1 { "" } else { "s" };
    Some(match item {
        Validated::Catalog { .. } => return None,
        Validated::Inventory { path, counts } => {
            format!("inventory {path} valid: {}", inventory_counts(counts))
        }
        Validated::Transition {
            path,
            from,
            to,
            correspondences: n,
        } => format!(
            "transition file {path} valid: {from} → {to}, {n} correspondence{}",
            plural(*n)
        ),
        Validated::Crosswalk {
            path,
            from,
            to,
            correspondences: n,
        } => format!(
            "crosswalk {path} valid: {from} → {to}, {n} correspondence{}",
            plural(*n)
        ),
        Validated::StructureOnly { kind, path } => format!(
            "{kind} {path} valid (structure only: it is in no inventory folder, so the owners and catalogs it names were not checked)"
        ),
    })
}

/// `12 controls, 5 owners, 40 mappings, 1 target, 2 waivers`.
fn inventory_counts(counts: &InventoryCounts) -> String {
    let count =
        |n: usize, one: &str, many: &str| format!("{n} {}", if n == 1 { one } else { many });
    [
        count(counts.controls, "control", "controls"),
        count(counts.owners, "owner", "owners"),
        count(counts.mappings, "mapping", "mappings"),
        count(counts.targets, "target", "targets"),
        count(counts.waivers, "waiver", "waivers"),
    ]
    .join(", ")
}
