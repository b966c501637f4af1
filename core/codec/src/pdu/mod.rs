//! The MM1 PDU layer: WSP primitives and every PDU of OMA-MMS-ENC 1.3 (MMS 1.0 to 1.3),
//! decoded zero-copy into a typed model and encoded back conservatively.
//!
//! ```
//! use mms_codec::pdu::{Pdu, MessageType};
//! let bytes = [0x8c, 0x83, 0x98, b'x', 0, 0x8d, 0x92, 0x95, 0x81];
//! let decoded = Pdu::decode(&bytes).unwrap();
//! assert_eq!(decoded.pdu.message_type, MessageType::NotifyRespInd);
//! assert_eq!(decoded.pdu.transaction_id().unwrap().as_bytes(), b"x");
//! assert_eq!(decoded.pdu.encode().unwrap(), bytes);
//! ```
//!
//! Tolerant where the field demands it, strict where safety demands it: a bad optional header
//! is skipped and reported in [`Decoded::warnings`]; a length running past the input, an
//! oversized uintvar, or a count or depth above [`Limits`] is a [`DecodeError`] naming the
//! offset. No input allocates more than a small multiple of its own size.

pub mod address;
pub mod builder;
pub mod charset;
pub mod content_type;
pub mod describe;
pub mod error;
pub mod header;
pub mod layout;
pub mod message;
pub mod multipart;
pub mod reader;
pub mod text;
pub mod values;
pub mod wsp;

pub use address::{Address, AddressKind};
pub use charset::Charset;
pub use content_type::{ContentType, MediaType, Param, ParamName, ParamValue};
pub use error::{DecodeError, DecodeErrorKind, EncodeError, Warning};
pub use header::{
    ContentLocation, FromValue, Header, MessageClass, Quantity, StatusText, TimeValue,
};
pub use message::MessagePart;
pub use multipart::{BodyData, Disposition, Part, PartHeader};
pub use text::{EncodedString, Text};
pub use values::*;

use header::field;
use multipart::MultipartCtx;
use reader::Reader;
use std::borrow::Cow;

/// Bounds on the work a decode may do. The defaults suit a phone; every one of them is
/// enforced before the corresponding allocation.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Limits {
    /// Largest accepted input, in octets.
    pub max_pdu_size: usize,
    /// Most headers in one PDU.
    pub max_headers: usize,
    /// Most multipart entries, summed over all nesting levels.
    pub max_parts: usize,
    /// Deepest multipart nesting (the top-level body is depth 0).
    pub max_depth: usize,
    /// Most parameters in one content type or disposition.
    pub max_params: usize,
    /// Most headers in one part.
    pub max_part_headers: usize,
    /// Most warnings kept (further ones are dropped).
    pub max_warnings: usize,
}

impl Default for Limits {
    fn default() -> Self {
        Self {
            max_pdu_size: 16 * 1024 * 1024,
            max_headers: 256,
            max_parts: 256,
            max_depth: 4,
            max_params: 32,
            max_part_headers: 64,
            max_warnings: 64,
        }
    }
}

/// The body of a PDU: its Content-Type and the data.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Body<'a> {
    /// The PDU's Content-Type (always the last header on the wire).
    pub content_type: ContentType<'a>,
    /// The data: a multipart or opaque octets.
    pub data: BodyData<'a>,
}

/// An MMS PDU: message type, the other headers in wire order, and the body if any.
///
/// Decoded PDUs borrow texts and part data from the input (`Pdu<'input>`); an owned
/// `Pdu<'static>` for storage or FFI is made explicitly with [`Pdu::into_owned`].
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Pdu<'a> {
    /// X-Mms-Message-Type.
    pub message_type: MessageType,
    /// All other headers except Content-Type, in order.
    pub headers: Vec<Header<'a>>,
    /// Content-Type and data, for PDUs that carry a body.
    pub body: Option<Body<'a>>,
}

/// A decoded PDU with the warnings the tolerant decode produced.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Decoded<'a> {
    /// The PDU.
    pub pdu: Pdu<'a>,
    /// What was skipped or repaired.
    pub warnings: Vec<Warning>,
}

struct Ctx<'l> {
    limits: &'l Limits,
    warnings: Vec<Warning>,
}

