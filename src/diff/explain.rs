//! `reqgap diff --explain OLD-ID`: the best candidates for one old requirement with their
//! signals, and what the diff decided, so that a user can see why a pair was or was not
//! made. Every requirement of the new version is scored (one ID, so no index is needed).

use std::collections::BTreeMap;

use serde::Serialize;

use super::matching::{
    gain, is_parent, CLEARLY_BETTER, MARGIN, MARGIN_FLOOR, MARGIN_TEXT, WITHDRAWN_MARGIN_FLOOR,
};
use super::model::{CatalogDiff, Successor};
use super::order::natural_cmp;
use super::sides::{self, signals, Side};
use super::signals::weighted_containment;
use super::text::round_score;
use super::DiffOptions;
use crate::model::{Catalog, CatalogKey, RequirementId};

/// How many shared words an explanation names per candidate.
const SHARED_WORDS: usize = 6;

/// Why one old requirement went where it went.
#[derive(Clone, Debug, PartialEq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub struct Explanation {
    /// The older version.
    pub old: CatalogKey,
    /// The newer version.
    pub new: CatalogKey,
    /// The old requirement explained.
    pub id: RequirementId,
    /// What the diff decided for it (empty: removed, or not an active requirement).
    pub decided: Vec<Successor>,
    /// The best-scoring requirements of the new version, best first.
    pub candidates: Vec<Candidate>,
    /// Where the decided pairs come from when curated: the transition file, its entry's
    /// note and provenance marks (`[inferred, confidence low]`).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub sources: Vec<String>,
    /// The new version lists this ID as withdrawn: its words may join the requirement they
    /// lie inside (its best candidate) as a part even where they add nothing new there,
    /// and such a part needs confirmation. Left out when false.
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub withdrawn_in_new: bool,
}

/// One candidate partner and its signals.
#[derive(Clone, Debug, PartialEq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub struct Candidate {
    /// The candidate requirement of the new version.
    pub id: RequirementId,
    /// The pair's score (text and title combined), as the diff uses it.
    pub score: f64,
    /// IDF-weighted Dice of the stemmed texts.
    pub text_score: f64,
    /// Title evidence (0 without titles; divided by how many requirements share a title).
    pub title_score: f64,
    /// Weighted share of the old text found in the new one, and the other way.
    pub old_in_new: f64,
    /// Weighted share of the new text found in the old one.
    pub new_in_old: f64,
    /// The lead of this candidate over the best alternative of either requirement that
    /// the diff left free: another candidate of the old requirement, or another
    /// requirement of the old version for this candidate (negative when behind), each
    /// counted with the same-ID preference where the IDs agree. The assignment weighs a
    /// pair against the alternatives still free when it comes to it, a few more than in
    /// the end, so the lead it tested can be smaller than this one, never larger.
    pub margin: f64,
    /// True when the candidate has the old requirement's ID.
    pub same_id: bool,
    /// For the old requirement's own base control (`ia-9` of `ia-9.2`) kept under its ID:
    /// the weighted share of the old requirement found in the words the base gained over
    /// its predecessor, and the share of the words they have in common that these gained
    /// words make up. A withdrawn requirement left over joins its base when the gained
    /// words are at least half of the common ones and at least 0.05 of its weight. Left
    /// out for other candidates.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub base_gained: Option<BaseGained>,
    /// The rarest shared stems, most telling first.
    pub shared: Vec<String>,
    /// Why this candidate was or was not paired, in words.
    pub verdict: String,
}

/// What a base control gained of an enhancement (see `Candidate::base_gained`).
#[derive(Clone, Copy, Debug, PartialEq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub struct BaseGained {
    /// Weighted share of the old requirement inside the base's gained words.
    pub of_old: f64,
    /// Share of the words the two have in common that the base gained.
    pub of_common: f64,
}

