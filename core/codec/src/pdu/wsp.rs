//! WSP primitives (WAP-230-WSP section 8.4.2 and OMA-MMS-ENC section 7.2): uintvar, short and
//! long integers, value-length with length-quote, text strings with quote, quoted strings,
//! token text, and the generic value-extent rule used to skip any header value.
//!
//! Decoders take a [`Reader`] and fail with a typed [`DecodeError`]; encoders append to a
//! `Vec<u8>` and fail only where the model holds something the wire cannot carry.

use super::error::{DecodeError, DecodeErrorKind, EncodeError};
use super::reader::Reader;

/// The Quote octet that precedes a text string whose first octet is >= 0x80.
pub const QUOTE: u8 = 0x7f;
/// The octet that starts a Quoted-string.
pub const QUOTED_STRING: u8 = 0x22;
/// The Length-quote octet: a uintvar length follows.
pub const LENGTH_QUOTE: u8 = 0x1f;

/// Reads a uintvar: at most 5 octets, value at most 2^32-1. Leading 0x80 octets
/// (a non-minimal encoding) are accepted.
pub fn uintvar(r: &mut Reader<'_>) -> Result<u32, DecodeError> {
    let start = r.offset();
    let mut value: u64 = 0;
    for _ in 0..5 {
        let b = r.u8()?;
        value = (value << 7) | u64::from(b & 0x7f);
        if b & 0x80 == 0 {
            return u32::try_from(value)
                .map_err(|_| DecodeError::new(start, DecodeErrorKind::UintvarTooLong));
        }
    }
    Err(DecodeError::new(start, DecodeErrorKind::UintvarTooLong))
}

/// Reads a Short-integer (one octet with the high bit set); returns the 7-bit value.
pub fn short_integer(r: &mut Reader<'_>) -> Result<u8, DecodeError> {
    let b = r.peek()?;
    if b & 0x80 == 0 {
        return Err(r.err(DecodeErrorKind::InvalidOctet {
            what: "short-integer",
            octet: b,
        }));
    }
    r.u8().map(|b| b & 0x7f)
}

/// Reads a Long-integer: Short-length (1..=30) followed by that many big-endian octets.
/// Values wider than 64 bits are rejected.
pub fn long_integer(r: &mut Reader<'_>) -> Result<u64, DecodeError> {
    let at = r.offset();
    let len = r.u8()?;
    if len == 0 || len > 8 {
        if len > 30 {
            return Err(DecodeError::new(
                at,
                DecodeErrorKind::InvalidOctet {
                    what: "long-integer length",
                    octet: len,
                },
            ));
        }
        return Err(DecodeError::new(at, DecodeErrorKind::BadLongInteger(len)));
    }
    let bytes = r.take(usize::from(len))?;
    Ok(bytes.iter().fold(0u64, |acc, &b| (acc << 8) | u64::from(b)))
}

/// Reads an Integer-value: a Short-integer or a Long-integer.
pub fn integer_value(r: &mut Reader<'_>) -> Result<u64, DecodeError> {
    if r.peek()? & 0x80 != 0 {
        short_integer(r).map(u64::from)
    } else {
        long_integer(r)
    }
}

/// Reads a Value-length: a Short-length octet (0..=30) or Length-quote followed by a uintvar.
/// The length is not yet checked against the remaining input; use [`value_window`] for that.
pub fn value_length(r: &mut Reader<'_>) -> Result<u32, DecodeError> {
    let b = r.peek()?;
    match b {
        0..=30 => r.u8().map(u32::from),
        LENGTH_QUOTE => {
            r.u8()?;
            uintvar(r)
        }
        _ => Err(r.err(DecodeErrorKind::InvalidOctet {
            what: "value-length",
            octet: b,
        })),
    }
}

/// Reads a Value-length and returns a reader bounded to the value it announces.
pub fn value_window<'a>(r: &mut Reader<'a>) -> Result<Reader<'a>, DecodeError> {
    let len = value_length(r)?;
    r.sub(len as usize)
}

/// Reads a Text-string: an optional Quote (0x7f), then octets up to NUL. The returned slice
/// excludes the Quote and the NUL. A Quote before an octet < 0x80 (seen from real MMSCs) is
/// tolerated and dropped.
pub fn text_string<'a>(r: &mut Reader<'a>) -> Result<&'a [u8], DecodeError> {
    if r.peek()? == QUOTE {
        r.u8()?;
    }
    r.until_nul()
}

/// Reads a Text-value / Quoted-string position: an optional 0x22 quote, then text up to NUL.
pub fn quoted_or_text<'a>(r: &mut Reader<'a>) -> Result<&'a [u8], DecodeError> {
    match r.peek()? {
        QUOTED_STRING | QUOTE => {
            r.u8()?;
            r.until_nul()
        }
        _ => r.until_nul(),
    }
}

/// Reads a Token-text (an ASCII token up to NUL).
pub fn token_text<'a>(r: &mut Reader<'a>) -> Result<&'a [u8], DecodeError> {
    r.until_nul()
}

