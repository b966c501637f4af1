//! The app's side of the boundary: foreign traits the app implements (its platform answers,
//! its MM1 transport, blocking or `suspend`/`async`) and the bridges that present each to the
//! core as the core's own trait. The event listener is in [`crate::events`].

use crate::error::TransportFailure;
use crate::records::{HttpHeader, HttpReply};
use std::sync::Arc;

/// What the app knows about the phone, for the auto-download policy and the message filter
/// (Android: TelephonyManager roaming state, the contacts provider; iOS: the Contacts
/// framework). Called on a library thread; must answer quickly.
#[uniffi::export(with_foreign)]
pub trait Platform: Send + Sync {
    /// The phone is roaming now (`auto_download = "not_when_roaming"`).
    fn is_roaming(&self) -> bool;
    /// `address` (as the notification names the sender) is one of the user's contacts
    /// (`auto_download = "known_contacts_only"`).
    fn is_known_contact(&self, address: String) -> bool;
    /// The app's message filter (FILTER-1): false drops a notification before anything is
    /// stored or fetched, with an audit row.
    fn keep_notification(
        &self,
        from: Option<String>,
        subject: Option<String>,
        size: Option<u64>,
    ) -> bool;
}

pub(crate) struct PlatformBridge(pub(crate) Arc<dyn Platform>);

impl mms_core::Platform for PlatformBridge {
    fn is_roaming(&self) -> bool {
        self.0.is_roaming()
    }
    fn is_known_contact(&self, address: &str) -> bool {
        self.0.is_known_contact(address.to_string())
    }
    fn keep_notification(&self, n: &mms_core::push::NotificationInfo) -> bool {
        self.0
            .keep_notification(n.from.clone(), n.subject.clone(), n.size)
    }
}

/// The app's own HTTP over the MMS network (Android: a network bound to the MMS APN). Called on
/// a library worker thread; blocking is fine. The headers to send (carrier headers, User-Agent,
/// UAProf) are given.
#[uniffi::export(with_foreign)]
pub trait Mm1Transport: Send + Sync {
    /// POSTs an MMS PDU (`application/vnd.wap.mms-message`).
    fn post(
        &self,
        url: String,
        headers: Vec<HttpHeader>,
        body: Vec<u8>,
    ) -> Result<HttpReply, TransportFailure>;
    /// GETs a message.
    fn get(&self, url: String, headers: Vec<HttpHeader>) -> Result<HttpReply, TransportFailure>;
}

/// The app's transport as the core's blocking transport (the core adds the headers, runs it
/// off the async runtime and caps the response).
pub(crate) struct TransportBridge(pub(crate) Arc<dyn Mm1Transport>);

fn headers(h: &[(String, String)]) -> Vec<HttpHeader> {
    h.iter()
        .map(|(name, value)| HttpHeader {
            name: name.clone(),
            value: value.clone(),
        })
        .collect()
}

impl From<HttpReply> for mms_core::HttpResponse {
    fn from(r: HttpReply) -> Self {
        mms_core::HttpResponse {
            status: r.status,
            body: r.body,
            retry_after: r.retry_after_secs,
        }
    }
}

impl mms_core::BlockingTransport for TransportBridge {
    fn post(
        &self,
        url: &str,
        h: &[(String, String)],
        body: Vec<u8>,
    ) -> Result<mms_core::HttpResponse, mms_core::TransportError> {
        Ok(self.0.post(url.to_string(), headers(h), body)?.into())
    }

    fn get(
        &self,
        url: &str,
        h: &[(String, String)],
    ) -> Result<mms_core::HttpResponse, mms_core::TransportError> {
        Ok(self.0.get(url.to_string(), headers(h))?.into())
    }
}

/// The app's own HTTP over the MMS network, asynchronous: Kotlin `suspend` functions (OkHttp,
/// Ktor), Swift `async` ones (`URLSession`). No library thread waits while a request is in
/// flight. The headers to send (carrier headers, User-Agent, UAProf, Content-Type) are given.
#[uniffi::export(with_foreign)]
#[async_trait::async_trait]
pub trait AsyncMm1Transport: Send + Sync {
    /// POSTs an MMS PDU.
    async fn post(
        &self,
        url: String,
        headers: Vec<HttpHeader>,
        body: Vec<u8>,
    ) -> Result<HttpReply, TransportFailure>;
    /// GETs a message.
    async fn get(
        &self,
        url: String,
        headers: Vec<HttpHeader>,
    ) -> Result<HttpReply, TransportFailure>;
}

/// The app's asynchronous transport as the core's.
pub(crate) struct AsyncTransportBridge(pub(crate) Arc<dyn AsyncMm1Transport>);

impl mms_core::AppTransport for AsyncTransportBridge {
    fn post(
        &self,
        url: String,
        h: Vec<(String, String)>,
        body: Vec<u8>,
    ) -> mms_core::BoxFuture<'_, Result<mms_core::HttpResponse, mms_core::TransportError>> {
        Box::pin(async move { Ok(self.0.post(url, headers(&h), body).await?.into()) })
    }

    fn get(
        &self,
        url: String,
        h: Vec<(String, String)>,
    ) -> mms_core::BoxFuture<'_, Result<mms_core::HttpResponse, mms_core::TransportError>> {
        Box::pin(async move { Ok(self.0.get(url, headers(&h)).await?.into()) })
    }
}
