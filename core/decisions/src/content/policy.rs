//! The media policy: which types may render automatically (the allow-list: text, still
//! images, audio and video, as the GSMA study recommends), with size and pixel limits; what
//! needs a tap; what must never be opened. A part whose sniffed type disagrees with its
//! declared type is flagged and judged as the more restrictive of the two (CONTENT-2).

use super::sniff::Sniffed;
use serde::Serialize;

/// What a UI may do with a part.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum PartDecision {
    /// May be rendered automatically, inside its region.
    Auto,
    /// Shown as an attachment; opened only when the user asks.
    TapToOpen,
    /// Never opened or executed; the UI shows that it was blocked.
    Blocked,
}

impl PartDecision {
    /// The decision's code, as in JSON and the audit log (`auto`, `tap_to_open`, `blocked`).
    pub fn code(self) -> &'static str {
        match self {
            PartDecision::Auto => "auto",
            PartDecision::TapToOpen => "tap_to_open",
            PartDecision::Blocked => "blocked",
        }
    }
}

/// Why a part got its decision (several may apply).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "reason", rename_all = "snake_case")]
pub enum PartReason {
    /// On the auto-render allow-list.
    AllowListed,
    /// Not on the allow-list (CONTENT-1).
    NotAllowListed {
        /// The type judged.
        media: String,
    },
    /// Declared and sniffed types disagree (CONTENT-2).
    TypeMismatch {
        /// The declared type.
        declared: String,
        /// What the bytes are.
        sniffed: String,
    },
    /// Executable or Java content (CONTENT-3).
    Executable {
        /// The type judged.
        media: String,
    },
    /// Markup with script or external references (CONTENT-3, CONTENT-5).
    ScriptOrExternalReference {
        /// The type judged.
        media: String,
    },
    /// Larger than the auto-render limit for its type (CONTENT-6).
    TooLarge {
        /// Size in octets.
        size: u64,
        /// The limit.
        limit: u64,
    },
    /// Pixel dimensions beyond the limits (CONTENT-6).
    DimensionsTooLarge {
        /// Width.
        width: u32,
        /// Height.
        height: u32,
    },
    /// Contact or calendar data: opened only on request, never imported by content (LINK-3).
    PersonalData,
    /// The SMIL presentation itself (not shown as a part).
    Presentation,
}

impl PartReason {
    /// A stable code for audit rows.
    pub fn code(&self) -> &'static str {
        match self {
            Self::AllowListed => "allow_listed",
            Self::NotAllowListed { .. } => "not_allow_listed",
            Self::TypeMismatch { .. } => "content_type_mismatch",
            Self::Executable { .. } => "executable_content",
            Self::ScriptOrExternalReference { .. } => "script_or_external_reference",
            Self::TooLarge { .. } => "part_too_large",
            Self::DimensionsTooLarge { .. } => "dimensions_too_large",
            Self::PersonalData => "personal_data",
            Self::Presentation => "presentation",
        }
    }

    /// The threat ID the reason counters.
    pub fn threat(&self) -> Option<&'static str> {
        Some(match self {
            Self::NotAllowListed { .. } => "CONTENT-1",
            Self::TypeMismatch { .. } => "CONTENT-2",
            Self::Executable { .. } | Self::ScriptOrExternalReference { .. } => "CONTENT-3",
            Self::TooLarge { .. } | Self::DimensionsTooLarge { .. } => "CONTENT-6",
            Self::PersonalData => "LINK-3",
            _ => return None,
        })
    }
}

/// Limits and the allow-list. The defaults are documented in the README.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct MediaPolicy {
    /// Largest text part rendered automatically.
    pub max_text: u64,
    /// Largest still image rendered automatically.
    pub max_image: u64,
    /// Largest audio clip played automatically.
    pub max_audio: u64,
    /// Largest video played automatically.
    pub max_video: u64,
    /// Widest or tallest image rendered automatically.
    pub max_image_side: u32,
    /// Most pixels of an image rendered automatically.
    pub max_image_pixels: u64,
    /// Beyond this many pixels (or a side beyond `hard_max_side`) an image is blocked outright.
    pub hard_max_pixels: u64,
    /// Side length beyond which an image is blocked outright.
    pub hard_max_side: u32,
}