/// Explains `id` of `old` against `new` under the decisions of `diff`; `None` when `id`
/// is not an active requirement of `old`.
pub fn explain(
    diff: &CatalogDiff,
    old: &Catalog,
    new: &Catalog,
    id: &RequirementId,
    options: &DiffOptions,
    limit: usize,
) -> Option<Explanation> {
    let (old_side, new_side) = sides::prepare(old, new);
    let o = old_side.index(id.as_str())?;
    let mut scored: Vec<(f64, usize)> = (0..new_side.len())
        .map(|n| (signals(&old_side, &new_side, o, n).score, n))
        .collect();
    scored.sort_by(|a, b| {
        b.0.total_cmp(&a.0)
            .then_with(|| natural_cmp(new_side.id(a.1), new_side.id(b.1)))
    });
    let decided = diff.successors(id);
    let evidence = |score: f64, n: usize| {
        score
            + if old_side.same_id(o, n) {
                CLEARLY_BETTER
            } else {
                0.0
            }
    };
    let partners = Partners::of(diff);
    // An alternative paired with another requirement in the end was taken; the ones left
    // free are what the assignment weighed the pair against.
    let mut best: Vec<(f64, usize)> = scored
        .iter()
        .filter(|&&(_, n)| partners.free_new(new_side.id(n), id.as_str()))
        .map(|&(s, n)| (evidence(s, n), n))
        .collect();
    best.sort_by(|a, b| b.0.total_cmp(&a.0));
    best.truncate(2);
    let candidates = scored
        .into_iter()
        .take(limit)
        .filter(|(score, n)| *score > 0.0 || old_side.same_id(o, *n))
        .map(|(score, n)| {
            let rival_of_old = best
                .iter()
                .find(|(_, other)| *other != n)
                .map_or(0.0, |b| b.0);
            let rival_of_new = best_free_predecessor(&old_side, &new_side, (o, n), &partners);
            let margin = evidence(score, n) - rival_of_old.max(rival_of_new);
            candidate(
                diff,
                &old_side,
                &new_side,
                (o, n),
                margin,
                &decided,
                options,
            )
        })
        .collect();
    let mut sources: Vec<String> = diff
        .changes
        .iter()
        .filter(|c| c.old.contains(id))
        .flat_map(|c| c.pairs.iter().filter(|p| &p.old == id))
        .flat_map(|p| p.sources.iter().cloned())
        .collect();
    sources.sort();
    sources.dedup();
    Some(Explanation {
        old: diff.old.clone(),
        new: diff.new.clone(),
        id: id.clone(),
        decided,
        candidates,
        sources,
        withdrawn_in_new: old_side.withdrawn_there[o],
    })
}

/// Who is paired with whom in the diff, by ID, both ways.
struct Partners<'d> {
    news_of: BTreeMap<&'d str, Vec<&'d str>>,
    olds_of: BTreeMap<&'d str, Vec<&'d str>>,
}

impl<'d> Partners<'d> {
    fn of(diff: &'d CatalogDiff) -> Self {
        let mut partners = Partners {
            news_of: BTreeMap::new(),
            olds_of: BTreeMap::new(),
        };
        for pair in diff.changes.iter().flat_map(|c| &c.pairs) {
            let (o, n) = (pair.old.as_str(), pair.new.as_str());
            partners.news_of.entry(o).or_default().push(n);
            partners.olds_of.entry(n).or_default().push(o);
        }
        partners
    }

    /// Whether the new requirement `n` is paired with nothing but `o`.
    fn free_new(&self, n: &str, o: &str) -> bool {
        self.olds_of
            .get(n)
            .is_none_or(|olds| olds.iter().all(|x| *x == o))
    }

    /// Whether the old requirement `o` is paired with nothing but `n`.
    fn free_old(&self, o: &str, n: &str) -> bool {
        self.news_of
            .get(o)
            .is_none_or(|news| news.iter().all(|x| *x == n))
    }
}

/// The best evidence for `new[n]` of another requirement of the old version left free:
/// the assignment weighs a pair against the alternatives of both its requirements.
fn best_free_predecessor(
    old: &Side<'_>,
    new: &Side<'_>,
    (o, n): (usize, usize),
    partners: &Partners<'_>,
) -> f64 {
    (0..old.len())
        .filter(|&other| other != o && partners.free_old(old.id(other), new.id(n)))
        .map(|other| {
            let score = signals(old, new, other, n).score;
            if old.same_id(other, n) {
                score + CLEARLY_BETTER
            } else {
                score
            }
        })
        .fold(0.0, f64::max)
}

fn candidate(
    diff: &CatalogDiff,
    old: &Side<'_>,
    new: &Side<'_>,
    (o, n): (usize, usize),
    margin: f64,
    decided: &[Successor],
    options: &DiffOptions,
) -> Candidate {
    let weights = &old.weights.text;
    let s = signals(old, new, o, n);
    let (a, b) = (&old.tokens[o], &new.tokens[n]);
    // Words in a quarter or more of all requirements ("the", "and") tell nothing.
    let telling = (5.0f64).ln();
    let mut shared: Vec<u32> = a
        .iter()
        .filter(|t| weights[**t as usize] >= telling && b.binary_search(t).is_ok())
        .copied()
        .collect();
    shared.dedup();
    shared.sort_by(|x, y| {
        weights[*y as usize]
            .total_cmp(&weights[*x as usize])
            .then(x.cmp(y))
    });
    let id = new.requirements[n].id.clone();
    let same_id = old.same_id(o, n);
    let mut verdict = verdict(
        diff,
        &id,
        same_id,
        (s.score, s.text, margin),
        old.withdrawn_there[o] || new.withdrawn_there[n],
        decided,
        options,
    );
    if !same_id && old.withdrawn_there[o] && sole_title_carrier(old, new, (o, n)) {
        verdict.push_str("; the only requirement of the new version with its title");
    }
    Candidate {
        verdict,
        score: round_score(s.score),
        text_score: round_score(s.text),
        title_score: round_score(s.title),
        old_in_new: round_score(weighted_containment(a, b, weights, old.totals[o])),
        new_in_old: round_score(weighted_containment(b, a, weights, new.totals[n])),
        margin: round_score(margin),
        same_id,
        base_gained: base_gained(old, new, o, n),
        shared: shared
            .iter()
            .take(SHARED_WORDS)
            .map(|t| old.weights.stems[*t as usize].clone())
            .collect(),
        id,
    }
}

