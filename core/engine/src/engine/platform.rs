//! What the app knows about the phone that the auto-download policy needs: whether it is
//! roaming and whether an address is one of the user's contacts.

/// The app's answers for the auto-download policy (`AutoDownload::NotWhenRoaming`,
/// `AutoDownload::KnownContactsOnly`). Called on the engine's task; must be quick.
pub trait Platform: Send + Sync {
    /// The phone is roaming now.
    fn is_roaming(&self) -> bool {
        false
    }

    /// `address` (as the notification's From gives it) is a known contact.
    fn is_known_contact(&self, address: &str) -> bool {
        let _ = address;
        false
    }

    /// The app's message filter (FILTER-1): false drops the notification before anything is
    /// stored or fetched (with an audit row). Keeps everything by default.
    fn keep_notification(&self, notification: &mms_decisions::push::NotificationInfo) -> bool {
        let _ = notification;
        true
    }

    /// The platform's own reading of a phone number in E.164 (Android's
    /// `PhoneNumberUtils.formatNumberToE164` with the SIM's country, iOS's CoreTelephony), when
    /// it has one: it is then used instead of the library's (libphonenumber metadata with the
    /// profile's home region). `None` by default.
    fn normalize_number(&self, number: &str) -> Option<String> {
        let _ = number;
        None
    }
}

/// The default: not roaming, and no contacts known (so `KnownContactsOnly` downloads nothing
/// automatically).
#[derive(Debug, Clone, Copy, Default)]
pub struct NoPlatform;

impl Platform for NoPlatform {}
