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

use super::lists::Lists;
use super::model::MatchKind;
use super::sides::{id_key, signals, FoldState, Side};
use super::signals::{common_weight, concat, difference, total, weighted_dice};
use super::DiffOptions;
use crate::model::LinkRel;
use crate::model::Relation;
use crate::model::Transition;

/// Words shared by more requirements than this are useless for finding candidates.
const MAX_POSTINGS: usize = 32;
/// Candidates kept per requirement and direction.
const CANDIDATES: usize = 8;
/// A split or merge part needs at least this many words, so that short boilerplate does
/// not attach everywhere.
const MIN_PART_WORDS: usize = 4;
/// A same-ID pair gives way only to a partner scoring at least this much more: "clearly
/// better", so that a rewording which also resembles a neighbour keeps its ID.
pub(crate) const CLEARLY_BETTER: f64 = 0.1;
/// A same-ID pair where one text lies at least this much inside the other kept its
/// words and grew or shrank around them ("Applications … are removed" → "Applications
/// other than … are removed"): a better-scoring rival elsewhere (a new sibling that
/// reuses the old sentence) contests it but does not take it, unless it is an exact twin.
const KEPT_WHOLE: f64 = 0.9;
/// Two alternatives closer than this (a same-ID pair and its rival, or a pair and the
/// next best partner of either requirement) are close evidence: the pair is flagged for
/// confirmation, never silently chosen.
const CLOSE: f64 = 0.05;
/// A pair under the match score is still made when it is at least this similar and leads
/// every remaining alternative of both its requirements by `MARGIN`: a moved requirement
/// reworded on the way is the best candidate by far long before it scores 0.5 (OWASP
/// ASVS 4.0.3 → 5.0.0 moved most requirements and rewrote them as it went).
pub(crate) const MARGIN_FLOOR: f64 = 0.25;
pub(crate) const MARGIN: f64 = 0.1;
/// ... and its texts alone at least this similar: a title never makes a pair on its own.
pub(crate) const MARGIN_TEXT: f64 = 0.2;
/// A requirement whose ID the other version lists as withdrawn needs at least this score
/// to be paired on its margin: the publisher tracked the ID and withdrew it, and a weak
/// likeness is not evidence enough against that (NIST's Rev 4 `si-2.1`, withdrawn into
/// `pl-9`, leads its candidates only with Rev 5's reintroduced `si-2.4` at 0.35).
pub(crate) const WITHDRAWN_MARGIN_FLOOR: f64 = 0.4;
/// At least this (weighted) share of a split or merge part must be content of the other
/// requirement that its matched partner does not already hold: a part must explain
/// something, not repeat shared boilerplate.
const PART_NOVELTY: f64 = 0.5;
/// The same for an enhancement and its own base control (`si-3.2` and `si-3`): the ID says
/// where it belongs, so a tenth of its words new to the base suffices, and shows the base
/// took it in rather than merely resembling it.
const PARENT_NOVELTY: f64 = 0.1;

/// One old requirement linked to one new requirement (indices into the sides).
#[derive(Clone, Debug)]
pub(crate) struct Link {
    pub old: usize,
    pub new: usize,
    pub kind: MatchKind,
    pub relation: Option<Relation>,
    pub sources: Vec<String>,
    /// For a detected part of a split or merge: the weighted share of the part found in
    /// the other requirement, reported beside the score as the reason for the link.
    pub containment: Option<f64>,
    /// Close evidence for another pairing: a person must confirm this one.
    pub contested: bool,
}

impl Link {
    /// A pair of one ID on both sides, found without a curated source.
    fn same_id(old: usize, new: usize) -> Link {
        Link {
            old,
            new,
            kind: MatchKind::SameId,
            relation: None,
            sources: Vec::new(),
            containment: None,
            contested: false,
        }
    }
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
    /// What is decided so far, for sides of `old_len` and `new_len` requirements.
    fn settled(&self, old_len: usize, new_len: usize) -> Settled {
        let mut settled = Settled {
            old: vec![false; old_len],
            new: vec![false; new_len],
        };
        for &o in self.curated_removed.keys() {
            settled.old[o] = true;
        }
        for &n in self.curated_added.keys() {
            settled.new[n] = true;
        }
        for link in &self.links {
            settled.old[link.old] = true;
            settled.new[link.new] = true;
        }
        settled
    }
}

/// Whether each requirement of either side is linked or declared added or removed: one
/// flag per index, since the questions are asked of every requirement of both sides.
struct Settled {
    old: Vec<bool>,
    new: Vec<bool>,
}

impl Settled {
    /// The settled indices of one side, in increasing order.
    fn indices(flags: &[bool]) -> impl Iterator<Item = usize> + '_ {
        flags
            .iter()
            .enumerate()
            .filter_map(|(i, &settled)| settled.then_some(i))
    }

    /// The unsettled indices of one side, in increasing order.
    fn pool(flags: &[bool]) -> Vec<usize> {
        (0..flags.len()).filter(|&i| !flags[i]).collect()
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
    settle_identical_same_ids(old, new, &mut matching);
    let settled = matching.settled(old.len(), new.len());
    let pool_old = Settled::pool(&settled.old);
    let pool_new = Settled::pool(&settled.new);
    let mut candidates = candidates(old, new, &pool_old, &pool_new);
    decide_same_ids(&mut candidates, old.len(), new.len());
    detect(old, new, &candidates, options, &mut matching);
    matching
}

