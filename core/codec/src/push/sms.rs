//! The SMS bearer of WAP push (3GPP TS 23.040, WAP-259 WDP): SMS-DELIVER TPDUs whose user data
//! header carries WDP port addressing (IE 0x05, or 0x04 with 8-bit ports) and concatenation
//! (IE 0x00 with an 8-bit reference, 0x08 with a 16-bit one). The originating address is the
//! push origin the policy judges.

use crate::pdu::error::{DecodeError, DecodeErrorKind};
use crate::pdu::reader::Reader;
use serde::Serialize;

/// WDP port of connectionless WAP push.
pub const PORT_PUSH: u16 = 2948;
/// WDP port of secure (WTLS) connectionless WAP push.
pub const PORT_SECURE_PUSH: u16 = 2949;

/// Concatenation info of a segment.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
pub struct Concat {
    /// Reference shared by the segments of one message.
    pub reference: u16,
    /// The reference came in the 16-bit form (IE 0x08). References of the two forms are
    /// different messages even when their numbers are equal.
    pub wide: bool,
    /// Number of segments.
    pub total: u8,
    /// This segment's number (1-based).
    pub seq: u8,
}

/// One SMS-DELIVER with what the bearer needs from it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct SmsSegment {
    /// Originating address (`+` prefix for international numbers; alphanumeric senders as text).
    pub origin: String,
    /// Service centre address, when the TPDU came with it.
    pub smsc: Option<String>,
    /// WDP destination port, when the UDH has port addressing.
    pub dst_port: Option<u16>,
    /// WDP source port.
    pub src_port: Option<u16>,
    /// Concatenation info, when segmented.
    pub concat: Option<Concat>,
    /// The user data after the header.
    pub data: Vec<u8>,
}

fn semi_octets(b: &[u8], digits: usize) -> String {
    let mut s = String::with_capacity(digits);
    for byte in b {
        for nib in [byte & 0x0f, byte >> 4] {
            if s.len() >= digits {
                break;
            }
            s.push(match nib {
                0..=9 => char::from(b'0' + nib),
                0x0a => '*',
                0x0b => '#',
                0x0c => 'a',
                0x0d => 'b',
                0x0e => 'c',
                _ => continue,
            });
        }
    }
    s
}

/// GSM 7-bit default alphabet, basic set (for alphanumeric originating addresses).
const GSM7: &str = "@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞ\u{1b}ÆæßÉ !\"#¤%&'()*+,-./0123456789:;<=>?¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà";

/// The GSM 7-bit default alphabet extension table (3GPP TS 23.038 6.2.1.1): the characters an
/// escape (0x1B) before these septets stands for.
fn gsm7_extension(v: u8) -> Option<char> {
    Some(match v {
        0x0a => '\u{0c}',
        0x14 => '^',
        0x28 => '{',
        0x29 => '}',
        0x2f => '\\',
        0x3c => '[',
        0x3d => '~',
        0x3e => ']',
        0x40 => '|',
        0x65 => '€',
        _ => return None,
    })
}

/// Unpacks `septets` GSM 7-bit characters, with the extension table: an escape followed by a
/// septet the table does not have shows that septet's basic character (TS 23.038: "the
/// character shown in the main default 7 bit alphabet table"); two escapes (reserved for a
/// further table) show a space.
fn gsm7_unpack(b: &[u8], septets: usize) -> String {
    let table: Vec<char> = GSM7.chars().collect();
    let basic = |v: u8| table.get(usize::from(v)).copied().unwrap_or('?');
    let mut out = String::new();
    let mut escaped = false;
    for i in 0..septets {
        let bit = i * 7;
        let (byte, shift) = (bit / 8, bit % 8);
        let lo = u16::from(b.get(byte).copied().unwrap_or(0));
        let hi = u16::from(b.get(byte + 1).copied().unwrap_or(0));
        let v = ((((hi << 8) | lo) >> shift) & 0x7f) as u8;
        if escaped {
            escaped = false;
            out.push(match v {
                0x1b => ' ',
                _ => gsm7_extension(v).unwrap_or_else(|| basic(v)),
            });
        } else if v == 0x1b {
            escaped = true;
        } else {
            out.push(basic(v));
        }
    }
    out
}

