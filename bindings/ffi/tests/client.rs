//! The exported `Client` called as Rust, for what only the bindings' wiring can get wrong.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use mms_ffi::{Client, EventListener, MmsEvent};
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
    let dir = std::env::temp_dir().join(format!("mms-ffi-client-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    let events = Arc::new(Events::default());
    let client = Client::open(
        dir.join("mms.db").to_string_lossy().into_owned(),
        "mmsc_url = \"http://127.0.0.1:9/mms\"".into(),
        events.clone(),
    )
    .unwrap();
    let r = client.request_link("javascript:alert(1)".into(), "1".into());
    assert_eq!(r.decision, "blocked");
    let got = events.0.lock().unwrap();
    let security: Vec<&MmsEvent> = got.iter().filter(|e| e.kind == "security").collect();
    assert_eq!(security.len(), 1, "{got:?}");
    assert!(security[0].json.contains("LINK-4"), "{}", security[0].json);
}
