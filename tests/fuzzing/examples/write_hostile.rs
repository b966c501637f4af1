//! Writes the adversarial inputs of the amplification bench to a folder, for measuring any build
//! of the command-line tool against them (`scripts/amplification-cli.sh` does, with
//! `/usr/bin/time`): `cargo run -p mms-fuzzing --example write_hostile -- DIR`.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use mms_codec::pdu::MessageType;
use mms_codec::pdu::builder::SendReqBuilder;
use mms_fuzzing::hostile;
use std::path::PathBuf;

fn message_with(name: &str, media: &str, body: String) -> Vec<u8> {
    let mut pdu =
        SendReqBuilder::new("T")
            .to("+15550100")
            .part("text/plain", "t.txt", b"hello".as_slice());
    pdu = if media == "application/smil" {
        pdu.smil(name, body.into_bytes())
    } else {
        pdu.part(media, name, body.into_bytes())
    };
    let mut pdu = pdu.build();
    pdu.message_type = MessageType::RetrieveConf;
    pdu.encode().unwrap()
}

fn main() {
    let dir = PathBuf::from(std::env::args().nth(1).expect("usage: write_hostile DIR"));
    std::fs::create_dir_all(&dir).unwrap();
    let files: Vec<(&str, Vec<u8>)> = vec![
        (
            "si-href-storm-63k.push",
            hostile::si_push(&hostile::si_href_storm(63 * 1024)),
        ),
        (
            "si-content-storm-32k.push",
            hostile::si_push(&hostile::si_content_storm(32 * 1024)),
        ),
        ("cp-parm-storm-63k.wbxml", hostile::cp_parm_storm(63 * 1024)),
        (
            "smil-90k-attributes.mms",
            message_with(
                "smil.xml",
                "application/smil",
                hostile::smil_attribute_storm(90_000),
            ),
        ),
        (
            "xhtml-40k-attributes.mms",
            message_with(
                "page.xhtml",
                "application/xhtml+xml",
                hostile::xhtml_attribute_storm(40_000),
            ),
        ),
    ];
    for (name, bytes) in files {
        std::fs::write(dir.join(name), bytes).unwrap();
        println!("{}", dir.join(name).display());
    }
}
