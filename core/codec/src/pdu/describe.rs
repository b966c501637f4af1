//! A readable, owned record of a decoded PDU for tools, logs and bindings: every header as a
//! name/value pair, every part with type, size, name and charset, and the warnings.

use super::header::{FromValue, Header, MessageClass, TimeValue};
use super::multipart::{BodyData, Disposition, Part, PartHeader};
use super::{Decoded, Pdu};
use serde::Serialize;

/// One header, rendered.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct HeaderRecord {
    /// Header name as the specification spells it.
    pub name: String,
    /// Value, rendered for humans.
    pub value: String,
}

/// One part, rendered.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct PartRecord {
    /// Path of the part (`0`, `1.0` for nested parts).
    pub index: String,
    /// Content type with parameters.
    pub content_type: String,
    /// Media type alone.
    pub media_type: String,
    /// File name, if any.
    pub name: Option<String>,
    /// Charset, if given.
    pub charset: Option<String>,
    /// Content-ID without `<>`.
    pub content_id: Option<String>,
    /// Content-Location.
    pub content_location: Option<String>,
    /// Size of the data in octets.
    pub size: usize,
    /// Part headers.
    pub headers: Vec<HeaderRecord>,
    /// The first characters of a text part.
    pub text_preview: Option<String>,
}

/// A decoded PDU, rendered.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct PduRecord {
    /// Message type name (`m-send-req`).
    pub message_type: String,
    /// Message type code.
    pub message_type_code: u8,
    /// Headers in wire order (message type and content type excluded).
    pub headers: Vec<HeaderRecord>,
    /// Content-Type of the body.
    pub content_type: Option<String>,
    /// Parts of a multipart body, flattened in document order.
    pub parts: Vec<PartRecord>,
    /// Size of a non-multipart body.
    pub body_size: Option<usize>,
    /// Warnings from the tolerant decode.
    pub warnings: Vec<String>,
}

fn time(t: &TimeValue) -> String {
    match t {
        TimeValue::Absolute(s) => format!("absolute {s} ({})", iso8601(*s)),
        TimeValue::Relative(s) => format!("relative +{s}s"),
    }
}

/// A date (seconds since the epoch) as ISO 8601 UTC, or `invalid date` for one no calendar
/// reaches (past the year 9999: a hostile or broken value, never shown as a year).
pub fn iso8601(secs: u64) -> String {
    i64::try_from(secs)
        .ok()
        .and_then(|s| time::OffsetDateTime::from_unix_timestamp(s).ok())
        .and_then(|t| {
            t.format(&time::format_description::well_known::Rfc3339)
                .ok()
        })
        .unwrap_or_else(|| "invalid date".to_string())
}

/// Renders a header value for humans.
pub fn header_value(h: &Header<'_>) -> String {
    match h {
        Header::Bcc(v)
        | Header::Cc(v)
        | Header::To(v)
        | Header::Subject(v)
        | Header::RetrieveText(v)
        | Header::StoreStatusText(v)
        | Header::RecommendedRetrievalModeText(v)
        | Header::StatusText(v) => with_charset(v),
        Header::ContentLocation(c) => match c.status_count {
            Some(n) => format!("{} (status count {n})", c.uri),
            None => c.uri.to_string(),
        },
        Header::ResponseText(t) => with_charset(&t.text),
        Header::Date(d) => format!("{d} ({})", iso8601(*d)),
        Header::DeliveryTime(t) | Header::Expiry(t) | Header::ReplyChargingDeadline(t) => time(t),
        Header::From(FromValue::Address(a)) => with_charset(a),
        Header::From(FromValue::InsertAddress) => "<insert-address>".into(),
        Header::MessageClass(MessageClass::Token(c)) => c.to_string(),
        Header::MessageClass(MessageClass::Text(t)) => t.to_string(),
        Header::MessageId(t)
        | Header::TransactionId(t)
        | Header::ReplyChargingId(t)
        | Header::ApplicId(t)
        | Header::ReplyApplicId(t)
        | Header::AuxApplicInfo(t)
        | Header::ReplaceId(t)
        | Header::CancelId(t) => t.to_string(),
        Header::MmsVersion(v) => v.to_string(),
        Header::MessageSize(v)
        | Header::ReplyChargingSize(v)
        | Header::MessageCount(v)
        | Header::Start(v)
        | Header::Limit(v) => v.to_string(),
        Header::Priority(v) => v.to_string(),
        Header::DeliveryReport(v)
        | Header::ReadReport(v)
        | Header::ReportAllowed(v)
        | Header::Store(v)
        | Header::Stored(v)
        | Header::Totals(v)
        | Header::Quotas(v)
        | Header::DistributionIndicator(v)
        | Header::DrmContent(v)
        | Header::AdaptationAllowed(v) => v.to_string(),
        Header::ResponseStatus(v) => v.to_string(),
        Header::SenderVisibility(v) => v.to_string(),
        Header::Status(v) => v.to_string(),
        Header::RetrieveStatus(v) => v.to_string(),
        Header::ReadStatus(v) => v.to_string(),
        Header::ReplyCharging(v) => v.to_string(),
        Header::PreviouslySentBy { count, address } => {
            format!("#{count} {}", with_charset(address))
        }
        Header::PreviouslySentDate { count, date } => format!("#{count} {}", iso8601(*date)),
        Header::MmState(v) => v.to_string(),
        Header::MmFlags { op, flag } => format!("{} {}", op.label(), with_charset(flag)),
        Header::StoreStatus(v) => v.to_string(),
        Header::Attributes(c) => super::header::field_name(*c).to_string(),
        Header::MboxTotals(q) | Header::MboxQuotas(q) => format!("{} {}", q.value, q.kind.label()),
        Header::RecommendedRetrievalMode(v) => v.to_string(),
        Header::ContentClass(v) => v.to_string(),
        Header::CancelStatus(v) => v.to_string(),
        Header::Raw { value, .. } => format!("raw {}", hex(value)),
        Header::Application { value, .. } => value.to_string(),
    }
}

