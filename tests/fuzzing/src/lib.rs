//! The invariants the fuzz targets check (`fuzz/fuzz_targets` call these), shared with
//! `cargo test` so that the committed fuzz seeds and past crashers replay as ordinary tests.
//! This crate, not the libraries, carries the `arbitrary` generators. Each function panics
//! (the fuzzer's signal) only when an invariant is broken; hostile input alone never panics.
#![forbid(unsafe_code)]

pub mod heap;
pub mod hostile;

use heap::within;
use mms_codec::budget::InputKind;

use mms_codec::pdu::Pdu;

/// PDU decoder invariants: decoding never panics; a decoded model that encodes decodes back
/// to the same model; the validated decode accepts a subset of what the lenient one does.
#[allow(clippy::panic)]
pub fn pdu_decode(data: &[u8]) {
    let n = data.len();
    let lenient = within(InputKind::Pdu, n, "pdu lenient", || {
        Pdu::decode_lenient(data)
    });
    if let Ok(d) = &lenient {
        if let Ok(bytes) = d.pdu.encode() {
            match Pdu::decode_lenient(&bytes) {
                Ok(again) => {
                    let mut want = d.pdu.clone();
                    want.canonicalize();
                    assert!(again.pdu == want, "re-decoded model differs");
                }
                Err(e) => panic!("own encoding does not decode: {e}"),
            }
        }
    }
    if within(InputKind::Pdu, n, "pdu validated", || Pdu::decode(data)).is_ok() {
        assert!(
            lenient.is_ok(),
            "validated decode accepted what lenient refused"
        );
    }
    let _ = within(InputKind::Push, n, "wsp push", || {
        mms_codec::push::decode_push(data)
    });
}

/// Push decoder and validator: any bytes, as a connectionless or connection-oriented push,
/// through a validator with a fixed policy, never panic; every verdict that is not an accept
/// carries an audit row.
pub fn push_decode(data: &[u8]) {
    use mms_decisions::audit::MemoryAudit;
    use mms_decisions::clock::ManualClock;
    use mms_decisions::push::{Bearer, PushChannel, PushPolicy, PushValidator, Verdict};
    use std::sync::Arc;
    let n = data.len();
    let _ = within(InputKind::Push, n, "wsp push", || {
        mms_codec::push::decode_push(data)
    });
    let _ = within(InputKind::Push, n, "wsp push (connection)", || {
        mms_codec::push::decode_push_connection_oriented(data)
    });
    let policy = PushPolicy {
        mmsc_url: Some("http://mmsc.example:8002/mms/".into()),
        trusted_origins: vec!["+15550100".into()],
        sir_gateways: vec!["10.0.0.1".into()],
        ..PushPolicy::default()
    };
    let v = PushValidator::new(
        policy,
        Arc::new(ManualClock::new(1_700_000_000)),
        Arc::new(MemoryAudit::new(16)),
    );
    let channel = PushChannel {
        bearer: Bearer::Platform,
        dst_port: Some(2948),
    };
    for origin in ["+15550100", "+15550199"] {
        let verdict = within(InputKind::Push, n, "push verdict", || {
            v.check(origin, channel, data)
        });
        assert!(
            verdict.verdict == Verdict::Accept || verdict.audit.is_some(),
            "verdict without audit row"
        );
        let _ = v.check_connection_oriented(origin, channel, data);
    }
}

/// SMS bearer: the input is split into TPDUs (a length octet before each); every TPDU is parsed
/// (with and without SMSC) and fed to a reassembler whose pending state must stay within its
/// limits.
pub fn sms_reassembly(data: &[u8]) {
    use mms_codec::push::{Reassembler, ReassemblyLimits, parse_deliver};
    let limits = ReassemblyLimits::default();
    let mut r = Reassembler::new(limits.clone());
    let mut rest = data;
    let mut now = 1_700_000_000u64;
    while let Some((&n, tail)) = rest.split_first() {
        let take = usize::from(n).min(tail.len());
        let (tpdu, next) = tail.split_at(take);
        rest = next;
        now += 7;
        for smsc in [true, false] {
            let seg = within(InputKind::Push, tpdu.len(), "sms tpdu", || {
                parse_deliver(tpdu, smsc)
            });
            if let Ok(seg) = seg {
                let _ = r.push(seg, now);
            }
        }
        assert!(
            r.pending() <= limits.max_pending_total,
            "reassembler over its limit"
        );
        assert!(
            r.held_bytes() <= limits.max_pending_total * usize::from(limits.max_segments) * 256
        );
    }
}

