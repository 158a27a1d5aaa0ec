//! Running an analysis from files: the one entry point that the binary, the tests, the
//! examples and anyone embedding reqgap use, so that every caller loads catalogs,
//! transition files and an inventory the same way and sees the same warnings.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::sync::mpsc::Receiver;

use chrono::NaiveDate;

use crate::check::{self, CheckReport};
use crate::diag::{Diagnostic, Diagnostics};
use crate::gaps::{self, DiffBridge, DiffCache, GapReport, InventoryView};
use crate::model::{
    Baseline, CatalogKey, CatalogSet, ControlStatus, CrosswalkSet, Inventory, StandardSlug,
    TransitionSet,
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
    /// The gap report of every target.
    pub report: GapReport,
    /// Every non-fatal finding of the run, in order: catalog, inventory (skipped files,
    /// likely fractions), transition-file and provenance warnings.
    pub warnings: Vec<Diagnostic>,
    /// The inventory as loaded, with its catalogs, policy and waivers.
    pub loaded: LoadedInventory,
    /// The transition files the run read (bundled and added), for edits that bridge versions.
    pub transitions: TransitionSet,
    /// The diffs between versions that the analysis made, for [`Analysed::bridge`].
    diffs: DiffCache,
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

    /// The inventory folder this analysis reads.
    pub fn dir(&self) -> &Path {
        &self.dir
    }

    /// Loads and validates everything, then finds every gap. Input errors of all files
    /// come back together.
    pub fn run(&self) -> Result<Analysed, Diagnostics> {
        let mut named = self.mapping_dirs.clone();
        named.extend(self.crosswalk_dirs.iter().cloned());
        self.path_rule.admit_all_below(&named)?;
        let (loaded, view, early) = self.load()?;
        let mut mapping_dirs = self.mapping_dirs.clone();
        mapping_dirs.extend(loaded.mapping_dirs.iter().cloned());
        let standards: Vec<StandardSlug> = loaded
            .inventory
            .targets
            .iter()
            .map(|t| t.catalog.standard.clone())
            .collect();
        let (transitions, cache) = match early {
            Some(early) if early.planned_for(&mapping_dirs, &standards) => {
                (early.transitions?, early.cache)
            }
            _ => (
                load_transitions(&mapping_dirs, &loaded.catalogs, standards)?,
                DiffCache::default(),
            ),
        };
        let crosswalks = if loaded.inventory.targets.iter().any(|t| t.crosswalks) {
            let mut crosswalk_dirs = self.crosswalk_dirs.clone();
            crosswalk_dirs.extend(loaded.crosswalk_dirs.iter().cloned());
            CrosswalkSet::load(&distinct_folders(crosswalk_dirs), &loaded.catalogs)?
        } else {
            CrosswalkSet::default()
        };
        let bridge = DiffBridge::with_cache(&transitions, cache);
        let report = gaps::analyse_view(
            &loaded.inventory,
            &loaded.catalogs,
            &bridge,
            &crosswalks,
            self.today,
            view,
        )?;
        let diffs = bridge.into_cache();
        let mut warnings = loaded.catalogs.warnings.clone();
        warnings.extend(loaded.warnings.iter().cloned());
        warnings.extend(transitions.warnings.iter().cloned());
        warnings.extend(crosswalks.warnings.iter().cloned());
        Ok(Analysed {
            report,
            warnings,
            loaded,
            transitions,
            diffs,
        })
    }
}

impl Analysis {
    /// Loads the inventory and builds its view for the gap rules while a second thread
    /// loads the transition files and diffs the versions the analysis will bridge.
    fn load(&self) -> Result<(LoadedInventory, InventoryView, Option<EarlyMade>), Diagnostics> {
        let (started, catalogs) = inventory::start(&self.dir, &self.catalog_dirs, &self.path_rule)?;
        let early = EarlyDiffs::plan(&started, &self.mapping_dirs, &self.path_rule);
        // Reading and validating the controls, then building their graph, takes about as
        // long as the diffs between versions: on a second core, both are done when the
        // analysis needs them.
        let (mapped_tx, mapped_rx) = std::sync::mpsc::channel();
        let (rest, view, early) = std::thread::scope(|scope| {
            let diffs = scope.spawn(|| early.map(|plan| plan.run(&catalogs, mapped_rx)));
            let mapped = |versions| {
                let _ = mapped_tx.send(versions);
            };
            let rest = inventory::finish(started, &catalogs, self.today, &self.path_rule, mapped);
            let view = rest.as_ref().ok().map(|r| InventoryView::of(r.inventory()));
            let early = diffs
                .join()
                .unwrap_or_else(|panic| std::panic::resume_unwind(panic));
            (rest, view, early)
        });
        let loaded = rest?.with_catalogs(catalogs);
        let view = view.unwrap_or_else(|| InventoryView::of(&loaded.inventory));
        Ok((loaded, view, early))
    }

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
    /// The bridge between versions that the analysis used, with the diffs it made: what
    /// plans an edit of the inventory (`migrate`, `review`) without diffing again.
    pub fn bridge(&self) -> DiffBridge<'_> {
        DiffBridge::with_cache(&self.transitions, self.diffs.clone())
    }

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

