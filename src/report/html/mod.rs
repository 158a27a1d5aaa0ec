//! A self-contained HTML page (no scripts, no external resources) that a team can attach
//! to a ticket or an audit file.

mod check;

use std::fmt::Write as _;
use std::io::Write;

// HTML shares XML's escaping: the XML entities are valid HTML5 too.
use super::{coverage, through, ReportError, Reporter};
use crate::check::CheckReport;
use crate::gaps::coverage::{Listing, Matrix};
use crate::gaps::{GapReport, GapStatus};
use crate::report::table::{
    not_applicable_lines, plan_text, requirement_text, status_text, target_line,
};

pub struct HtmlReporter;

const STYLE: &str = "body{font-family:system-ui,sans-serif;margin:2rem;color:#222}\
table{border-collapse:collapse;width:100%;margin-bottom:2rem}\
th,td{border:1px solid #ccc;padding:.3rem .5rem;text-align:left;vertical-align:top}\
th{background:#f3f3f3}.overdue{color:#a00;font-weight:600}.warning{background:#fff4d6;padding:.5rem}";

impl Reporter for HtmlReporter {
    fn name(&self) -> &'static str {
        "html"
    }

    fn coverage(&self, matrices: &[Matrix], out: &mut dyn Write) -> Result<(), ReportError> {
        Ok(coverage::matrix::html(matrices, out)?)
    }

    fn crosswalk(&self, listing: &Listing, out: &mut dyn Write) -> Result<(), ReportError> {
        Ok(coverage::crosswalk::html(listing, out)?)
    }

    fn gaps(&self, report: &GapReport, out: &mut dyn Write) -> Result<(), ReportError> {
        let mut page = String::new();
        let title = format!("Gap analysis: {}", escape(&report.organisation));
        let _ = write!(
            page,
            "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n<title>{title}</title>\n<style>{STYLE}</style>\n</head>\n<body>\n<h1>{title}</h1>\n<p>As of {}.</p>\n<ul>\n",
            report.today
        );
        for target in &report.targets {
            let _ = write!(page, "<li>{}", escape(&target_line(target)));
            let declared = not_applicable_lines(target);
            if !declared.is_empty() {
                page.push_str("<ul>");
                for line in declared {
                    let _ = write!(page, "<li>{}</li>", escape(&line));
                }
                page.push_str("</ul>");
            }
            page.push_str("</li>\n");
        }
        page.push_str("</ul>\n<table>\n<tr><th>Kind</th><th>Gaps</th></tr>\n");
        for (kind, n) in report.counts.iter().filter(|(_, n)| **n > 0) {
            let _ = writeln!(page, "<tr><td>{kind}</td><td>{n}</td></tr>");
        }
        let _ = writeln!(
            page,
            "<tr><th>overdue</th><th>{}</th></tr>\n</table>",
            report.overdue
        );
        for warning in &report.warnings {
            let _ = writeln!(
                page,
                "<p class=\"warning\">Warning: {}</p>",
                escape(warning)
            );
        }
        through_tables(report, &mut page);
        owner_tables(report, &mut page);
        page.push_str("</body>\n</html>\n");
        out.write_all(page.as_bytes())?;
        Ok(())
    }

    fn check(&self, report: &CheckReport, out: &mut dyn Write) -> Result<(), ReportError> {
        out.write_all(check::page(report).as_bytes())?;
        Ok(())
    }
}

/// Per target, the requirements met through crosswalks with their paths.
fn through_tables(report: &GapReport, page: &mut String) {
    for target in &report.targets {
        let Some(heading) = through::heading(target) else {
            continue;
        };
        let _ = writeln!(page, "<h2>{}</h2>", escape(&heading));
        page.push_str("<table>\n<tr><th>Requirement</th><th>How</th><th>Paths</th></tr>\n");
        for entry in through::entries(target) {
            let mut lines: Vec<String> = entry.paths.iter().map(|p| escape(p)).collect();
            lines.extend(entry.missing.as_deref().map(escape));
            let _ = writeln!(
                page,
                "<tr><td>{}</td><td>{}</td><td>{}</td></tr>",
                escape(&entry.id),
                entry.state,
                lines.join("<br>")
            );
        }
        page.push_str("</table>\n");
    }
}

fn owner_tables(report: &GapReport, page: &mut String) {
    for (owner, gaps) in report.by_owner() {
        let heading = match owner {
            None => "Unassigned".to_owned(),
            Some(id) => format!("{} ({id})", report.owner_name(id)),
        };
        let _ = writeln!(page, "<h2>{}</h2>", escape(&heading));
        page.push_str("<table>\n<tr><th>Due</th><th>Status</th><th>Severity</th><th>Kind</th><th>Requirement</th><th>Control</th><th>Details</th></tr>\n");
        for gap in gaps {
            let class = if gap.status == GapStatus::Overdue {
                " class=\"overdue\""
            } else {
                ""
            };
            let control = gap
                .control
                .as_ref()
                .map_or_else(|| "-".to_owned(), ToString::to_string);
            let plan =
                plan_text(gap).map_or_else(String::new, |p| format!(" <em>[{}]</em>", escape(&p)));
            let _ = writeln!(
                page,
                "<tr id=\"{}\"><td>{}</td><td{class}>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td><strong>{}</strong>: {}{plan}</td></tr>",
                escape(&gap.key.to_string()),
                gap.due,
                escape(&status_text(gap)),
                gap.severity,
                gap.kind,
                escape(&requirement_text(gap)),
                escape(&control),
                escape(&gap.title),
                escape(&gap.message),
            );
        }
        page.push_str("</table>\n");
    }
}

/// Escapes text for HTML content and attributes; characters XML 1.0 cannot carry at all
/// (most control characters) become U+FFFD, so the page also parses as XHTML.
pub fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            '\t' | '\n' | '\r' => out.push(c),
            c if (c as u32) < 0x20 || c == '\u{FFFE}' || c == '\u{FFFF}' => out.push('\u{FFFD}'),
            c => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::escape;

    #[test]
    fn escapes_markup_and_quotes() {
        assert_eq!(
            escape("<a href=\"x\">Tom & 'Jerry'</a>"),
            "&lt;a href=&quot;x&quot;&gt;Tom &amp; &apos;Jerry&apos;&lt;/a&gt;"
        );
    }
}
