//! Coverage through crosswalks: a requirement that no control maps to is still met when the
//! requirements it corresponds to in other standards are met (NIS2 Art. 21(2)(a) through
//! Implementing Regulation (EU) 2024/2690 Annex 1 and 2 through ETSI EN 319 401 clause 5
//! and 6.3). Every claim carries the path that justifies it, so an auditor can follow it.
//!
//! Rules: paths are at most [`MAX_HOPS`] crosswalk hops long and never visit a
//! catalog twice (so coverage never flows back into the standard it started from, and
//! cycles end). A group whose relation to the requirement is `equal` or `superset-of`
//! meets it alone once all of the group is met; `subset-of` and `intersects-with` groups are
//! parts, and the requirement is met only when every listed part is met, else it is partial
//! and the missing pieces are named.

use std::collections::{BTreeMap, BTreeSet};

use serde::Serialize;

use super::VersionBridge;
use crate::diag::Diagnostics;
use crate::graph::{Carry, Correspondence, InventoryGraph};
use crate::model::{CatalogSet, Coverage, RequirementId};

use crate::model::{CatalogKey, ControlId, CrosswalkLink, CrosswalkSet, Relation, RequirementKey};

/// The longest path followed, in crosswalk hops (control → ETSI → CIR → NIS2 is two).
pub const MAX_HOPS: usize = 3;

/// How controls meet one requirement without crosswalks: the source of every path.
pub trait DirectCoverage {
    /// `None` when no active control claims the requirement.
    fn direct(&self, requirement: &RequirementKey) -> Option<Direct>;
}

/// The controls that meet a requirement directly.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Direct {
    /// True when at least one claim is full coverage.
    pub full: bool,
    pub claims: Vec<Claim>,
}

/// One control's claim, possibly made against another version of the requirement's
/// standard and carried over by the version diff.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize)]
pub struct Claim {
    pub control: ControlId,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub version_hop: Option<VersionHop>,
}

/// A mapping made against another version, carried to this one.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize)]
pub struct VersionHop {
    /// The requirement the control's mapping names.
    pub from: RequirementKey,
    /// How sure the carry is: `curated` (a transition file) or `detected <score>`.
    pub confidence: String,
}

/// One crosswalk hop of a path, from the requirement below to `requirement`.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize)]
pub struct Step {
    pub requirement: RequirementKey,
    /// Relation of the requirement below to this one.
    pub relation: Relation,
    pub citation: String,
}

/// Controls → the requirement they meet → each crosswalk hop up to the covered requirement.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize)]
pub struct Path {
    pub claims: Vec<Claim>,
    /// The requirement the controls meet directly.
    pub base: RequirementKey,
    /// Hops from `base` upwards; the last one is the covered requirement.
    pub steps: Vec<Step>,
    /// Relation of what the controls meet to the last requirement of the path (`None` when
    /// the composition is undetermined).
    #[serde(skip)]
    reach: Option<Relation>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum ThroughState {
    Covered,
    Partial,
    None,
}

/// What the crosswalks say about one requirement.
#[derive(Clone, Debug, PartialEq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub struct Through {
    pub state: ThroughState,
    /// Every path that contributes, sorted.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub paths: Vec<Path>,
    /// For partial coverage: the requirements of the listed groups that are not met.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub missing: Vec<RequirementKey>,
    /// Partial only: every part some crosswalk lists is met, but that crosswalk does not
    /// say its parts make the requirement whole (`complete`), so nothing may be inferred
    /// about the rest (OSCAL 1.2: no inference from what is not mapped).
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub every_listed_part_met: bool,
    /// Paths from met requirements whose relations do not fix whether they overlap this
    /// one (`subset-of` then `superset-of`, ...): shown so people see why, sent to review,
    /// never counted as coverage.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub undetermined: Vec<Path>,
}

impl Through {
    fn none(undetermined: Vec<Path>) -> Through {
        finish(ThroughState::None, Vec::new(), Vec::new(), undetermined)
    }
}

