//! Applies the policy, the waivers and the baseline to a gap report.

use std::collections::{BTreeMap, BTreeSet};

use chrono::NaiveDate;

use super::{
    deciding_waiver, failing_rule, Baseline, BaselineDelta, CheckReport, CheckedGap, CheckedTarget,
    FailOn, FailureUnit, Outcome, OutcomeCounts, Policy, RuleFailure, Verdict, Waiver, WaiverUse,
};
use crate::gaps::{Gap, GapReport, GapStatus, TargetSummary};
use crate::model::CatalogSet;
use crate::model::GapKey;

/// Decides the outcome of every gap and whether the run passes. `catalogs` supplies the
/// requirement IDs of each target (for per-requirement test reports).
pub fn evaluate(
    report: GapReport,
    catalogs: &CatalogSet,
    policy: &Policy,
    waivers: &[Waiver],
    baseline: Option<&Baseline>,
) -> CheckReport {
    let today = report.today;
    let mut warnings = report.warnings.clone();
    let provenance_warnings = warnings.len();
    let gaps: Vec<CheckedGap> = report
        .gaps
        .into_iter()
        .map(|gap| judge(gap, policy, waivers, baseline, today))
        .collect();
    warnings.extend(waiver_warnings(waivers, &gaps, policy, today));
    let targets: Vec<CheckedTarget> = report
        .targets
        .into_iter()
        .map(|summary| checked_target(summary, catalogs, policy))
        .collect();
    let failures = failures(policy, &gaps, &targets);
    CheckReport {
        organisation: report.organisation,
        today,
        verdict: if failures.is_empty() {
            Verdict::Pass
        } else {
            Verdict::Fail
        },
        failures,
        policy: policy.clone(),
        targets,
        outcomes: count_outcomes(&gaps),
        baseline: baseline.map(|b| delta(b, &gaps)),
        gaps,
        owners: report.owners,
        warnings,
        provenance_warnings,
    }
}

/// Waiver first (an accepted risk stays accepted), then the baseline, then the rules.
fn judge(
    gap: Gap,
    policy: &Policy,
    waivers: &[Waiver],
    baseline: Option<&Baseline>,
    today: NaiveDate,
) -> CheckedGap {
    let rule = failing_rule(policy, &gap);
    let waiver = deciding_waiver(waivers, &gap.key, today);
    let in_baseline = baseline.is_some_and(|b| b.keys.contains(&gap.key));
    let outcome = if waiver.is_some_and(|w| !w.is_expired(today)) {
        Outcome::Waived
    } else if in_baseline {
        Outcome::Baseline
    } else if rule.is_some() {
        Outcome::Fail
    } else if due_soon(&gap, policy, today) {
        Outcome::Warn
    } else {
        Outcome::Note
    };
    CheckedGap {
        waiver: waiver.map(|w| waiver_use(w, today)),
        gap,
        outcome,
        rule,
    }
}

fn due_soon(gap: &Gap, policy: &Policy, today: NaiveDate) -> bool {
    gap.status == GapStatus::Overdue
        || policy
            .warn_within
            .is_some_and(|window| gap.due <= window.after(today))
}

fn waiver_use(waiver: &Waiver, today: NaiveDate) -> WaiverUse {
    WaiverUse {
        gap: waiver.gap.as_str().to_string(),
        reason: waiver.reason.clone(),
        approved_by: waiver.approved_by.clone(),
        expires: waiver.expires,
        expired: waiver.is_expired(today),
        at: waiver.place.to_string(),
    }
}

/// Stale waivers (matching no gap), expired ones that reopened a gap, and waivers that
/// expire within the warning window.
fn waiver_warnings(
    waivers: &[Waiver],
    gaps: &[CheckedGap],
    policy: &Policy,
    today: NaiveDate,
) -> Vec<String> {
    let mut warnings = Vec::new();
    for waiver in waivers {
        let pattern = waiver.gap.as_str();
        let matched: Vec<&CheckedGap> = gaps
            .iter()
            .filter(|g| waiver.gap.matches(&g.gap.key))
            .collect();
        if matched.is_empty() {
            warnings.push(format!(
                "{}: stale waiver: `{pattern}` matches no gap; remove it",
                waiver.place
            ));
        } else if waiver.is_expired(today) {
            let reopened = matched
                .iter()
                .filter(|g| g.outcome != Outcome::Waived)
                .count();
            if reopened > 0 {
                warnings.push(format!(
                    "{}: waiver `{pattern}` expired on {}; {reopened} gap{} open again",
                    waiver.place,
                    waiver.expires,
                    if reopened == 1 { " is" } else { "s are" }
                ));
            }
        } else if policy
            .warn_within
            .is_some_and(|window| waiver.expires <= window.after(today))
        {
            warnings.push(format!(
                "{}: waiver `{pattern}` expires on {}",
                waiver.place, waiver.expires
            ));
        }
    }
    warnings
}

