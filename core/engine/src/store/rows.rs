//! The rows the store hands out and takes in, typed: a message with its journal state, its
//! parts and its recipients' report state.

use super::journal::{Direction, State};
use serde::Serialize;

/// A message row.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct MessageRow {
    /// Row id.
    pub id: i64,
    /// Subscription (SIM) it belongs to.
    pub subscription: String,
    /// Received or sent.
    pub direction: Direction,
    /// Journal state.
    pub state: State,
    /// Transaction id.
    pub transaction_id: String,
    /// Message-ID.
    pub message_id: Option<String>,
    /// Where to download (received messages).
    pub content_location: Option<String>,
    /// Sender.
    pub from_addr: Option<String>,
    /// Subject.
    pub subject: Option<String>,
    /// Date (seconds since the epoch).
    pub date: Option<i64>,
    /// Size in octets.
    pub size: Option<i64>,
    /// Expiry (seconds since the epoch).
    pub expires_at: Option<i64>,
    /// Last error.
    pub error: Option<String>,
    /// Attempts made.
    pub attempts: i64,
    /// Next attempt (seconds since the epoch).
    pub next_attempt_at: Option<i64>,
    /// Read by the user.
    pub read: bool,
    /// A delivery report was requested (sent) / is wanted (received).
    pub delivery_report: bool,
    /// A read report was requested.
    pub read_report: bool,
    /// The download was deferred (NotifyResp Deferred sent).
    pub deferred: bool,
}

pub(super) const COLS: &str = "id, subscription, direction, state, transaction_id, message_id, content_location, from_addr, subject, date, size, expires_at, error, attempts, next_attempt_at, read, delivery_report, read_report, deferred";

pub(super) fn message_row(r: &rusqlite::Row<'_>) -> rusqlite::Result<MessageRow> {
    Ok(MessageRow {
        id: r.get(0)?,
        subscription: r.get(1)?,
        direction: r.get(2)?,
        state: r.get(3)?,
        transaction_id: r.get(4)?,
        message_id: r.get(5)?,
        content_location: r.get(6)?,
        from_addr: r.get(7)?,
        subject: r.get(8)?,
        date: r.get(9)?,
        size: r.get(10)?,
        expires_at: r.get(11)?,
        error: r.get(12)?,
        attempts: r.get(13)?,
        next_attempt_at: r.get(14)?,
        read: r.get(15)?,
        delivery_report: r.get(16)?,
        read_report: r.get(17)?,
        deferred: r.get(18)?,
    })
}

/// A stored part.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct PartRow {
    /// Index.
    pub idx: i64,
    /// Content type.
    pub content_type: String,
    /// Name.
    pub name: Option<String>,
    /// Content-ID.
    pub content_id: Option<String>,
    /// Content-Location.
    pub content_location: Option<String>,
    /// Data.
    pub data: Vec<u8>,
}

/// A part to store, borrowing its bytes (from a retrieved PDU or a draft).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewPart<'a> {
    /// Content type.
    pub content_type: &'a str,
    /// Name.
    pub name: Option<&'a str>,
    /// Content-ID.
    pub content_id: Option<&'a str>,
    /// Content-Location.
    pub content_location: Option<&'a str>,
    /// Data.
    pub data: &'a [u8],
}

/// Report state of one recipient of a sent message.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct RecipientRow {
    /// Address.
    pub address: String,
    /// To, Cc or Bcc.
    pub kind: String,
    /// Delivery status (`retrieved`, `rejected`...).
    pub delivery_status: Option<String>,
    /// Read status.
    pub read_status: Option<String>,
}

/// The raw notification and the stored PDU of a message.
pub type Blobs = (Option<Vec<u8>>, Option<Vec<u8>>);

/// Fields of a new message row.
#[derive(Debug, Clone)]
pub struct NewMessage<'a> {
    /// Subscription.
    pub subscription: &'a str,
    /// Received or sent.
    pub direction: Direction,
    /// Initial state (`NOTIFIED` or `QUEUED`).
    pub state: State,
    /// Transaction id.
    pub transaction_id: &'a str,
    /// Content location.
    pub content_location: Option<&'a str>,
    /// Sender.
    pub from_addr: Option<&'a str>,
    /// Subject.
    pub subject: Option<&'a str>,
    /// Size.
    pub size: Option<i64>,
    /// Expiry.
    pub expires_at: Option<i64>,
    /// Raw notification.
    pub raw_notification: Option<&'a [u8]>,
    /// Encoded PDU (send-req).
    pub pdu: Option<&'a [u8]>,
    /// Delivery report wanted.
    pub delivery_report: bool,
    /// Read report wanted.
    pub read_report: bool,
}

/// What a retrieve-conf says about the message, stored with it.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Retrieved<'a> {
    /// Message-ID.
    pub message_id: Option<&'a str>,
    /// Sender (kept from the notification when absent).
    pub from: Option<&'a str>,
    /// Subject (kept from the notification when absent).
    pub subject: Option<&'a str>,
    /// Date.
    pub date: Option<i64>,
    /// The sender asked for a read report.
    pub read_report: bool,
}

/// A sender rule (FILTER-1).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum SenderRule {
    /// Drop this sender's messages.
    Block,
    /// A known sender (counts as a contact for auto-download).
    Allow,
}

impl SenderRule {
    pub(super) fn as_str(self) -> &'static str {
        match self {
            SenderRule::Block => "block",
            SenderRule::Allow => "allow",
        }
    }

    pub(super) fn parse(s: &str) -> Option<Self> {
        match s {
            "block" => Some(SenderRule::Block),
            "allow" => Some(SenderRule::Allow),
            _ => None,
        }
    }
}
