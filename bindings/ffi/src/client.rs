//! The exported [`Client`]: one subscription on one SQLite file. Each method converts its
//! arguments, calls the core's [`MmsClient`] and converts the answer; the core assembles the
//! client (push policy, provisioner, link gate, transport headers), not this crate.
//!
//! Never on the caller's thread: every method that touches the database or the network is
//! `suspend` (Kotlin) / `async` (Swift) and runs on the library's runtime ([`Client::work`]
//! for the engine's asynchronous work, [`Client::read`] for a database read on its blocking
//! pool), so a call from the UI thread only suspends it. Opening a client reads the database
//! once: call the constructors off the main thread.

use crate::error::{ClientError, LinkError, ProvisioningFailure};
use crate::events::{EventListener, ListenerBridge, ListenerHandle, Listeners};
use crate::inbox::{ConversationPage, MessagePage, MessageScreen, PageRequest};
use crate::platform::{
    AsyncMm1Transport, AsyncTransportBridge, Mm1Transport, Platform, PlatformBridge,
    TransportBridge,
};
use crate::records::{
    AuditRow, DeleteOutcome, LinkAction, LinkRequest, MessagePart, MessageSummary, OutgoingMessage,
    PendingSettings, PushDecision, Reconciled,
};
use crate::render::RenderPlanView;
use mms_core::provisioning::{Credentials, Secret};
use mms_core::{Blocking, CarrierProfile, ClientOptions, MmsClient, SenderRule, WithHeaders};
use std::future::Future;
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
    listeners: Arc<Listeners>,
    receivers: std::sync::Mutex<Vec<tokio::task::JoinHandle<()>>>,
}

