//! `mms provision inspect|verify`: an OMA Client Provisioning document, its authentication
//! and the MMS settings it would set.

use crate::failure::{Exit, Failure};
use crate::input::read_input;
use clap::Subcommand;
use std::path::PathBuf;

#[derive(Subcommand, Debug)]
pub(crate) enum ProvisionCommand {
    /// Print the document and the MMS settings it would set, without verifying it.
    #[command(after_help = "Examples:
  mms provision inspect cp-push.bin
  mms provision inspect --json --sec 1 --mac 1AF545FE2823DC9347064450F90FF1BBF957E146 cp.wbxml

Exit code 3 when the document does not decode.")]
    Inspect(ProvisionArgs),
    /// Verify SEC/MAC with the IMSI and/or PIN; exit code 1 when it does not verify.
    #[command(after_help = "Examples:
  MMS_PIN=1234 mms provision verify cp-push.bin
  printf '%s\\n' \"$PIN\" | mms provision verify --pin-stdin cp-push.bin
  MMS_IMSI=001010123456789 mms provision verify --sec 0 --mac 1AF5... cp.wbxml

Exit code 1 when the document does not verify (it must never be applied), 3 when it does
not decode.")]
    Verify(ProvisionArgs),
}

#[derive(clap::Args, Debug)]
pub(crate) struct ProvisionArgs {
    /// A WSP push with the provisioning content type, or the WBXML document alone.
    pub(crate) file: PathBuf,
    /// SEC method (0 NETWPIN, 1 USERPIN, 2 USERNETWPIN, 3 USERPINMAC); taken from the push when
    /// the file is one.
    #[arg(long)]
    pub(crate) sec: Option<u64>,
    /// MAC (40 hex digits); taken from the push when the file is one.
    #[arg(long)]
    pub(crate) mac: Option<String>,
    /// The subscriber's IMSI (NETWPIN, USERNETWPIN). Visible to other users in the process
    /// table: prefer `MMS_IMSI` in the environment or `--imsi-stdin`.
    #[arg(long)]
    pub(crate) imsi: Option<String>,
    /// The PIN the user was given (USERPIN, USERNETWPIN, USERPINMAC). Visible to other users in
    /// the process table and kept in shell history: prefer `MMS_PIN` in the environment or
    /// `--pin-stdin`.
    #[arg(long)]
    pub(crate) pin: Option<String>,
    /// Read the PIN from the first line of standard input.
    #[arg(long)]
    pub(crate) pin_stdin: bool,
    /// Read the IMSI from standard input (the line after the PIN with `--pin-stdin`).
    #[arg(long)]
    pub(crate) imsi_stdin: bool,
    /// The file holds hex text.
    #[arg(long)]
    pub(crate) hex: bool,
    /// Print JSON instead of text.
    #[arg(long)]
    pub(crate) json: bool,
}

#[derive(serde::Serialize)]
pub(crate) struct ProvisionOutput {
    sec: Option<u64>,
    method: Option<mms_core::provisioning::SecMethod>,
    authentication:
        Option<Result<mms_core::provisioning::AuthResult, mms_core::provisioning::AuthError>>,
    document: mms_core::provisioning::ProvisioningDoc<'static>,
    mms_settings: Option<mms_core::provisioning::MmsSettings>,
    settings_error: Option<String>,
}

