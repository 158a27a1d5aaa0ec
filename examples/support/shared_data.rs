//! Where the real publisher data of the benchmarks lives: `../shared/data/` beside the
//! checkout, else `/work/shared/data/` (it is read from there, never copied in).

use std::path::PathBuf;

/// NIST SP 800-53 Rev 5 as NIST ships it (OSCAL JSON).
pub fn default_nist() -> PathBuf {
    let name = "NIST_SP-800-53_rev5_catalog.json";
    let beside = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../shared/data")
        .join(name);
    if beside.is_file() {
        beside
    } else {
        PathBuf::from("/work/shared/data").join(name)
    }
}
