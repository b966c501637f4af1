//! Content-type values (WAP-230 8.4.2.24): a constrained media (well-known code or
//! extension-media text) or the general form (Value-length, media, parameters), and the
//! parameters with their well-known codes (type, start, charset, name, filename, ...).

use super::Limits;
use super::charset::Charset;
use super::error::{DecodeError, DecodeErrorKind, EncodeError};
use super::reader::Reader;
use super::text::Text;
use super::wsp;
use std::borrow::Cow;
use std::fmt;

/// The well-known content types of WAP-230 table 40 / OMNA, by code.
pub const WELL_KNOWN_MEDIA: &[&str] = &[
    "*/*",
    "text/*",
    "text/html",
    "text/plain",
    "text/x-hdml",
    "text/x-ttml",
    "text/x-vCalendar",
    "text/x-vCard",
    "text/vnd.wap.wml",
    "text/vnd.wap.wmlscript",
    "text/vnd.wap.wta-event",
    "multipart/*",
    "multipart/mixed",
    "multipart/form-data",
    "multipart/byterantes",
    "multipart/alternative",
    "application/*",
    "application/java-vm",
    "application/x-www-form-urlencoded",
    "application/x-hdmlc",
    "application/vnd.wap.wmlc",
    "application/vnd.wap.wmlscriptc",
    "application/vnd.wap.wta-eventc",
    "application/vnd.wap.uaprof",
    "application/vnd.wap.wtls-ca-certificate",
    "application/vnd.wap.wtls-user-certificate",
    "application/x-x509-ca-cert",
    "application/x-x509-user-cert",
    "image/*",
    "image/gif",
    "image/jpeg",
    "image/tiff",
    "image/png",
    "image/vnd.wap.wbmp",
    "application/vnd.wap.multipart.*",
    "application/vnd.wap.multipart.mixed",
    "application/vnd.wap.multipart.form-data",
    "application/vnd.wap.multipart.byteranges",
    "application/vnd.wap.multipart.alternative",
    "application/xml",
    "text/xml",
    "application/vnd.wap.wbxml",
    "application/x-x968-cross-cert",
    "application/x-x968-ca-cert",
    "application/x-x968-user-cert",
    "text/vnd.wap.si",
    "application/vnd.wap.sic",
    "text/vnd.wap.sl",
    "application/vnd.wap.slc",
    "text/vnd.wap.co",
    "application/vnd.wap.coc",
    "application/vnd.wap.multipart.related",
    "application/vnd.wap.sia",
    "text/vnd.wap.connectivity-xml",
    "application/vnd.wap.connectivity-wbxml",
    "application/pkcs7-mime",
    "application/vnd.wap.hashed-certificate",
    "application/vnd.wap.signed-certificate",
    "application/vnd.wap.cert-response",
    "application/xhtml+xml",
    "application/wml+xml",
    "text/css",
    "application/vnd.wap.mms-message",
    "application/vnd.wap.rollover-certificate",
    "application/vnd.wap.locc+wbxml",
    "application/vnd.wap.loc+xml",
    "application/vnd.syncml.dm+wbxml",
    "application/vnd.syncml.dm+xml",
    "application/vnd.syncml.notification",
    "application/vnd.wap.xhtml+xml",
    "application/vnd.wv.csp.cir",
    "application/vnd.oma.dd+xml",
    "application/vnd.oma.drm.message",
    "application/vnd.oma.drm.content",
    "application/vnd.oma.drm.rights+xml",
    "application/vnd.oma.drm.rights+wbxml",
    "application/vnd.wv.csp+xml",
    "application/vnd.wv.csp+wbxml",
    "application/vnd.syncml.ds.notification",
    "audio/*",
    "video/*",
    "application/vnd.oma.dd2+xml",
    "application/mikey",
    "application/vnd.oma.dcd",
];

