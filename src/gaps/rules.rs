//! The gap rules, as queries on the inventory graph.

use std::collections::{BTreeMap, BTreeSet, HashMap, HashSet};

use chrono::NaiveDate;

use super::bridge::{Bridge, DiffBridge, VersionBridge};
use super::cause::{Cause, ChainLink, ReviewReason};
use super::crosswalk::{self, DirectTable, ThroughState};
use super::edition;
use super::wording;
use super::{
    Gap, GapKey, GapKind, GapReport, GapStatus, GapSubject, Severity, TargetSummary,
    ThroughCrosswalk,
};
use crate::diag::Diagnostics;
use crate::diff::text::{reasons, text_details, word_similarity};
use crate::diff::Details;
use crate::graph::{counts, Carry, Correspondence, InventoryGraph};
use crate::model::plan::deciding_entry;
use crate::model::{provenance_warning, CatalogSet, CrosswalkSet, GapPlan};
use crate::model::{
    Catalog, CatalogKey, ControlId, ControlStatus, Coverage, Inventory, Level, LinkRel, OwnerId,
    Place, Requirement, RequirementId, RequirementKey, Target,
};

/// One control's claim on a target requirement, possibly carried from an older version.
#[derive(Clone, Debug)]
struct Claim {
    control: ControlId,
    coverage: Coverage,
    /// `None` when the mapping names the target version itself.
    carried: Option<(RequirementKey, Correspondence)>,
    place: Place,
}

// The management report reads each requirement's state, so the enum is public.
use super::CoverageState as State;

/// Runs every gap rule for every target and returns the report; a target requirement that
/// controls do not meet directly may be met through `crosswalks` (unless the target says
/// `crosswalks: false`). Reached through [`crate::Analysis`].
pub(crate) fn analyse_with(
    inventory: &Inventory,
    catalogs: &CatalogSet,
    bridge: &DiffBridge<'_>,
    crosswalks: &CrosswalkSet,
    today: NaiveDate,
) -> Result<GapReport, Diagnostics> {
    // The diffs between versions take as long as building the graph and finding the
    // broken controls: on a second core, both are done by the time the targets need them.
    let pairs = bridged_pairs(inventory, catalogs);
    let view = std::thread::scope(|scope| {
        scope.spawn(|| bridge.prepare(catalogs, &pairs));
        InventoryView::of(inventory)
    });
    analyse_view(inventory, catalogs, bridge, crosswalks, today, view)
}

/// The inventory as the gap rules query it: its graph, the controls whose dependencies
/// reach a retired or planned control, and the mappings `migrate` carried on assumption.
/// It needs the inventory alone, so [`crate::Analysis`] builds it while the diffs between
/// versions are still being made.
pub(crate) struct InventoryView {
    graph: InventoryGraph,
    broken: BTreeMap<ControlId, Vec<ControlId>>,
    assumed: Assumed,
}

impl InventoryView {
    pub(crate) fn of(inventory: &Inventory) -> Self {
        let graph = InventoryGraph::from_inventory(inventory);
        let broken = graph
            .broken_controls(|id| inventory.controls.get(id).is_none_or(|c| !counts(c.status)));
        InventoryView {
            graph,
            broken,
            assumed: assumed_mappings(inventory),
        }
    }
}

/// [`analyse_with`] on the view of `inventory` built beforehand; the bridge makes the diffs
/// it has not made yet when they are asked for.
pub(crate) fn analyse_view(
    inventory: &Inventory,
    catalogs: &CatalogSet,
    bridge: &DiffBridge<'_>,
    crosswalks: &CrosswalkSet,
    today: NaiveDate,
    view: InventoryView,
) -> Result<GapReport, Diagnostics> {
    let InventoryView {
        mut graph,
        broken,
        assumed,
    } = view;
    let follows = !crosswalks.is_empty() && inventory.targets.iter().any(|t| t.crosswalks);
    let direct = if follows {
        let claim_counts = |id: &ControlId| {
            inventory.controls.get(id).is_some_and(|c| counts(c.status)) && !broken.contains_key(id)
        };
        let is_assumed = |id: &ControlId, mapped: &RequirementKey| {
            assumed.contains_key(&(id.clone(), mapped.clone()))
        };
        DirectTable::build(
            &graph,
            catalogs,
            bridge,
            crosswalks,
            &claim_counts,
            &is_assumed,
        )?
    } else {
        DirectTable::default()
    };
    let mut run = Run {
        inventory,
        controls: inventory.controls.iter().collect(),
        today,
        gaps: Vec::new(),
        broken,
        crosswalks,
        direct,
        through: Vec::new(),
        assumed,
    };
    let mut targets = Vec::new();
    let mut aside = Vec::new();
    let mut warnings = BTreeSet::new();
    for target in &inventory.targets {
        let Some(catalog) = catalogs.get(&target.catalog) else {
            continue;
        };
        warnings.extend(provenance_warning(catalog).map(|d| d.message));
        let (carried, mut bridged) = carry_mappings(
            &mut graph,
            catalogs,
            bridge,
            target,
            &mut run,
            &mut warnings,
        )?;
        let mut summary = run.target(&graph, catalogs, catalog, target, &carried);
        mark_milestones(&mut run.gaps, catalog, target);
        if let Some(since) = edition::since(inventory, target) {
            let from_since = match bridged.remove(&since) {
                Some(made) => made,
                None => bridge.bridge(catalogs, &since, &target.catalog)?,
            };
            summary.new_in = edition::new_in(&from_since, &since, catalog);
        }
        targets.push(summary);
        if let Some(newer) = catalogs.newest_after(&target.catalog) {
            warnings.extend(provenance_warning(newer).map(|d| d.message));
            let counts = bridge.bridge(catalogs, &target.catalog, &newer.key())?;
            run.newer_version(&graph, target, newer, &counts);
        }
        aside.push((carried, bridged));
    }
    run.controls(&graph);
    for summary in &targets {
        edition::mark(&mut run.gaps, &summary.catalog, &summary.new_in);
    }
    // Freeing the graph and the claims carried to each target takes about a tenth of a
    // second at 50,000 requirements: a thread of its own does it while the gaps are
    // sorted (if it cannot be started, they are freed here).
    let _ = std::thread::Builder::new().spawn(move || drop((graph, aside)));
    let mut report = GapReport {
        organisation: inventory.organisation.clone(),
        today,
        targets,
        counts: BTreeMap::new(),
        overdue: 0,
        gaps: run.gaps,
        owners: inventory
            .owners
            .values()
            .map(|o| (o.id.clone(), o.name.clone()))
            .collect(),
        warnings: warnings.into_iter().collect(),
    };
    let keys: Vec<&GapKey> = report.gaps.iter().map(|g| &g.key).collect();
    crate::source::plan::unmatched(&inventory.plan, &keys).into_result(())?;
    sort_gaps(&mut report.gaps);
    report.recount();
    Ok(report)
}

