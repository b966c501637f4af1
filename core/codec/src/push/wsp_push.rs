//! The WSP push PDU: `[TID] type(0x06 push | 0x07 confirmed push) uintvar(headers length)
//! content-type headers... body`. The connectionless form (over SMS/UDP) starts with a TID.

use crate::pdu::content_type::{self, ContentType, MediaType};
use crate::pdu::error::{DecodeError, DecodeErrorKind};
use crate::pdu::reader::Reader;
use crate::pdu::text::Text;
use crate::pdu::{Limits, wsp};
use serde::Serialize;

/// WSP header code of X-Wap-Application-Id.
pub const X_WAP_APPLICATION_ID: u8 = 0x2f;
/// WSP PDU type: Push.
pub const PDU_PUSH: u8 = 0x06;
/// WSP PDU type: ConfirmedPush.
pub const PDU_CONFIRMED_PUSH: u8 = 0x07;

/// X-Wap-Application-Id: a registered code or a textual URI.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PushApplication<'a> {
    /// A registered application code (0x04 = `x-wap-application:mms.ua`).
    Code(u64),
    /// A textual application id.
    Text(Text<'a>),
}

impl PushApplication<'_> {
    /// True for the MMS user agent (`x-wap-application:mms.ua`, code 4).
    pub fn is_mms_ua(&self) -> bool {
        match self {
            PushApplication::Code(c) => *c == 4,
            PushApplication::Text(t) => t
                .as_bytes()
                .eq_ignore_ascii_case(b"x-wap-application:mms.ua"),
        }
    }
}

/// What a push carries, from its content type.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum PushKind {
    /// `application/vnd.wap.mms-message`: an MMS PDU (notification, report).
    Mms,
    /// `application/vnd.wap.sic`: a Service Indication.
    ServiceIndication,
    /// `application/vnd.wap.slc`: a Service Loading.
    ServiceLoading,
    /// `application/vnd.wap.connectivity-wbxml`: OMA Client Provisioning.
    Provisioning,
    /// `application/vnd.wap.sia`: a Session Initiation Request.
    SessionInitiation,
    /// Anything else: not for the MMS stack.
    Other,
}

impl PushKind {
    /// The stable code (as serialised).
    pub fn code(self) -> &'static str {
        match self {
            PushKind::Mms => "mms",
            PushKind::ServiceIndication => "service_indication",
            PushKind::ServiceLoading => "service_loading",
            PushKind::Provisioning => "provisioning",
            PushKind::SessionInitiation => "session_initiation",
            PushKind::Other => "other",
        }
    }
}

/// A decoded WSP push PDU. The body borrows from the input.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PushPdu<'a> {
    /// Transaction id (connectionless form only).
    pub tid: Option<u8>,
    /// PDU type (0x06 or 0x07).
    pub pdu_type: u8,
    /// The push content type with its parameters (SEC/MAC for provisioning).
    pub content_type: ContentType<'a>,
    /// X-Wap-Application-Id, if present.
    pub application: Option<PushApplication<'a>>,
    /// The raw headers after the content type (for audit), as received.
    pub raw_headers: &'a [u8],
    /// The push body.
    pub body: &'a [u8],
}

impl PushPdu<'_> {
    /// What the push carries: its content type says, unless it names an application. An MMS
    /// content type addressed to another application (`X-Wap-Application-Id` not `mms.ua`) is
    /// not for the MMS user agent ([`PushKind::Other`]), whatever its body looks like. A push
    /// with no application id is routed by its content type alone, as WAP-235 allows and as
    /// push gateways that omit the header rely on.
    pub fn kind(&self) -> PushKind {
        let kind = self.kind_by_content_type();
        if kind == PushKind::Mms && self.application.as_ref().is_some_and(|a| !a.is_mms_ua()) {
            return PushKind::Other;
        }
        kind
    }

    fn kind_by_content_type(&self) -> PushKind {
        let m = &self.content_type.media;
        match m {
            MediaType::WellKnown(0x3e) => PushKind::Mms,
            MediaType::WellKnown(0x2e) => PushKind::ServiceIndication,
            MediaType::WellKnown(0x30) => PushKind::ServiceLoading,
            MediaType::WellKnown(0x36) => PushKind::Provisioning,
            MediaType::WellKnown(0x34) => PushKind::SessionInitiation,
            MediaType::Text(_) if m.is("application/vnd.wap.mms-message") => PushKind::Mms,
            MediaType::Text(_) if m.is("application/vnd.wap.sic") => PushKind::ServiceIndication,
            MediaType::Text(_) if m.is("application/vnd.wap.slc") => PushKind::ServiceLoading,
            MediaType::Text(_) if m.is("application/vnd.wap.connectivity-wbxml") => {
                PushKind::Provisioning
            }
            MediaType::Text(_) if m.is("application/vnd.wap.sia") => PushKind::SessionInitiation,
            _ => PushKind::Other,
        }
    }

    /// True when this push is an MMS PDU for the MMS user agent.
    pub fn is_mms(&self) -> bool {
        self.kind() == PushKind::Mms
    }
}

