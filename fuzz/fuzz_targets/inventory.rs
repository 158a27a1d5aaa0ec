//! Fuzzes the inventory loader (reqgap.yaml, owners and one control file, split by harness::FILE_SEPARATOR, in a temporary folder).
#![no_main]

#[path = "../harness.rs"]
mod harness;

libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    harness::run(data, harness::inventory_from);
});
