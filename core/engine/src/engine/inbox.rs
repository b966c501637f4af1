//! What a messaging app shows, each in one call: a page of conversations, a page of one
//! conversation's messages, and one message's screen (its row, people, recipients' reports,
//! parts without their bytes and render plan). Part bytes are read on demand, one part at a
//! time, or copied to a file the app names.

use super::Engine;
use crate::error::EngineError;
use crate::store::{ConversationRow, ListedMessage, PartInfo, RecipientRow};
use mms_codec::pdu::Pdu;
use mms_decisions::content::{MediaPolicy, RenderPlan, plan_message};
use serde::Serialize;

/// The most rows one page holds, whatever the app asks for.
pub const MAX_PAGE: u32 = 500;

/// Which page of a list: the rows older than `before` (a cursor a previous page gave; `None`
/// for the newest), at most `limit` of them (capped at [`MAX_PAGE`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct PageRequest {
    /// The cursor of the previous page, `None` for the first.
    pub before: Option<i64>,
    /// Rows wanted.
    pub limit: u32,
}

/// A page of a list and the cursor of the next one (`None` after the last).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Page<T> {
    /// The rows, newest first.
    pub items: Vec<T>,
    /// Give it as [`PageRequest::before`] for the next page; `None` when this was the last.
    pub next: Option<i64>,
}

impl<T> Page<T> {
    /// A page of `items` for `request`, the cursor being `cursor_of` the last row when the page
    /// is full (there may be more).
    fn of(items: Vec<T>, limit: u32, cursor_of: impl Fn(&T) -> i64) -> Self {
        let next = match items.last() {
            Some(last) if items.len() as u64 >= u64::from(limit) => Some(cursor_of(last)),
            _ => None,
        };
        Page { items, next }
    }
}

/// Everything a message screen needs, in one answer (no part's bytes).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct MessageScreen {
    /// The message as lists show it.
    pub message: ListedMessage,
    /// Recipients with their delivery and read reports (messages the user sent).
    pub recipients: Vec<RecipientRow>,
    /// The parts, without their bytes.
    pub parts: Vec<PartInfo>,
    /// How to present it (`None` while only notified: there is nothing to present yet).
    pub plan: Option<RenderPlan>,
}

fn limit_of(page: PageRequest) -> u32 {
    page.limit.clamp(1, MAX_PAGE)
}

pub(crate) fn conversations(
    e: &Engine,
    page: PageRequest,
) -> Result<Page<ConversationRow>, EngineError> {
    let limit = limit_of(page);
    let rows = e.store.conversations(&e.subscription, page.before, limit)?;
    Ok(Page::of(rows, limit, |c| c.last.row.id))
}

pub(crate) fn conversation(
    e: &Engine,
    key: &str,
    page: PageRequest,
) -> Result<Page<ListedMessage>, EngineError> {
    let limit = limit_of(page);
    let rows = e
        .store
        .conversation_messages(&e.subscription, key, page.before, limit)?;
    Ok(Page::of(rows, limit, |m| m.row.id))
}

/// The render plan of the stored PDU of message `id`, `None` when it has none yet.
pub(crate) fn plan(e: &Engine, id: i64) -> Result<Option<RenderPlan>, EngineError> {
    let (_, pdu) = e.store.blobs(id)?;
    let Some(pdu) = pdu else {
        return Ok(None);
    };
    let d = Pdu::decode_lenient(&pdu).map_err(|err| EngineError::Unreadable {
        id,
        reason: err.to_string(),
    })?;
    let plan = plan_message(&d.pdu, &MediaPolicy::default());
    plan.write_audit(e.audit.as_ref(), &id.to_string(), e.clock.now());
    Ok(Some(plan))
}

pub(crate) fn screen(e: &Engine, id: i64) -> Result<MessageScreen, EngineError> {
    let message = e
        .store
        .listed_message(id)?
        .filter(|m| m.row.subscription == e.subscription)
        .ok_or(EngineError::NoSuchMessage(id))?;
    Ok(MessageScreen {
        recipients: e.store.recipients(id)?,
        parts: e.store.part_infos(id)?,
        plan: plan(e, id)?,
        message,
    })
}

pub(crate) fn part_data(e: &Engine, id: i64, idx: i64) -> Result<Vec<u8>, EngineError> {
    e.message(id)?;
    e.store
        .part_data(id, idx)?
        .ok_or(EngineError::NoSuchPart { id, idx })
}

pub(crate) fn write_part(
    e: &Engine,
    id: i64,
    idx: i64,
    path: &std::path::Path,
) -> Result<u64, EngineError> {
    e.message(id)?;
    if e.store.part_infos(id)?.iter().all(|p| p.idx != idx) {
        return Err(EngineError::NoSuchPart { id, idx });
    }
    let file = std::fs::File::create(path).map_err(|err| EngineError::File {
        path: path.display().to_string(),
        reason: err.to_string(),
    })?;
    let mut out = std::io::BufWriter::new(file);
    let copied = e
        .store
        .copy_part(id, idx, &mut out)?
        .ok_or(EngineError::NoSuchPart { id, idx })?;
    use std::io::Write;
    out.flush().map_err(|err| EngineError::File {
        path: path.display().to_string(),
        reason: err.to_string(),
    })?;
    Ok(copied)
}
