//! SMIL parsing with a real XML parser, only after the linear pre-scan of
//! [`mms_codec::xml`] bounded what the parser can be made to do (elements, attributes per
//! element and in all, depth, references; no DTD), and bounded in size and slide count.
//! Produces the raw presentation facts; [`super::plan`] resolves, clamps and confines them.

use mms_codec::pdu::DecodeErrorKind;
use mms_codec::xml::{self, XmlError, XmlLimits};
use serde::Serialize;

/// Largest SMIL document parsed.
pub const MAX_SMIL_SIZE: usize = 1024 * 1024;
/// Deepest element nesting accepted.
pub const MAX_DEPTH: usize = 32;
/// Most `par` elements read (the rest are dropped, reported as truncated).
pub const MAX_PARS: usize = 100;
/// Most media elements per `par`.
pub const MAX_ITEMS_PER_PAR: usize = 16;

/// A time value as written, resolved to milliseconds (`None` when absent or unparsable;
/// `indefinite` is `u64::MAX`).
pub fn parse_time_ms(s: &str) -> Option<u64> {
    let t = s.trim();
    if t.eq_ignore_ascii_case("indefinite") {
        return Some(u64::MAX);
    }
    if t.contains(':') {
        // Clock values: [[hh:]mm:]ss[.fff]
        let mut total: f64 = 0.0;
        for part in t.split(':') {
            let v: f64 = part.trim().parse().ok()?;
            total = total * 60.0 + v;
        }
        return to_ms(total * 1000.0);
    }
    let (num, mul) = if let Some(n) = t.strip_suffix("ms") {
        (n, 1.0)
    } else if let Some(n) = t.strip_suffix("min") {
        (n, 60_000.0)
    } else if let Some(n) = t.strip_suffix('h') {
        (n, 3_600_000.0)
    } else if let Some(n) = t.strip_suffix('s') {
        (n, 1000.0)
    } else {
        (t, 1000.0)
    };
    let v: f64 = num.trim().parse().ok()?;
    to_ms(v * mul)
}

fn to_ms(v: f64) -> Option<u64> {
    if !v.is_finite() || v < 0.0 {
        return None;
    }
    if v >= u64::MAX as f64 {
        return Some(u64::MAX);
    }
    Some(v as u64)
}

/// A length: pixels or a percentage of the reference.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub enum Length {
    /// Pixels.
    Px(f64),
    /// Percent.
    Percent(f64),
}

impl Length {
    /// Parses `12`, `12px`, `50%`.
    pub fn parse(s: &str) -> Option<Length> {
        let t = s.trim();
        if let Some(p) = t.strip_suffix('%') {
            return p
                .trim()
                .parse()
                .ok()
                .filter(|v: &f64| v.is_finite())
                .map(Length::Percent);
        }
        let n = t.strip_suffix("px").unwrap_or(t);
        n.trim()
            .parse()
            .ok()
            .filter(|v: &f64| v.is_finite())
            .map(Length::Px)
    }

    /// Resolves against a reference size.
    pub fn resolve(self, reference: f64) -> f64 {
        match self {
            Length::Px(v) => v,
            Length::Percent(p) => reference * p / 100.0,
        }
    }
}

/// A region as declared.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct SmilRegion {
    /// Its id.
    pub id: String,
    /// left, top, width, height as written.
    pub left: Option<Length>,
    /// top
    pub top: Option<Length>,
    /// width
    pub width: Option<Length>,
    /// height
    pub height: Option<Length>,
}

/// A media element (`img`, `text`, `audio`, `video`, `ref`, ...).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct SmilItem {
    /// Element name.
    pub tag: String,
    /// `src` as written.
    pub src: String,
    /// `region`.
    pub region: Option<String>,
    /// `begin` in ms.
    pub begin: Option<u64>,
    /// `end` in ms.
    pub end: Option<u64>,
    /// `dur` in ms.
    pub dur: Option<u64>,
    /// `repeatCount` (`indefinite` is `f64::INFINITY`).
    pub repeat_count: Option<f64>,
    /// `repeatDur` in ms.
    pub repeat_dur: Option<u64>,
}

/// One `par` (a slide).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct SmilPar {
    /// `dur` in ms.
    pub dur: Option<u64>,
    /// `repeatCount`.
    pub repeat_count: Option<f64>,
    /// The media elements.
    pub items: Vec<SmilItem>,
}

/// A parsed SMIL presentation.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct SmilDoc {
    /// root-layout width and height as written.
    pub root_width: Option<Length>,
    /// root-layout height.
    pub root_height: Option<Length>,
    /// Regions.
    pub regions: Vec<SmilRegion>,
    /// Slides in order.
    pub pars: Vec<SmilPar>,
    /// More than [`MAX_PARS`] slides (or items) were present; the rest were dropped.
    pub truncated: bool,
}

/// Why a SMIL could not be used.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error, Serialize)]
pub enum SmilError {
    /// Larger than [`MAX_SMIL_SIZE`].
    #[error("SMIL larger than {MAX_SMIL_SIZE} octets")]
    TooLarge,
    /// Not well-formed XML, or a DTD, or too many nodes.
    #[error("SMIL is not well-formed: {0}")]
    Xml(String),
    /// Nested deeper than [`MAX_DEPTH`].
    #[error("SMIL nested deeper than {MAX_DEPTH}")]
    TooDeep,
    /// The root element is not `smil`.
    #[error("root element is not <smil>")]
    NotSmil,
}

