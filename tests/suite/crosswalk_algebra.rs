//! The relation algebra crosswalk paths are judged by (NIST IR 8477 relations read as sets):
//! every composition is checked against all triples of small sets, and chains of relations
//! keep the properties that make paths trustworthy.

use proptest::prelude::*;
use reqgap::model::Relation;

const ALL: [Relation; 5] = [
    Relation::Equal,
    Relation::SubsetOf,
    Relation::SupersetOf,
    Relation::IntersectsWith,
    Relation::NoRelationship,
];

/// The non-empty subsets of a four-element universe, as bit sets.
fn sets() -> Vec<u8> {
    (1u8..16).collect()
}

/// The one IR 8477 relation between two non-empty sets.
fn relation(a: u8, b: u8) -> Relation {
    if a == b {
        Relation::Equal
    } else if a & b == a {
        Relation::SubsetOf
    } else if a & b == b {
        Relation::SupersetOf
    } else if a & b != 0 {
        Relation::IntersectsWith
    } else {
        Relation::NoRelationship
    }
}

/// What a composed relation claims of `a` and `c`: `intersects-with` claims only overlap.
fn claims(r: Relation, a: u8, c: u8) -> bool {
    match r {
        Relation::Equal => a == c,
        Relation::SubsetOf => a & c == a,
        Relation::SupersetOf => a & c == c,
        Relation::IntersectsWith => a & c != 0,
        Relation::NoRelationship => a & c == 0,
    }
}

/// Every (a, c) pair of sets reachable through some b with `a r1 b` and `b r2 c`.
fn witnesses(r1: Relation, r2: Relation) -> Vec<(u8, u8)> {
    let mut found = Vec::new();
    for a in sets() {
        for b in sets() {
            if relation(a, b) != r1 {
                continue;
            }
            for c in sets() {
                if relation(b, c) == r2 {
                    found.push((a, c));
                }
            }
        }
    }
    found
}

#[test]
fn every_composition_holds_for_all_sets_and_is_the_strongest_that_does() {
    for r1 in ALL {
        for r2 in ALL {
            let pairs = witnesses(r1, r2);
            assert!(!pairs.is_empty(), "{r1} then {r2} has witnesses");
            let holding: Vec<Relation> = ALL
                .into_iter()
                .filter(|r| pairs.iter().all(|(a, c)| claims(*r, *a, *c)))
                .collect();
            match r1.compose(r2) {
                Some(r) => {
                    assert!(holding.contains(&r), "{r1} then {r2} = {r} is unsound");
                    let stronger = holding.iter().find(|h| h.strength() > r.strength());
                    assert_eq!(stronger, None, "{r1} then {r2}: {r} is too weak");
                }
                None => assert!(
                    holding.is_empty(),
                    "{r1} then {r2} is undetermined, but {holding:?} always holds"
                ),
            }
        }
    }
}

#[test]
fn the_four_compositions_the_old_rules_got_wrong_are_undetermined() {
    use Relation::{IntersectsWith, SubsetOf, SupersetOf};
    for (a, b) in [
        (SubsetOf, SupersetOf),
        (SubsetOf, IntersectsWith),
        (IntersectsWith, SupersetOf),
        (IntersectsWith, IntersectsWith),
    ] {
        assert_eq!(a.compose(b), None, "{a} then {b}");
    }
}

/// A chain composed left to right; `None` once any step is undetermined.
fn fold(chain: &[Relation]) -> Option<Relation> {
    chain
        .iter()
        .try_fold(Relation::Equal, |acc, next| acc.compose(*next))
}

fn chain() -> impl Strategy<Value = Vec<Relation>> {
    prop::collection::vec(prop::sample::select(ALL.to_vec()), 1..6)
}

proptest! {
    #[test]
    fn composing_is_associative(chain in chain(), split in 0usize..6) {
        let split = split.min(chain.len());
        let (left, right) = chain.split_at(split);
        let joined = match (fold(left), fold(right)) {
            (Some(l), Some(r)) => l.compose(r),
            _ => None,
        };
        prop_assert_eq!(fold(&chain), joined);
    }

    #[test]
    fn reversing_a_chain_inverts_its_composition(chain in chain()) {
        let reversed: Vec<Relation> = chain.iter().rev().map(|r| r.inverse()).collect();
        prop_assert_eq!(fold(&reversed), fold(&chain).map(Relation::inverse));
    }

    #[test]
    fn no_path_is_stronger_than_its_weakest_step(chain in chain()) {
        let weakest = chain.iter().map(|r| r.strength()).min().unwrap_or(0);
        if let Some(composed) = fold(&chain) {
            prop_assert!(composed.strength() <= weakest);
        }
    }
}
