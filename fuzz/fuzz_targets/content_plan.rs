#![no_main]
//! See `mms_fuzzing::content_plan` for the invariants checked.
libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    mms_fuzzing::content_plan(data);
});
