//! The `mms` command's tests, one module per subcommand family, in one test binary. Each runs
//! the real binary as a child process.

// Test code may unwrap, panic and index: a failure is the point.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

use std::path::Path;
use std::process::{Command, Output};

mod carrier;
mod decode;
mod demo;
mod links;
mod network;
mod provision;
mod push_check;
mod robust;
mod send_fetch;

/// A scratch directory (`mms-cli-TAG-` and a random suffix), removed with its contents when
/// dropped, also when the test fails.
fn scratch(tag: &str) -> tempfile::TempDir {
    tempfile::Builder::new()
        .prefix(&format!("mms-cli-{tag}-"))
        .tempdir()
        .unwrap()
}

/// Runs `mms` with `args` from the repository root (fixture paths are relative to it).
fn mms(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_mms"))
        .args(args)
        .current_dir(Path::new(env!("CARGO_MANIFEST_DIR")).join(".."))
        .output()
        .unwrap()
}
