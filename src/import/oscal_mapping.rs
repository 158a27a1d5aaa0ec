//! Reads an OSCAL 1.2 `mapping-collection` (JSON) into a reqgap crosswalk or transition
//! file: one `mapping` between two catalogs, each `map` an entry. Which of the two it is
//! follows from the catalogs it joins: two versions of one standard make a transition,
//! two standards a crosswalk (the rule reqgap's own files follow). reqgap's own exports
//! read back exactly (catalog keys, citations and marks travel in properties of reqgap's
//! namespace); another tool's file needs the catalog keys (`--from`, `--to`) and takes the
//! provenance's description as each crosswalk entry's citation. Anything that cannot be
//! read is refused with its place, never guessed.

use crate::diag::{Code, Diagnostic, Diagnostics, Location, SourceFile};
use crate::model::oscal::mapping::{
    confidence_named, rationale_named, relation_named, Map, Mapping, MappingDocument, Provenance,
    ResourceReference,
};
use crate::model::oscal::Property;
use crate::model::{Rationale, Relation};
use crate::source::crosswalk::{CrosswalkEntryFile, CrosswalkFile};
use crate::source::scalar::Text;

mod transition;

/// What the import read.
#[derive(Clone, Debug, PartialEq)]
pub struct ImportedMapping {
    /// The crosswalk or transition file the collection becomes.
    pub file: MappingFile,
    /// Maps read (all are kept or the import fails).
    pub maps: usize,
    /// Controls a gap summary lists that no entry declares withdrawn or new: read, not kept.
    pub skipped: usize,
    /// Why each was skipped, one warning per side.
    pub warnings: Vec<Diagnostic>,
}

/// The reqgap file a mapping-collection becomes.
#[derive(Clone, Debug, PartialEq)]
pub enum MappingFile {
    /// Two standards: a crosswalk file (`mappings/crosswalks/`).
    Crosswalk(CrosswalkFile),
    /// Two versions of one standard: a transition file (`mappings/<standard>/`).
    Transition(crate::source::transition::TransitionFile),
}

impl MappingFile {
    /// The catalogs the file joins, `from` then `to`.
    pub fn endpoints(&self) -> [&str; 2] {
        match self {
            MappingFile::Crosswalk(c) => [&c.from, &c.to],
            MappingFile::Transition(t) => [&t.from, &t.to],
        }
    }

    /// The file's entries.
    pub fn entries(&self) -> usize {
        match self {
            MappingFile::Crosswalk(c) => c.correspondences.len(),
            MappingFile::Transition(t) => t.correspondences.len(),
        }
    }
}

/// True when two catalog keys (`<standard>@<version>`) name versions of one standard.
fn same_standard(from: &str, to: &str) -> bool {
    let standard = |key: &str| key.split_once('@').map_or(key, |(s, _)| s).to_owned();
    !from.is_empty() && standard(from) == standard(to)
}

/// Catalog keys given on the command line for files that do not carry reqgap's.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Endpoints {
    /// The `from` catalog, `<standard>@<version>`.
    pub from: Option<String>,
    /// The `to` catalog.
    pub to: Option<String>,
}

/// Reads `file` (the mapping-collection's JSON text).
pub fn import(file: &SourceFile, endpoints: &Endpoints) -> Result<ImportedMapping, Diagnostics> {
    let document: MappingDocument = serde_json::from_str(&file.text).map_err(|e| {
        let at = file.location(e.line().max(1), e.column().max(1), 1);
        Diagnostics::from(
            Diagnostic::error(
                Code::BadOscalMapping,
                format!("not an OSCAL mapping-collection: {e}"),
            )
            .at(at),
        )
    })?;
    let collection = document.mapping_collection;
    let problem = |message: String| {
        Diagnostic::error(Code::BadOscalMapping, message).at(Location::file(file.path.clone()))
    };
    let [mapping] = collection.mappings.as_slice() else {
        return Err(problem(format!(
            "{} mappings: reqgap reads one mapping (one crosswalk or transition between two catalogs) per file",
            collection.mappings.len()
        ))
        .into());
    };
    let mut diagnostics = Diagnostics::new();
    let from = catalog(
        &mapping.source_resource,
        endpoints.from.as_deref(),
        "source",
    );
    let to = catalog(&mapping.target_resource, endpoints.to.as_deref(), "target");
    let (from, to) = match (from, to) {
        (Ok(from), Ok(to)) => (from, to),
        (from, to) => {
            for message in [from.err(), to.err()].into_iter().flatten() {
                diagnostics.push(problem(message));
            }
            (String::new(), String::new())
        }
    };
    let description = collection.provenance.mapping_description.trim().to_owned();
    let (mut warnings, mut skipped) = (Vec::new(), 0);
    let file = if same_standard(&from, &to) {
        let read = transition::read(mapping, from, to, description, file);
        (warnings, skipped) = (read.warnings, read.skipped);
        for message in read.problems {
            diagnostics.push(problem(message));
        }
        MappingFile::Transition(read.file)
    } else {
        let (file, problems) = crosswalk(&collection.provenance, mapping, from, to, description);
        for message in problems {
            diagnostics.push(problem(message));
        }
        MappingFile::Crosswalk(file)
    };
    diagnostics.into_result(ImportedMapping {
        maps: mapping.maps.len(),
        file,
        skipped,
        warnings,
    })
}

