//! Kannel (Debian `kannel`, `kannel-extras`), the open-source WAP/SMS gateway, on loopback for
//! the interoperability suite: a bearerbox with a fake SMSC, a wapbox with its Push Proxy
//! Gateway (PAP over HTTP), a smsbox with `sendota`, and Kannel's own `fakesmsc` as the SMSC,
//! whose log shows every message the gateway hands it. [`Kannel::next_sms`] turns such a
//! message into the SMS-DELIVER TPDU the SMSC would deliver to the phone (the originating
//! address, Kannel's user data header and data as they are), for the client's SMS entry point.

use std::io::{BufRead, BufReader};
use std::net::TcpStream;
use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::sync::mpsc::{Receiver, channel};
use std::time::{Duration, Instant};

/// Where Debian installs Kannel.
const BEARERBOX: &str = "/usr/sbin/bearerbox";
const WAPBOX: &str = "/usr/sbin/wapbox";
const SMSBOX: &str = "/usr/sbin/smsbox";
const FAKESMSC: &str = "/usr/lib/kannel/test/fakesmsc";

/// The number the PPG sends pushes from (its `default-sender`), and OTA from.
pub const PPG_NUMBER: &str = "447785016005";
/// The user the smsbox knows for `sendota`.
pub const OTA_USER: (&str, &str) = ("tester", "foobar");

/// Whether Kannel is installed. When it is not and `MMS_REQUIRE_KANNEL` is not set, the
/// caller says so and passes; with it set, a missing Kannel fails the suite.
pub fn available(what: &str) -> bool {
    let ok = [BEARERBOX, WAPBOX, SMSBOX, FAKESMSC]
        .iter()
        .all(|p| std::path::Path::new(p).exists());
    if !ok {
        assert!(
            std::env::var_os("MMS_REQUIRE_KANNEL").is_none(),
            "Kannel is required (MMS_REQUIRE_KANNEL is set) but not installed"
        );
        eprintln!(
            "{what}: Kannel is not installed (apt-get install kannel kannel-extras): skipped"
        );
    }
    ok
}

/// A message the fake SMSC received from the gateway.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SmscMessage {
    /// The originating address Kannel gave.
    pub sender: String,
    /// The destination.
    pub receiver: String,
    /// The user data header, with its length octet.
    pub udh: Vec<u8>,
    /// The user data after the header.
    pub data: Vec<u8>,
}

impl SmscMessage {
    /// The SMS-DELIVER TPDU (with an SMSC address prefix) the SMSC delivers to the phone:
    /// Kannel's originator, header and data, as 8-bit data with the header indicator set.
    pub fn deliver_tpdu(&self) -> Vec<u8> {
        let mut t = vec![0x07, 0x91, 0x44, 0x77, 0x58, 0x10, 0x06, 0x50]; // SMSC +447785016005
        t.push(0x40 | 0x04); // SMS-DELIVER, UDHI, no more messages
        let (intl, digits) = match self.sender.strip_prefix('+') {
            Some(d) => (true, d.to_string()),
            // Kannel writes international numbers without the plus.
            None => (self.sender.len() > 9, self.sender.clone()),
        };
        let digits: Vec<u8> = digits
            .bytes()
            .filter(u8::is_ascii_digit)
            .map(|c| c - b'0')
            .collect();
        t.push(digits.len() as u8);
        t.push(if intl { 0x91 } else { 0x81 });
        for pair in digits.chunks(2) {
            let lo = pair.first().copied().unwrap_or(0xf);
            let hi = pair.get(1).copied().unwrap_or(0xf);
            t.push(lo | (hi << 4));
        }
        t.push(0x00); // PID
        t.push(0x04); // DCS: 8-bit data
        t.extend_from_slice(&[0x62, 0x11, 0x82, 0x51, 0x02, 0x40, 0x00]); // SCTS
        t.push((self.udh.len() + self.data.len()) as u8);
        t.extend_from_slice(&self.udh);
        t.extend_from_slice(&self.data);
        t
    }
}

