//! From links to the report: group linked requirements into changes, classify each, and
//! compare the texts of every pair.

use std::collections::{BTreeMap, BTreeSet, HashMap, HashSet};

use super::lists::Lists;
use super::matching::{rel_name, Link, Matching};
use super::model::{
    count_classes, BoxedDetails, CatalogDiff, Change, ChangeClass, Delta, Details, Edit,
    FollowedLink, LevelChange, Pair, SectionChange, SectionClass,
};
use super::order::{natural_cmp, natural_key};
use super::sides::{signals, FoldState, Side};
use super::signals::{concat, total, weighted_dice};
use super::text::{
    reasons, round_score, same_normalised, text_details, without_parameter_labels, word_diff,
};
use super::DiffOptions;
use crate::model::{Catalog, CatalogKey, Link as CatalogLink, LinkRel, Requirement, RequirementId};

/// Builds the report for `old` → `new` from what matching decided.
pub(crate) fn assemble(
    old: &Side<'_>,
    new: &Side<'_>,
    matching: Matching,
    options: &DiffOptions,
    path: Vec<CatalogKey>,
) -> CatalogDiff {
    let (old_ranks, new_ranks) = (&old.id_rank, &new.id_rank);
    // Each change, and beside it the rank of the ID it is listed under (its first new
    // ID, or its old one when it has no new one).
    let groups = Components::of(&matching.links, old.len(), new.len());
    let (mut linked_old, mut linked_new) = (vec![false; old.len()], vec![false; new.len()]);
    for link in &matching.links {
        linked_old[link.old] = true;
        linked_new[link.new] = true;
    }
    let unlinked = |linked: &[bool]| linked.iter().filter(|&&l| !l).count();
    let count = groups.len() + unlinked(&linked_old) + unlinked(&linked_new);
    let mut changes: Vec<Change> = Vec::with_capacity(count);
    let mut firsts: Vec<u32> = Vec::with_capacity(count);
    for (olds, news, links) in groups.iter() {
        let first = news.first().map_or(old_ranks[olds[0]], |&n| new_ranks[n]);
        changes.push(linked_change(old, new, olds, news, links, options));
        firsts.push(first);
    }
    for o in (0..old.len()).filter(|&o| !linked_old[o]) {
        let sources = matching
            .curated_removed
            .get(&o)
            .cloned()
            .unwrap_or_default();
        changes.push(single(old, o, ChangeClass::Removed, sources));
        firsts.push(old_ranks[o]);
    }
    for n in (0..new.len()).filter(|&n| !linked_new[n]) {
        let sources = matching.curated_added.get(&n).cloned().unwrap_or_default();
        changes.push(single(new, n, ChangeClass::Added, sources));
        firsts.push(new_ranks[n]);
    }
    sort_changes(&mut changes, &firsts);
    let followed_links = if options.detect_only {
        Vec::new()
    } else {
        follow_withdrawn(old.catalog, &changes)
    };
    CatalogDiff {
        followed_links,
        old: old.catalog.key(),
        new: new.catalog.key(),
        path,
        detect_only: options.detect_only,
        thresholds: options.thresholds(),
        counts: count_classes(&changes),
        changes,
        sections: section_changes(old.catalog, new.catalog),
        ballots: Vec::new(),
    }
}

/// Report order: by class, then section, then first ID, all in natural order. `firsts`
/// holds the rank of each change's first ID (see `Side::id_rank`); sections are ranked here,
/// once each, so that sorting compares integers. The changes themselves are large: they
/// are moved into place once, within their list.
fn sort_changes(changes: &mut [Change], firsts: &[u32]) {
    let mut sections: Vec<&str> = changes
        .iter()
        .map(|c| c.section.as_str())
        .collect::<HashSet<_, FoldState>>()
        .into_iter()
        .collect();
    sections.sort_by_cached_key(|s| natural_key(s));
    let section_rank: HashMap<&str, usize, FoldState> = sections
        .into_iter()
        .enumerate()
        .map(|(rank, s)| (s, rank))
        .collect();
    let mut keyed: Vec<_> = changes
        .iter()
        .zip(firsts)
        .enumerate()
        .map(|(i, (c, first))| {
            let key = (c.class, section_rank[c.section.as_str()], *first, &c.old);
            (key, i)
        })
        .collect();
    keyed.sort_unstable();
    let order: Vec<usize> = keyed.into_iter().map(|(_, i)| i).collect();
    permute(changes, &order);
}

/// Puts `items[order[k]]` at position `k`, following each cycle of the permutation with
/// swaps.
fn permute<T>(items: &mut [T], order: &[usize]) {
    let mut placed = vec![false; items.len()];
    for start in 0..items.len() {
        let mut at = start;
        while !placed[at] {
            placed[at] = true;
            let from = order[at];
            if from == start {
                break;
            }
            items.swap(at, from);
            at = from;
        }
    }
}

