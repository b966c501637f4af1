//! WAP push: the SMS bearer (UDH ports and concatenation, bounded reassembly), the WSP push
//! PDU, routing by content type and application id, SI/SL/SIA content, and the validation
//! policy that turns every push into a verdict (PUSH-1 .. PUSH-8, TLS-2).

pub mod handler;
pub mod location;
pub mod policy;
pub mod reassembly;
pub mod service;
pub mod sms;
pub mod wsp_push;

pub use handler::PushHandler;
pub use location::{LocationProblem, check_location};
pub use policy::normalise_origin;
pub use policy::{
    Bearer, NotificationInfo, PushChannel, PushContent, PushPolicy, PushReason, PushValidator,
    PushVerdict, Verdict,
};
pub use reassembly::{Reassembler, Reassembly, ReassemblyLimits};
pub use sms::{PORT_PUSH, PORT_SECURE_PUSH, SmsSegment, build_deliver_tpdus, parse_deliver};
pub use wsp_push::{PushApplication, PushKind, PushPdu, decode_push, encode_mms_push, encode_push};
