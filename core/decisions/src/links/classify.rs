//! Classification of a URI into the action it would make the phone take, with a parser per
//! scheme: tel, vtel, callto, wtai (wp/mc, wp/sd, wp/ap), sms/smsto, mms/mmsto, mailto,
//! http/https, rtsp. Dangerous and unknown schemes are blocked (LINK-4); address-book access is
//! blocked (LINK-3); supplementary-service and USSD codes are blocked (LINK-1); mailto keeps
//! only to, cc, subject and body (LINK-2).

use super::phone::{self, DialHazard, PhoneNumber};
use crate::numbers::NumberPlan;
use percent_encoding::percent_decode_str;
use serde::Serialize;

/// Longest URI the classifier looks at.
pub const MAX_URI_LEN: usize = 2048;
/// Most recipients one sms/mms/mailto link may name.
pub const MAX_RECIPIENTS: usize = 10;

/// What following a link would do.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum LinkAction {
    /// Place a call (tel, vtel, callto, wtai wp/mc).
    Call {
        /// The number.
        number: PhoneNumber,
        /// A video call (vtel).
        video: bool,
    },
    /// Send DTMF tones on the current call (wtai wp/sd).
    SendTones {
        /// The tones.
        tones: String,
    },
    /// Compose an SMS.
    Sms {
        /// Recipients.
        recipients: Vec<PhoneNumber>,
        /// The body the link pre-fills.
        body: Option<String>,
    },
    /// Compose an MMS.
    Mms {
        /// Recipients (numbers or e-mail addresses).
        recipients: Vec<String>,
        /// Subject.
        subject: Option<String>,
        /// Body.
        body: Option<String>,
    },
    /// Compose an e-mail.
    Email {
        /// To.
        to: Vec<String>,
        /// Cc.
        cc: Vec<String>,
        /// Subject.
        subject: Option<String>,
        /// Body.
        body: Option<String>,
        /// Header fields the link tried to set and that were dropped (LINK-2).
        dropped_headers: Vec<String>,
    },
    /// Open a web page.
    OpenWeb {
        /// The URL.
        url: String,
    },
    /// Open a streaming session.
    OpenStream {
        /// The URL.
        url: String,
    },
}

/// Why a link is blocked. Serialised as its [`BlockReason::code`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum BlockReason {
    /// javascript:, data:, file:, content:, intent:, market:, about:, ... (LINK-4).
    DangerousScheme,
    /// A scheme not on the list (LINK-4).
    UnknownScheme,
    /// A GSM supplementary-service code such as call forwarding (LINK-1).
    SupplementaryServiceCode,
    /// A USSD code (LINK-1).
    UssdCode,
    /// Address-book access, e.g. wtai://wp/ap (LINK-3).
    AddressBookAccess,
    /// The URI does not parse for its scheme.
    Malformed,
    /// The URI names no target.
    Empty,
    /// The URI is longer than [`MAX_URI_LEN`] or names too many recipients.
    TooLong,
}

impl Serialize for BlockReason {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.code())
    }
}

impl BlockReason {
    /// A stable reason code for audit rows and UIs.
    pub fn code(self) -> &'static str {
        match self {
            Self::DangerousScheme => "dangerous_scheme",
            Self::UnknownScheme => "unknown_scheme",
            Self::SupplementaryServiceCode => "supplementary_service_code",
            Self::UssdCode => "ussd_code",
            Self::AddressBookAccess => "address_book_access",
            Self::Malformed => "malformed_uri",
            Self::Empty => "empty_target",
            Self::TooLong => "too_long",
        }
    }

    /// The threat this block counters.
    pub fn threat(self) -> &'static str {
        match self {
            Self::DangerousScheme | Self::UnknownScheme => "LINK-4",
            Self::AddressBookAccess => "LINK-3",
            _ => "LINK-1",
        }
    }
}

/// A blocked link.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Blocked {
    /// Why.
    pub reason: BlockReason,
    /// The scheme, lowercased.
    pub scheme: String,
    /// What the user may be told.
    pub detail: String,
}

