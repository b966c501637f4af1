//! The cross-crate suites in one test binary (one link instead of seventeen: each binary carries
//! the whole engine, the mock MMSC and their dependencies). Each module is one suite and reads
//! on its own; filter with the module name, e.g.
//! `cargo test -p mms-tests --test suite random_kills`.
//!
//! `engine_tracing` stays a binary of its own: it installs the process-wide tracing subscriber.

// Test code may unwrap, panic and index: a failure is the point.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]
mod carrier_settings;
mod client_assembly;
mod corpus_mms;
mod corpus_plan;
mod corpus_provisioning;
mod corpus_push;
mod crash_safety;
mod differential_python;
mod disk_full;
mod e2e_loopback;
mod engine_cancel_delete;
mod engine_carrier_faults;
mod engine_faults;
mod engine_platform;
mod engine_races;
mod engine_reports;
mod engine_retry;
mod engine_size_budget;
mod engine_tls_proxy;
mod inbox;
mod interop_kannel;
mod interop_python;
mod numbers_e2e;
mod part_storage;
mod random_kills;
