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
    /// When the row was written (seconds since the epoch): when the notification arrived or
    /// the user sent it.
    pub created_at: i64,
}

pub(super) const COLS: &str = "id, subscription, direction, state, transaction_id, message_id, content_location, from_addr, subject, date, size, expires_at, error, attempts, next_attempt_at, read, delivery_report, read_report, deferred, created_at";

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
        created_at: r.get(19)?,
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
    /// The conversation it belongs to.
    pub peers: Option<&'a Peers>,
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
    /// The conversation, now that every recipient is known.
    pub peers: Option<&'a Peers>,
}

/// The conversation a message belongs to: the people in it other than the user.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct Peers {
    /// The conversation's key: the participants' comparison keys (E.164, e-mail lowercased),
    /// sorted, one per line. Two messages with the same people have the same key whatever the
    /// spelling of their numbers; a message to nobody but the user has the empty key.
    pub key: String,
    /// The participants as the user knows them: the first spelling of each, in message order.
    pub names: Vec<String>,
}

impl Peers {
    /// The conversation of `names` (their first spellings, in order), keyed by `key_of`.
    pub fn new(names: Vec<String>, key_of: impl Fn(&str) -> String) -> Self {
        let mut keys: Vec<String> = names.iter().map(|n| key_of(n)).collect();
        keys.sort();
        keys.dedup();
        Peers {
            key: keys.join("\n"),
            names,
        }
    }

    /// The names as stored (a JSON array).
    pub(super) fn names_json(&self) -> String {
        serde_json::to_string(&self.names).unwrap_or_else(|_| "[]".into())
    }
}

/// The participants stored as a JSON array (an unreadable value reads as none).
pub(super) fn peers_from_json(json: Option<String>) -> Vec<String> {
    json.and_then(|j| serde_json::from_str(&j).ok())
        .unwrap_or_default()
}

/// A conversation as an inbox lists it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ConversationRow {
    /// The conversation's key ([`Peers::key`]).
    pub key: String,
    /// The people in it, as the newest message names them.
    pub peers: Vec<String>,
    /// The newest message.
    pub last: ListedMessage,
    /// Received messages not read yet.
    pub unread: i64,
    /// Messages in the conversation.
    pub count: i64,
}

/// A message as a list shows it: its row, its people, the beginning of its text and the size
/// and number of its parts (the parts' bytes stay in the store).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ListedMessage {
    /// The row.
    pub row: MessageRow,
    /// Its conversation's key ([`Peers::key`]).
    pub conversation: Option<String>,
    /// The people of its conversation.
    pub peers: Vec<String>,
    /// The beginning of its first text part (at most [`PREVIEW_CHARS`] characters).
    pub preview: Option<String>,
    /// Its parts.
    pub parts: i64,
}

/// Characters of text a list shows of a message.
pub const PREVIEW_CHARS: usize = 160;

/// A part's description without its bytes.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct PartInfo {
    /// Index in the message.
    pub idx: i64,
    /// Content type as stored.
    pub content_type: String,
    /// File name.
    pub name: Option<String>,
    /// Content-ID.
    pub content_id: Option<String>,
    /// Size in octets.
    pub size: i64,
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
