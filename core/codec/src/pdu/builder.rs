//! Builders for the PDUs a client sends (and, for tests and the mock MMSC, the ones an MMSC
//! sends). They produce conservative encodings: message type, transaction id and version
//! first, Content-Type last, multipart entry counts always written, addresses with `/TYPE=`.

use super::content_type::{
    ContentType, MULTIPART_MIXED, MULTIPART_RELATED, MediaType, ParamValue, param,
};
use super::header::{ContentLocation, FromValue, Header, StatusText, TimeValue};
use super::multipart::{BodyData, Part, PartHeader};
use super::text::{EncodedString, Text};
use super::values::*;
use super::{Body, Charset, Pdu};
use std::borrow::Cow;

/// The MMS version builders write by default (1.2: understood by every deployed MMSC).
pub const DEFAULT_VERSION: Version = Version::V1_2;

/// Normalises a recipient for the wire: a bare phone number gets `/TYPE=PLMN`; e-mail
/// addresses and values that already carry `/TYPE=` are kept.
pub fn wire_address(addr: &str) -> String {
    let a = addr.trim();
    if a.contains('@') || a.to_ascii_lowercase().contains("/type=") {
        a.to_owned()
    } else {
        let number: String = a
            .chars()
            .filter(|c| !matches!(c, ' ' | '-' | '(' | ')' | '.'))
            .collect();
        format!("{number}/TYPE=PLMN")
    }
}

/// A text as an Encoded-string-value: plain when ASCII, UTF-8 tagged otherwise.
pub fn encoded_text(s: &str) -> EncodedString<'static> {
    if s.is_ascii() {
        EncodedString::plain(Text(Cow::Owned(s.as_bytes().to_vec())))
    } else {
        EncodedString::utf8(s)
    }
}

fn owned_text(s: &str) -> Text<'static> {
    Text(Cow::Owned(s.as_bytes().to_vec()))
}

/// Builds an M-Send.req.
#[derive(Debug, Clone)]
pub struct SendReqBuilder<'a> {
    transaction_id: String,
    version: Version,
    headers: Vec<Header<'static>>,
    parts: Vec<Part<'a>>,
    smil_index: Option<usize>,
}

impl<'a> SendReqBuilder<'a> {
    /// A send-req with the given transaction id, From = insert-address.
    pub fn new(transaction_id: &str) -> Self {
        Self {
            transaction_id: transaction_id.to_owned(),
            version: DEFAULT_VERSION,
            headers: vec![Header::From(FromValue::InsertAddress)],
            parts: Vec::new(),
            smil_index: None,
        }
    }

    /// Sets the MMS version written.
    pub fn version(mut self, v: Version) -> Self {
        self.version = v;
        self
    }

    /// Adds a To recipient (a bare number gets `/TYPE=PLMN`).
    pub fn to(mut self, addr: &str) -> Self {
        self.headers
            .push(Header::To(encoded_text(&wire_address(addr))));
        self
    }

    /// Adds a Cc recipient.
    pub fn cc(mut self, addr: &str) -> Self {
        self.headers
            .push(Header::Cc(encoded_text(&wire_address(addr))));
        self
    }

    /// Adds a Bcc recipient.
    pub fn bcc(mut self, addr: &str) -> Self {
        self.headers
            .push(Header::Bcc(encoded_text(&wire_address(addr))));
        self
    }

    /// Sets an explicit From address instead of the insert-address token.
    pub fn from(mut self, addr: &str) -> Self {
        self.headers.retain(|h| !matches!(h, Header::From(_)));
        self.headers.insert(
            0,
            Header::From(FromValue::Address(encoded_text(&wire_address(addr)))),
        );
        self
    }

    /// Sets the subject.
    pub fn subject(mut self, s: &str) -> Self {
        self.headers.push(Header::Subject(encoded_text(s)));
        self
    }

    /// Sets the Date.
    pub fn date(mut self, secs: u64) -> Self {
        self.headers.push(Header::Date(secs));
        self
    }

    /// Sets the message class.
    pub fn class(mut self, c: ClassToken) -> Self {
        self.headers
            .push(Header::MessageClass(super::header::MessageClass::Token(c)));
        self
    }

    /// Sets the priority.
    pub fn priority(mut self, p: Priority) -> Self {
        self.headers.push(Header::Priority(p));
        self
    }

    /// Sets the expiry.
    pub fn expiry(mut self, t: TimeValue) -> Self {
        self.headers.push(Header::Expiry(t));
        self
    }

    /// Requests (or declines) a delivery report.
    pub fn delivery_report(mut self, yes: bool) -> Self {
        self.headers
            .push(Header::DeliveryReport(YesNo::from_bool(yes)));
        self
    }

