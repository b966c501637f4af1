#![no_main]
//! See `mms_fuzzing::links` for the invariants checked.
libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    mms_fuzzing::links(data);
});
