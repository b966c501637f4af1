//! Events as the app receives them, typed (a sealed class in Kotlin, an enum in Swift), the
//! enums they carry, and the listeners an app registers and unregisters.

use crate::records::AuditRow;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, RwLock, Weak};

/// The journal state of a message.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, uniffi::Enum)]
pub enum MessageState {
    /// Notified; nothing fetched yet.
    Notified,
    /// Being downloaded.
    Downloading,
    /// Downloaded; the app has not confirmed it yet.
    Downloaded,
    /// The app confirmed it; the MMSC is not acknowledged yet.
    Delivered,
    /// The MMSC was acknowledged.
    Acknowledged,
    /// Expired before it was fetched, or gone from the MMSC.
    Expired,
    /// Waiting for submission.
    Queued,
    /// Being submitted.
    Submitting,
    /// Accepted by the MMSC.
    Sent,
    /// Failed for now; retried later.
    RetryWait,
    /// Failed for good.
    Failed,
    /// Withdrawn (by the user before submission, or by the MMSC before retrieval).
    Cancelled,
    /// Being deleted.
    Deleting,
}

impl From<mms_core::State> for MessageState {
    fn from(s: mms_core::State) -> Self {
        use mms_core::State as S;
        match s {
            S::Notified => Self::Notified,
            S::Downloading => Self::Downloading,
            S::Downloaded => Self::Downloaded,
            S::Delivered => Self::Delivered,
            S::Acknowledged => Self::Acknowledged,
            S::Expired => Self::Expired,
            S::Queued => Self::Queued,
            S::Submitting => Self::Submitting,
            S::Sent => Self::Sent,
            S::RetryWait => Self::RetryWait,
            S::Failed => Self::Failed,
            S::Cancelled => Self::Cancelled,
            S::Deleting => Self::Deleting,
        }
    }
}

/// Which way a message goes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, uniffi::Enum)]
pub enum Direction {
    /// Received.
    Incoming,
    /// Sent by the user.
    Outgoing,
}

impl From<mms_core::Direction> for Direction {
    fn from(d: mms_core::Direction) -> Self {
        match d {
            mms_core::Direction::In => Self::Incoming,
            mms_core::Direction::Out => Self::Outgoing,
        }
    }
}

/// An event from the engine.
#[derive(Debug, Clone, uniffi::Enum)]
pub enum MmsEvent {
    /// A notification was stored (`auto_download`: it is being downloaded now).
    NotificationStored {
        /// Message row id.
        id: i64,
        /// Whether it is downloaded without asking the user.
        auto_download: bool,
    },
    /// A message was downloaded and stored; confirm it with `confirmDelivered`.
    MessageReceived {
        /// Message row id.
        id: i64,
        /// Sender.
        from: Option<String>,
        /// Subject.
        subject: Option<String>,
    },
    /// A download failed.
    DownloadFailed {
        /// Message row id.
        id: i64,
        /// Why.
        error: String,
        /// Whether it will be retried.
        transient: bool,
    },
    /// A send changed state.
    SendProgress {
        /// Message row id.
        id: i64,
        /// The new state.
        state: MessageState,
    },
    /// A send finished.
    SendResult {
        /// Message row id.
        id: i64,
        /// Sent (true) or failed.
        ok: bool,
        /// The MMSC's Message-ID.
        message_id: Option<String>,
        /// Why it failed.
        error: Option<String>,
    },
    /// A delivery report arrived for a sent message.
    DeliveryReport {
        /// Message row id.
        id: i64,
        /// The recipient it is about.
        recipient: String,
        /// Status code (`retrieved`, `rejected`, `expired`...).
        status: String,
    },
    /// A read report arrived for a sent message.
    ReadReport {
        /// Message row id.
        id: i64,
        /// The recipient it is about.
        recipient: String,
        /// Status code (`read`, `deleted-without-being-read`).
        status: String,
    },
    /// The MMSC withdrew a message (kept when already retrieved).
    MessageCancelled {
        /// Message row id.
        id: i64,
        /// It had been retrieved, and stays with the user.
        retrieved: bool,
    },
    /// A security decision was recorded in the audit log.
    Security {
        /// The audit row.
        row: AuditRow,
    },
}

