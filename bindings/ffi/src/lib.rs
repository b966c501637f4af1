//! `mms-ffi`: the UniFFI surface of mms-core for Kotlin and Swift. Every function only converts
//! types and delegates to the core; the library owns its tokio runtime (async methods become
//! `suspend` functions in Kotlin and `async` in Swift).
//!
//! * [`client`]: the exported `Client` object;
//! * [`stateless`]: calls that need no client (decode, check a push, inspect provisioning);
//! * [`platform`]: the traits the app implements (listener, platform, transport);
//! * [`records`] and [`error`]: what crosses the boundary;
//! * [`logging`]: the app's logger.

uniffi::setup_scaffolding!();

pub mod client;
pub mod error;
pub mod logging;
pub mod platform;
pub mod records;
pub mod stateless;

pub use client::Client;
pub use error::{ClientError, CodecError, LinkError, ProvisioningFailure, TransportFailure};
pub use logging::{Logger, set_logger};
pub use platform::{EventListener, Mm1Transport, Platform};
pub use records::*;
pub use stateless::{check_push, decode_pdu, inspect_provisioning, library_version};
