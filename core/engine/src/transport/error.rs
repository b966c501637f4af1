//! Why an MM1 request failed, and whether trying again may help.

use serde::Serialize;

/// Why a request failed.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error, Serialize)]
pub enum TransportError {
    /// Could not connect (refused, unreachable, DNS).
    #[error("connect: {0}")]
    Connect(String),
    /// Timed out.
    #[error("timed out")]
    Timeout,
    /// The connection dropped mid-transfer.
    #[error("connection dropped: {0}")]
    Dropped(String),
    /// The response was larger than the cap.
    #[error("response larger than {0} octets")]
    TooLarge(u64),
    /// TLS failed (certificate not trusted, wrong host...).
    #[error("TLS: {0}")]
    Tls(String),
    /// The server redirected; redirects are never followed.
    #[error("redirect {0} refused")]
    Redirect(u16),
    /// Bad configuration (URL, proxy, anchors).
    #[error("configuration: {0}")]
    Config(String),
}

impl TransportError {
    /// True when retrying later may succeed.
    pub fn is_transient(&self) -> bool {
        matches!(self, Self::Connect(_) | Self::Timeout | Self::Dropped(_))
    }
}