/// The transition files and the diffs an analysis will need, made while the inventory is
/// read and validated: from each version of a target's standard that a mapping names, and
/// from its `since:` edition, to the target, and from the target to the newest version
/// after it ([`crate::gaps`] asks for the same pairs; one it asks for and is not made here
/// is made then).
struct EarlyDiffs {
    mapping_dirs: Vec<PathBuf>,
    standards: Vec<StandardSlug>,
    targets: Vec<(CatalogKey, Option<CatalogKey>)>,
}

/// What [`EarlyDiffs::run`] made, with what it was made for.
struct EarlyMade {
    mapping_dirs: Vec<PathBuf>,
    standards: BTreeSet<StandardSlug>,
    transitions: Result<TransitionSet, Diagnostics>,
    cache: DiffCache,
}

impl EarlyDiffs {
    /// `None` when the transition folders that `reqgap.yaml` names have a problem: the
    /// load reports it, and nothing is read from them before it has.
    fn plan(
        started: &inventory::StartedLoad,
        flag_dirs: &[PathBuf],
        rule: &inventory::PathRule,
    ) -> Option<EarlyDiffs> {
        let mut mapping_dirs = flag_dirs.to_vec();
        mapping_dirs.extend(started.mapping_dirs(rule)?);
        let targets = started.listed_targets();
        let standards = targets.iter().map(|(t, _)| t.standard.clone()).collect();
        Some(EarlyDiffs {
            mapping_dirs,
            standards,
            targets,
        })
    }

    /// Loads the transition files and diffs the pairs worth making [`EarlyDiffs::ahead`],
    /// then the rest once `mapped` names the versions the control files map (none when the
    /// load stops before it does).
    fn run(self, catalogs: &CatalogSet, mapped: Receiver<BTreeSet<CatalogKey>>) -> EarlyMade {
        let transitions = TransitionSet::load_for(&self.mapping_dirs, catalogs, &self.standards);
        let cache = match &transitions {
            Ok(transitions) => {
                let bridge = DiffBridge::new(transitions);
                bridge.prepare(catalogs, &self.ahead(catalogs));
                if let Ok(mapped) = mapped.recv() {
                    bridge.prepare(catalogs, &self.pairs(catalogs, &mapped));
                }
                bridge.into_prepared_cache()
            }
            Err(_) => DiffCache::default(),
        };
        EarlyMade {
            mapping_dirs: self.mapping_dirs,
            standards: self.standards.into_iter().collect(),
            transitions,
            cache,
        }
    }

    /// The pairs worth diffing before the controls are read, while they are: from the
    /// `since:` edition and to the newest version after the target (the analysis asks for
    /// both), and from the one older version when the standard has no other (what mappings
    /// not yet moved to the target name; wasted only when every mapping already names the
    /// target and no `since:` is set).
    fn ahead(&self, catalogs: &CatalogSet) -> Vec<(CatalogKey, CatalogKey)> {
        self.pairs_into_targets(catalogs, |target, since| {
            let others: Vec<&CatalogKey> = catalogs
                .version_keys(&target.standard)
                .into_iter()
                .filter(|k| *k != target)
                .collect();
            let only_older = match others.as_slice() {
                [other] if catalogs.newest_after(target).is_none() => Some((*other).clone()),
                _ => None,
            };
            since.iter().cloned().chain(only_older).collect()
        })
    }

    fn pairs(
        &self,
        catalogs: &CatalogSet,
        mapped: &BTreeSet<CatalogKey>,
    ) -> Vec<(CatalogKey, CatalogKey)> {
        self.pairs_into_targets(catalogs, |target, since| {
            mapped
                .iter()
                .filter(|k| k.standard == target.standard && *k != target)
                .chain(since)
                .cloned()
                .collect()
        })
    }

    /// For each target whose catalog is loaded: a pair from each version `from` names to
    /// the target, and one from the target to the newest version after it; each pair once.
    fn pairs_into_targets(
        &self,
        catalogs: &CatalogSet,
        from: impl Fn(&CatalogKey, &Option<CatalogKey>) -> Vec<CatalogKey>,
    ) -> Vec<(CatalogKey, CatalogKey)> {
        let mut pairs = Vec::new();
        for (target, since) in &self.targets {
            if catalogs.get(target).is_none() {
                continue;
            }
            pairs.extend(from(target, since).into_iter().map(|k| (k, target.clone())));
            if let Some(newer) = catalogs.newest_after(target) {
                pairs.push((target.clone(), newer.key()));
            }
        }
        let mut seen = BTreeSet::new();
        pairs.retain(|pair| seen.insert(pair.clone()));
        pairs
    }
}

impl EarlyMade {
    /// Whether it was made for the transition folders and standards the loaded inventory
    /// names (else the analysis loads and diffs as if nothing had been made).
    fn planned_for(&self, mapping_dirs: &[PathBuf], standards: &[StandardSlug]) -> bool {
        self.mapping_dirs == mapping_dirs
            && self.standards == standards.iter().cloned().collect::<BTreeSet<_>>()
    }
}

/// `folders` without repeats, first occurrence kept: a folder named both by a flag and by
/// `reqgap.yaml` is read once (else each of its crosswalks would be defined twice).
fn distinct_folders(folders: Vec<PathBuf>) -> Vec<PathBuf> {
    let mut seen = BTreeSet::new();
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
