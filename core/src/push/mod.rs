//! WAP push: the WSP push PDU (WAP-230 8.2.4.1) that carries MMS notifications and other
//! push content over SMS or UDP, and routing by content type and application id.

pub mod wsp_push;

pub use wsp_push::{PushApplication, PushKind, PushPdu, decode_push};
