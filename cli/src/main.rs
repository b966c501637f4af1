//! `mms`: inspect MMS PDUs.
fn main() {}
