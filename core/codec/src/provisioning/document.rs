//! The provisioning document model (OMA ProvCont 1.1): characteristics with their parms,
//! nested, from WBXML (both code pages) or from the XML form (for tests and the CLI).

use super::pages::ProvPages;
use crate::pdu::error::{DecodeError, DecodeErrorKind};
use crate::wbxml::{self, Element, WbxmlLimits};
use serde::Serialize;

/// A parm: a name and an optional value.
#[derive(Clone, PartialEq, Eq, Serialize)]
pub struct Parm {
    /// Name (`ADDR`, `NAP-ADDRESS`, ...).
    pub name: String,
    /// Value.
    pub value: Option<String>,
}

impl Parm {
    /// True for parms whose value is a secret (passwords): never logged or shown.
    pub fn is_secret(&self) -> bool {
        matches!(
            self.name.to_ascii_uppercase().as_str(),
            "AUTHSECRET" | "PXAUTH-PW" | "BASAUTH-PW" | "AAUTHSECRET" | "PROXY-PW" | "AAUTHDATA"
        )
    }
}

impl std::fmt::Debug for Parm {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        if self.is_secret() {
            write!(f, "{}=<redacted>", self.name)
        } else {
            write!(f, "{}={:?}", self.name, self.value)
        }
    }
}

/// A characteristic: its type, parms and nested characteristics.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Characteristic {
    /// Type (`BOOTSTRAP`, `PXLOGICAL`, `PXPHYSICAL`, `NAPDEF`, `APPLICATION`, `RESOURCE`...).
    pub kind: String,
    /// Parms in order.
    pub parms: Vec<Parm>,
    /// Nested characteristics.
    pub children: Vec<Characteristic>,
}

impl Characteristic {
    /// The first value of parm `name` (case-insensitive).
    pub fn parm(&self, name: &str) -> Option<&str> {
        self.parms
            .iter()
            .find(|p| p.name.eq_ignore_ascii_case(name))
            .and_then(|p| p.value.as_deref())
    }

    /// All values of parm `name`.
    pub fn parms_named<'s>(&'s self, name: &'s str) -> impl Iterator<Item = &'s str> + 's {
        self.parms
            .iter()
            .filter(move |p| p.name.eq_ignore_ascii_case(name))
            .filter_map(|p| p.value.as_deref())
    }

    /// Nested characteristics of a type.
    pub fn children_of<'s>(
        &'s self,
        kind: &'s str,
    ) -> impl Iterator<Item = &'s Characteristic> + 's {
        self.children
            .iter()
            .filter(move |c| c.kind.eq_ignore_ascii_case(kind))
    }
}

/// A provisioning document.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ProvisioningDoc {
    /// The `version` attribute.
    pub version: Option<String>,
    /// Top-level characteristics in order.
    pub characteristics: Vec<Characteristic>,
}

impl ProvisioningDoc {
    /// Top-level characteristics of a type.
    pub fn of_kind<'s>(&'s self, kind: &'s str) -> impl Iterator<Item = &'s Characteristic> + 's {
        self.characteristics
            .iter()
            .filter(move |c| c.kind.eq_ignore_ascii_case(kind))
    }

    /// Renders the document as XML (secrets redacted).
    pub fn to_xml(&self) -> String {
        fn ch(c: &Characteristic, depth: usize, s: &mut String) {
            let pad = "  ".repeat(depth);
            s.push_str(&format!(
                "{pad}<characteristic type=\"{}\">\n",
                esc(&c.kind)
            ));
            for p in &c.parms {
                let v = if p.is_secret() {
                    Some("********".to_string())
                } else {
                    p.value.clone()
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

fn bad(what: &'static str) -> DecodeError {
    DecodeError::new(0, DecodeErrorKind::InvalidOctet { what, octet: 0 })
}

/// Most characteristics in one document.
pub const MAX_CHARACTERISTICS: usize = 512;

fn from_element(e: &Element, count: &mut usize) -> Result<Characteristic, DecodeError> {
    *count += 1;
    if *count > MAX_CHARACTERISTICS {
        return Err(DecodeError::new(
            0,
            DecodeErrorKind::TooManyParts(MAX_CHARACTERISTICS),
        ));
    }
    let kind = e
        .attr("type")
        .map(|a| a.text())
        .ok_or_else(|| bad("characteristic without type"))?;
    let mut parms = Vec::new();
    let mut children = Vec::new();
    for c in e.elements() {
        match c.name.as_str() {
            "parm" => parms.push(Parm {
                name: c
                    .attr("name")
                    .map(|a| a.text())
                    .ok_or_else(|| bad("parm without name"))?,
                value: c.attr("value").map(|a| a.text()),
            }),
            "characteristic" => children.push(from_element(c, count)?),
            _ => return Err(bad("unexpected element in characteristic")),
        }
    }
    Ok(Characteristic {
        kind,
        parms,
        children,
    })
}

/// Decodes a WBXML provisioning document (OTA-7: bounded, typed errors).
pub fn decode_wbxml(body: &[u8]) -> Result<ProvisioningDoc, DecodeError> {
    let doc = wbxml::decode(body, &ProvPages, &WbxmlLimits::default())?;
    if doc.root.name != "wap-provisioningdoc" {
        return Err(bad("provisioning root element"));
    }
    let mut count = 0;
    let characteristics = doc
        .root
        .elements()
        .map(|e| {
            if e.name == "characteristic" {
                from_element(e, &mut count)
            } else {
                Err(bad("unexpected element in wap-provisioningdoc"))
            }
        })
        .collect::<Result<Vec<_>, _>>()?;
    Ok(ProvisioningDoc {
        version: doc.root.attr("version").map(|a| a.text()),
        characteristics,
    })
}

/// Parses the XML form of a provisioning document.
pub fn parse_xml(xml: &str) -> Result<ProvisioningDoc, String> {
    let opts = roxmltree::ParsingOptions {
        allow_dtd: true,
        nodes_limit: 20_000,
        ..roxmltree::ParsingOptions::default()
    };
    let doc = roxmltree::Document::parse_with_options(xml, opts).map_err(|e| e.to_string())?;
    let root = doc.root_element();
    if root.tag_name().name() != "wap-provisioningdoc" {
        return Err("root element is not wap-provisioningdoc".into());
    }
    fn ch(n: roxmltree::Node<'_, '_>, depth: usize) -> Result<Characteristic, String> {
        if depth > 16 {
            return Err("nested too deep".into());
        }
        let mut c = Characteristic {
            kind: n
                .attribute("type")
                .ok_or("characteristic without type")?
                .to_string(),
            parms: Vec::new(),
            children: Vec::new(),
        };
        for k in n.children().filter(|k| k.is_element()) {
            match k.tag_name().name() {
                "parm" => c.parms.push(Parm {
                    name: k.attribute("name").ok_or("parm without name")?.to_string(),
                    value: k.attribute("value").map(str::to_string),
                }),
                "characteristic" => c.children.push(ch(k, depth + 1)?),
                other => return Err(format!("unexpected element {other}")),
            }
        }
        Ok(c)
    }
    Ok(ProvisioningDoc {
        version: root.attribute("version").map(str::to_string),
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
pub fn encode_wbxml(doc: &ProvisioningDoc) -> Vec<u8> {
    fn s(out: &mut Vec<u8>, v: &str) {
        out.push(0x03);
        out.extend(v.bytes().filter(|b| *b != 0));
        out.push(0x00);
    }
    fn ch(out: &mut Vec<u8>, c: &Characteristic) {
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
                s(out, v);
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
