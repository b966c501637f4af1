//! Reports and deferred retrieval over real loopback sockets (REPORT-1, REPORT-2): delivery
//! and read reports are accepted only for messages this phone sent (read reports only where
//! one was requested), from one of the recipients, once, size-capped; deferred retrieval sends
//! NotifyResp (Deferred) first and M-Acknowledge.ind after the later download.

use mms_core::AutoDownload;
use mms_core::pdu::MessageType;
use mms_core::pdu::builder::{delivery_ind, read_orig};
use mms_core::pdu::{Pdu, ReadStatus, Status};
use mms_core::push::{PORT_PUSH, encode_mms_push};
use mms_core::{BoxFuture, HttpResponse, HttpTransport, Mm1Transport, MmsClient, TransportError};
use mms_core::{Draft, NoopListener, State};
use mms_tests::harness::text_draft as harness_text_draft;
use mms_tests::harness::*;
use mock_mmsc::{MockConfig, MockMmsc};
use std::sync::{Arc, Mutex};

/// A text to `to` that asks for a delivery report and, if `read_report`, a read report.
fn text_draft(to: &str, read_report: bool) -> Draft {
    Draft {
        delivery_report: Some(true),
        read_report: Some(read_report),
        ..harness_text_draft(to, Some("hi"), b"hello")
    }
}

/// Hands `pdu` to the phone as a WAP push from the MMSC's side of the network.
async fn report(phone: &Phone, pdu: Pdu<'static>) {
    let wsp = encode_mms_push(1, &pdu.encode().unwrap());
    phone
        .client
        .handle_push("127.0.0.1", Some(PORT_PUSH), &wsp)
        .await;
}

/// The first recipient's read state of the sent message `id`.
fn read_status(phone: &Phone, id: i64) -> Option<String> {
    phone.client.message(id).unwrap().recipients[0]
        .read_status
        .clone()
}

