//! Character sets by IANA MIBenum, as carried in Encoded-string-values and `charset`
//! parameters, and lossy decoding that never fails (charsets on the wire lie: a BOM under
//! us-ascii, Latin-1 octets under utf-8, `*`).

use encoding_rs::Encoding;
use serde::Serialize;
use std::borrow::Cow;

/// An IANA character set, identified by its MIBenum. Unknown values are kept as they are.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
pub struct Charset(pub u32);

impl Charset {
    /// `*` (any charset).
    pub const ANY: Charset = Charset(0);
    /// US-ASCII.
    pub const US_ASCII: Charset = Charset(3);
    /// ISO-8859-1.
    pub const ISO_8859_1: Charset = Charset(4);
    /// Shift_JIS.
    pub const SHIFT_JIS: Charset = Charset(17);
    /// EUC-JP.
    pub const EUC_JP: Charset = Charset(18);
    /// KS_C_5601-1987 (treated as the CP949 / EUC-KR superset).
    pub const KS_C_5601: Charset = Charset(36);
    /// EUC-KR.
    pub const EUC_KR: Charset = Charset(38);
    /// ISO-2022-JP.
    pub const ISO_2022_JP: Charset = Charset(39);
    /// UTF-8.
    pub const UTF_8: Charset = Charset(106);
    /// GBK.
    pub const GBK: Charset = Charset(113);
    /// GB18030.
    pub const GB18030: Charset = Charset(114);
    /// ISO-10646-UCS-2 (big-endian unless a BOM says otherwise).
    pub const UCS_2: Charset = Charset(1000);
    /// UTF-16BE.
    pub const UTF_16BE: Charset = Charset(1013);
    /// UTF-16LE.
    pub const UTF_16LE: Charset = Charset(1014);
    /// UTF-16 (BOM-detected, big-endian by default).
    pub const UTF_16: Charset = Charset(1015);
    /// GB2312.
    pub const GB2312: Charset = Charset(2025);
    /// Big5.
    pub const BIG5: Charset = Charset(2026);
    /// KOI8-R.
    pub const KOI8_R: Charset = Charset(2084);

