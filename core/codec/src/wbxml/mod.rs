//! A generic WBXML decoder (WAP-192): version, public id, charset, string table, tags with
//! attributes, code pages, inline and table strings, opaque data and entities, into a small
//! element tree named through code-page tables ([`CodePages`]). Bounded: nesting depth, node
//! count, string-table references and opaque sizes are checked before use; every failure is a
//! typed error with the byte offset (PUSH-8, OTA-7).

pub mod pages;

use crate::pdu::error::{DecodeError, DecodeErrorKind};
use crate::pdu::reader::Reader;
use serde::Serialize;

/// Tokens of the global code space.
mod token {
    pub const SWITCH_PAGE: u8 = 0x00;
    pub const END: u8 = 0x01;
    pub const ENTITY: u8 = 0x02;
    pub const STR_I: u8 = 0x03;
    pub const LITERAL: u8 = 0x04;
    pub const EXT_I_0: u8 = 0x40;
    pub const EXT_I_2: u8 = 0x42;
    pub const PI: u8 = 0x43;
    pub const LITERAL_C: u8 = 0x44;
    pub const EXT_T_0: u8 = 0x80;
    pub const EXT_T_2: u8 = 0x82;
    pub const STR_T: u8 = 0x83;
    pub const LITERAL_A: u8 = 0x84;
    pub const EXT_0: u8 = 0xc0;
    pub const EXT_2: u8 = 0xc2;
    pub const OPAQUE: u8 = 0xc3;
    pub const LITERAL_AC: u8 = 0xc4;
}

/// Bounds on a WBXML decode.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WbxmlLimits {
    /// Largest document.
    pub max_size: usize,
    /// Deepest element nesting.
    pub max_depth: usize,
    /// Most elements, attributes and text nodes together.
    pub max_nodes: usize,
    /// Largest opaque datum.
    pub max_opaque: usize,
}

impl Default for WbxmlLimits {
    fn default() -> Self {
        Self {
            max_size: 64 * 1024,
            max_depth: 24,
            max_nodes: 8192,
            max_opaque: 16 * 1024,
        }
    }
}

/// Names for tokens of one WBXML application (SI, SL, provisioning).
pub trait CodePages {
    /// The tag name of `token` (low 6 bits) on `page`.
    fn tag(&self, page: u8, token: u8) -> Option<&'static str>;
    /// The attribute name and value prefix of attribute-start `token` on `page`.
    fn attr_start(&self, page: u8, token: u8) -> Option<(&'static str, &'static str)>;
    /// The text of attribute-value `token` (>= 0x80) on `page`.
    fn attr_value(&self, page: u8, token: u8) -> Option<&'static str>;
}

/// One piece of an attribute value or element content.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub enum Value {
    /// Text (inline, from the string table, or from tokens).
    Text(String),
    /// Opaque data.
    Opaque(Vec<u8>),
}

/// An attribute: its name and value pieces in order.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Attribute {
    /// The name.
    pub name: String,
    /// The value pieces (the attribute-start prefix is the first text piece when non-empty).
    pub value: Vec<Value>,
}

impl Attribute {
    /// The value as text (opaque pieces rendered as hex).
    pub fn text(&self) -> String {
        let mut s = String::new();
        for v in &self.value {
            match v {
                Value::Text(t) => s.push_str(t),
                Value::Opaque(o) => o.iter().for_each(|b| s.push_str(&format!("{b:02x}"))),
            }
        }
        s
    }

    /// The opaque bytes of the value, if it is a single opaque piece.
    pub fn opaque(&self) -> Option<&[u8]> {
        match self.value.as_slice() {
            [Value::Opaque(o)] => Some(o),
            _ => None,
        }
    }
}

/// A content node.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub enum Node {
    /// A child element.
    Element(Element),
    /// Text or opaque content.
    Value(Value),
}

/// An element.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Element {
    /// The tag name (from the code pages, or `tag-PP-TT`, or a LITERAL name).
    pub name: String,
    /// The attributes in order.
    pub attributes: Vec<Attribute>,
    /// The content.
    pub children: Vec<Node>,
}

