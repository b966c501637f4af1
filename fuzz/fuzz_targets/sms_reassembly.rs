#![no_main]
//! See `mms_fuzzing::sms_reassembly` for the invariants checked.
libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    mms_fuzzing::sms_reassembly(data);
});