/// The pairs of versions the analysis bridges, in the order it asks for them: for each
/// target, from every other version of its standard that a mapping names, from its
/// `since:` edition, and to the newest version after it.
fn bridged_pairs(inventory: &Inventory, catalogs: &CatalogSet) -> Vec<(CatalogKey, CatalogKey)> {
    let mut pairs = Vec::new();
    for target in &inventory.targets {
        if catalogs.get(&target.catalog).is_none() {
            continue;
        }
        let mapped: BTreeSet<CatalogKey> = inventory
            .controls
            .values()
            .flat_map(|c| &c.satisfies)
            .filter(|m| m.standard == target.catalog.standard && !m.requirements.is_empty())
            .map(|m| m.catalog())
            .filter(|k| *k != target.catalog)
            .collect();
        let from = mapped.into_iter().chain(edition::since(inventory, target));
        pairs.extend(from.map(|k| (k, target.catalog.clone())));
        if let Some(newer) = catalogs.newest_after(&target.catalog) {
            pairs.push((target.catalog.clone(), newer.key()));
        }
    }
    let mut seen = BTreeSet::new();
    pairs.retain(|pair| seen.insert(pair.clone()));
    pairs
}

/// Gaps by owner (unassigned first), then due date, then key.
pub fn sort_gaps(gaps: &mut [Gap]) {
    gaps.sort_by_cached_key(|g| (g.owner.clone(), g.due, g.key.to_string()));
}

/// Adds correspondence edges from every older (or newer) version that mappings were
/// reviewed against to the target version, and returns the claims they carry per target
/// requirement and the bridges made (for "new in this edition"). Mappings whose
/// requirement has no successor become `obsolete-mapping`.
fn carry_mappings(
    graph: &mut InventoryGraph,
    catalogs: &CatalogSet,
    bridge: &dyn VersionBridge,
    target: &Target,
    run: &mut Run<'_>,
    warnings: &mut BTreeSet<String>,
) -> Result<Carried, Diagnostics> {
    let mapped: Vec<RequirementKey> = graph.mapped_requirements_where(|k| {
        k.catalog.standard == target.catalog.standard && k.catalog != target.catalog
    });
    let versions: BTreeSet<CatalogKey> = mapped.iter().map(|k| k.catalog.clone()).collect();
    let mut bridges = BTreeMap::new();
    for version in &versions {
        if let Some(catalog) = catalogs.get(version) {
            warnings.extend(provenance_warning(catalog).map(|d| d.message));
        }
        // Only mapped requirements are asked for their successors below; a pair of two
        // unmapped requirements would only grow the graph.
        let mapped_here: HashSet<&RequirementId> = mapped
            .iter()
            .filter(|k| k.catalog == *version)
            .map(|k| &k.id)
            .collect();
        let bridged = bridge.bridge(catalogs, version, &target.catalog)?;
        for (old, new, correspondence) in &bridged.pairs {
            if !mapped_here.contains(old) {
                continue;
            }
            graph.add_correspondence(
                version.requirement(old),
                target.catalog.requirement(new),
                correspondence.clone(),
            );
        }
        bridges.insert(version.clone(), bridged);
    }
    let mut claims: BTreeMap<RequirementId, Vec<Claim>> = BTreeMap::new();
    for old in mapped {
        let successors = graph.successors(&old);
        let old_claims = graph.claims(&old);
        if successors.is_empty() {
            for (control, _, place) in &old_claims {
                let cause = Cause::NoSuccessor {
                    requirement: old.clone(),
                    target: target.catalog.clone(),
                };
                run.obsolete_mapping(graph, target, &old, control, place, cause);
            }
        }
        for (new, correspondence) in successors {
            for (control, coverage, place) in &old_claims {
                claims.entry(new.id.clone()).or_default().push(Claim {
                    control: control.clone(),
                    coverage: *coverage,
                    carried: Some((old.clone(), correspondence.clone())),
                    place: place.clone(),
                });
            }
        }
    }
    Ok((claims, bridges))
}

/// The claims carried to each target requirement, and the bridge from each version the
/// mappings were reviewed against.
type Carried = (
    BTreeMap<RequirementId, Vec<Claim>>,
    BTreeMap<CatalogKey, Bridge>,
);

