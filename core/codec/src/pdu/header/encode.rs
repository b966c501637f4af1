//! Encoding a header: its field octet and its value.

use super::*;
use crate::pdu::error::EncodeError;
use crate::pdu::reader::Reader;
use crate::pdu::text::{EncodedString, Text};
use crate::pdu::wsp;

/// Appends an Encoded-string-value.
pub fn put_encoded_string(
    out: &mut Vec<u8>,
    e: &EncodedString<'_>,
    what: &'static str,
) -> Result<(), EncodeError> {
    match e.charset {
        None => put_text(out, &e.text, what),
        Some(c) => {
            let mut body = Vec::with_capacity(e.text.as_bytes().len().saturating_add(4));
            wsp::put_integer_value(&mut body, u64::from(c.0));
            if matches!(c.0, 1000 | 1013 | 1014 | 1015) {
                if e.text.as_bytes().len() % 2 == 1 {
                    return Err(EncodeError::OutOfRange("odd-length 16-bit text"));
                }
                body.extend_from_slice(e.text.as_bytes());
                body.push(0);
            } else {
                wsp::put_text_string(&mut body, e.text.as_bytes(), what)?;
            }
            wsp::put_with_length(out, &body, what)
        }
    }
}

fn put_token(out: &mut Vec<u8>, b: u8, what: &'static str) -> Result<(), EncodeError> {
    if b < 0x80 {
        return Err(EncodeError::InvalidCode(what));
    }
    out.push(b);
    Ok(())
}

fn put_time(out: &mut Vec<u8>, t: &TimeValue) -> Result<(), EncodeError> {
    let mut body = Vec::with_capacity(10);
    match t {
        TimeValue::Absolute(v) => {
            body.push(0x80);
            wsp::put_long_integer(&mut body, *v);
        }
        TimeValue::Relative(v) => {
            body.push(0x81);
            wsp::put_long_integer(&mut body, *v);
        }
    }
    wsp::put_with_length(out, &body, "time value")
}

/// A Text-string in header value position.
fn put_text(out: &mut Vec<u8>, t: &Text<'_>, what: &'static str) -> Result<(), EncodeError> {
    wsp::put_text_string(out, t.as_bytes(), what)
}

/// True for fields whose value is a text or encoded string: a first octet >= 0x80 there is a
/// missing Quote, not a one-octet token.
pub fn is_text_field(f: u8) -> bool {
    use field::*;
    matches!(
        f,
        BCC | CC
            | TO
            | CONTENT_LOCATION
            | MESSAGE_ID
            | SUBJECT
            | TRANSACTION_ID
            | RETRIEVE_TEXT
            | RESPONSE_TEXT
            | REPLY_CHARGING_ID
            | STORE_STATUS_TEXT
            | STATUS_TEXT
            | APPLIC_ID
            | REPLY_APPLIC_ID
            | AUX_APPLIC_INFO
            | REPLACE_ID
            | CANCEL_ID
    )
}

