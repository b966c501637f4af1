//! The provisioning document model (OMA ProvCont 1.1): characteristics with their parms,
//! nested, from WBXML (both code pages) or from the XML form (for tests and the CLI).

use super::pages::ProvPages;
use crate::budget::InputKind;
use crate::pdu::error::{DecodeError, DecodeErrorKind};
use crate::secret::Secret;
use crate::wbxml::{self, WbxmlLimits};
use crate::xml::{self, XmlLimits};
use serde::Serialize;
use std::borrow::Cow;

/// Parms whose value is a secret (passwords and authentication data).
pub const SECRET_PARMS: [&str; 6] = [
    "AUTHSECRET",
    "PXAUTH-PW",
    "BASAUTH-PW",
    "AAUTHSECRET",
    "PROXY-PW",
    "AAUTHDATA",
];

/// A parm's value: plain text, or a secret that is zeroized and never shown. Plain text is
/// borrowed from the decoded input where it was one string there.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(untagged)]
pub enum ParmValue<'a> {
    /// An ordinary value.
    Plain(Cow<'a, str>),
    /// A password or other authentication data (redacted in `Debug`, JSON and XML).
    Secret(Secret),
}

impl ParmValue<'_> {
    /// The value for the code that must use it (the WBXML encoder, settings extraction).
    pub fn expose(&self) -> &str {
        match self {
            ParmValue::Plain(s) => s,
            ParmValue::Secret(s) => s.expose(),
        }
    }

    /// The value owning its text.
    pub fn into_owned(self) -> ParmValue<'static> {
        match self {
            ParmValue::Plain(s) => ParmValue::Plain(Cow::Owned(s.into_owned())),
            ParmValue::Secret(s) => ParmValue::Secret(s),
        }
    }
}

/// A parm: a name and an optional value.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Parm<'a> {
    /// Name (`ADDR`, `NAP-ADDRESS`, ...).
    pub name: Cow<'a, str>,
    /// Value.
    pub value: Option<ParmValue<'a>>,
}

impl<'a> Parm<'a> {
    /// A parm; the value of a secret parm ([`SECRET_PARMS`]) is kept as a [`Secret`].
    pub fn new(name: impl Into<Cow<'a, str>>, value: Option<Cow<'a, str>>) -> Self {
        let name = name.into();
        let secret = SECRET_PARMS.iter().any(|s| s.eq_ignore_ascii_case(&name));
        let value = value.map(|v| {
            if secret {
                ParmValue::Secret(Secret::new(v.into_owned()))
            } else {
                ParmValue::Plain(v)
            }
        });
        Self { name, value }
    }

    /// True for parms whose value is a secret (passwords): never logged or shown.
    pub fn is_secret(&self) -> bool {
        matches!(self.value, Some(ParmValue::Secret(_)))
    }

    /// The plain value (`None` for a secret).
    pub fn plain(&self) -> Option<&str> {
        match &self.value {
            Some(ParmValue::Plain(s)) => Some(s),
            _ => None,
        }
    }

    /// The parm owning its text.
    pub fn into_owned(self) -> Parm<'static> {
        Parm {
            name: Cow::Owned(self.name.into_owned()),
            value: self.value.map(ParmValue::into_owned),
        }
    }
}

/// A characteristic: its type, parms and nested characteristics.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Characteristic<'a> {
    /// Type (`BOOTSTRAP`, `PXLOGICAL`, `PXPHYSICAL`, `NAPDEF`, `APPLICATION`, `RESOURCE`...).
    pub kind: Cow<'a, str>,
    /// Parms in order.
    pub parms: Vec<Parm<'a>>,
    /// Nested characteristics.
    pub children: Vec<Characteristic<'a>>,
}

impl<'a> Characteristic<'a> {
    /// The first plain value of parm `name` (case-insensitive); secrets are read with
    /// [`Characteristic::secret`].
    pub fn parm(&self, name: &str) -> Option<&str> {
        self.parms
            .iter()
            .find(|p| p.name.eq_ignore_ascii_case(name))
            .and_then(Parm::plain)
    }

    /// The first secret value of parm `name` (case-insensitive).
    pub fn secret(&self, name: &str) -> Option<&Secret> {
        self.parms
            .iter()
            .find(|p| p.name.eq_ignore_ascii_case(name))
            .and_then(|p| match &p.value {
                Some(ParmValue::Secret(s)) => Some(s),
                _ => None,
            })
    }

