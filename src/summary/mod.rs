//! The management summary: what the recurring compliance meeting and the auditor need, per
//! target (coverage, open and overdue gaps by severity, movement since the last report, top
//! escalations), what is new in the edition, who owns what, coverage per clause, the trend
//! over earlier runs, and every gap. [`ManagementReport::build`] computes all of it from a
//! gap report and what it was run on; `report::management` only lays it out (HTML, xlsx,
//! Markdown, the meeting agenda).

mod edition;

use std::collections::{BTreeMap, BTreeSet};

use chrono::NaiveDate;
use serde::Serialize;

pub use crate::gaps::{EditionChange, NewIn};
pub use edition::{new_in_edition, Edition, EditionItem};

use crate::diff::natural_cmp;
use crate::gaps::{
    sort_by_rank, CoverageState, Gap, GapReport, GapStatus, Severity, TargetSummary,
};
use crate::model::{
    CatalogKey, CatalogSet, ControlId, GapKey, Inventory, OwnerId, PlanStatus, TransitionSet,
    Waiver,
};
use crate::picture::Picture;
use crate::source::history::{History, Snapshot};

/// Escalations shown per target in the executive summary.
const TOP_ESCALATIONS: usize = 3;

/// Gaps ranked first per target on the board page.
pub const TOP_RANKED: usize = 5;

/// How far ahead the board page looks for decisions falling due (not-applicable reviews,
/// waiver expiries): one quarter, the usual interval of the management meeting.
const DECISIONS_AHEAD_DAYS: u64 = 92;

/// The severities, most serious first, as every table of the report lists them.
pub const SEVERITIES: [Severity; 4] = [
    Severity::High,
    Severity::Medium,
    Severity::Low,
    Severity::Info,
];

/// The management summary of one run: every figure the report, the agenda and the workbook show.
#[derive(Clone, Debug, Serialize)]
pub struct ManagementReport {
    /// The organisation, from reqgap.yaml.
    pub organisation: String,
    /// The date the analysis was run as of.
    pub today: NaiveDate,
    /// One brief per target, in the order of reqgap.yaml.
    pub targets: Vec<TargetBrief>,
    /// Escalations of gaps about a control alone (no target), for the summary.
    pub control_escalations: Vec<Escalation>,
    /// Movement of all gaps since the last snapshot before today.
    pub since_last: Option<Movement>,
    /// Requirements added or changed in substance since the inventory's reviewed version.
    pub new_in_edition: Vec<EditionItem>,
    /// One brief per owner (and one for gaps nobody answers for), by owner ID.
    pub owners: Vec<OwnerBrief>,
    /// Earlier runs and this one, oldest first.
    pub trend: Vec<TrendPoint>,
    /// Every gap, in the order of [`crate::gaps::rank()`]: severity, days overdue, new in
    /// the edition, level, plan, key.
    pub gaps: Vec<Gap>,
    /// What the board must decide: reviews of not-applicable decisions and waiver expiries
    /// falling due within a quarter, and blocked plans.
    pub decisions: Decisions,
    /// What was done since the last meeting (the last snapshot of the history), for the
    /// agenda: gaps closed and not-applicable decisions confirmed by `review`.
    pub done: Done,
    /// Owner ID → name, from the inventory.
    pub owner_names: BTreeMap<OwnerId, String>,
    /// Titles of the controls that gaps name, so that readers see what a control is.
    pub control_titles: BTreeMap<ControlId, String>,
    /// Warnings of the analysis the reader must see (e.g. reconstructed catalogs).
    pub warnings: Vec<String>,
}

/// What the board page shows for one target.
#[derive(Clone, Debug, Serialize)]
pub struct TargetBrief {
    /// The analysis's summary of the target (coverage counts, states, crosswalk paths).
    pub summary: TargetSummary,
    /// The version the inventory's mappings were reviewed against (the oldest, when they
    /// differ), which "new in this edition" is measured from.
    pub reviewed_against: Option<CatalogKey>,
    /// Open and overdue gaps of the target per severity.
    pub counts: SeverityCounts,
    /// Movement of the target's gaps since the last snapshot; `None` without history.
    pub since_last: Option<Movement>,
    /// The target's most serious overdue gaps that escalate.
    pub escalations: Vec<Escalation>,
    /// The target's first gaps by rank (indices into [`ManagementReport::gaps`]).
    pub top: Vec<usize>,
    /// Gaps of the target on requirements new in the edition.
    pub new_open: usize,
    /// Coverage per clause, in clause order.
    pub sections: Vec<SectionBar>,
}

