//! Service Indication, Service Loading and Session Initiation Request (SIA) content, read into
//! plain data for the policy: SI and SL are WBXML (WAP-167, WAP-168); SIA is the binary
//! format of the Push OTA protocol (WAP-189) with the contact points a UA would connect to.

use crate::pdu::error::{DecodeError, DecodeErrorKind};
use crate::pdu::reader::Reader;
use crate::pdu::wsp;
use crate::wbxml::pages::{SiPages, SlPages, si_date};
use crate::wbxml::{self, WbxmlLimits};
use serde::Serialize;

/// A Service Indication.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ServiceIndication {
    /// The href, if any.
    pub href: Option<String>,
    /// The indication text.
    pub text: String,
    /// The requested action (`signal-none` .. `signal-high`, `delete`).
    pub action: String,
    /// si-id.
    pub si_id: Option<String>,
    /// created (seconds since the epoch).
    pub created: Option<u64>,
    /// si-expires (seconds since the epoch).
    pub expires: Option<u64>,
}

/// A Service Loading request.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ServiceLoading {
    /// What it asks to load.
    pub href: String,
    /// `execute-low`, `execute-high` or `cache`.
    pub action: String,
}

/// A contact point of a Session Initiation Request.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ContactPoint {
    /// WDP bearer type, when given.
    pub bearer: Option<u8>,
    /// Port, when given.
    pub port: Option<u16>,
    /// The address, rendered (dotted IPv4, IPv6, or text).
    pub address: String,
}

/// A Session Initiation Request (SIR, `application/vnd.wap.sia`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct SessionInitiation {
    /// Application ids.
    pub applications: Vec<String>,
    /// Where the UA is asked to connect.
    pub contact_points: Vec<ContactPoint>,
}

fn bad(what: &'static str) -> DecodeError {
    DecodeError::new(0, DecodeErrorKind::InvalidOctet { what, octet: 0 })
}

/// Reads an SI document.
pub fn parse_si(body: &[u8]) -> Result<ServiceIndication, DecodeError> {
    let doc = wbxml::decode(body, &SiPages, &WbxmlLimits::default())?;
    if doc.root.name != "si" {
        return Err(bad("SI root element"));
    }
    let ind = doc
        .root
        .elements()
        .find(|e| e.name == "indication")
        .ok_or_else(|| bad("SI indication"))?;
    let date = |name: &str| {
        ind.attr(name).and_then(|a| match a.opaque() {
            Some(o) => si_date(o),
            None => None,
        })
    };
    Ok(ServiceIndication {
        href: ind.attr("href").map(|a| a.text()),
        text: ind.text().trim().to_string(),
        action: ind
            .attr("action")
            .map(|a| a.text())
            .unwrap_or_else(|| "signal-medium".into()),
        si_id: ind.attr("si-id").map(|a| a.text()),
        created: date("created"),
        expires: date("si-expires"),
    })
}

/// Reads an SL document.
pub fn parse_sl(body: &[u8]) -> Result<ServiceLoading, DecodeError> {
    let doc = wbxml::decode(body, &SlPages, &WbxmlLimits::default())?;
    if doc.root.name != "sl" {
        return Err(bad("SL root element"));
    }
    Ok(ServiceLoading {
        href: doc
            .root
            .attr("href")
            .map(|a| a.text())
            .ok_or_else(|| bad("SL href"))?,
        action: doc
            .root
            .attr("action")
            .map(|a| a.text())
            .unwrap_or_else(|| "execute-low".into()),
    })
}

/// Reads an SIA document (WAP-189 section 8).
pub fn parse_sia(body: &[u8]) -> Result<SessionInitiation, DecodeError> {
    let mut r = Reader::new(body);
    let _version = r.u8()?;
    let app_len = wsp::uintvar(&mut r)? as usize;
    let mut apps = r.sub(app_len)?;
    let mut applications = Vec::new();
    while !apps.is_empty() && applications.len() < 16 {
        let b = apps.peek()?;
        if (0x20..0x80).contains(&b) {
            applications.push(String::from_utf8_lossy(wsp::text_string(&mut apps)?).into_owned());
        } else {
            applications.push(format!("0x{:x}", wsp::integer_value(&mut apps)?));
        }
    }
    let cp_len = wsp::uintvar(&mut r)? as usize;
    let mut cps = r.sub(cp_len)?;
    let mut contact_points = Vec::new();
    while !cps.is_empty() {
        if contact_points.len() >= 16 {
            return Err(cps.err(DecodeErrorKind::TooManyParts(16)));
        }
        let t = cps.u8()?;
        let bearer = if t & 0x80 != 0 { Some(cps.u8()?) } else { None };
        let port = if t & 0x40 != 0 {
            let p = cps.take(2)?;
            Some(u16::from_be_bytes([
                p.first().copied().unwrap_or(0),
                p.get(1).copied().unwrap_or(0),
            ]))
        } else {
            None
        };
        let a = cps.take(usize::from(t & 0x3f))?;
        let address = match (bearer, a.len()) {
            (None | Some(0x00), 4) => a
                .iter()
                .map(|b| b.to_string())
                .collect::<Vec<_>>()
                .join("."),
            (None | Some(0x01), 16) => {
                let mut o = [0u8; 16];
                o.copy_from_slice(a);
                std::net::Ipv6Addr::from(o).to_string()
            }
            _ if a.iter().all(|c| c.is_ascii_graphic()) => String::from_utf8_lossy(a).into_owned(),
            _ => a.iter().map(|b| format!("{b:02x}")).collect(),
        };
        contact_points.push(ContactPoint {
            bearer,
            port,
            address,
        });
    }
    Ok(SessionInitiation {
        applications,
        contact_points,
    })
}
