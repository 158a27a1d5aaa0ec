//! Writing scalars for files people edit: plain where YAML reads the plain text back as
//! the same string, quoted otherwise. Used by the importers and by inventory edits.

/// `value` as a YAML scalar: plain when that reads back as the same string, else quoted.
pub fn scalar(value: &str) -> String {
    if is_plain_safe(value) {
        value.to_owned()
    } else {
        double_quoted(value)
    }
}

pub fn double_quoted(value: &str) -> String {
    // A JSON string is a valid YAML double-quoted scalar.
    serde_json::to_string(value).unwrap_or_else(|_| format!("\"{value}\""))
}

/// Plain scalars that YAML would read as something other than this string (numbers,
/// booleans, null, dates) or that contain indicators are quoted. Flow indicators are
/// refused too, as the value may stand in a `[...]` list.
fn is_plain_safe(value: &str) -> bool {
    let starts_badly =
        value.starts_with(|c: char| "-?:,[]{}#&*!|>'\"%@`".contains(c) || c.is_whitespace());
    let simple = !value.is_empty()
        && !starts_badly
        && !value.ends_with(|c: char| c.is_whitespace() || c == ':')
        && !value.contains(": ")
        && !value.contains(" #")
        && !value.chars().any(|c| c.is_control() || ",[]{}".contains(c));
    let typed = value.parse::<f64>().is_ok()
        || matches!(
            value.to_ascii_lowercase().as_str(),
            "true" | "false" | "yes" | "no" | "on" | "off" | "null" | "y" | "n" | "~"
        )
        || super::catalog::parse_date(value).is_some();
    simple && !typed
}