/// How much following the link may cost.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum CostRisk {
    /// Only mobile data.
    DataOnly,
    /// A call or message that may be charged.
    MayCost,
    /// A premium-rate number or short code: may be charged at a high rate.
    Premium,
}

impl CostRisk {
    /// The risk's code, as in JSON (`data_only`, `may_cost`, `premium`).
    pub fn code(self) -> &'static str {
        match self {
            CostRisk::DataOnly => "data_only",
            CostRisk::MayCost => "may_cost",
            CostRisk::Premium => "premium",
        }
    }
}

const DANGEROUS: &[&str] = &[
    "javascript",
    "vbscript",
    "data",
    "file",
    "content",
    "intent",
    "market",
    "about",
    "jar",
    "blob",
    "filesystem",
    "android-app",
    "chrome",
    "res",
    "ms-settings",
    "itms-services",
    "x-apple",
    "shell",
    "view-source",
    "ftp",
    "ms-word",
    "ms-excel",
    "smb",
];

fn block(reason: BlockReason, scheme: &str, detail: impl Into<String>) -> Blocked {
    Blocked {
        reason,
        scheme: scheme.to_string(),
        detail: detail.into(),
    }
}

fn decode(s: &str) -> String {
    percent_decode_str(s).decode_utf8_lossy().into_owned()
}

/// Splits `scheme:rest`; the scheme is lowercased and must be a valid scheme name.
pub fn split_scheme(uri: &str) -> Option<(String, &str)> {
    let (scheme, rest) = uri.split_once(':')?;
    let mut chars = scheme.chars();
    let first = chars.next()?;
    if !first.is_ascii_alphabetic()
        || !chars.all(|c| c.is_ascii_alphanumeric() || matches!(c, '+' | '-' | '.'))
    {
        return None;
    }
    Some((scheme.to_ascii_lowercase(), rest))
}

/// Classifies a URI (leading and trailing whitespace ignored), numbers read without a home
/// region ([`classify_in`] reads them in the subscription's).
pub fn classify(uri: &str) -> Result<LinkAction, Blocked> {
    classify_in(uri, &NumberPlan::default())
}

/// Classifies a URI, numbers in national form read in `plan`'s home region (premium-rate
/// numbers and short codes by that region's numbering data).
pub fn classify_in(uri: &str, plan: &NumberPlan) -> Result<LinkAction, Blocked> {
    let uri = uri.trim();
    if uri.len() > MAX_URI_LEN {
        return Err(block(
            BlockReason::TooLong,
            "",
            "the link is too long to be shown safely",
        ));
    }
    // Control characters can hide parts of a URI from the user.
    if uri.chars().any(|c| c.is_control()) {
        return Err(block(
            BlockReason::Malformed,
            "",
            "the link contains control characters",
        ));
    }
    let Some((scheme, rest)) = split_scheme(uri) else {
        return Err(block(
            BlockReason::Malformed,
            "",
            "the link has no valid scheme",
        ));
    };
    match scheme.as_str() {
        "tel" | "vtel" => tel(plan, &scheme, rest, scheme == "vtel"),
        "callto" => tel(plan, &scheme, rest.trim_start_matches("//"), false),
        "wtai" => wtai(plan, rest),
        "sms" | "smsto" => sms(plan, &scheme, rest),
        "mms" | "mmsto" => mms(plan, &scheme, rest, uri),
        "mailto" => mailto(rest),
        "http" | "https" => web(&scheme, uri),
        "rtsp" | "rtspu" | "rtsps" => stream(&scheme, uri),
        s if DANGEROUS.contains(&s) => Err(block(
            BlockReason::DangerousScheme,
            s,
            format!("{s}: links can run code or open local data and are never followed"),
        )),
        s => Err(block(
            BlockReason::UnknownScheme,
            s,
            format!("{s}: is not a kind of link this app follows"),
        )),
    }
}

