//! reqgap: standards-change gap analysis.
//!
//! reqgap compares versions of a standard (ETSI EN 319 401, NIST SP 800-53, NIS2, …), maps
//! an organisation's control inventory onto them, and reports every open gap with an owner,
//! a due date and an escalation path. The `reqgap` binary is a thin layer over this library;
//! the library never prints: every output goes through a writer passed in.
//!
//! # Running an analysis
//!
//! [`Analysis`] loads the bundled catalogs and transition files (plus any folders you add),
//! reads and validates an inventory folder, and returns the [`gaps::GapReport`] with every
//! warning of the run. Input errors come back together as [`diag::Diagnostics`], each with
//! its file, line and column.
//!
//! ```
//! use chrono::NaiveDate;
//! use reqgap::gaps::{Cause, GapKind};
//! use reqgap::report::{reporter, Format, Style};
//!
//! let today = NaiveDate::from_ymd_opt(2026, 11, 26).unwrap();
//! let analysed = reqgap::Analysis::new("examples/trust-service-provider", today)
//!     .run()
//!     .map_err(|problems| problems.to_string())?;
//!
//! // Findings are data: a kind, a typed key and a structured cause.
//! for gap in analysed.report.gaps.iter().filter(|g| g.kind == GapKind::StaleReference) {
//!     if let Cause::Renumbered { from, to } = &gap.cause {
//!         assert_eq!(gap.key.to_string(), format!("stale-reference:{to}:{}", gap.control.as_ref().unwrap()));
//!         assert_ne!(from.id, to.id);
//!     }
//! }
//!
//! // Apply the inventory's policy and waivers, as `reqgap check` does.
//! let check = analysed.check(None);
//! assert!(!check.failures.is_empty());
//!
//! // Render in any format.
//! let mut json = Vec::new();
//! reporter(Format::Json, Style::default()).gaps(&analysed.report, &mut json).unwrap();
//! # Ok::<(), String>(())
//! ```
//!
//! # What is stable
//!
//! The file formats (`docs/formats.md`), the JSON output of every command (`docs/gaps.md`,
//! `docs/diff.md`, `docs/ci.md`), gap keys, gap-kind and diagnostic codes
//! (`docs/diagnostics.md`) and the exit codes are a contract. In the library, [`Analysis`],
//! [`model`], [`gaps::GapReport`] with its [`gaps::Gap`] and [`gaps::Cause`],
//! [`check::CheckReport`], [`diff::CatalogDiff`], [`diag::Diagnostic`] and
//! [`report::reporter`] are meant for embedding; the version is 0.x, so they may still change
//! between minor versions, with the change noted. The modules an embedder uses keep
//! `#[warn(missing_docs)]` (set below), so every public item in them stays documented.
//! `source`, `edit`, `suggest` and `visible` are public only for reqgap's own binary and
//! tests: they are hidden from these docs (`#[doc(hidden)]`) and may change at any time.
//!
//! # Where each concept lives
//!
//! - [`Analysis`] (in [`analysis`]): the one entry point, from a folder
//!   ([`Analysis::run`]) or from data already in memory ([`Analysis::in_memory`]).
//! - [`model`]: the plain data: catalogs and requirements, the inventory (controls,
//!   owners, targets, mappings), transitions and crosswalks, gap keys, policy and waivers.
//! - `source`: everything that reads files: YAML, catalogs, the inventory folder
//!   (`source::inventory`: raw types, path rule, loading, validation), `validate` of any
//!   file (`source::validation`).
//! - [`import`]: publisher documents (OSCAL, ETSI PDF or text, CSV, Markdown) to catalogs;
//!   [`import::files`] does it from files as `reqgap import` does.
//! - [`diff`]: what changed between two versions of a standard ([`diff::CatalogDiff`]).
//! - [`gaps`]: the gap rules ([`gaps::GapReport`]), version bridges, coverage matrices and
//!   crosswalk listings ([`gaps::coverage`]).
//! - [`check`]: policy, waivers and baseline applied to a gap report ([`check::CheckReport`]).
//! - [`picture`] and [`summary`]: plain models of the inventory graph and of the management
//!   summary, computed below the renderers.
//! - [`report`]: one [`report::Reporter`] per output format, rendering the models above.
//! - `edit`: changes to the files people write (migrate, review), span by span, all or
//!   nothing.
//! - [`diag`]: located diagnostics and their codes ([`diag::Code`]), rendered in one place.
//!
//! The library has no command-line dependency: embed it with
//! `reqgap = { version = "0.1", default-features = false }` (the default feature `cli`
//! only builds the `reqgap` binary).
//!
//! # Layers
//!
//! `model` ← `source` ← `import` ← `diff` ← `graph` ← `gaps` ← `check` ← `picture` ←
//! `summary` ← `report` ← `edit` ← `analysis`: each module uses only those before it
//! (`tests/suite/layers.rs` checks this), plus the leaves `diag`, `suggest` and `visible`. So the
//! renderers in `report` lay out plain models (a gap report, a diff, a picture, the
//! management summary) and never reach back into the analysis that produced them.
#![deny(clippy::print_stdout, clippy::print_stderr)]

#[macro_use]
mod macros;

#[warn(missing_docs)]
pub mod analysis;
#[warn(missing_docs)]
pub mod check;
#[warn(missing_docs)]
pub mod diag;
#[warn(missing_docs)]
pub mod diff;
#[doc(hidden)]
pub mod edit;
#[warn(missing_docs)]
pub mod gaps;
pub(crate) mod graph;
#[warn(missing_docs)]
pub mod import;
#[warn(missing_docs)]
pub mod model;
#[warn(missing_docs)]
pub mod picture;
#[warn(missing_docs)]
pub mod report;
#[doc(hidden)]
pub mod source;
#[doc(hidden)]
pub mod suggest;
#[warn(missing_docs)]
pub mod summary;
#[doc(hidden)]
pub mod visible;

pub use analysis::{Analysed, Analysis};
