//! The catalogs under `standards/`, compiled into the binary by `build.rs`.

include!(concat!(env!("OUT_DIR"), "/bundled_catalogs.rs"));

/// Every bundled catalog as (path below `standards/`, file text), sorted by path.
pub fn files() -> &'static [(&'static str, &'static str)] {
    BUNDLED_CATALOGS
}

include!(concat!(env!("OUT_DIR"), "/bundled_mappings.rs"));

/// Every bundled transition file and crosswalk (those below `crosswalks/`) as (path below
/// `mappings/`, file text), sorted by path.
pub fn mapping_files() -> &'static [(&'static str, &'static str)] {
    BUNDLED_MAPPINGS
}