/// Well-known code of `application/vnd.wap.multipart.mixed`.
pub const MULTIPART_MIXED: u8 = 0x23;
/// Well-known code of `application/vnd.wap.multipart.related`.
pub const MULTIPART_RELATED: u8 = 0x33;
/// Well-known code of `application/vnd.wap.multipart.alternative`.
pub const MULTIPART_ALTERNATIVE: u8 = 0x26;
/// Well-known code of `application/vnd.wap.mms-message`.
pub const MMS_MESSAGE: u8 = 0x3e;

/// Looks up the well-known code of a media type (case-insensitive).
pub fn well_known_code(name: &str) -> Option<u8> {
    WELL_KNOWN_MEDIA
        .iter()
        .position(|m| m.eq_ignore_ascii_case(name))
        .and_then(|i| u8::try_from(i).ok())
}

/// A media type: a well-known code or an extension-media text.
#[derive(Clone, PartialEq, Eq, Hash)]
pub enum MediaType<'a> {
    /// A well-known code (0x00..=0x7f), kept even when this version has no name for it.
    WellKnown(u8),
    /// A textual media type.
    Text(Text<'a>),
}

impl<'a> MediaType<'a> {
    /// The media type's name, lowercased; `None` for an unknown well-known code.
    pub fn name(&self) -> Option<Cow<'_, str>> {
        match self {
            MediaType::WellKnown(c) => WELL_KNOWN_MEDIA
                .get(usize::from(*c))
                .map(|s| Cow::Owned(s.to_ascii_lowercase())),
            MediaType::Text(t) => Some(Cow::Owned(t.to_str_lossy().trim().to_ascii_lowercase())),
        }
    }

    /// The name, or `application/x-wsp-0xNN` for unknown well-known codes.
    pub fn display_name(&self) -> String {
        match self.name() {
            Some(n) => n.into_owned(),
            None => match self {
                MediaType::WellKnown(c) => format!("application/x-wsp-0x{c:02x}"),
                MediaType::Text(_) => String::new(),
            },
        }
    }

    /// True for any multipart type (`multipart/*` or `application/vnd.wap.multipart.*`).
    pub fn is_multipart(&self) -> bool {
        match self {
            MediaType::WellKnown(c) => matches!(c, 0x0b..=0x0f | 0x22..=0x26 | 0x33),
            MediaType::Text(t) => {
                let b = t.as_bytes();
                starts_with_ignore_case(b, b"multipart/")
                    || starts_with_ignore_case(b, b"application/vnd.wap.multipart.")
            }
        }
    }

    /// True when this is the named type (case-insensitive; well-known codes compare by name).
    pub fn is(&self, name: &str) -> bool {
        match self {
            MediaType::WellKnown(c) => WELL_KNOWN_MEDIA
                .get(usize::from(*c))
                .is_some_and(|m| m.eq_ignore_ascii_case(name)),
            MediaType::Text(t) => t.as_bytes().eq_ignore_ascii_case(name.as_bytes()),
        }
    }

    /// A media type from its name: the well-known code when there is one, else text.
    pub fn from_name(name: &str) -> MediaType<'static> {
        match well_known_code(name) {
            Some(c) => MediaType::WellKnown(c),
            None => MediaType::Text(Text(Cow::Owned(name.as_bytes().to_vec()))),
        }
    }

    /// The same value owning its octets.
    pub fn into_owned(self) -> MediaType<'static> {
        match self {
            MediaType::WellKnown(c) => MediaType::WellKnown(c),
            MediaType::Text(t) => MediaType::Text(t.into_owned()),
        }
    }
}

fn starts_with_ignore_case(s: &[u8], prefix: &[u8]) -> bool {
    s.get(..prefix.len())
        .is_some_and(|h| h.eq_ignore_ascii_case(prefix))
}

impl fmt::Debug for MediaType<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.display_name())
    }
}

