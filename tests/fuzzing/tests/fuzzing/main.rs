//! The fuzz seeds and past crashers replayed through the targets' invariants ([`replay`]), and
//! property tests of the push path ([`push_props`]), as one binary.
// Test code may unwrap, panic and index: a failure is the point.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

mod hostile;
mod push_props;
mod replay;
