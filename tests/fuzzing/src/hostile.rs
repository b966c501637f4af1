//! Hand-built adversarial inputs, the classes a coverage-guided fuzzer does not find on its own:
//! WBXML string-table reference storms (thousands of two-octet references to one long entry,
//! in an attribute value or in content), markup attribute storms (tens of thousands of
//! attributes on one element) and maximum-size pushes. The structure-aware fuzz targets grow
//! them from fuzzer bytes; the amplification benchmark and the tests measure them as they are.

use mms_codec::pdu::content_type::{ContentType, MediaType, ParamValue, param};
use mms_codec::pdu::{Text, wsp};
use mms_codec::push::{PORT_PUSH, build_deliver_tpdus, encode_push};

/// WBXML header: version 1.3, a well-known public id, UTF-8, and a string table.
fn wbxml_head(public_id: u8, table: &[u8]) -> Vec<u8> {
    let mut v = vec![0x03, public_id, 0x6a];
    wsp::put_uintvar(&mut v, u32::try_from(table.len()).unwrap_or(u32::MAX));
    v.extend_from_slice(table);
    v
}

/// A string table holding one entry of `len` octets.
fn one_entry(len: usize) -> Vec<u8> {
    let mut t = vec![b'A'; len];
    t.push(0);
    t
}

/// `n` STR_T references to string-table entry 0.
fn references(n: usize) -> Vec<u8> {
    [0x83u8, 0x00].repeat(n)
}

/// Splits `total` octets between one string-table entry and the references to it.
fn split(total: usize) -> (usize, usize) {
    let entry = (total / 2).max(1);
    let refs = (total.saturating_sub(entry) / 2).max(1);
    (entry, refs)
}

/// An SI (WBXML) of about `total` octets whose `href` is built from references to one long
/// string-table entry: each reference names the whole entry again.
pub fn si_href_storm(total: usize) -> Vec<u8> {
    let (entry, refs) = split(total);
    let mut v = wbxml_head(0x05, &one_entry(entry));
    v.extend_from_slice(&[0x45, 0xc6, 0x0c]); // <si><indication href="http://
    v.extend(references(refs));
    v.extend_from_slice(&[0x01, 0x03, b'x', 0, 0x01, 0x01]); // ">x</indication></si>
    v
}

/// An SI whose indication text is built from references to one long string-table entry.
pub fn si_content_storm(total: usize) -> Vec<u8> {
    let (entry, refs) = split(total);
    let mut v = wbxml_head(0x05, &one_entry(entry));
    v.extend_from_slice(&[0x45, 0xc6, 0x0c, 0x03, b'x', 0, 0x01]); // <si><indication href="http://x">
    v.extend(references(refs));
    v.extend_from_slice(&[0x01, 0x01]);
    v
}

/// An OMA CP document whose one `parm` value is built from references to one long entry.
pub fn cp_parm_storm(total: usize) -> Vec<u8> {
    let (entry, refs) = split(total);
    let mut v = wbxml_head(0x0b, &one_entry(entry));
    // <wap-provisioningdoc><characteristic type="APPLICATION"><parm name="NAME" value="...
    v.extend_from_slice(&[0x45, 0xc6, 0x50, 0x03]);
    v.extend_from_slice(b"APPLICATION\0");
    v.extend_from_slice(&[0x01, 0x87, 0x07, 0x06]);
    v.extend(references(refs));
    v.extend_from_slice(&[0x01, 0x01, 0x01]); // "/></characteristic></wap-provisioningdoc>
    v
}

/// An SI WBXML document wrapped as a connectionless WSP push (`application/vnd.wap.sic`).
pub fn si_push(si: &[u8]) -> Vec<u8> {
    encode_push(1, &ContentType::new(MediaType::WellKnown(0x2e)), None, si).unwrap_or_default()
}

/// A CP document wrapped as a provisioning push with SEC (USERPIN) and a MAC that does not
/// verify (the decode and the policy run before any MAC is checked).
pub fn cp_push(doc: &[u8]) -> Vec<u8> {
    let ct = ContentType::new(MediaType::WellKnown(0x36))
        .with(param::SEC, ParamValue::Integer(1))
        .with(
            param::MAC,
            ParamValue::Text(Text::from("0123456789ABCDEF0123456789ABCDEF01234567")),
        );
    encode_push(1, &ct, None, doc).unwrap_or_default()
}

/// The SMS-DELIVER TPDUs (with SMSC address) that carry `push` from `origin`.
pub fn sms_segments(origin: &str, push: &[u8], reference: u16) -> Vec<Vec<u8>> {
    build_deliver_tpdus(origin, push, PORT_PUSH, reference)
}

/// A SMIL presentation whose one `<par>` carries `n` attributes (about 11 octets each).
pub fn smil_attribute_storm(n: usize) -> String {
    let mut s = String::with_capacity(n * 12 + 64);
    s.push_str("<smil><body><par");
    for i in 0..n {
        s.push_str(&format!(" a{i}=\"1\""));
    }
    s.push_str("><text src=\"t.txt\"/></par></body></smil>");
    s
}

/// An XHTML page whose one element carries `n` attributes and a link.
pub fn xhtml_attribute_storm(n: usize) -> String {
    let mut s = String::with_capacity(n * 12 + 128);
    s.push_str("<html xmlns=\"http://www.w3.org/1999/xhtml\"><body><a href=\"tel:+15550100\"");
    for i in 0..n {
        s.push_str(&format!(" a{i}=\"1\""));
    }
    s.push_str(">call</a></body></html>");
    s
}
