//! The waivers file named by `waivers:` in reqgap.yaml: raw types and validation into
//! [`Waiver`]s. A waiver must say why, who approved it and until when.

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

use serde::{Deserialize, Serialize};

use super::catalog::parse_date;
use super::inventory::{parse_file, Parsed};
use super::scalar::Text;
use super::yaml::Step;
use crate::diag::{Code, Diagnostic, Diagnostics};
use crate::model::{GapPattern, Waiver};
use crate::model::{Owner, OwnerId};

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

/// Loads and validates the waivers file `relative` to the inventory folder `dir`.
pub(crate) fn load(
    dir: &Path,
    relative: &str,
    owners: &BTreeMap<OwnerId, Owner>,
    diagnostics: &mut Diagnostics,
) -> Vec<Waiver> {
    let file: Parsed<WaiversFile> = match parse_file(&dir.join(relative)) {
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
            diagnostics.push(d);
        }
        let expires_text = self.required(
            entry.expires.as_ref().map(Text::as_str),
            "expires",
            diagnostics,
        );
        let expires = expires_text.and_then(|text| {
            let date = parse_date(text);
            if date.is_none() {
                diagnostics.push(self.error(
                    Code::BadDate,
                    format!("`{text}` is not a date of the form YYYY-MM-DD"),
                    "expires",
                ));
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

fn self_gap(check: &EntryCheck<'_>) -> String {
    check
        .file
        .value
        .waivers
        .get(check.i)
        .map(|w| w.gap.clone())
        .unwrap_or_default()
}
