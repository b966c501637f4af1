//! Shared helpers for the cross-crate suites and benches: a free loopback port, locating the
//! shared interop corpus beside the project and reading its hex files.

use std::path::PathBuf;

/// A TCP port on loopback that was free a moment ago (0 when none could be bound).
pub fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .map(|a| a.port())
        .unwrap_or(0)
}

/// The shared corpus directory (`../shared/corpus` beside the project root), if present.
/// Honours `MMS_CORPUS_DIR`.
pub fn corpus_dir() -> Option<PathBuf> {
    if let Ok(p) = std::env::var("MMS_CORPUS_DIR") {
        let p = PathBuf::from(p);
        return p.is_dir().then_some(p);
    }
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    let p = root.parent()?.parent()?.join("shared").join("corpus");
    p.is_dir().then_some(p)
}

/// Decodes a corpus `.hex` file: `#` lines are metadata, the rest is hex.
pub fn read_hex_file(text: &str) -> Result<Vec<u8>, String> {
    let hex: String = text
        .lines()
        .filter(|l| !l.trim_start().starts_with('#'))
        .flat_map(|l| l.chars().filter(|c| !c.is_whitespace()))
        .collect();
    decode_hex(&hex)
}

/// Decodes a hex string (whitespace ignored).
pub fn decode_hex(s: &str) -> Result<Vec<u8>, String> {
    let clean: Vec<u8> = s.bytes().filter(|b| !b.is_ascii_whitespace()).collect();
    if clean.len() % 2 != 0 {
        return Err("odd number of hex digits".into());
    }
    clean
        .chunks(2)
        .map(|c| {
            let s = std::str::from_utf8(c).map_err(|e| e.to_string())?;
            u8::from_str_radix(s, 16).map_err(|e| e.to_string())
        })
        .collect()
}

/// A field of `/proc/self/status` (`VmRSS:`, `VmHWM:`), in bytes; 0 where there is none.
pub fn proc_status(field: &str) -> usize {
    std::fs::read_to_string("/proc/self/status")
        .unwrap_or_default()
        .lines()
        .find_map(|l| {
            l.strip_prefix(field)?
                .trim()
                .strip_suffix(" kB")?
                .trim()
                .parse()
                .ok()
        })
        .map_or(0, |kb: usize| kb * 1024)
}

/// python-messaging, the independent decoder the interop and differential suites compare with.
pub mod kannel;

pub mod python {
    use std::path::PathBuf;
    use std::process::Command;

    /// The Python interpreter (`MMS_PYTHON`, else `python3`).
    pub fn python() -> String {
        std::env::var("MMS_PYTHON").unwrap_or_else(|_| "python3".into())
    }

    /// The driver script (`tests/interop/pymessaging_interop.py`).
    pub fn script() -> PathBuf {
        PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("interop/pymessaging_interop.py")
    }

    /// Whether python-messaging can be imported. When it cannot and `MMS_REQUIRE_INTEROP` is
    /// set (as `./scripts/test.sh` sets it), this panics; otherwise the caller skips, saying so.
    pub fn available(what: &str) -> bool {
        let ok = Command::new(python())
            .args(["-c", "import messaging.mms.message"])
            .status()
            .is_ok_and(|s| s.success());
        if !ok {
            assert!(
                std::env::var_os("MMS_REQUIRE_INTEROP").is_none(),
                "python-messaging is required (MMS_REQUIRE_INTEROP is set) but cannot be imported"
            );
            eprintln!(
                "python-messaging not installed: {what} skipped (pip install python-messaging)"
            );
        }
        ok
    }
}

/// Phones on real clients against the mock MMSC, for the end-to-end suites.
pub mod harness {
    use mms_core::CarrierProfile;
    use mms_core::HttpTransport;
    use mms_core::spawn_push_receiver;
    use mms_core::{Event, EventListener, MmsClient};
    use mock_mmsc::MockMmsc;
    use std::path::PathBuf;
    use std::sync::{Arc, Mutex};
    use std::time::Duration;

    /// Collects engine events.
    #[derive(Default)]
    pub struct Collector(pub Mutex<Vec<Event>>);

    impl EventListener for Collector {
        fn on_event(&self, e: &Event) {
            if let Ok(mut v) = self.0.lock() {
                v.push(e.clone());
            }
        }
    }

    impl Collector {
        /// The first event `f` maps to something.
        pub fn find<T>(&self, f: impl Fn(&Event) -> Option<T>) -> Option<T> {
            self.0.lock().ok()?.iter().find_map(f)
        }

