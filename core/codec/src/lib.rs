//! # mms-codec
//!
//! The wire formats of MMS, bytes only: WSP primitives and every OMA-MMS-ENC 1.3 PDU
//! ([`pdu`]), WBXML ([`wbxml`]), the WSP push PDU and the SMS bearer that carries it
//! ([`push`]), and the OMA Client Provisioning document ([`provisioning`]).
//!
//! Every decoder treats its input as hostile: work and memory are bounded by limits checked
//! before use, failures are typed errors that name the byte offset, and nothing panics. This
//! crate makes no decision and does no I/O: the `mms-decisions` crate judges what it decodes,
//! and `mms-core` sequences the network and the store.
#![forbid(unsafe_code)]
#![deny(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing,
    missing_docs
)]

pub mod budget;
pub mod pdu;
pub mod provisioning;
pub mod push;
pub mod secret;
pub mod wbxml;
pub mod xml;
