//! PUSH-1 and TLS-2: is a Content-Location (or an SI/SL href) on the provisioned MMSC?
//! The location is normalised by a WHATWG URL parser and then compared on scheme, host, port
//! and path prefix; raw forms that only a trick would use (userinfo, backslashes, percent-encoded
//! or non-ASCII hosts, IP literals in non-canonical forms, dot segments, embedded whitespace or
//! control characters, non-http(s) schemes) are refused before any comparison.

use serde::Serialize;
use std::borrow::Cow;
use url::{Host, Url};

/// Why a location is refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum LocationProblem {
    /// Empty.
    Empty,
    /// Does not parse as an absolute URL.
    Malformed,
    /// Not http or https.
    BadScheme,
    /// http location for an https MMSC (TLS-2).
    Downgrade,
    /// Scheme differs from the MMSC's.
    SchemeMismatch,
    /// Has a user name or password (`http://mmsc@evil/`).
    Userinfo,
    /// Contains a backslash.
    Backslash,
    /// Contains whitespace or control characters inside.
    WhitespaceOrControl,
    /// Host is percent-encoded, non-ASCII (IDN) or an IP literal in a non-canonical form.
    ObfuscatedHost,
    /// Host differs from the MMSC's.
    ForeignHost,
    /// Port differs from the MMSC's.
    ForeignPort,
    /// Path has dot segments.
    DotSegments,
    /// Path is outside the MMSC's path prefix.
    OutsidePrefix,
}

impl LocationProblem {
    /// Stable reason code.
    pub fn code(self) -> &'static str {
        match self {
            Self::Empty => "location_empty",
            Self::Malformed => "location_malformed",
            Self::BadScheme => "location_bad_scheme",
            Self::Downgrade => "tls_downgrade",
            Self::SchemeMismatch => "location_scheme_mismatch",
            Self::Userinfo => "location_userinfo",
            Self::Backslash => "location_backslash",
            Self::WhitespaceOrControl => "location_whitespace",
            Self::ObfuscatedHost => "location_obfuscated_host",
            Self::ForeignHost => "location_foreign_host",
            Self::ForeignPort => "location_foreign_port",
            Self::DotSegments => "location_dot_segments",
            Self::OutsidePrefix => "location_outside_prefix",
        }
    }

    /// The threat ID.
    pub fn threat(self) -> &'static str {
        if self == Self::Downgrade {
            "TLS-2"
        } else {
            "PUSH-1"
        }
    }
}

/// The raw authority's host part (userinfo and port removed, brackets kept for IPv6).
fn raw_host(raw: &str) -> Option<&str> {
    let after = raw.split_once("://")?.1;
    let authority = after.split(['/', '?', '#']).next()?;
    let host_port = authority.rsplit_once('@').map_or(authority, |(_, h)| h);
    if host_port.starts_with('[') {
        return host_port
            .split_once(']')
            .map(|(h, _)| h.get(1..).unwrap_or(h));
    }
    Some(host_port.split(':').next().unwrap_or(host_port))
}

fn has_dot_segments(raw: &str) -> bool {
    let after = raw.split_once("://").map_or(raw, |(_, a)| a);
    let path = match after.find('/') {
        Some(i) => after.get(i..).unwrap_or(""),
        None => return false,
    };
    let path = path.split(['?', '#']).next().unwrap_or("");
    path.split('/').any(|s| is_dot_segment(s.as_bytes()))
}

/// `.` or `..`, each dot possibly written `%2e` or `%2E` (no allocation: this runs for every
/// notification).
fn is_dot_segment(seg: &[u8]) -> bool {
    let mut rest = seg;
    let mut dots = 0;
    while !rest.is_empty() {
        rest = match rest {
            [b'.', tail @ ..] => tail,
            [b'%', b'2', b'e' | b'E', tail @ ..] => tail,
            _ => return false,
        };
        dots += 1;
    }
    dots == 1 || dots == 2
}

/// `s` starts with `prefix`, ASCII case ignored.
fn starts_with_ignore_case(s: &str, prefix: &str) -> bool {
    s.as_bytes()
        .get(..prefix.len())
        .is_some_and(|head| head.eq_ignore_ascii_case(prefix.as_bytes()))
}

/// Length of the dotted-decimal form of `ip` (what a canonical raw host must be as long as).
fn canonical_len(ip: &std::net::Ipv4Addr) -> usize {
    ip.octets()
        .iter()
        .map(|o| match o {
            0..=9 => 1,
            10..=99 => 2,
            _ => 3,
        })
        .sum::<usize>()
        + 3
}

