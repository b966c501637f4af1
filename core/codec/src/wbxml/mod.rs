//! A generic WBXML decoder (WAP-192): version, public id, charset, string table, tags with
//! attributes, code pages, inline and table strings, opaque data and entities, into a small
//! element tree named through code-page tables ([`CodePages`]), or, inside the crate, as events
//! to a sink that builds its own model (the provisioning document). The tree borrows from the input:
//! a string-table reference is a borrow of the table, not a copy, however often it is named.
//! Bounded: nesting depth, opaque sizes and string-table offsets are checked before use, and the
//! whole decode runs under the work budget of its input kind ([`crate::budget`]: every text it
//! hands on, borrowed or not, counts as output; every element, attribute and token counts);
//! every failure is a typed error with the byte offset (PUSH-8, OTA-7).

mod decode;
pub mod pages;

pub use decode::decode;
pub(crate) use decode::{Sink, decode_into};

use crate::budget::InputKind;
use serde::Serialize;
use std::borrow::Cow;

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

/// Bounds on a WBXML decode, besides the work budget of `kind`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WbxmlLimits {
    /// What the document is (its budget: see [`crate::budget`]).
    pub kind: InputKind,
    /// Largest document.
    pub max_size: usize,
    /// Deepest element nesting.
    pub max_depth: usize,
    /// Largest opaque datum.
    pub max_opaque: usize,
}

impl WbxmlLimits {
    /// The limits of a document of `kind`.
    pub fn of(kind: InputKind) -> Self {
        Self {
            kind,
            ..Self::default()
        }
    }
}

impl Default for WbxmlLimits {
    fn default() -> Self {
        Self {
            kind: InputKind::Push,
            max_size: 64 * 1024,
            max_depth: 24,
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

/// One piece of an attribute value or element content, borrowed from the input (or from the
/// code pages) where no charset conversion was needed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub enum Value<'a> {
    /// Text (inline, from the string table, or from tokens).
    Text(Cow<'a, str>),
    /// Opaque data.
    Opaque(&'a [u8]),
}

/// An attribute: its name and value pieces in order.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Attribute<'a> {
    /// The name.
    pub name: Cow<'a, str>,
    /// The value pieces (the attribute-start prefix is the first text piece when non-empty).
    pub value: Vec<Value<'a>>,
}

impl Attribute<'_> {
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
pub enum Node<'a> {
    /// A child element.
    Element(Element<'a>),
    /// Text or opaque content.
    Value(Value<'a>),
}

/// An element.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Element<'a> {
    /// The tag name (from the code pages, or `tag-PP-TT`, or a LITERAL name).
    pub name: Cow<'a, str>,
    /// The attributes in order.
    pub attributes: Vec<Attribute<'a>>,
    /// The content.
    pub children: Vec<Node<'a>>,
}

impl<'a> Element<'a> {
    /// The first attribute named `name`.
    pub fn attr(&self, name: &str) -> Option<&Attribute<'a>> {
        self.attributes
            .iter()
            .find(|a| a.name.eq_ignore_ascii_case(name))
    }

    /// Child elements.
    pub fn elements(&self) -> impl Iterator<Item = &Element<'a>> {
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
                Node::Value(Value::Text(t)) => Some(t.as_ref()),
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

/// A decoded WBXML document, borrowing from its input.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Document<'a> {
    /// WBXML version octet.
    pub version: u8,
    /// Well-known public identifier (0 when given as a string).
    pub public_id: u32,
    /// Public identifier given as a string-table reference.
    pub public_id_text: Option<Cow<'a, str>>,
    /// Charset MIBenum.
    pub charset: u32,
    /// The root element.
    pub root: Element<'a>,
}
