//! The push policy's inputs: the provisioned MMSC the notifications must point at, the
//! trusted push origins and SIR gateways, size and expiry bounds, and the flood limits.

use serde::Serialize;

/// The policy's inputs.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct PushPolicy {
    /// The provisioned MMSC URL.
    pub mmsc_url: Option<String>,
    /// Trusted push origins (PPG / short codes / SMSC addresses), compared after number
    /// normalisation.
    pub trusted_origins: Vec<String>,
    /// Gateways a SIR may name (PUSH-4).
    pub sir_gateways: Vec<String>,
    /// Reject notifications from untrusted origins instead of marking them unverified.
    pub reject_untrusted: bool,
    /// Carrier maximum message size.
    pub max_message_size: u64,
    /// Longest expiry accepted, in seconds from now.
    pub max_expiry_secs: u64,
    /// Burst allowed per untrusted origin.
    pub origin_burst: u32,
    /// Pushes per hour per untrusted origin, sustained.
    pub origin_per_hour: u32,
    /// Burst allowed per trusted origin.
    pub trusted_burst: u32,
    /// Pushes per hour per trusted origin, sustained.
    pub trusted_per_hour: u32,
    /// Burst allowed from all untrusted origins together.
    pub global_burst: u32,
    /// Pushes per minute from all untrusted origins together, sustained.
    pub global_per_minute: u32,
    /// Seconds auto-download stays paused after the global bucket ran dry.
    pub flood_cooldown_secs: u64,
    /// Origins tracked for rate limiting (the oldest are forgotten beyond).
    pub max_tracked_origins: usize,
    /// Transaction id + location pairs remembered for duplicate suppression.
    pub dedupe_capacity: usize,
}

impl Default for PushPolicy {
    fn default() -> Self {
        Self {
            mmsc_url: None,
            trusted_origins: Vec::new(),
            sir_gateways: Vec::new(),
            reject_untrusted: false,
            max_message_size: 1024 * 1024,
            max_expiry_secs: 90 * 86_400,
            origin_burst: 5,
            origin_per_hour: 30,
            trusted_burst: 50,
            trusted_per_hour: 600,
            global_burst: 30,
            global_per_minute: 20,
            flood_cooldown_secs: 120,
            max_tracked_origins: 256,
            dedupe_capacity: 4096,
        }
    }
}
