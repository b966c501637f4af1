//! Phone numbers as a dialer would see them: visual separators removed, pause/wait/DTMF
//! characters and `;postd=` exposed, supplementary-service (MMI) and USSD codes recognised,
//! premium-rate numbers and short codes flagged from libphonenumber's numbering data (see
//! [`crate::numbers`]).

use crate::numbers::NumberPlan;
use serde::Serialize;

/// A number extracted from a tel-like URI, normalised.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct PhoneNumber {
    /// The digits that will be dialled (with a leading `+` for global numbers), visual
    /// separators removed, without post-dial characters.
    pub dial: String,
    /// Characters sent after the call connects: pauses (`p`, `,`), waits (`w`, `;`) and DTMF
    /// digits, from the number itself or from `;postd=`.
    pub post_dial: String,
    /// True when the number is a premium-rate number or short code (libphonenumber's data).
    pub premium: bool,
    /// True when the number is a short code of the home region (any 3 to 6 digits not in
    /// international form when no region is known) that is not premium-rate.
    pub short_code: bool,
}

/// Why a dial string must never be released.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub enum DialHazard {
    /// A GSM supplementary-service code (`*21*...#`, `**61*...#`, `##002#`): it would change
    /// call forwarding, barring or similar settings instead of placing a call.
    SupplementaryService,
    /// A USSD string (`*100#`): it runs a network service, possibly chargeable.
    Ussd,
    /// Nothing diallable remains after normalisation.
    Empty,
    /// Characters that cannot be dialled.
    InvalidCharacters,
}

/// Parses a dial string (the part of a tel-like URI before `;` parameters, already
/// percent-decoded). `postd` is the `;postd=` parameter, if any. Numbers in national form are
/// read without a home region ([`parse_dial_string_in`] reads them in one).
pub fn parse_dial_string(raw: &str, postd: Option<&str>) -> Result<PhoneNumber, DialHazard> {
    parse_dial_string_in(&NumberPlan::default(), raw, postd)
}

/// [`parse_dial_string`], premium-rate numbers and short codes judged by `plan`'s numbering
/// data (libphonenumber's number types and short number metadata).
pub fn parse_dial_string_in(
    plan: &NumberPlan,
    raw: &str,
    postd: Option<&str>,
) -> Result<PhoneNumber, DialHazard> {
    let trimmed = raw.trim();
    // MMI / USSD detection must see '*' and '#' wherever they are.
    if trimmed.contains('*') || trimmed.contains('#') {
        return Err(mmi_kind(trimmed));
    }
    let mut dial = String::new();
    let mut post = String::new();
    let mut in_post = false;
    for (i, c) in trimmed.chars().enumerate() {
        match c {
            '+' if i == 0 => dial.push('+'),
            '0'..='9' if !in_post => dial.push(c),
            '0'..='9' | 'A'..='D' | 'a'..='d' if in_post => post.push(c.to_ascii_uppercase()),
            'p' | 'P' | ',' | 'w' | 'W' | ';' => {
                in_post = true;
                post.push(c.to_ascii_lowercase());
            }
            '-' | '.' | '(' | ')' | ' ' | '\u{a0}' => {}
            _ => return Err(DialHazard::InvalidCharacters),
        }
    }
    if let Some(p) = postd {
        for c in p.chars() {
            match c {
                '0'..='9' | 'A'..='D' | 'a'..='d' | 'p' | 'P' | 'w' | 'W' => post.push(c),
                '*' | '#' => post.push(c),
                '-' | '.' | '(' | ')' => {}
                _ => return Err(DialHazard::InvalidCharacters),
            }
        }
    }
    let digits = dial.trim_start_matches('+');
    if digits.is_empty() {
        return Err(DialHazard::Empty);
    }
    let premium = plan.is_premium(&dial);
    let short_code = !premium && plan.is_short_code(&dial);
    Ok(PhoneNumber {
        dial,
        post_dial: post,
        premium,
        short_code,
    })
}

/// GSM supplementary-service codes (3GPP TS 22.030 annex B): call forwarding, barring,
/// waiting, CLIR/CLIP and their groups.
const SS_CODES: &[&str] = &[
    "002", "004", "21", "61", "62", "67", "30", "31", "33", "330", "331", "332", "333", "35",
    "351", "353", "43", "76", "77", "03",
];

/// Classifies a dial string containing `*` or `#`.
fn mmi_kind(s: &str) -> DialHazard {
    let t: String = s.chars().filter(|c| !c.is_whitespace()).collect();
    let body = t.trim_start_matches(['*', '#']);
    let prefixed = body.len() < t.len();
    let code: String = body.chars().take_while(|c| c.is_ascii_digit()).collect();
    let after = body.chars().nth(code.len());
    if prefixed
        && SS_CODES.contains(&code.as_str())
        && matches!(after, Some('*') | Some('#') | None)
    {
        DialHazard::SupplementaryService
    } else {
        DialHazard::Ussd
    }
}

/// Formats a number for display with its kind, e.g. `+19005550100 (premium-rate)`.
pub fn describe(n: &PhoneNumber) -> String {
    let mut s = n.dial.clone();
    if n.premium {
        s.push_str(" (premium-rate number)");
    } else if n.short_code {
        s.push_str(" (short code)");
    }
    if !n.post_dial.is_empty() {
        s.push_str(&format!(
            ", then sends \"{}\" after connecting",
            n.post_dial
        ));
    }
    s
}
