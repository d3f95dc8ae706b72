//! Launches the provider binary the way go-plugin does and talks to it as Terraform would (mTLS over the unix
//! socket, raw gRPC calls). Shared by the acceptance tests and `bench/handshake.rs`.

#![allow(dead_code)]

use std::error::Error;
use std::path::{Path, PathBuf};
use std::process::Stdio;
use std::sync::Arc;
use std::time::{Duration, Instant};

use base64::Engine;
use rustls::client::danger::{HandshakeSignatureValid, ServerCertVerified, ServerCertVerifier};
use rustls::crypto::{verify_tls12_signature, verify_tls13_signature, WebPkiSupportedAlgorithms};
use rustls::pki_types::{CertificateDer, PrivateKeyDer, PrivatePkcs8KeyDer, ServerName, UnixTime};
use rustls::{DigitallySignedStruct, SignatureScheme};
use tokio::io::{AsyncBufReadExt, AsyncReadExt, BufReader};
use tokio::process::{Child, ChildStderr, ChildStdout, Command};

pub type BoxError = Box<dyn Error + Send + Sync>;

pub const COOKIE_KEY: &str = "TF_PLUGIN_MAGIC_COOKIE";
pub const COOKIE_VALUE: &str = "d602bf8f470bc67ca7faa0386276bbdd4330efaf76d1a219cb4d6991ca9872b2";

pub fn provider_binary() -> PathBuf {
    PathBuf::from(env!("CARGO_BIN_EXE_terraform-provider-modelarts"))
}

/// A client identity shaped like the one Terraform 1.0.3 generates per launch: ECDSA P-521 signed with
/// SHA-512, self-signed, `CA:TRUE`, SAN localhost, clientAuth + serverAuth.
pub struct ClientIdentity {
    pub cert_pem: String,
    pub cert_der: CertificateDer<'static>,
    pub key_der: PrivatePkcs8KeyDer<'static>,
}

impl ClientIdentity {
    pub fn terraform_like() -> ClientIdentity {
        use rcgen::{
            BasicConstraints, CertificateParams, DnType, ExtendedKeyUsagePurpose, IsCa, KeyPair,
            KeyUsagePurpose,
        };
        let key = KeyPair::generate_for(&rcgen::PKCS_ECDSA_P521_SHA512).expect("P-521 key");
        let mut params = CertificateParams::new(vec!["localhost".to_owned()]).expect("params");
        params.distinguished_name = rcgen::DistinguishedName::new();
        params
            .distinguished_name
            .push(DnType::OrganizationName, "HashiCorp");
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
            ExtendedKeyUsagePurpose::ClientAuth,
            ExtendedKeyUsagePurpose::ServerAuth,
        ];
        let cert = params.self_signed(&key).expect("self-signed cert");
        ClientIdentity {
            cert_pem: cert.pem(),
            cert_der: cert.der().clone(),
            key_der: PrivatePkcs8KeyDer::from(key.serialize_der()),
        }
    }
}

/// Parsed `1|5|<network>|<address>|grpc|<cert>`.
#[derive(Clone, Debug)]
pub struct HandshakeLine {
    pub raw: String,
    pub core_version: String,
    pub app_version: String,
    pub network: String,
    pub address: String,
    pub protocol: String,
    pub server_cert: Option<Vec<u8>>,
}

impl HandshakeLine {
    pub fn parse(line: &str) -> Result<HandshakeLine, BoxError> {
        let raw = line.trim_end_matches(['\r', '\n']).to_owned();
        let fields: Vec<&str> = raw.split('|').collect();
        if fields.len() != 6 {
            return Err(format!(
                "handshake line has {} fields, want 6: {raw:?}",
                fields.len()
            )
            .into());
        }
        let server_cert = if fields[5].is_empty() {
            None
        } else {
            Some(base64::engine::general_purpose::STANDARD_NO_PAD.decode(fields[5])?)
        };
        Ok(HandshakeLine {
            core_version: fields[0].to_owned(),
            app_version: fields[1].to_owned(),
            network: fields[2].to_owned(),
            address: fields[3].to_owned(),
            protocol: fields[4].to_owned(),
            server_cert,
            raw,
        })
    }
}

