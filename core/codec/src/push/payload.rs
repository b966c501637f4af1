//! A push decoded all the way down: the WSP push PDU, then its body by content type (an MMS
//! PDU, an SI, an SL, an SIA, or a provisioning document with its SEC/MAC parameters). The
//! push policy judges this value; it never decodes anything itself.

use super::service::{
    ServiceIndication, ServiceLoading, SessionInitiation, parse_si, parse_sia, parse_sl,
};
use super::wsp_push::{PushKind, PushPdu, decode_push, decode_push_connection_oriented};
use crate::pdu::error::DecodeError;
use crate::pdu::{Decoded, Pdu};
use crate::provisioning::sec::{SecParams, sec_params};

/// What the body of a push is, decoded.
#[derive(Debug, Clone, PartialEq)]
pub enum Payload<'a> {
    /// An MMS PDU (notification, delivery or read report, cancel...), decoded leniently.
    Mms(Box<Decoded<'a>>),
    /// A Service Indication.
    ServiceIndication(ServiceIndication),
    /// A Service Loading request.
    ServiceLoading(ServiceLoading),
    /// A Session Initiation Request.
    SessionInitiation(SessionInitiation),
    /// An OMA Client Provisioning document, not decoded here: its MAC covers the WBXML body
    /// exactly as received, so the body stays raw until it is authenticated.
    Provisioning {
        /// SEC and MAC from the push's content type.
        params: SecParams,
        /// The WBXML body exactly as received.
        body: &'a [u8],
    },
    /// A push for another application: nothing for the MMS stack to read.
    NotForUs,
    /// The body does not decode as its content type says.
    Undecodable(DecodeError),
}

/// A push with its body decoded.
#[derive(Debug, Clone, PartialEq)]
pub struct DecodedPush<'a> {
    /// The WSP push PDU (headers and raw body).
    pub push: PushPdu<'a>,
    /// What it carries, from its content type and application id.
    pub kind: PushKind,
    /// The body, decoded for its kind.
    pub payload: Payload<'a>,
}

impl<'a> DecodedPush<'a> {
    /// Decodes a connectionless WSP push (as carried by SMS and UDP) and its body.
    pub fn decode(wsp: &'a [u8]) -> Result<Self, DecodeError> {
        decode_push(wsp).map(decode_payload)
    }

    /// Decodes a connection-oriented WSP push (no TID) and its body.
    pub fn decode_connection_oriented(wsp: &'a [u8]) -> Result<Self, DecodeError> {
        decode_push_connection_oriented(wsp).map(decode_payload)
    }
}

/// Decodes the body of a push according to its kind.
pub fn decode_payload(push: PushPdu<'_>) -> DecodedPush<'_> {
    let kind = push.kind();
    let body = push.body;
    let payload = match kind {
        PushKind::Mms => match Pdu::decode_lenient(body) {
            Ok(d) => Payload::Mms(Box::new(d)),
            Err(e) => Payload::Undecodable(e),
        },
        PushKind::ServiceIndication => {
            parse_si(body).map_or_else(Payload::Undecodable, Payload::ServiceIndication)
        }
        PushKind::ServiceLoading => {
            parse_sl(body).map_or_else(Payload::Undecodable, Payload::ServiceLoading)
        }
        PushKind::SessionInitiation => {
            parse_sia(body).map_or_else(Payload::Undecodable, Payload::SessionInitiation)
        }
        PushKind::Provisioning => Payload::Provisioning {
            params: sec_params(&push.content_type),
            body,
        },
        PushKind::Other => Payload::NotForUs,
    };
    DecodedPush {
        push,
        kind,
        payload,
    }
}