impl Default for MediaPolicy {
    fn default() -> Self {
        Self {
            max_text: 300 * 1024,
            max_image: 1024 * 1024,
            max_audio: 1024 * 1024,
            max_video: 3 * 1024 * 1024,
            max_image_side: 4096,
            max_image_pixels: 16 * 1024 * 1024,
            hard_max_pixels: 100_000_000,
            hard_max_side: 20_000,
        }
    }
}

/// The media types that may auto-render, by family.
pub const AUTO_TEXT: &[&str] = &["text/plain"];
/// Still images that may auto-render.
pub const AUTO_IMAGES: &[&str] = &[
    "image/jpeg",
    "image/gif",
    "image/png",
    "image/bmp",
    "image/vnd.wap.wbmp",
    "image/webp",
    "image/heif",
];
/// Audio that may auto-play.
pub const AUTO_AUDIO: &[&str] = &[
    "audio/amr",
    "audio/amr-wb",
    "audio/mpeg",
    "audio/aac",
    "audio/mp4",
    "audio/midi",
    "audio/wav",
    "audio/ogg",
];
/// Video that may auto-play.
pub const AUTO_VIDEO: &[&str] = &["video/3gpp", "video/3gpp2", "video/mp4"];

/// Maps declared aliases to the canonical names the sniffer uses.
pub fn canonical(media: &str) -> String {
    let m = media.trim().to_ascii_lowercase();
    let m = m.split(';').next().unwrap_or("").trim().to_string();
    match m.as_str() {
        "image/jpg" | "image/pjpeg" => "image/jpeg",
        "image/x-png" => "image/png",
        "image/x-ms-bmp" | "image/x-bmp" => "image/bmp",
        "image/heic" | "image/heic-sequence" | "image/heif-sequence" | "image/avif" => "image/heif",
        "audio/mp3" | "audio/x-mp3" | "audio/mpeg3" | "audio/mpg" => "audio/mpeg",
        "audio/x-wav" | "audio/wave" => "audio/wav",
        "audio/mid" | "audio/x-midi" | "audio/sp-midi" => "audio/midi",
        "audio/3gpp" => "video/3gpp",
        "audio/3gpp2" => "video/3gpp2",
        "audio/aac-adts" | "audio/x-aac" => "audio/aac",
        "audio/m4a" | "audio/x-m4a" => "audio/mp4",
        "text/vcard" | "text/directory" => "text/x-vcard",
        "text/calendar" | "text/x-vcalendar" => "text/x-vcalendar",
        "application/x-java-archive" => "application/java-archive",
        "application/x-shockwave-flash" => "application/x-shockwave-flash",
        "application/vnd.wap.xhtml+xml" => "application/xhtml+xml",
        other => return other.to_string(),
    }
    .to_string()
}

/// True when a declared type and a sniffed type name the same thing (containers that the
/// sniffer cannot tell apart count as the same).
pub fn compatible(declared: &str, sniffed: &str) -> bool {
    let d = canonical(declared);
    if d == sniffed {
        return true;
    }
    let iso = ["video/3gpp", "video/3gpp2", "video/mp4", "audio/mp4"];
    if iso.contains(&d.as_str()) && iso.contains(&sniffed) {
        return true;
    }
    // Text that the sniffer only knows as "text": any textual declared type is consistent.
    if sniffed == "text/plain" && (d.starts_with("text/") && !matches!(d.as_str(), "text/html")) {
        return true;
    }
    if d == "application/xhtml+xml" && sniffed == "text/html"
        || d == "text/html" && sniffed == "application/xhtml+xml"
    {
        return true;
    }
    // MP3 frame sync and ADTS are close relatives; both are compressed audio.
    if (d == "audio/mpeg" || d == "audio/aac")
        && (sniffed == "audio/mpeg" || sniffed == "audio/aac")
    {
        return true;
    }
    false
}

const ACTIVE_TYPES: &[&str] = &[
    "application/java-archive",
    "application/java-vm",
    "text/vnd.sun.j2me.app-descriptor",
    "application/vnd.android.package-archive",
    "application/x-dex",
    "application/x-elf",
    "application/x-msdownload",
    "application/x-mach-binary",
    "application/x-executable",
    "application/x-sh",
    "application/javascript",
    "text/javascript",
    "application/ecmascript",
    "application/x-shockwave-flash",
    "application/vnd.symbian.install",
    "application/x-msdos-program",
];

