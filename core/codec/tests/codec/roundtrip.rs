//! Property tests: `decode(encode(pdu)) == pdu` for arbitrary well-formed PDUs of every
//! message type (PDU-1), and `decode(arbitrary bytes)` never panics, never loops and, when it
//! succeeds, yields a model that re-encodes to something that decodes to the same model.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

use mms_codec::pdu::content_type::param;
use mms_codec::pdu::*;
use proptest::prelude::*;
use std::borrow::Cow;

fn text() -> impl Strategy<Value = Text<'static>> {
    prop_oneof![
        "[ -~]{0,24}".prop_map(|s| Text(Cow::Owned(s.into_bytes()))),
        "\\PC{0,8}".prop_map(|s| Text(Cow::Owned(s.into_bytes()))),
    ]
    // A header Text-string may not begin with a control octet (it would read as a length).
    .prop_filter("no leading control", |t| {
        t.as_bytes().first().is_none_or(|b| *b >= 0x20)
    })
}

fn token() -> impl Strategy<Value = Text<'static>> {
    "[A-Za-z][A-Za-z0-9-]{0,10}".prop_map(|s| Text(Cow::Owned(s.into_bytes())))
}

fn encoded() -> impl Strategy<Value = EncodedString<'static>> {
    let cs = prop_oneof![
        Just(None),
        prop::sample::select(vec![3u32, 4, 17, 36, 106, 2025, 2026, 2252, 70000])
            .prop_map(|c| Some(Charset(c))),
    ];
    (cs, text()).prop_map(|(charset, text)| EncodedString { charset, text })
}

fn time() -> impl Strategy<Value = TimeValue> {
    prop_oneof![
        any::<u64>().prop_map(TimeValue::Absolute),
        any::<u64>().prop_map(TimeValue::Relative)
    ]
}

fn hi() -> impl Strategy<Value = u8> {
    0x80u8..=0xff
}

fn raw_extent() -> impl Strategy<Value = Vec<u8>> {
    prop_oneof![
        hi().prop_map(|b| vec![b]),
        "[ -~]{1,10}".prop_map(|s| {
            let mut v = s.into_bytes();
            v.push(0);
            v
        }),
        prop::collection::vec(any::<u8>(), 0..40).prop_map(|d| {
            let mut v = Vec::new();
            wsp::put_with_length(&mut v, &d, "raw").unwrap();
            v
        }),
    ]
}

