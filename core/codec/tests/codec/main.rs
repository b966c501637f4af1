//! The codec's tests as one binary: value-level vectors from the specifications
//! ([`primitives`]) and round trips of every PDU type ([`roundtrip`]). The allocation bound
//! (PDU-1) has its own binary, `alloc_bound`, because it installs a counting global allocator.

mod budget;
mod primitives;
mod provisioning_stream;
mod roundtrip;
