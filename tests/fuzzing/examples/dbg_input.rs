//! Debug helper: decode a file leniently, re-encode, decode again and show where the
//! canonicalised models diverge.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]
fn main() {
    let path = std::env::args().nth(1).expect("usage: dbg_input FILE");
    let data = std::fs::read(path).unwrap();
    let d = mms_codec::pdu::Pdu::decode_lenient(&data);
    let Ok(d) = d else {
        println!("decode error: {d:?}");
        return;
    };
    for w in &d.warnings {
        println!("warning: {w}");
    }
    let enc = d.pdu.encode().unwrap();
    let again = mms_codec::pdu::Pdu::decode_lenient(&enc).unwrap();
    let mut want = d.pdu.clone();
    want.canonicalize();
    for (i, (a, b)) in want
        .headers
        .iter()
        .zip(again.pdu.headers.iter())
        .enumerate()
    {
        if a != b {
            println!("header {i} differs:\n  want  {a:?}\n  again {b:?}");
            break;
        }
    }
    println!(
        "counts {} vs {}; body equal {}",
        want.headers.len(),
        again.pdu.headers.len(),
        want.body == again.pdu.body
    );
    for w in &again.warnings {
        println!("again warning: {w}");
    }
    println!("encoded: {:02x?}", &enc[..enc.len().min(80)]);
}
