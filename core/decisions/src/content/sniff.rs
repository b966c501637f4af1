//! Content sniffing from magic bytes and structure, for the MMS media families. Reads are
//! bounded (a fixed number of header octets, a bounded walk over JPEG segments and ZIP
//! entries); media are never decoded. Dimensions are read from headers where the format
//! states them (PNG, GIF, BMP, JPEG, WBMP, WebP).

use serde::Serialize;

/// Most octets any sniffer looks at, except the JPEG segment walk (bounded by count).
pub const SNIFF_WINDOW: usize = 4096;

/// What the bytes are.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Sniffed {
    /// The canonical media type the bytes are (`image/jpeg`), or
    /// `application/octet-stream` when nothing matched.
    pub media: &'static str,
    /// Width and height in pixels, when the header states them.
    pub dimensions: Option<(u32, u32)>,
    /// Executable or scripted content was recognised.
    pub active: bool,
    /// For markup (SVG, HTML, XHTML, SMIL): a script or an external reference was seen.
    pub has_script_or_external: bool,
}

impl Sniffed {
    fn of(media: &'static str) -> Self {
        Sniffed {
            media,
            dimensions: None,
            active: false,
            has_script_or_external: false,
        }
    }
    fn dims(mut self, d: Option<(u32, u32)>) -> Self {
        self.dimensions = d;
        self
    }
    fn active(mut self) -> Self {
        self.active = true;
        self
    }
}

fn be16(b: &[u8], at: usize) -> Option<u32> {
    let s = b.get(at..at.checked_add(2)?)?;
    Some(u32::from(u16::from_be_bytes([*s.first()?, *s.get(1)?])))
}
fn le16(b: &[u8], at: usize) -> Option<u32> {
    let s = b.get(at..at.checked_add(2)?)?;
    Some(u32::from(u16::from_le_bytes([*s.first()?, *s.get(1)?])))
}
fn be32(b: &[u8], at: usize) -> Option<u32> {
    let s: [u8; 4] = b.get(at..at.checked_add(4)?)?.try_into().ok()?;
    Some(u32::from_be_bytes(s))
}
fn le32(b: &[u8], at: usize) -> Option<u32> {
    let s: [u8; 4] = b.get(at..at.checked_add(4)?)?.try_into().ok()?;
    Some(u32::from_le_bytes(s))
}
fn le24(b: &[u8], at: usize) -> Option<u32> {
    let s = b.get(at..at.checked_add(3)?)?;
    Some(u32::from(*s.first()?) | u32::from(*s.get(1)?) << 8 | u32::from(*s.get(2)?) << 16)
}

fn jpeg_dims(b: &[u8]) -> Option<(u32, u32)> {
    let mut i = 2usize;
    for _ in 0..256 {
        if *b.get(i)? != 0xff {
            return None;
        }
        let marker = *b.get(i.checked_add(1)?)?;
        if marker == 0xff {
            i = i.checked_add(1)?;
            continue;
        }
        if matches!(marker, 0xd8 | 0x01 | 0xd0..=0xd7) {
            i = i.checked_add(2)?;
            continue;
        }
        let len = be16(b, i.checked_add(2)?)? as usize;
        if matches!(marker, 0xc0..=0xcf) && !matches!(marker, 0xc4 | 0xc8 | 0xcc) {
            let h = be16(b, i.checked_add(5)?)?;
            let w = be16(b, i.checked_add(7)?)?;
            return Some((w, h));
        }
        if marker == 0xd9 || marker == 0xda {
            return None;
        }
        i = i.checked_add(2)?.checked_add(len)?;
    }
    None
}

fn wbmp_int(b: &[u8], at: &mut usize) -> Option<u32> {
    let mut v: u32 = 0;
    for _ in 0..4 {
        let x = *b.get(*at)?;
        *at = at.checked_add(1)?;
        v = (v << 7) | u32::from(x & 0x7f);
        if x & 0x80 == 0 {
            return Some(v);
        }
    }
    None
}

fn starts_ci(b: &[u8], p: &[u8]) -> bool {
    b.get(..p.len()).is_some_and(|h| h.eq_ignore_ascii_case(p))
}

fn contains_ci(hay: &[u8], needle: &[u8]) -> bool {
    hay.windows(needle.len())
        .any(|w| w.eq_ignore_ascii_case(needle))
}

/// Scans markup for script or external references (bounded to the part's first 256 KiB).
pub fn markup_is_active(b: &[u8]) -> bool {
    let b = b.get(..b.len().min(256 * 1024)).unwrap_or(&[]);
    const NEEDLES: &[&[u8]] = &[
        b"<script",
        b"javascript:",
        b"vbscript:",
        b" on",
        b"<iframe",
        b"<object",
        b"<embed",
        b"<foreignobject",
        b"xlink:href=\"http",
        b"href=\"http",
        b"src=\"http",
        b"xlink:href='http",
        b"href='http",
        b"src='http",
        b"<!entity",
        b"@import",
        b"url(http",
        b"<meta http-equiv",
    ];
    NEEDLES.iter().any(|n| {
        if *n == b" on" {
            // Event handler attributes: on<letters>=
            hay_event_handler(b)
        } else {
            contains_ci(b, n)
        }
    })
}

