//! MM1 transport: the [`Mm1Transport`] trait (POST a PDU, GET a URL) that an app may implement
//! with its platform's MMS network; [`BlockingTransport`] for apps whose HTTP is blocking (the
//! bindings' foreign transport), adapted by [`Blocking`]; and, with the `http` feature,
//! [`HttpTransport`] over reqwest + rustls. Every transport sends the same carrier headers
//! ([`request_headers`]) and every answer is judged by the same status classes
//! ([`HttpResponse::class`]).

mod app;
mod blocking;
pub(crate) mod error;
#[cfg(feature = "http")]
mod http;

pub use app::{AppTransport, WithHeaders};
pub use blocking::{Blocking, BlockingTransport};
pub use error::TransportError;
#[cfg(feature = "http")]
pub use http::HttpTransport;

use crate::config::CarrierProfile;
use serde::Serialize;
use std::future::Future;
use std::pin::Pin;

/// A boxed future, so that the trait stays object-safe for foreign implementations.
pub type BoxFuture<'a, T> = Pin<Box<dyn Future<Output = T> + Send + 'a>>;

/// The media type of every MM1 PDU.
pub const MMS_MEDIA_TYPE: &str = "application/vnd.wap.mms-message";

/// An HTTP response.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct HttpResponse {
    /// Status code.
    pub status: u16,
    /// Body.
    pub body: Vec<u8>,
    /// Retry-After in seconds, when given.
    pub retry_after: Option<u64>,
}

/// What an HTTP status means for an MM1 transaction.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum HttpClass {
    /// 2xx: read the PDU.
    Success,
    /// 408, 429 and 5xx: try again later.
    Transient,
    /// 404 and 410: the MMSC no longer has what was asked for.
    Gone,
    /// 3xx: redirects are never followed.
    Redirect,
    /// Any other status: do not retry.
    Permanent,
}

impl HttpClass {
    /// The class of an HTTP status code.
    pub fn of(status: u16) -> Self {
        match status {
            200..=299 => HttpClass::Success,
            408 | 429 | 500..=599 => HttpClass::Transient,
            404 | 410 => HttpClass::Gone,
            300..=399 => HttpClass::Redirect,
            _ => HttpClass::Permanent,
        }
    }
}

impl HttpResponse {
    /// The class of this response's status.
    pub fn class(&self) -> HttpClass {
        HttpClass::of(self.status)
    }
}

/// Reads a `Retry-After` value (RFC 9110 10.2.3) as seconds to wait: delta-seconds, or an
/// HTTP-date, taken relative to the response's `Date` (the server's clock, so that a phone
/// whose clock is off still waits what the server meant) or, without one, to `now`. A date in
/// the past is 0; anything else is `None` (and the profile's backoff applies).
pub fn retry_after_secs(
    value: &str,
    date: Option<&str>,
    now: std::time::SystemTime,
) -> Option<u64> {
    let v = value.trim();
    if !v.is_empty() && v.bytes().all(|b| b.is_ascii_digit()) {
        // Delta-seconds: digits only; absurd values saturate (the profile caps them).
        return Some(v.parse().unwrap_or(u64::MAX));
    }
    let at = httpdate::parse_http_date(v).ok()?;
    let base = date
        .and_then(|d| httpdate::parse_http_date(d.trim()).ok())
        .unwrap_or(now);
    Some(at.duration_since(base).map(|d| d.as_secs()).unwrap_or(0))
}

/// The MM1 transport.
pub trait Mm1Transport: Send + Sync {
    /// POSTs an MMS PDU ([`MMS_MEDIA_TYPE`]) to `url`.
    fn post<'a>(
        &'a self,
        url: &'a str,
        pdu: Vec<u8>,
    ) -> BoxFuture<'a, Result<HttpResponse, TransportError>>;
    /// GETs `url`.
    fn get<'a>(&'a self, url: &'a str) -> BoxFuture<'a, Result<HttpResponse, TransportError>>;
    /// GETs `url`, refusing a body of more than `limit` octets ([`TransportError::TooLarge`]).
    /// A streaming transport stops reading past the limit; this default reads the whole answer
    /// with [`Mm1Transport::get`] and checks it afterwards.
    fn get_limited<'a>(
        &'a self,
        url: &'a str,
        limit: u64,
    ) -> BoxFuture<'a, Result<HttpResponse, TransportError>> {
        Box::pin(async move {
            let r = self.get(url).await?;
            if r.body.len() as u64 > limit {
                return Err(TransportError::TooLarge(limit));
            }
            Ok(r)
        })
    }
}

