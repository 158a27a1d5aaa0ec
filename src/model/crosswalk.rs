//! Crosswalks: correspondences between requirements of *different* standards (e.g. NIS2
//! Art. 21(2) → Implementing Regulation (EU) 2024/2690 Annex → ETSI EN 319 401), read from
//! `mappings/crosswalks/*.yaml` by [`crate::source::crosswalk`]. Transitions join versions
//! of one standard; crosswalks join standards, and coverage may follow them.

use std::collections::BTreeMap;

use serde::Serialize;

use super::ids::{CatalogKey, RequirementId, RequirementKey};
use super::transition::{MappingProvenance, Relation};
use crate::diag::Diagnostic;

/// A validated crosswalk between two catalogs of different standards.
#[derive(Clone, Debug, PartialEq)]
pub struct Crosswalk {
    /// The catalog of one standard.
    pub from: CatalogKey,
    /// The catalog of the other standard.
    pub to: CatalogKey,
    /// Where the correspondences come from, as the file says.
    pub source: String,
    /// The file it was read from (`mappings/crosswalks/...` for bundled files).
    pub origin: String,
    /// The file's `complete`: its entries list every part of each requirement.
    pub complete: bool,
    /// Its correspondences, in file order.
    pub entries: Vec<CrosswalkEntry>,
}

/// One correspondence: the `from` requirements as a group relate to the `to` group.
#[derive(Clone, Debug, PartialEq)]
pub struct CrosswalkEntry {
    /// Expanded and checked IDs of the `from` catalog.
    pub from: Vec<RequirementId>,
    /// Expanded and checked IDs of the `to` catalog.
    pub to: Vec<RequirementId>,
    /// NIST IR 8477 relation of the `from` content to the `to` content.
    pub relation: Relation,
    /// The citation of this entry (clause, table row, article).
    pub source: String,
    /// A remark of the crosswalk's author.
    pub note: Option<String>,
    /// Whether the listed parts make the requirement up whole (the entry's `complete`, else
    /// the crosswalk's).
    pub complete: bool,
    /// Whether the entry is the source's statement or our inference, and how sure.
    pub provenance: MappingProvenance,
}

/// How one requirement reaches a group of another catalog through one crosswalk entry.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize)]
pub struct CrosswalkLink {
    /// The requirements on the other side, all in `catalog`.
    pub catalog: CatalogKey,
    /// The requirements of the group.
    pub group: Vec<RequirementId>,
    /// Relation of the group's content to the requirement's content.
    pub relation: Relation,
    /// `<file>: <entry source>`, with the entry's provenance marks (`[inferred, ...]`).
    pub citation: String,
    /// The crosswalk file the link comes from.
    pub origin: String,
    /// True when the crosswalk (or the entry) says its listed parts make the requirement
    /// up whole.
    pub complete: bool,
}

impl CrosswalkLink {
    /// True when the group as a whole asks for at least what the requirement asks
    /// (NIST IR 8477 `equal` or `superset-of`), so meeting the group meets the requirement.
    pub fn covers_whole(&self) -> bool {
        matches!(self.relation, Relation::Equal | Relation::SupersetOf)
    }

    /// Relation of one member of the group to the requirement. A member of a larger group
    /// is inside the group, so it is inside the requirement when the group is; when the
    /// group holds or crosses the requirement, the member is read as overlapping it: a
    /// crosswalk lists a member because it corresponds, and one that does not overlap
    /// would be a wrong entry, not a weaker one.
    pub fn member_relation(&self) -> Relation {
        if self.group.len() == 1 {
            return self.relation;
        }
        match self.relation {
            Relation::Equal | Relation::SubsetOf => Relation::SubsetOf,
            Relation::NoRelationship => Relation::NoRelationship,
            Relation::SupersetOf | Relation::IntersectsWith => Relation::IntersectsWith,
        }
    }
}

/// Every crosswalk reqgap knows, indexed by requirement for path finding.
#[derive(Clone, Debug, Default)]
pub struct CrosswalkSet {
    crosswalks: Vec<Crosswalk>,
    links: BTreeMap<RequirementKey, Vec<CrosswalkLink>>,
    /// Non-fatal findings while loading (a bundled crosswalk that no longer fits a
    /// replaced catalog).
    pub warnings: Vec<Diagnostic>,
}

