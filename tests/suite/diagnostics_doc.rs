//! docs/diagnostics.md is the user-facing list of diagnostic codes: it must list exactly the
//! registry's codes, in its order, with the same description and severity.

use reqgap::diag::Code;

#[test]
fn docs_list_every_code_with_its_description_and_severity() {
    let docs = std::fs::read_to_string("docs/diagnostics.md").expect("docs/diagnostics.md");
    let mut documented = Vec::new();
    let mut lines = docs.lines().peekable();
    while let Some(line) = lines.next() {
        let Some(code) = line
            .strip_prefix("### `")
            .and_then(|rest| rest.strip_suffix('`'))
        else {
            continue;
        };
        let body: Vec<&str> = lines
            .by_ref()
            .take_while(|l| !l.starts_with("- Example:"))
            .collect();
        documented.push((code.to_owned(), body.join("\n")));
    }
    let names: Vec<&str> = documented.iter().map(|(c, _)| c.as_str()).collect();
    let registry: Vec<&str> = Code::ALL.iter().map(|c| c.as_str()).collect();
    assert_eq!(
        names, registry,
        "docs/diagnostics.md and src/diag/codes.rs differ"
    );
    for (code, (_, body)) in Code::ALL.iter().zip(&documented) {
        assert!(
            body.contains(code.description()),
            "{code}: description differs"
        );
        let severity = format!("- Severity: {}", code.default_severity());
        assert!(body.contains(&severity), "{code}: severity differs");
    }
}