impl Ctx<'_> {
    fn warn(&mut self, offset: usize, field: Option<u8>, message: impl Into<String>) {
        if self.warnings.len() < self.limits.max_warnings {
            self.warnings.push(Warning {
                offset,
                field,
                message: message.into(),
            });
        }
    }
}

impl<'a> Pdu<'a> {
    /// A PDU of `message_type` with no headers and no body.
    pub fn new(message_type: MessageType) -> Self {
        Self {
            message_type,
            headers: Vec::new(),
            body: None,
        }
    }

    /// Decodes with default [`Limits`] and checks that the headers the PDU type cannot do
    /// without are present (see [`Pdu::validate`]).
    pub fn decode(input: &'a [u8]) -> Result<Decoded<'a>, DecodeError> {
        Self::decode_with(input, &Limits::default())
    }

    /// Decodes with the given limits and validates mandatory headers.
    pub fn decode_with(input: &'a [u8], limits: &Limits) -> Result<Decoded<'a>, DecodeError> {
        let d = Self::decode_lenient_with(input, limits)?;
        d.pdu.validate()?;
        Ok(d)
    }

    /// Decodes without the mandatory-header check (for inspection tools): a PDU missing a
    /// mandatory header still decodes, with a warning.
    pub fn decode_lenient(input: &'a [u8]) -> Result<Decoded<'a>, DecodeError> {
        Self::decode_lenient_with(input, &Limits::default())
    }

    /// [`Pdu::decode_lenient`] with explicit limits.
    pub fn decode_lenient_with(
        input: &'a [u8],
        limits: &Limits,
    ) -> Result<Decoded<'a>, DecodeError> {
        if input.len() > limits.max_pdu_size {
            return Err(DecodeError::new(
                0,
                DecodeErrorKind::TooLarge {
                    size: input.len() as u64,
                    limit: limits.max_pdu_size as u64,
                },
            ));
        }
        let mut ctx = Ctx {
            limits,
            warnings: Vec::new(),
        };
        let mut r = Reader::new(input);
        // Some header values are read by the message type's grammar; when the type is not the
        // first header (non-conformant encoders), find it first.
        let prescanned = if input.first() == Some(&(field::MESSAGE_TYPE | 0x80)) {
            None
        } else {
            prescan_message_type(input, limits)
        };
        let mut message_type: Option<MessageType> = None;
        let mut headers: Vec<Header<'a>> = Vec::with_capacity(16);
        let mut body = None;
        let mut present = FieldSet::default();
        let mut count = 0usize;
        while !r.is_empty() {
            count = count.saturating_add(1);
            if count > limits.max_headers {
                return Err(r.err(DecodeErrorKind::TooManyHeaders(limits.max_headers)));
            }
            let at = r.offset();
            let b = r.peek()?;
            match b {
                0x80..=0xff => {
                    r.u8()?;
                    let f = b & 0x7f;
                    if f == field::MESSAGE_TYPE {
                        let t = r.u8()?;
                        if message_type.is_some() {
                            ctx.warn(at, Some(f), "duplicate X-Mms-Message-Type ignored");
                        } else {
                            if count != 1 {
                                ctx.warn(at, Some(f), "X-Mms-Message-Type is not the first header");
                            }
                            message_type = Some(MessageType::from_u8(t));
                        }
                        continue;
                    }
                    if f == field::CONTENT_TYPE {
                        let ct = content_type::decode_content_type(&mut r, limits)?;
                        body = Some(decode_body(&mut r, ct, &mut ctx)?);
                        break;
                    }
                    let base = r.offset();
                    let (extent, unquoted) = field_extent(&mut r, f)?;
                    if unquoted {
                        ctx.warn(
                            base,
                            Some(f),
                            "text value without Quote before a high octet",
                        );
                    }
                    let in_delete_conf = matches!(
                        message_type.or(prescanned),
                        Some(MessageType::MboxDeleteConf | MessageType::DeleteConf)
                    );
                    match header::decode_value(f, extent, base, in_delete_conf) {
                        Ok((h, note)) => {
                            if let Some(n) = note {
                                ctx.warn(at, Some(f), n);
                            }
                            if let Some(code) = h.field() {
                                present.insert(code);
                            }
                            headers.push(h);
                        }
                        Err(e) => ctx.warn(at, Some(f), format!("header skipped: {e}")),
                    }
                }
                0x20..=0x7e => {
                    let name = wsp::token_text(&mut r)?;
                    let value = wsp::text_string(&mut r)?;
                    headers.push(Header::Application {
                        name: Text::borrowed(name),
                        value: Text::borrowed(value),
                    });
                }
                _ => {
                    ctx.warn(
                        at,
                        None,
                        format!("invalid header octet 0x{b:02x}; header parse stopped"),
                    );
                    break;
                }
            }
        }
        if !r.is_empty() {
            let off = r.offset();
            let n = r.remaining();
            ctx.warn(off, None, format!("{n} trailing octets after the PDU"));
        }
        let message_type =
            message_type.ok_or_else(|| DecodeError::new(0, DecodeErrorKind::NotMms))?;
        let pdu = Pdu {
            message_type,
            headers,
            body,
        };
        if let Err(e) = missing_header(
            pdu.message_type,
            |f| present.contains(f),
            pdu.body.is_some(),
        ) {
            ctx.warn(e.offset, None, e.kind.to_string());
        }
        Ok(Decoded {
            pdu,
            warnings: ctx.warnings,
        })
    }

    /// Decodes a PDU received as a WAP push body: like [`Pdu::decode`], and the type must be
    /// one an MMSC pushes (notification, delivery report, read report).
    pub fn decode_push_body(input: &'a [u8]) -> Result<Decoded<'a>, DecodeError> {
        let d = Self::decode(input)?;
        if !d.pdu.message_type.is_push_deliverable() {
            return Err(DecodeError::new(
                0,
                DecodeErrorKind::UnexpectedMessageType(d.pdu.message_type.to_u8()),
            ));
        }
        Ok(d)
    }

    /// Checks that the headers this PDU type cannot do without are present. The list is
    /// deliberately short (what a client needs to act on the PDU), since real MMSCs omit
    /// many headers the specification calls mandatory.
    pub fn validate(&self) -> Result<(), DecodeError> {
        missing_header(
            self.message_type,
            |f| self.headers.iter().any(|h| h.field() == Some(f)),
            self.body.is_some(),
        )
    }

    /// Encodes conservatively: message type, transaction id and version first, the other
    /// headers in model order, Content-Type and the body last; multipart entry counts are
    /// always written.
    pub fn encode(&self) -> Result<Vec<u8>, EncodeError> {
        let mut out = Vec::with_capacity(256 + self.body_len_hint());
        out.push(field::MESSAGE_TYPE | 0x80);
        let t = self.message_type.to_u8();
        if t < 0x80 {
            return Err(EncodeError::InvalidCode("message type"));
        }
        out.push(t);
        let first = |f: u8| move |h: &&Header<'_>| h.field() == Some(f);
        for h in self.headers.iter().filter(first(field::TRANSACTION_ID)) {
            header::encode_header(&mut out, h)?;
        }
        for h in self.headers.iter().filter(first(field::MMS_VERSION)) {
            header::encode_header(&mut out, h)?;
        }
        for h in self.headers.iter().filter(|h| {
            !matches!(
                h.field(),
                Some(field::TRANSACTION_ID) | Some(field::MMS_VERSION)
            )
        }) {
            header::encode_header(&mut out, h)?;
        }
        if let Some(body) = &self.body {
            out.push(field::CONTENT_TYPE | 0x80);
            content_type::encode_content_type(&mut out, &body.content_type)?;
            match &body.data {
                BodyData::Single(d) => out.extend_from_slice(d),
                BodyData::Multipart(parts) => multipart::encode_multipart(&mut out, parts)?,
            }
        }
        Ok(out)
    }

    /// Puts the headers in the order [`Pdu::encode`] writes them (transaction ids, then
    /// versions, then the rest in their order), so that `decode(encode(p)) == p` holds.
    pub fn canonicalize(&mut self) {
        let rank = |h: &Header<'_>| match h.field() {
            Some(field::TRANSACTION_ID) => 0u8,
            Some(field::MMS_VERSION) => 1,
            _ => 2,
        };
        self.headers.sort_by_key(rank);
    }

    fn body_len_hint(&self) -> usize {
        fn parts_len(ps: &[Part<'_>]) -> usize {
            ps.iter()
                .map(|p| match &p.data {
                    BodyData::Single(d) => d.len().saturating_add(32),
                    BodyData::Multipart(c) => parts_len(c),
                })
                .fold(0usize, usize::saturating_add)
        }
        match self.body.as_ref().map(|b| &b.data) {
            Some(BodyData::Single(d)) => d.len(),
            Some(BodyData::Multipart(ps)) => parts_len(ps),
            None => 0,
        }
    }

    /// The same PDU owning all its octets (`Pdu<'static>`), for storage or FFI.
    pub fn into_owned(self) -> Pdu<'static> {
        Pdu {
            message_type: self.message_type,
            headers: self.headers.into_iter().map(Header::into_owned).collect(),
            body: self.body.map(|b| Body {
                content_type: b.content_type.into_owned(),
                data: b.data.into_owned(),
            }),
        }
    }

    // ---- typed accessors ------------------------------------------------------------------

    /// The first header with field code `f`.
    pub fn header(&self, f: u8) -> Option<&Header<'a>> {
        self.headers.iter().find(|h| h.field() == Some(f))
    }

    /// X-Mms-Transaction-Id.
    pub fn transaction_id(&self) -> Option<&Text<'a>> {
        self.headers.iter().find_map(|h| match h {
            Header::TransactionId(t) => Some(t),
            _ => None,
        })
    }