impl CrosswalkSet {
    /// A set of validated crosswalks; links are indexed in both directions.
    pub fn new(crosswalks: impl IntoIterator<Item = Crosswalk>) -> CrosswalkSet {
        let mut set = CrosswalkSet::default();
        for crosswalk in crosswalks {
            set.index(&crosswalk);
            set.crosswalks.push(crosswalk);
        }
        set.crosswalks
            .sort_by(|a, b| (&a.from, &a.to, &a.origin).cmp(&(&b.from, &b.to, &b.origin)));
        for links in set.links.values_mut() {
            links.sort();
            links.dedup();
        }
        set
    }

    fn index(&mut self, crosswalk: &Crosswalk) {
        // Reviewed "no overlap" is shown in listings and exports but is no way to meet
        // anything.
        let related = crosswalk
            .entries
            .iter()
            .filter(|e| e.relation != Relation::NoRelationship);
        for entry in related {
            let citation = match entry.provenance.describe() {
                Some(marks) => format!("{}: {} [{marks}]", crosswalk.origin, entry.source),
                None => format!("{}: {}", crosswalk.origin, entry.source),
            };
            for id in &entry.from {
                self.links
                    .entry(crosswalk.from.requirement(id))
                    .or_default()
                    .push(CrosswalkLink {
                        catalog: crosswalk.to.clone(),
                        group: entry.to.clone(),
                        relation: entry.relation.inverse(),
                        citation: citation.clone(),
                        origin: crosswalk.origin.clone(),
                        complete: entry.complete,
                    });
            }
            for id in &entry.to {
                self.links
                    .entry(crosswalk.to.requirement(id))
                    .or_default()
                    .push(CrosswalkLink {
                        catalog: crosswalk.from.clone(),
                        group: entry.from.clone(),
                        relation: entry.relation,
                        citation: citation.clone(),
                        origin: crosswalk.origin.clone(),
                        complete: entry.complete,
                    });
            }
        }
    }

    /// Every group of another catalog that `requirement` corresponds to.
    pub fn links(&self, requirement: &RequirementKey) -> &[CrosswalkLink] {
        self.links.get(requirement).map_or(&[], Vec::as_slice)
    }

    /// Every crosswalk, in key order.
    pub fn iter(&self) -> impl Iterator<Item = &Crosswalk> {
        self.crosswalks.iter()
    }

    /// The crosswalk between `a` and `b` in either direction, as written.
    pub fn between(&self, a: &CatalogKey, b: &CatalogKey) -> Option<&Crosswalk> {
        self.crosswalks
            .iter()
            .find(|c| (&c.from == a && &c.to == b) || (&c.from == b && &c.to == a))
    }

    /// True when there is no crosswalk.
    pub fn is_empty(&self) -> bool {
        self.crosswalks.is_empty()
    }

    /// How many crosswalks there are.
    pub fn len(&self) -> usize {
        self.crosswalks.len()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn key(s: &str) -> CatalogKey {
        s.parse().expect("catalog key")
    }

    #[test]
    fn links_are_indexed_both_ways_with_the_relation_seen_from_the_requirement() {
        let set = CrosswalkSet::new([Crosswalk {
            from: key("nis@1"),
            to: key("etsi@3"),
            source: "test".into(),
            origin: "x.yaml".into(),
            complete: false,
            entries: vec![CrosswalkEntry {
                from: vec![RequirementId::new("A")],
                to: vec![RequirementId::new("R1"), RequirementId::new("R2")],
                relation: Relation::SubsetOf,
                source: "row 1".into(),
                note: None,
                complete: false,
                provenance: MappingProvenance::default(),
            }],
        }]);
        let from_a = set.links(&key("nis@1").requirement(&RequirementId::new("A")));
        assert_eq!(from_a.len(), 1);
        assert_eq!(from_a[0].relation, Relation::SupersetOf);
        assert!(from_a[0].covers_whole());
        assert_eq!(from_a[0].citation, "x.yaml: row 1");
        let from_r2 = set.links(&key("etsi@3").requirement(&RequirementId::new("R2")));
        assert_eq!(from_r2[0].group, vec![RequirementId::new("A")]);
        assert_eq!(from_r2[0].relation, Relation::SubsetOf);
        assert!(!from_r2[0].covers_whole());
    }
}
