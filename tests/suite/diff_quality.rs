//! Diff quality: each pattern found on real catalog pairs, as a small fixture.
//! The measured figures on editions derived from NIST SP 800-53 Rev 5 come from
//! `cargo run --release --example diff_eval` (the data is not in the repository).

use std::path::PathBuf;

use chrono::NaiveDate;
use reqgap::diff::{
    diff_catalogs, diff_versions, CatalogDiff, ChangeClass, DiffOptions, LevelChange, MatchKind,
    Reason,
};
use reqgap::model::*;
use reqgap::report::{reporter, DiffFilter, DiffView, Format, Style};

/// A requirement: ID, title, text.
type Spec<'a> = (&'a str, &'a str, &'a str);

fn requirement((id, title, text): Spec<'_>) -> Requirement {
    Requirement {
        id: RequirementId::new(id),
        section: SectionId::new(id.split('-').next().unwrap_or("x")),
        title: (!title.is_empty()).then(|| title.to_owned()),
        level: Level::from_text(text),
        level_derived: false,
        markers: Default::default(),
        confidence: Confidence::Confirmed,
        status: Status::Active,
        text: text.to_owned(),
        note: None,
        links: Vec::new(),
    }
}

fn catalog(version: &str, specs: &[Spec<'_>]) -> Catalog {
    catalog_of(version, specs.iter().copied().map(requirement).collect())
}

fn catalog_of(version: &str, requirements: Vec<Requirement>) -> Catalog {
    let mut sections: Vec<String> = requirements.iter().map(|r| r.section.to_string()).collect();
    sections.sort();
    sections.dedup();
    Catalog {
        standard: StandardSlug::new("quality"),
        title: "Quality".into(),
        version: Version::new(version),
        published: NaiveDate::from_ymd_opt(2025, 1, 1).unwrap(),
        effective: None,
        supersedes: None,
        provenance: Provenance::Verified,
        source: "test".into(),
        sections: sections
            .into_iter()
            .map(|id| Section {
                title: id.clone(),
                id: SectionId::new(id),
            })
            .collect(),
        requirements,
        schedule: Default::default(),
        origin: Origin::File("test".into()),
    }
}

fn detect(old: &Catalog, new: &Catalog) -> CatalogDiff {
    let options = DiffOptions {
        detect_only: true,
        ..DiffOptions::default()
    };
    diff_catalogs(old, new, &[], &options)
}

fn change_of<'d>(diff: &'d CatalogDiff, old_id: &str) -> &'d reqgap::diff::Change {
    diff.changes
        .iter()
        .find(|c| c.old.iter().any(|id| id.as_str() == old_id))
        .unwrap_or_else(|| panic!("{old_id} is in the diff"))
}

fn json(diff: &CatalogDiff) -> String {
    let mut out = Vec::new();
    reporter(Format::Json, Style::default())
        .diff(&DiffView::new(diff, DiffFilter::default()), &mut out)
        .unwrap();
    String::from_utf8(out).unwrap()
}

/// Neighbours that share the Rev 4 boilerplate, so that word weights mean something.
const REV4_NEIGHBOURS: &[Spec<'static>] = &[
    ("au-6", "Audit Review", "The organization reviews and analyzes information system audit records for indications of inappropriate activity."),
    ("cm-2", "Baseline Configuration", "The organization develops, documents, and maintains a current baseline configuration of the information system."),
    ("cp-9", "System Backup", "The organization conducts backups of user-level information contained in the information system."),
    ("sc-7", "Boundary Protection", "The information system monitors and controls communications at the external boundary of the system."),
];

const REV5_NEIGHBOURS: &[Spec<'static>] = &[
    (
        "au-6",
        "Audit Review",
        "Review and analyze system audit records for indications of inappropriate activity.",
    ),
    (
        "cm-2",
        "Baseline Configuration",
        "Develop, document, and maintain a current baseline configuration of the system.",
    ),
    (
        "cp-9",
        "System Backup",
        "Conduct backups of user-level information contained in the system.",
    ),
    (
        "sc-7",
        "Boundary Protection",
        "Monitor and control communications at the external boundary of the system.",
    ),
];

