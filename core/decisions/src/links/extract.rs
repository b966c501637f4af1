//! Finding links in message content as a UI would linkify them: URIs with a scheme, `www.`
//! hosts, e-mail addresses and bare phone numbers in text parts; `href` of `a` and `area`
//! in XHTML and SMIL. Each link keeps the part and byte offset it came from. Bounded: at most
//! [`MAX_LINKS`] links per message and [`MAX_SCAN`] octets scanned per part.

use mms_codec::pdu::{BodyData, Charset, Part, Pdu};
use serde::Serialize;

/// Most links reported per message.
pub const MAX_LINKS: usize = 256;
/// Most octets of one part scanned for links.
pub const MAX_SCAN: usize = 1024 * 1024;

/// How a link appeared.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum LinkOrigin {
    /// A URI with a scheme in text.
    TextUri,
    /// A `www.` host in text (becomes `http://`).
    TextWeb,
    /// An e-mail address in text (becomes `mailto:`).
    TextEmail,
    /// A phone number in text (becomes `tel:`).
    TextPhone,
    /// An `href` in XHTML/HTML.
    Markup,
    /// An `href` of a SMIL `a` or `area`.
    Smil,
}

/// A link found in a message.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct FoundLink {
    /// The URI as the gate will see it.
    pub uri: String,
    /// The text it was found as.
    pub text: String,
    /// How it appeared.
    pub origin: LinkOrigin,
    /// Index of the part (flattened, document order).
    pub part: usize,
    /// Byte offset in the part's decoded text.
    pub offset: usize,
}

fn is_scheme_char(c: char) -> bool {
    c.is_ascii_alphanumeric() || matches!(c, '+' | '-' | '.')
}

const TRAILING: &[char] = &['.', ',', ';', ':', '!', '?', ')', ']', '}', '\'', '"', '>'];

/// Finds links in plain text.
pub fn extract_text(text: &str, part: usize) -> Vec<FoundLink> {
    let mut out = Vec::new();
    let mut taken: Vec<(usize, usize)> = Vec::new();
    // 1. Whitespace-separated tokens: URIs, www. hosts, e-mail addresses.
    let mut start = None;
    let bytes_end = text.len();
    let mut tokens = Vec::new();
    for (i, c) in text.char_indices() {
        let sep = c.is_whitespace() || matches!(c, '<' | '>' | '"');
        match (sep, start) {
            (true, Some(s)) => {
                tokens.push((s, i));
                start = None;
            }
            (false, None) => start = Some(i),
            _ => {}
        }
    }
    if let Some(s) = start {
        tokens.push((s, bytes_end));
    }
    for (s, e) in tokens {
        if out.len() >= MAX_LINKS {
            break;
        }
        let Some(raw) = text.get(s..e) else { continue };
        let lead = raw.len() - raw.trim_start_matches(['(', '[', '{', '\'']).len();
        let tok = trim_trailing(raw.trim_start_matches(['(', '[', '{', '\'']));
        if tok.is_empty() {
            continue;
        }
        let at = s + lead;
        let lower = tok.to_ascii_lowercase();
        let found = if let Some((scheme, rest)) = tok.split_once(':') {
            let valid_scheme = scheme
                .chars()
                .next()
                .is_some_and(|c| c.is_ascii_alphabetic())
                && scheme.chars().all(is_scheme_char)
                && scheme.len() <= 32
                && !rest.is_empty();
            // "12:30" or "Note:" are not links; a scheme needs letters.
            if valid_scheme && !scheme.chars().all(|c| c.is_ascii_digit()) {
                Some((tok.to_string(), LinkOrigin::TextUri))
            } else {
                None
            }
        } else if lower.starts_with("www.") && tok.len() > 4 {
            Some((format!("http://{tok}"), LinkOrigin::TextWeb))
        } else if looks_like_email(tok) {
            Some((format!("mailto:{tok}"), LinkOrigin::TextEmail))
        } else {
            None
        };
        if let Some((uri, origin)) = found {
            taken.push((at, at + tok.len()));
            out.push(FoundLink {
                uri,
                text: tok.to_string(),
                origin,
                part,
                offset: at,
            });
        }
    }
    // 2. Phone numbers, which may contain spaces, outside the spans already taken.
    let chars: Vec<(usize, char)> = text.char_indices().collect();
    let mut i = 0;
    while i < chars.len() && out.len() < MAX_LINKS {
        let Some(&(pos, c)) = chars.get(i) else { break };
        let prev_ok = i == 0 || chars.get(i - 1).is_some_and(|(_, p)| !p.is_alphanumeric());
        if (c == '+' || c.is_ascii_digit())
            && prev_ok
            && !taken.iter().any(|(a, b)| pos >= *a && pos < *b)
        {
            let mut j = i;
            let mut digits = 0;
            let mut last_digit = i;
            while let Some(&(_, d)) = chars.get(j) {
                if d.is_ascii_digit() {
                    digits += 1;
                    last_digit = j;
                } else if !(matches!(d, ' ' | '-' | '.' | '(' | ')') || (d == '+' && j == i)) {
                    break;
                }
                j += 1;
            }
            let end_pos = chars.get(last_digit).map(|(p, _)| p + 1).unwrap_or(pos);
            let next_ok = chars
                .get(last_digit + 1)
                .is_none_or(|(_, n)| !n.is_alphanumeric());
            if (5..=15).contains(&digits) && next_ok {
                if let Some(t) = text.get(pos..end_pos) {
                    let dial: String = t
                        .chars()
                        .filter(|c| c.is_ascii_digit() || *c == '+')
                        .collect();
                    out.push(FoundLink {
                        uri: format!("tel:{dial}"),
                        text: t.to_string(),
                        origin: LinkOrigin::TextPhone,
                        part,
                        offset: pos,
                    });
                }
                i = last_digit + 1;
                continue;
            }
            i = j.max(i + 1);
            continue;
        }
        i += 1;
    }
    out.sort_by_key(|l| l.offset);
    out
}

