//! Rendering decisions against the CONTENT-* threats, with real bytes: hostile parts and
//! hostile SMIL in, the render plan and its audit rows out.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

use mms_codec::pdu::builder::SendReqBuilder;
use mms_codec::pdu::{Limits, MessageType, Pdu};
use mms_decisions::content::*;

fn jpeg(w: u16, h: u16) -> Vec<u8> {
    let mut v = vec![
        0xff, 0xd8, 0xff, 0xe0, 0x00, 0x10, b'J', b'F', b'I', b'F', 0, 1, 1, 0, 0, 1, 0, 1, 0, 0,
    ];
    v.extend_from_slice(&[0xff, 0xc0, 0x00, 0x11, 0x08]);
    v.extend_from_slice(&h.to_be_bytes());
    v.extend_from_slice(&w.to_be_bytes());
    v.extend_from_slice(&[3, 1, 0x22, 0, 2, 0x11, 1, 3, 0x11, 1]);
    v.extend_from_slice(&[0xff, 0xd9]);
    v
}

fn png(w: u32, h: u32) -> Vec<u8> {
    let mut v = b"\x89PNG\r\n\x1a\n\x00\x00\x00\x0dIHDR".to_vec();
    v.extend_from_slice(&w.to_be_bytes());
    v.extend_from_slice(&h.to_be_bytes());
    v.extend_from_slice(&[8, 6, 0, 0, 0, 0, 0, 0, 0]);
    v
}

const MP3: &[u8] = b"ID3\x03\x00\x00\x00\x00\x00\x0a\xff\xfb\x90\x64\x00\x00\x00\x00";
const JAR: &[u8] = b"PK\x03\x04\x14\x00\x08\x08\x08\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x14\x00\x00\x00META-INF/MANIFEST.MF";

/// Builds a retrieve-conf-like message and returns its plan.
fn plan_of(parts: &[(&str, &str, &[u8])], smil: Option<&str>) -> RenderPlan {
    let mut b = SendReqBuilder::new("T").to("+1");
    for (media, name, data) in parts {
        b = b.part(media, name, *data);
    }
    if let Some(s) = smil {
        b = b.smil("pres.smil", s.as_bytes());
    }
    let mut pdu = b.build();
    pdu.message_type = MessageType::RetrieveConf;
    let bytes = pdu.encode().unwrap();
    let limits = Limits {
        max_pdu_size: 128 << 20,
        ..Limits::default()
    };
    let d = Pdu::decode_with(&bytes, &limits).unwrap();
    plan_message(&d.pdu, &MediaPolicy::default())
}

fn part<'a>(plan: &'a RenderPlan, name: &str) -> &'a PartPlan {
    plan.parts
        .iter()
        .find(|p| p.name.as_deref() == Some(name))
        .unwrap()
}

#[test]
fn content_1_only_allow_listed_types_auto_render() {
    let plan = plan_of(
        &[
            ("text/plain", "t.txt", b"hello"),
            ("image/jpeg", "a.jpg", &jpeg(640, 480)),
            ("audio/amr", "v.amr", b"#!AMR\n\x3c\x00"),
            ("application/pdf", "d.pdf", b"%PDF-1.4\n"),
            (
                "application/octet-stream",
                "x.bin",
                &[0u8, 1, 2, 3, 0xff, 0xfe, 0, 0],
            ),
        ],
        None,
    );
    assert_eq!(part(&plan, "t.txt").decision, PartDecision::Auto);
    assert_eq!(part(&plan, "a.jpg").decision, PartDecision::Auto);
    assert_eq!(part(&plan, "a.jpg").dimensions, Some((640, 480)));
    assert_eq!(part(&plan, "v.amr").decision, PartDecision::Auto);
    assert_eq!(part(&plan, "d.pdf").decision, PartDecision::TapToOpen);
    assert_eq!(part(&plan, "x.bin").decision, PartDecision::TapToOpen);
    assert!(
        part(&plan, "d.pdf")
            .reasons
            .iter()
            .any(|r| r.code() == "not_allow_listed")
    );
    // Without SMIL: a sequential plan, one slide per part, each skippable.
    assert!(!plan.from_smil);
    assert_eq!(plan.slides.len(), 5);
    assert!(plan.skippable && plan.cancellable);
}