fn checked_target(summary: TargetSummary, catalogs: &CatalogSet, policy: &Policy) -> CheckedTarget {
    let requirement_ids = catalogs
        .get(&summary.catalog)
        .map(|c| c.active_requirements().map(|r| r.id.clone()).collect())
        .unwrap_or_default();
    let meets_min_coverage = policy
        .min_coverage
        .is_none_or(|min| summary.coverage_percent >= min);
    CheckedTarget {
        summary,
        requirement_ids,
        meets_min_coverage,
    }
}

/// One entry per broken rule: `fail-on` rules in policy order, then `min-coverage`.
fn failures(policy: &Policy, gaps: &[CheckedGap], targets: &[CheckedTarget]) -> Vec<RuleFailure> {
    let mut per_rule: BTreeMap<FailOn, usize> = BTreeMap::new();
    for gap in gaps.iter().filter(|g| g.outcome == Outcome::Fail) {
        if let Some(rule) = gap.rule {
            *per_rule.entry(rule).or_default() += 1;
        }
    }
    let mut failures: Vec<RuleFailure> = per_rule
        .into_iter()
        .map(|(rule, count)| RuleFailure {
            rule: format!("fail-on {rule}"),
            count,
            unit: FailureUnit::Gap,
        })
        .collect();
    let short: usize = targets
        .iter()
        .filter(|t| !t.meets_min_coverage)
        .map(|t| t.summary.requirements.saturating_sub(t.summary.covered))
        .sum();
    if let Some(min) = policy
        .min_coverage
        .filter(|_| targets.iter().any(|t| !t.meets_min_coverage))
    {
        failures.push(RuleFailure {
            rule: format!("min-coverage {min}%"),
            count: short,
            unit: FailureUnit::UncoveredRequirement,
        });
    }
    failures
}

fn count_outcomes(gaps: &[CheckedGap]) -> OutcomeCounts {
    let mut counts = OutcomeCounts::default();
    for gap in gaps {
        let slot = match gap.outcome {
            Outcome::Fail => &mut counts.fail,
            Outcome::Warn => &mut counts.warn,
            Outcome::Note => &mut counts.note,
            Outcome::Waived => &mut counts.waived,
            Outcome::Baseline => &mut counts.baseline,
        };
        *slot += 1;
    }
    counts
}