/// The threat ID of the newest audit row with `reason`.
fn audited_threat(phone: &Phone, reason: &str) -> Option<String> {
    phone.client.audit_log(Some(reason), 10).unwrap()[0]
        .threat
        .clone()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn report_1_and_report_2_forged_duplicate_and_unrequested_reports_are_dropped() {
    let mmsc = MockMmsc::start(MockConfig::default()).await.unwrap();
    let a = phone(&mmsc, "+15551001", "reports").await.unwrap();
    let b = phone(&mmsc, "+15551002", "reports").await.unwrap();
    let id = a.client.send(text_draft(&b.number, false)).await.unwrap();
    let mid = a.client.message(id).unwrap().row.message_id.unwrap();
    // REPORT-2: a delivery report for a message A never sent.
    report(
        &a,
        delivery_ind("M-unknown", "+15551002", Status::Retrieved, 1),
    )
    .await;
    assert_eq!(
        audited_threat(&a, "report_unknown_message").as_deref(),
        Some("REPORT-2")
    );
    // A delivery report naming someone who was not a recipient.
    report(&a, delivery_ind(&mid, "+15559999", Status::Retrieved, 1)).await;
    assert_eq!(
        a.client
            .audit_log(Some("report_unknown_recipient"), 10)
            .unwrap()
            .len(),
        1
    );
    // The genuine one is accepted once; the replay is a duplicate.
    report(&a, delivery_ind(&mid, "+15551002", Status::Retrieved, 1)).await;
    assert_eq!(
        a.client.message(id).unwrap().recipients[0]
            .delivery_status
            .as_deref(),
        Some("retrieved")
    );
    report(&a, delivery_ind(&mid, "+15551002", Status::Retrieved, 1)).await;
    assert_eq!(
        audited_threat(&a, "duplicate_report").as_deref(),
        Some("REPORT-1")
    );
    // REPORT-1: a read report for a message that did not ask for one.
    report(
        &a,
        read_orig(&mid, "+15551001", "+15551002", ReadStatus::Read, 2),
    )
    .await;
    assert_eq!(
        audited_threat(&a, "read_report_not_requested").as_deref(),
        Some("REPORT-1")
    );
    assert_eq!(read_status(&a, id), None);
    // With a read report requested: accepted once, from the recipient only, never re-routed.
    let id2 = a.client.send(text_draft(&b.number, true)).await.unwrap();
    let mid2 = a.client.message(id2).unwrap().row.message_id.unwrap();
    report(
        &a,
        read_orig(&mid2, "+19990000", "+15559999", ReadStatus::Read, 2),
    )
    .await;
    assert_eq!(read_status(&a, id2), None, "a stranger's read report");
    report(
        &a,
        read_orig(&mid2, "+19990000", "+15551002", ReadStatus::Read, 2),
    )
    .await;
    assert_eq!(read_status(&a, id2).as_deref(), Some("read"));
    let late = read_orig(
        &mid2,
        "+15551001",
        "+15551002",
        ReadStatus::DeletedWithoutBeingRead,
        3,
    );
    report(&a, late).await;
    assert_eq!(read_status(&a, id2).as_deref(), Some("read"), "only once");
    // Oversized reports are dropped.
    let mut big = read_orig(&mid2, "+15551001", "+15551002", ReadStatus::Read, 2);
    big.headers.push(mms_core::pdu::Header::Application {
        name: "X-Padding".into(),
        value: mms_core::pdu::Text(std::borrow::Cow::Owned(vec![b'x'; 3000])),
    });
    report(&a, big.into_owned()).await;
    assert_eq!(
        a.client
            .audit_log(Some("oversized_report"), 10)
            .unwrap()
            .len(),
        1
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn deferred_retrieval_notifyresp_deferred_then_acknowledge() {
    let mmsc = MockMmsc::start(MockConfig::default()).await.unwrap();
    let a = phone(&mmsc, "+15552001", "deferred").await.unwrap();
    let mut p = profile(&mmsc.url(), "+15552002");
    p.auto_download = AutoDownload::Never;
    let b = phone_with(&mmsc, "+15552002", "deferred", p).await.unwrap();
    a.client.send(text_draft(&b.number, false)).await.unwrap();
    let id = eventually("notification stored", || {
        b.client.messages().ok()?.first().map(|m| m.id)
    })
    .await
    .unwrap();
    eventually("deferred", || {
        b.client
            .message(id)
            .ok()
            .filter(|m| m.row.deferred)
            .map(|_| ())
    })
    .await
    .unwrap();
    assert_eq!(b.client.message(id).unwrap().row.state, State::Notified);
    assert_eq!(mmsc.log_of("notification_deferred").len(), 1);
    assert!(mmsc.log_of("transaction_closed").is_empty());
    // Later the user downloads: stored, confirmed, then M-Acknowledge.ind closes it.
    b.client.download(id).await.unwrap();
    assert_eq!(b.client.message(id).unwrap().parts[0].data, b"hello");
    b.client.confirm_delivered(id).await.unwrap();
    assert_eq!(b.client.message(id).unwrap().row.state, State::Acknowledged);
    let closed = mmsc.log_of("transaction_closed");
    assert_eq!(closed.len(), 1);
    assert!(
        closed[0].detail.contains("None"),
        "closed by M-Acknowledge.ind (no X-Mms-Status): {}",
        closed[0].detail
    );
    // A duplicate push of the same notification is re-acknowledged, not re-downloaded.
    let retrieved_before = mmsc.log_of("retrieved").len();
    let raw = b.client.store().blobs(id).unwrap().0.unwrap();
    b.client
        .handle_push("127.0.0.1", Some(PORT_PUSH), &encode_mms_push(7, &raw))
        .await;
    assert_eq!(mmsc.log_of("retrieved").len(), retrieved_before);
    assert_eq!(b.client.messages().unwrap().len(), 1);
}

/// A transport that holds the MMSC's answer to a submission until released, after noting the
/// Message-ID it gives: the moment in which the MMSC may already have delivered the message
/// and pushed its report.
struct HoldingTransport {
    inner: HttpTransport,
    message_id: Mutex<Option<String>>,
    release: tokio::sync::Notify,
}

impl Mm1Transport for HoldingTransport {
    fn post<'a>(
        &'a self,
        url: &'a str,
        pdu: Vec<u8>,
    ) -> BoxFuture<'a, Result<HttpResponse, TransportError>> {
        Box::pin(async move {
            let r = self.inner.post(url, pdu).await?;
            let mid = Pdu::decode(&r.body)
                .ok()
                .filter(|d| d.pdu.message_type == MessageType::SendConf)
                .and_then(|d| d.pdu.message_id().map(|m| m.to_string()));
            if let Some(mid) = mid {
                *self.message_id.lock().unwrap() = Some(mid);
                self.release.notified().await;
            }
            Ok(r)
        })
    }

    fn get<'a>(&'a self, url: &'a str) -> BoxFuture<'a, Result<HttpResponse, TransportError>> {
        self.inner.get(url)
    }
}

/// REPORT-2 without losing a genuine report: a delivery report that arrives before the phone
/// has read the MMSC's answer to the submission (so before it knows the Message-ID) is held and
/// recorded once the answer names its message. It used to be refused as a report for a
/// message never sent, and lost (seen in the randomised kill test, where a phone restarted
/// after a kill resubmits while the MMSC pushes the report of its first submission).
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn report_2_a_report_that_outruns_the_submission_answer_is_kept_for_it() {
    let mmsc = MockMmsc::start(MockConfig::default()).await.unwrap();
    let b = phone(&mmsc, "+15551102", "early-report").await.unwrap();
    let p = profile(&mmsc.url(), "+15551101");
    mmsc.register("+15551101", None);
    let t = Arc::new(HoldingTransport {
        inner: HttpTransport::new(&p).unwrap(),
        message_id: Mutex::new(None),
        release: tokio::sync::Notify::new(),
    });
    let a = MmsClient::open(&b.dir.join("a.db"), p, t.clone(), Arc::new(NoopListener)).unwrap();
    let send = tokio::spawn({
        let a = a.clone();
        async move { a.send(text_draft(&b.number, false)).await }
    });
    let mid = eventually("the MMSC's answer", || t.message_id.lock().unwrap().clone())
        .await
        .unwrap();
    let early = delivery_ind(&mid, "+15551102", Status::Retrieved, 1);
    let wsp = encode_mms_push(1, &early.encode().unwrap());
    a.handle_push("127.0.0.1", Some(PORT_PUSH), &wsp).await;
    // A report for a message nobody sent is still refused at once, even now.
    let forged = delivery_ind("M-forged", "+15551102", Status::Retrieved, 1);
    let wsp = encode_mms_push(1, &forged.encode().unwrap());
    a.handle_push("127.0.0.1", Some(PORT_PUSH), &wsp).await;
    t.release.notify_one();
    let id = send.await.unwrap().unwrap();
    assert_eq!(
        a.message(id).unwrap().recipients[0]
            .delivery_status
            .as_deref(),
        Some("retrieved")
    );
    // Held, the forged one was not refused yet; its refusal comes when it is pushed out.
    assert!(
        a.audit_log(Some("report_unknown_message"), 10)
            .unwrap()
            .is_empty()
    );
}