#[test]
fn content_2_type_lies_are_flagged_and_never_auto() {
    let plan = plan_of(
        &[
            ("text/plain", "lie.txt", &jpeg(10, 10)),
            ("text/plain", "song.txt", MP3),
            ("image/jpg", "ok.jpg", &jpeg(5, 5)),
        ],
        None,
    );
    let lie = part(&plan, "lie.txt");
    assert_eq!(lie.sniffed_type, "image/jpeg");
    assert_eq!(lie.decision, PartDecision::TapToOpen);
    assert!(
        matches!(&lie.reasons[0], PartReason::TypeMismatch { declared, sniffed } if declared == "text/plain" && sniffed == "image/jpeg")
    );
    let song = part(&plan, "song.txt");
    assert_eq!(song.sniffed_type, "audio/mpeg");
    assert_eq!(song.decision, PartDecision::TapToOpen);
    // An alias of the right type is not a lie.
    assert_eq!(part(&plan, "ok.jpg").decision, PartDecision::Auto);
    let rows = plan.audit_events("M1", 7);
    assert_eq!(
        rows.iter()
            .filter(|r| r.reason == "content_type_mismatch")
            .count(),
        2
    );
    assert!(rows.iter().all(|r| r.subject == "M1" && r.at == 7));
    assert_eq!(rows[0].threat.as_deref(), Some("CONTENT-2"));
}

#[test]
fn content_3_executables_and_scripted_markup_are_never_auto() {
    let svg_script = br#"<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>"#;
    let svg_onload = br#"<svg xmlns="http://www.w3.org/2000/svg" onload ="alert(1)"><rect/></svg>"#;
    let svg_plain =
        br#"<svg xmlns="http://www.w3.org/2000/svg"><rect width="10" height="10"/></svg>"#;
    let plan = plan_of(
        &[
            ("image/jpeg", "jar.jpg", JAR),
            ("image/svg+xml", "s1.svg", svg_script),
            ("image/svg+xml", "s2.svg", svg_onload),
            ("image/svg+xml", "s3.svg", svg_plain),
            (
                "audio/amr",
                "elf.amr",
                b"\x7fELF\x02\x01\x01\x00\x00\x00\x00\x00\x00\x00\x00\x00",
            ),
            (
                "text/vnd.sun.j2me.app-descriptor",
                "g.jad",
                b"MIDlet-Name: Game\nMIDlet-Jar-URL: http://x/g.jar\n",
            ),
        ],
        None,
    );
    let jar = part(&plan, "jar.jpg");
    assert_eq!(jar.sniffed_type, "application/java-archive");
    assert_eq!(jar.decision, PartDecision::Blocked);
    assert!(jar.reasons.iter().any(|r| r.code() == "executable_content"));
    assert_eq!(part(&plan, "s1.svg").decision, PartDecision::Blocked);
    assert_eq!(part(&plan, "s2.svg").decision, PartDecision::Blocked);
    assert_eq!(part(&plan, "s3.svg").decision, PartDecision::TapToOpen);
    assert_eq!(part(&plan, "elf.amr").decision, PartDecision::Blocked);
    assert_eq!(part(&plan, "g.jad").decision, PartDecision::Blocked);
    let rows = plan.audit_events("M", 0);
    assert!(
        rows.iter()
            .any(|r| r.reason == "executable_content" && r.threat.as_deref() == Some("CONTENT-3"))
    );
    assert!(
        rows.iter()
            .any(|r| r.reason == "script_or_external_reference")
    );
}

#[test]
fn content_4_smil_timing_is_clamped_and_bounded() {
    let smil = r#"<smil><head><layout><root-layout width="320" height="480"/><region id="Image" left="0" top="0" width="320" height="240"/></layout></head>
      <body><par dur="99999999s"><img src="a.jpg" region="Image" begin="86400s"/><audio src="v.amr" repeatCount="indefinite" dur="10s"/></par><par dur="0ms"><text src="t.txt"/></par></body></smil>"#;
    let plan = plan_of(
        &[
            ("image/jpeg", "a.jpg", &jpeg(10, 10)),
            ("audio/amr", "v.amr", b"#!AMR\n"),
            ("text/plain", "t.txt", b"hi"),
        ],
        Some(smil),
    );
    assert!(plan.from_smil);
    assert_eq!(plan.slides.len(), 2);
    assert_eq!(plan.slides[0].duration_ms, 30_000);
    assert_eq!(plan.slides[1].duration_ms, 500);
    assert!(
        plan.slides[0]
            .items
            .iter()
            .all(|i| i.begin_ms <= 30_000 && i.begin_ms + i.duration_ms <= 30_000)
    );
    let what: Vec<&str> = plan.adjustments.iter().map(|a| a.what.as_str()).collect();
    assert!(
        what.contains(&"dur") && what.contains(&"repeatCount") && what.contains(&"begin"),
        "{what:?}"
    );
    assert!(plan.audit_events("M", 0).iter().any(|r| r.reason == "presentation_clamped" && r.threat.as_deref() == Some("CONTENT-4")));
}

