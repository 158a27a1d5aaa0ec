//! The management report as an Excel workbook (rust_xlsxwriter): a Summary sheet with the
//! figures of the executive summary, a Gaps sheet with typed columns (dates as dates),
//! frozen header, autofilter and overdue rows coloured, rank and severity order as numbers to
//! sort by), a New-in-edition sheet, a Trend sheet, and one sheet per owner; every sheet
//! prints on A4 landscape, one page wide.

use std::collections::BTreeSet;
use std::io;

use chrono::Datelike;
use rust_xlsxwriter::{
    Color, ConditionalFormatFormula, DocProperties, ExcelDateTime, Format, Workbook, Worksheet,
    XlsxError,
};

use crate::gaps::Gap;
use crate::model::OwnerId;
use crate::summary::{ManagementReport, TargetBrief, SEVERITIES};

/// Excel's limit on a sheet name's length.
const SHEET_NAME_CHARS: usize = 31;
/// Excel's limit on the characters of one cell.
const CELL_CHARS: usize = 32_767;

const GAP_COLUMNS: [(&str, f64); 21] = [
    ("Key", 44.0),
    ("Severity", 9.0),
    ("Kind", 17.0),
    ("Status", 9.0),
    ("Due", 11.0),
    ("Owner", 12.0),
    ("Owner name", 22.0),
    ("Escalates to", 24.0),
    ("Target", 22.0),
    ("Requirement", 16.0),
    ("Clause", 8.0),
    ("Level", 8.0),
    ("Control", 14.0),
    ("New in edition", 14.0),
    ("Title", 40.0),
    ("What to do", 70.0),
    // After the text columns, so that the overdue formula's `$D` stays the status column.
    ("Rank", 7.0),
    ("Severity order", 9.0),
    ("Days overdue", 9.0),
    ("Plan", 20.0),
    ("Ticket", 24.0),
];

/// The workbook's bytes.
pub fn render(report: &ManagementReport) -> io::Result<Vec<u8>> {
    build(report).map_err(io::Error::other)
}

fn build(report: &ManagementReport) -> Result<Vec<u8>, XlsxError> {
    let mut workbook = Workbook::new();
    // Deflate level 2 instead of the default 6: a workbook that lists every gap twice (all
    // gaps, then one sheet per owner) spent about a fifth of its time compressing, and the
    // faster level changes only the size of the zip, never the sheets inside.
    workbook.set_zip_compression_level(2);
    // The creation time is the analysis date, so the same input gives the same file.
    let created = excel_date(report.today)?;
    workbook.set_properties(
        &DocProperties::new()
            .set_title(format!("Compliance report: {}", report.organisation))
            .set_creation_datetime(&created),
    );
    let styles = Styles::new();
    let mut names = SheetNames::default();
    summary(workbook.add_worksheet(), report, &styles, &mut names)?;
    const GAPS_SHEET: usize = 1;
    workbook.add_worksheet().set_name(names.claim("Gaps"))?;
    edition(workbook.add_worksheet(), report, &styles, &mut names)?;
    if report
        .targets
        .iter()
        .any(|t| !t.summary.through_crosswalks.is_empty())
    {
        crosswalk_paths(workbook.add_worksheet(), report, &styles, &mut names)?;
    }
    trend(workbook.add_worksheet(), report, &styles, &mut names)?;
    for owner in &report.owners {
        let sheet = workbook.add_worksheet();
        sheet.set_name(names.claim(&owner_sheet_name(owner)))?;
    }
    let sheets = workbook.worksheets_mut();
    let first_owner = sheets.len() - report.owners.len();
    let (before, owner_sheets) = sheets.split_at_mut(first_owner);
    gap_sheets(&mut before[GAPS_SHEET], owner_sheets, report, &styles)?;
    let bytes = workbook.save_to_buffer();
    // Freeing the cells of a workbook that lists every gap twice takes about a tenth of
    // its making: a thread of its own does it while the caller writes the bytes.
    let _ = std::thread::Builder::new().spawn(move || drop(workbook));
    bytes
}

