//! One place for comparing phone numbers and addresses: the push origin whitelist, report
//! matching, conversations, sender rules and the mock MMSC's subscribers all use these.

/// Normalises a phone-number-like origin: separators dropped, `00` prefix as `+`; other
/// addresses (alphanumeric, IP) lowercased.
pub fn normalise_origin(s: &str) -> String {
    let t = s.trim();
    let digits: String = t
        .chars()
        .filter(|c| !matches!(c, ' ' | '-' | '.' | '(' | ')'))
        .collect();
    let numeric = digits.strip_prefix('+').unwrap_or(&digits);
    if !numeric.is_empty() && numeric.chars().all(|c| c.is_ascii_digit()) {
        if let Some(rest) = numeric.strip_prefix("00") {
            return format!("+{rest}");
        }
        return if digits.starts_with('+') {
            digits
        } else {
            numeric.to_string()
        };
    }
    t.to_ascii_lowercase()
}

/// Digits of an address for matching (national vs international forms compare by their last
/// nine digits); e-mail addresses lowercased.
pub fn address_key(a: &str) -> String {
    let a = a.trim();
    let a = a.split("/TYPE=").next().unwrap_or(a);
    let a = a.split("/type=").next().unwrap_or(a);
    if a.contains('@') {
        return a.to_ascii_lowercase();
    }
    let digits: String = a.chars().filter(char::is_ascii_digit).collect();
    let n = digits.len();
    digits
        .get(n.saturating_sub(9)..)
        .unwrap_or(&digits)
        .to_string()
}

/// True when two addresses name the same subscriber: e-mail addresses case-insensitively,
/// numbers when one's digits end the other's and the shorter has at least seven digits (a
/// national form against the international one), or they are equal.
pub fn same_address(a: &str, b: &str) -> bool {
    let strip = |s: &str| {
        s.trim()
            .split("/TYPE=")
            .next()
            .unwrap_or("")
            .split("/type=")
            .next()
            .unwrap_or("")
            .trim()
            .to_string()
    };
    let (a, b) = (strip(a), strip(b));
    if a.contains('@') || b.contains('@') {
        return a.eq_ignore_ascii_case(&b);
    }
    let digits = |s: &str| s.chars().filter(char::is_ascii_digit).collect::<String>();
    let (da, db) = (digits(&a), digits(&b));
    if da.is_empty() || db.is_empty() {
        return false;
    }
    let (short, long) = if da.len() <= db.len() {
        (&da, &db)
    } else {
        (&db, &da)
    };
    short == long || (short.len() >= 7 && long.ends_with(short.as_str()))
}