impl Element {
    /// The first attribute named `name`.
    pub fn attr(&self, name: &str) -> Option<&Attribute> {
        self.attributes
            .iter()
            .find(|a| a.name.eq_ignore_ascii_case(name))
    }

    /// Child elements.
    pub fn elements(&self) -> impl Iterator<Item = &Element> {
        self.children.iter().filter_map(|c| match c {
            Node::Element(e) => Some(e),
            Node::Value(_) => None,
        })
    }

    /// The text content (direct text children joined).
    pub fn text(&self) -> String {
        self.children
            .iter()
            .filter_map(|c| match c {
                Node::Value(Value::Text(t)) => Some(t.as_str()),
                _ => None,
            })
            .collect()
    }

    /// Renders the element as XML (for tests, tools and the CLI).
    pub fn to_xml(&self) -> String {
        let mut s = String::new();
        self.write_xml(&mut s, 0);
        s
    }

    fn write_xml(&self, s: &mut String, indent: usize) {
        s.push_str(&"  ".repeat(indent));
        s.push('<');
        s.push_str(&self.name);
        for a in &self.attributes {
            s.push_str(&format!(" {}=\"{}\"", a.name, xml_escape(&a.text())));
        }
        if self.children.is_empty() {
            s.push_str("/>\n");
            return;
        }
        s.push_str(">\n");
        for c in &self.children {
            match c {
                Node::Element(e) => e.write_xml(s, indent + 1),
                Node::Value(Value::Text(t)) => {
                    s.push_str(&"  ".repeat(indent + 1));
                    s.push_str(&xml_escape(t));
                    s.push('\n');
                }
                Node::Value(Value::Opaque(o)) => {
                    s.push_str(&"  ".repeat(indent + 1));
                    s.push_str(&format!("<!-- opaque {} octets -->\n", o.len()));
                }
            }
        }
        s.push_str(&"  ".repeat(indent));
        s.push_str(&format!("</{}>\n", self.name));
    }
}

fn xml_escape(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

/// A decoded WBXML document.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Document {
    /// WBXML version octet.
    pub version: u8,
    /// Well-known public identifier (0 when given as a string).
    pub public_id: u32,
    /// Public identifier given as a string-table reference.
    pub public_id_text: Option<String>,
    /// Charset MIBenum.
    pub charset: u32,
    /// The root element.
    pub root: Element,
}

/// Reads an mb_u_int32 (the WBXML name for a uintvar).
fn mb_u_int32(r: &mut Reader<'_>) -> Result<u32, DecodeError> {
    crate::pdu::wsp::uintvar(r)
}

struct Decoder<'a, 'p> {
    strtbl: &'a [u8],
    strtbl_base: usize,
    pages: &'p dyn CodePages,
    limits: &'p WbxmlLimits,
    tag_page: u8,
    attr_page: u8,
    nodes: usize,
    charset: u32,
}

