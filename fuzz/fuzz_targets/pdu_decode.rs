#![no_main]
//! PDU decoder: any input decodes or fails with a typed error; a decoded model re-encodes
//! and decodes to itself (see `mms_fuzzing::pdu_decode`).
libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    mms_fuzzing::pdu_decode(data);
});
