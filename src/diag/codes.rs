//! Every input diagnostic reqgap can emit: its stable code, its default severity and a
//! one-line description. Like cargo-deny's `diags.rs`, this is the single list that the
//! docs (`docs/diagnostics.md`) and machine formats are checked against.

use serde::{Serialize, Serializer};

use super::Severity;

macro_rules! codes {
    ($($(#[$doc:meta])* $variant:ident => $code:literal, $severity:ident, $description:literal;)+) => {
        /// A stable diagnostic code. The kebab-case name is part of the output contract:
        /// CI scripts match on it, so a code is never renamed or reused.
        #[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
        pub enum Code {
            $($(#[$doc])* #[doc = $description] $variant,)+
        }

        impl Code {
            /// Every code, in registry order.
            pub const ALL: &'static [Code] = &[$(Code::$variant,)+];

            /// The stable kebab-case code, e.g. `duplicate-id`.
            pub fn as_str(self) -> &'static str {
                match self {
                    $(Code::$variant => $code,)+
                }
            }

            /// What the code means, in one line.
            pub fn description(self) -> &'static str {
                match self {
                    $(Code::$variant => $description,)+
                }
            }

            /// The severity the code has unless a caller says otherwise.
            pub fn default_severity(self) -> Severity {
                match self {
                    $(Code::$variant => Severity::$severity,)+
                }
            }
        }
    };
}

codes! {
    // Reading files.
    CannotRead => "cannot-read", Error, "A file or folder could not be read (missing, no permission, I/O error).";
    CannotWrite => "cannot-write", Error, "An output file could not be written.";
    OutputExists => "output-exists", Error, "The output file exists and `--force` was not given.";
    NotAFile => "not-a-file", Error, "A file was expected but the path names a folder or something else.";
    InputTooLarge => "input-too-large", Error, "The file is larger than the 64 MiB input limit.";
    InputTooComplex => "input-too-complex", Error, "The input nests too deeply, expands too many aliases or holds a value too large.";
    NotUtf8 => "not-utf8", Error, "The file is not valid UTF-8.";
    EmptyFile => "empty-file", Error, "The file is empty or holds only comments.";
    BareCarriageReturn => "bare-carriage-return", Error, "A line ends with a carriage return alone (neither LF nor CRLF).";
    PathOutsideRoot => "path-outside-root", Error, "A path in `reqgap.yaml` leads outside the folder reqgap runs in (`--allow-outside-root` lifts this).";
    NoInventory => "no-inventory", Error, "The folder has no `reqgap.yaml`, so it is not an inventory.";
    UnknownFileKind => "unknown-file-kind", Error, "`validate` cannot tell what kind of reqgap file this is from its top-level keys.";
    SkippedFile => "skipped-file", Warning, "A file in a folder reqgap reads is skipped because it is not a `.yaml` or `.yml` file.";
    EmptyFolder => "empty-folder", Warning, "A folder named as holding control files holds none.";
    // YAML structure.
    YamlSyntax => "yaml-syntax", Error, "The file is not valid YAML.";
    YamlTag => "yaml-tag", Error, "A YAML tag (`!!binary`, `!!python/object`, …); reqgap files hold plain values only.";
    UnknownKey => "unknown-key", Error, "A key that the file format does not define (often a typo).";
    MissingKey => "missing-key", Error, "A required key is missing.";
    DuplicateKey => "duplicate-key", Error, "The same key appears twice in one mapping.";
    WrongType => "wrong-type", Error, "A value has the wrong type (e.g. a list where text is expected).";
    BadValue => "bad-value", Error, "A value is not one of those the field allows.";
    // Catalogs.
    BadStandard => "bad-standard", Error, "A standard slug is not lower-case kebab-case.";
    BadVersion => "bad-version", Error, "A version is not a quoted version string, or differs from the file name.";
    BadCatalogName => "bad-catalog-name", Error, "A `<standard>@<version>` name is malformed.";
    BadDate => "bad-date", Error, "A date is not a real calendar date of the form YYYY-MM-DD.";
    BadLink => "bad-link", Error, "A requirement link (supersedes, moved-to, …) names an unknown requirement.";
    DuplicateId => "duplicate-id", Error, "An ID (requirement, section, control, owner, evidence) is defined twice.";
    DuplicateCatalog => "duplicate-catalog", Error, "Two user catalog files define the same standard and version.";
    EmptyId => "empty-id", Error, "An ID is empty.";
    BadIdCharacter => "bad-id-character", Error, "An ID holds a control or bidirectional-override character, or begins or ends with white space.";
    EmptyText => "empty-text", Error, "An active requirement has no text.";
    UndeclaredSection => "undeclared-section", Error, "A requirement names a section the catalog does not declare.";
    UnknownCatalog => "unknown-catalog", Error, "No catalog of that standard and version is known.";
    CatalogReplaced => "catalog-replaced", Warning, "A user catalog replaces the bundled catalog of the same version.";
    ReconstructedCatalog => "reconstructed-catalog", Warning, "An analysis uses a catalog whose IDs are partly inferred.";
    // Transition files.
    DuplicateTransition => "duplicate-transition", Error, "Two transition files cover the same pair of versions.";
    TransitionReplaced => "transition-replaced", Warning, "A user transition file replaces the bundled one for the same versions.";
    BundledTransitionSkipped => "bundled-transition-skipped", Warning, "A bundled transition file was skipped because a catalog it names was replaced.";
    TransitionAcrossStandards => "transition-across-standards", Error, "A transition file links two different standards.";
    TransitionToItself => "transition-to-itself", Error, "A transition file links a version to itself.";
    EmptyCorrespondence => "empty-correspondence", Error, "A correspondence names no requirement on one side.";
    DuplicateCorrespondence => "duplicate-correspondence", Error, "The same correspondence is listed twice.";
    ConflictingCorrespondence => "conflicting-correspondence", Error, "Two correspondences give one requirement contradictory relations.";
    UnknownRequirement => "unknown-requirement", Error, "A requirement ID does not exist in the named catalog version.";
    MappingToWithdrawn => "mapping-to-withdrawn", Warning, "A control maps to a requirement that its catalog version marks withdrawn.";
    // Crosswalks.
    CrosswalkWithinStandard => "crosswalk-within-standard", Error, "A crosswalk joins two versions of one standard (that is a transition file).";
    DuplicateCrosswalk => "duplicate-crosswalk", Error, "Two crosswalk files join the same pair of catalogs.";
    BadRange => "bad-range", Error, "A range of requirement IDs is malformed: its ends differ in prefix or clause, or it runs backwards.";
    RangeSpansKinds => "range-spans-kinds", Error, "A range expands to an ID the catalog has only under another prefix (a REQ- range over a PRO- item).";
    DottedId => "dotted-id", Error, "A requirement ID is written with a dot where the catalog has a hyphen (REQ-4.2.01 for REQ-4.2-01).";
    MissingCitation => "missing-citation", Error, "A crosswalk entry does not say where it comes from.";
    BundledCrosswalkSkipped => "bundled-crosswalk-skipped", Warning, "A bundled crosswalk was skipped because a catalog it names was replaced and no longer fits it.";
    BadStrength => "bad-strength", Error, "A crosswalk or transition entry gives a `strength` outside OLIR's scale of 1 to 10.";
    NoRelationshipInTransition => "no-relationship-in-transition", Error, "A transition entry says `no-relationship`; between versions, list the requirement as withdrawn or new instead.";
    BadOscalMapping => "bad-oscal-mapping", Error, "An OSCAL mapping-collection cannot be read as one reqgap crosswalk or transition (unknown relationship, missing property, more than one mapping).";
    BadScore => "bad-score", Error, "A transition entry gives a similarity `score` outside 0 to 1.";
    OscalUnmappedSkipped => "oscal-unmapped-skipped", Warning, "An OSCAL mapping lists controls as not mapped (a gap summary) without saying they were withdrawn or new; the import leaves them out, as OSCAL draws no inference from what is not mapped.";
    // Inventories.
    UnknownOwner => "unknown-owner", Error, "An owner ID is not defined in the owners file.";
    UnknownControl => "unknown-control", Error, "A control ID (in depends-on, a waiver, …) is not defined.";
    UnknownSection => "unknown-section", Error, "A section ID does not exist in the target catalog.";
    DuplicateTarget => "duplicate-target", Error, "`reqgap.yaml` lists the same standard version as a target twice.";
    DependencyCycle => "dependency-cycle", Error, "Controls depend on each other in a cycle.";
    EscalationCycle => "escalation-cycle", Error, "Owners escalate to each other in a cycle.";
    FutureDate => "future-date", Error, "A review date lies after today.";
    BadDuration => "bad-duration", Error, "A duration is not of the form `N days|weeks|months|years`.";
    // Policy, waivers, baselines.
    BadPolicy => "bad-policy", Error, "A policy value is out of range.";
    LikelyFraction => "likely-fraction", Warning, "A percentage is written as a fraction (`0.95` where 95 was probably meant).";
    UnknownRule => "unknown-rule", Error, "A `fail-on` rule is not a gap kind or `overdue`.";
    BadWaiver => "bad-waiver", Error, "A waiver's gap pattern is malformed (e.g. a bare `*`).";
    MissingField => "missing-field", Error, "A waiver lacks its reason, approver or expiry.";
    BadBaseline => "bad-baseline", Error, "The baseline file is not a JSON gap or check report of reqgap.";
    BadHistory => "bad-history", Error, "A file of the `--history` folder is not a JSON gap report of reqgap.";
    UndatedSnapshot => "undated-snapshot", Error, "A history snapshot has no `today` field and no YYYY-MM-DD date in its file name.";
    // Importers.
    NotJson => "not-json", Error, "The file is not valid JSON.";
    BadOscal => "bad-oscal", Error, "The OSCAL document does not follow the OSCAL catalog model.";
    NotOscalCatalog => "not-oscal-catalog", Error, "The OSCAL document is not a catalog (e.g. a profile).";
    OscalVersion => "oscal-version", Warning, "The OSCAL version is outside the tested 1.0–1.1 range.";
    DerivedSlug => "derived-slug", Warning, "The standard slug was derived from the document title; pass `--standard` to choose it.";
    GroupWithoutId => "group-without-id", Warning, "An OSCAL group has no ID; its controls are kept under a derived section.";
    NoStatement => "no-statement", Warning, "An OSCAL control has no statement part; its title is used as text.";
    NoLabel => "no-label", Warning, "An OSCAL control has no label; its ID is used with `--label`.";
    UnknownInsertion => "unknown-insertion", Warning, "An OSCAL text inserts something other than a parameter.";
    UnknownParameter => "unknown-parameter", Warning, "An OSCAL text inserts a parameter that is not defined.";
    UnresolvedLink => "unresolved-link", Warning, "A withdrawn control links to a control that is not in the catalog.";
    StandardMismatch => "standard-mismatch", Error, "The two catalogs given to `--transition` are of different standards.";
    DuplicateGroupId => "duplicate-group-id", Error, "Two OSCAL groups (or a group and an ungrouped control) share an ID.";
    VersionOrder => "version-order", Error, "The two catalogs given to `--transition` cannot be ordered old to new.";
    BadPdf => "bad-pdf", Error, "The PDF cannot be read (damaged, encrypted, or a page that cannot be decoded).";
    NoRequirements => "no-requirements", Error, "No requirement was found in an ETSI deliverable: an empty catalog is never written.";
    RequirementWithoutText => "requirement-without-text", Error, "A requirement ID in an ETSI deliverable is followed by no text.";
    IdBeforeClause1 => "id-before-clause-1", Warning, "A requirement ID stands in the front matter, before clause 1, and is not imported.";
    NoCover => "no-cover", Error, "The cover of an ETSI deliverable (number, version, date) could not be read.";
    MonthOnlyDate => "month-only-date", Warning, "The deliverable gives only a month; the first day is assumed.";
    UnparsedId => "unparsed-id", Warning, "A line looks like a requirement ID but could not be read as one.";
    UnknownMarker => "unknown-marker", Warning, "A bracketed marker after an ID is not a known one.";
    IdClauseMismatch => "id-clause-mismatch", Warning, "A requirement ID's clause differs from the heading it stands under.";
    NotRequirementText => "not-requirement-text", Warning, "Text between requirements that belongs to none was dropped.";
    SectionFromId => "section-from-id", Warning, "Requirements under no readable heading are filed under the clause their ID names.";
    NotXml => "not-xml", Error, "An OSCAL XML file is not well-formed XML (or uses a DOCTYPE or an unknown entity).";
    EncryptedPdf => "encrypted-pdf", Error, "The PDF is encrypted; reqgap does not decrypt, so its text cannot be read.";
    VersionOrderDisagrees => "version-order-disagrees", Warning, "The versions or dates of the two catalogs given to `--transition` disagree with the order of the arguments, which is followed.";
    BadCsv => "bad-csv", Error, "The CSV file cannot be read as CSV.";
    MissingHeader => "missing-header", Error, "The CSV file has no header row.";
    MissingColumn => "missing-column", Error, "A required CSV column is missing.";
    WrongCellCount => "wrong-cell-count", Error, "A CSV row has more or fewer cells than the header.";
    IncompleteRow => "incomplete-row", Error, "A CSV row lacks a required value.";
    BadLevel => "bad-level", Error, "A requirement level is not shall, should, may or informative.";
    NoDocumentHeader => "no-document-header", Error, "A Markdown standard names no version, date or title (front matter, or a `Version`/`Effective` line at the top), and none was given.";
    NoNumberedSections => "no-numbered-sections", Error, "A Markdown document has no numbered heading with text: an empty catalog is never written.";
    RepeatedSectionNumber => "repeated-section-number", Warning, "A numbered heading repeats an earlier number; its text is added to the first section of that number.";
    TextBeforeSections => "text-before-sections", Warning, "Text before the first numbered heading of a Markdown document belongs to no section and is not imported.";
    UnreadDateRow => "unread-date-row", Warning, "A row of a revisions or relevant-dates table has no readable date or names no section with text; it gives no date.";
    ImportInvalid => "import-invalid", Error, "The imported catalog fails validation (a bug in reqgap).";
    ImportNotRoundTrip => "import-not-round-trip", Error, "The imported catalog does not read back as written (a bug in reqgap).";
    RenderFailed => "render-failed", Error, "An output could not be rendered.";
    // Waiver governance (policy.waivers).
    WaiverTooLong => "waiver-too-long", Error, "A waiver expires later than `policy.waivers.max-duration` allows from today.";
    ApproverIsOwner => "approver-is-owner", Error, "A waiver is approved by the owner of the gap it waives, and `policy.waivers.approver-not-owner` forbids that.";
    // Editing the inventory (migrate, review).
    EditFailed => "edit-failed", Error, "An edit of an inventory file could not be placed or would break the file; nothing was written (a bug in reqgap, or a layout it cannot edit).";
    NoSuchGap => "no-such-gap", Error, "A gap key or pattern given to `review` matches no open needs-review or stale-reference gap.";
    PartialReview => "partial-review", Error, "A review names some but not all of the requirements an old ID carries to (a split); they must be reviewed together.";
    UnfinishedEdit => "unfinished-edit", Error, "An edit of several files (migrate, review, import controls) was interrupted; `reqgap migrate DIR --finish` completes it, `--roll-back` undoes it.";
    ChangedDuringEdit => "changed-during-edit", Error, "A file changed between reqgap reading it and writing its edit; nothing was written.";
    SharedAnchor => "shared-anchor", Error, "An edit would change a value that a YAML alias shares with another entry; nothing was written.";
    LeftoverRemoved => "leftover-removed", Warning, "Temporary files of an edit stopped before it changed anything were removed.";
    // The remediation plan.
    BadPlan => "bad-plan", Error, "A plan entry's gap pattern is malformed (e.g. a bare `*`).";
    PlanMatchesNothing => "plan-matches-nothing", Error, "A plan entry names no open gap: the gap was closed or the key is misspelt.";
    PlanPastDue => "plan-past-due", Warning, "A plan entry is still `planned` after its due date.";
}

impl Serialize for Code {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(self.as_str())
    }
}

impl std::fmt::Display for Code {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

impl PartialEq<&str> for Code {
    fn eq(&self, other: &&str) -> bool {
        self.as_str() == *other
    }
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeSet;

    use super::Code;

    #[test]
    fn codes_unique_and_kebab_case() {
        let mut seen = BTreeSet::new();
        for code in Code::ALL {
            let name = code.as_str();
            assert!(seen.insert(name), "`{name}` is listed twice");
            assert!(
                name.split('-').all(|w| !w.is_empty()
                    && w.bytes()
                        .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit())),
                "`{name}` is not kebab-case"
            );
            assert!(code.description().ends_with('.'), "`{name}` description");
        }
    }
}