    /// All plain values of parm `name`.
    pub fn parms_named<'s>(&'s self, name: &'s str) -> impl Iterator<Item = &'s str> + 's {
        self.parms
            .iter()
            .filter(move |p| p.name.eq_ignore_ascii_case(name))
            .filter_map(Parm::plain)
    }

    /// Nested characteristics of a type.
    pub fn children_of<'s>(
        &'s self,
        kind: &'s str,
    ) -> impl Iterator<Item = &'s Characteristic<'a>> + 's {
        self.children
            .iter()
            .filter(move |c| c.kind.eq_ignore_ascii_case(kind))
    }

    /// The characteristic owning its text.
    pub fn into_owned(self) -> Characteristic<'static> {
        Characteristic {
            kind: Cow::Owned(self.kind.into_owned()),
            parms: self.parms.into_iter().map(Parm::into_owned).collect(),
            children: self
                .children
                .into_iter()
                .map(Characteristic::into_owned)
                .collect(),
        }
    }
}

/// A provisioning document. Decoded from WBXML, its text is borrowed from the input wherever
/// the input held it as one string; [`ProvisioningDoc::into_owned`] detaches it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ProvisioningDoc<'a> {
    /// The `version` attribute.
    pub version: Option<Cow<'a, str>>,
    /// Top-level characteristics in order.
    pub characteristics: Vec<Characteristic<'a>>,
}

impl<'a> ProvisioningDoc<'a> {
    /// Top-level characteristics of a type.
    pub fn of_kind<'s>(
        &'s self,
        kind: &'s str,
    ) -> impl Iterator<Item = &'s Characteristic<'a>> + 's {
        self.characteristics
            .iter()
            .filter(move |c| c.kind.eq_ignore_ascii_case(kind))
    }

    /// The document owning its text (to keep it after the input is gone).
    pub fn into_owned(self) -> ProvisioningDoc<'static> {
        ProvisioningDoc {
            version: self.version.map(|v| Cow::Owned(v.into_owned())),
            characteristics: self
                .characteristics
                .into_iter()
                .map(Characteristic::into_owned)
                .collect(),
        }
    }

    /// Renders the document as XML (secrets redacted).
    pub fn to_xml(&self) -> String {
        fn ch(c: &Characteristic<'_>, depth: usize, s: &mut String) {
            let pad = "  ".repeat(depth);
            s.push_str(&format!(
                "{pad}<characteristic type=\"{}\">\n",
                esc(&c.kind)
            ));
            for p in &c.parms {
                let v = match &p.value {
                    Some(ParmValue::Secret(_)) => Some("********".to_string()),
                    Some(ParmValue::Plain(v)) => Some(v.to_string()),
                    None => None,
                };
                match v {
                    Some(v) => s.push_str(&format!(
                        "{pad}  <parm name=\"{}\" value=\"{}\"/>\n",
                        esc(&p.name),
                        esc(&v)
                    )),
                    None => s.push_str(&format!("{pad}  <parm name=\"{}\"/>\n", esc(&p.name))),
                }
            }
            for k in &c.children {
                ch(k, depth + 1, s);
            }
            s.push_str(&format!("{pad}</characteristic>\n"));
        }
        let mut s = format!(
            "<wap-provisioningdoc{}>\n",
            self.version
                .as_ref()
                .map(|v| format!(" version=\"{}\"", esc(v)))
                .unwrap_or_default()
        );
        for c in &self.characteristics {
            ch(c, 1, &mut s);
        }
        s.push_str("</wap-provisioningdoc>\n");
        s
    }
}

fn esc(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('"', "&quot;")
        .replace('<', "&lt;")
}

pub(super) fn bad(what: &'static str) -> DecodeError {
    DecodeError::new(0, DecodeErrorKind::InvalidOctet { what, octet: 0 })
}

/// Most characteristics in one document.
pub const MAX_CHARACTERISTICS: usize = 512;

