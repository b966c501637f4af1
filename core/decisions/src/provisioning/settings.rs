//! MMS settings from a provisioning document: the APPLICATION with APPID `w4` gives the MMSC
//! URL (ADDR) and, through TO-PROXY and TO-NAPID, the proxy (PXLOGICAL/PXPHYSICAL address and
//! port) and the access point (NAPDEF: APN, auth type; the password stays secret). Nothing
//! else is taken from the document. Values are validated before anyone sees them.

use super::auth::Secret;
use mms_codec::provisioning::{Characteristic, ProvisioningDoc};
use serde::Serialize;

/// Proxy settings.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ProxySettings {
    /// Host name or IP address.
    pub host: String,
    /// Port.
    pub port: u16,
}

/// Access point authentication (the password is a secret).
#[derive(Clone, PartialEq, Eq, Serialize)]
pub struct ApnAuth {
    /// PAP, CHAP...
    pub auth_type: Option<String>,
    /// User name.
    pub user: Option<String>,
    /// Password: never serialised, logged or shown.
    #[serde(skip)]
    pub password: Option<Secret>,
}

impl std::fmt::Debug for ApnAuth {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ApnAuth")
            .field("auth_type", &self.auth_type)
            .field("user", &self.user)
            .field("password", &self.password.as_ref().map(|_| "<redacted>"))
            .finish()
    }
}

/// The MMS settings a document would set.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct MmsSettings {
    /// The MMSC URL.
    pub mmsc_url: String,
    /// The MMS proxy, if any.
    pub proxy: Option<ProxySettings>,
    /// The APN, if given.
    pub apn: Option<String>,
    /// APN authentication.
    pub apn_auth: Option<ApnAuth>,
    /// The application's NAME, for display.
    pub name: Option<String>,
}

/// Why settings could not be taken from a document.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error, Serialize)]
pub enum SettingsError {
    /// No APPLICATION with APPID w4.
    #[error("the document has no MMS application (APPID w4)")]
    NoMmsApplication,
    /// No ADDR.
    #[error("the MMS application has no MMSC address")]
    NoMmscUrl,
    /// The MMSC URL is not an http(s) URL with a host.
    #[error("the MMSC address is not an http(s) URL: {0}")]
    BadMmscUrl(String),
    /// The proxy address or port is not valid.
    #[error("the proxy is not a host and port: {0}")]
    BadProxy(String),
}

fn valid_host(h: &str) -> bool {
    !h.is_empty()
        && h.len() <= 253
        && (h.parse::<std::net::IpAddr>().is_ok()
            || h.split('.').all(|l| {
                !l.is_empty()
                    && l.len() <= 63
                    && l.chars().all(|c| c.is_ascii_alphanumeric() || c == '-')
                    && !l.starts_with('-')
            }))
}

fn find_pxlogical<'d, 'a>(
    doc: &'d ProvisioningDoc<'a>,
    id: &str,
) -> Option<&'d Characteristic<'a>> {
    doc.of_kind("PXLOGICAL")
        .find(|p| p.parm("PROXY-ID") == Some(id))
}

/// Extracts and validates the MMS settings.
pub fn mms_settings(doc: &ProvisioningDoc<'_>) -> Result<MmsSettings, SettingsError> {
    let app = doc
        .of_kind("APPLICATION")
        .find(|a| {
            a.parm("APPID")
                .is_some_and(|id| id.eq_ignore_ascii_case("w4"))
        })
        .ok_or(SettingsError::NoMmsApplication)?;
    let addr = app
        .parm("ADDR")
        .or_else(|| app.children_of("APPADDR").find_map(|a| a.parm("ADDR")))
        .or_else(|| app.children_of("RESOURCE").find_map(|r| r.parm("URI")))
        .ok_or(SettingsError::NoMmscUrl)?
        .trim();
    let bad_url = || SettingsError::BadMmscUrl(addr.to_string());
    let url = url::Url::parse(addr).map_err(|_| bad_url())?;
    if !matches!(url.scheme(), "http" | "https")
        || url.host_str().is_none_or(str::is_empty)
        || !url.username().is_empty()
    {
        return Err(bad_url());
    }
    let mut proxy = None;
    let mut nap_ids: Vec<&str> = app.parms_named("TO-NAPID").collect();
    if let Some(pid) = app.parm("TO-PROXY") {
        let px = find_pxlogical(doc, pid)
            .ok_or_else(|| SettingsError::BadProxy(format!("no PXLOGICAL {pid}")))?;
        let phys = px
            .children_of("PXPHYSICAL")
            .next()
            .ok_or_else(|| SettingsError::BadProxy(format!("{pid} has no PXPHYSICAL")))?;
        let host = phys
            .parm("PXADDR")
            .ok_or_else(|| SettingsError::BadProxy("no PXADDR".into()))?
            .trim();
        if !valid_host(host) {
            return Err(SettingsError::BadProxy(host.to_string()));
        }
        let port_str = phys
            .children_of("PORT")
            .find_map(|p| p.parm("PORTNBR"))
            .or_else(|| px.children_of("PORT").find_map(|p| p.parm("PORTNBR")))
            .unwrap_or("8080");
        let port: u16 = port_str
            .trim()
            .parse()
            .ok()
            .filter(|p| *p > 0)
            .ok_or_else(|| SettingsError::BadProxy(format!("port {port_str}")))?;
        nap_ids.extend(phys.parms_named("TO-NAPID"));
        proxy = Some(ProxySettings {
            host: host.to_string(),
            port,
        });
    }
    let nap = nap_ids
        .iter()
        .find_map(|id| doc.of_kind("NAPDEF").find(|n| n.parm("NAPID") == Some(*id)));
    let apn = nap
        .and_then(|n| n.parm("NAP-ADDRESS"))
        .map(|a| a.trim().to_string());
    let apn_auth = nap
        .and_then(|n| n.children_of("NAPAUTHINFO").next())
        .map(|a| ApnAuth {
            auth_type: a.parm("AUTHTYPE").map(str::to_string),
            user: a.parm("AUTHNAME").map(str::to_string),
            password: a.secret("AUTHSECRET").cloned(),
        });
    Ok(MmsSettings {
        mmsc_url: url.into(),
        proxy,
        apn,
        apn_auth,
        name: app.parm("NAME").map(str::to_string),
    })
}