/// How `requirement` is met through crosswalks alone (its own direct claims are the
/// caller's business; those of every requirement on the way count).
pub fn through(
    requirement: &RequirementKey,
    crosswalks: &CrosswalkSet,
    direct: &dyn DirectCoverage,
) -> Through {
    let mut search = Search {
        crosswalks,
        direct,
        visiting: vec![requirement.catalog.clone()],
    };
    search.via_links(requirement, 0)
}

/// For a requirement that nothing meets, directly or through crosswalks: the requirements
/// its crosswalk paths lead to in catalogs the inventory maps to (`mapped`), none of them
/// met yet. These are what would meet it through the crosswalks; empty when no path leads
/// into a mapped catalog (an ETSI requirement whose only links run to the Implementing
/// Regulation and NIS2, which no control names, gets none).
pub fn unmet_pieces(
    requirement: &RequirementKey,
    crosswalks: &CrosswalkSet,
    mapped: &dyn Fn(&CatalogKey) -> bool,
) -> Vec<RequirementKey> {
    let mut pieces = Vec::new();
    let mut visiting = vec![requirement.catalog.clone()];
    collect_pieces(
        requirement,
        crosswalks,
        mapped,
        &mut visiting,
        0,
        &mut pieces,
    );
    pieces.sort();
    pieces.dedup();
    pieces
}

fn collect_pieces(
    requirement: &RequirementKey,
    crosswalks: &CrosswalkSet,
    mapped: &dyn Fn(&CatalogKey) -> bool,
    visiting: &mut Vec<CatalogKey>,
    hops: usize,
    pieces: &mut Vec<RequirementKey>,
) {
    if hops >= MAX_HOPS {
        return;
    }
    for link in crosswalks.links(requirement) {
        if visiting.contains(&link.catalog) {
            continue;
        }
        visiting.push(link.catalog.clone());
        for id in &link.group {
            let member = link.catalog.requirement(id);
            if mapped(&link.catalog) {
                pieces.push(member.clone());
            }
            collect_pieces(&member, crosswalks, mapped, visiting, hops + 1, pieces);
        }
        visiting.pop();
    }
}

struct Search<'a> {
    crosswalks: &'a CrosswalkSet,
    direct: &'a dyn DirectCoverage,
    /// The catalogs on the current path: a path visits each at most once.
    visiting: Vec<CatalogKey>,
}

/// What one group of a link contributes.
#[derive(Default)]
struct GroupResult {
    all_met: bool,
    any_met: bool,
    paths: Vec<Path>,
    missing: Vec<RequirementKey>,
    undetermined: Vec<Path>,
}

/// The groups of one crosswalk that list parts of a requirement.
#[derive(Default)]
struct Parts {
    groups: Vec<GroupResult>,
    /// Every entry involved says its parts make the requirement whole.
    complete: bool,
}

/// What the links of one requirement add up to, gathered link by link.
#[derive(Default)]
struct Tally {
    whole_met: Vec<Path>,
    partial_paths: Vec<Path>,
    missing: Vec<RequirementKey>,
    undetermined: Vec<Path>,
    /// Parts per crosswalk: each crosswalk is one source's account of what makes up the
    /// requirement, so a second crosswalk can only add a way to meet it.
    parts: BTreeMap<String, Parts>,
}

