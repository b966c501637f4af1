//! OTA-7: the provisioning document built straight from the WBXML decoder's events
//! (`decode_wbxml`) is exactly what converting the decoded element tree gives, document or
//! error, for token soups that are mostly well-formed and often not: the conversion below is the
//! reference (the model's rules as the tree states them).

use mms_codec::budget::InputKind;
use mms_codec::pdu::error::{DecodeError, DecodeErrorKind};
use mms_codec::provisioning::pages::ProvPages;
use mms_codec::provisioning::{Characteristic, Parm, ProvisioningDoc, decode_wbxml};
use mms_codec::wbxml::{self, Element, WbxmlLimits};
use proptest::prelude::*;

const MAX_CHARACTERISTICS: usize = 512;

fn bad(what: &'static str) -> DecodeError {
    DecodeError::new(0, DecodeErrorKind::InvalidOctet { what, octet: 0 })
}

fn characteristic(
    e: &Element<'_>,
    count: &mut usize,
) -> Result<Characteristic<'static>, DecodeError> {
    *count += 1;
    if *count > MAX_CHARACTERISTICS {
        return Err(DecodeError::new(
            0,
            DecodeErrorKind::TooManyParts(MAX_CHARACTERISTICS),
        ));
    }
    let kind = e
        .attr("type")
        .map(|a| a.text())
        .ok_or_else(|| bad("characteristic without type"))?;
    let mut parms = Vec::new();
    let mut children = Vec::new();
    for c in e.elements() {
        match c.name.as_ref() {
            "parm" => parms.push(Parm::new(
                c.attr("name")
                    .map(|a| a.text())
                    .ok_or_else(|| bad("parm without name"))?,
                c.attr("value").map(|a| a.text().into()),
            )),
            "characteristic" => children.push(characteristic(c, count)?),
            _ => return Err(bad("unexpected element in characteristic")),
        }
    }
    Ok(Characteristic {
        kind: kind.into(),
        parms,
        children,
    })
}

/// The reference: the whole tree first, then the document from it.
fn via_tree(body: &[u8]) -> Result<ProvisioningDoc<'static>, DecodeError> {
    let doc = wbxml::decode(body, &ProvPages, &WbxmlLimits::of(InputKind::Provisioning))?;
    if doc.root.name != "wap-provisioningdoc" {
        return Err(bad("provisioning root element"));
    }
    let mut count = 0;
    let characteristics = doc
        .root
        .elements()
        .map(|e| {
            if e.name == "characteristic" {
                characteristic(e, &mut count)
            } else {
                Err(bad("unexpected element in wap-provisioningdoc"))
            }
        })
        .collect::<Result<Vec<_>, _>>()?;
    Ok(ProvisioningDoc {
        version: doc.root.attr("version").map(|a| a.text().into()),
        characteristics,
    })
}

/// One token (with what follows it) of a provisioning document's WBXML.
fn token() -> impl Strategy<Value = Vec<u8>> {
    let text = "[A-Za-z0-9 ._-]{0,6}";
    prop_oneof![
        // wap-provisioningdoc, characteristic, parm, an unknown tag; with content / attributes.
        (prop::sample::select(vec![0x05u8, 0x06, 0x07, 0x09]), 0u8..4)
            .prop_map(|(t, bits)| vec![t | (bits << 6)]),
        Just(vec![0x01]), // END
        Just(vec![0x01]),
        Just(vec![0x01]),
        // Attribute starts: name, value, name=NAME, name=AUTHSECRET, type, type=PXLOGICAL,
        // version (page 0 has no such token: read as an unknown attribute).
        prop::sample::select(vec![0x05u8, 0x06, 0x07, 0x0e, 0x50, 0x51, 0x45])
            .prop_map(|t| vec![t]),
        // An attribute value token (IPV4, IPV6).
        prop::sample::select(vec![0x85u8, 0x86]).prop_map(|t| vec![t]),
        // Inline string.
        text.prop_map(|s| {
            let mut v = vec![0x03];
            v.extend_from_slice(s.as_bytes());
            v.push(0);
            v
        }),
        // String table reference, entity, opaque, page switch, LITERAL names.
        (0u8..12).prop_map(|i| vec![0x83, i]),
        (0x41u8..0x7b).prop_map(|c| vec![0x02, c]),
        prop::collection::vec(any::<u8>(), 0..4).prop_map(|o| {
            let mut v = vec![0xc3, o.len() as u8];
            v.extend(o);
            v
        }),
        (0u8..3).prop_map(|p| vec![0x00, p]),
        (0u8..12).prop_map(|i| vec![0x04, i]),
    ]
}