/// How the plugin is launched.
pub struct LaunchOptions<'a> {
    /// Defaults to the binary cargo built for this test run.
    pub binary: Option<&'a Path>,
    pub identity: Option<&'a ClientIdentity>,
    pub protocol_versions: &'a str,
    pub extra_env: Vec<(&'a str, &'a str)>,
    pub args: Vec<&'a str>,
}

impl Default for LaunchOptions<'_> {
    fn default() -> Self {
        LaunchOptions {
            binary: None,
            identity: None,
            protocol_versions: "5,6",
            extra_env: vec![],
            args: vec![],
        }
    }
}

pub struct Launched {
    pub child: Child,
    pub handshake: HandshakeLine,
    /// From spawn to the handshake line being read.
    pub handshake_latency: Duration,
    pub stdout: BufReader<ChildStdout>,
    pub stderr: Option<ChildStderr>,
}

/// A clean environment plus what go-plugin sets: no inherited TF_LOG or stray plugin variables.
pub fn plugin_command(opts: &LaunchOptions<'_>) -> Command {
    let mut cmd = Command::new(opts.binary.map_or_else(provider_binary, Path::to_path_buf));
    cmd.args(&opts.args)
        .env_clear()
        .env("PATH", std::env::var("PATH").unwrap_or_default())
        .env("TMPDIR", std::env::temp_dir())
        .env(COOKIE_KEY, COOKIE_VALUE)
        .env("PLUGIN_PROTOCOL_VERSIONS", opts.protocol_versions)
        .env("PLUGIN_MIN_PORT", "10000")
        .env("PLUGIN_MAX_PORT", "25000")
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .kill_on_drop(true);
    if let Some(id) = opts.identity {
        cmd.env("PLUGIN_CLIENT_CERT", &id.cert_pem);
    }
    for (k, v) in &opts.extra_env {
        cmd.env(k, v);
    }
    cmd
}

pub async fn launch(opts: &LaunchOptions<'_>) -> Result<Launched, BoxError> {
    let mut cmd = plugin_command(opts);
    let started = Instant::now();
    let mut child = cmd.spawn()?;
    let stdout = child.stdout.take().ok_or("no stdout pipe")?;
    let mut stdout = BufReader::new(stdout);
    let mut line = String::new();
    tokio::time::timeout(Duration::from_secs(10), stdout.read_line(&mut line)).await??;
    let handshake_latency = started.elapsed();
    if line.is_empty() {
        let mut err = String::new();
        if let Some(mut e) = child.stderr.take() {
            let _ = e.read_to_string(&mut err).await;
        }
        return Err(format!("plugin printed no handshake line; stderr: {err}").into());
    }
    let handshake = HandshakeLine::parse(&line)?;
    let stderr = child.stderr.take();
    Ok(Launched {
        child,
        handshake,
        handshake_latency,
        stdout,
        stderr,
    })
}

impl Launched {
    pub fn pid(&self) -> u32 {
        self.child.id().unwrap_or(0)
    }

    /// Waits for exit and returns (status, time waited, rest of stdout, all of stderr).
    pub async fn wait_exit(
        &mut self,
        limit: Duration,
    ) -> Result<(std::process::ExitStatus, Duration, String, String), BoxError> {
        let started = Instant::now();
        let status = tokio::time::timeout(limit, self.child.wait()).await??;
        let waited = started.elapsed();
        let mut rest = String::new();
        self.stdout.read_to_string(&mut rest).await?;
        let mut err = String::new();
        if let Some(mut e) = self.stderr.take() {
            e.read_to_string(&mut err).await?;
        }
        Ok((status, waited, rest, err))
    }
}

/// Trusts exactly the certificate from the handshake line, as go-plugin's client does.
#[derive(Debug)]
struct PinnedServerCert {
    der: Vec<u8>,
    algorithms: WebPkiSupportedAlgorithms,
}