/// What the management meeting must decide.
#[derive(Clone, Debug, Default, Serialize)]
pub struct Decisions {
    /// Not-applicable decisions whose review falls due, by date.
    pub not_applicable: Vec<DecisionDue>,
    /// Waivers that expire, by date.
    pub waivers: Vec<DecisionDue>,
    /// Gaps whose plan is `blocked` (indices into [`ManagementReport::gaps`]).
    pub blocked: Vec<usize>,
}

/// What was done since the last meeting.
#[derive(Clone, Debug, Default, Serialize)]
pub struct Done {
    /// The date of the last meeting's snapshot; `None` without history.
    pub since: Option<NaiveDate>,
    /// Gaps of the last snapshot that are gone, with their kind (review closes
    /// `needs-review` and `stale-reference` gaps).
    pub closed: Vec<GapKey>,
    /// Gaps new since the last snapshot (indices into [`ManagementReport::gaps`]).
    pub opened: Vec<usize>,
    /// Not-applicable decisions reviewed (confirmed) after the last meeting.
    pub confirmed: Vec<DecisionDue>,
}

/// A decision that falls due: what it is about, by when, and who took it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct DecisionDue {
    /// The requirement (pattern) or gap (pattern) the decision is about.
    pub subject: String,
    /// The next review (not applicable) or the last day the waiver holds.
    pub due: NaiveDate,
    /// Who took the decision.
    pub approved_by: OwnerId,
    /// Where the decision is written down.
    pub place: crate::model::Place,
}

/// Open and overdue gaps per severity.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
pub struct SeverityCounts {
    /// Open gaps (overdue included) per severity.
    pub open: BTreeMap<Severity, usize>,
    /// Overdue gaps per severity.
    pub overdue: BTreeMap<Severity, usize>,
}

impl SeverityCounts {
    fn of<'a>(gaps: impl IntoIterator<Item = &'a Gap>) -> SeverityCounts {
        let mut counts = SeverityCounts {
            open: SEVERITIES.iter().map(|s| (*s, 0)).collect(),
            overdue: SEVERITIES.iter().map(|s| (*s, 0)).collect(),
        };
        for gap in gaps {
            *counts.open.entry(gap.severity).or_default() += 1;
            if gap.status == GapStatus::Overdue {
                *counts.overdue.entry(gap.severity).or_default() += 1;
            }
        }
        counts
    }

    /// All open gaps.
    pub fn total_open(&self) -> usize {
        self.open.values().sum()
    }

    /// All overdue gaps.
    pub fn total_overdue(&self) -> usize {
        self.overdue.values().sum()
    }
}

/// How the gaps moved since the last report.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Movement {
    /// The date of the snapshot compared with.
    pub since: NaiveDate,
    /// Open gaps then.
    pub open_before: usize,
    /// Open gaps now.
    pub open_now: usize,
    /// Overdue gaps then.
    pub overdue_before: usize,
    /// Overdue gaps now.
    pub overdue_now: usize,
    /// Gaps not in the last report.
    pub new: usize,
    /// Gaps of the last report that are gone.
    pub resolved: usize,
}

/// An overdue gap, with the owners it escalates to and a picture of what it involves.
#[derive(Clone, Debug, Serialize)]
pub struct Escalation {
    /// Index into [`ManagementReport::gaps`].
    pub gap: usize,
    /// The requirement or control, the controls involved and the owner's chain.
    pub picture: Picture,
}

/// What one owner answers for.
#[derive(Clone, Debug, Serialize)]
pub struct OwnerBrief {
    /// `None` for gaps nobody answers for.
    pub owner: Option<OwnerId>,
    /// The owner's name (`Unassigned` for gaps nobody answers for).
    pub name: String,
    /// The owner's open and overdue gaps per severity.
    pub counts: SeverityCounts,
    /// Indices into [`ManagementReport::gaps`], in its order.
    pub overdue: Vec<usize>,
    /// Every gap of the owner, indices in report order.
    pub gaps: Vec<usize>,
}

