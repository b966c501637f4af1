//! The carrier profile: the keys of DESIGN.md section 5 (as in AOSP CarrierConfig) with
//! sensible defaults, loaded from TOML, from provisioning, or through the API.

use crate::transport::error::TransportError;
use serde::{Deserialize, Serialize};

/// A carrier profile that cannot be used.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ProfileError {
    /// The MMSC URL does not parse as an http(s) URL.
    #[error("MMSC URL {0:?} is not an http(s) URL")]
    MmscUrl(String),
    /// The TOML does not parse or does not fit the profile's keys.
    #[error("profile TOML: {0}")]
    Toml(String),
    /// The transport cannot be built for it (proxy, operator anchors).
    #[error("transport: {0}")]
    Transport(TransportError),
    /// `bind_address` is not an IP address.
    #[error("bind address {0:?} is not an IP address")]
    BindAddress(String),
}

/// Where the MMS settings in force (MMSC, proxy, APN) came from. Precedence: settings
/// confirmed from an authenticated OTA push over the user's (or app's) own over the carrier
/// data's suggestion; a suggestion is applied only when the app asks, and never over the other
/// two.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum SettingsSource {
    /// Set by the user or the app (a profile written by hand, `set_profile`).
    #[default]
    Manual,
    /// Suggested by the carrier data for the SIM's network and applied at the app's request.
    CarrierData,
    /// Confirmed from an authenticated OTA provisioning push.
    Ota,
}

impl SettingsSource {
    /// The source's code, as in JSON and the audit log.
    pub fn code(self) -> &'static str {
        match self {
            SettingsSource::Manual => "manual",
            SettingsSource::CarrierData => "carrier_data",
            SettingsSource::Ota => "ota",
        }
    }
}

/// When received messages are downloaded without asking.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Default)]
#[serde(rename_all = "snake_case")]
pub enum AutoDownload {
    /// Always (for notifications the push policy accepted).
    #[default]
    Always,
    /// Never: the user starts every download.
    Never,
    /// Not while roaming.
    NotWhenRoaming,
    /// Only from senders the app's contact predicate knows.
    KnownContactsOnly,
}

