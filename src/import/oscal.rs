//! OSCAL catalogs (model versions 1.0 to 1.1.x, JSON or YAML) → reqgap catalogs.
//!
//! Controls and enhancements, nested at any depth, become requirements; groups become
//! sections. A requirement's text is its `statement` part with the sub-items in order and
//! each parameter insertion rendered the way NIST prints it (`[Assignment: ...]`,
//! `[Selection (one or more): ...]`).
//!
//! The raw types below mirror only the parts of the OSCAL model reqgap uses and, unlike
//! reqgap's own formats, ignore unknown keys: OSCAL has dozens of fields (roles, parties,
//! back-matter, assessment objectives) that have no place in a requirement catalog, and
//! minor OSCAL versions add more.

use std::cell::OnceCell;
use std::collections::{BTreeMap, BTreeSet};

use chrono::NaiveDate;
use serde::de::IgnoredAny;
use serde::{Deserialize, Serialize};

use super::positions::Positions;
use super::{cited_name, origin, slugify, HeaderOverrides, Imported};
use crate::diag::{Code, Diagnostic, Diagnostics, Location, SourceFile};
use crate::model::{
    Catalog, Confidence, Level, Link, LinkRel, Provenance, Requirement, RequirementId, Section,
    SectionId, StandardSlug, Status, Version,
};
use crate::source::catalog::text_problem;
use crate::source::{is_yaml, yaml};

/// How an OSCAL catalog is turned into requirements.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct OscalOptions {
    /// Use printed labels (`AC-2(1)`) as IDs instead of OSCAL ids (`ac-2.1`).
    pub label: bool,
    /// Append each control's guidance part to its text.
    pub with_guidance: bool,
    /// Header values that replace what the catalog says.
    pub header: HeaderOverrides,
}

/// A whole OSCAL document: exactly one of the roots is set. Only `catalog` is imported;
/// the others are named so that the error can say what the file is instead.
#[derive(Debug, Deserialize)]
#[serde(rename_all = "kebab-case")]
struct Document {
    catalog: Option<RawCatalog>,
    profile: Option<IgnoredAny>,
    component_definition: Option<IgnoredAny>,
    system_security_plan: Option<IgnoredAny>,
    assessment_plan: Option<IgnoredAny>,
    assessment_results: Option<IgnoredAny>,
    plan_of_action_and_milestones: Option<IgnoredAny>,
}

#[derive(Debug, Deserialize)]
#[serde(rename_all = "kebab-case")]
struct RawCatalog {
    metadata: Metadata,
    #[serde(default)]
    params: Vec<Param>,
    #[serde(default)]
    controls: Vec<Control>,
    #[serde(default)]
    groups: Vec<Group>,
}

#[derive(Debug, Deserialize)]
#[serde(rename_all = "kebab-case")]
struct Metadata {
    title: String,
    version: crate::source::scalar::Text,
    oscal_version: String,
    last_modified: String,
    published: Option<String>,
}

#[derive(Debug, Deserialize)]
#[serde(rename_all = "kebab-case")]
struct Group {
    id: Option<String>,
    title: String,
    #[serde(default)]
    props: Vec<Prop>,
    #[serde(default)]
    params: Vec<Param>,
    #[serde(default)]
    groups: Vec<Group>,
    #[serde(default)]
    controls: Vec<Control>,
}

#[derive(Debug, Deserialize)]
#[serde(rename_all = "kebab-case")]
struct Control {
    id: String,
    title: String,
    #[serde(default)]
    params: Vec<Param>,
    #[serde(default)]
    props: Vec<Prop>,
    #[serde(default)]
    links: Vec<RawLink>,
    #[serde(default)]
    parts: Vec<Part>,
    #[serde(default)]
    controls: Vec<Control>,
}

#[derive(Debug, Deserialize)]
#[serde(rename_all = "kebab-case")]
struct Param {
    id: String,
    label: Option<String>,
    select: Option<Select>,
    #[serde(default)]
    values: Vec<String>,
    /// What a resolved profile requires of the value (FedRAMP: AC-1 "at least every 3
    /// years"): what distinguishes one baseline from another.
    #[serde(default)]
    constraints: Vec<Constraint>,
}

#[derive(Debug, Deserialize)]
#[serde(rename_all = "kebab-case")]
struct Constraint {
    description: Option<String>,
}

#[derive(Debug, Deserialize)]
#[serde(rename_all = "kebab-case")]
struct Select {
    how_many: Option<String>,
    #[serde(default)]
    choice: Vec<String>,
}

#[derive(Debug, Deserialize)]
#[serde(rename_all = "kebab-case")]
struct Prop {
    name: String,
    value: String,
}

#[derive(Debug, Deserialize)]
#[serde(rename_all = "kebab-case")]
struct RawLink {
    href: String,
    rel: Option<String>,
}

#[derive(Debug, Deserialize)]
#[serde(rename_all = "kebab-case")]
struct Part {
    id: Option<String>,
    name: String,
    #[serde(default)]
    props: Vec<Prop>,
    prose: Option<String>,
    #[serde(default)]
    parts: Vec<Part>,
}

fn prop<'a>(props: &'a [Prop], name: &str) -> Option<&'a str> {
    props
        .iter()
        .find(|p| p.name == name)
        .map(|p| p.value.as_str())
}

