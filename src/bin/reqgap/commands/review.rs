//! `reqgap review DIR GAP-KEY… --by OWNER [--note TEXT]`: record that mappings were
//! reviewed against the target version, editing the control files in place (all or none).

use std::io::Write;
use std::path::PathBuf;

use chrono::NaiveDate;
use clap::Args;
use reqgap::edit::review::{self, Request};

use super::migrate::commit;
use crate::cli::{parse_date, today, GlobalArgs};
use crate::output::{Failure, Outcome};

#[derive(Debug, Args)]
pub struct ReviewArgs {
    /// The inventory folder (the one with reqgap.yaml).
    #[arg(value_name = "DIR")]
    pub dir: PathBuf,

    /// Keys of the needs-review (or stale-reference) gaps that were reviewed, as `gaps`
    /// prints them; a trailing `*` matches every key that starts with what precedes it.
    /// For a not-applicable decision due for review, reqgap.yaml records today's date as
    /// its `reviewed` and the reviewer as its `approved-by`.
    #[arg(required = true, value_name = "GAP-KEY")]
    pub keys: Vec<String>,

    /// The owner who reviewed the mappings (an ID from the owners file).
    #[arg(long, value_name = "OWNER")]
    pub by: String,

    /// What the review found, recorded in the mapping's note (for a not-applicable
    /// decision, in a comment above its `reviewed` date).
    #[arg(long, value_name = "TEXT")]
    pub note: Option<String>,

    /// Print the changes as a unified diff and write nothing.
    #[arg(long)]
    pub dry_run: bool,

    /// The date of the review (YYYY-MM-DD); default: today.
    #[arg(long, value_name = "DATE", value_parser = parse_date)]
    pub today: Option<NaiveDate>,
}

pub fn run(global: &GlobalArgs, args: &ReviewArgs) -> Result<Outcome, Failure> {
    let today = today(args.today);
    let analysed = super::gaps::analyse(global, &args.dir, today)?;
    super::gaps::warn_provenance(&analysed.report);
    let loaded = &analysed.loaded;
    let report = &analysed.report;
    let bridge = analysed.bridge();
    let request = Request {
        patterns: &args.keys,
        by: &args.by,
        note: args.note.as_deref(),
        today,
    };
    let review = review::plan(
        &loaded.inventory,
        &loaded.catalogs,
        &bridge,
        report,
        &request,
    )?;
    let mut out = std::io::stdout().lock();
    if args.dry_run {
        out.write_all(review.changes.unified_diff().as_bytes())?;
    } else {
        commit(&review.changes, &super::migrate::edit_folder(&args.dir))?;
    }
    let files = review.changes.files.len();
    writeln!(
        out,
        "Reviewed by {} on {today}: {} gap{} closed; {} {files} file{}{}",
        args.by,
        review.closed.len(),
        if review.closed.len() == 1 { "" } else { "s" },
        if args.dry_run {
            "would change"
        } else {
            "changed"
        },
        if files == 1 { "" } else { "s" },
        if args.dry_run {
            " (dry run: nothing written)"
        } else {
            ""
        },
    )?;
    for key in &review.closed {
        writeln!(out, "  {key}")?;
    }
    super::migrate::write_plan_followed(&mut out, &review.plan, args.dry_run)?;
    Ok(Outcome::Success)
}