/// A carrier profile.
/// A carrier profile. Keys may also be given by the names of Android's CarrierConfig MMS keys
/// (`maxMessageSize`, `userAgent`, `uaProfUrl`, `uaProfTagName`, `maxImageWidth`,
/// `maxImageHeight`, `recipientLimit`, `enableGroupMms`, `supportMmsContentDisposition`,
/// `enabledTransID`, `enabledNotifyWapMMSC`) and of its APN database (`mmsc`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct CarrierProfile {
    /// The MMSC URL. Empty while unconfigured: with `mcc_mnc` given, notifications are then
    /// held against the carrier data's MMSC for that network (PUSH-1).
    #[serde(alias = "mmsc")]
    pub mmsc_url: String,
    /// The MMS proxy as `host:port`.
    pub proxy: Option<String>,
    /// The local IP address MMS traffic leaves from (the MMS APN's interface, where the
    /// platform gives one; a Linux phone daemon binds its MMS bearer's address).
    pub bind_address: Option<String>,
    /// The APN MMS goes over (informational: the platform brings the data connection up).
    pub apn: Option<String>,
    /// The SIM's network (MCC-MNC, e.g. `310260`), for the carrier data.
    pub mcc_mnc: Option<String>,
    /// The SIM's service provider name, to choose among the carrier data's candidates.
    pub spn: Option<String>,
    /// Where the MMSC, proxy and APN came from (precedence: OTA over manual over carrier
    /// data).
    pub settings_source: SettingsSource,
    /// Largest message the MMSC accepts, in octets.
    #[serde(alias = "maxMessageSize")]
    pub max_message_size: u64,
    /// Largest image width sent.
    #[serde(alias = "maxImageWidth")]
    pub max_image_width: u32,
    /// Largest image height sent.
    #[serde(alias = "maxImageHeight")]
    pub max_image_height: u32,
    /// Most recipients per message.
    #[serde(alias = "recipientLimit")]
    pub recipient_limit: u32,
    /// User-Agent header.
    #[serde(alias = "userAgent")]
    pub user_agent: String,
    /// UAProf URL.
    #[serde(alias = "uaProfUrl")]
    pub uaprof_url: Option<String>,
    /// Header name for the UAProf URL (`x-wap-profile` or `Profile`).
    #[serde(alias = "uaProfTagName")]
    pub uaprof_header: String,
    /// Extra headers, `Name: value`, with `##LINE1##` and `##NAI##` macros.
    pub http_headers: Vec<String>,
    /// The subscriber's own number (for `##LINE1##` and to leave oneself out of conversations).
    pub line1: Option<String>,
    /// The home region (ISO 3166-1 alpha-2, e.g. `GB`) numbers written in national form are
    /// read in; without it, the region of `line1` when that is in international form.
    pub home_region: Option<String>,
    /// The NAI (for `##NAI##`).
    pub nai: Option<String>,
    /// Append the transaction id to the download URL.
    #[serde(alias = "enabledTransID")]
    pub append_transaction_id: bool,
    /// Post NotifyResp to the content location instead of the MMSC URL.
    #[serde(alias = "enabledNotifyWapMMSC")]
    pub notify_resp_to_location: bool,
    /// Send `Connection: close`.
    pub connection_close: bool,
    /// The MMSC accepts M-Delete.req for messages it still holds; without it, a notified
    /// message the user deletes is refused with NotifyResp (Rejected) instead.
    pub mmsc_delete: bool,
    /// HTTP timeout in seconds.
    pub http_timeout_secs: u64,
    /// Largest response accepted, in octets (streamed, aborted past it).
    pub max_response_size: u64,
    /// MMS version written (`1.2`).
    pub mms_version: String,
    /// The carrier supports group MMS (AOSP `enableGroupMms`). Off: a draft to several
    /// recipients is submitted with every recipient in Bcc, so that no recipient learns the
    /// others or replies to all; each sees a message from the user alone.
    #[serde(alias = "enableGroupMms")]
    pub group_mms: bool,
    /// Content-Disposition headers in received parts are honoured (AOSP
    /// `supportMmsContentDisposition`). Off: they are ignored, so a part's name comes from its
    /// content type's `name` or its Content-Location only (some carriers send malformed ones).
    #[serde(alias = "supportMmsContentDisposition")]
    pub content_disposition: bool,
    /// Request delivery reports.
    pub delivery_reports: bool,
    /// Request read reports.
    pub read_reports: bool,
    /// Send read reports when the user reads a message that asked for one.
    pub send_read_reports: bool,
    /// Auto-download policy.
    pub auto_download: AutoDownload,
    /// Trusted push origins (the operator's PPG numbers or addresses).
    pub push_origins: Vec<String>,
    /// Pushes a trusted origin may send in a burst before its rate applies (PUSH-6).
    pub trusted_push_burst: u32,
    /// Pushes per hour a trusted origin may send, sustained (PUSH-6).
    pub trusted_push_per_hour: u32,
    /// PEM of operator-provided trust anchors for an https MMSC (never user-installed roots).
    pub operator_anchors_pem: Option<String>,
    /// Transient failures are retried this many times.
    pub max_send_attempts: u32,
    /// First retry delay in milliseconds (doubled each time).
    pub retry_base_ms: u64,
    /// The longest `Retry-After` honoured, in seconds: an MMSC asking for more is retried
    /// after this long (a day-long Retry-After from a misconfigured MMSC must not park a
    /// message for a day).
    pub max_retry_after_secs: u64,
    /// The longest a `send` call waits for a retry before returning, in seconds. A retry due
    /// later is scheduled instead (`RETRY_WAIT` with its time; `send` returns
    /// [`crate::EngineError::RetryScheduled`]) and made by `run_due_retries`, by the retry
    /// scheduler or by `reconcile` once it is due.
    pub max_call_wait_secs: u64,
}

