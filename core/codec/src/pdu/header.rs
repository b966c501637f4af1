//! MMS header fields (OMA-MMS-ENC 1.3 section 7.3 and table 12): the typed [`Header`] model,
//! decoding of one header value from its extent, and encoding.

use super::charset::Charset;
use super::error::{DecodeError, DecodeErrorKind, EncodeError};
use super::reader::Reader;
use super::text::{EncodedString, Text};
use super::values::*;
use super::wsp;
use std::borrow::Cow;

/// Header field codes (without the high bit).
pub mod field {
    #![allow(missing_docs)]
    pub const BCC: u8 = 0x01;
    pub const CC: u8 = 0x02;
    pub const CONTENT_LOCATION: u8 = 0x03;
    pub const CONTENT_TYPE: u8 = 0x04;
    pub const DATE: u8 = 0x05;
    pub const DELIVERY_REPORT: u8 = 0x06;
    pub const DELIVERY_TIME: u8 = 0x07;
    pub const EXPIRY: u8 = 0x08;
    pub const FROM: u8 = 0x09;
    pub const MESSAGE_CLASS: u8 = 0x0a;
    pub const MESSAGE_ID: u8 = 0x0b;
    pub const MESSAGE_TYPE: u8 = 0x0c;
    pub const MMS_VERSION: u8 = 0x0d;
    pub const MESSAGE_SIZE: u8 = 0x0e;
    pub const PRIORITY: u8 = 0x0f;
    pub const READ_REPORT: u8 = 0x10;
    pub const REPORT_ALLOWED: u8 = 0x11;
    pub const RESPONSE_STATUS: u8 = 0x12;
    pub const RESPONSE_TEXT: u8 = 0x13;
    pub const SENDER_VISIBILITY: u8 = 0x14;
    pub const STATUS: u8 = 0x15;
    pub const SUBJECT: u8 = 0x16;
    pub const TO: u8 = 0x17;
    pub const TRANSACTION_ID: u8 = 0x18;
    pub const RETRIEVE_STATUS: u8 = 0x19;
    pub const RETRIEVE_TEXT: u8 = 0x1a;
    pub const READ_STATUS: u8 = 0x1b;
    pub const REPLY_CHARGING: u8 = 0x1c;
    pub const REPLY_CHARGING_DEADLINE: u8 = 0x1d;
    pub const REPLY_CHARGING_ID: u8 = 0x1e;
    pub const REPLY_CHARGING_SIZE: u8 = 0x1f;
    pub const PREVIOUSLY_SENT_BY: u8 = 0x20;
    pub const PREVIOUSLY_SENT_DATE: u8 = 0x21;
    pub const STORE: u8 = 0x22;
    pub const MM_STATE: u8 = 0x23;
    pub const MM_FLAGS: u8 = 0x24;
    pub const STORE_STATUS: u8 = 0x25;
    pub const STORE_STATUS_TEXT: u8 = 0x26;
    pub const STORED: u8 = 0x27;
    pub const ATTRIBUTES: u8 = 0x28;
    pub const TOTALS: u8 = 0x29;
    pub const MBOX_TOTALS: u8 = 0x2a;
    pub const QUOTAS: u8 = 0x2b;
    pub const MBOX_QUOTAS: u8 = 0x2c;
    pub const MESSAGE_COUNT: u8 = 0x2d;
    pub const CONTENT: u8 = 0x2e;
    pub const START: u8 = 0x2f;
    pub const ADDITIONAL_HEADERS: u8 = 0x30;
    pub const DISTRIBUTION_INDICATOR: u8 = 0x31;
    pub const ELEMENT_DESCRIPTOR: u8 = 0x32;
    pub const LIMIT: u8 = 0x33;
    pub const RECOMMENDED_RETRIEVAL_MODE: u8 = 0x34;
    pub const RECOMMENDED_RETRIEVAL_MODE_TEXT: u8 = 0x35;
    pub const STATUS_TEXT: u8 = 0x36;
    pub const APPLIC_ID: u8 = 0x37;
    pub const REPLY_APPLIC_ID: u8 = 0x38;
    pub const AUX_APPLIC_INFO: u8 = 0x39;
    pub const CONTENT_CLASS: u8 = 0x3a;
    pub const DRM_CONTENT: u8 = 0x3b;
    pub const ADAPTATION_ALLOWED: u8 = 0x3c;
    pub const REPLACE_ID: u8 = 0x3d;
    pub const CANCEL_ID: u8 = 0x3e;
    pub const CANCEL_STATUS: u8 = 0x3f;
}

