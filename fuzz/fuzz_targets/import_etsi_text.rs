//! Fuzzes the ETSI text importer, and that its catalog re-validates.
#![no_main]

#[path = "../harness.rs"]
mod harness;

libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    harness::run(data, harness::etsi_text);
});