impl Default for CarrierProfile {
    fn default() -> Self {
        Self {
            mmsc_url: String::new(),
            proxy: None,
            bind_address: None,
            apn: None,
            mcc_mnc: None,
            spn: None,
            settings_source: SettingsSource::Manual,
            max_message_size: 300 * 1024,
            max_image_width: 640,
            max_image_height: 480,
            recipient_limit: 20,
            user_agent: format!("mms-core/{}", env!("CARGO_PKG_VERSION")),
            uaprof_url: None,
            uaprof_header: "x-wap-profile".into(),
            http_headers: Vec::new(),
            line1: None,
            home_region: None,
            nai: None,
            append_transaction_id: false,
            notify_resp_to_location: false,
            connection_close: false,
            mmsc_delete: false,
            http_timeout_secs: 60,
            max_response_size: 2 * 1024 * 1024,
            mms_version: "1.2".into(),
            group_mms: true,
            content_disposition: true,
            delivery_reports: true,
            read_reports: true,
            send_read_reports: true,
            auto_download: AutoDownload::Always,
            push_origins: Vec::new(),
            trusted_push_burst: 50,
            trusted_push_per_hour: 600,
            operator_anchors_pem: None,
            max_send_attempts: 4,
            retry_base_ms: 2_000,
            max_retry_after_secs: 3_600,
            max_call_wait_secs: 30,
        }
    }
}

impl CarrierProfile {
    /// The MMSC URL notifications are held against (PUSH-1): the configured one, or, while
    /// none is, the carrier data's for the SIM's network (`mcc_mnc`, `spn`).
    pub fn expected_mmsc(&self) -> Option<String> {
        if !self.mmsc_url.trim().is_empty() {
            return Some(self.mmsc_url.clone());
        }
        let db = mms_decisions::carriers::CarrierDb::bundled();
        db.suggest(self.mcc_mnc.as_deref()?, self.spn.as_deref())
            .map(|e| e.mmsc.clone())
    }

    /// The profile with a carrier data entry's MMSC, proxy and APN, marked as coming from the
    /// carrier data.
    pub fn with_carrier_entry(mut self, e: &mms_decisions::carriers::CarrierEntry) -> Self {
        self.mmsc_url = e.mmsc.clone();
        self.proxy = e.mms_proxy.clone();
        self.apn = Some(e.apn.clone());
        self.settings_source = SettingsSource::CarrierData;
        self
    }

    /// How this subscription reads phone numbers ([`NumberPlan::for_subscription`] of
    /// `home_region` and `line1`).
    pub fn number_plan(&self) -> mms_decisions::numbers::NumberPlan {
        mms_decisions::numbers::NumberPlan::for_subscription(
            self.home_region.as_deref(),
            self.line1.as_deref(),
        )
    }

    /// A profile for an MMSC URL with defaults.
    pub fn for_mmsc(url: &str) -> Self {
        Self {
            mmsc_url: url.to_string(),
            ..Self::default()
        }
    }

    /// Parses a TOML profile.
    pub fn from_toml(s: &str) -> Result<Self, ProfileError> {
        toml::from_str(s).map_err(|e| ProfileError::Toml(e.to_string()))
    }

    /// Serialises to TOML.
    pub fn to_toml(&self) -> Result<String, ProfileError> {
        toml::to_string(self).map_err(|e| ProfileError::Toml(e.to_string()))
    }

    /// Checks what the engine cannot work without: an http(s) MMSC URL, or, while
    /// unconfigured (no MMSC yet), the SIM's network for the carrier data.
    pub fn validate(&self) -> Result<(), ProfileError> {
        let unconfigured = self.mmsc_url.trim().is_empty() && self.mcc_mnc.is_some();
        match url::Url::parse(self.mmsc_url.trim()) {
            Ok(u) if u.scheme() == "http" || u.scheme() == "https" => {}
            _ if unconfigured => {}
            _ => return Err(ProfileError::MmscUrl(self.mmsc_url.clone())),
        }
        if let Some(a) = &self.bind_address {
            a.trim()
                .parse::<std::net::IpAddr>()
                .map_err(|_| ProfileError::BindAddress(a.clone()))?;
        }
        Ok(())
    }

    /// The extra headers with macros expanded.
    pub fn expanded_headers(&self) -> Vec<(String, String)> {
        self.http_headers
            .iter()
            .filter_map(|h| h.split_once(':'))
            .map(|(k, v)| {
                let v = v
                    .trim()
                    .replace("##LINE1##", self.line1.as_deref().unwrap_or(""))
                    .replace("##NAI##", self.nai.as_deref().unwrap_or(""));
                (k.trim().to_string(), v)
            })
            .collect()
    }
}
