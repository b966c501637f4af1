//! What a user does: provision two phones (one with a PIN, one with the network PIN shown as
//! weaker), send a message with text, a photo and a voice clip, receive it byte-exact, see its
//! render plan, confirm it (delivery reports) and read it (a read report).

use super::Run;
use super::world::{IMSI_B, World, amr, cp_push, jpeg, provision, wait};
use mms_core::provisioning::{self as prov, Credentials, SecMethod, Secret};
use mms_core::{Draft, DraftPart, State};
use std::time::Instant;

/// What the exchange left for the attacks: B's received copy.
pub(super) struct Exchange {
    pub(super) bid: i64,
}

/// Steps 3 and 4: A provisioned with USERPIN, B with NETWPIN (flagged weaker).
pub(super) async fn provisioning(w: &World, run: &mut Run) {
    let (mmsc, a, b) = (&w.mmsc, &w.a, &w.b);
    let t = Instant::now();
    let pin = Credentials {
        imsi: None,
        pin: Some(Secret::new("4711")),
    };
    let r = provision(
        a,
        &cp_push(&mmsc.url(), SecMethod::Userpin, &pin, false),
        &pin,
    )
    .await;
    let ok = matches!(&r, Ok((p, url)) if p.strength == prov::AuthStrength::UserPin && *url == mmsc.url());
    run.record(
        "provision A over SMS (USERPIN), user confirms",
        "verified with the user's PIN, applied",
        t,
        ok,
        match &r {
            Ok((p, url)) => format!(
                "{} strength {}; MMSC now {url}",
                p.method.name(),
                p.strength.code()
            ),
            Err(e) => e.clone(),
        },
        Some("OTA-2"),
        None,
    );

    let t = Instant::now();
    let imsi = Credentials {
        imsi: Some(Secret::new(IMSI_B)),
        pin: None,
    };
    let r = provision(
        b,
        &cp_push(&mmsc.url(), SecMethod::Netwpin, &imsi, false),
        &imsi,
    )
    .await;
    let ok = matches!(&r, Ok((p, _)) if p.strength == prov::AuthStrength::Weak && !p.warnings.is_empty());
    run.record(
        "provision B over SMS (NETWPIN), shown as weaker",
        "verified, flagged weak, user confirms",
        t,
        ok,
        match &r {
            Ok((p, _)) => format!(
                "{} strength {}: {}",
                p.method.name(),
                p.strength.code(),
                p.warnings
                    .first()
                    .cloned()
                    .unwrap_or_default()
                    .chars()
                    .take(60)
                    .collect::<String>()
            ),
            Err(e) => e.clone(),
        },
        Some("OTA-2"),
        None,
    );
}