/// Decodes a connectionless WSP push (TID, type, headers, body), as carried over SMS and UDP.
pub fn decode_push(input: &[u8]) -> Result<PushPdu<'_>, DecodeError> {
    let mut r = Reader::new(input);
    let tid = r.u8()?;
    decode_after_tid(&mut r, Some(tid))
}

/// Decodes a connection-oriented WSP push (type, headers, body; no TID).
pub fn decode_push_connection_oriented(input: &[u8]) -> Result<PushPdu<'_>, DecodeError> {
    let mut r = Reader::new(input);
    decode_after_tid(&mut r, None)
}

fn decode_after_tid<'a>(r: &mut Reader<'a>, tid: Option<u8>) -> Result<PushPdu<'a>, DecodeError> {
    let at = r.offset();
    let pdu_type = r.u8()?;
    if pdu_type != PDU_PUSH && pdu_type != PDU_CONFIRMED_PUSH {
        return Err(DecodeError::new(
            at,
            DecodeErrorKind::InvalidOctet {
                what: "WSP push PDU type",
                octet: pdu_type,
            },
        ));
    }
    let hlen = wsp::uintvar(r)? as usize;
    let mut h = r.sub(hlen)?;
    let content_type = content_type::decode_content_type(&mut h, &Limits::default())?;
    let raw_headers = h.rest();
    let mut application = None;
    while !h.is_empty() {
        let b = h.peek()?;
        if b >= 0x80 {
            h.u8()?;
            let code = b & 0x7f;
            if code == X_WAP_APPLICATION_ID {
                let v = h.peek()?;
                application = Some(if (0x20..0x80).contains(&v) {
                    PushApplication::Text(Text::borrowed(wsp::text_string(&mut h)?))
                } else {
                    PushApplication::Code(wsp::integer_value(&mut h)?)
                });
            } else {
                wsp::value_extent(&mut h)?;
            }
        } else if (0x20..0x7f).contains(&b) {
            wsp::token_text(&mut h)?;
            wsp::text_string(&mut h)?;
        } else {
            // Shift sequences and other octets end the headers we understand.
            break;
        }
    }
    Ok(PushPdu {
        tid,
        pdu_type,
        content_type,
        application,
        raw_headers,
        body: r.take_rest(),
    })
}

/// Encodes a connectionless WSP push: TID, type 0x06, headers (content type, then
/// X-Wap-Application-Id when given), body. For tests, the mock MMSC and the attacker toolkit.
pub fn encode_push(
    tid: u8,
    content_type: &ContentType<'_>,
    application: Option<u64>,
    body: &[u8],
) -> Result<Vec<u8>, crate::pdu::EncodeError> {
    let mut headers = Vec::new();
    content_type::encode_content_type(&mut headers, content_type)?;
    if let Some(app) = application {
        headers.push(X_WAP_APPLICATION_ID | 0x80);
        wsp::put_integer_value(&mut headers, app);
    }
    let mut out = vec![tid, PDU_PUSH];
    wsp::put_uintvar(
        &mut out,
        u32::try_from(headers.len())
            .map_err(|_| crate::pdu::EncodeError::OutOfRange("push headers"))?,
    );
    out.extend_from_slice(&headers);
    out.extend_from_slice(body);
    Ok(out)
}

/// Wraps an MMS PDU in a push for `x-wap-application:mms.ua`.
pub fn encode_mms_push(tid: u8, mms_pdu: &[u8]) -> Vec<u8> {
    let mut out = vec![
        tid,
        PDU_PUSH,
        0x03,
        0x80 | crate::pdu::content_type::MMS_MESSAGE,
        0xaf,
        0x84,
    ];
    out.extend_from_slice(mms_pdu);
    out
}