/// The PIN and IMSI, from (in order) standard input when asked, the environment (`MMS_PIN`,
/// `MMS_IMSI`), or the command line; each held as a [`Secret`] from the moment it is read.
fn credentials(args: &ProvisionArgs) -> Result<mms_core::provisioning::Credentials, Failure> {
    use mms_core::provisioning::{Credentials, Secret};
    if (args.pin_stdin || args.imsi_stdin) && args.file.as_os_str() == "-" {
        return Err(Failure {
            code: Exit::Usage,
            message: "the document and the credentials cannot both come from standard input".into(),
            hint: "give the document as a file",
        });
    }
    let mut lines = std::io::stdin().lines();
    let mut line = |what: &str| -> Result<Secret, Failure> {
        match lines.next() {
            Some(Ok(l)) => Ok(Secret::new(l.trim())),
            _ => Err(Failure {
                code: Exit::Usage,
                message: format!("no {what} on standard input"),
                hint: "write the PIN (then the IMSI) one per line",
            }),
        }
    };
    let pin = if args.pin_stdin {
        Some(line("PIN")?)
    } else {
        std::env::var("MMS_PIN")
            .ok()
            .or_else(|| args.pin.clone())
            .map(Secret::new)
    };
    let imsi = if args.imsi_stdin {
        Some(line("IMSI")?)
    } else {
        std::env::var("MMS_IMSI")
            .ok()
            .or_else(|| args.imsi.clone())
            .map(Secret::new)
    };
    Ok(Credentials { imsi, pin })
}

pub(crate) fn provision(cmd: &ProvisionCommand) -> Result<(), Failure> {
    use mms_core::provisioning::{self as prov, Credentials};
    use mms_core::push::{DecodedPush, Payload};
    let (args, verifying) = match cmd {
        ProvisionCommand::Inspect(a) => (a, false),
        ProvisionCommand::Verify(a) => (a, true),
    };
    let bytes = read_input(&args.file, args.hex)?;
    // A provisioning push gives SEC and MAC in its content type (the codec's one parser);
    // the WBXML alone needs them from the command line.
    let (mut sec, mut mac, body) = match DecodedPush::decode(&bytes).map(|p| p.payload) {
        Ok(Payload::Provisioning { params, body }) => (params.sec, params.mac, body.to_vec()),
        _ => (None, None, bytes),
    };
    sec = args.sec.or(sec);
    mac = args.mac.clone().or(mac);
    let inspection = prov::inspect(sec, &body).map_err(|e| Failure {
        code: Exit::Malformed,
        message: format!("not a valid provisioning document: {e}"),
        hint: "give the WBXML document or the WSP push that carried it (use --hex for hex text)",
    })?;
    let creds = if verifying {
        credentials(args)?
    } else {
        Credentials::default()
    };
    let authentication = verifying.then(|| prov::verify(sec, mac.as_deref(), &body, &creds));
    let (mms_settings, settings_error) = match &inspection.settings {
        Ok(s) => (Some(s.clone()), None),
        Err(e) => (None, Some(e.to_string())),
    };
    let out = ProvisionOutput {
        sec,
        method: inspection.method,
        authentication,
        document: inspection.document,
        mms_settings,
        settings_error,
    };
    if args.json {
        outln!(
            "{}",
            serde_json::to_string_pretty(&out).unwrap_or_else(|e| format!("{{\"error\":\"{e}\"}}"))
        );
    } else {
        out!("{}", out.document.to_xml());
        match out.method {
            Some(m) => outln!(
                "security: {} (SEC={}){}",
                m.name(),
                sec.unwrap_or(0),
                if m == prov::SecMethod::Netwpin {
                    " - weak: the IMSI is not secret"
                } else {
                    ""
                }
            ),
            None => outln!("security: none (the document is not authenticated)"),
        }
        if let Some(a) = &out.authentication {
            match a {
                Ok(r) => outln!("verified: yes ({} strength)", r.strength.code()),
                Err(e) => outln!("verified: NO ({e})"),
            }
        }
        match (&out.mms_settings, &out.settings_error) {
            (Some(s), _) => {
                outln!("MMSC:     {}", s.mmsc_url);
                if let Some(p) = &s.proxy {
                    outln!("proxy:    {}:{}", p.host, p.port);
                }
                if let Some(a) = &s.apn {
                    outln!("APN:      {a}");
                }
            }
            (None, Some(e)) => outln!("MMS settings: none ({e})"),
            _ => {}
        }
    }
    if let Some(Err(e)) = &out.authentication {
        return Err(Failure {
            code: Exit::Rejected,
            message: format!("the document does not verify: {e}"),
            hint: "check the IMSI/PIN; a document that does not verify must never be applied",
        });
    }
    Ok(())
}