fn with_charset(e: &super::EncodedString<'_>) -> String {
    match e.charset {
        Some(c) => format!("{} [charset {c}]", e.to_string_lossy()),
        None => e.to_string_lossy().into_owned(),
    }
}

fn hex(b: &[u8]) -> String {
    b.iter().map(|x| format!("{x:02x}")).collect()
}

fn part_header(h: &PartHeader<'_>) -> HeaderRecord {
    let (name, value) = match h {
        PartHeader::ContentId(t) => ("Content-ID".to_string(), t.to_string()),
        PartHeader::ContentLocation(t) => ("Content-Location".to_string(), t.to_string()),
        PartHeader::ContentDisposition {
            disposition,
            params,
            ..
        } => {
            let mut v = match disposition {
                Disposition::FormData => "form-data".to_string(),
                Disposition::Attachment => "attachment".to_string(),
                Disposition::Inline => "inline".to_string(),
                Disposition::Token(b) => format!("0x{b:02x}"),
                Disposition::Text(t) => t.to_string(),
            };
            for p in params {
                v.push_str(&format!("; {}={}", p.name.label(), p.value.display()));
            }
            ("Content-Disposition".to_string(), v)
        }
        PartHeader::WellKnown { code, value } => {
            (format!("wsp-header-0x{:02x}", code | 0x80), hex(value))
        }
        PartHeader::Textual { name, value } => (name.to_string(), value.to_string()),
    };
    HeaderRecord { name, value }
}

fn walk(parts: &[Part<'_>], prefix: &str, out: &mut Vec<PartRecord>) {
    for (i, p) in parts.iter().enumerate() {
        let index = if prefix.is_empty() {
            i.to_string()
        } else {
            format!("{prefix}.{i}")
        };
        let media = p.content_type.media.display_name();
        let data = p.decoded_data();
        let text_preview = if media.starts_with("text/") || media == "application/smil" {
            let cs = p.content_type.charset().unwrap_or(super::Charset::UTF_8);
            let t = cs.decode(&data);
            Some(t.chars().take(120).collect())
        } else {
            None
        };
        out.push(PartRecord {
            index: index.clone(),
            content_type: p.content_type.to_string(),
            media_type: media,
            name: p.name().map(|n| n.into_owned()),
            charset: p.content_type.charset().map(|c| c.to_string()),
            content_id: p.content_id().map(|c| c.into_owned()),
            content_location: p.content_location().map(|c| c.into_owned()),
            size: p.raw_data().len(),
            headers: p.headers.iter().map(part_header).collect(),
            text_preview,
        });
        if let BodyData::Multipart(children) = &p.data {
            walk(children, &index, out);
        }
    }
}

impl PduRecord {
    /// Renders a decoded PDU.
    pub fn from_decoded(d: &Decoded<'_>) -> Self {
        let mut r = Self::from_pdu(&d.pdu);
        r.warnings = d.warnings.iter().map(|w| w.to_string()).collect();
        r
    }

    /// Renders a PDU.
    pub fn from_pdu(p: &Pdu<'_>) -> Self {
        let mut parts = Vec::new();
        let mut body_size = None;
        if let Some(b) = &p.body {
            match &b.data {
                BodyData::Multipart(ps) => walk(ps, "", &mut parts),
                BodyData::Single(d) => body_size = Some(d.len()),
            }
        }
        PduRecord {
            message_type: p.message_type.label().to_string(),
            message_type_code: p.message_type.to_u8(),
            headers: p
                .headers
                .iter()
                .map(|h| HeaderRecord {
                    name: h.name().into_owned(),
                    value: header_value(h),
                })
                .collect(),
            content_type: p.content_type().map(|c| c.to_string()),
            parts,
            body_size,
            warnings: Vec::new(),
        }
    }

    /// A plain-text rendering, one header per line, then the parts and warnings.
    pub fn to_text(&self) -> String {
        let mut s = format!(
            "X-Mms-Message-Type: {} (0x{:02x})\n",
            self.message_type, self.message_type_code
        );
        for h in &self.headers {
            s.push_str(&format!("{}: {}\n", h.name, h.value));
        }
        if let Some(ct) = &self.content_type {
            s.push_str(&format!("Content-Type: {ct}\n"));
        }
        if let Some(n) = self.body_size {
            s.push_str(&format!("Body: {n} octets\n"));
        }
        if !self.parts.is_empty() {
            s.push_str(&format!("Parts: {}\n", self.parts.len()));
        }
        for p in &self.parts {
            s.push_str(&format!(
                "  [{}] {} ({} octets)",
                p.index, p.content_type, p.size
            ));
            if let Some(n) = &p.name {
                s.push_str(&format!(" name={n:?}"));
            }
            s.push('\n');
            for h in &p.headers {
                s.push_str(&format!("       {}: {}\n", h.name, h.value));
            }
            if let Some(t) = &p.text_preview {
                s.push_str(&format!("       text: {:?}\n", t));
            }
        }
        for w in &self.warnings {
            s.push_str(&format!("warning: {w}\n"));
        }
        s
    }
}
