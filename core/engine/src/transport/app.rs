//! Apps whose HTTP is asynchronous (Kotlin coroutines with OkHttp or Ktor, Swift's
//! `URLSession` with `async`/`await`) implement [`AppTransport`]; [`WithHeaders`] presents it as
//! an [`Mm1Transport`] with the carrier headers of the profile ([`super::request_headers`], plus
//! `Content-Type` on a POST) and the profile's response cap, exactly as [`super::Blocking`] does
//! for a blocking one. No thread waits while the app's request is in flight.

use super::{
    BoxFuture, HttpResponse, MMS_MEDIA_TYPE, Mm1Transport, TransportError, request_headers,
};
use crate::config::CarrierProfile;
use std::sync::Arc;

/// An asynchronous MM1 transport. `headers` are the ones to send.
pub trait AppTransport: Send + Sync {
    /// POSTs an MMS PDU.
    fn post(
        &self,
        url: String,
        headers: Vec<(String, String)>,
        body: Vec<u8>,
    ) -> BoxFuture<'_, Result<HttpResponse, TransportError>>;
    /// GETs a message.
    fn get(
        &self,
        url: String,
        headers: Vec<(String, String)>,
    ) -> BoxFuture<'_, Result<HttpResponse, TransportError>>;
}

/// An [`AppTransport`] as an [`Mm1Transport`].
pub struct WithHeaders {
    app: Arc<dyn AppTransport>,
    headers: Vec<(String, String)>,
    max_response: u64,
}

impl std::fmt::Debug for WithHeaders {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("WithHeaders")
            .field("headers", &self.headers)
            .field("max_response", &self.max_response)
            .finish_non_exhaustive()
    }
}

impl WithHeaders {
    /// Adapts `app` for a carrier profile.
    pub fn new(app: Arc<dyn AppTransport>, profile: &CarrierProfile) -> Self {
        Self {
            app,
            headers: request_headers(profile),
            max_response: profile.max_response_size,
        }
    }

    fn capped(&self, reply: HttpResponse) -> Result<HttpResponse, TransportError> {
        if reply.body.len() as u64 > self.max_response {
            return Err(TransportError::TooLarge(self.max_response));
        }
        Ok(reply)
    }
}

impl Mm1Transport for WithHeaders {
    fn post<'a>(
        &'a self,
        url: &'a str,
        pdu: Vec<u8>,
    ) -> BoxFuture<'a, Result<HttpResponse, TransportError>> {
        let mut h = self.headers.clone();
        h.push(("Content-Type".into(), MMS_MEDIA_TYPE.into()));
        Box::pin(async move { self.capped(self.app.post(url.to_string(), h, pdu).await?) })
    }

    fn get<'a>(&'a self, url: &'a str) -> BoxFuture<'a, Result<HttpResponse, TransportError>> {
        let h = self.headers.clone();
        Box::pin(async move { self.capped(self.app.get(url.to_string(), h).await?) })
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::indexing_slicing)]
    use super::*;
    use std::sync::Mutex;

    /// Records each request's headers; answers with `body_len` octets.
    struct Recorder {
        seen: Mutex<Vec<Vec<(String, String)>>>,
        body_len: usize,
    }

    impl AppTransport for Recorder {
        fn post(
            &self,
            _url: String,
            headers: Vec<(String, String)>,
            _body: Vec<u8>,
        ) -> BoxFuture<'_, Result<HttpResponse, TransportError>> {
            self.seen.lock().unwrap().push(headers);
            let body = vec![0; self.body_len];
            Box::pin(async move {
                Ok(HttpResponse {
                    status: 200,
                    body,
                    retry_after: None,
                })
            })
        }

        fn get(
            &self,
            url: String,
            headers: Vec<(String, String)>,
        ) -> BoxFuture<'_, Result<HttpResponse, TransportError>> {
            self.post(url, headers, Vec::new())
        }
    }

    #[tokio::test]
    async fn the_apps_async_transport_gets_the_carrier_headers_and_the_response_cap() {
        let mut profile = CarrierProfile::for_mmsc("http://mmsc.example/");
        profile.http_headers = vec!["X-Carrier: yes".into()];
        profile.max_response_size = 10;
        let app = Arc::new(Recorder {
            seen: Mutex::default(),
            body_len: 4,
        });
        let t = WithHeaders::new(app.clone(), &profile);
        t.post("http://mmsc.example/", vec![1]).await.unwrap();
        t.get("http://mmsc.example/m1").await.unwrap();
        let seen = app.seen.lock().unwrap().clone();
        let has = |h: &Vec<(String, String)>, k: &str| h.iter().any(|(n, _)| n == k);
        assert!(has(&seen[0], "X-Carrier") && has(&seen[0], "Content-Type"));
        assert!(has(&seen[1], "X-Carrier") && !has(&seen[1], "Content-Type"));
        let big = WithHeaders::new(
            Arc::new(Recorder {
                seen: Mutex::default(),
                body_len: 11,
            }),
            &profile,
        );
        assert!(matches!(
            big.get("http://mmsc.example/m1").await,
            Err(TransportError::TooLarge(10))
        ));
    }
}
