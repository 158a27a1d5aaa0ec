//! The `coverage` and `crosswalk` views: a target's coverage matrix, each requirement with
//! how it is met and the paths that justify it, and the listing of a crosswalk with what
//! maps to nothing on either side. Each format's [`Reporter`](super::Reporter) calls the
//! renderer here for its format.

pub(crate) mod crosswalk;
pub(crate) mod matrix;

/// The page every HTML view opens with, titled `title`.
fn html_head(title: &str) -> String {
    format!(
        "<!DOCTYPE html>\n<html lang=\"en\">\n<head><meta charset=\"utf-8\"><title>{title}</title></head>\n<body>"
    )
}

/// The items as one comma-separated line.
fn joined(items: &[impl ToString]) -> String {
    items
        .iter()
        .map(ToString::to_string)
        .collect::<Vec<_>>()
        .join(", ")
}

/// Text for HTML: markup as entities, control characters visible.
fn escape(text: &str) -> String {
    super::sanitize::visible_controls(text)
        .replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}