fn verdict(
    diff: &CatalogDiff,
    id: &RequirementId,
    same_id: bool,
    (score, text, margin): (f64, f64, f64),
    withdrawn_there: bool,
    decided: &[Successor],
    options: &DiffOptions,
) -> String {
    if let Some(successor) = decided.iter().find(|s| &s.id == id) {
        let confirm = if successor.needs_confirmation {
            ", needs confirmation"
        } else {
            ""
        };
        return format!("paired ({}{confirm})", successor.class);
    }
    if let Some(other) = diff.predecessor_change(id) {
        let olds: Vec<&str> = other.old.iter().map(|i| i.as_str()).collect();
        if !olds.is_empty() {
            return format!("paired with {} ({})", olds.join(", "), other.class);
        }
    }
    let threshold = if same_id {
        options.same_id_score
    } else {
        options.match_score
    };
    if same_id && score < threshold {
        return format!("below the same-ID threshold {threshold:.2}");
    }
    if !same_id && score < MARGIN_FLOOR {
        return format!(
            "below the match threshold {threshold:.2} and the margin floor {MARGIN_FLOOR:.2}"
        );
    }
    if !same_id && score < WITHDRAWN_MARGIN_FLOOR && withdrawn_there {
        return format!(
            "below the match threshold {threshold:.2}, and under {WITHDRAWN_MARGIN_FLOOR:.2}, the margin floor where the other version lists an ID as withdrawn"
        );
    }
    if !same_id && score < threshold && text < MARGIN_TEXT {
        return format!(
            "below the match threshold {threshold:.2}, and its text score is under {MARGIN_TEXT:.2}"
        );
    }
    if !same_id && score < threshold && margin < MARGIN {
        return format!(
            "below the match threshold {threshold:.2}, and its margin {} is under {MARGIN:.2}",
            shown_under(margin, MARGIN)
        );
    }
    "not chosen: a better pair or a curated source settled both sides".to_owned()
}

/// Whether `new[n]` carries `old[o]`'s title and no other requirement of the new version
/// does: where a withdrawn requirement left over goes (see `matching`).
fn sole_title_carrier(old: &Side<'_>, new: &Side<'_>, (o, n): (usize, usize)) -> bool {
    !old.titles[o].is_empty() && old.titles[o] == new.titles[n] && new.title_copies[n] == 1
}

/// What `new[n]` gained of `old[o]` when it is `old[o]`'s base control kept under its ID.
fn base_gained(old: &Side<'_>, new: &Side<'_>, o: usize, n: usize) -> Option<BaseGained> {
    if !is_parent(new.id(n), old.id(o)) {
        return None;
    }
    let before = new.twin[n]?;
    let g = gain(
        &old.tokens[o],
        old.totals[o],
        &new.tokens[n],
        &old.tokens[before],
        &old.weights.text,
    );
    let share = |part: f64, whole: f64| if whole > 0.0 { part / whole } else { 0.0 };
    Some(BaseGained {
        of_old: round_score(share(g.gained, g.part)),
        of_common: round_score(share(g.gained, g.shared)),
    })
}

/// `value`, known to be under `limit`, with two decimals, or four where two would print
/// the limit itself ("its margin 0.0995 is under 0.10", not "0.10 is under 0.10").
fn shown_under(value: f64, limit: f64) -> String {
    let short = format!("{value:.2}");
    if short == format!("{limit:.2}") {
        format!("{value:.4}")
    } else {
        short
    }
}

#[cfg(test)]
mod tests {
    use super::shown_under;

    #[test]
    fn a_value_just_under_its_limit_does_not_print_as_the_limit() {
        assert_eq!(shown_under(0.0995, 0.1), "0.0995");
        assert_eq!(shown_under(0.04, 0.1), "0.04");
        assert_eq!(shown_under(-0.3, 0.1), "-0.30");
    }
}
