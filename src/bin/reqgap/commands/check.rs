//! `reqgap check`: validation, gap analysis, then the policy; exit 1 when it fails.

use std::io::Write;

use reqgap::check::{self, Verdict};
use reqgap::diag::Diagnostics;
use reqgap::report::{self, Format, Style};
use reqgap::source::{baseline, write::write_atomic};

use crate::cli::{today, CheckArgs, GlobalArgs};
use crate::output::{style, Failure, Outcome};

pub fn run(global: &GlobalArgs, args: &CheckArgs) -> Result<Outcome, Failure> {
    let today = today(args.today);
    let mut problems = Diagnostics::new();
    let baseline = match args.baseline.as_deref().map(baseline::load).transpose() {
        Ok(b) => b,
        Err(d) => {
            problems.extend(d);
            None
        }
    };
    let analysed = match super::gaps::analyse(global, &args.dir, today) {
        Ok(analysed) if !problems.has_errors() => analysed,
        Ok(_) => return Err(Failure::Input(problems)),
        Err(d) => {
            problems.extend(d);
            return Err(Failure::Input(problems.sorted()));
        }
    };
    let report = analysed.check(baseline.as_ref());
    let style = match args.output {
        Some(_) => Style::default(),
        None => style(global.color),
    };
    let mut rendered = Vec::new();
    report::reporter(args.format, style).check(&report, &mut rendered)?;
    if args.format == Format::Github {
        append_step_summary(&report)?;
    }
    let mut stdout = std::io::stdout().lock();
    match &args.output {
        Some(path) => {
            write_atomic(path, &rendered).map_err(|e| {
                Failure::Input(reqgap::source::write::write_diagnostic(path, &e).into())
            })?;
            writeln!(stdout, "{}", report.summary_line())?;
        }
        None => stdout.write_all(&rendered)?,
    }
    stdout.flush()?;
    Ok(match report.verdict {
        Verdict::Pass => Outcome::Success,
        Verdict::Fail => Outcome::PolicyFailed,
    })
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
