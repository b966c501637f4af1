//! The WBXML decoder: a recursive descent over the tokens, charging the work budget for every
//! token (steps), element and text node (nodes), attribute (attributes) and text handed on
//! (output, borrowed or not).

use super::{Attribute, CodePages, Document, Element, Node, Value, WbxmlLimits, token};
use crate::budget::{Budget, Limit};
use crate::pdu::error::{DecodeError, DecodeErrorKind};
use crate::pdu::reader::Reader;
use std::borrow::Cow;

/// Reads an mb_u_int32 (the WBXML name for a uintvar).
fn mb_u_int32(r: &mut Reader<'_>) -> Result<u32, DecodeError> {
    crate::pdu::wsp::uintvar(r)
}

struct Decoder<'a, 'p> {
    strtbl: &'a [u8],
    strtbl_base: usize,
    pages: &'p dyn CodePages,
    limits: &'p WbxmlLimits,
    budget: Budget,
    tag_page: u8,
    attr_page: u8,
    charset: u32,
}

impl<'a> Decoder<'a, '_> {
    fn charge(&mut self, limit: Limit, n: usize, r: &Reader<'_>) -> Result<(), DecodeError> {
        self.budget.charge(limit, n as u64, r.offset())
    }

    /// Text handed on: counted as output whether it is borrowed or converted.
    fn text(&mut self, b: &'a [u8], r: &Reader<'_>) -> Result<Cow<'a, str>, DecodeError> {
        self.charge(Limit::Output, b.len(), r)?;
        Ok(crate::pdu::Charset(if self.charset == 0 { 106 } else { self.charset }).decode(b))
    }

    fn name(&mut self, s: &'static str, r: &Reader<'_>) -> Result<Cow<'a, str>, DecodeError> {
        self.charge(Limit::Output, s.len(), r)?;
        Ok(Cow::Borrowed(s))
    }

    fn table_string(&mut self, r: &Reader<'_>, index: u32) -> Result<Cow<'a, str>, DecodeError> {
        let i = index as usize;
        let tail = self.strtbl.get(i..).ok_or_else(|| {
            DecodeError::new(
                r.offset(),
                DecodeErrorKind::LengthOverrun {
                    declared: u64::from(index),
                    remaining: self.strtbl.len() as u64,
                },
            )
        })?;
        let end = tail.iter().position(|&b| b == 0).ok_or_else(|| {
            DecodeError::new(
                self.strtbl_base.saturating_add(i),
                DecodeErrorKind::UnterminatedString,
            )
        })?;
        self.text(tail.get(..end).unwrap_or(&[]), r)
    }

    fn inline(&mut self, r: &mut Reader<'a>) -> Result<Cow<'a, str>, DecodeError> {
        let b = r.until_nul()?;
        self.text(b, r)
    }

    fn opaque(&mut self, r: &mut Reader<'a>) -> Result<&'a [u8], DecodeError> {
        let at = r.offset();
        let len = mb_u_int32(r)? as usize;
        if len > self.limits.max_opaque {
            return Err(DecodeError::new(
                at,
                DecodeErrorKind::TooLarge {
                    size: len as u64,
                    limit: self.limits.max_opaque as u64,
                },
            ));
        }
        let o = r.take(len)?;
        self.charge(Limit::Output, o.len(), r)?;
        Ok(o)
    }

    fn switch(&mut self, r: &mut Reader<'_>, tags: bool) -> Result<(), DecodeError> {
        let page = r.u8()?;
        if tags {
            self.tag_page = page;
        } else {
            self.attr_page = page;
        }
        Ok(())
    }

    /// Reads a value piece for tokens shared by content and attribute values; `None` when the
    /// token is not one of them.
    fn shared_value(
        &mut self,
        r: &mut Reader<'a>,
        t: u8,
    ) -> Result<Option<Value<'a>>, DecodeError> {
        Ok(Some(match t {
            token::STR_I | token::EXT_I_0..=token::EXT_I_2 => Value::Text(self.inline(r)?),
            token::STR_T | token::EXT_T_0..=token::EXT_T_2 => {
                let i = mb_u_int32(r)?;
                Value::Text(self.table_string(r, i)?)
            }
            token::ENTITY => {
                let at = r.offset();
                let c = mb_u_int32(r)?;
                // Only characters XML allows: a NUL or a control character could not be
                // written back (inline strings end at NUL) nor shown safely.
                let xml_char = |ch: &char| {
                    matches!(*ch, '\t' | '\n' | '\r')
                        || (*ch >= ' ' && !matches!(*ch, '\u{fffe}' | '\u{ffff}'))
                };
                let ch = char::from_u32(c).filter(xml_char).ok_or_else(|| {
                    DecodeError::new(
                        at,
                        DecodeErrorKind::InvalidOctet {
                            what: "entity",
                            octet: 0,
                        },
                    )
                })?;
                self.charge(Limit::Output, ch.len_utf8(), r)?;
                Value::Text(Cow::Owned(ch.to_string()))
            }
            token::OPAQUE => Value::Opaque(self.opaque(r)?),
            token::EXT_0..=token::EXT_2 => Value::Text(Cow::Borrowed("")),
            _ => return Ok(None),
        }))
    }

    fn value_before_attribute(at: usize, t: u8) -> DecodeError {
        DecodeError::new(
            at,
            DecodeErrorKind::InvalidOctet {
                what: "attribute value before attribute",
                octet: t,
            },
        )
    }

    fn attributes(&mut self, r: &mut Reader<'a>) -> Result<Vec<Attribute<'a>>, DecodeError> {
        let mut attrs: Vec<Attribute<'a>> = Vec::new();
        loop {
            let at = r.offset();
            let t = r.u8()?;
            self.charge(Limit::Steps, 1, r)?;
            match t {
                token::END => return Ok(attrs),
                token::SWITCH_PAGE => self.switch(r, false)?,
                token::LITERAL => {
                    self.charge(Limit::Attributes, 1, r)?;
                    let i = mb_u_int32(r)?;
                    let name = self.table_string(r, i)?;
                    attrs.push(Attribute {
                        name,
                        value: Vec::new(),
                    });
                }
                0x05..=0x7f if !matches!(t, token::EXT_I_0..=token::LITERAL_C) => {
                    self.charge(Limit::Attributes, 1, r)?;
                    let (name, prefix) = match self.pages.attr_start(self.attr_page, t) {
                        Some((n, p)) => (self.name(n, r)?, self.name(p, r)?),
                        None => {
                            let n = format!("attr-{:02x}-{t:02x}", self.attr_page);
                            self.charge(Limit::Output, n.len(), r)?;
                            (Cow::Owned(n), Cow::Borrowed(""))
                        }
                    };
                    let mut value = Vec::new();
                    if !prefix.is_empty() {
                        value.push(Value::Text(prefix));
                    }
                    attrs.push(Attribute { name, value });
                }
                0x85..=0xff
                    if !matches!(
                        t,
                        token::OPAQUE | token::LITERAL_AC | token::EXT_0..=token::EXT_2
                    ) =>
                {
                    let v = self.pages.attr_value(self.attr_page, t).unwrap_or_default();
                    let v = self.name(v, r)?;
                    attrs
                        .last_mut()
                        .ok_or_else(|| Self::value_before_attribute(at, t))?
                        .value
                        .push(Value::Text(v));
                }
                _ => match self.shared_value(r, t)? {
                    Some(v) => attrs
                        .last_mut()
                        .ok_or_else(|| Self::value_before_attribute(at, t))?
                        .value
                        .push(v),
                    None => {
                        return Err(DecodeError::new(
                            at,
                            DecodeErrorKind::InvalidOctet {
                                what: "attribute token",
                                octet: t,
                            },
                        ));
                    }
                },
            }
        }
    }

    fn element(
        &mut self,
        r: &mut Reader<'a>,
        t: u8,
        depth: usize,
    ) -> Result<Element<'a>, DecodeError> {
        if depth > self.limits.max_depth {
            return Err(r.err(DecodeErrorKind::TooDeep(self.limits.max_depth)));
        }
        self.charge(Limit::Nodes, 1, r)?;
        let id = t & 0x3f;
        let name = if matches!(
            t,
            token::LITERAL | token::LITERAL_A | token::LITERAL_C | token::LITERAL_AC
        ) {
            let i = mb_u_int32(r)?;
            self.table_string(r, i)?
        } else {
            match self.pages.tag(self.tag_page, id) {
                Some(n) => self.name(n, r)?,
                None => {
                    let n = format!("tag-{:02x}-{id:02x}", self.tag_page);
                    self.charge(Limit::Output, n.len(), r)?;
                    Cow::Owned(n)
                }
            }
        };
        let attributes = if t & 0x80 != 0 {
            self.attributes(r)?
        } else {
            Vec::new()
        };
        let mut children = Vec::new();
        if t & 0x40 != 0 {
            loop {
                let at = r.offset();
                let c = r.u8()?;
                self.charge(Limit::Steps, 1, r)?;
                match c {
                    token::END => break,
                    token::SWITCH_PAGE => self.switch(r, true)?,
                    token::PI => {
                        // Processing instruction: attribute list syntax, ignored.
                        self.attributes(r)?;
                    }
                    _ => {
                        if let Some(v) = self.shared_value(r, c)? {
                            self.charge(Limit::Nodes, 1, r)?;
                            children.push(Node::Value(v));
                        } else if c & 0x3f >= 0x04 {
                            children.push(Node::Element(self.element(
                                r,
                                c,
                                depth.saturating_add(1),
                            )?));
                        } else {
                            return Err(DecodeError::new(
                                at,
                                DecodeErrorKind::InvalidOctet {
                                    what: "content token",
                                    octet: c,
                                },
                            ));
                        }
                    }
                }
            }
        }
        Ok(Element {
            name,
            attributes,
            children,
        })
    }
}

/// Decodes a WBXML document with the given code pages, under the work budget of
/// `limits.kind`.
pub fn decode<'a>(
    input: &'a [u8],
    pages: &dyn CodePages,
    limits: &WbxmlLimits,
) -> Result<Document<'a>, DecodeError> {
    if input.len() > limits.max_size {
        return Err(DecodeError::new(
            0,
            DecodeErrorKind::TooLarge {
                size: input.len() as u64,
                limit: limits.max_size as u64,
            },
        ));
    }
    let mut r = Reader::new(input);
    let version = r.u8()?;
    if version > 0x03 {
        return Err(DecodeError::new(
            0,
            DecodeErrorKind::InvalidOctet {
                what: "WBXML version",
                octet: version,
            },
        ));
    }
    let mut public_id = mb_u_int32(&mut r)?;
    let mut public_id_index = None;
    if public_id == 0 {
        public_id_index = Some(mb_u_int32(&mut r)?);
    }
    let charset = if version == 0 {
        106
    } else {
        mb_u_int32(&mut r)?
    };
    let strtbl_len = mb_u_int32(&mut r)? as usize;
    let strtbl_base = r.offset();
    let strtbl = r.take(strtbl_len)?;
    let mut d = Decoder {
        strtbl,
        strtbl_base,
        pages,
        limits,
        budget: Budget::for_input(limits.kind, input.len()),
        tag_page: 0,
        attr_page: 0,
        charset,
    };
    let public_id_text = match public_id_index {
        Some(i) => {
            public_id = 0;
            Some(d.table_string(&r, i)?)
        }
        None => None,
    };
    // Processing instructions may precede the root element.
    let root = loop {
        let at = r.offset();
        let t = r.u8()?;
        d.charge(Limit::Steps, 1, &r)?;
        match t {
            token::SWITCH_PAGE => d.switch(&mut r, true)?,
            token::PI => {
                d.attributes(&mut r)?;
            }
            _ if t & 0x3f >= 0x04 => break d.element(&mut r, t, 0)?,
            _ => {
                return Err(DecodeError::new(
                    at,
                    DecodeErrorKind::InvalidOctet {
                        what: "root element token",
                        octet: t,
                    },
                ));
            }
        }
    };
    // After the root only processing instructions may follow.
    while !r.is_empty() {
        let at = r.offset();
        if r.u8()? != token::PI {
            return Err(DecodeError::new(
                at,
                DecodeErrorKind::TrailingBytes(r.remaining() as u64 + 1),
            ));
        }
        d.attributes(&mut r)?;
    }
    Ok(Document {
        version,
        public_id,
        public_id_text,
        charset,
        root,
    })
}