fn hay_event_handler(b: &[u8]) -> bool {
    b.windows(3).enumerate().any(|(i, w)| {
        (w.first().is_some_and(|c| c.is_ascii_whitespace()))
            && w.get(1..3).is_some_and(|o| o.eq_ignore_ascii_case(b"on"))
            && {
                let rest = b.get(i.saturating_add(3)..).unwrap_or(&[]);
                let name_len = rest.iter().take_while(|c| c.is_ascii_alphabetic()).count();
                name_len >= 3
                    && rest
                        .get(name_len..)
                        .is_some_and(|r| r.iter().find(|c| !c.is_ascii_whitespace()) == Some(&b'='))
            }
    })
}

fn text_kind(b: &[u8]) -> Option<&'static str> {
    let w = b.get(..b.len().min(SNIFF_WINDOW)).unwrap_or(&[]);
    if w.starts_with(&[0xfe, 0xff]) || w.starts_with(&[0xff, 0xfe]) {
        return Some("text/plain");
    }
    if w.contains(&0) {
        return None;
    }
    // Allow a cut multi-byte sequence at the window end.
    let valid_utf8 = match std::str::from_utf8(w) {
        Ok(_) => true,
        Err(e) => e.error_len().is_none(),
    };
    let controls = w
        .iter()
        .filter(|&&c| c < 0x20 && !matches!(c, b'\n' | b'\r' | b'\t' | 0x0c | 0x1b))
        .count();
    if controls.saturating_mul(20) > w.len() {
        return None;
    }
    // Legacy 8-bit text (ISO-8859-x, Shift_JIS...) is still text if it has few controls.
    let _ = valid_utf8;
    Some("text/plain")
}

