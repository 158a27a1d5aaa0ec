use reqgap::diag::{Code, Diagnostic, Diagnostics};
use reqgap::gaps::{GapReport, GapStatus};
use reqgap::model::OwnerId;
use reqgap::report::{self, Format, InputErrors};
use reqgap::suggest::nearest;
use reqgap::{Analysed, Analysis};

use super::emit;
use crate::cli::{today, GapsArgs, GapsFormat, GlobalArgs};
use std::io::Write;

use crate::output::{leave_to_exit, warn, write_output, Failure, Outcome};

pub fn run(global: &GlobalArgs, args: &GapsArgs) -> Result<Outcome, Failure> {
    match report(global, args) {
        // A tool reading JSON gets JSON, also when the inventory is invalid.
        Err(Failure::Input(problems)) if args.format == GapsFormat::Json => {
            let errors = InputErrors::new("gaps", &problems);
            emit(global, |style, out| {
                Ok(report::reporter(Format::Json, *style).input_errors(&errors, out)?)
            })?;
            Err(Failure::Input(problems))
        }
        other => other,
    }
}

fn report(global: &GlobalArgs, args: &GapsArgs) -> Result<Outcome, Failure> {
    let mut analysed = analyse(global, &args.dir, today(args.today))?;
    check_owner_arguments(args, &analysed)?;
    warn_provenance(&analysed.report);
    let report = &mut analysed.report;
    let kinds: Vec<_> = args.kind.iter().map(|k| k.0).collect();
    report.filter(args.owner.as_deref(), &kinds);
    filter_escalation(report, args);
    match &args.output {
        Some(path) => {
            let mut rendered = Vec::new();
            report::reporter(args.format.into(), report::Style::default())
                .gaps(report, &mut rendered)?;
            write_output(path, &rendered)?;
            let mut stdout = std::io::stdout().lock();
            writeln!(
                stdout,
                "Wrote {} gaps ({} overdue) to {}",
                report.gaps.len(),
                report.overdue,
                path.display()
            )?;
        }
        None => emit(global, |style, out| {
            Ok(report::reporter(args.format.into(), *style).gaps(report, out)?)
        })?,
    }
    leave_to_exit(analysed);
    Ok(Outcome::Success)
}

/// The analysis's provenance warnings (reconstructed catalogs), on standard error like
/// every other warning, so that standard output holds the report alone.
pub fn warn_provenance(report: &GapReport) {
    let warnings: Vec<Diagnostic> = report
        .warnings
        .iter()
        .map(|w| Diagnostic::warning(Code::ReconstructedCatalog, w.clone()))
        .collect();
    warn(&warnings);
}

/// `--overdue` and `--escalated-to`: what is late, and what has reached a given owner
/// (the board sees the items escalated to it, not its own short list).
fn filter_escalation(report: &mut GapReport, args: &GapsArgs) {
    if !args.overdue && args.escalated_to.is_none() {
        return;
    }
    report.gaps.retain(|gap| {
        let overdue = gap.status == GapStatus::Overdue;
        let reaches = args
            .escalated_to
            .as_deref()
            .is_none_or(|to| gap.escalation.iter().any(|o| o.as_str() == to));
        (overdue || !args.overdue) && reaches
    });
    report.recount();
}

/// An owner filter that names nobody would print an empty report, which reads as "no
/// gaps": refuse it, with the nearest known owner and the full list.
fn check_owner_arguments(args: &GapsArgs, analysed: &Analysed) -> Result<(), Failure> {
    let known: Vec<String> = analysed
        .loaded
        .inventory
        .owners
        .keys()
        .map(OwnerId::to_string)
        .collect();
    let mut problems = Diagnostics::new();
    for (flag, value) in [
        ("--owner", &args.owner),
        ("--escalated-to", &args.escalated_to),
    ] {
        let Some(value) = value else { continue };
        if known.iter().any(|k| k == value) {
            continue;
        }
        let mut d = Diagnostic::error(
            Code::UnknownOwner,
            format!("{flag} `{value}`: no such owner in this inventory"),
        );
        if let Some(best) = nearest(value, &known) {
            d = d.note(format!("help: did you mean `{best}`?"));
        }
        problems.push(d.note(format!("known owners: {}", known.join(", "))));
    }
    problems.into_result(()).map_err(Failure::from)
}

/// Runs the analysis of the inventory in `dir` with the global `--catalogs` and
/// `--mappings` folders, and prints its warnings to stderr.
pub fn analyse(
    global: &GlobalArgs,
    dir: &std::path::Path,
    today: chrono::NaiveDate,
) -> Result<Analysed, reqgap::diag::Diagnostics> {
    let analysed = Analysis::new(dir, today)
        .catalogs(global.catalog_dirs.iter().cloned())
        .mappings(global.mapping_dirs.iter().cloned())
        .crosswalks(global.crosswalk_dirs.iter().cloned())
        .path_rule(global.path_rule())
        .run()?;
    warn(&analysed.warnings);
    Ok(analysed)
}
