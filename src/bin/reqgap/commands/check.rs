//! `reqgap check`: validation, gap analysis, then the policy; exit 1 when it fails.

use std::collections::{BTreeMap, BTreeSet};
use std::io::Write;
use std::path::Path;

use reqgap::check::{self, CheckReport, Verdict};
use reqgap::diag::Diagnostics;
use reqgap::model::CatalogSet;
use reqgap::model::{CatalogKey, Origin, Place, RequirementKey};
use reqgap::report::{self, Format, InputErrors, Reporter, Style};
use reqgap::source::baseline;
use reqgap::source::catalog::requirement_places;

use crate::cli::{today, CheckArgs, CheckFormat, GlobalArgs};
use crate::output::{style, write_output, Failure, Outcome};

pub fn run(global: &GlobalArgs, args: &CheckArgs) -> Result<Outcome, Failure> {
    let format = Format::from(args.format);
    let (report, places) = match evaluate(global, args) {
        Ok(evaluated) => evaluated,
        Err(Failure::Input(problems)) if carries_input_errors(args.format) => {
            let errors = InputErrors::new("check", &problems);
            let mut rendered = Vec::new();
            report::reporter(format, Style::default()).input_errors(&errors, &mut rendered)?;
            deliver(args, &rendered, &errors.summary)?;
            return Err(Failure::Input(problems));
        }
        Err(failure) => return Err(failure),
    };
    let style = match args.output {
        Some(_) => Style::default(),
        None => style(global.color),
    };
    let mut rendered = Vec::new();
    reporter(format, style, places).check(&report, &mut rendered)?;
    if format == Format::Github {
        append_step_summary(&report)?;
    }
    deliver(args, &rendered, &report.summary_line())?;
    Ok(match report.verdict {
        Verdict::Pass => Outcome::Success,
        Verdict::Fail => Outcome::PolicyFailed,
    })
}

/// Machine formats report input errors themselves: CI reads their file or annotations,
/// not standard error.
fn carries_input_errors(format: CheckFormat) -> bool {
    matches!(
        format,
        CheckFormat::Json | CheckFormat::Sarif | CheckFormat::Junit | CheckFormat::Github
    )
}

/// The report to `--output` (then the summary line to stdout) or to stdout.
fn deliver(args: &CheckArgs, rendered: &[u8], summary: &str) -> Result<(), Failure> {
    let mut stdout = std::io::stdout().lock();
    match &args.output {
        Some(path) => {
            write_output(path, rendered)?;
            writeln!(stdout, "{summary}")?;
        }
        None => stdout.write_all(rendered)?,
    }
    stdout.flush()?;
    Ok(())
}

fn evaluate(
    global: &GlobalArgs,
    args: &CheckArgs,
) -> Result<(CheckReport, BTreeMap<RequirementKey, Place>), Failure> {
    let today = today(args.today);
    let mut problems = Diagnostics::new();
    let rule = global.path_rule();
    let read_baseline = |path: &Path| {
        rule.admit_file(path)
            .map_err(Diagnostics::from)
            .and_then(|()| baseline::load(path))
    };
    let baseline = match args.baseline.as_deref().map(read_baseline).transpose() {
        Ok(b) => b,
        Err(d) => {
            problems.extend(d);
            None
        }
    };
    let analysed = match super::gaps::analyse(global, &args.dir, today) {
        Ok(analysed) if !problems.has_errors() => analysed,
        Ok(_) => return Err(problems.into()),
        Err(d) => {
            problems.extend(d);
            return Err(problems.sorted().into());
        }
    };
    super::gaps::warn_provenance(&analysed.report);
    let places = if args.format == CheckFormat::Sarif {
        let catalogs = analysed
            .report
            .gaps
            .iter()
            .filter_map(|g| g.requirement.as_ref());
        catalog_places(&analysed.loaded.catalogs, catalogs.map(|r| &r.catalog))
    } else {
        BTreeMap::new()
    };
    Ok((analysed.check(baseline.as_ref()), places))
}

fn reporter(
    format: Format,
    style: Style,
    requirement_places: BTreeMap<RequirementKey, Place>,
) -> Box<dyn Reporter> {
    match format {
        Format::Sarif => report::sarif_reporter(requirement_places),
        _ => report::reporter(format, style),
    }
}

/// Where the requirements of the named catalogs are written, for the catalogs that are
/// files inside the repository (a relative path); bundled catalogs and files elsewhere
/// have no place code scanning could show.
fn catalog_places<'a>(
    catalogs: &CatalogSet,
    keys: impl Iterator<Item = &'a CatalogKey>,
) -> BTreeMap<RequirementKey, Place> {
    let keys: BTreeSet<&CatalogKey> = keys.collect();
    let mut places = BTreeMap::new();
    for key in keys {
        let Some(Origin::File(path)) = catalogs.origin(key) else {
            continue;
        };
        let path = Path::new(&path);
        if path.is_absolute() {
            continue;
        }
        // The catalog was read and validated already; failing to re-read it only costs
        // the related location.
        let Ok(found) = requirement_places(path) else {
            continue;
        };
        for (id, place) in found {
            let requirement = RequirementKey {
                catalog: key.clone(),
                id,
            };
            places.insert(requirement, place);
        }
    }
    places
}

/// GitHub shows the Markdown in `$GITHUB_STEP_SUMMARY` on the run's summary page.
fn append_step_summary(report: &check::CheckReport) -> Result<(), Failure> {
    let Some(path) = std::env::var_os("GITHUB_STEP_SUMMARY").filter(|p| !p.is_empty()) else {
        return Ok(());
    };
    let mut markdown = Vec::new();
    report::reporter(Format::Markdown, Style::default()).check(report, &mut markdown)?;
    let mut file = std::fs::OpenOptions::new()
        .append(true)
        .create(true)
        .open(path)?;
    file.write_all(&markdown)?;
    Ok(())
}
