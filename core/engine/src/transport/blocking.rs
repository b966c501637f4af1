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