/// A mapping between two standards as a crosswalk file, and what could not be read.
fn crosswalk(
    provenance: &Provenance,
    mapping: &Mapping,
    from: String,
    to: String,
    description: String,
) -> (CrosswalkFile, Vec<String>) {
    let complete = Property::find(&provenance.props, "complete")
        .map_or(provenance.status == "complete", |v| v == "true");
    let mut entries = Vec::with_capacity(mapping.maps.len());
    let mut problems = Vec::new();
    for (i, map) in mapping.maps.iter().enumerate() {
        match entry(map, complete, &description) {
            Ok(entry) => entries.push(entry),
            Err(message) => problems.push(format!("map {}: {message}", i + 1)),
        }
    }
    let file = CrosswalkFile {
        from,
        to,
        source: description,
        complete,
        correspondences: entries,
    };
    (file, problems)
}

/// The catalog key of one side: reqgap's property, else the one given on the command line.
fn catalog(
    resource: &ResourceReference,
    given: Option<&str>,
    side: &str,
) -> Result<String, String> {
    if let Some(key) = given {
        return Ok(key.to_owned());
    }
    Property::find(&resource.props, "catalog")
        .map(str::to_owned)
        .ok_or_else(|| {
            format!(
                "the {side} resource ({}) does not name a reqgap catalog: give it with --{}",
                resource.href,
                if side == "source" { "from" } else { "to" }
            )
        })
}

/// A map's relation and rationale: `equivalent-to` is `equal` with a semantic rationale.
fn relation_and_rationale(map: &Map) -> Result<(Relation, Option<Rationale>), String> {
    let name = map.relationship.as_str();
    let relation = relation_named(name).ok_or_else(|| {
        format!("`{name}` is not an OSCAL relationship (equivalent-to, equal-to, subset-of, superset-of, intersects-with, no-relationship)")
    })?;
    let mut rationale = match &map.matching_rationale {
        Some(r) => Some(rationale_named(r).ok_or_else(|| {
            format!("`{r}` is not a matching rationale (syntactic, semantic, functional)")
        })?),
        None => None,
    };
    if name == "equivalent-to" {
        rationale = rationale.or(Some(Rationale::Semantic));
    }
    Ok((relation, rationale))
}

/// reqgap's `strength` property among `props`, checked to be a number.
fn strength(props: &[Property]) -> Result<Option<u8>, String> {
    Property::find(props, "strength")
        .map(|s| {
            s.parse::<u8>()
                .map_err(|_| format!("strength `{s}` is not a number"))
        })
        .transpose()
}

/// The IDs of mapping items, as written.
fn ids(items: &[crate::model::oscal::mapping::MappingItem]) -> Vec<Text> {
    items.iter().map(|i| Text(i.id_ref.clone())).collect()
}

fn entry(map: &Map, complete: bool, description: &str) -> Result<CrosswalkEntryFile, String> {
    let (relation, rationale) = relation_and_rationale(map)?;
    let strength = strength(&map.props)?;
    let own_complete = Property::find(&map.props, "complete").map(|v| v == "true");
    Ok(CrosswalkEntryFile {
        from: ids(&map.sources),
        to: ids(&map.targets),
        relation,
        source: Property::find(&map.props, "source").map_or_else(
            || format!("{description} (map {})", map.uuid),
            str::to_owned,
        ),
        note: map.remarks.clone(),
        complete: own_complete.filter(|c| *c != complete),
        rationale,
        strength,
        confidence: map
            .confidence_score
            .as_ref()
            .and_then(|c| c.category.as_deref())
            .and_then(confidence_named),
        inferred: Property::find(&map.props, "inferred") == Some("true"),
    })
}

/// The mapping a document holds, for callers that only inspect it.
pub fn mappings(document: &MappingDocument) -> &[Mapping] {
    &document.mapping_collection.mappings
}