/// Whether a control is withdrawn, in every form NIST has used: the `status` prop
/// (`withdrawn` in Rev 5, `Withdrawn` in the Rev 4 OSCAL 1.1.1 catalog, any case), a
/// title that says so (`[Withdrawn: ...]`), or, without a statement, a `moved-to` or
/// `incorporated-into` link, which only a withdrawn control carries.
fn is_withdrawn(control: &Control) -> bool {
    let status = control.props.iter().any(|p| {
        p.name.eq_ignore_ascii_case("status") && p.value.trim().eq_ignore_ascii_case("withdrawn")
    });
    let title = control.title.trim_start().trim_start_matches('[');
    let titled = title
        .get(..9)
        .is_some_and(|t| t.eq_ignore_ascii_case("withdrawn"));
    let has_statement = control
        .parts
        .iter()
        .any(|p| p.name.eq_ignore_ascii_case("statement"));
    let linked = control.links.iter().any(|l| withdrawal_rel(l).is_some());
    status || titled || (linked && !has_statement)
}

/// The relation of a `moved-to` or `incorporated-into` link, in any case.
fn withdrawal_rel(link: &RawLink) -> Option<LinkRel> {
    let rel = link.rel.as_deref()?.trim();
    if rel.eq_ignore_ascii_case("moved-to") {
        Some(LinkRel::MovedTo)
    } else if rel.eq_ignore_ascii_case("incorporated-into") {
        Some(LinkRel::IncorporatedInto)
    } else {
        None
    }
}

/// Imports an OSCAL catalog read from `file` (YAML when the name ends in `.yaml`/`.yml`,
/// else JSON).
pub fn import(file: &SourceFile, options: &OscalOptions) -> Result<Imported, Diagnostics> {
    options.header.validate()?;
    let raw = parse_document(file)?;
    Builder::new(file, options, &raw).build(&raw)
}

fn parse_document(file: &SourceFile) -> Result<RawCatalog, Diagnostics> {
    let document: Document = if is_yaml(std::path::Path::new(&file.path)) {
        yaml::parse::<Document>(file)?.0
    } else if super::oscal_xml::is_xml(&file.text) {
        let value = super::oscal_xml::to_json(file)?;
        serde_json::from_value(value).map_err(|e| {
            Diagnostics::from(
                Diagnostic::error(
                    Code::BadOscal,
                    format!("the OSCAL XML does not follow the OSCAL catalog model: {e}"),
                )
                .at(file.location(1, 1, 1)),
            )
        })?
    } else {
        serde_json::from_str(&file.text).map_err(|e| json_error(file, &e))?
    };
    let other = [
        (document.profile.is_some(), "profile"),
        (
            document.component_definition.is_some(),
            "component definition",
        ),
        (
            document.system_security_plan.is_some(),
            "system security plan",
        ),
        (document.assessment_plan.is_some(), "assessment plan"),
        (document.assessment_results.is_some(), "assessment results"),
        (
            document.plan_of_action_and_milestones.is_some(),
            "plan of action and milestones",
        ),
    ];
    document.catalog.ok_or_else(|| {
        let what = other
            .iter()
            .find(|(present, _)| *present)
            .map_or("no OSCAL document".to_owned(), |(_, name)| {
                format!("an OSCAL {name}")
            });
        Diagnostic::error(
            Code::NotOscalCatalog,
            format!("expected an OSCAL catalog (a top-level `catalog` object), found {what}"),
        )
        .at(file.location(1, 1, 1))
        .note("help: a profile must first be resolved into a catalog, e.g. with oscal-cli")
        .into()
    })
}

fn json_error(file: &SourceFile, error: &serde_json::Error) -> Diagnostics {
    let code = match error.classify() {
        serde_json::error::Category::Syntax | serde_json::error::Category::Eof => Code::NotJson,
        _ => Code::BadOscal,
    };
    let raw = error.to_string();
    let message = match raw.find(" at line ") {
        Some(cut) => raw[..cut].to_owned(),
        None => raw.clone(),
    };
    let location = if error.line() == 0 {
        file.location(1, 1, 1)
    } else {
        file.location(error.line(), error.column().max(1), 1)
    };
    Diagnostic::error(code, message).at(location).into()
}

/// One requirement before IDs are final: links still point at OSCAL ids or part ids.
struct Pending {
    oscal_id: String,
    id: String,
    section: SectionId,
    title: String,
    withdrawn: bool,
    text: String,
    links: Vec<(LinkRel, String)>,
    /// The level the publisher states (a prop, or a modal verb in the text).
    stated_level: Option<Level>,
}

struct Builder<'a> {
    file: &'a SourceFile,
    options: &'a OscalOptions,
    params: BTreeMap<&'a str, &'a Param>,
    /// OSCAL id of every control and of every part inside it → the control's OSCAL id, so
    /// that `incorporated-into: #ac-2_smt.k` resolves to `ac-2`.
    owners: BTreeMap<&'a str, &'a str>,
    /// Group id → title: SP 800-53 incorporates some withdrawn controls into a whole family.
    groups: BTreeMap<&'a str, &'a str>,
    sections: Vec<Section>,
    /// Section id → how often it was declared: a second group of one id is an error.
    section_counts: BTreeMap<String, usize>,
    /// Byte offset after the title of the last group without an id that was located:
    /// groups are visited in document order, so each search starts where the last ended.
    group_cursor: usize,
    group_search_ended: bool,
    pending: Vec<Pending>,
    /// Where each value stands, built at the first finding that needs a place.
    positions: OnceCell<Positions<'a>>,
    warnings: Vec<Diagnostic>,
    errors: Diagnostics,
}

