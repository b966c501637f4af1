//! `mms-ffi`: the UniFFI surface of mms-core for Kotlin and Swift. Every function only converts
//! types and delegates to the core; the library owns its tokio runtime (async methods become
//! `suspend` functions in Kotlin and `async` in Swift).
//!
//! * [`client`]: the exported `Client` object;
//! * [`stateless`]: calls that need no client (decode, check a push, inspect provisioning);
//! * [`events`]: typed events, the listener trait and listener handles;
//! * [`platform`]: the traits the app implements (platform, blocking and async transport);
//! * [`inbox`], [`render`], [`records`] and [`error`]: what crosses the boundary;
//! * [`logging`]: the app's logger.

uniffi::setup_scaffolding!();

pub mod client;
pub mod error;
pub mod events;
pub mod inbox;
pub mod logging;
pub mod platform;
pub mod records;
pub mod render;
pub mod stateless;

pub use client::Client;
pub use error::{ClientError, CodecError, LinkError, ProvisioningFailure, TransportFailure};
pub use events::{Direction, EventListener, ListenerHandle, MessageState, MmsEvent};
pub use inbox::*;
pub use logging::{LogLevel, Logger, set_logger};
pub use platform::{AsyncMm1Transport, Mm1Transport, Platform};
pub use records::*;
pub use render::*;
pub use stateless::{check_push, decode_pdu, inspect_provisioning, library_version};
