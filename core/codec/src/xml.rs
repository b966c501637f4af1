//! XML from hostile parts (SMIL, XHTML, the XML form of a provisioning document) under a
//! budget. Before any markup reaches the XML parser, one linear pass counts what the parser
//! could be made to do: elements, attributes on one element, attributes in all, nesting depth
//! and entity references. Markup over any bound is refused with the bound and the offset, so
//! the parser (roxmltree, whose duplicate-attribute check is quadratic in the attributes of one
//! element) only ever sees documents whose cost is linear in their size:
//!
//! | bound | default |
//! | --- | --- |
//! | elements | 1 per 8 octets + 64, at most 65,536 |
//! | attributes on one element | 64 |
//! | attributes in all | 1 per 8 octets + 64, at most 65,536 |
//! | depth | 64 |
//! | entity and character references | 1 per 4 octets + 64, at most 65,536 |
//!
//! Document type declarations are refused (no entity expansion of any kind), except, where the
//! caller allows it, one that only names an external DTD (the ProvCont documents' header): an
//! internal subset is refused always.

use crate::budget::{Budget, InputKind, Limit};
use crate::pdu::error::{DecodeError, DecodeErrorKind};

/// Bounds beyond the budget's.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct XmlLimits {
    /// Attributes one element may carry.
    pub max_attributes_per_element: u64,
    /// Deepest nesting.
    pub max_depth: u64,
    /// Entity and character references per 4 octets (plus 64), at most this many.
    pub max_references: u64,
    /// A `<!DOCTYPE>` naming an external DTD (and no internal subset) is skipped rather than
    /// refused.
    pub external_doctype: bool,
}

impl Default for XmlLimits {
    fn default() -> Self {
        Self {
            max_attributes_per_element: 64,
            max_depth: 64,
            max_references: 65_536,
            external_doctype: false,
        }
    }
}

/// What the pre-scan counted.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct XmlCounts {
    /// Elements.
    pub elements: u64,
    /// Attributes in all.
    pub attributes: u64,
    /// Deepest nesting seen.
    pub depth: u64,
    /// Entity and character references.
    pub references: u64,
}

fn refuse(offset: usize, what: &'static str) -> DecodeError {
    DecodeError::new(offset, DecodeErrorKind::InvalidOctet { what, octet: b'<' })
}

/// One linear pass over `text` counting what an XML parser would build; an error at the first
/// bound exceeded. The budget of a message part ([`InputKind::MessagePart`]) bounds elements
/// (nodes), attributes and steps; `limits` bounds the rest.
pub fn prescan(text: &str, limits: &XmlLimits) -> Result<XmlCounts, DecodeError> {
    let b = text.as_bytes();
    let mut budget = Budget::for_input(InputKind::MessagePart, b.len());
    let max_refs = (b.len() as u64 / 4 + 64).min(limits.max_references);
    let mut c = XmlCounts::default();
    let mut depth: u64 = 0;
    let mut i = 0usize;
    while i < b.len() {
        let Some(&ch) = b.get(i) else { break };
        if ch == b'&' {
            c.references += 1;
            if c.references > max_refs {
                return Err(DecodeError::new(
                    i,
                    DecodeErrorKind::TooManyReferences(max_refs),
                ));
            }
            i += 1;
            continue;
        }
        if ch != b'<' {
            i += 1;
            continue;
        }
        let rest = b.get(i..).unwrap_or(&[]);
        // Comments, CDATA, processing instructions: skipped to their end, nothing counted.
        let skip_to = |end: &[u8], from: usize| -> Option<usize> {
            b.get(from..)?
                .windows(end.len())
                .position(|w| w == end)
                .map(|p| from + p + end.len())
        };
        if rest.starts_with(b"<!--") {
            i = skip_to(b"-->", i + 4).ok_or_else(|| refuse(i, "unterminated comment"))?;
            continue;
        }
        if rest.starts_with(b"<![CDATA[") {
            i = skip_to(b"]]>", i + 9).ok_or_else(|| refuse(i, "unterminated CDATA"))?;
            continue;
        }
        if rest.starts_with(b"<?") {
            i = skip_to(b"?>", i + 2)
                .ok_or_else(|| refuse(i, "unterminated processing instruction"))?;
            continue;
        }
        if rest.starts_with(b"<!DOCTYPE") && limits.external_doctype {
            let end = skip_to(b">", i + 9).ok_or_else(|| refuse(i, "unterminated DOCTYPE"))?;
            if b.get(i..end).is_some_and(|d| d.contains(&b'[')) {
                return Err(refuse(i, "DTD internal subset"));
            }
            i = end;
            continue;
        }
        if rest.starts_with(b"<!") {
            return Err(refuse(i, "document type declaration"));
        }
        budget.charge(Limit::Steps, 1, i)?;
        if rest.starts_with(b"</") {
            depth = depth.saturating_sub(1);
            i = skip_to(b">", i + 2).ok_or_else(|| refuse(i, "unterminated end tag"))?;
            continue;
        }
        // A start tag: count it and its attributes (an `=` outside quotes), find its end.
        c.elements += 1;
        budget.charge(Limit::Nodes, 1, i)?;
        let start = i;
        let mut attrs: u64 = 0;
        let mut quote: Option<u8> = None;
        let mut j = i + 1;
        let self_closing;
        loop {
            let Some(&x) = b.get(j) else {
                return Err(refuse(start, "unterminated start tag"));
            };
            match (quote, x) {
                (Some(q), _) if x == q => quote = None,
                (Some(_), b'&') => {
                    c.references += 1;
                    if c.references > max_refs {
                        return Err(DecodeError::new(
                            j,
                            DecodeErrorKind::TooManyReferences(max_refs),
                        ));
                    }
                }
                (Some(_), _) => {}
                (None, b'"' | b'\'') => quote = Some(x),
                (None, b'=') => {
                    attrs += 1;
                    c.attributes += 1;
                    budget.charge(Limit::Attributes, 1, j)?;
                    if attrs > limits.max_attributes_per_element {
                        return Err(DecodeError::new(
                            j,
                            DecodeErrorKind::TooManyAttributes(limits.max_attributes_per_element),
                        ));
                    }
                }
                (None, b'>') => {
                    self_closing = b.get(j.wrapping_sub(1)) == Some(&b'/');
                    break;
                }
                _ => {}
            }
            j += 1;
        }
        if !self_closing {
            depth += 1;
            c.depth = c.depth.max(depth);
            if depth > limits.max_depth {
                return Err(DecodeError::new(
                    start,
                    DecodeErrorKind::TooDeep(limits.max_depth as usize),
                ));
            }
        }
        i = j + 1;
    }
    Ok(c)
}

