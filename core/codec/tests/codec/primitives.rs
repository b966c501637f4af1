//! Value-level vectors for the WSP / MMS primitives, from the specifications (WAP-230,
//! OMA-MMS-ENC) and the tables gathered in ../shared/corpus/mms/primitives (facts only: the
//! expected values are those the specifications define).
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

use mms_codec::pdu::content_type::{ParamValue, decode_content_type as ct_in};
use mms_codec::pdu::header::{decode_value, field};
use mms_codec::pdu::reader::Reader;
use mms_codec::pdu::wsp;
use mms_codec::pdu::*;

fn r(b: &[u8]) -> Reader<'_> {
    Reader::new(b)
}

#[test]
fn short_integer_vectors() {
    for b in 0x80u8..=0xff {
        assert_eq!(wsp::short_integer(&mut r(&[b])).unwrap(), b & 0x7f);
    }
    for b in 0x00u8..0x80 {
        assert!(wsp::short_integer(&mut r(&[b])).is_err());
    }
}

#[test]
fn long_integer_vectors() {
    assert_eq!(wsp::long_integer(&mut r(&[0x01, 0x80])).unwrap(), 0x80);
    assert_eq!(
        wsp::long_integer(&mut r(&[0x02, 0x80, 0x02])).unwrap(),
        0x8002
    );
    assert_eq!(
        wsp::long_integer(&mut r(&[0x06, 0x80, 0x02, 0x03, 0x04, 0x05, 0x06])).unwrap(),
        0x8002_0304_0506
    );
    // Zero length, over 8 octets (does not fit u64), above 30: typed errors.
    let e = wsp::long_integer(&mut r(&[0x00, 0x00])).unwrap_err();
    assert_eq!(e.kind, DecodeErrorKind::BadLongInteger(0));
    let e = wsp::long_integer(&mut r(&[0x09, 1, 2, 3, 4, 5, 6, 7, 8, 9])).unwrap_err();
    assert_eq!(e.kind, DecodeErrorKind::BadLongInteger(9));
    assert!(wsp::long_integer(&mut r(&[0x1f])).is_err());
    // Length past the end names the offset of the missing octets.
    let e = wsp::long_integer(&mut r(&[0x04, 0x01])).unwrap_err();
    assert_eq!(e.offset, 1);
    assert!(matches!(
        e.kind,
        DecodeErrorKind::LengthOverrun {
            declared: 4,
            remaining: 1
        }
    ));
}

#[test]
fn uintvar_vectors() {
    let cases: &[(&[u8], u32)] = &[
        (&[0x7f], 0x7f),
        (&[0xff, 0x7f], 0x3fff),
        (&[0xff, 0xff, 0x7f], 0x1f_ffff),
        (&[0xff, 0xff, 0xff, 0x7f], 0x0fff_ffff),
        (&[0x8f, 0xff, 0xff, 0xff, 0x7f], 0xffff_ffff),
        (&[0x01, 0x02], 1),
        (&[0x80, 0x01, 0x02], 1),
        (&[0x80, 0x80, 0x80, 0x01, 0x02], 1),
    ];
    for (bytes, want) in cases {
        assert_eq!(wsp::uintvar(&mut r(bytes)).unwrap(), *want, "{bytes:02x?}");
    }
    // Continuation bit with no more data.
    assert!(matches!(
        wsp::uintvar(&mut r(&[0x80])).unwrap_err().kind,
        DecodeErrorKind::UnexpectedEnd { .. }
    ));
    // Six octets, or a 5-octet value above 2^32-1: too long.
    assert_eq!(
        wsp::uintvar(&mut r(&[0x80, 0x80, 0x80, 0x80, 0x80, 0x01]))
            .unwrap_err()
            .kind,
        DecodeErrorKind::UintvarTooLong
    );
    assert_eq!(
        wsp::uintvar(&mut r(&[0xff, 0xff, 0xff, 0xff, 0x7f]))
            .unwrap_err()
            .kind,
        DecodeErrorKind::UintvarTooLong
    );
    // Encoder: minimal form, round trip at the boundaries.
    for v in [
        0u32,
        1,
        0x7f,
        0x80,
        0x3fff,
        0x4000,
        0x1f_ffff,
        0x20_0000,
        u32::MAX,
    ] {
        let mut out = Vec::new();
        wsp::put_uintvar(&mut out, v);
        assert_eq!(wsp::uintvar(&mut r(&out)).unwrap(), v);
        assert!(out.len() <= 5);
    }
    let mut out = Vec::new();
    wsp::put_uintvar(&mut out, 0x3fff);
    assert_eq!(out, [0xff, 0x7f]);
}

