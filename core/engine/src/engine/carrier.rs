//! Carrier settings from the carrier data (`mms_decisions::carriers`), applied to a client's
//! profile only when the app asks, and never over settings the user or an authenticated OTA
//! push set (precedence: OTA over manual over carrier data). Every change of the MMS settings
//! writes an audit row naming where it came from.

use super::Engine;
use crate::config::{CarrierProfile, SettingsSource};
use crate::error::EngineError;
use mms_decisions::audit::{AuditArea, AuditEvent, AuditOutcome};
use mms_decisions::carriers::{CarrierDb, CarrierEntry};
use serde::Serialize;

/// What [`crate::MmsClient::apply_carrier_settings`] did.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "outcome", rename_all = "snake_case")]
pub enum CarrierOutcome {
    /// The carrier data's settings are now in force.
    Applied {
        /// The provider chosen.
        provider: String,
        /// Its MMSC.
        mmsc_url: String,
    },
    /// Nothing changed: the settings in force came from a source that takes precedence.
    Kept {
        /// Where they came from.
        source: SettingsSource,
    },
    /// The carrier data has nothing for the SIM's network (or the profile names none).
    Unknown,
}

impl CarrierProfile {
    /// A profile for a SIM: its network (`mcc_mnc`), service provider name and own number,
    /// with the carrier data's suggestion for that network when there is one (marked as coming
    /// from the carrier data), else unconfigured (no MMSC; notifications judged against the
    /// carrier data's MMSC for the network, when it has one).
    pub fn for_sim(mcc_mnc: &str, spn: Option<&str>, line1: Option<&str>) -> CarrierProfile {
        let base = CarrierProfile {
            mcc_mnc: Some(mcc_mnc.trim().to_string()),
            spn: spn.map(str::to_string),
            line1: line1.map(str::to_string),
            ..CarrierProfile::default()
        };
        match CarrierDb::bundled().suggest(mcc_mnc, spn) {
            Some(e) => base.with_carrier_entry(e),
            None => base,
        }
    }
}

/// Records a change of the MMS settings and where it came from.
pub(crate) fn audit_settings(e: &Engine, source: SettingsSource, what: &str) {
    e.audit.record(AuditEvent {
        at: e.clock.now(),
        area: AuditArea::Provisioning,
        outcome: AuditOutcome::Accepted,
        reason: "settings_applied".into(),
        threat: None,
        subject: source.code().into(),
        detail: what.to_string(),
    });
}

/// The carrier data's suggestion for the profile's network.
pub(crate) fn suggestion(e: &Engine) -> Option<CarrierEntry> {
    let p = e.profile();
    CarrierDb::bundled()
        .suggest(p.mcc_mnc.as_deref()?, p.spn.as_deref())
        .cloned()
}

/// Applies the suggestion unless the settings in force take precedence.
pub(crate) fn apply(e: &Engine) -> Result<CarrierOutcome, EngineError> {
    let p = e.profile();
    let configured = !p.mmsc_url.trim().is_empty();
    if configured && p.settings_source != SettingsSource::CarrierData {
        e.audit.record(AuditEvent {
            at: e.clock.now(),
            area: AuditArea::Provisioning,
            outcome: AuditOutcome::Flagged,
            reason: "carrier_settings_not_applied".into(),
            threat: None,
            subject: p.settings_source.code().into(),
            detail: format!(
                "settings from {} take precedence over the carrier data",
                p.settings_source.code()
            ),
        });
        return Ok(CarrierOutcome::Kept {
            source: p.settings_source,
        });
    }
    let Some(entry) = suggestion(e) else {
        return Ok(CarrierOutcome::Unknown);
    };
    let next = p.with_carrier_entry(&entry);
    let (sub, now) = (e.subscription.clone(), e.now());
    let toml = next.to_toml()?;
    e.store.write(|tx| tx.save_profile(&sub, &toml, now))?;
    e.set_profile(next)?;
    audit_settings(
        e,
        SettingsSource::CarrierData,
        &format!(
            "{} ({}): MMSC {}, proxy {}, APN {}",
            entry.provider,
            entry.country,
            entry.mmsc,
            entry.mms_proxy.as_deref().unwrap_or("none"),
            entry.apn
        ),
    );
    Ok(CarrierOutcome::Applied {
        provider: entry.provider,
        mmsc_url: entry.mmsc,
    })
}