impl Search<'_> {
    /// A requirement on the way: met directly, or through further hops.
    fn met(&mut self, requirement: &RequirementKey, hops: usize) -> Through {
        let direct = self.direct.direct(requirement);
        let direct_path = direct.as_ref().map(|d| Path {
            claims: d.claims.clone(),
            base: requirement.clone(),
            steps: Vec::new(),
            // A partial claim meets some part of the requirement: a subset of it.
            reach: Some(if d.full {
                Relation::Equal
            } else {
                Relation::SubsetOf
            }),
        });
        if let (Some(d), Some(path)) = (&direct, &direct_path) {
            if d.full {
                return finish(
                    ThroughState::Covered,
                    vec![path.clone()],
                    Vec::new(),
                    Vec::new(),
                );
            }
        }
        let mut through = self.via_links(requirement, hops);
        if through.state == ThroughState::None {
            if let Some(path) = direct_path {
                through.state = ThroughState::Partial;
                through.paths.push(path);
                through.missing.push(requirement.clone());
            }
        }
        through
    }

    /// `requirement` through the groups it links to, `hops` hops above the start.
    fn via_links(&mut self, requirement: &RequirementKey, hops: usize) -> Through {
        if hops >= MAX_HOPS {
            return Through::none(Vec::new());
        }
        let links: Vec<CrosswalkLink> = self
            .crosswalks
            .links(requirement)
            .iter()
            .filter(|l| !self.visiting.contains(&l.catalog))
            .cloned()
            .collect();
        let mut tally = Tally::default();
        for link in &links {
            self.visiting.push(link.catalog.clone());
            let mut group = self.group(requirement, link, hops);
            self.visiting.pop();
            tally.undetermined.append(&mut group.undetermined);
            if !link.covers_whole() {
                let parts = tally
                    .parts
                    .entry(link.origin.clone())
                    .or_insert_with(|| Parts {
                        groups: Vec::new(),
                        complete: true,
                    });
                parts.complete &= link.complete;
                parts.groups.push(group);
            } else if group.all_met {
                tally.whole_met.extend(group.paths);
            } else if group.any_met {
                tally.partial_paths.extend(group.paths);
                tally.missing.extend(group.missing);
            }
        }
        tally.conclude()
    }

    /// Evaluates every member of `link`'s group and lifts their paths one hop up to
    /// `requirement`. A member met only in part contributes only through paths whose
    /// relations, composed up to `requirement`, still overlap it.
    fn group(
        &mut self,
        requirement: &RequirementKey,
        link: &CrosswalkLink,
        hops: usize,
    ) -> GroupResult {
        let mut result = GroupResult {
            all_met: true,
            ..GroupResult::default()
        };
        let step = Step {
            requirement: requirement.clone(),
            relation: link.relation,
            citation: link.citation.clone(),
        };
        let member_relation = link.member_relation();
        let lift = |mut path: Path, reach: Option<Relation>| {
            path.steps.push(step.clone());
            path.reach = reach;
            path
        };
        for id in &link.group {
            let member = link.catalog.requirement(id);
            let through = self.met(&member, hops + 1);
            let undetermined = through.undetermined.into_iter().map(|p| lift(p, None));
            result.undetermined.extend(undetermined);
            match through.state {
                ThroughState::Covered => {
                    // The member is met whole, however its paths reach it.
                    result.any_met = true;
                    let paths = through.paths.into_iter();
                    result
                        .paths
                        .extend(paths.map(|p| lift(p, Some(member_relation))));
                }
                ThroughState::Partial => {
                    result.all_met = false;
                    let (overlapping, undetermined) =
                        overlapping_paths(through.paths, member_relation);
                    result
                        .undetermined
                        .extend(undetermined.into_iter().map(|p| lift(p, None)));
                    if overlapping.is_empty() {
                        result.missing.push(member);
                        continue;
                    }
                    result.any_met = true;
                    result.missing.extend(through.missing);
                    result.paths.extend(
                        overlapping
                            .into_iter()
                            .map(|(p, reach)| lift(p, Some(reach))),
                    );
                }
                ThroughState::None => {
                    result.all_met = false;
                    result.missing.push(member);
                }
            }
        }
        result
    }
}

/// Splits the paths of a partly met member by what they say about the requirement above
/// (reached through `member_relation`): those still overlapping it, with that relation,
/// and those whose composition is undetermined. Paths shown not to overlap are dropped.
fn overlapping_paths(
    paths: Vec<Path>,
    member_relation: Relation,
) -> (Vec<(Path, Relation)>, Vec<Path>) {
    let mut overlapping = Vec::new();
    let mut undetermined = Vec::new();
    for path in paths {
        match path.reach.and_then(|r| r.compose(member_relation)) {
            Some(Relation::NoRelationship) => {}
            Some(reach) => overlapping.push((path, reach)),
            None => undetermined.push(path),
        }
    }
    (overlapping, undetermined)
}

