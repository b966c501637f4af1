#![no_main]
//! Structure-aware PDU target: the input builds a PDU model of any message type, which must
//! survive its encoding; the encoding is then mutated and decoded (see
//! `mms_fuzzing::pdu_structured`).
libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    mms_fuzzing::pdu_structured(data);
});
