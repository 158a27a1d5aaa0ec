//! The one order in which gaps are put before management: the board page's top items, the
//! owner sections, the appendix and the xlsx sheets all use [`rank`], so that "the first
//! five" means the same five everywhere. It depends on the gaps alone (and their key last),
//! so it is deterministic: the same analysis ranks the same way on every run.

use std::cmp::{Ordering, Reverse};

use super::Gap;
use crate::model::{Level, PlanStatus};

/// Ranks two gaps, most pressing first:
///
/// 1. **severity**, highest first;
/// 2. **days overdue**, most first (for gaps not yet due: the nearest due date first; a
///    plan's date counts as the gap's due date);
/// 3. **new in the edition** before the rest: what the new edition added is what an auditor
///    asks about first;
/// 4. **level**: shall, should, may, informative, then gaps about no requirement;
/// 5. **plan**: no plan or a blocked one first (a decision is needed), then planned,
///    in progress, done pending evidence;
/// 6. the gap **key**, so that no two gaps tie.
pub fn rank(a: &Gap, b: &Gap) -> Ordering {
    key(a).cmp(&key(b)).then_with(|| a.key.cmp(&b.key))
}

/// Sorts `gaps` by [`rank`].
pub fn sort_by_rank(gaps: &mut [Gap]) {
    gaps.sort_by(rank);
}

type RankKey = (Reverse<super::Severity>, chrono::NaiveDate, bool, u8, u8);

fn key(gap: &Gap) -> RankKey {
    let level = match gap.level {
        Some(Level::Shall) => 0,
        Some(Level::Should) => 1,
        Some(Level::May) => 2,
        Some(Level::Informative) => 3,
        None => 4,
    };
    let plan = match gap.plan.as_ref().map(|p| p.status) {
        None | Some(PlanStatus::Blocked) => 0,
        Some(PlanStatus::Planned) => 1,
        Some(PlanStatus::InProgress) => 2,
        Some(PlanStatus::DonePendingEvidence) => 3,
    };
    (
        Reverse(gap.severity),
        gap.due,
        gap.new_in.is_none(),
        level,
        plan,
    )
}
