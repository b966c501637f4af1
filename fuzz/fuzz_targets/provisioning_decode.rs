#![no_main]
//! See `mms_fuzzing::provisioning_decode` for the invariants checked.
libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    mms_fuzzing::provisioning_decode(data);
});