impl<'a> Builder<'a> {
    fn new(file: &'a SourceFile, options: &'a OscalOptions, raw: &'a RawCatalog) -> Self {
        let mut builder = Builder {
            file,
            options,
            params: BTreeMap::new(),
            owners: BTreeMap::new(),
            groups: BTreeMap::new(),
            sections: Vec::new(),
            section_counts: BTreeMap::new(),
            group_cursor: 0,
            group_search_ended: false,
            pending: Vec::new(),
            positions: OnceCell::new(),
            warnings: Vec::new(),
            errors: Diagnostics::new(),
        };
        builder.index_params(&raw.params);
        builder.index_controls(&raw.controls);
        builder.index_groups(&raw.groups);
        builder
    }

    fn index_params(&mut self, params: &'a [Param]) {
        for param in params {
            self.params.insert(&param.id, param);
        }
    }

    fn index_groups(&mut self, groups: &'a [Group]) {
        for group in groups {
            if let Some(id) = &group.id {
                self.groups.insert(id, &group.title);
            }
            self.index_params(&group.params);
            self.index_controls(&group.controls);
            self.index_groups(&group.groups);
        }
    }

    fn index_controls(&mut self, controls: &'a [Control]) {
        for control in controls {
            self.index_params(&control.params);
            self.owners.insert(&control.id, &control.id);
            index_parts(&mut self.owners, &control.parts, &control.id);
            self.index_controls(&control.controls);
        }
    }

    fn build(mut self, raw: &'a RawCatalog) -> Result<Imported, Diagnostics> {
        self.check_oscal_version(&raw.metadata.oscal_version);
        let header = self.header(&raw.metadata);
        for control in &raw.controls {
            // Controls outside any group are their own clause.
            let section = self.section_for(&control.id, &control.title, &control.props);
            self.add_control(control, &section);
        }
        for (i, group) in raw.groups.iter().enumerate() {
            self.add_group(group, None, &format!("g{}", i + 1));
        }
        let requirements = self.resolve();
        let errors = std::mem::take(&mut self.errors);
        // `header` is only missing after an error was recorded.
        let Some((standard, title, version, published)) = errors.into_result(header)? else {
            return Err(
                Diagnostic::error(Code::BadOscal, "the catalog header is incomplete")
                    .at(self.file.location(1, 1, 1))
                    .into(),
            );
        };
        let catalog = Catalog {
            standard,
            source: format!(
                "OSCAL catalog {} (OSCAL {}, last modified {}), imported by reqgap",
                cited_name(&self.file.path),
                raw.metadata.oscal_version,
                raw.metadata.last_modified
            ),
            title,
            version,
            published,
            effective: None,
            supersedes: None,
            provenance: Provenance::Verified,
            sections: self.sections,
            requirements,
            schedule: Default::default(),
            origin: origin(self.file),
        };
        Ok(Imported {
            catalog,
            warnings: super::in_file_order(self.warnings),
        })
    }

    fn check_oscal_version(&mut self, version: &str) {
        if !(version.starts_with("1.0.") || version.starts_with("1.1.")) {
            self.warnings.push(
                Diagnostic::warning(
                    Code::OscalVersion,
                    format!("OSCAL version {version} is not one reqgap was tested with (1.0.x, 1.1.x); check the result"),
                )
                .at(self.find(version, 0)),
            );
        }
    }

    fn header(
        &mut self,
        metadata: &Metadata,
    ) -> Option<(StandardSlug, String, Version, NaiveDate)> {
        let overrides = &self.options.header;
        let title = overrides
            .title
            .clone()
            .unwrap_or_else(|| metadata.title.trim().to_owned());
        let standard = match &overrides.standard {
            Some(slug) => slug.clone(),
            None => self.derived_slug(&metadata.title),
        };
        let version = overrides
            .version
            .clone()
            .unwrap_or_else(|| metadata.version.as_str().trim().to_owned());
        if !Version::is_valid(&version) {
            self.errors.push(
                Diagnostic::error(
                    Code::BadVersion,
                    format!("the catalog's version `{version}` is not a valid reqgap version (letters, digits and . - _ +)"),
                )
                .at(self.find(metadata.version.as_str(), 0))
                .note("help: pass --version to set one, e.g. --version 5.0.1"),
            );
        }
        let published = match overrides.published {
            Some(date) => Some(date),
            None => self.published(metadata),
        };
        Some((
            StandardSlug::new(standard),
            title,
            Version::new(version),
            published?,
        ))
    }