/// Well-known parameter codes (WAP-230 table 38).
pub mod param {
    /// Q
    pub const Q: u8 = 0x00;
    /// Charset
    pub const CHARSET: u8 = 0x01;
    /// Level
    pub const LEVEL: u8 = 0x02;
    /// Type (Integer-value)
    pub const TYPE_INT: u8 = 0x03;
    /// Name (deprecated Text-string form)
    pub const NAME_OLD: u8 = 0x05;
    /// Filename (deprecated Text-string form)
    pub const FILENAME_OLD: u8 = 0x06;
    /// Differences
    pub const DIFFERENCES: u8 = 0x07;
    /// Padding
    pub const PADDING: u8 = 0x08;
    /// Type (multipart/related: Constrained-encoding)
    pub const TYPE: u8 = 0x09;
    /// Start (deprecated Text-string form)
    pub const START_OLD: u8 = 0x0a;
    /// Start-info (deprecated)
    pub const START_INFO_OLD: u8 = 0x0b;
    /// SEC (OMA provisioning security method)
    pub const SEC: u8 = 0x11;
    /// MAC (OMA provisioning MAC)
    pub const MAC: u8 = 0x12;
    /// Name
    pub const NAME: u8 = 0x17;
    /// Filename
    pub const FILENAME: u8 = 0x18;
    /// Start
    pub const START: u8 = 0x19;
    /// Start-info
    pub const START_INFO: u8 = 0x1a;
}

/// The name of a parameter: a well-known code or a token text.
#[derive(Clone, PartialEq, Eq, Hash, Debug)]
pub enum ParamName<'a> {
    /// A well-known code (0x00..=0x7f).
    WellKnown(u8),
    /// A token text (untyped parameter).
    Text(Text<'a>),
}

impl ParamName<'_> {
    /// A readable name.
    pub fn label(&self) -> Cow<'_, str> {
        match self {
            ParamName::WellKnown(c) => Cow::Borrowed(match *c {
                param::Q => "q",
                param::CHARSET => "charset",
                param::LEVEL => "level",
                param::TYPE_INT | param::TYPE => "type",
                param::NAME_OLD | param::NAME => "name",
                param::FILENAME_OLD | param::FILENAME => "filename",
                param::DIFFERENCES => "differences",
                param::PADDING => "padding",
                param::START_OLD | param::START => "start",
                param::START_INFO_OLD | param::START_INFO => "start-info",
                param::SEC => "SEC",
                param::MAC => "MAC",
                _ => "unknown",
            }),
            ParamName::Text(t) => t.to_str_lossy(),
        }
    }
}

/// The value of a parameter.
#[derive(Clone, PartialEq, Eq, Hash, Debug)]
pub enum ParamValue<'a> {
    /// A text value.
    Text(Text<'a>),
    /// An integer value.
    Integer(u64),
    /// A charset (the `charset` parameter).
    Charset(Charset),
    /// A media type (the multipart/related `type` parameter).
    Media(MediaType<'a>),
}

impl ParamValue<'_> {
    /// A readable rendering of the value.
    pub fn display(&self) -> String {
        match self {
            ParamValue::Text(t) => t.to_str_lossy().into_owned(),
            ParamValue::Integer(i) => i.to_string(),
            ParamValue::Charset(c) => c.to_string(),
            ParamValue::Media(m) => m.display_name(),
        }
    }
}

/// One content-type parameter.
#[derive(Clone, PartialEq, Eq, Hash, Debug)]
pub struct Param<'a> {
    /// The name.
    pub name: ParamName<'a>,
    /// The value.
    pub value: ParamValue<'a>,
}

impl Param<'_> {
    /// The same parameter owning its octets.
    pub fn into_owned(self) -> Param<'static> {
        Param {
            name: match self.name {
                ParamName::WellKnown(c) => ParamName::WellKnown(c),
                ParamName::Text(t) => ParamName::Text(t.into_owned()),
            },
            value: match self.value {
                ParamValue::Text(t) => ParamValue::Text(t.into_owned()),
                ParamValue::Integer(i) => ParamValue::Integer(i),
                ParamValue::Charset(c) => ParamValue::Charset(c),
                ParamValue::Media(m) => ParamValue::Media(m.into_owned()),
            },
        }
    }
}

