//! Carrier settings from the carrier data, through the client (PUSH-1, OTA-5): a profile
//! made from a SIM's network, the precedence of OTA over manual over carrier data (a
//! suggestion applied only when the app asks, never over the other two, with audit rows
//! naming the source), and notifications held against the carrier data's MMSC while none is
//! configured.

use mms_core::carriers::CarrierDb;
use mms_core::provisioning::{Credentials, SecMethod, Secret, parse_xml};
use mms_core::push::{PushReason, Verdict};
use mms_core::{AutoDownload, CarrierOutcome, CarrierProfile, MmsClient, SettingsSource};
use mms_tests::harness::*;
use mock_mmsc::attacker::{ProvisioningAuth, provisioning_push, spoofed_notification};
use mock_mmsc::{MockConfig, MockMmsc};
use std::sync::Arc;

/// A client on a fresh database; the database goes with the returned [`ScratchDb`].
fn open(tag: &str, p: CarrierProfile) -> (MmsClient, ScratchDb) {
    let db = scratch_db(&format!("carrier-{tag}")).unwrap();
    let t = Arc::new(mms_core::HttpTransport::new(&p).unwrap());
    let c = MmsClient::open(&db.path, p, t, Arc::new(Collector::default())).unwrap();
    (c, db)
}

fn settings_rows(c: &MmsClient) -> Vec<(String, String)> {
    c.audit_log(None, 100)
        .unwrap()
        .into_iter()
        .filter(|e| e.reason == "settings_applied" || e.reason == "carrier_settings_not_applied")
        .map(|e| (e.reason, e.subject))
        .collect()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_profile_for_a_sim_comes_from_the_carrier_data() {
    let p = CarrierProfile::for_sim("262-01", None, Some("+491701234567"));
    assert_eq!(p.mmsc_url, "http://mms.t-mobile.de/servlets/mms");
    assert_eq!(p.settings_source, SettingsSource::CarrierData);
    assert_eq!(p.apn.as_deref(), Some("internet.t-mobile"));
    let (c, _db) = open("sim", p);
    assert_eq!(
        c.carrier_suggestion().unwrap().provider,
        "T-Mobile(Telekom)"
    );
    // A network the data does not know: unconfigured, nothing to apply.
    let p = CarrierProfile::for_sim("00101", None, None);
    assert!(p.mmsc_url.is_empty());
    let (c, _db) = open("unknown", p);
    assert_eq!(c.apply_carrier_settings().unwrap(), CarrierOutcome::Unknown);
}

/// Precedence: the user's settings and an authenticated OTA push's are never replaced by the
/// carrier data; the data's own are refreshed when asked. Each change, and each refusal to
/// change, has its audit row naming the source.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn ota_5_precedence_ota_over_manual_over_carrier_data() {
    let mmsc = MockMmsc::start(MockConfig::default()).await.unwrap();
    // Manual: a profile written by hand, on a network the data knows.
    let mut p = profile(&mmsc.url(), "+15558801");
    p.mcc_mnc = Some("310260".into());
    let (manual, _db) = open("manual", p);
    assert_eq!(
        manual.apply_carrier_settings().unwrap(),
        CarrierOutcome::Kept {
            source: SettingsSource::Manual
        }
    );
    assert_eq!(manual.profile().mmsc_url, mmsc.url());
    assert!(
        settings_rows(&manual).contains(&("carrier_settings_not_applied".into(), "manual".into()))
    );

    // Carrier data: applied when asked (here with the SIM's SPN choosing a virtual operator).
    let mut p = CarrierProfile::for_sim("310260", None, Some("+15558802"));
    p.spn = Some("Mint Mobile".into());
    // The operator's provisioning origin (OTA pushes from others are refused, OTA-4).
    p.push_origins = vec!["+15550100".into()];
    let (carrier, _db) = open("carrier", p);
    let out = carrier.apply_carrier_settings().unwrap();
    assert!(
        matches!(&out, CarrierOutcome::Applied { provider, .. } if provider == "Mint Mobile"),
        "{out:?}"
    );
    assert_eq!(
        carrier.profile().settings_source,
        SettingsSource::CarrierData
    );
    assert!(settings_rows(&carrier).contains(&("settings_applied".into(), "carrier_data".into())));

    // OTA: a USERPIN document confirmed by the user; the carrier data no longer applies.
    let creds = Credentials {
        imsi: None,
        pin: Some(Secret::new("2580")),
    };
    let doc = parse_xml(&format!(
        r#"<wap-provisioningdoc><characteristic type="APPLICATION"><parm name="APPID" value="w4"/><parm name="ADDR" value="{}"/></characteristic></wap-provisioningdoc>"#,
        mmsc.url()
    ))
    .unwrap();
    let push = provisioning_push(
        &doc,
        &ProvisioningAuth::Signed(SecMethod::Userpin, creds.clone()),
    );
    let pending = carrier
        .verify_provisioning("+15550100", &push, &creds)
        .await
        .unwrap();
    carrier.provisioner().confirm(&pending.token).unwrap();
    let p = carrier.profile();
    assert_eq!(
        (p.mmsc_url.as_str(), p.settings_source),
        (mmsc.url().as_str(), SettingsSource::Ota)
    );
    assert_eq!(
        carrier.apply_carrier_settings().unwrap(),
        CarrierOutcome::Kept {
            source: SettingsSource::Ota
        }
    );
    let rows = settings_rows(&carrier);
    assert!(
        rows.contains(&("settings_applied".into(), "ota".into())),
        "{rows:?}"
    );
    assert!(rows.contains(&("carrier_settings_not_applied".into(), "ota".into())));
    // The stored profile says so after a restart too.
    let stored = carrier.store().profile("default").unwrap().unwrap();
    assert_eq!(
        CarrierProfile::from_toml(&stored).unwrap().settings_source,
        SettingsSource::Ota
    );
}

