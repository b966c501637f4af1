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

fn characteristic(e: &Element<'_>, count: &mut usize) -> Result<Characteristic, DecodeError> {
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
                c.attr("value").map(|a| a.text()),
            )),
            "characteristic" => children.push(characteristic(c, count)?),
            _ => return Err(bad("unexpected element in characteristic")),
        }
    }
    Ok(Characteristic {
        kind,
        parms,
        children,
    })
}

/// The reference: the whole tree first, then the document from it.
fn via_tree(body: &[u8]) -> Result<ProvisioningDoc, DecodeError> {
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
        version: doc.root.attr("version").map(|a| a.text()),
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
    let parm =
        ("[A-Z-]{1,8}", proptest::option::of("[ -~]{0,8}")).prop_map(|(n, v)| Parm::new(n, v));
    let leaf = ("[A-Z]{1,8}", prop::collection::vec(parm, 0..4)).prop_map(|(kind, parms)| {
        Characteristic {
            kind,
            parms,
            children: Vec::new(),
        }
    });
    let tree = leaf.prop_recursive(3, 12, 3, |inner| {
        ("[A-Z]{1,8}", prop::collection::vec(inner, 0..3)).prop_map(|(kind, children)| {
            Characteristic {
                kind,
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
                version,
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
