//! WSP multipart bodies (WAP-230 section 8.5): entry count, then per entry the header and
//! data lengths, the content type, part headers and data. Data is borrowed from the input.

use super::Limits;
use super::content_type::{
    ContentType, Param, decode_content_type, decode_params, encode_content_type, encode_params,
};
use super::error::{DecodeError, DecodeErrorKind, EncodeError, Warning};
use super::reader::Reader;
use super::text::Text;
use super::wsp;
use base64::Engine as _;
use std::borrow::Cow;

/// WSP header field codes used in part headers.
pub mod part_field {
    /// Content-Location
    pub const CONTENT_LOCATION: u8 = 0x0e;
    /// Content-Disposition (WSP 1.1 .. 1.3)
    pub const CONTENT_DISPOSITION: u8 = 0x2e;
    /// Content-ID
    pub const CONTENT_ID: u8 = 0x40;
    /// Content-Disposition (WSP 1.4 encoding)
    pub const CONTENT_DISPOSITION_14: u8 = 0x45;
}

/// The disposition of a part.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum Disposition<'a> {
    /// form-data
    FormData,
    /// attachment
    Attachment,
    /// inline
    Inline,
    /// Another token octet.
    Token(u8),
    /// A textual disposition.
    Text(Text<'a>),
}

/// A part header.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum PartHeader<'a> {
    /// Content-ID (usually `<...>`).
    ContentId(Text<'a>),
    /// Content-Location.
    ContentLocation(Text<'a>),
    /// Content-Disposition, with the field code it came with (0x2e or 0x45).
    ContentDisposition {
        /// The field code.
        code: u8,
        /// The disposition.
        disposition: Disposition<'a>,
        /// Its parameters (filename, ...).
        params: Vec<Param<'a>>,
    },
    /// Another well-known WSP header, its value kept raw (a complete value extent).
    WellKnown {
        /// The field code (without the high bit).
        code: u8,
        /// The raw value.
        value: Cow<'a, [u8]>,
    },
    /// A textual header.
    Textual {
        /// The name.
        name: Text<'a>,
        /// The value.
        value: Text<'a>,
    },
}

/// The data of a body or part: opaque octets, or nested parts.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum BodyData<'a> {
    /// Octets (borrowed from the input when decoded).
    Single(Cow<'a, [u8]>),
    /// A multipart: its entries.
    Multipart(Vec<Part<'a>>),
}

/// One multipart entry.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Part<'a> {
    /// The part's content type.
    pub content_type: ContentType<'a>,
    /// The part's headers, in wire order.
    pub headers: Vec<PartHeader<'a>>,
    /// The part's data.
    pub data: BodyData<'a>,
}

impl<'a> Part<'a> {
    /// A part with data and a content type, without headers.
    pub fn new(content_type: ContentType<'a>, data: impl Into<Cow<'a, [u8]>>) -> Self {
        Self {
            content_type,
            headers: Vec::new(),
            data: BodyData::Single(data.into()),
        }
    }

    /// The Content-ID, with surrounding `<>` and quotes stripped.
    pub fn content_id(&self) -> Option<Cow<'_, str>> {
        self.headers.iter().find_map(|h| match h {
            PartHeader::ContentId(t) => Some(strip_angle(t.to_str_lossy())),
            PartHeader::Textual { name, value }
                if name.as_bytes().eq_ignore_ascii_case(b"content-id") =>
            {
                Some(strip_angle(value.to_str_lossy()))
            }
            _ => None,
        })
    }

    /// The Content-Location.
    pub fn content_location(&self) -> Option<Cow<'_, str>> {
        self.headers.iter().find_map(|h| match h {
            PartHeader::ContentLocation(t) => Some(t.to_str_lossy()),
            PartHeader::Textual { name, value }
                if name.as_bytes().eq_ignore_ascii_case(b"content-location") =>
            {
                Some(value.to_str_lossy())
            }
            _ => None,
        })
    }

    /// A textual header's value by name (case-insensitive).
    pub fn text_header(&self, wanted: &str) -> Option<Cow<'_, str>> {
        self.headers.iter().find_map(|h| match h {
            PartHeader::Textual { name, value }
                if name.as_bytes().eq_ignore_ascii_case(wanted.as_bytes()) =>
            {
                Some(value.to_str_lossy())
            }
            _ => None,
        })
    }

    /// The part's file name: the content-type `name`, the disposition `filename`, or the
    /// Content-Location, in that order.
    pub fn name(&self) -> Option<Cow<'_, str>> {
        self.name_with(true)
    }

    /// [`Part::name`], with the Content-Disposition `filename` considered only if
    /// `use_disposition` (a carrier profile may say its dispositions are not to be trusted).
    pub fn name_with(&self, use_disposition: bool) -> Option<Cow<'_, str>> {
        self.content_type
            .name()
            .or_else(|| {
                if !use_disposition {
                    return None;
                }
                self.headers.iter().find_map(|h| match h {
                    PartHeader::ContentDisposition { params, .. } => ContentType {
                        media: super::content_type::MediaType::WellKnown(0),
                        params: params.clone(),
                    }
                    .filename()
                    .map(|c| Cow::Owned(c.into_owned())),
                    _ => None,
                })
            })
            .or_else(|| self.content_location())
    }

    /// The raw data octets (empty for a nested multipart).
    pub fn raw_data(&self) -> &[u8] {
        match &self.data {
            BodyData::Single(d) => d,
            BodyData::Multipart(_) => &[],
        }
    }

    /// The data with any textual `Content-Transfer-Encoding` (base64, quoted-printable)
    /// undone. Base64 is decoded leniently (whitespace and a dangling final character are
    /// ignored); on failure the raw octets are returned.
    pub fn decoded_data(&self) -> Cow<'_, [u8]> {
        let raw = self.raw_data();
        match self.text_header("content-transfer-encoding") {
            Some(enc) if enc.trim().eq_ignore_ascii_case("base64") => lenient_base64(raw)
                .map(Cow::Owned)
                .unwrap_or(Cow::Borrowed(raw)),
            Some(enc) if enc.trim().eq_ignore_ascii_case("quoted-printable") => {
                Cow::Owned(quoted_printable(raw))
            }
            _ => Cow::Borrowed(raw),
        }
    }

    /// The same part owning its octets.
    pub fn into_owned(self) -> Part<'static> {
        Part {
            content_type: self.content_type.into_owned(),
            headers: self
                .headers
                .into_iter()
                .map(PartHeader::into_owned)
                .collect(),
            data: self.data.into_owned(),
        }
    }
}