/// Coverage of the requirements of one clause (the first two levels of the section).
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
pub struct SectionBar {
    /// A clause ID (`7.9`).
    pub clause: String,
    /// The clause's title in the catalog (empty when the catalog has none).
    pub title: String,
    /// Requirements of the clause the target counts.
    pub total: usize,
    /// Of them covered.
    pub covered: usize,
    /// Of them partly covered.
    pub partial: usize,
    /// Of them waiting for a review.
    pub needs_review: usize,
    /// Of them not covered.
    pub uncovered: usize,
}

/// Open and overdue gaps on one date, for the trend chart.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct TrendPoint {
    /// The date of the run or snapshot.
    pub date: NaiveDate,
    /// Open gaps.
    pub open: usize,
    /// Overdue gaps.
    pub overdue: usize,
    /// True for this run; false for a snapshot from the history.
    pub current: bool,
}

/// What the report is computed from: an analysis's gap report and what it was run on.
#[derive(Clone, Copy)]
pub struct Input<'a> {
    /// The gap report of the analysis.
    pub report: &'a GapReport,
    /// The inventory it analysed.
    pub inventory: &'a Inventory,
    /// The catalogs it used.
    pub catalogs: &'a CatalogSet,
    /// The transition files it used.
    pub transitions: &'a TransitionSet,
    /// The waivers of the inventory, for the expiries the board must decide on.
    pub waivers: &'a [Waiver],
}

impl ManagementReport {
    /// The report of an analysis and the snapshots of earlier runs.
    pub fn build(input: &Input<'_>, history: &History) -> ManagementReport {
        let report = input.report;
        // Independent of each other, and each a fair part of a large report's summary.
        let (edition, gaps) = std::thread::scope(|scope| {
            let edition = scope.spawn(|| new_in_edition(input));
            let mut gaps = report.gaps.clone();
            sort_by_rank(&mut gaps);
            let edition = edition
                .join()
                .unwrap_or_else(|panic| std::panic::resume_unwind(panic));
            (edition, gaps)
        });
        let last = history.last_before(report.today);
        let targets = report
            .targets
            .iter()
            .map(|summary| target_brief(input, &gaps, summary, &edition.reviewed, last))
            .collect();
        let control_escalations = escalations(input, &gaps, |g| g.target.is_none());
        let control_titles = control_titles(input, &gaps);
        ManagementReport {
            organisation: report.organisation.clone(),
            today: report.today,
            targets,
            control_escalations,
            since_last: last.map(|s| movement(s, &gaps, |_| true, |_| true)),
            new_in_edition: edition.items,
            owners: owners(report, &gaps),
            trend: trend(history, report),
            decisions: decisions(input, &gaps),
            done: done(input, &gaps, last),
            gaps,
            owner_names: report.owners.clone(),
            control_titles,
            warnings: report.warnings.clone(),
        }
    }

    /// The owner's name, or the ID for an owner the inventory does not name.
    pub fn owner_name<'a>(&'a self, owner: &'a OwnerId) -> &'a str {
        self.owner_names
            .get(owner)
            .map_or(owner.as_str(), String::as_str)
    }

    /// True when the gaps fall in more than one target (or also concern controls alone),
    /// so that a movement of all gaps says more than the per-target ones.
    pub fn has_several_scopes(&self) -> bool {
        self.targets.len() > 1 || self.gaps.iter().any(|g| g.target.is_none())
    }

    /// Days since the gap's due date (0 when not yet due).
    pub fn days_overdue(&self, gap: &Gap) -> i64 {
        (self.today - gap.due).num_days().max(0)
    }

    /// The title of a control that a gap names.
    pub fn control_title(&self, control: &ControlId) -> Option<&str> {
        self.control_titles.get(control).map(String::as_str)
    }

    /// All open and overdue gaps per severity.
    pub fn counts(&self) -> SeverityCounts {
        SeverityCounts::of(&self.gaps)
    }
}

fn control_titles(input: &Input<'_>, gaps: &[Gap]) -> BTreeMap<ControlId, String> {
    let controls = &input.inventory.controls;
    gaps.iter()
        .filter_map(|g| g.control.as_ref())
        .filter_map(|id| Some((id.clone(), controls.get(id)?.title.clone())))
        .collect()
}

