//! Events the engine sends to the app.

use mms_decisions::audit::AuditEvent;
use serde::Serialize;

/// An engine event.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "event", rename_all = "snake_case")]
pub enum Event {
    /// A notification was stored (downloaded later or by the user).
    NotificationStored {
        /// Message row id.
        id: i64,
        /// Whether it will be downloaded automatically.
        auto_download: bool,
    },
    /// A message was downloaded and stored; the app should confirm it with
    /// `confirm_delivered`.
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
        /// New state.
        state: crate::store::State,
    },
    /// A send finished.
    SendResult {
        /// Message row id.
        id: i64,
        /// Sent (true) or failed.
        ok: bool,
        /// Message-ID from the MMSC.
        message_id: Option<String>,
        /// Error text.
        error: Option<String>,
    },
    /// A delivery report arrived for a sent message.
    DeliveryReport {
        /// Message row id.
        id: i64,
        /// Recipient.
        recipient: String,
        /// Status (`retrieved`, `rejected`, ...).
        status: String,
    },
    /// A read report arrived for a sent message.
    ReadReport {
        /// Message row id.
        id: i64,
        /// Recipient.
        recipient: String,
        /// Status (`read`, `deleted-without-being-read`).
        status: String,
    },
    /// The MMSC withdrew a message (M-Cancel.req). A notification not yet downloaded is
    /// dropped (`CANCELLED`); a message already retrieved stays with the user.
    MessageCancelled {
        /// Message row id.
        id: i64,
        /// Whether it had already been retrieved (and so was kept).
        retrieved: bool,
    },
    /// A security decision was recorded in the audit log.
    Security(AuditEvent),
}

/// Receives engine events (the app's UI, the Kotlin/Swift listener).
pub trait EventListener: Send + Sync {
    /// Called for every event, from the engine's tasks; must not block for long.
    fn on_event(&self, event: &Event);
}

/// A listener that ignores events.
#[derive(Debug, Default, Clone, Copy)]
pub struct NoopListener;

impl EventListener for NoopListener {
    fn on_event(&self, _event: &Event) {}
}
