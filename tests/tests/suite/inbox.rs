//! What a messaging app lists, end to end over loopback: conversations keyed by the people in
//! them (the user left out, any spelling of a number), pages with cursors, one-call message
//! screens, part bytes on demand and written to a file, and the typed errors for what does not
//! exist or cannot be done yet.

use mms_core::{
    AutoDownload, CarrierProfile, Direction, EngineError, ErrorKind, MmsClient, NoopListener,
    PageRequest, State,
};
use mms_tests::harness::*;
use mock_mmsc::{MockConfig, MockMmsc};
use std::sync::Arc;

const A: &str = "+12025550101";
const B: &str = "+12025550102";
const C: &str = "+12025550103";

fn first(limit: u32) -> PageRequest {
    PageRequest {
        before: None,
        limit,
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn conversations_pages_and_message_screens_in_one_call_each() {
    let mmsc = MockMmsc::start(MockConfig::default()).await.unwrap();
    let a = phone(&mmsc, A, "inbox").await.unwrap();
    let b = phone(&mmsc, B, "inbox").await.unwrap();
    let _c = phone(&mmsc, C, "inbox").await.unwrap();
    for i in 0..3 {
        let body = format!("hello {i}");
        a.client
            .send(text_draft(B, Some("one to one"), body.as_bytes()))
            .await
            .unwrap();
    }
    // The same person in another spelling: the same conversation.
    let d = text_draft(&format!("{}/TYPE=PLMN", B), None, "hello again".as_bytes());
    let again = a.client.send(d).await.unwrap();
    let mut group = text_draft(B, Some("group"), "to both".as_bytes());
    group.to.push(C.into());
    let group_id = a.client.send(group).await.unwrap();

    // A's inbox: two conversations, the group first (newest).
    let page = a.client.conversations(first(10)).unwrap();
    assert_eq!(page.items.len(), 2, "{page:?}");
    assert_eq!(page.next, None);
    let (g, one) = (&page.items[0], &page.items[1]);
    assert_eq!(g.peers, vec![B.to_string(), C.to_string()]);
    assert_eq!(g.last.row.id, group_id);
    assert_eq!(g.last.preview.as_deref(), Some("to both"));
    assert_eq!(one.peers, vec![B.to_string()]);
    assert_eq!((one.count, one.unread), (4, 0));
    assert_eq!(one.last.row.id, again);
    assert_eq!(one.last.row.direction, Direction::Out);

    // Pages of one conversation: 2, then 2, then none left.
    let p1 = a
        .client
        .conversation(
            &one.key,
            PageRequest {
                before: None,
                limit: 2,
            },
        )
        .unwrap();
    assert_eq!(p1.items.len(), 2);
    let p2 = a
        .client
        .conversation(
            &one.key,
            PageRequest {
                before: p1.next,
                limit: 2,
            },
        )
        .unwrap();
    assert_eq!(p2.items.len(), 2);
    assert_eq!(p2.items[1].preview.as_deref(), Some("hello 0"));
    let p3 = a
        .client
        .conversation(
            &one.key,
            PageRequest {
                before: p2.next,
                limit: 2,
            },
        )
        .unwrap();
    assert!(p3.items.is_empty() && p3.next.is_none(), "{p3:?}");

    // B's side: every message from A in one conversation, unread until read. (Notifications
    // may reach B in any order, so which row is newest on B is not known in advance.)
    let conv = eventually("B's five messages downloaded", || {
        let page = b.client.conversations(first(10)).ok()?;
        // The group message too: until it is downloaded it is filed by its sender alone, in
        // the conversation with A (a notification arriving after the four had downloaded
        // made the unread counts below one too many on a loaded machine).
        page.items.iter().find(|c| {
            c.peers == vec![A.to_string(), C.to_string()] && c.last.row.state == State::Downloaded
        })?;
        let with_a = page
            .items
            .into_iter()
            .find(|c| c.peers == vec![A.to_string()])?;
        let all = b.client.conversation(&with_a.key, first(10)).ok()?.items;
        // The page was read before the messages: it says four unread only once all four were
        // there when it was read (a download finishing between the two calls used to fail the
        // unread count below on a loaded machine).
        (all.len() == 4
            && with_a.unread == 4
            && all
                .iter()
                .all(|m| m.row.state == State::Downloaded && m.preview.is_some()))
        .then_some((with_a, all))
    })
    .await
    .unwrap();
    let (conv, all) = conv;
    assert_eq!(conv.unread, 4);
    let mut previews: Vec<_> = all.iter().filter_map(|m| m.preview.clone()).collect();
    previews.sort();
    assert_eq!(
        previews,
        vec!["hello 0", "hello 1", "hello 2", "hello again"]
    );
    let received = all
        .iter()
        .find(|m| m.preview.as_deref() == Some("hello again"))
        .unwrap()
        .row
        .id;
    b.client.mark_read(received, false).await.unwrap();
    let conv = b.client.conversations(first(10)).unwrap();
    let with_a = conv
        .items
        .iter()
        .find(|c| c.key == conv_key(&b, A))
        .unwrap();
    assert_eq!(with_a.unread, 3);

    // One call for the message screen: parts without bytes, a render plan, no recipients
    // (received); then the bytes of one part, in memory and into a file.
    let screen = b.client.message_screen(received).unwrap();
    assert_eq!(screen.message.row.id, received);
    let text = screen
        .parts
        .iter()
        .find(|p| p.content_type.starts_with("text/plain"))
        .unwrap();
    assert_eq!(text.size, "hello again".len() as i64);
    assert!(screen.plan.is_some());
    assert_eq!(
        b.client.part_data(received, text.idx).unwrap(),
        b"hello again"
    );
    let file = b.dir.join("part.txt");
    assert_eq!(
        b.client.write_part(received, text.idx, &file).unwrap(),
        "hello again".len() as u64
    );
    assert_eq!(std::fs::read(&file).unwrap(), b"hello again");
    // The sender's screen lists its recipients.
    let sent = a.client.message_screen(group_id).unwrap();
    let mut to: Vec<_> = sent.recipients.iter().map(|r| r.address.clone()).collect();
    to.sort();
    assert_eq!(to, vec![B.to_string(), C.to_string()]);

    // What does not exist is NotFound, with no row or part invented.
    let e = b.client.part_data(received, 99).unwrap_err();
    assert_eq!(e.kind(), ErrorKind::NotFound, "{e}");
    let e = b.client.message_screen(received + 1000).unwrap_err();
    assert_eq!(e.kind(), ErrorKind::NotFound, "{e}");
}

/// The conversation key of `who` on phone `p`.
fn conv_key(p: &Phone, who: &str) -> String {
    p.client
        .conversations(first(100))
        .unwrap()
        .items
        .into_iter()
        .find(|c| c.peers == vec![who.to_string()])
        .map(|c| c.key)
        .unwrap()
}

/// An inbox of many messages is listed in pages of at most [`mms_core::MAX_PAGE`], every
/// message once, newest first, whatever limit is asked for.
#[tokio::test]
async fn pages_cover_every_conversation_once() {
    let db = scratch_db("inbox-pages").unwrap();
    let mut profile = CarrierProfile::for_mmsc("http://127.0.0.1:9/mms");
    profile.auto_download = AutoDownload::Never;
    let client = MmsClient::open(
        &db.path,
        profile,
        Arc::new(mms_core::Blocking::new(
            Arc::new(Unreachable),
            &CarrierProfile::default(),
        )),
        Arc::new(NoopListener),
    )
    .unwrap();
    let mut queued = Vec::new();
    for i in 0..30 {
        let to = format!("+1202555{:04}", 1000 + i);
        queued.push(client.queue(text_draft(&to, None, b"x")).unwrap());
    }
    let mut seen = Vec::new();
    let mut before = None;
    let mut calls = 0;
    loop {
        let page = client
            .conversations(PageRequest { before, limit: 7 })
            .unwrap();
        calls += 1;
        assert!(page.items.len() <= 7);
        seen.extend(page.items.iter().map(|c| c.last.row.id));
        match page.next {
            Some(n) => before = Some(n),
            None => break,
        }
    }
    assert_eq!(calls, 5, "30 conversations in pages of 7");
    queued.reverse();
    assert_eq!(seen, queued);
    // A limit of 0 still answers (one row); a huge one is capped.
    assert_eq!(client.conversations(first(0)).unwrap().items.len(), 1);
    assert_eq!(
        client.conversations(first(u32::MAX)).unwrap().items.len(),
        30
    );
}

/// A client whose profile names no MMSC yet (waiting for the carrier's settings) refuses to
/// send or download with NotProvisioned, before anything is stored or sent.
#[tokio::test]
async fn sending_before_provisioning_is_not_provisioned() {
    let db = scratch_db("inbox-unprov").unwrap();
    let profile = CarrierProfile {
        mcc_mnc: Some("310-260".into()),
        ..CarrierProfile::default()
    };
    let client = MmsClient::open(
        &db.path,
        profile.clone(),
        Arc::new(mms_core::Blocking::new(Arc::new(Unreachable), &profile)),
        Arc::new(NoopListener),
    )
    .unwrap();
    let e = client.send(text_draft(B, None, b"x")).await.unwrap_err();
    assert!(matches!(e, EngineError::NotProvisioned), "{e}");
    assert_eq!(e.kind(), ErrorKind::NotProvisioned);
    assert!(client.messages().unwrap().is_empty());
}

/// A transport that never connects.
struct Unreachable;

impl mms_core::BlockingTransport for Unreachable {
    fn post(
        &self,
        _: &str,
        _: &[(String, String)],
        _: Vec<u8>,
    ) -> Result<mms_core::HttpResponse, mms_core::TransportError> {
        Err(mms_core::TransportError::Connect("unreachable".into()))
    }
    fn get(
        &self,
        _: &str,
        _: &[(String, String)],
    ) -> Result<mms_core::HttpResponse, mms_core::TransportError> {
        Err(mms_core::TransportError::Connect("unreachable".into()))
    }
}
