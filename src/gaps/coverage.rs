//! Views for people over coverage and crosswalks: how each requirement of a target is met
//! (`reqgap coverage`), and what a crosswalk maps to what (`reqgap crosswalk A B`).

use std::collections::BTreeSet;

use serde::Serialize;

use super::crosswalk::{Path, ThroughState};
use super::{GapKind, GapReport};
use crate::model::{
    Catalog, CatalogKey, CatalogSet, Crosswalk, CrosswalkSet, Level, Relation, RequirementId,
    RequirementKey,
};

/// How one requirement of a target is met.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum How {
    /// Controls map to it (or to its earlier version) and cover it.
    Direct,
    /// Met through crosswalks to other standards.
    Via,
    /// Only partly met, directly or through crosswalks.
    Partial,
    /// Claimed through a mapping that must be reviewed first.
    Review,
    /// No control meets it, directly or through crosswalks.
    Uncovered,
}

enum_names!(How {
    Direct => "direct",
    Via => "via",
    Partial => "partial",
    Review => "review",
    Uncovered => "uncovered",
});

/// One row of the coverage matrix.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct MatrixRow {
    /// The requirement.
    pub requirement: RequirementKey,
    /// Its title, when the catalog gives one.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub title: Option<String>,
    /// Its level (`shall`, `should`, ...).
    pub level: Level,
    /// How it is met.
    pub how: How,
    /// The crosswalk paths, for `via` and crosswalk-`partial` rows.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub paths: Vec<Path>,
    /// What is still missing on the paths (crosswalk-`partial` rows).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub missing: Vec<RequirementKey>,
    /// Crosswalk-`partial` rows: every listed part is met, but the crosswalk is not
    /// `complete`, so the rest is unknown.
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub every_listed_part_met: bool,
    /// Paths whose relations leave open whether they overlap the requirement (shown for
    /// review, never counted).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub undetermined: Vec<Path>,
}

/// The coverage matrix of one target: every active requirement and how it is met.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Matrix {
    /// The target version.
    pub target: CatalogKey,
    /// One row per active requirement, in catalog order.
    pub rows: Vec<MatrixRow>,
}

impl Matrix {
    /// Rows per [`How`], every kind listed.
    pub fn counts(&self) -> Vec<(How, usize)> {
        [
            How::Direct,
            How::Via,
            How::Partial,
            How::Review,
            How::Uncovered,
        ]
        .into_iter()
        .map(|how| (how, self.rows.iter().filter(|r| r.how == how).count()))
        .collect()
    }
}

/// The matrix of `catalog` (a target of `report`), read from the report's gaps and its
/// crosswalk paths: a requirement without a coverage gap is met directly.
pub fn matrix(report: &GapReport, catalog: &Catalog) -> Matrix {
    let key = catalog.key();
    let through = report
        .targets
        .iter()
        .find(|t| t.catalog == key)
        .map(|t| t.through_crosswalks.as_slice())
        .unwrap_or_default();
    let rows = catalog
        .active_requirements()
        .map(|requirement| {
            let id = key.requirement(&requirement.id);
            let found = through.iter().find(|t| t.requirement == id);
            let how = match found.map(|t| t.through.state) {
                Some(ThroughState::Covered) => How::Via,
                Some(ThroughState::Partial) => How::Partial,
                _ => from_gaps(report, &key, &id),
            };
            MatrixRow {
                requirement: id,
                title: requirement.title.clone(),
                level: requirement.level,
                how,
                paths: found.map(|t| t.through.paths.clone()).unwrap_or_default(),
                missing: found.map(|t| t.through.missing.clone()).unwrap_or_default(),
                every_listed_part_met: found.is_some_and(|t| t.through.every_listed_part_met),
                undetermined: found
                    .map(|t| t.through.undetermined.clone())
                    .unwrap_or_default(),
            }
        })
        .collect();
    Matrix { target: key, rows }
}

fn from_gaps(report: &GapReport, target: &CatalogKey, requirement: &RequirementKey) -> How {
    let kinds: BTreeSet<GapKind> = report
        .gaps
        .iter()
        .filter(|g| {
            g.target.as_ref() == Some(target) && g.requirement.as_ref() == Some(requirement)
        })
        .map(|g| g.kind)
        .collect();
    if kinds.contains(&GapKind::Uncovered) || kinds.contains(&GapKind::Unowned) {
        How::Uncovered
    } else if kinds.contains(&GapKind::Partial) {
        How::Partial
    } else if kinds.contains(&GapKind::NeedsReview) {
        How::Review
    } else {
        How::Direct
    }
}

