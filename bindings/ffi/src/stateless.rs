//! Calls that need no client or store: the library's version, a push checked against a
//! policy, a provisioning push inspected before any trust, a PDU decoded for display.

use crate::error::{CodecError, ProvisioningFailure};
use crate::records::{PduSummary, ProvisioningInspection, PushDecision};
use mms_core::push::{
    Bearer, DecodedPush, PORT_PUSH, Payload, PushChannel, PushPolicy, PushValidator,
};
use std::sync::Arc;

/// The library's version (also the cheapest call there is: the bindings' per-call overhead).
#[uniffi::export]
pub fn library_version() -> String {
    env!("CARGO_PKG_VERSION").to_string()
}

/// Checks a reassembled WSP push against a policy without any client or store: the MMSC URL
/// its notifications must point at and the trusted origins (the operator's push gateways).
/// The verdict is the one a client with that profile would reach for a first push.
#[uniffi::export]
pub fn check_push(
    origin: String,
    wsp: Vec<u8>,
    mmsc_url: String,
    trusted_origins: Vec<String>,
) -> PushDecision {
    let policy = PushPolicy {
        mmsc_url: Some(mmsc_url),
        trusted_origins,
        ..PushPolicy::default()
    };
    let v = PushValidator::new(
        policy,
        Arc::new(mms_core::clock::SystemClock),
        Arc::new(mms_core::audit::MemoryAudit::new(8)),
    );
    let channel = PushChannel {
        bearer: Bearer::Platform,
        dst_port: Some(PORT_PUSH),
    };
    (&v.check(&origin, channel, &wsp)).into()
}

/// Decodes a provisioning push (a WSP push of `application/vnd.wap.connectivity-wbxml`)
/// without verifying it.
#[uniffi::export]
pub fn inspect_provisioning(wsp: Vec<u8>) -> Result<ProvisioningInspection, ProvisioningFailure> {
    let push = DecodedPush::decode(&wsp).map_err(|e| ProvisioningFailure::NotProvisioning {
        reason: e.to_string(),
    })?;
    let Payload::Provisioning { params, body } = push.payload else {
        return Err(ProvisioningFailure::NotProvisioning {
            reason: format!("content type {}", push.push.content_type),
        });
    };
    let i = mms_core::provisioning::inspect(params.sec, body)?;
    let (mmsc_url, proxy, apn, problem) = match &i.settings {
        Ok(s) => (
            Some(s.mmsc_url.clone()),
            s.proxy.as_ref().map(|p| format!("{}:{}", p.host, p.port)),
            s.apn.clone(),
            None,
        ),
        Err(e) => (None, None, None, Some(e.to_string())),
    };
    Ok(ProvisioningInspection {
        needs_pin: i.method.is_some_and(|m| m.needs_pin()),
        method: i.method.map(|m| m.name().to_string()),
        mmsc_url,
        proxy,
        apn,
        problem,
        xml: i.document.to_xml(),
    })
}

/// Decodes an MMS PDU (bounded, never panics) into a readable summary.
#[uniffi::export]
pub fn decode_pdu(bytes: Vec<u8>) -> Result<PduSummary, CodecError> {
    let d = mms_core::pdu::Pdu::decode(&bytes).map_err(|e| CodecError::Malformed {
        offset: e.offset as u64,
        reason: e.to_string(),
    })?;
    let p = &d.pdu;
    Ok(PduSummary {
        message_type: p.message_type.label().to_string(),
        transaction_id: p.transaction_id().map(|t| t.to_string()),
        subject: p.subject().map(|s| s.to_string_lossy().into_owned()),
        content_location: p.content_location().map(|l| l.into_owned()),
        parts: p
            .parts()
            .iter()
            .map(|x| {
                format!(
                    "{} ({} octets)",
                    x.content_type.media.display_name(),
                    x.raw_data().len()
                )
            })
            .collect(),
        text: mms_core::pdu::describe::PduRecord::from_decoded(&d).to_text(),
    })
}

/// The MMS settings of a mobile network from the bundled carrier data (GNOME's
/// mobile-broadband-provider-info), the suggested one first (`suggested`), then the network's
/// other candidates; empty for a network the data does not know. `spn` is the SIM's service
/// provider name, when the app has it, to choose among candidates.
#[uniffi::export]
pub fn carrier_settings(
    mcc_mnc: String,
    spn: Option<String>,
) -> Vec<crate::records::CarrierSettings> {
    let db = mms_core::carriers::CarrierDb::bundled();
    let suggested = db.suggest(&mcc_mnc, spn.as_deref());
    let mut all = db.lookup(&mcc_mnc);
    if let Some(s) = suggested {
        all.retain(|e| !std::ptr::eq(*e, s));
        all.insert(0, s);
    }
    all.into_iter()
        .map(|e| {
            crate::records::CarrierSettings::of(e, suggested.is_some_and(|s| std::ptr::eq(s, e)))
        })
        .collect()
}

/// A carrier profile (TOML, for `Client.open`) for a SIM: its network, service provider name
/// and own number, with the carrier data's suggestion when there is one (marked as coming from
/// the carrier data: an authenticated OTA push or the user's own settings take precedence
/// later), else unconfigured.
#[uniffi::export]
pub fn profile_for_sim(
    mcc_mnc: String,
    spn: Option<String>,
    line1: Option<String>,
) -> Result<String, crate::error::ClientError> {
    let p = mms_core::CarrierProfile::for_sim(&mcc_mnc, spn.as_deref(), line1.as_deref());
    Ok(p.to_toml()?)
}