/// Form-decoding as fakesmsc writes its log (`%XX`, `+` for a space).
fn form_decode(s: &str) -> Vec<u8> {
    let b = s.as_bytes();
    let mut out = Vec::with_capacity(b.len());
    let mut i = 0;
    while i < b.len() {
        match b.get(i) {
            Some(b'%') => {
                let hex = s
                    .get(i + 1..i + 3)
                    .and_then(|h| u8::from_str_radix(h, 16).ok());
                match hex {
                    Some(v) => {
                        out.push(v);
                        i += 3;
                    }
                    None => {
                        out.push(b'%');
                        i += 1;
                    }
                }
            }
            Some(b'+') => {
                out.push(b' ');
                i += 1;
            }
            Some(c) => {
                out.push(*c);
                i += 1;
            }
            None => break,
        }
    }
    out
}

/// Reads a fakesmsc log line: `... Got message N: <sender receiver udh UDH data DATA>`.
fn parse_line(line: &str) -> Option<SmscMessage> {
    let inner = line.split("Got message ").nth(1)?;
    let inner = inner.split_once(": <")?.1.strip_suffix('>')?;
    let w: Vec<&str> = inner.split(' ').collect();
    match w.as_slice() {
        [sender, receiver, "udh", udh, "data", data] => Some(SmscMessage {
            sender: sender.to_string(),
            receiver: receiver.to_string(),
            udh: form_decode(udh),
            data: form_decode(data),
        }),
        [sender, receiver, "data", data] => Some(SmscMessage {
            sender: sender.to_string(),
            receiver: receiver.to_string(),
            udh: Vec::new(),
            data: form_decode(data),
        }),
        _ => None,
    }
}

/// The gateway, running.
pub struct Kannel {
    dir: PathBuf,
    /// Leave `dir` when dropped.
    keep_logs: bool,
    children: Vec<Child>,
    messages: Receiver<SmscMessage>,
    /// The PPG's PAP endpoint.
    pub ppg_url: String,
    /// The smsbox's `sendota` endpoint.
    pub sendota_url: String,
}

