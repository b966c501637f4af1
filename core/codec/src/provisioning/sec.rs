//! The SEC and MAC parameters of a provisioning push's content type (OMA ProvBoot 1.1 section
//! 5.3): which HMAC method authenticates the document, and its value. This is the one parser
//! of them; the push policy, the bindings and the CLI all read the result.
//!
//! SEC arrives as a Short-integer in the binary content type, or as text: the decimal code
//! (`"1"`) or the method's name (`"USERPIN"`), both accepted. MAC arrives as text.

use crate::pdu::content_type::{ContentType, ParamValue, param};
use serde::Serialize;

/// SEC and MAC as the push gave them; nothing here is verified.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct SecParams {
    /// The SEC code: 0 NETWPIN, 1 USERPIN, 2 USERNETWPIN, 3 USERPINMAC; another number is
    /// kept so that the verifier can refuse it by name. `None` when absent or unreadable.
    pub sec: Option<u64>,
    /// The MAC parameter, as text.
    pub mac: Option<String>,
}

/// The SEC method names in code order.
pub const SEC_NAMES: [&str; 4] = ["NETWPIN", "USERPIN", "USERNETWPIN", "USERPINMAC"];

/// Reads a textual SEC value: a decimal code or a method name.
pub fn parse_sec_text(text: &str) -> Option<u64> {
    let t = text.trim();
    if let Ok(n) = t.parse::<u64>() {
        return Some(n);
    }
    SEC_NAMES
        .iter()
        .position(|n| n.eq_ignore_ascii_case(t))
        .map(|i| i as u64)
}

/// The SEC and MAC parameters of a provisioning content type.
pub fn sec_params(ct: &ContentType<'_>) -> SecParams {
    let sec = match ct.param_named(param::SEC, "SEC") {
        Some(ParamValue::Integer(i)) => Some(*i),
        Some(ParamValue::Text(t)) => parse_sec_text(&t.to_str_lossy()),
        _ => None,
    };
    let mac = match ct.param_named(param::MAC, "MAC") {
        Some(ParamValue::Text(t)) => Some(t.to_str_lossy().into_owned()),
        Some(ParamValue::Integer(i)) => Some(i.to_string()),
        _ => None,
    };
    SecParams { sec, mac }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    #[test]
    fn sec_text_is_a_code_or_a_name() {
        assert_eq!(parse_sec_text("1"), Some(1));
        assert_eq!(parse_sec_text(" userpin "), Some(1));
        assert_eq!(parse_sec_text("USERPINMAC"), Some(3));
        assert_eq!(parse_sec_text("7"), Some(7));
        assert_eq!(parse_sec_text("PIN"), None);
    }
}
