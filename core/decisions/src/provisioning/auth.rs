//! Authentication of provisioning documents (OMA ProvBoot 1.1 section 5.3): the push
//! content-type parameters SEC and MAC, HMAC-SHA1 over the WBXML body exactly as received,
//! for NETWPIN (IMSI key), USERPIN, USERNETWPIN and USERPINMAC. Comparisons are constant-time;
//! keys and PINs live in zeroizing buffers and never reach Debug output or logs (OTA-6).

use hmac::{Hmac, Mac};
pub use mms_codec::secret::Secret;
use serde::Serialize;
use sha1::Sha1;
use subtle::ConstantTimeEq;
use zeroize::Zeroizing;

type HmacSha1 = Hmac<Sha1>;

/// The SEC method.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum SecMethod {
    /// 0: key from the IMSI.
    Netwpin,
    /// 1: key is the user PIN.
    Userpin,
    /// 2: key is the IMSI key followed by the user PIN.
    Usernetwpin,
    /// 3: the user PIN carries check digits derived from the HMAC.
    Userpinmac,
}

impl SecMethod {
    /// From the SEC parameter value.
    pub fn from_sec(v: u64) -> Option<Self> {
        Some(match v {
            0 => Self::Netwpin,
            1 => Self::Userpin,
            2 => Self::Usernetwpin,
            3 => Self::Userpinmac,
            _ => return None,
        })
    }

    /// The method's name as OMA ProvBoot spells it (`NETWPIN`...), also its serialised form.
    pub fn name(self) -> &'static str {
        let i = match self {
            Self::Netwpin => 0,
            Self::Userpin => 1,
            Self::Usernetwpin => 2,
            Self::Userpinmac => 3,
        };
        mms_codec::provisioning::sec::SEC_NAMES
            .get(i)
            .copied()
            .unwrap_or("NETWPIN")
    }

    /// True when the user must enter a PIN.
    pub fn needs_pin(self) -> bool {
        self != Self::Netwpin
    }

    /// True when the IMSI is needed.
    pub fn needs_imsi(self) -> bool {
        matches!(self, Self::Netwpin | Self::Usernetwpin)
    }

    /// How much a successful verification proves.
    pub fn strength(self) -> AuthStrength {
        match self {
            // The IMSI is not secret: apps and attackers can learn it.
            Self::Netwpin => AuthStrength::Weak,
            Self::Userpin | Self::Userpinmac => AuthStrength::UserPin,
            Self::Usernetwpin => AuthStrength::UserPinAndNetwork,
        }
    }
}

/// An honest statement of what a verified MAC proves.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum AuthStrength {
    /// NETWPIN only: anyone who knows the IMSI can produce it.
    Weak,
    /// A PIN the user got out of band.
    UserPin,
    /// The user PIN and the IMSI.
    UserPinAndNetwork,
}

impl AuthStrength {
    /// The strength's code, as in JSON (`weak`, `user_pin`, `user_pin_and_network`).
    pub fn code(self) -> &'static str {
        match self {
            AuthStrength::Weak => "weak",
            AuthStrength::UserPin => "user_pin",
            AuthStrength::UserPinAndNetwork => "user_pin_and_network",
        }
    }
}

/// What the verifier may use.
#[derive(Clone, Default, PartialEq, Eq)]
pub struct Credentials {
    /// The subscriber's IMSI (for NETWPIN, USERNETWPIN).
    pub imsi: Option<Secret>,
    /// The PIN the user entered (for USERPIN, USERNETWPIN, USERPINMAC).
    pub pin: Option<Secret>,
}

impl std::fmt::Debug for Credentials {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Credentials")
            .field("imsi", &self.imsi.as_ref().map(|_| "<redacted>"))
            .field("pin", &self.pin.as_ref().map(|_| "<redacted>"))
            .finish()
    }
}

