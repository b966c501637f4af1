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

/// A characteristic being read, its type not yet known to be present.
struct Open<'a> {
    kind: Option<Cow<'a, str>>,
    parms: Vec<Parm<'a>>,
    children: Vec<Characteristic<'a>>,
}

/// A parm being read.
struct OpenParm<'a> {
    name: Option<Cow<'a, str>>,
    value: Option<Cow<'a, str>>,
}

/// Which value the attribute being read fills.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Target {
    Version,
    Kind,
    Name,
    Value,
}

/// The element a new event belongs to (the innermost one open).
enum Top {
    /// Nothing is open.
    Nothing,
    /// `wap-provisioningdoc`.
    Root,
    /// A characteristic.
    Characteristic,
    /// A parm.
    Parm,
    /// Anything inside a parm: not part of the document.
    Ignored,
}

/// Builds a [`ProvisioningDoc`] from decoder events. What is open is always the root, then
/// characteristics, then at most one parm and whatever a parm holds (ignored), so it is kept
/// in that shape: a parm or an ignored element is never pushed onto a stack (a parm is most of
/// a document's elements).
#[derive(Default)]
pub(super) struct DocSink<'a> {
    root_open: bool,
    open: Vec<Open<'a>>,
    parm: Option<OpenParm<'a>>,
    /// Elements open inside the parm.
    ignored: usize,
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

    fn top(&self) -> Top {
        if self.ignored > 0 {
            Top::Ignored
        } else if self.parm.is_some() {
            Top::Parm
        } else if !self.open.is_empty() {
            Top::Characteristic
        } else if self.root_open {
            Top::Root
        } else {
            Top::Nothing
        }
    }

    fn characteristic(&mut self) {
        self.count += 1;
        if self.count > MAX_CHARACTERISTICS {
            self.fail(DecodeError::new(
                0,
                DecodeErrorKind::TooManyParts(MAX_CHARACTERISTICS),
            ));
            return;
        }
        self.open.push(Open {
            kind: None,
            parms: Vec::new(),
            children: Vec::new(),
        });
    }

    /// The string the current attribute fills.
    fn slot(&mut self) -> Option<&mut Cow<'a, str>> {
        let target = self.target?;
        if self.ignored > 0 {
            return None;
        }
        match (target, self.parm.as_mut(), self.open.last_mut()) {
            (Target::Version, None, None) if self.root_open => self.version.as_mut(),
            (Target::Kind, None, Some(c)) => c.kind.as_mut(),
            (Target::Name, Some(p), _) => p.name.as_mut(),
            (Target::Value, Some(p), _) => p.value.as_mut(),
            _ => None,
        }
    }
}

impl<'a> Sink<'a> for DocSink<'a> {
    fn open(&mut self, name: Cow<'a, str>) {
        if self.error.is_some() {
            return;
        }
        match self.top() {
            Top::Nothing if name == "wap-provisioningdoc" => self.root_open = true,
            Top::Nothing => self.fail(bad("provisioning root element")),
            Top::Root if name == "characteristic" => self.characteristic(),
            Top::Root => self.fail(bad("unexpected element in wap-provisioningdoc")),
            Top::Characteristic => match name.as_ref() {
                "parm" => {
                    self.parm = Some(OpenParm {
                        name: None,
                        value: None,
                    });
                }
                "characteristic" => self.characteristic(),
                _ => self.fail(bad("unexpected element in characteristic")),
            },
            Top::Parm | Top::Ignored => self.ignored += 1,
        }
    }

    // Inlined into the decoder: called for every attribute, and handing the name or value over
    // through memory stalled on reading it back (`perf annotate`); inlined, the Chunghwa
    // document's decode took 11% less time.
    #[inline(always)]
    fn attribute(&mut self, name: Cow<'a, str>) {
        self.target = None;
        if self.error.is_some() {
            return;
        }
        let is = |n: &str| name.eq_ignore_ascii_case(n);
        // The first attribute of a name is the one read, as `Element::attr` finds it.
        let (target, slot) = match self.top() {
            Top::Root if is("version") => (Target::Version, &mut self.version),
            Top::Characteristic if is("type") => match self.open.last_mut() {
                Some(c) => (Target::Kind, &mut c.kind),
                None => return,
            },
            Top::Parm if is("name") => match self.parm.as_mut() {
                Some(p) => (Target::Name, &mut p.name),
                None => return,
            },
            Top::Parm if is("value") => match self.parm.as_mut() {
                Some(p) => (Target::Value, &mut p.value),
                None => return,
            },
            _ => return,
        };
        if slot.is_none() {
            *slot = Some(Cow::Borrowed(""));
            self.target = Some(target);
        }
    }

    // Inlined for the same reason as `attribute`.
    #[inline(always)]
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
        match self.top() {
            Top::Characteristic if self.open.last().is_some_and(|c| c.kind.is_none()) => {
                self.fail(bad("characteristic without type"));
            }
            Top::Parm if self.parm.as_ref().is_some_and(|p| p.name.is_none()) => {
                self.fail(bad("parm without name"));
            }
            _ => {}
        }
    }

    fn content(&mut self, _: Value<'a>) {}

    fn close(&mut self) {
        if self.error.is_some() {
            return;
        }
        match self.top() {
            Top::Nothing => {}
            Top::Root => self.root_open = false,
            Top::Ignored => self.ignored -= 1,
            Top::Parm => {
                if let Some(OpenParm {
                    name: Some(name),
                    value,
                }) = self.parm.take()
                {
                    if let Some(c) = self.open.last_mut() {
                        c.parms.push(Parm::new(name, value));
                    }
                }
            }
            Top::Characteristic => {
                if let Some(Open {
                    kind: Some(kind),
                    parms,
                    children,
                }) = self.open.pop()
                {
                    let c = Characteristic {
                        kind,
                        parms,
                        children,
                    };
                    match self.open.last_mut() {
                        Some(parent) => parent.children.push(c),
                        None => self.characteristics.push(c),
                    }
                }
            }
        }
    }
}
