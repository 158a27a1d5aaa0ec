//! The inventory folder: `reqgap.yaml`, the owners file and the control files. Raw types
//! mirror the files; validation turns them into [`Inventory`] and collects every problem.

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::path::{Path, PathBuf};

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use super::catalog::parse_date;
use super::scalar::{Text, VersionText};
use super::yaml::{self, PositionIndex, Step};
use crate::diag::{Code, Diagnostic, Diagnostics, Location, SourceFile};
use crate::model::CatalogSet;
use crate::model::{
    CatalogKey, Control, ControlId, ControlStatus, Coverage, Evidence, EvidenceId, Inventory,
    MappedRequirement, Mapping, Owner, OwnerId, Period, Place, RequirementId, StandardSlug, Target,
    Version,
};

/// The name of the inventory's root file.
pub const CONFIG_FILE: &str = "reqgap.yaml";

/// The other spelling people use for YAML files, accepted too.
pub const CONFIG_FILE_YML: &str = "reqgap.yml";

/// The inventory folder and its config file for a path that names either: a folder holding
/// `reqgap.yaml` (or `reqgap.yml`), or that file itself.
pub fn config_path(path: &Path) -> Option<(PathBuf, PathBuf)> {
    let is_config = |p: &Path| {
        p.file_name()
            .is_some_and(|n| n == CONFIG_FILE || n == CONFIG_FILE_YML)
    };
    if path.is_file() && is_config(path) {
        let dir = path.parent().unwrap_or(Path::new(""));
        let dir = if dir.as_os_str().is_empty() {
            Path::new(".")
        } else {
            dir
        };
        return Some((dir.to_path_buf(), path.to_path_buf()));
    }
    [CONFIG_FILE, CONFIG_FILE_YML]
        .into_iter()
        .map(|name| path.join(name))
        .find(|p| p.is_file())
        .map(|config| (path.to_path_buf(), config))
}

/// `reqgap.yaml`: what the organisation must meet and where its inventory lives.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct ConfigFile {
    /// Name of the organisation, shown in report headers.
    pub organisation: String,
    /// Extra catalog folders, relative to this file (bundled catalogs are always known).
    #[serde(default)]
    pub catalogs: Vec<String>,
    /// Extra folders of curated transition files, relative to this file.
    #[serde(default)]
    pub mappings: Vec<String>,
    /// Extra folders of crosswalk files (correspondences between standards), relative to
    /// this file, besides the bundled ones; like `--crosswalks DIR`. A target opts out of
    /// crosswalk coverage with its own `crosswalks: false`.
    #[serde(default)]
    pub crosswalks: Vec<String>,
    /// Control files, or folders of control files, relative to this file.
    pub controls: Vec<String>,
    /// The owners file, relative to this file.
    pub owners: String,
    /// The standard versions the organisation must meet.
    pub targets: Vec<TargetEntry>,
    /// What makes `reqgap check` fail; without it the strict defaults apply (see
    /// docs/ci.md).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub policy: Option<super::policy::PolicyEntry>,
    /// The waivers file, relative to this file (see docs/ci.md).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub waivers: Option<String>,
    /// The remediation plan file, relative to this file: per gap a due date, a status and a
    /// ticket (see docs/formats.md).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub plan: Option<String>,
    /// How long an owner holds an overdue gap before it moves one level up the escalation
    /// chain (`30 days`), for owners without their own `escalate-after`. Without either, an
    /// overdue gap escalates to the whole chain at once.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub escalate_after: Option<String>,
}

/// One standard version to meet.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct TargetEntry {
    /// Standard slug, e.g. `etsi-en-319-401`.
    pub standard: String,
    /// The version the organisation must meet.
    pub version: VersionText,
    /// Deadline (YYYY-MM-DD); default: the catalog's `effective`, else `published`.
    #[serde(default)]
    pub due: Option<Text>,
    /// Owner of uncovered requirements when no section owner matches.
    #[serde(default)]
    pub default_owner: Option<String>,
    /// Owner of uncovered requirements by section prefix (`"7.9": incident-manager`); the
    /// longest matching prefix wins.
    #[serde(default)]
    pub section_owners: BTreeMap<String, String>,
    /// Requirements that do not apply, each with a justification, an approver and a review
    /// interval; they leave the coverage denominator (see docs/formats.md).
    #[serde(default)]
    pub not_applicable: Vec<super::applicability::NotApplicableEntry>,
    /// Whether coverage follows crosswalks to other standards (e.g. NIS2 met through ETSI
    /// EN 319 401 via Implementing Regulation (EU) 2024/2690); default true.
    #[serde(default)]
    pub crosswalks: Option<bool>,
    /// The edition the organisation last met or was audited against (`3.1.1`): "new in this
    /// edition" lists what was added or changed since it. Default: the oldest version the
    /// mappings were reviewed against (`migrate` records it here before raising them).
    #[serde(default)]
    pub since: Option<VersionText>,
}

/// The owners file.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct OwnersFile {
    pub owners: Vec<OwnerEntry>,
}

/// A person or role.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct OwnerEntry {
    /// Stable ID used by controls, targets and waivers.
    pub id: String,
    /// Display name.
    pub name: String,
    /// Contact address.
    #[serde(default)]
    pub email: Option<String>,
    /// Whom to escalate to when this owner's gaps are overdue.
    #[serde(default)]
    pub escalates_to: Option<String>,
    /// How long this owner holds an overdue gap before it moves to `escalates-to`
    /// (`N days|weeks|months|years`); default: `escalate-after` of reqgap.yaml.
    #[serde(default)]
    pub escalate_after: Option<String>,
}

