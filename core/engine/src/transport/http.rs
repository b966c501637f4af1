//! [`HttpTransport`], the default MM1 transport over reqwest + rustls (ring provider): webpki
//! roots plus operator-provided anchors and never user-installed roots (TLS-1), the carrier
//! proxy, timeouts, a hard cap on response size (streamed, aborted past it), no redirects, and
//! the carrier headers of [`super::request_headers`].

use super::{
    BoxFuture, HttpResponse, MMS_MEDIA_TYPE, Mm1Transport, TransportError, request_headers,
};
use crate::config::CarrierProfile;
use std::sync::Arc;
use std::time::Duration;

/// The default transport.
#[derive(Debug, Clone)]
pub struct HttpTransport {
    client: reqwest::Client,
    max_response: u64,
}

fn tls_config(anchors_pem: Option<&str>) -> Result<rustls::ClientConfig, TransportError> {
    let mut roots = rustls::RootCertStore::empty();
    roots.extend(webpki_roots::TLS_SERVER_ROOTS.iter().cloned());
    if let Some(pem) = anchors_pem {
        let mut reader = std::io::Cursor::new(pem.as_bytes());
        for cert in rustls_pemfile::certs(&mut reader) {
            let cert = cert.map_err(|e| TransportError::Config(format!("operator anchor: {e}")))?;
            roots
                .add(cert)
                .map_err(|e| TransportError::Config(format!("operator anchor: {e}")))?;
        }
    }
    let provider = Arc::new(rustls::crypto::ring::default_provider());
    let cfg = rustls::ClientConfig::builder_with_provider(provider)
        .with_safe_default_protocol_versions()
        .map_err(|e| TransportError::Config(e.to_string()))?
        .with_root_certificates(roots)
        .with_no_client_auth();
    Ok(cfg)
}

impl HttpTransport {
    /// Builds the transport for a carrier profile. Only the bundled webpki roots and the
    /// profile's operator anchors are trusted; platform and user-installed roots never are.
    pub fn new(profile: &CarrierProfile) -> Result<Self, TransportError> {
        let mut headers = reqwest::header::HeaderMap::new();
        for (k, v) in request_headers(profile) {
            if let (Ok(k), Ok(v)) = (
                reqwest::header::HeaderName::from_bytes(k.as_bytes()),
                reqwest::header::HeaderValue::from_str(&v),
            ) {
                headers.insert(k, v);
            }
        }
        let mut b = reqwest::Client::builder()
            .use_preconfigured_tls(tls_config(profile.operator_anchors_pem.as_deref())?)
            .redirect(reqwest::redirect::Policy::none())
            .connect_timeout(Duration::from_secs(profile.http_timeout_secs.clamp(1, 300)))
            .read_timeout(Duration::from_secs(profile.http_timeout_secs.clamp(1, 300)))
            .timeout(Duration::from_secs(
                profile.http_timeout_secs.clamp(1, 300).saturating_mul(4),
            ))
            .default_headers(headers)
            .no_proxy();
        if let Some(a) = &profile.bind_address {
            let ip: std::net::IpAddr = a
                .trim()
                .parse()
                .map_err(|_| TransportError::Config(format!("bind address {a:?}")))?;
            b = b.local_address(ip);
        }
        if let Some(p) = &profile.proxy {
            let proxy = reqwest::Proxy::all(format!("http://{p}"))
                .map_err(|e| TransportError::Config(format!("proxy {p}: {e}")))?;
            b = b.proxy(proxy);
        }
        let client = b
            .build()
            .map_err(|e| TransportError::Config(e.to_string()))?;
        Ok(Self {
            client,
            max_response: profile.max_response_size,
        })
    }

    async fn read(
        &self,
        resp: Result<reqwest::Response, reqwest::Error>,
        limit: u64,
    ) -> Result<HttpResponse, TransportError> {
        let max = self.max_response.min(limit);
        let mut resp = resp.map_err(map_err)?;
        let status = resp.status().as_u16();
        if resp.status().is_redirection() {
            return Err(TransportError::Redirect(status));
        }
        let header = |name: &str| resp.headers().get(name).and_then(|v| v.to_str().ok());
        let retry_after = header("retry-after")
            .and_then(|v| super::retry_after_secs(v, header("date"), std::time::SystemTime::now()));
        if resp.content_length().is_some_and(|l| l > max) {
            return Err(TransportError::TooLarge(max));
        }
        // Sized once from Content-Length (already checked against the cap), so a large body is
        // not reallocated (and transiently doubled) as it grows.
        let mut body =
            Vec::with_capacity(usize::try_from(resp.content_length().unwrap_or(0)).unwrap_or(0));
        while let Some(chunk) = resp.chunk().await.map_err(|e| {
            if e.is_timeout() {
                TransportError::Timeout
            } else {
                TransportError::Dropped(e.to_string())
            }
        })? {
            if (body.len() + chunk.len()) as u64 > max {
                return Err(TransportError::TooLarge(max));
            }
            body.extend_from_slice(&chunk);
        }
        Ok(HttpResponse {
            status,
            body,
            retry_after,
        })
    }
}

fn map_err(e: reqwest::Error) -> TransportError {
    let text = format!("{e:#}");
    let mut src: Option<&dyn std::error::Error> = Some(&e);
    let mut chain = String::new();
    while let Some(s) = src {
        chain.push_str(&s.to_string());
        chain.push_str("; ");
        src = s.source();
    }
    if e.is_timeout() {
        TransportError::Timeout
    } else if chain.contains("certificate")
        || chain.contains("tls")
        || chain.contains("TLS")
        || chain.contains("UnknownIssuer")
    {
        TransportError::Tls(chain)
    } else if e.is_connect() {
        TransportError::Connect(chain)
    } else {
        TransportError::Dropped(text)
    }
}

impl Mm1Transport for HttpTransport {
    fn post<'a>(
        &'a self,
        url: &'a str,
        pdu: Vec<u8>,
    ) -> BoxFuture<'a, Result<HttpResponse, TransportError>> {
        Box::pin(async move {
            let r = self
                .client
                .post(url)
                .header("Content-Type", MMS_MEDIA_TYPE)
                .body(pdu)
                .send()
                .await;
            self.read(r, u64::MAX).await
        })
    }

    fn get<'a>(&'a self, url: &'a str) -> BoxFuture<'a, Result<HttpResponse, TransportError>> {
        self.get_limited(url, u64::MAX)
    }

    fn get_limited<'a>(
        &'a self,
        url: &'a str,
        limit: u64,
    ) -> BoxFuture<'a, Result<HttpResponse, TransportError>> {
        Box::pin(async move {
            let r = self.client.get(url).send().await;
            self.read(r, limit).await
        })
    }
}
