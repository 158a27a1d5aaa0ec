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
    let catalog = resolve_catalog(&set, &args.catalog)?;
    let catalog = catalog.as_ref();
    let selected = select(catalog, &args.ids)?;
    warn(&provenance_warning(catalog).into_iter().collect::<Vec<_>>());
    let view = CatalogView { catalog, selected };
    emit(global, |style, out| {
        Ok(report::reporter(args.format, *style).catalog(&view, out)?)
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

fn select<'a>(catalog: &'a Catalog, ids: &[String]) -> Result<Vec<&'a Requirement>, Failure> {
    let known: Vec<String> = catalog
        .requirements
        .iter()
        .map(|r| r.id.to_string())
        .collect();
    let mut selected = Vec::new();
    let mut problems = reqgap::diag::Diagnostics::new();
    for id in ids {
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
