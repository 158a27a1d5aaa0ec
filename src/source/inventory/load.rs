//! Reading the inventory folder: `reqgap.yaml` first, then the catalogs, owners, control,
//! waiver and plan files it names (each under the path rule), and validation of what was
//! read. Every problem is collected; the load fails only at the end.

use std::collections::{BTreeMap, BTreeSet, HashSet};
use std::path::{Path, PathBuf};

use chrono::NaiveDate;

use super::paths::{config_path, outside_root, PathGate, PathRule, CONFIG_FILE};
use super::raw::{ConfigFile, ControlsFile, OwnersFile};
use super::validate::ValidationContext;
use super::{parse_file, parse_file_past_unknown_keys, Parsed};
use crate::diag::{Code, Diagnostic, Diagnostics, Location, SourceFile};
use crate::model::{
    CatalogKey, CatalogSet, Control, ControlId, Inventory, Owner, OwnerId, Policy, StandardSlug,
    Target, Version, Waiver,
};
use crate::source::yaml::YamlPath;
use crate::source::{display_path, journal, plan, policy, scan_folder, waivers, FolderScan};

/// A loaded inventory with the catalogs and transition folders it names.
#[derive(Debug)]
pub struct LoadedInventory {
    pub inventory: Inventory,
    pub catalogs: CatalogSet,
    /// Transition-file folders named by `reqgap.yaml`, resolved against its folder.
    pub mapping_dirs: Vec<PathBuf>,
    /// Crosswalk-file folders named by `reqgap.yaml` (`crosswalks:`), resolved against its
    /// folder under the same [`PathRule`] as every other path it names.
    pub crosswalk_dirs: Vec<PathBuf>,
    /// The parsed `reqgap.yaml`, for later issues' sections (policy, waivers).
    pub config_file: SourceFile,
    /// The `policy:` of reqgap.yaml, or the strict default.
    pub policy: Policy,
    /// The waivers of the file named by `waivers:` (none without it).
    pub waivers: Vec<Waiver>,
    /// Problems that do not stop the run (skipped files, an empty controls folder).
    pub warnings: Vec<Diagnostic>,
}

/// Loads the inventory in `dir`. `extra_catalog_dirs` come from the command line; `today`
/// is needed to refuse evidence reviewed in the future. Paths that `reqgap.yaml` names
/// must stay inside the folder reqgap runs in ([`PathRule::WithinWorkingFolder`]).
pub fn load(
    dir: &Path,
    extra_catalog_dirs: &[PathBuf],
    today: NaiveDate,
) -> Result<LoadedInventory, Diagnostics> {
    load_with(dir, extra_catalog_dirs, today, &PathRule::default())
}

/// [`load`] with the rule for where `reqgap.yaml`'s paths may lead.
pub fn load_with(
    dir: &Path,
    extra_catalog_dirs: &[PathBuf],
    today: NaiveDate,
    rule: &PathRule,
) -> Result<LoadedInventory, Diagnostics> {
    let (started, catalogs) = start(dir, extra_catalog_dirs, rule)?;
    let rest = finish(started, &catalogs, today, rule, |_| {})?;
    Ok(rest.with_catalogs(catalogs))
}

/// The first step of a load: `reqgap.yaml` read and the catalogs loaded (returned beside
/// it, so that work that needs only the catalogs, such as the diffs between versions, can
/// borrow them on another thread while [`finish`] reads and validates the
/// rest).
pub(crate) fn start(
    dir: &Path,
    extra_catalog_dirs: &[PathBuf],
    rule: &PathRule,
) -> Result<(StartedLoad, CatalogSet), Diagnostics> {
    let (dir, config_path) = find_config(dir)?;
    let gate = PathGate::new(&dir, rule);
    // reqgap.yaml itself may be a symbolic link that a pull request points elsewhere.
    gate.check_found(&config_path)
        .map_err(|_| outside_root(&config_path))?;
    let config: Parsed<ConfigFile> = parse_file(&config_path)?;
    let mut diagnostics = Diagnostics::new();
    let catalogs = load_catalogs(&gate, rule, &config, extra_catalog_dirs, &mut diagnostics);
    let started = StartedLoad {
        dir,
        config,
        diagnostics,
    };
    Ok((started, catalogs))
}

/// An inventory load whose `reqgap.yaml` and catalogs are read (see [`start`]).
pub(crate) struct StartedLoad {
    dir: PathBuf,
    config: Parsed<ConfigFile>,
    /// The problems found so far, reported with the rest by [`finish`].
    diagnostics: Diagnostics,
}

/// A loaded inventory but for its catalogs (see [`start`]).
pub(crate) struct LoadedWithoutCatalogs {
    loaded: LoadedInventory,
}