/// Why authentication failed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, thiserror::Error, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum AuthError {
    /// No SEC or no MAC (OTA-1).
    #[error("the document is not authenticated (no SEC/MAC)")]
    Unauthenticated,
    /// SEC is not 0..3 (OTA-2).
    #[error("unknown SEC method")]
    UnknownMethod,
    /// MAC is not 40 hex digits (OTA-2).
    #[error("malformed MAC")]
    MalformedMac,
    /// The MAC does not match (OTA-2).
    #[error("MAC mismatch")]
    MacMismatch,
    /// The method needs the IMSI and none is known.
    #[error("the IMSI is needed")]
    ImsiNeeded,
    /// The IMSI is not 6..15 digits.
    #[error("malformed IMSI")]
    MalformedImsi,
    /// The method needs a PIN.
    #[error("a PIN is needed")]
    PinNeeded,
    /// The PIN has the wrong form (USERPINMAC: equal halves, digits).
    #[error("malformed PIN")]
    MalformedPin,
    /// Too many wrong PINs (OTA-3).
    #[error("too many wrong PINs: locked")]
    LockedOut,
}

impl AuthError {
    /// Stable reason code.
    pub fn code(self) -> &'static str {
        match self {
            Self::Unauthenticated => "unauthenticated",
            Self::UnknownMethod => "unknown_sec_method",
            Self::MalformedMac => "malformed_mac",
            Self::MacMismatch => "mac_mismatch",
            Self::ImsiNeeded => "imsi_needed",
            Self::MalformedImsi => "malformed_imsi",
            Self::PinNeeded => "pin_needed",
            Self::MalformedPin => "malformed_pin",
            Self::LockedOut => "pin_locked_out",
        }
    }

    /// The threat this error counters.
    pub fn threat(self) -> &'static str {
        match self {
            Self::Unauthenticated => "OTA-1",
            Self::LockedOut => "OTA-3",
            _ => "OTA-2",
        }
    }

    /// True when the failure counts as a wrong PIN attempt.
    pub fn is_wrong_pin(self) -> bool {
        matches!(self, Self::MacMismatch | Self::MalformedPin)
    }
}

/// A successful verification.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct AuthResult {
    /// The method.
    pub method: SecMethod,
    /// What it proves.
    pub strength: AuthStrength,
}

/// The NETWPIN key: the IMSI in semi-octets, first nibble 9 (odd digit count) or 1 (even),
/// padded with F, pairs packed low nibble first. `466923103145252 -> 49 66 29 13 30 41 25 25`.
pub fn imsi_key(imsi: &str) -> Result<Zeroizing<Vec<u8>>, AuthError> {
    let digits: Zeroizing<Vec<u8>> = Zeroizing::new(imsi.trim().bytes().collect());
    if !(6..=15).contains(&digits.len()) || !digits.iter().all(u8::is_ascii_digit) {
        return Err(AuthError::MalformedImsi);
    }
    let mut nibbles: Zeroizing<Vec<u8>> = Zeroizing::new(Vec::with_capacity(16));
    nibbles.push(if digits.len() % 2 == 1 { 9 } else { 1 });
    nibbles.extend(digits.iter().map(|d| d - b'0'));
    if nibbles.len() % 2 == 1 {
        nibbles.push(0x0f);
    }
    let mut key = Zeroizing::new(Vec::with_capacity(8));
    for pair in nibbles.chunks(2) {
        let lo = pair.first().copied().unwrap_or(0x0f);
        let hi = pair.get(1).copied().unwrap_or(0x0f);
        key.push(lo | (hi << 4));
    }
    Ok(key)
}

fn hmac(key: &[u8], body: &[u8]) -> Zeroizing<[u8; 20]> {
    let mut out = Zeroizing::new([0u8; 20]);
    if let Ok(mut m) = HmacSha1::new_from_slice(key) {
        m.update(body);
        out.copy_from_slice(&m.finalize().into_bytes());
    }
    out
}