/// A requirement whose ID and words (text and title) are the same on both sides scores
/// 1.0, the highest score, with the same-ID preference on top: detection would always
/// link it first, and it cannot be a split or merge part (it leaves nothing to explain).
/// Linking these up front keeps them out of candidate generation, which is most of the
/// work when an edition leaves most requirements as they were.
fn settle_identical_same_ids(old: &Side<'_>, new: &Side<'_>, m: &mut Matching) {
    let settled = m.settled(old.len(), new.len());
    for o in (0..old.len()).filter(|&o| !settled.old[o]) {
        let Some(n) = old.twin[o] else {
            continue;
        };
        // Preparing shared the words of most of these already: no need to compare them.
        let same_words = new.known_same_text(n, o)
            || (old.tokens[o] == new.tokens[n] && old.titles[o] == new.titles[n]);
        if settled.new[n] || !same_words {
            continue;
        }
        m.links.push(Link::same_id(o, n));
    }
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
        containment: None,
        contested: false,
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
    let settled = m.settled(old.len(), new.len());
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
            if settled.old[o] || settled.new[n] {
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
            if settled.old[o] || settled.new[n] {
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
    let settled = m.settled(old.len(), new.len());
    let targets = Settled::indices(&settled.new).filter_map(|n| new.twin[n].map(|o| (o, n)));
    let sources = Settled::indices(&settled.old).filter_map(|o| old.twin[o].map(|n| (o, n)));
    let pairs: BTreeSet<(usize, usize)> = targets
        .chain(sources)
        .filter(|&(o, n)| !(settled.old[o] && settled.new[n]))
        .filter(|(o, n)| !m.curated_removed.contains_key(o) && !m.curated_added.contains_key(n))
        .filter(|(o, n)| signals(old, new, *o, *n).score >= options.match_score)
        .collect();
    for (o, n) in pairs {
        m.links.push(Link::same_id(o, n));
    }
}

pub(crate) fn rel_name(rel: LinkRel) -> &'static str {
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
    /// The text signal alone.
    text: f64,
    /// For a same-ID pair: how it fares against its strongest rival.
    verdict: Option<SameIdVerdict>,
    /// The same words and the same title: an exact twin.
    exact: bool,
    /// Weighted share of the old text inside the new one, and the other way.
    old_in_new: f64,
    new_in_old: f64,
}

impl Candidate {
    /// The score with the same-ID preference on top: continuity of IDs is evidence too, so
    /// a rival must lead a same-ID pair by `CLEARLY_BETTER` to be as likely.
    fn evidence(&self) -> f64 {
        if self.same_id {
            self.score + CLEARLY_BETTER
        } else {
            self.score
        }
    }
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
        .chain(new.tokens.iter())
        .filter_map(|t| t.last())
        .max()
        .map_or(0, |m| *m as usize + 1);
    // The two directions are independent: run them on two threads.
    let (forward, backward) = std::thread::scope(|scope| {
        let backward = scope.spawn(|| neighbours(new, old, pool_new, pool_old, vocabulary));
        let forward = neighbours(old, new, pool_old, pool_new, vocabulary);
        (forward, backward.join().unwrap_or_default())
    });
    let mut pairs: Vec<(usize, usize)> = forward;
    pairs.extend(backward.into_iter().map(|(n, o)| (o, n)));
    for &o in pool_old {
        if let Some(n) = old.twin[o] {
            if pool_new.binary_search(&n).is_ok() {
                pairs.push((o, n));
            }
        }
    }
    // The same words under another ID are always a candidate, however common the words.
    let mut by_text: HashMap<&[u32], Vec<usize>, FoldState> = HashMap::default();
    for &n in pool_new {
        by_text.entry(&new.tokens[n]).or_default().push(n);
    }
    for &o in pool_old {
        if let Some(news) = by_text.get(&old.tokens[o]) {
            pairs.extend(news.iter().take(CANDIDATES).map(|&n| (o, n)));
        }
    }
    pairs.extend(same_titles(old, new, pool_old, pool_new));
    pairs.extend(parents(old, new, pool_old, pool_new));
    pairs.sort_unstable();
    pairs.dedup();
    pairs
        .into_iter()
        .map(|(o, n)| {
            let signals = signals(old, new, o, n);
            let score = signals.score;
            // Dice is 2c / (a + b): the shared weight c gives both containments.
            let shared = signals.text * (old.totals[o] + new.totals[n]) / 2.0;
            let share = |total: f64| {
                if total > 0.0 {
                    (shared / total).min(1.0)
                } else {
                    0.0
                }
            };
            Candidate {
                text: signals.text,
                verdict: None,
                old_in_new: share(old.totals[o]),
                new_in_old: share(new.totals[n]),
                old: o,
                new: n,
                score,
                same_id: old.same_id(o, n),
                exact: score >= 1.0
                    && old.tokens[o] == new.tokens[n]
                    && old.titles[o] == new.titles[n],
            }
        })
        .collect()
}

/// The same title under another ID is a candidate when the title is rare on both sides
/// (an edition may rewrite every text and keep the titles).
fn same_titles(
    old: &Side<'_>,
    new: &Side<'_>,
    pool_old: &[usize],
    pool_new: &[usize],
) -> Vec<(usize, usize)> {
    let mut by_title: HashMap<&[u32], Vec<usize>> = HashMap::new();
    for &n in pool_new {
        let copies = new.title_copies[n] as usize;
        if copies > 0 && copies <= CANDIDATES {
            by_title.entry(&new.titles[n]).or_default().push(n);
        }
    }
    let mut pairs = Vec::new();
    for &o in pool_old {
        if old.title_copies[o] as usize <= CANDIDATES {
            if let Some(news) = by_title.get(&old.titles[o]) {
                pairs.extend(news.iter().map(|&n| (o, n)));
            }
        }
    }
    pairs
}

/// A requirement and the other side's requirement that holds its parent ID (`ac-2.10` and
/// `ac-2`), both ways: an enhancement incorporated into its base control shares few rare
/// words with it in proportion to the base's length, so the word index misses it.
fn parents(
    old: &Side<'_>,
    new: &Side<'_>,
    pool_old: &[usize],
    pool_new: &[usize],
) -> Vec<(usize, usize)> {
    let keyed = |side: &Side<'_>, pool: &[usize]| -> HashMap<String, usize> {
        pool.iter().map(|&i| (id_key(side.id(i)), i)).collect()
    };
    let (old_keys, new_keys) = (keyed(old, pool_old), keyed(new, pool_new));
    fn parent(key: &str) -> Option<&str> {
        key.rsplit_once('.').map(|(head, _)| head)
    }
    let mut pairs: Vec<(usize, usize)> = old_keys
        .iter()
        .filter_map(|(key, &o)| new_keys.get(parent(key)?).map(|&n| (o, n)))
        .collect();
    pairs.extend(
        new_keys
            .iter()
            .filter_map(|(key, &n)| old_keys.get(parent(key)?).map(|&o| (o, n))),
    );
    pairs
}

