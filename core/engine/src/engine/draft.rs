//! A message to send, as the app writes it: recipients, subject, parts and the options the
//! carrier profile decides when the app does not.

use mms_codec::pdu::{ClassToken, Priority};
use serde::{Deserialize, Serialize};

/// One part of a draft.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DraftPart {
    /// Media type.
    pub content_type: String,
    /// File name (becomes Content-ID and Content-Location).
    pub name: String,
    /// Data.
    pub data: Vec<u8>,
}

/// A message to send.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Draft {
    /// To recipients (numbers or e-mail addresses).
    pub to: Vec<String>,
    /// Cc recipients.
    pub cc: Vec<String>,
    /// Bcc recipients.
    pub bcc: Vec<String>,
    /// Subject.
    pub subject: Option<String>,
    /// Parts.
    pub parts: Vec<DraftPart>,
    /// SMIL presentation; generated when absent and the draft has media.
    pub smil: Option<Vec<u8>>,
    /// Request a delivery report (profile default when `None`).
    pub delivery_report: Option<bool>,
    /// Request a read report (profile default when `None`).
    pub read_report: Option<bool>,
    /// Expiry in seconds.
    pub expiry_secs: Option<u64>,
    /// Priority.
    pub priority: Option<Priority>,
    /// Message class.
    pub class: Option<ClassToken>,
}
