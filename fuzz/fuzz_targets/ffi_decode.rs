#![no_main]
//! The bindings' stateless helpers (`decodePdu`, `checkPush`) as an app would call them with
//! outside bytes (see `mms_fuzzing::ffi_stateless`).
libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    mms_fuzzing::ffi_stateless(data);
});