fn with_neighbours(version: &str, neighbours: &[Spec<'static>], specs: &[Spec<'_>]) -> Catalog {
    let mut all: Vec<Spec<'_>> = neighbours.to_vec();
    all.extend_from_slice(specs);
    catalog(version, &all)
}

#[test]
fn a_rev4_rewording_keeps_its_same_id_partner() {
    let old = with_neighbours(
        "4",
        REV4_NEIGHBOURS,
        &[(
            "ir-5",
            "Incident Monitoring",
            "The organization tracks and documents information system security incidents.",
        )],
    );
    let new = with_neighbours(
        "5",
        REV5_NEIGHBOURS,
        &[(
            "ir-5",
            "Incident Monitoring",
            "Track and document incidents.",
        )],
    );
    let diff = detect(&old, &new);
    let change = change_of(&diff, "ir-5");
    assert_eq!(change.class, ChangeClass::Changed);
    assert_eq!(change.pairs[0].kind, MatchKind::SameId);
    for id in ["au-6", "cm-2", "cp-9", "sc-7"] {
        assert_eq!(
            change_of(&diff, id).new[0].as_str(),
            id,
            "{id} keeps its ID"
        );
    }
}

#[test]
fn ids_reused_for_unrelated_requirements_are_removed_and_added() {
    let old = catalog(
        "4",
        &[
            (
                "v-1",
                "Passwords",
                "Verify that user set passwords are at least 12 characters in length.",
            ),
            (
                "v-2",
                "Session tokens",
                "Verify that session tokens are invalidated on logout.",
            ),
            (
                "v-3",
                "Logging",
                "Verify that the application does not log credentials or payment details.",
            ),
        ],
    );
    let new = catalog(
        "5",
        &[
            ("v-1", "Output encoding", "Verify that output encoding is relevant for the interpreter and context required."),
            ("v-2", "File upload", "Verify that the application will not accept large files that could fill up storage."),
            ("v-3", "TLS", "Verify that TLS is used for all client connectivity and does not fall back to insecure protocols."),
        ],
    );
    let diff = detect(&old, &new);
    assert_eq!(diff.counts[&ChangeClass::Changed], 0);
    assert_eq!(diff.counts[&ChangeClass::Removed], 3);
    assert_eq!(diff.counts[&ChangeClass::Added], 3);
}

#[test]
fn a_clearly_better_partner_wins_over_the_same_id() {
    let old = catalog(
        "1",
        &[
            ("r-1", "", "Conduct penetration testing at set-up and after significant infrastructure changes."),
            ("r-9", "", "Keep an inventory of cryptographic keys."),
        ],
    );
    let new = catalog(
        "2",
        &[
            ("r-1", "", "Conduct vulnerability scans on public and private addresses."),
            ("r-2", "", "Conduct penetration testing at set-up and after significant infrastructure changes."),
            ("r-9", "", "Keep an inventory of cryptographic keys."),
        ],
    );
    let diff = detect(&old, &new);
    let change = change_of(&diff, "r-1");
    assert_eq!(change.class, ChangeClass::Renumbered);
    assert_eq!(change.new[0].as_str(), "r-2");
}

#[test]
fn parameter_rendering_is_not_a_substantive_change() {
    let old = catalog(
        "5.0.1",
        &[
            ("ac-1", "Policy", "Review the policy [Selection (one or more): annually; after incidents] and notify [Assignment: organization-defined personnel or roles]."),
            ("au-11", "Retention", "Retain audit records for [Assignment: organization-defined time period consistent with records retention policy]."),
        ],
    );
    let new = catalog(
        "5.1.1",
        &[
            ("ac-1", "Policy", "Review the policy [Selection: annually; after incidents] and notify [Assignment: organization-defined personnel]."),
            ("au-11", "Retention", "Retain audit records for [Assignment: organization-defined time period]."),
        ],
    );
    let diff = detect(&old, &new);
    assert!(
        diff.changes.iter().all(|c| !c.substantive),
        "{:#?}",
        diff.changes
    );
}

