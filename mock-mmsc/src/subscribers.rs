//! Who is asking: subscriber identity (MMSC-8: only registered subscribers, the identity set by
//! the operator's proxy front when so configured), how subscribers are keyed and shown, and
//! the client headers a carrier may insist on.

use crate::state::Shared;
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use std::net::SocketAddr;
use subtle::ConstantTimeEq;

/// Header carrying the subscriber identity (set by the operator's proxy in a real network).
pub const SUBSCRIBER_HEADER: &str = "x-mms-subscriber";
/// Header the proxy front adds to prove a request came through it.
pub const FRONT_HEADER: &str = "x-mock-front";

impl Shared {
    /// The key a subscriber is known by: a number in E.164 (read in the MMSC's home region
    /// when written in national form), or a lowercased e-mail address.
    pub(crate) fn key(&self, a: &str) -> String {
        self.numbers.key(a)
    }

    /// The subscriber an address names (any spelling of the number, in the MMSC's home
    /// region when national).
    pub(crate) fn resolve(&self, addr: &str) -> String {
        self.key(addr)
    }

    /// The address a subscriber is shown as: the number it registered with, or, for one that
    /// never registered, its key as a number.
    pub(crate) fn address_of(&self, key: &str) -> String {
        let registered = self
            .data
            .lock()
            .ok()
            .and_then(|d| d.msisdns.get(key).cloned());
        match registered {
            Some(a) => a,
            None => key.to_string(),
        }
    }

    /// [`Shared::address_of`] as an MMS address value (`/TYPE=PLMN` for a number).
    pub(crate) fn encoded_address_of(&self, key: &str) -> String {
        let a = self.address_of(key);
        if a.contains('@') {
            a
        } else {
            format!("{a}/TYPE=PLMN")
        }
    }

    pub(crate) fn subscriber(&self, headers: &HeaderMap) -> Option<String> {
        if self.cfg.identity_only_via_front {
            let via_front = headers
                .get(FRONT_HEADER)
                .and_then(|v| v.to_str().ok())
                .is_some_and(|v| bool::from(v.as_bytes().ct_eq(self.front_token.as_bytes())));
            if !via_front {
                self.log(
                    "identity_not_via_front",
                    "",
                    "subscriber header not set by the proxy front (MMSC-8)".into(),
                );
                return None;
            }
        }
        let id = headers
            .get(SUBSCRIBER_HEADER)?
            .to_str()
            .ok()?
            .trim()
            .to_string();
        let key = self.key(&id);
        let known = self.data.lock().ok()?.subscribers.contains_key(&key);
        known.then_some(key)
    }
}

impl Shared {
    pub(crate) fn register(&self, msisdn: &str, push_udp: Option<SocketAddr>) {
        if let Ok(mut d) = self.data.lock() {
            d.subscribers.insert(self.key(msisdn), push_udp);
            let shown = msisdn.split("/TYPE=").next().unwrap_or(msisdn).trim();
            d.msisdns.insert(self.key(msisdn), shown.to_string());
        }
        self.log(
            "subscriber_registered",
            &self.key(msisdn),
            push_udp.map(|a| a.to_string()).unwrap_or_default(),
        );
    }
}

/// The subscriber a request claims to be (for matching fault rules only; not verified).
pub(crate) fn claimed_subscriber(s: &Shared, headers: &HeaderMap) -> Option<String> {
    headers
        .get(SUBSCRIBER_HEADER)
        .and_then(|v| v.to_str().ok())
        .map(|v| s.key(v.trim()))
}

/// The User-Agent and UAProf a carrier may insist on.
pub(crate) fn check_client_headers(s: &Shared, headers: &HeaderMap) -> Option<Response> {
    let ua = headers
        .get("user-agent")
        .and_then(|v| v.to_str().ok())
        .unwrap_or("");
    if let Some(want) = &s.cfg.required_user_agent {
        if !ua.contains(want.as_str()) {
            s.log("missing_user_agent", "", format!("got {ua:?}"));
            return Some(StatusCode::FORBIDDEN.into_response());
        }
    }
    if s.cfg.require_uaprof
        && !["x-wap-profile", "profile", "x-wap-profile-diff"]
            .iter()
            .any(|h| headers.contains_key(*h))
    {
        s.log("missing_uaprof", "", String::new());
        return Some(StatusCode::FORBIDDEN.into_response());
    }
    None
}

/// The client's address, when the server knows it (MMSC-2 per-IP limits).
pub(crate) struct Peer(pub(crate) Option<SocketAddr>);

impl<S: Send + Sync> axum::extract::FromRequestParts<S> for Peer {
    type Rejection = std::convert::Infallible;

    async fn from_request_parts(
        parts: &mut axum::http::request::Parts,
        _state: &S,
    ) -> Result<Self, Self::Rejection> {
        Ok(Peer(
            parts
                .extensions
                .get::<axum::extract::ConnectInfo<SocketAddr>>()
                .map(|c| c.0),
        ))
    }
}
