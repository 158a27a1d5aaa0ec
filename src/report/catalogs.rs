//! Report models for `reqgap catalogs` and `reqgap show`.

use chrono::NaiveDate;
use serde::Serialize;

use crate::model::CatalogSet;
use crate::model::{Catalog, Origin, Provenance, Requirement};

/// `reqgap catalogs`: every known catalog.
#[derive(Debug, Serialize)]
pub struct CatalogList {
    /// Every known catalog, by key.
    pub catalogs: Vec<CatalogSummary>,
}

/// One catalog as `reqgap catalogs` lists it.
#[derive(Debug, Serialize)]
pub struct CatalogSummary {
    /// `<standard>@<version>`.
    pub catalog: String,
    /// Who publishes the standard, from the slug's prefix (`cabf-` → CA/Browser Forum).
    pub publisher: String,
    /// The standard's slug.
    pub standard: String,
    /// The version.
    pub version: String,
    /// The standard's full title.
    pub title: String,
    /// When the publisher published it.
    pub published: NaiveDate,
    /// When it applies from, when that differs.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub effective: Option<NaiveDate>,
    /// The version it replaces.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub supersedes: Option<String>,
    /// How far the catalog follows the published text.
    pub provenance: Provenance,
    /// All requirement entries, withdrawn ones included.
    pub requirements: usize,
    /// Withdrawn requirement entries.
    pub withdrawn: usize,
    /// Requirements whose ID or content is inferred rather than confirmed.
    pub inferred: usize,
    /// Bundled, or the file it was read from.
    pub origin: Origin,
}

impl CatalogList {
    /// Grouped by publisher, standards in name order, versions oldest first.
    pub fn from_set(set: &CatalogSet) -> CatalogList {
        let mut catalogs: Vec<CatalogSummary> = set.iter().map(CatalogSummary::of).collect();
        catalogs.sort_by(|a, b| {
            a.publisher
                .cmp(&b.publisher)
                .then_with(|| a.standard.cmp(&b.standard))
                .then_with(|| {
                    crate::model::Version::new(a.version.as_str())
                        .cmp(&crate::model::Version::new(b.version.as_str()))
                })
        });
        CatalogList { catalogs }
    }
}

impl CatalogSummary {
    /// The summary of `catalog`.
    pub fn of(catalog: &Catalog) -> CatalogSummary {
        CatalogSummary {
            catalog: catalog.key().to_string(),
            publisher: publisher(catalog.standard.as_str()).to_owned(),
            standard: catalog.standard.to_string(),
            version: catalog.version.to_string(),
            title: catalog.title.clone(),
            published: catalog.published,
            effective: catalog.effective,
            supersedes: catalog.supersedes.as_ref().map(ToString::to_string),
            provenance: catalog.provenance,
            requirements: catalog.requirements.len(),
            withdrawn: catalog.requirements.len() - catalog.active_requirements().count(),
            inferred: catalog.inferred_count(),
            origin: catalog.origin.clone(),
        }
    }
}

/// Publishers by the slug prefix their bundled catalogs use.
const PUBLISHERS: [(&str, &str); 7] = [
    ("cabf-", "CA/Browser Forum"),
    ("ccadb-", "CCADB"),
    ("etsi-", "ETSI"),
    ("eu-", "European Union"),
    ("iso-", "ISO/IEC"),
    ("mozilla-", "Mozilla"),
    ("nist-", "NIST"),
];

/// The publisher of a standard, from its slug; `Other` for slugs of no known publisher.
pub fn publisher(standard: &str) -> &'static str {
    PUBLISHERS
        .iter()
        .find(|(prefix, _)| standard.starts_with(prefix))
        .map_or("Other", |(_, name)| name)
}

/// `reqgap show`: a whole catalog, or the requirements asked for.
#[derive(Debug, Serialize)]
pub struct CatalogView<'a> {
    /// The catalog shown.
    pub catalog: &'a Catalog,
    /// The requirements asked for by ID; empty means the whole catalog.
    #[serde(skip)]
    pub selected: Vec<&'a Requirement>,
}

impl CatalogView<'_> {
    /// True when no requirement was asked for.
    pub fn is_whole_catalog(&self) -> bool {
        self.selected.is_empty()
    }

    /// The requirements to show: the selection, or the whole catalog.
    pub fn requirements(&self) -> Vec<&Requirement> {
        if self.selected.is_empty() {
            self.catalog.requirements.iter().collect()
        } else {
            self.selected.clone()
        }
    }

    /// The title of a requirement's section, if declared.
    pub fn section_title(&self, requirement: &Requirement) -> &str {
        self.catalog
            .section(requirement.section.as_str())
            .map_or("", |s| s.title.as_str())
    }
}