fn distinct(tokens: &[u32]) -> impl Iterator<Item = u32> + '_ {
    tokens
        .iter()
        .enumerate()
        .filter(|(i, t)| *i == 0 || tokens[i - 1] != **t)
        .map(|(_, t)| *t)
}

/// For each query requirement, the target requirements that share the most weight of its
/// words relative to their joint size: the weighted Dice score over the words the index
/// keeps, so the candidates are ranked as the score will rank them. Targets are counted
/// by their place in the pool, so that the sums read for every posting stay in a small,
/// dense array.
fn neighbours(
    query: &Side<'_>,
    target: &Side<'_>,
    pool_query: &[usize],
    pool_target: &[usize],
    words: usize,
) -> Vec<(usize, usize)> {
    let weights = &query.weights.text;
    let postings = Postings::new(target, pool_target, words);
    let target_totals: Vec<f64> = pool_target.iter().map(|&t| target.totals[t]).collect();
    let mut shared = vec![0f64; pool_target.len()];
    let mut touched: Vec<usize> = Vec::new();
    let mut found = Vec::new();
    for &q in pool_query {
        // A word whose posting list is full says nothing about which requirement is meant
        // (and the list holds only the first requirements that use it): counting it would
        // crowd the true neighbours out of the candidate slots. (A word no other
        // requirement of either pool uses has an empty list here.)
        for token in distinct(&query.tokens[q]) {
            let list = postings.of(token);
            if list.is_empty() || list.len() >= MAX_POSTINGS {
                continue;
            }
            let weight = weights[token as usize];
            for &place in list {
                let place = place as usize;
                if shared[place] == 0.0 {
                    touched.push(place);
                }
                shared[place] += weight;
            }
        }
        let total = query.totals[q];
        let mut best = BestFew::default();
        for &place in &touched {
            let share = shared[place] / (total + target_totals[place]);
            best.offer(share, pool_target[place]);
            shared[place] = 0.0;
        }
        found.extend(best.indices().map(|t| (q, t)));
        touched.clear();
    }
    found
}

/// The places in a pool of the first `MAX_POSTINGS` requirements (in pool order) that use
/// each word, all lists in one allocation: most words are used a few times, and a list of
/// their own each would cost more to grow than to read.
struct Postings {
    /// Where each word's list starts in `places` (one more entry than words).
    start: Vec<u32>,
    places: Vec<u32>,
}

impl Postings {
    fn new(side: &Side<'_>, pool: &[usize], words: usize) -> Postings {
        let mut start = vec![0u32; words + 1];
        for &i in pool {
            for token in distinct(&side.tokens[i]) {
                let count = &mut start[token as usize + 1];
                *count = (*count + 1).min(MAX_POSTINGS as u32);
            }
        }
        for w in 0..words {
            start[w + 1] += start[w];
        }
        let mut next = start.clone();
        let mut places = vec![0u32; start[words] as usize];
        for (place, &i) in pool.iter().enumerate() {
            for token in distinct(&side.tokens[i]) {
                let at = &mut next[token as usize];
                if *at < start[token as usize + 1] {
                    places[*at as usize] = place as u32;
                    *at += 1;
                }
            }
        }
        Postings { start, places }
    }

    fn of(&self, token: u32) -> &[u32] {
        let token = token as usize;
        &self.places[self.start[token] as usize..self.start[token + 1] as usize]
    }
}

/// The `CANDIDATES` best of the requirements offered: best share first, then index order,
/// a total order, so the few kept do not depend on the order they are offered in.
struct BestFew {
    /// The first `len` are kept, best first.
    kept: [(f64, usize); CANDIDATES],
    len: usize,
}

impl Default for BestFew {
    fn default() -> Self {
        BestFew {
            kept: [(0.0, 0); CANDIDATES],
            len: 0,
        }
    }
}

impl BestFew {
    fn offer(&mut self, share: f64, index: usize) {
        let before = |a: &(f64, usize)| a.0.total_cmp(&share).then(index.cmp(&a.1)).is_gt();
        if self.len == CANDIDATES {
            if before(&self.kept[CANDIDATES - 1]) {
                return;
            }
            self.len -= 1;
        }
        // Most offers that get this far go near the end: move the worse ones down one by one.
        let mut at = self.len;
        while at > 0 && !before(&self.kept[at - 1]) {
            self.kept[at] = self.kept[at - 1];
            at -= 1;
        }
        self.kept[at] = (share, index);
        self.len += 1;
    }

    fn indices(&self) -> impl Iterator<Item = usize> + '_ {
        self.kept[..self.len].iter().map(|&(_, index)| index)
    }
}

/// One rank per ID over both sides in natural order (equal IDs share a rank), so that
/// tie-breaks compare integers instead of strings.
struct Ranks<'s> {
    old: &'s [u32],
    new: &'s [u32],
}

impl<'s> Ranks<'s> {
    fn new(old: &'s Side<'_>, new: &'s Side<'_>) -> Ranks<'s> {
        Ranks {
            old: &old.id_rank,
            new: &new.id_rank,
        }
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

/// Each requirement's candidates, best evidence first, from both sides: the margin of a
/// pair is its lead over the best alternative either of its requirements still has.
struct Neighbourhood {
    of_old: Lists<(f64, usize)>,
    of_new: Lists<(f64, usize)>,
    /// Requirements of the other side that each requirement lies inside (containment at
    /// least the option's): taken or not, it may still join them as a split or merge part.
    inside_of_old: Lists<(f64, usize)>,
    inside_of_new: Lists<(f64, usize)>,
}

impl Neighbourhood {
    fn new(
        old: &Side<'_>,
        new: &Side<'_>,
        candidates: &[Candidate],
        containment: f64,
    ) -> Neighbourhood {
        let inside = |c: &&Candidate, share: f64| !c.same_id && share >= containment;
        let mut of_old = Lists::new(
            old.len(),
            candidates.iter().map(|c| (c.old, (c.evidence(), c.new))),
        );
        let mut of_new = Lists::new(
            new.len(),
            candidates.iter().map(|c| (c.new, (c.evidence(), c.old))),
        );
        let mut inside_of_old = Lists::new(
            old.len(),
            candidates
                .iter()
                .filter(|c| inside(c, c.old_in_new))
                .map(|c| (c.old, (c.score, c.new))),
        );
        let mut inside_of_new = Lists::new(
            new.len(),
            candidates
                .iter()
                .filter(|c| inside(c, c.new_in_old))
                .map(|c| (c.new, (c.score, c.old))),
        );
        for lists in [
            &mut of_old,
            &mut of_new,
            &mut inside_of_old,
            &mut inside_of_new,
        ] {
            lists.sort_each_by(|a, b| b.0.total_cmp(&a.0).then(a.1.cmp(&b.1)));
        }
        Neighbourhood {
            of_old,
            of_new,
            inside_of_old,
            inside_of_new,
        }
    }

