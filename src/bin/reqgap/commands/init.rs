//! `reqgap init DIR --organisation NAME --target STD@VER [--owner ID]`: a commented
//! starter inventory that validates and runs, so that nobody starts by copying the example.

use std::io::Write;
use std::path::{Path, PathBuf};

use chrono::NaiveDate;
use clap::Args;
use reqgap::edit::text::scalar;
use reqgap::model::{Catalog, CatalogKey};
use reqgap::source::write::write_atomic_checked;

use crate::cli::{parse_date, today, GlobalArgs};
use crate::output::{Failure, Outcome};

#[derive(Debug, Args)]
pub struct InitArgs {
    /// The folder to create (it may exist if it is empty).
    #[arg(value_name = "DIR")]
    pub dir: PathBuf,

    /// The organisation's name, shown in report headers.
    #[arg(long, value_name = "NAME")]
    pub organisation: String,

    /// The standard version to meet, `<standard>@<version>`, e.g. etsi-en-319-401@3.2.1.
    #[arg(long, value_name = "STD@VER")]
    pub target: String,

    /// ID of the first owner, who owns the example control and uncovered requirements.
    #[arg(long, value_name = "ID", default_value = "compliance-officer")]
    pub owner: String,

    /// The date the example evidence was reviewed (YYYY-MM-DD); default: today.
    #[arg(long, value_name = "DATE", value_parser = parse_date)]
    pub today: Option<NaiveDate>,
}

/// The files of a starter inventory, relative to its folder.
const FILES: [&str; 5] = [
    "reqgap.yaml",
    "owners.yaml",
    "controls/example.yaml",
    ".gitignore",
    "ci/github-actions.yml",
];

pub fn run(global: &GlobalArgs, args: &InitArgs) -> Result<Outcome, Failure> {
    let catalogs = super::load_catalogs(global)?;
    let key: CatalogKey = args.target.parse().map_err(|_| {
        Failure::Usage(format!(
            "--target {}: expected <standard>@<version>, e.g. etsi-en-319-401@3.2.1",
            args.target
        ))
    })?;
    let Some(catalog) = catalogs.get(&key) else {
        return Err(Failure::Usage(format!(
            "--target {key}: no such catalog; `reqgap catalogs` lists the known ones"
        )));
    };
    check_owner_id(&args.owner)?;
    refuse_non_empty(&args.dir)?;
    let contents = [
        config(args, &key),
        owners(&args.owner),
        example_control(args, catalog, today(args.today)),
        GITIGNORE.to_owned(),
        ci_snippet(&args.dir),
    ];
    write_all(&args.dir, &contents)?;
    let mut out = std::io::stdout().lock();
    writeln!(
        out,
        "Created a starter inventory in {}:",
        args.dir.display()
    )?;
    for file in FILES {
        writeln!(out, "  {file}")?;
    }
    writeln!(
        out,
        "Next: `reqgap validate {0}`, then `reqgap gaps {0}`; see docs/workflow.md",
        args.dir.display()
    )?;
    Ok(Outcome::Success)
}

fn check_owner_id(id: &str) -> Result<(), Failure> {
    let fine = !id.is_empty()
        && id
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-');
    if fine {
        return Ok(());
    }
    Err(Failure::Usage(format!(
        "--owner {id}: owner IDs are lower-case letters, digits and dashes, e.g. compliance-officer"
    )))
}

/// An inventory is never written over existing files: init starts something new.
fn refuse_non_empty(dir: &Path) -> Result<(), Failure> {
    match std::fs::read_dir(dir).map(|mut entries| entries.next().is_some()) {
        Ok(true) => Err(Failure::Usage(format!(
            "{} is not empty; init writes only into a new or empty folder",
            dir.display()
        ))),
        Ok(false) => Ok(()),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(()),
        Err(e) => Err(Failure::Io(e)),
    }
}

/// Writes every file, each refusing to replace one that appeared meanwhile; on failure
/// the files already written are removed again.
fn write_all(dir: &Path, contents: &[String]) -> Result<(), Failure> {
    let mut written: Vec<PathBuf> = Vec::new();
    for (name, text) in FILES.iter().zip(contents) {
        let path = dir.join(name);
        let result = path
            .parent()
            .map_or(Ok(()), std::fs::create_dir_all)
            .and_then(|()| write_atomic_checked(&path, text.as_bytes(), false));
        if let Err(e) = result {
            written.iter().for_each(|p| {
                let _ = std::fs::remove_file(p);
            });
            return Err(Failure::Usage(format!(
                "could not write {}: {e}",
                path.display()
            )));
        }
        written.push(path);
    }
    Ok(())
}

