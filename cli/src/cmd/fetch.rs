//! `mms fetch`: a message from its Content-Location, printed.

use crate::failure::Failure;
use crate::net::{NetArgs, http_transport, net_profile, runtime};
use mms_core::pdu::Pdu;
use mms_core::pdu::describe::PduRecord;

#[derive(clap::Args, Debug)]
pub(crate) struct FetchArgs {
    #[command(flatten)]
    pub(crate) net: NetArgs,
    /// The Content-Location to fetch.
    pub(crate) url: String,
    /// Print JSON.
    #[arg(long)]
    pub(crate) json: bool,
}

pub(crate) fn fetch_cmd(a: &FetchArgs) -> Result<(), Failure> {
    use mms_core::Mm1Transport;
    let mut profile = net_profile(&NetArgs {
        mmsc: Some(a.net.mmsc.clone().unwrap_or_else(|| a.url.clone())),
        proxy: a.net.proxy.clone(),
        headers: a.net.headers.clone(),
        profile: a.net.profile.clone(),
        anchor: a.net.anchor.clone(),
        from: a.net.from.clone(),
    })?;
    profile.max_response_size = profile.max_response_size.max(4 * 1024 * 1024);
    let t = http_transport(&profile)?;
    let rt = runtime()?;
    let resp = rt.block_on(t.get(&a.url)).map_err(|e| Failure {
        code: 1,
        message: format!("fetch failed: {e}"),
        hint: "is the URL reachable (through --proxy)?",
    })?;
    if !(200..300).contains(&resp.status) {
        return Err(Failure {
            code: 1,
            message: format!("HTTP {}", resp.status),
            hint: "the MMSC refused or no longer has the message",
        });
    }
    let d = Pdu::decode_lenient(&resp.body).map_err(|e| Failure {
        code: 1,
        message: format!("not an MMS PDU: {e}"),
        hint: "the server answered with something else",
    })?;
    let record = PduRecord::from_decoded(&d);
    if a.json {
        println!(
            "{}",
            serde_json::to_string_pretty(&record).unwrap_or_default()
        );
    } else {
        print!("{}", record.to_text());
    }
    Ok(())
}
