//! Matching: curated links first, then detection by text similarity among what is left.
//!
//! Detection never compares all pairs. Each requirement proposes candidates through an
//! inverted index of its rarest words (in both directions, so the candidate set does not
//! depend on which version is called old), candidates are scored, and a greedy assignment
//! takes the best pairs first under a tie-break that is the same whichever side is old.
//! Leftovers whose text lies almost wholly inside a matched requirement join it as parts of
//! a split or a merge.

use std::collections::HashMap;
use std::collections::{BTreeMap, BTreeSet};

use super::model::MatchKind;
use super::sides::Side;
use super::text::{containment, dice};
use super::DiffOptions;
use crate::model::LinkRel;
use crate::model::Relation;
use crate::model::Transition;

/// Words shared by more requirements than this are useless for finding candidates.
const MAX_POSTINGS: usize = 32;
/// How many of a requirement's rarest words look up candidates.
const RARE_WORDS: usize = 10;
/// Candidates kept per requirement and direction.
const CANDIDATES: usize = 8;
/// A split or merge part needs at least this many words, so that short boilerplate does
/// not attach everywhere.
const MIN_PART_WORDS: usize = 4;

/// One old requirement linked to one new requirement (indices into the sides).
#[derive(Clone, Debug)]
pub(crate) struct Link {
    pub old: usize,
    pub new: usize,
    pub kind: MatchKind,
    pub relation: Option<Relation>,
    pub sources: Vec<String>,
    /// The measure that established a detected part of a split or merge (containment),
    /// reported instead of the overall similarity.
    pub part_score: Option<f64>,
}

/// Everything matching decided.
#[derive(Debug, Default)]
pub(crate) struct Matching {
    pub links: Vec<Link>,
    /// Old requirements a curated entry declares withdrawn without successor.
    pub curated_removed: BTreeMap<usize, Vec<String>>,
    /// New requirements a curated entry declares new.
    pub curated_added: BTreeMap<usize, Vec<String>>,
}

impl Matching {
    fn settled(&self) -> (BTreeSet<usize>, BTreeSet<usize>) {
        let mut old: BTreeSet<usize> = self.curated_removed.keys().copied().collect();
        let mut new: BTreeSet<usize> = self.curated_added.keys().copied().collect();
        for link in &self.links {
            old.insert(link.old);
            new.insert(link.new);
        }
        (old, new)
    }
}

/// Runs the whole matching for one pair of versions.
pub(crate) fn match_sides(
    old: &Side<'_>,
    new: &Side<'_>,
    curated: &[&Transition],
    options: &DiffOptions,
) -> Matching {
    let mut matching = Matching::default();
    if !options.detect_only {
        curated_links(old, new, curated, &mut matching);
        publisher_links(old, new, &mut matching);
        keep_own_predecessors(old, new, options, &mut matching);
    }
    let (settled_old, settled_new) = matching.settled();
    let pool_old: Vec<usize> = (0..old.len())
        .filter(|i| !settled_old.contains(i))
        .collect();
    let pool_new: Vec<usize> = (0..new.len())
        .filter(|i| !settled_new.contains(i))
        .collect();
    let candidates = candidates(old, new, &pool_old, &pool_new);
    detect(old, new, &candidates, options, &mut matching);
    matching
}

/// Links from transition files that go from `old` to `new` (or the other way, inverted).
fn curated_links(old: &Side<'_>, new: &Side<'_>, curated: &[&Transition], m: &mut Matching) {
    let (old_key, new_key) = (old.catalog.key(), new.catalog.key());
    for transition in curated {
        let inverted;
        let transition = if transition.from == old_key && transition.to == new_key {
            *transition
        } else if transition.from == new_key && transition.to == old_key {
            inverted = transition.inverse();
            &inverted
        } else {
            continue;
        };
        for entry in &transition.correspondences {
            let source = entry.source_text(&transition.origin);
            let olds: Vec<usize> = entry
                .from
                .iter()
                .filter_map(|id| old.index(id.as_str()))
                .collect();
            let news: Vec<usize> = entry
                .to
                .iter()
                .filter_map(|id| new.index(id.as_str()))
                .collect();
            if entry.to.is_empty() {
                for o in olds {
                    m.curated_removed.entry(o).or_default().push(source.clone());
                }
            } else if entry.from.is_empty() {
                for n in news {
                    m.curated_added.entry(n).or_default().push(source.clone());
                }
            } else {
                for &o in &olds {
                    for &n in &news {
                        push_link(m, o, n, MatchKind::Curated, entry.relation, source.clone());
                    }
                }
            }
        }
    }
}