        /// Row ids of received messages, in order.
        pub fn received(&self) -> Vec<i64> {
            self.0
                .lock()
                .map(|v| {
                    v.iter()
                        .filter_map(|e| {
                            if let Event::MessageReceived { id, .. } = e {
                                Some(*id)
                            } else {
                                None
                            }
                        })
                        .collect()
                })
                .unwrap_or_default()
        }
    }

    /// Polls `f` every 20 ms for up to 10 s.
    pub async fn eventually<T>(what: &str, mut f: impl FnMut() -> Option<T>) -> Result<T, String> {
        for _ in 0..500 {
            if let Some(v) = f() {
                return Ok(v);
            }
            tokio::time::sleep(Duration::from_millis(20)).await;
        }
        Err(format!("timed out waiting for {what}"))
    }

    /// A fresh directory under the system's temporary directory (`mms-TAG-` and a random
    /// suffix), removed with its contents when dropped: also when the test fails, since a
    /// failing assertion unwinds.
    pub fn scratch_dir(tag: &str) -> Result<tempfile::TempDir, String> {
        tempfile::Builder::new()
            .prefix(&format!("mms-{tag}-"))
            .tempdir()
            .map_err(|e| format!("scratch directory: {e}"))
    }

    /// A database file (`mms.db`) in a [`scratch_dir`], which goes when this is dropped.
    pub struct ScratchDb {
        /// The database file's path (not created).
        pub path: PathBuf,
        _dir: tempfile::TempDir,
    }

    /// A [`ScratchDb`].
    pub fn scratch_db(tag: &str) -> Result<ScratchDb, String> {
        let dir = scratch_dir(tag)?;
        Ok(ScratchDb {
            path: dir.path().join("mms.db"),
            _dir: dir,
        })
    }

    /// A phone: a client, its events, its database directory.
    pub struct Phone {
        /// Its number.
        pub number: String,
        /// The client.
        pub client: MmsClient,
        /// Its events.
        pub events: Arc<Collector>,
        /// Its database directory.
        pub dir: PathBuf,
        /// Removes the directory when the phone is dropped (after the client above).
        _scratch: tempfile::TempDir,
    }

    /// The profile a test phone uses against `mmsc_url`.
    pub fn profile(mmsc_url: &str, number: &str) -> CarrierProfile {
        CarrierProfile {
            mmsc_url: mmsc_url.into(),
            http_headers: vec!["X-Mms-Subscriber: ##LINE1##".into()],
            line1: Some(number.into()),
            push_origins: vec!["127.0.0.1".into()],
            retry_base_ms: 20,
            max_message_size: 1024 * 1024,
            http_timeout_secs: 3,
            ..CarrierProfile::default()
        }
    }

    /// Opens a phone on a fresh database, with its push receiver registered at the MMSC.
    pub async fn phone_with(
        mmsc: &MockMmsc,
        number: &str,
        tag: &str,
        profile: CarrierProfile,
    ) -> Result<Phone, String> {
        let scratch = scratch_dir(&format!("{tag}-{}", number.trim_start_matches('+')))?;
        let dir = scratch.path().to_path_buf();
        let events = Arc::new(Collector::default());
        let transport = Arc::new(HttpTransport::new(&profile).map_err(|e| e.to_string())?);
        let client = MmsClient::open(&dir.join("mms.db"), profile, transport, events.clone())
            .map_err(|e| e.to_string())?;
        let bind = "127.0.0.1:0".parse().map_err(|_| "addr".to_string())?;
        let (addr, _task) = spawn_push_receiver(client.clone(), bind)
            .await
            .map_err(|e| e.to_string())?;
        mmsc.register(number, Some(addr));
        Ok(Phone {
            number: number.into(),
            client,
            events,
            dir,
            _scratch: scratch,
        })
    }

    /// A one-part text draft to `to`.
    pub fn text_draft(to: &str, subject: Option<&str>, body: &[u8]) -> mms_core::Draft {
        mms_core::Draft {
            to: vec![to.into()],
            subject: subject.map(str::to_string),
            parts: vec![mms_core::DraftPart {
                content_type: "text/plain".into(),
                name: "t.txt".into(),
                data: body.to_vec(),
            }],
            ..mms_core::Draft::default()
        }
    }

    /// Opens a phone with the default test profile.
    pub async fn phone(mmsc: &MockMmsc, number: &str, tag: &str) -> Result<Phone, String> {
        phone_with(mmsc, number, tag, profile(&mmsc.url(), number)).await
    }
}
