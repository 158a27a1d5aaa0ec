use chrono::NaiveDate;
use reqgap::diag::{Code, Diagnostic, Diagnostics};
use reqgap::gaps::{self, DiffBridge, GapReport, GapStatus};
use reqgap::model::OwnerId;
use reqgap::report::{self, Format, InputErrors};
use reqgap::source::inventory::{self, LoadedInventory};
use reqgap::source::transition::TransitionSet;
use reqgap::suggest::nearest;

use super::emit;
use crate::cli::{today, GapsArgs, GapsFormat, GlobalArgs};
use crate::output::{warn, Failure, Outcome};

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
    let today = today(args.today);
    let loaded = inventory::load(&args.dir, &global.catalog_dirs, today)?;
    check_owner_arguments(args, &loaded)?;
    warn(&loaded.catalogs.warnings);
    warn(&loaded.warnings);
    let mut report = analyse(global, &loaded, today)?;
    report.filter(args.owner.as_deref(), &args.kind);
    filter_escalation(&mut report, args);
    emit(global, |style, out| {
        Ok(report::reporter(args.format.into(), *style).gaps(&report, out)?)
    })?;
    Ok(Outcome::Success)
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
fn check_owner_arguments(args: &GapsArgs, loaded: &LoadedInventory) -> Result<(), Failure> {
    let known: Vec<String> = loaded
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

/// The gap analysis of a loaded inventory: its catalogs, the transition files (bundled,
/// `--mappings` folders and those its reqgap.yaml names) and the diff engine between versions.
pub fn analyse(
    global: &GlobalArgs,
    loaded: &LoadedInventory,
    today: NaiveDate,
) -> Result<GapReport, Failure> {
    let mut mapping_dirs = global.mapping_dirs.clone();
    mapping_dirs.extend(loaded.mapping_dirs.iter().cloned());
    let transitions = TransitionSet::load(&mapping_dirs, &loaded.catalogs)?;
    let bridge = DiffBridge::new(&transitions);
    Ok(gaps::analyse(
        &loaded.inventory,
        &loaded.catalogs,
        &bridge,
        today,
    )?)
}