impl From<&mms_core::Event> for MmsEvent {
    fn from(event: &mms_core::Event) -> Self {
        use mms_core::Event as E;
        match event.clone() {
            E::NotificationStored { id, auto_download } => {
                Self::NotificationStored { id, auto_download }
            }
            E::MessageReceived { id, from, subject } => Self::MessageReceived { id, from, subject },
            E::DownloadFailed {
                id,
                error,
                transient,
            } => Self::DownloadFailed {
                id,
                error,
                transient,
            },
            E::SendProgress { id, state } => Self::SendProgress {
                id,
                state: state.into(),
            },
            E::SendResult {
                id,
                ok,
                message_id,
                error,
            } => Self::SendResult {
                id,
                ok,
                message_id,
                error,
            },
            E::DeliveryReport {
                id,
                recipient,
                status,
            } => Self::DeliveryReport {
                id,
                recipient,
                status,
            },
            E::ReadReport {
                id,
                recipient,
                status,
            } => Self::ReadReport {
                id,
                recipient,
                status,
            },
            E::MessageCancelled { id, retrieved } => Self::MessageCancelled { id, retrieved },
            E::Security(a) => Self::Security { row: a.into() },
        }
    }
}

/// Receives engine events (called on a library thread: hop to the UI thread yourself).
#[uniffi::export(with_foreign)]
pub trait EventListener: Send + Sync {
    /// One event.
    fn on_event(&self, event: MmsEvent);
}

/// The listeners of one client: the one it was opened with and those added since.
#[derive(Default)]
pub(crate) struct Listeners {
    next: AtomicU64,
    list: RwLock<Vec<(u64, Arc<dyn EventListener>)>>,
}

impl Listeners {
    /// Adds `l`; the id that removes it.
    pub(crate) fn add(&self, l: Arc<dyn EventListener>) -> u64 {
        let id = self.next.fetch_add(1, Ordering::Relaxed);
        if let Ok(mut list) = self.list.write() {
            list.push((id, l));
        }
        id
    }

    fn remove(&self, id: u64) -> bool {
        self.list.write().is_ok_and(|mut list| {
            let before = list.len();
            list.retain(|(i, _)| *i != id);
            list.len() != before
        })
    }

    /// How many listeners are registered.
    pub(crate) fn len(&self) -> usize {
        self.list.read().map(|l| l.len()).unwrap_or(0)
    }
}

/// Every registered listener, as the core's listener: each event is converted once and handed
/// to each (outside the lock, so a listener may unregister itself).
pub(crate) struct ListenerBridge(pub(crate) Arc<Listeners>);

impl mms_core::EventListener for ListenerBridge {
    fn on_event(&self, event: &mms_core::Event) {
        let listeners: Vec<Arc<dyn EventListener>> = match self.0.list.read() {
            Ok(l) => l.iter().map(|(_, l)| l.clone()).collect(),
            Err(_) => return,
        };
        if listeners.is_empty() {
            return;
        }
        let event = MmsEvent::from(event);
        for l in listeners {
            l.on_event(event.clone());
        }
    }
}

/// A registered listener: `unregister()` stops its events. Dropping the handle does not (a
/// garbage-collected handle must not silence a listener the app still relies on).
#[derive(uniffi::Object)]
pub struct ListenerHandle {
    listeners: Weak<Listeners>,
    id: u64,
}

impl ListenerHandle {
    pub(crate) fn new(listeners: &Arc<Listeners>, id: u64) -> Self {
        Self {
            listeners: Arc::downgrade(listeners),
            id,
        }
    }
}

#[uniffi::export]
impl ListenerHandle {
    /// Stops the listener's events; true the first time, false when it was already removed.
    pub fn unregister(&self) -> bool {
        self.listeners.upgrade().is_some_and(|l| l.remove(self.id))
    }
}
