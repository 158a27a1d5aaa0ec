//! The gap rules, as queries on the inventory graph.

use std::collections::{BTreeMap, BTreeSet};

use chrono::NaiveDate;

use super::{Gap, GapKind, GapReport, GapStatus, TargetSummary};
use crate::diag::Diagnostics;
use crate::graph::{counts, Carry, Correspondence, InventoryGraph};
use crate::model::{
    Catalog, CatalogKey, ControlId, ControlStatus, Coverage, Inventory, Level, OwnerId, Place,
    Requirement, RequirementId, RequirementKey, Target,
};
use crate::source::catalog_set::{provenance_warning, CatalogSet};

/// How the requirements of one version correspond to those of another.
#[derive(Clone, Debug, Default)]
pub struct Bridge {
    /// Old ID → new ID with how it carries; an old ID without any pair was removed.
    pub pairs: Vec<(RequirementId, RequirementId, Correspondence)>,
    /// Requirements new in the later version.
    pub added: usize,
    /// Requirements whose text or level changed (renumbered-and-changed included).
    pub changed: usize,
}

/// Computes correspondences between versions (the diff engine in production).
pub trait VersionBridge {
    fn bridge(
        &self,
        catalogs: &CatalogSet,
        from: &CatalogKey,
        to: &CatalogKey,
    ) -> Result<Bridge, Diagnostics>;
}

/// One control's claim on a target requirement, possibly carried from an older version.
#[derive(Clone, Debug)]
struct Claim {
    control: ControlId,
    coverage: Coverage,
    /// `None` when the mapping names the target version itself.
    carried: Option<(RequirementKey, Correspondence)>,
    place: Place,
}

enum State {
    Covered,
    Partial,
    NeedsReview,
    Uncovered,
}

/// Runs every gap rule for every target and returns the report.
pub fn analyse(
    inventory: &Inventory,
    catalogs: &CatalogSet,
    bridge: &dyn VersionBridge,
    today: NaiveDate,
) -> Result<GapReport, Diagnostics> {
    let mut graph = InventoryGraph::from_inventory(inventory);
    let broken =
        graph.broken_controls(|id| inventory.controls.get(id).is_none_or(|c| !counts(c.status)));
    let mut run = Run {
        inventory,
        today,
        gaps: Vec::new(),
        broken,
    };
    let mut targets = Vec::new();
    let mut warnings = BTreeSet::new();
    for target in &inventory.targets {
        let Some(catalog) = catalogs.get(&target.catalog) else {
            continue;
        };
        warnings.extend(provenance_warning(catalog).map(|d| d.message));
        let carried = carry_mappings(
            &mut graph,
            catalogs,
            bridge,
            target,
            &mut run,
            &mut warnings,
        )?;
        targets.push(run.target(&graph, catalog, target, &carried));
        if let Some(newer) = catalogs.newest_after(&target.catalog) {
            warnings.extend(provenance_warning(newer).map(|d| d.message));
            let counts = bridge.bridge(catalogs, &target.catalog, &newer.key())?;
            run.newer_version(&graph, target, newer, &counts);
        }
    }
    run.controls(&graph);
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
    sort_gaps(&mut report.gaps);
    report.recount();
    Ok(report)
}

/// Gaps by owner (unassigned first), then due date, then key.
pub fn sort_gaps(gaps: &mut [Gap]) {
    gaps.sort_by(|a, b| {
        a.owner
            .cmp(&b.owner)
            .then_with(|| a.due.cmp(&b.due))
            .then_with(|| a.key.cmp(&b.key))
    });
}