impl<'a> BodyData<'a> {
    /// The same data owning its octets.
    pub fn into_owned(self) -> BodyData<'static> {
        match self {
            BodyData::Single(d) => BodyData::Single(Cow::Owned(d.into_owned())),
            BodyData::Multipart(ps) => {
                BodyData::Multipart(ps.into_iter().map(Part::into_owned).collect())
            }
        }
    }
}

impl PartHeader<'_> {
    /// The same header owning its octets.
    pub fn into_owned(self) -> PartHeader<'static> {
        match self {
            PartHeader::ContentId(t) => PartHeader::ContentId(t.into_owned()),
            PartHeader::ContentLocation(t) => PartHeader::ContentLocation(t.into_owned()),
            PartHeader::ContentDisposition {
                code,
                disposition,
                params,
            } => PartHeader::ContentDisposition {
                code,
                disposition: match disposition {
                    Disposition::FormData => Disposition::FormData,
                    Disposition::Attachment => Disposition::Attachment,
                    Disposition::Inline => Disposition::Inline,
                    Disposition::Token(b) => Disposition::Token(b),
                    Disposition::Text(t) => Disposition::Text(t.into_owned()),
                },
                params: params.into_iter().map(Param::into_owned).collect(),
            },
            PartHeader::WellKnown { code, value } => PartHeader::WellKnown {
                code,
                value: Cow::Owned(value.into_owned()),
            },
            PartHeader::Textual { name, value } => PartHeader::Textual {
                name: name.into_owned(),
                value: value.into_owned(),
            },
        }
    }
}

fn strip_angle(s: Cow<'_, str>) -> Cow<'_, str> {
    let t = s.trim().trim_matches('"');
    let t = t.strip_prefix('<').unwrap_or(t);
    let t = t.strip_suffix('>').unwrap_or(t);
    if t.len() == s.len() {
        s
    } else {
        Cow::Owned(t.to_owned())
    }
}

fn lenient_base64(raw: &[u8]) -> Option<Vec<u8>> {
    let mut clean: Vec<u8> = raw
        .iter()
        .copied()
        .filter(|b| b.is_ascii_alphanumeric() || *b == b'+' || *b == b'/')
        .collect();
    if clean.len() % 4 == 1 {
        clean.pop();
    }
    base64::engine::general_purpose::STANDARD_NO_PAD
        .decode(&clean)
        .ok()
}

fn quoted_printable(raw: &[u8]) -> Vec<u8> {
    fn hex(b: u8) -> Option<u8> {
        (b as char).to_digit(16).and_then(|d| u8::try_from(d).ok())
    }
    let mut out = Vec::with_capacity(raw.len());
    let mut i = raw.iter().copied().peekable();
    while let Some(b) = i.next() {
        if b != b'=' {
            out.push(b);
            continue;
        }
        match (i.next(), i.peek().copied()) {
            (Some(b'\r'), Some(b'\n')) => {
                i.next();
            }
            (Some(b'\n'), _) => {}
            (Some(h), Some(l)) => match (hex(h), hex(l)) {
                (Some(h), Some(l)) => {
                    i.next();
                    out.push(h << 4 | l);
                }
                _ => {
                    out.push(b'=');
                    out.push(h);
                }
            },
            (Some(h), None) => {
                out.push(b'=');
                out.push(h);
            }
            (None, _) => out.push(b'='),
        }
    }
    out
}

/// State shared across a recursive multipart decode.
pub(crate) struct MultipartCtx<'l> {
    pub limits: &'l Limits,
    pub parts_seen: usize,
    pub warnings: Vec<Warning>,
}

