//! Debug helper: decode a file leniently, re-encode, decode again and print both models.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]
fn main() {
    let path = std::env::args().nth(1).expect("usage: dbg_input FILE");
    let data = std::fs::read(path).unwrap();
    let d = mms_core::pdu::Pdu::decode_lenient(&data);
    println!("first: {d:#?}");
    if let Ok(d) = d {
        let enc = d.pdu.encode().unwrap();
        println!("encoded: {enc:02x?}");
        println!("again: {:#?}", mms_core::pdu::Pdu::decode_lenient(&enc));
    }
}
