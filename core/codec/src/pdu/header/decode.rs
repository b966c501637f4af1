//! Decoding one header value from its extent, field by field.

use super::*;
use crate::pdu::charset::Charset;
use crate::pdu::error::{DecodeError, DecodeErrorKind};
use crate::pdu::reader::Reader;
use crate::pdu::text::{EncodedString, Text};
use crate::pdu::values::*;
use crate::pdu::wsp;
use std::borrow::Cow;

fn token(r: &mut Reader<'_>, what: &'static str) -> Result<u8, DecodeError> {
    let b = r.u8()?;
    if b < 0x80 {
        return Err(DecodeError::new(
            r.offset().saturating_sub(1),
            DecodeErrorKind::InvalidOctet { what, octet: b },
        ));
    }
    Ok(b)
}

/// Decodes an Encoded-string-value from a header extent (also accepts an empty extent, which
/// is how an empty value arrives as Value-length 0).
pub fn encoded_string<'a>(r: &mut Reader<'a>) -> Result<EncodedString<'a>, DecodeError> {
    if r.is_empty() {
        return Ok(EncodedString::default());
    }
    let b = r.peek()?;
    if b <= wsp::LENGTH_QUOTE {
        let mut w = wsp::value_window(r)?;
        if w.is_empty() {
            return Ok(EncodedString::default());
        }
        let at = w.offset();
        let mib = wsp::integer_value(&mut w)?;
        let charset = Charset(u32::try_from(mib).map_err(|_| {
            DecodeError::new(
                at,
                DecodeErrorKind::InvalidOctet {
                    what: "charset",
                    octet: b,
                },
            )
        })?);
        let text = if matches!(charset.0, 1000 | 1013 | 1014 | 1015) {
            // 16-bit text contains zero octets: the window bounds it, not a NUL.
            let rest = w.take_rest();
            match rest {
                [body @ .., 0] if rest.len() % 2 == 1 => body,
                [body @ .., 0, 0] => body,
                _ => rest,
            }
        } else {
            text_in_window(&mut w)?
        };
        return Ok(EncodedString {
            charset: Some(charset),
            text: Text::borrowed(text),
        });
    }
    Ok(EncodedString {
        charset: None,
        text: Text::borrowed(text_in_window(r)?),
    })
}

/// A Text-string inside a bounded window; a missing NUL at the window's end (texts
/// truncated by some MMSCs) is tolerated.
fn text_in_window<'a>(w: &mut Reader<'a>) -> Result<&'a [u8], DecodeError> {
    if w.is_empty() {
        return Ok(&[]);
    }
    if w.rest().contains(&0) {
        return wsp::text_string(w);
    }
    if w.peek()? == wsp::QUOTE {
        w.u8()?;
    }
    Ok(w.take_rest())
}

/// Decodes a Text-string header value; an empty Value-length or an encoded-string form is
/// tolerated (its text is taken).
fn text<'a>(r: &mut Reader<'a>) -> Result<Text<'a>, DecodeError> {
    if r.is_empty() || r.peek()? <= wsp::LENGTH_QUOTE {
        return encoded_string(r).map(|e| e.text);
    }
    Ok(Text::borrowed(wsp::text_string(r)?))
}

/// A Long-integer; a Short-integer is tolerated.
fn long(r: &mut Reader<'_>) -> Result<u64, DecodeError> {
    wsp::integer_value(r)
}

fn time_value(r: &mut Reader<'_>) -> Result<TimeValue, DecodeError> {
    let mut w = wsp::value_window(r)?;
    let at = w.offset();
    let tok = w.u8()?;
    let v = match tok {
        0x80 => TimeValue::Absolute(wsp::long_integer(&mut w)?),
        0x81 => TimeValue::Relative(wsp::integer_value(&mut w)?),
        other => {
            return Err(DecodeError::new(
                at,
                DecodeErrorKind::InvalidOctet {
                    what: "absolute/relative token",
                    octet: other,
                },
            ));
        }
    };
    if !w.is_empty() {
        return Err(w.err(DecodeErrorKind::TrailingBytes(w.remaining() as u64)));
    }
    Ok(v)
}

fn from_value<'a>(r: &mut Reader<'a>) -> Result<(FromValue<'a>, bool), DecodeError> {
    let b = r.peek()?;
    if b > wsp::LENGTH_QUOTE {
        // Not a From-value: a bare address (seen from non-conformant encoders).
        return Ok((FromValue::Address(encoded_string(r)?), false));
    }
    let mut w = wsp::value_window(r)?;
    let at = w.offset();
    match w.u8()? {
        0x80 => Ok((FromValue::Address(encoded_string(&mut w)?), true)),
        0x81 => Ok((FromValue::InsertAddress, true)),
        other => Err(DecodeError::new(
            at,
            DecodeErrorKind::InvalidOctet {
                what: "from token",
                octet: other,
            },
        )),
    }
}