    fn derived_slug(&mut self, title: &str) -> String {
        // "NIST Special Publication 800-53 Revision 5: Security and Privacy Controls..."
        // names the document by what precedes the colon.
        let head = title.split(':').next().unwrap_or(title);
        let slug = slugify(head);
        let at = self.find(title, 0);
        self.warnings.push(
            Diagnostic::warning(
                Code::DerivedSlug,
                format!("standard slug `{slug}` derived from the title; pass --standard to choose one that stays the same across versions"),
            )
            .at(at.clone()),
        );
        if !StandardSlug::is_valid(&slug) {
            self.errors.push(
                Diagnostic::error(
                    Code::BadStandard,
                    format!("no standard slug can be derived from the title `{title}`"),
                )
                .at(at)
                .note("help: pass --standard, e.g. --standard nist-sp-800-53"),
            );
        }
        slug
    }

    fn published(&mut self, metadata: &Metadata) -> Option<NaiveDate> {
        let raw = metadata
            .published
            .as_deref()
            .unwrap_or(&metadata.last_modified);
        let date = raw.get(..10).and_then(crate::source::catalog::parse_date);
        if date.is_none() {
            self.errors.push(
                Diagnostic::error(
                    Code::BadDate,
                    format!("`{raw}` does not start with a date of the form YYYY-MM-DD"),
                )
                .at(self.find(raw, 0))
                .note("help: pass --published YYYY-MM-DD"),
            );
        }
        date
    }

    fn add_group(&mut self, group: &'a Group, parent: Option<&str>, position: &str) {
        let id = match &group.id {
            Some(id) => id.clone(),
            None => {
                let id = self.title_path_id(parent, &group.title, position);
                let at = self.group_title_location(&group.title);
                self.warnings.push(
                    Diagnostic::warning(
                        Code::GroupWithoutId,
                        format!(
                            "group `{}` has no id; its section is called `{id}`, after its title path, so that it keeps its ID when groups are inserted before it",
                            group.title.trim()
                        ),
                    )
                    .at(at),
                );
                id
            }
        };
        let section = self.section_for(&id, &group.title, &group.props);
        for control in &group.controls {
            self.add_control(control, &section);
        }
        for (i, child) in group.groups.iter().enumerate() {
            self.add_group(child, Some(&id), &format!("{position}.{}", i + 1));
        }
    }

    /// The section ID of a group without an id: its parent's ID and its title's slug
    /// (`guidelines-for-email/email-usage`), stable when a publisher inserts a group
    /// before it, as positional IDs (`g8.2.3`) are not. A title with no letters or digits
    /// keeps its position; a second sibling of the same title gets `-2`.
    fn title_path_id(&self, parent: Option<&str>, title: &str, position: &str) -> String {
        let slug = slugify(title);
        let base = match (parent, slug.is_empty()) {
            (_, true) => position.to_owned(),
            (Some(parent), false) => format!("{parent}/{slug}"),
            (None, false) => slug,
        };
        let mut id = base.clone();
        let mut n = 1;
        while self.section_counts.contains_key(&id) {
            n += 1;
            id = format!("{base}-{n}");
        }
        id
    }

    /// Where a group's title stands: the next occurrence after the last group located that
    /// is the value of a `title` key. One pass over the file for all groups together: a
    /// title not found as written (escaped in JSON) ends the search, and it and the groups
    /// after it are placed at the last group found.
    fn group_title_location(&mut self, title: &str) -> Location {
        let text = self.file.text.as_str();
        let mut from = self.group_cursor;
        let searching = !self.group_search_ended;
        while let Some(found) = text
            .get(from..)
            .filter(|_| searching)
            .and_then(|rest| rest.find(title))
        {
            let at = from + found;
            let before = text.get(at.saturating_sub(12)..at).unwrap_or_default();
            from = at + title.len().max(1);
            if before.contains("title") {
                self.group_cursor = from;
                return self.file.location_at_byte(at, title.chars().count());
            }
        }
        self.group_search_ended = true;
        self.file
            .location_at_byte(self.group_cursor.min(text.len()), 1)
    }

    fn section_for(&mut self, id: &str, title: &str, props: &[Prop]) -> SectionId {
        let shown = match (self.options.label, prop(props, "label")) {
            (true, Some(label)) => label,
            _ => id,
        };
        let section = SectionId::new(shown);
        if let Some((code, message)) = crate::source::id_problem("section", shown) {
            // The catalog loader's rule, applied to the input (an imported catalog must read back).
            let at = self.find_id(id, 0);
            self.errors.push(Diagnostic::error(code, message).at(at));
            return section;
        }
        let count = self.section_counts.entry(shown.to_owned()).or_insert(0);
        *count += 1;
        if *count > 1 {
            // A catalog has each section once; the requirements still land in it.
            let nth = *count - 1;
            let at = self.find_id(id, nth);
            self.errors.push(
                Diagnostic::error(
                    Code::DuplicateGroupId,
                    format!("group (or ungrouped control) id `{shown}` occurs more than once"),
                )
                .at(at)
                .note("help: each group of a catalog needs its own id"),
            );
            return section;
        }
        self.sections.push(Section {
            id: section.clone(),
            title: title.trim().to_owned(),
        });
        section
    }