    /// Message-ID.
    pub fn message_id(&self) -> Option<&Text<'a>> {
        self.headers.iter().find_map(|h| match h {
            Header::MessageId(t) => Some(t),
            _ => None,
        })
    }

    /// X-Mms-MMS-Version.
    pub fn version(&self) -> Option<Version> {
        self.headers.iter().find_map(|h| match h {
            Header::MmsVersion(v) => Some(*v),
            _ => None,
        })
    }

    /// X-Mms-Content-Location's URI, trimmed of surrounding whitespace.
    pub fn content_location(&self) -> Option<Cow<'_, str>> {
        self.headers.iter().find_map(|h| match h {
            Header::ContentLocation(cl) => Some(match cl.uri.to_str_lossy() {
                Cow::Borrowed(s) => Cow::Borrowed(s.trim()),
                Cow::Owned(s) => Cow::Owned(s.trim().to_owned()),
            }),
            _ => None,
        })
    }

    /// Subject.
    pub fn subject(&self) -> Option<&EncodedString<'a>> {
        self.headers.iter().find_map(|h| match h {
            Header::Subject(s) => Some(s),
            _ => None,
        })
    }

    /// From.
    pub fn from(&self) -> Option<&FromValue<'a>> {
        self.headers.iter().find_map(|h| match h {
            Header::From(f) => Some(f),
            _ => None,
        })
    }

    /// The From address parsed, if present and not the insert-address token.
    pub fn from_address(&self) -> Option<Address> {
        match self.from()? {
            FromValue::Address(a) => Some(Address::parse(&a.to_string_lossy())),
            FromValue::InsertAddress => None,
        }
    }

    /// All To addresses.
    pub fn to(&self) -> impl Iterator<Item = &EncodedString<'a>> {
        self.headers.iter().filter_map(|h| match h {
            Header::To(a) => Some(a),
            _ => None,
        })
    }

    /// All Cc addresses.
    pub fn cc(&self) -> impl Iterator<Item = &EncodedString<'a>> {
        self.headers.iter().filter_map(|h| match h {
            Header::Cc(a) => Some(a),
            _ => None,
        })
    }

    /// All Bcc addresses.
    pub fn bcc(&self) -> impl Iterator<Item = &EncodedString<'a>> {
        self.headers.iter().filter_map(|h| match h {
            Header::Bcc(a) => Some(a),
            _ => None,
        })
    }

    /// Date (seconds since the epoch).
    pub fn date(&self) -> Option<u64> {
        self.headers.iter().find_map(|h| match h {
            Header::Date(d) => Some(*d),
            _ => None,
        })
    }

    /// X-Mms-Expiry.
    pub fn expiry(&self) -> Option<TimeValue> {
        self.headers.iter().find_map(|h| match h {
            Header::Expiry(t) => Some(*t),
            _ => None,
        })
    }

    /// X-Mms-Message-Size.
    pub fn message_size(&self) -> Option<u64> {
        self.headers.iter().find_map(|h| match h {
            Header::MessageSize(s) => Some(*s),
            _ => None,
        })
    }

    /// X-Mms-Message-Class.
    pub fn message_class(&self) -> Option<&MessageClass<'a>> {
        self.headers.iter().find_map(|h| match h {
            Header::MessageClass(c) => Some(c),
            _ => None,
        })
    }

    /// X-Mms-Response-Status.
    pub fn response_status(&self) -> Option<ResponseStatus> {
        self.headers.iter().find_map(|h| match h {
            Header::ResponseStatus(s) => Some(*s),
            _ => None,
        })
    }

    /// X-Mms-Response-Text.
    pub fn response_text(&self) -> Option<&EncodedString<'a>> {
        self.headers.iter().find_map(|h| match h {
            Header::ResponseText(s) => Some(&s.text),
            _ => None,
        })
    }

    /// X-Mms-Retrieve-Status.
    pub fn retrieve_status(&self) -> Option<RetrieveStatus> {
        self.headers.iter().find_map(|h| match h {
            Header::RetrieveStatus(s) => Some(*s),
            _ => None,
        })
    }

    /// X-Mms-Status.
    pub fn status(&self) -> Option<Status> {
        self.headers.iter().find_map(|h| match h {
            Header::Status(s) => Some(*s),
            _ => None,
        })
    }

    /// X-Mms-Read-Status.
    pub fn read_status(&self) -> Option<ReadStatus> {
        self.headers.iter().find_map(|h| match h {
            Header::ReadStatus(s) => Some(*s),
            _ => None,
        })
    }

    /// X-Mms-Delivery-Report == Yes.
    pub fn delivery_report_requested(&self) -> bool {
        self.headers
            .iter()
            .any(|h| matches!(h, Header::DeliveryReport(YesNo::Yes)))
    }

    /// X-Mms-Read-Report == Yes.
    pub fn read_report_requested(&self) -> bool {
        self.headers
            .iter()
            .any(|h| matches!(h, Header::ReadReport(YesNo::Yes)))
    }

    /// The body's content type.
    pub fn content_type(&self) -> Option<&ContentType<'a>> {
        self.body.as_ref().map(|b| &b.content_type)
    }

    /// The top-level parts of a multipart body (empty otherwise).
    pub fn parts(&self) -> &[Part<'a>] {
        match self.body.as_ref().map(|b| &b.data) {
            Some(BodyData::Multipart(p)) => p,
            _ => &[],
        }
    }

    /// The root part of a multipart/related body: the part whose Content-ID (or
    /// Content-Location) equals the `start` parameter with `<>` stripped; without `start`, the
    /// first part of the root `type`, else the first part.
    pub fn root_part(&self) -> Option<&Part<'a>> {
        let parts = self.parts();
        let ct = self.content_type()?;
        if let Some(start) = ct.start() {
            let want = start.trim().trim_start_matches('<').trim_end_matches('>');
            if let Some(p) = parts.iter().find(|p| {
                p.content_id().as_deref() == Some(want)
                    || p.content_location().as_deref() == Some(want)
            }) {
                return Some(p);
            }
        }
        if let Some(t) = ct.root_type() {
            if let Some(p) = parts.iter().find(|p| p.content_type.media.is(&t)) {
                return Some(p);
            }
        }
        parts.first()
    }
}