/// WBXML decoder with every code page set; a decoded document renders as XML.
pub fn wbxml_decode(data: &[u8]) {
    use mms_codec::push::service;
    use mms_codec::wbxml::{self, pages::*};
    let n = data.len();
    let limits = wbxml::WbxmlLimits::default();
    for pages in [&SiPages as &dyn wbxml::CodePages, &SlPages] {
        let d = within(InputKind::Push, n, "wbxml", || {
            wbxml::decode(data, pages, &limits)
        });
        if let Ok(d) = d {
            let _ = d.root.to_xml();
        }
    }
    let _ = within(InputKind::Push, n, "si", || service::parse_si(data));
    let _ = within(InputKind::Push, n, "sl", || service::parse_sl(data));
    let _ = within(InputKind::Push, n, "sia", || service::parse_sia(data));
}

/// Provisioning decoder: any bytes through the WBXML provisioning decoder, settings
/// extraction and authentication (all four methods), never panic; an encoded model decodes
/// back to itself.
pub fn provisioning_decode(data: &[u8]) {
    use mms_codec::provisioning as doc;
    use mms_decisions::provisioning::{self as p, Credentials, Secret};
    let n = data.len();
    let decoded = within(InputKind::Provisioning, n, "cp document", || {
        doc::decode_wbxml(data)
    });
    if let Ok(d) = decoded {
        let _ = within(InputKind::Provisioning, n, "cp settings", || {
            p::mms_settings(&d)
        });
        let _ = d.to_xml();
        let encoded = doc::encode_wbxml(&d);
        let again = doc::decode_wbxml(&encoded);
        let limit = mms_codec::wbxml::WbxmlLimits::of(InputKind::Provisioning).max_size;
        if encoded.len() > limit {
            // Our encoder writes strings inline, where the input may have used the string
            // table: a document near the budget can expand past the size limit, and is then
            // refused for its size, nothing else.
            assert!(
                matches!(
                    again.as_ref().map_err(|e| &e.kind),
                    Err(mms_codec::pdu::DecodeErrorKind::TooLarge { .. })
                ),
                "encode/decode round trip of an oversized encoding: {again:?}"
            );
        } else {
            assert!(
                again.as_ref().is_ok_and(|a| *a == d),
                "encode/decode round trip"
            );
        }
    }
    let creds = Credentials {
        imsi: Some(Secret::new("466923103145252")),
        pin: Some(Secret::new("1234567890")),
    };
    for sec in 0..5u64 {
        let _ = within(InputKind::Provisioning, n, "cp verify", || {
            p::verify(
                Some(sec),
                Some("1AF545FE2823DC9347064450F90FF1BBF957E146"),
                data,
                &creds,
            )
        });
    }
}

/// Sniffer and SMIL planner: arbitrary bytes sniffed and parsed as SMIL; and, when the bytes
/// are a PDU, its render plan, whose every invariant (bounded slides and time, regions inside
/// the root layout, items pointing at existing parts) is checked.
pub fn content_plan(data: &[u8]) {
    use mms_decisions::content::{self, plan};
    let n = data.len();
    let _ = within(InputKind::MessagePart, n, "sniff", || content::sniff(data));
    let text = String::from_utf8_lossy(data);
    let _ = within(InputKind::MessagePart, text.len(), "smil", || {
        content::smil::parse(&text)
    });
    if let Ok(d) = mms_codec::pdu::Pdu::decode_lenient(data) {
        let p = within(InputKind::Pdu, n, "render plan", || {
            content::plan_message(&d.pdu, &content::MediaPolicy::default())
        });
        assert!(p.slides.len() <= plan::MAX_SLIDES);
        assert!(p.total_ms <= plan::MAX_TOTAL_MS);
        for s in &p.slides {
            assert!(s.duration_ms <= plan::MAX_SLIDE_MS && s.duration_ms >= plan::MIN_SLIDE_MS);
            for i in &s.items {
                assert!(i.part < p.parts.len(), "slide item points past the parts");
                assert!(i.begin_ms.saturating_add(i.duration_ms) <= s.duration_ms);
                if let Some(r) = i.region {
                    assert!(
                        r.left.saturating_add(r.width) <= p.root.0
                            && r.top.saturating_add(r.height) <= p.root.1
                    );
                }
            }
        }
    }
}

