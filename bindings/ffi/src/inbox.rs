//! What an inbox, a conversation and a message screen show, each in one call; part bytes are
//! fetched on demand (or written to a file the app names), never carried by a listing. Copied
//! from the core's answers (`mms_core::inbox`); timestamps in milliseconds.

use crate::events::{Direction, MessageState};
use crate::render::RenderPlanView;

/// Which page of a list: rows older than `before` (the `next` of the previous page; `null` for
/// the newest), at most `limit` (at most 500 are given whatever is asked).
#[derive(Debug, Clone, Copy, PartialEq, Eq, uniffi::Record)]
pub struct PageRequest {
    /// The previous page's `next`, or none for the first page.
    pub before: Option<i64>,
    /// Rows wanted.
    pub limit: u32,
}

impl From<PageRequest> for mms_core::PageRequest {
    fn from(p: PageRequest) -> Self {
        Self {
            before: p.before,
            limit: p.limit,
        }
    }
}

/// A message as a list shows it.
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct MessageItem {
    /// Row id: the key of every call about this message.
    pub id: i64,
    /// The key of its conversation.
    pub conversation: String,
    /// Received or sent.
    pub direction: Direction,
    /// Journal state.
    pub state: MessageState,
    /// Sender (received messages).
    pub from: Option<String>,
    /// The other people of its conversation, as the message names them.
    pub peers: Vec<String>,
    /// Subject.
    pub subject: Option<String>,
    /// The beginning of its text (up to 160 characters), once there is one.
    pub preview: Option<String>,
    /// The message's date in milliseconds since the epoch: the sender's Date once downloaded,
    /// else when the phone stored it.
    pub date_ms: i64,
    /// Size in octets (announced by the notification, or encoded for a sent message).
    pub size: Option<u64>,
    /// Number of parts stored.
    pub parts: u32,
    /// Read by the user.
    pub read: bool,
    /// The MMSC's Message-ID.
    pub message_id: Option<String>,
    /// The last error, if any.
    pub error: Option<String>,
}

impl From<mms_core::ListedMessage> for MessageItem {
    fn from(m: mms_core::ListedMessage) -> Self {
        let row = m.row;
        MessageItem {
            id: row.id,
            conversation: m.conversation.unwrap_or_default(),
            direction: row.direction.into(),
            state: row.state.into(),
            from: row.from_addr,
            peers: m.peers,
            subject: row.subject,
            preview: m.preview,
            date_ms: row.date.unwrap_or(row.created_at).saturating_mul(1000),
            size: row.size.and_then(|s| u64::try_from(s).ok()),
            parts: u32::try_from(m.parts).unwrap_or(u32::MAX),
            read: row.read,
            message_id: row.message_id,
            error: row.error,
        }
    }
}

/// A conversation as an inbox lists it.
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct Conversation {
    /// Its key (for `conversationMessages`).
    pub key: String,
    /// The people in it other than the user.
    pub peers: Vec<String>,
    /// Its newest message.
    pub last: MessageItem,
    /// Received messages not read yet.
    pub unread: u32,
    /// Messages in it.
    pub count: u32,
}

/// A page of conversations.
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct ConversationPage {
    /// The conversations, most recently active first.
    pub items: Vec<Conversation>,
    /// `before` for the next page; none after the last.
    pub next: Option<i64>,
}

impl From<mms_core::Page<mms_core::ConversationRow>> for ConversationPage {
    fn from(p: mms_core::Page<mms_core::ConversationRow>) -> Self {
        let small = |n: i64| u32::try_from(n).unwrap_or(0);
        ConversationPage {
            items: p
                .items
                .into_iter()
                .map(|c| Conversation {
                    key: c.key,
                    peers: c.peers,
                    last: c.last.into(),
                    unread: small(c.unread),
                    count: small(c.count),
                })
                .collect(),
            next: p.next,
        }
    }
}

/// A page of one conversation's messages.
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct MessagePage {
    /// The messages, newest first.
    pub items: Vec<MessageItem>,
    /// `before` for the next page; none after the last.
    pub next: Option<i64>,
}

impl From<mms_core::Page<mms_core::ListedMessage>> for MessagePage {
    fn from(p: mms_core::Page<mms_core::ListedMessage>) -> Self {
        MessagePage {
            items: p.items.into_iter().map(Into::into).collect(),
            next: p.next,
        }
    }
}

/// How a recipient was addressed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, uniffi::Enum)]
pub enum RecipientKind {
    /// To.
    To,
    /// Cc.
    Cc,
    /// Bcc.
    Bcc,
}

/// A recipient of a sent message with what its reports said.
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct Recipient {
    /// The address.
    pub address: String,
    /// To, Cc or Bcc.
    pub kind: RecipientKind,
    /// The delivery report's status code, once one came.
    pub delivery: Option<String>,
    /// The read report's status code, once one came.
    pub read: Option<String>,
}

impl From<mms_core::RecipientRow> for Recipient {
    fn from(r: mms_core::RecipientRow) -> Self {
        Recipient {
            kind: match r.kind.as_str() {
                "cc" => RecipientKind::Cc,
                "bcc" => RecipientKind::Bcc,
                _ => RecipientKind::To,
            },
            address: r.address,
            delivery: r.delivery_status,
            read: r.read_status,
        }
    }
}

/// A part without its bytes (`partData` / `writePart` fetch them).
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct PartInfo {
    /// Index in the message (the key for `partData`).
    pub index: u32,
    /// Content type as stored.
    pub content_type: String,
    /// File name.
    pub name: Option<String>,
    /// Content-ID.
    pub content_id: Option<String>,
    /// Size in octets.
    pub size: u64,
}

impl From<mms_core::PartInfo> for PartInfo {
    fn from(p: mms_core::PartInfo) -> Self {
        PartInfo {
            index: u32::try_from(p.idx).unwrap_or(u32::MAX),
            content_type: p.content_type,
            name: p.name,
            content_id: p.content_id,
            size: u64::try_from(p.size).unwrap_or(0),
        }
    }
}

/// Everything a message screen shows, in one call.
#[derive(Debug, Clone, uniffi::Record)]
pub struct MessageScreen {
    /// The message.
    pub message: MessageItem,
    /// Recipients and their reports (messages the user sent).
    pub recipients: Vec<Recipient>,
    /// The parts, without bytes.
    pub parts: Vec<PartInfo>,
    /// How to present it; none while only notified.
    pub plan: Option<RenderPlanView>,
}

impl From<mms_core::MessageScreen> for MessageScreen {
    fn from(s: mms_core::MessageScreen) -> Self {
        MessageScreen {
            message: s.message.into(),
            recipients: s.recipients.into_iter().map(Into::into).collect(),
            parts: s.parts.into_iter().map(Into::into).collect(),
            plan: s.plan.map(Into::into),
        }
    }
}