/// Adds correspondence edges from every older (or newer) version that mappings were
/// reviewed against to the target version, and returns the claims they carry per target
/// requirement. Mappings whose requirement has no successor become `obsolete-mapping`.
fn carry_mappings(
    graph: &mut InventoryGraph,
    catalogs: &CatalogSet,
    bridge: &dyn VersionBridge,
    target: &Target,
    run: &mut Run<'_>,
    warnings: &mut BTreeSet<String>,
) -> Result<BTreeMap<RequirementId, Vec<Claim>>, Diagnostics> {
    let mapped: Vec<RequirementKey> = graph
        .mapped_requirements()
        .into_iter()
        .filter(|k| k.catalog.standard == target.catalog.standard && k.catalog != target.catalog)
        .collect();
    let versions: BTreeSet<CatalogKey> = mapped.iter().map(|k| k.catalog.clone()).collect();
    for version in &versions {
        if let Some(catalog) = catalogs.get(version) {
            warnings.extend(provenance_warning(catalog).map(|d| d.message));
        }
        let bridged = bridge.bridge(catalogs, version, &target.catalog)?;
        for (old, new, correspondence) in bridged.pairs {
            graph.add_correspondence(
                version.requirement(&old),
                target.catalog.requirement(&new),
                correspondence,
            );
        }
    }
    let mut claims: BTreeMap<RequirementId, Vec<Claim>> = BTreeMap::new();
    for old in mapped {
        let successors = graph.successors(&old);
        let old_claims = graph.claims(&old);
        if successors.is_empty() {
            for (control, _, place) in &old_claims {
                run.obsolete_mapping(target, &old, control, place);
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
    Ok(claims)
}

struct Run<'a> {
    inventory: &'a Inventory,
    today: NaiveDate,
    gaps: Vec<Gap>,
    /// Controls whose dependency chain reaches a retired or planned control, with the
    /// chain to the nearest such control.
    broken: BTreeMap<ControlId, Vec<ControlId>>,
}

/// The parts of a requirement gap that every rule fills the same way.
struct RequirementGap<'r> {
    kind: GapKind,
    target: &'r Target,
    requirement: &'r Requirement,
    control: Option<&'r ControlId>,
    owner: Option<OwnerId>,
    due: NaiveDate,
    message: String,
    related: Vec<ControlId>,
    place: Place,
}

impl Run<'_> {
    fn status(&self, due: NaiveDate) -> GapStatus {
        if due < self.today {
            GapStatus::Overdue
        } else {
            GapStatus::Open
        }
    }

    fn escalation(
        &self,
        graph: &InventoryGraph,
        owner: Option<&OwnerId>,
        status: GapStatus,
    ) -> Vec<OwnerId> {
        match (owner, status) {
            (Some(owner), GapStatus::Overdue) => graph.escalation_chain(owner),
            _ => Vec::new(),
        }
    }

    fn control_owner(&self, control: &ControlId) -> Option<OwnerId> {
        self.inventory
            .controls
            .get(control)
            .and_then(|c| c.owner.clone())
    }

    fn push_requirement_gap(&mut self, graph: &InventoryGraph, g: RequirementGap<'_>) {
        let key = g.target.catalog.requirement(&g.requirement.id);
        let gap_key = match g.control {
            Some(control) => format!("{}:{key}:{control}", g.kind),
            None => format!("{}:{key}", g.kind),
        };
        let severity = match g.requirement.level {
            Level::Shall => g.kind.base_severity(),
            Level::Should => g.kind.base_severity().lower(),
            Level::May | Level::Informative => g.kind.base_severity().lower().lower(),
        };
        let status = self.status(g.due);
        self.gaps.push(Gap {
            key: gap_key,
            kind: g.kind,
            severity,
            status,
            target: Some(g.target.catalog.clone()),
            requirement: Some(key),
            section: Some(g.requirement.section.to_string()),
            level: Some(g.requirement.level),
            control: g.control.cloned(),
            evidence: None,
            title: requirement_title(g.requirement),
            message: g.message,
            related_controls: g.related,
            escalation: self.escalation(graph, g.owner.as_ref(), status),
            owner: g.owner,
            due: g.due,
            place: Some(g.place),
        });
    }

    fn target(
        &mut self,
        graph: &InventoryGraph,
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
            covered: 0,
            partial: 0,
            needs_review: 0,
            uncovered: 0,
            by_level: BTreeMap::new(),
            coverage_percent: 0.0,
        };
        for withdrawn in catalog.requirements.iter().filter(|r| !r.is_active()) {
            let key = target.catalog.requirement(&withdrawn.id);
            for (control, _, place) in graph.claims(&key) {
                self.obsolete_mapping(target, &key, &control, &place);
            }
        }
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
            claims.extend(carried.get(&requirement.id).cloned().unwrap_or_default());
            let state = self.requirement(graph, target, requirement, due, &claims);
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
        let mut planned: Vec<ControlId> = Vec::new();
        let mut broken: Vec<ControlId> = Vec::new();
        for claim in claims {
            let Some(control) = self.inventory.controls.get(&claim.control) else {
                continue;
            };
            match control.status {
                ControlStatus::Planned => {
                    planned.push(control.id.clone());
                    continue;
                }
                ControlStatus::Retired => continue,
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
                broken.push(control.id.clone());
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
        planned.sort();
        planned.dedup();
        partial.sort();
        partial.dedup();
        if full {
            State::Covered
        } else if !partial.is_empty() {
            self.partial(graph, target, requirement, due, partial);
            State::Partial
        } else if review {
            State::NeedsReview
        } else {
            self.uncovered(graph, target, requirement, due, planned, broken);
            State::Uncovered
        }
    }

    /// Emits the gaps a carried claim implies and says whether its coverage counts.
    fn carry(&mut self, ctx: &Ctx<'_>) -> ClaimState {
        let Some((old, correspondence)) = &ctx.claim.carried else {
            return ClaimState::Counts;
        };
        let reason = match correspondence.carry {
            Carry::Unchanged | Carry::Editorial => return ClaimState::Counts,
            Carry::Renumbered { substantive } => {
                self.stale_reference(ctx, old);
                if !substantive {
                    return ClaimState::Counts;
                }
                format!(
                    "{} was renumbered to {} and its text changed in substance",
                    old.id, ctx.requirement.id
                )
            }
            Carry::Substantive => format!(
                "the text of {} changed in substance since {}",
                ctx.requirement.id, old.catalog.version
            ),
            Carry::SplitPart => format!("{} was split; this is one of its parts", old.id),
            Carry::MergedInto => format!(
                "{} was merged with others into {}",
                old.id, ctx.requirement.id
            ),
            Carry::Unconfirmed if old.id == ctx.requirement.id => format!(
                "{} keeps its ID but its text differs widely (similarity {:.2}); confirm it is the same requirement",
                old.id, correspondence.score
            ),
            Carry::Unconfirmed => format!(
                "{} was matched to {} by text similarity ({:.2}) and the match needs confirmation",
                old.id, ctx.requirement.id, correspondence.score
            ),
        };
        let message = format!(
            "{reason}: review whether control {} still satisfies it (mapping reviewed against {})",
            ctx.claim.control, old.catalog.version
        );
        self.claim_gap(ctx, GapKind::NeedsReview, message, Vec::new());
        ClaimState::Review
    }

    /// A gap about one control's claim on a requirement, owned by the control's owner and
    /// located at the mapping line.
    fn claim_gap(
        &mut self,
        ctx: &Ctx<'_>,
        kind: GapKind,
        message: String,
        related: Vec<ControlId>,
    ) {
        let owner = self.control_owner(&ctx.claim.control);
        self.push_requirement_gap(
            ctx.graph,
            RequirementGap {
                kind,
                target: ctx.target,
                requirement: ctx.requirement,
                control: Some(&ctx.claim.control),
                owner,
                due: ctx.due,
                message,
                related,
                place: ctx.claim.place.clone(),
            },
        );
    }

    fn stale_reference(&mut self, ctx: &Ctx<'_>, old: &RequirementKey) {
        let message = format!(
            "control {} maps to {old}, now {}: update the mapping to the new ID",
            ctx.claim.control,
            ctx.target.catalog.requirement(&ctx.requirement.id)
        );
        self.claim_gap(ctx, GapKind::StaleReference, message, Vec::new());
    }

    /// `chain` runs from the claiming control's direct dependency to the retired or
    /// planned control it reaches.
    fn broken_dependency(&mut self, ctx: &Ctx<'_>, chain: &[ControlId]) {
        let path: Vec<String> = chain
            .iter()
            .map(|id| match self.inventory.controls.get(id) {
                Some(c) if !counts(c.status) => format!("{id} ({})", c.status.as_str()),
                _ => id.to_string(),
            })
            .collect();
        let message = format!(
            "control {} depends on {}, so its coverage does not count",
            ctx.claim.control,
            path.join(" → ")
        );
        let bad = chain.last().cloned().into_iter().collect::<Vec<_>>();
        self.claim_gap(ctx, GapKind::BrokenDependency, message, bad);
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
        let list: Vec<String> = partial.iter().map(ToString::to_string).collect();
        let message = format!(
            "only partly covered (by {}): close the rest or add a control",
            list.join(", ")
        );
        let place = self
            .inventory
            .controls
            .get(&partial[0])
            .map_or_else(|| target.place.clone(), |c| c.place.clone());
        self.push_requirement_gap(
            graph,
            RequirementGap {
                kind: GapKind::Partial,
                target,
                requirement,
                control: None,
                owner,
                due,
                message,
                related: partial,
                place,
            },
        );
    }

    fn uncovered(
        &mut self,
        graph: &InventoryGraph,
        target: &Target,
        requirement: &Requirement,
        due: NaiveDate,
        planned: Vec<ControlId>,
        broken: Vec<ControlId>,
    ) {
        let owner = target
            .owner_for_section(requirement.section.as_str())
            .cloned();
        let mut message = String::from("no active control covers it");
        if !planned.is_empty() {
            let list: Vec<String> = planned.iter().map(ToString::to_string).collect();
            message.push_str(&format!("; planned: {}", list.join(", ")));
        }
        if !broken.is_empty() {
            let list: Vec<String> = broken.iter().map(ToString::to_string).collect();
            message.push_str(&format!(
                "; coverage by {} does not count (broken dependency)",
                list.join(", ")
            ));
        }
        let mut related = planned;
        related.extend(broken);
        if owner.is_none() {
            self.push_requirement_gap(
                graph,
                RequirementGap {
                    kind: GapKind::Unowned,
                    target,
                    requirement,
                    control: None,
                    owner: None,
                    due,
                    message: format!(
                        "nobody answers for this uncovered requirement: add a section owner for {} or a default owner to the target",
                        requirement.section
                    ),
                    related: Vec::new(),
                    place: target.place.clone(),
                },
            );
        }
        self.push_requirement_gap(
            graph,
            RequirementGap {
                kind: GapKind::Uncovered,
                target,
                requirement,
                control: None,
                owner,
                due,
                message,
                related,
                place: target.place.clone(),
            },
        );
    }

    fn obsolete_mapping(
        &mut self,
        target: &Target,
        old: &RequirementKey,
        control: &ControlId,
        place: &Place,
    ) {
        let owner = self.control_owner(control);
        let due = target.due.unwrap_or(self.today);
        self.gaps.push(Gap {
            key: format!("{}:{old}:{control}", GapKind::ObsoleteMapping),
            kind: GapKind::ObsoleteMapping,
            severity: GapKind::ObsoleteMapping.base_severity(),
            status: GapStatus::Open,
            target: Some(target.catalog.clone()),
            requirement: Some(old.clone()),
            section: None,
            level: None,
            control: Some(control.clone()),
            evidence: None,
            title: format!("mapping of {control} to {old}"),
            message: format!(
                "{} has no successor in {}: the mapping is kept for the record; remove it or map the control elsewhere",
                old.id, target.catalog
            ),
            related_controls: Vec::new(),
            owner,
            due,
            escalation: Vec::new(),
            place: Some(place.clone()),
        });
    }

    fn newer_version(
        &mut self,
        graph: &InventoryGraph,
        target: &Target,
        newer: &Catalog,
        counts: &super::Bridge,
    ) {
        let owner = target.default_owner.clone();
        let due = newer.binding_date();
        let status = self.status(due);
        self.gaps.push(Gap {
            key: format!("{}:{}", GapKind::NewerVersion, newer.key()),
            kind: GapKind::NewerVersion,
            severity: GapKind::NewerVersion.base_severity(),
            status,
            target: Some(target.catalog.clone()),
            requirement: None,
            section: None,
            level: None,
            control: None,
            evidence: None,
            title: format!("{} supersedes the target {}", newer.key(), target.catalog),
            message: format!(
                "{} added and {} changed requirements: run `reqgap diff {} {}` and plan the transition",
                counts.added,
                counts.changed,
                target.catalog,
                newer.key()
            ),
            related_controls: Vec::new(),
            escalation: self.escalation(graph, owner.as_ref(), status),
            owner,
            due,
            place: Some(target.place.clone()),
        });
    }

    /// Gaps about a control alone: no owner, stale evidence.
    fn controls(&mut self, graph: &InventoryGraph) {
        for control in self.inventory.controls.values() {
            if control.status == ControlStatus::Retired {
                continue;
            }
            if control.owner.is_none() {
                self.gaps.push(Gap {
                    key: format!("{}:control:{}", GapKind::Unowned, control.id),
                    kind: GapKind::Unowned,
                    severity: GapKind::Unowned.base_severity(),
                    status: GapStatus::Open,
                    target: None,
                    requirement: None,
                    section: None,
                    level: None,
                    control: Some(control.id.clone()),
                    evidence: None,
                    title: control.title.clone(),
                    message: format!(
                        "control {} has no owner: assign one in its control file",
                        control.id
                    ),
                    related_controls: Vec::new(),
                    owner: None,
                    due: self.today,
                    escalation: Vec::new(),
                    place: Some(control.place.clone()),
                });
            }
            for evidence in &control.evidence {
                let due = evidence.next_review();
                if due >= self.today {
                    continue;
                }
                let status = self.status(due);
                self.gaps.push(Gap {
                    key: format!(
                        "{}:control:{}:{}",
                        GapKind::StaleEvidence,
                        control.id,
                        evidence.id
                    ),
                    kind: GapKind::StaleEvidence,
                    severity: GapKind::StaleEvidence.base_severity(),
                    status,
                    target: None,
                    requirement: None,
                    section: None,
                    level: None,
                    control: Some(control.id.clone()),
                    evidence: Some(evidence.id.clone()),
                    title: evidence.description.clone(),
                    message: format!(
                        "evidence {} was last reviewed on {} and was due again on {due} (every {})",
                        evidence.id, evidence.reviewed, evidence.review_every
                    ),
                    related_controls: Vec::new(),
                    escalation: self.escalation(graph, control.owner.as_ref(), status),
                    owner: control.owner.clone(),
                    due,
                    place: Some(evidence.place.clone()),
                });
            }
        }
    }
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