impl<'a> Decoder<'a, '_> {
    fn count(&mut self, r: &Reader<'_>) -> Result<(), DecodeError> {
        self.nodes = self.nodes.saturating_add(1);
        if self.nodes > self.limits.max_nodes {
            return Err(r.err(DecodeErrorKind::TooManyHeaders(self.limits.max_nodes)));
        }
        Ok(())
    }

    fn text(&self, b: &[u8]) -> String {
        crate::pdu::Charset(if self.charset == 0 { 106 } else { self.charset })
            .decode(b)
            .into_owned()
    }

    fn table_string(&self, r: &Reader<'_>, index: u32) -> Result<String, DecodeError> {
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
        Ok(self.text(tail.get(..end).unwrap_or(&[])))
    }

    fn inline(&self, r: &mut Reader<'_>) -> Result<String, DecodeError> {
        Ok(self.text(r.until_nul()?))
    }

    fn opaque(&self, r: &mut Reader<'a>) -> Result<Vec<u8>, DecodeError> {
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
        Ok(r.take(len)?.to_vec())
    }

    fn switch(r: &mut Reader<'_>, page: &mut u8) -> Result<(), DecodeError> {
        *page = r.u8()?;
        Ok(())
    }

    /// Reads a value piece for tokens shared by content and attribute values; `None` when the
    /// token is not one of them.
    fn shared_value(&mut self, r: &mut Reader<'a>, t: u8) -> Result<Option<Value>, DecodeError> {
        Ok(Some(match t {
            token::STR_I => Value::Text(self.inline(r)?),
            token::STR_T => {
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
                Value::Text(ch.to_string())
            }
            token::OPAQUE => Value::Opaque(self.opaque(r)?),
            token::EXT_I_0..=token::EXT_I_2 => Value::Text(self.inline(r)?),
            token::EXT_T_0..=token::EXT_T_2 => {
                let i = mb_u_int32(r)?;
                Value::Text(self.table_string(r, i)?)
            }
            token::EXT_0..=token::EXT_2 => Value::Text(String::new()),
            _ => return Ok(None),
        }))
    }

    fn attributes(&mut self, r: &mut Reader<'a>) -> Result<Vec<Attribute>, DecodeError> {
        let mut attrs: Vec<Attribute> = Vec::new();
        loop {
            let at = r.offset();
            let t = r.u8()?;
            match t {
                token::END => return Ok(attrs),
                token::SWITCH_PAGE => Self::switch(r, &mut self.attr_page)?,
                token::LITERAL => {
                    self.count(r)?;
                    let i = mb_u_int32(r)?;
                    attrs.push(Attribute {
                        name: self.table_string(r, i)?,
                        value: Vec::new(),
                    });
                }
                0x05..=0x7f if !matches!(t, token::EXT_I_0..=token::LITERAL_C) => {
                    self.count(r)?;
                    let (name, prefix) = self
                        .pages
                        .attr_start(self.attr_page, t)
                        .map(|(n, p)| (n.to_string(), p.to_string()))
                        .unwrap_or_else(|| {
                            (
                                format!("attr-{:02x}-{t:02x}", self.attr_page),
                                String::new(),
                            )
                        });
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
                    let v = self
                        .pages
                        .attr_value(self.attr_page, t)
                        .map(str::to_string)
                        .unwrap_or_default();
                    let last = attrs.last_mut().ok_or_else(|| {
                        DecodeError::new(
                            at,
                            DecodeErrorKind::InvalidOctet {
                                what: "attribute value before attribute",
                                octet: t,
                            },
                        )
                    })?;
                    last.value.push(Value::Text(v));
                }
                _ => match self.shared_value(r, t)? {
                    Some(v) => {
                        let last = attrs.last_mut().ok_or_else(|| {
                            DecodeError::new(
                                at,
                                DecodeErrorKind::InvalidOctet {
                                    what: "attribute value before attribute",
                                    octet: t,
                                },
                            )
                        })?;
                        last.value.push(v);
                    }
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

    fn element(&mut self, r: &mut Reader<'a>, t: u8, depth: usize) -> Result<Element, DecodeError> {
        if depth > self.limits.max_depth {
            return Err(r.err(DecodeErrorKind::TooDeep(self.limits.max_depth)));
        }
        self.count(r)?;
        let id = t & 0x3f;
        let name = if matches!(
            t,
            token::LITERAL | token::LITERAL_A | token::LITERAL_C | token::LITERAL_AC
        ) {
            let i = mb_u_int32(r)?;
            self.table_string(r, i)?
        } else {
            self.pages
                .tag(self.tag_page, id)
                .map(str::to_string)
                .unwrap_or_else(|| format!("tag-{:02x}-{id:02x}", self.tag_page))
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
                match c {
                    token::END => break,
                    token::SWITCH_PAGE => Self::switch(r, &mut self.tag_page)?,
                    token::PI => {
                        // Processing instruction: attribute list syntax, ignored.
                        self.attributes(r)?;
                    }
                    _ => {
                        if let Some(v) = self.shared_value(r, c)? {
                            self.count(r)?;
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

/// Decodes a WBXML document with the given code pages.
pub fn decode(
    input: &[u8],
    pages: &dyn CodePages,
    limits: &WbxmlLimits,
) -> Result<Document, DecodeError> {
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
        tag_page: 0,
        attr_page: 0,
        nodes: 0,
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
        match t {
            token::SWITCH_PAGE => Decoder::switch(&mut r, &mut d.tag_page)?,
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
