//! The exported [`Client`]: one subscription on one SQLite file. Each method converts its
//! arguments, calls the core's [`MmsClient`] and converts the answer; the core assembles the
//! client (push policy, provisioner, link gate, transport headers), not this crate.

use crate::error::{ClientError, LinkError, ProvisioningFailure};
use crate::platform::{
    EventListener, ListenerBridge, Mm1Transport, Platform, PlatformBridge, TransportBridge,
};
use crate::records::{
    AuditRow, LinkRequest, MessagePart, MessageSummary, OutgoingMessage, PendingSettings,
    PushDecision, RenderPlanView,
};
use mms_core::provisioning::{Credentials, Secret};
use mms_core::{Blocking, CarrierProfile, ClientOptions, MmsClient, SenderRule};
use std::sync::Arc;

/// The library's runtime: every async call runs on it.
pub(crate) fn runtime() -> &'static tokio::runtime::Runtime {
    static RT: std::sync::OnceLock<tokio::runtime::Runtime> = std::sync::OnceLock::new();
    RT.get_or_init(|| {
        tokio::runtime::Builder::new_multi_thread()
            .worker_threads(2)
            .enable_all()
            .thread_name("mms-core")
            .build()
            .unwrap_or_else(|_| std::process::abort())
    })
}

/// An MMS client: one subscription on one SQLite file.
#[derive(uniffi::Object)]
pub struct Client {
    inner: MmsClient,
    receivers: std::sync::Mutex<Vec<tokio::task::JoinHandle<()>>>,
}

/// Which transport a client uses.
enum TransportChoice {
    /// The library's own HTTP.
    #[cfg(feature = "http")]
    Http,
    /// The app's.
    App(Arc<dyn Mm1Transport>),
}

impl Client {
    /// Parses the profile and opens the client on the library's runtime.
    fn open_on(
        db_path: String,
        profile_toml: &str,
        listener: Arc<dyn EventListener>,
        platform: Option<Arc<dyn Platform>>,
        transport: TransportChoice,
    ) -> Result<Arc<Self>, ClientError> {
        let profile = CarrierProfile::from_toml(profile_toml)?;
        let _guard = runtime().enter();
        let transport: Arc<dyn mms_core::Mm1Transport> = match transport {
            #[cfg(feature = "http")]
            TransportChoice::Http => Arc::new(
                mms_core::HttpTransport::new(&profile)
                    .map_err(mms_core::ProfileError::Transport)?,
            ),
            TransportChoice::App(t) => {
                Arc::new(Blocking::new(Arc::new(TransportBridge(t)), &profile))
            }
        };
        let mut options = ClientOptions::default();
        if let Some(p) = platform {
            options.platform = Arc::new(PlatformBridge(p));
        }
        let inner = MmsClient::open_with(
            std::path::Path::new(&db_path),
            profile,
            transport,
            Arc::new(ListenerBridge(listener)),
            options,
        )?;
        Ok(Arc::new(Self {
            inner,
            receivers: std::sync::Mutex::new(Vec::new()),
        }))
    }

    /// The library's HTTP, or a profile error when it was built without it.
    fn own_http() -> Result<TransportChoice, ClientError> {
        #[cfg(feature = "http")]
        return Ok(TransportChoice::Http);
        #[cfg(not(feature = "http"))]
        return Err(ClientError::Profile {
            reason: "this library has no HTTP transport: open the client with the app's".into(),
        });
    }
}

#[uniffi::export(async_runtime = "tokio")]
impl Client {
    /// Opens (or creates) the store at `db_path` with a carrier profile in TOML.
    #[uniffi::constructor]
    pub fn open(
        db_path: String,
        profile_toml: String,
        listener: Arc<dyn EventListener>,
    ) -> Result<Arc<Self>, ClientError> {
        Self::open_on(db_path, &profile_toml, listener, None, Self::own_http()?)
    }

    /// Opens a client whose MM1 requests go through the app's own transport.
    #[uniffi::constructor]
    pub fn open_with_transport(
        db_path: String,
        profile_toml: String,
        transport: Arc<dyn Mm1Transport>,
        listener: Arc<dyn EventListener>,
    ) -> Result<Arc<Self>, ClientError> {
        Self::open_on(
            db_path,
            &profile_toml,
            listener,
            None,
            TransportChoice::App(transport),
        )
    }