impl LoadedWithoutCatalogs {
    /// The validated inventory.
    pub(crate) fn inventory(&self) -> &Inventory {
        &self.loaded.inventory
    }

    /// The loaded inventory with the catalogs that [`start`] returned.
    pub(crate) fn with_catalogs(mut self, catalogs: CatalogSet) -> LoadedInventory {
        self.loaded.catalogs = catalogs;
        self.loaded
    }
}

impl StartedLoad {
    /// The targets that `reqgap.yaml` lists, as written (before validation), each with its
    /// `since:` edition.
    pub(crate) fn listed_targets(&self) -> Vec<(CatalogKey, Option<CatalogKey>)> {
        self.config
            .value
            .targets
            .iter()
            .map(|t| {
                let standard = StandardSlug::new(t.standard.as_str());
                let since = t.since.as_ref().map(|since| CatalogKey {
                    standard: standard.clone(),
                    version: Version::new(since.as_str()),
                });
                let key = CatalogKey {
                    standard,
                    version: Version::new(t.version.as_str()),
                };
                (key, since)
            })
            .collect()
    }

    /// The transition folders that `reqgap.yaml` names, as [`LoadedInventory::mapping_dirs`]
    /// will hold them; `None` when resolving them or checking the files below them finds a
    /// problem (which [`finish`] reports).
    pub(crate) fn mapping_dirs(&self, rule: &PathRule) -> Option<Vec<PathBuf>> {
        let gate = PathGate::new(&self.dir, rule);
        let mut problems = Diagnostics::new();
        let dirs = gate.folders(
            &self.config,
            "mappings",
            &self.config.value.mappings,
            &mut problems,
        );
        gate.check_files_below(&dirs, &mut problems);
        problems.is_empty().then_some(dirs)
    }
}

/// Reads and validates the rest of the inventory (owners, controls, policy, waivers,
/// plan) against `catalogs`, collecting every problem. `mapped` hears, as soon as the
/// control files are read and before they are validated, which catalog versions their
/// mappings name (see [`mapped_versions`]).
pub(crate) fn finish(
    started: StartedLoad,
    catalogs: &CatalogSet,
    today: NaiveDate,
    rule: &PathRule,
    mapped: impl FnOnce(BTreeSet<CatalogKey>),
) -> Result<LoadedWithoutCatalogs, Diagnostics> {
    let StartedLoad {
        dir,
        config,
        mut diagnostics,
    } = started;
    let dir = dir.as_path();
    let gate = PathGate::new(dir, rule);
    let owners = load_owners(&gate, &config, &mut diagnostics);
    let controls = load_controls(&gate, &config, &mut diagnostics);
    mapped(mapped_versions(&controls));
    journal::check_folders(&edited_folders(dir, &controls), &mut diagnostics);
    let mut context = ValidationContext::new(catalogs, today, diagnostics, owners.is_empty());
    let owner_map = context.owners(&owners);
    let control_map = context.controls(&controls, &owner_map);
    let policy = policy::validate(&config, &mut context.diagnostics);
    let targets = context.targets(&config, &owner_map, policy.default_due);
    let waivers = load_waivers(
        &gate,
        &config,
        &mut context,
        &owner_map,
        &control_map,
        &targets,
    );
    let escalate_after =
        config.value.escalate_after.as_deref().and_then(|text| {
            context.period(&config, text, &YamlPath::root().key("escalate-after"))
        });
    let plan = load_plan(&gate, &config, today, &mut context.diagnostics);
    let inventory = Inventory {
        organisation: config.value.organisation.clone(),
        root: display_path(dir),
        targets,
        owners: owner_map,
        controls: control_map,
        escalate_after,
        plan,
    };
    check_cycles(&inventory, &owners, &controls, &mut context.diagnostics);
    // Freeing the text, positions and raw values of thousands of control files takes a
    // twentieth of a second at 10,000 files: a thread of its own does it while the load
    // goes on (if it cannot be started, they are freed here).
    let _ = std::thread::Builder::new().spawn(move || drop((owners, controls)));
    let mut diagnostics = context.diagnostics;
    let mapping_dirs = gate.folders(
        &config,
        "mappings",
        &config.value.mappings,
        &mut diagnostics,
    );
    let crosswalk_dirs = gate.folders(
        &config,
        "crosswalks",
        &config.value.crosswalks,
        &mut diagnostics,
    );
    gate.check_files_below(&crosswalk_dirs, &mut diagnostics);
    gate.check_files_below(&mapping_dirs, &mut diagnostics);
    let warnings = diagnostics
        .iter()
        .filter(|d| !d.is_error())
        .cloned()
        .collect();
    let loaded = LoadedInventory {
        inventory,
        catalogs: CatalogSet::default(),
        mapping_dirs,
        crosswalk_dirs,
        config_file: config.file,
        policy,
        waivers,
        warnings,
    };
    diagnostics.into_result(LoadedWithoutCatalogs { loaded })
}

