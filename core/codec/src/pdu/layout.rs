//! Where things are in an encoded PDU, as a protocol analyser shows it: each header's offset
//! and length with its field name, then the body's Content-Type, and for a multipart body each
//! entry (its header block and its data), nested multiparts included. It walks the same
//! grammar as the decoder and shares its extent rules, so a span is where the decoder read.

use super::content_type::decode_content_type;
use super::error::DecodeError;
use super::header::{self, field};
use super::reader::Reader;
use super::{Limits, wsp};
use serde::Serialize;

/// A region of the input.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Span {
    /// Its first octet.
    pub offset: usize,
    /// Its length in octets.
    pub len: usize,
    /// Nesting: 0 for the PDU's headers and body, 1 inside a part, and so on.
    pub depth: u8,
    /// What it is (`X-Mms-Transaction-Id`, `part 2`, `part 2 data`...).
    pub what: String,
}

/// The spans of an encoded PDU, in input order. Stops with an error where the decoder would;
/// the spans found up to there come with it, so a tool can show where the input went wrong.
pub fn layout(input: &[u8]) -> (Vec<Span>, Option<DecodeError>) {
    let mut spans = Vec::new();
    let limits = Limits::default();
    let err = walk_headers(&mut Reader::new(input), &mut spans, &limits).err();
    (spans, err)
}

fn push(spans: &mut Vec<Span>, from: usize, to: usize, depth: u8, what: impl Into<String>) {
    spans.push(Span {
        offset: from,
        len: to.saturating_sub(from),
        depth,
        what: what.into(),
    });
}

fn walk_headers(
    r: &mut Reader<'_>,
    spans: &mut Vec<Span>,
    limits: &Limits,
) -> Result<(), DecodeError> {
    while !r.is_empty() {
        if spans.len() >= limits.max_headers.saturating_mul(4) {
            break;
        }
        let at = r.offset();
        let b = r.peek()?;
        match b {
            0x80..=0xff => {
                r.u8()?;
                let f = b & 0x7f;
                if f == field::MESSAGE_TYPE {
                    r.u8()?;
                } else if f == field::CONTENT_TYPE {
                    let ct = decode_content_type(r, limits)?;
                    push(spans, at, r.offset(), 0, "Content-Type");
                    if ct.media.is_multipart() {
                        let body_at = r.offset();
                        walk_multipart(r, spans, limits, 1)?;
                        if spans.last().is_none_or(|s| s.offset < body_at) {
                            push(spans, body_at, r.offset(), 0, "body");
                        }
                    } else {
                        let body_at = r.offset();
                        r.take_rest();
                        push(spans, body_at, r.offset(), 0, "body");
                    }
                    return Ok(());
                } else {
                    super::field_extent(r, f)?;
                }
                push(spans, at, r.offset(), 0, header::field_name(f));
            }
            0x20..=0x7e => {
                let name = wsp::token_text(r)?;
                wsp::text_string(r)?;
                push(
                    spans,
                    at,
                    r.offset(),
                    0,
                    String::from_utf8_lossy(name).into_owned(),
                );
            }
            _ => {
                let rest = r.take_rest().len();
                push(spans, at, at + rest, 0, "(not a header)");
                return Ok(());
            }
        }
    }
    Ok(())
}

fn walk_multipart(
    r: &mut Reader<'_>,
    spans: &mut Vec<Span>,
    limits: &Limits,
    depth: u8,
) -> Result<(), DecodeError> {
    if usize::from(depth) > limits.max_depth.saturating_add(1) {
        return Ok(());
    }
    let at = r.offset();
    let n = wsp::uintvar(r)?;
    push(spans, at, r.offset(), depth - 1, format!("{n} entries"));
    for i in 1..=n.min(u32::try_from(limits.max_parts).unwrap_or(u32::MAX)) {
        let start = r.offset();
        let headers_len = wsp::uintvar(r)? as usize;
        let data_len = wsp::uintvar(r)? as usize;
        let head_at = r.offset();
        let mut head = Reader::new(r.take(headers_len)?);
        let ct = decode_content_type(&mut head, limits)?;
        let data_at = r.offset();
        let data = r.take(data_len)?;
        push(spans, start, r.offset(), depth - 1, format!("part {i}"));
        push(
            spans,
            head_at,
            data_at,
            depth,
            format!("part {i} content type and headers ({ct})"),
        );
        push(spans, data_at, r.offset(), depth, format!("part {i} data"));
        if ct.media.is_multipart() {
            let mut inner = Reader::new(data);
            let before = spans.len();
            walk_multipart(&mut inner, spans, limits, depth + 1)?;
            for s in spans.iter_mut().skip(before) {
                s.offset += data_at;
            }
        }
    }
    Ok(())
}
