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

/// What a decode hands on, in document order: the element tree ([`TreeSink`]) or a model built
/// straight from the events (the provisioning document), so that no tree need be built and
/// dropped on the way to it.
pub(crate) trait Sink<'a> {
    /// An element starts (its attributes, if any, follow).
    fn open(&mut self, name: Cow<'a, str>);
    /// An attribute of the open element starts; its value pieces follow.
    fn attribute(&mut self, name: Cow<'a, str>);
    /// A piece of the last attribute's value.
    fn attribute_value(&mut self, value: Value<'a>);
    /// The open element's attributes are complete (called for every element).
    fn attributes_end(&mut self);
    /// Text or opaque content of the open element.
    fn content(&mut self, value: Value<'a>);
    /// The open element ends.
    fn close(&mut self);
}

/// Takes the attributes of processing instructions, which are read and ignored.
struct Discard;

impl<'a> Sink<'a> for Discard {
    fn open(&mut self, _: Cow<'a, str>) {}
    fn attribute(&mut self, _: Cow<'a, str>) {}
    fn attribute_value(&mut self, _: Value<'a>) {}
    fn attributes_end(&mut self) {}
    fn content(&mut self, _: Value<'a>) {}
    fn close(&mut self) {}
}

/// Builds the element tree of [`decode`].
#[derive(Default)]
struct TreeSink<'a> {
    open: Vec<Element<'a>>,
    root: Option<Element<'a>>,
}

impl<'a> Sink<'a> for TreeSink<'a> {
    fn open(&mut self, name: Cow<'a, str>) {
        self.open.push(Element {
            name,
            attributes: Vec::new(),
            children: Vec::new(),
        });
    }

    fn attribute(&mut self, name: Cow<'a, str>) {
        if let Some(e) = self.open.last_mut() {
            e.attributes.push(Attribute {
                name,
                value: Vec::new(),
            });
        }
    }

    fn attribute_value(&mut self, value: Value<'a>) {
        if let Some(a) = self.open.last_mut().and_then(|e| e.attributes.last_mut()) {
            a.value.push(value);
        }
    }

    fn attributes_end(&mut self) {}

    fn content(&mut self, value: Value<'a>) {
        if let Some(e) = self.open.last_mut() {
            e.children.push(Node::Value(value));
        }
    }

    fn close(&mut self) {
        let Some(done) = self.open.pop() else {
            return;
        };
        match self.open.last_mut() {
            Some(parent) => parent.children.push(Node::Element(done)),
            None => self.root = Some(done),
        }
    }
}

/// The decoder state. Generic over the code pages so that a caller that knows its pages (the
/// provisioning document) gets its lookups inlined; [`decode`] uses `dyn CodePages`.
struct Decoder<'a, 'p, P: CodePages + ?Sized> {
    strtbl: &'a [u8],
    strtbl_base: usize,
    pages: &'p P,
    limits: &'p WbxmlLimits,
    budget: Budget,
    tag_page: u8,
    attr_page: u8,
    charset: u32,
}

impl<'a, P: CodePages + ?Sized> Decoder<'a, '_, P> {
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

    fn attributes<S: Sink<'a>>(
        &mut self,
        r: &mut Reader<'a>,
        sink: &mut S,
    ) -> Result<(), DecodeError> {
        let mut started = false;
        loop {
            let at = r.offset();
            let t = r.u8()?;
            self.charge(Limit::Steps, 1, r)?;
            match t {
                token::END => return Ok(()),
                token::SWITCH_PAGE => self.switch(r, false)?,
                token::LITERAL => {
                    self.charge(Limit::Attributes, 1, r)?;
                    let i = mb_u_int32(r)?;
                    let name = self.table_string(r, i)?;
                    sink.attribute(name);
                    started = true;
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
                    sink.attribute(name);
                    if !prefix.is_empty() {
                        sink.attribute_value(Value::Text(prefix));
                    }
                    started = true;
                }
                0x85..=0xff
                    if !matches!(
                        t,
                        token::OPAQUE | token::LITERAL_AC | token::EXT_0..=token::EXT_2
                    ) =>
                {
                    let v = self.pages.attr_value(self.attr_page, t).unwrap_or_default();
                    let v = self.name(v, r)?;
                    if !started {
                        return Err(Self::value_before_attribute(at, t));
                    }
                    sink.attribute_value(Value::Text(v));
                }
                _ => match self.shared_value(r, t)? {
                    Some(_) if !started => return Err(Self::value_before_attribute(at, t)),
                    Some(v) => sink.attribute_value(v),
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

    fn element<S: Sink<'a>>(
        &mut self,
        r: &mut Reader<'a>,
        t: u8,
        depth: usize,
        sink: &mut S,
    ) -> Result<(), DecodeError> {
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
        sink.open(name);
        if t & 0x80 != 0 {
            self.attributes(r, sink)?;
        }
        sink.attributes_end();
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
                        self.attributes(r, &mut Discard)?;
                    }
                    _ => {
                        if let Some(v) = self.shared_value(r, c)? {
                            self.charge(Limit::Nodes, 1, r)?;
                            sink.content(v);
                        } else if c & 0x3f >= 0x04 {
                            self.element(r, c, depth.saturating_add(1), sink)?;
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
        sink.close();
        Ok(())
    }
}

/// The header of a decoded document (its root went to the sink).
pub(crate) struct Head<'a> {
    /// WBXML version octet.
    pub version: u8,
    /// Well-known public identifier (0 when given as a string).
    pub public_id: u32,
    /// Public identifier given as a string-table reference.
    pub public_id_text: Option<Cow<'a, str>>,
    /// Charset MIBenum.
    pub charset: u32,
}

/// Decodes a WBXML document with the given code pages, under the work budget of
/// `limits.kind`.
pub fn decode<'a>(
    input: &'a [u8],
    pages: &dyn CodePages,
    limits: &WbxmlLimits,
) -> Result<Document<'a>, DecodeError> {
    let mut tree = TreeSink::default();
    let head = decode_into(input, pages, limits, &mut tree)?;
    // A decode that returned Ok closed its root element.
    let root = tree.root.ok_or_else(|| {
        DecodeError::new(
            input.len(),
            DecodeErrorKind::UnexpectedEnd {
                needed: 1,
                available: 0,
            },
        )
    })?;
    Ok(Document {
        version: head.version,
        public_id: head.public_id,
        public_id_text: head.public_id_text,
        charset: head.charset,
        root,
    })
}

/// [`decode`], handing the document to `sink` as it is read; the same bounds, budget and
/// errors.
pub(crate) fn decode_into<'a, S: Sink<'a>, P: CodePages + ?Sized>(
    input: &'a [u8],
    pages: &P,
    limits: &WbxmlLimits,
    sink: &mut S,
) -> Result<Head<'a>, DecodeError> {
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
    loop {
        let at = r.offset();
        let t = r.u8()?;
        d.charge(Limit::Steps, 1, &r)?;
        match t {
            token::SWITCH_PAGE => d.switch(&mut r, true)?,
            token::PI => {
                d.attributes(&mut r, &mut Discard)?;
            }
            _ if t & 0x3f >= 0x04 => break d.element(&mut r, t, 0, sink)?,
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
    }
    // After the root only processing instructions may follow.
    while !r.is_empty() {
        let at = r.offset();
        if r.u8()? != token::PI {
            return Err(DecodeError::new(
                at,
                DecodeErrorKind::TrailingBytes(r.remaining() as u64 + 1),
            ));
        }
        d.attributes(&mut r, &mut Discard)?;
    }
    Ok(Head {
        version,
        public_id,
        public_id_text,
        charset,
    })
}
