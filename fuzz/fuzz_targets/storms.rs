#![no_main]
//! See `mms_fuzzing::storms` for the inputs grown and the invariants checked.
libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    mms_fuzzing::storms(data);
});