/// Judges one media type (declared or sniffed) with the facts the sniffer found.
fn judge_type(
    media: &str,
    size: u64,
    sniffed: &Sniffed,
    policy: &MediaPolicy,
) -> (PartDecision, Vec<PartReason>) {
    let m = canonical(media);
    let mut reasons = Vec::new();
    if ACTIVE_TYPES.contains(&m.as_str()) || sniffed.active && sniffed.media == m {
        reasons.push(PartReason::Executable { media: m });
        return (PartDecision::Blocked, reasons);
    }
    if matches!(
        m.as_str(),
        "image/svg+xml" | "text/html" | "application/xhtml+xml"
    ) {
        if sniffed.has_script_or_external {
            reasons.push(PartReason::ScriptOrExternalReference { media: m });
            return (PartDecision::Blocked, reasons);
        }
        reasons.push(PartReason::NotAllowListed { media: m });
        return (PartDecision::TapToOpen, reasons);
    }
    if m == "application/smil" {
        reasons.push(PartReason::Presentation);
        return (PartDecision::TapToOpen, reasons);
    }
    if matches!(m.as_str(), "text/x-vcard" | "text/x-vcalendar") {
        reasons.push(PartReason::PersonalData);
        return (PartDecision::TapToOpen, reasons);
    }
    let limit = if AUTO_TEXT.contains(&m.as_str()) {
        Some(policy.max_text)
    } else if AUTO_IMAGES.contains(&m.as_str()) {
        Some(policy.max_image)
    } else if AUTO_AUDIO.contains(&m.as_str()) {
        Some(policy.max_audio)
    } else if AUTO_VIDEO.contains(&m.as_str()) {
        Some(policy.max_video)
    } else {
        None
    };
    let Some(limit) = limit else {
        reasons.push(PartReason::NotAllowListed { media: m });
        return (PartDecision::TapToOpen, reasons);
    };
    let mut decision = PartDecision::Auto;
    if let Some((w, h)) = sniffed.dimensions {
        let pixels = u64::from(w).saturating_mul(u64::from(h));
        if pixels > policy.hard_max_pixels || w > policy.hard_max_side || h > policy.hard_max_side {
            reasons.push(PartReason::DimensionsTooLarge {
                width: w,
                height: h,
            });
            return (PartDecision::Blocked, reasons);
        }
        if pixels > policy.max_image_pixels
            || w > policy.max_image_side
            || h > policy.max_image_side
        {
            reasons.push(PartReason::DimensionsTooLarge {
                width: w,
                height: h,
            });
            decision = PartDecision::TapToOpen;
        }
    }
    if size > limit {
        reasons.push(PartReason::TooLarge { size, limit });
        decision = decision.max(PartDecision::TapToOpen);
    }
    if decision == PartDecision::Auto {
        reasons.push(PartReason::AllowListed);
    }
    (decision, reasons)
}

/// The decision for a part: judged as declared and as sniffed, the more restrictive wins; a
/// mismatch is flagged and never auto-renders.
pub fn judge(
    declared: &str,
    data_len: u64,
    sniffed: &Sniffed,
    policy: &MediaPolicy,
) -> (PartDecision, Vec<PartReason>, String) {
    let (d1, mut r1) = judge_type(declared, data_len, sniffed, policy);
    let known_sniff = sniffed.media != "application/octet-stream";
    if compatible(declared, sniffed.media) || !known_sniff && d1 != PartDecision::Auto {
        return (d1, r1, canonical(declared));
    }
    let (d2, r2) = judge_type(sniffed.media, data_len, sniffed, policy);
    let mut reasons = vec![PartReason::TypeMismatch {
        declared: canonical(declared),
        sniffed: sniffed.media.to_string(),
    }];
    let (decision, effective) = if d2 > d1 {
        reasons.extend(r2);
        (d2, sniffed.media.to_string())
    } else {
        reasons.append(&mut r1);
        (d1, canonical(declared))
    };
    (decision.max(PartDecision::TapToOpen), reasons, effective)
}