impl Kannel {
    /// Starts bearerbox, wapbox, smsbox and fakesmsc on free loopback ports; returns once the
    /// PPG and smsbox answer and the fake SMSC is connected.
    pub fn start(tag: &str) -> Result<Kannel, String> {
        // Removed by `Drop`, unless the logs are what an error points to.
        let dir = crate::harness::scratch_dir(&format!("kannel-{tag}"))?.keep();
        let [admin, smsbox, wapbox, smsc, ppg, sendsms] = [(); 6].map(|_| crate::free_port());
        let d = dir.display();
        let conf = format!(
            r#"group = core
admin-port = {admin}
admin-password = secret
smsbox-port = {smsbox}
wapbox-port = {wapbox}
box-allow-ip = 127.0.0.1
log-file = "{d}/bearerbox.log"
log-level = 0

group = smsc
smsc = fake
smsc-id = fake
port = {smsc}
connect-allow-ip = 127.0.0.1

group = wapbox
bearerbox-host = 127.0.0.1
log-file = "{d}/wapbox.log"
log-level = 0

group = ppg
ppg-url = /wappush
ppg-port = {ppg}
concurrent-pushes = 100
users = 1024
ppg-allow-ip = 127.0.0.1
trusted-pi = true
service-name = ppg
default-smsc = fake
global-sender = {PPG_NUMBER}

group = smsbox
bearerbox-host = 127.0.0.1
sendsms-port = {sendsms}
global-sender = {PPG_NUMBER}
log-file = "{d}/smsbox.log"
log-level = 0

group = sendsms-user
username = {user}
password = {pass}
max-messages = 10
concatenation = true
"#,
            user = OTA_USER.0,
            pass = OTA_USER.1,
        );
        // From here an error drops `k`, which removes the directory.
        let mut k = Kannel {
            dir: dir.clone(),
            keep_logs: false,
            children: Vec::new(),
            messages: channel().1,
            ppg_url: format!("http://127.0.0.1:{ppg}/wappush"),
            sendota_url: format!("http://127.0.0.1:{sendsms}/cgi-bin/sendota"),
        };
        let conf_path = dir.join("kannel.conf");
        std::fs::write(&conf_path, conf).map_err(|e| e.to_string())?;
        let quiet = |name: &str| {
            std::fs::File::create(dir.join(name))
                .map(Stdio::from)
                .unwrap_or_else(|_| Stdio::null())
        };
        k.spawn(BEARERBOX, &[&conf_path], quiet("bearerbox.out"))?;
        // The boxes give up at once when bearerbox does not answer yet.
        for port in [admin, wapbox, smsbox] {
            wait_port(port)?;
        }
        k.spawn(WAPBOX, &[&conf_path], quiet("wapbox.out"))?;
        k.spawn(SMSBOX, &[&conf_path], quiet("smsbox.out"))?;
        // fakesmsc sends nothing (-m 0) and logs every message it receives on stderr.
        let mut fake = Command::new(FAKESMSC)
            .args([
                "-H",
                "127.0.0.1",
                "-r",
                &smsc.to_string(),
                "-i",
                "1",
                "-m",
                "0",
            ])
            .arg("0 0 text unused")
            .stdout(Stdio::null())
            .stderr(Stdio::piped())
            .spawn()
            .map_err(|e| format!("{FAKESMSC}: {e}"))?;
        let err = fake.stderr.take().ok_or("fakesmsc stderr")?;
        k.children.push(fake);
        let (tx, rx) = channel();
        let log = dir.join("fakesmsc.log");
        std::thread::spawn(move || {
            let mut keep = std::fs::File::create(log).ok();
            for line in BufReader::new(err).lines().map_while(Result::ok) {
                if let Some(f) = keep.as_mut() {
                    let _ = std::io::Write::write_all(f, format!("{line}\n").as_bytes());
                }
                if let Some(m) = parse_line(&line) {
                    if tx.send(m).is_err() {
                        break;
                    }
                }
            }
        });
        k.messages = rx;
        wait_port(ppg)?;
        wait_port(sendsms)?;
        // The fake SMSC is connected once bearerbox says so.
        let bb_log = dir.join("bearerbox.log");
        let deadline = Instant::now() + Duration::from_secs(20);
        loop {
            let log = std::fs::read_to_string(&bb_log).unwrap_or_default();
            if log.contains("Fakesmsc client connected")
                && log.matches("Client connected from <").count() >= 2
            {
                break;
            }
            if Instant::now() > deadline {
                k.keep_logs = true;
                return Err(format!("Kannel did not come up; see {}", dir.display()));
            }
            std::thread::sleep(Duration::from_millis(100));
        }
        Ok(k)
    }

    fn spawn(&mut self, bin: &str, args: &[&PathBuf], out: Stdio) -> Result<(), String> {
        let child = Command::new(bin)
            .args(args)
            .stdout(out)
            .stderr(Stdio::null())
            .spawn()
            .map_err(|e| format!("{bin}: {e}"))?;
        self.children.push(child);
        Ok(())
    }

    /// The next message the SMSC receives, within `wait`.
    pub fn next_sms(&self, wait: Duration) -> Option<SmscMessage> {
        self.messages.recv_timeout(wait).ok()
    }

    /// Every message the SMSC receives until `quiet` passes with none.
    pub fn drain(&self, first: Duration, quiet: Duration) -> Vec<SmscMessage> {
        let mut out = Vec::new();
        let mut wait = first;
        while let Some(m) = self.next_sms(wait) {
            out.push(m);
            wait = quiet;
        }
        out
    }

    /// The folder with the configuration and every box's log (removed when this is dropped,
    /// except while a test fails or when Kannel did not come up).
    pub fn dir(&self) -> &std::path::Path {
        &self.dir
    }
}