#[test]
fn an_edition_that_rewrote_every_text_but_kept_titles_is_paired_for_confirmation() {
    let old = catalog(
        "old",
        &[
            ("x-1", "Cryptographic Key Establishment", "Cryptographic keys are generated, distributed and destroyed under documented procedures."),
            ("x-2", "Session Lock", "A device lock hides what was on the screen until the user authenticates again."),
            ("x-3", "Media Sanitization", "Storage media are wiped with approved tools before disposal or reuse."),
        ],
    );
    let new = catalog(
        "new",
        &[
            ("sc-12", "Cryptographic Key Establishment", "Establish and manage cryptographic keys when cryptography is employed within the system."),
            ("ac-11", "Session Lock", "Prevent further access to the system by initiating a device lock after a period of inactivity."),
            ("mp-6", "Media Sanitization", "Sanitize system media prior to disposal, release out of organizational control, or release for reuse."),
        ],
    );
    let diff = detect(&old, &new);
    for (old_id, new_id) in [("x-1", "sc-12"), ("x-2", "ac-11"), ("x-3", "mp-6")] {
        let change = change_of(&diff, old_id);
        assert_eq!(change.new[0].as_str(), new_id, "{old_id} paired by title");
        assert!(
            change.needs_confirmation,
            "a title match is for a person to confirm"
        );
    }
}

#[test]
fn a_title_alone_never_makes_a_pair() {
    let old = catalog(
        "old",
        &[("x-1", "Session Lock", "Wear badges visibly at all times.")],
    );
    let new = catalog(
        "new",
        &[(
            "ac-11",
            "Session Lock",
            "Rotate backup tapes offsite monthly.",
        )],
    );
    let diff = detect(&old, &new);
    assert_eq!(diff.counts[&ChangeClass::Renumbered], 0);
}

#[test]
fn shared_boilerplate_does_not_make_a_split() {
    let policy = |family: &str| {
        format!("Develop, document and disseminate an {family} policy that addresses purpose, scope, roles, responsibilities, management commitment and compliance; review it yearly.")
    };
    let access = policy("access control");
    let audit = policy("audit");
    let old = catalog("1", &[("ac-1", "Policy and Procedures", &access)]);
    let new = catalog(
        "2",
        &[
            ("ac-1", "Policy and Procedures", &access),
            ("au-1", "Policy and Procedures", &audit),
        ],
    );
    let diff = detect(&old, &new);
    assert_eq!(change_of(&diff, "ac-1").class, ChangeClass::Unchanged);
    assert_eq!(diff.counts[&ChangeClass::Split], 0);
    assert_eq!(diff.counts[&ChangeClass::Added], 1);
}

#[test]
fn a_short_text_inside_a_long_one_is_never_a_confident_pair() {
    let long = "Protect audit information and audit logging tools from unauthorized access, modification, and deletion, and alert personnel when the protection fails.";
    let old = catalog(
        "1",
        &[
            ("au-9", "", long),
            ("au-9.9", "", "Protect audit information."),
        ],
    );
    let new = catalog("2", &[("au-9", "", long)]);
    let diff = detect(&old, &new);
    let part = change_of(&diff, "au-9.9");
    if let Some(pair) = part.pairs.iter().find(|p| p.old.as_str() == "au-9.9") {
        assert!(
            pair.score < 0.75,
            "containment is not the score: {}",
            pair.score
        );
        assert!(pair.needs_confirmation);
    }
}

#[test]
fn a_merge_part_carries_its_containment_beside_an_honest_score() {
    let old = with_neighbours(
        "4",
        REV4_NEIGHBOURS,
        &[
            ("ac-2", "Account Management", "The organization assigns account managers and monitors the use of accounts."),
            ("ac-2.10", "Shared Account Credential Change", "The organization changes shared or group account authenticators when individuals are removed from the group."),
        ],
    );
    let new = with_neighbours(
        "5",
        REV5_NEIGHBOURS,
        &[("ac-2", "Account Management", "Assign account managers; monitor the use of accounts; change shared or group account authenticators when individuals are removed from the group.")],
    );
    let diff = detect(&old, &new);
    let change = change_of(&diff, "ac-2.10");
    assert_eq!(change.class, ChangeClass::Merged);
    assert_eq!(change.old.len(), 2, "ac-2 and ac-2.10 merged into ac-2");
    let part = change
        .pairs
        .iter()
        .find(|p| p.containment.is_some())
        .unwrap();
    let contained = part.containment.unwrap();
    assert!(contained >= 0.8);
    assert!(
        part.score < contained,
        "the score stays the symmetric similarity"
    );
    assert!(change.group_score.is_some());
}

