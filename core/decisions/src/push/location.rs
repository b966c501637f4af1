//! PUSH-1 and TLS-2: is a Content-Location (or an SI/SL href) on the provisioned MMSC?
//! The location is normalised by a WHATWG URL parser and then compared on scheme, host, port
//! and path prefix; raw forms that only a trick would use (userinfo, backslashes, percent-encoded
//! or non-ASCII hosts, IP literals in non-canonical forms, dot segments, embedded whitespace or
//! control characters, non-http(s) schemes) are refused before any comparison.

use serde::Serialize;
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
    path.split('/').any(|seg| {
        let s = seg.to_ascii_lowercase().replace("%2e", ".");
        s == "." || s == ".."
    })
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
    let lower = raw.to_ascii_lowercase();
    if !(lower.starts_with("http://") || lower.starts_with("https://")) {
        return Err(if lower.contains(':') {
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
        Some(Host::Ipv4(ip)) if rh != ip.to_string() => {
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
    let host = url.host_str().unwrap_or("").to_ascii_lowercase();
    let want = mmsc.host_str().unwrap_or("").to_ascii_lowercase();
    if host.trim_end_matches('.') != want.trim_end_matches('.') {
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