    /// The best score `old` or `new` reaches as a part of a requirement it lies inside.
    fn part_rival(&self, old: usize, new: usize) -> f64 {
        let best = |list: &[(f64, usize)], skip: usize| {
            list.iter()
                .find(|(_, other)| *other != skip)
                .map_or(0.0, |(score, _)| *score)
        };
        best(&self.inside_of_old[old], new).max(best(&self.inside_of_new[new], old))
    }

    /// The best score `old` or `new` reaches with another partner that `free` allows.
    fn rival(
        &self,
        old: usize,
        new: usize,
        free_new: impl Fn(usize) -> bool,
        free_old: impl Fn(usize) -> bool,
    ) -> f64 {
        let best = |list: &[(f64, usize)], skip: usize, free: &dyn Fn(usize) -> bool| {
            list.iter()
                .find(|(_, other)| *other != skip && free(*other))
                .map_or(0.0, |(score, _)| *score)
        };
        best(&self.of_old[old], new, &free_new).max(best(&self.of_new[new], old, &free_old))
    }
}

/// How a same-ID pair fares against the best cross-ID rival of either of its requirements.
#[derive(Clone, Copy, Debug, PartialEq)]
enum SameIdVerdict {
    /// No rival comes close: the pair is made before any other.
    Kept,
    /// A rival comes close, but not clearly better: kept and flagged for confirmation.
    Contested,
    /// A rival is clearly better (an exact twin elsewhere, or `CLEARLY_BETTER` ahead):
    /// the pair competes like any other, after the rival has had its chance.
    Yields,
}

fn same_id_verdict(c: &Candidate, rival: Option<&Candidate>) -> SameIdVerdict {
    let Some(rival) = rival else {
        return SameIdVerdict::Kept;
    };
    if rival.exact && !c.exact {
        return SameIdVerdict::Yields;
    }
    let lead = rival.score - c.score;
    if lead >= CLEARLY_BETTER && c.old_in_new.max(c.new_in_old) < KEPT_WHOLE {
        SameIdVerdict::Yields
    } else if lead > -CLOSE {
        SameIdVerdict::Contested
    } else {
        SameIdVerdict::Kept
    }
}

/// The strongest cross-ID rival of a same-ID pair: a candidate of either requirement
/// whose other end is not better off with its own same-ID partner.
fn strongest_rival<'c>(
    c: &Candidate,
    candidates: &'c [Candidate],
    by_old: &Lists<usize>,
    by_new: &Lists<usize>,
    own: (&[Option<f64>], &[Option<f64>]),
) -> Option<&'c Candidate> {
    let (own_old, own_new) = own;
    let from_old = by_old[c.old]
        .iter()
        .map(|&i| &candidates[i])
        .filter(|r| !r.same_id && own_new[r.new].is_none_or(|own| r.score > own));
    let from_new = by_new[c.new]
        .iter()
        .map(|&i| &candidates[i])
        .filter(|r| !r.same_id && own_old[r.old].is_none_or(|own| r.score > own));
    from_old
        .chain(from_new)
        .max_by(|a, b| a.score.total_cmp(&b.score).then(a.exact.cmp(&b.exact)))
}

/// Decides every same-ID candidate against its strongest rival. Decided from both sides,
/// so swapping the versions changes nothing.
fn decide_same_ids(candidates: &mut [Candidate], old_len: usize, new_len: usize) {
    let by_old = Lists::new(
        old_len,
        candidates.iter().enumerate().map(|(i, c)| (c.old, i)),
    );
    let by_new = Lists::new(
        new_len,
        candidates.iter().enumerate().map(|(i, c)| (c.new, i)),
    );
    let mut own_old: Vec<Option<f64>> = vec![None; old_len];
    let mut own_new: Vec<Option<f64>> = vec![None; new_len];
    for c in candidates.iter() {
        if c.same_id {
            own_old[c.old] = Some(c.score);
            own_new[c.new] = Some(c.score);
        }
    }
    let verdicts: Vec<(usize, SameIdVerdict)> = (0..candidates.len())
        .filter(|&i| candidates[i].same_id)
        .map(|i| {
            let c = &candidates[i];
            let rival = strongest_rival(c, candidates, &by_old, &by_new, (&own_old, &own_new));
            (i, same_id_verdict(c, rival))
        })
        .collect();
    for (i, verdict) in verdicts {
        candidates[i].verdict = Some(verdict);
    }
}

/// One-to-one assignment over the whole candidate graph, then split and merge parts.
///
/// Same-ID pairs that no rival challenges go first. Then every other candidate, best
/// first (a tie-break that is the same whichever side is old), is taken when both of its
/// requirements are free and it is either a match on its score alone (`match_score`) or
/// clearly the best its requirements can still get: at least `MARGIN_FLOOR`, ahead of
/// every remaining alternative of either requirement by `MARGIN`. A pair whose margin is
/// under `CLOSE` is flagged: two alternatives explain it almost equally well.
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
        .filter(|c| c.score >= options.same_id_score.min(MARGIN_FLOOR))
        .collect();
    ranked.sort_by_cached_key(|c| {
        let first = matches!(
            c.verdict,
            Some(SameIdVerdict::Kept | SameIdVerdict::Contested)
        ) && c.score >= options.same_id_score;
        (!first, ranks.key(c.score, c.same_id, c.old, c.new))
    });
    let neighbourhood = Neighbourhood::new(old, new, candidates, options.containment);
    let mut groups = Groups {
        news_of: Partners::new(old.len()),
        olds_of: Partners::new(new.len()),
    };
    // Pairs that stand on their score first, then split and merge parts (a requirement
    // almost wholly inside one already paired), and only then what the margins alone make:
    // a weak pair must not take a requirement that is a part of another.
    assign(
        (old, new),
        &ranked,
        &neighbourhood,
        options,
        Pass::OnScore,
        m,
        &mut groups,
    );
    attach_parts(old, new, &ranks, candidates, options, m, &mut groups);
    assign(
        (old, new),
        &ranked,
        &neighbourhood,
        options,
        Pass::OnMargin,
        m,
        &mut groups,
    );
    place_in_base((old, new), &ranks, candidates, m, &mut groups);
    place_by_title((old, new), &ranks, candidates, m, &mut groups);
}

