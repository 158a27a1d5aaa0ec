//! The catalogs under `standards/`, compiled into the binary by `build.rs`.

include!(concat!(env!("OUT_DIR"), "/standards.rs"));

/// The largest text a bundled catalog inflates to: far above any catalog we ship (the
/// largest is under 1 MiB), so only a broken build could reach it.
const MAX_CATALOG_BYTES: usize = 64 << 20;

/// Every bundled catalog as (path below `standards/`, deflated file text), sorted by path.
/// [`text`] inflates one.
pub fn files() -> &'static [(&'static str, &'static [u8])] {
    BUNDLED_CATALOGS
}

/// The text of a bundled catalog from its deflated bytes; `None` when they do not inflate
/// to UTF-8 text within a bound.
pub fn text(deflated: &[u8]) -> Option<String> {
    let bytes =
        miniz_oxide::inflate::decompress_to_vec_with_limit(deflated, MAX_CATALOG_BYTES).ok()?;
    String::from_utf8(bytes).ok()
}

include!(concat!(env!("OUT_DIR"), "/mappings.rs"));

/// Every bundled transition file and crosswalk (those below `crosswalks/`) as (path below
/// `mappings/`, file text), sorted by path.
pub fn mapping_files() -> &'static [(&'static str, &'static str)] {
    BUNDLED_MAPPINGS
}
