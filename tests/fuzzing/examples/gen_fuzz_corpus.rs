//! Writes seed inputs of our own for the fuzz targets, one folder per target:
//! `cargo run -p mms-fuzzing --example gen_fuzz_corpus -- DIR`, then
//! `scripts/fuzz-minimise.sh TARGET DIR/TARGET` folds them into the committed seeds.
//! Every file is produced by our encoder (no third-party bytes), so it can be committed.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

use mms_codec::pdu::builder::*;
use mms_codec::pdu::*;
use std::path::PathBuf;

fn main() -> std::io::Result<()> {
    let root = PathBuf::from(
        std::env::args()
            .nth(1)
            .unwrap_or_else(|| "fuzz/work/generated".into()),
    );
    let dir = root.join("pdu_decode");
    std::fs::create_dir_all(&dir)?;
    let jpeg: Vec<u8> = [
        0xff, 0xd8, 0xff, 0xe0, 0, 16, b'J', b'F', b'I', b'F', 0, 1, 0xff, 0xd9,
    ]
    .to_vec();
    let mut pdus: Vec<(String, Pdu<'_>)> = vec![
        (
            "send-req-smil".into(),
            SendReqBuilder::new("T-1")
                .to("+15550001")
                .cc("alice@example.com")
                .subject("Grüße")
                .delivery_report(true)
                .read_report(true)
                .expiry(TimeValue::Relative(86400))
                .priority(Priority::High)
                .part("text/plain", "t.txt", b"hello".as_slice())
                .part("image/jpeg", "p.jpg", jpeg.as_slice())
                .generated_smil()
                .build(),
        ),
        ("retrieve-links".into(), {
            let mut p = SendReqBuilder::new("T-links")
                    .from("+15550042")
                    .to("+15550001")
                    .subject("You won!")
                    .part(
                        "text/plain",
                        "offer.txt",
                        b"Claim now: call +1 900 555 0100 or text WIN to 84321. Divert: tel:*21*5550100# \
                          Details www.example.com javascript:alert(1) \
                          mailto:prize@example.com?bcc=x@evil.example&from=ceo@bank.example&body=I%20agree"
                            .as_slice(),
                    )
                    .smil(
                        "s.smil",
                        b"<smil><body><par><a href=\"wtai://wp/ap;+15550100;Bank\"><text src=\"offer.txt\"/></a></par></body></smil>".as_slice(),
                    )
                    .build();
            p.message_type = MessageType::RetrieveConf;
            p.headers.push(Header::MessageId(Text::from("M-links")));
            p
        }),
        (
            "send-req-mixed".into(),
            SendReqBuilder::new("T-2")
                .to("+1")
                .part("audio/amr", "a.amr", b"#!AMR\n".as_slice())
                .build(),
        ),
        (
            "notifyresp".into(),
            notify_resp("T-3", Status::Retrieved, Some(true)),
        ),
        ("ack".into(), acknowledge("T-4", None)),
        (
            "read-rec".into(),
            read_rec("M-1", "+15550002", ReadStatus::Read, Some(1_700_000_000)),
        ),
        (
            "forward".into(),
            forward_req("T-5", &["+15550003"], "http://mmsc.example/m/1"),
        ),
        (
            "delete".into(),
            delete_req(
                "T-6",
                &["http://mmsc.example/m/1", "http://mmsc.example/m/2"],
            ),
        ),
        ("cancel".into(), cancel_req("T-7", "M-2")),
        (
            "send-conf".into(),
            send_conf("T-1", ResponseStatus::Ok, Some("M-3"), Some("ok")),
        ),
        (
            "notification".into(),
            notification_ind(&Notification {
                transaction_id: "T-8",
                from: Some("+15550004"),
                subject: Some("hi"),
                size: 30000,
                expiry: TimeValue::Relative(259200),
                content_location: "http://mmsc.example/m/8",
                class: ClassToken::Personal,
                delivery_report: true,
            }),
        ),
        (
            "delivery".into(),
            delivery_ind("M-3", "+15550001", Status::Retrieved, 1_700_000_100),
        ),
        (
            "read-orig".into(),
            read_orig(
                "M-3",
                "+15550001",
                "+15550002",
                ReadStatus::Read,
                1_700_000_200,
            ),
        ),
    ];
    // One of every remaining message type, with a few headers each.
    for mt in MessageType::ALL {
        let mut p = Pdu::new(mt);
        p.headers.push(Header::TransactionId(Text::from("X")));
        p.headers.push(Header::MmsVersion(Version::V1_3));
        p.headers.push(Header::MboxTotals(Quantity {
            kind: QuantityKind::Messages,
            value: 3,
        }));
        p.headers.push(Header::MmFlags {
            op: FlagOp::Add,
            flag: EncodedString::utf8("flag"),
        });
        p.headers.push(Header::PreviouslySentBy {
            count: 1,
            address: EncodedString::utf8("+1/TYPE=PLMN"),
        });
        pdus.push((format!("type-{:02x}", mt.to_u8()), p));
    }
    for (name, p) in &pdus {
        let bytes = p.encode().expect("builders produce encodable PDUs");
        std::fs::write(dir.join(format!("{name}.mms")), &bytes)?;
        // A truncated copy reaches the error paths.
        std::fs::write(dir.join(format!("{name}.cut")), &bytes[..bytes.len() / 2])?;
    }
    let mut count = pdus.len() * 2;
    // Pushes around every PDU, and SI/SL/SIA bodies.
    let pushes = root.join("push_decode");
    std::fs::create_dir_all(&pushes)?;
    let si =
        b"\x02\x05\x6a\x00\x45\xc6\x08\x0c\x03mmsc.example:8002/mms/x\x00\x01\x03Hello\x00\x01\x01"
            .to_vec();
    let sl = b"\x02\x06\x6a\x00\x85\x06\x09\x03evil.example/a\x00\x01".to_vec();
    let sia = vec![0x00, 0x01, 0x84, 0x08, 0xc4, 0x00, 0x23, 0xf1, 10, 0, 0, 1];
    for (name, p) in &pdus {
        let bytes = p.encode().expect("encodable");
        std::fs::write(
            pushes.join(format!("{name}.push")),
            mms_codec::push::encode_mms_push(1, &bytes),
        )?;
        count += 1;
    }
    for (name, code, body) in [("si", 0x2eu8, &si), ("sl", 0x30, &sl), ("sia", 0x34, &sia)] {
        let ct = mms_codec::pdu::ContentType::new(mms_codec::pdu::MediaType::WellKnown(code));
        std::fs::write(
            pushes.join(format!("{name}.push")),
            mms_codec::push::encode_push(2, &ct, None, body).expect("encodable"),
        )?;
        count += 1;
    }
    let wb = root.join("wbxml_decode");
    std::fs::create_dir_all(&wb)?;
    std::fs::write(wb.join("si.wbxml"), &si)?;
    std::fs::write(wb.join("sl.wbxml"), &sl)?;
    std::fs::write(wb.join("sia.bin"), &sia)?;
    std::fs::write(
        wb.join("si-strtbl.wbxml"),
        b"\x03\x00\x00\x6a\x1c-//WAPFORUM//DTD SI 1.0//EN\x00\x05\x01".as_slice(),
    )?;
    count += 4;
    // SMS: length-prefixed TPDUs of a segmented push.
    let sms = root.join("sms_reassembly");
    std::fs::create_dir_all(&sms)?;
    for (i, (name, p)) in pdus.iter().take(6).enumerate() {
        let push = mms_codec::push::encode_mms_push(1, &p.encode().expect("encodable"));
        let mut framed = Vec::new();
        for t in mms_codec::push::build_deliver_tpdus("+15550100", &push, 2948, i as u16) {
            framed.push(t.len() as u8);
            framed.extend_from_slice(&t);
        }
        std::fs::write(sms.join(format!("{name}.sms")), framed)?;
        count += 1;
    }
    // Provisioning documents of our own.
    let prov = root.join("provisioning_decode");
    std::fs::create_dir_all(&prov)?;
    let docs = [
        r#"<wap-provisioningdoc version="1.1"><characteristic type="APPLICATION"><parm name="APPID" value="w4"/><parm name="ADDR" value="http://mmsc.example:8002/mms"/><parm name="TO-PROXY" value="P"/></characteristic><characteristic type="PXLOGICAL"><parm name="PROXY-ID" value="P"/><characteristic type="PXPHYSICAL"><parm name="PXADDR" value="10.0.0.1"/><characteristic type="PORT"><parm name="PORTNBR" value="8080"/></characteristic></characteristic></characteristic></wap-provisioningdoc>"#,
        r#"<wap-provisioningdoc><characteristic type="NAPDEF"><parm name="NAPID" value="N"/><parm name="NAP-ADDRESS" value="mms"/><characteristic type="NAPAUTHINFO"><parm name="AUTHTYPE" value="PAP"/><parm name="AUTHSECRET" value="x"/></characteristic></characteristic></wap-provisioningdoc>"#,
        r#"<wap-provisioningdoc/>"#,
    ];
    for (i, xml) in docs.iter().enumerate() {
        let doc = mms_codec::provisioning::parse_xml(xml).expect("valid XML");
        std::fs::write(
            prov.join(format!("doc-{i}.wbxml")),
            mms_codec::provisioning::encode_wbxml(&doc),
        )?;
        count += 1;
    }
    // Content: messages with SMIL (the PDU seeds), hostile SMIL and media headers.
    let content = root.join("content_plan");
    std::fs::create_dir_all(&content)?;
    for (name, p) in pdus
        .iter()
        .filter(|(n, _)| n.starts_with("send-req") || n.starts_with("retrieve"))
    {
        std::fs::write(
            content.join(format!("{name}.mms")),
            p.encode().expect("encodable"),
        )?;
        count += 1;
    }
    let smil = r#"<smil><head><layout><root-layout width="320" height="480"/><region id="R" left="-5" top="0" width="900" height="50%"/></layout></head><body><par dur="99999s"><img src="cid:a" region="R" begin="3s"/><video src="rtsp://x/y" repeatCount="indefinite"/></par></body></smil>"#;
    std::fs::write(content.join("smil.xml"), smil)?;
    std::fs::write(content.join("png-header"), b"\x89PNG\r\n\x1a\n\x00\x00\x00\x0dIHDR\x00\x00\xea\x60\x00\x00\xea\x60\x08\x06\x00\x00\x00")?;
    count += 2;
    let links = root.join("links");
    std::fs::create_dir_all(&links)?;
    for (i, l) in [
        "tel:+1-900-555-0100;postd=pp123",
        "sms:+123,+456?body=STOP",
        "mailto:a@b.example?from=x@y&bcc=z@w&body=hi",
        "wtai://wp/mc;*21*123%23",
        "Call +44 20 7946 0000 or visit www.example.com <a href=\"javascript:alert(1)\">x</a>",
        "mms://media.example/stream",
    ]
    .iter()
    .enumerate()
    {
        std::fs::write(links.join(format!("link-{i}.txt")), l)?;
        count += 1;
    }
    println!("wrote {count} inputs under {}", root.display());
    Ok(())
}
