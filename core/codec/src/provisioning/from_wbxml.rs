//! The provisioning document built straight from the WBXML decoder's events: no element tree
//! is built and dropped on the way (that tree and its conversion were most of the time a
//! verification took). The result, error included, is what converting the tree would give:
//! WBXML errors first, then the first structural problem in document order
//! (`tests/codec/provisioning_stream.rs` holds the two to each other). A value the input holds
//! as one string (an inline string, a string-table entry, a code page's word) is borrowed from
//! it; only values made of several pieces are copied together.

use super::document::{Characteristic, MAX_CHARACTERISTICS, Parm, ProvisioningDoc, bad};
use crate::pdu::error::{DecodeError, DecodeErrorKind};
use crate::wbxml::{Sink, Value};
use std::borrow::Cow;
use std::fmt::Write as _;

/// An element being read.
enum Frame<'a> {
    /// `wap-provisioningdoc`.
    Root,
    /// A characteristic, its type not yet known to be present.
    Characteristic {
        kind: Option<Cow<'a, str>>,
        parms: Vec<Parm<'a>>,
        children: Vec<Characteristic<'a>>,
    },
    /// A parm.
    Parm {
        name: Option<Cow<'a, str>>,
        value: Option<Cow<'a, str>>,
    },
    /// Anything inside a parm: not part of the document.
    Ignored,
}

/// Which value the attribute being read fills.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Target {
    Version,
    Kind,
    Name,
    Value,
}

/// Builds a [`ProvisioningDoc`] from decoder events.
#[derive(Default)]
pub(super) struct DocSink<'a> {
    open: Vec<Frame<'a>>,
    version: Option<Cow<'a, str>>,
    characteristics: Vec<Characteristic<'a>>,
    count: usize,
    target: Option<Target>,
    /// The first structural problem; everything after it is ignored.
    error: Option<DecodeError>,
}

impl<'a> DocSink<'a> {
    /// The document, or the first structural problem the events showed.
    pub(super) fn finish(self) -> Result<ProvisioningDoc<'a>, DecodeError> {
        match self.error {
            Some(e) => Err(e),
            None => Ok(ProvisioningDoc {
                version: self.version,
                characteristics: self.characteristics,
            }),
        }
    }

    fn fail(&mut self, e: DecodeError) {
        if self.error.is_none() {
            self.error = Some(e);
        }
    }

    fn characteristic(&mut self) -> Option<Frame<'a>> {
        self.count += 1;
        if self.count > MAX_CHARACTERISTICS {
            self.fail(DecodeError::new(
                0,
                DecodeErrorKind::TooManyParts(MAX_CHARACTERISTICS),
            ));
            return None;
        }
        Some(Frame::Characteristic {
            kind: None,
            parms: Vec::new(),
            children: Vec::new(),
        })
    }

    /// The string the current attribute fills.
    fn slot(&mut self) -> Option<&mut Cow<'a, str>> {
        let target = self.target?;
        match (target, self.open.last_mut()?) {
            (Target::Version, Frame::Root) => self.version.as_mut(),
            (Target::Kind, Frame::Characteristic { kind, .. }) => kind.as_mut(),
            (Target::Name, Frame::Parm { name, .. }) => name.as_mut(),
            (Target::Value, Frame::Parm { value, .. }) => value.as_mut(),
            _ => None,
        }
    }
}

impl<'a> Sink<'a> for DocSink<'a> {
    fn open(&mut self, name: Cow<'a, str>) {
        if self.error.is_some() {
            return;
        }
        let frame = match self.open.last() {
            None if name == "wap-provisioningdoc" => Some(Frame::Root),
            None => {
                self.fail(bad("provisioning root element"));
                None
            }
            Some(Frame::Root) if name == "characteristic" => self.characteristic(),
            Some(Frame::Root) => {
                self.fail(bad("unexpected element in wap-provisioningdoc"));
                None
            }
            Some(Frame::Characteristic { .. }) => match name.as_ref() {
                "parm" => Some(Frame::Parm {
                    name: None,
                    value: None,
                }),
                "characteristic" => self.characteristic(),
                _ => {
                    self.fail(bad("unexpected element in characteristic"));
                    None
                }
            },
            Some(Frame::Parm { .. } | Frame::Ignored) => Some(Frame::Ignored),
        };
        if let Some(f) = frame {
            self.open.push(f);
        }
    }

    fn attribute(&mut self, name: Cow<'a, str>) {
        self.target = None;
        if self.error.is_some() {
            return;
        }
        let is = |n: &str| name.eq_ignore_ascii_case(n);
        // The first attribute of a name is the one read, as `Element::attr` finds it.
        let (target, slot) = match self.open.last_mut() {
            Some(Frame::Root) if is("version") => (Target::Version, &mut self.version),
            Some(Frame::Characteristic { kind, .. }) if is("type") => (Target::Kind, kind),
            Some(Frame::Parm { name, .. }) if is("name") => (Target::Name, name),
            Some(Frame::Parm { value, .. }) if is("value") => (Target::Value, value),
            _ => return,
        };
        if slot.is_none() {
            *slot = Some(Cow::Borrowed(""));
            self.target = Some(target);
        }
    }

    fn attribute_value(&mut self, value: Value<'a>) {
        if self.error.is_some() {
            return;
        }
        let Some(s) = self.slot() else {
            return;
        };
        match value {
            // The first piece is kept as it came (borrowed when the input held it).
            Value::Text(t) if s.is_empty() => *s = t,
            Value::Text(t) => s.to_mut().push_str(&t),
            Value::Opaque(o) => {
                let s = s.to_mut();
                s.reserve(o.len().saturating_mul(2));
                for b in o {
                    // Writing to a String cannot fail.
                    let _ = write!(s, "{b:02x}");
                }
            }
        }
    }

    fn attributes_end(&mut self) {
        self.target = None;
        if self.error.is_some() {
            return;
        }
        match self.open.last() {
            Some(Frame::Characteristic { kind: None, .. }) => {
                self.fail(bad("characteristic without type"));
            }
            Some(Frame::Parm { name: None, .. }) => self.fail(bad("parm without name")),
            _ => {}
        }
    }

    fn content(&mut self, _: Value<'a>) {}

    fn close(&mut self) {
        if self.error.is_some() {
            return;
        }
        let Some(done) = self.open.pop() else {
            return;
        };
        match done {
            Frame::Characteristic {
                kind: Some(kind),
                parms,
                children,
            } => {
                let c = Characteristic {
                    kind,
                    parms,
                    children,
                };
                match self.open.last_mut() {
                    Some(Frame::Characteristic { children, .. }) => children.push(c),
                    _ => self.characteristics.push(c),
                }
            }
            Frame::Parm {
                name: Some(name),
                value,
            } => {
                if let Some(Frame::Characteristic { parms, .. }) = self.open.last_mut() {
                    parms.push(Parm::new(name, value));
                }
            }
            _ => {}
        }
    }
}