/// Decodes one header value of well-known `field` from its extent. `in_delete_conf` selects
/// the status-count grammar of Content-Location and Response-Text. Returns the header and,
/// when the value was repaired, a note for a warning.
#[inline]
pub fn decode_value<'a>(
    field: u8,
    extent: &'a [u8],
    base: usize,
    in_delete_conf: bool,
) -> Result<(Header<'a>, Option<&'static str>), DecodeError> {
    use field::*;
    let mut r = Reader::with_base(extent, base);
    let r = &mut r;
    let mut note = None;
    let h = match field {
        BCC => Header::Bcc(encoded_string(r)?),
        CC => Header::Cc(encoded_string(r)?),
        TO => Header::To(encoded_string(r)?),
        CONTENT_LOCATION => {
            if r.peek()? <= wsp::LENGTH_QUOTE {
                let mut w = wsp::value_window(r)?;
                if w.is_empty() {
                    // An empty text (a lone NUL) reads as Value-length 0.
                    return Ok((
                        Header::ContentLocation(ContentLocation {
                            status_count: None,
                            uri: Text::default(),
                        }),
                        None,
                    ));
                }
                let count = wsp::integer_value(&mut w)?;
                let uri = Text::borrowed(text_in_window(&mut w)?);
                Header::ContentLocation(ContentLocation {
                    status_count: Some(count),
                    uri,
                })
            } else {
                Header::ContentLocation(ContentLocation {
                    status_count: None,
                    uri: Text::borrowed(wsp::text_string(r)?),
                })
            }
        }
        DATE => Header::Date(long(r)?),
        DELIVERY_REPORT => Header::DeliveryReport(YesNo::from_u8(token(r, "yes/no")?)),
        DELIVERY_TIME => Header::DeliveryTime(time_value(r)?),
        EXPIRY => Header::Expiry(time_value(r)?),
        FROM => {
            let (v, conformant) = from_value(r)?;
            if !conformant {
                note = Some("From is a bare address, not a From-value");
            }
            Header::From(v)
        }
        MESSAGE_CLASS => {
            if r.peek()? >= 0x80 {
                Header::MessageClass(MessageClass::Token(ClassToken::from_u8(r.u8()?)))
            } else {
                Header::MessageClass(MessageClass::Text(Text::borrowed(wsp::text_string(r)?)))
            }
        }
        MESSAGE_ID => Header::MessageId(text(r)?),
        MMS_VERSION => Header::MmsVersion(Version(wsp::short_integer(r)?)),
        MESSAGE_SIZE => Header::MessageSize(long(r)?),
        PRIORITY => Header::Priority(Priority::from_u8(token(r, "priority")?)),
        READ_REPORT => Header::ReadReport(YesNo::from_u8(token(r, "yes/no")?)),
        REPORT_ALLOWED => Header::ReportAllowed(YesNo::from_u8(token(r, "yes/no")?)),
        RESPONSE_STATUS => Header::ResponseStatus(ResponseStatus::from_u8(token(r, "status")?)),
        RESPONSE_TEXT => {
            if in_delete_conf && r.peek()? <= wsp::LENGTH_QUOTE {
                let mut w = wsp::value_window(r)?;
                if w.is_empty() {
                    // An empty text (a lone NUL) reads as Value-length 0.
                    return Ok((
                        Header::ResponseText(StatusText {
                            status_count: None,
                            text: EncodedString::default(),
                        }),
                        None,
                    ));
                }
                let count = wsp::integer_value(&mut w)?;
                Header::ResponseText(StatusText {
                    status_count: Some(count),
                    text: encoded_string(&mut w)?,
                })
            } else {
                Header::ResponseText(StatusText {
                    status_count: None,
                    text: encoded_string(r)?,
                })
            }
        }
        SENDER_VISIBILITY => {
            Header::SenderVisibility(SenderVisibility::from_u8(token(r, "visibility")?))
        }
        STATUS => Header::Status(Status::from_u8(token(r, "status")?)),
        SUBJECT => Header::Subject(encoded_string(r)?),
        TRANSACTION_ID => Header::TransactionId(text(r)?),
        RETRIEVE_STATUS => Header::RetrieveStatus(RetrieveStatus::from_u8(token(r, "status")?)),
        RETRIEVE_TEXT => Header::RetrieveText(encoded_string(r)?),
        READ_STATUS => Header::ReadStatus(ReadStatus::from_u8(token(r, "read status")?)),
        REPLY_CHARGING => {
            Header::ReplyCharging(ReplyCharging::from_u8(token(r, "reply charging")?))
        }
        REPLY_CHARGING_DEADLINE => Header::ReplyChargingDeadline(time_value(r)?),
        REPLY_CHARGING_ID => Header::ReplyChargingId(text(r)?),
        REPLY_CHARGING_SIZE => Header::ReplyChargingSize(long(r)?),
        PREVIOUSLY_SENT_BY => {
            let mut w = wsp::value_window(r)?;
            let count = wsp::integer_value(&mut w)?;
            Header::PreviouslySentBy {
                count,
                address: encoded_string(&mut w)?,
            }
        }
        PREVIOUSLY_SENT_DATE => {
            let mut w = wsp::value_window(r)?;
            let count = wsp::integer_value(&mut w)?;
            Header::PreviouslySentDate {
                count,
                date: wsp::long_integer(&mut w)?,
            }
        }
        STORE => Header::Store(YesNo::from_u8(token(r, "yes/no")?)),
        MM_STATE => Header::MmState(MmState::from_u8(token(r, "mm state")?)),
        MM_FLAGS => {
            let mut w = wsp::value_window(r)?;
            let op = FlagOp::from_u8(token(&mut w, "flag op")?);
            Header::MmFlags {
                op,
                flag: encoded_string(&mut w)?,
            }
        }
        STORE_STATUS => Header::StoreStatus(StoreStatus::from_u8(token(r, "store status")?)),
        STORE_STATUS_TEXT => Header::StoreStatusText(encoded_string(r)?),
        STORED => Header::Stored(YesNo::from_u8(token(r, "yes/no")?)),
        ATTRIBUTES => Header::Attributes(wsp::short_integer(r)?),
        TOTALS => Header::Totals(YesNo::from_u8(token(r, "yes/no")?)),
        QUOTAS => Header::Quotas(YesNo::from_u8(token(r, "yes/no")?)),
        MBOX_TOTALS | MBOX_QUOTAS => {
            let mut w = wsp::value_window(r)?;
            let kind = QuantityKind::from_u8(token(&mut w, "quantity kind")?);
            let q = Quantity {
                kind,
                value: wsp::integer_value(&mut w)?,
            };
            if field == MBOX_TOTALS {
                Header::MboxTotals(q)
            } else {
                Header::MboxQuotas(q)
            }
        }
        MESSAGE_COUNT => Header::MessageCount(wsp::integer_value(r)?),
        START => Header::Start(wsp::integer_value(r)?),
        DISTRIBUTION_INDICATOR => {
            Header::DistributionIndicator(YesNo::from_u8(token(r, "yes/no")?))
        }
        LIMIT => Header::Limit(wsp::integer_value(r)?),
        RECOMMENDED_RETRIEVAL_MODE => {
            Header::RecommendedRetrievalMode(RetrievalMode::from_u8(token(r, "retrieval mode")?))
        }
        RECOMMENDED_RETRIEVAL_MODE_TEXT => Header::RecommendedRetrievalModeText(encoded_string(r)?),
        STATUS_TEXT => Header::StatusText(encoded_string(r)?),
        APPLIC_ID => Header::ApplicId(text(r)?),
        REPLY_APPLIC_ID => Header::ReplyApplicId(text(r)?),
        AUX_APPLIC_INFO => Header::AuxApplicInfo(text(r)?),
        CONTENT_CLASS => Header::ContentClass(ContentClass::from_u8(token(r, "content class")?)),
        DRM_CONTENT => Header::DrmContent(YesNo::from_u8(token(r, "yes/no")?)),
        ADAPTATION_ALLOWED => Header::AdaptationAllowed(YesNo::from_u8(token(r, "yes/no")?)),
        REPLACE_ID => Header::ReplaceId(text(r)?),
        CANCEL_ID => Header::CancelId(text(r)?),
        CANCEL_STATUS => Header::CancelStatus(CancelStatus::from_u8(token(r, "cancel status")?)),
        _ => {
            return Ok((
                Header::Raw {
                    field,
                    value: Cow::Borrowed(r.take_rest()),
                },
                None,
            ));
        }
    };
    if !r.is_empty() {
        return Err(r.err(DecodeErrorKind::TrailingBytes(r.remaining() as u64)));
    }
    Ok((h, note))
}