fn header(delete_conf: bool) -> impl Strategy<Value = Header<'static>> {
    let status_text = if delete_conf {
        (any::<u64>(), encoded())
            .prop_map(|(n, t)| StatusText {
                status_count: Some(n),
                text: t,
            })
            .boxed()
    } else {
        encoded()
            .prop_map(|t| StatusText {
                status_count: None,
                text: t,
            })
            .boxed()
    };
    let a = prop_oneof![
        encoded().prop_map(Header::Bcc),
        encoded().prop_map(Header::Cc),
        encoded().prop_map(Header::To),
        encoded().prop_map(Header::Subject),
        (prop::option::of(any::<u64>()), text()).prop_map(|(status_count, uri)| {
            Header::ContentLocation(ContentLocation { status_count, uri })
        }),
        any::<u64>().prop_map(Header::Date),
        hi().prop_map(|b| Header::DeliveryReport(YesNo::from_u8(b))),
        time().prop_map(Header::DeliveryTime),
        time().prop_map(Header::Expiry),
        prop_oneof![
            encoded().prop_map(FromValue::Address),
            Just(FromValue::InsertAddress)
        ]
        .prop_map(Header::From),
        prop_oneof![
            hi().prop_map(|b| MessageClass::Token(ClassToken::from_u8(b))),
            text()
                .prop_filter("non-empty", |t| !t.is_empty())
                .prop_map(MessageClass::Text)
        ]
        .prop_map(Header::MessageClass),
        text().prop_map(Header::MessageId),
        (0u8..0x80).prop_map(|v| Header::MmsVersion(Version(v))),
        any::<u64>().prop_map(Header::MessageSize),
        hi().prop_map(|b| Header::Priority(Priority::from_u8(b))),
        hi().prop_map(|b| Header::ReadReport(YesNo::from_u8(b))),
    ];
    let b = prop_oneof![
        hi().prop_map(|b| Header::ResponseStatus(ResponseStatus::from_u8(b))),
        status_text.prop_map(Header::ResponseText),
        hi().prop_map(|b| Header::SenderVisibility(SenderVisibility::from_u8(b))),
        hi().prop_map(|b| Header::Status(Status::from_u8(b))),
        text().prop_map(Header::TransactionId),
        hi().prop_map(|b| Header::RetrieveStatus(RetrieveStatus::from_u8(b))),
        encoded().prop_map(Header::RetrieveText),
        hi().prop_map(|b| Header::ReadStatus(ReadStatus::from_u8(b))),
        hi().prop_map(|b| Header::ReplyCharging(ReplyCharging::from_u8(b))),
        time().prop_map(Header::ReplyChargingDeadline),
        text().prop_map(Header::ReplyChargingId),
        any::<u64>().prop_map(Header::ReplyChargingSize),
        (any::<u64>(), encoded())
            .prop_map(|(count, address)| Header::PreviouslySentBy { count, address }),
        (any::<u64>(), any::<u64>())
            .prop_map(|(count, date)| Header::PreviouslySentDate { count, date }),
        hi().prop_map(|b| Header::Store(YesNo::from_u8(b))),
        hi().prop_map(|b| Header::MmState(MmState::from_u8(b))),
    ];
    let c = prop_oneof![
        (hi(), encoded()).prop_map(|(b, flag)| Header::MmFlags {
            op: FlagOp::from_u8(b),
            flag
        }),
        hi().prop_map(|b| Header::StoreStatus(StoreStatus::from_u8(b))),
        encoded().prop_map(Header::StoreStatusText),
        hi().prop_map(|b| Header::Stored(YesNo::from_u8(b))),
        (0u8..0x80).prop_map(Header::Attributes),
        hi().prop_map(|b| Header::Totals(YesNo::from_u8(b))),
        (hi(), any::<u64>()).prop_map(|(k, value)| Header::MboxTotals(Quantity {
            kind: QuantityKind::from_u8(k),
            value
        })),
        hi().prop_map(|b| Header::Quotas(YesNo::from_u8(b))),
        (hi(), any::<u64>()).prop_map(|(k, value)| Header::MboxQuotas(Quantity {
            kind: QuantityKind::from_u8(k),
            value
        })),
        any::<u64>().prop_map(Header::MessageCount),
        any::<u64>().prop_map(Header::Start),
        hi().prop_map(|b| Header::DistributionIndicator(YesNo::from_u8(b))),
        any::<u64>().prop_map(Header::Limit),
        hi().prop_map(|b| Header::RecommendedRetrievalMode(RetrievalMode::from_u8(b))),
        encoded().prop_map(Header::RecommendedRetrievalModeText),
        encoded().prop_map(Header::StatusText),
    ];
    let d = prop_oneof![
        text().prop_map(Header::ApplicId),
        text().prop_map(Header::ReplyApplicId),
        text().prop_map(Header::AuxApplicInfo),
        hi().prop_map(|b| Header::ContentClass(ContentClass::from_u8(b))),
        hi().prop_map(|b| Header::DrmContent(YesNo::from_u8(b))),
        hi().prop_map(|b| Header::AdaptationAllowed(YesNo::from_u8(b))),
        text().prop_map(Header::ReplaceId),
        text().prop_map(Header::CancelId),
        hi().prop_map(|b| Header::CancelStatus(CancelStatus::from_u8(b))),
        (
            prop::sample::select(vec![0x2eu8, 0x30, 0x32, 0x40, 0x55, 0x7f]),
            raw_extent()
        )
            .prop_map(|(field, v)| Header::Raw {
                field,
                value: Cow::Owned(v)
            }),
        (token(), text()).prop_map(|(name, value)| Header::Application { name, value }),
    ];
    prop_oneof![a, b, c, d]
}