/// A content type: media type and parameters, in wire order.
#[derive(Clone, PartialEq, Eq, Hash, Debug)]
pub struct ContentType<'a> {
    /// The media type.
    pub media: MediaType<'a>,
    /// The parameters.
    pub params: Vec<Param<'a>>,
}

impl<'a> ContentType<'a> {
    /// A content type without parameters.
    pub fn new(media: MediaType<'a>) -> Self {
        Self {
            media,
            params: Vec::new(),
        }
    }

    /// A content type from a media name (well-known code when there is one).
    pub fn named(name: &str) -> ContentType<'static> {
        ContentType::new(MediaType::from_name(name))
    }

    /// Adds a parameter (builder style).
    pub fn with(mut self, name: u8, value: ParamValue<'a>) -> Self {
        self.params.push(Param {
            name: ParamName::WellKnown(name),
            value,
        });
        self
    }

    fn find(&self, pred: impl Fn(&ParamName<'_>) -> bool) -> Option<&ParamValue<'a>> {
        self.params.iter().find(|p| pred(&p.name)).map(|p| &p.value)
    }

    fn find_text(&self, codes: &[u8], name: &str) -> Option<Cow<'_, str>> {
        self.find(|n| match n {
            ParamName::WellKnown(c) => codes.contains(c),
            ParamName::Text(t) => t.as_bytes().eq_ignore_ascii_case(name.as_bytes()),
        })
        .and_then(|v| match v {
            ParamValue::Text(t) => Some(t.to_str_lossy()),
            ParamValue::Media(m) => m.name(),
            _ => None,
        })
    }

    /// The `charset` parameter (well-known or textual).
    pub fn charset(&self) -> Option<Charset> {
        self.find(|n| match n {
            ParamName::WellKnown(c) => *c == param::CHARSET,
            ParamName::Text(t) => t.as_bytes().eq_ignore_ascii_case(b"charset"),
        })
        .and_then(|v| match v {
            ParamValue::Charset(c) => Some(*c),
            ParamValue::Integer(i) => u32::try_from(*i).ok().map(Charset),
            ParamValue::Text(t) => Charset::from_name(&t.to_str_lossy()),
            ParamValue::Media(_) => None,
        })
    }

    /// The `start` parameter of multipart/related.
    pub fn start(&self) -> Option<Cow<'_, str>> {
        self.find_text(&[param::START, param::START_OLD], "start")
    }

    /// The `type` parameter of multipart/related.
    pub fn root_type(&self) -> Option<Cow<'_, str>> {
        self.find_text(&[param::TYPE], "type")
    }

    /// The `name` parameter.
    pub fn name(&self) -> Option<Cow<'_, str>> {
        self.find_text(&[param::NAME, param::NAME_OLD], "name")
    }

    /// The `filename` parameter.
    pub fn filename(&self) -> Option<Cow<'_, str>> {
        self.find_text(&[param::FILENAME, param::FILENAME_OLD], "filename")
    }

    /// A parameter by well-known code.
    pub fn param(&self, code: u8) -> Option<&ParamValue<'a>> {
        self.find(|n| *n == ParamName::WellKnown(code))
    }

    /// A parameter by well-known code or by its textual name (compared without case), as
    /// encoders write either form.
    pub fn param_named(&self, code: u8, name: &str) -> Option<&ParamValue<'a>> {
        self.find(|n| match n {
            ParamName::WellKnown(c) => *c == code,
            ParamName::Text(t) => t.as_bytes().eq_ignore_ascii_case(name.as_bytes()),
        })
    }

    /// The same value owning its octets.
    pub fn into_owned(self) -> ContentType<'static> {
        ContentType {
            media: self.media.into_owned(),
            params: self.params.into_iter().map(Param::into_owned).collect(),
        }
    }
}

