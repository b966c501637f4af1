//! The transport for real: over TLS with a test-generated CA given as the operator anchor (and
//! refused without it: TLS-1), and through the carrier proxy (absolute-form requests to the
//! mock's proxy front).

use mms_core::CarrierProfile;
use mms_core::{Draft, EngineError, MessageView, State};
use mms_tests::harness::*;
use mock_mmsc::{MockConfig, MockMmsc};

fn draft(to: &str) -> Draft {
    text_draft(to, Some("secure"), b"over TLS")
}

/// Phones A and B on `mmsc`, each with the profile `configure` gives for its number.
async fn two_phones(
    mmsc: &MockMmsc,
    numbers: [&str; 2],
    tag: &str,
    configure: impl Fn(&str) -> CarrierProfile,
) -> (Phone, Phone) {
    let [na, nb] = numbers;
    let a = phone_with(mmsc, na, tag, configure(na)).await.unwrap();
    let b = phone_with(mmsc, nb, tag, configure(nb)).await.unwrap();
    (a, b)
}

/// A sends the test draft to B; returns A's sent id and B's copy once B has downloaded it.
async fn a_to_b(a: &Phone, b: &Phone, what: &str) -> (i64, MessageView) {
    let id = a.client.send(draft(&b.number)).await.unwrap();
    let rid = eventually(what, || b.events.received().first().copied())
        .await
        .unwrap();
    (id, b.client.message(rid).unwrap())
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn tls_1_operator_anchor_trusted_and_nothing_else() {
    let mmsc = MockMmsc::start(MockConfig {
        tls: true,
        ..MockConfig::default()
    })
    .await
    .unwrap();
    assert!(mmsc.url().starts_with("https://localhost:"));
    let ca = mmsc.ca_pem().unwrap();
    let (a, b) = two_phones(&mmsc, ["+15556001", "+15556002"], "tls", |n| {
        let mut p = profile(&mmsc.url(), n);
        p.operator_anchors_pem = Some(ca.clone());
        p
    })
    .await;
    let (id, m) = a_to_b(&a, &b, "B downloads over TLS").await;
    assert_eq!(a.client.message(id).unwrap().row.state, State::Sent);
    assert!(
        m.row
            .content_location
            .unwrap()
            .starts_with("https://localhost:")
    );
    assert_eq!(m.parts[0].data, b"over TLS");
    // Without the operator anchor the same server is refused: the bundled roots do not
    // include a test CA, and platform or user-installed roots are never consulted.
    let c = phone(&mmsc, "+15556003", "tls").await.unwrap();
    let r = c.client.send(draft(&b.number)).await;
    assert!(
        matches!(r, Err(ref e @ (EngineError::Mmsc(_) | EngineError::Transport(_))) if e.to_string().contains("TLS")),
        "{r:?}"
    );
    assert_eq!(c.client.messages().unwrap()[0].state, State::Failed);
    assert_eq!(mmsc.log_of("send_accepted").len(), 1);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn send_and_receive_through_the_carrier_proxy() {
    let public = "http://mmsc.operator.example/mms";
    let mmsc = MockMmsc::start(MockConfig {
        public_base: Some(public.into()),
        ..MockConfig::default()
    })
    .await
    .unwrap();
    let (a, b) = two_phones(&mmsc, ["+15557001", "+15557002"], "proxy", |n| {
        let mut p = profile(public, n);
        p.proxy = Some(mmsc.addr().to_string());
        p
    })
    .await;
    let (_, m) = a_to_b(&a, &b, "B downloads through the proxy").await;
    assert!(
        m.row
            .content_location
            .unwrap()
            .starts_with("http://mmsc.operator.example/mms/m/")
    );
    b.client.confirm_delivered(m.row.id).await.unwrap();
    // Every MM1 POST reached the proxy front in absolute form for the MMSC's host.
    let via = mmsc.log_of("via_proxy");
    assert!(via.len() >= 2, "{via:?}");
    assert!(
        via.iter()
            .all(|e| e.detail.contains("mmsc.operator.example"))
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn https_through_the_proxy_front_with_connect() {
    let mmsc = MockMmsc::start(MockConfig {
        tls: true,
        proxy_front: true,
        ..MockConfig::default()
    })
    .await
    .unwrap();
    let ca = mmsc.ca_pem().unwrap();
    let front = mmsc.proxy_addr().unwrap();
    let via = |n: &str, proxy: String| {
        let mut p = profile(&mmsc.url(), n);
        p.operator_anchors_pem = Some(ca.clone());
        p.proxy = Some(proxy);
        p
    };
    let (a, b) = two_phones(&mmsc, ["+15557101", "+15557102"], "tlsproxy", |n| {
        via(n, front.to_string())
    })
    .await;
    let (_, m) = a_to_b(&a, &b, "B downloads through the tunnel").await;
    assert_eq!(m.parts[0].data, b"over TLS");
    // The proxy is really in the path: a phone whose proxy is down cannot reach the MMSC.
    let dead = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap();
    let c = phone_with(
        &mmsc,
        "+15557103",
        "tlsproxy",
        via("+15557103", dead.to_string()),
    )
    .await
    .unwrap();
    assert!(c.client.send(draft(&b.number)).await.is_err());
}
