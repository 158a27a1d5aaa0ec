//! CI mode: applies a policy, waivers and a baseline to a gap report and decides whether
//! the run passes. Every output format renders the same [`CheckReport`].

mod evaluate;
mod policy;
mod waiver;

use std::collections::BTreeMap;

use chrono::NaiveDate;
use serde::Serialize;

pub use evaluate::evaluate;
pub use policy::failing_rule;
pub use waiver::deciding_waiver;

pub use crate::model::{Baseline, FailOn, GapPattern, PatternError, Policy, PolicySource, Waiver};

use crate::gaps::{Gap, TargetSummary};
use crate::model::{GapKey, OwnerId, RequirementId};

/// Whether the policy passes.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Verdict {
    /// No rule of the policy fails: exit code 0.
    Pass,
    /// At least one rule fails: exit code 1.
    Fail,
}

/// What the policy makes of one gap.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Outcome {
    /// Breaks a `fail-on` rule: the run fails.
    Fail,
    /// Does not fail, but is due within `warn-within` or overdue.
    Warn,
    /// Does not fail and is not due soon: reported for the record.
    Note,
    /// An unexpired waiver accepts it.
    Waived,
    /// It was in the baseline report, so it does not fail the run.
    Baseline,
}

enum_names!(Outcome {
    Fail => "fail",
    Warn => "warn",
    Note => "note",
    Waived => "waived",
    Baseline => "baseline",
});

/// The waiver that decided about a gap.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct WaiverUse {
    /// The waiver's `gap` (a key or a `*` prefix).
    pub gap: String,
    /// Why the gap is accepted.
    pub reason: String,
    /// The owner who approved the waiver.
    pub approved_by: OwnerId,
    /// The last day the waiver holds.
    pub expires: NaiveDate,
    /// True when the waiver has expired, so the gap is open again.
    pub expired: bool,
    /// `path:line:column` of the waiver.
    pub at: String,
}

/// A gap with what the policy makes of it.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct CheckedGap {
    /// The gap as the analysis found it.
    #[serde(flatten)]
    pub gap: Gap,
    /// What the policy makes of it.
    pub outcome: Outcome,
    /// The `fail-on` rule the gap breaks (also for waived and baseline gaps).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub rule: Option<FailOn>,
    /// The waiver that decided about it, expired or not.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub waiver: Option<WaiverUse>,
}

/// A target with the IDs of its active requirements (one JUnit test case each).
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct CheckedTarget {
    /// The target's coverage figures.
    #[serde(flatten)]
    pub summary: TargetSummary,
    /// The IDs of its active requirements, in catalog order.
    pub requirement_ids: Vec<RequirementId>,
    /// False when the coverage is below `min-coverage`.
    pub meets_min_coverage: bool,
}

/// A rule that failed and how many gaps (or, for `min-coverage`, requirements short of the
/// floor) caused it.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct RuleFailure {
    /// `fail-on <code>` or `min-coverage`.
    pub rule: String,
    /// How many gaps (or requirements) caused it.
    pub count: usize,
    /// What `count` counts.
    pub unit: FailureUnit,
}

/// What a failed rule counts.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum FailureUnit {
    /// Gaps that break a `fail-on` rule.
    Gap,
    /// Requirements not covered in the targets below `min-coverage`.
    UncoveredRequirement,
}

impl RuleFailure {
    /// `fail-on uncovered (3 gaps)`: the rule and what caused it, for people.
    pub fn describe(&self) -> String {
        let plural = if self.count == 1 { "" } else { "s" };
        let what = match self.unit {
            FailureUnit::Gap => format!("{} gap{plural}", self.count),
            FailureUnit::UncoveredRequirement => {
                format!("{} requirement{plural} not covered", self.count)
            }
        };
        format!("{} ({what})", self.rule)
    }
}

/// Gaps per outcome.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize)]
pub struct OutcomeCounts {
    /// Gaps that fail the run.
    pub fail: usize,
    /// Gaps due soon or overdue that do not fail it.
    pub warn: usize,
    /// Gaps reported for the record.
    pub note: usize,
    /// Gaps an unexpired waiver accepts.
    pub waived: usize,
    /// Gaps the baseline already had.
    pub baseline: usize,
}

/// What changed against the baseline.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
pub struct BaselineDelta {
    /// The baseline file, as the user named it.
    pub file: String,
    /// Keys of current gaps the baseline did not have.
    pub new: Vec<GapKey>,
    /// Keys of baseline gaps that are gone.
    pub resolved: Vec<GapKey>,
    /// Keys of baseline gaps about a control that is now retired (or no longer in the
    /// inventory): they went away with the control, which fixes nothing, so they are not
    /// counted as resolved.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub gone_with_control: Vec<GapKey>,
}

impl BaselineDelta {
    /// Moves the vanished gaps of controls that `in_force` no longer accepts from
    /// `resolved` to `gone_with_control`.
    pub fn separate_gone_controls(&mut self, in_force: impl Fn(&crate::model::ControlId) -> bool) {
        let (gone, resolved): (Vec<GapKey>, Vec<GapKey>) = std::mem::take(&mut self.resolved)
            .into_iter()
            .partition(|key| key.control().is_some_and(|c| !in_force(c)));
        self.resolved = resolved;
        self.gone_with_control = gone;
    }
}

