//! # mms-core
//!
//! The core of an MMS user agent: everything a phone needs to send and receive multimedia
//! messages over the MM1 interface safely, with no UI of its own.
//!
//! * [`pdu`]: WSP primitives and every OMA-MMS-ENC 1.3 PDU, decoded zero-copy and encoded
//!   conservatively; bounded and panic-free on hostile input.
//! * [`push`]: the WSP push PDU that carries notifications over SMS or UDP.
//!
//! Every decoder in this crate treats its input as hostile: work and memory are bounded by
//! [`pdu::Limits`], failures are typed errors that name the byte offset, and nothing panics.
#![forbid(unsafe_code)]
#![deny(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing,
    missing_docs
)]

pub mod audit;
pub mod clock;
pub mod config;
pub mod content;
pub mod engine;
#[doc(hidden)]
pub mod fuzzing;
pub mod links;
pub mod pdu;
pub mod provisioning;
pub mod push;
pub mod store;
pub mod transport;
pub mod wbxml;