#[test]
fn value_length_vectors() {
    for b in 0u8..=30 {
        assert_eq!(wsp::value_length(&mut r(&[b])).unwrap(), u32::from(b));
    }
    assert_eq!(
        wsp::value_length(&mut r(&[0x1f, 0x8f, 0x7f])).unwrap(),
        0x7ff
    );
    for b in 0x20u8..=0xff {
        assert!(wsp::value_length(&mut r(&[b])).is_err(), "{b:02x}");
    }
    // A window longer than the input is refused before anything is allocated.
    let e = wsp::value_window(&mut r(&[0x1f, 0x87, 0xff, 0xff, 0xff, 0x7f, 0x00])).unwrap_err();
    assert!(matches!(
        e.kind,
        DecodeErrorKind::LengthOverrun {
            declared: 0x7fff_ffff,
            remaining: 1
        }
    ));
}

#[test]
fn text_vectors() {
    assert_eq!(
        wsp::text_string(&mut r(&[0x7f, 0x80, 0x00])).unwrap(),
        &[0x80]
    );
    // A Quote before a low octet (seen from real MMSCs) is dropped, not an error.
    assert_eq!(wsp::text_string(&mut r(&[0x7f, 0x20, 0x00])).unwrap(), b" ");
    assert_eq!(wsp::text_string(&mut r(&[0x20, 0x00])).unwrap(), b" ");
    assert_eq!(
        wsp::text_string(&mut r(&[0x20])).unwrap_err().kind,
        DecodeErrorKind::UnterminatedString
    );
    assert_eq!(
        wsp::quoted_or_text(&mut r(&[0x22, 0x20, 0x00])).unwrap(),
        b" "
    );
    assert_eq!(wsp::token_text(&mut r(&[0x00])).unwrap(), b"");
    assert_eq!(wsp::token_text(&mut r(&[0x41, 0x00])).unwrap(), b"A");
    assert!(wsp::token_text(&mut r(&[0x41])).is_err());
    // The encoder quotes a leading high octet.
    let mut out = Vec::new();
    wsp::put_text_string(&mut out, "é".as_bytes(), "t").unwrap();
    assert_eq!(out, [0x7f, 0xc3, 0xa9, 0x00]);
    assert!(wsp::put_text_string(&mut Vec::new(), b"a\0b", "t").is_err());
}

#[test]
fn charset_vectors() {
    // Well-known charsets as Short-integer and as Long-integer.
    let es = |b: &[u8]| {
        let (h, _) = decode_value(field::SUBJECT, b, 0, false).unwrap();
        match h {
            Header::Subject(e) => e.into_owned(),
            other => panic!("{other:?}"),
        }
    };
    let utf8 = es(&[0x05, 0xea, 0xc3, 0xa9, 0x74, 0x00]);
    assert_eq!(utf8.charset, Some(Charset::UTF_8));
    assert_eq!(utf8.to_string_lossy(), "ét");
    // UTF-16 (MIB 1015 as long integer) with a BOM.
    let utf16 = es(&[
        0x0e, 0x02, 0x03, 0xf7, 0xfe, 0xff, 0x00, b'M', 0x00, b'o', 0x00, b'z', 0x00, b'!', 0x00,
    ]);
    assert_eq!(utf16.charset, Some(Charset::UTF_16));
    // 16-bit text is bounded by the window, not by its first zero octet.
    assert_eq!(utf16.to_string_lossy(), "Moz!");
    assert_eq!(
        Charset::UTF_16.decode(&[0xfe, 0xff, 0, b'M', 0, b'o']),
        "Mo"
    );
    assert_eq!(
        Charset::UTF_16.decode(&[0xff, 0xfe, b'M', 0, b'o', 0]),
        "Mo"
    );
    assert_eq!(Charset::UCS_2.decode(&[0x04, 0x1f]), "П");
    assert_eq!(Charset::SHIFT_JIS.decode(&[0x82, 0xa0]), "あ");
    assert_eq!(Charset::GB2312.decode(&[0xc4, 0xe3]), "你");
    assert_eq!(Charset::BIG5.decode(&[0xa4, 0xa4]), "中");
    assert_eq!(Charset::KS_C_5601.decode(&[0xc7, 0xd1]), "한");
    assert_eq!(Charset::EUC_KR.decode(&[0xc7, 0xd1]), "한");
    assert_eq!(Charset(2251).decode(&[0xcf]), "П");
    assert_eq!(Charset(2252).decode(&[0x80]), "€");
    assert_eq!(Charset::ISO_8859_1.decode(&[0xe4]), "ä");
    assert_eq!(Charset(5).decode(&[0xb1]), "ą");
    // US-ASCII that is really UTF-8 (a charset lie) is kept; invalid octets become U+FFFD.
    assert_eq!(Charset::US_ASCII.decode("ä".as_bytes()), "ä");
    assert_eq!(Charset::US_ASCII.decode(&[b'p', b'r', 0xe4]), "pr\u{fffd}");
    assert_eq!(Charset::from_name("UTF-8"), Some(Charset::UTF_8));
    assert_eq!(Charset::from_name("iso-8859-1"), Some(Charset::ISO_8859_1));
    assert_eq!(
        Charset::from_name("ks_c_5601-1987"),
        Some(Charset::KS_C_5601)
    );
}