    fn add_control(&mut self, control: &'a Control, section: &SectionId) {
        let withdrawn = is_withdrawn(control);
        let id = self.requirement_id(control);
        let mut text = self.statement(control);
        if text.is_empty() && !withdrawn {
            self.warnings.push(
                Diagnostic::warning(
                    Code::NoStatement,
                    format!(
                        "control `{}` has no statement; its title is used as its text",
                        control.id
                    ),
                )
                .at(self.find(&control.id, 0)),
            );
            text = control.title.trim().to_owned();
        }
        let status = if withdrawn {
            Status::Withdrawn
        } else {
            Status::Active
        };
        if let Some((code, message)) = text_problem(&id, status, &text) {
            self.errors.push(
                Diagnostic::error(code, message)
                    .at(self.find_id(&control.id, 0))
                    .note("help: the control has neither a statement nor a title"),
            );
        }
        let links = control
            .links
            .iter()
            .filter_map(|l| {
                let rel = withdrawal_rel(l)?;
                Some((rel, l.href.trim().to_owned()))
            })
            .collect();
        let stated_level = prop_level(control).or_else(|| text_level(&text));
        self.pending.push(Pending {
            oscal_id: control.id.clone(),
            id,
            section: section.clone(),
            title: control.title.trim().to_owned(),
            withdrawn,
            text,
            links,
            stated_level,
        });
        for child in &control.controls {
            self.add_control(child, section);
        }
    }

    fn requirement_id(&mut self, control: &Control) -> String {
        if !self.options.label {
            return control.id.clone();
        }
        match prop(&control.props, "label") {
            Some(label) => label.to_owned(),
            None => {
                self.warnings.push(
                    Diagnostic::warning(
                        Code::NoLabel,
                        format!(
                            "control `{}` has no `label` prop; its OSCAL id is used",
                            control.id
                        ),
                    )
                    .at(self.find(&control.id, 0)),
                );
                control.id.clone()
            }
        }
    }

    fn statement(&mut self, control: &Control) -> String {
        let mut blocks = Vec::new();
        for part in control.parts.iter().filter(|p| p.name == "statement") {
            blocks.push(self.part_text(part, 0));
        }
        if self.options.with_guidance {
            for part in control.parts.iter().filter(|p| p.name == "guidance") {
                blocks.push(format!("Guidance: {}", self.part_text(part, 0)));
            }
        }
        blocks.retain(|b| !b.trim().is_empty());
        blocks.join("\n\n")
    }

    /// The prose of a part, then its item sub-parts, one per line, each under its printed
    /// label and indented two spaces per level.
    fn part_text(&mut self, part: &Part, depth: usize) -> String {
        let mut lines = Vec::new();
        let indent = "  ".repeat(depth.saturating_sub(1));
        let label = prop(&part.props, "label");
        let prose = part.prose.as_deref().map(|p| self.render_prose(p));
        match (label, prose) {
            (Some(label), Some(prose)) => lines.push(format!("{indent}{label} {}", prose.trim())),
            (Some(label), None) => lines.push(format!("{indent}{label}")),
            (None, Some(prose)) => lines.push(format!("{indent}{}", prose.trim())),
            (None, None) => {}
        }
        for sub in part.parts.iter().filter(|p| p.name == "item") {
            lines.push(self.part_text(sub, depth + 1));
        }
        lines.retain(|l| !l.trim().is_empty());
        lines.join("\n")
    }

    /// Replaces `{{ insert: param, <id> }}` with the parameter's printed form.
    fn render_prose(&mut self, prose: &str) -> String {
        self.render_inserts(prose, 0)
    }

    fn render_inserts(&mut self, prose: &str, depth: usize) -> String {
        let mut out = String::with_capacity(prose.len());
        let mut rest = prose;
        while let Some(start) = rest.find("{{") {
            out.push_str(&rest[..start]);
            let after = &rest[start + 2..];
            let Some(end) = after.find("}}") else {
                out.push_str(&rest[start..]);
                return out;
            };
            let inner = after[..end].trim();
            out.push_str(&self.insertion(inner, depth));
            rest = &after[end + 2..];
        }
        out.push_str(rest);
        out
    }

    fn insertion(&mut self, inner: &str, depth: usize) -> String {
        let target = inner
            .strip_prefix("insert:")
            .and_then(|r| r.trim().strip_prefix("param,"))
            .map(str::trim);
        let Some(param_id) = target else {
            let at = self.find(inner.split_whitespace().last().unwrap_or(inner), 0);
            self.warnings.push(
                Diagnostic::warning(
                    Code::UnknownInsertion,
                    format!("`{{{{ {inner} }}}}` is not a parameter insertion; kept as written"),
                )
                .at(at),
            );
            return format!("{{{{ {inner} }}}}");
        };
        let Some(param) = self.params.get(param_id).copied() else {
            self.warnings.push(
                Diagnostic::warning(
                    Code::UnknownParameter,
                    format!("insertion of unknown parameter `{param_id}`"),
                )
                .at(self.find(param_id, 0)),
            );
            return format!("[Assignment: {param_id}]");
        };
        self.placeholder(param, depth)
    }

