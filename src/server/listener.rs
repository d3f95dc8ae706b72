//! Where the plugin listens (a unix socket in the temp dir, TCP on 127.0.0.1 as fallback) and the connection
//! type handed to tonic, plain or TLS.

use std::io;
use std::path::{Path, PathBuf};
use std::pin::Pin;
use std::sync::Arc;
use std::task::{Context, Poll};
use std::time::Duration;

use tokio::io::{AsyncRead, AsyncWrite, ReadBuf};
use tokio::net::{TcpStream, UnixStream};
use tokio_rustls::server::TlsStream;
use tokio_util::sync::CancellationToken;

/// A client that has not finished its TLS handshake by then is dropped (Terraform's takes milliseconds).
const TLS_HANDSHAKE_TIMEOUT: Duration = Duration::from_secs(10);

/// Removes the socket file when dropped, so a clean exit leaves nothing in the temp dir.
#[derive(Debug)]
pub struct SocketFile(PathBuf);

impl Drop for SocketFile {
    fn drop(&mut self) {
        let _ = std::fs::remove_file(&self.0);
    }
}

/// A bound, not yet accepting, listener. Bound with std so the handshake line can be printed early.
#[derive(Debug)]
pub enum BoundListener {
    Unix {
        listener: std::os::unix::net::UnixListener,
        socket: SocketFile,
    },
    Tcp {
        listener: std::net::TcpListener,
    },
}

impl BoundListener {
    /// A unix socket `plugin<random>` in the temp dir, as go-plugin does; TCP within
    /// `PLUGIN_MIN_PORT..=PLUGIN_MAX_PORT` only when that fails (e.g. a TMPDIR too long for a socket path).
    pub fn bind() -> io::Result<BoundListener> {
        match Self::bind_unix(&std::env::temp_dir()) {
            Ok(listener) => Ok(listener),
            Err(unix_err) => {
                crate::log_warn!(
                    module: "server",
                    "unix socket unavailable, falling back to TCP",
                    error = crate::logging::display(&unix_err),
                );
                Self::bind_tcp(port_range())
            }
        }
    }

    pub fn bind_unix(dir: &Path) -> io::Result<BoundListener> {
        let path = dir.join(format!("plugin{:016x}", rand::random::<u64>()));
        let listener = std::os::unix::net::UnixListener::bind(&path)?;
        let socket = SocketFile(path);
        listener.set_nonblocking(true)?;
        Ok(BoundListener::Unix { listener, socket })
    }

    pub fn bind_tcp(range: Option<(u16, u16)>) -> io::Result<BoundListener> {
        let listener = match range {
            None => std::net::TcpListener::bind(("127.0.0.1", 0))?,
            Some((min, max)) => {
                let mut last_err = io::Error::new(
                    io::ErrorKind::AddrInUse,
                    "no free port in PLUGIN_MIN_PORT..PLUGIN_MAX_PORT",
                );
                let mut found = None;
                for port in min..=max {
                    match std::net::TcpListener::bind(("127.0.0.1", port)) {
                        Ok(l) => {
                            found = Some(l);
                            break;
                        }
                        Err(e) => last_err = e,
                    }
                }
                found.ok_or(last_err)?
            }
        };
        listener.set_nonblocking(true)?;
        Ok(BoundListener::Tcp { listener })
    }

    pub fn network(&self) -> &'static str {
        match self {
            BoundListener::Unix { .. } => "unix",
            BoundListener::Tcp { .. } => "tcp",
        }
    }

    pub fn address(&self) -> io::Result<String> {
        match self {
            BoundListener::Unix { socket, .. } => Ok(socket.0.display().to_string()),
            BoundListener::Tcp { listener } => Ok(listener.local_addr()?.to_string()),
        }
    }
}

fn port_range() -> Option<(u16, u16)> {
    let read = |k: &str| {
        std::env::var(k)
            .ok()
            .and_then(|v| v.trim().parse::<u16>().ok())
    };
    match (read("PLUGIN_MIN_PORT"), read("PLUGIN_MAX_PORT")) {
        (Some(min), Some(max)) if min <= max && min > 0 => Some((min, max)),
        _ => None,
    }
}

/// One accepted connection, as tonic sees it.
pub enum Conn {
    Unix(UnixStream),
    Tcp(TcpStream),
    UnixTls(Box<TlsStream<UnixStream>>),
    TcpTls(Box<TlsStream<TcpStream>>),
}

impl tonic::transport::server::Connected for Conn {
    type ConnectInfo = ();
    fn connect_info(&self) -> Self::ConnectInfo {}
}

macro_rules! delegate {
    ($self:ident, $s:ident => $e:expr) => {
        match $self.get_mut() {
            Conn::Unix($s) => {
                let $s = Pin::new($s);
                $e
            }
            Conn::Tcp($s) => {
                let $s = Pin::new($s);
                $e
            }
            Conn::UnixTls($s) => {
                let $s = Pin::new(&mut **$s);
                $e
            }
            Conn::TcpTls($s) => {
                let $s = Pin::new(&mut **$s);
                $e
            }
        }
    };
}

impl AsyncRead for Conn {
    fn poll_read(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &mut ReadBuf<'_>,
    ) -> Poll<io::Result<()>> {
        delegate!(self, s => s.poll_read(cx, buf))
    }
}

impl AsyncWrite for Conn {
    fn poll_write(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &[u8],
    ) -> Poll<io::Result<usize>> {
        delegate!(self, s => s.poll_write(cx, buf))
    }