#[derive(Clone, Copy, PartialEq)]
enum Pass {
    OnScore,
    OnMargin,
}

/// One pass of the one-to-one assignment over the ranked candidates.
fn assign(
    (old, new): (&Side<'_>, &Side<'_>),
    ranked: &[&Candidate],
    neighbourhood: &Neighbourhood,
    options: &DiffOptions,
    pass: Pass,
    m: &mut Matching,
    groups: &mut Groups,
) {
    for &c in ranked {
        if groups.news_of.contains_key(&c.old) || groups.olds_of.contains_key(&c.new) {
            continue;
        }
        let margin = c.evidence()
            - neighbourhood.rival(
                c.old,
                c.new,
                |n| !groups.olds_of.contains_key(&n),
                |o| !groups.news_of.contains_key(&o),
            );
        let on_score =
            c.score >= options.match_score || (c.same_id && c.score >= options.same_id_score);
        // A requirement that lies inside a better partner goes there as a part first.
        let part_ahead = !c.same_id && neighbourhood.part_rival(c.old, c.new) > c.score;
        if pass == Pass::OnScore && part_ahead {
            continue;
        }
        let margin = if part_ahead {
            margin.min(c.score - neighbourhood.part_rival(c.old, c.new))
        } else {
            margin
        };
        let contested = match (pass, c.verdict) {
            (_, Some(SameIdVerdict::Kept)) if on_score => false,
            (_, Some(SameIdVerdict::Contested)) if on_score => true,
            (_, _) if on_score => margin < CLOSE,
            (Pass::OnMargin, _) if stands_on_margin(c, margin, withdrawn_there(old, new, c)) => {
                false
            }
            _ => continue,
        };
        groups.join(c.old, c.new);
        let mut link = detected_link(c, None);
        link.contested = contested;
        m.links.push(link);
    }
}

/// Whether a pair under the match score leads its alternatives far enough to be made.
fn stands_on_margin(c: &Candidate, margin: f64, withdrawn_there: bool) -> bool {
    let floor = if withdrawn_there {
        WITHDRAWN_MARGIN_FLOOR
    } else {
        MARGIN_FLOOR
    };
    c.score >= floor && c.text >= MARGIN_TEXT && margin >= MARGIN
}

/// Whether the other version lists either requirement's ID as withdrawn.
fn withdrawn_there(old: &Side<'_>, new: &Side<'_>, c: &Candidate) -> bool {
    old.withdrawn_there[c.old] || new.withdrawn_there[c.new]
}

fn detected_link(c: &Candidate, containment: Option<f64>) -> Link {
    let kind = if c.same_id {
        MatchKind::SameId
    } else {
        MatchKind::Detected
    };
    Link {
        old: c.old,
        new: c.new,
        kind,
        relation: None,
        sources: Vec::new(),
        containment,
        contested: false,
    }
}

/// Who is linked to whom so far, both ways.
struct Groups {
    news_of: Partners,
    olds_of: Partners,
}

/// The partners each requirement of one side is linked to so far, by its index. Every
/// requirement has a slot: most get linked, and a map keyed by index would cost a search
/// and a node for each of tens of thousands of them.
struct Partners(Vec<Vec<usize>>);

impl Partners {
    fn new(len: usize) -> Partners {
        Partners(vec![Vec::new(); len])
    }

    /// The partners of requirement `i`, if it has any.
    fn get(&self, i: &usize) -> Option<&Vec<usize>> {
        self.0.get(*i).filter(|partners| !partners.is_empty())
    }

    fn contains_key(&self, i: &usize) -> bool {
        self.get(i).is_some()
    }

    fn push(&mut self, i: usize, partner: usize) {
        self.0[i].push(partner);
    }
}

impl std::ops::Index<&usize> for Partners {
    type Output = Vec<usize>;

    fn index(&self, i: &usize) -> &Vec<usize> {
        &self.0[*i]
    }
}

impl Groups {
    /// Whether `old → new` may join: a requirement never takes part in both a split and
    /// a merge, and two requirements already linked elsewhere are never joined.
    fn allowed(&self, old: usize, new: usize) -> bool {
        match (self.news_of.get(&old), self.olds_of.get(&new)) {
            (None, None) => true,
            // A new part joins `old` unless `old` already takes part in a merge.
            (Some(news), None) => news.iter().all(|n| self.olds_of[n].len() == 1),
            // An old part joins `new` unless `new` already takes part in a split.
            (None, Some(olds)) => olds.iter().all(|o| self.news_of[o].len() == 1),
            (Some(_), Some(_)) => false,
        }
    }

    fn join(&mut self, old: usize, new: usize) {
        self.news_of.push(old, new);
        self.olds_of.push(new, old);
    }
}

/// A proposed split or merge part: `part_is_new` says which side is the part.
struct Proposal<'c> {
    containment: f64,
    candidate: &'c Candidate,
    part_is_new: bool,
}

/// One requirement of a proposal: its words and its ID.
type End<'s> = (&'s [u32], &'s str);

impl<'c> Proposal<'c> {
    /// The candidate's requirement on one side as a part of the other, with its containment.
    fn of(candidate: &'c Candidate, part_is_new: bool) -> Self {
        let containment = if part_is_new {
            candidate.new_in_old
        } else {
            candidate.old_in_new
        };
        Proposal {
            containment,
            candidate,
            part_is_new,
        }
    }

