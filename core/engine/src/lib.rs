//! # mms-core
//!
//! The core of an MMS user agent: everything a phone needs to send and receive multimedia
//! messages over the MM1 interface safely, with no UI of its own. Depend on this crate alone;
//! it is built in three layers whose dependencies are the layering:
//!
//! * `mms-codec` (re-exported as [`codec`], with [`pdu`], [`wbxml`] and the wire halves of
//!   [`push`] and [`provisioning`]): bytes only, bounded and panic-free on hostile input;
//! * `mms-decisions` (re-exported as [`decisions`], with [`audit`], [`clock`], [`content`],
//!   [`links`], [`numbers`] and the judging halves of [`push`] and [`provisioning`]): pure
//!   functions of decoded data, policy and clock;
//! * this crate: the transaction engine ([`MmsClient`]), its SQLite [`Store`] (the only place
//!   that speaks SQL, with the typed journal [`State`]) and the MM1 transport
//!   ([`Mm1Transport`]; [`HttpTransport`] with the `http` feature).
//!
//! Open a client with [`MmsClient::open`]; everything else hangs off it.
#![forbid(unsafe_code)]
#![deny(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing,
    missing_docs
)]

mod config;
mod engine;
mod error;
mod store;
mod transport;

pub use mms_codec as codec;
pub use mms_codec::{pdu, wbxml};
pub use mms_decisions as decisions;
pub use mms_decisions::{audit, carriers, clock, content, links, numbers};

/// WAP push: the wire formats (`mms-codec`) and the validation policy (`mms-decisions`).
pub mod push {
    pub use mms_codec::push::*;
    pub use mms_decisions::push::*;
}

/// OMA Client Provisioning: the document (`mms-codec`) and its authentication, settings and
/// confirmed application (`mms-decisions`).
pub mod provisioning {
    pub use mms_codec::provisioning::*;
    pub use mms_decisions::provisioning::*;
}

pub use config::{AutoDownload, CarrierProfile, SettingsSource};
pub use engine::carrier::CarrierOutcome;
pub use engine::client::{LINK_CONFIRMATION_SECS, MessageView};
pub use engine::conversation::participants;
pub use engine::events::{Event, EventListener, NoopListener};
pub use engine::inbox::{MAX_PAGE, MessageScreen, Page, PageRequest};
pub use engine::platform::{NoPlatform, Platform};
pub use engine::push::Reconciled;
pub use engine::retry::spawn_retry_scheduler;
pub use engine::udp::{MAX_DATAGRAM, spawn_push_receiver, spawn_sms_receiver};
pub use engine::{ClientOptions, DeleteOutcome, Draft, DraftPart, MmsClient};
pub use error::{EngineError, ErrorKind, MmscError, ProfileError};
pub use store::{
    AUDIT_CAPACITY, ConversationRow, Direction, ListedMessage, MessageRow, PREVIEW_CHARS, PartInfo,
    PartRow, Peers, RecipientRow, SenderRule, State, Store, StoreError,
};
#[cfg(feature = "http")]
pub use transport::HttpTransport;
pub use transport::{
    AppTransport, Blocking, BlockingTransport, BoxFuture, HttpClass, HttpResponse, MMS_MEDIA_TYPE,
    Mm1Transport, TransportError, WithHeaders, request_headers, retrieval_cap, retry_after_secs,
};
