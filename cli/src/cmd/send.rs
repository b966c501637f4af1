//! `mms send`: a message through any MMSC with the library's engine.

use crate::failure::{Exit, Failure};
use crate::net::{NetArgs, http_transport, net_profile, runtime};
use std::path::PathBuf;

#[derive(clap::Args, Debug)]
pub(crate) struct SendArgs {
    #[command(flatten)]
    pub(crate) net: NetArgs,
    /// Recipient (repeatable).
    #[arg(long = "to", required_unless_present = "resume")]
    pub(crate) to: Vec<String>,
    /// Subject.
    #[arg(long)]
    pub(crate) subject: Option<String>,
    /// The SQLite file to journal in (a temporary one by default).
    #[arg(long)]
    pub(crate) db: Option<PathBuf>,
    /// Files to attach (type from the extension, checked against the bytes).
    #[arg(required_unless_present = "resume")]
    pub(crate) files: Vec<PathBuf>,
    /// Send nothing new: resume the unfinished sends in the --db journal whose retry is due
    /// (after exit code 75, once the MMSC's Retry-After has passed).
    #[arg(long, requires = "db")]
    pub(crate) resume: bool,
}

pub(crate) fn media_type_of(path: &std::path::Path, data: &[u8]) -> String {
    let ext = path
        .extension()
        .and_then(|e| e.to_str())
        .unwrap_or("")
        .to_ascii_lowercase();
    let by_ext = match ext.as_str() {
        "txt" => "text/plain",
        "jpg" | "jpeg" => "image/jpeg",
        "png" => "image/png",
        "gif" => "image/gif",
        "amr" => "audio/amr",
        "mp3" => "audio/mpeg",
        "3gp" => "video/3gpp",
        "mp4" => "video/mp4",
        "smil" => "application/smil",
        "vcf" => "text/x-vcard",
        _ => "",
    };
    if by_ext.is_empty() {
        mms_core::content::sniff(data).media.to_string()
    } else {
        by_ext.to_string()
    }
}

pub(crate) fn send_cmd(a: &SendArgs) -> Result<(), Failure> {
    use mms_core::DraftPart;
    let profile = net_profile(&a.net)?;
    if a.resume {
        return resume(profile, a.db.as_deref().unwrap_or(std::path::Path::new("")));
    }
    let mut parts = Vec::new();
    for f in &a.files {
        let data = std::fs::read(f).map_err(|e| Failure {
            code: Exit::Usage,
            message: format!("cannot read {}: {e}", f.display()),
            hint: "check the file paths",
        })?;
        let name = f
            .file_name()
            .and_then(|n| n.to_str())
            .unwrap_or("part")
            .to_string();
        parts.push(DraftPart {
            content_type: media_type_of(f, &data),
            name,
            data,
        });
    }
    // Without --db the journal is a temporary file, removed when the command ends (kept only
    // when a retry is scheduled in it).
    let temporary = a.db.is_none();
    let db = a.db.clone().unwrap_or_else(|| {
        std::env::temp_dir().join(format!("mms-send-{}.db", std::process::id()))
    });
    let result = send_with_journal(a, profile, parts, &db);
    let keep = matches!(&result, Err(f) if f.code == Exit::TryLater);
    if temporary && !keep {
        for suffix in ["", "-wal", "-shm", "-journal"] {
            let _ = std::fs::remove_file(format!("{}{suffix}", db.display()));
        }
    }
    result
}

fn send_with_journal(
    a: &SendArgs,
    profile: mms_core::CarrierProfile,
    parts: Vec<mms_core::DraftPart>,
    db: &std::path::Path,
) -> Result<(), Failure> {
    use mms_core::{Draft, EngineError, ErrorKind};
    let rt = runtime()?;
    let client = open_client(profile, db)?;
    let draft = Draft {
        to: a.to.clone(),
        subject: a.subject.clone(),
        parts,
        ..Draft::default()
    };
    let r = rt.block_on(client.send(draft));
    let row = client.messages().ok().and_then(|m| m.into_iter().next());
    match (r, row) {
        (Ok(_), Some(m)) => {
            outln!(
                "sent: {} (transaction {}, Message-ID {}, {} octets)",
                m.state,
                m.transaction_id,
                m.message_id.unwrap_or_default(),
                m.size.unwrap_or(0)
            );
            Ok(())
        }
        (Err(EngineError::RetryScheduled { at, .. }), _) => {
            let wait = at.saturating_sub(client.now());
            Err(Failure {
                code: Exit::TryLater,
                message: format!(
                    "not sent yet: the MMSC asked to try again in {wait} s; the message waits in {}",
                    db.display()
                ),
                hint: "run `mms send --db FILE --resume` once that time has passed",
            })
        }
        (Err(e), _) => Err(Failure {
            code: match e.kind() {
                ErrorKind::Refused => Exit::Refused,
                ErrorKind::Network => Exit::Network,
                _ => Exit::Usage,
            },
            message: format!("not sent: {e}"),
            hint: "see the MMSC's answer above; -v shows the exchange",
        }),
        (Ok(_), None) => Err(Failure {
            code: Exit::Usage,
            message: "sent, but the journal is empty".into(),
            hint: "",
        }),
    }
}

/// A client over the journal at `db`, with the HTTP transport of `profile`.
fn open_client(
    profile: mms_core::CarrierProfile,
    db: &std::path::Path,
) -> Result<mms_core::MmsClient, Failure> {
    let transport = std::sync::Arc::new(http_transport(&profile)?);
    mms_core::MmsClient::open(
        db,
        profile,
        transport,
        std::sync::Arc::new(mms_core::NoopListener),
    )
    .map_err(|e| Failure {
        code: Exit::Usage,
        message: e.to_string(),
        hint: "check --db",
    })
}

/// `--resume`: the journal's due retries, then whether any still waits.
fn resume(profile: mms_core::CarrierProfile, db: &std::path::Path) -> Result<(), Failure> {
    let rt = runtime()?;
    let client = open_client(profile, db)?;
    let r = rt.block_on(client.reconcile()).map_err(|e| Failure {
        code: Exit::Usage,
        message: e.to_string(),
        hint: "check --db",
    })?;
    for m in client.messages().unwrap_or_default() {
        if m.direction == mms_core::Direction::Out {
            outln!(
                "{}: {} (transaction {}{})",
                m.id,
                m.state,
                m.transaction_id,
                m.error.map(|e| format!("; {e}")).unwrap_or_default()
            );
        }
    }
    match client.next_retry_at().ok().flatten() {
        Some(at) => Err(Failure {
            code: Exit::TryLater,
            message: format!(
                "{} resumed; a retry is still due in {} s",
                r.sends,
                at.saturating_sub(client.now())
            ),
            hint: "run `mms send --db FILE --resume` again then",
        }),
        None => Ok(()),
    }
}
