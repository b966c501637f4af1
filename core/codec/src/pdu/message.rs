//! A message's content the way a store or a UI takes it: every part with its media type,
//! name, Content-ID, Content-Location and data (borrowed from the PDU unless a transfer
//! encoding had to be undone), and the sender as text. The engine stores what this gives and
//! parses nothing itself.

use super::{BodyData, FromValue, Pdu};
use std::borrow::Cow;

/// One part of a message, ready to store.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MessagePart<'p> {
    /// Media type, as written (`image/jpeg`).
    pub content_type: String,
    /// Name (from the content type, Content-Location or, when honoured, Content-Disposition).
    pub name: Option<Cow<'p, str>>,
    /// Content-ID without its angle brackets.
    pub content_id: Option<Cow<'p, str>>,
    /// Content-Location.
    pub content_location: Option<Cow<'p, str>>,
    /// The data, transfer encoding undone.
    pub data: Cow<'p, [u8]>,
}

impl Pdu<'_> {
    /// The sender's address as text (`None` for the insert-address token or no From).
    pub fn sender(&self) -> Option<String> {
        match self.from()? {
            FromValue::Address(a) => Some(a.to_string_lossy().into_owned()),
            FromValue::InsertAddress => None,
        }
    }

    /// The message's parts: the top-level parts of a multipart body, or the single body as
    /// one part. `use_disposition` honours Content-Disposition names (a carrier setting).
    pub fn message_parts(&self, use_disposition: bool) -> Vec<MessagePart<'_>> {
        match self.body.as_ref().map(|b| &b.data) {
            Some(BodyData::Multipart(ps)) => ps
                .iter()
                .map(|part| MessagePart {
                    content_type: part.content_type.media.display_name(),
                    name: part.name_with(use_disposition),
                    content_id: part.content_id(),
                    content_location: part.content_location(),
                    data: part.decoded_data(),
                })
                .collect(),
            Some(BodyData::Single(data)) => vec![MessagePart {
                content_type: self
                    .content_type()
                    .map(|c| c.media.display_name())
                    .unwrap_or_default(),
                name: None,
                content_id: None,
                content_location: None,
                data: Cow::Borrowed(&data[..]),
            }],
            None => Vec::new(),
        }
    }
}
