//! A mapping between two versions of one standard, read as a transition file: each `map`
//! an entry (a relation reqgap's export marks `unstated` stays unstated), each property
//! group `entry-N` of reqgap's namespace a withdrawn or new entry, every entry back at
//! the place its `entry` property names. Controls a gap summary lists that no entry
//! declares withdrawn or new are left out with a warning: OSCAL draws no inference from
//! what is not mapped, and "withdrawn" is a statement someone must make.

use std::collections::{BTreeMap, BTreeSet};

use super::{ids, relation_and_rationale, strength};
use crate::diag::{Code, Diagnostic, Location, SourceFile};
use crate::model::oscal::mapping::{confidence_named, rationale_named, GapSummary, Map, Mapping};
use crate::model::oscal::{Property, REQGAP_NS};
use crate::model::{MappingConfidence, Rationale, Relation};
use crate::source::scalar::Text;
use crate::source::transition::{CorrespondenceEntry, TransitionFile};

/// The transition file, what could not be read, and what was left out.
pub(super) struct Read {
    pub file: TransitionFile,
    pub problems: Vec<String>,
    pub warnings: Vec<Diagnostic>,
    /// Controls of the gap summaries left out.
    pub skipped: usize,
}

pub(super) fn read(
    mapping: &Mapping,
    from: String,
    to: String,
    source: String,
    file: &SourceFile,
) -> Read {
    let mut problems = Vec::new();
    let mut placed: Vec<(Option<usize>, CorrespondenceEntry)> = Vec::new();
    for (i, map) in mapping.maps.iter().enumerate() {
        match map_entry(map) {
            Ok(entry) => placed.push(entry),
            Err(message) => problems.push(format!("map {}: {message}", i + 1)),
        }
    }
    let mut declared = BTreeSet::new();
    for (position, props) in groups(&mapping.props) {
        match unmapped_entry(&props) {
            Ok(entry) => {
                declared.extend(entry.from.iter().chain(&entry.to).map(|t| t.0.clone()));
                placed.push((Some(position), entry));
            }
            Err(message) => problems.push(format!("entry {position}: {message}")),
        }
    }
    // Entries without a place (maps of another tool, detected pairs) keep their order
    // after the placed ones.
    placed.sort_by_key(|(position, _)| position.unwrap_or(usize::MAX));
    let (mut warnings, mut skipped) = (Vec::new(), 0);
    for (side, summary) in [
        ("source", &mapping.source_gap_summary),
        ("target", &mapping.target_gap_summary),
    ] {
        let left_out = undeclared(summary.as_ref(), &declared);
        if !left_out.is_empty() {
            skipped += left_out.len();
            warnings.push(left_out_warning(side, &left_out, file));
        }
    }
    Read {
        file: TransitionFile {
            from,
            to,
            source,
            correspondences: placed.into_iter().map(|(_, entry)| entry).collect(),
        },
        problems,
        warnings,
        skipped,
    }
}

fn map_entry(map: &Map) -> Result<(Option<usize>, CorrespondenceEntry), String> {
    let (relation, rationale) = relation_and_rationale(map)?;
    if relation == Relation::NoRelationship {
        return Err("`no-relationship` joins no versions: a transition lists a requirement without successor as withdrawn".to_owned());
    }
    let props = &map.props;
    let position = Property::find(props, "entry")
        .map(|p| {
            p.parse::<usize>()
                .map_err(|_| format!("entry `{p}` is not a number"))
        })
        .transpose()?;
    let percentage = map.confidence_score.as_ref().and_then(|c| c.percentage);
    let score = match Property::find(props, "score") {
        Some(s) => Some(number(s, "score")?),
        // A percentage confidence of a syntactic match is its similarity score.
        None => percentage.filter(|_| rationale == Some(Rationale::Syntactic)),
    };
    let category = map
        .confidence_score
        .as_ref()
        .and_then(|c| c.category.as_deref())
        .and_then(confidence_named);
    // A pair the diff wanted confirmed stays doubtful once written down.
    let unconfirmed = Property::find(props, "needs-confirmation") == Some("true");
    let entry = CorrespondenceEntry {
        from: ids(&map.sources),
        to: ids(&map.targets),
        relation: (Property::find(props, "relation") != Some("unstated")).then_some(relation),
        note: map.remarks.clone(),
        rationale,
        strength: strength(props)?,
        confidence: category.or(unconfirmed.then_some(MappingConfidence::Low)),
        inferred: Property::find(props, "inferred") == Some("true"),
        score,
    };
    Ok((position, entry))
}