/// Fills the sheet of all gaps and, on a second thread, the sheets of each owner's gaps:
/// together they list every gap twice, most of a large workbook's cells. The workbook
/// numbers the strings of all sheets when it is saved, so the order of filling reaches no
/// byte of the file.
fn gap_sheets(
    all: &mut Worksheet,
    owner_sheets: &mut [Worksheet],
    report: &ManagementReport,
    styles: &Styles,
) -> Result<(), XlsxError> {
    std::thread::scope(|scope| {
        let owners = scope.spawn(|| {
            for (sheet, owner) in owner_sheets.iter_mut().zip(&report.owners) {
                gap_sheet(sheet, report, owner.gaps.iter().copied(), styles)?;
            }
            Ok(())
        });
        gap_sheet(all, report, 0..report.gaps.len(), styles)?;
        owners
            .join()
            .unwrap_or_else(|panic| std::panic::resume_unwind(panic))
    })
}

struct Styles {
    bold: Format,
    header: Format,
    date: Format,
    percent: Format,
    overdue: Format,
}

impl Styles {
    fn new() -> Self {
        Styles {
            bold: Format::new().set_bold(),
            header: Format::new()
                .set_bold()
                .set_background_color(Color::RGB(0xE7E9ED)),
            date: Format::new().set_num_format("yyyy-mm-dd"),
            percent: Format::new().set_num_format("0.0%"),
            overdue: Format::new()
                .set_background_color(Color::RGB(0xFFC7CE))
                .set_font_color(Color::RGB(0x9C0006)),
        }
    }
}

fn excel_date(date: chrono::NaiveDate) -> Result<ExcelDateTime, XlsxError> {
    // Years outside 1900–9999 are refused by validation long before a report is written.
    let year = u16::try_from(date.year()).unwrap_or(1900);
    ExcelDateTime::from_ymd(year, date.month() as u8, date.day() as u8)
}

fn text(sheet: &mut Worksheet, row: u32, col: u16, value: &str) -> Result<(), XlsxError> {
    if value.is_empty() {
        return Ok(());
    }
    let value = match value.char_indices().nth(CELL_CHARS) {
        Some((cut, _)) => &value[..cut],
        None => value,
    };
    sheet.write_string(row, col, value)?;
    Ok(())
}

fn number(sheet: &mut Worksheet, row: u32, col: u16, value: usize) -> Result<(), XlsxError> {
    sheet.write_number(row, col, value as f64)?;
    Ok(())
}

fn header(
    sheet: &mut Worksheet,
    row: u32,
    titles: &[&str],
    styles: &Styles,
) -> Result<(), XlsxError> {
    for (col, title) in (0u16..).zip(titles) {
        sheet.write_string_with_format(row, col, *title, &styles.header)?;
    }
    Ok(())
}

const SUMMARY_COLUMNS: [&str; 18] = [
    "Target",
    "Title",
    "Due",
    "Requirements",
    "Covered",
    "Coverage",
    "Partial",
    "To review",
    "Uncovered",
    "Open gaps",
    "Overdue",
    "High",
    "Medium",
    "Low",
    "Info",
    "New since last report",
    "Resolved since last report",
    "New in edition",
];

