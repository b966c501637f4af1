//! Apps whose HTTP is blocking (Android's MMS network through a bound socket, a foreign
//! transport through the bindings) implement [`BlockingTransport`]; [`Blocking`] runs it on the
//! runtime's blocking pool as an [`Mm1Transport`], with the carrier headers of the profile
//! ([`super::request_headers`], plus `Content-Type` on a POST) and the profile's response cap.

use super::{
    BoxFuture, HttpResponse, MMS_MEDIA_TYPE, Mm1Transport, TransportError, request_headers,
};
use crate::config::CarrierProfile;
use std::sync::Arc;

/// A blocking MM1 transport: called on a worker thread of the library's runtime, so blocking
/// is fine. `headers` are the ones to send.
pub trait BlockingTransport: Send + Sync {
    /// POSTs an MMS PDU.
    fn post(
        &self,
        url: &str,
        headers: &[(String, String)],
        body: Vec<u8>,
    ) -> Result<HttpResponse, TransportError>;
    /// GETs a message.
    fn get(&self, url: &str, headers: &[(String, String)]) -> Result<HttpResponse, TransportError>;
}

/// A [`BlockingTransport`] as an [`Mm1Transport`].
pub struct Blocking {
    app: Arc<dyn BlockingTransport>,
    headers: Arc<Vec<(String, String)>>,
    max_response: u64,
}

impl std::fmt::Debug for Blocking {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Blocking")
            .field("headers", &self.headers)
            .field("max_response", &self.max_response)
            .finish_non_exhaustive()
    }
}

impl Blocking {
    /// Adapts `app` for a carrier profile.
    pub fn new(app: Arc<dyn BlockingTransport>, profile: &CarrierProfile) -> Self {
        Self {
            app,
            headers: Arc::new(request_headers(profile)),
            max_response: profile.max_response_size,
        }
    }

    async fn call(&self, url: &str, body: Option<Vec<u8>>) -> Result<HttpResponse, TransportError> {
        let (app, url, headers) = (self.app.clone(), url.to_string(), self.headers.clone());
        let reply = tokio::task::spawn_blocking(move || match body {
            Some(b) => {
                let mut h = headers.as_ref().clone();
                h.push(("Content-Type".into(), MMS_MEDIA_TYPE.into()));
                app.post(&url, &h, b)
            }
            None => app.get(&url, &headers),
        })
        .await
        .map_err(|e| TransportError::Dropped(e.to_string()))??;
        if reply.body.len() as u64 > self.max_response {
            return Err(TransportError::TooLarge(self.max_response));
        }
        Ok(reply)
    }
}

impl Mm1Transport for Blocking {
    fn post<'a>(
        &'a self,
        url: &'a str,
        pdu: Vec<u8>,
    ) -> BoxFuture<'a, Result<HttpResponse, TransportError>> {
        Box::pin(self.call(url, Some(pdu)))
    }

    fn get<'a>(&'a self, url: &'a str) -> BoxFuture<'a, Result<HttpResponse, TransportError>> {
        Box::pin(self.call(url, None))
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::indexing_slicing)]
    use super::*;
    use std::sync::Mutex;

    /// Records the headers of each request.
    #[derive(Default)]
    struct Recorder(Mutex<Vec<Vec<(String, String)>>>);

    impl BlockingTransport for Recorder {
        fn post(
            &self,
            _url: &str,
            headers: &[(String, String)],
            _body: Vec<u8>,
        ) -> Result<HttpResponse, TransportError> {
            self.0.lock().unwrap().push(headers.to_vec());
            Ok(HttpResponse {
                status: 200,
                body: vec![0; 8],
                retry_after: None,
            })
        }
        fn get(
            &self,
            _url: &str,
            headers: &[(String, String)],
        ) -> Result<HttpResponse, TransportError> {
            self.0.lock().unwrap().push(headers.to_vec());
            Ok(HttpResponse {
                status: 200,
                body: vec![0; 64],
                retry_after: None,
            })
        }
    }

    /// An app's own transport gets the same carrier headers as the library's HTTP (the
    /// bindings once rebuilt them and left out Accept and Connection: close), Content-Type on
    /// a POST, and the profile's response cap.
    #[tokio::test]
    async fn the_apps_transport_gets_the_carrier_headers_and_the_cap() {
        let app = Arc::new(Recorder::default());
        let profile = CarrierProfile {
            connection_close: true,
            uaprof_url: Some("http://ua.example/p.xml".into()),
            max_response_size: 32,
            ..CarrierProfile::default()
        };
        let t = Blocking::new(app.clone(), &profile);
        t.post("http://m.example/", vec![1]).await.unwrap();
        let got = t.get("http://m.example/x").await;
        assert_eq!(got, Err(TransportError::TooLarge(32)));
        let seen = app.0.lock().unwrap();
        let has = |i: usize, k: &str, v: &str| {
            seen[i]
                .iter()
                .any(|(a, b)| a.eq_ignore_ascii_case(k) && b.contains(v))
        };
        for i in 0..2 {
            assert!(has(i, "Accept", MMS_MEDIA_TYPE));
            assert!(has(i, "Connection", "close"));
            assert!(has(i, "User-Agent", "mms-core/"));
            assert!(has(i, "x-wap-profile", "ua.example"));
        }
        assert!(has(0, "Content-Type", MMS_MEDIA_TYPE));
        assert!(!has(1, "Content-Type", MMS_MEDIA_TYPE));
    }
}
