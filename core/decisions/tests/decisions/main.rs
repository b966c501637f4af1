//! The decisions' tests as one binary, one module per decision family, each test named with
//! the threat ID it proves: push validation ([`push_attacks`], PUSH-* and TLS-2), OTA
//! provisioning ([`provisioning`], OTA-*), rendering decisions ([`content`], CONTENT-*) and link
//! gating ([`links`], LINK-*).

mod carriers;
mod content;
mod links;
mod numbers;
mod provisioning;
mod push_attacks;
mod push_location;
mod push_strictness;
