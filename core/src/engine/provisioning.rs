//! Provisioning applied to the client's carrier profile: the [`SettingsStore`] the provisioner
//! confirms into is the client's stored profile (MMSC URL and proxy change together, in one
//! step), and applied documents are remembered in the database for replay detection.

use super::MmsClient;
use crate::provisioning::{
    AttemptStore, MmsSettings, Provisioner, ProvisioningPolicy, ProxySettings, SettingsStore,
};
use rusqlite::{OptionalExtension, params};
use std::sync::Arc;

struct ClientSettings(MmsClient);

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
        let now = self.0.inner.now();
        let toml = p.to_toml()?;
        let sub = self.0.inner.subscription.clone();
        // The profile row and the digest in one transaction, then the live profile.
        self.0
            .inner
            .store
            .write(|tx| {
                tx.execute(
                    "INSERT INTO profiles (subscription, toml, updated_at) VALUES (?1, ?2, ?3)
                     ON CONFLICT (subscription) DO UPDATE SET toml = excluded.toml, updated_at = excluded.updated_at",
                    params![sub, toml, now],
                )?;
                tx.execute("INSERT OR IGNORE INTO applied_documents (digest, applied_at) VALUES (?1, ?2)", params![digest, now])?;
                Ok(())
            })
            .map_err(|e| e.to_string())?;
        self.0.set_profile(p).map_err(|e| e.to_string())
    }

    fn was_applied(&self, digest: &str) -> bool {
        self.0
            .inner
            .store
            .read(|c| {
                Ok(c.query_row(
                    "SELECT 1 FROM applied_documents WHERE digest = ?1",
                    [digest],
                    |_| Ok(()),
                )
                .optional()?)
            })
            .ok()
            .flatten()
            .is_some()
    }
}

/// The PIN attempt counter in the database (OTA-3: persisted).
struct DbAttempts(MmsClient);

impl AttemptStore for DbAttempts {
    fn failures(&self) -> u32 {
        self.0
            .inner
            .store
            .read(|c| {
                Ok(
                    c.query_row("SELECT failures FROM pin_attempts WHERE id = 1", [], |r| {
                        r.get::<_, u32>(0)
                    })
                    .optional()?,
                )
            })
            .map(|v| v.unwrap_or(0))
            .unwrap_or(u32::MAX)
    }
    fn record_failure(&self) {
        let _ = self.0.inner.store.write(|tx| {
            tx.execute("INSERT INTO pin_attempts (id, failures) VALUES (1, 1) ON CONFLICT (id) DO UPDATE SET failures = failures + 1", [])?;
            Ok(())
        });
    }
    fn reset(&self) {
        let _ = self.0.inner.store.write(|tx| {
            tx.execute("INSERT INTO pin_attempts (id, failures) VALUES (1, 0) ON CONFLICT (id) DO UPDATE SET failures = 0", [])?;
            Ok(())
        });
    }
}

impl MmsClient {
    /// A provisioner that applies confirmed settings to this client's carrier profile and keeps
    /// its PIN attempt counter and applied-document digests in this client's database.
    pub fn provisioner(&self, policy: ProvisioningPolicy) -> Provisioner {
        Provisioner::new(
            policy,
            Arc::new(ClientSettings(self.clone())),
            Arc::new(DbAttempts(self.clone())),
            self.inner.clock.clone(),
            self.inner.audit.clone(),
        )
    }
}