/// The generic extent rule of WSP header values (WAP-230 8.4.1.2): the first octet says how
/// long the value is. 0..=30: that many octets follow; 31: a uintvar length follows; 32..=127:
/// a NUL-terminated text; 128..=255: the octet alone. Returns the whole value's octets
/// (including its length prefix) and consumes them.
#[inline]
pub fn value_extent<'a>(r: &mut Reader<'a>) -> Result<&'a [u8], DecodeError> {
    let start = r.rest();
    let before = r.remaining();
    let b = r.peek()?;
    match b {
        0..=30 | LENGTH_QUOTE => {
            let len = value_length(r)?;
            r.skip(len as usize)?;
        }
        32..=127 => {
            r.until_nul()?;
        }
        _ => {
            r.u8()?;
        }
    }
    let used = before.saturating_sub(r.remaining());
    Ok(start.get(..used).unwrap_or(&[]))
}

// ---------------------------------------------------------------------------------------------
// Encoders
// ---------------------------------------------------------------------------------------------

/// Appends a uintvar (minimal encoding).
pub fn put_uintvar(out: &mut Vec<u8>, v: u32) {
    let mut groups = [0u8; 5];
    let mut n = 0usize;
    let mut x = v;
    loop {
        if let Some(g) = groups.get_mut(n) {
            *g = (x & 0x7f) as u8;
        }
        n += 1;
        x >>= 7;
        if x == 0 || n == 5 {
            break;
        }
    }
    for i in (0..n).rev() {
        let g = groups.get(i).copied().unwrap_or(0);
        out.push(if i == 0 { g } else { g | 0x80 });
    }
}

/// Appends a Short-integer (value must be < 0x80).
pub fn put_short_integer(out: &mut Vec<u8>, v: u8, what: &'static str) -> Result<(), EncodeError> {
    if v > 0x7f {
        return Err(EncodeError::InvalidCode(what));
    }
    out.push(v | 0x80);
    Ok(())
}

/// Appends a Long-integer in its minimal length (at least one octet).
pub fn put_long_integer(out: &mut Vec<u8>, v: u64) {
    let bytes = v.to_be_bytes();
    let skip = bytes.iter().take(7).take_while(|&&b| b == 0).count();
    let tail = bytes.get(skip..).unwrap_or(&[]);
    out.push(tail.len() as u8);
    out.extend_from_slice(tail);
}

/// Appends an Integer-value: short form below 0x80, long form otherwise.
pub fn put_integer_value(out: &mut Vec<u8>, v: u64) {
    if v < 0x80 {
        out.push(v as u8 | 0x80);
    } else {
        put_long_integer(out, v);
    }
}

/// Appends a Value-length for `len` octets.
pub fn put_value_length(
    out: &mut Vec<u8>,
    len: usize,
    what: &'static str,
) -> Result<(), EncodeError> {
    if len <= 30 {
        out.push(len as u8);
        Ok(())
    } else {
        let l = u32::try_from(len).map_err(|_| EncodeError::OutOfRange(what))?;
        out.push(LENGTH_QUOTE);
        put_uintvar(out, l);
        Ok(())
    }
}

/// Appends `body` preceded by its Value-length.
pub fn put_with_length(
    out: &mut Vec<u8>,
    body: &[u8],
    what: &'static str,
) -> Result<(), EncodeError> {
    put_value_length(out, body.len(), what)?;
    out.extend_from_slice(body);
    Ok(())
}

fn check_text(t: &[u8], what: &'static str) -> Result<(), EncodeError> {
    if t.contains(&0) {
        Err(EncodeError::NulInText(what))
    } else {
        Ok(())
    }
}

/// Appends a Text-string: a Quote when the first octet is >= 0x80, is itself a Quote, or is a
/// control octet that a decoder would read as a length; then the octets and NUL.
pub fn put_text_string(out: &mut Vec<u8>, t: &[u8], what: &'static str) -> Result<(), EncodeError> {
    check_text(t, what)?;
    if let Some(&first) = t.first() {
        if first >= 0x80 || first == QUOTE || first < 0x20 {
            out.push(QUOTE);
        }
    }
    out.extend_from_slice(t);
    out.push(0);
    Ok(())
}

/// Appends a Quoted-string (0x22, the octets, NUL).
pub fn put_quoted_string(
    out: &mut Vec<u8>,
    t: &[u8],
    what: &'static str,
) -> Result<(), EncodeError> {
    check_text(t, what)?;
    out.push(QUOTED_STRING);
    out.extend_from_slice(t);
    out.push(0);
    Ok(())
}

/// Appends a Text-value (parameter values): a Quoted-string when the text could be misread
/// as a token or is empty-ambiguous, else a Text-string.
pub fn put_text_value(out: &mut Vec<u8>, t: &[u8], what: &'static str) -> Result<(), EncodeError> {
    match t.first() {
        Some(&b) if b == QUOTED_STRING || b == QUOTE || !(0x20..0x80).contains(&b) => {
            put_quoted_string(out, t, what)
        }
        _ => put_text_string(out, t, what),
    }
}

/// Appends a Token-text (octets and NUL). Used for textual header and parameter names.
pub fn put_token_text(out: &mut Vec<u8>, t: &[u8], what: &'static str) -> Result<(), EncodeError> {
    check_text(t, what)?;
    out.extend_from_slice(t);
    out.push(0);
    Ok(())
}