struct Run<'a> {
    inventory: &'a Inventory,
    /// The inventory's controls by ID, for the lookup of every claim (lookup only, never
    /// iterated, so no output depends on hash order).
    controls: HashMap<&'a ControlId, &'a crate::model::Control>,
    today: NaiveDate,
    gaps: Vec<Gap>,
    /// Controls whose dependency chain reaches a retired or planned control, with the
    /// chain to the nearest such control.
    broken: BTreeMap<ControlId, Vec<ControlId>>,
    crosswalks: &'a CrosswalkSet,
    /// Direct coverage of the crosswalks' requirements, where paths start.
    direct: DirectTable,
    /// The current target's requirements met through crosswalks.
    through: Vec<ThroughCrosswalk>,
    /// Claims `migrate` carried across a reconstructed catalog, with the version they were
    /// carried from: they need a person's confirmation.
    assumed: Assumed,
}

/// (control, mapped requirement) → the version the mapping was carried from.
type Assumed = BTreeMap<(ControlId, RequirementKey), Option<CatalogKey>>;

/// Every mapped requirement whose mapping carries the `assumed:` note of `migrate`.
fn assumed_mappings(inventory: &Inventory) -> Assumed {
    let mut assumed = Assumed::new();
    for control in inventory.controls.values() {
        for mapping in &control.satisfies {
            let Some(from) = mapping.assumed_from() else {
                continue;
            };
            let catalog = mapping.catalog();
            for requirement in &mapping.requirements {
                let key = (control.id.clone(), catalog.requirement(&requirement.id));
                assumed.insert(key, from.clone());
            }
        }
    }
    assumed
}

/// Everything a rule decides about one gap; [`Run::push`] derives the rest (status,
/// escalation, wording) the same way for every rule.
struct Draft {
    key: GapKey,
    cause: Cause,
    severity: Severity,
    target: Option<CatalogKey>,
    section: Option<String>,
    level: Option<Level>,
    title: String,
    related: Vec<ControlId>,
    owner: Option<OwnerId>,
    due: NaiveDate,
    /// False for gaps that are kept for the record and never become overdue.
    escalates: bool,
    place: Place,
}

impl Draft {
    fn new(key: GapKey, cause: Cause, title: String, due: NaiveDate, place: Place) -> Self {
        Draft {
            severity: key.kind.base_severity(),
            key,
            cause,
            target: None,
            section: None,
            level: None,
            title,
            related: Vec::new(),
            owner: None,
            due,
            escalates: true,
            place,
        }
    }

    /// A gap on a requirement of `target`: its severity follows the requirement's level.
    fn on_requirement(mut self, target: &Target, requirement: &Requirement) -> Self {
        self.target = Some(target.catalog.clone());
        self.section = Some(requirement.section.to_string());
        self.level = Some(requirement.level);
        self.severity = match requirement.level {
            Level::Shall => self.key.kind.base_severity(),
            Level::Should => self.key.kind.base_severity().lower(),
            Level::May | Level::Informative => self.key.kind.base_severity().lower().lower(),
        };
        self
    }

    fn owned_by(mut self, owner: Option<OwnerId>) -> Self {
        self.owner = owner;
        self
    }

    fn related(mut self, related: Vec<ControlId>) -> Self {
        self.related = related;
        self
    }
}