/// The header name for a field code, as OMA-MMS-ENC spells it.
pub fn field_name(code: u8) -> &'static str {
    const NAMES: [&str; 64] = [
        "(0x80)",
        "Bcc",
        "Cc",
        "X-Mms-Content-Location",
        "Content-Type",
        "Date",
        "X-Mms-Delivery-Report",
        "X-Mms-Delivery-Time",
        "X-Mms-Expiry",
        "From",
        "X-Mms-Message-Class",
        "Message-ID",
        "X-Mms-Message-Type",
        "X-Mms-MMS-Version",
        "X-Mms-Message-Size",
        "X-Mms-Priority",
        "X-Mms-Read-Report",
        "X-Mms-Report-Allowed",
        "X-Mms-Response-Status",
        "X-Mms-Response-Text",
        "X-Mms-Sender-Visibility",
        "X-Mms-Status",
        "Subject",
        "To",
        "X-Mms-Transaction-Id",
        "X-Mms-Retrieve-Status",
        "X-Mms-Retrieve-Text",
        "X-Mms-Read-Status",
        "X-Mms-Reply-Charging",
        "X-Mms-Reply-Charging-Deadline",
        "X-Mms-Reply-Charging-ID",
        "X-Mms-Reply-Charging-Size",
        "X-Mms-Previously-Sent-By",
        "X-Mms-Previously-Sent-Date",
        "X-Mms-Store",
        "X-Mms-MM-State",
        "X-Mms-MM-Flags",
        "X-Mms-Store-Status",
        "X-Mms-Store-Status-Text",
        "X-Mms-Stored",
        "X-Mms-Attributes",
        "X-Mms-Totals",
        "X-Mms-Mbox-Totals",
        "X-Mms-Quotas",
        "X-Mms-Mbox-Quotas",
        "X-Mms-Message-Count",
        "Content",
        "X-Mms-Start",
        "Additional-headers",
        "X-Mms-Distribution-Indicator",
        "X-Mms-Element-Descriptor",
        "X-Mms-Limit",
        "X-Mms-Recommended-Retrieval-Mode",
        "X-Mms-Recommended-Retrieval-Mode-Text",
        "X-Mms-Status-Text",
        "X-Mms-Applic-ID",
        "X-Mms-Reply-Applic-ID",
        "X-Mms-Aux-Applic-Info",
        "X-Mms-Content-Class",
        "X-Mms-DRM-Content",
        "X-Mms-Adaptation-Allowed",
        "X-Mms-Replace-ID",
        "X-Mms-Cancel-ID",
        "X-Mms-Cancel-Status",
    ];
    NAMES.get(usize::from(code)).copied().unwrap_or("(unknown)")
}

/// X-Mms-Message-Class: a token or a text.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum MessageClass<'a> {
    /// A well-known class.
    Token(ClassToken),
    /// A textual class.
    Text(Text<'a>),
}

/// From: an address, or the insert-address token asking the MMSC to fill it in.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum FromValue<'a> {
    /// The sender's address.
    Address(EncodedString<'a>),
    /// Insert-address-token: the MMSC inserts the sender.
    InsertAddress,
}

/// Expiry, Delivery-Time and Reply-Charging-Deadline values.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum TimeValue {
    /// Seconds since the Unix epoch.
    Absolute(u64),
    /// Seconds after the message was received.
    Relative(u64),
}

impl TimeValue {
    /// Resolves to seconds since the epoch, given the reception time.
    pub fn resolve(self, received: u64) -> u64 {
        match self {
            TimeValue::Absolute(t) => t,
            TimeValue::Relative(d) => received.saturating_add(d),
        }
    }
}

/// X-Mms-Content-Location: a URI, with a status count in mbox-delete-conf / delete-conf.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct ContentLocation<'a> {
    /// Status-count-value (only in the delete confirmations).
    pub status_count: Option<u64>,
    /// The URI.
    pub uri: Text<'a>,
}

/// X-Mms-Response-Text: an encoded string, with a status count in the delete confirmations.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct StatusText<'a> {
    /// Status-count-value (only in the delete confirmations).
    pub status_count: Option<u64>,
    /// The text.
    pub text: EncodedString<'a>,
}