/// PUSH-1: with no MMSC configured, a notification's Content-Location must be on the MMSC the
/// carrier data gives for the SIM's network; one elsewhere is refused as spoofed.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn push_1_with_no_mmsc_configured_the_carrier_data_gives_the_host() {
    let expected = CarrierDb::bundled()
        .expected_mmsc_host("310260", None)
        .unwrap();
    let p = CarrierProfile {
        mcc_mnc: Some("310260".into()),
        push_origins: vec!["+15550100".into()],
        auto_download: AutoDownload::Never,
        ..CarrierProfile::default()
    };
    assert!(p.mmsc_url.is_empty());
    let (c, _db) = open("push1", p);
    let good = spoofed_notification(
        "N1",
        &format!("http://{expected}/mms/wapenc?id=1"),
        None,
        100,
    );
    let v = c.handle_platform_push("+15550100", &good).await;
    assert_eq!(v.verdict, Verdict::Accept, "{v:?}");
    let bad = spoofed_notification("N2", "http://mms.evil.example/mms/wapenc?id=1", None, 100);
    let v = c.handle_platform_push("+15550100", &bad).await;
    assert_eq!(
        (v.verdict, v.reason),
        (Verdict::Reject, PushReason::SpoofedLocation)
    );
}

/// A profile written with Android's CarrierConfig MMS key names (and the APN database's
/// `mmsc`) reads as the same profile.
#[test]
fn profile_keys_by_their_android_carrier_config_names() {
    let p = CarrierProfile::from_toml(
        r#"
mmsc = "http://mms.example/mms"
maxMessageSize = 1048576
maxImageWidth = 1024
maxImageHeight = 768
recipientLimit = 10
userAgent = "Acme/1.0"
uaProfUrl = "http://acme.example/ua.xml"
uaProfTagName = "Profile"
enableGroupMms = false
supportMmsContentDisposition = false
enabledTransID = true
enabledNotifyWapMMSC = true
"#,
    )
    .unwrap();
    assert_eq!(p.mmsc_url, "http://mms.example/mms");
    assert_eq!(
        (
            p.max_message_size,
            p.max_image_width,
            p.max_image_height,
            p.recipient_limit
        ),
        (1_048_576, 1024, 768, 10)
    );
    assert_eq!(p.user_agent, "Acme/1.0");
    assert_eq!(p.uaprof_url.as_deref(), Some("http://acme.example/ua.xml"));
    assert_eq!(p.uaprof_header, "Profile");
    assert!(!p.group_mms && !p.content_disposition);
    assert!(p.append_transaction_id && p.notify_resp_to_location);
}
