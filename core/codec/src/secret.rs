//! [`Secret`]: a string that must never be shown (a PIN, an IMSI used as a key, a password in a
//! provisioning document). Zeroized when dropped; `Debug`, `Display` and serialisation (JSON for
//! the CLI, the bindings' records, logs) show `<redacted>`; only [`Secret::expose`] gives the
//! value, to the code that must use it.

use serde::Serialize;
use zeroize::{Zeroize, ZeroizeOnDrop};

/// What every rendering of a secret shows.
pub const REDACTED: &str = "<redacted>";

/// A secret string, zeroized on drop and redacted everywhere it could be shown.
#[derive(Clone, Zeroize, ZeroizeOnDrop, PartialEq, Eq)]
pub struct Secret(String);

impl Secret {
    /// Wraps a secret.
    pub fn new(s: impl Into<String>) -> Self {
        Secret(s.into())
    }

    /// The secret's value, for the code that must use it.
    pub fn expose(&self) -> &str {
        &self.0
    }

    /// Length in characters (safe to show).
    pub fn len(&self) -> usize {
        self.0.chars().count()
    }

    /// True when empty.
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }
}

impl std::fmt::Debug for Secret {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "Secret({REDACTED})")
    }
}

impl std::fmt::Display for Secret {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(REDACTED)
    }
}

impl Serialize for Secret {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(REDACTED)
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    #[test]
    fn a_secret_never_shows() {
        let s = Secret::new("hunter2");
        assert_eq!(format!("{s:?}"), "Secret(<redacted>)");
        assert_eq!(s.to_string(), "<redacted>");
        assert_eq!(serde_json::to_string(&s).unwrap(), "\"<redacted>\"");
        assert_eq!(s.expose(), "hunter2");
    }
}