impl MultipartCtx<'_> {
    fn warn(&mut self, offset: usize, message: String) {
        if self.warnings.len() < self.limits.max_warnings {
            self.warnings.push(Warning {
                offset,
                field: None,
                message,
            });
        }
    }
}

/// Decodes a multipart body: every length is checked against what remains; the entry
/// count, the total number of parts and the nesting depth are bounded.
pub(crate) fn decode_multipart<'a>(
    r: &mut Reader<'a>,
    ctx: &mut MultipartCtx<'_>,
    depth: usize,
) -> Result<Vec<Part<'a>>, DecodeError> {
    if depth > ctx.limits.max_depth {
        return Err(r.err(DecodeErrorKind::TooDeep(ctx.limits.max_depth)));
    }
    let count_at = r.offset();
    let count = wsp::uintvar(r)? as usize;
    let budget = ctx.limits.max_parts.saturating_sub(ctx.parts_seen);
    if count > budget {
        return Err(DecodeError::new(
            count_at,
            DecodeErrorKind::TooManyParts(ctx.limits.max_parts),
        ));
    }
    // Each entry needs at least 3 octets: never reserve more than the input could hold.
    let mut parts = Vec::with_capacity(count.min(r.remaining() / 3));
    for _ in 0..count {
        ctx.parts_seen = ctx.parts_seen.saturating_add(1);
        let headers_len = wsp::uintvar(r)? as usize;
        let data_len = wsp::uintvar(r)? as usize;
        let mut hdr = r.sub(headers_len)?;
        let data_base = r.offset();
        let data = r.take(data_len)?;
        let content_type = match decode_content_type(&mut hdr, ctx.limits) {
            Ok(ct) => ct,
            Err(e) => {
                ctx.warn(e.offset, format!("part content type: {}", e.kind));
                hdr = Reader::with_base(&[], hdr.offset());
                ContentType::named("application/octet-stream")
            }
        };
        let headers = decode_part_headers(&mut hdr, ctx);
        let body = if content_type.media.is_multipart() {
            let mut inner = Reader::with_base(data, data_base);
            let nested = decode_multipart(&mut inner, ctx, depth.saturating_add(1))?;
            if !inner.is_empty() {
                ctx.warn(
                    inner.offset(),
                    format!("{} octets after nested multipart", inner.remaining()),
                );
            }
            BodyData::Multipart(nested)
        } else {
            BodyData::Single(Cow::Borrowed(data))
        };
        parts.push(Part {
            content_type,
            headers,
            data: body,
        });
    }
    Ok(parts)
}

fn decode_part_headers<'a>(r: &mut Reader<'a>, ctx: &mut MultipartCtx<'_>) -> Vec<PartHeader<'a>> {
    let mut headers = Vec::new();
    while !r.is_empty() {
        if headers.len() >= ctx.limits.max_part_headers {
            ctx.warn(r.offset(), "too many part headers; rest ignored".into());
            break;
        }
        let at = r.offset();
        match decode_part_header(r, ctx.limits) {
            Ok(h) => headers.push(h),
            Err(e) => {
                ctx.warn(at, format!("part header skipped: {e}"));
                break;
            }
        }
    }
    headers
}

fn decode_part_header<'a>(
    r: &mut Reader<'a>,
    limits: &Limits,
) -> Result<PartHeader<'a>, DecodeError> {
    let b = r.peek()?;
    if b >= 0x80 {
        r.u8()?;
        let code = b & 0x7f;
        let base = r.offset();
        let extent = wsp::value_extent(r)?;
        let mut v = Reader::with_base(extent, base);
        return Ok(match code {
            part_field::CONTENT_ID => {
                PartHeader::ContentId(Text::borrowed(wsp::quoted_or_text(&mut v)?))
            }
            part_field::CONTENT_LOCATION => {
                PartHeader::ContentLocation(Text::borrowed(wsp::quoted_or_text(&mut v)?))
            }
            part_field::CONTENT_DISPOSITION | part_field::CONTENT_DISPOSITION_14 => {
                let first = v.peek()?;
                if first >= 0x80 {
                    PartHeader::ContentDisposition {
                        code,
                        disposition: disposition_token(v.u8()?),
                        params: Vec::new(),
                    }
                } else {
                    let mut w = wsp::value_window(&mut v)?;
                    let d = w.peek()?;
                    let disposition = if d >= 0x80 {
                        disposition_token(w.u8()?)
                    } else {
                        Disposition::Text(Text::borrowed(wsp::token_text(&mut w)?))
                    };
                    PartHeader::ContentDisposition {
                        code,
                        disposition,
                        params: decode_params(&mut w, limits)?,
                    }
                }
            }
            _ => PartHeader::WellKnown {
                code,
                value: Cow::Borrowed(extent),
            },
        });
    }
    if (0x20..0x7f).contains(&b) {
        let name = Text::borrowed(wsp::token_text(r)?);
        let value = Text::borrowed(wsp::quoted_or_text(r)?);
        return Ok(PartHeader::Textual { name, value });
    }
    Err(r.err(DecodeErrorKind::InvalidOctet {
        what: "part header",
        octet: b,
    }))
}

