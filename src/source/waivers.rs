//! The waivers file named by `waivers:` in reqgap.yaml: raw types and validation into
//! [`Waiver`]s. A waiver must say why, who approved it and until when.

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

use serde::{Deserialize, Serialize};

use super::catalog::parse_date;
use super::inventory::{parse_file, Parsed};
use super::policy::WaiverRules;
use super::scalar::Text;
use super::yaml::Step;
use crate::diag::{Code, Diagnostic, Diagnostics};
use crate::model::{CatalogSet, Control, ControlId, GapPattern, Target, Waiver};
use crate::model::{Owner, OwnerId};
use chrono::NaiveDate;

/// A waivers file.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct WaiversFile {
    /// Accepted gaps, each with a reason, an approver and an expiry date.
    pub waivers: Vec<WaiverEntry>,
}

/// One accepted gap. A waived gap does not fail `reqgap check`; once the waiver expires the
/// gap fails again and the report says so.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct WaiverEntry {
    /// The gap key (as `reqgap gaps` prints it), or a key prefix ending in `*` for a whole
    /// requirement, section or control, e.g. `uncovered:etsi-en-319-401@3.2.1:REQ-7.14.*`.
    /// A bare `*`, or a `*` right after the kind or the target, is refused.
    pub gap: String,
    /// Why the gap is accepted (required).
    #[schemars(required)]
    pub reason: Option<String>,
    /// The owner ID (from the owners file) who approved the waiver (required).
    #[schemars(required)]
    pub approved_by: Option<String>,
    /// Last day the waiver holds, YYYY-MM-DD (required).
    #[schemars(required)]
    pub expires: Option<Text>,
}

/// What a waiver is checked against: the owners, who owns which gap, and the rules of
/// `policy.waivers`.
pub(crate) struct WaiverContext<'a> {
    pub(crate) owners: &'a BTreeMap<OwnerId, Owner>,
    pub(crate) controls: &'a BTreeMap<ControlId, Control>,
    pub(crate) targets: &'a [Target],
    pub(crate) catalogs: &'a CatalogSet,
    pub(crate) rules: WaiverRules,
    pub(crate) today: NaiveDate,
}

/// Loads and validates the waivers file at `path` (resolved by the inventory loader).
pub(crate) fn load(
    path: &Path,
    context: &WaiverContext<'_>,
    diagnostics: &mut Diagnostics,
) -> Vec<Waiver> {
    let owners = context.owners;
    let file: Parsed<WaiversFile> = match parse_file(path) {
        Ok(file) => file,
        Err(problems) => {
            diagnostics.extend(problems);
            return Vec::new();
        }
    };
    let known: Vec<String> = owners.keys().map(ToString::to_string).collect();
    let mut seen = BTreeSet::new();
    let mut waivers = Vec::new();
    for (i, entry) in file.value.waivers.iter().enumerate() {
        let checker = EntryCheck {
            file: &file,
            i,
            known: &known,
        };
        let Some(waiver) = checker.waiver(entry, diagnostics) else {
            continue;
        };
        if !checker.governed(&waiver, context, diagnostics) {
            continue;
        }
        if !seen.insert(waiver.gap.clone()) {
            diagnostics.push(checker.error(
                Code::DuplicateId,
                format!("a waiver for `{}` is given twice", entry.gap),
                "gap",
            ));
            continue;
        }
        waivers.push(waiver);
    }
    waivers
}

struct EntryCheck<'a> {
    file: &'a Parsed<WaiversFile>,
    i: usize,
    known: &'a [String],
}

