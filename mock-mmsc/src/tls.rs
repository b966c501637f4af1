//! A test CA and server certificate generated at start-up (rcgen), so that the mock can serve
//! HTTPS and clients can be given the CA as an operator trust anchor (TLS-1).

use rcgen::{
    BasicConstraints, CertificateParams, CertifiedIssuer, DnType, IsCa, KeyPair, KeyUsagePurpose,
};
use rustls::pki_types::{PrivateKeyDer, PrivatePkcs8KeyDer};
use std::sync::Arc;

/// The generated CA and the server's TLS configuration.
pub struct TestPki {
    /// The CA certificate, PEM: what clients must trust.
    pub ca_pem: String,
    /// The server configuration (certificate chain for `hosts`, signed by the CA).
    pub server: Arc<rustls::ServerConfig>,
}

/// Generates a CA and a server certificate for `hosts`.
pub fn generate(hosts: &[&str]) -> Result<TestPki, String> {
    let e = |x: rcgen::Error| x.to_string();
    let mut ca_params = CertificateParams::new(Vec::<String>::new()).map_err(e)?;
    ca_params.is_ca = IsCa::Ca(BasicConstraints::Unconstrained);
    ca_params
        .distinguished_name
        .push(DnType::CommonName, "mock-mmsc test CA");
    ca_params.key_usages = vec![
        KeyUsagePurpose::KeyCertSign,
        KeyUsagePurpose::CrlSign,
        KeyUsagePurpose::DigitalSignature,
    ];
    let ca = CertifiedIssuer::self_signed(ca_params, KeyPair::generate().map_err(e)?).map_err(e)?;
    let leaf_key = KeyPair::generate().map_err(e)?;
    let mut leaf_params =
        CertificateParams::new(hosts.iter().map(|h| h.to_string()).collect::<Vec<_>>())
            .map_err(e)?;
    leaf_params
        .distinguished_name
        .push(DnType::CommonName, "mock-mmsc");
    let leaf = leaf_params.signed_by(&leaf_key, &ca).map_err(e)?;
    let key = PrivateKeyDer::Pkcs8(PrivatePkcs8KeyDer::from(leaf_key.serialize_der()));
    let server = rustls::ServerConfig::builder_with_provider(Arc::new(
        rustls::crypto::ring::default_provider(),
    ))
    .with_safe_default_protocol_versions()
    .map_err(|x| x.to_string())?
    .with_no_client_auth()
    .with_single_cert(vec![leaf.der().clone(), ca.der().clone()], key)
    .map_err(|x| x.to_string())?;
    Ok(TestPki {
        ca_pem: ca.pem(),
        server: Arc::new(server),
    })
}
