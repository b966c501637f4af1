//! `mms demo`: the whole mission on this machine with nothing to set up. The mock MMSC runs
//! in-process on loopback over TLS behind its proxy front; three phones (A, B, C) run real
//! clients on their own SQLite files; pushes travel over SMS TPDUs (provisioning) and the UDP
//! bearer (notifications and reports). Then the attacks, each blocked or gated with its reason
//! and audit row.
//!
//! [`world`] sets the scene, [`journey`] is what a user does (provision, send, receive, read),
//! [`attacks`] is what an attacker tries.

mod attacks;
mod journey;
mod world;

use serde::Serialize;
use std::time::Instant;

/// One step of the transcript.
#[derive(Debug, Clone, Serialize)]
pub struct Step {
    /// Step number.
    pub n: usize,
    /// What the step does.
    pub name: String,
    /// What must happen.
    pub expected: String,
    /// What happened.
    pub outcome: String,
    /// Whether it behaved as expected.
    pub ok: bool,
    /// Milliseconds taken.
    pub ms: u128,
    /// The threat ID the step exercises, for attack steps.
    pub threat: Option<String>,
    /// The audit row the step produced, for attack steps.
    pub audit: Option<String>,
}

/// The transcript.
#[derive(Debug, Clone, Serialize)]
pub struct Transcript {
    /// Steps in order.
    pub steps: Vec<Step>,
    /// All steps behaved as expected.
    pub ok: bool,
    /// Total milliseconds.
    pub total_ms: u128,
}

/// The transcript being written.
pub(super) struct Run {
    steps: Vec<Step>,
    started: Instant,
    verbose: bool,
}

impl Run {
    // One call per transcript line keeps the steps readable; the arguments are its columns.
    #[allow(clippy::too_many_arguments)]
    pub(super) fn record(
        &mut self,
        name: &str,
        expected: &str,
        t0: Instant,
        ok: bool,
        outcome: String,
        threat: Option<&str>,
        audit: Option<String>,
    ) {
        let step = Step {
            n: self.steps.len() + 1,
            name: name.into(),
            expected: expected.into(),
            outcome,
            ok,
            ms: t0.elapsed().as_millis(),
            threat: threat.map(str::to_string),
            audit,
        };
        if self.verbose {
            outln!(
                "[{}] {:>2}. {:<52} {:>5} ms  {}",
                if step.ok { " ok " } else { "FAIL" },
                step.n,
                step.name,
                step.ms,
                step.outcome
            );
            if let Some(a) = &step.audit {
                outln!("{:>14}audit: {a}", "");
            }
        }
        self.steps.push(step);
    }
}

/// Runs the demo; prints a progress line per step when `verbose`.
pub async fn run(verbose: bool) -> Result<Transcript, String> {
    let mut run = Run {
        steps: Vec::new(),
        started: Instant::now(),
        verbose,
    };
    let w = world::World::start(&mut run).await?;
    journey::provisioning(&w, &mut run).await;
    journey::carrier_data(&w, &mut run).await;
    let exchange = journey::exchange(&w, &mut run).await;
    attacks::all(&w, &exchange, &mut run).await;
    let _ = std::fs::remove_dir_all(&w.dir);
    let ok = run.steps.iter().all(|s| s.ok);
    Ok(Transcript {
        steps: run.steps,
        ok,
        total_ms: run.started.elapsed().as_millis(),
    })
}