/// Appends one header (field octet and value).
pub fn encode_header(out: &mut Vec<u8>, h: &Header<'_>) -> Result<(), EncodeError> {
    if let Header::Application { name, value } = h {
        let n = name.as_bytes();
        if n.first().is_none_or(|b| !(0x20..0x7f).contains(b)) {
            return Err(EncodeError::InvalidCode("application header name"));
        }
        wsp::put_token_text(out, n, "application header name")?;
        return wsp::put_text_string(out, value.as_bytes(), "application header value");
    }
    let field = h.field().unwrap_or(0);
    if field > 0x7f || field == field::MESSAGE_TYPE || field == field::CONTENT_TYPE {
        return Err(EncodeError::InvalidCode("header field"));
    }
    out.push(field | 0x80);
    match h {
        Header::Bcc(v) | Header::Cc(v) | Header::To(v) => put_encoded_string(out, v, "address"),
        Header::Subject(v) => put_encoded_string(out, v, "subject"),
        Header::RetrieveText(v)
        | Header::StoreStatusText(v)
        | Header::RecommendedRetrievalModeText(v)
        | Header::StatusText(v) => put_encoded_string(out, v, "text"),
        Header::ContentLocation(cl) => match cl.status_count {
            None => put_text(out, &cl.uri, "content location"),
            Some(n) => {
                let mut body = Vec::new();
                wsp::put_integer_value(&mut body, n);
                put_text(&mut body, &cl.uri, "content location")?;
                wsp::put_with_length(out, &body, "content location")
            }
        },
        Header::ResponseText(st) => match st.status_count {
            None => put_encoded_string(out, &st.text, "response text"),
            Some(n) => {
                let mut body = Vec::new();
                wsp::put_integer_value(&mut body, n);
                put_encoded_string(&mut body, &st.text, "response text")?;
                wsp::put_with_length(out, &body, "response text")
            }
        },
        Header::Date(v) | Header::MessageSize(v) | Header::ReplyChargingSize(v) => {
            wsp::put_long_integer(out, *v);
            Ok(())
        }
        Header::MessageCount(v) | Header::Start(v) | Header::Limit(v) => {
            wsp::put_integer_value(out, *v);
            Ok(())
        }
        Header::DeliveryTime(t) | Header::Expiry(t) | Header::ReplyChargingDeadline(t) => {
            put_time(out, t)
        }
        Header::From(FromValue::Address(a)) => {
            let mut body = vec![0x80];
            put_encoded_string(&mut body, a, "from")?;
            wsp::put_with_length(out, &body, "from")
        }
        Header::From(FromValue::InsertAddress) => {
            out.extend_from_slice(&[0x01, 0x81]);
            Ok(())
        }
        Header::MessageClass(MessageClass::Token(c)) => put_token(out, c.to_u8(), "class"),
        Header::MessageClass(MessageClass::Text(t)) => put_text(out, t, "class"),
        Header::MessageId(t)
        | Header::TransactionId(t)
        | Header::ReplyChargingId(t)
        | Header::ApplicId(t)
        | Header::ReplyApplicId(t)
        | Header::AuxApplicInfo(t)
        | Header::ReplaceId(t)
        | Header::CancelId(t) => put_text(out, t, "text"),
        Header::MmsVersion(v) => wsp::put_short_integer(out, v.0, "version"),
        Header::Priority(v) => put_token(out, v.to_u8(), "priority"),
        Header::DeliveryReport(v)
        | Header::ReadReport(v)
        | Header::ReportAllowed(v)
        | Header::Store(v)
        | Header::Stored(v)
        | Header::Totals(v)
        | Header::Quotas(v)
        | Header::DistributionIndicator(v)
        | Header::DrmContent(v)
        | Header::AdaptationAllowed(v) => put_token(out, v.to_u8(), "yes/no"),
        Header::ResponseStatus(v) => put_token(out, v.to_u8(), "response status"),
        Header::SenderVisibility(v) => put_token(out, v.to_u8(), "visibility"),
        Header::Status(v) => put_token(out, v.to_u8(), "status"),
        Header::RetrieveStatus(v) => put_token(out, v.to_u8(), "retrieve status"),
        Header::ReadStatus(v) => put_token(out, v.to_u8(), "read status"),
        Header::ReplyCharging(v) => put_token(out, v.to_u8(), "reply charging"),
        Header::MmState(v) => put_token(out, v.to_u8(), "mm state"),
        Header::StoreStatus(v) => put_token(out, v.to_u8(), "store status"),
        Header::ContentClass(v) => put_token(out, v.to_u8(), "content class"),
        Header::CancelStatus(v) => put_token(out, v.to_u8(), "cancel status"),
        Header::RecommendedRetrievalMode(v) => put_token(out, v.to_u8(), "retrieval mode"),
        Header::PreviouslySentBy { count, address } => {
            let mut body = Vec::new();
            wsp::put_integer_value(&mut body, *count);
            put_encoded_string(&mut body, address, "previously sent by")?;
            wsp::put_with_length(out, &body, "previously sent by")
        }
        Header::PreviouslySentDate { count, date } => {
            let mut body = Vec::new();
            wsp::put_integer_value(&mut body, *count);
            wsp::put_long_integer(&mut body, *date);
            wsp::put_with_length(out, &body, "previously sent date")
        }
        Header::MmFlags { op, flag } => {
            let mut body = Vec::new();
            put_token(&mut body, op.to_u8(), "flag op")?;
            put_encoded_string(&mut body, flag, "mm flags")?;
            wsp::put_with_length(out, &body, "mm flags")
        }
        Header::Attributes(c) => wsp::put_short_integer(out, *c, "attributes"),
        Header::MboxTotals(q) | Header::MboxQuotas(q) => {
            let mut body = Vec::new();
            put_token(&mut body, q.kind.to_u8(), "quantity kind")?;
            wsp::put_integer_value(&mut body, q.value);
            wsp::put_with_length(out, &body, "quantity")
        }
        Header::Raw { value, .. } => {
            // The raw value must itself be a complete value extent, or the PDU would desync.
            let mut r = Reader::new(value);
            match wsp::value_extent(&mut r) {
                Ok(_) if r.is_empty() => {
                    out.extend_from_slice(value);
                    Ok(())
                }
                _ => Err(EncodeError::OutOfRange("raw header value")),
            }
        }
        Header::Application { .. } => Ok(()),
    }
}
