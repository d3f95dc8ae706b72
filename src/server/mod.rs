//! The protocol-5 plugin server Terraform launches: handshake, TLS, go-plugin services, gRPC conversion.
//!
//! Terraform starts a fresh provider process for every graph walk (3–4 per command), so start-up is on the
//! critical path: the handshake line goes out as soon as the socket is bound, and the provider service itself
//! is only built after that.

pub mod convert;
pub mod grpc;
pub mod handshake;
pub mod listener;
pub mod plugin_services;
pub mod proto;
pub mod tls;

use std::io;
use std::sync::Arc;
use std::time::Duration;

use tokio_util::sync::CancellationToken;

use crate::tf::protocol::ProviderService;
use handshake::HandshakeError;
use listener::BoundListener;
use tls::TlsError;

/// Terraform allows 64 MiB schemas; tonic's 4 MiB default would cut large plans and states short.
pub const MAX_MESSAGE_SIZE: usize = 256 * 1024 * 1024;

/// The provider source address printed for `--debug`; it must match the address the configuration requires.
pub const DEFAULT_PROVIDER_ADDRESS: &str = "terraform.local/local/modelarts";

/// How long in-flight calls may take to finish after Shutdown/SIGTERM; well under Terraform's 2 s kill timer.
const SHUTDOWN_GRACE: Duration = Duration::from_millis(500);

/// How long runtime tasks still running after the server stopped may delay the exit.
const RUNTIME_DRAIN: Duration = Duration::from_millis(100);

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Mode {
    /// Launched by Terraform: cookie, version negotiation, AutoMTLS, handshake line on stdout.
    Plugin,
    /// Started by hand: plaintext, prints `TF_REATTACH_PROVIDERS` and serves until interrupted.
    Debug { provider_address: String },
}

