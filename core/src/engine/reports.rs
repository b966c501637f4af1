//! Delivery and read reports for messages this client sent (REPORT-1, REPORT-2): accepted only
//! for a message we sent (read reports only where we asked for one), from one of its
//! recipients, once, size-capped, and never routed by the report's own recipient field.

use super::{Event, MmsClient, state};
use crate::audit::{AuditArea, AuditEvent, AuditOutcome};
use crate::pdu::{FromValue, MessageType, Pdu};
use crate::store::find_sent_by_message_id;
use rusqlite::params;

/// Largest report accepted.
pub const MAX_REPORT_SIZE: usize = 2048;

/// Digits of an address for matching (national vs international forms compare by their last
/// nine digits); e-mail addresses lowercased.
pub fn address_key(a: &str) -> String {
    let a = a.trim();
    let a = a.split("/TYPE=").next().unwrap_or(a);
    let a = a.split("/type=").next().unwrap_or(a);
    if a.contains('@') {
        return a.to_ascii_lowercase();
    }
    let digits: String = a.chars().filter(char::is_ascii_digit).collect();
    let n = digits.len();
    digits
        .get(n.saturating_sub(9)..)
        .unwrap_or(&digits)
        .to_string()
}

/// True when two addresses name the same subscriber: e-mail addresses case-insensitively,
/// numbers when one's digits end the other's and the shorter has at least seven digits (a
/// national form against the international one), or they are equal.
pub fn same_address(a: &str, b: &str) -> bool {
    let strip = |s: &str| {
        s.trim()
            .split("/TYPE=")
            .next()
            .unwrap_or("")
            .split("/type=")
            .next()
            .unwrap_or("")
            .trim()
            .to_string()
    };
    let (a, b) = (strip(a), strip(b));
    if a.contains('@') || b.contains('@') {
        return a.eq_ignore_ascii_case(&b);
    }
    let digits = |s: &str| s.chars().filter(char::is_ascii_digit).collect::<String>();
    let (da, db) = (digits(&a), digits(&b));
    if da.is_empty() || db.is_empty() {
        return false;
    }
    let (short, long) = if da.len() <= db.len() {
        (&da, &db)
    } else {
        (&db, &da)
    };
    short == long || (short.len() >= 7 && long.ends_with(short.as_str()))
}

impl MmsClient {
    fn report_reject(&self, reason: &str, threat: &str, detail: String) {
        self.inner.audit.record(AuditEvent {
            at: self.inner.clock.now(),
            area: AuditArea::Report,
            outcome: AuditOutcome::Rejected,
            reason: reason.into(),
            threat: Some(threat.into()),
            subject: self.inner.subscription.clone(),
            detail,
        });
    }

    pub(crate) fn handle_report(&self, raw: &[u8]) {
        let _span = tracing::info_span!("report", octets = raw.len()).entered();
        let Ok(d) = Pdu::decode_lenient(raw) else {
            return;
        };
        let p = &d.pdu;
        let read = p.message_type == MessageType::ReadOrigInd;
        let threat = if read { "REPORT-1" } else { "REPORT-2" };
        if raw.len() > MAX_REPORT_SIZE {
            return self.report_reject("oversized_report", threat, format!("{} octets", raw.len()));
        }
        let Some(mid) = p.message_id().map(|m| m.to_string()) else {
            return self.report_reject("report_without_message_id", threat, String::new());
        };
        // The reporting recipient: To of a delivery report, From of a read report.
        let who = if read {
            match p.from() {
                Some(FromValue::Address(a)) => Some(a.to_string_lossy().into_owned()),
                _ => None,
            }
        } else {
            p.to().next().map(|a| a.to_string_lossy().into_owned())
        };
        let Some(who) = who else {
            return self.report_reject("report_without_recipient", threat, mid);
        };
        let sub = self.inner.subscription.clone();
        let status = if read {
            p.read_status().map(|s| s.label().to_string())
        } else {
            p.status().map(|s| s.label().to_string())
        }
        .unwrap_or_else(|| "unknown".into());
        let now = self.inner.now();
        let outcome = self.inner.store.write(|tx| {
            let Some(msg) = find_sent_by_message_id(tx, &sub, &mid)? else {
                return Ok(Err(("report_unknown_message", format!("Message-ID {mid}"))));
            };
            if msg.state != state::SENT {
                return Ok(Err(("report_unknown_message", format!("message {} is {}", msg.id, msg.state))));
            }
            if read && !msg.read_report {
                return Ok(Err(("read_report_not_requested", format!("message {}", msg.id))));
            }
            let mut stmt = tx.prepare("SELECT address, delivery_status, read_status FROM recipients WHERE message_id = ?1")?;
            let rows: Vec<(String, Option<String>, Option<String>)> =
                stmt.query_map([msg.id], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))?.collect::<Result<_, _>>()?;
            let Some((addr, delivery, read_status)) = rows.into_iter().find(|(a, _, _)| same_address(a, &who)) else {
                return Ok(Err(("report_unknown_recipient", format!("{who} is not a recipient of message {}", msg.id))));
            };
            let already = if read { read_status.is_some() } else { delivery.as_deref() == Some(status.as_str()) };
            if already {
                return Ok(Err(("duplicate_report", format!("message {} recipient {addr}", msg.id))));
            }
            if read {
                tx.execute("UPDATE recipients SET read_status = ?3, read_at = ?4 WHERE message_id = ?1 AND address = ?2", params![msg.id, addr, status, now])?;
            } else {
                tx.execute("UPDATE recipients SET delivery_status = ?3, delivery_at = ?4 WHERE message_id = ?1 AND address = ?2", params![msg.id, addr, status, now])?;
            }
            Ok(Ok((msg.id, addr)))
        });
        match outcome {
            Ok(Ok((id, recipient))) => {
                tracing::info!(id, recipient = %recipient, status = %status, read, "report recorded");
                if read {
                    self.inner.emit(Event::ReadReport {
                        id,
                        recipient,
                        status,
                    });
                } else {
                    self.inner.emit(Event::DeliveryReport {
                        id,
                        recipient,
                        status,
                    });
                }
            }
            Ok(Err((reason, detail))) => {
                let threat =
                    if reason == "duplicate_report" || reason == "read_report_not_requested" {
                        "REPORT-1"
                    } else {
                        threat
                    };
                self.report_reject(reason, threat, detail)
            }
            Err(_) => {}
        }
    }
}