impl Tally {
    /// Covered by a whole group, or by every part of a complete crosswalk; else partial
    /// when anything overlapping is met; else nothing (with any undetermined paths).
    fn conclude(mut self) -> Through {
        if !self.whole_met.is_empty() {
            return finish(
                ThroughState::Covered,
                self.whole_met,
                Vec::new(),
                Vec::new(),
            );
        }
        let complete_and_met = self
            .parts
            .values_mut()
            .find(|p| p.complete && p.groups.iter().all(|g| g.all_met));
        if let Some(met) = complete_and_met {
            let paths = met.groups.drain(..).flat_map(|g| g.paths).collect();
            return finish(ThroughState::Covered, paths, Vec::new(), Vec::new());
        }
        let mut every_listed_part_met = false;
        for parts in self.parts.into_values() {
            if !parts.groups.iter().any(|g| g.any_met) {
                continue;
            }
            every_listed_part_met |= parts.groups.iter().all(|g| g.all_met);
            for group in parts.groups {
                self.partial_paths.extend(group.paths);
                self.missing.extend(group.missing);
            }
        }
        if self.partial_paths.is_empty() {
            return Through::none(self.undetermined);
        }
        let mut through = finish(
            ThroughState::Partial,
            self.partial_paths,
            self.missing,
            self.undetermined,
        );
        through.every_listed_part_met = every_listed_part_met && through.missing.is_empty();
        through
    }
}

fn finish(
    state: ThroughState,
    mut paths: Vec<Path>,
    mut missing: Vec<RequirementKey>,
    mut undetermined: Vec<Path>,
) -> Through {
    paths.sort();
    paths.dedup();
    missing.sort();
    missing.dedup();
    undetermined.sort();
    undetermined.dedup();
    Through {
        state,
        paths,
        missing,
        every_listed_part_met: false,
        undetermined,
    }
}

/// Direct coverage of every requirement of the crosswalks' catalogs, from the inventory:
/// claims on the requirement itself and claims on other versions of its standard carried
/// over by the version diff (the hop and its confidence kept for the path).
#[derive(Clone, Debug, Default)]
pub struct DirectTable {
    rows: BTreeMap<RequirementKey, Direct>,
    /// The catalogs some row belongs to: where controls meet requirements.
    catalogs: BTreeSet<CatalogKey>,
}

impl DirectCoverage for DirectTable {
    fn direct(&self, requirement: &RequirementKey) -> Option<Direct> {
        self.rows.get(requirement).cloned()
    }
}

impl DirectTable {
    /// True when controls meet some requirement of `catalog` (directly or carried from
    /// another version).
    pub fn maps_to(&self, catalog: &CatalogKey) -> bool {
        self.catalogs.contains(catalog)
    }

    /// `counts(control)` says whether a control's claims count (active, dependencies intact).
    pub fn build(
        graph: &InventoryGraph,
        catalogs: &CatalogSet,
        bridge: &dyn VersionBridge,
        crosswalks: &CrosswalkSet,
        counts: &dyn Fn(&ControlId) -> bool,
    ) -> Result<DirectTable, Diagnostics> {
        let mut table = DirectTable::default();
        let in_play: BTreeSet<CatalogKey> = crosswalks
            .iter()
            .flat_map(|c| [c.from.clone(), c.to.clone()])
            .collect();
        let mut hops = VersionHops::default();
        for mapped in graph.mapped_requirements() {
            let claims: Vec<(ControlId, bool)> = graph
                .claims(&mapped)
                .into_iter()
                .filter(|(control, ..)| counts(control))
                .map(|(control, coverage, _)| (control, coverage == Coverage::Full))
                .collect();
            if claims.is_empty() {
                continue;
            }
            if in_play.contains(&mapped.catalog) {
                for (control, full) in &claims {
                    table.add(&mapped, control, *full, None);
                }
            }
            let versions = in_play
                .iter()
                .filter(|k| k.standard == mapped.catalog.standard && **k != mapped.catalog);
            for version in versions {
                for (new, carried_full, hop) in hops.from(catalogs, bridge, &mapped, version)? {
                    for (control, full) in &claims {
                        let full = *full && carried_full;
                        table.add(&version.requirement(&new), control, full, Some(hop.clone()));
                    }
                }
            }
        }
        table.settle();
        Ok(table)
    }