fn config(args: &InitArgs, key: &CatalogKey) -> String {
    format!(
        "\
# The inventory's root file: what {organisation} must meet and where the inventory lives.
# Reference: docs/formats.md#inventories. Paths are relative to this file.
organisation: {organisation_value}
controls: [controls]               # files or folders of control files
owners: owners.yaml
targets:
  - standard: {standard}
    version: {version}
    # due: 2026-12-31              # deadline for closing the gaps; default: the catalog's date
    default-owner: {owner}     # owns uncovered requirements no section owner matches
    # section-owners:              # owners of uncovered requirements by section prefix
    #   \"7.9\": incident-manager
    # not-applicable:              # requirements that do not apply, with a justification
    #   - requirement: REQ-7.12-10
    #     justification: We do not transfer obligations to other parties.
    #     approved-by: {owner}
    #     reviewed: 2026-06-01
    #     review-every: 1 year
# policy:                          # what `reqgap check` fails on (docs/ci.md); strict by default
#   min-coverage: 80
# waivers: waivers.yaml            # accepted gaps, each with a reason, approver and expiry
",
        organisation = args.organisation,
        organisation_value = scalar(&args.organisation),
        standard = key.standard,
        version = scalar(key.version.as_str()),
        owner = args.owner,
    )
}

fn owners(owner: &str) -> String {
    format!(
        "\
# Who answers for controls and gaps. Add an `escalates-to` to each owner so that overdue
# gaps name the chain upwards, ending at management.
owners:
  - id: {owner}
    name: {name}
    # email: {owner}@example.org
    # escalates-to: management-board
",
        name = scalar(&display_name(owner)),
    )
}

/// `compliance-officer` → `Compliance Officer`.
fn display_name(id: &str) -> String {
    id.split('-')
        .filter(|w| !w.is_empty())
        .map(|w| {
            let mut chars = w.chars();
            chars
                .next()
                .map(|c| c.to_uppercase().chain(chars).collect::<String>())
                .unwrap_or_default()
        })
        .collect::<Vec<_>>()
        .join(" ")
}

fn example_control(args: &InitArgs, catalog: &Catalog, today: NaiveDate) -> String {
    let requirement = catalog
        .active_requirements()
        .next()
        .map_or_else(String::new, |r| r.id.to_string());
    format!(
        "\
# One example control: replace it with your own, one file per area (access.yaml, …), or
# import a control register with `reqgap import controls FILE.csv`.
controls:
  - id: EX-01
    title: Example control -- describe what your organisation does
    owner: {owner}
    status: planned                # active | planned | retired; planned controls count once active
    evidence:
      - id: EX-01-record
        description: Where the proof that the control operates is kept
        reviewed: {today}
        review-every: 1 year       # N days | weeks | months | years
    satisfies:
      - standard: {standard}
        reviewed-against: {version}   # the version this mapping was checked against
        requirements: [{requirement}]
",
        owner = args.owner,
        standard = catalog.standard,
        version = scalar(catalog.version.as_str()),
    )
}

const GITIGNORE: &str = "\
# Reports written by reqgap runs (keep a baseline you want to compare with under another name).
*.sarif
reqgap-report.*
";

fn ci_snippet(dir: &Path) -> String {
    format!(
        "\
# A GitHub Actions workflow: copy it to .github/workflows/reqgap.yml at the repository root.
# `reqgap check` exits 1 when the policy of reqgap.yaml fails, 2 on input errors.
# GitLab CI and pre-commit setups: docs/ci.md.
name: reqgap
on: [push, pull_request]
permissions:
  contents: read
  security-events: write   # upload-sarif
jobs:
  check:
    runs-on: ubuntu-latest
    steps:
      - uses: actions/checkout@v4
      - name: Install reqgap
        run: cargo install --locked --git \"$REQGAP_REPOSITORY\" reqgap
        env:
          REQGAP_REPOSITORY: https://example.invalid/reqgap.git  # where your organisation gets reqgap
      - name: Annotate the pull request
        run: reqgap check {dir} --format github
      - name: SARIF for code scanning
        if: always()
        run: reqgap check {dir} --format sarif --output reqgap.sarif || [ $? -eq 1 ]
      - uses: github/codeql-action/upload-sarif@v3
        if: always()
        with:
          sarif_file: reqgap.sarif
          category: reqgap
",
        dir = dir.display()
    )
}