/// URI classifier, extractor and gate: any string, never a panic; nothing is released without
/// a token.
pub fn links(data: &[u8]) {
    use mms_decisions::links::{LinkDecision, LinkGate, LinkSource, extract_markup, extract_text};
    let s = String::from_utf8_lossy(data);
    // The text the extractors read (invalid UTF-8 octets become three-octet replacement
    // characters, so it may be longer than the input): their budget is of their input.
    let n = s.len();
    let _ = within(InputKind::MessagePart, n, "links in text", || {
        extract_text(&s, 0)
    });
    let _ = within(InputKind::MessagePart, n, "links in markup", || {
        extract_markup(&s, 0, true)
    });
    let gate = LinkGate::new(
        std::sync::Arc::new(mms_decisions::clock::ManualClock::new(1)),
        std::sync::Arc::new(mms_decisions::audit::MemoryAudit::new(4)),
        60,
    );
    if let LinkDecision::NeedsConfirmation(p) = gate.request_action(&s, LinkSource::message("m")) {
        assert!(gate.confirm(&p.token, "other", &s).is_err());
        assert!(gate.confirm(&p.token, "m", &s).is_ok());
        assert!(gate.confirm(&p.token, "m", &s).is_err());
    }
}

/// Structure-aware storm target: the input grows a string-table reference storm (SI, SL or OMA
/// CP) or an attribute storm (SMIL or XHTML) ([`hostile::storm`]), a few mutations are applied,
/// and the result goes through the invariants of the targets that read that family, whose
/// every decoder call is held to its heap allowance.
pub fn storms(data: &[u8]) -> Option<hostile::StormKind> {
    use hostile::StormKind;
    let mut u = arbitrary::Unstructured::new(data);
    let (kind, mut bytes) = hostile::storm(&mut u).ok()?;
    structured::mutate(&mut u, &mut bytes);
    match kind {
        StormKind::Push => {
            wbxml_decode(&bytes);
            push_decode(&hostile::si_push(&bytes));
        }
        StormKind::Provisioning => {
            provisioning_decode(&bytes);
            push_decode(&hostile::cp_push(&bytes));
        }
        StormKind::Smil => content_plan(&bytes),
        StormKind::Xhtml => links(&bytes),
    }
    Some(kind)
}

/// Structure-aware PDU target: the input drives a model built with the PDU builders (every
/// message type, with recipients, texts in several scripts, parts and enumerated values,
/// unknown codes included); the model must encode, decode (validated) and equal itself; then
/// the encoding is mutated a few times (bit flips, overwrites, insertions, deletions,
/// truncation, a repeated range) and the mutant goes through every [`pdu_decode`] invariant
/// and through the push decoder as an MMS push body. Returns the message type of the model
/// built, if the input was long enough to build one.
#[allow(clippy::panic)]
pub fn pdu_structured(data: &[u8]) -> Option<mms_codec::pdu::MessageType> {
    let mut u = arbitrary::Unstructured::new(data);
    let model = structured::pdu(&mut u).ok()?;
    let bytes = match model.encode() {
        Ok(b) => b,
        Err(e) => panic!("builder output does not encode: {e}"),
    };
    match Pdu::decode(&bytes) {
        Ok(d) => {
            let mut want = model.clone();
            want.canonicalize();
            let mut got = d.pdu;
            got.canonicalize();
            assert!(
                got == want,
                "structured model did not survive its own encoding"
            );
        }
        Err(e) => panic!("builder output refused by the validated decoder: {e}"),
    }
    let mut m = bytes;
    structured::mutate(&mut u, &mut m);
    pdu_decode(&m);
    let tid = u.arbitrary::<u8>().unwrap_or(0);
    let _ = mms_codec::push::decode_push(&mms_codec::push::encode_mms_push(tid, &m));
    Some(model.message_type)
}

/// The model generator and mutator of [`pdu_structured`].
mod structured {
    use arbitrary::{Result, Unstructured};
    use mms_codec::pdu::builder::{self, Notification, SendReqBuilder};
    use mms_codec::pdu::*;

    const CHARS: &[&str] = &[
        "a", "Z", "0", "9", " ", "-", ".", "@", "+", "é", "ß", "中", "文", "Ж", "ع", "😀",
        "\u{00a0}",
    ];

    /// A short text that starts with a printable character (a header text may not start
    /// with a control octet or a quote).
    fn text(u: &mut Unstructured<'_>, max: usize) -> Result<String> {
        let n = u.int_in_range(1..=max)?;
        let mut s = String::new();
        for _ in 0..n {
            s.push_str(u.choose(CHARS)?);
        }
        if s.starts_with(' ') || s.starts_with('\u{00a0}') {
            s.insert(0, 'x');
        }
        Ok(s)
    }