#[test]
fn a_level_change_says_from_what_to_what() {
    let old = catalog(
        "1",
        &[(
            "r-1",
            "",
            "Trusted staff should receive security training every year.",
        )],
    );
    let new = catalog(
        "2",
        &[(
            "r-1",
            "",
            "Trusted staff shall receive security training every year.",
        )],
    );
    let diff = detect(&old, &new);
    let change = change_of(&diff, "r-1");
    assert_eq!(
        change.details.level,
        Some(LevelChange {
            from: Level::Should,
            to: Level::Shall
        })
    );
    assert_eq!(change.details.keywords.removed, ["should"]);
    assert!(change.reasons.contains(&Reason::Level));
    let json = json(&diff);
    assert!(json.contains("\"level\": {\n"), "{json}");
    assert!(json.contains("\"from\": \"should\",\n"), "{json}");
}

#[test]
fn marker_and_number_changes_are_listed() {
    let mut old = requirement(("r-1", "", "Notify the supervisory body within 48 hours."));
    old.markers.insert(Marker::Conditional);
    let new = requirement(("r-1", "", "Notify the supervisory body within 24 hours."));
    let diff = detect(&catalog_of("1", vec![old]), &catalog_of("2", vec![new]));
    let details = &change_of(&diff, "r-1").details;
    assert_eq!(details.markers.removed, [Marker::Conditional]);
    assert_eq!(details.numbers.removed, ["within 48 hours"]);
    assert_eq!(details.numbers.added, ["within 24 hours"]);
}

fn withdrawn(id: &str, rel: LinkRel, target: &str) -> Requirement {
    Requirement {
        status: Status::Withdrawn,
        links: vec![Link {
            rel,
            target: RequirementId::new(target),
        }],
        ..requirement((id, "", "Withdrawn."))
    }
}

#[test]
fn publisher_links_pair_what_detection_alone_cannot() {
    let old = catalog(
        "4",
        &[
            ("sa-12", "Supply Chain Protection", "Protect against supply chain threats by employing safeguards as part of a comprehensive defense-in-breadth strategy."),
            ("ac-2", "Account Management", "Assign account managers for system accounts."),
            ("ac-2.10", "", "Terminate shared credentials when members leave the group."),
        ],
    );
    let mut requirements = vec![
        requirement(("sr-1", "Supply Chain Risk Management Policy", "Develop a supply chain risk management policy and procedures.")),
        requirement(("ac-2", "Account Management", "Assign account managers; change shared or group account authenticators when individuals are removed from the group.")),
    ];
    requirements.push(withdrawn("sa-12", LinkRel::MovedTo, "sr-1"));
    requirements.push(withdrawn("ac-2.10", LinkRel::IncorporatedInto, "ac-2"));
    let new = catalog_of("5", requirements);
    let detected = detect(&old, &new);
    assert_eq!(change_of(&detected, "sa-12").class, ChangeClass::Removed);
    let linked = diff_catalogs(&old, &new, &[], &DiffOptions::default());
    let moved = change_of(&linked, "sa-12");
    assert_eq!(
        (moved.class, moved.new[0].as_str()),
        (ChangeClass::Renumbered, "sr-1")
    );
    assert!(moved.curated);
    let merged = change_of(&linked, "ac-2.10");
    assert_eq!(merged.class, ChangeClass::Merged);
    assert_eq!(merged.new[0].as_str(), "ac-2");
}