/// Connected groups of linked old and new requirements, in order of their first old one:
/// each group's old and new requirements (sorted) and its links (in link order). The
/// groups are kept in three flat lists, since most are one pair and a list of their own
/// each would cost more to make than to read.
struct Components<'l> {
    olds: Vec<usize>,
    news: Vec<usize>,
    /// Where each group ends in `olds` and `news`.
    ends: Vec<(usize, usize)>,
    links: Lists<&'l Link>,
}

impl<'l> Components<'l> {
    fn of(links: &'l [Link], old_len: usize, new_len: usize) -> Components<'l> {
        let news_of = Lists::new(old_len, links.iter().map(|l| (l.old, l.new)));
        let olds_of = Lists::new(new_len, links.iter().map(|l| (l.new, l.old)));
        let (mut seen_old, mut seen_new) = (vec![false; old_len], vec![false; new_len]);
        let mut group_of = vec![0; old_len];
        let (mut olds, mut news, mut ends) = (Vec::new(), Vec::new(), Vec::new());
        let mut pending = Vec::new();
        for start in (0..old_len).filter(|&o| !news_of[o].is_empty()) {
            if seen_old[start] {
                continue;
            }
            let (olds_start, news_start) = (olds.len(), news.len());
            pending.push(start);
            while let Some(o) = pending.pop() {
                if std::mem::replace(&mut seen_old[o], true) {
                    continue;
                }
                olds.push(o);
                group_of[o] = ends.len();
                for &n in &news_of[o] {
                    if !std::mem::replace(&mut seen_new[n], true) {
                        news.push(n);
                        pending.extend(olds_of[n].iter().copied());
                    }
                }
            }
            olds[olds_start..].sort_unstable();
            news[news_start..].sort_unstable();
            ends.push((olds.len(), news.len()));
        }
        let links = Lists::new(ends.len(), links.iter().map(|l| (group_of[l.old], l)));
        Components {
            olds,
            news,
            links,
            ends,
        }
    }

    fn len(&self) -> usize {
        self.ends.len()
    }

    fn iter(&self) -> impl Iterator<Item = (&[usize], &[usize], &[&'l Link])> + '_ {
        let starts = std::iter::once((0, 0)).chain(self.ends.iter().copied());
        starts
            .zip(&self.ends)
            .enumerate()
            .map(|(group, (start, end))| {
                (
                    &self.olds[start.0..end.0],
                    &self.news[start.1..end.1],
                    &self.links[group],
                )
            })
    }
}

fn first(indices: &[usize]) -> usize {
    indices.first().copied().unwrap_or_default()
}

fn ids(side: &Side<'_>, indices: &[usize]) -> Vec<RequirementId> {
    let mut ids: Vec<RequirementId> = indices
        .iter()
        .map(|&i| side.requirements[i].id.clone())
        .collect();
    ids.sort_by(|a, b| natural_cmp(a.as_str(), b.as_str()));
    ids
}

fn linked_change(
    old: &Side<'_>,
    new: &Side<'_>,
    olds: &[usize],
    news: &[usize],
    links: &[&Link],
    options: &DiffOptions,
) -> Change {
    let mut pairs: Vec<Pair> = links.iter().map(|l| pair(old, new, l, options)).collect();
    let (old_ids, new_ids) = match (olds, news, pairs.as_slice()) {
        // The pair has just copied the two IDs: copying its copies reads memory that is
        // in the cache, the requirements' IDs no longer are.
        ([_], [_], [pair]) => (vec![pair.old.clone()], vec![pair.new.clone()]),
        _ => (ids(old, olds), ids(new, news)),
    };
    let class = match (old_ids.len(), new_ids.len()) {
        (1, 1) if old.same_id(first(olds), first(news)) => match pairs[0].edit {
            None => ChangeClass::Unchanged,
            Some(_) => ChangeClass::Changed,
        },
        (1, 1) => ChangeClass::Renumbered,
        (o, n) if o > n => ChangeClass::Merged,
        _ => ChangeClass::Split,
    };
    let one_to_one = matches!(
        class,
        ChangeClass::Unchanged | ChangeClass::Changed | ChangeClass::Renumbered
    );
    let edit = if one_to_one { pairs[0].edit } else { None };
    let substantive = match class {
        ChangeClass::Unchanged => false,
        ChangeClass::Changed | ChangeClass::Renumbered => edit == Some(Edit::Substantive),
        _ => true,
    };
    let group_score = (!one_to_one).then(|| round_score(group_similarity(old, new, olds, news)));
    if let Some(group) = group_score {
        // A detected part is as certain as the whole group it completes. Close evidence
        // around the group's one-to-one pairs is settled by the group itself; a part
        // joined on weaker ground keeps its own flag.
        for (pair, link) in pairs.iter_mut().zip(links) {
            let contested = link.contested && link.containment.is_some();
            if !pair.kind.is_curated() {
                pair.needs_confirmation = group < options.confirm_score || contested;
            }
        }
    }
    pairs.sort_by(|a, b| {
        natural_cmp(a.old.as_str(), b.old.as_str())
            .then_with(|| natural_cmp(a.new.as_str(), b.new.as_str()))
    });
    let section = new.requirements[*news.first().unwrap_or(&0)]
        .section
        .clone();
    let old_section = olds
        .iter()
        .map(|&o| &old.requirements[o].section)
        .find(|s| **s != section)
        .cloned();
    let (reasons, details) = if one_to_one {
        (pairs[0].reasons.clone(), pairs[0].details.clone())
    } else {
        (Vec::new(), BoxedDetails::default())
    };
    Change {
        class,
        section,
        old_section,
        substantive,
        edit,
        reasons,
        details,
        score: pairs.iter().map(|p| p.score).min_by(f64::total_cmp),
        group_score,
        needs_confirmation: pairs.iter().any(|p| p.needs_confirmation),
        curated: pairs.iter().all(|p| p.kind.is_curated()),
        old: old_ids,
        new: new_ids,
        pairs,
        sources: Vec::new(),
        text: None,
        ballots: Vec::new(),
    }
}

/// Weighted Dice of all old texts of a group together against all new texts together.
fn group_similarity(old: &Side<'_>, new: &Side<'_>, olds: &[usize], news: &[usize]) -> f64 {
    let weights = &old.weights.text;
    let a = concat(&olds.iter().map(|&o| &old.tokens[o]).collect::<Vec<_>>());
    let b = concat(&news.iter().map(|&n| &new.tokens[n]).collect::<Vec<_>>());
    weighted_dice(&a, &b, weights, (total(&a, weights), total(&b, weights)))
}

fn pair(old: &Side<'_>, new: &Side<'_>, link: &Link, options: &DiffOptions) -> Pair {
    let (a, b) = (old.requirements[link.old], new.requirements[link.new]);
    // Most pairs have identical text, which preparing the sides has already seen for
    // most of them: compare raw text next, normalise only when it differs.
    let same_text = new.known_same_text(link.new, link.old)
        || a.text == b.text
        || same_normalised(&a.text, &b.text);
    // Identical texts score 1.0 whatever the signals say: compute them only when needed.
    let signals = (!same_text).then(|| signals(old, new, link.old, link.new));
    let mut details = if same_text {
        Details::default()
    } else {
        text_details(&a.text, &b.text)
    };
    if a.level != b.level {
        details.level = Some(LevelChange {
            from: a.level,
            to: b.level,
        });
    }
    if a.markers != b.markers {
        let (old_markers, new_markers): (Vec<_>, Vec<_>) = (
            a.markers.iter().copied().collect(),
            b.markers.iter().copied().collect(),
        );
        details.markers = Delta::between(&old_markers, &new_markers);
    }
    // The editorial test reads the texts only: an equal title must not make a rewritten
    // text "wording only".
    let text_score = match &signals {
        None => 1.0,
        Some(signals) => text_score_without_labels(old, &a.text, &b.text)
            .map_or(signals.text, |without| signals.text.max(without)),
    };
    let reasons = reasons(&details, text_score, options.editorial_score);
    let edit = match (same_text, reasons.is_empty()) {
        (true, true) => None,
        (_, false) => Some(Edit::Substantive),
        (false, true) => Some(Edit::Editorial),
    };
    let score = signals.map_or(1.0, |signals| round_score(signals.score));
    Pair {
        old: a.id.clone(),
        new: b.id.clone(),
        score,
        containment: link.containment.map(round_score),
        kind: link.kind,
        relation: link.relation,
        needs_confirmation: !link.kind.is_curated()
            && (score < options.confirm_score || link.contested),
        sources: link.sources.clone(),
        edit,
        reasons,
        details: details.into(),
        diff: if same_text {
            Vec::new()
        } else {
            word_diff(&a.text, &b.text)
        },
    }
}

/// The text score with parameter labels dropped: a label the importer or publisher worded
/// differently (`[Assignment: organization-defined time period consistent with …]` and
/// `[Assignment: organization-defined time period]`) does not make a text "too different".
fn text_score_without_labels(side: &Side<'_>, old: &str, new: &str) -> Option<f64> {
    // Without a label or a selection's "how many", the texts compared are the ones
    // already scored (words, weights and sums alike): nothing to add.
    let plain = |text: &str| !text.contains("[Assignment:") && !text.contains("election (");
    if plain(old) && plain(new) {
        return None;
    }
    let weights = &side.weights;
    let a = weights.tokens(&without_parameter_labels(old));
    let b = weights.tokens(&without_parameter_labels(new));
    let totals = (total(&a, &weights.text), total(&b, &weights.text));
    Some(weighted_dice(&a, &b, &weights.text, totals))
}

fn single(side: &Side<'_>, index: usize, class: ChangeClass, sources: Vec<String>) -> Change {
    let requirement = side.requirements[index];
    let (old, new) = match class {
        ChangeClass::Added => (Vec::new(), vec![requirement.id.clone()]),
        _ => (vec![requirement.id.clone()], Vec::new()),
    };
    Change {
        class,
        old,
        new,
        section: requirement.section.clone(),
        old_section: None,
        substantive: true,
        edit: None,
        reasons: Vec::new(),
        details: BoxedDetails::default(),
        score: None,
        group_score: None,
        needs_confirmation: false,
        curated: !sources.is_empty(),
        pairs: Vec::new(),
        sources,
        text: Some(requirement.text.clone()),
        ballots: Vec::new(),
    }
}

/// Requirements already withdrawn in the old version whose `moved-to` /
/// `incorporated-into` link leads (possibly through other withdrawn requirements) to an
/// active one: a mapping to them follows the link to that requirement's successors.
fn follow_withdrawn(old: &Catalog, changes: &[Change]) -> Vec<FollowedLink> {
    let successors_of = |id: &RequirementId| -> Option<Vec<RequirementId>> {
        changes.iter().find(|c| c.old.contains(id)).map(|c| {
            c.pairs
                .iter()
                .filter(|p| &p.old == id)
                .map(|p| p.new.clone())
                .collect()
        })
    };
    let mut followed = Vec::new();
    for withdrawn in old.requirements.iter().filter(|r| !r.is_active()) {
        for link in withdrawn.links.iter().filter(|l| l.rel != LinkRel::Related) {
            let Some((rel, via, sources)) = link_chain(old, withdrawn, link) else {
                continue;
            };
            let new = successors_of(&via).unwrap_or_default();
            followed.push(FollowedLink {
                old: withdrawn.id.clone(),
                rel,
                via,
                new,
                sources,
            });
        }
    }
    followed.sort_by(|a, b| {
        natural_cmp(a.old.as_str(), b.old.as_str())
            .then_with(|| natural_cmp(a.via.as_str(), b.via.as_str()))
    });
    followed.dedup_by(|a, b| a.old == b.old && a.via == b.via);
    followed
}

/// Follows a `moved-to` / `incorporated-into` link from a withdrawn requirement to the
/// first active one (at most as many hops as the catalog has requirements, so a cycle of
/// links ends; a withdrawn requirement further on follows its first link).
/// `incorporated-into` anywhere on the way makes the whole chain one.
fn link_chain(
    catalog: &Catalog,
    start: &Requirement,
    first: &CatalogLink,
) -> Option<(LinkRel, RequirementId, Vec<String>)> {
    let mut current = start;
    let mut link = first;
    let mut rel = LinkRel::MovedTo;
    let mut sources = Vec::new();
    for _ in 0..catalog.requirements.len() {
        if link.rel == LinkRel::IncorporatedInto {
            rel = LinkRel::IncorporatedInto;
        }
        sources.push(format!(
            "{}:{} {} {}",
            catalog.key(),
            current.id,
            rel_name(link.rel),
            link.target
        ));
        let target = catalog.requirements.iter().find(|r| r.id == link.target)?;
        if target.is_active() {
            return Some((rel, target.id.clone(), sources));
        }
        current = target;
        link = current.links.iter().find(|l| l.rel != LinkRel::Related)?;
    }
    None
}

/// Clauses added, removed or retitled (titles compared after normalisation).
fn section_changes(old: &Catalog, new: &Catalog) -> Vec<SectionChange> {
    let before: BTreeMap<&str, &str> = old
        .sections
        .iter()
        .map(|s| (s.id.as_str(), s.title.as_str()))
        .collect();
    let after: BTreeMap<&str, &str> = new
        .sections
        .iter()
        .map(|s| (s.id.as_str(), s.title.as_str()))
        .collect();
    let mut changes: Vec<SectionChange> = before
        .keys()
        .chain(after.keys())
        .collect::<BTreeSet<_>>()
        .into_iter()
        .filter_map(|id| {
            let (was, is) = (before.get(id).copied(), after.get(id).copied());
            let class = match (was, is) {
                (None, Some(_)) => SectionClass::Added,
                (Some(_), None) => SectionClass::Removed,
                (Some(a), Some(b)) if !same_normalised(a, b) => SectionClass::Retitled,
                _ => return None,
            };
            Some(SectionChange {
                class,
                id: crate::model::SectionId::new(*id),
                old_title: was.map(str::to_owned),
                new_title: is.map(str::to_owned),
            })
        })
        .collect();
    changes.sort_by(|a, b| natural_cmp(a.id.as_str(), b.id.as_str()));
    changes
}