fn address(r: &mut Reader<'_>, len_in_digits: bool) -> Result<String, DecodeError> {
    let len = usize::from(r.u8()?);
    if len == 0 {
        return Ok(String::new());
    }
    let toa = r.u8()?;
    let octets = if len_in_digits {
        len.div_ceil(2)
    } else {
        len.saturating_sub(1)
    };
    let body = r.take(octets)?;
    let ton = (toa >> 4) & 0x07;
    Ok(match ton {
        0x05 => gsm7_unpack(
            body,
            if len_in_digits {
                len * 4 / 7
            } else {
                octets * 8 / 7
            },
        ),
        0x01 => format!(
            "+{}",
            semi_octets(body, if len_in_digits { len } else { octets * 2 })
        ),
        _ => semi_octets(body, if len_in_digits { len } else { octets * 2 }),
    })
}

/// Parses an SMS-DELIVER TPDU. `with_smsc`: the TPDU is preceded by the service centre
/// address (as Android's `createFromPdu` input and AT+CMGR output are).
pub fn parse_deliver(tpdu: &[u8], with_smsc: bool) -> Result<SmsSegment, DecodeError> {
    let mut r = Reader::new(tpdu);
    let smsc = if with_smsc {
        Some(address(&mut r, false)?)
    } else {
        None
    };
    let first_at = r.offset();
    let first = r.u8()?;
    if first & 0x03 != 0x00 {
        return Err(DecodeError::new(
            first_at,
            DecodeErrorKind::InvalidOctet {
                what: "SMS-DELIVER message type",
                octet: first,
            },
        ));
    }
    let udhi = first & 0x40 != 0;
    let origin = address(&mut r, true)?;
    let _pid = r.u8()?;
    let dcs_at = r.offset();
    let dcs = r.u8()?;
    let eight_bit = match dcs & 0xf0 {
        0xf0 => dcs & 0x04 != 0,
        0x00..=0x30 => (dcs >> 2) & 0x03 == 0x01,
        0x40..=0x70 => (dcs >> 2) & 0x03 == 0x01,
        _ => false,
    };
    r.skip(7)?; // service centre time stamp
    let udl = usize::from(r.u8()?);
    if !eight_bit {
        return Err(DecodeError::new(
            dcs_at,
            DecodeErrorKind::InvalidOctet {
                what: "data coding (WAP push needs 8-bit data)",
                octet: dcs,
            },
        ));
    }
    let mut ud = r.sub(udl)?;
    let mut seg = SmsSegment {
        origin,
        smsc,
        dst_port: None,
        src_port: None,
        concat: None,
        data: Vec::new(),
    };
    if udhi {
        let udhl = usize::from(ud.u8()?);
        let mut h = ud.sub(udhl)?;
        while !h.is_empty() {
            let iei = h.u8()?;
            let len = usize::from(h.u8()?);
            let at = h.offset();
            let v = h.take(len)?;
            let bad =
                |what| DecodeError::new(at, DecodeErrorKind::InvalidOctet { what, octet: iei });
            match (iei, v) {
                (0x00, [reference, total, seq]) => {
                    if *total == 0 || *seq == 0 || seq > total {
                        return Err(bad("concatenation numbers"));
                    }
                    seg.concat = Some(Concat {
                        reference: u16::from(*reference),
                        wide: false,
                        total: *total,
                        seq: *seq,
                    });
                }
                (0x08, [r1, r2, total, seq]) => {
                    if *total == 0 || *seq == 0 || seq > total {
                        return Err(bad("concatenation numbers"));
                    }
                    seg.concat = Some(Concat {
                        reference: u16::from_be_bytes([*r1, *r2]),
                        wide: true,
                        total: *total,
                        seq: *seq,
                    });
                }
                (0x05, [d1, d2, s1, s2]) => {
                    seg.dst_port = Some(u16::from_be_bytes([*d1, *d2]));
                    seg.src_port = Some(u16::from_be_bytes([*s1, *s2]));
                }
                (0x04, [d, s]) => {
                    seg.dst_port = Some(u16::from(*d));
                    seg.src_port = Some(u16::from(*s));
                }
                (0x00 | 0x08 | 0x05 | 0x04, _) => return Err(bad("information element length")),
                _ => {} // other IEs are skipped
            }
        }
    }
    seg.data = ud.take_rest().to_vec();
    if !r.is_empty() {
        return Err(r.err(DecodeErrorKind::TrailingBytes(r.remaining() as u64)));
    }
    Ok(seg)
}

