//! Fault switches: the misbehaviour of real carriers on demand (per request, per subscriber or
//! standing; for POSTs, GETs or notifications); [`apply`] says how each is applied.

mod apply;

pub(crate) use apply::{generic_fault, late_fault};

use mms_codec::pdu::ResponseStatus;
use serde::Serialize;

/// A fault the next matching request gets (the misbehaviour of real carriers, on demand).
/// In the admin API's JSON: `{"Http": [503, 5]}`, `"Garbage"`, `{"Stall": 2000}`...
#[derive(Debug, Clone, PartialEq, Eq, Serialize, serde::Deserialize)]
pub enum Fault {
    /// Answer M-Send.req with this Response-Status (and Response-Text), storing nothing.
    SendStatus(ResponseStatus, Option<String>),
    /// Answer M-Send.req Ok but without a Message-ID.
    NoMessageId,
    /// Answer with this HTTP status and optional Retry-After (seconds), empty body.
    Http(u16, Option<u64>),
    /// Answer with this HTTP status and a Retry-After given as an HTTP date this many seconds
    /// ahead (with a `Date` header), empty body.
    HttpRetryAt(u16, u64),
    /// Answer 200 with a body that is not an MMS PDU.
    Garbage,
    /// Answer with a redirect to this URL.
    Redirect(String),
    /// Wait this many milliseconds before handling the request.
    Stall(u64),
    /// Start the body, then drop the connection.
    DropMidBody,
    /// Answer 200 with this many octets of padding after the PDU.
    Oversized(usize),
    /// Answer the retrieval with this Retrieve-Status (and a text/plain body).
    RetrieveStatus(mms_codec::pdu::RetrieveStatus),
    /// Answer with the right PDU but a transaction id the client never sent.
    WrongTransactionId,
    /// Answer with the right PDU without its X-Mms-Transaction-Id.
    NoTransactionId,
    /// Answer with a well-formed PDU of the wrong message type.
    WrongMessageType,
    /// Answer 200 with an empty body.
    Empty,
    /// Answer with this MMS-Version octet (e.g. `0x20` for 2.0, `0x10` for 1.0).
    Version(u8),
    /// Send the normal answer this many octets at a time, this many ms apart.
    SlowDrip(usize, u64),
    /// Send the normal answer with chunked transfer encoding (no Content-Length).
    Chunked,
    /// (Notifications) push the notification twice.
    DuplicateNotification,
    /// (Notifications) hold the notification until the next one to the same subscriber has
    /// been pushed.
    ReorderNotification,
    /// (Notifications) give the notification an expiry an hour in the past.
    ExpiredNotification,
    /// (Notifications) name this Content-Location instead of the real one (spoofed-looking).
    ForeignLocation(String),
}

/// Which requests a fault applies to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, serde::Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum FaultOn {
    /// POSTs to the MM1 endpoint.
    Post,
    /// GETs of content locations.
    Get,
    /// Notifications as they are created (the notification faults).
    Notify,
}

/// A fault switch: which requests, whose, how many times.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, serde::Deserialize)]
pub struct FaultRule {
    /// Which requests.
    pub on: FaultOn,
    /// The fault.
    pub fault: Fault,
    /// Only requests of (or notifications to) this subscriber; `None` for everyone.
    #[serde(default)]
    pub subscriber: Option<String>,
    /// How many matching requests get it; 0 for every one until cleared.
    #[serde(default = "one")]
    pub times: u32,
}

fn one() -> u32 {
    1
}
