//! The invariants the fuzz targets check, shared with `cargo test` so that the committed fuzz
//! corpora and past crashers replay as ordinary tests. Each function panics (the fuzzer's
//! signal) only when an invariant is broken; hostile input alone never panics.

use crate::pdu::Pdu;

/// PDU decoder invariants: decoding never panics; a decoded model that encodes decodes back
/// to the same model; the validated decode accepts a subset of what the lenient one does.
#[allow(clippy::panic)]
pub fn pdu_decode(data: &[u8]) {
    let lenient = Pdu::decode_lenient(data);
    if let Ok(d) = &lenient {
        if let Ok(bytes) = d.pdu.encode() {
            match Pdu::decode_lenient(&bytes) {
                Ok(again) => {
                    let mut want = d.pdu.clone();
                    want.canonicalize();
                    assert!(again.pdu == want, "re-decoded model differs");
                }
                Err(e) => panic!("own encoding does not decode: {e}"),
            }
        }
    }
    if Pdu::decode(data).is_ok() {
        assert!(
            lenient.is_ok(),
            "validated decode accepted what lenient refused"
        );
    }
    let _ = crate::push::decode_push(data);
}