#[test]
fn content_type_vectors() {
    let ct = |b: &[u8]| ct_in(&mut r(b), &Limits::default()).unwrap().into_owned();
    assert!(
        ct(&[0xb3])
            .media
            .is("application/vnd.wap.multipart.related")
    );
    assert!(ct(&[0xd2]).media.is("application/mikey"));
    // An unassigned code is kept as a code, not an error and not a crash.
    assert_eq!(ct(&[0xff]).media, MediaType::WellKnown(0x7f));
    assert_eq!(ct(&[0xff]).media.name(), None);
    // General form: Long-integer parameter code, untyped parameter.
    let g = ct(&[
        0x0e, 0xbe, 0x01, 0x0a, 0x3c, 0x73, 0x6d, 0x69, 0x6c, 0x3e, 0x00, 0x41, 0x00, 0x42, 0x00,
    ]);
    assert!(g.media.is("application/vnd.wap.mms-message"));
    assert_eq!(g.start().as_deref(), Some("<smil>"));
    assert_eq!(g.params.len(), 2);
    assert_eq!(g.params[1].name.label(), "A");
    assert_eq!(g.params[1].value, ParamValue::Text(Text::borrowed(b"B")));
    // charset as a text parameter and as a well-known one.
    let c = ct(&[
        0x0a, 0x83, 0x81, 0xea, 0x97, b'a', b'.', b't', b'x', b't', 0x00,
    ]);
    assert_eq!(c.charset(), Some(Charset::UTF_8));
    assert_eq!(c.name().as_deref(), Some("a.txt"));
}

#[test]
fn expiry_vectors() {
    // From the nuntium table: bytes after the 0x88 field octet.
    let ok: &[(&[u8], TimeValue)] = &[
        (&[0x04, 0x81, 0x02, 0x01, 0x2c], TimeValue::Relative(300)),
        (
            &[0x05, 0x81, 0x03, 0x01, 0x51, 0x80],
            TimeValue::Relative(86_400),
        ),
        (
            &[0x05, 0x81, 0x03, 0x02, 0xa3, 0x00],
            TimeValue::Relative(172_800),
        ),
        (
            &[0x06, 0x80, 0x04, 0x40, 0x19, 0xfe, 0x91],
            TimeValue::Absolute(1_075_445_393),
        ),
        // Delta-seconds as a Short-integer (B2G vector).
        (&[0x02, 0x81, 0x80], TimeValue::Relative(0)),
        (&[0x03, 0x80, 0x01, 0x80], TimeValue::Absolute(128)),
    ];
    for (b, want) in ok {
        let (h, _) = decode_value(field::EXPIRY, b, 0, false).unwrap();
        assert_eq!(h, Header::Expiry(*want), "{b:02x?}");
    }
    let bad: &[&[u8]] = &[
        &[0x04, 0x81, 0x03, 0x01, 0x2c], // inner long-integer overruns the window
        &[0x04, 0x82, 0x03, 0x01, 0x2c], // unknown token
        &[0x05, 0x81, 0x02, 0x01, 0x2c, 0x00], // window longer than the value
    ];
    for b in bad {
        assert!(
            decode_value(field::EXPIRY, b, 0, false).is_err(),
            "{b:02x?}"
        );
    }
}