fn number(
    plan: &NumberPlan,
    scheme: &str,
    raw: &str,
    postd: Option<&str>,
) -> Result<PhoneNumber, Blocked> {
    phone::parse_dial_string_in(plan, &decode(raw), postd).map_err(|h| match h {
        DialHazard::SupplementaryService => block(
            BlockReason::SupplementaryServiceCode,
            scheme,
            "the link dials a network code that changes call forwarding or similar settings",
        ),
        DialHazard::Ussd => block(
            BlockReason::UssdCode,
            scheme,
            "the link dials a USSD code that runs a network service",
        ),
        DialHazard::Empty => block(BlockReason::Empty, scheme, "the link names no number"),
        DialHazard::InvalidCharacters => block(
            BlockReason::Malformed,
            scheme,
            "the number has characters that cannot be dialled",
        ),
    })
}

fn tel(plan: &NumberPlan, scheme: &str, rest: &str, video: bool) -> Result<LinkAction, Blocked> {
    let rest = rest.trim_start_matches("//");
    let mut it = rest.split(';');
    let num = it.next().unwrap_or("");
    let mut postd = None;
    for p in it {
        if let Some((k, v)) = p.split_once('=') {
            if k.eq_ignore_ascii_case("postd") {
                postd = Some(decode(v));
            }
        }
    }
    let number = number(plan, scheme, num, postd.as_deref())?;
    Ok(LinkAction::Call { number, video })
}

fn wtai(plan: &NumberPlan, rest: &str) -> Result<LinkAction, Blocked> {
    let body = rest.trim_start_matches("//");
    let (func, args) = body.split_once(';').unwrap_or((body, ""));
    match func.to_ascii_lowercase().as_str() {
        "wp/mc" => tel(plan, "wtai", args.split(';').next().unwrap_or(""), false),
        "wp/sd" => {
            let tones = decode(args);
            if tones.is_empty()
                || !tones
                    .chars()
                    .all(|c| c.is_ascii_digit() || matches!(c, '*' | '#' | 'A'..='D'))
            {
                return Err(block(BlockReason::Malformed, "wtai", "invalid DTMF tones"));
            }
            Ok(LinkAction::SendTones { tones })
        }
        "wp/ap" => Err(block(
            BlockReason::AddressBookAccess,
            "wtai",
            "the link tries to add an entry to the address book",
        )),
        other => Err(block(
            BlockReason::UnknownScheme,
            "wtai",
            format!("wtai function {other} is not supported"),
        )),
    }
}

/// Splits `targets?query` and parses `k=v&k=v` with percent-decoding; keys lowercased.
fn query(rest: &str) -> (&str, Vec<(String, String)>) {
    let (targets, q) = rest.split_once('?').unwrap_or((rest, ""));
    let pairs = q
        .split('&')
        .filter(|p| !p.is_empty())
        .map(|p| {
            let (k, v) = p.split_once('=').unwrap_or((p, ""));
            (
                decode(k).to_ascii_lowercase(),
                decode(&v.replace('+', "%20")),
            )
        })
        .collect();
    (targets, pairs)
}

fn sms(plan: &NumberPlan, scheme: &str, rest: &str) -> Result<LinkAction, Blocked> {
    let (targets, pairs) = query(rest.trim_start_matches("//"));
    // smsto:NUMBER:BODY (an old form) as well as ?body=.
    let (targets, inline_body) = match targets.split_once(':') {
        Some((t, b)) if scheme == "smsto" => (t, Some(decode(b))),
        _ => (targets, None),
    };
    let recipients = targets
        .split(',')
        .filter(|t| !t.trim().is_empty())
        .map(|t| number(plan, scheme, t.split(';').next().unwrap_or(""), None))
        .collect::<Result<Vec<_>, _>>()?;
    if recipients.is_empty() {
        return Err(block(
            BlockReason::Empty,
            scheme,
            "the link names no recipient",
        ));
    }
    if recipients.len() > MAX_RECIPIENTS {
        return Err(block(
            BlockReason::TooLong,
            scheme,
            "the link names too many recipients",
        ));
    }
    let body = pairs
        .into_iter()
        .find(|(k, _)| k == "body")
        .map(|(_, v)| v)
        .or(inline_body);
    Ok(LinkAction::Sms { recipients, body })
}