    fn poll_write_vectored(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        bufs: &[io::IoSlice<'_>],
    ) -> Poll<io::Result<usize>> {
        delegate!(self, s => s.poll_write_vectored(cx, bufs))
    }

    fn is_write_vectored(&self) -> bool {
        match self {
            Conn::Unix(s) => s.is_write_vectored(),
            Conn::Tcp(s) => s.is_write_vectored(),
            Conn::UnixTls(s) => s.is_write_vectored(),
            Conn::TcpTls(s) => s.is_write_vectored(),
        }
    }

    fn poll_flush(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        delegate!(self, s => s.poll_flush(cx))
    }

    fn poll_shutdown(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        delegate!(self, s => s.poll_shutdown(cx))
    }
}

enum Accepting {
    Unix(tokio::net::UnixListener),
    Tcp(tokio::net::TcpListener),
}

enum Raw {
    Unix(UnixStream),
    Tcp(TcpStream),
}

impl Accepting {
    async fn accept(&self) -> io::Result<Raw> {
        match self {
            Accepting::Unix(l) => l.accept().await.map(|(s, _)| Raw::Unix(s)),
            Accepting::Tcp(l) => l.accept().await.map(|(s, _)| Raw::Tcp(s)),
        }
    }
}

async fn secure(raw: Raw, acceptor: Option<tokio_rustls::TlsAcceptor>) -> io::Result<Conn> {
    let Some(acceptor) = acceptor else {
        return Ok(match raw {
            Raw::Unix(s) => Conn::Unix(s),
            Raw::Tcp(s) => Conn::Tcp(s),
        });
    };
    let handshake = async {
        match raw {
            Raw::Unix(s) => acceptor.accept(s).await.map(|t| Conn::UnixTls(Box::new(t))),
            Raw::Tcp(s) => acceptor.accept(s).await.map(|t| Conn::TcpTls(Box::new(t))),
        }
    };
    tokio::time::timeout(TLS_HANDSHAKE_TIMEOUT, handshake)
        .await
        .map_err(|_| io::Error::new(io::ErrorKind::TimedOut, "TLS handshake timed out"))?
}

/// Starts accepting (must run inside the runtime) and returns the stream of ready connections for tonic.
/// TLS handshakes run in their own tasks so a slow or hostile client cannot stall the accept loop; a failed
/// handshake (e.g. a client without Terraform's certificate) only drops that connection. The returned guard
/// keeps the socket file alive; the loop ends at `shutdown`.
pub fn incoming(
    bound: BoundListener,
    tls: Option<Arc<rustls::ServerConfig>>,
    shutdown: CancellationToken,
) -> io::Result<(
    tokio_stream::wrappers::ReceiverStream<io::Result<Conn>>,
    Option<SocketFile>,
)> {
    let (listener, guard) = match bound {
        BoundListener::Unix { listener, socket } => (
            Accepting::Unix(tokio::net::UnixListener::from_std(listener)?),
            Some(socket),
        ),
        BoundListener::Tcp { listener } => (
            Accepting::Tcp(tokio::net::TcpListener::from_std(listener)?),
            None,
        ),
    };
    let acceptor = tls.map(tokio_rustls::TlsAcceptor::from);
    let (tx, rx) = tokio::sync::mpsc::channel::<io::Result<Conn>>(16);
    tokio::spawn(async move {
        loop {
            let raw = tokio::select! {
                _ = shutdown.cancelled() => break,
                accepted = listener.accept() => accepted,
            };
            match raw {
                Ok(raw) => {
                    let tx = tx.clone();
                    let acceptor = acceptor.clone();
                    tokio::spawn(async move {
                        match secure(raw, acceptor).await {
                            Ok(conn) => {
                                let _ = tx.send(Ok(conn)).await;
                            }
                            Err(e) => crate::log_warn!(
                                module: "server",
                                "connection refused during TLS handshake",
                                error = crate::logging::display(&e),
                            ),
                        }
                    });
                }
                Err(e) => {
                    crate::log_error!(module: "server", "accept failed", error = crate::logging::display(&e));
                    // E.g. EMFILE: back off instead of spinning.
                    tokio::time::sleep(Duration::from_millis(50)).await;
                }
            }
        }
    });
    Ok((tokio_stream::wrappers::ReceiverStream::new(rx), guard))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn unix_socket_is_removed_on_drop() {
        let dir = tempfile::tempdir().unwrap();
        let bound = BoundListener::bind_unix(dir.path()).unwrap();
        assert_eq!(bound.network(), "unix");
        let addr = bound.address().unwrap();
        let name = Path::new(&addr)
            .file_name()
            .unwrap()
            .to_str()
            .unwrap()
            .to_owned();
        assert!(
            name.starts_with("plugin") && name.len() == "plugin".len() + 16,
            "{name}"
        );
        assert!(Path::new(&addr).exists());
        drop(bound);
        assert!(!Path::new(&addr).exists());
    }

    #[test]
    fn tcp_fallback_binds_loopback_in_range() {
        let bound = BoundListener::bind_tcp(None).unwrap();
        assert_eq!(bound.network(), "tcp");
        let addr: std::net::SocketAddr = bound.address().unwrap().parse().unwrap();
        assert!(addr.ip().is_loopback());
        // A range whose only port is taken fails instead of binding elsewhere.
        let port = addr.port();
        let err = BoundListener::bind_tcp(Some((port, port))).unwrap_err();
        assert_eq!(err.kind(), io::ErrorKind::AddrInUse);
    }
}