    /// Opens the store with the app's platform services (roaming, contacts, message filter)
    /// and, when given, its own MM1 transport (otherwise the library's HTTP).
    #[uniffi::constructor]
    pub fn open_with_platform(
        db_path: String,
        profile_toml: String,
        transport: Option<Arc<dyn Mm1Transport>>,
        platform: Arc<dyn Platform>,
        listener: Arc<dyn EventListener>,
    ) -> Result<Arc<Self>, ClientError> {
        let transport = match transport {
            Some(t) => TransportChoice::App(t),
            None => Self::own_http()?,
        };
        Self::open_on(db_path, &profile_toml, listener, Some(platform), transport)
    }

    /// Listens for WAP pushes as UDP datagrams on `bind` (`127.0.0.1:0` picks a port); returns
    /// the bound address.
    pub async fn start_push_receiver(&self, bind: String) -> Result<String, ClientError> {
        let addr = bind.parse().map_err(|_| ClientError::Profile {
            reason: format!("not an address: {bind}"),
        })?;
        let c = self.inner.clone();
        let network = |e: String| ClientError::Network { reason: e };
        let (bound, task) = runtime()
            .spawn(async move { mms_core::spawn_push_receiver(c, addr).await })
            .await
            .map_err(|e| network(e.to_string()))?
            .map_err(|e| network(e.to_string()))?;
        if let Ok(mut r) = self.receivers.lock() {
            r.push(task);
        }
        Ok(bound.to_string())
    }

    /// Hands in a WAP push (a WSP push PDU as the platform delivered it) from `origin`; returns
    /// the verdict (and stores/downloads an accepted notification).
    pub async fn handle_push(&self, origin: String, wsp: Vec<u8>) -> PushDecision {
        (&self.inner.handle_platform_push(&origin, &wsp).await).into()
    }

    /// Hands in one SMS-DELIVER TPDU (with the SMSC address when `with_smsc`); the verdict once
    /// the push is complete, `None` while segments are missing.
    pub async fn handle_sms(&self, tpdu: Vec<u8>, with_smsc: bool) -> Option<PushDecision> {
        self.inner
            .handle_sms(&tpdu, with_smsc)
            .await
            .map(|v| (&v).into())
    }

    /// Sends a message; returns its row id once the MMSC accepted it.
    pub async fn send(&self, message: OutgoingMessage) -> Result<i64, ClientError> {
        Ok(self.inner.send(message.into()).await?)
    }

    /// Downloads a notified message.
    pub async fn download(&self, id: i64) -> Result<(), ClientError> {
        Ok(self.inner.download(id).await?)
    }

    /// Confirms that the app has the downloaded message; the MMSC is then acknowledged.
    pub async fn confirm_delivered(&self, id: i64) -> Result<(), ClientError> {
        Ok(self.inner.confirm_delivered(id).await?)
    }

    /// Messages, newest first.
    pub fn messages(&self) -> Result<Vec<MessageSummary>, ClientError> {
        Ok(self.inner.messages()?.into_iter().map(Into::into).collect())
    }

    /// The parts of a message.
    pub fn parts(&self, id: i64) -> Result<Vec<MessagePart>, ClientError> {
        Ok(self
            .inner
            .message(id)?
            .parts
            .into_iter()
            .map(Into::into)
            .collect())
    }

    /// The people of a message's conversation: its From, To and Cc (and Bcc, for a message the
    /// user sent), each once in any spelling of a number, the user's own number left out.
    pub fn participants(&self, id: i64) -> Result<Vec<String>, ClientError> {
        Ok(self.inner.participants(id)?)
    }

    /// The render plan of a downloaded message, as JSON (slides, parts, what was refused and
    /// why).
    pub fn render_plan_json(&self, id: i64) -> Result<String, ClientError> {
        let plan = self.inner.render_plan(id)?;
        Ok(serde_json::to_string(&plan).unwrap_or_default())
    }

    /// The render plan of a downloaded message, typed for a UI.
    pub fn render_plan(&self, id: i64) -> Result<RenderPlanView, ClientError> {
        Ok(self.inner.render_plan(id)?.into())
    }

    /// The security audit log, newest first, optionally for one reason code.
    pub fn audit_log(
        &self,
        reason: Option<String>,
        limit: i64,
    ) -> Result<Vec<AuditRow>, ClientError> {
        Ok(self
            .inner
            .audit_log(reason.as_deref(), limit)?
            .into_iter()
            .map(Into::into)
            .collect())
    }

    /// Marks a received message read; sends a read report when `send_report` and the sender
    /// asked for one. Returns whether a report was sent.
    pub async fn mark_read(&self, id: i64, send_report: bool) -> Result<bool, ClientError> {
        Ok(self.inner.mark_read(id, send_report).await?)
    }