impl fmt::Display for ContentType<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.media.display_name())?;
        for p in &self.params {
            write!(f, "; {}={}", p.name.label(), p.value.display())?;
        }
        Ok(())
    }
}

/// Decodes a Content-type-value.
pub fn decode_content_type<'a>(
    r: &mut Reader<'a>,
    limits: &Limits,
) -> Result<ContentType<'a>, DecodeError> {
    let b = r.peek()?;
    match b {
        0x80..=0xff => {
            r.u8()?;
            Ok(ContentType::new(MediaType::WellKnown(b & 0x7f)))
        }
        0x20..=0x7f => {
            let t = wsp::text_string(r)?;
            Ok(ContentType::new(MediaType::Text(Text::borrowed(t))))
        }
        _ => {
            let mut w = wsp::value_window(r)?;
            let media = decode_media(&mut w)?;
            let params = decode_params(&mut w, limits)?;
            Ok(ContentType { media, params })
        }
    }
}

fn decode_media<'a>(r: &mut Reader<'a>) -> Result<MediaType<'a>, DecodeError> {
    let b = r.peek()?;
    if b >= 0x80 {
        r.u8()?;
        return Ok(MediaType::WellKnown(b & 0x7f));
    }
    if b < 0x20 {
        // Well-known-media as Integer-value in Long-integer form.
        let v = wsp::long_integer(r)?;
        return u8::try_from(v)
            .ok()
            .filter(|v| *v < 0x80)
            .map(MediaType::WellKnown)
            .ok_or_else(|| {
                r.err(DecodeErrorKind::InvalidOctet {
                    what: "well-known media",
                    octet: b,
                })
            });
    }
    Ok(MediaType::Text(Text::borrowed(wsp::text_string(r)?)))
}

/// Decodes parameters until the window ends.
pub fn decode_params<'a>(
    r: &mut Reader<'a>,
    limits: &Limits,
) -> Result<Vec<Param<'a>>, DecodeError> {
    let mut params = Vec::new();
    while !r.is_empty() {
        if params.len() >= limits.max_params {
            return Err(r.err(DecodeErrorKind::TooManyParams(limits.max_params)));
        }
        params.push(decode_param(r)?);
    }
    Ok(params)
}

fn decode_param<'a>(r: &mut Reader<'a>) -> Result<Param<'a>, DecodeError> {
    let b = r.peek()?;
    if (0x20..0x80).contains(&b) {
        // Untyped parameter: Token-text name, Untyped-value (Integer-value or Text-value).
        let name = ParamName::Text(Text::borrowed(wsp::token_text(r)?));
        let v = r.peek()?;
        let value = if v >= 0x80 || (1..0x1f).contains(&v) {
            ParamValue::Integer(wsp::integer_value(r)?)
        } else {
            ParamValue::Text(Text::borrowed(wsp::quoted_or_text(r)?))
        };
        return Ok(Param { name, value });
    }
    let code_at = r.offset();
    let code = wsp::integer_value(r)?;
    let code = u8::try_from(code)
        .ok()
        .filter(|c| *c < 0x80)
        .ok_or_else(|| {
            DecodeError::new(
                code_at,
                DecodeErrorKind::InvalidOctet {
                    what: "parameter code",
                    octet: b,
                },
            )
        })?;
    let value = match code {
        param::CHARSET => {
            let v = r.peek()?;
            if (0x20..0x80).contains(&v) || v == 0 {
                let t = wsp::quoted_or_text(r)?;
                match std::str::from_utf8(t).ok().and_then(Charset::from_name) {
                    Some(c) => ParamValue::Charset(c),
                    None => ParamValue::Text(Text::borrowed(t)),
                }
            } else {
                let at = r.offset();
                let n = wsp::integer_value(r)?;
                ParamValue::Charset(Charset(u32::try_from(n).map_err(|_| {
                    DecodeError::new(
                        at,
                        DecodeErrorKind::InvalidOctet {
                            what: "charset",
                            octet: v,
                        },
                    )
                })?))
            }
        }
        // Constrained-encoding (WAP-230 8.4.2.1); Kannel-based MMSCs write a Quoted-string
        // here, whose quote (and a closing one, where given) is not part of the type.
        param::TYPE if r.peek()? == wsp::QUOTED_STRING => {
            let t = wsp::quoted_or_text(r)?;
            let t = t.strip_suffix(b"\"").unwrap_or(t);
            ParamValue::Media(MediaType::Text(Text::borrowed(t)))
        }
        param::TYPE => ParamValue::Media(decode_media(r)?),
        param::Q | param::LEVEL | param::TYPE_INT | param::PADDING | param::SEC => {
            let v = r.peek()?;
            // A text where an integer belongs, or No-value (0x00, an empty text).
            if (0x20..0x80).contains(&v) || v == 0 {
                ParamValue::Text(Text::borrowed(wsp::quoted_or_text(r)?))
            } else {
                ParamValue::Integer(wsp::integer_value(r)?)
            }
        }
        _ => {
            let v = r.peek()?;
            if v >= 0x80 || (v > 0 && v <= 30) {
                ParamValue::Integer(wsp::integer_value(r)?)
            } else {
                ParamValue::Text(Text::borrowed(wsp::quoted_or_text(r)?))
            }
        }
    };
    Ok(Param {
        name: ParamName::WellKnown(code),
        value,
    })
}