#[test]
fn content_4_ten_thousand_slides_are_bounded() {
    let mut smil = String::from("<smil><body><seq>");
    for _ in 0..10_000 {
        smil.push_str(r#"<par dur="1s"><text src="t.txt"/></par>"#);
    }
    smil.push_str("</seq></body></smil>");
    let plan = plan_of(&[("text/plain", "t.txt", b"spam")], Some(&smil));
    assert!(plan.from_smil);
    assert!(plan.slides.len() <= 100);
    assert!(plan.total_ms <= 300_000);
    assert!(plan.adjustments.iter().any(|a| a.what == "slides"));
}

#[test]
fn content_4_malformed_smil_falls_back_to_a_sequential_plan() {
    for bad in [
        "<smil><body><par>",
        "<!DOCTYPE smil [<!ENTITY a \"x\">]><smil/>",
        "not xml at all",
        "<html/>",
    ] {
        let plan = plan_of(
            &[
                ("text/plain", "t.txt", b"hi"),
                ("image/jpeg", "a.jpg", &jpeg(1, 1)),
            ],
            Some(bad),
        );
        assert!(!plan.from_smil, "{bad}");
        assert!(plan.smil_fallback.is_some());
        assert_eq!(plan.slides.len(), 2, "{bad}");
    }
    let mut deep = String::from("<smil><body>");
    for _ in 0..100 {
        deep.push_str("<seq>");
    }
    let plan = plan_of(&[("text/plain", "t.txt", b"hi")], Some(&deep));
    assert!(!plan.from_smil);
}

#[test]
fn content_5_remote_references_are_dropped() {
    let smil = r#"<smil><body><par><video src="rtsp://evil.example/stream"/><img src="http://evil.example/track.gif"/><audio src="//evil.example/a.amr"/><text src="cid:t.txt"/><img src="gone.jpg"/></par></body></smil>"#;
    let plan = plan_of(&[("text/plain", "t.txt", b"hi")], Some(smil));
    let remote: Vec<&str> = plan
        .dropped
        .iter()
        .filter(|d| d.reason == "remote")
        .map(|d| d.src.as_str())
        .collect();
    assert_eq!(
        remote,
        [
            "rtsp://evil.example/stream",
            "http://evil.example/track.gif",
            "//evil.example/a.amr"
        ]
    );
    assert!(
        plan.dropped
            .iter()
            .any(|d| d.reason == "missing" && d.src == "gone.jpg")
    );
    // Only the part of the message is on the slide: resolved by cid.
    assert_eq!(plan.slides[0].items.len(), 1);
    assert_eq!(
        plan.parts[plan.slides[0].items[0].part].name.as_deref(),
        Some("t.txt")
    );
    let rows = plan.audit_events("M", 0);
    assert_eq!(
        rows.iter()
            .filter(|r| r.reason == "remote_reference" && r.threat.as_deref() == Some("CONTENT-5"))
            .count(),
        3
    );
}

#[test]
fn content_6_dimension_bombs_and_oversized_parts() {
    let big = vec![b'a'; 50 * 1024 * 1024];
    let plan = plan_of(
        &[
            ("image/png", "bomb.png", &png(60_000, 60_000)),
            ("image/png", "big.png", &png(5000, 5000)),
            ("text/plain", "huge.txt", &big),
        ],
        None,
    );
    let bomb = part(&plan, "bomb.png");
    assert_eq!(bomb.dimensions, Some((60_000, 60_000)));
    assert_eq!(bomb.decision, PartDecision::Blocked);
    assert!(matches!(
        bomb.reasons[0],
        PartReason::DimensionsTooLarge {
            width: 60_000,
            height: 60_000
        }
    ));
    assert_eq!(part(&plan, "big.png").decision, PartDecision::TapToOpen);
    let huge = part(&plan, "huge.txt");
    assert_eq!(huge.decision, PartDecision::TapToOpen);
    assert!(huge.reasons.iter().any(|r| matches!(r, PartReason::TooLarge { size, limit } if *size == 50 * 1024 * 1024 && *limit == 300 * 1024)));
    let rows = plan.audit_events("M", 0);
    assert!(rows.iter().any(|r| r.reason == "dimensions_too_large" && r.threat.as_deref() == Some("CONTENT-6")));
}

#[test]
fn content_7_regions_are_confined_to_the_root_layout() {
    let smil = r#"<smil><head><layout><root-layout width="320" height="480"/>
        <region id="Evil" left="-100" top="400" width="1000" height="1000"/>
        <region id="Half" left="50%" top="0" width="50%" height="25%"/></layout></head>
      <body><par><img src="a.jpg" region="Evil"/><text src="t.txt" region="Half"/></par></body></smil>"#;
    let plan = plan_of(
        &[
            ("image/jpeg", "a.jpg", &jpeg(10, 10)),
            ("text/plain", "t.txt", b"hi"),
        ],
        Some(smil),
    );
    let r0 = plan.slides[0].items[0].region.unwrap();
    assert_eq!((r0.left, r0.top, r0.width, r0.height), (0, 400, 320, 80));
    let r1 = plan.slides[0].items[1].region.unwrap();
    assert_eq!((r1.left, r1.top, r1.width, r1.height), (160, 0, 160, 120));
    for s in &plan.slides {
        for i in &s.items {
            if let Some(r) = i.region {
                assert!(r.left + r.width <= plan.root.0 && r.top + r.height <= plan.root.1);
            }
        }
    }
    assert!(plan.adjustments.iter().any(|a| a.what == "region"));
}

#[test]
fn link_3_vcard_parts_open_only_on_request() {
    let plan = plan_of(
        &[(
            "text/x-vcard",
            "bank.vcf",
            b"BEGIN:VCARD\nVERSION:2.1\nTEL:+19005550100\nEND:VCARD\n",
        )],
        None,
    );
    let v = part(&plan, "bank.vcf");
    assert_eq!(v.decision, PartDecision::TapToOpen);
    assert_eq!(v.reasons[0].code(), "personal_data");
}

#[test]
fn sniffer_recognises_the_media_families() {
    let cases: Vec<(Vec<u8>, &str)> = vec![
        (jpeg(3, 4), "image/jpeg"),
        (png(3, 4), "image/png"),
        (b"GIF89a\x03\x00\x04\x00\x00\x00\x00".to_vec(), "image/gif"),
        (b"BM\x00\x00\x00\x00\x00\x00\x00\x00\x36\x00\x00\x00\x28\x00\x00\x00\x03\x00\x00\x00\x04\x00\x00\x00".to_vec(), "image/bmp"),
        (vec![0, 0, 8, 2, 0xff, 0xff], "image/vnd.wap.wbmp"),
        (b"RIFF\x00\x00\x00\x00WEBPVP8X\x0a\x00\x00\x00\x00\x00\x00\x00\x02\x00\x00\x03\x00\x00".to_vec(), "image/webp"),
        (b"\x00\x00\x00\x18ftypheic\x00\x00\x00\x00mif1heic".to_vec(), "image/heif"),
        (b"\x00\x00\x00\x18ftyp3gp5\x00\x00\x00\x00".to_vec(), "video/3gpp"),
        (b"\x00\x00\x00\x18ftypisom\x00\x00\x00\x00".to_vec(), "video/mp4"),
        (b"#!AMR\n".to_vec(), "audio/amr"),
        (b"#!AMR-WB\n".to_vec(), "audio/amr-wb"),
        (MP3.to_vec(), "audio/mpeg"),
        (vec![0xff, 0xf1, 0x50, 0x80], "audio/aac"),
        (b"MThd\x00\x00\x00\x06".to_vec(), "audio/midi"),
        (b"RIFF\x00\x00\x00\x00WAVEfmt ".to_vec(), "audio/wav"),
        (b"OggS\x00\x02".to_vec(), "audio/ogg"),
        (b"<smil><body/></smil>".to_vec(), "application/smil"),
        (b"<?xml version=\"1.0\"?><svg/>".to_vec(), "image/svg+xml"),
        (b"<!DOCTYPE html><html></html>".to_vec(), "text/html"),
        (b"BEGIN:VCALENDAR\n".to_vec(), "text/x-vcalendar"),
        (JAR.to_vec(), "application/java-archive"),
        (b"PK\x03\x04\x14\x00AndroidManifest.xml".to_vec(), "application/vnd.android.package-archive"),
        (b"PK\x03\x04\x14\x00readme.txt".to_vec(), "application/zip"),
        (b"%PDF-1.7".to_vec(), "application/pdf"),
        (b"dex\n035\x00".to_vec(), "application/x-dex"),
        (vec![0xcf, 0xfa, 0xed, 0xfe, 7, 0, 0, 1], "application/x-mach-binary"),
        ([b"MZ".as_slice(), &[0u8; 80]].concat(), "application/x-msdownload"),
        ("Grüße, 你好".as_bytes().to_vec(), "text/plain"),
        (vec![0xfe, 0xff, 0, b'h', 0, b'i'], "text/plain"),
        (vec![0u8, 1, 2, 3, 4, 5, 6, 7, 8, 9], "application/octet-stream"),
    ];
    for (bytes, want) in cases {
        assert_eq!(
            sniff(&bytes).media,
            want,
            "{:02x?}",
            &bytes[..bytes.len().min(12)]
        );
    }
    assert_eq!(
        sniff(&png(60_000, 60_000)).dimensions,
        Some((60_000, 60_000))
    );
    assert_eq!(sniff(b"GIF89a\x03\x00\x04\x00").dimensions, Some((3, 4)));
}
