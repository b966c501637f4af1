//! `mms`: the command-line face of mms-core. Decode and inspect MMS PDUs and WAP pushes, judge
//! pushes and provisioning documents, send and fetch through a real MMSC, run the mock MMSC
//! and the end-to-end demo.
//!
//! Exit codes: 0 success, 1 the input was rejected (decode error), 2 usage or I/O error.

mod cmd;
mod demo;
mod failure;
mod input;
mod net;

use clap::{Parser, Subcommand};
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
    /// Decode an MMS PDU (or a WSP push carrying one) and print every header, part and warning.
    #[command(alias = "inspect")]
    Decode(DecodeArgs),
    /// List the links in a message (text, XHTML, SMIL) and what the confirmation gate decides
    /// for each: blocked with its reason, or the action that would need the user's consent.
    Links(DecodeArgs),
    /// Decode a WAP push (WSP push, SMS TPDUs or a bare MMS notification) and print the verdict
    /// of the push policy: accept, accept-unverified, defer or reject, with the reason.
    /// Exit code 1 when the push is rejected.
    PushCheck(PushCheckArgs),
    /// Inspect or verify an OMA Client Provisioning document (a WSP push carrying one, or the
    /// WBXML alone): the document, the authentication result and the MMS settings it would set.
    #[command(subcommand)]
    Provision(ProvisionCommand),
    /// Run the end-to-end demo: the mock MMSC on loopback, three phones, provisioning, a
    /// message with delivery and read reports, then the attacks, each blocked or gated. Exit
    /// code 0 only if every step behaved as expected.
    Demo(DemoArgs),
    /// Send an MMS through any MMSC (a carrier's, or the mock) with the library's engine.
    Send(SendArgs),
    /// Fetch a message from a Content-Location URL and print it.
    Fetch(FetchArgs),
    /// Run the mock MMSC (the network side for UI tests and manual work) until Ctrl-C.
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
        Command::Decode(a) => cmd::decode::decode(a),
        Command::Links(a) => cmd::links::links(a),
        Command::PushCheck(a) => cmd::push_check::push_check(a),
        Command::Provision(c) => cmd::provision::provision(c),
        Command::Demo(a) => cmd::demo::run_demo(a),
        Command::Send(a) => cmd::send::send_cmd(a),
        Command::Fetch(a) => cmd::fetch::fetch_cmd(a),
        Command::MockMmsc(a) => cmd::mock::mock_cmd(a),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(f) => {
            eprintln!("error: {}\n  hint: {}", f.message, f.hint);
            ExitCode::from(f.code)
        }
    }
}
