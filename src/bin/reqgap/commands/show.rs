use std::borrow::Cow;
use std::path::Path;

use reqgap::diag::{Code, Diagnostic};
use reqgap::model::{provenance_warning, CatalogSet};
use reqgap::model::{Catalog, Requirement};
use reqgap::report::{self, CatalogView};
use reqgap::source::catalog::load_file;
use reqgap::suggest::nearest;

use super::{emit, load_catalogs};
use crate::cli::{GlobalArgs, ShowArgs};
use crate::output::{warn, Failure, Outcome};

pub fn run(global: &GlobalArgs, args: &ShowArgs) -> Result<Outcome, Failure> {
    let set = load_catalogs(global)?;
    let (spec, named_id) = split_requirement_name(&args.catalog);
    let catalog = resolve_catalog(&set, spec)?;
    let catalog = catalog.as_ref();
    let ids: Vec<&str> = named_id
        .into_iter()
        .chain(args.ids.iter().map(String::as_str))
        .collect();
    let selected = select(catalog, &ids)?;
    warn(&provenance_warning(catalog).into_iter().collect::<Vec<_>>());
    let view = CatalogView { catalog, selected };
    emit(global, |style, out| {
        Ok(report::reporter(args.format.into(), *style).catalog(&view, out)?)
    })?;
    Ok(Outcome::Success)
}

/// A catalog argument is a known `<standard>@<version>` (or `<standard>`), or a path to a
/// catalog file.
pub fn resolve_catalog<'a>(set: &'a CatalogSet, spec: &str) -> Result<Cow<'a, Catalog>, Failure> {
    let looks_like_path = spec.ends_with(".yaml") || spec.ends_with(".yml") || spec.contains('/');
    if looks_like_path && Path::new(spec).exists() {
        return Ok(Cow::Owned(load_file(Path::new(spec))?));
    }
    Ok(Cow::Borrowed(set.resolve(spec)?))
}

/// `etsi-en-319-401@3.2.1:REQ-7.9.3-01`, as reports print it, is a catalog and one ID;
/// anything else (a catalog name or a file) is left whole.
fn split_requirement_name(spec: &str) -> (&str, Option<&str>) {
    if Path::new(spec).exists() {
        return (spec, None);
    }
    match spec
        .split_once('@')
        .and_then(|(_, version)| version.split_once(':'))
    {
        Some((_, id)) if !id.is_empty() => (&spec[..spec.len() - id.len() - 1], Some(id)),
        _ => (spec, None),
    }
}

/// An ID argument: a bare ID, or a full name that must name this catalog.
fn bare_id<'a>(catalog: &Catalog, id: &'a str) -> Result<&'a str, reqgap::diag::Diagnostic> {
    let (catalog_part, bare) = match split_requirement_name(id) {
        (catalog_part, Some(bare)) => (catalog_part, bare),
        (_, None) => return Ok(id),
    };
    if catalog_part == catalog.key().to_string() {
        return Ok(bare);
    }
    Err(Diagnostic::error(
        reqgap::diag::Code::UnknownRequirement,
        format!(
            "`{id}` names a requirement of {catalog_part}, but the catalog shown is {}",
            catalog.key()
        ),
    )
    .note(format!("help: run `reqgap show {id}`")))
}

fn select<'a>(catalog: &'a Catalog, ids: &[&str]) -> Result<Vec<&'a Requirement>, Failure> {
    let known: Vec<String> = catalog
        .requirements
        .iter()
        .map(|r| r.id.to_string())
        .collect();
    let mut selected = Vec::new();
    let mut problems = reqgap::diag::Diagnostics::new();
    for id in ids {
        let id = match bare_id(catalog, id) {
            Ok(id) => id,
            Err(d) => {
                problems.push(d);
                continue;
            }
        };
        match catalog.requirement(id) {
            Some(requirement) => selected.push(requirement),
            None => {
                let mut d = Diagnostic::error(
                    Code::UnknownRequirement,
                    format!("{} has no requirement `{id}`", catalog.key()),
                );
                if let Some(best) = nearest(id, &known) {
                    d = d.note(format!("help: did you mean `{best}`?"));
                }
                problems.push(d);
            }
        }
    }
    problems.into_result(selected).map_err(Failure::from)
}