    /// Requests (or declines) a read report.
    pub fn read_report(mut self, yes: bool) -> Self {
        self.headers.push(Header::ReadReport(YesNo::from_bool(yes)));
        self
    }

    /// Hides or shows the sender.
    pub fn sender_visibility(mut self, v: SenderVisibility) -> Self {
        self.headers.push(Header::SenderVisibility(v));
        self
    }

    /// Adds a part. `name` becomes its Content-ID (`<name>`), Content-Location and `name`
    /// parameter; text types get `charset=utf-8`.
    pub fn part(mut self, media: &str, name: &str, data: impl Into<Cow<'a, [u8]>>) -> Self {
        self.parts.push(make_part(media, name, data.into()));
        self
    }

    /// Adds the SMIL presentation part; the body becomes multipart/related with
    /// `type=application/smil` and `start=<name>`.
    pub fn smil(mut self, name: &str, smil: impl Into<Cow<'a, [u8]>>) -> Self {
        self.parts
            .push(make_part("application/smil", name, smil.into()));
        self.smil_index = Some(self.parts.len().saturating_sub(1));
        self
    }

    /// Adds a generated SMIL that shows each image/video/audio part with the text parts, one
    /// slide per media part (or one slide of text).
    pub fn generated_smil(self) -> Self {
        let smil = generate_smil(&self.parts);
        self.smil("smil.xml", smil.into_bytes())
    }

    /// Builds the PDU.
    pub fn build(self) -> Pdu<'a> {
        let mut headers: Vec<Header<'a>> = Vec::with_capacity(self.headers.len() + 2);
        headers.push(Header::TransactionId(owned_text(&self.transaction_id)));
        headers.push(Header::MmsVersion(self.version));
        headers.extend(self.headers);
        let mut parts = self.parts;
        let content_type = match self.smil_index {
            Some(i) => {
                // The SMIL part goes first: some receivers ignore `start`.
                if i < parts.len() {
                    let smil = parts.remove(i);
                    parts.insert(0, smil);
                }
                let start = parts
                    .first()
                    .and_then(|p| p.content_id())
                    .map(|c| format!("<{c}>"))
                    .unwrap_or_default();
                ContentType::new(MediaType::WellKnown(MULTIPART_RELATED))
                    .with(param::START_OLD, ParamValue::Text(owned_text(&start)))
                    .with(
                        param::TYPE,
                        ParamValue::Media(MediaType::Text(owned_text("application/smil"))),
                    )
            }
            None => ContentType::new(MediaType::WellKnown(MULTIPART_MIXED)),
        };
        Pdu {
            message_type: MessageType::SendReq,
            headers,
            body: Some(Body {
                content_type,
                data: BodyData::Multipart(parts),
            }),
        }
    }
}

fn make_part<'a>(media: &str, name: &str, data: Cow<'a, [u8]>) -> Part<'a> {
    let mut ct = ContentType::new(MediaType::from_name(media));
    let lower = media.to_ascii_lowercase();
    if lower.starts_with("text/") || lower == "application/smil" {
        ct = ct.with(param::CHARSET, ParamValue::Charset(Charset::UTF_8));
    }
    ct = ct.with(param::NAME_OLD, ParamValue::Text(owned_text(name)));
    Part {
        content_type: ct,
        headers: vec![
            PartHeader::ContentId(owned_text(&format!("<{name}>"))),
            PartHeader::ContentLocation(owned_text(name)),
        ],
        data: BodyData::Single(data),
    }
}

/// Generates a minimal SMIL 2.0 presentation for parts: one slide per visual or audio part,
/// text parts shown on the first slide.
pub fn generate_smil(parts: &[Part<'_>]) -> String {
    let name_of = |p: &Part<'_>| {
        p.content_location()
            .map(|c| c.into_owned())
            .unwrap_or_default()
    };
    let texts: Vec<String> = parts
        .iter()
        .filter(|p| {
            p.content_type
                .media
                .name()
                .is_some_and(|n| n.starts_with("text/"))
        })
        .map(name_of)
        .collect();
    let media: Vec<(String, String)> = parts
        .iter()
        .filter_map(|p| {
            let n = p.content_type.media.name()?;
            let tag = if n.starts_with("image/") {
                "img"
            } else if n.starts_with("audio/") {
                "audio"
            } else if n.starts_with("video/") {
                "video"
            } else {
                return None;
            };
            Some((tag.to_owned(), name_of(p)))
        })
        .collect();
    let mut s = String::from(
        "<smil><head><layout><root-layout width=\"320\" height=\"480\"/>\
         <region id=\"Image\" left=\"0\" top=\"0\" width=\"320\" height=\"320\" fit=\"meet\"/>\
         <region id=\"Text\" left=\"0\" top=\"320\" width=\"320\" height=\"160\" fit=\"scroll\"/>\
         </layout></head><body>",
    );
    let slides = media.len().max(1);
    for i in 0..slides {
        s.push_str("<par dur=\"5000ms\">");
        if let Some((tag, src)) = media.get(i) {
            let region = if tag == "audio" {
                ""
            } else {
                " region=\"Image\""
            };
            s.push_str(&format!("<{tag} src=\"{}\"{region}/>", xml_escape(src)));
        }
        if i == 0 {
            for t in &texts {
                s.push_str(&format!(
                    "<text src=\"{}\" region=\"Text\"/>",
                    xml_escape(t)
                ));
            }
        }
        s.push_str("</par>");
    }
    s.push_str("</body></smil>");
    s
}