fn summary(
    sheet: &mut Worksheet,
    report: &ManagementReport,
    styles: &Styles,
    names: &mut SheetNames,
) -> Result<(), XlsxError> {
    sheet.set_name(names.claim("Summary"))?;
    sheet.write_string_with_format(
        0,
        0,
        format!("Compliance report: {}", report.organisation),
        &styles.bold,
    )?;
    sheet.write_string(1, 0, "As of")?;
    sheet.write_datetime_with_format(1, 1, excel_date(report.today)?, &styles.date)?;
    header(sheet, 3, &SUMMARY_COLUMNS, styles)?;
    for (row, target) in (4u32..).zip(&report.targets) {
        summary_row(sheet, row, report, target, styles)?;
    }
    let last = 4 + report.targets.len() as u32;
    sheet.write_string_with_format(last + 1, 0, "All gaps", &styles.bold)?;
    let counts = report.counts();
    number(sheet, last + 1, 9, counts.total_open())?;
    number(sheet, last + 1, 10, counts.total_overdue())?;
    for (col, severity) in (11u16..).zip(SEVERITIES) {
        number(
            sheet,
            last + 1,
            col,
            counts.open.get(&severity).copied().unwrap_or(0),
        )?;
    }
    if let Some(movement) = &report.since_last {
        number(sheet, last + 1, 15, movement.new)?;
        number(sheet, last + 1, 16, movement.resolved)?;
        sheet.write_string(last + 2, 0, "Last report")?;
        sheet.write_datetime_with_format(last + 2, 1, excel_date(movement.since)?, &styles.date)?;
    }
    print_setup(sheet, 3)?;
    sheet.set_column_width(0, 26)?;
    sheet.set_column_width(1, 36)?;
    sheet.set_column_width(2, 11)?;
    Ok(())
}

fn summary_row(
    sheet: &mut Worksheet,
    row: u32,
    report: &ManagementReport,
    target: &TargetBrief,
    styles: &Styles,
) -> Result<(), XlsxError> {
    let s = &target.summary;
    text(sheet, row, 0, &s.catalog.to_string())?;
    text(sheet, row, 1, &s.title)?;
    sheet.write_datetime_with_format(row, 2, excel_date(s.due)?, &styles.date)?;
    number(sheet, row, 3, s.requirements)?;
    number(sheet, row, 4, s.covered)?;
    sheet.write_number_with_format(row, 5, s.coverage_percent / 100.0, &styles.percent)?;
    number(sheet, row, 6, s.partial)?;
    number(sheet, row, 7, s.needs_review)?;
    number(sheet, row, 8, s.uncovered)?;
    number(sheet, row, 9, target.counts.total_open())?;
    number(sheet, row, 10, target.counts.total_overdue())?;
    for (col, severity) in (11u16..).zip(SEVERITIES) {
        number(
            sheet,
            row,
            col,
            target.counts.open.get(&severity).copied().unwrap_or(0),
        )?;
    }
    if let Some(movement) = &target.since_last {
        number(sheet, row, 15, movement.new)?;
        number(sheet, row, 16, movement.resolved)?;
    }
    let edition = report
        .new_in_edition
        .iter()
        .filter(|i| i.requirement.catalog == s.catalog)
        .count();
    number(sheet, row, 17, edition)
}

/// The gaps at `ranks` (indices into the report's ranked gaps), one row each.
fn gap_sheet(
    sheet: &mut Worksheet,
    report: &ManagementReport,
    ranks: impl Iterator<Item = usize>,
    styles: &Styles,
) -> Result<(), XlsxError> {
    let titles: Vec<&str> = GAP_COLUMNS.iter().map(|(t, _)| *t).collect();
    header(sheet, 0, &titles, styles)?;
    for (col, (_, width)) in (0u16..).zip(GAP_COLUMNS) {
        sheet.set_column_width(col, width)?;
    }
    let mut rows = 0u32;
    for (row, rank) in (1u32..).zip(ranks) {
        gap_row(sheet, row, report, rank, styles)?;
        rows = row;
    }
    let last_col = GAP_COLUMNS.len() as u16 - 1;
    print_setup(sheet, 0)?;
    sheet.set_freeze_panes(1, 0)?;
    sheet.autofilter(0, 0, rows.max(1), last_col)?;
    if rows > 0 {
        let overdue = ConditionalFormatFormula::new()
            .set_rule("=$D2=\"overdue\"")
            .set_format(&styles.overdue);
        sheet.add_conditional_format(1, 0, rows, last_col, &overdue)?;
    }
    Ok(())
}

