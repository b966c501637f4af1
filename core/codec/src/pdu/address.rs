//! MMS addresses (OMA-MMS-ENC 8): `number/TYPE=PLMN`, `a.b.c.d/TYPE=IPv4`, IPv6, e-mail
//! (RFC 2822 mailbox), and other `/TYPE=` forms. The parse never fails: anything that does not
//! fit a known form is reported as [`AddressKind::Other`] or an unrecognised type word.

use serde::Serialize;

/// The kind of an address.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub enum AddressKind {
    /// A phone number (`/TYPE=PLMN`).
    Plmn,
    /// An IPv4 address.
    Ipv4,
    /// An IPv6 address.
    Ipv6,
    /// An e-mail address.
    Email,
    /// A number or short code without a `/TYPE=` suffix.
    Number,
    /// An alphanumeric sender without a type.
    Alphanumeric,
    /// A `/TYPE=` word this parser does not know (kept, e.g. the misspelt `PLNM`).
    OtherType(String),
}

/// A parsed address.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Address {
    /// The address without its `/TYPE=` suffix, trimmed.
    pub value: String,
    /// Its kind.
    pub kind: AddressKind,
}

impl Address {
    /// Parses an address text as it appears in To/Cc/Bcc/From.
    pub fn parse(s: &str) -> Address {
        let s = s.trim();
        let lower = s.to_ascii_lowercase();
        if let Some(i) = lower.rfind("/type=") {
            let value = s.get(..i).unwrap_or("").trim().to_owned();
            let ty = s.get(i.saturating_add(6)..).unwrap_or("").trim();
            let kind = match ty.to_ascii_uppercase().as_str() {
                "PLMN" => AddressKind::Plmn,
                "IPV4" => AddressKind::Ipv4,
                "IPV6" => AddressKind::Ipv6,
                _ => AddressKind::OtherType(ty.to_owned()),
            };
            return Address { value, kind };
        }
        if s.contains('@') {
            return Address {
                value: s.to_owned(),
                kind: AddressKind::Email,
            };
        }
        let digits = s
            .chars()
            .all(|c| c.is_ascii_digit() || matches!(c, '+' | '*' | '#' | '-' | '.' | ' '));
        Address {
            value: s.to_owned(),
            kind: if digits && s.chars().any(|c| c.is_ascii_digit()) {
                AddressKind::Number
            } else {
                AddressKind::Alphanumeric
            },
        }
    }

    /// A PLMN address for a phone number (`+15551234/TYPE=PLMN`).
    pub fn plmn(number: &str) -> String {
        format!("{}/TYPE=PLMN", number.trim())
    }

    /// The address as written on the wire.
    pub fn to_wire(&self) -> String {
        match &self.kind {
            AddressKind::Plmn => format!("{}/TYPE=PLMN", self.value),
            AddressKind::Ipv4 => format!("{}/TYPE=IPv4", self.value),
            AddressKind::Ipv6 => format!("{}/TYPE=IPv6", self.value),
            AddressKind::OtherType(t) => format!("{}/TYPE={t}", self.value),
            _ => self.value.clone(),
        }
    }
}
