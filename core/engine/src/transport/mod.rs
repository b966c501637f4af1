//! MM1 transport: the [`Mm1Transport`] trait (POST a PDU, GET a URL) that an app may implement
//! with its platform's MMS network; [`BlockingTransport`] for apps whose HTTP is blocking (the
//! bindings' foreign transport), adapted by [`Blocking`]; and, with the `http` feature,
//! [`HttpTransport`] over reqwest + rustls. Every transport sends the same carrier headers
//! ([`request_headers`]) and every answer is judged by the same status classes
//! ([`HttpResponse::class`]).

mod blocking;
pub(crate) mod error;
#[cfg(feature = "http")]
mod http;

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
