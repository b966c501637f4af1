//! Provisioning applied to the client's carrier profile: the [`SettingsStore`] the provisioner
//! confirms into is the client's stored profile (MMSC URL and proxy change together, in one
//! step, with the document's digest for replay detection), and the PIN attempt counter lives
//! in the client's database (OTA-3: a restart does not reset it).

use super::Engine;
use mms_decisions::provisioning::{
    AttemptStore, MmsSettings, Provisioner, ProvisioningPolicy, ProxySettings, SettingsStore,
};
use std::sync::Arc;

struct ClientSettings(Arc<Engine>);

impl SettingsStore for ClientSettings {
    fn current(&self) -> Option<MmsSettings> {
        let p = self.0.profile();
        Some(MmsSettings {
            mmsc_url: p.mmsc_url.clone(),
            proxy: p.proxy.as_deref().and_then(|x| {
                let (h, port) = x.rsplit_once(':')?;
                Some(ProxySettings {
                    host: h.to_string(),
                    port: port.parse().ok()?,
                })
            }),
            apn: None,
            apn_auth: None,
            name: None,
        })
    }

    fn apply(&self, s: &MmsSettings, digest: &str) -> Result<(), String> {
        let mut p = self.0.profile();
        p.mmsc_url = s.mmsc_url.clone();
        p.proxy = s.proxy.as_ref().map(|x| format!("{}:{}", x.host, x.port));
        if let Some(apn) = &s.apn {
            p.apn = Some(apn.clone());
        }
        p.settings_source = crate::config::SettingsSource::Ota;
        p.validate().map_err(|e| e.to_string())?;
        let now = self.0.now();
        let toml = p.to_toml().map_err(|e| e.to_string())?;
        let sub = self.0.subscription.clone();
        // The profile row and the digest in one transaction, then the live profile.
        self.0
            .store
            .write(|tx| {
                tx.save_profile(&sub, &toml, now)?;
                tx.note_applied(digest, now)
            })
            .map_err(|e| e.to_string())?;
        let what = format!(
            "MMSC {}, proxy {}",
            p.mmsc_url,
            p.proxy.as_deref().unwrap_or("none")
        );
        self.0.set_profile(p).map_err(|e| e.to_string())?;
        super::carrier::audit_settings(&self.0, crate::config::SettingsSource::Ota, &what);
        Ok(())
    }

    fn was_applied(&self, digest: &str) -> bool {
        self.0.store.was_applied(digest).unwrap_or(false)
    }
}

/// The PIN attempt counter in the database. An unreadable counter counts as locked (failing
/// closed).
struct DbAttempts(Arc<Engine>);

impl AttemptStore for DbAttempts {
    fn failures(&self) -> u32 {
        self.0.store.pin_failures().unwrap_or(u32::MAX)
    }
    fn record_failure(&self) {
        let _ = self.0.store.write(|tx| tx.record_pin_failure());
    }
    fn reset(&self) {
        let _ = self.0.store.write(|tx| tx.reset_pin_failures());
    }
}

/// The provisioner of a client.
pub(crate) fn provisioner(e: &Arc<Engine>, policy: ProvisioningPolicy) -> Provisioner {
    Provisioner::new(
        policy,
        Arc::new(ClientSettings(e.clone())),
        Arc::new(DbAttempts(e.clone())),
        e.clock.clone(),
        e.audit.clone(),
    )
}