#[derive(Debug, thiserror::Error)]
pub enum ServeError {
    #[error(transparent)]
    Handshake(#[from] HandshakeError),
    #[error(transparent)]
    Tls(#[from] TlsError),
    #[error("cannot listen for Terraform: {0}")]
    Listen(io::Error),
    #[error("cannot write the handshake to stdout: {0}")]
    Announce(io::Error),
    #[error("cannot start the async runtime: {0}")]
    Runtime(io::Error),
    #[error("cannot install signal handlers: {0}")]
    Signals(io::Error),
    #[error("the gRPC server failed: {0}")]
    Transport(#[from] tonic::transport::Error),
}

/// What `Plugin` mode reads from the environment go-plugin prepared.
struct Launch {
    tls: Option<tls::ServerTls>,
}

fn prepare(mode: &Mode) -> Result<Launch, ServeError> {
    match mode {
        Mode::Debug { .. } => Ok(Launch { tls: None }),
        Mode::Plugin => {
            handshake::check_cookie(std::env::var(handshake::MAGIC_COOKIE_KEY).ok().as_deref())?;
            handshake::negotiate(std::env::var("PLUGIN_PROTOCOL_VERSIONS").ok().as_deref())?;
            // TLS if and only if Terraform sent its certificate: without one it dials plaintext.
            let disabled = std::env::var("TF_DISABLE_PLUGIN_TLS").is_ok_and(|v| !v.is_empty());
            let client_cert = std::env::var("PLUGIN_CLIENT_CERT")
                .ok()
                .filter(|v| !v.trim().is_empty());
            let tls = match client_cert {
                Some(pem) if !disabled => Some(tls::server_tls(&pem)?),
                _ => None,
            };
            Ok(Launch { tls })
        }
    }
}

/// Runs the plugin until Terraform's Shutdown (or SIGTERM; in debug mode also SIGINT). Errors before the
/// handshake are returned for the caller to print; the socket file is removed on every normal exit.
pub fn serve(
    mode: Mode,
    service: impl FnOnce() -> Arc<dyn ProviderService>,
) -> Result<(), ServeError> {
    grpc::install_panic_hook();
    let launch = prepare(&mode)?;
    let bound = BoundListener::bind().map_err(ServeError::Listen)?;
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .map_err(ServeError::Runtime)?;
    let result = runtime.block_on(run(mode, launch, bound, service));
    // A call stuck past the grace period must not keep the process alive (Terraform would SIGKILL it).
    runtime.shutdown_timeout(RUNTIME_DRAIN);
    crate::log_debug!(module: "server", "provider stopped");
    result
}

async fn run(
    mode: Mode,
    launch: Launch,
    bound: BoundListener,
    service: impl FnOnce() -> Arc<dyn ProviderService>,
) -> Result<(), ServeError> {
    let shutdown = CancellationToken::new();
    watch_signals(&mode, shutdown.clone()).map_err(ServeError::Signals)?;

    let network = bound.network();
    let address = bound.address().map_err(ServeError::Listen)?;
    let cert_der = launch.tls.as_ref().map(|t| t.cert_der.clone());
    let (incoming, _socket_file) =
        listener::incoming(bound, launch.tls.map(|t| t.config), shutdown.clone())
            .map_err(ServeError::Listen)?;
    match &mode {
        Mode::Plugin => {
            let line = handshake::handshake_line(network, &address, cert_der.as_deref());
            handshake::announce(&line).map_err(ServeError::Announce)?;
        }
        Mode::Debug { provider_address } => {
            let pid = std::process::id();
            eprintln!(
                "terraform-provider-modelarts {} is running in debug mode (plaintext, pid {pid}).\n\
                 Export the TF_REATTACH_PROVIDERS line printed on stdout in the shell that runs Terraform.\n\
                 Stop the provider with Ctrl-C.",
                env!("CARGO_PKG_VERSION")
            );
            let config = handshake::reattach_config(provider_address, network, &address, pid);
            handshake::announce(&format!("TF_REATTACH_PROVIDERS='{config}'"))
                .map_err(ServeError::Announce)?;
        }
    }
    crate::log_debug!(module: "server", "provider serving", network = network, address = address, tls = cert_der.is_some());

    let (health, health_service) = tonic_health::server::health_reporter();
    health
        .set_service_status("plugin", tonic_health::ServingStatus::Serving)
        .await;

    use proto::plugin::{
        grpc_broker_server::GrpcBrokerServer, grpc_controller_server::GrpcControllerServer,
        grpc_stdio_server::GrpcStdioServer,
    };
    let provider =
        proto::tfplugin5::provider_server::ProviderServer::new(grpc::ProviderGrpc::new(service()))
            .max_decoding_message_size(MAX_MESSAGE_SIZE)
            .max_encoding_message_size(MAX_MESSAGE_SIZE);
    let server = tonic::transport::Server::builder()
        .add_service(health_service)
        .add_service(GrpcControllerServer::new(plugin_services::Controller {
            shutdown: shutdown.clone(),
        }))
        .add_service(GrpcStdioServer::new(plugin_services::Stdio {
            shutdown: shutdown.clone(),
        }))
        .add_service(GrpcBrokerServer::new(plugin_services::Broker {
            shutdown: shutdown.clone(),
        }))
        .add_service(provider)
        .serve_with_incoming_shutdown(incoming, shutdown.clone().cancelled_owned());

    let grace = async {
        shutdown.cancelled().await;
        tokio::time::sleep(SHUTDOWN_GRACE).await;
    };
    tokio::select! {
        served = server => served?,
        () = grace => crate::log_warn!(module: "server", "connections still open after the shutdown grace period"),
    }
    Ok(())
}

/// SIGTERM stops the server. SIGINT reaches the plugin too when the user presses Ctrl-C (same process group),
/// but Terraform answers it by calling Stop and finishing cleanly, so a launched plugin ignores it; in debug
/// mode Ctrl-C is how the user stops the server.
fn watch_signals(mode: &Mode, shutdown: CancellationToken) -> io::Result<()> {
    use tokio::signal::unix::{signal, SignalKind};
    let mut term = signal(SignalKind::terminate())?;
    let mut interrupt = signal(SignalKind::interrupt())?;
    let stop_on_interrupt = matches!(mode, Mode::Debug { .. });
    tokio::spawn(async move {
        loop {
            tokio::select! {
                _ = term.recv() => {
                    crate::log_info!(module: "server", "SIGTERM received, shutting down");
                    shutdown.cancel();
                    return;
                }
                _ = interrupt.recv() => {
                    if stop_on_interrupt {
                        crate::log_info!(module: "server", "interrupted, shutting down");
                        shutdown.cancel();
                        return;
                    }
                    crate::log_debug!(module: "server", "ignoring SIGINT; Terraform cancels through Stop");
                }
            }
        }
    });
    Ok(())
}