    /// The words and ID of the part, then of the whole.
    fn part_and_whole<'s>(&self, old: &'s Side<'_>, new: &'s Side<'_>) -> (End<'s>, End<'s>) {
        let (o, n) = (self.candidate.old, self.candidate.new);
        let (old_end, new_end) = (
            (&old.tokens[o][..], old.id(o)),
            (&new.tokens[n][..], new.id(n)),
        );
        if self.part_is_new {
            (new_end, old_end)
        } else {
            (old_end, new_end)
        }
    }

    /// The words of what the whole is joined to so far, on the part's side.
    fn whole_partners(&self, old: &Side<'_>, new: &Side<'_>, groups: &Groups) -> Vec<u32> {
        let c = self.candidate;
        let (partners, side) = if self.part_is_new {
            (groups.news_of.get(&c.old), new)
        } else {
            (groups.olds_of.get(&c.new), old)
        };
        let tokens: Vec<&[u32]> = partners
            .into_iter()
            .flatten()
            .map(|&i| &side.tokens[i])
            .collect();
        concat(&tokens)
    }
}

/// Leftover requirements whose words lie mostly inside a requirement of the other side
/// join it, as a split part (new inside old) or a merge part (old inside new), when they
/// explain a real share of it that its other partners do not.
fn attach_parts(
    old: &Side<'_>,
    new: &Side<'_>,
    ranks: &Ranks<'_>,
    candidates: &[Candidate],
    options: &DiffOptions,
    m: &mut Matching,
    groups: &mut Groups,
) {
    let mut proposals: Vec<Proposal<'_>> = Vec::new();
    for c in candidates {
        let (o, n) = (&old.tokens[c.old], &new.tokens[c.new]);
        if !groups.olds_of.contains_key(&c.new) && n.len() >= MIN_PART_WORDS {
            proposals.push(Proposal {
                containment: c.new_in_old,
                candidate: c,
                part_is_new: true,
            });
        }
        if !groups.news_of.contains_key(&c.old) && o.len() >= MIN_PART_WORDS {
            proposals.push(Proposal {
                containment: c.old_in_new,
                candidate: c,
                part_is_new: false,
            });
        }
    }
    let best = BestPartners::new(old, new, ranks, candidates);
    proposals.retain(|p| p.containment >= options.containment);
    proposals.sort_by_cached_key(|p| {
        let c = p.candidate;
        (
            ranks.key(p.containment, c.same_id, c.old, c.new),
            p.part_is_new,
        )
    });
    for p in proposals {
        let c = p.candidate;
        if !groups.allowed(c.old, c.new) {
            continue;
        }
        // A part whose ID the other version withdrew went somewhere: where its words lie
        // and its evidence points most, that is where, even if the whole said it already
        // (an enhancement folded into a base that covered it). On that ground alone the
        // pair needs confirmation.
        let on_withdrawal =
            part_withdrawn(old, new, &p) && best.is_best(&p) && absorbed(old, new, &p, groups);
        let explains = explains_enough(old, new, &p, options, groups);
        if !explains && !on_withdrawal {
            continue;
        }
        groups.join(c.old, c.new);
        let mut link = detected_link(c, Some(p.containment));
        link.contested = !explains;
        m.links.push(link);
    }
}

/// Each requirement's best-scoring candidate partner (ties broken as the assignment
/// breaks them).
struct BestPartners {
    of_old: Vec<Option<usize>>,
    of_new: Vec<Option<usize>>,
}

impl BestPartners {
    fn new(old: &Side<'_>, new: &Side<'_>, ranks: &Ranks<'_>, candidates: &[Candidate]) -> Self {
        let mut best_old: Vec<Option<&Candidate>> = vec![None; old.len()];
        let mut best_new: Vec<Option<&Candidate>> = vec![None; new.len()];
        let key = |c: &Candidate| ranks.key(c.score, c.same_id, c.old, c.new);
        for c in candidates {
            for slot in [&mut best_old[c.old], &mut best_new[c.new]] {
                if slot.is_none_or(|best| key(c) < key(best)) {
                    *slot = Some(c);
                }
            }
        }
        BestPartners {
            of_old: best_old.iter().map(|b| b.map(|c| c.new)).collect(),
            of_new: best_new.iter().map(|b| b.map(|c| c.old)).collect(),
        }
    }

    /// Whether the proposal's whole is its part's best candidate partner.
    fn is_best(&self, p: &Proposal<'_>) -> bool {
        let c = p.candidate;
        if p.part_is_new {
            self.of_new[c.new] == Some(c.old)
        } else {
            self.of_old[c.old] == Some(c.new)
        }
    }
}

/// A part at least this similar to the whole may join on its similarity, when it accounts
/// for at least `NEAR_COPY_GAIN` of the weight the whole gained over its partner: a
/// near-copy that accounts for less is a copy beside a kept requirement (Rev 5 `pm-31`
/// beside `ca-7`, `ac-20.5` beside `ac-20.2`), not a part of it.
const NEAR_DUPLICATE: f64 = 0.85;
const NEAR_COPY_GAIN: f64 = 0.8;

/// Whether the part of a proposal is a requirement whose ID the other version lists as
/// withdrawn.
fn part_withdrawn(old: &Side<'_>, new: &Side<'_>, p: &Proposal<'_>) -> bool {
    if p.part_is_new {
        new.withdrawn_there[p.candidate.new]
    } else {
        old.withdrawn_there[p.candidate.old]
    }
}

/// A withdrawn part lying at least this much inside the whole is absorbed by it, whatever
/// the whole held before (Rev 4 `au-7.2` "automatic sort and search" inside Rev 5 `au-7.1`).
const ABSORBED: f64 = 0.8;

/// Whether the whole of a proposal took its part in rather than merely resembling it: the
/// part is the whole's own enhancement, or lies almost wholly inside it, or the whole gave
/// up at least half (by weight) of the words that set it apart from the part, so that it
/// now covers the part too (Rev 5 `ia-2.1` dropped "network" and so took in Rev 4 `ia-2.3`,
/// its "local" twin). A sibling built on the same sentence keeps what sets it apart (Rev 5
/// `ia-5.12` still says "biometric", so Rev 4 `ia-5.11`, "hardware token", did not go
/// there).
fn absorbed(old: &Side<'_>, new: &Side<'_>, p: &Proposal<'_>, groups: &Groups) -> bool {
    let ((part, part_id), (whole, whole_id)) = p.part_and_whole(old, new);
    let before = p.whole_partners(old, new, groups);
    if before.is_empty() || is_parent(whole_id, part_id) || p.containment >= ABSORBED {
        return true;
    }
    let weights = &old.weights.text;
    let apart = difference(&before, part);
    let apart_total = total(&apart, weights);
    apart_total <= 0.0 || common_weight(&apart, whole, weights) <= 0.5 * apart_total
}

