//! Hand-built adversarial inputs, the classes a coverage-guided fuzzer does not find on its own:
//! WBXML string-table reference storms (thousands of two-octet references to one long entry,
//! in an attribute value or in content), markup attribute storms (tens of thousands of
//! attributes on one element) and maximum-size pushes. The structure-aware fuzz targets grow
//! them from fuzzer bytes ([`storm`]); the amplification benchmark and the tests measure them
//! as they are.

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

/// Markup that is not XML with `n` unquoted `href=` one after the other, with no space
/// between: a linear scan that let values overlap copied the rest of the part for each.
pub fn unquoted_href_run(n: usize) -> String {
    format!("<p {}>", "href=x".repeat(n))
}

/// The family of a generated storm, and so the decoders it goes to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum StormKind {
    /// SI or SL WBXML, alone and as a push.
    Push,
    /// An OMA CP document, alone and as a provisioning push.
    Provisioning,
    /// SMIL text.
    Smil,
    /// XHTML text.
    Xhtml,
}

/// Grows a storm from fuzzer bytes: a string table of up to eight entries of chosen lengths,
/// then elements whose attribute values and contents mix references (to entries and into the
/// middle of them), inline strings and attribute-value tokens, nested to a chosen depth; or
/// markup whose elements carry chosen numbers of attributes (duplicates, entities and long
/// values among them). The sizes stay within what a phone receives (64 KiB for a push or a
/// document, 1 MiB for a part).
pub fn storm(u: &mut arbitrary::Unstructured<'_>) -> arbitrary::Result<(StormKind, Vec<u8>)> {
    Ok(match u.int_in_range(0..=3u8)? {
        0 => (StormKind::Push, wbxml_storm(u, false)?),
        1 => (StormKind::Provisioning, wbxml_storm(u, true)?),
        2 => (StormKind::Smil, markup_storm(u, true)?.into_bytes()),
        _ => (StormKind::Xhtml, markup_storm(u, false)?.into_bytes()),
    })
}

fn wbxml_storm(u: &mut arbitrary::Unstructured<'_>, cp: bool) -> arbitrary::Result<Vec<u8>> {
    const MAX: usize = 64 * 1024;
    let mut table = Vec::new();
    let mut starts = Vec::new();
    for _ in 0..u.int_in_range(1..=8u8)? {
        starts.push(table.len());
        let len = u.int_in_range(0..=16 * 1024usize)?;
        let fill = *u.choose(b"Aa0/.:%&")?;
        table.extend(std::iter::repeat_n(fill, len));
        table.push(0);
    }
    let mut v = wbxml_head(if cp { 0x0b } else { 0x05 }, &table);
    v.push(0x45); // <wap-provisioningdoc> or <si>, with content
    let depth = u.int_in_range(1..=24u8)?;
    let mut open = 0u8;
    while v.len() < MAX && !u.is_empty() {
        match u.int_in_range(0..=5u8)? {
            0 if open < depth => {
                // An element with attributes and content: characteristic (CP) or indication.
                v.push(0xc6);
                v.push(if cp { 0x50 } else { 0x0c });
                attribute_value(u, &mut v, &starts, table.len())?;
                v.push(0x01);
                open += 1;
            }
            1 if cp => {
                // <parm name="NAME" value=...>
                v.extend_from_slice(&[0x87, 0x07, 0x06]);
                attribute_value(u, &mut v, &starts, table.len())?;
                v.push(0x01);
            }
            2 => {
                // Content: a reference run.
                let n = u.int_in_range(1..=4096usize)?;
                let at = entry_offset(u, &starts, table.len())?;
                for _ in 0..n {
                    v.push(0x83);
                    put_uintvar(&mut v, at);
                }
            }
            3 => {
                v.push(0x03);
                let n = u.int_in_range(0..=64usize)?;
                v.extend(u.bytes(n)?.iter().map(|&b| b.max(1)));
                v.push(0);
            }
            4 if open > 0 => {
                v.push(0x01);
                open -= 1;
            }
            _ => v.push(*u.choose(&[0x85u8, 0x86, 0x87, 0x88, 0x89])?),
        }
    }
    v.truncate(MAX);
    v.extend(std::iter::repeat_n(0x01, usize::from(open) + 1));
    Ok(v)
}

fn put_uintvar(v: &mut Vec<u8>, n: usize) {
    wsp::put_uintvar(v, u32::try_from(n).unwrap_or(u32::MAX));
}

/// An offset into the table: an entry's start or a point inside it (or, now and then, past it).
fn entry_offset(
    u: &mut arbitrary::Unstructured<'_>,
    starts: &[usize],
    len: usize,
) -> arbitrary::Result<usize> {
    let start = *u.choose(starts)?;
    Ok(match u.int_in_range(0..=7u8)? {
        0 => start.saturating_add(u.int_in_range(0..=64usize)?),
        1 => len.saturating_add(u.int_in_range(0..=2usize)?),
        _ => start,
    })
}

/// An attribute value made of up to 4096 pieces: references, inline strings, value tokens.
fn attribute_value(
    u: &mut arbitrary::Unstructured<'_>,
    v: &mut Vec<u8>,
    starts: &[usize],
    len: usize,
) -> arbitrary::Result<()> {
    let n = u.int_in_range(1..=4096usize)?;
    let at = entry_offset(u, starts, len)?;
    let inline = u.arbitrary::<bool>()?;
    for i in 0..n {
        if inline && i % 16 == 15 {
            v.extend_from_slice(&[0x03, b'x', 0]);
        } else if i % 64 == 63 {
            v.push(0x85);
        } else {
            v.push(0x83);
            put_uintvar(v, at);
        }
    }
    Ok(())
}

