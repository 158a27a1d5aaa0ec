use std::io::Write;
use std::path::Path;

use reqgap::analysis::load_transitions;
use reqgap::diag::Diagnostics;
use reqgap::diff::{diff_versions, CatalogDiff, DiffOptions};
use reqgap::model::{provenance_warning, CatalogSet};
use reqgap::model::{CatalogKey, RequirementId};
use reqgap::report::oscal::transition::diff_mapping;
use reqgap::report::{self, DiffFilter, DiffView};
use reqgap::source::catalog::load_file;
use reqgap::suggest::nearest;

use super::{crosswalk, emit, emit_streaming, load_catalogs};
use crate::cli::{today, DiffArgs, DiffFormat, GlobalArgs};
use crate::output::{leave_to_exit, warn, Failure, Outcome};

/// Candidates listed by `--explain`.
const EXPLAIN_CANDIDATES: usize = 5;

pub fn run(global: &GlobalArgs, args: &DiffArgs) -> Result<Outcome, Failure> {
    let mut set = load_catalogs(global)?;
    let old = resolve(&mut set, &args.old);
    let new = resolve(&mut set, &args.new);
    let (old, new) = match (old, new) {
        (Ok(old), Ok(new)) => (old, new),
        (old, new) => {
            let mut problems = Diagnostics::new();
            for result in [old, new] {
                if let Err(d) = result {
                    problems.extend(d);
                }
            }
            return Err(problems.into());
        }
    };
    if old.standard != new.standard {
        return across_standards(global, args, &set, &old, &new);
    }
    let standards = [old.standard.clone(), new.standard.clone()];
    let transitions = load_transitions(&global.mapping_dirs, &set, standards)?;
    warn(&transitions.warnings);
    for key in [&old, &new] {
        warn(
            &set.get(key)
                .and_then(provenance_warning)
                .into_iter()
                .collect::<Vec<_>>(),
        );
    }
    let options = DiffOptions {
        detect_only: args.detect_only,
        ..DiffOptions::default()
    };
    if args.format == DiffFormat::Oscal {
        refuse_filters(args)?;
    }
    let diff = diff_versions(&set, &transitions, &old, &new, &options)?;
    if let Some(id) = &args.explain {
        return explain(global, args, &set, &diff, id, &options);
    }
    if args.format == DiffFormat::Oscal {
        let Some(document) = diff_mapping(&diff, &transitions, today(args.today)) else {
            return Err(Failure::Usage(format!(
                "nothing to export from {old} to {new}: no curated entry and no changed, renumbered, split or merged requirement joins the two versions, and an OSCAL mapping needs at least one map"
            )));
        };
        emit(global, |_, out| {
            serde_json::to_writer_pretty(&mut *out, &document).map_err(std::io::Error::other)?;
            Ok(writeln!(out)?)
        })?;
        return Ok(Outcome::Success);
    }
    let filter = DiffFilter {
        only: args.only.iter().copied().collect(),
        section: args.section.clone(),
        min_score: args.min_score,
    };
    let view = DiffView::new(&diff, filter);
    // A diff reporter refuses an unsupported format before it writes anything.
    emit_streaming(global, |style, out| {
        Ok(report::reporter(args.format.into(), *style).diff(&view, out)?)
    })?;
    drop(view);
    leave_to_exit((diff, set));
    Ok(Outcome::Success)
}

/// The OSCAL export is the whole transition: the view filters would leave out entries a
/// reader of the mapping cannot tell are missing.
fn refuse_filters(args: &DiffArgs) -> Result<(), Failure> {
    let filters = [
        ("--only", !args.only.is_empty()),
        ("--section", args.section.is_some()),
        ("--min-score", args.min_score.is_some()),
        ("--explain", args.explain.is_some()),
    ];
    match filters.iter().find(|(_, set)| *set) {
        Some((flag, _)) => Err(Failure::Usage(format!(
            "{flag} does not apply to --format oscal, which exports the whole transition (curated entries and detected pairs)"
        ))),
        None => Ok(()),
    }
}

/// `reqgap diff A B` of two different standards: no version diff, but the crosswalk
/// between them, as `reqgap crosswalk A B` shows it (what maps to what, and what maps to
/// nothing), so that gaps in the crosswalk itself are visible.
fn across_standards(
    global: &GlobalArgs,
    args: &DiffArgs,
    set: &CatalogSet,
    old: &CatalogKey,
    new: &CatalogKey,
) -> Result<Outcome, Failure> {
    let version_only = [
        ("--only", !args.only.is_empty()),
        ("--section", args.section.is_some()),
        ("--min-score", args.min_score.is_some()),
        ("--detect-only", args.detect_only),
        ("--explain", args.explain.is_some()),
    ];
    if let Some((flag, _)) = version_only.iter().find(|(_, set)| *set) {
        return Err(Failure::Usage(format!(
            "{flag} applies to a diff between versions of one standard; {old} and {new} are different standards, which `reqgap diff` compares through their crosswalk"
        )));
    }
    if args.format == DiffFormat::Oscal {
        return crosswalk::oscal(global, set, old, new, today(args.today));
    }
    let view = crosswalk::view(global, set, old, new).map_err(|failure| match failure {
        Failure::Usage(why) => Failure::Usage(format!(
            "{old} and {new} are different standards, so `reqgap diff` compares them through their crosswalk, and {why}; `reqgap crosswalk A B` lists a crosswalk, and --crosswalks DIR adds your own"
        )),
        other => other,
    })?;
    emit(global, |style, out| {
        Ok(report::reporter(args.format.into(), *style).crosswalk(&view, out)?)
    })?;
    Ok(Outcome::Success)
}

/// A catalog argument is a known `<standard>@<version>` (or `<standard>`), or a catalog
/// file, which joins the set so that transition files can name it.
fn resolve(set: &mut CatalogSet, spec: &str) -> Result<CatalogKey, Diagnostics> {
    let looks_like_path = spec.ends_with(".yaml") || spec.ends_with(".yml") || spec.contains('/');
    if looks_like_path && Path::new(spec).exists() {
        let catalog = load_file(Path::new(spec))?;
        let key = catalog.key();
        let mut problems = Diagnostics::new();
        let known_same_file = set
            .origin(&key)
            .is_some_and(|origin| origin == catalog.origin);
        if !known_same_file {
            set.add_user(catalog, &mut problems);
        }
        warn(&std::mem::take(&mut set.warnings));
        return problems.into_result(key);
    }
    Ok(set.resolve(spec)?.key())
}

/// `--explain OLD-ID`: the best candidates for one old requirement.
fn explain(
    global: &GlobalArgs,
    args: &DiffArgs,
    set: &CatalogSet,
    diff: &CatalogDiff,
    id: &str,
    options: &DiffOptions,
) -> Result<Outcome, Failure> {
    let (old, new) = (
        set.resolve(&diff.old.to_string())?,
        set.resolve(&diff.new.to_string())?,
    );
    let id = RequirementId::new(id);
    let Some(explanation) = reqgap::diff::explain(diff, old, new, &id, options, EXPLAIN_CANDIDATES)
    else {
        let known: Vec<String> = old
            .active_requirements()
            .map(|r| r.id.to_string())
            .collect();
        let hint =
            nearest(id.as_str(), &known).map_or(String::new(), |n| format!(" (did you mean {n}?)"));
        return Err(Failure::Usage(format!(
            "{id} is not an active requirement of {}{hint}",
            diff.old
        )));
    };
    emit(global, |style, out| {
        Ok(report::diff::write_explanation(
            &explanation,
            args.format.into(),
            *style,
            out,
        )?)
    })?;
    Ok(Outcome::Success)
}
