//! The mock MMSC: a careful MMS Relay/Server for tests, demos and UI tests.
//!
//! This crate is the home of the network side (issue "mock MMSC"); it currently exposes the
//! PDU responses an MMSC gives, built on the core's builders, so the folder and its purpose
//! are fixed while the server grows.

pub use mms_core::pdu::builder::{delivery_ind, notification_ind, read_orig, send_conf};
