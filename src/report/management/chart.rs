//! The report's charts as SVG, written through maud (so every label is escaped). Each has a
//! `title` and `desc` for screen readers; the HTML report puts the numbers in a table too.

use maud::{html, Markup};

use crate::summary::{SectionBar, TrendPoint};

const BAR_HEIGHT: f64 = 16.0;
const BAR_GAP: f64 = 6.0;
/// Room for the clause number and its title (`7.9 Incident management`), cut to fit.
const LABEL_WIDTH: f64 = 230.0;
const LABEL_CHARS: usize = 36;
const BAR_WIDTH: f64 = 300.0;
const NUMBER_WIDTH: f64 = 90.0;

pub const COVERED: &str = "#2e7d32";
pub const PARTIAL: &str = "#f9a825";
pub const REVIEW: &str = "#1565c0";
pub const UNCOVERED: &str = "#c62828";

/// One stacked bar per clause: covered, partial, to review, uncovered, as shares of the
/// clause's requirements.
pub fn coverage_bars(bars: &[SectionBar], id: &str) -> Markup {
    let width = LABEL_WIDTH + BAR_WIDTH + NUMBER_WIDTH;
    let height = bars.len() as f64 * (BAR_HEIGHT + BAR_GAP) + BAR_GAP;
    let description: Vec<String> = bars
        .iter()
        .map(|b| {
            format!(
                "clause {}: {} of {} covered, {} partial, {} to review, {} uncovered",
                b.clause, b.covered, b.total, b.partial, b.needs_review, b.uncovered
            )
        })
        .collect();
    html! {
        svg class="chart" role="img" aria-labelledby=(format!("{id}-title {id}-desc"))
            viewBox=(format!("0 0 {width} {height}")) width=(width) height=(height)
            font-family="system-ui, sans-serif" font-size="11" {
            title id=(format!("{id}-title")) { "Coverage by clause" }
            desc id=(format!("{id}-desc")) { (description.join("; ")) }
            @for (row, bar) in bars.iter().enumerate() {
                @let y = BAR_GAP + row as f64 * (BAR_HEIGHT + BAR_GAP);
                text x=(LABEL_WIDTH - 6.0) y=(y + 12.0) text-anchor="end" fill="#222" { title { (bar.clause) " " (bar.title) } (clause_label(bar)) }
                rect x=(LABEL_WIDTH) y=(y) width=(BAR_WIDTH) height=(BAR_HEIGHT) fill="#f1f1f1" {}
                @for (x, w, colour, what, n) in segments(bar) {
                    rect x=(x) y=(y) width=(w) height=(BAR_HEIGHT) fill=(colour) {
                        title { (bar.clause) ": " (n) " " (what) }
                    }
                }
                text x=(LABEL_WIDTH + BAR_WIDTH + 6.0) y=(y + 12.0) fill="#222" {
                    (bar.covered) "/" (bar.total) " (" (percent(bar.covered, bar.total)) ")"
                }
            }
        }
    }
}

fn segments(bar: &SectionBar) -> Vec<(f64, f64, &'static str, &'static str, usize)> {
    let total = bar.total.max(1) as f64;
    let mut x = LABEL_WIDTH;
    let mut out = Vec::new();
    for (n, colour, what) in [
        (bar.covered, COVERED, "covered"),
        (bar.partial, PARTIAL, "partial"),
        (bar.needs_review, REVIEW, "to review"),
        (bar.uncovered, UNCOVERED, "uncovered"),
    ] {
        if n == 0 {
            continue;
        }
        let w = BAR_WIDTH * n as f64 / total;
        out.push((round(x), round(w), colour, what, n));
        x += w;
    }
    out
}

/// `7.9 Incident management`, shortened with an ellipsis to fit the label column (the full
/// title is the label's tooltip and is in the table behind the chart).
fn clause_label(bar: &SectionBar) -> String {
    let label = format!("{} {}", bar.clause, bar.title);
    let label = label.trim_end();
    if label.chars().count() <= LABEL_CHARS {
        return label.to_owned();
    }
    let cut: String = label.chars().take(LABEL_CHARS - 1).collect();
    format!("{}…", cut.trim_end())
}

/// `12.5%`, rounded down to one decimal like the coverage figures of the gap report.
pub fn percent(part: usize, total: usize) -> String {
    match (part * 1000).checked_div(total) {
        Some(permille) => format!("{:.1}%", permille as f64 / 10.0),
        None => "–".to_owned(),
    }
}

fn round(value: f64) -> f64 {
    (value * 10.0).round() / 10.0
}

const PLOT_LEFT: f64 = 50.0;
const PLOT_TOP: f64 = 12.0;
const PLOT_WIDTH: f64 = 520.0;
const PLOT_HEIGHT: f64 = 180.0;