    /// Forwards a received message without downloading it; returns the new Message-ID.
    pub async fn forward(&self, id: i64, to: Vec<String>) -> Result<String, ClientError> {
        Ok(self.inner.forward(id, &to).await?)
    }

    /// Deletes a message. One the MMSC still holds is released there first (M-Delete.req, or
    /// NotifyResp Rejected where the profile says the MMSC cannot delete). Returns
    /// `local`, `deleted_on_mmsc` or `rejected_at_mmsc`.
    pub async fn delete(&self, id: i64) -> Result<String, ClientError> {
        let outcome = self.inner.delete(id).await?;
        Ok(serde_json::to_value(outcome)
            .ok()
            .and_then(|v| v.as_str().map(str::to_string))
            .unwrap_or_default())
    }

    /// Withdraws an outgoing message that has not been submitted yet (it becomes `CANCELLED`).
    pub async fn cancel_send(&self, id: i64) -> Result<(), ClientError> {
        Ok(self.inner.cancel_send(id).await?)
    }

    /// Blocks (`blocked`) or allows a sender (FILTER-1): a blocked sender's notifications are
    /// dropped and audited; an allowed one counts as a known contact for auto-download.
    pub fn set_sender_rule(&self, address: String, blocked: bool) -> Result<(), ClientError> {
        let rule = if blocked {
            SenderRule::Block
        } else {
            SenderRule::Allow
        };
        Ok(self.inner.set_sender_rule(&address, rule)?)
    }

    /// Removes a sender rule.
    pub fn clear_sender_rule(&self, address: String) -> Result<(), ClientError> {
        Ok(self.inner.clear_sender_rule(&address)?)
    }

    /// Defers a notified message (tells the MMSC it will be fetched later).
    pub async fn defer(&self, id: i64) -> Result<(), ClientError> {
        Ok(self.inner.defer(id).await?)
    }

    /// Resumes every unfinished transaction (call at start-up); what it did, as JSON.
    pub async fn reconcile(&self) -> Result<String, ClientError> {
        let r = self.inner.reconcile().await?;
        Ok(serde_json::to_string(&r).unwrap_or_default())
    }

    /// The carrier profile in force, as TOML.
    pub fn profile_toml(&self) -> Result<String, ClientError> {
        Ok(self.inner.profile().to_toml()?)
    }

    /// Replaces the carrier profile (TOML).
    pub fn set_profile_toml(&self, toml: String) -> Result<(), ClientError> {
        Ok(self.inner.set_profile_toml(&toml)?)
    }

    /// The user tapped a link in message `message_id`: blocked, or a confirmation to ask for.
    pub fn request_link(&self, uri: String, message_id: String) -> LinkRequest {
        self.inner
            .links()
            .request_action(&uri, mms_core::links::LinkSource::message(&message_id))
            .into()
    }

    /// The user confirmed: releases the action (as JSON) if the token is valid for this link.
    pub fn confirm_link(
        &self,
        token: String,
        message_id: String,
        uri: String,
    ) -> Result<String, LinkError> {
        self.inner
            .links()
            .confirm(&token, &message_id, &uri)
            .map(|a| serde_json::to_string(&a).unwrap_or_default())
            .map_err(|e| LinkError::NotConfirmed {
                reason: e.to_string(),
            })
    }

    /// Verifies a provisioning push (WSP push from `origin`) with the user's PIN and/or the
    /// IMSI; nothing is applied until `confirm_provisioning`.
    pub async fn verify_provisioning(
        &self,
        origin: String,
        wsp: Vec<u8>,
        pin: Option<String>,
        imsi: Option<String>,
    ) -> Result<PendingSettings, ProvisioningFailure> {
        let creds = Credentials {
            imsi: imsi.map(Secret::new),
            pin: pin.map(Secret::new),
        };
        Ok(self
            .inner
            .verify_provisioning(&origin, &wsp, &creds)
            .await?
            .into())
    }

    /// Applies a verified change the user confirmed; returns the new MMSC URL.
    pub fn confirm_provisioning(&self, token: String) -> Result<String, ProvisioningFailure> {
        Ok(self.inner.provisioner().confirm(&token)?.mmsc_url)
    }

    /// Discards a pending change.
    pub fn reject_provisioning(&self, token: String) {
        self.inner.provisioner().reject(&token);
    }
}

impl Drop for Client {
    fn drop(&mut self) {
        if let Ok(r) = self.receivers.lock() {
            for t in r.iter() {
                t.abort();
            }
        }
    }
}
