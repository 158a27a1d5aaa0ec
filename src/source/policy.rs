//! The `policy:` section of reqgap.yaml: raw type and validation into [`Policy`].

use serde::{Deserialize, Serialize};

use super::inventory::{ConfigFile, Parsed};
use super::yaml::Step;
use crate::diag::{Code, Diagnostics};
use crate::model::Period;
use crate::model::{FailOn, Policy, PolicySource};

/// `policy:` in reqgap.yaml: what makes `reqgap check` fail. Every key is optional and
/// takes its default when absent.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct PolicyEntry {
    /// Gap kinds that fail the check (`uncovered`, `partial`, `needs-review`,
    /// `stale-reference`, `broken-dependency`, `unowned`, `stale-evidence`, `newer-version`,
    /// `obsolete-mapping`), plus `overdue` for any gap past its due date. Default: every
    /// kind except `newer-version` and `obsolete-mapping`, plus `overdue`. `[]` fails on no
    /// gap (then only `min-coverage` can fail the check).
    #[serde(default)]
    pub fail_on: Option<Vec<String>>,
    /// Percent (0 to 100) of each target's active requirements that must be covered.
    /// Default: no floor.
    /// `95` and `95%` mean the same; a fraction such as `0.95` gets a warning.
    #[serde(default)]
    pub min_coverage: Option<super::scalar::Percent>,
    /// Gaps that do not fail the check but are due within this window (`N days`,
    /// `N weeks`, `N months` or `N years`) are reported as warnings, as are waivers that
    /// expire within it. Default: `30 days`.
    #[serde(default)]
    pub warn_within: Option<String>,
    /// The deadline of a target without `due` whose catalog has no `effective` date:
    /// this long after the catalog's publication (`N days|weeks|months|years`). Default:
    /// `12 months`.
    #[serde(default)]
    pub default_due: Option<String>,
    /// Rules every waiver of the waivers file must follow; a waiver that breaks one is an
    /// input error at its line.
    #[serde(default)]
    pub waivers: Option<WaiverRulesEntry>,
}

/// `policy.waivers`: governance of accepted gaps.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct WaiverRulesEntry {
    /// The longest a waiver may run from today (`N days`, `N weeks`, `N months` or
    /// `N years`): a waiver whose `expires` lies further ahead is refused.
    #[serde(default)]
    pub max_duration: Option<String>,
    /// When true, a waiver's `approved-by` must not be the owner of the gap it waives (no
    /// one accepts their own gap).
    #[serde(default)]
    pub approver_not_owner: bool,
}

/// The waiver rules in force (none without `policy.waivers`).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub(crate) struct WaiverRules {
    pub(crate) max_duration: Option<Period>,
    pub(crate) approver_not_owner: bool,
}

/// Reads `policy.waivers`, reporting a bad duration at its line.
pub(crate) fn waiver_rules(
    config: &Parsed<ConfigFile>,
    diagnostics: &mut Diagnostics,
) -> WaiverRules {
    let Some(entry) = config
        .value
        .policy
        .as_ref()
        .and_then(|p| p.waivers.as_ref())
    else {
        return WaiverRules::default();
    };
    let max_duration = entry.max_duration.as_ref().and_then(|text| {
        let period = Period::parse(text);
        if period.is_none() {
            diagnostics.push(
                config
                    .error(
                        Code::BadDuration,
                        format!("`{text}` is not a time window"),
                        &["policy".into(), "waivers".into(), "max-duration".into()],
                    )
                    .note(
                        "help: write `N days`, `N weeks`, `N months` or `N years`, e.g. `6 months`",
                    ),
            );
        }
        period
    });
    WaiverRules {
        max_duration,
        approver_not_owner: entry.approver_not_owner,
    }
}

/// The policy in force: the strict default without a `policy:` section, else the section
/// with defaults for absent keys. Every problem is reported at its line.
pub(crate) fn validate(config: &Parsed<ConfigFile>, diagnostics: &mut Diagnostics) -> Policy {
    let mut policy = Policy::strict_default();
    let Some(entry) = &config.value.policy else {
        return policy;
    };
    policy.source = PolicySource::Config;
    if let Some(codes) = &entry.fail_on {
        policy.fail_on = fail_on(config, codes, diagnostics);
    }
    if let Some(min) = entry.min_coverage {
        min_coverage(config, min, &mut policy, diagnostics);
    }
    if let Some(text) = &entry.default_due {
        match Period::parse(text) {
            Some(period) => policy.default_due = Some(period),
            None => diagnostics.push(
                config
                    .error(
                        Code::BadDuration,
                        format!("`{text}` is not a period"),
                        &["policy".into(), "default-due".into()],
                    )
                    .note(
                        "help: write `N days`, `N weeks`, `N months` or `N years`, e.g. `12 months`",
                    ),
            ),
        }
    }
    if let Some(text) = &entry.warn_within {
        match Period::parse(text) {
            Some(period) => policy.warn_within = Some(period),
            None => diagnostics.push(
                config
                    .error(
                        Code::BadDuration,
                        format!("`{text}` is not a time window"),
                        &["policy".into(), "warn-within".into()],
                    )
                    .note(
                        "help: write `N days`, `N weeks`, `N months` or `N years`, e.g. `30 days`",
                    ),
            ),
        }
    }
    policy
}

fn min_coverage(
    config: &Parsed<ConfigFile>,
    min: super::scalar::Percent,
    policy: &mut Policy,
    diagnostics: &mut Diagnostics,
) {
    let path: [Step<'_>; 2] = ["policy".into(), "min-coverage".into()];
    let value = min.value;
    if !(0.0..=100.0).contains(&value) {
        diagnostics.push(config.error(
            Code::BadPolicy,
            format!("min-coverage must be a percentage from 0 to 100, not {value}"),
            &path,
        ));
        return;
    }
    policy.min_coverage = Some(value);
    // `0.95` is how spreadsheets and most libraries write 95 %; here it would demand
    // almost nothing, and the check would pass where it should fail.
    if !min.with_sign && value > 0.0 && value < 1.0 {
        let meant = (value * 100.0 * 1e6).round() / 1e6;
        let mut warning = config.error(
            Code::LikelyFraction,
            format!("min-coverage {value} means {value}%, not {meant}%"),
            &path,
        );
        warning.severity = crate::diag::Severity::Warning;
        diagnostics.push(warning.note(format!(
            "help: write `{meant}` or `\"{meant}%\"` if {meant} percent was meant"
        )));
    }
}

fn fail_on(
    config: &Parsed<ConfigFile>,
    codes: &[String],
    diagnostics: &mut Diagnostics,
) -> std::collections::BTreeSet<FailOn> {
    let known: Vec<String> = FailOn::all_codes().into_iter().map(String::from).collect();
    let mut rules = std::collections::BTreeSet::new();
    for (i, code) in codes.iter().enumerate() {
        match FailOn::from_code(code) {
            Some(rule) => {
                rules.insert(rule);
            }
            None => {
                let path: [Step<'_>; 3] = ["policy".into(), "fail-on".into(), i.into()];
                let mut d = config.error(
                    Code::UnknownRule,
                    format!("`{code}` is not a gap kind or `overdue`"),
                    &path,
                );
                d = match crate::suggest::nearest(code, &known) {
                    Some(best) => d.note(format!("help: did you mean `{best}`?")),
                    None => d.note(format!("known: {}", known.join(", "))),
                };
                diagnostics.push(d);
            }
        }
    }
    rules
}
