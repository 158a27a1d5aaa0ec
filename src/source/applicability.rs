//! `not-applicable` under a target in reqgap.yaml: requirements the organisation has
//! decided do not apply, each with a justification, who approved it and when the decision is
//! reviewed again. Raw type and validation into [`NotApplicable`].

use std::collections::BTreeMap;

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use super::catalog::parse_date;
use super::inventory::{ConfigFile, Parsed};
use super::scalar::Text;
use super::yaml::Step;
use crate::diag::{Code, Diagnostic, Diagnostics};
use crate::model::{Catalog, NotApplicable, Owner, OwnerId, Period};

/// One requirement, or a trailing-`*` pattern of requirements, that does not apply.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct NotApplicableEntry {
    /// A requirement ID of the target version, or a prefix ending in `*` (`REQ-7.12-*`).
    pub requirement: String,
    /// Why it does not apply; shown in every report.
    pub justification: String,
    /// The owner who approved the decision.
    pub approved_by: String,
    /// When the decision was last reviewed (YYYY-MM-DD).
    pub reviewed: Text,
    /// How often it is reviewed (`N days`, `N weeks`, `N months`, `N years`); once overdue,
    /// the requirement becomes a `needs-review` gap.
    pub review_every: String,
}

/// What an entry is checked against.
pub(crate) struct Context<'a> {
    pub(crate) config: &'a Parsed<ConfigFile>,
    /// Index of the target in `targets`.
    pub(crate) target: usize,
    pub(crate) owners: &'a BTreeMap<OwnerId, Owner>,
    pub(crate) catalog: Option<&'a Catalog>,
    pub(crate) today: NaiveDate,
}

/// The valid entries; every problem is reported at its line.
pub(crate) fn validate(
    context: &Context<'_>,
    entries: &[NotApplicableEntry],
    diagnostics: &mut Diagnostics,
) -> Vec<NotApplicable> {
    entries
        .iter()
        .enumerate()
        .filter_map(|(j, entry)| entry_checked(context, j, entry, diagnostics))
        .collect()
}

fn entry_checked(
    context: &Context<'_>,
    j: usize,
    entry: &NotApplicableEntry,
    diagnostics: &mut Diagnostics,
) -> Option<NotApplicable> {
    let path = |key| {
        [
            Step::Key("targets"),
            context.target.into(),
            "not-applicable".into(),
            j.into(),
            Step::Key(key),
        ]
    };
    let error = |code, message: String, key| context.config.error(code, message, &path(key));
    let before = diagnostics.len();
    if let Some(catalog) = context.catalog {
        if !matches_any(&entry.requirement, catalog) {
            diagnostics.push(error(
                Code::UnknownRequirement,
                format!(
                    "`{}` names no requirement of {}",
                    entry.requirement,
                    catalog.key()
                ),
                "requirement",
            ));
        }
    }
    if entry.justification.trim().is_empty() {
        diagnostics.push(error(
            Code::MissingField,
            "a not-applicable requirement needs a justification".to_owned(),
            "justification",
        ));
    }
    if !context.owners.contains_key(entry.approved_by.as_str()) {
        diagnostics.push(unknown_owner(
            context,
            &entry.approved_by,
            error(
                Code::UnknownOwner,
                format!("unknown owner `{}`", entry.approved_by),
                "approved-by",
            ),
        ));
    }
    let reviewed = parse_date(entry.reviewed.as_str());
    match reviewed {
        None => diagnostics.push(super::scalar::bad_date(
            entry.reviewed.as_str(),
            |message| error(Code::BadDate, message, "reviewed"),
        )),
        Some(date) if date > context.today => diagnostics.push(error(
            Code::FutureDate,
            format!("reviewed on {date}, after today ({})", context.today),
            "reviewed",
        )),
        Some(_) => {}
    }
    let every = Period::parse(&entry.review_every);
    if every.is_none() {
        diagnostics.push(
            error(
                Code::BadDuration,
                format!("`{}` is not a time window", entry.review_every),
                "review-every",
            )
            .note("help: write `N days`, `N weeks`, `N months` or `N years`, e.g. `1 year`"),
        );
    }
    if diagnostics.len() > before {
        return None;
    }
    Some(NotApplicable {
        requirement: entry.requirement.clone(),
        justification: entry.justification.trim().to_owned(),
        approved_by: OwnerId::new(entry.approved_by.as_str()),
        reviewed: reviewed?,
        review_every: every?,
        place: context.config.place(&path("requirement")),
    })
}

fn matches_any(pattern: &str, catalog: &Catalog) -> bool {
    catalog
        .active_requirements()
        .any(|r| match pattern.strip_suffix('*') {
            Some(prefix) => !prefix.is_empty() && r.id.as_str().starts_with(prefix),
            None => r.id.as_str() == pattern,
        })
}

fn unknown_owner(context: &Context<'_>, id: &str, diagnostic: Diagnostic) -> Diagnostic {
    let known: Vec<String> = context.owners.keys().map(ToString::to_string).collect();
    match crate::suggest::nearest(id, &known) {
        Some(best) => diagnostic.note(format!("help: did you mean `{best}`?")),
        None => diagnostic,
    }
}
