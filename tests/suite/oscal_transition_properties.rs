//! Any transition, whatever the order and shape of its entries and the marks they carry,
//! comes back from reqgap's OSCAL export as the same file (the bundled files are checked
//! in `oscal_export.rs`; these are made up).

use chrono::NaiveDate;
use proptest::prelude::*;
use reqgap::diag::SourceFile;
use reqgap::import::oscal_mapping::{import, Endpoints, MappingFile};
use reqgap::model::oscal::transition::{transition_collection, Detection};
use reqgap::model::{
    CatalogKey, Correspondence, MappingConfidence, MappingProvenance, Rationale, Relation,
    RequirementId, Score, Transition,
};
use serde_json::{json, Map, Value};

fn ids() -> impl Strategy<Value = Vec<RequirementId>> {
    prop::collection::vec("[A-Z]{1,3}-[0-9]{1,2}(\\.[0-9])?( [a-z])?", 1..3)
        .prop_map(|ids| ids.into_iter().map(|id| RequirementId::new(&id)).collect())
}

fn provenance() -> impl Strategy<Value = MappingProvenance> {
    let rationale = prop::option::of(prop::sample::select(vec![
        Rationale::Syntactic,
        Rationale::Semantic,
        Rationale::Functional,
    ]));
    let confidence = prop::option::of(prop::sample::select(vec![
        MappingConfidence::High,
        MappingConfidence::Medium,
        MappingConfidence::Low,
    ]));
    let score = prop::option::of((0u32..=10_000).prop_map(|n| f64::from(n) / 10_000.0));
    (
        rationale,
        prop::option::of(1u8..=10),
        confidence,
        any::<bool>(),
        score,
    )
        .prop_map(
            |(rationale, strength, confidence, inferred, score)| MappingProvenance {
                rationale,
                strength,
                confidence,
                inferred,
                score: score.and_then(Score::new),
            },
        )
}

fn entry() -> impl Strategy<Value = Correspondence> {
    let relation = prop::option::of(prop::sample::select(vec![
        Relation::Equal,
        Relation::SubsetOf,
        Relation::SupersetOf,
        Relation::IntersectsWith,
    ]));
    // 0: a pair, 1: withdrawn, 2: new.
    (
        0u8..3,
        ids(),
        ids(),
        relation,
        prop::option::of("[ -~]{0,20}"),
        provenance(),
    )
        .prop_map(|(shape, from, to, relation, note, provenance)| {
            let (from, to, relation) = match shape {
                0 => (from, to, relation),
                1 => (from, Vec::new(), None),
                _ => (Vec::new(), to, None),
            };
            Correspondence {
                from,
                to,
                relation,
                note,
                provenance,
            }
        })
}

/// The file a transition is read from, as JSON (as `TransitionFile` serialises).
fn as_file(transition: &Transition) -> Value {
    let ids =
        |ids: &[RequirementId]| json!(ids.iter().map(RequirementId::as_str).collect::<Vec<_>>());
    let entries: Vec<Value> = transition
        .correspondences
        .iter()
        .map(|c| {
            let mut entry = Map::new();
            entry.insert("from".into(), ids(&c.from));
            entry.insert("to".into(), ids(&c.to));
            let p = &c.provenance;
            let optional = [
                ("relation", c.relation.map(|r| json!(r))),
                ("note", c.note.as_ref().map(|n| json!(n))),
                ("rationale", p.rationale.map(|r| json!(r))),
                ("strength", p.strength.map(|s| json!(s))),
                ("confidence", p.confidence.map(|c| json!(c))),
                ("inferred", p.inferred.then_some(json!(true))),
                ("score", p.score.map(|s| json!(s.value()))),
            ];
            for (name, value) in optional {
                if let Some(value) = value {
                    entry.insert(name.into(), value);
                }
            }
            Value::Object(entry)
        })
        .collect();
    json!({
        "from": transition.from.to_string(),
        "to": transition.to.to_string(),
        "source": transition.source,
        "correspondences": entries,
    })
}

fn key(text: &str) -> CatalogKey {
    text.parse().expect("catalog key")
}

proptest! {
    #[test]
    fn a_transition_reads_back_as_written(entries in prop::collection::vec(entry(), 1..8)) {
        let transition = Transition {
            from: key("made-up@1"),
            to: key("made-up@2"),
            source: "made up".into(),
            origin: "made-up.yaml".into(),
            correspondences: entries,
        };
        let day = NaiveDate::from_ymd_opt(2026, 11, 26).expect("date");
        let Some(document) = transition_collection(&transition, &Detection::default(), day) else {
            // Only withdrawn and new entries: OSCAL's mapping needs a map, so no export.
            prop_assert!(transition.correspondences.iter().all(|c| c.from.is_empty() || c.to.is_empty()));
            return Ok(());
        };
        let text = serde_json::to_string(&document).expect("JSON");
        let imported = import(&SourceFile::new("export.json", text), &Endpoints::default())
            .expect("reads back");
        prop_assert_eq!(imported.skipped, 0);
        let MappingFile::Transition(file) = imported.file else {
            panic!("two versions of one standard make a transition");
        };
        prop_assert_eq!(serde_json::to_value(&file).expect("JSON"), as_file(&transition));
    }
}