/// Whether `parent` is `child`'s ID without its last component (`AC-2` of `ac-2.10`).
pub(crate) fn is_parent(parent: &str, child: &str) -> bool {
    id_key(child)
        .rsplit_once('.')
        .is_some_and(|(head, _)| head == id_key(parent))
}

/// Whether the part explains words of the whole that the whole's other partners do not
/// hold: at least `PART_NOVELTY` of the part's weight, and at least `part_share` of the
/// whole's; or whether it is as similar to the whole as a confirmed pair would be.
fn explains_enough(
    old: &Side<'_>,
    new: &Side<'_>,
    p: &Proposal<'_>,
    options: &DiffOptions,
    groups: &Groups,
) -> bool {
    let c = p.candidate;
    // The words of what each of the pair is already joined to on the other side.
    let joined = |members: Option<&Vec<usize>>, side: &Side<'_>| {
        let tokens: Vec<&[u32]> = members
            .into_iter()
            .flatten()
            .map(|&i| &side.tokens[i])
            .collect();
        concat(&tokens)
    };
    let joined_to_old = joined(groups.news_of.get(&c.old), new);
    let joined_to_new = joined(groups.olds_of.get(&c.new), old);
    // `partners`: the whole's other parts. `own_partners`: what the part is already joined
    // to; joining one more makes the part itself a split (or merge) over all of them.
    let (part, part_total, whole, whole_total, partners, own_partners) = if p.part_is_new {
        (
            &new.tokens[c.new],
            new.totals[c.new],
            &old.tokens[c.old],
            old.totals[c.old],
            joined_to_old,
            joined_to_new,
        )
    } else {
        (
            &old.tokens[c.old],
            old.totals[c.old],
            &new.tokens[c.new],
            new.totals[c.new],
            joined_to_new,
            joined_to_old,
        )
    };
    let residual = difference(whole, &partners);
    let whole_unchanged = residual.is_empty() && difference(&partners, whole).is_empty();
    // A near-copy of the whole joins when it accounts for nearly all the whole gained
    // over its partner (ISM `ism-1853`, "… access to data repositories …", merged into
    // `ism-1508`, which now says "systems, applications and data repositories"). A near-copy
    // that accounts for little of it is a copy beside a kept requirement (an
    // organisation-level copy of a system-level control), not a part of it.
    if c.score >= NEAR_DUPLICATE {
        let weights = &old.weights.text;
        let gained = total(&residual, weights);
        let explained = common_weight(part, &residual, weights);
        if gained > 0.0 && explained / gained >= NEAR_COPY_GAIN {
            return true;
        }
    }
    let (part_id, whole_id) = if p.part_is_new {
        (new.id(c.new), old.id(c.old))
    } else {
        (old.id(c.old), new.id(c.new))
    };
    // An enhancement whose words lie inside its own base control (`si-3.2` inside `si-3`)
    // was folded into it, even where the base already said much of it.
    if is_parent(whole_id, part_id) && !whole_unchanged {
        let explained = common_weight(part, &residual, &old.weights.text);
        return part_total > 0.0 && explained / part_total >= PARENT_NOVELTY;
    }
    let explained = common_weight(part, &residual, &old.weights.text);
    part_total > 0.0
        && whole_total > 0.0
        && explained / part_total >= PART_NOVELTY
        && explained / whole_total >= options.part_share
        && brings_group_closer(whole, whole_total, &partners, part, &old.weights.text)
        && brings_group_closer(part, part_total, &own_partners, whole, &old.weights.text)
}

/// Whether a further partner makes a group (one requirement against all its partners)
/// more alike than it was, not less: a partner that also brings many words the
/// requirement never had is a neighbour sharing a phrase with it, not a piece of it.
/// ASVS 4.0.3 `V1.5.3` ("input validation is enforced on a trusted service layer") went
/// into 5.0.0 `V2.2.2`, 91 % of it inside; 58 % of it also lies inside the longer
/// `V2.2.1`, which would take the group from 0.37 to 0.15.
fn brings_group_closer(
    whole: &[u32],
    whole_total: f64,
    partners: &[u32],
    part: &[u32],
    weights: &[f64],
) -> bool {
    if partners.is_empty() {
        return true;
    }
    let grown = concat(&[partners, part]);
    let similarity =
        |parts: &[u32]| weighted_dice(whole, parts, weights, (whole_total, total(parts, weights)));
    similarity(&grown) >= similarity(partners)
}

/// The words a withdrawn enhancement shares with its own base control must be mostly words
/// the base gained in this edition (at least `PART_NOVELTY` of what they share), and these
/// gained words at least this share of the enhancement's weight: the base took it in, not
/// merely resembled it all along.
pub(crate) const BASE_GAINED: f64 = 0.05;

/// A requirement whose ID the other version withdrew went somewhere. Once every pass has
/// run, a leftover one joins its own base control (`ia-9` for `ia-9.2`, the ID without its
/// last component) as a part, always flagged for confirmation, when the base kept its own
/// ID and the words they share are mostly words the base gained in this edition
/// (`PART_NOVELTY` of the shared weight, and at least `BASE_GAINED` of the part's): the
/// structure says where it belongs, the gained words that it went there. A requirement
/// whose base gained nothing of its words (it resembled the base all along) stays removed.
fn place_in_base(
    (old, new): (&Side<'_>, &Side<'_>),
    ranks: &Ranks<'_>,
    candidates: &[Candidate],
    m: &mut Matching,
    groups: &mut Groups,
) {
    let mut placements: Vec<Proposal<'_>> = Vec::new();
    for c in candidates.iter().filter(|c| !c.same_id) {
        for part_is_new in [false, true] {
            let p = Proposal::of(c, part_is_new);
            if part_free(&p, groups)
                && part_withdrawn(old, new, &p)
                && base_gained(old, new, &p, groups).is_some_and(|g| g.holds())
            {
                placements.push(p);
            }
        }
    }
    join_flagged(placements, ranks, m, groups);
}