/// Checks `location` against the provisioned MMSC URL; returns the normalised URL to fetch.
pub fn check_location(location: &str, mmsc: &Url) -> Result<Url, LocationProblem> {
    let raw = location.trim_matches(|c: char| c.is_whitespace());
    if raw.is_empty() {
        return Err(LocationProblem::Empty);
    }
    if raw.chars().any(|c| c.is_whitespace() || c.is_control() || matches!(c, '\u{200b}'..='\u{200f}' | '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}' | '\u{feff}')) {
        return Err(LocationProblem::WhitespaceOrControl);
    }
    if raw.contains('\\') {
        return Err(LocationProblem::Backslash);
    }
    if !(starts_with_ignore_case(raw, "http://") || starts_with_ignore_case(raw, "https://")) {
        return Err(if raw.contains(':') {
            LocationProblem::BadScheme
        } else {
            LocationProblem::Malformed
        });
    }
    let url = Url::parse(raw).map_err(|_| LocationProblem::Malformed)?;
    if mmsc.scheme() == "https" && url.scheme() == "http" {
        return Err(LocationProblem::Downgrade);
    }
    if url.scheme() != mmsc.scheme() {
        return Err(LocationProblem::SchemeMismatch);
    }
    let authority = raw
        .split_once("://")
        .and_then(|(_, a)| a.split(['/', '?', '#']).next())
        .unwrap_or("");
    if !url.username().is_empty() || url.password().is_some() || authority.contains('@') {
        return Err(LocationProblem::Userinfo);
    }
    let rh = raw_host(raw).ok_or(LocationProblem::Malformed)?;
    if rh.contains('%') || !rh.is_ascii() {
        return Err(LocationProblem::ObfuscatedHost);
    }
    match url.host() {
        Some(Host::Ipv4(ip)) if rh.parse::<std::net::Ipv4Addr>().ok() != Some(ip) => {
            return Err(LocationProblem::ObfuscatedHost);
        }
        Some(Host::Ipv4(ip)) if rh.len() != canonical_len(&ip) => {
            return Err(LocationProblem::ObfuscatedHost);
        }
        Some(Host::Ipv6(ip)) if !rh.eq_ignore_ascii_case(&ip.to_string()) => {
            return Err(LocationProblem::ObfuscatedHost);
        }
        Some(Host::Domain(d)) if d.starts_with("xn--") || d.contains(".xn--") => {
            return Err(LocationProblem::ObfuscatedHost);
        }
        None => return Err(LocationProblem::Malformed),
        _ => {}
    }
    let host = url.host_str().unwrap_or("").trim_end_matches('.');
    let want = mmsc.host_str().unwrap_or("").trim_end_matches('.');
    if !host.eq_ignore_ascii_case(want) {
        return Err(LocationProblem::ForeignHost);
    }
    if url.port_or_known_default() != mmsc.port_or_known_default() {
        return Err(LocationProblem::ForeignPort);
    }
    if has_dot_segments(raw) {
        return Err(LocationProblem::DotSegments);
    }
    let prefix = mmsc.path();
    let path = url.path();
    let inside = prefix == "/"
        || path == prefix
        || (prefix.ends_with('/') && path.starts_with(prefix))
        || path
            .strip_prefix(prefix)
            .is_some_and(|rest| rest.starts_with('/'));
    if !inside {
        return Err(LocationProblem::OutsidePrefix);
    }
    Ok(url)
}

/// The provisioned MMSC, ready for many location checks: [`check_location`] with a fast path.
///
/// Most locations an MMSC writes are already in the form a WHATWG parser would serialise them
/// to: the MMSC's own `scheme://host:port/prefix/` followed by plain path and query characters.
/// For those the answer is known without parsing: the authority is the MMSC's (it ends at the
/// prefix's `/`), nothing in the rest is altered by serialisation, and dot segments are checked
/// as on the full path. Anything else (other case, escapes a parser would rewrite, a default
/// port written out, any byte outside the plain set) takes the full check. The two paths agree
/// by construction, and a property test holds the fast one to the full one.
#[derive(Debug, Clone)]
pub struct MmscLocation {
    url: Url,
    /// `scheme://host[:port]/path/` when the MMSC's path ends with `/` and it has no query.
    prefix: Option<String>,
}

impl MmscLocation {
    /// The MMSC at `url`.
    pub fn new(url: Url) -> Self {
        let prefix = (url.path().ends_with('/')
            && url.query().is_none()
            && url.fragment().is_none()
            && url.username().is_empty()
            && url.password().is_none())
        .then(|| {
            let host = url.host_str().unwrap_or("");
            match url.port() {
                Some(p) => format!("{}://{host}:{p}{}", url.scheme(), url.path()),
                None => format!("{}://{host}{}", url.scheme(), url.path()),
            }
        })
        .filter(|p| url.as_str() == p);
        Self { url, prefix }
    }

    /// The MMSC's URL.
    pub fn url(&self) -> &Url {
        &self.url
    }

    /// Checks `location` against the MMSC; returns the normalised location to fetch.
    pub fn check<'a>(&self, location: &'a str) -> Result<Cow<'a, str>, LocationProblem> {
        if let Some(plain) = self.plain(location) {
            return Ok(Cow::Borrowed(plain));
        }
        check_location(location, &self.url).map(|u| Cow::Owned(u.into()))
    }

    /// The fast path: `Some` only for a location already in serialised form under the prefix.
    pub fn plain<'a>(&self, location: &'a str) -> Option<&'a str> {
        let prefix = self.prefix.as_deref()?;
        let raw = location.trim_matches(|c: char| c.is_whitespace());
        let b = raw.strip_prefix(prefix)?.as_bytes();
        // The prefix is a serialised path (no dot segments) ending with `/`, so the rest's path
        // segments are whole segments; each is checked as the one pass over the octets ends it.
        let mut segment = 0;
        let mut in_path = true;
        let mut i = 0;
        while let Some(&c) = b.get(i) {
            match c {
                b'a'..=b'z' | b'A'..=b'Z' | b'0'..=b'9' => {}
                b'-' | b'.' | b'_' | b'~' | b'=' | b'&' | b'+' | b',' | b';' => {}
                b'/' | b'?' => {
                    if in_path {
                        if is_dot_segment(b.get(segment..i)?) {
                            return None;
                        }
                        segment = i + 1;
                        in_path = c == b'/';
                    }
                }
                b'%' => {
                    let hex = |k: usize| b.get(k).is_some_and(u8::is_ascii_hexdigit);
                    if !(hex(i + 1) && hex(i + 2)) {
                        return None;
                    }
                    i += 2;
                }
                _ => return None,
            }
            i += 1;
        }
        if in_path && is_dot_segment(b.get(segment..)?) {
            return None;
        }
        Some(raw)
    }
}
