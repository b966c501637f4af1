//! The transaction journal's vocabulary: the [`State`] of a message, its [`Direction`], and the
//! transitions allowed between states. This is the one place where the rule "acknowledge only
//! after durable store" is written:
//!
//! * `DOWNLOADED` is entered only by [`super::Tx::store_retrieved`], which writes the
//!   retrieved PDU and every part in the same SQLite transaction as the state;
//! * `DELIVERED` only from `DOWNLOADED` (the app confirmed it has the message);
//! * `ACKNOWLEDGED` only from `DELIVERED`, after the MMSC answered the NotifyResp or
//!   Acknowledge (the engine posts it between the two commits).
//!
//! So no message is ever acknowledged to the MMSC unless its bytes were committed first. Every
//! transition names the state(s) it leaves and is a compare-and-set: a row found in another
//! state is a [`super::StoreError::Conflict`], never silently overwritten.
//!
//! Receive chain: `NOTIFIED` -> `DOWNLOADING` -> `DOWNLOADED` -> `DELIVERED` -> `ACKNOWLEDGED`,
//! with `EXPIRED`, `FAILED`, `CANCELLED` (the MMSC withdrew it) and `DELETING` (released on the
//! MMSC, then removed). Send chain: `QUEUED` -> `SUBMITTING` -> `SENT` | `RETRY_WAIT` | `FAILED`,
//! and `CANCELLED` (the user withdrew it before submission).

use serde::Serialize;

/// The journal state of a message.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum State {
    /// A notification was stored (raw push kept); nothing fetched yet.
    Notified,
    /// A retrieval is under way (or was, when the process died).
    Downloading,
    /// The message and its parts are stored; the app has not confirmed it yet.
    Downloaded,
    /// The app confirmed it has the message; the MMSC is not acknowledged yet.
    Delivered,
    /// The MMSC was acknowledged.
    Acknowledged,
    /// The message expired before it was fetched, or the MMSC no longer has it.
    Expired,
    /// An outgoing message is encoded and waits for submission.
    Queued,
    /// A submission is under way (or was, when the process died).
    Submitting,
    /// The MMSC accepted the message (Message-ID stored).
    Sent,
    /// A transient failure; the submission is retried with the same transaction id.
    RetryWait,
    /// A permanent failure.
    Failed,
    /// Withdrawn: by the user before submission, or by the MMSC before retrieval.
    Cancelled,
    /// Being released on the MMSC before the row is removed.
    Deleting,
}

impl State {
    /// Every state, for exhaustive tests.
    pub const ALL: [State; 13] = [
        State::Notified,
        State::Downloading,
        State::Downloaded,
        State::Delivered,
        State::Acknowledged,
        State::Expired,
        State::Queued,
        State::Submitting,
        State::Sent,
        State::RetryWait,
        State::Failed,
        State::Cancelled,
        State::Deleting,
    ];

    /// The name stored in the database (and shown by the CLI and the bindings).
    pub fn as_str(self) -> &'static str {
        match self {
            State::Notified => "NOTIFIED",
            State::Downloading => "DOWNLOADING",
            State::Downloaded => "DOWNLOADED",
            State::Delivered => "DELIVERED",
            State::Acknowledged => "ACKNOWLEDGED",
            State::Expired => "EXPIRED",
            State::Queued => "QUEUED",
            State::Submitting => "SUBMITTING",
            State::Sent => "SENT",
            State::RetryWait => "RETRY_WAIT",
            State::Failed => "FAILED",
            State::Cancelled => "CANCELLED",
            State::Deleting => "DELETING",
        }
    }

    /// The state stored under `name`.
    pub fn parse(name: &str) -> Option<State> {
        State::ALL.into_iter().find(|s| s.as_str() == name)
    }

    /// True when `self -> next` is a transition of the chains above.
    pub fn can_move_to(self, next: State) -> bool {
        use State::*;
        matches!(
            (self, next),
            (Notified, Downloading | Expired | Cancelled | Deleting)
                | (
                    Downloading,
                    Downloading | Downloaded | Notified | Expired | Failed
                )
                | (Downloaded, Delivered)
                | (Delivered, Acknowledged)
                | (Queued | RetryWait, Submitting | Cancelled)
                | (Submitting, Submitting | Sent | RetryWait | Failed)
                | (Deleting, Deleting)
        )
    }
}

impl std::fmt::Display for State {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

impl rusqlite::ToSql for State {
    fn to_sql(&self) -> rusqlite::Result<rusqlite::types::ToSqlOutput<'_>> {
        Ok(self.as_str().into())
    }
}

impl rusqlite::types::FromSql for State {
    fn column_result(v: rusqlite::types::ValueRef<'_>) -> rusqlite::types::FromSqlResult<Self> {
        let s = v.as_str()?;
        State::parse(s).ok_or_else(|| rusqlite::types::FromSqlError::Other(s.into()))
    }
}

/// Which way a message goes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Direction {
    /// Received.
    In,
    /// Sent by the user.
    Out,
}

impl Direction {
    /// The name stored in the database.
    pub fn as_str(self) -> &'static str {
        match self {
            Direction::In => "in",
            Direction::Out => "out",
        }
    }
}

impl rusqlite::ToSql for Direction {
    fn to_sql(&self) -> rusqlite::Result<rusqlite::types::ToSqlOutput<'_>> {
        Ok(self.as_str().into())
    }
}

impl rusqlite::types::FromSql for Direction {
    fn column_result(v: rusqlite::types::ValueRef<'_>) -> rusqlite::types::FromSqlResult<Self> {
        match v.as_str()? {
            "in" => Ok(Direction::In),
            "out" => Ok(Direction::Out),
            other => Err(rusqlite::types::FromSqlError::Other(other.into())),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_state_round_trips_its_name() {
        for s in State::ALL {
            assert_eq!(State::parse(s.as_str()), Some(s));
        }
        assert_eq!(State::parse("notified"), None);
    }

    /// The acknowledgement rule, as transitions: the only way into ACKNOWLEDGED is from
    /// DELIVERED, the only way into DELIVERED is from DOWNLOADED, and DOWNLOADED is entered only
    /// from DOWNLOADING (by `store_retrieved`, with the bytes).
    #[test]
    fn acknowledged_is_reachable_only_after_the_message_was_stored() {
        let into = |t: State| -> Vec<State> {
            State::ALL
                .into_iter()
                .filter(|s| s.can_move_to(t))
                .collect()
        };
        assert_eq!(into(State::Acknowledged), vec![State::Delivered]);
        assert_eq!(into(State::Delivered), vec![State::Downloaded]);
        assert_eq!(into(State::Downloaded), vec![State::Downloading]);
        assert!(!State::Acknowledged.can_move_to(State::Downloaded));
    }
}