impl Run<'_> {
    fn status(&self, due: NaiveDate) -> GapStatus {
        if due < self.today {
            GapStatus::Overdue
        } else {
            GapStatus::Open
        }
    }

    /// Where an overdue gap without an owner escalates: to the default owner of its target
    /// (the first target for gaps about a control alone), then up that owner's chain, so
    /// that nobody's gaps are nobody's problem.
    fn ownerless_chain(&self, graph: &InventoryGraph, target: Option<&CatalogKey>) -> Vec<OwnerId> {
        let targets = &self.inventory.targets;
        let default_owner = target
            .and_then(|key| targets.iter().find(|t| t.catalog == *key))
            .or_else(|| targets.first())
            .and_then(|t| t.default_owner.clone());
        let Some(first) = default_owner else {
            return Vec::new();
        };
        let mut chain = graph.escalation_chain(&first);
        chain.insert(0, first);
        chain
    }

    /// The deadline of gaps about a control alone: the earliest target deadline (a control
    /// without an owner is due when the standards it serves are), else today.
    fn control_due(&self) -> NaiveDate {
        self.inventory
            .targets
            .iter()
            .filter_map(|t| t.due)
            .min()
            .unwrap_or(self.today)
    }

    fn control_owner(&self, control: &ControlId) -> Option<OwnerId> {
        self.inventory
            .controls
            .get(control)
            .and_then(|c| c.owner.clone())
    }

    /// How far up `chain` an overdue gap has moved by today: one level per holder's
    /// `escalate-after` since the due date, so that the board hears of a gap only after the
    /// owner and each manager between had their time. A holder without the setting (and no
    /// default) passes the gap on at once. A gap nobody owns goes to the first of the chain
    /// (its target's default owner) on the day it is overdue.
    fn reached(
        &self,
        owner: Option<&OwnerId>,
        chain: Vec<OwnerId>,
        due: NaiveDate,
    ) -> Vec<OwnerId> {
        let mut reached = Vec::new();
        let mut holder = owner.cloned();
        let mut since = due;
        for next in chain {
            let period = self.inventory.escalate_after(holder.as_ref());
            if let Some(period) = period.filter(|_| holder.is_some()) {
                let moves_on = period.after(since);
                if self.today < moves_on {
                    break;
                }
                since = moves_on;
            }
            reached.push(next.clone());
            holder = Some(next);
        }
        reached
    }

    /// Applies the plan entry that names the gap: its date replaces the rule's.
    fn planned(&mut self, draft: &mut Draft) -> Option<GapPlan> {
        let index = deciding_entry(&self.inventory.plan, &draft.key)?;
        let plan = self.inventory.plan[index].to_gap_plan();
        draft.due = plan.due;
        Some(plan)
    }

    /// The one place a [`Gap`] is built.
    fn push(&mut self, graph: &InventoryGraph, mut draft: Draft) {
        let plan = self.planned(&mut draft);
        let status = if draft.escalates {
            self.status(draft.due)
        } else {
            GapStatus::Open
        };
        let escalation = match (&draft.owner, status) {
            (Some(owner), GapStatus::Overdue) => {
                self.reached(Some(owner), graph.escalation_chain(owner), draft.due)
            }
            (None, GapStatus::Overdue) => {
                let chain = self.ownerless_chain(graph, draft.target.as_ref());
                self.reached(None, chain, draft.due)
            }
            _ => Vec::new(),
        };
        let message = wording::message(&draft.key, &draft.cause, draft.target.as_ref());
        let evidence = match &draft.key.subject {
            GapSubject::Evidence { evidence, .. } => Some(evidence.clone()),
            _ => None,
        };
        self.gaps.push(Gap {
            kind: draft.key.kind,
            requirement: draft.key.requirement().cloned(),
            control: draft.key.control().cloned(),
            evidence,
            key: draft.key,
            severity: draft.severity,
            status,
            target: draft.target,
            section: draft.section,
            level: draft.level,
            title: draft.title,
            message,
            cause: draft.cause,
            related_controls: draft.related,
            owner: draft.owner,
            due: draft.due,
            escalation,
            place: Some(draft.place),
            new_in: None,
            plan,
            milestone: None,
        });
    }

    fn target(
        &mut self,
        graph: &InventoryGraph,
        catalogs: &CatalogSet,
        catalog: &Catalog,
        target: &Target,
        carried: &BTreeMap<RequirementId, Vec<Claim>>,
    ) -> TargetSummary {
        let due = target.due.unwrap_or_else(|| catalog.binding_date());
        let mut summary = TargetSummary {
            catalog: target.catalog.clone(),
            title: catalog.title.clone(),
            due,
            requirements: 0,
            not_applicable: 0,
            not_applicable_requirements: Vec::new(),
            covered: 0,
            partial: 0,
            needs_review: 0,
            uncovered: 0,
            by_level: BTreeMap::new(),
            coverage_percent: 0.0,
            through_crosswalks: Vec::new(),
            states: BTreeMap::new(),
            new_in: BTreeMap::new(),
        };
        // Claims on requirements the target itself withdrew, carried along its links.
        let mut linked: BTreeMap<RequirementId, Vec<Claim>> = BTreeMap::new();
        for withdrawn in catalog.requirements.iter().filter(|r| !r.is_active()) {
            let key = target.catalog.requirement(&withdrawn.id);
            let claims = graph.claims(&key);
            if claims.is_empty() {
                continue;
            }
            let successors = linked_successors(catalog, withdrawn);
            if successors.is_empty() {
                for (control, _, place) in claims {
                    let cause = Cause::Withdrawn {
                        requirement: key.clone(),
                    };
                    self.obsolete_mapping(graph, target, &key, &control, &place, cause);
                }
                continue;
            }
            for (successor, correspondence) in successors {
                for (control, coverage, place) in &claims {
                    linked.entry(successor.id.clone()).or_default().push(Claim {
                        control: control.clone(),
                        coverage: *coverage,
                        carried: Some((key.clone(), correspondence.clone())),
                        place: place.clone(),
                    });
                }
            }
        }
        let mut states = Vec::new();
        for requirement in catalog.active_requirements() {
            let key = target.catalog.requirement(&requirement.id);
            let mut claims: Vec<Claim> = graph
                .claims(&key)
                .into_iter()
                .map(|(control, coverage, place)| Claim {
                    control,
                    coverage,
                    carried: None,
                    place,
                })
                .collect();
            for more in [carried.get(&requirement.id), linked.get(&requirement.id)]
                .into_iter()
                .flatten()
            {
                claims.extend(more.iter().cloned());
            }
            let state = match target.not_applicable(requirement.id.as_str()) {
                Some(declared) if declared.next_review() >= self.today => {
                    summary.not_applicable += 1;
                    summary
                        .not_applicable_requirements
                        .push(super::NotApplicableRequirement {
                            requirement: key,
                            justification: declared.justification.clone(),
                            approved_by: declared.approved_by.clone(),
                            next_review: declared.next_review(),
                            place: declared.place.clone(),
                        });
                    continue;
                }
                Some(declared) => {
                    self.not_applicable_review_due(graph, target, requirement, declared);
                    State::NeedsReview
                }
                None => {
                    let due = unreviewed_milestone(catalogs, catalog, target, requirement, &claims)
                        .or_else(|| milestone_due(catalog, target, &requirement.id, self.today))
                        .map_or(due, |m| m.date);
                    self.requirement(graph, target, requirement, due, &claims)
                }
            };
            states.push((requirement.id.clone(), state));
            let level = summary.by_level.entry(requirement.level).or_default();
            level.total += 1;
            summary.requirements += 1;
            match state {
                State::Covered => {
                    level.covered += 1;
                    summary.covered += 1;
                }
                State::Partial => summary.partial += 1,
                State::NeedsReview => summary.needs_review += 1,
                State::Uncovered => summary.uncovered += 1,
            }
        }
        // Collected at once: one sort (catalogs list requirements nearly in order) and a
        // bulk build, instead of a tree search per requirement.
        summary.states = states.into_iter().collect();
        summary.through_crosswalks = std::mem::take(&mut self.through);
        if let Some(permille) = (summary.covered * 1000).checked_div(summary.requirements) {
            summary.coverage_percent = permille as f64 / 10.0;
        }
        summary
    }

    /// Applies the per-requirement rules and returns the requirement's coverage state.
    fn requirement(
        &mut self,
        graph: &InventoryGraph,
        target: &Target,
        requirement: &Requirement,
        due: NaiveDate,
        claims: &[Claim],
    ) -> State {
        let mut full = false;
        let mut partial: Vec<ControlId> = Vec::new();
        let mut review = false;
        let mut missing = Missing::default();
        for claim in claims {
            let Some(control) = self.controls.get(&claim.control).copied() else {
                continue;
            };
            match control.status {
                ControlStatus::Planned => {
                    missing.planned.push(control.id.clone());
                    continue;
                }
                ControlStatus::Retired => {
                    missing.retired.push(control.id.clone());
                    missing
                        .retired_places
                        .entry(control.id.clone())
                        .or_insert_with(|| claim.place.clone());
                    continue;
                }
                ControlStatus::Active => {}
            }
            let context = Ctx {
                graph,
                target,
                requirement,
                due,
                claim,
            };
            if let Some(chain) = self.broken.get(&control.id).cloned() {
                self.broken_dependency(&context, &chain);
                missing.broken.push(control.id.clone());
                continue;
            }
            match self.carry(&context) {
                ClaimState::Counts => {
                    let carried_partial = claim.carried.as_ref().is_some_and(|(_, c)| c.partial);
                    if claim.coverage == Coverage::Partial || carried_partial {
                        partial.push(control.id.clone());
                    } else {
                        full = true;
                    }
                }
                ClaimState::Review => review = true,
            }
        }
        partial.sort();
        partial.dedup();
        if !full && target.crosswalks {
            match self.through_crosswalks(graph, target, requirement, due, &partial, review) {
                Ok(state) => return state,
                Err(pieces) => missing.through_crosswalks = pieces,
            }
        }
        if full {
            State::Covered
        } else if !partial.is_empty() {
            self.partial(graph, target, requirement, due, partial);
            State::Partial
        } else if review {
            State::NeedsReview
        } else {
            self.uncovered(graph, target, requirement, due, missing);
            State::Uncovered
        }
    }

    /// Coverage through crosswalks for a requirement that controls do not fully meet:
    /// `Ok` when the crosswalks decide the state (covered, or partial where the direct
    /// claims give nothing better), recording the paths for the summary; else what the
    /// paths would need, when nothing on them is met (for the `uncovered` gap).
    fn through_crosswalks(
        &mut self,
        graph: &InventoryGraph,
        target: &Target,
        requirement: &Requirement,
        due: NaiveDate,
        partial: &[ControlId],
        review: bool,
    ) -> Result<State, Vec<RequirementKey>> {
        let key = target.catalog.requirement(&requirement.id);
        let through = crosswalk::through(&key, self.crosswalks, &self.direct);
        let state = match through.state {
            ThroughState::Covered => State::Covered,
            ThroughState::Partial if partial.is_empty() && !review => {
                let cause = Cause::PartialThroughCrosswalk {
                    missing: through.missing.clone(),
                    paths: through.paths.clone(),
                    every_listed_part_met: through.every_listed_part_met,
                };
                self.crosswalk_gap(graph, target, requirement, due, GapKind::Partial, cause);
                State::Partial
            }
            ThroughState::Partial => return Err(Vec::new()),
            ThroughState::None
                if !through.undetermined.is_empty() && partial.is_empty() && !review =>
            {
                let cause = Cause::UndeterminedThroughCrosswalk {
                    paths: through.undetermined.clone(),
                };
                self.crosswalk_gap(graph, target, requirement, due, GapKind::NeedsReview, cause);
                State::NeedsReview
            }
            ThroughState::None => {
                let direct = &self.direct;
                let mapped = |catalog: &CatalogKey| direct.maps_to(catalog);
                return Err(crosswalk::unmet_pieces(&key, self.crosswalks, &mapped));
            }
        };
        self.through.push(ThroughCrosswalk {
            requirement: key,
            through,
        });
        Ok(state)
    }

    /// A gap on `requirement` that its crosswalk paths give, owned by its section's owner.
    fn crosswalk_gap(
        &mut self,
        graph: &InventoryGraph,
        target: &Target,
        requirement: &Requirement,
        due: NaiveDate,
        kind: GapKind,
        cause: Cause,
    ) {
        let gap_key = requirement_key(kind, target, requirement);
        let owner = target
            .owner_for_section(requirement.section.as_str())
            .cloned();
        let draft = Draft::new(
            gap_key,
            cause,
            requirement_title(requirement),
            due,
            target.place.clone(),
        )
        .on_requirement(target, requirement)
        .owned_by(owner);
        self.push(graph, draft);
    }

    /// Emits the gaps a claim implies and says whether its coverage counts: a carried
    /// claim as the version diff says, and a claim whose mapping `migrate` carried across
    /// a reconstructed catalog not until a person confirms it.
    fn carry(&mut self, ctx: &Ctx<'_>) -> ClaimState {
        let state = self.carry_across_versions(ctx);
        // Most inventories carry nothing on assumption: no key to build for each claim.
        if !matches!(state, ClaimState::Counts) || self.assumed.is_empty() {
            return state;
        }
        let mapped = match &ctx.claim.carried {
            Some((old, _)) => old.clone(),
            None => ctx.target.catalog.requirement(&ctx.requirement.id),
        };
        let Some(from) = self
            .assumed
            .get(&(ctx.claim.control.clone(), mapped.clone()))
        else {
            return state;
        };
        let cause = Cause::AssumedCarry {
            mapped,
            from: from.clone(),
        };
        self.claim_gap(ctx, GapKind::NeedsReview, cause, Vec::new());
        ClaimState::Review
    }

    /// Emits the gaps a carried claim implies and says whether its coverage counts.
    fn carry_across_versions(&mut self, ctx: &Ctx<'_>) -> ClaimState {
        let Some((old, correspondence)) = &ctx.claim.carried else {
            return ClaimState::Counts;
        };
        let confirmed = correspondence
            .unconfirmed
            .iter()
            .all(|e| !e.why.holds_coverage());
        let change = match correspondence.carry {
            Carry::Unchanged | Carry::Editorial if confirmed => return ClaimState::Counts,
            // A renumbered requirement that also changed in substance is one review, not
            // a stale reference as well: the coverage does not count until it is reviewed,
            // and `migrate` cannot move it without someone's judgement.
            Carry::Renumbered { substantive: false } if confirmed => {
                self.stale_reference(ctx, old);
                return ClaimState::Counts;
            }
            // An entry its source does not state for sure carries nothing until a person
            // confirms it, however little the text changed.
            Carry::Unchanged | Carry::Editorial | Carry::Renumbered { substantive: false } => {
                ReviewReason::UnconfirmedEntry
            }
            Carry::Renumbered { substantive: true } => ReviewReason::RenumberedSubstantive,
            Carry::Substantive => ReviewReason::Substantive,
            Carry::SplitPart => ReviewReason::SplitPart,
            Carry::MergedInto => ReviewReason::MergedInto,
            Carry::IncorporatedInto => ReviewReason::IncorporatedInto,
            Carry::Unconfirmed if old.id == ctx.requirement.id => ReviewReason::UnconfirmedSameId,
            Carry::Unconfirmed => ReviewReason::Unconfirmed,
        };
        let cause = Cause::ChangedSince {
            from: old.clone(),
            change,
            score: correspondence.score,
            curated: correspondence.curated,
            reasons: correspondence.reasons.clone(),
            details: correspondence.details.clone(),
            unconfirmed_entries: correspondence.unconfirmed.clone(),
        };
        self.claim_gap(ctx, GapKind::NeedsReview, cause, Vec::new());
        ClaimState::Review
    }

    /// A gap about one control's claim on a requirement, owned by the control's owner and
    /// located at the mapping line.
    fn claim_gap(&mut self, ctx: &Ctx<'_>, kind: GapKind, cause: Cause, related: Vec<ControlId>) {
        let owner = self.control_owner(&ctx.claim.control);
        let key = GapKey::new(
            kind,
            GapSubject::Claim {
                requirement: ctx.target.catalog.requirement(&ctx.requirement.id),
                control: ctx.claim.control.clone(),
            },
        );
        let draft = Draft::new(
            key,
            cause,
            requirement_title(ctx.requirement),
            ctx.due,
            ctx.claim.place.clone(),
        )
        .on_requirement(ctx.target, ctx.requirement)
        .owned_by(owner)
        .related(related);
        self.push(ctx.graph, draft);
    }

    fn stale_reference(&mut self, ctx: &Ctx<'_>, old: &RequirementKey) {
        let cause = Cause::Renumbered {
            from: old.clone(),
            to: ctx.target.catalog.requirement(&ctx.requirement.id),
        };
        self.claim_gap(ctx, GapKind::StaleReference, cause, Vec::new());
    }

    /// `chain` runs from the claiming control's direct dependency to the retired or
    /// planned control it reaches.
    fn broken_dependency(&mut self, ctx: &Ctx<'_>, chain: &[ControlId]) {
        let links = chain
            .iter()
            .map(|id| ChainLink {
                control: id.clone(),
                status: self
                    .inventory
                    .controls
                    .get(id)
                    .map(|c| c.status)
                    .filter(|status| !counts(*status)),
            })
            .collect();
        let cause = Cause::DependencyChain {
            control: ctx.claim.control.clone(),
            chain: links,
        };
        let bad = chain.last().cloned().into_iter().collect::<Vec<_>>();
        self.claim_gap(ctx, GapKind::BrokenDependency, cause, bad);
    }

    fn partial(
        &mut self,
        graph: &InventoryGraph,
        target: &Target,
        requirement: &Requirement,
        due: NaiveDate,
        partial: Vec<ControlId>,
    ) {
        let owner = partial
            .iter()
            .find_map(|c| self.control_owner(c))
            .or_else(|| {
                target
                    .owner_for_section(requirement.section.as_str())
                    .cloned()
            });
        let place = self
            .inventory
            .controls
            .get(&partial[0])
            .map_or_else(|| target.place.clone(), |c| c.place.clone());
        let key = requirement_key(GapKind::Partial, target, requirement);
        let cause = Cause::PartialCoverage {
            controls: partial.clone(),
        };
        let draft = Draft::new(key, cause, requirement_title(requirement), due, place)
            .on_requirement(target, requirement)
            .owned_by(owner)
            .related(partial);
        self.push(graph, draft);
    }

    fn uncovered(
        &mut self,
        graph: &InventoryGraph,
        target: &Target,
        requirement: &Requirement,
        due: NaiveDate,
        mut missing: Missing,
    ) {
        missing.tidy();
        let owner = target
            .owner_for_section(requirement.section.as_str())
            .cloned();
        if owner.is_none() {
            let key = requirement_key(GapKind::Unowned, target, requirement);
            let cause = Cause::NoSectionOwner {
                section: requirement.section.clone(),
            };
            let draft = Draft::new(
                key,
                cause,
                requirement_title(requirement),
                due,
                target.place.clone(),
            )
            .on_requirement(target, requirement);
            self.push(graph, draft);
        }
        let mut related = missing.planned.clone();
        related.extend(missing.broken.iter().cloned());
        related.extend(missing.retired.iter().cloned());
        let key = requirement_key(GapKind::Uncovered, target, requirement);
        let place = missing
            .retired_places
            .values()
            .next()
            .cloned()
            .unwrap_or_else(|| target.place.clone());
        let cause = Cause::NoActiveControl {
            planned: missing.planned,
            broken: missing.broken,
            retired: missing.retired,
            through_crosswalks: missing.through_crosswalks,
        };
        let draft = Draft::new(key, cause, requirement_title(requirement), due, place)
            .on_requirement(target, requirement)
            .owned_by(owner)
            .related(related);
        self.push(graph, draft);
    }

    /// A not-applicable decision past its review: the requirement is counted as "to review"
    /// again, owned by whoever approved the decision, due on the review date.
    fn not_applicable_review_due(
        &mut self,
        graph: &InventoryGraph,
        target: &Target,
        requirement: &Requirement,
        declared: &crate::model::NotApplicable,
    ) {
        let key = requirement_key(GapKind::NeedsReview, target, requirement);
        let cause = Cause::NotApplicableReviewDue {
            declared: declared.requirement.clone(),
            approved_by: declared.approved_by.clone(),
            reviewed: declared.reviewed,
            every: declared.review_every,
            due: declared.next_review(),
        };
        let draft = Draft::new(
            key,
            cause,
            requirement_title(requirement),
            declared.next_review(),
            declared.place.clone(),
        )
        .on_requirement(target, requirement)
        .owned_by(Some(declared.approved_by.clone()));
        self.push(graph, draft);
    }

    fn obsolete_mapping(
        &mut self,
        graph: &InventoryGraph,
        target: &Target,
        old: &RequirementKey,
        control: &ControlId,
        place: &Place,
        cause: Cause,
    ) {
        let key = GapKey::new(
            GapKind::ObsoleteMapping,
            GapSubject::Claim {
                requirement: old.clone(),
                control: control.clone(),
            },
        );
        let mut draft = Draft::new(
            key,
            cause,
            wording::mapping_title(control, old),
            target.due.unwrap_or(self.today),
            place.clone(),
        )
        .owned_by(self.control_owner(control));
        draft.target = Some(target.catalog.clone());
        draft.escalates = false;
        self.push(graph, draft);
    }

    fn newer_version(
        &mut self,
        graph: &InventoryGraph,
        target: &Target,
        newer: &Catalog,
        counts: &super::Bridge,
    ) {
        let key = GapKey::new(GapKind::NewerVersion, GapSubject::Catalog(newer.key()));
        let cause = Cause::NewerVersion {
            newer: newer.key(),
            added: counts.added,
            changed: counts.changed,
        };
        let mut draft = Draft::new(
            key,
            cause,
            wording::newer_version_title(&newer.key(), &target.catalog),
            newer.binding_date(),
            target.place.clone(),
        )
        .owned_by(target.default_owner.clone());
        draft.target = Some(target.catalog.clone());
        self.push(graph, draft);
    }

    /// Gaps about a control alone: no owner, no evidence, stale evidence.
    fn controls(&mut self, graph: &InventoryGraph) {
        let inventory = self.inventory;
        for control in inventory.controls.values() {
            if control.status == ControlStatus::Retired {
                continue;
            }
            if control.owner.is_none() {
                let key = GapKey::new(GapKind::Unowned, GapSubject::Control(control.id.clone()));
                let draft = Draft::new(
                    key,
                    Cause::NoControlOwner,
                    control.title.clone(),
                    self.control_due(),
                    control.place.clone(),
                );
                self.push(graph, draft);
            }
            if control.status == ControlStatus::Active && control.evidence.is_empty() {
                let key = GapKey::new(GapKind::NoEvidence, GapSubject::Control(control.id.clone()));
                let draft = Draft::new(
                    key,
                    Cause::NoEvidence,
                    control.title.clone(),
                    self.today,
                    control.place.clone(),
                )
                .owned_by(control.owner.clone());
                self.push(graph, draft);
            }
            for evidence in &control.evidence {
                let due = evidence.next_review();
                if due >= self.today {
                    continue;
                }
                let key = GapKey::new(
                    GapKind::StaleEvidence,
                    GapSubject::Evidence {
                        control: control.id.clone(),
                        evidence: evidence.id.clone(),
                    },
                );
                let cause = Cause::EvidenceDue {
                    evidence: evidence.id.clone(),
                    reviewed: evidence.reviewed,
                    every: evidence.review_every,
                    due,
                };
                let draft = Draft::new(
                    key,
                    cause,
                    evidence.description.clone(),
                    due,
                    evidence.place.clone(),
                )
                .owned_by(control.owner.clone());
                self.push(graph, draft);
            }
        }
    }
}