/// The catalog versions that the mappings of `controls` name with at least one
/// requirement, as written: what validation keeps of them is the inventory's mappings.
fn mapped_versions(controls: &[Parsed<ControlsFile>]) -> BTreeSet<CatalogKey> {
    controls
        .iter()
        .flat_map(|file| &file.value.controls)
        .flat_map(|control| &control.satisfies)
        .filter(|mapping| !mapping.requirements.is_empty())
        .map(|mapping| CatalogKey {
            standard: StandardSlug::new(mapping.standard.as_str()),
            version: Version::new(mapping.reviewed_against.as_str()),
        })
        .collect()
}

/// The inventory folder and its `reqgap.yaml` for `dir`, or why there is none.
fn find_config(dir: &Path) -> Result<(PathBuf, PathBuf), Diagnostics> {
    config_path(dir).ok_or_else(|| {
        Diagnostic::error(
            Code::NoInventory,
            format!("the folder `{}` has no {CONFIG_FILE}", display_path(dir)),
        )
        .note("help: an inventory folder starts with a reqgap.yaml; see docs/formats.md")
        .into()
    })
}

/// The bundled catalogs, those named on the command line and those `reqgap.yaml` names;
/// the load goes on without them when they cannot be read.
fn load_catalogs(
    gate: &PathGate<'_>,
    rule: &PathRule,
    config: &Parsed<ConfigFile>,
    extra_catalog_dirs: &[PathBuf],
    diagnostics: &mut Diagnostics,
) -> CatalogSet {
    let named_catalog_dirs = gate.folders(config, "catalogs", &config.value.catalogs, diagnostics);
    let mut catalog_dirs = extra_catalog_dirs.to_vec();
    catalog_dirs.extend(named_catalog_dirs.iter().cloned());
    // Folders given on the command line are the user's choice; those that reqgap.yaml
    // names come with the (untrusted) inventory, and so does every file inside them.
    let admit = |dir: &Path, file: &Path| {
        if named_catalog_dirs.iter().any(|named| named == dir) {
            gate.check_found(file)
        } else {
            rule.admit(dir, file)
        }
    };
    match CatalogSet::load_admitting(&catalog_dirs, admit) {
        Ok(set) => set,
        Err(problems) => {
            diagnostics.extend(problems);
            CatalogSet::default()
        }
    }
}

/// The waivers of the file named by `waivers:`, validated against the rest of the
/// inventory (none without it).
fn load_waivers(
    gate: &PathGate<'_>,
    config: &Parsed<ConfigFile>,
    context: &mut ValidationContext<'_>,
    owners: &BTreeMap<OwnerId, Owner>,
    controls: &BTreeMap<ControlId, Control>,
    targets: &[Target],
) -> Vec<Waiver> {
    let Some(path) = &config.value.waivers else {
        return Vec::new();
    };
    match gate.resolve_file(config, path, &YamlPath::root().key("waivers")) {
        Ok(path) => {
            let rules = policy::waiver_rules(config, &mut context.diagnostics);
            let waiver_context = waivers::WaiverContext {
                owners,
                controls,
                targets,
                catalogs: context.catalogs,
                rules,
                today: context.today,
            };
            waivers::load(&path, &waiver_context, &mut context.diagnostics)
        }
        Err(problem) => {
            context.diagnostics.push(problem);
            Vec::new()
        }
    }
}

/// The remediation plan of the file named by `plan:` (none without it).
fn load_plan(
    gate: &PathGate<'_>,
    config: &Parsed<ConfigFile>,
    today: NaiveDate,
    diagnostics: &mut Diagnostics,
) -> Vec<crate::model::PlanEntry> {
    let Some(path) = &config.value.plan else {
        return Vec::new();
    };
    match gate.resolve_file(config, path, &YamlPath::root().key("plan")) {
        Ok(path) => plan::load(&path, today, diagnostics),
        Err(problem) => {
            diagnostics.push(problem);
            Vec::new()
        }
    }
}

/// Cycles in escalation chains and control dependencies, each quoting the line it starts at.
fn check_cycles(
    inventory: &Inventory,
    owners: &[Parsed<OwnersFile>],
    controls: &[Parsed<ControlsFile>],
    diagnostics: &mut Diagnostics,
) {
    let mut cycles = Diagnostics::new();
    crate::source::cycles::check_cycles(inventory, &mut cycles);
    let files: Vec<&SourceFile> = owners
        .iter()
        .map(|o| &o.file)
        .chain(controls.iter().map(|c| &c.file))
        .collect();
    for diagnostic in cycles.0 {
        diagnostics.push(quote_source_line(diagnostic, &files));
    }
}