fn encode_media(out: &mut Vec<u8>, m: &MediaType<'_>) -> Result<(), EncodeError> {
    match m {
        MediaType::WellKnown(c) => wsp::put_short_integer(out, *c, "media type"),
        // An empty text would read as Value-length 0: write it as Quote + NUL.
        MediaType::Text(t) if t.is_empty() => {
            out.extend_from_slice(&[wsp::QUOTE, 0]);
            Ok(())
        }
        MediaType::Text(t) => wsp::put_text_string(out, t.as_bytes(), "media type"),
    }
}

/// Encodes a Content-type-value: the short form when there are no parameters, else the
/// general form with a Value-length.
pub fn encode_content_type(out: &mut Vec<u8>, ct: &ContentType<'_>) -> Result<(), EncodeError> {
    if ct.params.is_empty() {
        return encode_media(out, &ct.media);
    }
    let mut body = Vec::with_capacity(32);
    encode_media(&mut body, &ct.media)?;
    encode_params(&mut body, &ct.params)?;
    wsp::put_with_length(out, &body, "content type")
}

/// Encodes parameters one after the other (no framing).
pub fn encode_params(out: &mut Vec<u8>, params: &[Param<'_>]) -> Result<(), EncodeError> {
    params.iter().try_for_each(|p| encode_param(out, p))
}

fn encode_param(out: &mut Vec<u8>, p: &Param<'_>) -> Result<(), EncodeError> {
    match &p.name {
        ParamName::WellKnown(c) => wsp::put_short_integer(out, *c, "parameter code")?,
        ParamName::Text(t) => {
            if t.is_empty()
                || t.as_bytes()
                    .first()
                    .is_some_and(|b| *b < 0x20 || *b >= 0x80)
            {
                return Err(EncodeError::InvalidCode("parameter name"));
            }
            wsp::put_token_text(out, t.as_bytes(), "parameter name")?
        }
    }
    match &p.value {
        ParamValue::Text(t) => wsp::put_text_value(out, t.as_bytes(), "parameter value"),
        ParamValue::Integer(i) => {
            wsp::put_integer_value(out, *i);
            Ok(())
        }
        ParamValue::Charset(c) => {
            wsp::put_integer_value(out, u64::from(c.0));
            Ok(())
        }
        ParamValue::Media(m) => encode_media(out, m),
    }
}