    /// The preferred IANA name, when the MIBenum is one we know.
    pub fn name(self) -> Option<&'static str> {
        Some(match self.0 {
            0 => "*",
            3 => "us-ascii",
            4 => "iso-8859-1",
            5 => "iso-8859-2",
            6 => "iso-8859-3",
            7 => "iso-8859-4",
            8 => "iso-8859-5",
            9 => "iso-8859-6",
            10 => "iso-8859-7",
            11 => "iso-8859-8",
            12 => "iso-8859-9",
            13 => "iso-8859-10",
            17 => "shift_jis",
            18 => "euc-jp",
            36 => "ks_c_5601-1987",
            38 => "euc-kr",
            39 => "iso-2022-jp",
            106 => "utf-8",
            109 => "iso-8859-13",
            110 => "iso-8859-14",
            111 => "iso-8859-15",
            112 => "iso-8859-16",
            113 => "gbk",
            114 => "gb18030",
            1000 => "iso-10646-ucs-2",
            1013 => "utf-16be",
            1014 => "utf-16le",
            1015 => "utf-16",
            2025 => "gb2312",
            2026 => "big5",
            2084 => "koi8-r",
            2088 => "koi8-u",
            2250 => "windows-1250",
            2251 => "windows-1251",
            2252 => "windows-1252",
            2253 => "windows-1253",
            2254 => "windows-1254",
            2255 => "windows-1255",
            2256 => "windows-1256",
            2257 => "windows-1257",
            2258 => "windows-1258",
            _ => return None,
        })
    }

    /// Looks a charset up by (case-insensitive) name, for textual `charset` parameters.
    pub fn from_name(name: &str) -> Option<Charset> {
        let lower = name.trim().to_ascii_lowercase();
        let alias = match lower.as_str() {
            "ascii" | "us-ascii" | "ansi_x3.4-1968" => 3,
            "latin1" | "iso8859-1" | "iso_8859-1" => 4,
            "utf8" => 106,
            "ucs-2" | "ucs2" => 1000,
            "sjis" | "shift-jis" | "x-sjis" => 17,
            "cp949" | "ks_c_5601" | "ksc5601" => 36,
            _ => u32::MAX,
        };
        if alias != u32::MAX {
            return Some(Charset(alias));
        }
        KNOWN_MIBS
            .iter()
            .copied()
            .map(Charset)
            .find(|c| c.name() == Some(lower.as_str()))
    }

    fn encoding(self) -> Option<&'static Encoding> {
        use encoding_rs::*;
        Some(match self.0 {
            4 => WINDOWS_1252,
            5 => ISO_8859_2,
            6 => ISO_8859_3,
            7 => ISO_8859_4,
            8 => ISO_8859_5,
            9 => ISO_8859_6,
            10 => ISO_8859_7,
            11 => ISO_8859_8,
            12 => WINDOWS_1254,
            13 => ISO_8859_10,
            17 => SHIFT_JIS,
            18 => EUC_JP,
            36 | 38 => EUC_KR,
            39 => ISO_2022_JP,
            109 => ISO_8859_13,
            110 => ISO_8859_14,
            111 => ISO_8859_15,
            112 => ISO_8859_16,
            113 | 2025 => GBK,
            114 => GB18030,
            2026 => BIG5,
            2084 => KOI8_R,
            2088 => KOI8_U,
            2250 => WINDOWS_1250,
            2251 => WINDOWS_1251,
            2252 => WINDOWS_1252,
            2253 => WINDOWS_1253,
            2254 => WINDOWS_1254,
            2255 => WINDOWS_1255,
            2256 => WINDOWS_1256,
            2257 => WINDOWS_1257,
            2258 => WINDOWS_1258,
            _ => return None,
        })
    }

    /// Decodes `raw` in this charset, lossily: invalid sequences become U+FFFD, a BOM selects
    /// the UTF-16 byte order, and unknown or absent charsets fall back to UTF-8 (which is a
    /// superset of US-ASCII and what mislabelled text most often is).
    pub fn decode(self, raw: &[u8]) -> Cow<'_, str> {
        match self.0 {
            1000 | 1013 | 1014 | 1015 => decode_utf16(raw, self.0 == 1014),
            _ => match self.encoding() {
                Some(enc) => {
                    let (text, _, _) = enc.decode(raw);
                    text
                }
                // A leading byte-order mark is dropped whether or not the rest is valid, so
                // that a lossy decode and the decode of its own UTF-8 agree (found by fuzzing
                // the provisioning round trip).
                None => {
                    let body = raw.strip_prefix(&[0xef, 0xbb, 0xbf]).unwrap_or(raw);
                    match std::str::from_utf8(body) {
                        Ok(s) => Cow::Borrowed(s),
                        Err(_) => Cow::Owned(String::from_utf8_lossy(body).into_owned()),
                    }
                }
            },
        }
    }
}

const KNOWN_MIBS: &[u32] = &[
    0, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 17, 18, 36, 38, 39, 106, 109, 110, 111, 112, 113, 114,
    1000, 1013, 1014, 1015, 2025, 2026, 2084, 2088, 2250, 2251, 2252, 2253, 2254, 2255, 2256, 2257,
    2258,
];

fn decode_utf16(raw: &[u8], default_le: bool) -> Cow<'_, str> {
    let (le, body) = match raw {
        [0xff, 0xfe, rest @ ..] => (true, rest),
        [0xfe, 0xff, rest @ ..] => (false, rest),
        _ => (default_le, raw),
    };
    let units = body.chunks(2).map(|c| match c {
        [a, b] if le => u16::from_le_bytes([*a, *b]),
        [a, b] => u16::from_be_bytes([*a, *b]),
        _ => 0xfffd,
    });
    Cow::Owned(
        char::decode_utf16(units)
            .map(|c| c.unwrap_or('\u{fffd}'))
            .collect(),
    )
}

impl std::fmt::Display for Charset {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self.name() {
            Some(n) => f.write_str(n),
            None => write!(f, "mib{}", self.0),
        }
    }
}
