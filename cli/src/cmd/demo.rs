//! `mms demo`: runs the end-to-end demo and prints its transcript.

use crate::demo;
use crate::failure::{Exit, Failure};

#[derive(clap::Args, Debug)]
pub(crate) struct DemoArgs {
    /// Write the transcript as JSON to standard output (instead of progress lines).
    #[arg(long)]
    pub(crate) json: bool,
}

pub(crate) fn run_demo(args: &DemoArgs) -> Result<(), Failure> {
    let rt = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .map_err(|e| Failure {
            code: Exit::Usage,
            message: format!("cannot start the runtime: {e}"),
            hint: "check the machine's resources",
        })?;
    if !args.json {
        outln!("mms-core demo: mock MMSC on loopback, phones A, B, C\n");
    }
    let t = rt.block_on(demo::run(!args.json)).map_err(|e| Failure {
        code: Exit::Usage,
        message: format!("the demo could not run: {e}"),
        hint: "it needs loopback networking and a writable temporary directory",
    })?;
    if args.json {
        outln!("{}", serde_json::to_string_pretty(&t).unwrap_or_default());
    } else {
        let failed = t.steps.iter().filter(|s| !s.ok).count();
        outln!(
            "\n{} steps, {} as expected, {} not, in {} ms",
            t.steps.len(),
            t.steps.len() - failed,
            failed,
            t.total_ms
        );
    }
    if t.ok {
        Ok(())
    } else {
        Err(Failure {
            code: Exit::Rejected,
            message: "some demo steps did not behave as expected".into(),
            hint: "see the steps marked FAIL above",
        })
    }
}
