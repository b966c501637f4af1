//! A message's media is stored once on each phone: the image, audio or video part of a queued
//! or retrieved message names its octets in the stored PDU instead of holding a second copy
//! (flash wear and the disk syncs' work halve), and reads the same bytes back through every
//! read path: the message screen's sizes, the bytes in memory, the bytes written to a file.
//! Text parts stay whole (the conversation list reads their first characters).

use mms_core::{Draft, DraftPart};
use mms_tests::harness::*;
use mock_mmsc::{MockConfig, MockMmsc};

const A: &str = "+12025550131";
const B: &str = "+12025550132";
const IMAGE: usize = 300 * 1024;

/// The octets the phone's database holds: the file and what its write-ahead log holds (nothing
/// is checkpointed below 16 MiB, so the log holds every page written). The log's length is not
/// its file's, which the store writes to 4 MiB when it opens (`store/wal_space.rs`): it is the
/// WAL header and the frames the WAL-index header counts (SQLite's file format: `mxFrame` at
/// octet 16 and the page size at octet 14 of the `-shm` file, native byte order).
fn stored(dir: &std::path::Path) -> u64 {
    let db = std::fs::metadata(dir.join("mms.db")).map_or(0, |m| m.len());
    let shm = std::fs::read(dir.join("mms.db-shm")).unwrap_or_default();
    let log = match (shm.get(14..16), shm.get(16..20)) {
        (Some(page), Some(frames)) => {
            let page = match u16::from_ne_bytes([page[0], page[1]]) {
                1 => 65_536,
                p => u64::from(p),
            };
            let frames = u64::from(u32::from_ne_bytes([
                frames[0], frames[1], frames[2], frames[3],
            ]));
            if frames == 0 {
                0
            } else {
                32 + frames * (24 + page)
            }
        }
        _ => 0,
    };
    db + log
}

/// A JPEG-labelled part of `len` octets that no two messages share and nothing compresses.
fn image(len: usize, seed: u64) -> Vec<u8> {
    let mut x = seed | 1;
    let mut data = vec![0xff, 0xd8, 0xff, 0xe0];
    data.extend((4..len).map(|_| {
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        x as u8
    }));
    data
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn media_is_stored_once_and_read_back_whole_on_both_phones() {
    let mmsc = MockMmsc::start(MockConfig::default()).await.unwrap();
    let a = phone(&mmsc, A, "parts").await.unwrap();
    let b = phone(&mmsc, B, "parts").await.unwrap();
    let (a_before, b_before) = (stored(&a.dir), stored(&b.dir));

    let jpeg = image(IMAGE, 0x5eed);
    let mut draft: Draft = text_draft(B, Some("photo"), b"look at this");
    draft.parts.push(DraftPart {
        content_type: "image/jpeg".into(),
        name: "photo.jpg".into(),
        data: jpeg.clone(),
    });
    let sent = a.client.send(draft).await.unwrap();
    let received = eventually("the photo arrives", || b.events.received().first().copied())
        .await
        .unwrap();

    for (who, p, id, before) in [
        ("sender", &a, sent, a_before),
        ("receiver", &b, received, b_before),
    ] {
        // What the message costs the phone's storage: the PDU once, not the PDU and its parts.
        let grew = stored(&p.dir) - before;
        println!("{who}: the database grew by {grew} octets");
        assert!(
            grew >= IMAGE as u64,
            "{who}: the measure must see the photo at least once: {grew} octets"
        );
        assert!(
            grew < (IMAGE as u64) * 3 / 2,
            "{who}: storing a {IMAGE}-octet photo grew the database by {grew} octets"
        );
        // Every read path gives the parts back whole.
        let screen = p.client.message_screen(id).unwrap();
        let photo = screen
            .parts
            .iter()
            .find(|x| x.content_type.starts_with("image/jpeg"))
            .unwrap();
        assert_eq!(photo.size, IMAGE as i64, "{who}");
        assert!(
            p.client.part_data(id, photo.idx).unwrap() == jpeg,
            "{who}: bytes in memory"
        );
        let file = p.dir.join("photo.jpg");
        assert_eq!(
            p.client.write_part(id, photo.idx, &file).unwrap(),
            IMAGE as u64,
            "{who}"
        );
        assert!(
            std::fs::read(&file).unwrap() == jpeg,
            "{who}: bytes in a file"
        );
        let text = screen
            .parts
            .iter()
            .find(|x| x.content_type.starts_with("text/plain"))
            .unwrap();
        assert_eq!(p.client.part_data(id, text.idx).unwrap(), b"look at this");
        let listed = p.client.message_screen(id).unwrap().message;
        assert_eq!(listed.preview.as_deref(), Some("look at this"), "{who}");
    }
}