/// Decodes a WBXML provisioning document (OTA-7: under the provisioning work budget, typed
/// errors), building the document as the decoder reads it.
pub fn decode_wbxml(body: &[u8]) -> Result<ProvisioningDoc<'_>, DecodeError> {
    let mut sink = super::from_wbxml::DocSink::default();
    wbxml::decode_into(
        body,
        &ProvPages,
        &WbxmlLimits::of(InputKind::Provisioning),
        &mut sink,
    )?;
    sink.finish()
}

/// Parses the XML form of a provisioning document (under the XML bounds of [`crate::xml`]; a
/// document type declaration naming the ProvCont DTD is allowed, an internal subset is not).
pub fn parse_xml(xml: &str) -> Result<ProvisioningDoc<'static>, String> {
    let limits = XmlLimits {
        external_doctype: true,
        ..XmlLimits::default()
    };
    let doc = xml::parse(xml, &limits).map_err(|e| e.to_string())?;
    let root = doc.root_element();
    if root.tag_name().name() != "wap-provisioningdoc" {
        return Err("root element is not wap-provisioningdoc".into());
    }
    fn ch(n: roxmltree::Node<'_, '_>, depth: usize) -> Result<Characteristic<'static>, String> {
        if depth > 16 {
            return Err("nested too deep".into());
        }
        let mut c = Characteristic {
            kind: n
                .attribute("type")
                .ok_or("characteristic without type")?
                .to_string()
                .into(),
            parms: Vec::new(),
            children: Vec::new(),
        };
        for k in n.children().filter(|k| k.is_element()) {
            match k.tag_name().name() {
                "parm" => c.parms.push(Parm::new(
                    k.attribute("name").ok_or("parm without name")?.to_string(),
                    k.attribute("value").map(|v| Cow::Owned(v.to_string())),
                )),
                "characteristic" => c.children.push(ch(k, depth + 1)?),
                other => return Err(format!("unexpected element {other}")),
            }
        }
        Ok(c)
    }
    Ok(ProvisioningDoc {
        version: root.attribute("version").map(|v| Cow::Owned(v.to_string())),
        characteristics: root
            .children()
            .filter(|k| k.is_element())
            .map(|k| ch(k, 0))
            .collect::<Result<Vec<_>, _>>()?,
    })
}

/// Encodes a document as WBXML (version 1.3, public id 0x0B, UTF-8, no string table), using
/// the generic `type`, `name` and `value` attribute tokens with inline strings. For tests,
/// the mock MMSC, the demo and the attacker toolkit.
pub fn encode_wbxml(doc: &ProvisioningDoc<'_>) -> Vec<u8> {
    /// A text value as inline strings. A leading U+FEFF would be read back as a byte-order mark
    /// and dropped, so each one is written as an entity (the fuzzer found a type of two marks
    /// that lost one per round trip).
    fn s(out: &mut Vec<u8>, v: &str) {
        let rest = v.trim_start_matches('\u{feff}');
        for _ in 0..(v.len() - rest.len()) / '\u{feff}'.len_utf8() {
            out.push(0x02);
            crate::pdu::wsp::put_uintvar(out, 0xfeff);
        }
        out.push(0x03);
        out.extend(rest.bytes().filter(|b| *b != 0));
        out.push(0x00);
    }
    fn ch(out: &mut Vec<u8>, c: &Characteristic<'_>) {
        let has_content = !c.parms.is_empty() || !c.children.is_empty();
        out.push(0x06 | 0x80 | if has_content { 0x40 } else { 0 });
        out.push(0x50);
        s(out, &c.kind);
        out.push(0x01);
        for p in &c.parms {
            out.push(0x07 | 0x80);
            out.push(0x05);
            s(out, &p.name);
            if let Some(v) = &p.value {
                out.push(0x06);
                s(out, v.expose());
            }
            out.push(0x01);
        }
        for k in &c.children {
            ch(out, k);
        }
        if has_content {
            out.push(0x01);
        }
    }
    let mut out = vec![0x03, 0x0b, 0x6a, 0x00];
    let has_content = !doc.characteristics.is_empty();
    out.push(
        0x05 | if has_content { 0x40 } else { 0 } | if doc.version.is_some() { 0x80 } else { 0 },
    );
    if let Some(v) = &doc.version {
        out.push(0x45);
        s(&mut out, v);
        out.push(0x01);
    }
    for c in &doc.characteristics {
        ch(&mut out, c);
    }
    if has_content {
        out.push(0x01);
    }
    out
}