fn markup_storm(u: &mut arbitrary::Unstructured<'_>, smil: bool) -> arbitrary::Result<String> {
    const MAX: usize = 1024 * 1024;
    let mut s = String::from(if smil {
        "<smil><head><layout><root-layout width=\"160\" height=\"120\"/></layout></head><body>"
    } else {
        "<html xmlns=\"http://www.w3.org/1999/xhtml\"><body>"
    });
    let mut open = Vec::new();
    while s.len() < MAX && !u.is_empty() {
        let name = if smil {
            *u.choose(&["par", "seq", "text", "img", "audio", "region"])?
        } else {
            *u.choose(&["a", "p", "div", "span", "img"])?
        };
        s.push('<');
        s.push_str(name);
        let n = u.int_in_range(0..=20_000u32)?;
        let dup = u.arbitrary::<bool>()?;
        let long = u.int_in_range(0..=64usize)?;
        for i in 0..n {
            let key = if dup { i % 7 } else { i };
            match i % 5 {
                0 => s.push_str(&format!(" dur=\"{key}s\"")),
                1 => s.push_str(&format!(" href=\"tel:+1555{key}\"")),
                2 => s.push_str(&format!(" x{key}=\"&amp;&lt;{}\"", "v".repeat(long))),
                _ => s.push_str(&format!(" a{key}=\"1\"")),
            }
            if s.len() >= MAX {
                break;
            }
        }
        if u.arbitrary::<bool>()? {
            s.push_str("/>");
        } else {
            s.push('>');
            open.push(name);
            if open.len() > 64 {
                break;
            }
        }
        if u.arbitrary::<bool>()? {
            if let Some(n) = open.pop() {
                s.push_str(&format!("</{n}>"));
            }
        }
    }
    while let Some(n) = open.pop() {
        s.push_str(&format!("</{n}>"));
    }
    s.push_str(if smil {
        "</body></smil>"
    } else {
        "</body></html>"
    });
    Ok(s)
}

/// The baselines the amplification bench compares the storms with: ordinary inputs of the same
/// size and family (inline strings, many small elements, few attributes each).
pub mod ordinary {
    use super::wbxml_head;

    /// An SI of about `total` octets whose text is inline.
    pub fn si(total: usize) -> Vec<u8> {
        let mut v = wbxml_head(0x05, &[]);
        v.extend_from_slice(&[0x45, 0xc6, 0x0c, 0x03]);
        v.extend_from_slice(b"mmsc.example/si\0");
        v.extend_from_slice(&[0x01, 0x03]);
        v.extend(std::iter::repeat_n(b'x', total.saturating_sub(v.len() + 4)));
        v.extend_from_slice(&[0x00, 0x01, 0x01]);
        v
    }

    /// An OMA CP document of about `total` octets: NAPDEF characteristics with inline names.
    pub fn cp(total: usize) -> Vec<u8> {
        let mut v = wbxml_head(0x0b, &[]);
        v.push(0x45);
        let mut i = 0u32;
        while v.len() + 40 < total {
            v.extend_from_slice(&[0xc6, 0x50, 0x03]);
            v.extend_from_slice(b"NAPDEF\0");
            v.extend_from_slice(&[0x01, 0x87, 0x07, 0x06, 0x03]);
            v.extend_from_slice(format!("Operator internet access {i:06}\0").as_bytes());
            v.extend_from_slice(&[0x01, 0x01]);
            i += 1;
        }
        v.push(0x01);
        v
    }

    /// A SMIL presentation of about `total` octets: many `<par>` of one text each.
    pub fn smil(total: usize) -> String {
        let mut s = String::from(
            "<smil><head><layout><root-layout width=\"160\" height=\"120\"/></layout></head><body>",
        );
        while s.len() + 80 < total {
            s.push_str("<par dur=\"5s\"><text src=\"t.txt\" region=\"Text\"/></par>");
        }
        s.push_str("</body></smil>");
        s
    }

    /// An XHTML page of about `total` octets: paragraphs with a link each.
    pub fn xhtml(total: usize) -> String {
        let mut s = String::from("<html xmlns=\"http://www.w3.org/1999/xhtml\"><body>");
        let mut i = 0u32;
        while s.len() + 80 < total {
            s.push_str(&format!(
                "<p>Call <a href=\"tel:+1555{i:07}\">us</a> today.</p>"
            ));
            i += 1;
        }
        s.push_str("</body></html>");
        s
    }
}

/// A retrieved message (M-Retrieve.conf) with a short text part and `smil` as its
/// presentation, as the render planner receives it; `None` if it does not encode.
pub fn retrieved_with_smil(smil: String) -> Option<mms_codec::pdu::Pdu<'static>> {
    use mms_codec::pdu::builder::SendReqBuilder;
    use mms_codec::pdu::{MessageType, Pdu};
    let bytes = SendReqBuilder::new("T")
        .to("+15550100")
        .part("text/plain", "t.txt", b"hello".as_slice())
        .smil("smil.xml", smil.into_bytes())
        .build()
        .encode()
        .ok()?;
    let mut d = Pdu::decode(&bytes).ok()?;
    d.pdu.message_type = MessageType::RetrieveConf;
    Some(d.pdu.into_owned())
}
