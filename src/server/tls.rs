//! AutoMTLS as go-plugin does it: a fresh self-signed server certificate per launch, and a client certificate
//! pinned to exactly the one Terraform passed in `PLUGIN_CLIENT_CERT`.
//!
//! webpki cannot be used for the client side: Terraform's certificate is a `CA:TRUE` self-signed leaf, which
//! webpki refuses (`CaUsedAsEndEntity`), and its P-521 key needs aws-lc-rs (ring cannot verify it). So the
//! verifier compares the DER byte for byte and then checks the handshake signature with aws-lc-rs.

use std::sync::Arc;

use rustls::client::danger::HandshakeSignatureValid;
use rustls::crypto::{verify_tls12_signature, verify_tls13_signature, WebPkiSupportedAlgorithms};
use rustls::pki_types::pem::PemObject;
use rustls::pki_types::{CertificateDer, PrivateKeyDer, PrivatePkcs8KeyDer, UnixTime};
use rustls::server::danger::{ClientCertVerified, ClientCertVerifier};
use rustls::{DigitallySignedStruct, DistinguishedName, SignatureScheme};

#[derive(Debug, thiserror::Error)]
pub enum TlsError {
    #[error("PLUGIN_CLIENT_CERT holds no PEM certificate")]
    NoClientCertificate,
    #[error("PLUGIN_CLIENT_CERT is not valid PEM: {0}")]
    ClientCertificatePem(String),
    #[error("generating the server certificate failed: {0}")]
    Generate(#[from] rcgen::Error),
    #[error("building the TLS configuration failed: {0}")]
    Config(#[from] rustls::Error),
}

/// A freshly generated server identity.
pub struct ServerIdentity {
    pub cert: CertificateDer<'static>,
    pub key: PrivateKeyDer<'static>,
}

/// A self-signed certificate shaped like go-plugin's: SAN `localhost` (Go checks SANs, not the CN), serverAuth,
/// and `CA:TRUE` with keyCertSign because the client trusts it as its own root. P-256 keeps start-up fast; go-plugin
/// uses P-521, which costs tens of milliseconds to generate.
pub fn generate_server_identity() -> Result<ServerIdentity, TlsError> {
    use rcgen::{
        BasicConstraints, CertificateParams, DnType, ExtendedKeyUsagePurpose, IsCa, KeyPair,
        KeyUsagePurpose, SerialNumber,
    };

    let key = KeyPair::generate_for(&rcgen::PKCS_ECDSA_P256_SHA256)?;
    let mut params = CertificateParams::new(vec!["localhost".to_owned()])?;
    params.distinguished_name = rcgen::DistinguishedName::new();
    params
        .distinguished_name
        .push(DnType::OrganizationName, "terraform-provider-modelarts");
    params
        .distinguished_name
        .push(DnType::CommonName, "localhost");
    params.is_ca = IsCa::Ca(BasicConstraints::Unconstrained);
    params.key_usages = vec![
        KeyUsagePurpose::DigitalSignature,
        KeyUsagePurpose::KeyEncipherment,
        KeyUsagePurpose::KeyAgreement,
        KeyUsagePurpose::KeyCertSign,
    ];
    params.extended_key_usages = vec![
        ExtendedKeyUsagePurpose::ServerAuth,
        ExtendedKeyUsagePurpose::ClientAuth,
    ];
    // Back-dated like go-plugin's, so a client clock slightly behind ours still sees a valid certificate.
    let now = time::OffsetDateTime::now_utc();
    params.not_before = now - time::Duration::seconds(30);
    params.not_after = now + time::Duration::days(365 * 30);
    params.serial_number = Some(SerialNumber::from_slice(&rand::random::<[u8; 16]>()));

    let cert = params.self_signed(&key)?;
    Ok(ServerIdentity {
        cert: cert.der().clone(),
        key: PrivateKeyDer::Pkcs8(PrivatePkcs8KeyDer::from(key.serialize_der())),
    })
}

/// Every certificate in the PEM text (go-plugin adds them all to its pool; we pin each one exactly).
pub fn parse_client_certificates(pem: &str) -> Result<Vec<CertificateDer<'static>>, TlsError> {
    let certs = CertificateDer::pem_slice_iter(pem.as_bytes())
        .collect::<Result<Vec<_>, _>>()
        .map_err(|e| TlsError::ClientCertificatePem(e.to_string()))?;
    if certs.is_empty() {
        return Err(TlsError::NoClientCertificate);
    }
    Ok(certs)
}

/// Accepts only a client whose leaf certificate is byte-identical to a pinned one and who proves possession of
/// its key; a client without a certificate is refused.
#[derive(Debug)]
pub struct PinnedClientCertVerifier {
    pinned: Vec<CertificateDer<'static>>,
    algorithms: WebPkiSupportedAlgorithms,
}

impl PinnedClientCertVerifier {
    pub fn new(
        pinned: Vec<CertificateDer<'static>>,
        algorithms: WebPkiSupportedAlgorithms,
    ) -> Self {
        PinnedClientCertVerifier { pinned, algorithms }
    }
}

impl ClientCertVerifier for PinnedClientCertVerifier {
    fn offer_client_auth(&self) -> bool {
        true
    }

    fn client_auth_mandatory(&self) -> bool {
        true
    }

    /// No hints: Go's client then offers its only certificate instead of filtering by issuer.
    fn root_hint_subjects(&self) -> &[DistinguishedName] {
        &[]
    }