/// Parses `text` with roxmltree after [`prescan`] accepted it: no DTD, and a node limit that
/// the pre-scan's counts already guarantee.
pub fn parse<'t>(text: &'t str, limits: &XmlLimits) -> Result<roxmltree::Document<'t>, XmlError> {
    let c = prescan(text, limits).map_err(XmlError::Bounds)?;
    // The parser's node count stays below this: each element, a text node before each child
    // and after the last (indented markup has them all), and a comment or processing
    // instruction per seven octets at most (`<!---->`).
    let nodes = c
        .elements
        .saturating_mul(3)
        .saturating_add(c.attributes)
        .saturating_add((text.len() / 7) as u64)
        .saturating_add(16);
    let opts = roxmltree::ParsingOptions {
        allow_dtd: limits.external_doctype,
        nodes_limit: u32::try_from(nodes).unwrap_or(u32::MAX),
        ..roxmltree::ParsingOptions::default()
    };
    roxmltree::Document::parse_with_options(text, opts).map_err(|e| XmlError::Syntax(e.to_string()))
}

/// Why markup was not parsed.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum XmlError {
    /// A bound of the pre-scan (see the module docs).
    #[error("markup over its bounds: {0}")]
    Bounds(DecodeError),
    /// Not well-formed XML.
    #[error("not well-formed XML: {0}")]
    Syntax(String),
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    /// CONTENT-4: indented markup has a whitespace text node before every child and after
    /// the last, besides the elements' own text; the parser's node limit allows for them
    /// (before, indented markup of elements with text and few attributes, such as the bundled
    /// carrier data, hit "nodes limit reached").
    #[test]
    fn indented_markup_with_many_elements_parses() {
        let mut s = String::from("<list>\n");
        for i in 0..500 {
            s.push_str(&format!(
                "  <item>\n    <name>n{i}</name>\n    <value>v{i}</value>\n  </item>\n"
            ));
        }
        s.push_str("  <!-- end -->\n</list>\n");
        let doc = parse(&s, &XmlLimits::default()).unwrap();
        assert_eq!(
            doc.descendants().filter(|n| n.has_tag_name("item")).count(),
            500
        );
    }

    #[test]
    fn counts_elements_attributes_and_depth() {
        let c = prescan(
            r#"<smil><!-- a > b --><body><par dur="5s" a='x>y'><img src="a.jpg"/></par></body></smil>"#,
            &XmlLimits::default(),
        )
        .unwrap();
        assert_eq!((c.elements, c.attributes, c.depth), (4, 3, 3));
    }

    #[test]
    fn an_attribute_storm_on_one_element_is_refused() {
        let mut s = String::from("<smil><par");
        for i in 0..100 {
            s.push_str(&format!(" a{i}=\"1\""));
        }
        s.push_str("/></smil>");
        let e = prescan(&s, &XmlLimits::default()).unwrap_err();
        assert_eq!(e.kind, DecodeErrorKind::TooManyAttributes(64));
    }

    #[test]
    fn a_doctype_is_refused_unless_it_only_names_an_external_dtd() {
        let ext = XmlLimits {
            external_doctype: true,
            ..XmlLimits::default()
        };
        let subset = "<!DOCTYPE x [<!ENTITY a 'b'>]><x>&a;</x>";
        assert!(prescan(subset, &XmlLimits::default()).is_err());
        assert!(prescan(subset, &ext).is_err());
        let public = r#"<!DOCTYPE x PUBLIC "-//WAPFORUM//DTD PROV 1.0//EN" "prov.dtd"><x/>"#;
        assert!(prescan(public, &XmlLimits::default()).is_err());
        assert_eq!(prescan(public, &ext).unwrap().elements, 1);
        assert!(parse(public, &ext).is_ok());
    }

    #[test]
    fn deep_nesting_is_refused() {
        let s = "<a>".repeat(100);
        let e = prescan(&s, &XmlLimits::default()).unwrap_err();
        assert_eq!(e.kind, DecodeErrorKind::TooDeep(64));
    }
}
