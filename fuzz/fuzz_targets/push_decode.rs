#![no_main]
//! See `mms_fuzzing::push_decode` for the invariants checked.
libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    mms_fuzzing::push_decode(data);
});