    /// A parameter as NIST prints it in SP 800-53: `[Assignment: <label>]` or
    /// `[Selection (one or more): a; b]`. Choices may themselves insert parameters.
    fn placeholder(&mut self, param: &Param, depth: usize) -> String {
        if let Some(select) = &param.select {
            if depth > 8 {
                return format!("[Selection: {}]", param.id);
            }
            let choices: Vec<String> = select
                .choice
                .iter()
                .map(|c| self.render_inserts(c, depth + 1).trim().to_owned())
                .collect();
            let how = match select.how_many.as_deref() {
                Some("one-or-more") => " (one or more)",
                _ => "",
            };
            return format!("[Selection{how}: {}]", choices.join("; "));
        }
        let constraints: Vec<&str> = param
            .constraints
            .iter()
            .filter_map(|c| c.description.as_deref().map(str::trim))
            .filter(|c| !c.is_empty())
            .collect();
        match (
            &param.label,
            param.values.is_empty(),
            constraints.is_empty(),
        ) {
            // Values a profile sets are the text as the baseline reads.
            (_, false, _) => param.values.join(", "),
            (Some(label), true, false) => {
                format!("[Assignment: {}: {}]", label.trim(), constraints.join("; "))
            }
            (None, true, false) => format!("[Assignment: {}]", constraints.join("; ")),
            (Some(label), true, true) => format!("[Assignment: {}]", label.trim()),
            (None, true, true) => format!("[Assignment: {}]", param.id),
        }
    }

    /// Final IDs, duplicate checks and link targets.
    fn resolve(&mut self) -> Vec<Requirement> {
        let final_ids: BTreeMap<&str, &str> = self
            .pending
            .iter()
            .map(|p| (p.oscal_id.as_str(), p.id.as_str()))
            .collect();
        let mut seen: BTreeMap<&str, usize> = BTreeMap::new();
        let mut requirements = Vec::with_capacity(self.pending.len());
        let mut problems = Vec::new();
        let mut warnings = Vec::new();
        for pending in &self.pending {
            if let Some((code, message)) = crate::source::id_problem("requirement", &pending.id) {
                // The catalog loader's rule, applied to the input (an imported catalog must read back).
                let at = self.find_id(&pending.oscal_id, 0);
                problems.push(Diagnostic::error(code, message).at(at));
                continue;
            }
            let count = seen.entry(pending.id.as_str()).or_insert(0);
            *count += 1;
            if *count > 1 {
                problems.push(
                    Diagnostic::error(
                        Code::DuplicateId,
                        format!("control id `{}` occurs more than once", pending.id),
                    )
                    .at(self.find_id(&pending.oscal_id, *count - 1)),
                );
                continue;
            }
            let mut links = Vec::new();
            let mut notes = Vec::new();
            for (index, (rel, written)) in pending.links.iter().enumerate() {
                let href = written.trim_start_matches('#');
                if let Some(title) = self.groups.get(href) {
                    notes.push(group_link_note(*rel, href, title));
                    continue;
                }
                let target = self.owners.get(href).and_then(|owner| final_ids.get(owner));
                match target {
                    Some(target) if *target != pending.id => links.push(Link {
                        rel: *rel,
                        target: RequirementId::new(*target),
                    }),
                    _ => {
                        let same_before = pending.links[..index]
                            .iter()
                            .filter(|(_, earlier)| earlier == written)
                            .count();
                        warnings.push(Diagnostic::warning(
                            Code::UnresolvedLink,
                            format!("`{}` links to `{written}`, which is no control of this catalog; the link is dropped", pending.oscal_id),
                        ).at(self.find_link(written, &pending.oscal_id, same_before)));
                    }
                }
            }
            links.sort();
            links.dedup();
            let mut requirement = to_requirement(pending, links);
            requirement.note = (!notes.is_empty()).then(|| notes.join("; "));
            requirements.push(requirement);
        }
        self.errors.0.extend(problems);
        self.warnings.extend(warnings);
        requirements
    }

    /// Where the `nth` occurrence of `value` stands; line 1 when it cannot be found, so
    /// that every finding names its file and a line.
    fn find(&self, value: &str, nth: usize) -> Location {
        self.positions()
            .value(value, nth)
            .unwrap_or_else(|| self.file.location(1, 1, 1))
    }

    /// Where the `nth` link of `control` to `href` is written: JSON may escape its slashes
    /// (`https:\/\/…`), and when the text cannot be found, the control that holds the link
    /// is the next best place, never the file's first line.
    fn find_link(&self, href: &str, control: &str, nth: usize) -> Location {
        let positions = self.positions();
        positions
            .value_after_id(href, control, nth)
            .or_else(|| positions.value_after_id(&href.replace('/', "\\/"), control, nth))
            .unwrap_or_else(|| self.find_id(control, 0))
    }

    /// Like [`Builder::find`], for the value of an `id` key.
    fn find_id(&self, value: &str, nth: usize) -> Location {
        self.positions()
            .id(value, nth)
            .or_else(|| self.positions().value(value, nth))
            .unwrap_or_else(|| self.file.location(1, 1, 1))
    }

    fn positions(&self) -> &Positions<'a> {
        self.positions.get_or_init(|| Positions::build(self.file))
    }
}

/// A link to a whole group cannot be a requirement link; the catalog keeps it as a note.
fn group_link_note(rel: LinkRel, group: &str, title: &str) -> String {
    let verb = match rel {
        LinkRel::MovedTo => "moved to",
        LinkRel::IncorporatedInto => "incorporated into",
        LinkRel::Related => "related to",
    };
    format!("{verb} the {title} group (`{group}`)")
}