/// Which transport a client uses.
enum TransportChoice {
    /// The library's own HTTP.
    #[cfg(feature = "http")]
    Http,
    /// The app's, blocking.
    App(Arc<dyn Mm1Transport>),
    /// The app's, asynchronous.
    AppAsync(Arc<dyn AsyncMm1Transport>),
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
            TransportChoice::AppAsync(t) => Arc::new(WithHeaders::new(
                Arc::new(AsyncTransportBridge(t)),
                &profile,
            )),
        };
        let listeners = Arc::new(Listeners::default());
        listeners.add(listener);
        let mut options = ClientOptions::default();
        if let Some(p) = platform {
            options.platform = Arc::new(PlatformBridge(p));
        }
        let inner = MmsClient::open_with(
            std::path::Path::new(&db_path),
            profile,
            transport,
            Arc::new(ListenerBridge(listeners.clone())),
            options,
        )?;
        Ok(Arc::new(Self {
            inner,
            listeners,
            receivers: std::sync::Mutex::new(Vec::new()),
        }))
    }

    /// Runs the engine's asynchronous work `f` on the library's runtime (never on the thread
    /// that polls the call: a Kotlin dispatcher or a Swift executor).
    async fn work<T, F>(
        &self,
        f: impl FnOnce(MmsClient) -> F + Send + 'static,
    ) -> Result<T, ClientError>
    where
        F: Future<Output = Result<T, ClientError>> + Send + 'static,
        T: Send + 'static,
    {
        let c = self.inner.clone();
        runtime()
            .spawn(async move { f(c).await })
            .await
            .map_err(internal)?
    }

    /// Runs database work `f` on the library's blocking pool.
    async fn read<T>(
        &self,
        f: impl FnOnce(&MmsClient) -> Result<T, ClientError> + Send + 'static,
    ) -> Result<T, ClientError>
    where
        T: Send + 'static,
    {
        let c = self.inner.clone();
        runtime()
            .spawn_blocking(move || f(&c))
            .await
            .map_err(internal)?
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

fn internal(e: tokio::task::JoinError) -> ClientError {
    ClientError::Internal {
        reason: e.to_string(),
    }
}

#[uniffi::export(async_runtime = "tokio")]
impl Client {
    /// Opens (or creates) the store at `db_path` with a carrier profile in TOML, the library's
    /// own HTTP, and `listener` for every event from the start (more with `addListener`).
    #[uniffi::constructor]
    pub fn open(
        db_path: String,
        profile_toml: String,
        listener: Arc<dyn EventListener>,
    ) -> Result<Arc<Self>, ClientError> {
        Self::open_on(db_path, &profile_toml, listener, None, Self::own_http()?)
    }

    /// Opens a client whose MM1 requests go through the app's own blocking transport.
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

    /// Opens a client whose MM1 requests go through the app's own `suspend` / `async`
    /// transport.
    #[uniffi::constructor]
    pub fn open_with_async_transport(
        db_path: String,
        profile_toml: String,
        transport: Arc<dyn AsyncMm1Transport>,
        listener: Arc<dyn EventListener>,
    ) -> Result<Arc<Self>, ClientError> {
        Self::open_on(
            db_path,
            &profile_toml,
            listener,
            None,
            TransportChoice::AppAsync(transport),
        )
    }

    /// Opens the store with the app's platform services (roaming, contacts, message filter)
    /// and, when given, its own blocking MM1 transport (otherwise the library's HTTP).
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

    /// Adds a listener for every event from now on; the handle unregisters it (the Kotlin
    /// `events()` Flow and the Swift `events` AsyncStream are built on this).
    pub fn add_listener(&self, listener: Arc<dyn EventListener>) -> Arc<ListenerHandle> {
        let id = self.listeners.add(listener);
        Arc::new(ListenerHandle::new(&self.listeners, id))
    }

    /// How many listeners are registered (the one given at open included).
    pub fn listener_count(&self) -> u32 {
        u32::try_from(self.listeners.len()).unwrap_or(u32::MAX)
    }

    /// Listens for WAP pushes as UDP datagrams on `bind` (`127.0.0.1:0` picks a port); returns
    /// the bound address.
    pub async fn start_push_receiver(&self, bind: String) -> Result<String, ClientError> {
        let addr = bind.parse().map_err(|_| ClientError::InvalidInput {
            reason: format!("not an address: {bind}"),
        })?;
        let (bound, task) = self
            .work(move |c| async move {
                mms_core::spawn_push_receiver(c, addr)
                    .await
                    .map_err(|e| ClientError::Network {
                        reason: e.to_string(),
                        transient: false,
                    })
            })
            .await?;
        if let Ok(mut r) = self.receivers.lock() {
            r.push(task);
        }
        Ok(bound.to_string())
    }

    /// Hands in a WAP push (a WSP push PDU as the platform delivered it) from `origin`; returns
    /// the verdict (and stores/downloads an accepted notification).
    pub async fn handle_push(
        &self,
        origin: String,
        wsp: Vec<u8>,
    ) -> Result<PushDecision, ClientError> {
        self.work(move |c| async move { Ok((&c.handle_platform_push(&origin, &wsp).await).into()) })
            .await
    }

    /// Hands in one SMS-DELIVER TPDU (with the SMSC address when `with_smsc`); the verdict once
    /// the push is complete, none while segments are missing.
    pub async fn handle_sms(
        &self,
        tpdu: Vec<u8>,
        with_smsc: bool,
    ) -> Result<Option<PushDecision>, ClientError> {
        self.work(
            move |c| async move { Ok(c.handle_sms(&tpdu, with_smsc).await.map(|v| (&v).into())) },
        )
        .await
    }

    /// Sends a message; returns its row id once the MMSC accepted it.
    pub async fn send(&self, message: OutgoingMessage) -> Result<i64, ClientError> {
        self.work(move |c| async move { Ok(c.send(message.into()).await?) })
            .await
    }

    /// Downloads a notified message.
    pub async fn download(&self, id: i64) -> Result<(), ClientError> {
        self.work(move |c| async move { Ok(c.download(id).await?) })
            .await
    }

    /// Confirms that the app has the downloaded message; the MMSC is then acknowledged.
    pub async fn confirm_delivered(&self, id: i64) -> Result<(), ClientError> {
        self.work(move |c| async move { Ok(c.confirm_delivered(id).await?) })
            .await
    }

    /// A page of conversations, the most recently active first, each with its people, newest
    /// message (with the start of its text) and unread count: an inbox screen in one call.
    pub async fn conversations(&self, page: PageRequest) -> Result<ConversationPage, ClientError> {
        self.read(move |c| Ok(c.conversations(page.into())?.into()))
            .await
    }

    /// A page of the messages of conversation `key`, newest first, with date, size, people,
    /// state and the start of the text.
    pub async fn conversation_messages(
        &self,
        key: String,
        page: PageRequest,
    ) -> Result<MessagePage, ClientError> {
        self.read(move |c| Ok(c.conversation(&key, page.into())?.into()))
            .await
    }

    /// Everything a message screen shows in one call: the message, its recipients' reports,
    /// its parts (without bytes) and its render plan.
    pub async fn message(&self, id: i64) -> Result<MessageScreen, ClientError> {
        self.read(move |c| Ok(c.message_screen(id)?.into())).await
    }

    /// The bytes of part `index` of message `id`.
    pub async fn part_data(&self, id: i64, index: u32) -> Result<Vec<u8>, ClientError> {
        self.read(move |c| Ok(c.part_data(id, i64::from(index))?))
            .await
    }

    /// Writes part `index` of message `id` to the file at `path` (created or replaced) without
    /// carrying the bytes across the boundary; returns the octets written.
    pub async fn write_part(&self, id: i64, index: u32, path: String) -> Result<u64, ClientError> {
        self.read(move |c| Ok(c.write_part(id, i64::from(index), std::path::Path::new(&path))?))
            .await
    }

    /// Every message, newest first, without people or text. Superseded by `conversations`
    /// and `conversationMessages`, which page; kept for apps written against it.
    pub async fn messages(&self) -> Result<Vec<MessageSummary>, ClientError> {
        self.read(|c| Ok(c.messages()?.into_iter().map(Into::into).collect()))
            .await
    }

    /// The parts of a message with all their bytes. Superseded by `message` (metadata) and
    /// `partData` / `writePart` (bytes on demand); kept for apps written against it.
    pub async fn parts(&self, id: i64) -> Result<Vec<MessagePart>, ClientError> {
        self.read(move |c| Ok(c.message(id)?.parts.into_iter().map(Into::into).collect()))
            .await
    }

    /// The people of a message's conversation: its From, To and Cc (and Bcc, for a message the
    /// user sent), each once in any spelling of a number, the user's own number left out.
    /// `conversations` and `message` carry them already.
    pub async fn participants(&self, id: i64) -> Result<Vec<String>, ClientError> {
        self.read(move |c| Ok(c.participants(id)?)).await
    }

    /// The render plan of a downloaded message (also part of `message`).
    pub async fn render_plan(&self, id: i64) -> Result<RenderPlanView, ClientError> {
        self.read(move |c| Ok(c.render_plan(id)?.into())).await
    }

    /// The security audit log, newest first, optionally for one reason code.
    pub async fn audit_log(
        &self,
        reason: Option<String>,
        limit: i64,
    ) -> Result<Vec<AuditRow>, ClientError> {
        self.read(move |c| {
            Ok(c.audit_log(reason.as_deref(), limit)?
                .into_iter()
                .map(Into::into)
                .collect())
        })
        .await
    }

    /// Marks a received message read; sends a read report when `send_report` and the sender
    /// asked for one. Returns whether a report was sent.
    pub async fn mark_read(&self, id: i64, send_report: bool) -> Result<bool, ClientError> {
        self.work(move |c| async move { Ok(c.mark_read(id, send_report).await?) })
            .await
    }

    /// Forwards a received message without downloading it; returns the new Message-ID.
    pub async fn forward(&self, id: i64, to: Vec<String>) -> Result<String, ClientError> {
        self.work(move |c| async move { Ok(c.forward(id, &to).await?) })
            .await
    }

    /// Deletes a message. One the MMSC still holds is released there first (M-Delete.req, or
    /// NotifyResp Rejected where the profile says the MMSC cannot delete).
    pub async fn delete(&self, id: i64) -> Result<DeleteOutcome, ClientError> {
        self.work(move |c| async move { Ok(c.delete(id).await?.into()) })
            .await
    }

    /// Withdraws an outgoing message that has not been submitted yet (it becomes `Cancelled`).
    pub async fn cancel_send(&self, id: i64) -> Result<(), ClientError> {
        self.work(move |c| async move { Ok(c.cancel_send(id).await?) })
            .await
    }

    /// Blocks (`blocked`) or allows a sender (FILTER-1): a blocked sender's notifications are
    /// dropped and audited; an allowed one counts as a known contact for auto-download.
    pub async fn set_sender_rule(&self, address: String, blocked: bool) -> Result<(), ClientError> {
        let rule = if blocked {
            SenderRule::Block
        } else {
            SenderRule::Allow
        };
        self.read(move |c| Ok(c.set_sender_rule(&address, rule)?))
            .await
    }

    /// Removes a sender rule.
    pub async fn clear_sender_rule(&self, address: String) -> Result<(), ClientError> {
        self.read(move |c| Ok(c.clear_sender_rule(&address)?)).await
    }

    /// Defers a notified message (tells the MMSC it will be fetched later).
    pub async fn defer(&self, id: i64) -> Result<(), ClientError> {
        self.work(move |c| async move { Ok(c.defer(id).await?) })
            .await
    }

    /// Resumes every unfinished transaction (call at start-up); what it did.
    pub async fn reconcile(&self) -> Result<Reconciled, ClientError> {
        self.work(|c| async move { Ok(c.reconcile().await?.into()) })
            .await
    }

    /// The carrier profile in force, as TOML.
    pub fn profile_toml(&self) -> Result<String, ClientError> {
        Ok(self.inner.profile().to_toml()?)
    }

    /// Replaces the carrier profile (TOML).
    pub async fn set_profile_toml(&self, toml: String) -> Result<(), ClientError> {
        self.read(move |c| Ok(c.set_profile_toml(&toml)?)).await
    }

    /// The user tapped link `uri` in message `id` (the row id the app holds): blocked, or a
    /// confirmation to ask for.
    pub async fn request_link(&self, uri: String, id: i64) -> Result<LinkRequest, ClientError> {
        self.read(move |c| Ok(c.request_link(&uri, id)?.into()))
            .await
    }

    /// The user confirmed link `uri` of message `id`: the sanitised action, if the token is
    /// valid for this link (once).
    pub async fn confirm_link(
        &self,
        token: String,
        id: i64,
        uri: String,
    ) -> Result<LinkAction, LinkError> {
        let c = self.inner.clone();
        runtime()
            .spawn_blocking(move || c.confirm_link(&token, id, &uri))
            .await
            .map_err(|e| LinkError::Client {
                reason: e.to_string(),
            })?
            .map(|a| a.action.into())
            .map_err(Into::into)
    }

    /// Verifies a provisioning push (WSP push from `origin`) with the user's PIN and/or the
    /// IMSI; nothing is applied until `confirmProvisioning`.
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
        let c = self.inner.clone();
        runtime()
            .spawn(async move { c.verify_provisioning(&origin, &wsp, &creds).await })
            .await
            .map_err(|e| ProvisioningFailure::NotProvisioning {
                reason: e.to_string(),
            })?
            .map(Into::into)
            .map_err(Into::into)
    }

    /// Applies a verified change the user confirmed; returns the new MMSC URL.
    pub async fn confirm_provisioning(&self, token: String) -> Result<String, ProvisioningFailure> {
        let c = self.inner.clone();
        runtime()
            .spawn_blocking(move || c.provisioner().confirm(&token))
            .await
            .map_err(|e| ProvisioningFailure::NotProvisioning {
                reason: e.to_string(),
            })?
            .map(|s| s.mmsc_url)
            .map_err(Into::into)
    }

    /// Discards a pending change (audited as the user's refusal).
    pub async fn reject_provisioning(&self, token: String) -> Result<(), ClientError> {
        self.read(move |c| {
            c.provisioner().reject(&token);
            Ok(())
        })
        .await
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
