//! `--compare`: a converted copy of a deliverable against a known catalog.
//!
//! The bundled ETSI catalogs V2.3.1 and V3.1.1 are reconstructed from secondary sources.
//! A compliance team that owns the deliverable converts its own copy and compares: where
//! the two agree on every ID, level, status, marker and section, the reconstruction is
//! confirmed; where they differ, the report lists each difference so that it can be
//! checked in the PDF.

use std::collections::BTreeSet;
use std::fmt::Write as _;

use crate::model::{Catalog, Requirement};

/// Every difference between a converted catalog and the reference it is compared with.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Comparison {
    /// How the report names the two catalogs (their keys, unless the caller says more).
    pub converted: String,
    /// How the report names the reference.
    pub reference: String,
    /// Requirement IDs only in the converted copy, in its order.
    pub only_converted: Vec<String>,
    /// Requirement IDs only in the reference, in its order.
    pub only_reference: Vec<String>,
    /// Section IDs only in one of the two.
    pub sections_only_converted: Vec<String>,
    /// Section IDs only in the reference.
    pub sections_only_reference: Vec<String>,
    /// Requirements in both whose level, status, markers or section differ, with what
    /// differs, in the converted copy's order.
    pub differing: Vec<(String, Vec<String>)>,
    /// Requirements in both.
    pub shared: usize,
}

impl Comparison {
    /// True when nothing differs.
    pub fn agrees(&self) -> bool {
        self.only_converted.is_empty()
            && self.only_reference.is_empty()
            && self.sections_only_converted.is_empty()
            && self.sections_only_reference.is_empty()
            && self.differing.is_empty()
    }

    /// The report for people: a plain sentence when the two agree, else one line per
    /// difference.
    pub fn render(&self) -> String {
        let mut out = String::new();
        if self.agrees() {
            let _ = writeln!(
                out,
                "They agree: {} and {} have the same {} requirement IDs, with the same levels, statuses, markers and sections.",
                self.converted, self.reference, self.shared
            );
            return out;
        }
        let _ = writeln!(
            out,
            "They differ: {} and {} ({} requirements in both):",
            self.converted, self.reference, self.shared
        );
        list(
            &mut out,
            &format!("only in {}", self.converted),
            &self.only_converted,
        );
        list(
            &mut out,
            &format!("only in {}", self.reference),
            &self.only_reference,
        );
        list(
            &mut out,
            &format!("sections only in {}", self.converted),
            &self.sections_only_converted,
        );
        list(
            &mut out,
            &format!("sections only in {}", self.reference),
            &self.sections_only_reference,
        );
        if !self.differing.is_empty() {
            let _ = writeln!(out, "  different ({}):", self.differing.len());
            for (id, what) in &self.differing {
                let _ = writeln!(out, "    {id}: {}", what.join("; "));
            }
        }
        out
    }
}

fn list(out: &mut String, title: &str, ids: &[String]) {
    if !ids.is_empty() {
        let _ = writeln!(out, "  {title} ({}): {}", ids.len(), ids.join(", "));
    }
}

/// Compares `converted` with `reference` by requirement ID.
pub fn compare(converted: &Catalog, reference: &Catalog) -> Comparison {
    let ids = |c: &Catalog| -> BTreeSet<String> {
        c.requirements.iter().map(|r| r.id.to_string()).collect()
    };
    let sections =
        |c: &Catalog| -> BTreeSet<String> { c.sections.iter().map(|s| s.id.to_string()).collect() };
    let (converted_ids, reference_ids) = (ids(converted), ids(reference));
    let (converted_sections, reference_sections) = (sections(converted), sections(reference));
    let missing_from = |c: &Catalog, other: &BTreeSet<String>| -> Vec<String> {
        c.requirements
            .iter()
            .map(|r| r.id.to_string())
            .filter(|id| !other.contains(id))
            .collect()
    };
    let sections_missing = |c: &Catalog, other: &BTreeSet<String>| -> Vec<String> {
        c.sections
            .iter()
            .map(|s| s.id.to_string())
            .filter(|id| !other.contains(id))
            .collect()
    };
    let differing = converted
        .requirements
        .iter()
        .filter_map(|mine| {
            let theirs = reference.requirement(mine.id.as_str())?;
            let what = differences(mine, theirs);
            (!what.is_empty()).then(|| (mine.id.to_string(), what))
        })
        .collect();
    Comparison {
        converted: converted.key().to_string(),
        reference: reference.key().to_string(),
        only_converted: missing_from(converted, &reference_ids),
        only_reference: missing_from(reference, &converted_ids),
        sections_only_converted: sections_missing(converted, &reference_sections),
        sections_only_reference: sections_missing(reference, &converted_sections),
        differing,
        shared: converted_ids.intersection(&reference_ids).count(),
    }
}

fn differences(mine: &Requirement, theirs: &Requirement) -> Vec<String> {
    let mut what = Vec::new();
    let mut differ = |name: &str, a: String, b: String| {
        if a != b {
            what.push(format!("{name} {a} here, {b} there"));
        }
    };
    differ("level", mine.level.to_string(), theirs.level.to_string());
    differ("status", mine.status.to_string(), theirs.status.to_string());
    differ(
        "section",
        mine.section.to_string(),
        theirs.section.to_string(),
    );
    let markers = |r: &Requirement| {
        let names: Vec<String> = r.markers.iter().map(ToString::to_string).collect();
        if names.is_empty() {
            "none".to_owned()
        } else {
            names.join(", ")
        }
    };
    differ("markers", markers(mine), markers(theirs));
    what
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::diag::SourceFile;
    use crate::model::{Level, Origin};
    use crate::source::catalog::parse_catalog;

    fn catalog(version: &str, requirements: &str) -> Catalog {
        let text = format!("standard: demo\ntitle: Demo\nversion: {version}\npublished: 2026-01-01\nprovenance: verified\nsource: test\nsections:\n- id: '1'\n  title: One\n- id: '2'\n  title: Two\nrequirements:\n{requirements}");
        parse_catalog(
            &SourceFile::new("c.yaml", text),
            Origin::File("c.yaml".into()),
        )
        .unwrap()
    }

    #[test]
    fn identical_catalogs_agree_in_plain_words() {
        let a = catalog("1", "- id: A-1\n  section: '1'\n  text: The TSP shall a.\n");
        let comparison = compare(&a, &a);
        assert!(comparison.agrees());
        assert!(comparison
            .render()
            .starts_with("They agree: demo@1 and demo@1 have the same 1 requirement IDs"));
    }

    #[test]
    fn every_kind_of_difference_is_listed() {
        let a = catalog("1", "- id: A-1\n  section: '1'\n  text: The TSP shall a.\n- id: A-2\n  section: '1'\n  text: The TSP shall b.\n");
        let mut b = catalog("2", "- id: A-1\n  section: '2'\n  text: The TSP may a.\n- id: A-3\n  section: '1'\n  text: The TSP shall c.\n");
        b.sections.pop();
        let comparison = compare(&a, &b);
        assert_eq!(comparison.only_converted, ["A-2"]);
        assert_eq!(comparison.only_reference, ["A-3"]);
        assert_eq!(comparison.sections_only_converted, ["2"]);
        assert_eq!(b.requirements[0].level, Level::May);
        assert_eq!(
            comparison.differing,
            [(
                "A-1".to_owned(),
                vec![
                    "level shall here, may there".to_owned(),
                    "section 1 here, 2 there".to_owned()
                ]
            )]
        );
        assert!(comparison
            .render()
            .starts_with("They differ: demo@1 and demo@2"));
    }
}
