//! `mms`: the command-line face of mms-core. Decode and inspect MMS PDUs and WAP pushes, judge
//! pushes and provisioning documents, send and fetch through a real MMSC, run the mock MMSC
//! and the end-to-end demo.
//!
//! Exit codes (README, "Exit codes"): 0 success; 1 the input was judged and refused (a push
//! rejected by the policy, a provisioning document refused or not verified, a demo step that
//! misbehaved); 2 usage or I/O error; 3 malformed input; 4 network (the MMSC unreachable, an
//! HTTP error, an answer that is not an MMS PDU); 5 the MMSC refused (Response-Status or
//! Retrieve-Status); 75 a retry is scheduled for later.

#[macro_use]
mod output;
mod cmd;
mod demo;
mod failure;
mod input;
mod net;

use clap::{Parser, Subcommand};
use cmd::carrier::CarrierArgs;
use cmd::decode::DecodeArgs;
use cmd::demo::DemoArgs;
use cmd::fetch::FetchArgs;
use cmd::mock::MockArgs;
use cmd::provision::ProvisionCommand;
use cmd::push_check::PushCheckArgs;
use cmd::send::SendArgs;
use std::process::ExitCode;

#[derive(Parser, Debug)]
#[command(
    name = "mms",
    version,
    about = "Inspect MMS PDUs and WAP pushes with mms-core"
)]
struct Cli {
    /// More log output on standard error (-v info, -vv debug, -vvv trace).
    #[arg(short, long, action = clap::ArgAction::Count, global = true)]
    verbose: u8,
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand, Debug)]
enum Command {
    /// Decode an MMS PDU (or a WSP push, WBXML document or SMS TPDUs carrying one) and print
    /// every header, part and warning.
    #[command(after_help = "Examples:
  mms decode tests/fixtures/send-req-smil.mms
  mms decode --json tests/fixtures/notification-ind.mms | jq .pdu.headers
  mms decode --offsets tests/fixtures/retrieve-links.mms
  xxd -p push.bin | mms decode --hex -

Exit code 3 when the input does not decode; the message names the layer (MMS, WSP push,
WBXML, SMS) and the offset of the first octet that could not be read.")]
    Decode(DecodeArgs),
    /// Print a message's render plan: what may show automatically, what waits for a tap, what
    /// is blocked, and the slides (with the headers and parts, as `decode` does).
    #[command(after_help = "Examples:
  mms inspect tests/fixtures/retrieve-links.mms
  mms inspect --json tests/fixtures/send-req-smil.mms | jq .render_plan")]
    Inspect(DecodeArgs),
    /// List the links in a message (text, XHTML, SMIL) and what the confirmation gate decides
    /// for each: blocked with its reason, or the action that would need the user's consent.
    #[command(after_help = "Examples:
  mms links tests/fixtures/retrieve-links.mms
  mms links --json tests/fixtures/retrieve-links.mms")]
    Links(DecodeArgs),
    /// Decode a WAP push (WSP push, SMS TPDUs or a bare MMS notification) and print the verdict
    /// of the push policy: accept, accept_unverified, defer or reject, with the reason.
    #[command(after_help = "Examples:
  mms push-check --mmsc http://mmsc.example:8002/mms --origin +15550100 --trusted +15550100 push.bin
  mms push-check --mmsc http://mmsc.example:8002/mms --sms tpdus.hex
  mms push-check --json --mmsc http://mmsc.example:8002/mms tests/fixtures/notification-ind.mms

Exit code 1 when the policy rejects the push (or would refuse the provisioning document it
carries), 3 when the push is malformed. SECURITY.md lists the threat IDs in the output.")]
    PushCheck(PushCheckArgs),
    /// Inspect or verify an OMA Client Provisioning document (a WSP push carrying one, or the
    /// WBXML alone): the document, the authentication result and the MMS settings it would set.
    #[command(subcommand)]
    Provision(ProvisionCommand),
    /// Run the end-to-end demo: the mock MMSC on loopback, three phones, provisioning, a
    /// message with delivery and read reports, then the attacks, each blocked or gated.
    #[command(after_help = "Examples:
  mms demo
  mms demo --json > transcript.json

Exit code 0 only if every step behaved as expected, 1 otherwise.")]
    Demo(DemoArgs),
    /// Send an MMS through any MMSC (a carrier's, or the mock) with the library's engine.
    #[command(after_help = "Examples:
  mms send --mmsc http://127.0.0.1:8002/mms --from +15550100 --to +15550101 hello.txt photo.jpg
  mms send --profile carrier.toml --from +15550100 --to +15550101 --subject Hi --db sent.db hello.txt
  mms send --profile carrier.toml --db sent.db --resume

Exit codes: 4 network, 5 the MMSC refused (Response-Status), 75 the MMSC asked to retry later
than the profile's max_call_wait_secs (the message waits in the journal: --resume).")]
    Send(SendArgs),
    /// Fetch a message from a Content-Location URL and print it.
    Fetch(FetchArgs),
    /// The MMS settings of a mobile network (MMSC, proxy, APN) from the bundled carrier data,
    /// by the SIM's MCC-MNC, or a search by name.
    Carrier(CarrierArgs),
    /// Run the mock MMSC (the network side for UI tests and manual work) until Ctrl-C.
    #[command(after_help = "Examples:
  mms mock-mmsc --bind 127.0.0.1:8002 --subscriber +15550100=127.0.0.1:2948 --subscriber +15550101
  mms mock-mmsc --tls --ca-out /tmp/mock-ca.pem --proxy-front

The admin API listens on its own loopback port and wants the token printed at start
(header `Authorization: Bearer TOKEN`).")]
    MockMmsc(MockArgs),
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let level = match cli.verbose {
        0 => "error",
        1 => "info",
        2 => "debug",
        _ => "trace",
    };
    let _ = tracing_subscriber::fmt()
        .with_env_filter(
            tracing_subscriber::EnvFilter::try_from_default_env()
                .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new(level)),
        )
        .with_writer(std::io::stderr)
        .try_init();
    let result = match &cli.command {
        Command::Decode(a) | Command::Inspect(a) => cmd::decode::decode(a),
        Command::Links(a) => cmd::links::links(a),
        Command::PushCheck(a) => cmd::push_check::push_check(a),
        Command::Provision(c) => cmd::provision::provision(c),
        Command::Demo(a) => cmd::demo::run_demo(a),
        Command::Send(a) => cmd::send::send_cmd(a),
        Command::Fetch(a) => cmd::fetch::fetch_cmd(a),
        Command::Carrier(a) => cmd::carrier::carrier_cmd(a),
        Command::MockMmsc(a) => cmd::mock::mock_cmd(a),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(f) => {
            eprintln!("error: {}\n  hint: {}", f.message, f.hint);
            ExitCode::from(f.code as u8)
        }
    }
}
