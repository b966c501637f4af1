//! `mms send`: a message through any MMSC with the library's engine.

use crate::failure::Failure;
use crate::net::{NetArgs, http_transport, net_profile, runtime};
use std::path::PathBuf;

#[derive(clap::Args, Debug)]
pub(crate) struct SendArgs {
    #[command(flatten)]
    pub(crate) net: NetArgs,
    /// Recipient (repeatable).
    #[arg(long = "to", required = true)]
    pub(crate) to: Vec<String>,
    /// Subject.
    #[arg(long)]
    pub(crate) subject: Option<String>,
    /// The SQLite file to journal in (a temporary one by default).
    #[arg(long)]
    pub(crate) db: Option<PathBuf>,
    /// Files to attach (type from the extension, checked against the bytes).
    #[arg(required = true)]
    pub(crate) files: Vec<PathBuf>,
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
    use mms_core::{Draft, DraftPart, MmsClient, NoopListener};
    let profile = net_profile(&a.net)?;
    let mut parts = Vec::new();
    for f in &a.files {
        let data = std::fs::read(f).map_err(|e| Failure {
            code: 2,
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
    let db = a.db.clone().unwrap_or_else(|| {
        std::env::temp_dir().join(format!("mms-send-{}.db", std::process::id()))
    });
    let rt = runtime()?;
    let transport = std::sync::Arc::new(http_transport(&profile)?);
    let client = MmsClient::open(&db, profile, transport, std::sync::Arc::new(NoopListener))
        .map_err(|e| Failure {
            code: 2,
            message: e.to_string(),
            hint: "check --db",
        })?;
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
            println!(
                "sent: {} (transaction {}, Message-ID {}, {} octets)",
                m.state,
                m.transaction_id,
                m.message_id.unwrap_or_default(),
                m.size.unwrap_or(0)
            );
            Ok(())
        }
        (Err(e), _) => Err(Failure {
            code: 1,
            message: format!("not sent: {e}"),
            hint: "see the MMSC's answer above; -v shows the exchange",
        }),
        (Ok(_), None) => Err(Failure {
            code: 1,
            message: "sent, but the journal is empty".into(),
            hint: "",
        }),
    }
}
