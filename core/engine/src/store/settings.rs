//! What the store keeps besides messages: the carrier profile of each subscription, the
//! provisioning documents applied (replay detection, OTA-5), the wrong-PIN counter (OTA-3)
//! and the sender rules (FILTER-1). Writes are [`super::Tx`] methods.

use super::rows::SenderRule;
use super::{Store, StoreError};
use rusqlite::{OptionalExtension, params};

impl Store {
    /// The stored carrier profile (TOML) of a subscription.
    pub fn profile(&self, subscription: &str) -> Result<Option<String>, StoreError> {
        self.read(|c| {
            Ok(super::row(
                c,
                "SELECT toml FROM profiles WHERE subscription = ?1",
                [subscription],
                |r| r.get(0),
            )
            .optional()?)
        })
    }

    /// True when a provisioning document with this digest was applied before.
    pub fn was_applied(&self, digest: &str) -> Result<bool, StoreError> {
        self.read(|c| {
            Ok(super::row(
                c,
                "SELECT 1 FROM applied_documents WHERE digest = ?1",
                [digest],
                |_| Ok(()),
            )
            .optional()?
            .is_some())
        })
    }

    /// Wrong provisioning PINs counted so far.
    pub fn pin_failures(&self) -> Result<u32, StoreError> {
        self.read(|c| {
            Ok(super::row(
                c,
                "SELECT failures FROM pin_attempts WHERE id = 1",
                [],
                |r| r.get::<_, u32>(0),
            )
            .optional()?
            .unwrap_or(0))
        })
    }

    /// The rule for a sender (by its comparison key), if any.
    pub fn sender_rule(
        &self,
        subscription: &str,
        key: &str,
    ) -> Result<Option<SenderRule>, StoreError> {
        self.read(|c| {
            let rule: Option<String> = super::row(
                c,
                "SELECT rule FROM origin_filter WHERE subscription = ?1 AND address_key = ?2",
                params![subscription, key],
                |r| r.get(0),
            )
            .optional()?;
            Ok(rule.as_deref().and_then(SenderRule::parse))
        })
    }
}