    fn verify_client_cert(
        &self,
        end_entity: &CertificateDer<'_>,
        _intermediates: &[CertificateDer<'_>],
        _now: UnixTime,
    ) -> Result<ClientCertVerified, rustls::Error> {
        if self
            .pinned
            .iter()
            .any(|p| p.as_ref() == end_entity.as_ref())
        {
            Ok(ClientCertVerified::assertion())
        } else {
            Err(rustls::Error::InvalidCertificate(
                rustls::CertificateError::ApplicationVerificationFailure,
            ))
        }
    }

    fn verify_tls12_signature(
        &self,
        message: &[u8],
        cert: &CertificateDer<'_>,
        dss: &DigitallySignedStruct,
    ) -> Result<HandshakeSignatureValid, rustls::Error> {
        verify_tls12_signature(message, cert, dss, &self.algorithms)
    }

    fn verify_tls13_signature(
        &self,
        message: &[u8],
        cert: &CertificateDer<'_>,
        dss: &DigitallySignedStruct,
    ) -> Result<HandshakeSignatureValid, rustls::Error> {
        verify_tls13_signature(message, cert, dss, &self.algorithms)
    }

    fn supported_verify_schemes(&self) -> Vec<SignatureScheme> {
        self.algorithms.supported_schemes()
    }
}

/// The server side of AutoMTLS: the acceptor config and the certificate to announce in the handshake.
pub struct ServerTls {
    pub config: Arc<rustls::ServerConfig>,
    pub cert_der: CertificateDer<'static>,
}

pub fn server_tls(client_cert_pem: &str) -> Result<ServerTls, TlsError> {
    let pinned = parse_client_certificates(client_cert_pem)?;
    let identity = generate_server_identity()?;
    let provider = Arc::new(rustls::crypto::aws_lc_rs::default_provider());
    let verifier = Arc::new(PinnedClientCertVerifier::new(
        pinned,
        provider.signature_verification_algorithms,
    ));
    let mut config = rustls::ServerConfig::builder_with_provider(provider)
        .with_safe_default_protocol_versions()?
        .with_client_cert_verifier(verifier)
        .with_single_cert(vec![identity.cert.clone()], identity.key)?;
    // A hand-built config does not advertise h2; grpc-go >= 1.67 refuses TLS connections without it.
    config.alpn_protocols = vec![b"h2".to_vec()];
    Ok(ServerTls {
        config: Arc::new(config),
        cert_der: identity.cert,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn client_cert_pem() -> String {
        let key = rcgen::KeyPair::generate_for(&rcgen::PKCS_ECDSA_P256_SHA256).unwrap();
        let params = rcgen::CertificateParams::new(vec!["localhost".to_owned()]).unwrap();
        params.self_signed(&key).unwrap().pem()
    }

    #[test]
    fn server_certificate_has_the_shape_go_needs() {
        let identity = generate_server_identity().unwrap();
        let der = identity.cert.as_ref();
        // DER-encoded OIDs and values: SAN dNSName "localhost", serverAuth, basicConstraints CA:TRUE.
        let contains = |needle: &[u8]| der.windows(needle.len()).any(|w| w == needle);
        assert!(
            contains(&[0x82, 0x09, b'l', b'o', b'c', b'a', b'l', b'h', b'o', b's', b't']),
            "SAN localhost"
        );
        assert!(
            contains(&[0x06, 0x08, 0x2b, 0x06, 0x01, 0x05, 0x05, 0x07, 0x03, 0x01]),
            "serverAuth"
        );
        assert!(contains(&[0x30, 0x03, 0x01, 0x01, 0xff]), "CA:TRUE");
        // Fresh per launch.
        assert_ne!(generate_server_identity().unwrap().cert, identity.cert);
    }

    #[test]
    fn client_certificate_pem_parsing() {
        let pem = client_cert_pem();
        assert_eq!(parse_client_certificates(&pem).unwrap().len(), 1);
        let two = format!("{pem}{}", client_cert_pem());
        assert_eq!(parse_client_certificates(&two).unwrap().len(), 2);
        assert!(matches!(
            parse_client_certificates("garbage"),
            Err(TlsError::NoClientCertificate)
        ));
    }

    #[test]
    fn verifier_pins_exact_der() {
        let pinned = parse_client_certificates(&client_cert_pem()).unwrap();
        let other = parse_client_certificates(&client_cert_pem())
            .unwrap()
            .remove(0);
        let algs = rustls::crypto::aws_lc_rs::default_provider().signature_verification_algorithms;
        let v = PinnedClientCertVerifier::new(pinned.clone(), algs);
        assert!(v.client_auth_mandatory() && v.offer_client_auth());
        assert!(v
            .verify_client_cert(&pinned[0], &[], UnixTime::now())
            .is_ok());
        assert!(v.verify_client_cert(&other, &[], UnixTime::now()).is_err());
        // Terraform signs CertificateVerify with P-521/SHA-512; the verifier must offer it.
        assert!(v
            .supported_verify_schemes()
            .contains(&SignatureScheme::ECDSA_NISTP521_SHA512));
    }

    #[test]
    fn config_advertises_h2() {
        let tls = server_tls(&client_cert_pem()).unwrap();
        assert_eq!(tls.config.alpn_protocols, vec![b"h2".to_vec()]);
    }
}