/// The result of `reqgap check`: the gap report judged by the inventory's policy, waivers
/// and baseline.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct CheckReport {
    /// Name of the organisation, from reqgap.yaml.
    pub organisation: String,
    /// The day the analysis ran as of.
    pub today: NaiveDate,
    /// Whether the policy passes.
    pub verdict: Verdict,
    /// Rules that failed, in policy order (`fail-on` kinds, `overdue`, `min-coverage`).
    pub failures: Vec<RuleFailure>,
    /// The policy applied (reqgap.yaml's, or the strict default).
    pub policy: Policy,
    /// Every target with its coverage and requirement IDs.
    pub targets: Vec<CheckedTarget>,
    /// Gaps per outcome.
    pub outcomes: OutcomeCounts,
    /// Every gap with its outcome, sorted by owner, due date, then key.
    pub gaps: Vec<CheckedGap>,
    /// What changed against the baseline, when one was given.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub baseline: Option<BaselineDelta>,
    /// Display names of the owners, by ID.
    pub owners: BTreeMap<OwnerId, String>,
    /// Provenance warnings, stale and expired waivers, waivers about to expire.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub warnings: Vec<String>,
    /// How many of `warnings`, the first ones, are the analysis's provenance warnings
    /// (reconstructed catalogs): the terminal table leaves them to standard error, where
    /// the CLI prints them, so that standard output holds the findings alone.
    #[serde(skip)]
    pub provenance_warnings: usize,
}

impl CheckReport {
    /// The closing line of every human format: the verdict, the failing rules and how many
    /// gaps caused each.
    pub fn summary_line(&self) -> String {
        let verdict = match self.verdict {
            Verdict::Fail => {
                let rules: Vec<String> = self.failures.iter().map(RuleFailure::describe).collect();
                format!("check failed: {}", rules.join(", "))
            }
            Verdict::Pass => "check passed: no gap fails the policy".to_owned(),
        };
        let details = self.summary_details();
        if details.is_empty() {
            verdict
        } else {
            format!("{verdict}; {}", details.join("; "))
        }
    }

    /// What the verdict line adds: the waived gaps by key (an auditor reads the line that
    /// CI shows, so what was accepted must be on it), gap warnings, other warnings and
    /// baseline gaps. Counts of zero are left out, so the line never says "0 warnings"
    /// under a warning.
    fn summary_details(&self) -> Vec<String> {
        let plural = |n: usize, noun: &str| format!("{n} {noun}{}", if n == 1 { "" } else { "s" });
        let o = &self.outcomes;
        let mut details = Vec::new();
        if o.waived > 0 {
            const SHOWN: usize = 3;
            let keys: Vec<String> = self
                .with_outcome(Outcome::Waived)
                .map(|g| g.gap.key.to_string())
                .collect();
            let mut named = keys
                .iter()
                .take(SHOWN)
                .cloned()
                .collect::<Vec<_>>()
                .join(", ");
            if keys.len() > SHOWN {
                named.push_str(&format!(" and {} more", keys.len() - SHOWN));
            }
            details.push(format!("{} waived: {named}", o.waived));
        }
        if o.warn > 0 {
            let gaps = if o.warn == 1 { "gap" } else { "gaps" };
            details.push(format!("{} {gaps} to watch", o.warn));
        }
        if !self.warnings.is_empty() {
            details.push(plural(self.warnings.len(), "warning"));
        }
        if o.baseline > 0 {
            details.push(format!("{} in baseline", o.baseline));
        }
        details
    }

    /// Gaps with the given outcome, in report order.
    pub fn with_outcome(&self, outcome: Outcome) -> impl Iterator<Item = &CheckedGap> {
        self.gaps.iter().filter(move |g| g.outcome == outcome)
    }

    /// The display name of an owner, or its ID when unknown.
    pub fn owner_name<'a>(&'a self, owner: Option<&'a OwnerId>) -> &'a str {
        match owner {
            Some(id) => self.owners.get(id).map_or(id.as_str(), String::as_str),
            None => "(nobody)",
        }
    }
}

#[cfg(test)]
mod tests {
    use super::BaselineDelta;
    use crate::model::ControlId;

    #[test]
    fn gaps_of_controls_no_longer_in_force_are_not_resolved() {
        let keys = |list: &[&str]| list.iter().map(|k| k.parse().unwrap()).collect::<Vec<_>>();
        let mut delta = BaselineDelta {
            file: "old.json".into(),
            new: Vec::new(),
            resolved: keys(&[
                "uncovered:a@1:R-1",
                "stale-evidence:control:C-OLD:E-1",
                "needs-review:a@1:R-2:C-OK",
            ]),
            gone_with_control: Vec::new(),
        };
        delta.separate_gone_controls(|id: &ControlId| id.as_str() == "C-OK");
        assert_eq!(
            delta.resolved,
            keys(&["uncovered:a@1:R-1", "needs-review:a@1:R-2:C-OK"])
        );
        assert_eq!(
            delta.gone_with_control,
            keys(&["stale-evidence:control:C-OLD:E-1"])
        );
    }
}