fn mms(plan: &NumberPlan, scheme: &str, rest: &str, uri: &str) -> Result<LinkAction, Blocked> {
    if scheme == "mms" && rest.starts_with("//") {
        // mms://host/... is a Microsoft Media Server stream, not a message.
        return stream(scheme, uri);
    }
    let (targets, pairs) = query(rest);
    let recipients: Vec<String> = targets
        .split(',')
        .map(|t| decode(t).trim().to_string())
        .filter(|t| !t.is_empty())
        .collect();
    if recipients.is_empty() {
        return Err(block(
            BlockReason::Empty,
            scheme,
            "the link names no recipient",
        ));
    }
    if recipients.len() > MAX_RECIPIENTS {
        return Err(block(
            BlockReason::TooLong,
            scheme,
            "the link names too many recipients",
        ));
    }
    for r in &recipients {
        if !r.contains('@') {
            number(plan, scheme, r, None)?;
        }
    }
    let get = |name: &str| {
        pairs
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.clone())
    };
    Ok(LinkAction::Mms {
        recipients,
        subject: get("subject"),
        body: get("body"),
    })
}

/// Header fields a mailto link may set (RFC 6068 allows any; LINK-2 keeps only these).
pub const MAILTO_SAFE: &[&str] = &["to", "cc", "subject", "body"];

fn mailto(rest: &str) -> Result<LinkAction, Blocked> {
    let (targets, pairs) = query(rest);
    let split = |s: &str| -> Vec<String> {
        s.split(',')
            .map(|a| decode(a).trim().to_string())
            .filter(|a| !a.is_empty())
            .collect()
    };
    let mut to = split(targets);
    let mut cc = Vec::new();
    let mut subject = None;
    let mut body = None;
    let mut dropped = Vec::new();
    for (k, v) in pairs {
        match k.as_str() {
            "to" => to.extend(split(&v)),
            "cc" => cc.extend(split(&v)),
            "subject" => subject = Some(v),
            "body" => body = Some(v),
            other => {
                if !dropped.iter().any(|d| d == other) {
                    dropped.push(other.to_string());
                }
            }
        }
    }
    if to.is_empty() && cc.is_empty() {
        return Err(block(
            BlockReason::Empty,
            "mailto",
            "the link names no recipient",
        ));
    }
    if to.len() + cc.len() > MAX_RECIPIENTS {
        return Err(block(
            BlockReason::TooLong,
            "mailto",
            "the link names too many recipients",
        ));
    }
    if to
        .iter()
        .chain(&cc)
        .any(|a| !a.contains('@') || a.contains(['\r', '\n']))
    {
        return Err(block(
            BlockReason::Malformed,
            "mailto",
            "an address is not an e-mail address",
        ));
    }
    Ok(LinkAction::Email {
        to,
        cc,
        subject,
        body,
        dropped_headers: dropped,
    })
}

fn web(scheme: &str, uri: &str) -> Result<LinkAction, Blocked> {
    match url::Url::parse(uri) {
        Ok(u) if u.host_str().is_some_and(|h| !h.is_empty()) => {
            Ok(LinkAction::OpenWeb { url: u.to_string() })
        }
        _ => Err(block(
            BlockReason::Malformed,
            scheme,
            "the web address does not parse",
        )),
    }
}

fn stream(scheme: &str, uri: &str) -> Result<LinkAction, Blocked> {
    match url::Url::parse(uri) {
        Ok(u) if u.host_str().is_some_and(|h| !h.is_empty()) => {
            Ok(LinkAction::OpenStream { url: u.to_string() })
        }
        _ => Err(block(
            BlockReason::Malformed,
            scheme,
            "the stream address does not parse",
        )),
    }
}

