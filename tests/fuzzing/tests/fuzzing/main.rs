//! The fuzz seeds and past crashers replayed through the targets' invariants ([`replay`]), and
//! property tests of the push path ([`push_props`]), as one binary.

mod push_props;
mod replay;
