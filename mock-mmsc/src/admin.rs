//! The admin API: register subscribers, inject faults, read the decision log and the charging
//! records, cancel a message.

use crate::fault::FaultRule;
use crate::notify::cancel_message;
use crate::state::{Cdr, LogEntry, Shared};
use crate::subscribers::subscriber_key;
use axum::extract::State;
use axum::http::StatusCode;
use std::net::SocketAddr;
use std::sync::Arc;

/// A subscriber registration through the admin API.
#[derive(Debug, Clone, serde::Deserialize)]
pub(crate) struct AdminSubscriber {
    msisdn: String,
    push: Option<SocketAddr>,
    /// Pushes go as SMS-DELIVER TPDUs to `push`.
    #[serde(default)]
    sms: bool,
}

pub(crate) async fn admin_register(
    State(s): State<Arc<Shared>>,
    axum::Json(a): axum::Json<AdminSubscriber>,
) -> StatusCode {
    s.register(&a.msisdn, a.push);
    if a.sms && a.push.is_some() {
        if let Ok(mut d) = s.data.lock() {
            d.sms_bearer.insert(subscriber_key(&a.msisdn));
        }
    }
    StatusCode::NO_CONTENT
}

pub(crate) async fn admin_fault(
    State(s): State<Arc<Shared>>,
    axum::Json(f): axum::Json<FaultRule>,
) -> StatusCode {
    if let Ok(mut d) = s.data.lock() {
        d.faults.push(f);
    }
    StatusCode::NO_CONTENT
}

pub(crate) async fn admin_log(State(s): State<Arc<Shared>>) -> axum::Json<Vec<LogEntry>> {
    axum::Json(
        s.data
            .lock()
            .map(|d| d.log.iter().cloned().collect())
            .unwrap_or_default(),
    )
}

pub(crate) async fn admin_cdrs(State(s): State<Arc<Shared>>) -> axum::Json<Vec<Cdr>> {
    axum::Json(
        s.data
            .lock()
            .map(|d| d.cdrs.iter().cloned().collect())
            .unwrap_or_default(),
    )
}

pub(crate) async fn admin_cancel(
    State(s): State<Arc<Shared>>,
    axum::extract::Path(mid): axum::extract::Path<String>,
) -> axum::Json<usize> {
    axum::Json(cancel_message(&s, &mid).await)
}