/// The octets of the value of header `f`: the generic WSP extent, except that a text field
/// whose value starts with a high octet and has a NUL later is read up to the NUL (a missing
/// Quote, seen from real MMSCs). The flag says the repair was made.
#[inline]
fn field_extent<'a>(r: &mut Reader<'a>, f: u8) -> Result<(&'a [u8], bool), DecodeError> {
    if header::is_text_field(f) && r.peek()? >= 0x80 && r.rest().contains(&0) {
        let n = r
            .rest()
            .iter()
            .position(|&c| c == 0)
            .unwrap_or(0)
            .saturating_add(1);
        return Ok((r.take(n)?, true));
    }
    Ok((wsp::value_extent(r)?, false))
}

/// The field codes a decode met, for the mandatory-header check without a second pass.
#[derive(Debug, Default, Clone, Copy)]
struct FieldSet(u128);

impl FieldSet {
    fn insert(&mut self, f: u8) {
        self.0 |= 1u128 << (f & 0x7f);
    }

    fn contains(self, f: u8) -> bool {
        self.0 & (1u128 << (f & 0x7f)) != 0
    }
}

/// The first header `t` cannot do without that `has` says is absent (see [`Pdu::validate`]).
fn missing_header(
    t: MessageType,
    has: impl Fn(u8) -> bool,
    has_body: bool,
) -> Result<(), DecodeError> {
    use MessageType as T;
    let need: &[(u8, &'static str)] = match t {
        T::SendReq | T::ForwardReq => &[(field::TRANSACTION_ID, "X-Mms-Transaction-Id")],
        T::SendConf => &[(field::RESPONSE_STATUS, "X-Mms-Response-Status")],
        T::NotificationInd => &[
            (field::TRANSACTION_ID, "X-Mms-Transaction-Id"),
            (field::CONTENT_LOCATION, "X-Mms-Content-Location"),
        ],
        T::NotifyRespInd => &[
            (field::TRANSACTION_ID, "X-Mms-Transaction-Id"),
            (field::STATUS, "X-Mms-Status"),
        ],
        T::AcknowledgeInd => &[(field::TRANSACTION_ID, "X-Mms-Transaction-Id")],
        T::DeliveryInd => &[
            (field::MESSAGE_ID, "Message-ID"),
            (field::STATUS, "X-Mms-Status"),
        ],
        T::ReadRecInd | T::ReadOrigInd => &[
            (field::MESSAGE_ID, "Message-ID"),
            (field::READ_STATUS, "X-Mms-Read-Status"),
        ],
        _ => &[],
    };
    for (f, name) in need {
        if !has(*f) {
            return Err(DecodeError::new(0, DecodeErrorKind::MissingHeader(name)));
        }
    }
    if matches!(t, T::SendReq | T::RetrieveConf) && !has_body {
        return Err(DecodeError::new(
            0,
            DecodeErrorKind::MissingHeader("Content-Type"),
        ));
    }
    Ok(())
}

/// Finds the first X-Mms-Message-Type by skipping header values by their extents only.
fn prescan_message_type(input: &[u8], limits: &Limits) -> Option<MessageType> {
    let mut r = Reader::new(input);
    for _ in 0..limits.max_headers {
        let b = r.u8().ok()?;
        match b {
            0x80..=0xff => {
                let f = b & 0x7f;
                if f == field::MESSAGE_TYPE {
                    return r.u8().ok().map(MessageType::from_u8);
                }
                if f == field::CONTENT_TYPE {
                    return None;
                }
                field_extent(&mut r, f).ok()?;
            }
            0x20..=0x7e => {
                r.until_nul().ok()?;
                wsp::text_string(&mut r).ok()?;
            }
            _ => return None,
        }
    }
    None
}

fn decode_body<'a>(
    r: &mut Reader<'a>,
    content_type: ContentType<'a>,
    ctx: &mut Ctx<'_>,
) -> Result<Body<'a>, DecodeError> {
    if content_type.media.is_multipart() {
        let mut mctx = MultipartCtx {
            limits: ctx.limits,
            parts_seen: 0,
            warnings: Vec::new(),
        };
        let data = if r.is_empty() {
            ctx.warn(
                r.offset(),
                None,
                "multipart content type with an empty body",
            );
            BodyData::Multipart(Vec::new())
        } else {
            BodyData::Multipart(multipart::decode_multipart(r, &mut mctx, 0)?)
        };
        for w in mctx.warnings {
            ctx.warn(w.offset, w.field, w.message);
        }
        Ok(Body { content_type, data })
    } else {
        Ok(Body {
            content_type,
            data: BodyData::Single(Cow::Borrowed(r.take_rest())),
        })
    }
}

/// Decodes a lone Content-type-value (as found in push headers and fragments).
pub fn decode_content_type(input: &[u8]) -> Result<ContentType<'_>, DecodeError> {
    let mut r = Reader::new(input);
    let ct = content_type::decode_content_type(&mut r, &Limits::default())?;
    if !r.is_empty() {
        return Err(r.err(DecodeErrorKind::TrailingBytes(r.remaining() as u64)));
    }
    Ok(ct)
}

/// Decodes a lone multipart body (entry count and entries).
pub fn decode_multipart(input: &[u8]) -> Result<(Vec<Part<'_>>, Vec<Warning>), DecodeError> {
    let limits = Limits::default();
    let mut ctx = MultipartCtx {
        limits: &limits,
        parts_seen: 0,
        warnings: Vec::new(),
    };
    let mut r = Reader::new(input);
    let parts = multipart::decode_multipart(&mut r, &mut ctx, 0)?;
    Ok((parts, ctx.warnings))
}
