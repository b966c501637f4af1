//! Property tests for the push path (PUSH-8): the SMS reassembler returns exactly the datagram
//! that was segmented, whatever the arrival order and duplicates; arbitrary bytes through the
//! push decoder, the validator, the SMS parser and the WBXML decoder never panic.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

use mms_codec::push::*;
use proptest::prelude::*;

proptest! {
    #![proptest_config(ProptestConfig { cases: 500, ..ProptestConfig::default() })]

    #[test]
    fn reassembly_returns_the_datagram_whatever_the_order(
        datagram in prop::collection::vec(any::<u8>(), 1..900),
        order_seed in any::<u64>(),
        dup in any::<prop::sample::Index>(),
    ) {
        let tpdus = build_deliver_tpdus("+15550100", &datagram, PORT_PUSH, 4242);
        let mut idx: Vec<usize> = (0..tpdus.len()).collect();
        // Deterministic shuffle from the seed.
        let mut x = order_seed | 1;
        for i in (1..idx.len()).rev() {
            x ^= x << 13; x ^= x >> 7; x ^= x << 17;
            idx.swap(i, (x % (i as u64 + 1)) as usize);
        }
        // One duplicate segment inserted somewhere before the end (an unsegmented SMS has no
        // reference to deduplicate by: the validator's transaction-id check does that).
        // A duplicate after the completing segment would start a new (timed-out later) entry.
        if idx.len() > 1 {
            let d = dup.index(idx.len() - 1);
            idx.insert(d, idx[d]);
        }
        let mut r = Reassembler::new(ReassemblyLimits::default());
        let mut done = Vec::new();
        for i in idx {
            let seg = parse_deliver(&tpdus[i], true).unwrap();
            prop_assert_eq!(seg.dst_port, Some(PORT_PUSH));
            prop_assert_eq!(seg.origin.as_str(), "+15550100");
            match r.push(seg, 1_700_000_000) {
                Reassembly::Complete { datagram: g, .. } => done.push(g),
                Reassembly::Waiting | Reassembly::Duplicate => {}
                Reassembly::Refused(why) => prop_assert!(false, "refused: {}", why),
            }
        }
        prop_assert_eq!(done.len(), 1);
        prop_assert_eq!(&done[0], &datagram);
        prop_assert_eq!(r.pending(), 0);
    }

    #[test]
    fn arbitrary_bytes_never_panic_the_push_path(data in prop::collection::vec(any::<u8>(), 0..400)) {
        mms_fuzzing::push_decode(&data);
        mms_fuzzing::sms_reassembly(&data);
        mms_fuzzing::wbxml_decode(&data);
    }

    #[test]
    fn wbxml_token_soup_never_panics(body in prop::collection::vec(prop_oneof![Just(0x00u8), Just(0x01), Just(0x03), Just(0x83), Just(0xc3), Just(0x45), Just(0x85), Just(0x05), any::<u8>()], 0..200)) {
        let mut doc = vec![0x03, 0x05, 0x6a, 0x04, b'a', 0, b'b', 0];
        doc.extend_from_slice(&body);
        mms_fuzzing::wbxml_decode(&doc);
    }
}
