//! A TLS front for the emulator in tests: terminates HTTPS with a freshly generated self-signed certificate
//! (rcgen) and pipes the bytes to the plain-HTTP emulator, so clients meet an endpoint no CA vouches for.
//! Counts completed TLS handshakes, so a test can tell "refused during the handshake" from "answered".

#![allow(dead_code)]

use std::net::SocketAddr;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;

use rustls::pki_types::{PrivateKeyDer, PrivatePkcs8KeyDer};
use tokio::net::{TcpListener, TcpStream};
use tokio_rustls::TlsAcceptor;

pub struct TlsFront {
    pub addr: SocketAddr,
    /// `https://127.0.0.1:<port>`.
    pub base_url: String,
    /// The certificate it serves, PEM.
    pub cert_pem: String,
    handshakes: Arc<AtomicUsize>,
    task: tokio::task::JoinHandle<()>,
}

impl TlsFront {
    /// Serves HTTPS on a free loopback port and forwards every connection to `backend`.
    pub async fn start(backend: SocketAddr) -> TlsFront {
        let _ = rustls::crypto::aws_lc_rs::default_provider().install_default();
        let ck = rcgen::generate_simple_self_signed(vec!["127.0.0.1".into(), "localhost".into()])
            .expect("self-signed certificate");
        let cert_pem = ck.cert.pem();
        let key = PrivateKeyDer::Pkcs8(PrivatePkcs8KeyDer::from(ck.signing_key.serialize_der()));
        let config = rustls::ServerConfig::builder()
            .with_no_client_auth()
            .with_single_cert(vec![ck.cert.der().clone()], key)
            .expect("server config");
        let acceptor = TlsAcceptor::from(Arc::new(config));
        let listener = TcpListener::bind("127.0.0.1:0").await.expect("bind");
        let addr = listener.local_addr().expect("addr");
        let handshakes = Arc::new(AtomicUsize::new(0));
        let counter = handshakes.clone();
        let task = tokio::spawn(async move {
            while let Ok((tcp, _)) = listener.accept().await {
                let acceptor = acceptor.clone();
                let counter = counter.clone();
                tokio::spawn(async move {
                    // A client that rejects the certificate aborts here; nothing reaches the backend.
                    let Ok(mut tls) = acceptor.accept(tcp).await else {
                        return;
                    };
                    counter.fetch_add(1, Ordering::SeqCst);
                    let Ok(mut up) = TcpStream::connect(backend).await else {
                        return;
                    };
                    let _ = tokio::io::copy_bidirectional(&mut tls, &mut up).await;
                });
            }
        });
        TlsFront {
            addr,
            base_url: format!("https://127.0.0.1:{}", addr.port()),
            cert_pem,
            handshakes,
            task,
        }
    }

    pub fn handshakes(&self) -> usize {
        self.handshakes.load(Ordering::SeqCst)
    }
}

impl Drop for TlsFront {
    fn drop(&mut self) {
        self.task.abort();
    }
}