fn delta(baseline: &Baseline, gaps: &[CheckedGap]) -> BaselineDelta {
    let current: BTreeSet<&GapKey> = gaps.iter().map(|g| &g.gap.key).collect();
    let mut new: Vec<GapKey> = current
        .iter()
        .filter(|k| !baseline.keys.contains(**k))
        .map(|k| (*k).clone())
        .collect();
    let mut resolved: Vec<GapKey> = baseline
        .keys
        .iter()
        .filter(|k| !current.contains(k))
        .cloned()
        .collect();
    new.sort_by_cached_key(ToString::to_string);
    resolved.sort_by_cached_key(ToString::to_string);
    BaselineDelta {
        file: baseline.path.clone(),
        new,
        resolved,
        gone_with_control: Vec::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::check::GapPattern;
    use crate::gaps::{GapKind, Severity};
    use crate::model::{OwnerId, Place};

    fn date(text: &str) -> NaiveDate {
        NaiveDate::parse_from_str(text, "%Y-%m-%d").unwrap()
    }

    fn gap(key: &str, kind: GapKind, due: &str, status: GapStatus) -> Gap {
        Gap {
            key: key.parse().unwrap(),
            kind,
            severity: Severity::High,
            status,
            target: None,
            requirement: None,
            section: None,
            level: None,
            control: None,
            evidence: None,
            title: "t".into(),
            message: "m".into(),
            cause: crate::gaps::Cause::NoControlOwner,
            related_controls: Vec::new(),
            owner: Some(OwnerId::new("ciso")),
            due: date(due),
            escalation: Vec::new(),
            place: None,
            new_in: None,
            plan: None,
            milestone: None,
        }
    }

    fn report(gaps: Vec<Gap>) -> GapReport {
        GapReport {
            organisation: "Org".into(),
            today: date("2026-06-01"),
            targets: Vec::new(),
            counts: BTreeMap::new(),
            overdue: 0,
            gaps,
            owners: BTreeMap::new(),
            warnings: Vec::new(),
        }
    }

    fn waiver(pattern: &str, expires: &str) -> Waiver {
        Waiver {
            gap: GapPattern::parse(pattern).unwrap(),
            reason: "accepted".into(),
            approved_by: OwnerId::new("board"),
            expires: date(expires),
            place: Place::default(),
        }
    }

    fn outcomes(check: &CheckReport) -> Vec<(String, Outcome)> {
        check
            .gaps
            .iter()
            .map(|g| (g.gap.key.to_string(), g.outcome))
            .collect()
    }

    #[test]
    fn overdue_fails_any_kind_and_warn_within_marks_the_rest() {
        let policy = Policy {
            fail_on: [FailOn::Overdue].into_iter().collect(),
            ..Policy::strict_default()
        };
        let gaps = vec![
            gap(
                "newer-version:a@2",
                GapKind::NewerVersion,
                "2026-05-01",
                GapStatus::Overdue,
            ),
            gap(
                "partial:a@1:R-1",
                GapKind::Partial,
                "2026-06-20",
                GapStatus::Open,
            ),
            gap(
                "partial:a@1:R-2",
                GapKind::Partial,
                "2027-01-01",
                GapStatus::Open,
            ),
        ];
        let check = evaluate(report(gaps), &CatalogSet::default(), &policy, &[], None);
        assert_eq!(
            outcomes(&check),
            [
                ("newer-version:a@2".to_string(), Outcome::Fail),
                ("partial:a@1:R-1".to_string(), Outcome::Warn),
                ("partial:a@1:R-2".to_string(), Outcome::Note),
            ]
        );
        assert_eq!(
            check.summary_line(),
            "check failed: fail-on overdue (1 gap); 1 gap to watch"
        );
    }

    #[test]
    fn waivers_waive_until_expiry_and_stale_ones_are_reported() {
        let gaps = vec![
            gap(
                "uncovered:a@1:R-1",
                GapKind::Uncovered,
                "2027-01-01",
                GapStatus::Open,
            ),
            gap(
                "uncovered:a@1:R-2",
                GapKind::Uncovered,
                "2027-01-01",
                GapStatus::Open,
            ),
        ];
        let waivers = [
            waiver("uncovered:a@1:R-1", "2026-12-31"),
            waiver("uncovered:a@1:R-2", "2026-05-31"),
            waiver("uncovered:a@1:R-9*", "2026-12-31"),
        ];
        let policy = Policy::strict_default();
        let check = evaluate(
            report(gaps),
            &CatalogSet::default(),
            &policy,
            &waivers,
            None,
        );
        assert_eq!(
            outcomes(&check),
            [
                ("uncovered:a@1:R-1".to_string(), Outcome::Waived),
                ("uncovered:a@1:R-2".to_string(), Outcome::Fail)
            ]
        );
        assert!(check.gaps[1].waiver.as_ref().is_some_and(|w| w.expired));
        assert_eq!(check.warnings.len(), 2, "{:?}", check.warnings);
        assert!(check
            .warnings
            .iter()
            .any(|w| w.contains("expired on 2026-05-31")));
        assert!(check.warnings.iter().any(|w| w.contains("stale waiver")));
    }

    #[test]
    fn baseline_gaps_pass_and_vanished_ones_are_resolved() {
        let gaps = vec![
            gap(
                "uncovered:a@1:R-1",
                GapKind::Uncovered,
                "2027-01-01",
                GapStatus::Open,
            ),
            gap(
                "uncovered:a@1:R-2",
                GapKind::Uncovered,
                "2027-01-01",
                GapStatus::Open,
            ),
        ];
        let baseline = Baseline {
            path: "old.json".into(),
            keys: ["uncovered:a@1:R-1", "uncovered:a@1:R-3"]
                .into_iter()
                .map(|k| k.parse().unwrap())
                .collect(),
        };
        let policy = Policy::strict_default();
        let check = evaluate(
            report(gaps),
            &CatalogSet::default(),
            &policy,
            &[],
            Some(&baseline),
        );
        assert_eq!(
            outcomes(&check),
            [
                ("uncovered:a@1:R-1".to_string(), Outcome::Baseline),
                ("uncovered:a@1:R-2".to_string(), Outcome::Fail)
            ]
        );
        let delta = check.baseline.unwrap();
        assert_eq!(delta.new, ["uncovered:a@1:R-2"]);
        assert_eq!(delta.resolved, ["uncovered:a@1:R-3"]);
    }
}