fn attr<'a>(n: &roxmltree::Node<'a, '_>, name: &str) -> Option<&'a str> {
    n.attributes()
        .find(|a| a.name().eq_ignore_ascii_case(name))
        .map(|a| a.value())
}

fn repeat(s: Option<&str>) -> Option<f64> {
    let s = s?.trim();
    if s.eq_ignore_ascii_case("indefinite") {
        return Some(f64::INFINITY);
    }
    s.parse::<f64>().ok().filter(|v| v.is_finite() && *v >= 0.0)
}

const MEDIA_TAGS: &[&str] = &[
    "img",
    "text",
    "audio",
    "video",
    "ref",
    "animation",
    "textstream",
    "brush",
];

fn item(n: &roxmltree::Node<'_, '_>) -> Option<SmilItem> {
    let tag = n.tag_name().name().to_ascii_lowercase();
    if !MEDIA_TAGS.contains(&tag.as_str()) {
        return None;
    }
    Some(SmilItem {
        src: attr(n, "src").unwrap_or("").trim().to_string(),
        region: attr(n, "region").map(|r| r.trim().to_string()),
        begin: attr(n, "begin").and_then(parse_time_ms),
        end: attr(n, "end").and_then(parse_time_ms),
        dur: attr(n, "dur").and_then(parse_time_ms),
        repeat_count: repeat(attr(n, "repeatCount")),
        repeat_dur: attr(n, "repeatDur").and_then(parse_time_ms),
        tag,
    })
}

/// Parses a SMIL document.
pub fn parse(text: &str) -> Result<SmilDoc, SmilError> {
    if text.len() > MAX_SMIL_SIZE {
        return Err(SmilError::TooLarge);
    }
    let limits = XmlLimits {
        max_depth: (MAX_DEPTH + 2) as u64,
        ..XmlLimits::default()
    };
    let doc = xml::parse(text, &limits).map_err(|e| match e {
        XmlError::Bounds(b) if matches!(b.kind, DecodeErrorKind::TooDeep(_)) => SmilError::TooDeep,
        other => SmilError::Xml(other.to_string()),
    })?;
    let root = doc.root_element();
    if !root.tag_name().name().eq_ignore_ascii_case("smil") {
        return Err(SmilError::NotSmil);
    }
    // Depth of every element from its parent's, in one pass (document order visits parents
    // first).
    let mut depth: Vec<u16> = vec![0; doc.descendants().count().saturating_add(2)];
    for n in doc.descendants() {
        let d = n
            .parent()
            .and_then(|p| depth.get(p.id().get_usize()).copied())
            .unwrap_or(0)
            .saturating_add(1);
        if usize::from(d) > MAX_DEPTH + 2 {
            return Err(SmilError::TooDeep);
        }
        if let Some(slot) = depth.get_mut(n.id().get_usize()) {
            *slot = d;
        }
    }
    let mut out = SmilDoc {
        root_width: None,
        root_height: None,
        regions: Vec::new(),
        pars: Vec::new(),
        truncated: false,
    };
    for n in root.descendants().filter(|n| n.is_element()) {
        match n.tag_name().name().to_ascii_lowercase().as_str() {
            "root-layout" => {
                out.root_width = attr(&n, "width").and_then(Length::parse);
                out.root_height = attr(&n, "height").and_then(Length::parse);
            }
            "region" if out.regions.len() < 64 => out.regions.push(SmilRegion {
                id: attr(&n, "id")
                    .or(attr(&n, "xml:id"))
                    .unwrap_or("")
                    .to_string(),
                left: attr(&n, "left").and_then(Length::parse),
                top: attr(&n, "top").and_then(Length::parse),
                width: attr(&n, "width").and_then(Length::parse),
                height: attr(&n, "height").and_then(Length::parse),
            }),
            _ => {}
        }
    }
    let body = root
        .children()
        .find(|c| c.is_element() && c.tag_name().name().eq_ignore_ascii_case("body"));
    if let Some(body) = body {
        for n in body.descendants().filter(|n| n.is_element()) {
            let name = n.tag_name().name().to_ascii_lowercase();
            let in_par = n
                .ancestors()
                .skip(1)
                .any(|a| a.tag_name().name().eq_ignore_ascii_case("par"));
            if name == "par" && !in_par {
                if out.pars.len() >= MAX_PARS {
                    out.truncated = true;
                    break;
                }
                let mut items: Vec<SmilItem> = n
                    .descendants()
                    .filter(|c| c.is_element())
                    .filter_map(|c| item(&c))
                    .collect();
                if items.len() > MAX_ITEMS_PER_PAR {
                    items.truncate(MAX_ITEMS_PER_PAR);
                    out.truncated = true;
                }
                out.pars.push(SmilPar {
                    dur: attr(&n, "dur").and_then(parse_time_ms),
                    repeat_count: repeat(attr(&n, "repeatCount")),
                    items,
                });
            } else if !in_par && name != "par" && MEDIA_TAGS.contains(&name.as_str()) {
                // A media element directly in the body or a seq: a slide of its own.
                if out.pars.len() >= MAX_PARS {
                    out.truncated = true;
                    break;
                }
                if let Some(i) = item(&n) {
                    out.pars.push(SmilPar {
                        dur: i.dur,
                        repeat_count: None,
                        items: vec![i],
                    });
                }
            }
        }
    }
    Ok(out)
}
