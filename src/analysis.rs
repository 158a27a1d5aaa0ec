//! Running an analysis from files: the one entry point that the binary, the tests, the
//! examples and anyone embedding reqgap use, so that every caller loads catalogs,
//! transition files and an inventory the same way and sees the same warnings.

use std::path::{Path, PathBuf};

use chrono::NaiveDate;

use crate::check::{self, CheckReport};
use crate::diag::{Diagnostic, Diagnostics};
use crate::gaps::{self, DiffBridge, GapReport};
use crate::model::{
    Baseline, CatalogSet, ControlStatus, CrosswalkSet, Inventory, StandardSlug, TransitionSet,
};
use crate::source::history::History;
use crate::source::inventory::{self, LoadedInventory};
use crate::summary::{self, ManagementReport};

/// A gap analysis of one inventory folder, configured step by step:
///
/// ```no_run
/// use chrono::NaiveDate;
///
/// let today = NaiveDate::from_ymd_opt(2026, 11, 26).unwrap();
/// let analysed = reqgap::Analysis::new("examples/trust-service-provider", today)
///     .run()
///     .map_err(|problems| problems.to_string())?;
/// for warning in &analysed.warnings {
///     eprint!("{}", reqgap::diag::render(warning));
/// }
/// for gap in &analysed.report.gaps {
///     println!("{} {} due {}: {}", gap.severity, gap.key, gap.due, gap.message);
/// }
/// # Ok::<(), String>(())
/// ```
#[derive(Clone, Debug)]
pub struct Analysis {
    dir: PathBuf,
    today: NaiveDate,
    catalog_dirs: Vec<PathBuf>,
    mapping_dirs: Vec<PathBuf>,
    crosswalk_dirs: Vec<PathBuf>,
    path_rule: inventory::PathRule,
}

/// The result of [`Analysis::run`]: the gap report, every warning of the run, and what
/// was loaded (for `check`, which applies the inventory's policy and waivers).
#[derive(Debug)]
pub struct Analysed {
    pub report: GapReport,
    /// Every non-fatal finding of the run, in order: catalog, inventory (skipped files,
    /// likely fractions), transition-file and provenance warnings.
    pub warnings: Vec<Diagnostic>,
    pub loaded: LoadedInventory,
    pub transitions: TransitionSet,
}

impl Analysis {
    /// The analysis of the inventory in `dir` (the folder holding `reqgap.yaml`) as of
    /// `today`, with the bundled catalogs and transition files.
    pub fn new(dir: impl Into<PathBuf>, today: NaiveDate) -> Self {
        Analysis {
            dir: dir.into(),
            today,
            catalog_dirs: Vec::new(),
            mapping_dirs: Vec::new(),
            crosswalk_dirs: Vec::new(),
            path_rule: inventory::PathRule::default(),
        }
    }

    /// Adds folders of catalogs; a user catalog replaces the bundled one of its version.
    pub fn catalogs(mut self, dirs: impl IntoIterator<Item = PathBuf>) -> Self {
        self.catalog_dirs.extend(dirs);
        self
    }

    /// Adds folders of transition files; a user file replaces the bundled one for its pair
    /// of versions.
    pub fn mappings(mut self, dirs: impl IntoIterator<Item = PathBuf>) -> Self {
        self.mapping_dirs.extend(dirs);
        self
    }

    /// Adds folders of crosswalk files (between standards) to the bundled ones and to those
    /// that `reqgap.yaml` names under `crosswalks:`.
    pub fn crosswalks(mut self, dirs: impl IntoIterator<Item = PathBuf>) -> Self {
        self.crosswalk_dirs.extend(dirs);
        self
    }

    /// Where the paths that `reqgap.yaml` names may lead; by default inside the folder
    /// reqgap runs in.
    pub fn path_rule(mut self, rule: inventory::PathRule) -> Self {
        self.path_rule = rule;
        self
    }

    pub fn dir(&self) -> &Path {
        &self.dir
    }