    fn token(u: &mut Unstructured<'_>) -> Result<String> {
        let n = u.int_in_range(1..=16)?;
        let mut s = String::from("T");
        for _ in 0..n {
            s.push(char::from(*u.choose(b"abcdefABCDEF0123456789-")?));
        }
        Ok(s)
    }

    fn address(u: &mut Unstructured<'_>) -> Result<String> {
        Ok(match u.int_in_range(0..=2)? {
            0 => format!("+1555{:07}", u.int_in_range(0..=9_999_999u32)?),
            1 => format!("0{:09}", u.int_in_range(0..=999_999_999u32)?),
            _ => format!("{}@example.org", token(u)?.to_lowercase()),
        })
    }

    fn url(u: &mut Unstructured<'_>) -> Result<String> {
        Ok(format!(
            "http://mmsc.example:{}/m/{}",
            u.int_in_range(1..=65535u32)?,
            token(u)?
        ))
    }

    fn code(u: &mut Unstructured<'_>) -> Result<u8> {
        u.int_in_range(0x80..=0xff)
    }

    fn time(u: &mut Unstructured<'_>) -> Result<header::TimeValue> {
        let v = u.int_in_range(0..=u64::from(u32::MAX))?;
        Ok(if u.arbitrary()? {
            header::TimeValue::Absolute(v)
        } else {
            header::TimeValue::Relative(v)
        })
    }

    const MEDIA: &[&str] = &[
        "text/plain",
        "image/jpeg",
        "image/png",
        "image/gif",
        "audio/amr",
        "video/3gpp",
        "text/x-vCard",
        "application/octet-stream",
        "application/x-unknown-type",
    ];