/// A control file.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct ControlsFile {
    pub controls: Vec<ControlEntry>,
}

/// One control of the organisation.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct ControlEntry {
    /// Unique across all control files.
    pub id: String,
    pub title: String,
    /// Responsible owner (an ID from the owners file).
    #[serde(default)]
    pub owner: Option<String>,
    /// `active` (default), `planned` or `retired`.
    #[serde(default)]
    pub status: ControlStatus,
    /// Controls this one needs in order to work.
    #[serde(default)]
    pub depends_on: Vec<String>,
    /// Evidence that the control operates.
    #[serde(default)]
    pub evidence: Vec<EvidenceEntry>,
    /// Requirements the control satisfies, per standard version.
    #[serde(default)]
    pub satisfies: Vec<MappingEntry>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct EvidenceEntry {
    /// Unique within the control.
    pub id: String,
    pub description: String,
    /// Date of the last review (YYYY-MM-DD).
    pub reviewed: Text,
    /// Review interval: `N days`, `N weeks`, `N months` or `N years`.
    pub review_every: String,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct MappingEntry {
    /// Standard slug.
    pub standard: String,
    /// The catalog version this mapping was last checked against.
    pub reviewed_against: VersionText,
    /// `full` (default) or `partial`.
    #[serde(default)]
    pub coverage: Coverage,
    /// Requirement IDs of that version.
    pub requirements: Vec<Text>,
    /// Free text.
    #[serde(default)]
    pub note: Option<String>,
}

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
    pub policy: crate::model::Policy,
    /// The waivers of the file named by `waivers:` (none without it).
    pub waivers: Vec<crate::model::Waiver>,
    /// Problems that do not stop the run (skipped files, an empty controls folder).
    pub warnings: Vec<Diagnostic>,
}

/// A parsed file kept with its text and positions for locating later findings.
pub(crate) struct Parsed<T> {
    pub(crate) value: T,
    pub(crate) file: SourceFile,
    pub(crate) index: PositionIndex,
}