fn push_link(
    m: &mut Matching,
    old: usize,
    new: usize,
    kind: MatchKind,
    relation: Option<Relation>,
    source: String,
) {
    if let Some(existing) = m.links.iter_mut().find(|l| l.old == old && l.new == new) {
        if !existing.sources.contains(&source) {
            existing.sources.push(source);
        }
        return;
    }
    m.links.push(Link {
        old,
        new,
        kind,
        relation,
        sources: vec![source],
        part_score: None,
    });
}

/// A requirement withdrawn in one version with a `moved-to` / `incorporated-into` link, and
/// active under the same ID in the other, is linked to the link's target.
fn publisher_links(old: &Side<'_>, new: &Side<'_>, m: &mut Matching) {
    let relation_of = |rel: LinkRel| match rel {
        LinkRel::MovedTo => Some(Relation::Equal),
        LinkRel::IncorporatedInto => Some(Relation::SubsetOf),
        LinkRel::Related => None,
    };
    let (settled_old, settled_new) = m.settled();
    for withdrawn in new.catalog.requirements.iter().filter(|r| !r.is_active()) {
        let Some(o) = old.index(withdrawn.id.as_str()) else {
            continue;
        };
        for link in &withdrawn.links {
            let (Some(relation), Some(n)) =
                (relation_of(link.rel), new.index(link.target.as_str()))
            else {
                continue;
            };
            if settled_old.contains(&o) || settled_new.contains(&n) {
                continue;
            }
            let source = format!(
                "{}:{} {} {}",
                new.catalog.key(),
                withdrawn.id,
                rel_name(link.rel),
                link.target
            );
            push_link(m, o, n, MatchKind::PublisherLink, Some(relation), source);
        }
    }
    for withdrawn in old.catalog.requirements.iter().filter(|r| !r.is_active()) {
        let Some(n) = new.index(withdrawn.id.as_str()) else {
            continue;
        };
        for link in &withdrawn.links {
            let (Some(relation), Some(o)) =
                (relation_of(link.rel), old.index(link.target.as_str()))
            else {
                continue;
            };
            if settled_old.contains(&o) || settled_new.contains(&n) {
                continue;
            }
            let source = format!(
                "{}:{} {} {}",
                old.catalog.key(),
                withdrawn.id,
                rel_name(link.rel),
                link.target
            );
            push_link(
                m,
                o,
                n,
                MatchKind::PublisherLink,
                Some(relation.inverse()),
                source,
            );
        }
    }
}

/// A curated link into a requirement that keeps its ID (e.g. two old requirements
/// incorporated into REQ-7.2-16, which exists in both versions) must not cut that
/// requirement off from its own predecessor: same-ID pairs whose other side is unsettled
/// are linked when their texts are similar enough. Checked from both sides, so swapping
/// the versions gives the mirror image.
fn keep_own_predecessors(old: &Side<'_>, new: &Side<'_>, options: &DiffOptions, m: &mut Matching) {
    let (settled_old, settled_new) = m.settled();
    let targets = settled_new
        .iter()
        .filter_map(|&n| old.index(new.id(n)).map(|o| (o, n)));
    let sources = settled_old
        .iter()
        .filter_map(|&o| new.index(old.id(o)).map(|n| (o, n)));
    let pairs: BTreeSet<(usize, usize)> = targets
        .chain(sources)
        .filter(|(o, n)| !(settled_old.contains(o) && settled_new.contains(n)))
        .filter(|(o, n)| !m.curated_removed.contains_key(o) && !m.curated_added.contains_key(n))
        .filter(|(o, n)| dice(&old.tokens[*o], &new.tokens[*n]) >= options.match_score)
        .collect();
    for (o, n) in pairs {
        m.links.push(Link {
            old: o,
            new: n,
            kind: MatchKind::SameId,
            relation: None,
            sources: Vec::new(),
            part_score: None,
        });
    }
}

fn rel_name(rel: LinkRel) -> &'static str {
    match rel {
        LinkRel::MovedTo => "moved-to",
        LinkRel::IncorporatedInto => "incorporated-into",
        LinkRel::Related => "related",
    }
}

/// A scored candidate pair.
#[derive(Clone, Debug)]
pub(crate) struct Candidate {
    old: usize,
    new: usize,
    score: f64,
    same_id: bool,
}

