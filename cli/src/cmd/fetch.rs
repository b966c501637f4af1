//! `mms fetch`: a message from its Content-Location, printed; optionally acknowledged.

use crate::failure::{Exit, Failure};
use crate::net::{NetArgs, http_transport, net_profile, runtime};
use mms_core::pdu::describe::PduRecord;
use mms_core::pdu::{MessageType, Pdu, StatusClass};

#[derive(clap::Args, Debug)]
#[command(after_help = "Examples:
  mms fetch http://mmsc.example:8002/m/7f3a...
  mms fetch --profile carrier.toml --from +15550100 --ack T-17 http://mmsc.example:8002/m/7f3a...

The answer is capped at the profile's max_message_size plus a quarter and 32 KiB (and at
max_response_size). Exit codes: 4 when the MMSC cannot be reached or answers with an HTTP
error or not with an M-Retrieve.conf, 5 when its Retrieve-Status is an error.")]
pub(crate) struct FetchArgs {
    #[command(flatten)]
    pub(crate) net: NetArgs,
    /// The Content-Location to fetch.
    pub(crate) url: String,
    /// After a successful fetch, tell the MMSC the message was retrieved: an
    /// M-NotifyResp.ind (status Retrieved) for this transaction id, from the notification.
    /// Without it a real MMSC keeps re-notifying and never sends the delivery report.
    #[arg(long, value_name = "TRANSACTION-ID")]
    pub(crate) ack: Option<String>,
    /// With --ack, send M-Acknowledge.ind (deferred retrieval: the notification was already
    /// answered with Deferred) instead of M-NotifyResp.ind.
    #[arg(long, requires = "ack")]
    pub(crate) deferred: bool,
    /// Print JSON.
    #[arg(long)]
    pub(crate) json: bool,
}

pub(crate) fn fetch_cmd(a: &FetchArgs) -> Result<(), Failure> {
    use mms_core::Mm1Transport;
    let profile = net_profile(&NetArgs {
        // The MMSC (where --ack goes): --mmsc, else the profile's, else the location itself.
        mmsc: a
            .net
            .mmsc
            .clone()
            .or_else(|| a.net.profile.is_none().then(|| a.url.clone())),
        proxy: a.net.proxy.clone(),
        headers: a.net.headers.clone(),
        profile: a.net.profile.clone(),
        anchor: a.net.anchor.clone(),
        from: a.net.from.clone(),
    })?;
    let cap = mms_core::retrieval_cap(&profile, None);
    let t = http_transport(&profile)?;
    let rt = runtime()?;
    let resp = rt
        .block_on(t.get_limited(&a.url, cap))
        .map_err(|e| Failure {
            code: Exit::Network,
            message: format!("fetch failed: {e}"),
            hint: "is the URL reachable (through --proxy)? A larger message needs a profile with a larger max_message_size",
        })?;
    if !(200..300).contains(&resp.status) {
        return Err(Failure {
            code: Exit::Network,
            message: format!("HTTP {}", resp.status),
            hint: "the MMSC refused or no longer has the message",
        });
    }
    let d = Pdu::decode_lenient(&resp.body).map_err(|e| Failure {
        code: Exit::Network,
        message: format!("the answer is not an MMS PDU: {e}"),
        hint: "the server answered with something else",
    })?;
    let record = PduRecord::from_decoded(&d);
    if a.json {
        outln!(
            "{}",
            serde_json::to_string_pretty(&record).unwrap_or_default()
        );
    } else {
        out!("{}", record.to_text());
    }
    if d.pdu.message_type != MessageType::RetrieveConf {
        return Err(Failure {
            code: Exit::Network,
            message: format!("the MMSC answered with {}", d.pdu.message_type),
            hint: "a Content-Location answers with an M-Retrieve.conf",
        });
    }
    if let Some(s) = d.pdu.retrieve_status() {
        if !matches!(s.class(), StatusClass::Ok | StatusClass::PartialSuccess) {
            return Err(Failure {
                code: Exit::Refused,
                message: format!("the MMSC refused the retrieval: {s}"),
                hint: "the Retrieve-Status above says why (a permanent error: the message is gone)",
            });
        }
    }
    if let Some(tid) = &a.ack {
        acknowledge(&rt, &t, &profile.mmsc_url, tid, a.deferred)?;
        eprintln!(
            "acknowledged transaction {tid} ({})",
            if a.deferred {
                "M-Acknowledge.ind"
            } else {
                "M-NotifyResp.ind, Retrieved"
            }
        );
    }
    Ok(())
}

fn acknowledge(
    rt: &tokio::runtime::Runtime,
    t: &mms_core::HttpTransport,
    mmsc: &str,
    tid: &str,
    deferred: bool,
) -> Result<(), Failure> {
    use mms_core::Mm1Transport;
    use mms_core::pdu::Status;
    use mms_core::pdu::builder::{acknowledge, notify_resp};
    let pdu = if deferred {
        acknowledge(tid, Some(true))
    } else {
        notify_resp(tid, Status::Retrieved, Some(true))
    };
    let bytes = pdu.encode().map_err(|e| Failure {
        code: Exit::Usage,
        message: format!("cannot encode the acknowledgement: {e}"),
        hint: "give the transaction id of the notification (X-Mms-Transaction-Id)",
    })?;
    let resp = rt.block_on(t.post(mmsc, bytes)).map_err(|e| Failure {
        code: Exit::Network,
        message: format!("the acknowledgement was not delivered: {e}"),
        hint: "the message was fetched; give --mmsc if the MMSC URL differs from the location's",
    })?;
    if !(200..300).contains(&resp.status) {
        return Err(Failure {
            code: Exit::Network,
            message: format!("the acknowledgement got HTTP {}", resp.status),
            hint: "the message was fetched; the MMSC did not take the acknowledgement",
        });
    }
    Ok(())
}