/// A MAC is exactly 40 hexadecimal digits (surrounding blanks aside): no sign, no separator,
/// nothing else.
fn parse_mac(mac: &str) -> Result<[u8; 20], AuthError> {
    let m = mac.trim();
    if m.len() != 40 || !m.bytes().all(|b| b.is_ascii_hexdigit()) {
        return Err(AuthError::MalformedMac);
    }
    let mut out = [0u8; 20];
    for (i, slot) in out.iter_mut().enumerate() {
        let hex = m.get(i * 2..i * 2 + 2).ok_or(AuthError::MalformedMac)?;
        *slot = u8::from_str_radix(hex, 16).map_err(|_| AuthError::MalformedMac)?;
    }
    Ok(out)
}

/// Computes the MAC (40 uppercase hex digits) a sender would attach, for tests and tools.
pub fn compute_mac(
    method: SecMethod,
    body: &[u8],
    creds: &Credentials,
) -> Result<String, AuthError> {
    let key = key_for(method, creds)?;
    Ok(hmac(&key, body)
        .iter()
        .map(|b| format!("{b:02X}"))
        .collect())
}

fn key_for(method: SecMethod, creds: &Credentials) -> Result<Zeroizing<Vec<u8>>, AuthError> {
    let imsi = || {
        creds
            .imsi
            .as_ref()
            .ok_or(AuthError::ImsiNeeded)
            .and_then(|i| imsi_key(i.expose()))
    };
    let pin = || {
        creds
            .pin
            .as_ref()
            .filter(|p| !p.is_empty())
            .ok_or(AuthError::PinNeeded)
    };
    Ok(match method {
        SecMethod::Netwpin => imsi()?,
        SecMethod::Userpin => Zeroizing::new(pin()?.expose().as_bytes().to_vec()),
        SecMethod::Usernetwpin => {
            let mut k = imsi()?;
            k.extend_from_slice(pin()?.expose().as_bytes());
            k
        }
        SecMethod::Userpinmac => {
            let p = pin()?.expose();
            let half = p.len() / 2;
            Zeroizing::new(p.as_bytes().get(..half).unwrap_or(&[]).to_vec())
        }
    })
}

/// Verifies a document. `sec` and `mac` are the push content-type parameters; `body` is the
/// WBXML exactly as received.
pub fn verify(
    sec: Option<u64>,
    mac: Option<&str>,
    body: &[u8],
    creds: &Credentials,
) -> Result<AuthResult, AuthError> {
    let sec = sec.ok_or(AuthError::Unauthenticated)?;
    let method = SecMethod::from_sec(sec).ok_or(AuthError::UnknownMethod)?;
    if method == SecMethod::Userpinmac {
        // The PIN is K || D: equal halves of digits, at least 5 each; D[i] = HMAC[i] mod 10.
        let pin = creds
            .pin
            .as_ref()
            .filter(|p| !p.is_empty())
            .ok_or(AuthError::PinNeeded)?;
        let p = pin.expose().as_bytes();
        if p.len() < 10 || p.len() % 2 != 0 || !p.iter().all(u8::is_ascii_digit) {
            return Err(AuthError::MalformedPin);
        }
        let (k, d) = p.split_at(p.len() / 2);
        let h = hmac(k, body);
        let expected: Zeroizing<Vec<u8>> =
            Zeroizing::new(h.iter().take(d.len()).map(|b| b'0' + b % 10).collect());
        if expected.len() != d.len() || !bool::from(expected.as_slice().ct_eq(d)) {
            return Err(AuthError::MacMismatch);
        }
        return Ok(AuthResult {
            method,
            strength: method.strength(),
        });
    }
    let mac = parse_mac(mac.ok_or(AuthError::Unauthenticated)?)?;
    let key = key_for(method, creds)?;
    let mut m = HmacSha1::new_from_slice(&key).map_err(|_| AuthError::MacMismatch)?;
    m.update(body);
    // Constant-time comparison.
    m.verify_slice(&mac).map_err(|_| AuthError::MacMismatch)?;
    Ok(AuthResult {
        method,
        strength: method.strength(),
    })
}
