//! How the policy judges one gap.

use crate::gaps::{Gap, GapStatus};
use crate::model::{FailOn, Policy};

/// The `fail-on` rule a gap breaks: its kind first, else `overdue` when it is overdue.
pub fn failing_rule(policy: &Policy, gap: &Gap) -> Option<FailOn> {
    let kind = FailOn::Kind(gap.kind);
    if policy.fail_on.contains(&kind) {
        return Some(kind);
    }
    (gap.status == GapStatus::Overdue && policy.fail_on.contains(&FailOn::Overdue))
        .then_some(FailOn::Overdue)
}
