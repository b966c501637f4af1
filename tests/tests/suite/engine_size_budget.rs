//! The size budget over real sockets: a draft over the carrier maximum has its still images
//! downscaled and re-encoded until it fits (aspect ratio kept, other parts untouched), and a
//! draft that cannot fit is refused before any network traffic.

use mms_core::{Draft, DraftPart, EngineError};
use mms_tests::harness::*;
use mock_mmsc::{MockConfig, MockMmsc};

/// A 1600x1200 PNG of noisy gradients: megabytes, poorly compressible.
fn big_png() -> Vec<u8> {
    let mut seed = 0x1234_5678u32;
    let img = image::RgbImage::from_fn(1600, 1200, |x, y| {
        seed ^= seed << 13;
        seed ^= seed >> 17;
        seed ^= seed << 5;
        let n = (seed & 0x3f) as u8;
        image::Rgb([
            (x / 7) as u8 ^ n,
            (y / 5) as u8 ^ n,
            ((x + y) / 11) as u8 ^ n,
        ])
    });
    let mut out = std::io::Cursor::new(Vec::new());
    img.write_to(&mut out, image::ImageFormat::Png).unwrap();
    out.into_inner()
}

fn part(content_type: &str, name: &str, data: Vec<u8>) -> DraftPart {
    DraftPart {
        content_type: content_type.into(),
        name: name.into(),
        data,
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_oversized_photo_is_downscaled_to_fit_the_carrier_maximum() {
    let mmsc = MockMmsc::start(MockConfig::default()).await.unwrap();
    let mut p = profile(&mmsc.url(), "+15560701");
    p.max_message_size = 100_000;
    p.max_image_width = 640;
    p.max_image_height = 480;
    let a = phone_with(&mmsc, "+15560701", "budget", p).await.unwrap();
    let b = phone(&mmsc, "+15560702", "budget").await.unwrap();
    let png = big_png();
    assert!(png.len() > 1_000_000, "{}", png.len());
    let text = b"A photo from the summit".to_vec();
    let draft = Draft {
        to: vec!["+15560702".into()],
        parts: vec![
            part("text/plain", "t.txt", text.clone()),
            part("image/png", "summit.png", png),
        ],
        ..Draft::default()
    };
    let id = a.client.send(draft).await.unwrap();
    let sent = a.client.message(id).unwrap();
    let img = sent
        .parts
        .iter()
        .find(|p| p.content_type.starts_with("image/"))
        .unwrap();
    assert_eq!(img.content_type, "image/jpeg");
    let decoded = image::load_from_memory(&img.data).unwrap();
    let (w, h) = (decoded.width(), decoded.height());
    assert!(w <= 640 && h <= 480, "{w}x{h}");
    assert!(
        (w as f64 / h as f64 - 4.0 / 3.0).abs() < 0.01,
        "aspect kept: {w}x{h}"
    );
    let accepted = &mmsc.log_of("send_accepted")[0].detail;
    let octets: u64 = accepted
        .split(", ")
        .find_map(|f| f.strip_suffix(" octets"))
        .unwrap()
        .parse()
        .unwrap();
    assert!(octets <= 100_000, "{accepted}");
    // B receives the shrunk photo and the text byte-exact.
    let got = eventually("B receives", || b.events.received().first().copied())
        .await
        .unwrap();
    let parts = b.client.message(got).unwrap().parts;
    assert!(parts.iter().any(|p| p.data == text));
    assert!(parts.iter().any(|p| p.data == img.data));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_draft_that_cannot_fit_is_refused_before_any_network_traffic() {
    let mmsc = MockMmsc::start(MockConfig::default()).await.unwrap();
    let mut p = profile(&mmsc.url(), "+15560801");
    p.max_message_size = 100_000;
    let a = phone_with(&mmsc, "+15560801", "budget2", p).await.unwrap();
    mmsc.register("+15560802", None);
    // 150 KB of audio cannot shrink; the photo alone could.
    let draft = Draft {
        to: vec!["+15560802".into()],
        parts: vec![
            part("audio/amr", "voice.amr", vec![0x3c; 150_000]),
            part("image/png", "p.png", big_png()),
        ],
        ..Draft::default()
    };
    let r = a.client.send(draft).await;
    assert!(
        matches!(r, Err(EngineError::TooLarge { max: 100_000, .. })),
        "{r:?}"
    );
    assert!(mmsc.log().iter().all(|e| e.event != "send_accepted"));
    assert_eq!(mmsc.message_count(), 0);
    assert!(a.client.messages().unwrap().is_empty(), "nothing queued");
}
