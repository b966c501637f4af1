//! WAP push on the wire: the SMS bearer (UDH ports and concatenation, bounded reassembly),
//! the WSP push PDU, and the content a push carries (an MMS PDU, SI, SL, SIA, or a
//! provisioning document with its SEC/MAC parameters), decoded into a typed [`DecodedPush`]
//! before anything judges it.

pub mod payload;
pub mod reassembly;
pub mod service;
pub mod sms;
pub mod wsp_push;

pub use payload::{DecodedPush, Payload, decode_payload};
pub use reassembly::{Reassembler, Reassembly, ReassemblyLimits};
pub use service::{ContactPoint, ServiceIndication, ServiceLoading, SessionInitiation};
pub use sms::{PORT_PUSH, PORT_SECURE_PUSH, SmsSegment, build_deliver_tpdus, parse_deliver};
pub use wsp_push::{
    PushApplication, PushKind, PushPdu, decode_push, decode_push_connection_oriented,
    encode_mms_push, encode_push,
};