/// Sniffs what `data` is.
pub fn sniff(data: &[u8]) -> Sniffed {
    let b = data;
    let head = b.get(..b.len().min(SNIFF_WINDOW)).unwrap_or(&[]);
    let trimmed = {
        let bom = if head.starts_with(&[0xef, 0xbb, 0xbf]) {
            3
        } else {
            0
        };
        let rest = head.get(bom..).unwrap_or(&[]);
        let ws = rest.iter().take_while(|c| c.is_ascii_whitespace()).count();
        rest.get(ws..).unwrap_or(&[])
    };
    if b.starts_with(&[0xff, 0xd8, 0xff]) {
        return Sniffed::of("image/jpeg").dims(jpeg_dims(b));
    }
    if b.starts_with(b"\x89PNG\r\n\x1a\n") {
        let d = be32(b, 16).zip(be32(b, 20));
        return Sniffed::of("image/png").dims(d);
    }
    if b.starts_with(b"GIF87a") || b.starts_with(b"GIF89a") {
        return Sniffed::of("image/gif").dims(le16(b, 6).zip(le16(b, 8)));
    }
    if b.starts_with(b"BM")
        && b.len() >= 26
        && le32(b, 14).is_some_and(|h| matches!(h, 12 | 40 | 52 | 56 | 64 | 108 | 124))
    {
        let w = le32(b, 18);
        let h = le32(b, 22).map(|h| (h as i32).unsigned_abs());
        return Sniffed::of("image/bmp").dims(w.zip(h));
    }
    if b.starts_with(b"RIFF") && b.get(8..12) == Some(b"WEBP") {
        let d = match b.get(12..16) {
            Some(b"VP8 ") => le16(b, 26)
                .map(|w| w & 0x3fff)
                .zip(le16(b, 28).map(|h| h & 0x3fff)),
            Some(b"VP8L") => le32(b, 21).map(|v| ((v & 0x3fff) + 1, ((v >> 14) & 0x3fff) + 1)),
            Some(b"VP8X") => le24(b, 24).zip(le24(b, 27)).map(|(w, h)| (w + 1, h + 1)),
            _ => None,
        };
        return Sniffed::of("image/webp").dims(d);
    }
    if b.starts_with(b"RIFF") && b.get(8..12) == Some(b"WAVE") {
        return Sniffed::of("audio/wav");
    }
    if b.starts_with(b"#!AMR-WB\n") {
        return Sniffed::of("audio/amr-wb");
    }
    if b.starts_with(b"#!AMR\n") {
        return Sniffed::of("audio/amr");
    }
    if b.starts_with(b"MThd") {
        return Sniffed::of("audio/midi");
    }
    if b.starts_with(b"OggS") {
        return Sniffed::of("audio/ogg");
    }
    if b.starts_with(b"ID3") {
        return Sniffed::of("audio/mpeg");
    }
    if b.get(4..8) == Some(b"ftyp") {
        let brand = b.get(8..12).unwrap_or(&[]);
        let compat = b.get(16..b.len().min(64)).unwrap_or(&[]);
        let any = |set: &[&[u8]]| {
            set.iter()
                .any(|s| brand == *s || compat.chunks(4).any(|c| c == *s))
        };
        if any(&[
            b"heic", b"heix", b"hevc", b"heim", b"heis", b"mif1", b"msf1", b"avif",
        ]) && !any(&[b"isom", b"mp41", b"mp42", b"3gp4", b"3gp5", b"3gp6"])
        {
            return Sniffed::of("image/heif");
        }
        if brand.starts_with(b"3g2") {
            return Sniffed::of("video/3gpp2");
        }
        if brand.starts_with(b"3gp") || brand.starts_with(b"3gr") || brand.starts_with(b"3gs") {
            return Sniffed::of("video/3gpp");
        }
        if brand == b"M4A " || brand == b"M4B " {
            return Sniffed::of("audio/mp4");
        }
        return Sniffed::of("video/mp4");
    }
    if b.starts_with(&[0x7f, b'E', b'L', b'F']) {
        return Sniffed::of("application/x-elf").active();
    }
    if b.starts_with(b"MZ") && b.len() >= 64 {
        return Sniffed::of("application/x-msdownload").active();
    }
    if b.starts_with(&[0xca, 0xfe, 0xba, 0xbe]) {
        // Java class files and Mach-O universal binaries share this magic; both are active.
        let java = be16(b, 6).is_some_and(|major| major >= 45);
        return Sniffed::of(if java {
            "application/java-vm"
        } else {
            "application/x-mach-binary"
        })
        .active();
    }
    if b.starts_with(&[0xfe, 0xed, 0xfa, 0xce])
        || b.starts_with(&[0xfe, 0xed, 0xfa, 0xcf])
        || b.starts_with(&[0xce, 0xfa, 0xed, 0xfe])
        || b.starts_with(&[0xcf, 0xfa, 0xed, 0xfe])
    {
        return Sniffed::of("application/x-mach-binary").active();
    }
    if b.starts_with(b"dex\n") {
        return Sniffed::of("application/x-dex").active();
    }
    if b.starts_with(b"PK\x03\x04") {
        // Look at the first entry names (bounded) to tell JAR and APK from plain ZIP.
        if contains_ci(head, b"AndroidManifest.xml") || contains_ci(head, b"classes.dex") {
            return Sniffed::of("application/vnd.android.package-archive").active();
        }
        if contains_ci(head, b"META-INF/") || contains_ci(head, b".class") {
            return Sniffed::of("application/java-archive").active();
        }
        return Sniffed::of("application/zip");
    }
    if b.starts_with(b"%PDF-") {
        return Sniffed::of("application/pdf");
    }
    if b.first() == Some(&0) && b.get(1) == Some(&0) {
        // WBMP type 0: 0x00, fixed header 0x00, then width and height as multi-byte ints.
        let mut at = 2;
        if let (Some(w), Some(h)) = (wbmp_int(b, &mut at), wbmp_int(b, &mut at)) {
            let need = (w as u64).div_ceil(8).saturating_mul(h as u64);
            if w > 0 && h > 0 && (b.len() as u64) >= need.saturating_add(at as u64) && need > 0 {
                return Sniffed::of("image/vnd.wap.wbmp").dims(Some((w, h)));
            }
        }
    }
    if b.len() >= 2 && b.first() == Some(&0xff) && b.get(1).is_some_and(|x| x & 0xf6 == 0xf0) {
        return Sniffed::of("audio/aac");
    }
    if b.len() >= 2 && b.first() == Some(&0xff) && b.get(1).is_some_and(|x| x & 0xe0 == 0xe0) {
        return Sniffed::of("audio/mpeg");
    }
    // Markup and structured text.
    let markup_active = || markup_is_active(b);
    if starts_ci(trimmed, b"<smil") || (starts_ci(trimmed, b"<?xml") && contains_ci(head, b"<smil"))
    {
        let mut s = Sniffed::of("application/smil");
        s.has_script_or_external = markup_active();
        return s;
    }
    if contains_ci(head, b"<svg")
        && (starts_ci(trimmed, b"<svg")
            || starts_ci(trimmed, b"<?xml")
            || starts_ci(trimmed, b"<!doctype svg"))
    {
        let mut s = Sniffed::of("image/svg+xml");
        s.has_script_or_external = markup_active();
        return s;
    }
    if starts_ci(trimmed, b"<!doctype html")
        || starts_ci(trimmed, b"<html")
        || (starts_ci(trimmed, b"<?xml") && contains_ci(head, b"<html"))
    {
        let mut s = Sniffed::of(if contains_ci(head, b"xhtml") {
            "application/xhtml+xml"
        } else {
            "text/html"
        });
        s.has_script_or_external = markup_active();
        return s;
    }
    if starts_ci(trimmed, b"begin:vcard") {
        return Sniffed::of("text/x-vcard");
    }
    if starts_ci(trimmed, b"begin:vcalendar") {
        return Sniffed::of("text/x-vcalendar");
    }
    if starts_ci(trimmed, b"midlet-") || contains_ci(head, b"\nMIDlet-Jar-URL:") {
        return Sniffed::of("text/vnd.sun.j2me.app-descriptor").active();
    }
    match text_kind(b) {
        Some(t) => Sniffed::of(t),
        None => Sniffed::of("application/octet-stream"),
    }
}