    fn add(
        &mut self,
        key: &RequirementKey,
        control: &ControlId,
        full: bool,
        hop: Option<VersionHop>,
    ) {
        self.catalogs.insert(key.catalog.clone());
        let row = self.rows.entry(key.clone()).or_insert_with(|| Direct {
            full: false,
            claims: Vec::new(),
        });
        row.full |= full;
        row.claims.push(Claim {
            control: control.clone(),
            version_hop: hop,
        });
    }

    /// Sorts each row's claims once, after every claim is in (sorting on every addition
    /// made building quadratic in the claims per requirement).
    fn settle(&mut self) {
        for row in self.rows.values_mut() {
            row.claims.sort();
            row.claims.dedup();
        }
    }
}

/// Where each older ID lands in a newer version: the ID, whether a claim carries in full,
/// and how sure the carry is.
type Landings = BTreeMap<RequirementId, Vec<(RequirementId, bool, String)>>;

/// The version diff's pairs between two versions, computed once per pair and indexed by
/// the older ID.
#[derive(Default)]
struct VersionHops {
    pairs: BTreeMap<(CatalogKey, CatalogKey), Landings>,
}

impl VersionHops {
    /// Where `mapped` lands in `version`: the ID, whether a claim carries in full, and the
    /// hop as the path shows it.
    fn from(
        &mut self,
        catalogs: &CatalogSet,
        bridge: &dyn VersionBridge,
        mapped: &RequirementKey,
        version: &CatalogKey,
    ) -> Result<Vec<(RequirementId, bool, VersionHop)>, Diagnostics> {
        let key = (mapped.catalog.clone(), version.clone());
        if !self.pairs.contains_key(&key) {
            let mut index = Landings::new();
            if catalogs.get(version).is_some() && catalogs.get(&mapped.catalog).is_some() {
                for (old, new, correspondence) in
                    bridge.bridge(catalogs, &mapped.catalog, version)?.pairs
                {
                    let (full, confidence) = carried(&correspondence);
                    index.entry(old).or_default().push((new, full, confidence));
                }
            }
            self.pairs.insert(key.clone(), index);
        }
        let landed = self.pairs[&key]
            .get(&mapped.id)
            .cloned()
            .unwrap_or_default();
        Ok(landed
            .into_iter()
            .map(|(new, full, confidence)| {
                let hop = VersionHop {
                    from: mapped.clone(),
                    confidence,
                };
                (new, full, hop)
            })
            .collect())
    }
}