/// Candidate pairs among the unsettled requirements: same ID, plus the best rare-word
/// neighbours found from each side.
fn candidates(
    old: &Side<'_>,
    new: &Side<'_>,
    pool_old: &[usize],
    pool_new: &[usize],
) -> Vec<Candidate> {
    let vocabulary = old
        .tokens
        .iter()
        .chain(&new.tokens)
        .filter_map(|t| t.last())
        .max()
        .map_or(0, |m| *m as usize + 1);
    let mut frequency = vec![0u32; vocabulary];
    for tokens in pool_old
        .iter()
        .map(|&i| &old.tokens[i])
        .chain(pool_new.iter().map(|&i| &new.tokens[i]))
    {
        for token in distinct(tokens) {
            frequency[token as usize] += 1;
        }
    }
    // The two directions are independent: run them on two threads.
    let (forward, backward) = std::thread::scope(|scope| {
        let backward = scope.spawn(|| neighbours(new, old, pool_new, pool_old, &frequency));
        let forward = neighbours(old, new, pool_old, pool_new, &frequency);
        (forward, backward.join().unwrap_or_default())
    });
    let mut pairs: Vec<(usize, usize)> = forward;
    pairs.extend(backward.into_iter().map(|(n, o)| (o, n)));
    for &o in pool_old {
        if let Some(n) = new.index(old.id(o)) {
            if pool_new.binary_search(&n).is_ok() {
                pairs.push((o, n));
            }
        }
    }
    // The same words under another ID are always a candidate, however common the words.
    let mut by_text: HashMap<&[u32], Vec<usize>> = HashMap::new();
    for &n in pool_new {
        by_text.entry(new.tokens[n].as_slice()).or_default().push(n);
    }
    for &o in pool_old {
        if let Some(news) = by_text.get(old.tokens[o].as_slice()) {
            pairs.extend(news.iter().take(CANDIDATES).map(|&n| (o, n)));
        }
    }
    pairs.sort_unstable();
    pairs.dedup();
    pairs
        .into_iter()
        .map(|(o, n)| Candidate {
            old: o,
            new: n,
            score: dice(&old.tokens[o], &new.tokens[n]),
            same_id: old.id(o) == new.id(n),
        })
        .collect()
}

fn distinct(tokens: &[u32]) -> impl Iterator<Item = u32> + '_ {
    tokens
        .iter()
        .enumerate()
        .filter(|(i, t)| *i == 0 || tokens[i - 1] != **t)
        .map(|(_, t)| *t)
}

/// For each query requirement, the target requirements sharing most of its rarest words.
fn neighbours(
    query: &Side<'_>,
    target: &Side<'_>,
    pool_query: &[usize],
    pool_target: &[usize],
    frequency: &[u32],
) -> Vec<(usize, usize)> {
    let mut postings: Vec<Vec<usize>> = vec![Vec::new(); frequency.len()];
    for &t in pool_target {
        for token in distinct(&target.tokens[t]) {
            let list = &mut postings[token as usize];
            if list.len() < MAX_POSTINGS {
                list.push(t);
            }
        }
    }
    let mut shared = vec![0u16; target.len()];
    let mut touched: Vec<usize> = Vec::new();
    let mut found = Vec::new();
    for &q in pool_query {
        // A word whose posting list is full says nothing about which requirement is meant
        // (and the list holds only the first requirements that use it): counting it would
        // crowd the true neighbours out of the candidate slots.
        let mut rare: Vec<u32> = distinct(&query.tokens[q])
            .filter(|t| frequency[*t as usize] >= 2 && postings[*t as usize].len() < MAX_POSTINGS)
            .collect();
        rare.sort_unstable_by_key(|t| (frequency[*t as usize], *t));
        for token in rare.iter().take(RARE_WORDS) {
            for &t in &postings[*token as usize] {
                if shared[t] == 0 {
                    touched.push(t);
                }
                shared[t] += 1;
            }
        }
        // Most shared words first, then index order: a total order, so selecting the top
        // few is deterministic.
        let order = |a: &usize, b: &usize| shared[*b].cmp(&shared[*a]).then(a.cmp(b));
        if touched.len() > CANDIDATES {
            touched.select_nth_unstable_by(CANDIDATES, order);
        }
        found.extend(touched.iter().take(CANDIDATES).map(|&t| (q, t)));
        for &t in &touched {
            shared[t] = 0;
        }
        touched.clear();
    }
    found
}

/// One rank per ID over both sides in natural order (equal IDs share a rank), so that
/// tie-breaks compare integers instead of strings.
struct Ranks {
    old: Vec<u32>,
    new: Vec<u32>,
}

impl Ranks {
    fn new(old: &Side<'_>, new: &Side<'_>) -> Ranks {
        let mut all: Vec<(&str, bool, usize)> = (0..old.len())
            .map(|i| (old.id(i), false, i))
            .chain((0..new.len()).map(|i| (new.id(i), true, i)))
            .collect();
        all.sort_by_cached_key(|entry| super::order::natural_key(entry.0));
        let mut ranks = Ranks {
            old: vec![0; old.len()],
            new: vec![0; new.len()],
        };
        let mut rank = 0u32;
        for (position, (id, is_new, index)) in all.iter().enumerate() {
            if position > 0 && all[position - 1].0 != *id {
                rank += 1;
            }
            if *is_new {
                ranks.new[*index] = rank;
            } else {
                ranks.old[*index] = rank;
            }
        }
        ranks
    }