/// Builds SMS-DELIVER TPDUs (with an SMSC prefix) that carry `datagram` to `dst_port` from
/// `origin`, segmented with 16-bit-reference concatenation when it does not fit one SMS. For
/// tests, the mock MMSC and the attacker toolkit.
pub fn build_deliver_tpdus(
    origin: &str,
    datagram: &[u8],
    dst_port: u16,
    reference: u16,
) -> Vec<Vec<u8>> {
    // UDH: ports (6) + concat (6) with its length octet.
    const MAX_UD: usize = 140;
    let single_udh = 1 + 6;
    let multi_udh = 1 + 6 + 6;
    let chunks: Vec<&[u8]> = if datagram.len() + single_udh <= MAX_UD {
        vec![datagram]
    } else {
        datagram.chunks(MAX_UD - multi_udh).collect()
    };
    let total = u8::try_from(chunks.len()).unwrap_or(u8::MAX);
    let (intl, digits) = match origin.strip_prefix('+') {
        Some(d) => (true, d),
        None => (false, origin),
    };
    let digits: String = digits.chars().filter(char::is_ascii_digit).collect();
    let mut oa = vec![digits.len() as u8, if intl { 0x91 } else { 0x81 }];
    let d: Vec<u8> = digits.bytes().map(|c| c - b'0').collect();
    for pair in d.chunks(2) {
        let lo = pair.first().copied().unwrap_or(0xf);
        let hi = pair.get(1).copied().unwrap_or(0xf);
        oa.push(lo | (hi << 4));
    }
    chunks
        .iter()
        .enumerate()
        .map(|(i, chunk)| {
            let mut t = vec![0x07, 0x91, 0x44, 0x77, 0x58, 0x10, 0x06, 0x50]; // SMSC +447785016005
            t.push(0x40 | 0x04); // SMS-DELIVER, UDHI, no more messages
            t.extend_from_slice(&oa);
            t.push(0x00); // PID
            t.push(0x04); // DCS: 8-bit data
            t.extend_from_slice(&[0x62, 0x11, 0x82, 0x51, 0x02, 0x40, 0x00]); // SCTS
            let mut udh = vec![0x05, 0x04];
            udh.extend_from_slice(&dst_port.to_be_bytes());
            udh.extend_from_slice(&9200u16.to_be_bytes());
            if total > 1 {
                udh.extend_from_slice(&[0x08, 0x04]);
                udh.extend_from_slice(&reference.to_be_bytes());
                udh.push(total);
                udh.push(u8::try_from(i + 1).unwrap_or(u8::MAX));
            }
            t.push((1 + udh.len() + chunk.len()) as u8);
            t.push(udh.len() as u8);
            t.extend_from_slice(&udh);
            t.extend_from_slice(chunk);
            t
        })
        .collect()
}

#[cfg(test)]
#[allow(clippy::indexing_slicing)]
mod gsm7_tests {
    use super::gsm7_unpack;

    /// Packs septets into octets, LSB first (TS 23.038 6.1.2.1).
    fn pack(septets: &[u8]) -> Vec<u8> {
        let mut out = vec![0u8; (septets.len() * 7).div_ceil(8)];
        for (i, s) in septets.iter().enumerate() {
            let bit = i * 7;
            let v = u16::from(*s) << (bit % 8);
            out[bit / 8] |= (v & 0xff) as u8;
            if let Some(o) = out.get_mut(bit / 8 + 1) {
                *o |= (v >> 8) as u8;
            }
        }
        out
    }

    /// PUSH-5 (originators as shown): the extension table; before, an escape came out as an
    /// ESC control character and the next septet as its basic character (`€` read as `e`).
    #[test]
    fn the_extension_table_is_read() {
        // "Pay 5€ [ok]" with € = ESC 0x65, [ = ESC 0x3C, ] = ESC 0x3E.
        let s = [
            0x50, 0x61, 0x79, 0x20, 0x35, 0x1b, 0x65, 0x20, 0x1b, 0x3c, 0x6f, 0x6b, 0x1b, 0x3e,
        ];
        assert_eq!(gsm7_unpack(&pack(&s), s.len()), "Pay 5€ [ok]");
        // An escape before a septet the table lacks shows the basic character; two escapes a
        // space; a trailing escape nothing.
        let s = [0x1b, 0x41, 0x1b, 0x1b, 0x42, 0x1b];
        assert_eq!(gsm7_unpack(&pack(&s), s.len()), "A B");
    }
}