impl Drop for Kannel {
    fn drop(&mut self) {
        for c in self.children.iter_mut().rev() {
            let _ = c.kill();
            let _ = c.wait();
        }
        // A failing test keeps the logs its message points to.
        if !self.keep_logs && !std::thread::panicking() {
            let _ = std::fs::remove_dir_all(&self.dir);
        }
    }
}

fn wait_port(port: u16) -> Result<(), String> {
    let deadline = Instant::now() + Duration::from_secs(20);
    while TcpStream::connect(("127.0.0.1", port)).is_err() {
        if Instant::now() > deadline {
            return Err(format!("nothing listens on port {port}"));
        }
        std::thread::sleep(Duration::from_millis(50));
    }
    Ok(())
}

/// A PAP push-message request (PAP 2.0) for `content`, to `to` over SMS, as a push initiator
/// POSTs it to the PPG: (the multipart/related body, its Content-Type).
pub fn pap_request(
    push_id: &str,
    to: &str,
    content_type: &str,
    app_id: Option<&str>,
    content: &[u8],
) -> (Vec<u8>, String) {
    let boundary = "mms-core-pap-boundary";
    let control = format!(
        "<?xml version=\"1.0\"?>\r\n<!DOCTYPE pap PUBLIC \"-//WAPFORUM//DTD PAP 2.0//EN\" \"http://www.wapforum.org/DTD/pap_2.0.dtd\">\r\n<pap>\r\n<push-message push-id=\"{push_id}\">\r\n<address address-value=\"WAPPUSH={to}/TYPE=PLMN@ppg.operator.example\"/>\r\n<quality-of-service bearer-required=\"true\" bearer=\"SMS\" network-required=\"true\" network=\"GSM\"/>\r\n</push-message>\r\n</pap>\r\n"
    );
    let mut body = format!(
        "--{boundary}\r\nContent-Type: application/xml\r\n\r\n{control}\r\n--{boundary}\r\nContent-Type: {content_type}\r\n"
    )
    .into_bytes();
    if let Some(app) = app_id {
        body.extend_from_slice(format!("X-Wap-Application-Id: {app}\r\n").as_bytes());
    }
    body.extend_from_slice(b"\r\n");
    body.extend_from_slice(content);
    body.extend_from_slice(format!("\r\n--{boundary}--\r\n").as_bytes());
    (
        body,
        format!("multipart/related; boundary={boundary}; type=\"application/xml\""),
    )
}

/// POSTs `body` to `url` (plain HTTP/1.0 on loopback) with `headers`; returns the status and
/// the body of the answer.
pub fn http_post(
    url: &str,
    content_type: &str,
    headers: &[(&str, &str)],
    body: &[u8],
) -> Result<(u16, String), String> {
    use std::io::{Read, Write};
    let rest = url.strip_prefix("http://").ok_or("http only")?;
    let (host, path) = rest.split_once('/').ok_or("no path")?;
    let mut s = TcpStream::connect(host).map_err(|e| e.to_string())?;
    s.set_read_timeout(Some(Duration::from_secs(20)))
        .map_err(|e| e.to_string())?;
    let mut req = format!(
        "POST /{path} HTTP/1.0\r\nHost: {host}\r\nContent-Type: {content_type}\r\nContent-Length: {}\r\n",
        body.len()
    );
    for (k, v) in headers {
        req.push_str(&format!("{k}: {v}\r\n"));
    }
    req.push_str("\r\n");
    s.write_all(req.as_bytes()).map_err(|e| e.to_string())?;
    s.write_all(body).map_err(|e| e.to_string())?;
    let mut resp = Vec::new();
    s.read_to_end(&mut resp).map_err(|e| e.to_string())?;
    let text = String::from_utf8_lossy(&resp).into_owned();
    let status = text
        .split_whitespace()
        .nth(1)
        .and_then(|c| c.parse().ok())
        .ok_or_else(|| format!("no HTTP status in {text:?}"))?;
    let body = text
        .split_once("\r\n\r\n")
        .map(|x| x.1)
        .unwrap_or("")
        .to_string();
    Ok((status, body))
}
