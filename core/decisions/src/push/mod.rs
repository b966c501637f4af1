//! Push validation (PUSH-1 .. PUSH-8, TLS-2): a [`PushValidator`] judges a decoded push
//! ([`mms_codec::push::DecodedPush`]) with its origin and channel and returns a
//! [`PushVerdict`]: accept, accept-unverified, defer or reject, with a reason code, the threat
//! it counters, what the push carries as plain data and the audit row it wrote. The
//! [`PushHandler`] reassembles SMS segments first, then decodes, then judges.

pub mod flood;
pub mod handler;
pub mod location;
pub mod policy;
pub mod validator;
pub mod verdict;

pub use flood::ValidatorStats;
pub use handler::PushHandler;
pub use location::{LocationProblem, MmscLocation, check_location};
pub use policy::PushPolicy;
pub use validator::PushValidator;
pub use verdict::{
    Bearer, NotificationInfo, PushChannel, PushContent, PushReason, PushVerdict, Verdict,
};