impl ServerCertVerifier for PinnedServerCert {
    fn verify_server_cert(
        &self,
        end_entity: &CertificateDer<'_>,
        _intermediates: &[CertificateDer<'_>],
        _server_name: &ServerName<'_>,
        _ocsp: &[u8],
        _now: UnixTime,
    ) -> Result<ServerCertVerified, rustls::Error> {
        if end_entity.as_ref() == self.der.as_slice() {
            Ok(ServerCertVerified::assertion())
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

pub fn client_tls(
    server_cert: &[u8],
    identity: Option<&ClientIdentity>,
) -> Result<Arc<rustls::ClientConfig>, BoxError> {
    let provider = Arc::new(rustls::crypto::aws_lc_rs::default_provider());
    let verifier = Arc::new(PinnedServerCert {
        der: server_cert.to_vec(),
        algorithms: provider.signature_verification_algorithms,
    });
    let builder = rustls::ClientConfig::builder_with_provider(provider)
        .with_safe_default_protocol_versions()?
        .dangerous()
        .with_custom_certificate_verifier(verifier);
    let mut config = match identity {
        Some(id) => builder.with_client_auth_cert(
            vec![id.cert_der.clone()],
            PrivateKeyDer::Pkcs8(id.key_der.clone_key()),
        )?,
        None => builder.with_no_client_auth(),
    };
    config.alpn_protocols = vec![b"h2".to_vec()];
    Ok(Arc::new(config))
}

/// A gRPC channel to the plugin: TLS with `identity` as client certificate when the handshake carried a server
/// certificate, plaintext otherwise.
pub async fn connect(
    handshake: &HandshakeLine,
    identity: Option<&ClientIdentity>,
) -> Result<tonic::transport::Channel, BoxError> {
    let tls = match &handshake.server_cert {
        Some(cert) => Some(client_tls(cert, identity)?),
        None => None,
    };
    let network = handshake.network.clone();
    let address = handshake.address.clone();
    let connector = tower::service_fn(move |_: tonic::transport::Uri| {
        let tls = tls.clone();
        let network = network.clone();
        let address = address.clone();
        async move {
            let io: Box<dyn IoStream> = match network.as_str() {
                "unix" => Box::new(tokio::net::UnixStream::connect(Path::new(&address)).await?),
                _ => Box::new(tokio::net::TcpStream::connect(&address).await?),
            };
            let io: Box<dyn IoStream> = match tls {
                Some(tls) => {
                    let name = ServerName::try_from("localhost")?;
                    Box::new(
                        tokio_rustls::TlsConnector::from(tls)
                            .connect(name, io)
                            .await?,
                    )
                }
                None => io,
            };
            Ok::<_, BoxError>(hyper_util::rt::TokioIo::new(io))
        }
    });
    let channel = tonic::transport::Endpoint::from_static("http://localhost")
        .connect_timeout(Duration::from_secs(5))
        .connect_with_connector(connector)
        .await?;
    Ok(channel)
}

pub trait IoStream: tokio::io::AsyncRead + tokio::io::AsyncWrite + Unpin + Send {}
impl<T: tokio::io::AsyncRead + tokio::io::AsyncWrite + Unpin + Send> IoStream for T {}

/// One unary call by method path, the way generated client code does it.
pub async fn unary<Req, Resp>(
    channel: &tonic::transport::Channel,
    path: &'static str,
    request: Req,
) -> Result<Resp, tonic::Status>
where
    Req: prost::Message + Send + Sync + 'static,
    Resp: prost::Message + Default + Send + Sync + 'static,
{
    let mut grpc = tonic::client::Grpc::new(channel.clone());
    grpc.ready()
        .await
        .map_err(|e| tonic::Status::unavailable(e.to_string()))?;
    let codec = tonic_prost::ProstCodec::<Req, Resp>::default();
    grpc.unary(
        tonic::Request::new(request),
        http::uri::PathAndQuery::from_static(path),
        codec,
    )
    .await
    .map(tonic::Response::into_inner)
}

pub use modelarts::server::proto::{plugin as go_plugin, tfplugin5};

pub async fn get_schema(
    channel: &tonic::transport::Channel,
) -> Result<tfplugin5::get_provider_schema::Response, tonic::Status> {
    unary(
        channel,
        "/tfplugin5.Provider/GetSchema",
        tfplugin5::get_provider_schema::Request {},
    )
    .await
}

pub async fn shutdown(
    channel: &tonic::transport::Channel,
) -> Result<go_plugin::Empty, tonic::Status> {
    unary(
        channel,
        "/plugin.GRPCController/Shutdown",
        go_plugin::Empty {},
    )
    .await
}

/// Resident set size of a process in KiB, from /proc.
pub fn rss_kib(pid: u32) -> Option<u64> {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).ok()?;
    status
        .lines()
        .find_map(|l| l.strip_prefix("VmRSS:"))
        .and_then(|v| v.trim().trim_end_matches("kB").trim().parse().ok())
}
