//! Short numbers per region from libphonenumber's short number metadata: a region's patterns
//! are compiled the first time a number of that region is read, and kept.

use super::short_data::SHORT_NUMBERS;
use regex::Regex;
use std::collections::HashMap;
use std::sync::{Mutex, OnceLock};

/// A region's compiled patterns: its short numbers, its premium-rate short codes.
type Compiled = (Option<Regex>, Option<Regex>);

fn compiled(region: &str) -> Compiled {
    static CACHE: OnceLock<Mutex<HashMap<String, Compiled>>> = OnceLock::new();
    let cache = CACHE.get_or_init(|| Mutex::new(HashMap::new()));
    if let Some(c) = cache.lock().ok().and_then(|m| m.get(region).cloned()) {
        return c;
    }
    let whole = |p: &str| {
        (!p.is_empty())
            .then(|| Regex::new(&format!("^(?:{p})$")).ok())
            .flatten()
    };
    let c = SHORT_NUMBERS
        .iter()
        .find(|(id, _, _)| *id == region)
        .map(|(_, short, premium)| (whole(short), whole(premium)))
        .unwrap_or((None, None));
    if let Ok(mut m) = cache.lock() {
        m.insert(region.to_string(), c.clone());
    }
    c
}

/// True when `digits` is a short number (service, emergency or short code) of `region`.
pub(super) fn is_short_number(region: &str, digits: &str) -> bool {
    digits.len() <= 8 && compiled(region).0.is_some_and(|r| r.is_match(digits))
}

/// True when `digits` is a premium-rate short code of `region`.
pub(super) fn is_premium_short_code(region: &str, digits: &str) -> bool {
    digits.len() <= 8 && compiled(region).1.is_some_and(|r| r.is_match(digits))
}