/// The most octets a retrieval may bring: the profile's `max_response_size`, and the size the
/// notification announced (`X-Mms-Message-Size`) with slack, or the profile's
/// `max_message_size` with slack when nothing was announced (a fetch by URL). The slack,
/// a quarter of the size plus 32 KiB, covers the M-Retrieve.conf headers and multipart framing
/// around the content the size counts, and MMSCs that round.
pub fn retrieval_cap(profile: &CarrierProfile, announced: Option<u64>) -> u64 {
    let with_slack = |n: u64| n.saturating_add(n / 4).saturating_add(32 * 1024);
    let size = announced.unwrap_or(profile.max_message_size);
    profile.max_response_size.min(with_slack(size))
}

/// The headers every MM1 request carries for a carrier profile: `Accept`, `User-Agent`, the
/// UAProf header, `Connection: close` where the carrier wants it, and the profile's extra
/// headers with their `##LINE1##` / `##NAI##` macros expanded. A POST adds `Content-Type`.
pub fn request_headers(profile: &CarrierProfile) -> Vec<(String, String)> {
    let mut h = vec![
        (
            "Accept".to_string(),
            format!("*/*, {MMS_MEDIA_TYPE}, application/vnd.wap.sic"),
        ),
        ("User-Agent".to_string(), profile.user_agent.clone()),
    ];
    if let Some(u) = &profile.uaprof_url {
        h.push((profile.uaprof_header.clone(), u.clone()));
    }
    if profile.connection_close {
        h.push(("Connection".to_string(), "close".to_string()));
    }
    h.extend(profile.expanded_headers());
    h
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn retry_after_in_both_forms() {
        let now = std::time::UNIX_EPOCH + std::time::Duration::from_secs(1_780_000_000);
        assert_eq!(retry_after_secs("120", None, now), Some(120));
        assert_eq!(retry_after_secs(" 0 ", None, now), Some(0));
        assert_eq!(
            retry_after_secs("99999999999999999999999", None, now),
            Some(u64::MAX)
        );
        // 1_780_000_000 is Thu, 28 May 2026 20:26:40 GMT.
        let in_an_hour = "Thu, 28 May 2026 21:26:40 GMT";
        assert_eq!(retry_after_secs(in_an_hour, None, now), Some(3600));
        // Relative to the server's Date when it sends one (the phone's clock is 10 min fast).
        let server = "Thu, 28 May 2026 20:16:40 GMT";
        assert_eq!(retry_after_secs(in_an_hour, Some(server), now), Some(4200));
        assert_eq!(
            retry_after_secs("Thu, 01 Jan 2015 00:00:00 GMT", None, now),
            Some(0)
        );
        for bad in ["", "-5", "1.5", "soon", "Thu, 32 May 2026 21:26:40 GMT"] {
            assert_eq!(retry_after_secs(bad, None, now), None, "{bad:?}");
        }
    }

    #[test]
    fn status_classes() {
        assert_eq!(HttpClass::of(200), HttpClass::Success);
        assert_eq!(HttpClass::of(204), HttpClass::Success);
        for s in [408, 429, 500, 503, 599] {
            assert_eq!(HttpClass::of(s), HttpClass::Transient, "{s}");
        }
        assert_eq!(HttpClass::of(404), HttpClass::Gone);
        assert_eq!(HttpClass::of(410), HttpClass::Gone);
        assert_eq!(HttpClass::of(302), HttpClass::Redirect);
        for s in [400, 401, 403, 415, 600, 100] {
            assert_eq!(HttpClass::of(s), HttpClass::Permanent, "{s}");
        }
    }

    #[test]
    fn headers_of_a_profile() {
        let p = CarrierProfile {
            uaprof_url: Some("http://ua.example/p.xml".into()),
            uaprof_header: "Profile".into(),
            connection_close: true,
            http_headers: vec!["X-MDN: ##LINE1##".into()],
            line1: Some("+15550100".into()),
            ..CarrierProfile::default()
        };
        let h = request_headers(&p);
        let get = |n: &str| {
            h.iter()
                .find(|(k, _)| k.eq_ignore_ascii_case(n))
                .map(|(_, v)| v.as_str())
        };
        assert!(get("Accept").is_some_and(|v| v.contains(MMS_MEDIA_TYPE)));
        assert_eq!(get("User-Agent"), Some(p.user_agent.as_str()));
        assert_eq!(get("Profile"), Some("http://ua.example/p.xml"));
        assert_eq!(get("Connection"), Some("close"));
        assert_eq!(get("X-MDN"), Some("+15550100"));
    }
}
