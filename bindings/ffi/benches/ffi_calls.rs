//! The Rust side of the bindings' per-call overhead (criterion): the same trivial call and the
//! same 30 KB decode the Kotlin benchmark (`bindings/kotlin/bench.sh`) makes through UniFFI.
//! `cargo bench -p mms-ffi --bench ffi_calls`.
#![allow(clippy::unwrap_used)]

use criterion::{Criterion, criterion_group, criterion_main};
use std::hint::black_box;

fn send_req_30k() -> Vec<u8> {
    let mut v = vec![0x8c, 0x80, 0x98];
    v.extend_from_slice(b"T-bench\0");
    v.extend_from_slice(&[0x8d, 0x92, 0x97]);
    v.extend_from_slice(b"+15550002/TYPE=PLMN\0");
    v.extend_from_slice(&[0x84, 0xa3, 0x01, 0x01]);
    let mut data = vec![0x5a; 30 * 1024];
    data[..3].copy_from_slice(&[0xff, 0xd8, 0xff]);
    // uintvar 30720 = 0x7800: 0x81 0xf0 0x00
    v.extend_from_slice(&[0x81, 0xf0, 0x00, 0x9e]);
    v.extend_from_slice(&data);
    v
}

fn bench(c: &mut Criterion) {
    let pdu = send_req_30k();
    assert_eq!(mms_ffi::decode_pdu(pdu.clone()).unwrap().parts.len(), 1);
    c.bench_function("rust: library_version()", |b| {
        b.iter(|| black_box(mms_ffi::library_version()))
    });
    c.bench_function("rust: decode_pdu(30 KB M-Send.req)", |b| {
        b.iter(|| black_box(mms_ffi::decode_pdu(black_box(pdu.clone())).unwrap()))
    });
}

criterion_group!(benches, bench);
criterion_main!(benches);