fn gap_row(
    sheet: &mut Worksheet,
    row: u32,
    report: &ManagementReport,
    rank: usize,
    styles: &Styles,
) -> Result<(), XlsxError> {
    let gap: &Gap = &report.gaps[rank];
    let owner_name = gap.owner.as_ref().map(|o| report.owner_name(o));
    let escalation: Vec<&str> = gap.escalation.iter().map(OwnerId::as_str).collect();
    let optional = |value: Option<String>| value.unwrap_or_default();
    text(sheet, row, 0, &gap.key.to_string())?;
    text(sheet, row, 1, gap.severity.as_str())?;
    text(sheet, row, 2, gap.kind.code())?;
    text(sheet, row, 3, gap.status.as_str())?;
    sheet.write_datetime_with_format(row, 4, excel_date(gap.due)?, &styles.date)?;
    text(
        sheet,
        row,
        5,
        &optional(gap.owner.as_ref().map(ToString::to_string)),
    )?;
    text(sheet, row, 6, owner_name.unwrap_or_default())?;
    text(sheet, row, 7, &escalation.join(" > "))?;
    text(
        sheet,
        row,
        8,
        &optional(gap.target.as_ref().map(ToString::to_string)),
    )?;
    text(
        sheet,
        row,
        9,
        &optional(gap.requirement.as_ref().map(|r| r.id.to_string())),
    )?;
    text(sheet, row, 10, gap.section.as_deref().unwrap_or_default())?;
    text(sheet, row, 11, &optional(gap.level.map(|l| l.to_string())))?;
    text(
        sheet,
        row,
        12,
        &optional(gap.control.as_ref().map(ToString::to_string)),
    )?;
    text(
        sheet,
        row,
        13,
        gap.new_in.as_ref().map_or("", |n| n.change.as_str()),
    )?;
    text(sheet, row, 14, &gap.title)?;
    text(sheet, row, 15, &gap.message)?;
    number(sheet, row, 16, rank + 1)?;
    let severity_order = SEVERITIES
        .iter()
        .position(|s| *s == gap.severity)
        .unwrap_or(0);
    number(sheet, row, 17, severity_order + 1)?;
    number(
        sheet,
        row,
        18,
        usize::try_from(report.days_overdue(gap)).unwrap_or(0),
    )?;
    if let Some(plan) = &gap.plan {
        text(sheet, row, 19, plan.status.as_str())?;
        text(sheet, row, 20, plan.ticket.as_deref().unwrap_or_default())?;
    }
    Ok(())
}

/// A4, landscape, one page wide, the header row repeated on every page: the workbook
/// prints as readably as the HTML page.
fn print_setup(sheet: &mut Worksheet, header_row: u32) -> Result<(), XlsxError> {
    const A4: u8 = 9;
    sheet.set_paper_size(A4);
    sheet.set_landscape();
    sheet.set_print_fit_to_pages(1, 0);
    sheet.set_repeat_rows(header_row, header_row)?;
    Ok(())
}

/// An owner's sheet: the display name when it fits Excel's 31 characters, else the owner ID
/// (unique, and usually short), so that two long names cut alike stay apart.
fn owner_sheet_name(owner: &crate::summary::OwnerBrief) -> String {
    match &owner.owner {
        Some(id) if owner.name.chars().count() > SHEET_NAME_CHARS => id.to_string(),
        _ => owner.name.clone(),
    }
}

const TREND_COLUMNS: [(&str, f64); 4] = [
    ("Date", 12.0),
    ("Open", 9.0),
    ("Overdue", 9.0),
    ("This report", 12.0),
];

