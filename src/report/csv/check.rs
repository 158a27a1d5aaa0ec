use std::io::Write;

use super::gaps::{fields, HEADER};
use super::record;
use crate::check::CheckReport;
use crate::report::ReportError;

/// The gap columns of `gaps --format csv`, then what the policy made of each gap: its
/// outcome, the rule it breaks and the waiver that decided. Every gap is listed, notes
/// included, so a spreadsheet can filter by outcome.
pub(super) fn report(
    report: &CheckReport,
    delimiter: char,
    out: &mut dyn Write,
) -> Result<(), ReportError> {
    let mut header: Vec<String> = HEADER.map(str::to_owned).to_vec();
    header.extend(["outcome", "rule", "waiver", "waiver_expires"].map(str::to_owned));
    record(out, delimiter, &header)?;
    for checked in &report.gaps {
        let mut row = fields(&checked.gap, &report.owners);
        row.push(checked.outcome.as_str().to_owned());
        row.push(
            checked
                .rule
                .map(|r| r.code().to_owned())
                .unwrap_or_default(),
        );
        row.push(
            checked
                .waiver
                .as_ref()
                .map(|w| w.gap.clone())
                .unwrap_or_default(),
        );
        row.push(
            checked
                .waiver
                .as_ref()
                .map(|w| w.expires.to_string())
                .unwrap_or_default(),
        );
        record(out, delimiter, &row)?;
    }
    Ok(())
}