/// One requirement of the first catalog and what it maps to in the second.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct ListingRow {
    /// Requirements of the first catalog (one, or a group).
    pub from: Vec<RequirementId>,
    /// What they map to in the second.
    pub to: Vec<RequirementId>,
    /// Relation of `from` to `to`.
    pub relation: Relation,
    /// The entry's citation, with its provenance marks (`[inferred, confidence medium]`).
    pub source: String,
}

/// A crosswalk read from `from` to `to`, with what maps to nothing on either side.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Listing {
    /// The first catalog.
    pub from: CatalogKey,
    /// The second catalog.
    pub to: CatalogKey,
    /// The file it was read from.
    pub origin: String,
    /// Where the crosswalk's correspondences come from, as the file says.
    pub source: String,
    /// One row per entry, read from `from` to `to`.
    pub rows: Vec<ListingRow>,
    /// Active requirements of `from` that no entry names.
    pub unmapped_from: Vec<RequirementId>,
    /// Active requirements of `to` that no entry names.
    pub unmapped_to: Vec<RequirementId>,
}

/// `crosswalk` read in the direction `from` → `to` (entries inverted when it was written
/// the other way round).
pub fn listing(crosswalk: &Crosswalk, from: &Catalog, to: &Catalog) -> Listing {
    let forwards = crosswalk.from == from.key();
    let rows: Vec<ListingRow> = crosswalk
        .entries
        .iter()
        .map(|e| {
            // An inference or a partial listing must not read as the source's statement.
            let mut marks: Vec<String> = e.provenance.describe().into_iter().collect();
            if crosswalk.complete && !e.complete {
                marks.push("not complete".to_owned());
            }
            let source = if marks.is_empty() {
                e.source.clone()
            } else {
                format!("{} [{}]", e.source, marks.join(", "))
            };
            if forwards {
                ListingRow {
                    from: e.from.clone(),
                    to: e.to.clone(),
                    relation: e.relation,
                    source,
                }
            } else {
                ListingRow {
                    from: e.to.clone(),
                    to: e.from.clone(),
                    relation: e.relation.inverse(),
                    source,
                }
            }
        })
        .collect();
    let named_from: BTreeSet<&RequirementId> = rows.iter().flat_map(|r| &r.from).collect();
    let named_to: BTreeSet<&RequirementId> = rows.iter().flat_map(|r| &r.to).collect();
    let unmapped = |catalog: &Catalog, named: &BTreeSet<&RequirementId>| {
        catalog
            .active_requirements()
            .map(|r| r.id.clone())
            .filter(|id| !named.contains(id))
            .collect()
    };
    Listing {
        from: from.key(),
        to: to.key(),
        origin: crosswalk.origin.clone(),
        source: crosswalk.source.clone(),
        unmapped_from: unmapped(from, &named_from),
        unmapped_to: unmapped(to, &named_to),
        rows,
    }
}

/// A path in one line: `GOV-01 → etsi-en-319-401@3.2.1:REQ-5-04 → …`, with version hops
/// and each crosswalk hop's relation.
pub fn path_line(path: &Path) -> String {
    let controls: Vec<String> = path
        .claims
        .iter()
        .map(|c| match &c.version_hop {
            Some(hop) => format!("{} → {} ⇒ ({})", c.control, hop.from, hop.confidence),
            None => c.control.to_string(),
        })
        .collect();
    let mut line = format!("{} → {}", controls.join(", "), path.base);
    for step in &path.steps {
        line.push_str(&format!(" → {} ({})", step.requirement, step.relation));
    }
    line
}

/// Paths shown per requirement by the human formats (table, Markdown, HTML); JSON lists
/// every path.
pub const PATHS_SHOWN: usize = 3;

/// Missing pieces named per requirement by the human formats; JSON lists them all.
pub const MISSING_SHOWN: usize = 5;

/// A path in compact form, with bare IDs (the JSON keeps the full keys):
/// `CMP-01 → REQ-7.13-01 → ANNEX-2.3 (intersects-with) → ART-21.2-a (equal)`. A claim made
/// against another version shows the version hop and how sure it is:
/// `CMP-03 → REQ-7.1.1-06@2.3.1 ⇒ REQ-7.1.2-06@3.2.1 [renumbered (curated)] → …`.
pub fn path_compact(path: &Path) -> String {
    let mut confidences: Vec<&str> = Vec::new();
    let claims: Vec<String> = path
        .claims
        .iter()
        .map(|claim| match &claim.version_hop {
            Some(hop) => {
                if !confidences.contains(&hop.confidence.as_str()) {
                    confidences.push(&hop.confidence);
                }
                format!(
                    "{} → {}@{}",
                    claim.control, hop.from.id, hop.from.catalog.version
                )
            }
            None => claim.control.to_string(),
        })
        .collect();
    let mut line = claims.join(", ");
    if confidences.is_empty() {
        line.push_str(&format!(" → {}", path.base.id));
    } else {
        line.push_str(&format!(
            " ⇒ {}@{} [{}]",
            path.base.id,
            path.base.catalog.version,
            confidences.join("; ")
        ));
    }
    for step in &path.steps {
        line.push_str(&format!(" → {} ({})", step.requirement.id, step.relation));
    }
    line
}

