//! The MMS notification push of the push benches (`push_verdict`, `allocations`) and the policy
//! they judge it under: a WSP push around an M-Notification.ind from the trusted origin, its
//! location on the MMSC.

use mms_codec::pdu::builder::{Notification, notification_ind};
use mms_codec::pdu::{ClassToken, TimeValue};
use mms_codec::push::encode_mms_push;
use mms_decisions::push::PushPolicy;

/// The operator's push proxy, the trusted origin.
pub const PPG: &str = "+447785016005";

/// A typical notification push with transaction id `tid` (its location names it).
pub fn push(tid: &str) -> Vec<u8> {
    let loc = format!("http://mmsc.op.example:8002/mms/{tid}");
    let n = notification_ind(&Notification {
        transaction_id: tid,
        from: Some("+15550001"),
        subject: Some("Holiday photos"),
        size: 87_000,
        expiry: TimeValue::Relative(3 * 86_400),
        content_location: &loc,
        class: ClassToken::Personal,
        delivery_report: true,
    });
    encode_mms_push(1, &n.encode().unwrap())
}

/// The MMSC, the trusted origin, no rate limit in the way, room for every transaction id.
pub fn policy() -> PushPolicy {
    PushPolicy {
        mmsc_url: Some("http://mmsc.op.example:8002/mms/".into()),
        trusted_origins: vec![PPG.into()],
        trusted_burst: u32::MAX,
        dedupe_capacity: 16_384,
        ..PushPolicy::default()
    }
}
