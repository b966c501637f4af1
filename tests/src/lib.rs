//! Shared helpers for the cross-crate suites: locating the shared interop corpus beside the
//! project and reading its hex files.

use std::path::PathBuf;

/// The shared corpus directory (`../shared/corpus` beside the project root), if present.
/// Honours `MMS_CORPUS_DIR`.
pub fn corpus_dir() -> Option<PathBuf> {
    if let Ok(p) = std::env::var("MMS_CORPUS_DIR") {
        let p = PathBuf::from(p);
        return p.is_dir().then_some(p);
    }
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    let p = root.parent()?.parent()?.join("shared").join("corpus");
    p.is_dir().then_some(p)
}

/// Decodes a corpus `.hex` file: `#` lines are metadata, the rest is hex.
pub fn read_hex_file(text: &str) -> Result<Vec<u8>, String> {
    let hex: String = text
        .lines()
        .filter(|l| !l.trim_start().starts_with('#'))
        .flat_map(|l| l.chars().filter(|c| !c.is_whitespace()))
        .collect();
    decode_hex(&hex)
}

/// Decodes a hex string (whitespace ignored).
pub fn decode_hex(s: &str) -> Result<Vec<u8>, String> {
    let clean: Vec<u8> = s.bytes().filter(|b| !b.is_ascii_whitespace()).collect();
    if clean.len() % 2 != 0 {
        return Err("odd number of hex digits".into());
    }
    clean
        .chunks(2)
        .map(|c| {
            let s = std::str::from_utf8(c).map_err(|e| e.to_string())?;
            u8::from_str_radix(s, 16).map_err(|e| e.to_string())
        })
        .collect()
}
