//! What the network commands share: where the MMSC is and how to reach it ([`NetArgs`]), the
//! carrier profile built from them, the runtime and the default transport.

use crate::failure::{Exit, Failure};
use std::path::PathBuf;

/// Options shared by `send` and `fetch`: where the MMSC is and how to reach it.
#[derive(clap::Args, Debug)]
pub(crate) struct NetArgs {
    /// The MMSC URL (overrides the profile's).
    #[arg(long)]
    pub(crate) mmsc: Option<String>,
    /// The carrier proxy, HOST:PORT.
    #[arg(long)]
    pub(crate) proxy: Option<String>,
    /// An extra HTTP header, `Name: value` (repeatable; ##LINE1## expands to --from).
    #[arg(long = "header")]
    pub(crate) headers: Vec<String>,
    /// A carrier profile (TOML with the keys of CarrierProfile).
    #[arg(long)]
    pub(crate) profile: Option<PathBuf>,
    /// PEM file of operator trust anchors for an https MMSC.
    #[arg(long)]
    pub(crate) anchor: Option<PathBuf>,
    /// Your own number (for ##LINE1## and subscriber identification).
    #[arg(long)]
    pub(crate) from: Option<String>,
}

pub(crate) fn url_check(u: &str) -> Result<(), Failure> {
    match u.split_once("://") {
        Some((s, rest)) if (s == "http" || s == "https") && !rest.is_empty() => Ok(()),
        _ => Err(Failure {
            code: Exit::Usage,
            message: format!("--mmsc {u:?} is not an http(s) URL"),
            hint: "give the provisioned MMSC URL, e.g. --mmsc http://mmsc.operator.example:8002/mms",
        }),
    }
}

pub(crate) fn net_profile(n: &NetArgs) -> Result<mms_core::CarrierProfile, Failure> {
    let mut p = match &n.profile {
        Some(f) => {
            let text = std::fs::read_to_string(f).map_err(|e| Failure {
                code: Exit::Usage,
                message: format!("cannot read {}: {e}", f.display()),
                hint: "give a TOML carrier profile",
            })?;
            mms_core::CarrierProfile::from_toml(&text).map_err(|e| Failure {
                code: Exit::Usage,
                message: format!("bad profile {}: {e}", f.display()),
                hint: "keys are those of CarrierProfile (mmsc_url, proxy, http_headers, ...)",
            })?
        }
        None => mms_core::CarrierProfile::default(),
    };
    if let Some(m) = &n.mmsc {
        p.mmsc_url = m.clone();
    }
    if n.proxy.is_some() {
        p.proxy = n.proxy.clone();
    }
    p.http_headers.extend(n.headers.iter().cloned());
    if n.from.is_some() {
        p.line1 = n.from.clone();
    }
    if let Some(a) = &n.anchor {
        p.operator_anchors_pem = Some(std::fs::read_to_string(a).map_err(|e| Failure {
            code: Exit::Usage,
            message: format!("cannot read {}: {e}", a.display()),
            hint: "give a PEM file",
        })?);
    }
    url_check(&p.mmsc_url)?;
    Ok(p)
}

/// The single-threaded runtime the network commands run on.
pub(crate) fn runtime() -> Result<tokio::runtime::Runtime, Failure> {
    tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .map_err(|e| Failure {
            code: Exit::Usage,
            message: e.to_string(),
            hint: "",
        })
}

/// The default MM1 transport for `profile` (proxy, operator anchors, carrier headers).
pub(crate) fn http_transport(
    profile: &mms_core::CarrierProfile,
) -> Result<mms_core::HttpTransport, Failure> {
    mms_core::HttpTransport::new(profile).map_err(|e| Failure {
        code: Exit::Usage,
        message: e.to_string(),
        hint: "check --proxy and --anchor",
    })
}