impl<T> Parsed<T> {
    pub(crate) fn place(&self, path: &[Step<'_>]) -> Place {
        match self.index.nearest(path) {
            Some(p) => Place {
                path: self.file.path.clone(),
                line: p.line,
                column: p.column,
            },
            None => Place {
                path: self.file.path.clone(),
                line: 1,
                column: 1,
            },
        }
    }

    pub(crate) fn error(&self, code: Code, message: String, path: &[Step<'_>]) -> Diagnostic {
        Diagnostic::error(code, message).at(yaml::locate(&self.file, self.index.nearest(path)))
    }

    pub(crate) fn warning(&self, code: Code, message: String, path: &[Step<'_>]) -> Diagnostic {
        Diagnostic::warning(code, message).at(yaml::locate(&self.file, self.index.nearest(path)))
    }

    /// An error located at the key of `path` (for problems with a mapping key itself).
    fn key_error(&self, code: Code, message: String, path: &[Step<'_>]) -> Diagnostic {
        let position = self.index.key(path).or_else(|| self.index.nearest(path));
        Diagnostic::error(code, message).at(yaml::locate(&self.file, position))
    }
}

pub(crate) fn parse_file<T: serde::de::DeserializeOwned>(
    path: &Path,
) -> Result<Parsed<T>, Diagnostics> {
    let file = super::read_text(path)?;
    let (value, index) = yaml::parse::<T>(&file)?;
    Ok(Parsed { value, file, index })
}

/// [`parse_file`] that reports every problem of the file at once: unknown keys go to
/// `diagnostics` and the rest of the file is still read, so that a mistyped key, a bad date
/// and an unknown requirement ID in one file are all shown in one run.
pub(crate) fn parse_file_past_unknown_keys<T: serde::de::DeserializeOwned>(
    path: &Path,
    diagnostics: &mut Diagnostics,
) -> Option<Parsed<T>> {
    let file = match super::read_text(path) {
        Ok(file) => file,
        Err(problems) => {
            diagnostics.extend(problems);
            return None;
        }
    };
    match yaml::parse_past_unknown_keys::<T>(&file) {
        Ok((value, index, unknown)) => {
            diagnostics.extend(unknown);
            Some(Parsed { value, file, index })
        }
        Err(problems) => {
            diagnostics.extend(problems);
            None
        }
    }
}

/// Where the paths that `reqgap.yaml` names may lead. In CI the inventory comes from a
/// pull request, so `owners: /etc/passwd` or a symbolic link to `~/.ssh` must not make
/// reqgap read (and quote into a public log) a file outside the repository.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub enum PathRule {
    /// Inside the folder reqgap runs in, after symbolic links are resolved; when the
    /// inventory folder itself lies elsewhere (named on the command line), inside that.
    #[default]
    WithinWorkingFolder,
    /// Inside this folder, after symbolic links are resolved.
    Within(PathBuf),
    /// Anywhere (`--allow-outside-root`).
    Anywhere,
}

impl PathRule {
    /// The folder paths must stay in (canonical), or `None` when any path is allowed.
    fn root(&self, inventory_dir: &Path) -> Option<PathBuf> {
        let inventory = std::fs::canonicalize(inventory_dir).ok()?;
        match self {
            PathRule::Anywhere => None,
            PathRule::Within(root) => std::fs::canonicalize(root).ok(),
            PathRule::WithinWorkingFolder => {
                let working = std::env::current_dir().and_then(std::fs::canonicalize).ok();
                match working {
                    Some(working) if inventory.starts_with(&working) => Some(working),
                    _ => Some(inventory),
                }
            }
        }
    }
}

impl PathRule {
    /// The folder (canonical) that every file reqgap reads must stay in unless it lies in
    /// the folder it was named with, or `None` under [`PathRule::Anywhere`].
    pub fn working_root(&self) -> Option<PathBuf> {
        match self {
            PathRule::Anywhere => None,
            PathRule::Within(root) => std::fs::canonicalize(root).ok(),
            PathRule::WithinWorkingFolder => {
                std::env::current_dir().and_then(std::fs::canonicalize).ok()
            }
        }
    }

    /// Refuses `file`, found in `folder` (named on the command line: `--catalogs`,
    /// `--history`, …), when its resolved path leaves both that folder and the working
    /// root: in CI the folder comes with the pull request, and a symbolic link in it to
    /// `/proc/self/environ` must not make reqgap read (and quote) the job's secrets.
    pub fn admit(&self, folder: &Path, file: &Path) -> Result<(), Diagnostic> {
        let Some(root) = self.working_root() else {
            return Ok(());
        };
        // A missing file is reported by whoever reads it.
        let Ok(resolved) = std::fs::canonicalize(file) else {
            return Ok(());
        };
        let folder = std::fs::canonicalize(folder).unwrap_or_else(|_| folder.to_path_buf());
        if resolved.starts_with(&root) || resolved.starts_with(&folder) {
            return Ok(());
        }
        Err(outside_root(file))
    }

    /// [`PathRule::admit`] for a file named on the command line (`--baseline`): a symbolic
    /// link must not lead out of the folder the file is named in.
    pub fn admit_file(&self, file: &Path) -> Result<(), Diagnostic> {
        let folder = match file.parent() {
            Some(parent) if !parent.as_os_str().is_empty() => parent,
            _ => Path::new("."),
        };
        self.admit(folder, file)
    }

    /// [`PathRule::admit`] for every YAML file below each of `folders`, all problems
    /// together.
    pub fn admit_all_below(&self, folders: &[PathBuf]) -> Result<(), Diagnostics> {
        let mut problems = Diagnostics::new();
        for folder in folders {
            for file in super::yaml_files_in(folder).unwrap_or_default() {
                if let Err(problem) = self.admit(folder, &file) {
                    problems.push(problem);
                }
            }
        }
        problems.into_result(())
    }
}

/// A file whose resolved path leaves the root: named without a line, so that nothing of
/// what it points to is shown.
fn outside_root(file: &Path) -> Diagnostic {
    Diagnostic::error(
        Code::PathOutsideRoot,
        "this file leads outside the folder reqgap runs in (after symbolic links); it was not read",
    )
    .at(crate::diag::Location::file(super::display_path(file)))
    .note(OUTSIDE_ROOT_HELP)
}

/// Resolves the paths that `reqgap.yaml` names, reporting a missing or escaping path at
/// the line that names it.
struct PathGate<'a> {
    dir: &'a Path,
    root: Option<PathBuf>,
}

impl PathGate<'_> {
    fn resolve(
        &self,
        config: &Parsed<ConfigFile>,
        entry: &str,
        at: &[Step<'_>],
    ) -> Result<PathBuf, Diagnostic> {
        let path = self.dir.join(entry);
        let canonical = std::fs::canonicalize(&path).map_err(|e| {
            let why = match e.kind() {
                std::io::ErrorKind::NotFound => "there is no such file or folder".to_owned(),
                _ => e.to_string(),
            };
            config.error(
                Code::CannotRead,
                format!("cannot read `{}`: {why}", yaml::clip(entry)),
                at,
            )
        })?;
        self.check_inside(&canonical).map_err(|message| {
            config
                .error(
                    Code::PathOutsideRoot,
                    format!("`{}` {message}", yaml::clip(entry)),
                    at,
                )
                .note(OUTSIDE_ROOT_HELP)
        })?;
        Ok(path)
    }

    /// [`PathGate::resolve`] for an entry that must name a file (`owners:`, `waivers:`):
    /// a folder, device or pipe is reported at the line that names it (an empty
    /// `owners:` names the inventory folder itself).
    fn resolve_file(
        &self,
        config: &Parsed<ConfigFile>,
        entry: &str,
        at: &[Step<'_>],
    ) -> Result<PathBuf, Diagnostic> {
        if entry.trim().is_empty() {
            let message = "no file named: an empty path names the inventory folder";
            return Err(config.key_error(Code::NotAFile, message.to_owned(), at));
        }
        let path = self.resolve(config, entry, at)?;
        if path.is_file() {
            return Ok(path);
        }
        let found = if path.is_dir() {
            "a folder"
        } else {
            "a device, pipe or socket"
        };
        Err(config.error(
            Code::NotAFile,
            format!("`{}` is {found}; expected a file", yaml::clip(entry)),
            at,
        ))
    }

    /// A file found by walking a folder: a symbolic link in it may lead elsewhere.
    fn check_found(&self, path: &Path) -> Result<(), Diagnostic> {
        let canonical = std::fs::canonicalize(path).unwrap_or_else(|_| path.to_path_buf());
        self.check_inside(&canonical).map_err(|message| {
            Diagnostic::error(Code::PathOutsideRoot, format!("this file {message}"))
                .at(crate::diag::Location {
                    line: Some(1),
                    column: Some(1),
                    ..crate::diag::Location::file(super::display_path(path))
                })
                .note(OUTSIDE_ROOT_HELP)
        })
    }

    fn check_inside(&self, canonical: &Path) -> Result<(), String> {
        match &self.root {
            Some(root) if !canonical.starts_with(root) => {
                Err("leads outside the folder reqgap runs in".to_owned())
            }
            _ => Ok(()),
        }
    }
}

const OUTSIDE_ROOT_HELP: &str = "help: paths in reqgap.yaml must stay inside the repository (after symbolic links); pass --allow-outside-root to lift this";

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
    let Some((dir, config_path)) = config_path(dir) else {
        return Err(Diagnostic::error(
            Code::NoInventory,
            format!(
                "the folder `{}` has no {CONFIG_FILE}",
                super::display_path(dir)
            ),
        )
        .note("help: an inventory folder starts with a reqgap.yaml; see docs/formats.md")
        .into());
    };
    let dir = dir.as_path();
    let gate = PathGate {
        dir,
        root: rule.root(dir),
    };
    // reqgap.yaml itself may be a symbolic link that a pull request points elsewhere.
    gate.check_found(&config_path)
        .map_err(|_| outside_root(&config_path))?;
    let config: Parsed<ConfigFile> = parse_file(&config_path)?;
    let mut diagnostics = Diagnostics::new();
    let named_catalog_dirs = gate.folders(
        &config,
        "catalogs",
        &config.value.catalogs,
        &mut diagnostics,
    );
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
    let catalogs = match CatalogSet::load_admitting(&catalog_dirs, admit) {
        Ok(set) => set,
        Err(problems) => {
            diagnostics.extend(problems);
            CatalogSet::default()
        }
    };
    let owners = load_owners(&gate, &config, &mut diagnostics);
    let controls = load_controls(&gate, &config, &mut diagnostics);
    super::journal::check_folders(&edited_folders(dir, &controls), &mut diagnostics);
    let mut checker = Checker {
        catalogs: &catalogs,
        today,
        diagnostics,
        owners_unreadable: owners.is_empty(),
        requirement_index: HashMap::new(),
    };
    let owner_map = checker.owners(&owners);
    let control_map = checker.controls(&controls, &owner_map);
    let policy = super::policy::validate(&config, &mut checker.diagnostics);
    let targets = checker.targets(&config, &owner_map, policy.default_due);
    let waivers = match &config.value.waivers {
        Some(path) => match gate.resolve_file(&config, path, &["waivers".into()]) {
            Ok(path) => {
                let context = super::waivers::WaiverContext {
                    owners: &owner_map,
                    controls: &control_map,
                    targets: &targets,
                    catalogs: &catalogs,
                    rules: super::policy::waiver_rules(&config, &mut checker.diagnostics),
                    today,
                };
                super::waivers::load(&path, &context, &mut checker.diagnostics)
            }
            Err(problem) => {
                checker.diagnostics.push(problem);
                Vec::new()
            }
        },
        None => Vec::new(),
    };
    let escalate_after = config
        .value
        .escalate_after
        .as_deref()
        .and_then(|text| checker.period(&config, text, &["escalate-after".into()]));
    let plan = match &config.value.plan {
        Some(path) => match gate.resolve_file(&config, path, &["plan".into()]) {
            Ok(path) => super::plan::load(&path, today, &mut checker.diagnostics),
            Err(problem) => {
                checker.diagnostics.push(problem);
                Vec::new()
            }
        },
        None => Vec::new(),
    };
    let inventory = Inventory {
        organisation: config.value.organisation.clone(),
        root: super::display_path(dir),
        targets,
        owners: owner_map,
        controls: control_map,
        escalate_after,
        plan,
    };
    let mut cycles = Diagnostics::new();
    super::cycles::check_cycles(&inventory, &mut cycles);
    let files: Vec<&SourceFile> = owners
        .iter()
        .map(|o| &o.file)
        .chain(controls.iter().map(|c| &c.file))
        .collect();
    for diagnostic in cycles.0 {
        checker
            .diagnostics
            .push(quote_source_line(diagnostic, &files));
    }
    let mapping_dirs = gate.folders(
        &config,
        "mappings",
        &config.value.mappings,
        &mut checker.diagnostics,
    );
    let crosswalk_dirs = gate.folders(
        &config,
        "crosswalks",
        &config.value.crosswalks,
        &mut checker.diagnostics,
    );
    gate.check_files_below(&crosswalk_dirs, &mut checker.diagnostics);
    gate.check_files_below(&mapping_dirs, &mut checker.diagnostics);
    let warnings = checker
        .diagnostics
        .iter()
        .filter(|d| !d.is_error())
        .cloned()
        .collect();
    checker.diagnostics.into_result(LoadedInventory {
        inventory,
        catalogs,
        mapping_dirs,
        crosswalk_dirs,
        config_file: config.file,
        policy,
        waivers,
        warnings,
    })
}

/// What to do about a mapping to a withdrawn requirement, from the catalog's own links.
fn withdrawn_help(warning: Diagnostic, withdrawn: &crate::model::Requirement) -> Diagnostic {
    use crate::model::LinkRel;
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

/// Adds the offending line's text to a diagnostic located by a [`Place`] alone.
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
            match super::scan_folder(&path) {
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
    let mut parsed = Vec::new();
    // `controls: [controls, ./controls/a.yaml]` names one file twice; read it once.
    let mut read = std::collections::HashSet::new();
    for path in paths {
        if !read.insert(std::fs::canonicalize(&path).unwrap_or_else(|_| path.clone())) {
            continue;
        }
        if let Err(problem) = gate.check_found(&path) {
            diagnostics.push(problem);
            continue;
        }
        if let Some(file) = parse_file_past_unknown_keys::<ControlsFile>(&path, diagnostics) {
            parsed.push(file);
        }
    }
    parsed
}

impl PathGate<'_> {
    /// Every file below `folders` must stay inside the root too: a symbolic link in a
    /// crosswalk folder must not make reqgap read (and quote) a file elsewhere.
    fn check_files_below(&self, folders: &[PathBuf], diagnostics: &mut Diagnostics) {
        for folder in folders {
            let Ok(files) = super::yaml_files_in(folder) else {
                continue; // the loader of the folder reports why it cannot be read
            };
            for file in files {
                if let Err(problem) = self.check_found(&file) {
                    diagnostics.push(problem);
                }
            }
        }
    }

    /// The folders `entries` listed under `key` (`catalogs`, `mappings`, `crosswalks`), each
    /// resolved.
    fn folders(
        &self,
        config: &Parsed<ConfigFile>,
        key: &str,
        entries: &[String],
        diagnostics: &mut Diagnostics,
    ) -> Vec<PathBuf> {
        let mut folders = Vec::new();
        for (i, entry) in entries.iter().enumerate() {
            match self.resolve(config, entry, &[Step::Key(key), i.into()]) {
                Ok(path) => folders.push(path),
                Err(problem) => diagnostics.push(problem),
            }
        }
        folders
    }
}

/// Names what a controls folder skips, and says so when it holds no control file at all:
/// an inventory with no controls reports every requirement uncovered, which looks like a
/// real result.
fn warn_about_folder(path: &Path, scan: &super::FolderScan, diagnostics: &mut Diagnostics) {
    for skipped in &scan.skipped {
        diagnostics.push(
            Diagnostic::warning(
                Code::SkippedFile,
                format!(
                    "skipped `{}`: only `.yaml` and `.yml` files are read (the extension is case-sensitive)",
                    super::display_path(skipped)
                ),
            )
            .at(crate::diag::Location::file(super::display_path(skipped))),
        );
    }
    if scan.yaml.is_empty() {
        diagnostics.push(
            Diagnostic::warning(
                Code::EmptyFolder,
                format!(
                    "the controls folder `{}` holds no `.yaml` or `.yml` files",
                    super::display_path(path)
                ),
            )
            .at(crate::diag::Location::file(super::display_path(path))),
        );
    }
}

/// A target's deadline when it names none: the date the catalog applies from, or when the
/// publisher gives none, `default-due` after publication (without it a version would be
/// overdue on the day it is published).
fn default_deadline(catalog: &crate::model::Catalog, grace: Option<Period>) -> Option<NaiveDate> {
    catalog
        .effective
        .or_else(|| grace.map(|g| g.after(catalog.published)))
}

/// Points a duplicate definition at the first one, in whichever of `files` that is, so the
/// reader sees both places in one diagnostic.
fn first_defined_at<T>(
    duplicate: Diagnostic,
    files: &[Parsed<T>],
    first: &Place,
    id: &impl std::fmt::Display,
) -> Diagnostic {
    let location = files
        .iter()
        .find(|f| f.file.path == first.path)
        .map_or_else(
            || Location::file(first.path.clone()),
            |f| {
                f.file
                    .location(first.line, first.column, id.to_string().chars().count())
            },
        );
    duplicate.also_at(location, "first defined here")
}

struct Checker<'a> {
    catalogs: &'a CatalogSet,
    today: NaiveDate,
    diagnostics: Diagnostics,
    /// The owners file could not be read (already reported): every owner reference
    /// would be "unknown", which says nothing new.
    owners_unreadable: bool,
    /// Each catalog's requirements by ID, built when a mapping first names the catalog:
    /// a scan of the catalog per mapped ID made validation quadratic.
    requirement_index: HashMap<CatalogKey, RequirementIndex<'a>>,
}

/// Lookup only, never iterated, so hash order reaches no output.
type RequirementIndex<'a> = HashMap<&'a str, &'a crate::model::Requirement>;

impl<'a> Checker<'a> {
    fn owners(&mut self, files: &[Parsed<OwnersFile>]) -> BTreeMap<OwnerId, Owner> {
        let mut owners = BTreeMap::new();
        for file in files {
            for (i, entry) in file.value.owners.iter().enumerate() {
                let at = |key| ["owners".into(), i.into(), Step::Key(key)];
                let place = file.place(&at("id"));
                if !self.printable_id(file, "owner", &entry.id, &at("id")) {
                    continue;
                }
                let id = OwnerId::new(entry.id.as_str());
                if let Some(first) = owners.get(&id).map(|o: &Owner| o.place.clone()) {
                    let duplicate = file.error(
                        Code::DuplicateId,
                        format!("owner `{id}` is defined twice"),
                        &at("id"),
                    );
                    self.diagnostics
                        .push(first_defined_at(duplicate, files, &first, &id));
                    continue;
                }
                owners.insert(
                    id.clone(),
                    Owner {
                        id,
                        name: entry.name.clone(),
                        email: entry.email.clone(),
                        escalates_to: entry.escalates_to.as_deref().map(OwnerId::new),
                        escalate_after: entry
                            .escalate_after
                            .as_deref()
                            .and_then(|text| self.period(file, text, &at("escalate-after"))),
                        place,
                    },
                );
            }
        }
        for file in files {
            for (i, entry) in file.value.owners.iter().enumerate() {
                if let Some(up) = &entry.escalates_to {
                    self.known_owner(
                        file,
                        &owners,
                        up,
                        &["owners".into(), i.into(), "escalates-to".into()],
                    );
                }
            }
        }
        owners
    }

