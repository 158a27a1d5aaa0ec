//! The integration tests, as one test binary.
//!
//! Each file here was once its own test crate, and each crate linked the whole library into
//! a binary of its own: about fifty binaries of tens of megabytes each, most of the time and disk of a
//! fresh `cargo test`. As modules of one crate they link once. A file's tests run as
//! `cargo test --test suite <file>::`, for example `cargo test --test suite meeting::`.
//! The CLI cases (`tests/cmd/`, run by `tests/cli.rs`) stay a binary of their own.

mod all_problems;
mod api;
mod bundled;
mod ca_standards;
mod catalog_loader;
mod check_formats;
mod crosswalk;
mod crosswalk_algebra;
mod crosswalk_coverage;
mod crosswalk_soundness;
mod diagnostics_doc;
mod diff_engine;
mod diff_properties;
mod diff_quality;
mod diff_trust;
mod edit_safety;
mod embedding;
mod etsi_catalogs;
mod gaps;
mod gaps_determinism;
mod graph;
mod hostile;
mod hostile_properties;
mod import;
mod import_etsi;
mod import_etsi_pdfminer;
mod import_markdown;
mod import_nist;
mod import_oscal_publishers;
mod import_pdf_hostile;
mod import_properties;
mod inventory_validation;
mod layers;
mod meeting;
mod migrate;
mod migrate_start;
mod oscal_export;
mod oscal_transition_properties;
mod outside_root;
mod report;
mod schemas;
mod support;
mod terminal;
mod test_layout;
mod unconfirmed_transition;
mod visible_controls;