/// Open and overdue gaps over time, one point per run.
pub fn trend_lines(points: &[TrendPoint], id: &str) -> Markup {
    // Room right of the plot for the last date label, centred on its point.
    let width = PLOT_LEFT + PLOT_WIDTH + 40.0;
    let height = PLOT_TOP + PLOT_HEIGHT + 40.0;
    let top = points
        .iter()
        .map(|p| p.open.max(p.overdue))
        .max()
        .unwrap_or(0)
        .max(1);
    // Points stand at their dates, so a gap of two months between runs looks like one.
    let first = points.first().map(|p| p.date);
    let span = match (first, points.last()) {
        (Some(first), Some(last)) => (last.date - first).num_days().max(1) as f64,
        _ => 1.0,
    };
    let x = |i: usize| {
        let days = first.map_or(0, |f| (points[i].date - f).num_days()) as f64;
        round(PLOT_LEFT + PLOT_WIDTH * days / span)
    };
    let y = |n: usize| round(PLOT_TOP + PLOT_HEIGHT * (1.0 - n as f64 / top as f64));
    let line = |value: fn(&TrendPoint) -> usize| -> String {
        points
            .iter()
            .enumerate()
            .map(|(i, p)| format!("{},{}", x(i), y(value(p))))
            .collect::<Vec<_>>()
            .join(" ")
    };
    let description: Vec<String> = points
        .iter()
        .map(|p| format!("{}: {} open, {} overdue", p.date, p.open, p.overdue))
        .collect();
    let labelled = date_labels(points.len(), x);
    html! {
        svg class="chart" role="img" aria-labelledby=(format!("{id}-title {id}-desc"))
            viewBox=(format!("0 0 {width} {height}")) width=(width) height=(height)
            font-family="system-ui, sans-serif" font-size="11" {
            title id=(format!("{id}-title")) { "Open and overdue gaps over time" }
            desc id=(format!("{id}-desc")) { (description.join("; ")) }
            line x1=(PLOT_LEFT) y1=(PLOT_TOP + PLOT_HEIGHT) x2=(PLOT_LEFT + PLOT_WIDTH) y2=(PLOT_TOP + PLOT_HEIGHT) stroke="#999" {}
            line x1=(PLOT_LEFT) y1=(PLOT_TOP) x2=(PLOT_LEFT) y2=(PLOT_TOP + PLOT_HEIGHT) stroke="#999" {}
            text x=(PLOT_LEFT - 6.0) y=(PLOT_TOP + 4.0) text-anchor="end" fill="#222" { (top) }
            text x=(PLOT_LEFT - 6.0) y=(PLOT_TOP + PLOT_HEIGHT + 4.0) text-anchor="end" fill="#222" { "0" }
            polyline points=(line(|p| p.open)) fill="none" stroke="#37474f" stroke-width="2" {}
            polyline points=(line(|p| p.overdue)) fill="none" stroke=(UNCOVERED) stroke-width="2" stroke-dasharray="5 3" {}
            @for (i, point) in points.iter().enumerate() {
                circle cx=(x(i)) cy=(y(point.open)) r="3" fill="#37474f" { title { (point.date) ": " (point.open) " open" } }
                circle cx=(x(i)) cy=(y(point.overdue)) r="3" fill=(UNCOVERED) { title { (point.date) ": " (point.overdue) " overdue" } }
                @if labelled.contains(&i) {
                    text x=(x(i)) y=(PLOT_TOP + PLOT_HEIGHT + 16.0) text-anchor="middle" fill="#222" { (point.date) }
                }
            }
            rect x=(PLOT_LEFT) y=(height - 14.0) width="12" height="3" fill="#37474f" {}
            text x=(PLOT_LEFT + 16.0) y=(height - 10.0) fill="#222" { "open" }
            rect x=(PLOT_LEFT + 70.0) y=(height - 14.0) width="12" height="3" fill=(UNCOVERED) {}
            text x=(PLOT_LEFT + 86.0) y=(height - 10.0) fill="#222" { "overdue" }
        }
    }
}

/// The points whose date is written under the axis: the first and the last (this run),
/// and between them each one at least a label's width from its labelled neighbours, so that
/// labels never overlap. When the first and last are too close, the last wins.
fn date_labels(count: usize, x: impl Fn(usize) -> f64) -> Vec<usize> {
    const LABEL_ROOM: f64 = 70.0;
    let Some(last) = count.checked_sub(1) else {
        return Vec::new();
    };
    let mut labelled = Vec::new();
    let mut previous = f64::NEG_INFINITY;
    for i in 0..last {
        if x(i) - previous >= LABEL_ROOM && x(last) - x(i) >= LABEL_ROOM {
            labelled.push(i);
            previous = x(i);
        }
    }
    labelled.push(last);
    labelled
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn segments_fill_the_bar_exactly() {
        let bar = SectionBar {
            total: 4,
            covered: 1,
            partial: 1,
            needs_review: 0,
            uncovered: 2,
            ..SectionBar::default()
        };
        let parts = segments(&bar);
        assert_eq!(parts.len(), 3);
        let width: f64 = parts.iter().map(|p| p.1).sum();
        assert!((width - BAR_WIDTH).abs() < 0.5);
        assert_eq!(percent(1, 3), "33.3%");
        assert_eq!(percent(0, 0), "–");
    }

    #[test]
    fn trend_points_stand_at_their_dates() {
        let point = |date: &str| TrendPoint {
            date: chrono::NaiveDate::parse_from_str(date, "%Y-%m-%d").unwrap(),
            open: 1,
            overdue: 0,
            current: false,
        };
        let points = [
            point("2026-01-01"),
            point("2026-01-11"),
            point("2026-04-11"),
        ];
        let svg = trend_lines(&points, "t").into_string();
        // 10 of 100 days: the middle point stands a tenth of the way along the axis.
        let middle = PLOT_LEFT + PLOT_WIDTH / 10.0;
        assert!(svg.contains(&format!("cx=\"{}\"", round(middle))), "{svg}");
        // Its label would overlap the first one's: only the first and last are written.
        assert_eq!(date_labels(3, |i| [0.0, 52.0, 520.0][i]), [0, 2]);
        assert_eq!(date_labels(2, |i| [0.0, 30.0][i]), [1]);
    }

    #[test]
    fn clause_labels_carry_the_title() {
        let bar = |title: &str| SectionBar {
            clause: "7.9".into(),
            title: title.into(),
            ..SectionBar::default()
        };
        assert_eq!(
            clause_label(&bar("Incident management")),
            "7.9 Incident management"
        );
        let long = clause_label(&bar("Business continuity management and a very long tail"));
        assert!(long.ends_with('…') && long.chars().count() <= LABEL_CHARS);
    }
}