/// A requirement whose ID the other version withdrew went somewhere. Once every pass has
/// run, a leftover one joins the requirement of the other version that carries its very
/// title, as a part that always needs confirmation, when that requirement is the only one
/// there with the title and their texts share words beyond it (a text score of at least
/// `MARGIN_TEXT`): the publisher withdrew the ID and kept its name for one requirement,
/// which is where the subject now lives. Rev 4 had four controls called "Central
/// Management" (`pl-9`, `si-2.1`, `si-3.1`, `si-8.1`, each "centrally manages …"); Rev 5
/// withdrew three and kept the name for `pl-9`, "Centrally manage [controls and related
/// processes]". Twenty "Policy and Procedures" on the other side say nothing of where
/// one went, so a title carried twice there places nothing.
fn place_by_title(
    (old, new): (&Side<'_>, &Side<'_>),
    ranks: &Ranks<'_>,
    candidates: &[Candidate],
    m: &mut Matching,
    groups: &mut Groups,
) {
    let sole_title = |c: &Candidate, part_is_new: bool| {
        let copies = if part_is_new {
            old.title_copies[c.old]
        } else {
            new.title_copies[c.new]
        };
        copies == 1 && !old.titles[c.old].is_empty() && old.titles[c.old] == new.titles[c.new]
    };
    let placements = candidates
        .iter()
        .filter(|c| !c.same_id && c.text >= MARGIN_TEXT)
        .flat_map(|c| [Proposal::of(c, false), Proposal::of(c, true)])
        .filter(|p| {
            sole_title(p.candidate, p.part_is_new)
                && part_free(p, groups)
                && part_withdrawn(old, new, p)
        })
        .collect();
    join_flagged(placements, ranks, m, groups);
}

/// Joins each leftover part to its whole, best score first, as a pair that always needs
/// confirmation (structure or a title placed it, not the words alone).
fn join_flagged(
    mut placements: Vec<Proposal<'_>>,
    ranks: &Ranks<'_>,
    m: &mut Matching,
    groups: &mut Groups,
) {
    placements.sort_by_cached_key(|p| {
        let c = p.candidate;
        (ranks.key(c.score, c.same_id, c.old, c.new), p.part_is_new)
    });
    for p in placements {
        let c = p.candidate;
        if !part_free(&p, groups) || !groups.allowed(c.old, c.new) {
            continue;
        }
        groups.join(c.old, c.new);
        let mut link = detected_link(c, Some(p.containment));
        link.contested = true;
        m.links.push(link);
    }
}

/// Whether the part of a proposal is still unpaired.
fn part_free(p: &Proposal<'_>, groups: &Groups) -> bool {
    if p.part_is_new {
        !groups.olds_of.contains_key(&p.candidate.new)
    } else {
        !groups.news_of.contains_key(&p.candidate.old)
    }
}

/// How much of a part its own base control gained in this edition.
#[derive(Clone, Copy, Debug, PartialEq)]
pub(crate) struct BaseGain {
    /// Weight of the part's words found in the base.
    pub shared: f64,
    /// Weight of the part's words found in what the base gained over its own partners.
    pub gained: f64,
    /// The part's whole weight.
    pub part: f64,
}

impl BaseGain {
    /// Mostly gained words, and enough of them.
    pub fn holds(&self) -> bool {
        self.part > 0.0
            && self.gained > 0.0
            && self.gained >= PART_NOVELTY * self.shared
            && self.gained >= BASE_GAINED * self.part
    }
}

/// For a part whose whole is its own base control, already paired with its own
/// predecessor (or successor): what the base gained of it.
fn base_gained(
    old: &Side<'_>,
    new: &Side<'_>,
    p: &Proposal<'_>,
    groups: &Groups,
) -> Option<BaseGain> {
    let c = p.candidate;
    let (part_id, whole_id) = if p.part_is_new {
        (new.id(c.new), old.id(c.old))
    } else {
        (old.id(c.old), new.id(c.new))
    };
    if !is_parent(whole_id, part_id) {
        return None;
    }
    let (part, part_total, whole, partners): (&[u32], f64, &[u32], Vec<&[u32]>) = if p.part_is_new {
        let partners = groups.news_of.get(&c.old)?;
        (
            &new.tokens[c.new],
            new.totals[c.new],
            &old.tokens[c.old],
            partners.iter().map(|&n| &new.tokens[n]).collect(),
        )
    } else {
        let partners = groups.olds_of.get(&c.new)?;
        (
            &old.tokens[c.old],
            old.totals[c.old],
            &new.tokens[c.new],
            partners.iter().map(|&o| &old.tokens[o]).collect(),
        )
    };
    Some(gain(
        part,
        part_total,
        whole,
        &concat(&partners),
        &old.weights.text,
    ))
}

/// What `whole` gained over `before`, measured on `part`.
pub(crate) fn gain(
    part: &[u32],
    part_total: f64,
    whole: &[u32],
    before: &[u32],
    weights: &[f64],
) -> BaseGain {
    let gained = difference(whole, before);
    BaseGain {
        shared: common_weight(part, whole, weights),
        gained: common_weight(part, &gained, weights),
        part: part_total,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_best_few_are_the_first_of_the_whole_list_sorted() {
        // Many ties, so that the index order decides as often as the share.
        let offers: Vec<(f64, usize)> = (0..200)
            .map(|i| (f64::from((i * 7919 % 13) as u32) / 4.0, (i * 31) % 200))
            .collect();
        for len in [
            0,
            1,
            CANDIDATES - 1,
            CANDIDATES,
            CANDIDATES + 1,
            offers.len(),
        ] {
            let mut best = BestFew::default();
            for &(share, index) in &offers[..len] {
                best.offer(share, index);
            }
            let mut sorted = offers[..len].to_vec();
            sorted.sort_by(|a, b| b.0.total_cmp(&a.0).then(a.1.cmp(&b.1)));
            let expected: Vec<usize> = sorted.iter().take(CANDIDATES).map(|o| o.1).collect();
            assert_eq!(best.indices().collect::<Vec<_>>(), expected, "{len} offers");
        }
    }
}