impl LinkAction {
    /// How much following the link may cost (numbers read without a home region).
    pub fn cost(&self) -> CostRisk {
        self.cost_in(&NumberPlan::default())
    }

    /// How much following the link may cost, numbers read in `plan`'s home region.
    pub fn cost_in(&self, plan: &NumberPlan) -> CostRisk {
        match self {
            LinkAction::Call { number, .. } => {
                if number.premium || number.short_code {
                    CostRisk::Premium
                } else {
                    CostRisk::MayCost
                }
            }
            LinkAction::Sms { recipients, .. } => {
                if recipients.iter().any(|n| n.premium || n.short_code) {
                    CostRisk::Premium
                } else {
                    CostRisk::MayCost
                }
            }
            LinkAction::Mms { recipients, .. } => {
                let premium = recipients.iter().any(|r| {
                    !r.contains('@')
                        && phone::parse_dial_string_in(plan, r, None)
                            .is_ok_and(|n| n.premium || n.short_code)
                });
                if premium {
                    CostRisk::Premium
                } else {
                    CostRisk::MayCost
                }
            }
            LinkAction::SendTones { .. } => CostRisk::MayCost,
            LinkAction::Email { .. }
            | LinkAction::OpenWeb { .. }
            | LinkAction::OpenStream { .. } => CostRisk::DataOnly,
        }
    }

    /// A plain description of exactly what will happen, for the confirmation dialog.
    pub fn describe(&self) -> String {
        self.describe_in(&NumberPlan::default())
    }

    /// [`LinkAction::describe`], with the cost judged in `plan`'s home region.
    pub fn describe_in(&self, plan: &NumberPlan) -> String {
        let cost = match self.cost_in(plan) {
            CostRisk::Premium => " This may be charged at a premium rate.",
            CostRisk::MayCost => " This may be charged by your operator.",
            CostRisk::DataOnly => "",
        };
        let body = match self {
            LinkAction::Call { number, video } => format!(
                "Place a {}call to {}.",
                if *video { "video " } else { "" },
                phone::describe(number)
            ),
            LinkAction::SendTones { tones } => {
                format!("Send the tones \"{tones}\" on the current call.")
            }
            LinkAction::Sms { recipients, body } => format!(
                "Send an SMS to {}{}.",
                recipients
                    .iter()
                    .map(phone::describe)
                    .collect::<Vec<_>>()
                    .join(", "),
                body.as_ref()
                    .map(|b| format!(" with the text \"{b}\""))
                    .unwrap_or_default()
            ),
            LinkAction::Mms {
                recipients,
                subject,
                body,
            } => format!(
                "Send an MMS to {}{}{}.",
                recipients.join(", "),
                subject
                    .as_ref()
                    .map(|s| format!(" with the subject \"{s}\""))
                    .unwrap_or_default(),
                body.as_ref()
                    .map(|b| format!(" and the text \"{b}\""))
                    .unwrap_or_default()
            ),
            LinkAction::Email {
                to,
                cc,
                subject,
                body,
                dropped_headers,
            } => {
                let mut s = format!("Write an e-mail to {}", to.join(", "));
                if !cc.is_empty() {
                    s.push_str(&format!(", copy to {}", cc.join(", ")));
                }
                if let Some(sub) = subject {
                    s.push_str(&format!(", subject \"{sub}\""));
                }
                if let Some(b) = body {
                    s.push_str(&format!(", text \"{b}\""));
                }
                s.push('.');
                if !dropped_headers.is_empty() {
                    s.push_str(&format!(
                        " The link also tried to set {}; that was removed.",
                        dropped_headers.join(", ")
                    ));
                }
                s
            }
            LinkAction::OpenWeb { url } => format!("Open the web page {url}."),
            LinkAction::OpenStream { url } => format!("Open the media stream {url}."),
        };
        format!("{body}{cost}")
    }
}