/// The first [`PATHS_SHOWN`] paths in compact form, then `and N more paths` when there are
/// more.
pub fn paths_shown(paths: &[Path]) -> Vec<String> {
    let mut lines: Vec<String> = paths.iter().take(PATHS_SHOWN).map(path_compact).collect();
    if paths.len() > PATHS_SHOWN {
        let more = paths.len() - PATHS_SHOWN;
        let plural = if more == 1 { "" } else { "s" };
        lines.push(format!("and {more} more path{plural} (JSON lists all)"));
    }
    lines
}

/// The missing pieces of a partial path as `missing: A, B, and N more`, or `None`.
pub fn missing_shown(missing: &[RequirementKey]) -> Option<String> {
    if missing.is_empty() {
        return None;
    }
    let mut names: Vec<String> = missing
        .iter()
        .take(MISSING_SHOWN)
        .map(ToString::to_string)
        .collect();
    if missing.len() > MISSING_SHOWN {
        names.push(format!("and {} more", missing.len() - MISSING_SHOWN));
    }
    Some(format!("missing: {}", names.join(", ")))
}

/// The coverage matrices of a report's targets, in the inventory's order; only `wanted`'s
/// when given, which must be one of them.
pub fn matrices(
    report: &GapReport,
    catalogs: &CatalogSet,
    wanted: Option<&CatalogKey>,
) -> Result<Vec<Matrix>, NotATarget> {
    let targets: Vec<&CatalogKey> = report.targets.iter().map(|t| &t.catalog).collect();
    let chosen = match wanted {
        None => targets,
        Some(wanted) if targets.contains(&wanted) => vec![wanted],
        Some(wanted) => {
            return Err(NotATarget {
                wanted: wanted.clone(),
                targets: targets.into_iter().cloned().collect(),
            })
        }
    };
    Ok(chosen
        .into_iter()
        .filter_map(|key| catalogs.get(key))
        .map(|catalog| matrix(report, catalog))
        .collect())
}

/// A coverage matrix was asked for a catalog that the inventory does not target.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct NotATarget {
    /// The catalog asked for.
    pub wanted: CatalogKey,
    /// The inventory's targets.
    pub targets: Vec<CatalogKey>,
}

/// The listing of the crosswalk between `from` and `to` (in either direction), or, when
/// none joins them, the crosswalks there are.
pub fn crosswalk_listing(
    crosswalks: &CrosswalkSet,
    catalogs: &CatalogSet,
    from: &CatalogKey,
    to: &CatalogKey,
) -> Result<Listing, NoCrosswalk> {
    match (
        crosswalks.between(from, to),
        catalogs.get(from),
        catalogs.get(to),
    ) {
        (Some(crosswalk), Some(a), Some(b)) => Ok(listing(crosswalk, a, b)),
        _ => Err(NoCrosswalk {
            from: from.clone(),
            to: to.clone(),
            known: crosswalks
                .iter()
                .map(|c| (c.from.clone(), c.to.clone()))
                .collect(),
        }),
    }
}

/// No crosswalk joins two catalogs.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct NoCrosswalk {
    /// The first catalog asked for.
    pub from: CatalogKey,
    /// The second catalog asked for.
    pub to: CatalogKey,
    /// The crosswalks there are, each as written (from, to).
    pub known: Vec<(CatalogKey, CatalogKey)>,
}

impl std::fmt::Display for NoCrosswalk {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let known: Vec<String> = self
            .known
            .iter()
            .map(|(from, to)| format!("{from} ↔ {to}"))
            .collect();
        let known = if known.is_empty() {
            "none".to_owned()
        } else {
            known.join(", ")
        };
        write!(
            f,
            "no crosswalk joins {} and {}; known crosswalks: {known}",
            self.from, self.to
        )?;
        // Versions of one standard are joined by a transition, which `diff` shows.
        if self.from.standard == self.to.standard {
            write!(
                f,
                "; {} and {} are versions of one standard: `reqgap diff {} {}` shows their transition (`--format oscal` exports it)",
                self.from, self.to, self.from, self.to
            )?;
        }
        Ok(())
    }
}