/// Adds the offending line's text to a diagnostic located by a [`Place`](crate::model::Place) alone.
fn quote_source_line(mut diagnostic: Diagnostic, files: &[&SourceFile]) -> Diagnostic {
    if let Some(location) = diagnostic.location.as_deref() {
        let file = files.iter().find(|f| f.path == location.path);
        if let (Some(file), Some(line), Some(column)) = (file, location.line, location.column) {
            diagnostic.location = Some(Box::new(file.token_location(line, column)));
        }
    }
    diagnostic
}

/// The folders an edit of this inventory writes in: its own and those of its control files.
fn edited_folders(dir: &Path, controls: &[Parsed<ControlsFile>]) -> Vec<PathBuf> {
    let mut folders = vec![dir.to_path_buf()];
    for control in controls {
        match Path::new(&control.file.path).parent() {
            Some(parent) if !parent.as_os_str().is_empty() => folders.push(parent.to_path_buf()),
            _ => folders.push(PathBuf::from(".")),
        }
    }
    folders
}

fn load_owners(
    gate: &PathGate<'_>,
    config: &Parsed<ConfigFile>,
    diagnostics: &mut Diagnostics,
) -> Vec<Parsed<OwnersFile>> {
    let parsed = gate
        .resolve_file(config, &config.value.owners, &["owners".into()])
        .map_err(Diagnostics::from)
        .and_then(|path| parse_file::<OwnersFile>(&path));
    match parsed {
        Ok(parsed) => vec![parsed],
        Err(problems) => {
            diagnostics.extend(problems);
            Vec::new()
        }
    }
}

fn load_controls(
    gate: &PathGate<'_>,
    config: &Parsed<ConfigFile>,
    diagnostics: &mut Diagnostics,
) -> Vec<Parsed<ControlsFile>> {
    let mut paths = BTreeSet::new();
    for (i, entry) in config.value.controls.iter().enumerate() {
        let path = match gate.resolve(config, entry, &["controls".into(), i.into()]) {
            Ok(path) => path,
            Err(problem) => {
                diagnostics.push(problem);
                continue;
            }
        };
        if path.is_dir() {
            match scan_folder(&path) {
                Ok(scan) => {
                    warn_about_folder(&path, &scan, diagnostics);
                    paths.extend(scan.yaml);
                }
                Err(problems) => diagnostics.extend(problems),
            }
        } else {
            paths.insert(path);
        }
    }
    // `controls: [controls, ./controls/a.yaml]` names one file twice; read it once.
    let paths: Vec<PathBuf> = paths.into_iter().collect();
    let canonical = crate::source::read_in_parallel(&paths, |p| std::fs::canonicalize(p).ok());
    let mut read = HashSet::new();
    let mut admitted = Vec::new();
    for (path, canonical) in paths.into_iter().zip(canonical) {
        let canonical = canonical.unwrap_or_else(|| path.clone());
        if !read.insert(canonical.clone()) {
            continue;
        }
        admitted.push(gate.check_canonical(&path, &canonical).map(|()| path));
    }
    let readable: Vec<&PathBuf> = admitted.iter().flatten().collect();
    let mut files = crate::source::read_in_parallel(&readable, |path| {
        let mut problems = Diagnostics::new();
        let file = parse_file_past_unknown_keys::<ControlsFile>(path, &mut problems);
        (file, problems)
    })
    .into_iter();
    let mut parsed = Vec::new();
    for entry in admitted {
        match entry.map(|_| files.next()) {
            Err(problem) => diagnostics.push(problem),
            Ok(Some((file, problems))) => {
                diagnostics.extend(problems);
                parsed.extend(file);
            }
            Ok(None) => {}
        }
    }
    parsed
}

/// Names what a controls folder skips, and says so when it holds no control file at all:
/// an inventory with no controls reports every requirement uncovered, which looks like a
/// real result.
fn warn_about_folder(path: &Path, scan: &FolderScan, diagnostics: &mut Diagnostics) {
    for skipped in &scan.skipped {
        diagnostics.push(
            Diagnostic::warning(
                Code::SkippedFile,
                format!(
                    "skipped `{}`: only `.yaml` and `.yml` files are read (the extension is case-sensitive)",
                    display_path(skipped)
                ),
            )
            .at(Location::file(display_path(skipped))),
        );
    }
    if scan.yaml.is_empty() {
        diagnostics.push(
            Diagnostic::warning(
                Code::EmptyFolder,
                format!(
                    "the controls folder `{}` holds no `.yaml` or `.yml` files",
                    display_path(path)
                ),
            )
            .at(Location::file(display_path(path))),
        );
    }
}