fn xml_escape(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('"', "&quot;")
        .replace('<', "&lt;")
}

/// M-NotifyResp.ind: the client's answer to a notification.
pub fn notify_resp(
    transaction_id: &str,
    status: Status,
    report_allowed: Option<bool>,
) -> Pdu<'static> {
    let mut headers = vec![
        Header::TransactionId(owned_text(transaction_id)),
        Header::MmsVersion(DEFAULT_VERSION),
        Header::Status(status),
    ];
    if let Some(r) = report_allowed {
        headers.push(Header::ReportAllowed(YesNo::from_bool(r)));
    }
    Pdu {
        message_type: MessageType::NotifyRespInd,
        headers,
        body: None,
    }
}

/// M-Acknowledge.ind: confirms a deferred retrieval.
pub fn acknowledge(transaction_id: &str, report_allowed: Option<bool>) -> Pdu<'static> {
    let mut headers = vec![
        Header::TransactionId(owned_text(transaction_id)),
        Header::MmsVersion(DEFAULT_VERSION),
    ];
    if let Some(r) = report_allowed {
        headers.push(Header::ReportAllowed(YesNo::from_bool(r)));
    }
    Pdu {
        message_type: MessageType::AcknowledgeInd,
        headers,
        body: None,
    }
}

/// M-Read-Rec.ind: a read report for `message_id`, sent to the original sender `to`.
pub fn read_rec(message_id: &str, to: &str, status: ReadStatus, date: Option<u64>) -> Pdu<'static> {
    let mut headers = vec![
        Header::MmsVersion(DEFAULT_VERSION),
        Header::MessageId(owned_text(message_id)),
        Header::To(encoded_text(&wire_address(to))),
        Header::From(FromValue::InsertAddress),
    ];
    if let Some(d) = date {
        headers.push(Header::Date(d));
    }
    headers.push(Header::ReadStatus(status));
    Pdu {
        message_type: MessageType::ReadRecInd,
        headers,
        body: None,
    }
}

/// M-Forward.req: forwards a message still on the MMSC (by its Content-Location).
pub fn forward_req(transaction_id: &str, to: &[&str], content_location: &str) -> Pdu<'static> {
    let mut headers = vec![
        Header::TransactionId(owned_text(transaction_id)),
        Header::MmsVersion(DEFAULT_VERSION),
        Header::From(FromValue::InsertAddress),
    ];
    headers.extend(
        to.iter()
            .map(|a| Header::To(encoded_text(&wire_address(a)))),
    );
    headers.push(Header::ContentLocation(ContentLocation {
        status_count: None,
        uri: owned_text(content_location),
    }));
    Pdu {
        message_type: MessageType::ForwardReq,
        headers,
        body: None,
    }
}

/// M-Delete.req: deletes messages on the MMSC by Content-Location.
pub fn delete_req(transaction_id: &str, content_locations: &[&str]) -> Pdu<'static> {
    let mut headers = vec![
        Header::TransactionId(owned_text(transaction_id)),
        Header::MmsVersion(Version::V1_3),
    ];
    headers.extend(content_locations.iter().map(|c| {
        Header::ContentLocation(ContentLocation {
            status_count: None,
            uri: owned_text(c),
        })
    }));
    Pdu {
        message_type: MessageType::DeleteReq,
        headers,
        body: None,
    }
}

/// M-Cancel.req (MMSC side): withdraws a message from a recipient; `cancel_id` names it by
/// Message-ID, or a pending notification by its Content-Location.
pub fn cancel_req(transaction_id: &str, cancel_id: &str) -> Pdu<'static> {
    Pdu {
        message_type: MessageType::CancelReq,
        headers: vec![
            Header::TransactionId(owned_text(transaction_id)),
            Header::MmsVersion(Version::V1_3),
            Header::CancelId(owned_text(cancel_id)),
        ],
        body: None,
    }
}