fn index_parts<'a>(owners: &mut BTreeMap<&'a str, &'a str>, parts: &'a [Part], control: &'a str) {
    for part in parts {
        if let Some(id) = &part.id {
            owners.insert(id, control);
        }
        index_parts(owners, &part.parts, control);
    }
}

fn to_requirement(pending: &Pending, links: Vec<Link>) -> Requirement {
    // The level the publisher states wins. Without one: SP 800-53 statements are
    // imperatives without "shall", and every control of a catalog is binding once
    // selected, so active controls are `shall`. Withdrawn ones keep the level the loader
    // derives from their (empty) text.
    let level = if pending.withdrawn {
        Level::from_text(&pending.text)
    } else {
        pending.stated_level.unwrap_or(Level::Shall)
    };
    let level_derived = level == Level::from_text(&pending.text);
    Requirement {
        id: RequirementId::new(pending.id.clone()),
        section: pending.section.clone(),
        title: Some(pending.title.clone()).filter(|t| !t.is_empty()),
        level,
        level_derived,
        markers: BTreeSet::new(),
        confidence: Confidence::Confirmed,
        status: if pending.withdrawn {
            Status::Withdrawn
        } else {
            Status::Active
        },
        text: pending.text.clone(),
        note: None,
        links,
    }
}

/// Names under which publishers state a statement's level in a prop: BSI's
/// Grundschutz++ `modal_verb`, and the names other namespaces use.
const LEVEL_PROPS: [&str; 6] = [
    "modal_verb",
    "modal-verb",
    "modalverb",
    "level",
    "requirement-level",
    "obligation",
];

/// The level stated in a prop of the control or of its statement parts (BSI marks each
/// statement `modal_verb` = `MUSS` / `SOLLTE` / `KANN`); the strongest when parts differ.
fn prop_level(control: &Control) -> Option<Level> {
    fn in_parts(parts: &[Part], found: &mut Vec<Level>) {
        for part in parts
            .iter()
            .filter(|p| p.name == "statement" || p.name == "item")
        {
            found.extend(part.props.iter().filter_map(level_prop));
            in_parts(&part.parts, found);
        }
    }
    let mut found: Vec<Level> = control.props.iter().filter_map(level_prop).collect();
    in_parts(&control.parts, &mut found);
    strongest(found)
}

fn level_prop(prop: &Prop) -> Option<Level> {
    LEVEL_PROPS
        .iter()
        .any(|name| prop.name.eq_ignore_ascii_case(name))
        .then(|| level_word(prop.value.trim(), true))
        .flatten()
}

/// A requirement keyword in English, German or French. In running text only forms that
/// cannot be ordinary words count (`may` and German `kann` are everyday words; `MAY`,
/// `KANN` are the keywords); `props` accepts any case.
fn level_word(word: &str, any_case: bool) -> Option<Level> {
    let upper = word.to_uppercase();
    let keyword = any_case || word == upper;
    match upper.as_str() {
        "SHALL" | "MUST" | "DOIT" | "DOIVENT" => Some(Level::Shall),
        "SHOULD" | "DEVRAIT" | "DEVRAIENT" => Some(Level::Should),
        "REQUIRED" if keyword => Some(Level::Shall),
        "RECOMMENDED" if keyword => Some(Level::Should),
        "MUSS" | "MÜSSEN" if keyword => Some(Level::Shall),
        "SOLL" | "SOLLTE" | "SOLLTEN" if keyword => Some(Level::Should),
        "MAY" | "OPTIONAL" | "KANN" | "KÖNNEN" | "DARF" | "DÜRFEN" if keyword => Some(Level::May),
        "PEUT" | "PEUVENT" => Some(Level::May),
        _ => None,
    }
}

/// The strongest modal verb of a statement's text, in English, German or French.
fn text_level(text: &str) -> Option<Level> {
    strongest(
        text.split(|c: char| !c.is_alphabetic())
            .filter(|w| (3..=10).contains(&w.chars().count()))
            .filter_map(|w| level_word(w, false)),
    )
}

fn strongest(levels: impl IntoIterator<Item = Level>) -> Option<Level> {
    let rank = |l: &Level| match l {
        Level::Shall => 0,
        Level::Should => 1,
        Level::May => 2,
        Level::Informative => 3,
    };
    levels.into_iter().min_by_key(rank)
}

/// A curated transition file (`mappings/<standard>/<from>--<to>.yaml`), written from the
/// withdrawal links of the newer catalog. Mirrors the transition file format read by
/// `reqgap diff`.
#[derive(Clone, Debug, PartialEq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub struct TransitionOut {
    /// The older catalog, `<standard>@<version>`.
    pub from: String,
    /// The newer catalog.
    pub to: String,
    /// Where the correspondences come from (the newer catalog's file).
    pub source: String,
    /// One correspondence per requirement the newer catalog withdraws.
    pub correspondences: Vec<CorrespondenceOut>,
    /// Where the two catalogs' versions or dates disagree with the order given.
    #[serde(skip)]
    pub warnings: Vec<Diagnostic>,
}

/// One correspondence of a transition file.
#[derive(Clone, Debug, PartialEq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub struct CorrespondenceOut {
    /// IDs in the older catalog.
    pub from: Vec<String>,
    /// IDs in the newer catalog (none: withdrawn without successor).
    pub to: Vec<String>,
    /// `equal` (moved to) or `subset-of` (incorporated into).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub relation: Option<&'static str>,
    /// What the link says, for the reader.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
}