impl EntryCheck<'_> {
    fn error(&self, code: Code, message: String, key: &str) -> Diagnostic {
        self.file.error(
            code,
            message,
            &["waivers".into(), self.i.into(), Step::Key(key)],
        )
    }

    /// Every problem of one entry, or the waiver when there is none.
    fn waiver(&self, entry: &WaiverEntry, diagnostics: &mut Diagnostics) -> Option<Waiver> {
        let before = diagnostics.len();
        let gap = GapPattern::parse(&entry.gap)
            .map_err(|e| {
                diagnostics.push(self.error(Code::BadWaiver, e.message(&entry.gap), "gap"))
            })
            .ok();
        let reason = self.required(entry.reason.as_deref(), "reason", diagnostics);
        let approver = self.required(entry.approved_by.as_deref(), "approved-by", diagnostics);
        if let Some(id) = approver.filter(|id| !self.known.iter().any(|k| k == id)) {
            let mut d = self.error(
                Code::UnknownOwner,
                format!("unknown owner `{id}`"),
                "approved-by",
            );
            if let Some(best) = crate::suggest::nearest(id, self.known) {
                d = d.note(format!("help: did you mean `{best}`?"));
            }
            diagnostics.push(d.note(format!("known owners: {}", self.known.join(", "))));
        }
        let expires_text = self.required(
            entry.expires.as_ref().map(Text::as_str),
            "expires",
            diagnostics,
        );
        let expires = expires_text.and_then(|text| {
            let date = parse_date(text);
            if date.is_none() {
                diagnostics.push(super::scalar::bad_date(text, |message| {
                    self.error(Code::BadDate, message, "expires")
                }));
            }
            date
        });
        if diagnostics.len() > before {
            return None;
        }
        Some(Waiver {
            gap: gap?,
            reason: reason?.to_string(),
            approved_by: OwnerId::new(approver?),
            expires: expires?,
            place: self
                .file
                .place(&["waivers".into(), self.i.into(), "gap".into()]),
        })
    }

    /// The value of a key every waiver must have, or a located error.
    fn required<'v>(
        &self,
        value: Option<&'v str>,
        key: &str,
        diagnostics: &mut Diagnostics,
    ) -> Option<&'v str> {
        match value.map(str::trim).filter(|v| !v.is_empty()) {
            Some(v) => Some(v),
            None => {
                let d = self
                    .file
                    .error(
                        Code::MissingField,
                        format!("waiver `{}` has no `{key}`", self_gap(self)),
                        &["waivers".into(), self.i.into(), Step::Key(key)],
                    )
                    .note("help: every waiver needs a `reason`, an `approved-by` owner and an `expires` date");
                diagnostics.push(d);
                None
            }
        }
    }
}

impl EntryCheck<'_> {
    /// Applies the rules of `policy.waivers`; false (with located errors) when the waiver
    /// breaks one.
    fn governed(
        &self,
        waiver: &Waiver,
        context: &WaiverContext<'_>,
        diagnostics: &mut Diagnostics,
    ) -> bool {
        let before = diagnostics.len();
        if let Some(max) = context.rules.max_duration {
            let latest = max.after(context.today);
            if waiver.expires > latest {
                diagnostics.push(
                    self.error(
                        Code::WaiverTooLong,
                        format!(
                            "the waiver runs until {}, longer than policy.waivers.max-duration ({max}) allows from {} (until {latest})",
                            waiver.expires, context.today
                        ),
                        "expires",
                    )
                    .note("help: shorten the waiver, and renew it when it expires if the gap is still accepted"),
                );
            }
        }
        if context.rules.approver_not_owner
            && gap_owners(self_gap(self).as_str(), context).contains(&waiver.approved_by)
        {
            diagnostics.push(
                self.error(
                    Code::ApproverIsOwner,
                    format!(
                        "`{}` owns the gap it approves; policy.waivers.approver-not-owner asks for someone else",
                        waiver.approved_by
                    ),
                    "approved-by",
                )
                .note("help: have the owner's escalation (escalates-to) or another owner approve it"),
            );
        }
        diagnostics.len() == before
    }
}

/// The owners of the gaps a waiver's key or pattern can name: the named control's owner
/// for gaps about a control or a mapping, else the section owner of each requirement it
/// names in the target (the owner an uncovered requirement gets).
fn gap_owners(gap: &str, context: &WaiverContext<'_>) -> BTreeSet<OwnerId> {
    let wildcard = gap.ends_with('*');
    let parts: Vec<&str> = gap.trim_end_matches('*').split(':').collect();
    let matches = |id: &str, wanted: &str, last: bool| {
        if wildcard && last {
            id.starts_with(wanted)
        } else {
            id == wanted
        }
    };
    let control_owners = |wanted: &str, last: bool| -> BTreeSet<OwnerId> {
        context
            .controls
            .values()
            .filter(|c| matches(c.id.as_str(), wanted, last))
            .filter_map(|c| c.owner.clone())
            .collect()
    };
    match parts.as_slice() {
        [_, "control", control, rest @ ..] => control_owners(control, rest.is_empty()),
        [_, _, _, control, ..] => control_owners(control, parts.len() == 4),
        [_, scope, requirement] => {
            let Some(target) = context
                .targets
                .iter()
                .find(|t| t.catalog.to_string() == *scope)
            else {
                return BTreeSet::new();
            };
            let Some(catalog) = context.catalogs.get(&target.catalog) else {
                return BTreeSet::new();
            };
            catalog
                .requirements
                .iter()
                .filter(|r| matches(r.id.as_str(), requirement, true))
                .filter_map(|r| target.owner_for_section(r.section.as_str()).cloned())
                .collect()
        }
        _ => BTreeSet::new(),
    }
}

fn self_gap(check: &EntryCheck<'_>) -> String {
    check
        .file
        .value
        .waivers
        .get(check.i)
        .map(|w| w.gap.clone())
        .unwrap_or_default()
}