#[test]
fn mms_value_vectors() {
    let v = |f: u8, b: &[u8]| decode_value(f, b, 0, false).map(|(h, _)| h.into_owned());
    assert_eq!(
        v(field::FROM, &[0x01, 0x81]).unwrap(),
        Header::From(FromValue::InsertAddress)
    );
    let from = v(field::FROM, b"\x10\x80+123/TYPE=PLMN\x00").unwrap();
    let Header::From(FromValue::Address(a)) = from else {
        panic!()
    };
    assert_eq!(
        Address::parse(&a.to_string_lossy()),
        Address {
            value: "+123".into(),
            kind: AddressKind::Plmn
        }
    );
    assert_eq!(
        v(field::PREVIOUSLY_SENT_BY, &[0x03, 0x83, 0x41, 0x00]).unwrap(),
        Header::PreviouslySentBy {
            count: 3,
            address: EncodedString::plain(Text::borrowed(b"A"))
        }
    );
    assert_eq!(
        v(field::PREVIOUSLY_SENT_DATE, &[0x03, 0x83, 0x01, 0x04]).unwrap(),
        Header::PreviouslySentDate { count: 3, date: 4 }
    );
    assert_eq!(
        v(field::MM_FLAGS, &[0x03, 0x80, 0x41, 0x00]).unwrap(),
        Header::MmFlags {
            op: FlagOp::Add,
            flag: EncodedString::plain(Text::borrowed(b"A"))
        }
    );
    // Content-Location with a status count (delete confirmations).
    let cl = v(
        field::CONTENT_LOCATION,
        b"\x19\x81http://no.such.com/path\x00",
    )
    .unwrap();
    assert_eq!(
        cl,
        Header::ContentLocation(ContentLocation {
            status_count: Some(1),
            uri: Text::borrowed(b"http://no.such.com/path")
        })
    );
    let rt = decode_value(field::RESPONSE_TEXT, b"\x04\x80abc", 0, true)
        .unwrap()
        .0;
    let Header::ResponseText(st) = rt else {
        panic!()
    };
    assert_eq!(st.status_count, Some(0));
    // Booleans: an unknown octet is kept, not mapped to a default.
    assert_eq!(
        v(field::DELIVERY_REPORT, &[0x80]).unwrap(),
        Header::DeliveryReport(YesNo::Yes)
    );
    assert_eq!(
        v(field::DELIVERY_REPORT, &[0x85]).unwrap(),
        Header::DeliveryReport(YesNo::Unknown(0x85))
    );
    // Message class token or text.
    assert_eq!(
        v(field::MESSAGE_CLASS, &[0x82]).unwrap(),
        Header::MessageClass(MessageClass::Token(ClassToken::Informational))
    );
    assert_eq!(
        v(field::MESSAGE_CLASS, b"A\x00").unwrap(),
        Header::MessageClass(MessageClass::Text(Text::borrowed(b"A")))
    );
    // Retrieve-Status: reserved values keep their octet and take the class of their range.
    let Header::RetrieveStatus(s) = v(field::RETRIEVE_STATUS, &[0xc5]).unwrap() else {
        panic!()
    };
    assert_eq!(s, RetrieveStatus::Unknown(0xc5));
    assert_eq!(s.class(), StatusClass::Transient);
    assert_eq!(
        RetrieveStatus::from_u8(0xf0).class(),
        StatusClass::Permanent
    );
    assert_eq!(
        ResponseStatus::from_u8(0xc4).class(),
        StatusClass::PartialSuccess
    );
    assert_eq!(
        ResponseStatus::from_u8(0x83).class(),
        StatusClass::Permanent
    );
    assert_eq!(
        ResponseStatus::from_u8(0xec).class(),
        StatusClass::Permanent
    );
}

#[test]
fn address_forms() {
    let cases = [
        ("+123.456-789/TYPE=PLMN", AddressKind::Plmn),
        ("1.2.3.4/TYPE=IPv4", AddressKind::Ipv4),
        ("::1/TYPE=IPv6", AddressKind::Ipv6),
        ("Joe User <joe@user.org>", AddressKind::Email),
        ("+123", AddressKind::Number),
        ("H0w_D0_Y0u_Turn_Th1s_0n", AddressKind::Alphanumeric),
        (
            "+358401111111/TYPE=PLNM",
            AddressKind::OtherType("PLNM".into()),
        ),
    ];
    for (s, k) in cases {
        assert_eq!(Address::parse(s).kind, k, "{s}");
    }
    assert_eq!(Address::parse(" +1555/type=plmn ").value, "+1555");
}

#[test]
fn header_order_and_repeats() {
    // Repeated To headers keep their order; the type/tid/version come first on encode.
    let bytes = b"\x8c\x80\x98asdf\x00\x8d\x93\x97+123/TYPE=PLMN\x00\x97+456\x00\x84\xb3\x00";
    let d = Pdu::decode(bytes).unwrap();
    let to: Vec<_> = d
        .pdu
        .to()
        .map(|t| t.to_string_lossy().into_owned())
        .collect();
    assert_eq!(to, ["+123/TYPE=PLMN", "+456"]);
    assert_eq!(d.pdu.encode().unwrap(), bytes);
}

