//! Reading a command's input: binary or hex text (with `#` comment lines), from a file or
//! standard input.

use crate::failure::{Exit, Failure};
use std::path::PathBuf;

/// The largest input read: 16 MiB (hex text of a message twice its size included); carriers
/// cap MMS at a few hundred kilobytes to a few megabytes.
pub(crate) const MAX_INPUT: u64 = 16 * 1024 * 1024;

/// Reads `path` (`-` for standard input), decoding hex text when asked, when the file is named
/// `.hex`, or when it is annotated hex.
pub(crate) fn read_input(path: &PathBuf, hex: bool) -> Result<Vec<u8>, Failure> {
    let cannot = |e: std::io::Error| Failure {
        code: Exit::Usage,
        message: format!("cannot read {}: {e}", path.display()),
        hint: "check the path (use - for standard input)",
    };
    let too_large = || Failure {
        code: Exit::Usage,
        message: format!(
            "{} is larger than {} MiB, more than any MMS, push or provisioning document",
            path.display(),
            MAX_INPUT >> 20
        ),
        hint: "give one message, push or document",
    };
    // The size is checked before anything is read: a file by its length, standard input by
    // reading at most one octet past the limit.
    let raw = if path.as_os_str() == "-" {
        let mut v = Vec::new();
        std::io::Read::read_to_end(
            &mut std::io::Read::take(std::io::stdin().lock(), MAX_INPUT + 1),
            &mut v,
        )
        .map_err(cannot)?;
        v
    } else {
        let len = std::fs::metadata(path).map_err(cannot)?.len();
        if len > MAX_INPUT {
            return Err(too_large());
        }
        let mut v = Vec::new();
        std::io::Read::read_to_end(
            &mut std::io::Read::take(std::fs::File::open(path).map_err(cannot)?, MAX_INPUT + 1),
            &mut v,
        )
        .map_err(cannot)?;
        v
    };
    if raw.len() as u64 > MAX_INPUT {
        return Err(too_large());
    }
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
            code: Exit::Usage,
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