/// X-Mms-Mbox-Totals / X-Mms-Mbox-Quotas.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Quantity {
    /// Messages or bytes.
    pub kind: QuantityKind,
    /// The amount.
    pub value: u64,
}

/// One MMS header with a typed value. Message type and Content-Type are not headers in this
/// model: they live in [`super::Pdu::message_type`] and [`super::Pdu::body`].
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
#[allow(missing_docs)]
pub enum Header<'a> {
    Bcc(EncodedString<'a>),
    Cc(EncodedString<'a>),
    ContentLocation(ContentLocation<'a>),
    /// Seconds since the epoch.
    Date(u64),
    DeliveryReport(YesNo),
    DeliveryTime(TimeValue),
    Expiry(TimeValue),
    From(FromValue<'a>),
    MessageClass(MessageClass<'a>),
    MessageId(Text<'a>),
    MmsVersion(Version),
    MessageSize(u64),
    Priority(Priority),
    ReadReport(YesNo),
    ReportAllowed(YesNo),
    ResponseStatus(ResponseStatus),
    ResponseText(StatusText<'a>),
    SenderVisibility(SenderVisibility),
    Status(Status),
    Subject(EncodedString<'a>),
    To(EncodedString<'a>),
    TransactionId(Text<'a>),
    RetrieveStatus(RetrieveStatus),
    RetrieveText(EncodedString<'a>),
    ReadStatus(ReadStatus),
    ReplyCharging(ReplyCharging),
    ReplyChargingDeadline(TimeValue),
    ReplyChargingId(Text<'a>),
    ReplyChargingSize(u64),
    PreviouslySentBy {
        count: u64,
        address: EncodedString<'a>,
    },
    PreviouslySentDate {
        count: u64,
        date: u64,
    },
    Store(YesNo),
    MmState(MmState),
    MmFlags {
        op: FlagOp,
        flag: EncodedString<'a>,
    },
    StoreStatus(StoreStatus),
    StoreStatusText(EncodedString<'a>),
    Stored(YesNo),
    /// A header field code (without the high bit) naming a requested attribute.
    Attributes(u8),
    Totals(YesNo),
    MboxTotals(Quantity),
    Quotas(YesNo),
    MboxQuotas(Quantity),
    MessageCount(u64),
    Start(u64),
    DistributionIndicator(YesNo),
    Limit(u64),
    RecommendedRetrievalMode(RetrievalMode),
    RecommendedRetrievalModeText(EncodedString<'a>),
    StatusText(EncodedString<'a>),
    ApplicId(Text<'a>),
    ReplyApplicId(Text<'a>),
    AuxApplicInfo(Text<'a>),
    ContentClass(ContentClass),
    DrmContent(YesNo),
    AdaptationAllowed(YesNo),
    ReplaceId(Text<'a>),
    CancelId(Text<'a>),
    CancelStatus(CancelStatus),
    /// A well-known field kept as raw octets: unknown field codes and the opaque ones
    /// (Content, Additional-headers, Element-Descriptor). `value` is the whole value as on
    /// the wire, including any length prefix, so it re-encodes byte for byte.
    Raw {
        field: u8,
        value: Cow<'a, [u8]>,
    },
    /// A textual (application) header.
    Application {
        name: Text<'a>,
        value: Text<'a>,
    },
}

impl<'a> Header<'a> {
    /// The field code (without the high bit); `None` for application headers.
    pub fn field(&self) -> Option<u8> {
        use field::*;
        Some(match self {
            Header::Bcc(_) => BCC,
            Header::Cc(_) => CC,
            Header::ContentLocation(_) => CONTENT_LOCATION,
            Header::Date(_) => DATE,
            Header::DeliveryReport(_) => DELIVERY_REPORT,
            Header::DeliveryTime(_) => DELIVERY_TIME,
            Header::Expiry(_) => EXPIRY,
            Header::From(_) => FROM,
            Header::MessageClass(_) => MESSAGE_CLASS,
            Header::MessageId(_) => MESSAGE_ID,
            Header::MmsVersion(_) => MMS_VERSION,
            Header::MessageSize(_) => MESSAGE_SIZE,
            Header::Priority(_) => PRIORITY,
            Header::ReadReport(_) => READ_REPORT,
            Header::ReportAllowed(_) => REPORT_ALLOWED,
            Header::ResponseStatus(_) => RESPONSE_STATUS,
            Header::ResponseText(_) => RESPONSE_TEXT,
            Header::SenderVisibility(_) => SENDER_VISIBILITY,
            Header::Status(_) => STATUS,
            Header::Subject(_) => SUBJECT,
            Header::To(_) => TO,
            Header::TransactionId(_) => TRANSACTION_ID,
            Header::RetrieveStatus(_) => RETRIEVE_STATUS,
            Header::RetrieveText(_) => RETRIEVE_TEXT,
            Header::ReadStatus(_) => READ_STATUS,
            Header::ReplyCharging(_) => REPLY_CHARGING,
            Header::ReplyChargingDeadline(_) => REPLY_CHARGING_DEADLINE,
            Header::ReplyChargingId(_) => REPLY_CHARGING_ID,
            Header::ReplyChargingSize(_) => REPLY_CHARGING_SIZE,
            Header::PreviouslySentBy { .. } => PREVIOUSLY_SENT_BY,
            Header::PreviouslySentDate { .. } => PREVIOUSLY_SENT_DATE,
            Header::Store(_) => STORE,
            Header::MmState(_) => MM_STATE,
            Header::MmFlags { .. } => MM_FLAGS,
            Header::StoreStatus(_) => STORE_STATUS,
            Header::StoreStatusText(_) => STORE_STATUS_TEXT,
            Header::Stored(_) => STORED,
            Header::Attributes(_) => ATTRIBUTES,
            Header::Totals(_) => TOTALS,
            Header::MboxTotals(_) => MBOX_TOTALS,
            Header::Quotas(_) => QUOTAS,
            Header::MboxQuotas(_) => MBOX_QUOTAS,
            Header::MessageCount(_) => MESSAGE_COUNT,
            Header::Start(_) => START,
            Header::DistributionIndicator(_) => DISTRIBUTION_INDICATOR,
            Header::Limit(_) => LIMIT,
            Header::RecommendedRetrievalMode(_) => RECOMMENDED_RETRIEVAL_MODE,
            Header::RecommendedRetrievalModeText(_) => RECOMMENDED_RETRIEVAL_MODE_TEXT,
            Header::StatusText(_) => STATUS_TEXT,
            Header::ApplicId(_) => APPLIC_ID,
            Header::ReplyApplicId(_) => REPLY_APPLIC_ID,
            Header::AuxApplicInfo(_) => AUX_APPLIC_INFO,
            Header::ContentClass(_) => CONTENT_CLASS,
            Header::DrmContent(_) => DRM_CONTENT,
            Header::AdaptationAllowed(_) => ADAPTATION_ALLOWED,
            Header::ReplaceId(_) => REPLACE_ID,
            Header::CancelId(_) => CANCEL_ID,
            Header::CancelStatus(_) => CANCEL_STATUS,
            Header::Raw { field, .. } => *field,
            Header::Application { .. } => return None,
        })
    }

    /// The header's name.
    pub fn name(&self) -> Cow<'_, str> {
        match self {
            Header::Application { name, .. } => name.to_str_lossy(),
            other => Cow::Borrowed(field_name(other.field().unwrap_or(0))),
        }
    }

    /// The same header owning its octets.
    pub fn into_owned(self) -> Header<'static> {
        fn es(e: EncodedString<'_>) -> EncodedString<'static> {
            e.into_owned()
        }
        fn t(x: Text<'_>) -> Text<'static> {
            x.into_owned()
        }
        match self {
            Header::Bcc(v) => Header::Bcc(es(v)),
            Header::Cc(v) => Header::Cc(es(v)),
            Header::ContentLocation(v) => Header::ContentLocation(ContentLocation {
                status_count: v.status_count,
                uri: t(v.uri),
            }),
            Header::Date(v) => Header::Date(v),
            Header::DeliveryReport(v) => Header::DeliveryReport(v),
            Header::DeliveryTime(v) => Header::DeliveryTime(v),
            Header::Expiry(v) => Header::Expiry(v),
            Header::From(FromValue::Address(a)) => Header::From(FromValue::Address(es(a))),
            Header::From(FromValue::InsertAddress) => Header::From(FromValue::InsertAddress),
            Header::MessageClass(MessageClass::Token(c)) => {
                Header::MessageClass(MessageClass::Token(c))
            }
            Header::MessageClass(MessageClass::Text(x)) => {
                Header::MessageClass(MessageClass::Text(t(x)))
            }
            Header::MessageId(v) => Header::MessageId(t(v)),
            Header::MmsVersion(v) => Header::MmsVersion(v),
            Header::MessageSize(v) => Header::MessageSize(v),
            Header::Priority(v) => Header::Priority(v),
            Header::ReadReport(v) => Header::ReadReport(v),
            Header::ReportAllowed(v) => Header::ReportAllowed(v),
            Header::ResponseStatus(v) => Header::ResponseStatus(v),
            Header::ResponseText(v) => Header::ResponseText(StatusText {
                status_count: v.status_count,
                text: es(v.text),
            }),
            Header::SenderVisibility(v) => Header::SenderVisibility(v),
            Header::Status(v) => Header::Status(v),
            Header::Subject(v) => Header::Subject(es(v)),
            Header::To(v) => Header::To(es(v)),
            Header::TransactionId(v) => Header::TransactionId(t(v)),
            Header::RetrieveStatus(v) => Header::RetrieveStatus(v),
            Header::RetrieveText(v) => Header::RetrieveText(es(v)),
            Header::ReadStatus(v) => Header::ReadStatus(v),
            Header::ReplyCharging(v) => Header::ReplyCharging(v),
            Header::ReplyChargingDeadline(v) => Header::ReplyChargingDeadline(v),
            Header::ReplyChargingId(v) => Header::ReplyChargingId(t(v)),
            Header::ReplyChargingSize(v) => Header::ReplyChargingSize(v),
            Header::PreviouslySentBy { count, address } => Header::PreviouslySentBy {
                count,
                address: es(address),
            },
            Header::PreviouslySentDate { count, date } => {
                Header::PreviouslySentDate { count, date }
            }
            Header::Store(v) => Header::Store(v),
            Header::MmState(v) => Header::MmState(v),
            Header::MmFlags { op, flag } => Header::MmFlags { op, flag: es(flag) },
            Header::StoreStatus(v) => Header::StoreStatus(v),
            Header::StoreStatusText(v) => Header::StoreStatusText(es(v)),
            Header::Stored(v) => Header::Stored(v),
            Header::Attributes(v) => Header::Attributes(v),
            Header::Totals(v) => Header::Totals(v),
            Header::MboxTotals(v) => Header::MboxTotals(v),
            Header::Quotas(v) => Header::Quotas(v),
            Header::MboxQuotas(v) => Header::MboxQuotas(v),
            Header::MessageCount(v) => Header::MessageCount(v),
            Header::Start(v) => Header::Start(v),
            Header::DistributionIndicator(v) => Header::DistributionIndicator(v),
            Header::Limit(v) => Header::Limit(v),
            Header::RecommendedRetrievalMode(v) => Header::RecommendedRetrievalMode(v),
            Header::RecommendedRetrievalModeText(v) => Header::RecommendedRetrievalModeText(es(v)),
            Header::StatusText(v) => Header::StatusText(es(v)),
            Header::ApplicId(v) => Header::ApplicId(t(v)),
            Header::ReplyApplicId(v) => Header::ReplyApplicId(t(v)),
            Header::AuxApplicInfo(v) => Header::AuxApplicInfo(t(v)),
            Header::ContentClass(v) => Header::ContentClass(v),
            Header::DrmContent(v) => Header::DrmContent(v),
            Header::AdaptationAllowed(v) => Header::AdaptationAllowed(v),
            Header::ReplaceId(v) => Header::ReplaceId(t(v)),
            Header::CancelId(v) => Header::CancelId(t(v)),
            Header::CancelStatus(v) => Header::CancelStatus(v),
            Header::Raw { field, value } => Header::Raw {
                field,
                value: Cow::Owned(value.into_owned()),
            },
            Header::Application { name, value } => Header::Application {
                name: t(name),
                value: t(value),
            },
        }
    }
}

// ---------------------------------------------------------------------------------------------
// Decoding one value from its extent
// ---------------------------------------------------------------------------------------------

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

// ---------------------------------------------------------------------------------------------
// Encoding
// ---------------------------------------------------------------------------------------------

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