    fn send_req(u: &mut Unstructured<'_>) -> Result<Pdu<'static>> {
        let mut b = SendReqBuilder::new(&token(u)?);
        for _ in 0..u.int_in_range(1..=4)? {
            b = b.to(&address(u)?);
        }
        for _ in 0..u.int_in_range(0..=2)? {
            b = b.cc(&address(u)?);
        }
        for _ in 0..u.int_in_range(0..=2)? {
            b = b.bcc(&address(u)?);
        }
        if u.arbitrary()? {
            b = b.from(&address(u)?);
        }
        if u.arbitrary()? {
            b = b.subject(&text(u, 20)?);
        }
        if u.arbitrary()? {
            b = b.date(u.int_in_range(0..=u64::from(u32::MAX))?);
        }
        if u.arbitrary()? {
            b = b.class(ClassToken::from_u8(code(u)?));
        }
        if u.arbitrary()? {
            b = b.priority(Priority::from_u8(code(u)?));
        }
        if u.arbitrary()? {
            b = b.expiry(time(u)?);
        }
        if u.arbitrary()? {
            b = b.sender_visibility(SenderVisibility::from_u8(code(u)?));
        }
        b = b
            .delivery_report(u.arbitrary()?)
            .read_report(u.arbitrary()?);
        for i in 0..u.int_in_range(0..=4)? {
            let media = *u.choose(MEDIA)?;
            let len = u.int_in_range(0..=64usize)?;
            let body = u.bytes(len)?.to_vec();
            b = b.part(media, &format!("p{i}.bin"), body);
        }
        if u.arbitrary()? {
            b = b.generated_smil();
        }
        Ok(b.build().into_owned())
    }

    /// A PDU of any message type the builders make.
    pub(super) fn pdu(u: &mut Unstructured<'_>) -> Result<Pdu<'static>> {
        Ok(match u.int_in_range(0..=12)? {
            0 => send_req(u)?,
            1 => {
                let (tid, from, subject, loc) = (token(u)?, address(u)?, text(u, 12)?, url(u)?);
                builder::notification_ind(&Notification {
                    transaction_id: &tid,
                    from: u.arbitrary::<bool>()?.then_some(from.as_str()),
                    subject: u.arbitrary::<bool>()?.then_some(subject.as_str()),
                    size: u.int_in_range(0..=u64::from(u32::MAX))?,
                    expiry: time(u)?,
                    content_location: &loc,
                    class: ClassToken::from_u8(code(u)?),
                    delivery_report: u.arbitrary()?,
                })
            }
            2 => builder::notify_resp(&token(u)?, Status::from_u8(code(u)?), u.arbitrary()?),
            3 => builder::acknowledge(&token(u)?, u.arbitrary()?),
            4 => builder::read_rec(
                &token(u)?,
                &address(u)?,
                ReadStatus::from_u8(code(u)?),
                u.arbitrary::<Option<u32>>()?.map(u64::from),
            ),
            5 => {
                let to: Vec<String> = (0..u.int_in_range(1..=3)?)
                    .map(|_| address(u))
                    .collect::<Result<_>>()?;
                let refs: Vec<&str> = to.iter().map(String::as_str).collect();
                builder::forward_req(&token(u)?, &refs, &url(u)?)
            }
            6 => {
                let locs: Vec<String> = (0..u.int_in_range(1..=3)?)
                    .map(|_| url(u))
                    .collect::<Result<_>>()?;
                let refs: Vec<&str> = locs.iter().map(String::as_str).collect();
                builder::delete_req(&token(u)?, &refs)
            }
            7 => builder::cancel_req(&token(u)?, &token(u)?),
            8 => builder::cancel_conf(&token(u)?, CancelStatus::from_u8(code(u)?)),
            9 => builder::delete_conf(&token(u)?, ResponseStatus::from_u8(code(u)?)),
            10 => {
                let (mid, txt) = (token(u)?, text(u, 16)?);
                builder::send_conf(
                    &token(u)?,
                    ResponseStatus::from_u8(code(u)?),
                    u.arbitrary::<bool>()?.then_some(mid.as_str()),
                    u.arbitrary::<bool>()?.then_some(txt.as_str()),
                )
            }
            11 => builder::delivery_ind(
                &token(u)?,
                &address(u)?,
                Status::from_u8(code(u)?),
                u.int_in_range(0..=u64::from(u32::MAX))?,
            ),
            _ => builder::read_orig(
                &token(u)?,
                &address(u)?,
                &address(u)?,
                ReadStatus::from_u8(code(u)?),
                u.int_in_range(0..=u64::from(u32::MAX))?,
            ),
        })
    }

    /// Applies up to eight mutations chosen by the input.
    pub(super) fn mutate(u: &mut Unstructured<'_>, m: &mut Vec<u8>) {
        let n = u.int_in_range(0..=8u8).unwrap_or(0);
        for _ in 0..n {
            if m.is_empty() {
                return;
            }
            let len = m.len();
            let at = u.choose_index(len).unwrap_or(0);
            let byte = u.arbitrary::<u8>().unwrap_or(0);
            match u.int_in_range(0..=5u8).unwrap_or(0) {
                0 => {
                    if let Some(b) = m.get_mut(at) {
                        *b ^= 1 << (byte % 8);
                    }
                }
                1 => {
                    if let Some(b) = m.get_mut(at) {
                        *b = byte;
                    }
                }
                2 => m.insert(at, byte),
                3 => {
                    m.remove(at);
                }
                4 => m.truncate(at),
                _ => {
                    let end = (at + usize::from(byte % 32) + 1).min(len);
                    let range: Vec<u8> = m.get(at..end).map(<[u8]>::to_vec).unwrap_or_default();
                    let pos = u.choose_index(len).unwrap_or(0);
                    m.splice(pos..pos, range);
                }
            }
        }
    }
}

/// The invariants the `ffi_decode` fuzz target checks (and `cargo test` replays): the
/// stateless helpers (`decode_pdu`, `check_push`, `inspect_provisioning`) take any bytes without
/// panicking, an error's offset lies inside the input, an inspection asks for a PIN exactly
/// when its method needs one, and every push check ends in one of the four verdicts.
pub fn ffi_stateless(data: &[u8]) {
    match mms_ffi::decode_pdu(data.to_vec()) {
        Ok(s) => assert!(!s.message_type.is_empty()),
        Err(mms_ffi::CodecError::Malformed { offset, .. }) => {
            assert!(
                offset <= data.len() as u64,
                "offset {offset} past the input"
            )
        }
    }
    if let Ok(i) = mms_ffi::inspect_provisioning(data.to_vec()) {
        assert_eq!(
            i.needs_pin,
            i.method.as_deref().is_some_and(|m| m != "NETWPIN")
        );
    }
    let wsp = mms_codec::push::encode_mms_push(1, data);
    for input in [data, &wsp[..]] {
        let d = mms_ffi::check_push(
            "+15550100".into(),
            input.to_vec(),
            "http://mmsc.example/mms".into(),
            vec!["+15550100".into()],
        );
        assert!(
            !d.reason.is_empty(),
            "verdict {:?} without a reason code",
            d.verdict
        );
    }
}
