#![no_main]
//! See `mms_fuzzing::wbxml_decode` for the invariants checked.
libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    mms_fuzzing::wbxml_decode(data);
});