/// A UTF-8 text that starts with a byte-order mark reads the same whether or not the rest is
/// valid UTF-8: the mark is dropped either way, so a lossy reading and the reading of its own
/// UTF-8 agree (the provisioning round trip broke on this; found by fuzzing).
#[test]
fn utf8_byte_order_mark_is_dropped_with_or_without_invalid_bytes() {
    use mms_codec::pdu::Charset;
    let lossy = Charset(106)
        .decode(&[0xef, 0xbb, 0xbf, b'p', 0xea])
        .into_owned();
    assert_eq!(lossy, "p\u{fffd}");
    assert_eq!(Charset(106).decode(lossy.as_bytes()), lossy);
    assert_eq!(Charset(106).decode(&[0xef, 0xbb, 0xbf, b'p']), "p");
}

/// PDU-1: an absurd date (2^64-1 seconds) is shown as invalid, never as a year; a real one as
/// ISO 8601.
#[test]
fn absurd_dates_are_flagged_as_invalid() {
    use mms_codec::pdu::describe::iso8601;
    assert_eq!(iso8601(u64::MAX), "invalid date");
    assert_eq!(iso8601(1 << 40), "invalid date");
    assert_eq!(iso8601(1_750_000_000), "2025-06-15T15:06:40Z");
    assert_eq!(iso8601(0), "1970-01-01T00:00:00Z");
    let mut p = mms_codec::pdu::Pdu::new(mms_codec::pdu::MessageType::NotifyRespInd);
    p.headers.push(mms_codec::pdu::Header::Date(u64::MAX));
    let text = mms_codec::pdu::describe::PduRecord::from_pdu(&p).to_text();
    assert!(text.contains("invalid date"), "{text}");
}

/// PDU-1: a parameter typed as an integer (Padding, 0x08) whose value is a quoted empty text
/// (`7f 00`) reads as an empty text and is written as No-value (`00`), which must read back as
/// the same empty text. Before, the second read took `00` for an integer and failed, so the
/// part's whole content type fell back to application/octet-stream (found by the fuzzer with
/// 64 KiB inputs; `fuzz/regressions/pdu_decode/crash-typed-param-no-value`).
#[test]
fn a_typed_parameter_with_no_value_survives_its_own_encoding() {
    use mms_codec::pdu::content_type::encode_content_type;
    let first = ct_in(
        &mut r(&[0x05, 0x61, 0x00, 0x88, 0x7f, 0x00]),
        &Default::default(),
    )
    .unwrap();
    assert_eq!(first.params[0].value, ParamValue::Text(Text::from("")));
    let mut bytes = Vec::new();
    encode_content_type(&mut bytes, &first).unwrap();
    assert_eq!(bytes, [0x04, 0x61, 0x00, 0x88, 0x00]);
    let again = ct_in(&mut r(&bytes), &Default::default()).unwrap();
    assert_eq!(again, first);
}

/// PDU-1: a multipart/related `type` parameter written as a Quoted-string (Kannel-based MMSCs
/// do) reads as the media type without the quote; before, it read as `"application/smil`, and
/// the SMIL part was not found as the presentation.
#[test]
fn a_quoted_multipart_type_parameter_loses_its_quote() {
    use mms_codec::pdu::content_type::MediaType;
    let mut b = vec![0x1f, 0x00, 0xb3, 0x89, 0x22];
    b.extend_from_slice(b"application/smil\0");
    b.extend_from_slice(&[0x8a]);
    b.extend_from_slice(b"<smil>\0");
    b[1] = (b.len() - 2) as u8;
    let ct = ct_in(&mut r(&b), &Default::default()).unwrap();
    assert_eq!(
        ct.params[0].value,
        ParamValue::Media(MediaType::Text(Text::from("application/smil")))
    );
    assert_eq!(ct.params[1].value, ParamValue::Text(Text::from("<smil>")));
    // With a closing quote too.
    let mut b = vec![0x1f, 0x00, 0xb3, 0x89, 0x22];
    b.extend_from_slice(b"application/smil\"\0");
    b[1] = (b.len() - 2) as u8;
    let ct = ct_in(&mut r(&b), &Default::default()).unwrap();
    assert_eq!(
        ct.params[0].value,
        ParamValue::Media(MediaType::Text(Text::from("application/smil")))
    );
}
