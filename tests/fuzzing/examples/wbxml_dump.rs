//! Debug helper: decode a WBXML file with the SI, SL or provisioning code pages and print XML.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]
fn main() {
    let path = std::env::args()
        .nth(1)
        .expect("usage: wbxml_dump FILE [si|sl]");
    let kind = std::env::args().nth(2).unwrap_or_else(|| "si".into());
    let data = std::fs::read(path).unwrap();
    let pages: &dyn mms_codec::wbxml::CodePages = match kind.as_str() {
        "sl" => &mms_codec::wbxml::pages::SlPages,
        "prov" => &mms_codec::provisioning::pages::ProvPages,
        _ => &mms_codec::wbxml::pages::SiPages,
    };
    match mms_codec::wbxml::decode(&data, pages, &Default::default()) {
        Ok(d) => println!(
            "{:?} {:?} {}\n{}",
            d.public_id,
            d.public_id_text,
            d.charset,
            d.root.to_xml()
        ),
        Err(e) => println!("error: {e}"),
    }
}