/// Why no claim covers a requirement: the controls that would, but do not count.
#[derive(Default)]
struct Missing {
    planned: Vec<ControlId>,
    broken: Vec<ControlId>,
    retired: Vec<ControlId>,
    /// Unmet requirements its crosswalk paths lead to (see [`crosswalk::unmet_pieces`]).
    through_crosswalks: Vec<RequirementKey>,
    /// Where each retired control claimed the requirement: the gap points there, at the
    /// file of the control whose retirement opened it.
    retired_places: BTreeMap<ControlId, Place>,
}

impl Missing {
    fn tidy(&mut self) {
        for list in [&mut self.planned, &mut self.broken, &mut self.retired] {
            list.sort();
            list.dedup();
        }
    }
}

/// Where a withdrawn requirement's content went, by the catalog's own links (`moved-to`,
/// `incorporated-into`), followed through withdrawn links up to an active requirement.
/// A mapping to the withdrawn ID is carried there: a stale reference to update for a
/// single `moved-to`, a review otherwise.
pub(crate) fn linked_successors<'c>(
    catalog: &'c Catalog,
    withdrawn: &Requirement,
) -> Vec<(&'c Requirement, Correspondence)> {
    const MAX_HOPS: usize = 8;
    let mut found: BTreeMap<&RequirementId, (&Requirement, bool)> = BTreeMap::new();
    let mut seen: BTreeSet<&RequirementId> = BTreeSet::from([&withdrawn.id]);
    let mut frontier: Vec<(&Requirement, bool)> = vec![(withdrawn, true)];
    for _ in 0..MAX_HOPS {
        let mut next = Vec::new();
        for (from, all_moved) in frontier {
            for link in &from.links {
                let moved = match link.rel {
                    LinkRel::MovedTo => true,
                    LinkRel::IncorporatedInto => false,
                    LinkRel::Related => continue,
                };
                let Some(to) = catalog.requirement(link.target.as_str()) else {
                    continue;
                };
                if !seen.insert(&to.id) {
                    continue;
                }
                if to.is_active() {
                    found.insert(&to.id, (to, all_moved && moved));
                } else {
                    next.push((to, all_moved && moved));
                }
            }
        }
        if next.is_empty() {
            break;
        }
        frontier = next;
    }
    let single = found.len() == 1;
    found
        .into_values()
        .map(|(to, moved)| {
            // Withdrawn entries often keep no text (NIST's do not): then the link is all
            // there is to go on, and a move is taken as the same requirement.
            let (details, reasons) = if withdrawn.text.trim().is_empty() {
                (Details::default(), Vec::new())
            } else {
                let details = text_details(&withdrawn.text, &to.text);
                let reasons = reasons(&details, 1.0, 0.0);
                (details, reasons)
            };
            let carry = if moved && single {
                Carry::Renumbered {
                    substantive: !reasons.is_empty(),
                }
            } else if moved {
                Carry::SplitPart
            } else {
                Carry::IncorporatedInto
            };
            let correspondence = Correspondence {
                carry,
                partial: false,
                curated: true,
                score: word_similarity(&withdrawn.text, &to.text),
                reasons,
                details,
                unconfirmed: Vec::new(),
            };
            (to, correspondence)
        })
        .collect()
}

