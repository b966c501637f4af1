//! MMS header fields (OMA-MMS-ENC 1.3 section 7.3 and table 12): the typed [`Header`] model,
//! decoding of one header value from its extent, and encoding.

mod decode;
mod encode;
mod fields;

pub use decode::{decode_value, encoded_string};
pub use encode::{encode_header, is_text_field, put_encoded_string};
pub use fields::{field, field_name};

use super::text::{EncodedString, Text};
use super::values::*;
use std::borrow::Cow;

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
