//! Where the real publisher data of the benchmarks lives: `tests/data/nist/` in the
//! repository (public domain; provenance in that folder's README).

use std::path::PathBuf;

/// The folder of NIST's OSCAL catalogs, as NIST publishes them.
pub fn nist_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/data/nist")
}

/// NIST SP 800-53 Rev 5 (release 5.0.1) as NIST ships it (OSCAL JSON).
pub fn default_nist() -> PathBuf {
    nist_dir().join("NIST_SP-800-53_rev5_catalog.json")
}

/// NIST SP 800-53 Rev 4 as NIST ships it (OSCAL JSON, minified).
#[allow(dead_code)]
pub fn nist_rev4() -> PathBuf {
    nist_dir().join("NIST_SP-800-53_rev4_catalog-min.json")
}