fn media_single() -> impl Strategy<Value = MediaType<'static>> {
    prop_oneof![
        prop::sample::select(vec![0x03u8, 0x1d, 0x1e, 0x20, 0x3e, 0x52, 0x60, 0x7f])
            .prop_map(MediaType::WellKnown),
        "(image|audio|video|text|application)/[a-z0-9.+-]{1,12}"
            .prop_map(|s| MediaType::Text(Text(Cow::Owned(s.into_bytes())))),
    ]
}

fn media_multi() -> impl Strategy<Value = MediaType<'static>> {
    prop_oneof![
        prop::sample::select(vec![0x0cu8, 0x23, 0x26, 0x33]).prop_map(MediaType::WellKnown),
        Just(MediaType::Text(Text(Cow::Borrowed(b"multipart/related")))),
    ]
}

fn params() -> impl Strategy<Value = Vec<Param<'static>>> {
    let any_text = "\\PC{0,12}".prop_map(|s| Text(Cow::Owned(s.into_bytes())));
    let p = prop_oneof![
        any::<u32>().prop_map(|c| Param {
            name: ParamName::WellKnown(param::CHARSET),
            value: ParamValue::Charset(Charset(c))
        }),
        media_single().prop_map(|m| Param {
            name: ParamName::WellKnown(param::TYPE),
            value: ParamValue::Media(m)
        }),
        (
            prop::sample::select(vec![
                param::START,
                param::NAME,
                param::FILENAME,
                param::START_OLD,
                param::NAME_OLD,
                param::MAC
            ]),
            any_text.clone()
        )
            .prop_map(|(c, t)| Param {
                name: ParamName::WellKnown(c),
                value: ParamValue::Text(t)
            }),
        (
            prop::sample::select(vec![param::Q, param::LEVEL, param::PADDING, param::SEC]),
            any::<u64>()
        )
            .prop_map(|(c, v)| Param {
                name: ParamName::WellKnown(c),
                value: ParamValue::Integer(v)
            }),
        (token(), any_text).prop_map(|(n, t)| Param {
            name: ParamName::Text(n),
            value: ParamValue::Text(t)
        }),
        (token(), any::<u64>()).prop_map(|(n, v)| Param {
            name: ParamName::Text(n),
            value: ParamValue::Integer(v)
        }),
    ];
    prop::collection::vec(p, 0..4)
}

fn part_header() -> impl Strategy<Value = PartHeader<'static>> {
    let any_text = "\\PC{0,16}".prop_map(|s| Text(Cow::Owned(s.into_bytes())));
    prop_oneof![
        any_text.clone().prop_map(PartHeader::ContentId),
        any_text.clone().prop_map(PartHeader::ContentLocation),
        (
            prop::sample::select(vec![0x2eu8, 0x45]),
            prop_oneof![
                Just(Disposition::Attachment),
                Just(Disposition::Inline),
                Just(Disposition::FormData),
                (0x83u8..=0xff).prop_map(Disposition::Token),
                token().prop_map(Disposition::Text),
            ],
            params()
        )
            .prop_map(
                |(code, disposition, params)| PartHeader::ContentDisposition {
                    code,
                    disposition,
                    params
                }
            ),
        (
            prop::sample::select(vec![0x0bu8, 0x0d, 0x12, 0x7f]),
            raw_extent()
        )
            .prop_map(|(code, v)| PartHeader::WellKnown {
                code,
                value: Cow::Owned(v)
            }),
        (token(), any_text).prop_map(|(name, value)| PartHeader::Textual { name, value }),
    ]
}

fn leaf_part() -> impl Strategy<Value = Part<'static>> {
    (
        media_single(),
        params(),
        prop::collection::vec(part_header(), 0..4),
        prop::collection::vec(any::<u8>(), 0..64),
    )
        .prop_map(|(media, params, headers, data)| Part {
            content_type: ContentType { media, params },
            headers,
            data: BodyData::Single(Cow::Owned(data)),
        })
}

fn part() -> impl Strategy<Value = Part<'static>> {
    leaf_part().prop_recursive(2, 12, 4, |inner| {
        (
            media_multi(),
            params(),
            prop::collection::vec(part_header(), 0..2),
            prop::collection::vec(inner, 0..4),
        )
            .prop_map(|(media, params, headers, children)| Part {
                content_type: ContentType { media, params },
                headers,
                data: BodyData::Multipart(children),
            })
    })
}

