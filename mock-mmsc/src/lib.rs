//! The mock MMSC: an MMS Relay/Server on real sockets for tests, demos and UI tests.
//!
//! MM1 behaviour: M-Send.req is stored and answered with M-Send.conf and a Message-ID; each
//! registered recipient gets an M-Notification.ind pushed as a WDP datagram over UDP to its
//! registered address; GET of the Content-Location returns the M-Retrieve.conf (locations are
//! always on this server's host and path prefix, with random tokens tied to the recipient:
//! MMSC-9); NotifyResp/Acknowledge close the transaction (their transaction id must be one this
//! server issued to that subscriber: MMSC-4) and trigger the delivery report to a sender that
//! asked; M-Read-Rec.ind is forwarded as M-Read-Orig.ind only for a stored message that asked
//! for one, from one of its recipients, once, to the stored originator (MMSC-7). Subscribers are
//! identified by a header and must be registered (MMSC-8). M-Forward.req forwards a notified
//! message without retrieval. A sweeper times out unanswered transactions (MMSC-3), re-notifies,
//! delivers deferred messages and drops expired ones (MMSC-5). Every decision is logged.

mod admin;
pub mod attacker;
mod config;
mod fault;
mod mm1;
mod notify;
pub mod proxy;
mod rate;
mod server;
mod state;
mod subscribers;
pub mod tls;

pub use config::{MockConfig, Quirks};
pub use fault::{Fault, FaultOn, FaultRule};
pub use server::MockMmsc;
pub use state::{Cdr, LogEntry};
pub use subscribers::{FRONT_HEADER, SUBSCRIBER_HEADER};