    /// Loads and validates everything, then finds every gap. Input errors of all files
    /// come back together.
    pub fn run(&self) -> Result<Analysed, Diagnostics> {
        let mut named = self.mapping_dirs.clone();
        named.extend(self.crosswalk_dirs.iter().cloned());
        self.path_rule.admit_all_below(&named)?;
        let loaded =
            inventory::load_with(&self.dir, &self.catalog_dirs, self.today, &self.path_rule)?;
        let mut mapping_dirs = self.mapping_dirs.clone();
        mapping_dirs.extend(loaded.mapping_dirs.iter().cloned());
        let standards = loaded
            .inventory
            .targets
            .iter()
            .map(|t| t.catalog.standard.clone());
        let transitions = load_transitions(&mapping_dirs, &loaded.catalogs, standards)?;
        let crosswalks = if loaded.inventory.targets.iter().any(|t| t.crosswalks) {
            let mut crosswalk_dirs = self.crosswalk_dirs.clone();
            crosswalk_dirs.extend(loaded.crosswalk_dirs.iter().cloned());
            CrosswalkSet::load(&distinct_folders(crosswalk_dirs), &loaded.catalogs)?
        } else {
            CrosswalkSet::default()
        };
        let report = Analysis::in_memory(
            &loaded.inventory,
            &loaded.catalogs,
            &transitions,
            &crosswalks,
            self.today,
        )?;
        let mut warnings = loaded.catalogs.warnings.clone();
        warnings.extend(loaded.warnings.iter().cloned());
        warnings.extend(transitions.warnings.iter().cloned());
        warnings.extend(crosswalks.warnings.iter().cloned());
        Ok(Analysed {
            report,
            warnings,
            loaded,
            transitions,
        })
    }
}

impl Analysis {
    /// The gap analysis of an inventory already in memory (built in code, or loaded by a
    /// caller that changes it first) as of `today`: the diff engine bridges the versions in
    /// play, with `transitions` as its curated input, and a target requirement that controls
    /// do not meet directly may be met through `crosswalks` (none: `CrosswalkSet::default()`)
    /// unless the target says `crosswalks: false`. [`Analysis::run`] ends here once it has
    /// read the files.
    pub fn in_memory(
        inventory: &Inventory,
        catalogs: &CatalogSet,
        transitions: &TransitionSet,
        crosswalks: &CrosswalkSet,
        today: NaiveDate,
    ) -> Result<GapReport, Diagnostics> {
        let bridge = DiffBridge::new(transitions);
        gaps::analyse_with(inventory, catalogs, &bridge, crosswalks, today)
    }
}

impl Analysed {
    /// The management summary of this run, with the movement and trend since the snapshots
    /// of `history` (the report, the meeting agenda and the xlsx workbook lay it out).
    pub fn management_report(&self, history: &History) -> ManagementReport {
        let input = summary::Input {
            report: &self.report,
            inventory: &self.loaded.inventory,
            catalogs: &self.loaded.catalogs,
            transitions: &self.transitions,
            waivers: &self.loaded.waivers,
        };
        ManagementReport::build(&input, history)
    }

    /// Applies the inventory's policy and waivers (and an earlier run's keys) to the report.
    pub fn check(&self, baseline: Option<&Baseline>) -> CheckReport {
        let mut report = check::evaluate(
            self.report.clone(),
            &self.loaded.catalogs,
            &self.loaded.policy,
            &self.loaded.waivers,
            baseline,
        );
        if let Some(delta) = &mut report.baseline {
            let controls = &self.loaded.inventory.controls;
            delta.separate_gone_controls(|id| {
                controls
                    .get(id)
                    .is_some_and(|c| c.status != ControlStatus::Retired)
            });
        }
        report
    }
}

/// `folders` without repeats, first occurrence kept: a folder named both by a flag and by
/// `reqgap.yaml` is read once (else each of its crosswalks would be defined twice).
fn distinct_folders(folders: Vec<PathBuf>) -> Vec<PathBuf> {
    let mut seen = std::collections::BTreeSet::new();
    folders
        .into_iter()
        .filter(|f| seen.insert(std::fs::canonicalize(f).unwrap_or_else(|_| f.clone())))
        .collect()
}

/// The transition files that can matter to `standards`: bundled files of other standards
/// are not read, so a run parses no catalog it does not use.
pub fn load_transitions(
    mapping_dirs: &[PathBuf],
    catalogs: &CatalogSet,
    standards: impl IntoIterator<Item = StandardSlug>,
) -> Result<TransitionSet, Diagnostics> {
    let standards: Vec<StandardSlug> = standards.into_iter().collect();
    TransitionSet::load_for(mapping_dirs, catalogs, &standards)
}
