//! Reading a command's input: binary or hex text (with `#` comment lines), from a file or
//! standard input.

use crate::failure::Failure;
use std::path::PathBuf;

/// Reads `path` (`-` for standard input), decoding hex text when asked, when the file is named
/// `.hex`, or when it is annotated hex.
pub(crate) fn read_input(path: &PathBuf, hex: bool) -> Result<Vec<u8>, Failure> {
    let raw = if path.as_os_str() == "-" {
        let mut v = Vec::new();
        std::io::Read::read_to_end(&mut std::io::stdin(), &mut v).map(|_| v)
    } else {
        std::fs::read(path)
    }
    .map_err(|e| Failure {
        code: 2,
        message: format!("cannot read {}: {e}", path.display()),
        hint: "check the path (use - for standard input)",
    })?;
    let looks_hex = raw
        .iter()
        .all(|b| b.is_ascii_hexdigit() || b.is_ascii_whitespace())
        && !raw.is_empty();
    if hex || (looks_hex && path.extension().is_some_and(|e| e == "hex")) || is_annotated_hex(&raw)
    {
        let text = String::from_utf8_lossy(&raw);
        let digits: String = text
            .lines()
            .filter(|l| !l.trim_start().starts_with('#'))
            .flat_map(|l| l.chars().filter(|c| !c.is_whitespace()))
            .collect();
        return hex::decode(&digits).map_err(|e| Failure {
            code: 2,
            message: format!("{} is not valid hex: {e}", path.display()),
            hint: "drop --hex for binary files",
        });
    }
    Ok(raw)
}

pub(crate) fn is_annotated_hex(raw: &[u8]) -> bool {
    raw.first() == Some(&b'#')
        && raw
            .split(|b| *b == b'\n')
            .filter(|l| !l.starts_with(b"#"))
            .all(|l| {
                l.iter()
                    .all(|b| b.is_ascii_hexdigit() || b.is_ascii_whitespace())
            })
}
