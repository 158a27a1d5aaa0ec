//! reqgap: standards-change gap analysis.
//!
//! The library holds the model and the analysis; the `reqgap` binary is a thin layer over
//! it. The library never prints: every output goes through a writer passed in.
#![deny(clippy::print_stdout, clippy::print_stderr)]

#[macro_use]
mod macros;

pub mod check;
pub mod diag;
pub mod diff;
pub mod edit;
pub mod gaps;
pub mod graph;
pub mod import;
pub mod model;
pub mod report;
pub mod source;
pub mod suggest;
