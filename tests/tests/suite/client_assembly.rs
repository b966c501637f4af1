//! The client as the core assembles it (`MmsClient::open`): its link gate and its provisioner
//! write through the client's store to the app's listener, and what they must remember lives in
//! the client's database. Nothing here builds a gate or a provisioner by hand, as the CLI and
//! the bindings do not either.

use mms_core::links::LinkSource;
use mms_core::pdu::Text;
use mms_core::pdu::content_type::{ContentType, MediaType, ParamValue, param};
use mms_core::provisioning::{
    AuthError, Credentials, ProvisioningError, SecMethod, Secret, compute_mac, encode_wbxml,
    parse_xml,
};
use mms_core::push::encode_push;
use mms_core::{CarrierProfile, Event, HttpTransport, MmsClient};
use mms_tests::harness::{Collector, scratch_db};
use std::path::Path;
use std::sync::Arc;

const PPG: &str = "+15550100";

fn open(db: &Path) -> (MmsClient, Arc<Collector>) {
    let profile = CarrierProfile {
        mmsc_url: "http://127.0.0.1:9/mms".into(),
        push_origins: vec![PPG.into()],
        ..CarrierProfile::default()
    };
    let events = Arc::new(Collector::default());
    let t = Arc::new(HttpTransport::new(&profile).unwrap());
    (
        MmsClient::open(db, profile, t, events.clone()).unwrap(),
        events,
    )
}

/// LINK-4: a dangerous link refused by the client's gate is a security event for the app's
/// listener and a row in the client's audit log (the bindings used to build their own gate,
/// whose rows never reached the listener).
#[test]
fn link_4_refusals_of_the_clients_gate_reach_the_listener_and_the_log() {
    let db = scratch_db("assembly-links").unwrap();
    let (client, events) = open(&db.path);
    let d = client
        .links()
        .request_action("javascript:alert(1)", LinkSource::message("7"));
    assert!(mms_core::links::gate::is_blocked(&d));
    let seen = events.find(|e| match e {
        Event::Security(a) if a.threat.as_deref() == Some("LINK-4") => Some(a.reason.clone()),
        _ => None,
    });
    assert_eq!(seen.as_deref(), Some("dangerous_scheme"));
    let rows = client.audit_log(Some("dangerous_scheme"), 10).unwrap();
    assert_eq!(rows.len(), 1);
    assert_eq!(rows[0].threat.as_deref(), Some("LINK-4"));
}

fn userpin_push(pin: &str) -> Vec<u8> {
    let doc = parse_xml(r#"<wap-provisioningdoc><characteristic type="APPLICATION"><parm name="APPID" value="w4"/><parm name="ADDR" value="http://mmsc.new.example/mms"/></characteristic></wap-provisioningdoc>"#).unwrap();
    let body = encode_wbxml(&doc);
    let creds = Credentials {
        imsi: None,
        pin: Some(Secret::new(pin)),
    };
    let mac = compute_mac(SecMethod::Userpin, &body, &creds).unwrap();
    let ct = ContentType::new(MediaType::WellKnown(0x36))
        .with(param::SEC, ParamValue::Integer(1))
        .with(param::MAC, ParamValue::Text(Text::from(mac)));
    encode_push(1, &ct, None, &body).unwrap()
}

/// OTA-3: wrong PINs lock provisioning, and the lock survives a restart of the client (the
/// counter is in the client's database, not in memory).
#[tokio::test]
async fn ota_3_lockout_survives_a_restart() {
    let db = scratch_db("assembly-ota3").unwrap();
    let path = &db.path;
    let push = userpin_push("2468");
    let wrong = |pin: &str| Credentials {
        imsi: None,
        pin: Some(Secret::new(pin)),
    };
    {
        let (client, _) = open(path);
        for pin in ["0000", "1111", "2222"] {
            let r = client.verify_provisioning(PPG, &push, &wrong(pin)).await;
            assert_eq!(
                r.unwrap_err(),
                ProvisioningError::Auth(AuthError::MacMismatch)
            );
        }
    }
    let (client, events) = open(path);
    let r = client.verify_provisioning(PPG, &push, &wrong("2468")).await;
    assert_eq!(
        r.unwrap_err(),
        ProvisioningError::Auth(AuthError::LockedOut),
        "a restart must not reset the count"
    );
    assert!(
        events
            .find(|e| match e {
                Event::Security(a) if a.reason == "pin_locked_out" => Some(()),
                _ => None,
            })
            .is_some()
    );
    assert_eq!(client.profile().mmsc_url, "http://127.0.0.1:9/mms");
}