fn requirement_key(kind: GapKind, target: &Target, requirement: &Requirement) -> GapKey {
    GapKey::new(
        kind,
        GapSubject::Requirement(target.catalog.requirement(&requirement.id)),
    )
}

struct Ctx<'a> {
    graph: &'a InventoryGraph,
    target: &'a Target,
    requirement: &'a Requirement,
    due: NaiveDate,
    claim: &'a Claim,
}

enum ClaimState {
    Counts,
    Review,
}

fn requirement_title(requirement: &Requirement) -> String {
    match &requirement.title {
        Some(title) => title.clone(),
        None => requirement.text.chars().take(80).collect(),
    }
}

/// The milestone that sets the due date of gaps on `requirement`: none when the target
/// sets its own `due` (the organisation's deadline wins) or the catalog dates nothing.
fn milestone_due<'c>(
    catalog: &'c Catalog,
    target: &Target,
    requirement: &RequirementId,
    today: NaiveDate,
) -> Option<&'c crate::model::Milestone> {
    if target.due_given {
        return None;
    }
    catalog.milestone_due(requirement, today)
}

/// For a requirement whose mappings were last reviewed against an older version, the first
/// of its milestones dated after that version took effect which that version did not state.
/// An obligation that changed after the review is due from its own date even when that date
/// has passed: a missed phase-in (BR 6.3.2's 200 days from 2026-03-15, for a CPS reviewed
/// against BR 2.1.4) must read as overdue, not move on to the next phase.
fn unreviewed_milestone<'c>(
    catalogs: &CatalogSet,
    catalog: &'c Catalog,
    target: &Target,
    requirement: &Requirement,
    claims: &[Claim],
) -> Option<&'c crate::model::Milestone> {
    if target.due_given {
        return None;
    }
    let milestones = catalog.schedule.milestones_of(&requirement.id);
    claims
        .iter()
        .filter_map(|c| c.carried.as_ref())
        .filter_map(|(old, _)| {
            let reviewed = catalogs.get(&old.catalog)?;
            let stated: BTreeSet<NaiveDate> = reviewed
                .schedule
                .milestones_of(&old.id)
                .iter()
                .map(|m| m.date)
                .collect();
            let since = reviewed.binding_date();
            milestones
                .iter()
                .filter(|m| m.date > since && !stated.contains(&m.date))
                .min_by_key(|m| m.date)
        })
        .min_by_key(|m| m.date)
}

/// Names on each gap of `target` the milestone its due date came from.
fn mark_milestones(gaps: &mut [Gap], catalog: &Catalog, target: &Target) {
    if catalog.schedule.milestones.is_empty() || target.due_given {
        return;
    }
    for gap in gaps.iter_mut() {
        if gap.target.as_ref() != Some(&target.catalog) || gap.milestone.is_some() {
            continue;
        }
        let Some(id) = gap.key.requirement().map(|r| r.id.clone()) else {
            continue;
        };
        // The due date came from the next milestone or from the first one after the last
        // review (`unreviewed_milestone`); either way it is the milestone of that date.
        gap.milestone = catalog
            .schedule
            .milestones_of(&id)
            .iter()
            .find(|m| m.date == gap.due)
            .cloned();
    }
}
