//! # mms-decisions
//!
//! What the core decides, as plain data: push verdicts ([`push`]), provisioning
//! authentication and the settings a document may set ([`provisioning`]), what may render and
//! how ([`content`]), which links need the user's confirmation ([`links`]); with the security
//! audit rows each decision writes ([`audit`]) and one normaliser for phone numbers and
//! addresses ([`numbers`]).
//!
//! Every decision is a function of decoded data (from `mms-codec`), a policy and a
//! [`clock::Clock`]: no I/O, no network, no store. The same value reaches the engine, the
//! bindings, the CLI and the audit log.
#![forbid(unsafe_code)]
#![deny(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing,
    missing_docs
)]

pub mod audit;
pub mod carriers;
pub mod clock;
pub mod content;
pub mod links;
pub mod numbers;
pub mod provisioning;
pub mod push;