fn number(text: &str, name: &str) -> Result<f64, String> {
    text.parse::<f64>()
        .map_err(|_| format!("{name} `{text}` is not a number"))
}

/// reqgap's properties grouped `entry-N`, by N.
fn groups(props: &[Property]) -> BTreeMap<usize, Vec<&Property>> {
    let mut groups: BTreeMap<usize, Vec<&Property>> = BTreeMap::new();
    for prop in props.iter().filter(|p| p.ns.as_deref() == Some(REQGAP_NS)) {
        let position = prop
            .group
            .as_deref()
            .and_then(|g| g.strip_prefix("entry-"))
            .and_then(|n| n.parse::<usize>().ok());
        if let Some(position) = position {
            groups.entry(position).or_default().push(prop);
        }
    }
    groups
}

/// A withdrawn (`removed`) or new (`added`) entry from its group of properties.
fn unmapped_entry(props: &[&Property]) -> Result<CorrespondenceEntry, String> {
    let value = |name: &str| props.iter().find(|p| p.name == name).copied();
    let (first, removed) = match (value("removed"), value("added")) {
        (Some(p), None) => (p, true),
        (None, Some(p)) => (p, false),
        _ => return Err("names neither `removed` nor `added` IDs (or both)".to_owned()),
    };
    let listed: Vec<Text> = props
        .iter()
        .filter(|p| p.name == first.name)
        .map(|p| Text::from(p.value.as_str()))
        .collect();
    let text = |name: &str| value(name).map(|p| p.value.as_str());
    let rationale = text("rationale")
        .map(|r| rationale_named(r).ok_or_else(|| format!("`{r}` is not a matching rationale")))
        .transpose()?;
    let confidence = text("confidence")
        .map(|c| confidence_named(c).ok_or_else(|| format!("`{c}` is not a confidence")))
        .transpose()?;
    let owned: Vec<Property> = props.iter().map(|p| (*p).clone()).collect();
    let (from, to) = if removed {
        (listed, Vec::new())
    } else {
        (Vec::new(), listed)
    };
    Ok(CorrespondenceEntry {
        from,
        to,
        relation: None,
        note: first.remarks.clone(),
        rationale,
        strength: strength(&owned)?,
        confidence,
        inferred: text("inferred") == Some("true"),
        score: text("score").map(|s| number(s, "score")).transpose()?,
    })
}

/// Controls a gap summary lists that no entry declares withdrawn or new.
fn undeclared<'a>(summary: Option<&'a GapSummary>, declared: &BTreeSet<String>) -> Vec<&'a str> {
    summary
        .into_iter()
        .flat_map(|s| &s.unmapped_controls)
        .flat_map(|c| &c.with_ids)
        .filter(|id| !declared.contains(*id))
        .map(String::as_str)
        .collect()
}

fn left_out_warning(side: &str, left_out: &[&str], file: &SourceFile) -> Diagnostic {
    Diagnostic::warning(
        Code::OscalUnmappedSkipped,
        format!(
            "{} control{} of the {side}'s gap summary {} not imported (not mapped is not withdrawn or new): {}",
            left_out.len(),
            if left_out.len() == 1 { "" } else { "s" },
            if left_out.len() == 1 { "is" } else { "are" },
            left_out.join(", ")
        ),
    )
    .at(Location::file(file.path.clone()))
}
