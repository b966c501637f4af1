//! Pushing to subscribers: notifications over UDP (WDP) or the SMS bearer, re-notification, the
//! sweeper (MMSC-3 timeouts, MMSC-5 expiry, deferred delivery), and cancelling a stored message.

use crate::state::{DeliveryToken, Shared, now_ms};
use mms_codec::pdu::Pdu;
use mms_codec::push::encode_mms_push;
use std::sync::Arc;
use std::sync::atomic::Ordering;

impl Shared {
    pub(crate) async fn push_to(&self, subscriber: &str, pdu: &Pdu<'_>) -> bool {
        let Ok(body) = pdu.encode() else { return false };
        self.push_raw(subscriber, &body).await
    }

    /// Pushes (or re-pushes) a pending notification and schedules the next re-notification.
    pub(crate) async fn push_pending(&self, subscriber: &str, tid: &str) {
        let key = (subscriber.to_string(), tid.to_string());
        let Some(p) = self
            .data
            .lock()
            .ok()
            .and_then(|d| d.pending.get(&key).cloned())
        else {
            return;
        };
        let pushed = self.push_raw(subscriber, &p.notification).await;
        let now = now_ms();
        if let Ok(mut d) = self.data.lock() {
            if let Some(q) = d.pending.get_mut(&key) {
                q.first_ms.get_or_insert(now);
                q.pushes = q.pushes.saturating_add(1);
                q.due_ms = match self.cfg.renotify {
                    Some(every) if q.pushes <= self.cfg.max_renotify => {
                        now.saturating_add(u64::try_from(every.as_millis()).unwrap_or(u64::MAX))
                    }
                    _ => u64::MAX,
                };
            }
        }
        let event = match (pushed, p.pushes) {
            (true, 0) => "notification_pushed",
            (true, _) => "renotified",
            (false, _) => "notification_not_pushed",
        };
        self.log(event, subscriber, format!("{tid} {}", p.location));
    }

    /// One pass of the sweeper: deferred deliveries and re-notifications that are due,
    /// transactions that timed out (MMSC-3) and messages that expired (MMSC-5).
    pub(crate) async fn sweep(&self) {
        let now = now_ms();
        let timeout = u64::try_from(self.cfg.ack_timeout.as_millis()).unwrap_or(u64::MAX);
        let mut due = Vec::new();
        let mut timed_out = Vec::new();
        let mut expired = Vec::new();
        if let Ok(mut d) = self.data.lock() {
            for (key, p) in &d.pending {
                if p.first_ms.is_some_and(|f| now.saturating_sub(f) >= timeout) {
                    timed_out.push((key.clone(), p.token.clone()));
                } else if !p.answered && p.due_ms <= now {
                    due.push(key.clone());
                }
            }
            for (key, tok) in &timed_out {
                d.pending.remove(key);
                d.notified.remove(key);
                if let Some(t) = d.tokens.remove(tok) {
                    d.release(&t.message_id, &t.recipient);
                }
            }
            expired = d
                .messages
                .iter()
                .filter(|(_, m)| m.expires_ms <= now)
                .map(|(id, _)| id.clone())
                .collect();
            for id in &expired {
                if let Some(m) = d.messages.remove(id) {
                    d.unhold(&m.from, m.pdu.len());
                }
                let gone: Vec<String> = d
                    .tokens
                    .iter()
                    .filter(|(_, t)| &t.message_id == id)
                    .map(|(k, _)| k.clone())
                    .collect();
                for tok in gone {
                    if let Some(t) = d.tokens.remove(&tok) {
                        let key = (t.recipient, t.tid);
                        d.pending.remove(&key);
                        d.notified.remove(&key);
                    }
                }
            }
        }
        for ((sub, tid), _) in timed_out {
            self.log(
                "transaction_timeout",
                &sub,
                format!("{tid}: no NotifyResp/Acknowledge, state dropped (MMSC-3)"),
            );
        }
        for id in expired {
            self.log("message_expired", "", id);
        }
        for (sub, tid) in due {
            self.push_pending(&sub, &tid).await;
        }
    }

    pub(crate) async fn push_raw(&self, subscriber: &str, body: &[u8]) -> bool {
        let addr = self
            .data
            .lock()
            .ok()
            .and_then(|d| d.subscribers.get(subscriber).copied().flatten());
        let Some(addr) = addr else { return false };
        let n = self.next.fetch_add(1, Ordering::Relaxed);
        let datagram = encode_mms_push((n & 0xff) as u8, body);
        let sms = self
            .data
            .lock()
            .is_ok_and(|d| d.sms_bearer.contains(subscriber));
        if !sms {
            return self.udp.send_to(&datagram, addr).await.is_ok();
        }
        let tpdus = mms_codec::push::build_deliver_tpdus(
            &self.cfg.sms_origin,
            &datagram,
            mms_codec::push::PORT_PUSH,
            (n & 0xffff) as u16,
        );
        for t in &tpdus {
            if self.udp.send_to(t, addr).await.is_err() {
                return false;
            }
        }
        !tpdus.is_empty()
    }
}

/// Withdraws a stored message (see [`crate::MockMmsc::cancel`]).
pub(crate) async fn cancel_message(s: &Arc<Shared>, message_id: &str) -> usize {
    let targets = s.data.lock().ok().map(|mut d| {
        let Some(m) = d.messages.remove(message_id) else {
            return (Vec::new(), Vec::new());
        };
        d.unhold(&m.from, m.pdu.len());
        let pending: Vec<(String, DeliveryToken)> = d
            .tokens
            .iter()
            .filter(|(_, t)| t.message_id == message_id)
            .map(|(k, t)| (k.clone(), t.clone()))
            .collect();
        let mut out = Vec::new();
        for (tok, t) in &pending {
            d.tokens.remove(tok);
            let key = (t.recipient.clone(), t.tid.clone());
            d.notified.remove(&key);
            let loc = d
                .pending
                .remove(&key)
                .map(|p| p.location)
                .unwrap_or_else(|| format!("{}/m/{tok}", s.base));
            out.push((t.recipient.clone(), loc));
        }
        (out, m.recipients)
    });
    let (mut targets, recipients) = targets.unwrap_or_default();
    for r in &recipients {
        let key = s.resolve(r);
        if !targets.iter().any(|(who, _)| *who == key) {
            targets.push((key, message_id.to_string()));
        }
    }
    let mut n = 0;
    for (who, cancel_id) in targets {
        let tid = format!("c{}", s.next.fetch_add(1, Ordering::Relaxed));
        let pushed = s
            .push_to(&who, &mms_codec::pdu::builder::cancel_req(&tid, &cancel_id))
            .await;
        s.log(
            if pushed {
                "cancel_pushed"
            } else {
                "cancel_not_pushed"
            },
            &who,
            format!("{tid} {cancel_id}"),
        );
        n += usize::from(pushed);
    }
    n
}