/// Open and overdue gaps per run of the history and this run, dates as dates.
fn trend(
    sheet: &mut Worksheet,
    report: &ManagementReport,
    styles: &Styles,
    names: &mut SheetNames,
) -> Result<(), XlsxError> {
    named_table(sheet, "Trend", &TREND_COLUMNS, styles, names)?;
    for (row, point) in (1u32..).zip(&report.trend) {
        sheet.write_datetime_with_format(row, 0, excel_date(point.date)?, &styles.date)?;
        number(sheet, row, 1, point.open)?;
        number(sheet, row, 2, point.overdue)?;
        text(sheet, row, 3, if point.current { "yes" } else { "" })?;
    }
    sheet.set_freeze_panes(1, 0)?;
    print_setup(sheet, 0)
}

const EDITION_COLUMNS: [(&str, f64); 12] = [
    ("Target", 22.0),
    ("Since", 22.0),
    ("Requirement", 16.0),
    ("Clause", 8.0),
    ("Change", 9.0),
    ("Level", 8.0),
    ("Status", 13.0),
    ("Owner", 22.0),
    ("Gaps", 44.0),
    ("Title", 60.0),
    // Standards with a revision table: the ballots that changed the requirement since
    // `Since`, and when its earliest open gap is due.
    ("Ballots", 44.0),
    ("Due", 11.0),
];

/// Names a sheet and writes its header row and column widths.
fn named_table(
    sheet: &mut Worksheet,
    name: &str,
    columns: &[(&str, f64)],
    styles: &Styles,
    names: &mut SheetNames,
) -> Result<(), XlsxError> {
    sheet.set_name(names.claim(name))?;
    let titles: Vec<&str> = columns.iter().map(|(t, _)| *t).collect();
    header(sheet, 0, &titles, styles)?;
    for (col, (_, width)) in (0u16..).zip(columns) {
        sheet.set_column_width(col, *width)?;
    }
    Ok(())
}

fn edition(
    sheet: &mut Worksheet,
    report: &ManagementReport,
    styles: &Styles,
    names: &mut SheetNames,
) -> Result<(), XlsxError> {
    named_table(sheet, "New in edition", &EDITION_COLUMNS, styles, names)?;
    let mut rows = 0;
    for (row, item) in (1u32..).zip(&report.new_in_edition) {
        let keys: Vec<String> = item.gaps.iter().map(ToString::to_string).collect();
        text(sheet, row, 0, &item.requirement.catalog.to_string())?;
        text(sheet, row, 1, &item.new_in.since.to_string())?;
        text(sheet, row, 2, item.requirement.id.as_str())?;
        text(sheet, row, 3, item.section.as_str())?;
        text(sheet, row, 4, item.new_in.change.as_str())?;
        text(sheet, row, 5, &item.level.to_string())?;
        text(sheet, row, 6, item.state.as_str())?;
        text(
            sheet,
            row,
            7,
            item.owner.as_ref().map_or("", |o| report.owner_name(o)),
        )?;
        text(sheet, row, 8, &keys.join(", "))?;
        text(sheet, row, 9, &item.title)?;
        if !item.new_in.ballots.is_empty() {
            text(
                sheet,
                row,
                10,
                &super::markdown::ballot_list(&item.new_in.ballots),
            )?;
        }
        if let Some(due) = item.due {
            sheet.write_datetime_with_format(row, 11, excel_date(due)?, &styles.date)?;
        }
        rows = row;
    }
    sheet.set_freeze_panes(1, 0)?;
    sheet.autofilter(0, 0, rows.max(1), EDITION_COLUMNS.len() as u16 - 1)?;
    print_setup(sheet, 0)
}

const CROSSWALK_COLUMNS: [(&str, f64); 5] = [
    ("Target", 26.0),
    ("Requirement", 16.0),
    ("Met", 9.0),
    ("Path", 90.0),
    ("Missing", 60.0),
];