    /// False (with a located error) when `id` holds a character IDs may not hold.
    /// Requirement `id` of `catalog`, as [`crate::model::Catalog::requirement`] finds it
    /// (the first with that ID), through the catalog's index.
    fn requirement(
        &mut self,
        catalog: &'a crate::model::Catalog,
        id: &str,
    ) -> Option<&'a crate::model::Requirement> {
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

    fn printable_id<T>(
        &mut self,
        file: &Parsed<T>,
        kind: &str,
        id: &str,
        path: &[Step<'_>],
    ) -> bool {
        let Some(message) = super::id_character_problem(kind, id) else {
            return true;
        };
        self.diagnostics
            .push(file.error(Code::BadIdCharacter, message, path));
        false
    }

    fn known_owner<T>(
        &mut self,
        file: &Parsed<T>,
        owners: &BTreeMap<OwnerId, Owner>,
        id: &str,
        path: &[Step<'_>],
    ) {
        if owners.contains_key(id) || self.owners_unreadable {
            return;
        }
        let known: Vec<String> = owners.keys().map(ToString::to_string).collect();
        let mut d = file.error(Code::UnknownOwner, format!("unknown owner `{id}`"), path);
        if let Some(best) = crate::suggest::nearest(id, &known) {
            d = d.note(format!("help: did you mean `{best}`?"));
        }
        let list = if known.is_empty() {
            "none: the owners file defines no owner".to_owned()
        } else {
            known.join(", ")
        };
        self.diagnostics
            .push(d.note(format!("known owners: {list}")));
    }

    /// A period (`30 days`), or `None` with a located error.
    fn period<T>(&mut self, file: &Parsed<T>, text: &str, path: &[Step<'_>]) -> Option<Period> {
        let period = Period::parse(text);
        if period.is_none() {
            self.diagnostics.push(
                file.error(
                    Code::BadDuration,
                    format!("`{text}` is not a duration"),
                    path,
                )
                .note("help: write `N days`, `N weeks`, `N months` or `N years`, e.g. `30 days`"),
            );
        }
        period
    }

    fn date<T>(&mut self, file: &Parsed<T>, text: &Text, path: &[Step<'_>]) -> Option<NaiveDate> {
        let date = parse_date(text.as_str());
        if date.is_none() {
            self.diagnostics
                .push(super::scalar::bad_date(text.as_str(), |message| {
                    file.error(Code::BadDate, message, path)
                }));
        }
        date
    }

    fn controls(
        &mut self,
        files: &[Parsed<ControlsFile>],
        owners: &BTreeMap<OwnerId, Owner>,
    ) -> BTreeMap<ControlId, Control> {
        let mut controls: BTreeMap<ControlId, Control> = BTreeMap::new();
        for file in files {
            for (i, entry) in file.value.controls.iter().enumerate() {
                let Some(control) = self.control(file, i, entry, owners) else {
                    continue;
                };
                if let Some(first) = controls.get(&control.id) {
                    let duplicate = file.error(
                        Code::DuplicateId,
                        format!("control `{}` is defined twice", control.id),
                        &["controls".into(), i.into(), "id".into()],
                    );
                    self.diagnostics.push(first_defined_at(
                        duplicate,
                        files,
                        &first.place,
                        &control.id,
                    ));
                    continue;
                }
                controls.insert(control.id.clone(), control);
            }
        }
        self.dependencies(files, &controls);
        controls
    }

    fn control(
        &mut self,
        file: &Parsed<ControlsFile>,
        i: usize,
        entry: &ControlEntry,
        owners: &BTreeMap<OwnerId, Owner>,
    ) -> Option<Control> {
        let base: [Step<'_>; 2] = ["controls".into(), i.into()];
        if entry.id.trim().is_empty() {
            self.diagnostics.push(file.error(
                Code::EmptyId,
                "control ID is empty".into(),
                &[base[0], base[1], "id".into()],
            ));
            return None;
        }
        if !self.printable_id(file, "control", &entry.id, &[base[0], base[1], "id".into()]) {
            return None;
        }
        if let Some(owner) = &entry.owner {
            self.known_owner(file, owners, owner, &[base[0], base[1], "owner".into()]);
        }
        let evidence = self.evidence(file, i, entry);
        let satisfies = self.mappings(file, i, entry);
        Some(Control {
            id: ControlId::new(entry.id.as_str()),
            title: entry.title.clone(),
            owner: entry.owner.as_deref().map(OwnerId::new),
            status: entry.status,
            depends_on: entry
                .depends_on
                .iter()
                .map(|d| ControlId::new(d.as_str()))
                .collect(),
            evidence,
            satisfies,
            place: file.place(&[base[0], base[1], "id".into()]),
        })
    }

    fn evidence(
        &mut self,
        file: &Parsed<ControlsFile>,
        i: usize,
        entry: &ControlEntry,
    ) -> Vec<Evidence> {
        let mut seen = BTreeSet::new();
        let mut evidence = Vec::new();
        for (j, item) in entry.evidence.iter().enumerate() {
            let at = |key| {
                [
                    "controls".into(),
                    i.into(),
                    "evidence".into(),
                    j.into(),
                    Step::Key(key),
                ]
            };
            if !self.printable_id(file, "evidence", &item.id, &at("id")) {
                continue;
            }
            if !seen.insert(item.id.as_str()) {
                self.diagnostics.push(file.error(
                    Code::DuplicateId,
                    format!(
                        "evidence `{}` appears twice in control `{}`",
                        item.id, entry.id
                    ),
                    &at("id"),
                ));
                continue;
            }
            let reviewed = self.date(file, &item.reviewed, &at("reviewed"));
            if let Some(date) = reviewed.filter(|d| *d > self.today) {
                self.diagnostics.push(file.error(
                    Code::FutureDate,
                    format!(
                        "evidence `{}` was reviewed on {date}, which is after today ({})",
                        item.id, self.today
                    ),
                    &at("reviewed"),
                ));
            }
            let period = Period::parse(&item.review_every);
            if period.is_none() {
                self.diagnostics.push(
                    file.error(
                        Code::BadDuration,
                        format!("`{}` is not a review interval", item.review_every),
                        &at("review-every"),
                    )
                    .note(
                        "help: write `N days`, `N weeks`, `N months` or `N years`, e.g. `3 months`",
                    ),
                );
            }
            if let (Some(reviewed), Some(review_every)) = (reviewed, period) {
                evidence.push(Evidence {
                    id: EvidenceId::new(item.id.as_str()),
                    description: item.description.clone(),
                    reviewed,
                    review_every,
                    place: file.place(&at("reviewed")),
                });
            }
        }
        evidence
    }

    fn mappings(
        &mut self,
        file: &Parsed<ControlsFile>,
        i: usize,
        entry: &ControlEntry,
    ) -> Vec<Mapping> {
        let mut mappings = Vec::new();
        for (j, mapping) in entry.satisfies.iter().enumerate() {
            let at = |key| {
                [
                    "controls".into(),
                    i.into(),
                    "satisfies".into(),
                    j.into(),
                    Step::Key(key),
                ]
            };
            let key = CatalogKey {
                standard: StandardSlug::new(mapping.standard.as_str()),
                version: Version::new(mapping.reviewed_against.as_str()),
            };
            let catalog = self.catalog(
                file,
                &key,
                mapping.reviewed_against.unquoted_number,
                &at("standard"),
                &at("reviewed-against"),
            );
            let mut requirements = Vec::new();
            for (k, id) in mapping.requirements.iter().enumerate() {
                let path = [
                    "controls".into(),
                    i.into(),
                    "satisfies".into(),
                    j.into(),
                    "requirements".into(),
                    k.into(),
                ];
                // `etsi-en-319-401@3.2.1:REQ-7.9.3-01`, copied from a report, names the
                // same requirement when its catalog is the mapping's.
                let id = match id.as_str().split_once(':') {
                    Some((prefix, bare)) if prefix == key.to_string() => Text::from(bare),
                    Some((prefix, _)) if prefix.contains('@') => {
                        self.diagnostics.push(file.error(
                            Code::UnknownRequirement,
                            format!("`{id}` names a requirement of {prefix}, but this mapping is reviewed against {key}"),
                            &path,
                        ).note("help: write the bare ID under the `standard` and `reviewed-against` it belongs to"));
                        continue;
                    }
                    _ => id.clone(),
                };
                let id = &id;
                if let Some(catalog) = catalog {
                    if self.requirement(catalog, id.as_str()).is_none() {
                        let known: Vec<String> = catalog
                            .requirements
                            .iter()
                            .map(|r| r.id.to_string())
                            .collect();
                        let mut d = file.error(
                            Code::UnknownRequirement,
                            format!(
                                "control `{}` maps to `{id}`, which {key} does not have",
                                entry.id
                            ),
                            &path,
                        );
                        let elsewhere = self.versions_with(&key, id.as_str());
                        if !elsewhere.is_empty() {
                            d = d.note(format!(
                                "help: `{id}` is in {}; did you mean `reviewed-against: \"{}\"`?",
                                elsewhere.join(", "),
                                elsewhere[elsewhere.len() - 1]
                            ));
                        } else if let Some(best) = crate::suggest::nearest(id.as_str(), &known) {
                            d = d.note(format!("help: did you mean `{best}`?"));
                        }
                        self.diagnostics.push(d);
                        continue;
                    }
                    if let Some(withdrawn) = self
                        .requirement(catalog, id.as_str())
                        .filter(|r| !r.is_active())
                    {
                        let warning = file.warning(
                            Code::MappingToWithdrawn,
                            format!(
                                "control `{}` maps to `{id}`, which {key} marks withdrawn",
                                entry.id
                            ),
                            &path,
                        );
                        self.diagnostics.push(withdrawn_help(warning, withdrawn));
                    }
                }
                requirements.push(MappedRequirement {
                    id: RequirementId::new(id.as_str()),
                    place: file.place(&path),
                });
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
    fn catalog<T>(
        &mut self,
        file: &Parsed<T>,
        key: &CatalogKey,
        unquoted_number: bool,
        standard_path: &[Step<'_>],
        version_path: &[Step<'_>],
    ) -> Option<&'a crate::model::Catalog> {
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

    /// `since:` must name a known version of the target's standard older than the target.
    fn since(
        &mut self,
        config: &Parsed<ConfigFile>,
        entry: &TargetEntry,
        target: &CatalogKey,
        path: &[Step<'_>],
    ) {
        let Some(since) = &entry.since else { return };
        let key = CatalogKey {
            standard: target.standard.clone(),
            version: Version::new(since.as_str()),
        };
        let known = self.catalog(config, &key, since.unquoted_number, path, path);
        if known.is_some() && key.version >= target.version {
            self.diagnostics.push(config.error(
                Code::UnknownCatalog,
                format!(
                    "`since: {}` must be an edition older than the target {target}",
                    key.version
                ),
                path,
            ));
        }
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

    fn dependencies(
        &mut self,
        files: &[Parsed<ControlsFile>],
        controls: &BTreeMap<ControlId, Control>,
    ) {
        let known: Vec<String> = controls.keys().map(ToString::to_string).collect();
        for file in files {
            for (i, entry) in file.value.controls.iter().enumerate() {
                for (j, dependency) in entry.depends_on.iter().enumerate() {
                    if controls.contains_key(dependency.as_str()) {
                        continue;
                    }
                    let mut d = file.error(
                        Code::UnknownControl,
                        format!(
                            "control `{}` depends on unknown control `{dependency}`",
                            entry.id
                        ),
                        &["controls".into(), i.into(), "depends-on".into(), j.into()],
                    );
                    if let Some(best) = crate::suggest::nearest(dependency, &known) {
                        d = d.note(format!("help: did you mean `{best}`?"));
                    }
                    self.diagnostics.push(d);
                }
            }
        }
    }

    fn targets(
        &mut self,
        config: &Parsed<ConfigFile>,
        owners: &BTreeMap<OwnerId, Owner>,
        default_due: Option<Period>,
    ) -> Vec<Target> {
        let mut targets = Vec::new();
        let mut first_line: BTreeMap<CatalogKey, usize> = BTreeMap::new();
        for (i, entry) in config.value.targets.iter().enumerate() {
            let at = |key| ["targets".into(), i.into(), Step::Key(key)];
            let key = CatalogKey {
                standard: StandardSlug::new(entry.standard.as_str()),
                version: Version::new(entry.version.as_str()),
            };
            // A repeated target would repeat every gap (N targets: N(N+1)/2 copies of
            // each), which is how a 300-line reqgap.yaml grew a 3.5 GB report.
            let line = config.place(&at("version")).line;
            if let Some(&first) = first_line.get(&key) {
                self.diagnostics.push(config.error(
                    Code::DuplicateTarget,
                    format!("{key} is listed as a target twice (first at line {first})"),
                    &at("version"),
                ));
                continue;
            }
            first_line.insert(key.clone(), line);
            let catalog = self.catalog(
                config,
                &key,
                entry.version.unquoted_number,
                &at("standard"),
                &at("version"),
            );
            let due = match &entry.due {
                Some(text) => self.date(config, text, &at("due")),
                None => catalog.and_then(|c| default_deadline(c, default_due)),
            };
            self.since(config, entry, &key, &at("since"));
            if let Some(owner) = &entry.default_owner {
                self.known_owner(config, owners, owner, &at("default-owner"));
            }
            for (prefix, owner) in &entry.section_owners {
                let path = [
                    "targets".into(),
                    i.into(),
                    "section-owners".into(),
                    Step::Key(prefix),
                ];
                self.known_owner(config, owners, owner, &path);
                let exists =
                    catalog.is_none_or(|c| c.sections.iter().any(|s| s.id.is_within(prefix)));
                if !exists {
                    self.diagnostics.push(config.key_error(
                        Code::UnknownSection,
                        format!("{key} has no section `{prefix}`"),
                        &path,
                    ));
                }
            }
            let not_applicable = super::applicability::validate(
                &super::applicability::Context {
                    config,
                    target: i,
                    owners,
                    catalog,
                    today: self.today,
                },
                &entry.not_applicable,
                &mut self.diagnostics,
            );
            targets.push(Target {
                not_applicable,
                catalog: key,
                due,
                due_given: entry.due.is_some(),
                default_owner: entry.default_owner.as_deref().map(OwnerId::new),
                section_owners: entry
                    .section_owners
                    .iter()
                    .map(|(k, v)| (k.clone(), OwnerId::new(v.as_str())))
                    .collect(),
                crosswalks: entry.crosswalks.unwrap_or(true),
                since: entry.since.as_ref().map(|v| Version::new(v.as_str())),
                place: config.place(&at("version")),
            });
        }
        targets
    }
}
