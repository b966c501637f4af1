//! The admin API: register subscribers, inject faults, read the decision log and the charging
//! records, cancel a message. It has its own loopback listener, apart from the subscribers'
//! port, and every request must carry the run's token (`Authorization: Bearer TOKEN`, compared
//! in constant time); anything else is 401 with a log entry.

use crate::fault::FaultRule;
use crate::notify::cancel_message;
use crate::state::{Cdr, LogEntry, Shared};
use axum::Router;
use axum::extract::{Request, State};
use axum::http::StatusCode;
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use std::net::SocketAddr;
use std::sync::Arc;
use subtle::ConstantTimeEq;

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
            d.sms_bearer.insert(s.key(&a.msisdn));
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

/// Starts the admin API on `bind`, answering only requests that carry `token`.
pub(crate) async fn serve(
    bind: SocketAddr,
    s: Arc<Shared>,
    token: &str,
) -> std::io::Result<(SocketAddr, tokio::task::JoinHandle<()>)> {
    let listener = tokio::net::TcpListener::bind(bind).await?;
    let addr = listener.local_addr()?;
    let expected: Arc<str> = Arc::from(format!("Bearer {token}"));
    let guard_state = (s.clone(), expected);
    let app = Router::new()
        .route("/_admin/subscribers", post(admin_register))
        .route("/_admin/faults", post(admin_fault))
        .route("/_admin/log", get(admin_log))
        .route("/_admin/cdrs", get(admin_cdrs))
        .route("/_admin/cancel/{message_id}", post(admin_cancel))
        .layer(axum::middleware::from_fn_with_state(
            guard_state,
            authorised,
        ))
        .with_state(s);
    let task = tokio::spawn(async move {
        let _ = axum::serve(listener, app).await;
    });
    Ok((addr, task))
}

/// Lets through requests that carry the run's token.
async fn authorised(
    State((s, expected)): State<(Arc<Shared>, Arc<str>)>,
    req: Request,
    next: Next,
) -> Response {
    let ok = req
        .headers()
        .get("authorization")
        .is_some_and(|v| bool::from(v.as_bytes().ct_eq(expected.as_bytes())));
    if !ok {
        s.log(
            "admin_unauthorized",
            "",
            format!(
                "{} {} without the admin token",
                req.method(),
                req.uri().path()
            ),
        );
        return StatusCode::UNAUTHORIZED.into_response();
    }
    next.run(req).await
}