/// Every requirement met through crosswalks, one row per path (all of them, unlike the
/// capped lists of the HTML), with the pieces a partial claim still lacks.
fn crosswalk_paths(
    sheet: &mut Worksheet,
    report: &ManagementReport,
    styles: &Styles,
    names: &mut SheetNames,
) -> Result<(), XlsxError> {
    use crate::gaps::coverage::path_compact;
    use crate::gaps::crosswalk::ThroughState;
    named_table(sheet, "Crosswalk paths", &CROSSWALK_COLUMNS, styles, names)?;
    let mut row = 0u32;
    for target in &report.targets {
        for through in &target.summary.through_crosswalks {
            let met = match through.through.state {
                ThroughState::Covered => "covered",
                ThroughState::Partial => "partial",
                ThroughState::None => "not met",
            };
            let missing: Vec<String> = through
                .through
                .missing
                .iter()
                .map(ToString::to_string)
                .collect();
            let paths: Vec<String> = through.through.paths.iter().map(path_compact).collect();
            for path in paths.iter().map(String::as_str).chain(
                // A claim without a path still gets its row.
                paths.is_empty().then_some(""),
            ) {
                row += 1;
                text(sheet, row, 0, &target.summary.catalog.to_string())?;
                text(sheet, row, 1, through.requirement.id.as_str())?;
                text(sheet, row, 2, met)?;
                text(sheet, row, 3, path)?;
                text(sheet, row, 4, &missing.join(", "))?;
            }
        }
    }
    sheet.set_freeze_panes(1, 0)?;
    sheet.autofilter(0, 0, row.max(1), CROSSWALK_COLUMNS.len() as u16 - 1)?;
    Ok(())
}

/// Sheet names Excel accepts: at most 31 characters, none of `[]:*?/\`, not starting or
/// ending with an apostrophe, not the reserved `History`, and unique ignoring case.
#[derive(Default)]
pub struct SheetNames {
    taken: BTreeSet<String>,
}

impl SheetNames {
    /// A sheet name for `wanted` that Excel accepts and no earlier sheet has: cut to fit,
    /// with ` (2)`, ` (3)`, … where two names would clash.
    pub fn claim(&mut self, wanted: &str) -> String {
        let base = sanitise(wanted);
        let mut name = base.clone();
        let mut n = 2;
        while self.taken.contains(&name.to_lowercase()) || name.eq_ignore_ascii_case("history") {
            let suffix = format!(" ({n})");
            let room = SHEET_NAME_CHARS - suffix.chars().count();
            name = format!(
                "{}{suffix}",
                base.chars().take(room).collect::<String>().trim_end()
            );
            n += 1;
        }
        self.taken.insert(name.to_lowercase());
        name
    }
}

fn sanitise(wanted: &str) -> String {
    let cleaned: String = wanted
        .chars()
        .map(|c| match c {
            '[' | ']' | ':' | '*' | '?' | '/' | '\\' => '_',
            c if c.is_control() => ' ',
            c => c,
        })
        .collect();
    let trimmed = cleaned.trim().trim_matches('\'').trim();
    let short: String = trimmed.chars().take(SHEET_NAME_CHARS).collect();
    let short = short.trim_end().trim_end_matches('\'').to_owned();
    if short.is_empty() {
        "Owner".to_owned()
    } else {
        short
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sheet_names_are_legal_and_unique() {
        let mut names = SheetNames::default();
        assert_eq!(names.claim("Summary"), "Summary");
        assert_eq!(names.claim("summary"), "summary (2)");
        assert_eq!(names.claim("R&D [lab]: a/b\\c*?"), "R&D _lab__ a_b_c__");
        assert_eq!(names.claim("'quoted'"), "quoted");
        assert_eq!(names.claim("History"), "History (2)");
        assert_eq!(names.claim(""), "Owner");
        let long = "Chief Information Security Officer of the Group";
        let first = names.claim(long);
        let second = names.claim(long);
        assert_eq!(first.chars().count(), 31);
        assert!(
            second.chars().count() <= 31 && second.ends_with(" (2)"),
            "{second}"
        );
        assert_ne!(first, second);
    }
}
