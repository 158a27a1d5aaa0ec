//! The text of a diagnostic, laid out by annotate-snippets (the renderer rustc and cargo
//! use) the way compilers show errors.
//!
//! Two things stay ours. Input text is escaped before the crate sees it
//! ([`visible_controls`]): a file must not put terminal escapes into a CI log, and the
//! crate trusts note text. And a location quotes only a window of a long line
//! ([`Snippet`]), so the column the crate counts within the quoted text is not the file's
//! column once the window is cut on the left or an escape stands before the mark: the
//! header keeps the location's own `path:line:column`.

use std::borrow::Cow;
use std::ops::Range;

use annotate_snippets::{AnnotationKind, Element, Group, Level, Origin, Renderer};

use super::{Diagnostic, Location, Severity, Snippet};
use crate::visible::visible_controls;

/// Plain text (no colour, as every diagnostic reqgap writes), wider than any quoted window
/// so that the renderer never cuts a line a second time.
const RENDERER: Renderer = Renderer::plain().term_width(1 << 12);

/// Renders one diagnostic the way compilers do, with every related place under the main
/// one:
///
/// ```text
/// error[duplicate-id]: control `GOV-01` is defined twice
///   --> inv/controls/b.yaml:20:9
///    |
/// 20 |   - id: GOV-01
///    |         ^^^^^^
///    |
///   ::: inv/controls/a.yaml:7:9
///    |
///  7 |   - id: GOV-01
///    |         ------ first defined here
/// ```
pub fn render(diagnostic: &Diagnostic) -> String {
    let places: Vec<Place> = diagnostic
        .location
        .iter()
        .map(|location| Place::of(location, ""))
        .chain(
            diagnostic
                .related
                .iter()
                .map(|related| Place::of(&related.location, &related.label)),
        )
        .collect();
    let notes: Vec<Cow<str>> = diagnostic
        .notes
        .iter()
        .map(|n| visible_controls(n))
        .collect();
    let mut elements: Vec<Element> = Vec::new();
    for (index, place) in places.iter().enumerate() {
        place.push_elements(index == 0, &mut elements);
    }
    elements.extend(
        notes
            .iter()
            .map(|n| Level::NOTE.no_name().message(&**n).into()),
    );
    let message = visible_controls(&diagnostic.message);
    let title = level(diagnostic.severity)
        .primary_title(&*message)
        .id(diagnostic.code.as_str());
    let report = [Group::with_title(title).elements(elements)];
    let rendered = RENDERER.render(&report);
    let mut out = with_location_headers(&rendered, &places);
    out.push('\n');
    out
}

fn level(severity: Severity) -> Level<'static> {
    match severity {
        Severity::Error => Level::ERROR,
        Severity::Warning => Level::WARNING,
        Severity::Note => Level::NOTE,
    }
}

/// One place of a diagnostic as handed to the renderer, escaped.
struct Place<'a> {
    /// `path:line:column` as the header must show it.
    header: String,
    /// The path, for the crate to put in the header it writes over a quoted line.
    path: String,
    /// What the place is ("first defined here"); empty for the main place.
    label: Cow<'a, str>,
    quote: Option<Quote>,
}

/// A quoted source line and the part of it marked.
struct Quote {
    line: usize,
    text: String,
    span: Range<usize>,
}

impl<'a> Place<'a> {
    fn of(location: &Location, label: &'a str) -> Self {
        Place {
            header: visible_controls(&location.display()).into_owned(),
            path: visible_controls(&location.path).into_owned(),
            label: visible_controls(label),
            quote: Quote::of(location),
        }
    }

    /// A quoted line with its mark under the header, or the header alone (and the label
    /// as a note) when there is no line to quote.
    fn push_elements(&'a self, main: bool, elements: &mut Vec<Element<'a>>) {
        let Some(quote) = &self.quote else {
            elements.push(Origin::path(&*self.header).into());
            if !self.label.is_empty() {
                elements.push(Level::NOTE.no_name().message(&*self.label).into());
            }
            return;
        };
        let kind = if main {
            AnnotationKind::Primary
        } else {
            AnnotationKind::Context
        };
        let mut mark = kind.span(quote.span.clone());
        if !self.label.is_empty() {
            mark = mark.label(&*self.label);
        }
        let snippet = annotate_snippets::Snippet::source(&*quote.text)
            .line_start(quote.line)
            .path(&*self.path)
            .fold(false)
            .annotation(mark);
        elements.push(snippet.into());
    }

    /// The header the crate writes over the quoted line: the column it counts in the
    /// quoted text.
    fn crate_header(&self) -> Option<String> {
        let quote = self.quote.as_ref()?;
        let column = quote.text[..quote.span.start].chars().count() + 1;
        Some(format!("{}:{}:{column}", self.path, quote.line))
    }
}

impl Quote {
    /// The escaped window of the location's line and the bytes of it under the mark: the
    /// location's `width` characters from its column, at least one, none past the end.
    fn of(location: &Location) -> Option<Quote> {
        let (Some(line), Some(Snippet { text, column }), Some(_)) =
            (location.line, &location.snippet, location.column)
        else {
            return None;
        };
        let column = (*column)?;
        let chars: Vec<char> = text.chars().collect();
        let start = column.saturating_sub(1).min(chars.len());
        let end = (start + location.width.max(1)).min(chars.len());
        let escaped = |range: Range<usize>| -> String {
            visible_controls(&chars[range].iter().collect::<String>()).into_owned()
        };
        let (before, under) = (escaped(0..start), escaped(start..end));
        let span = before.len()..before.len() + under.len();
        Some(Quote {
            line,
            text: before + &under + &escaped(end..chars.len()),
            span,
        })
    }
}

/// `rendered` with the header over every quoted line replaced by the place's own
/// `path:line:column`, in order of the places.
fn with_location_headers(rendered: &str, places: &[Place]) -> String {
    let mut fixes = places
        .iter()
        .filter_map(|p| Some((p.crate_header()?, &p.header)))
        .peekable();
    let mut out = String::with_capacity(rendered.len());
    for (index, line) in rendered.split('\n').enumerate() {
        if index > 0 {
            out.push('\n');
        }
        let body = line.trim_start();
        let is_header = |(wrong, _): &(String, &String)| {
            ["--> ", "::: "]
                .iter()
                .any(|marker| body.strip_prefix(marker) == Some(wrong.as_str()))
        };
        match fixes.next_if(is_header) {
            Some((wrong, right)) => {
                out.push_str(&line[..line.len() - wrong.len()]);
                out.push_str(right);
            }
            None => out.push_str(line),
        }
    }
    out
}