/// A header (version 1.3, public id 0x0B, UTF-8) with a string table naming `type`, `parm` and
/// `characteristic`, then the tokens.
fn document() -> impl Strategy<Value = Vec<u8>> {
    prop::collection::vec(token(), 1..60).prop_map(|tokens| {
        let table = b"type\0parm\0characteristic\0";
        let mut v = vec![0x03, 0x0b, 0x6a, table.len() as u8];
        v.extend_from_slice(table);
        v.push(0xc5); // <wap-provisioningdoc ...> with attributes and content
        for t in tokens {
            v.extend(t);
        }
        v
    })
}

/// A well-formed document, so that the Ok side is exercised as often as the error side.
fn well_formed() -> impl Strategy<Value = Vec<u8>> {
    let parm = ("[A-Z-]{1,8}", proptest::option::of("[ -~]{0,8}"))
        .prop_map(|(n, v)| Parm::new(n, v.map(Into::into)));
    let leaf = ("[A-Z]{1,8}", prop::collection::vec(parm, 0..4)).prop_map(|(kind, parms)| {
        Characteristic {
            kind: kind.into(),
            parms,
            children: Vec::new(),
        }
    });
    let tree = leaf.prop_recursive(3, 12, 3, |inner| {
        ("[A-Z]{1,8}", prop::collection::vec(inner, 0..3)).prop_map(|(kind, children)| {
            Characteristic {
                kind: kind.into(),
                parms: vec![Parm::new("NAME", Some("x".into()))],
                children,
            }
        })
    });
    (
        proptest::option::of("1\\.[01]"),
        prop::collection::vec(tree, 0..4),
    )
        .prop_map(|(version, characteristics)| {
            mms_codec::provisioning::encode_wbxml(&ProvisioningDoc {
                version: version.map(Into::into),
                characteristics,
            })
        })
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(2048))]

    #[test]
    fn ota_7_streamed_document_equals_the_tree_conversion(body in document()) {
        prop_assert_eq!(decode_wbxml(&body), via_tree(&body));
    }

    #[test]
    fn ota_7_streamed_document_equals_the_tree_conversion_when_well_formed(
        body in well_formed(),
        cut in any::<prop::sample::Index>(),
        flip in any::<prop::sample::Index>(),
        octet in any::<u8>(),
    ) {
        let doc = decode_wbxml(&body);
        prop_assert!(doc.is_ok());
        prop_assert_eq!(&doc, &via_tree(&body));
        // Damaged copies: cut short, and one octet changed.
        let short = &body[..cut.index(body.len())];
        prop_assert_eq!(decode_wbxml(short), via_tree(short));
        let mut changed = body.clone();
        changed[flip.index(body.len())] = octet;
        prop_assert_eq!(decode_wbxml(&changed), via_tree(&changed));
    }
}

#[test]
fn ota_7_the_soup_reaches_both_outcomes() {
    // The generator is only useful if it makes documents as well as errors: count both over a
    // fixed sample.
    use proptest::strategy::ValueTree;
    use proptest::test_runner::TestRunner;
    let mut runner = TestRunner::deterministic();
    let (mut ok, mut err) = (0, 0);
    for _ in 0..2000 {
        let body = document().new_tree(&mut runner).unwrap().current();
        match decode_wbxml(&body) {
            Ok(_) => ok += 1,
            Err(_) => err += 1,
        }
    }
    assert!(ok >= 5 && err > 100, "ok {ok}, err {err}");
}