/// What changed since the last snapshot: closed and new gaps, and the not-applicable
/// decisions `review` confirmed since (it records the review date in reqgap.yaml).
fn done(input: &Input<'_>, gaps: &[Gap], last: Option<&Snapshot>) -> Done {
    let Some(last) = last else {
        return Done::default();
    };
    let now: BTreeSet<&GapKey> = gaps.iter().map(|g| &g.key).collect();
    let confirmed = input
        .inventory
        .targets
        .iter()
        .flat_map(|t| t.not_applicable.iter().map(move |n| (t, n)))
        .filter(|(_, n)| n.reviewed > last.date && n.reviewed <= input.report.today)
        .map(|(t, n)| DecisionDue {
            subject: format!("{}:{}", t.catalog, n.requirement),
            due: n.reviewed,
            approved_by: n.approved_by.clone(),
            place: n.place.clone(),
        })
        .collect();
    Done {
        since: Some(last.date),
        closed: last
            .gaps
            .keys()
            .filter(|k| !now.contains(k))
            .cloned()
            .collect(),
        opened: gaps
            .iter()
            .enumerate()
            .filter(|(_, g)| !last.gaps.contains_key(&g.key))
            .map(|(i, _)| i)
            .collect(),
        confirmed,
    }
}

/// Not-applicable decisions and waivers that fall due within a quarter (or already have),
/// and blocked plans.
fn decisions(input: &Input<'_>, gaps: &[Gap]) -> Decisions {
    let today = input.report.today;
    let horizon = today
        .checked_add_days(chrono::Days::new(DECISIONS_AHEAD_DAYS))
        .unwrap_or(today);
    let mut not_applicable: Vec<DecisionDue> = input
        .inventory
        .targets
        .iter()
        .flat_map(|t| t.not_applicable.iter().map(move |n| (t, n)))
        .filter(|(_, n)| n.next_review() <= horizon)
        .map(|(t, n)| DecisionDue {
            subject: format!("{}:{}", t.catalog, n.requirement),
            due: n.next_review(),
            approved_by: n.approved_by.clone(),
            place: n.place.clone(),
        })
        .collect();
    let mut waivers: Vec<DecisionDue> = input
        .waivers
        .iter()
        .filter(|w| w.expires <= horizon)
        .map(|w| DecisionDue {
            subject: w.gap.to_string(),
            due: w.expires,
            approved_by: w.approved_by.clone(),
            place: w.place.clone(),
        })
        .collect();
    not_applicable.sort_by(|a, b| (a.due, &a.subject).cmp(&(b.due, &b.subject)));
    waivers.sort_by(|a, b| (a.due, &a.subject).cmp(&(b.due, &b.subject)));
    let blocked = gaps
        .iter()
        .enumerate()
        .filter(|(_, g)| {
            g.plan
                .as_ref()
                .is_some_and(|p| p.status == PlanStatus::Blocked)
        })
        .map(|(i, _)| i)
        .collect();
    Decisions {
        not_applicable,
        waivers,
        blocked,
    }
}

fn target_brief(
    input: &Input<'_>,
    gaps: &[Gap],
    summary: &TargetSummary,
    reviewed: &BTreeMap<CatalogKey, CatalogKey>,
    last: Option<&Snapshot>,
) -> TargetBrief {
    let of_target = |g: &Gap| g.target.as_ref() == Some(&summary.catalog);
    TargetBrief {
        summary: summary.clone(),
        reviewed_against: reviewed.get(&summary.catalog).cloned(),
        counts: SeverityCounts::of(gaps.iter().filter(|g| of_target(g))),
        since_last: last.map(|s| movement(s, gaps, of_target, |t| t == Some(&summary.catalog))),
        escalations: escalations(input, gaps, of_target),
        top: gaps
            .iter()
            .enumerate()
            .filter(|(_, g)| of_target(g))
            .take(TOP_RANKED)
            .map(|(i, _)| i)
            .collect(),
        new_open: gaps
            .iter()
            .filter(|g| of_target(g) && g.new_in.is_some())
            .count(),
        sections: sections(input, summary),
    }
}

fn movement(
    last: &Snapshot,
    gaps: &[Gap],
    current: impl Fn(&Gap) -> bool,
    earlier: impl Fn(Option<&CatalogKey>) -> bool,
) -> Movement {
    let now: Vec<&Gap> = gaps.iter().filter(|g| current(g)).collect();
    let before: Vec<_> = last
        .gaps
        .iter()
        .filter(|(_, g)| earlier(g.target.as_ref()))
        .collect();
    let now_keys: BTreeSet<&GapKey> = now.iter().map(|g| &g.key).collect();
    let new = now
        .iter()
        .filter(|g| !last.gaps.contains_key(&g.key))
        .count();
    Movement {
        since: last.date,
        open_before: before.len(),
        open_now: now.len(),
        overdue_before: before.iter().filter(|(_, g)| g.overdue).count(),
        overdue_now: now
            .iter()
            .filter(|g| g.status == GapStatus::Overdue)
            .count(),
        new,
        resolved: before.iter().filter(|(k, _)| !now_keys.contains(k)).count(),
    }
}