/// Steps 5 to 9: send, receive byte-exact, render plan, delivery reports, read report.
pub(super) async fn exchange(w: &World, run: &mut Run) -> Exchange {
    let (a, b, c) = (&w.a, &w.b, &w.c);
    // A sends text + JPEG + AMR + SMIL to B and C.
    let t = Instant::now();
    let photo = jpeg(640, 480, 30_000);
    let clip = amr();
    let text = "Greetings from the demo! Photo and voice attached."
        .as_bytes()
        .to_vec();
    let draft = Draft {
        to: vec![b.number.clone(), c.number.clone()],
        subject: Some("Demo postcard".into()),
        parts: vec![
            DraftPart {
                content_type: "text/plain".into(),
                name: "text.txt".into(),
                data: text.clone(),
            },
            DraftPart {
                content_type: "image/jpeg".into(),
                name: "photo.jpg".into(),
                data: photo.clone(),
            },
            DraftPart {
                content_type: "audio/amr".into(),
                name: "voice.amr".into(),
                data: clip.clone(),
            },
        ],
        delivery_report: Some(true),
        read_report: Some(true),
        ..Draft::default()
    };
    let sent = a.client.send(draft).await;
    let sent_id = sent.as_ref().ok().copied();
    let row = sent_id.and_then(|id| a.client.message(id).ok());
    let ok = row
        .as_ref()
        .is_some_and(|m| m.row.state == State::Sent && m.row.message_id.is_some());
    run.record(
        "A sends text + JPEG + AMR + SMIL to B and C",
        "M-Send.conf Ok with a Message-ID",
        t,
        ok,
        match &row {
            Some(m) => format!(
                "{} with Message-ID {}",
                m.row.state,
                m.row.message_id.clone().unwrap_or_default()
            ),
            None => sent.err().map(|e| e.to_string()).unwrap_or_default(),
        },
        None,
        None,
    );

    let t = Instant::now();
    let got = wait(|| {
        let (rb, rc) = (b.events.received(), c.events.received());
        (!rb.is_empty() && !rc.is_empty()).then(|| (rb[0], rc[0]))
    })
    .await;
    let (bid, cid) = got.unwrap_or((-1, -1));
    let bm = b.client.message(bid).ok();
    let exact = bm.as_ref().is_some_and(|m| {
        m.parts.iter().any(|p| p.data == photo)
            && m.parts.iter().any(|p| p.data == clip)
            && m.parts.iter().any(|p| p.data == text)
    });
    run.record(
        "pushes over UDP; B and C download",
        "parts byte-exact",
        t,
        got.is_some() && exact,
        format!(
            "B got {} parts, all byte-exact: {exact}",
            bm.as_ref().map(|m| m.parts.len()).unwrap_or(0)
        ),
        None,
        None,
    );

    let t = Instant::now();
    let plan = b.client.render_plan(bid);
    let ok = plan.as_ref().is_ok_and(|p| {
        p.from_smil
            && p.parts
                .iter()
                .filter(|x| x.declared_type != "application/smil")
                .all(|x| x.decision == mms_core::content::PartDecision::Auto)
    });
    run.record(
        "B's render plan",
        "text, photo and voice auto-render on SMIL slides",
        t,
        ok,
        match &plan {
            Ok(p) => format!(
                "{} slides, {} ms; {}",
                p.slides.len(),
                p.total_ms,
                p.parts
                    .iter()
                    .map(|x| format!("{} {}", x.declared_type, x.decision.code()))
                    .collect::<Vec<_>>()
                    .join(", ")
            ),
            Err(e) => e.to_string(),
        },
        Some("CONTENT-1"),
        None,
    );

    let t = Instant::now();
    let acked = b.client.confirm_delivered(bid).await.is_ok()
        && c.client.confirm_delivered(cid).await.is_ok();
    let reports = match sent_id {
        Some(id) => {
            wait(|| {
                let r = a.client.message(id).ok()?.recipients;
                r.iter()
                    .all(|x| x.delivery_status.as_deref() == Some("retrieved"))
                    .then_some(r.len())
            })
            .await
        }
        None => None,
    };
    run.record(
        "B and C confirm; delivery reports reach A",
        "2 delivery reports, status retrieved",
        t,
        acked && reports == Some(2),
        format!(
            "acknowledged: {acked}; delivery reports: {}",
            reports.unwrap_or(0)
        ),
        None,
        None,
    );

    let t = Instant::now();
    let sent_rr = b.client.mark_read(bid, true).await.unwrap_or(false);
    let rr = match sent_id {
        Some(id) => {
            wait(|| {
                a.client
                    .message(id)
                    .ok()?
                    .recipients
                    .iter()
                    .find(|x| x.address == b.number)?
                    .read_status
                    .clone()
            })
            .await
        }
        None => None,
    };
    run.record(
        "B reads; the read report reaches A",
        "A sees B's read status",
        t,
        sent_rr && rr.as_deref() == Some("read"),
        format!(
            "read report sent: {sent_rr}; A sees {}",
            rr.as_deref().unwrap_or("no read status")
        ),
        None,
        None,
    );
    Exchange { bid }
}

/// Step: carrier data. A phone configured from its SIM's network alone (no OTA push, no typing),
/// and A, whose SIM reports a network the data knows, keeping the settings its authenticated
/// push set: the data only suggests.
pub(super) async fn carrier_data(w: &World, run: &mut Run) {
    use mms_core::{CarrierOutcome, CarrierProfile, SettingsSource};
    let t = Instant::now();
    let d = CarrierProfile::for_sim("262-01", None, Some("+491701234567"));
    let mut p = w.a.client.profile();
    p.mcc_mnc = Some("310260".into());
    let kept = match w.a.client.set_profile(p) {
        Ok(()) => w.a.client.apply_carrier_settings(),
        Err(e) => Err(e),
    };
    let ok = d.mmsc_url == "http://mms.t-mobile.de/servlets/mms"
        && d.settings_source == SettingsSource::CarrierData
        && matches!(
            kept,
            Ok(CarrierOutcome::Kept {
                source: SettingsSource::Ota
            })
        )
        && w.a.client.profile().mmsc_url == w.mmsc.url();
    run.record(
        "configure a phone from its SIM's network; A keeps its pushed settings",
        "carrier data suggests; OTA takes precedence",
        t,
        ok,
        format!(
            "262-01: MMSC {}, APN {}; A on 310260: {}",
            d.mmsc_url,
            d.apn.as_deref().unwrap_or("-"),
            match &kept {
                Ok(CarrierOutcome::Kept { source }) => format!("kept ({} settings)", source.code()),
                Ok(other) => format!("{other:?}"),
                Err(e) => e.to_string(),
            }
        ),
        Some("OTA-5"),
        None,
    );
}