/// Whether a claim carried across versions counts in full, and how sure the carry is.
fn carried(correspondence: &Correspondence) -> (bool, String) {
    let how = if correspondence.curated {
        "curated".to_owned()
    } else {
        format!("detected, similarity {:.2}", correspondence.score)
    };
    let (counts, change) = match correspondence.carry {
        Carry::Unchanged => (true, "unchanged"),
        Carry::Editorial => (true, "editorial change"),
        Carry::Renumbered { substantive: false } => (true, "renumbered"),
        Carry::Renumbered { substantive: true } => (false, "renumbered and changed: review"),
        Carry::Substantive => (false, "changed in substance: review"),
        Carry::SplitPart => (false, "split: review"),
        Carry::MergedInto => (false, "merged: review"),
        Carry::IncorporatedInto => (false, "withdrawn, incorporated: review"),
        Carry::Unconfirmed => (false, "unconfirmed match: review"),
    };
    (
        counts && !correspondence.partial,
        format!("{change} ({how})"),
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{Crosswalk, CrosswalkEntry, MappingProvenance, RequirementId};

    /// Direct coverage from a table: requirement → full?
    struct Table(BTreeMap<RequirementKey, bool>);

    impl DirectCoverage for Table {
        fn direct(&self, requirement: &RequirementKey) -> Option<Direct> {
            self.0.get(requirement).map(|full| Direct {
                full: *full,
                claims: vec![Claim {
                    control: ControlId::new("CTL"),
                    version_hop: None,
                }],
            })
        }
    }

    fn req(spec: &str) -> RequirementKey {
        let (catalog, id) = spec.rsplit_once(':').expect("catalog:id");
        let catalog: CatalogKey = catalog.parse().expect("catalog key");
        catalog.requirement(&RequirementId::new(id))
    }

    /// A crosswalk that does not claim to list every part.
    fn walk(from: &str, to: &str, entries: &[(&[&str], &[&str], Relation)]) -> Crosswalk {
        listing(from, to, entries, false)
    }

    /// A crosswalk whose listed parts make each requirement whole.
    fn complete_walk(from: &str, to: &str, entries: &[(&[&str], &[&str], Relation)]) -> Crosswalk {
        listing(from, to, entries, true)
    }

    fn listing(
        from: &str,
        to: &str,
        entries: &[(&[&str], &[&str], Relation)],
        complete: bool,
    ) -> Crosswalk {
        Crosswalk {
            from: from.parse().expect("key"),
            to: to.parse().expect("key"),
            source: "test".into(),
            origin: format!("{from}--{to}"),
            complete,
            entries: entries
                .iter()
                .map(|(f, t, relation)| CrosswalkEntry {
                    from: f.iter().map(|id| RequirementId::new(*id)).collect(),
                    to: t.iter().map(|id| RequirementId::new(*id)).collect(),
                    relation: *relation,
                    source: "row".into(),
                    note: None,
                    complete,
                    provenance: MappingProvenance::default(),
                })
                .collect(),
        }
    }

    fn table(covered: &[(&str, bool)]) -> Table {
        Table(covered.iter().map(|(r, full)| (req(r), *full)).collect())
    }

    /// NIS2 → CIR (equal), CIR → ETSI (intersects-with, complete), ETSI met by a control.
    fn three_levels() -> CrosswalkSet {
        CrosswalkSet::new([
            walk(
                "nis@1",
                "cir@1",
                &[(&["A"], &["P1", "P2"], Relation::Equal)],
            ),
            complete_walk(
                "cir@1",
                "etsi@3",
                &[
                    (&["P1"], &["R1", "R2"], Relation::IntersectsWith),
                    (&["P2"], &["R3"], Relation::IntersectsWith),
                ],
            ),
        ])
    }

    #[test]
    fn a_requirement_is_covered_through_two_hops_with_its_path() {
        let direct = table(&[
            ("etsi@3:R1", true),
            ("etsi@3:R2", true),
            ("etsi@3:R3", true),
        ]);
        let result = through(&req("nis@1:A"), &three_levels(), &direct);
        assert_eq!(result.state, ThroughState::Covered);
        assert_eq!(result.paths.len(), 3);
        let path = &result.paths[0];
        assert_eq!(path.base, req("etsi@3:R1"));
        let chain: Vec<String> = path
            .steps
            .iter()
            .map(|s| s.requirement.to_string())
            .collect();
        assert_eq!(chain, ["cir@1:P1", "nis@1:A"]);
        assert_eq!(path.steps[0].relation, Relation::IntersectsWith);
    }

    #[test]
    fn a_missing_part_makes_it_partial_and_is_named() {
        let direct = table(&[("etsi@3:R1", true), ("etsi@3:R3", true)]);
        let result = through(&req("nis@1:A"), &three_levels(), &direct);
        assert_eq!(result.state, ThroughState::Partial);
        assert_eq!(result.missing, vec![req("etsi@3:R2")]);
    }

    fn two_parts(complete: bool) -> CrosswalkSet {
        let entries: &[(&[&str], &[&str], Relation)] = &[
            (&["A"], &["R1"], Relation::SupersetOf),
            (&["A"], &["R2"], Relation::SupersetOf),
        ];
        CrosswalkSet::new([listing("nis@1", "etsi@3", entries, complete)])
    }

    #[test]
    fn a_part_alone_is_partial_and_names_the_missing_part() {
        let one = through(
            &req("nis@1:A"),
            &two_parts(true),
            &table(&[("etsi@3:R1", true)]),
        );
        assert_eq!(one.state, ThroughState::Partial);
        assert_eq!(one.missing, vec![req("etsi@3:R2")]);
        assert!(!one.every_listed_part_met);
    }

    #[test]
    fn listed_parts_add_up_to_covered_only_in_a_complete_crosswalk() {
        let both = table(&[("etsi@3:R1", true), ("etsi@3:R2", true)]);
        let complete = through(&req("nis@1:A"), &two_parts(true), &both);
        assert_eq!(complete.state, ThroughState::Covered);
        let open = through(&req("nis@1:A"), &two_parts(false), &both);
        assert_eq!(open.state, ThroughState::Partial);
        assert!(open.every_listed_part_met);
        assert!(open.missing.is_empty());
        assert_eq!(open.paths.len(), 2);
    }

    #[test]
    fn an_entry_marked_incomplete_keeps_a_complete_crosswalk_from_adding_up() {
        let mut crosswalk = two_parts(true).iter().next().expect("one").clone();
        crosswalk.entries[1].complete = false;
        let both = table(&[("etsi@3:R1", true), ("etsi@3:R2", true)]);
        let result = through(&req("nis@1:A"), &CrosswalkSet::new([crosswalk]), &both);
        assert_eq!(result.state, ThroughState::Partial);
        assert!(result.every_listed_part_met);
    }

    #[test]
    fn a_second_crosswalk_adds_a_way_and_never_a_missing_part() {
        let first = complete_walk(
            "nis@1",
            "etsi@3",
            &[(&["A"], &["R1"], Relation::SupersetOf)],
        );
        let second = walk("nis@1", "iso@1", &[(&["A"], &["S1"], Relation::SupersetOf)]);
        let direct = table(&[("etsi@3:R1", true)]);
        let alone = through(
            &req("nis@1:A"),
            &CrosswalkSet::new([first.clone()]),
            &direct,
        );
        assert_eq!(alone.state, ThroughState::Covered);
        let both = through(
            &req("nis@1:A"),
            &CrosswalkSet::new([first, second]),
            &direct,
        );
        assert_eq!(both.state, ThroughState::Covered);
    }

    /// A-1 subset-of B-1 superset-of C-1; A-2 equal B-2 equal C-2; a control meets A.
    fn three_standards() -> (CrosswalkSet, Table) {
        let walks = CrosswalkSet::new([
            walk(
                "a@1",
                "b@1",
                &[
                    (&["A-1"], &["B-1"], Relation::SubsetOf),
                    (&["A-2"], &["B-2"], Relation::Equal),
                ],
            ),
            walk(
                "b@1",
                "c@1",
                &[
                    (&["B-1"], &["C-1"], Relation::SupersetOf),
                    (&["B-2"], &["C-2"], Relation::Equal),
                ],
            ),
        ]);
        (walks, table(&[("a@1:A-1", true), ("a@1:A-2", true)]))
    }

    #[test]
    fn a_subset_is_only_part_of_what_contains_it() {
        let (walks, direct) = three_standards();
        let b1 = through(&req("b@1:B-1"), &walks, &direct);
        assert_eq!(b1.state, ThroughState::Partial);
        assert!(b1.every_listed_part_met);
    }

    #[test]
    fn subset_then_superset_is_undetermined_shown_and_never_coverage() {
        let (walks, direct) = three_standards();
        let c1 = through(&req("c@1:C-1"), &walks, &direct);
        assert_eq!(c1.state, ThroughState::None);
        assert!(c1.paths.is_empty());
        assert_eq!(c1.undetermined.len(), 1);
        let steps: Vec<String> = c1.undetermined[0]
            .steps
            .iter()
            .map(|s| format!("{} {}", s.relation, s.requirement))
            .collect();
        assert_eq!(steps, ["subset-of b@1:B-1", "superset-of c@1:C-1"]);
        assert_eq!(c1.undetermined[0].base, req("a@1:A-1"));
    }

    #[test]
    fn equal_then_equal_covers() {
        let (walks, direct) = three_standards();
        let c2 = through(&req("c@1:C-2"), &walks, &direct);
        assert_eq!(c2.state, ThroughState::Covered);
        assert_eq!(c2.paths[0].steps.len(), 2);
    }

    #[test]
    fn no_relationship_is_no_way_to_meet_a_requirement() {
        let walks = CrosswalkSet::new([complete_walk(
            "a@1",
            "b@1",
            &[(&["A"], &["B"], Relation::NoRelationship)],
        )]);
        let result = through(&req("b@1:B"), &walks, &table(&[("a@1:A", true)]));
        assert_eq!(result.state, ThroughState::None);
        assert!(result.undetermined.is_empty());
    }

    #[test]
    fn a_partial_claim_under_a_superset_is_undetermined() {
        // Part of B is met, and B holds more than A: the met part may lie outside A.
        let walks =
            CrosswalkSet::new([walk("a@1", "b@1", &[(&["A"], &["B"], Relation::SubsetOf)])]);
        let result = through(&req("a@1:A"), &walks, &table(&[("b@1:B", false)]));
        assert_eq!(result.state, ThroughState::None);
        assert_eq!(result.undetermined.len(), 1);
    }

    #[test]
    fn an_equal_group_needs_every_member() {
        let walks = CrosswalkSet::new([walk(
            "nis@1",
            "etsi@3",
            &[(&["A"], &["R1", "R2"], Relation::Equal)],
        )]);
        let result = through(&req("nis@1:A"), &walks, &table(&[("etsi@3:R1", true)]));
        assert_eq!(result.state, ThroughState::Partial);
    }

    #[test]
    fn a_partial_control_gives_partial_coverage() {
        let walks = CrosswalkSet::new([walk("a@1", "b@1", &[(&["A"], &["B"], Relation::Equal)])]);
        let result = through(&req("a@1:A"), &walks, &table(&[("b@1:B", false)]));
        assert_eq!(result.state, ThroughState::Partial);
        assert_eq!(result.missing, vec![req("b@1:B")]);
    }

    #[test]
    fn cycles_end_and_do_not_cover() {
        let walks = CrosswalkSet::new([
            walk("a@1", "b@1", &[(&["A"], &["B"], Relation::Equal)]),
            walk("b@1", "c@1", &[(&["B"], &["C"], Relation::Equal)]),
            walk("c@1", "a@1", &[(&["C"], &["A"], Relation::Equal)]),
        ]);
        let result = through(&req("a@1:A"), &walks, &table(&[]));
        assert_eq!(result.state, ThroughState::None);
    }

    #[test]
    fn coverage_never_flows_back_into_the_starting_standard() {
        // R2 and R1 are siblings under P; R1 being met says nothing about R2.
        let walks = CrosswalkSet::new([walk(
            "cir@1",
            "etsi@3",
            &[(&["P"], &["R1", "R2"], Relation::IntersectsWith)],
        )]);
        let result = through(&req("etsi@3:R2"), &walks, &table(&[("etsi@3:R1", true)]));
        assert_eq!(result.state, ThroughState::None);
    }

    #[test]
    fn unmet_pieces_are_those_in_mapped_catalogs_along_the_paths() {
        let pieces = unmet_pieces(&req("nis@1:A"), &three_levels(), &|c| {
            c.standard.as_str() == "etsi"
        });
        assert_eq!(
            pieces,
            vec![req("etsi@3:R1"), req("etsi@3:R2"), req("etsi@3:R3")]
        );
        // From ETSI, the links run only to catalogs no control names.
        let none = unmet_pieces(&req("etsi@3:R1"), &three_levels(), &|c| {
            c.standard.as_str() == "etsi"
        });
        assert!(none.is_empty());
    }

    #[test]
    fn paths_longer_than_the_limit_are_not_followed() {
        let walks = CrosswalkSet::new([
            walk("a@1", "b@1", &[(&["A"], &["B"], Relation::Equal)]),
            walk("b@1", "c@1", &[(&["B"], &["C"], Relation::Equal)]),
            walk("c@1", "d@1", &[(&["C"], &["D"], Relation::Equal)]),
            walk("d@1", "e@1", &[(&["D"], &["E"], Relation::Equal)]),
        ]);
        let three = through(&req("a@1:A"), &walks, &table(&[("d@1:D", true)]));
        assert_eq!(three.state, ThroughState::Covered);
        assert_eq!(three.paths[0].steps.len(), 3);
        let four = through(&req("a@1:A"), &walks, &table(&[("e@1:E", true)]));
        assert_eq!(four.state, ThroughState::None);
    }
}