fn body() -> impl Strategy<Value = Option<Body<'static>>> {
    prop_oneof![
        Just(None),
        (
            media_single(),
            params(),
            prop::collection::vec(any::<u8>(), 0..128)
        )
            .prop_map(|(media, params, d)| Some(Body {
                content_type: ContentType { media, params },
                data: BodyData::Single(Cow::Owned(d)),
            })),
        (media_multi(), params(), prop::collection::vec(part(), 0..5)).prop_map(
            |(media, params, parts)| Some(Body {
                content_type: ContentType { media, params },
                data: BodyData::Multipart(parts),
            })
        ),
    ]
}

fn message_type() -> impl Strategy<Value = MessageType> {
    prop_oneof![
        prop::sample::select(MessageType::ALL.to_vec()),
        (0x98u8..=0xff).prop_map(MessageType::from_u8)
    ]
}

fn pdu() -> impl Strategy<Value = Pdu<'static>> {
    message_type().prop_flat_map(|mt| {
        let dc = matches!(mt, MessageType::DeleteConf | MessageType::MboxDeleteConf);
        (prop::collection::vec(header(dc), 0..12), body()).prop_map(move |(headers, body)| Pdu {
            message_type: mt,
            headers,
            body,
        })
    })
}

/// The encoder writes transaction ids, then versions, then the rest in order.
fn canonical(mut p: Pdu<'static>) -> Pdu<'static> {
    let (tid, rest): (Vec<_>, Vec<_>) = p
        .headers
        .into_iter()
        .partition(|h| matches!(h, Header::TransactionId(_)));
    let (ver, rest): (Vec<_>, Vec<_>) = rest
        .into_iter()
        .partition(|h| matches!(h, Header::MmsVersion(_)));
    p.headers = tid.into_iter().chain(ver).chain(rest).collect();
    p
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 2000, ..ProptestConfig::default() })]

    /// PDU-1: every well-formed model of every message type survives encode -> decode.
    #[test]
    fn decode_encode_round_trip(p in pdu()) {
        let bytes = p.encode().expect("well-formed model encodes");
        let d = Pdu::decode_lenient(&bytes).expect("own encoding decodes");
        prop_assert_eq!(d.pdu, canonical(p));
    }

    /// PDU-1: arbitrary bytes never panic; what decodes re-encodes and decodes to itself.
    #[test]
    fn arbitrary_bytes_never_panic(bytes in prop::collection::vec(any::<u8>(), 0..600)) {
        if let Ok(d) = Pdu::decode_lenient(&bytes) {
            if let Ok(enc) = d.pdu.encode() {
                let again = Pdu::decode_lenient(&enc).expect("re-encoded PDU decodes");
                let mut want = d.pdu.clone();
                want.canonicalize();
                prop_assert_eq!(again.pdu, want);
            }
        }
    }

    /// PDU-1: mutations of valid encodings (the inputs most likely to reach deep code) never
    /// panic either.
    #[test]
    fn mutated_encodings_never_panic(p in pdu(), flips in prop::collection::vec((any::<prop::sample::Index>(), any::<u8>()), 1..6), cut in any::<prop::sample::Index>()) {
        let mut bytes = p.encode().expect("encodes");
        for (i, b) in flips {
            if !bytes.is_empty() {
                let k = i.index(bytes.len());
                bytes[k] = b;
            }
        }
        let _ = Pdu::decode_lenient(&bytes);
        let n = cut.index(bytes.len() + 1);
        let _ = Pdu::decode(&bytes[..n]);
    }
}

#[test]
fn every_message_type_round_trips_with_owned_conversion() {
    for mt in MessageType::ALL {
        let p = Pdu {
            message_type: mt,
            headers: vec![
                Header::TransactionId(Text::borrowed(b"T1")),
                Header::MmsVersion(Version::V1_3),
            ],
            body: None,
        };
        let bytes = p.encode().unwrap();
        let d = Pdu::decode_lenient(&bytes).unwrap();
        assert_eq!(d.pdu.message_type, mt);
        let owned: Pdu<'static> = d.pdu.clone().into_owned();
        assert_eq!(owned, d.pdu);
    }
}
