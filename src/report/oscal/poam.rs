//! Open gaps as an OSCAL 1.2 plan of action and milestones (`reqgap gaps --format
//! oscal-poam`): one `poam-item` per gap, each with a `risk` that carries its deadline and a
//! remediation whose milestone is the due date, owned by the gap's owner (a `party` with
//! the role `gap-owner`). The requirement, kind, severity and status travel as properties
//! of reqgap's namespace; uuids are UUIDv5 of the gap keys, so runs agree byte for byte.

use std::collections::BTreeMap;
use std::io::Write;

use serde::Serialize;

use super::{uuid_for, Metadata, Party, Property};
use crate::gaps::{Gap, GapReport};
use crate::model::OwnerId;
use crate::report::{write_json, ReportError, Reporter};

/// The role every gap owner has in the plan.
const OWNER_ROLE: &str = "gap-owner";

#[derive(Debug, Serialize)]
#[serde(rename_all = "kebab-case")]
struct PoamDocument {
    plan_of_action_and_milestones: Poam,
}

#[derive(Debug, Serialize)]
#[serde(rename_all = "kebab-case")]
struct Poam {
    uuid: String,
    metadata: PoamMetadata,
    system_id: SystemId,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    risks: Vec<Risk>,
    poam_items: Vec<PoamItem>,
}

/// Metadata with the owner role.
#[derive(Debug, Serialize)]
#[serde(rename_all = "kebab-case")]
struct PoamMetadata {
    #[serde(flatten)]
    common: Metadata,
    roles: Vec<Role>,
}

#[derive(Debug, Serialize)]
struct Role {
    id: String,
    title: String,
}

#[derive(Debug, Serialize)]
#[serde(rename_all = "kebab-case")]
struct SystemId {
    identifier_type: String,
    id: String,
}

#[derive(Debug, Serialize)]
#[serde(rename_all = "kebab-case")]
struct Risk {
    uuid: String,
    title: String,
    description: String,
    statement: String,
    props: Vec<Property>,
    status: String,
    deadline: String,
    remediations: Vec<Remediation>,
}

#[derive(Debug, Serialize)]
#[serde(rename_all = "kebab-case")]
struct Remediation {
    uuid: String,
    lifecycle: String,
    title: String,
    description: String,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    tasks: Vec<Task>,
}

#[derive(Debug, Serialize)]
#[serde(rename_all = "kebab-case")]
struct Task {
    uuid: String,
    #[serde(rename = "type")]
    kind: String,
    title: String,
    timing: Timing,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    responsible_roles: Vec<ResponsibleRole>,
}

#[derive(Debug, Serialize)]
#[serde(rename_all = "kebab-case")]
struct Timing {
    on_date: OnDate,
}

#[derive(Debug, Serialize)]
struct OnDate {
    date: String,
}

#[derive(Debug, Serialize)]
#[serde(rename_all = "kebab-case")]
struct ResponsibleRole {
    role_id: String,
    party_uuids: Vec<String>,
}

#[derive(Debug, Serialize)]
#[serde(rename_all = "kebab-case")]
struct PoamItem {
    uuid: String,
    title: String,
    description: String,
    props: Vec<Property>,
    related_risks: Vec<RelatedRisk>,
}

#[derive(Debug, Serialize)]
#[serde(rename_all = "kebab-case")]
struct RelatedRisk {
    risk_uuid: String,
}

/// The POA&M format of `gaps`.
pub struct PoamReporter;

impl Reporter for PoamReporter {
    fn name(&self) -> &'static str {
        "oscal-poam"
    }

    fn gaps(&self, report: &GapReport, out: &mut dyn Write) -> Result<(), ReportError> {
        if report.gaps.is_empty() {
            // OSCAL requires at least one poam-item; an empty plan would not validate.
            return Err(ReportError::Io(std::io::Error::other(
                "no open gaps: an OSCAL POA&M needs at least one item, so none is written",
            )));
        }
        write_json(&document(report), out)
    }
}