#[test]
fn a_requirement_withdrawn_before_the_old_version_follows_its_link() {
    let mut old_requirements = vec![requirement((
        "n-16",
        "Firewall protection",
        "Protect internal network domains from unauthorised access with firewalls.",
    ))];
    old_requirements.push(withdrawn("a-02", LinkRel::MovedTo, "n-16"));
    let old = catalog_of("2", old_requirements);
    let new = catalog(
        "3",
        &[(
            "n-21",
            "Firewall protection",
            "Protect internal network domains from unauthorised access with firewalls.",
        )],
    );
    let diff = diff_catalogs(&old, &new, &[], &DiffOptions::default());
    let successors = diff.successors(&RequirementId::new("a-02"));
    assert_eq!(successors.len(), 1);
    assert_eq!(successors[0].id.as_str(), "n-21");
    assert_eq!(successors[0].class, ChangeClass::Renumbered);
    assert!(diff
        .successor_map()
        .contains_key(&RequirementId::new("a-02")));
    assert_eq!(diff.followed_links[0].via.as_str(), "n-16");
    let ignored = detect(&old, &new);
    assert!(ignored.successors(&RequirementId::new("a-02")).is_empty());
}

#[test]
fn swapping_the_versions_mirrors_the_new_signals() {
    let old = with_neighbours(
        "4",
        REV4_NEIGHBOURS,
        &[(
            "ir-5",
            "Incident Monitoring",
            "The organization tracks and documents information system security incidents.",
        )],
    );
    let new = with_neighbours(
        "5",
        REV5_NEIGHBOURS,
        &[(
            "ir-5",
            "Incident Monitoring",
            "Track and document incidents.",
        )],
    );
    let forward = detect(&old, &new);
    let backward = detect(&new, &old);
    let scores = |d: &CatalogDiff| {
        let mut s: Vec<(String, String, String)> = d
            .changes
            .iter()
            .flat_map(|c| &c.pairs)
            .map(|p| {
                let (a, b) = (p.old.to_string(), p.new.to_string());
                let (a, b) = if a <= b { (a, b) } else { (b, a) };
                (a, b, format!("{:.4}", p.score))
            })
            .collect();
        s.sort();
        s
    };
    assert_eq!(scores(&forward), scores(&backward));
}

mod etsi {
    use super::*;
    use reqgap::analysis::load_transitions;

    fn diff(old: &str, new: &str) -> CatalogDiff {
        let set = CatalogSet::load(&[] as &[PathBuf]).unwrap();
        let (old, new): (CatalogKey, CatalogKey) = (old.parse().unwrap(), new.parse().unwrap());
        let transitions = load_transitions(&[], &set, [old.standard.clone()]).unwrap();
        diff_versions(&set, &transitions, &old, &new, &DiffOptions::default()).unwrap()
    }

    #[test]
    fn risk_treatment_and_continuity_plan_keep_successors() {
        for old in ["etsi-en-319-401@2.2.1", "etsi-en-319-401@2.3.1"] {
            let diff = diff(old, "etsi-en-319-401@3.2.1");
            for id in ["REQ-5-02", "REQ-7.11-01"] {
                let successors = diff.successors(&RequirementId::new(id));
                assert!(!successors.is_empty(), "{old} {id} has a successor");
                assert!(successors.iter().all(|s| s.curated));
            }
        }
    }

    #[test]
    fn a_void_requirement_linked_onward_carries_its_mapping() {
        let diff = diff("etsi-en-319-401@2.3.1", "etsi-en-319-401@3.2.1");
        let successors = diff.successors(&RequirementId::new("REQ-7.4-02"));
        let ids: Vec<&str> = successors.iter().map(|s| s.id.as_str()).collect();
        assert_eq!(ids, ["REQ-7.8-21"]);
    }

    #[test]
    fn a_level_change_is_reported_with_its_direction() {
        let diff = diff("etsi-en-319-401@2.2.1", "etsi-en-319-401@3.2.1");
        let change = change_of(&diff, "REQ-7.2-03");
        assert_eq!(
            change.details.level,
            Some(LevelChange {
                from: Level::Should,
                to: Level::Shall
            })
        );
    }
}