/// A value the input holds as one string is borrowed from the input, not copied; a value made
/// of pieces (a code page's prefix and an inline string), a secret, and a string in a charset
/// that must be converted own their text. Either way the text is the same.
#[test]
fn text_held_as_one_string_is_borrowed_from_the_input() {
    use mms_codec::provisioning::ParmValue;
    use std::borrow::Cow;
    // version 1.3, public id 0x0B, UTF-8, no string table.
    let mut body = vec![0x03, 0x0b, 0x6a, 0x00];
    // <wap-provisioningdoc><characteristic type="NAPDEF">
    body.extend([0x45, 0xc6, 0x50, 0x03]);
    body.extend(b"NAPDEF\0");
    body.push(0x01);
    // <parm name="NAP-ADDRESS" value="mms.example"/>: the name from page 0, the value inline.
    body.extend([0x87, 0x08, 0x06, 0x03]);
    body.extend(b"mms.example\0");
    body.push(0x01);
    // <parm name="NAME" value="MMS" + " APN"/>: the value in two inline pieces.
    body.extend([0x87, 0x07, 0x06, 0x03]);
    body.extend(b"MMS\0");
    body.push(0x03);
    body.extend(b" APN\0");
    body.push(0x01);
    // <parm name="AUTHSECRET" value="pw"/>, all inline.
    body.extend([0x87, 0x05, 0x03]);
    body.extend(b"AUTHSECRET\0");
    body.extend([0x06, 0x03]);
    body.extend(b"pw\0");
    body.extend([0x01, 0x01, 0x01]);

    let doc = decode_wbxml(&body).unwrap();
    let nap = doc.of_kind("NAPDEF").next().unwrap();
    assert!(matches!(nap.kind, Cow::Borrowed(_)));
    let [address, name, secret] = nap.parms.as_slice() else {
        panic!("three parms: {:?}", nap.parms);
    };
    assert!(matches!(address.name, Cow::Borrowed("NAP-ADDRESS")));
    assert!(matches!(
        address.value,
        Some(ParmValue::Plain(Cow::Borrowed("mms.example")))
    ));
    // The borrowed text is the input's own octets.
    let at = body.windows(11).position(|w| w == b"mms.example").unwrap();
    assert_eq!(
        nap.parm("NAP-ADDRESS").unwrap().as_ptr(),
        body[at..].as_ptr()
    );
    assert!(matches!(
        &name.value,
        Some(ParmValue::Plain(Cow::Owned(v))) if v == "MMS APN"
    ));
    assert!(matches!(&secret.value, Some(ParmValue::Secret(s)) if s.expose() == "pw"));

    // Detached from the input, the document is equal and owns every text.
    let owned = doc.clone().into_owned();
    assert_eq!(owned, doc);
    let nap = &owned.characteristics[0];
    assert!(matches!(nap.kind, Cow::Owned(_)));
    for p in &nap.parms {
        assert!(matches!(p.name, Cow::Owned(_)));
        assert!(!matches!(p.value, Some(ParmValue::Plain(Cow::Borrowed(_)))));
    }
    drop(body);
    assert_eq!(
        owned.of_kind("NAPDEF").next().unwrap().parm("NAME"),
        Some("MMS APN")
    );

    // Latin-1 text with an accent must be converted: owned, the converted text.
    let mut latin1 = vec![0x03, 0x0b, 0x04, 0x00, 0x45, 0xc6, 0x50, 0x03];
    latin1.extend([b'P', 0xe9, 0x00]);
    latin1.extend([0x01, 0x01, 0x01]);
    let d = decode_wbxml(&latin1).unwrap();
    assert!(matches!(&d.characteristics[0].kind, Cow::Owned(k) if k == "P\u{e9}"));
}
