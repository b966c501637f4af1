//! Code pages of the WBXML applications a phone receives by push: Service Indication
//! (WAP-167), Service Loading (WAP-168), and OMA Client Provisioning (ProvCont 1.1, pages 0
//! and 1), and the SI date format (opaque packed BCD).

use super::CodePages;

/// Service Indication (`application/vnd.wap.sic`, public id 0x05).
#[derive(Debug, Clone, Copy, Default)]
pub struct SiPages;

const HREF_VALUES: [(u8, &str); 4] = [
    (0x85, ".com/"),
    (0x86, ".edu/"),
    (0x87, ".net/"),
    (0x88, ".org/"),
];

impl CodePages for SiPages {
    fn tag(&self, page: u8, token: u8) -> Option<&'static str> {
        (page == 0).then_some(())?;
        Some(match token {
            0x05 => "si",
            0x06 => "indication",
            0x07 => "info",
            0x08 => "item",
            _ => return None,
        })
    }
    fn attr_start(&self, page: u8, token: u8) -> Option<(&'static str, &'static str)> {
        (page == 0).then_some(())?;
        Some(match token {
            0x05 => ("action", "signal-none"),
            0x06 => ("action", "signal-low"),
            0x07 => ("action", "signal-medium"),
            0x08 => ("action", "signal-high"),
            0x09 => ("action", "delete"),
            0x0a => ("created", ""),
            0x0b => ("href", ""),
            0x0c => ("href", "http://"),
            0x0d => ("href", "http://www."),
            0x0e => ("href", "https://"),
            0x0f => ("href", "https://www."),
            0x10 => ("si-expires", ""),
            0x11 => ("si-id", ""),
            0x12 => ("class", ""),
            _ => return None,
        })
    }
    fn attr_value(&self, page: u8, token: u8) -> Option<&'static str> {
        (page == 0).then_some(())?;
        HREF_VALUES
            .iter()
            .find(|(t, _)| *t == token)
            .map(|(_, v)| *v)
    }
}

/// Service Loading (`application/vnd.wap.slc`, public id 0x06).
#[derive(Debug, Clone, Copy, Default)]
pub struct SlPages;

impl CodePages for SlPages {
    fn tag(&self, page: u8, token: u8) -> Option<&'static str> {
        (page == 0 && token == 0x05).then_some("sl")
    }
    fn attr_start(&self, page: u8, token: u8) -> Option<(&'static str, &'static str)> {
        (page == 0).then_some(())?;
        Some(match token {
            0x05 => ("action", "execute-low"),
            0x06 => ("action", "execute-high"),
            0x07 => ("action", "cache"),
            0x08 => ("href", ""),
            0x09 => ("href", "http://"),
            0x0a => ("href", "http://www."),
            0x0b => ("href", "https://"),
            0x0c => ("href", "https://www."),
            _ => return None,
        })
    }
    fn attr_value(&self, page: u8, token: u8) -> Option<&'static str> {
        (page == 0).then_some(())?;
        HREF_VALUES
            .iter()
            .find(|(t, _)| *t == token)
            .map(|(_, v)| *v)
    }
}

/// Decodes an SI date (`created`, `si-expires`): opaque packed BCD `YYYY MM DD hh mm ss`,
/// trailing zero octets omitted. Returns seconds since the epoch.
pub fn si_date(b: &[u8]) -> Option<u64> {
    if b.is_empty() || b.len() > 7 {
        return None;
    }
    let mut digits = [0u8; 14];
    for (i, byte) in b.iter().enumerate() {
        let hi = byte >> 4;
        let lo = byte & 0x0f;
        if hi > 9 || lo > 9 {
            return None;
        }
        *digits.get_mut(i * 2)? = hi;
        *digits.get_mut(i * 2 + 1)? = lo;
    }
    let num = |a: usize, n: usize| -> u64 {
        digits
            .iter()
            .skip(a)
            .take(n)
            .fold(0u64, |acc, d| acc * 10 + u64::from(*d))
    };
    let (y, mo, d, h, mi, s) = (
        num(0, 4),
        num(4, 2).max(1),
        num(6, 2).max(1),
        num(8, 2),
        num(10, 2),
        num(12, 2),
    );
    if !(1..=12).contains(&mo) || d > 31 || h > 23 || mi > 59 || s > 59 || y < 1970 {
        return None;
    }
    // Days from civil (proleptic Gregorian).
    let (y2, m2) = if mo <= 2 {
        (y - 1, mo + 9)
    } else {
        (y, mo - 3)
    };
    let era = y2 / 400;
    let yoe = y2 - era * 400;
    let doy = (153 * m2 + 2) / 5 + d - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    let days = era * 146_097 + doe;
    let days = days.checked_sub(719_468)?;
    Some(days * 86_400 + h * 3600 + mi * 60 + s)
}