/// M-Cancel.conf: the client's answer to an M-Cancel.req.
pub fn cancel_conf(transaction_id: &str, status: CancelStatus) -> Pdu<'static> {
    Pdu {
        message_type: MessageType::CancelConf,
        headers: vec![
            Header::TransactionId(owned_text(transaction_id)),
            Header::MmsVersion(Version::V1_3),
            Header::CancelStatus(status),
        ],
        body: None,
    }
}

/// M-Delete.conf (MMSC side): one Response-Status for the whole request.
pub fn delete_conf(transaction_id: &str, status: ResponseStatus) -> Pdu<'static> {
    Pdu {
        message_type: MessageType::DeleteConf,
        headers: vec![
            Header::TransactionId(owned_text(transaction_id)),
            Header::MmsVersion(Version::V1_3),
            Header::ResponseStatus(status),
        ],
        body: None,
    }
}

/// M-Send.conf (MMSC side).
pub fn send_conf(
    transaction_id: &str,
    status: ResponseStatus,
    message_id: Option<&str>,
    text: Option<&str>,
) -> Pdu<'static> {
    let mut headers = vec![
        Header::TransactionId(owned_text(transaction_id)),
        Header::MmsVersion(DEFAULT_VERSION),
        Header::ResponseStatus(status),
    ];
    if let Some(t) = text {
        headers.push(Header::ResponseText(StatusText {
            status_count: None,
            text: encoded_text(t),
        }));
    }
    if let Some(m) = message_id {
        headers.push(Header::MessageId(owned_text(m)));
    }
    Pdu {
        message_type: MessageType::SendConf,
        headers,
        body: None,
    }
}

/// Fields of an M-Notification.ind (MMSC side).
#[derive(Debug, Clone)]
pub struct Notification<'s> {
    /// Transaction id.
    pub transaction_id: &'s str,
    /// The sender, if shown.
    pub from: Option<&'s str>,
    /// Subject.
    pub subject: Option<&'s str>,
    /// Message size in octets.
    pub size: u64,
    /// Expiry.
    pub expiry: TimeValue,
    /// Where to fetch the message.
    pub content_location: &'s str,
    /// Message class.
    pub class: ClassToken,
    /// Whether the sender asked for a delivery report.
    pub delivery_report: bool,
}

/// M-Notification.ind (MMSC side).
pub fn notification_ind(n: &Notification<'_>) -> Pdu<'static> {
    let mut headers = vec![
        Header::TransactionId(owned_text(n.transaction_id)),
        Header::MmsVersion(DEFAULT_VERSION),
    ];
    if let Some(f) = n.from {
        headers.push(Header::From(FromValue::Address(encoded_text(
            &wire_address(f),
        ))));
    }
    if let Some(s) = n.subject {
        headers.push(Header::Subject(encoded_text(s)));
    }
    headers.push(Header::MessageClass(super::header::MessageClass::Token(
        n.class,
    )));
    headers.push(Header::MessageSize(n.size));
    headers.push(Header::Expiry(n.expiry));
    headers.push(Header::DeliveryReport(YesNo::from_bool(n.delivery_report)));
    headers.push(Header::ContentLocation(ContentLocation {
        status_count: None,
        uri: owned_text(n.content_location),
    }));
    Pdu {
        message_type: MessageType::NotificationInd,
        headers,
        body: None,
    }
}

/// M-Delivery.ind (MMSC side).
pub fn delivery_ind(message_id: &str, to: &str, status: Status, date: u64) -> Pdu<'static> {
    Pdu {
        message_type: MessageType::DeliveryInd,
        headers: vec![
            Header::MmsVersion(DEFAULT_VERSION),
            Header::MessageId(owned_text(message_id)),
            Header::To(encoded_text(&wire_address(to))),
            Header::Date(date),
            Header::Status(status),
        ],
        body: None,
    }
}

/// M-Read-Orig.ind (MMSC side): a read report forwarded to the original sender.
pub fn read_orig(
    message_id: &str,
    to: &str,
    from: &str,
    status: ReadStatus,
    date: u64,
) -> Pdu<'static> {
    Pdu {
        message_type: MessageType::ReadOrigInd,
        headers: vec![
            Header::MmsVersion(DEFAULT_VERSION),
            Header::MessageId(owned_text(message_id)),
            Header::To(encoded_text(&wire_address(to))),
            Header::From(FromValue::Address(encoded_text(&wire_address(from)))),
            Header::Date(date),
            Header::ReadStatus(status),
        ],
        body: None,
    }
}