/// The most serious overdue gaps that escalate, each with its picture.
fn escalations(input: &Input<'_>, gaps: &[Gap], wanted: impl Fn(&Gap) -> bool) -> Vec<Escalation> {
    gaps.iter()
        .enumerate()
        .filter(|(_, g)| g.status == GapStatus::Overdue && !g.escalation.is_empty() && wanted(g))
        .take(TOP_ESCALATIONS)
        .map(|(index, gap)| Escalation {
            gap: index,
            picture: Picture::for_gap(input.inventory, input.report, gap),
        })
        .collect()
}

/// Coverage per clause, from the analysis's state of each requirement.
fn sections(input: &Input<'_>, summary: &TargetSummary) -> Vec<SectionBar> {
    let Some(catalog) = input.catalogs.get(&summary.catalog) else {
        return Vec::new();
    };
    let mut bars: BTreeMap<String, SectionBar> = BTreeMap::new();
    for requirement in catalog.active_requirements() {
        let Some(state) = summary.states.get(&requirement.id) else {
            continue;
        };
        let clause = clause_of(requirement.section.as_str());
        let bar = bars.entry(clause.to_owned()).or_insert_with(|| SectionBar {
            clause: clause.to_owned(),
            title: catalog
                .section(clause)
                .map_or_else(String::new, |s| s.title.clone()),
            ..SectionBar::default()
        });
        bar.total += 1;
        match state {
            CoverageState::Covered => bar.covered += 1,
            CoverageState::Partial => bar.partial += 1,
            CoverageState::NeedsReview => bar.needs_review += 1,
            CoverageState::Uncovered => bar.uncovered += 1,
        }
    }
    let mut bars: Vec<SectionBar> = bars.into_values().collect();
    bars.sort_by(|a, b| natural_cmp(&a.clause, &b.clause));
    bars
}

/// The first two levels of a section ID (`7.9.3` → `7.9`): fine enough to see where the
/// gaps are, coarse enough for one chart.
fn clause_of(section: &str) -> &str {
    match section.match_indices('.').nth(1) {
        Some((end, _)) => &section[..end],
        None => section,
    }
}

fn owners(report: &GapReport, gaps: &[Gap]) -> Vec<OwnerBrief> {
    let mut groups: BTreeMap<Option<&OwnerId>, Vec<usize>> = BTreeMap::new();
    for (index, gap) in gaps.iter().enumerate() {
        groups.entry(gap.owner.as_ref()).or_default().push(index);
    }
    groups
        .into_iter()
        .map(|(owner, indices)| OwnerBrief {
            owner: owner.cloned(),
            name: owner.map_or_else(
                || "Unassigned".to_owned(),
                |o| report.owner_name(o).to_owned(),
            ),
            counts: SeverityCounts::of(indices.iter().map(|i| &gaps[*i])),
            overdue: indices
                .iter()
                .copied()
                .filter(|i| gaps[*i].status == GapStatus::Overdue)
                .collect(),
            gaps: indices,
        })
        .collect()
}

fn trend(history: &History, report: &GapReport) -> Vec<TrendPoint> {
    let mut points: Vec<TrendPoint> = history
        .snapshots
        .iter()
        .filter(|s| s.date < report.today)
        .map(|s| TrendPoint {
            date: s.date,
            open: s.open(),
            overdue: s.overdue(),
            current: false,
        })
        .collect();
    points.push(TrendPoint {
        date: report.today,
        open: report.gaps.len(),
        overdue: report.overdue,
        current: true,
    });
    points
}

#[cfg(test)]
mod tests {
    use super::clause_of;

    #[test]
    fn clauses_keep_two_levels() {
        assert_eq!(clause_of("7.9.3"), "7.9");
        assert_eq!(clause_of("7.9"), "7.9");
        assert_eq!(clause_of("5"), "5");
        assert_eq!(clause_of("A.1.2.3"), "A.1");
    }
}