fn disposition_token(b: u8) -> Disposition<'static> {
    match b {
        0x80 => Disposition::FormData,
        0x81 => Disposition::Attachment,
        0x82 => Disposition::Inline,
        other => Disposition::Token(other),
    }
}

/// Encodes a multipart body.
pub fn encode_multipart(out: &mut Vec<u8>, parts: &[Part<'_>]) -> Result<(), EncodeError> {
    let n = u32::try_from(parts.len()).map_err(|_| EncodeError::OutOfRange("part count"))?;
    wsp::put_uintvar(out, n);
    for p in parts {
        let mut hdr = Vec::with_capacity(64);
        encode_content_type(&mut hdr, &p.content_type)?;
        for h in &p.headers {
            encode_part_header(&mut hdr, h)?;
        }
        let nested;
        let data: &[u8] = match &p.data {
            BodyData::Single(d) => d,
            BodyData::Multipart(children) => {
                let mut buf = Vec::new();
                encode_multipart(&mut buf, children)?;
                nested = buf;
                &nested
            }
        };
        let hl = u32::try_from(hdr.len()).map_err(|_| EncodeError::OutOfRange("part headers"))?;
        let dl = u32::try_from(data.len()).map_err(|_| EncodeError::OutOfRange("part data"))?;
        wsp::put_uintvar(out, hl);
        wsp::put_uintvar(out, dl);
        out.extend_from_slice(&hdr);
        out.extend_from_slice(data);
    }
    Ok(())
}

fn encode_part_header(out: &mut Vec<u8>, h: &PartHeader<'_>) -> Result<(), EncodeError> {
    match h {
        PartHeader::ContentId(t) => {
            out.push(part_field::CONTENT_ID | 0x80);
            wsp::put_quoted_string(out, t.as_bytes(), "content-id")
        }
        PartHeader::ContentLocation(t) => {
            out.push(part_field::CONTENT_LOCATION | 0x80);
            wsp::put_text_value(out, t.as_bytes(), "content-location")
        }
        PartHeader::ContentDisposition {
            code,
            disposition,
            params,
        } => {
            if *code != part_field::CONTENT_DISPOSITION
                && *code != part_field::CONTENT_DISPOSITION_14
            {
                return Err(EncodeError::InvalidCode("content-disposition code"));
            }
            out.push(code | 0x80);
            let mut body = Vec::new();
            match disposition {
                Disposition::FormData => body.push(0x80),
                Disposition::Attachment => body.push(0x81),
                Disposition::Inline => body.push(0x82),
                Disposition::Token(b) if *b >= 0x80 => body.push(*b),
                Disposition::Token(_) => return Err(EncodeError::InvalidCode("disposition")),
                Disposition::Text(t) => {
                    if t.as_bytes()
                        .first()
                        .is_none_or(|b| !(0x20..0x80).contains(b))
                    {
                        return Err(EncodeError::InvalidCode("disposition"));
                    }
                    wsp::put_token_text(&mut body, t.as_bytes(), "disposition")?
                }
            }
            encode_params(&mut body, params)?;
            wsp::put_with_length(out, &body, "content-disposition")
        }
        PartHeader::WellKnown { code, value } => {
            if *code > 0x7f {
                return Err(EncodeError::InvalidCode("part header code"));
            }
            let mut r = Reader::new(value);
            match wsp::value_extent(&mut r) {
                Ok(_) if r.is_empty() => {}
                _ => return Err(EncodeError::OutOfRange("raw part header value")),
            }
            out.push(code | 0x80);
            out.extend_from_slice(value);
            Ok(())
        }
        PartHeader::Textual { name, value } => {
            if name
                .as_bytes()
                .first()
                .is_none_or(|b| !(0x20..0x7f).contains(b))
            {
                return Err(EncodeError::InvalidCode("part header name"));
            }
            wsp::put_token_text(out, name.as_bytes(), "part header name")?;
            wsp::put_text_value(out, value.as_bytes(), "part header value")
        }
    }
}