    /// The same order whichever side is old: best score first, same ID first, then by the
    /// pair of IDs taken without regard to side.
    fn key(
        &self,
        score: f64,
        same_id: bool,
        old: usize,
        new: usize,
    ) -> (std::cmp::Reverse<u64>, bool, u32, u32, u32) {
        let (a, b) = (self.old[old], self.new[new]);
        // Scores lie in 0..=1, so their bit patterns order like the numbers.
        (
            std::cmp::Reverse(score.to_bits()),
            !same_id,
            a.min(b),
            a.max(b),
            a,
        )
    }
}

/// Greedy one-to-one assignment, then split and merge parts.
fn detect(
    old: &Side<'_>,
    new: &Side<'_>,
    candidates: &[Candidate],
    options: &DiffOptions,
    m: &mut Matching,
) {
    let ranks = Ranks::new(old, new);
    let mut ranked: Vec<&Candidate> = candidates
        .iter()
        .filter(|c| c.score >= options.match_score)
        .collect();
    ranked.sort_by_cached_key(|c| ranks.key(c.score, c.same_id, c.old, c.new));
    let mut news_of: BTreeMap<usize, Vec<usize>> = BTreeMap::new();
    let mut olds_of: BTreeMap<usize, Vec<usize>> = BTreeMap::new();
    for c in ranked {
        if news_of.contains_key(&c.old) || olds_of.contains_key(&c.new) {
            continue;
        }
        news_of.entry(c.old).or_default().push(c.new);
        olds_of.entry(c.new).or_default().push(c.old);
        let kind = if c.same_id {
            MatchKind::SameId
        } else {
            MatchKind::Detected
        };
        m.links.push(Link {
            old: c.old,
            new: c.new,
            kind,
            relation: None,
            sources: Vec::new(),
            part_score: None,
        });
    }
    attach_parts(
        old,
        new,
        &ranks,
        candidates,
        options,
        m,
        &mut news_of,
        &mut olds_of,
    );
}

/// Leftover requirements whose words lie mostly inside a matched (or leftover) requirement
/// on the other side join it: as a split part (new inside old) or a merge part (old inside
/// new). A requirement never takes part in both a split and a merge.
#[allow(clippy::too_many_arguments)]
fn attach_parts(
    old: &Side<'_>,
    new: &Side<'_>,
    ranks: &Ranks,
    candidates: &[Candidate],
    options: &DiffOptions,
    m: &mut Matching,
    news_of: &mut BTreeMap<usize, Vec<usize>>,
    olds_of: &mut BTreeMap<usize, Vec<usize>>,
) {
    let mut parts: Vec<(f64, &Candidate)> = candidates
        .iter()
        .filter(|c| !(news_of.contains_key(&c.old) && olds_of.contains_key(&c.new)))
        .filter_map(|c| {
            let (o, n) = (&old.tokens[c.old], &new.tokens[c.new]);
            let new_in_old = if n.len() >= MIN_PART_WORDS {
                containment(n, o)
            } else {
                0.0
            };
            let old_in_new = if o.len() >= MIN_PART_WORDS {
                containment(o, n)
            } else {
                0.0
            };
            let strength = match (news_of.contains_key(&c.old), olds_of.contains_key(&c.new)) {
                (true, false) => new_in_old,
                (false, true) => old_in_new,
                _ => new_in_old.max(old_in_new),
            };
            (strength >= options.containment).then_some((strength, c))
        })
        .collect();
    parts.sort_by_cached_key(|(strength, c)| ranks.key(*strength, c.same_id, c.old, c.new));
    for (strength, c) in parts {
        let old_free = !news_of.contains_key(&c.old);
        let new_free = !olds_of.contains_key(&c.new);
        let allowed = match (old_free, new_free) {
            (true, true) => true,
            // A new part joins `c.old` unless `c.old` already takes part in a merge.
            (false, true) => news_of[&c.old].iter().all(|n| olds_of[n].len() == 1),
            // An old part joins `c.new` unless `c.new` already takes part in a split.
            (true, false) => olds_of[&c.new].iter().all(|o| news_of[o].len() == 1),
            (false, false) => false,
        };
        if !allowed {
            continue;
        }
        news_of.entry(c.old).or_default().push(c.new);
        olds_of.entry(c.new).or_default().push(c.old);
        let kind = if c.same_id {
            MatchKind::SameId
        } else {
            MatchKind::Detected
        };
        m.links.push(Link {
            old: c.old,
            new: c.new,
            kind,
            relation: None,
            sources: Vec::new(),
            part_score: Some(strength),
        });
    }
}