/// The transition from `old` to `new`: every requirement active in `old` that `new` marks
/// withdrawn becomes one correspondence to its `moved-to` targets (`equal`) or its
/// `incorporated-into` targets (`subset-of`: the old content is now part of a larger
/// requirement), or to nothing when `new` gives no link. Requirements `new` keeps, adds
/// or already had withdrawn are left to `reqgap diff`.
pub fn transition(
    old: &Catalog,
    new: &Catalog,
    new_source: &str,
) -> Result<TransitionOut, Diagnostics> {
    if old.standard != new.standard {
        return Err(Diagnostic::error(
            Code::StandardMismatch,
            format!(
                "the two catalogs are of different standards (`{}` and `{}`)",
                old.standard, new.standard
            ),
        )
        .at(first_line(new))
        .note("help: pass --standard to give both the same slug")
        .into());
    }
    let warnings = check_order(old, new)?;
    let correspondences = new
        .requirements
        .iter()
        .filter(|r| !r.is_active())
        .filter(|r| {
            old.requirement(r.id.as_str())
                .is_some_and(Requirement::is_active)
        })
        .map(correspondence)
        .collect();
    Ok(TransitionOut {
        from: old.key().to_string(),
        to: new.key().to_string(),
        source: format!(
            "Withdrawal links (moved-to, incorporated-into) of OSCAL catalog {} ({} {}), written by reqgap import oscal --transition",
            cited_name(new_source),
            new.title,
            new.version
        ),
        correspondences,
        warnings,
    })
}

/// The user's argument order says which catalog is older, and is followed: publishers'
/// metadata cannot settle it (NIST's Rev 4 OSCAL file says `published: 2023-10-12`, the
/// day the file was re-issued, later than Rev 5's 2021-06-08). Versions that are both
/// dotted numbers are compared, else the editions' dates, where a version that is a date
/// (Rev 4's `2015-01-22`) is that edition's date; when they disagree with the arguments, a
/// warning says so. Only two catalogs of the same version cannot be ordered at all.
fn check_order(old: &Catalog, new: &Catalog) -> Result<Vec<Diagnostic>, Diagnostics> {
    if old.version == new.version {
        return Err(Diagnostic::error(
            Code::VersionOrder,
            format!(
                "both catalogs have the version {}; a transition needs two editions",
                old.version
            ),
        )
        .at(first_line(new))
        .note("help: pass --version twice to name the two editions")
        .into());
    }
    let numeric = |v: &Version| {
        v.as_str()
            .split('.')
            .all(|p| !p.is_empty() && p.bytes().all(|b| b.is_ascii_digit()))
    };
    let parts = |v: &Version| -> Vec<u64> {
        v.as_str()
            .split('.')
            .map(|p| p.parse().unwrap_or(u64::MAX))
            .collect()
    };
    let (old_date, new_date) = (edition_date(old), edition_date(new));
    let disagreement = if numeric(&old.version) && numeric(&new.version) {
        (parts(&old.version) > parts(&new.version)).then_some("version")
    } else {
        (old_date > new_date).then_some("date")
    };
    let Some(by) = disagreement else {
        return Ok(Vec::new());
    };
    Ok(vec![Diagnostic::warning(
        Code::VersionOrderDisagrees,
        format!(
            "the first catalog ({}, {old_date}) is later by {by} than the second ({}, {new_date}); the order of the arguments is followed: the first is taken as the older",
            old.version, new.version
        ),
    )
    .at(first_line(old))
    .note("help: pass the older catalog first if this was not meant")])
}

/// The date of an edition: its version when that is a date, else its publication date.
fn edition_date(catalog: &Catalog) -> NaiveDate {
    NaiveDate::parse_from_str(catalog.version.as_str(), "%Y-%m-%d").unwrap_or(catalog.published)
}

/// Line 1 of the file a catalog was read from: findings about a whole file.
fn first_line(catalog: &Catalog) -> Location {
    let (crate::model::Origin::File(path) | crate::model::Origin::Bundled(path)) = &catalog.origin;
    Location {
        line: Some(1),
        column: Some(1),
        width: 1,
        ..Location::file(path.clone())
    }
}

fn correspondence(withdrawn: &Requirement) -> CorrespondenceOut {
    let to: Vec<String> = withdrawn
        .links
        .iter()
        .map(|l| l.target.to_string())
        .collect();
    let relation = if to.is_empty() {
        None
    } else if withdrawn.links.iter().all(|l| l.rel == LinkRel::MovedTo) {
        Some("equal")
    } else {
        Some("subset-of")
    };
    let note = to
        .is_empty()
        .then(|| "withdrawn without a moved-to or incorporated-into link".to_owned());
    CorrespondenceOut {
        from: vec![withdrawn.id.to_string()],
        to,
        relation,
        note,
    }
}

/// Renders a transition file as YAML.
pub fn render_transition(transition: &TransitionOut) -> Result<String, Diagnostics> {
    yaml::to_string(transition).map_err(|e| Diagnostic::error(Code::RenderFailed, e).into())
}
