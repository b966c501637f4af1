//! The exported `Client` called as Rust, for what only the bindings' wiring can get wrong.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use mms_core::pdu::builder::{Notification, notification_ind};
use mms_core::pdu::{ClassToken, TimeValue};
use mms_ffi::{Client, EventListener, LinkDecisionKind, MmsEvent};
use std::sync::{Arc, Mutex};

#[derive(Default)]
struct Events(Mutex<Vec<MmsEvent>>);

impl EventListener for Events {
    fn on_event(&self, event: MmsEvent) {
        self.0.lock().unwrap().push(event);
    }
}

/// LINK-4 through the bindings: a link the gate refuses reaches the app's listener as a
/// security event (the bindings once assembled their own gate, whose audit rows went to the
/// store only).
#[test]
fn link_4_a_refused_link_is_a_security_event_for_the_listener() {
    let scratch = tempfile::Builder::new()
        .prefix("mms-ffi-client-")
        .tempdir()
        .unwrap();
    let dir = scratch.path();
    let events = Arc::new(Events::default());
    let client = Client::open(
        dir.join("mms.db").to_string_lossy().into_owned(),
        "mmsc_url = \"http://127.0.0.1:9/mms\"".into(),
        events.clone(),
    )
    .unwrap();
    let rt = tokio::runtime::Runtime::new().unwrap();
    // A message to tap the link in: a notification from an untrusted origin, kept unverified.
    let note = notification_ind(&Notification {
        transaction_id: "T1",
        from: Some("+15550100"),
        subject: Some("link"),
        size: 100,
        expiry: TimeValue::Relative(3600),
        content_location: "http://127.0.0.1:9/mms/1",
        class: ClassToken::Personal,
        delivery_report: false,
    })
    .encode()
    .unwrap();
    let wsp = mms_core::push::encode_mms_push(1, &note);
    let verdict = rt
        .block_on(client.handle_push("+15550100".into(), wsp))
        .unwrap();
    let id = rt
        .block_on(client.messages())
        .unwrap()
        .first()
        .unwrap_or_else(|| panic!("nothing stored: {verdict:?}"))
        .id;
    events.0.lock().unwrap().clear();
    let r = rt
        .block_on(client.request_link("javascript:alert(1)".into(), id))
        .unwrap();
    assert_eq!(r.decision, LinkDecisionKind::Blocked);
    let got = events.0.lock().unwrap();
    let security: Vec<_> = got
        .iter()
        .filter_map(|e| match e {
            MmsEvent::Security { row } => Some(row),
            _ => None,
        })
        .collect();
    assert_eq!(security.len(), 1, "{got:?}");
    assert_eq!(security[0].threat.as_deref(), Some("LINK-4"), "{got:?}");
    assert_eq!(security[0].subject, id.to_string());
    drop(got);
    // A link in a message that does not exist is an error, not a decision.
    assert!(matches!(
        rt.block_on(client.request_link("tel:+15550100".into(), id + 1000)),
        Err(mms_ffi::ClientError::NotFound { .. })
    ));
}
