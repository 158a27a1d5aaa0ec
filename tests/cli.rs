//! Command-line behaviour: one `tests/cmd/*.toml` case per behaviour, each asserting
//! stdout, stderr and the exit code. Regenerate expectations with `TRYCMD=overwrite`.

#[test]
fn cli_cases() {
    trycmd::TestCases::new()
        .env("NO_COLOR", "1")
        // Piped output wraps to COLUMNS; pin it so a developer's shell cannot change
        // the expectations.
        .env("COLUMNS", "100")
        .case("tests/cmd/*.toml");
}