fn document(report: &GapReport) -> PoamDocument {
    let parties: BTreeMap<&OwnerId, Party> = report
        .gaps
        .iter()
        .filter_map(|g| g.owner.as_ref())
        .map(|owner| (owner, party(owner, report)))
        .collect();
    let mut risks = Vec::with_capacity(report.gaps.len());
    let mut items = Vec::with_capacity(report.gaps.len());
    for gap in &report.gaps {
        let owner = gap.owner.as_ref().and_then(|o| parties.get(o));
        let risk = risk(gap, owner);
        items.push(item(gap, &risk.uuid));
        risks.push(risk);
    }
    let name = format!("poam\n{}\n{}", report.organisation, report.today);
    let keys: Vec<String> = report.gaps.iter().map(|g| g.key.to_string()).collect();
    let uuid = uuid_for(&format!("{name}\n{}", keys.join("\n")));
    let mut common = Metadata::new(
        format!("Plan of action and milestones: {}", report.organisation),
        report.today,
        report.today.to_string(),
    );
    common.parties = parties.into_values().collect();
    common.remarks = Some(format!(
        "One item per open gap of reqgap's analysis as of {}.",
        report.today
    ));
    PoamDocument {
        plan_of_action_and_milestones: Poam {
            uuid,
            metadata: PoamMetadata {
                common,
                roles: vec![Role {
                    id: OWNER_ROLE.to_owned(),
                    title: "Gap owner".to_owned(),
                }],
            },
            system_id: SystemId {
                identifier_type: "urn:reqgap:oscal:organisation".to_owned(),
                id: report.organisation.clone(),
            },
            risks,
            poam_items: items,
        },
    }
}

fn party(owner: &OwnerId, report: &GapReport) -> Party {
    let name = report
        .owners
        .get(owner)
        .cloned()
        .unwrap_or_else(|| owner.to_string());
    Party {
        uuid: uuid_for(&format!("party\n{owner}")),
        kind: "person".to_owned(),
        name,
        props: vec![Property::reqgap("owner-id", owner.to_string())],
    }
}

/// What the gap is about: its kind, severity, status and requirement (or control).
fn props(gap: &Gap) -> Vec<Property> {
    let mut props = vec![
        Property::reqgap("gap-key", gap.key.to_string()),
        Property::reqgap("kind", gap.kind.to_string()),
        Property::reqgap("severity", gap.severity.to_string()),
        Property::reqgap("status", gap.status.to_string()),
        Property::reqgap("due", gap.due.to_string()),
    ];
    if let Some(requirement) = &gap.requirement {
        props.push(Property::reqgap("requirement", requirement.to_string()));
    }
    if let Some(control) = &gap.control {
        props.push(Property::reqgap("control", control.to_string()));
    }
    props
}

fn risk(gap: &Gap, owner: Option<&Party>) -> Risk {
    let uuid = uuid_for(&format!("risk\n{}", gap.key));
    let deadline = format!("{}T00:00:00Z", gap.due);
    let task = Task {
        uuid: uuid_for(&format!("milestone\n{}", gap.key)),
        kind: "milestone".to_owned(),
        title: format!("Close the gap by {}", gap.due),
        timing: Timing {
            on_date: OnDate {
                date: deadline.clone(),
            },
        },
        responsible_roles: owner
            .map(|party| ResponsibleRole {
                role_id: OWNER_ROLE.to_owned(),
                party_uuids: vec![party.uuid.clone()],
            })
            .into_iter()
            .collect(),
    };
    Risk {
        uuid,
        title: gap_title(gap),
        description: gap.message.clone(),
        statement: format!(
            "{} gap ({} severity): {}",
            gap.kind, gap.severity, gap.title
        ),
        props: props(gap),
        status: "open".to_owned(),
        deadline,
        remediations: vec![Remediation {
            uuid: uuid_for(&format!("remediation\n{}", gap.key)),
            lifecycle: "planned".to_owned(),
            title: "Close the gap".to_owned(),
            description: gap.message.clone(),
            tasks: vec![task],
        }],
    }
}

fn item(gap: &Gap, risk: &str) -> PoamItem {
    PoamItem {
        uuid: uuid_for(&format!("poam-item\n{}", gap.key)),
        title: gap_title(gap),
        description: gap.message.clone(),
        props: props(gap),
        related_risks: vec![RelatedRisk {
            risk_uuid: risk.to_owned(),
        }],
    }
}

fn gap_title(gap: &Gap) -> String {
    match &gap.requirement {
        Some(requirement) => format!("{} {}: {}", gap.kind, requirement, gap.title),
        None => format!("{}: {}", gap.kind, gap.title),
    }
}