/// Trims trailing punctuation as a linkifier does, keeping a `)` that closes a `(` inside.
fn trim_trailing(mut s: &str) -> &str {
    loop {
        let Some(c) = s.chars().last() else { return s };
        if !TRAILING.contains(&c) {
            return s;
        }
        if c == ')' && s.matches('(').count() >= s.matches(')').count() {
            return s;
        }
        s = s.get(..s.len() - c.len_utf8()).unwrap_or("");
    }
}

fn looks_like_email(s: &str) -> bool {
    let Some((local, domain)) = s.split_once('@') else {
        return false;
    };
    !local.is_empty()
        && domain.contains('.')
        && !domain.starts_with('.')
        && !domain.ends_with('.')
        && domain
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '-'))
        && local
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || "._%+-".contains(c))
}

/// Finds `href` of `a` and `area` elements in XHTML or SMIL, parsed only after the linear
/// pre-scan of [`mms_codec::xml`] bounded what the parser can be made to do. Falls back to a
/// linear scan for `href=` attributes when the markup is not well-formed XML (HTML) or is over
/// those bounds.
pub fn extract_markup(markup: &str, part: usize, smil: bool) -> Vec<FoundLink> {
    let origin = if smil {
        LinkOrigin::Smil
    } else {
        LinkOrigin::Markup
    };
    let mut out = Vec::new();
    match mms_codec::xml::parse(markup, &mms_codec::xml::XmlLimits::default()) {
        Ok(doc) => {
            for n in doc.descendants().filter(|n| n.is_element()) {
                let name = n.tag_name().name().to_ascii_lowercase();
                if name != "a" && name != "area" {
                    continue;
                }
                if let Some(h) = n
                    .attributes()
                    .find(|a| a.name().eq_ignore_ascii_case("href"))
                {
                    out.push(FoundLink {
                        uri: h.value().trim().to_string(),
                        text: h.value().to_string(),
                        origin,
                        part,
                        offset: n.range().start,
                    });
                    if out.len() >= MAX_LINKS {
                        break;
                    }
                }
            }
        }
        Err(_) => {
            let lower = markup.to_ascii_lowercase();
            let mut from = 0;
            while let Some(i) = lower.get(from..).and_then(|s| s.find("href")) {
                let at = from + i;
                from = at + 4;
                let rest = markup.get(from..).unwrap_or("").trim_start();
                let Some(rest) = rest.strip_prefix('=') else {
                    continue;
                };
                let rest = rest.trim_start();
                let (q, body) = match rest.chars().next() {
                    Some(q @ ('"' | '\'')) => (Some(q), rest.get(1..).unwrap_or("")),
                    _ => (None, rest),
                };
                let end = match q {
                    Some(q) => body.find(q),
                    None => body.find(|c: char| c.is_whitespace() || c == '>'),
                }
                .unwrap_or(body.len());
                // The scan goes on after the value: values never overlap, so the links hold at
                // most the markup's own length (before, an unquoted value ran on over every
                // later `href=`, and each of those copied the rest again: quadratic).
                let body_at = markup.len().saturating_sub(body.len());
                from = from.max(body_at.saturating_add(end));
                if let Some(v) = body.get(..end) {
                    out.push(FoundLink {
                        uri: v.trim().to_string(),
                        text: v.to_string(),
                        origin,
                        part,
                        offset: at,
                    });
                }
                if out.len() >= MAX_LINKS {
                    break;
                }
            }
        }
    }
    out
}

fn flatten<'p, 'a>(parts: &'p [Part<'a>], out: &mut Vec<&'p Part<'a>>) {
    for p in parts {
        out.push(p);
        if let BodyData::Multipart(children) = &p.data {
            flatten(children, out);
        }
    }
}

/// The parts of a PDU in document order, nested parts after their container.
pub fn flat_parts<'p, 'a>(pdu: &'p Pdu<'a>) -> Vec<&'p Part<'a>> {
    let mut v = Vec::new();
    flatten(pdu.parts(), &mut v);
    v
}

/// Finds every link in a message: text parts, XHTML/HTML parts and the SMIL.
pub fn extract_from_pdu(pdu: &Pdu<'_>) -> Vec<FoundLink> {
    let mut out = Vec::new();
    for (i, p) in flat_parts(pdu).into_iter().enumerate() {
        let media = p.content_type.media.display_name();
        let data = p.decoded_data();
        let data = data.get(..data.len().min(MAX_SCAN)).unwrap_or(&[]);
        let text = p
            .content_type
            .charset()
            .unwrap_or(Charset::UTF_8)
            .decode(data);
        let found = match media.as_str() {
            "text/plain" => extract_text(&text, i),
            "text/html" | "application/xhtml+xml" | "application/vnd.wap.xhtml+xml" => {
                extract_markup(&text, i, false)
            }
            "application/smil" => extract_markup(&text, i, true),
            _ => Vec::new(),
        };
        out.extend(found.into_iter().take(MAX_LINKS.saturating_sub(out.len())));
        if out.len() >= MAX_LINKS {
            break;
        }
    }
    out
}
