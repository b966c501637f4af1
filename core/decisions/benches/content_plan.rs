//! Render-plan cost (criterion): a typical 5-slide message (5 JPEGs, 5 text parts, SMIL) with
//! 300 KB of media, and the same message with 3 MB of media: the work must not grow with media
//! size beyond the bounded header reads. `cargo bench -p mms-core --bench content_plan`.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

use criterion::{BenchmarkId, Criterion};
use mms_codec::pdu::builder::SendReqBuilder;
use mms_codec::pdu::{MessageType, Pdu};
use mms_decisions::content::{MediaPolicy, plan_message};
use std::hint::black_box;

fn jpeg(size: usize) -> Vec<u8> {
    let mut v = vec![
        0xff, 0xd8, 0xff, 0xe0, 0x00, 0x10, b'J', b'F', b'I', b'F', 0, 1, 1, 0, 0, 1, 0, 1, 0, 0,
    ];
    v.extend_from_slice(&[
        0xff, 0xc0, 0x00, 0x11, 0x08, 0x01, 0xe0, 0x02, 0x80, 3, 1, 0x22, 0, 2, 0x11, 1, 3, 0x11, 1,
    ]);
    v.resize(size - 2, 0x5a);
    v.extend_from_slice(&[0xff, 0xd9]);
    v
}

fn message(media_total: usize) -> Vec<u8> {
    let images: Vec<Vec<u8>> = (0..5).map(|_| jpeg(media_total / 5)).collect();
    let mut b = SendReqBuilder::new("T")
        .to("+15550001")
        .subject("five slides");
    let mut smil = String::from(
        r#"<smil><head><layout><root-layout width="320" height="480"/><region id="Image" left="0" top="0" width="320" height="320"/><region id="Text" left="0" top="320" width="320" height="160"/></layout></head><body>"#,
    );
    for (i, img) in images.iter().enumerate() {
        b = b
            .part("image/jpeg", &format!("img{i}.jpg"), img.clone())
            .part(
                "text/plain",
                &format!("t{i}.txt"),
                format!("Slide {i} text").into_bytes(),
            );
        smil.push_str(&format!(r#"<par dur="4s"><img src="img{i}.jpg" region="Image"/><text src="t{i}.txt" region="Text"/></par>"#));
    }
    smil.push_str("</body></smil>");
    let mut p = b.smil("pres.smil", smil.into_bytes()).build();
    p.message_type = MessageType::RetrieveConf;
    p.encode().unwrap()
}

fn main() {
    let mut c = Criterion::default().configure_from_args();
    let mut g = c.benchmark_group("render_plan");
    for (label, size) in [("300KB", 300 * 1024), ("3MB", 3 * 1024 * 1024)] {
        let bytes = message(size);
        let pdu = Pdu::decode(&bytes).unwrap().pdu;
        let plan = plan_message(&pdu, &MediaPolicy::default());
        assert_eq!(plan.slides.len(), 5);
        g.bench_with_input(BenchmarkId::from_parameter(label), &pdu, |b, pdu| {
            b.iter(|| {
                plan_message(black_box(pdu), &MediaPolicy::default())
                    .slides
                    .len()
            })
        });
    }
    g.finish();
    c.final_summary();
}
