//! modelarts-emulator: a faithful local ModelArts notebook API (axum), runnable as a binary or in-process.
//!
//! A test starts it with `Emulator::builder().transition_ms(0).start().await?`, talks to `handle.base_url`
//! with the demo credentials of [`demo`], and reads `handle.journal()` to assert what was sent.

pub mod auth;
pub mod catalog;
pub mod control;
pub mod errors;
pub mod faults;
pub mod gateway;
pub mod handlers;
pub mod journal;
pub mod model;
pub mod query;
pub mod settings;
pub mod state;
pub mod state_file;
pub mod validate;
pub mod view;

pub use auth::{demo, CredentialError, CredentialSpec, Credentials, Identity};
pub use errors::ApiError;
pub use faults::{Fault, FaultAction, FaultError, FaultSpec};
pub use journal::JournalEntry;
pub use settings::{Clock, DeletePolicy, Settings, SettingsPatch, UpdatePolicy};

use crate::api::{NotebookResp, NotebookStatus};
use axum::body::Body;
use axum::middleware::from_fn_with_state;
use axum::Router;
use state::AppState;
use std::net::SocketAddr;
use std::path::PathBuf;
use std::sync::{Arc, RwLock};
use tokio::net::TcpListener;
use tokio::sync::oneshot;
use tokio::task::JoinHandle;

#[derive(Debug, thiserror::Error)]
pub enum EmulatorError {
    #[error("cannot listen on {addr}: {source}")]
    Bind {
        addr: SocketAddr,
        source: std::io::Error,
    },
    #[error(transparent)]
    StateFile(#[from] state_file::StateFileError),
    #[error(transparent)]
    Credentials(#[from] CredentialError),
}

/// Configures an emulator. Defaults: `127.0.0.1:0`, demo credentials, in-memory state, default settings.
#[derive(Debug)]
pub struct EmulatorBuilder {
    listen: SocketAddr,
    settings: Settings,
    credentials: Credentials,
    state_file: Option<PathBuf>,
    admin_token: Option<String>,
    journal_capacity: usize,
    clock: Option<Clock>,
}

impl Default for EmulatorBuilder {
    fn default() -> Self {
        Self {
            listen: SocketAddr::from(([127, 0, 0, 1], 0)),
            settings: Settings::default(),
            credentials: Credentials::demo(),
            state_file: None,
            admin_token: None,
            journal_capacity: journal::DEFAULT_CAPACITY,
            clock: None,
        }
    }
}

impl EmulatorBuilder {
    pub fn listen(mut self, addr: SocketAddr) -> Self {
        self.listen = addr;
        self
    }
    pub fn settings(mut self, s: Settings) -> Self {
        self.settings = s;
        self
    }
    pub fn transition_ms(mut self, ms: u64) -> Self {
        self.settings.transition_ms = ms;
        self
    }
    pub fn update_policy(mut self, p: UpdatePolicy) -> Self {
        self.settings.update_policy = p;
        self
    }
    pub fn delete_policy(mut self, p: DeletePolicy) -> Self {
        self.settings.delete_policy = p;
        self
    }
    pub fn clock_check(mut self, on: bool) -> Self {
        self.settings.clock_check = on;
        self
    }
    /// Replace the credential store (the demo credentials are only kept if `c` holds them).
    pub fn credentials(mut self, c: Credentials) -> Self {
        self.credentials = c;
        self
    }
    /// Add credentials from a JSON file (list of [`CredentialSpec`]).
    pub fn credentials_file(mut self, path: &std::path::Path) -> Result<Self, EmulatorError> {
        self.credentials.load_file(path)?;
        Ok(self)
    }
    pub fn state_file(mut self, path: impl Into<PathBuf>) -> Self {
        self.state_file = Some(path.into());
        self
    }
    pub fn admin_token(mut self, token: impl Into<String>) -> Self {
        self.admin_token = Some(token.into());
        self
    }
    pub fn journal_capacity(mut self, n: usize) -> Self {
        self.journal_capacity = n;
        self
    }
    /// Use this clock (e.g. `Clock::starting_at(ms)` to replay requests signed at a fixed date).
    pub fn clock(mut self, c: Clock) -> Self {
        self.clock = Some(c);
        self
    }

    /// Build without a socket: drive `router()` directly (e.g. with `tower::ServiceExt::oneshot`).
    pub fn build(self) -> Result<Emulator, EmulatorError> {
        let file = self.state_file.as_deref().map(state_file::StateFile::new);
        let store = match &file {
            Some(f) => f.load()?,
            None => model::Store::default(),
        };
        let control = self.admin_token.is_some() || self.listen.ip().is_loopback();
        let state = Arc::new(AppState {
            store: RwLock::new(store),
            settings: RwLock::new(self.settings),
            clock: self.clock.unwrap_or_default(),
            credentials: self.credentials,
            journal: journal::Journal::new(self.journal_capacity),
            faults: faults::Faults::default(),
            state_file: file,
        });
        Ok(Emulator {
            state,
            control,
            admin_token: self.admin_token.map(Arc::new),
            listen: self.listen,
        })
    }

    /// Bind and serve in a background task.
    pub async fn start(self) -> Result<EmulatorHandle, EmulatorError> {
        let emulator = self.build()?;
        let addr = emulator.listen;
        let listener = TcpListener::bind(addr)
            .await
            .map_err(|source| EmulatorError::Bind { addr, source })?;
        let addr = listener
            .local_addr()
            .map_err(|source| EmulatorError::Bind { addr, source })?;
        let (tx, rx) = oneshot::channel::<()>();
        let router = emulator.router();
        let task = tokio::spawn(serve(listener, router, async {
            let _ = rx.await;
        }));
        Ok(EmulatorHandle {
            base_url: format!("http://{addr}"),
            addr,
            emulator,
            shutdown: Some(tx),
            task: Some(task),
        })
    }
}

/// An emulator instance with direct access to its state, journal, faults and settings.
#[derive(Debug, Clone)]
pub struct Emulator {
    state: Arc<AppState>,
    control: bool,
    admin_token: Option<Arc<String>>,
    listen: SocketAddr,
}

impl Emulator {
    pub fn builder() -> EmulatorBuilder {
        EmulatorBuilder::default()
    }

    /// The complete HTTP application: API routes (authenticated), control plane, 404 fallback, gateway.
    pub fn router(&self) -> Router {
        let api = handlers::routes().route_layer(from_fn_with_state(
            self.state.clone(),
            gateway::authenticate,
        ));
        let mut router = Router::new().merge(api);
        if self.control {
            let mut control = control::routes();
            if let Some(t) = &self.admin_token {
                control =
                    control.route_layer(from_fn_with_state(t.clone(), control::require_token));
            }
            router = router.merge(control);
        }
        router
            .fallback(gateway::not_found)
            .method_not_allowed_fallback(gateway::not_found)
            .layer(from_fn_with_state(self.state.clone(), gateway::gateway))
            .with_state(self.state.clone())
    }

    /// Journal entries, oldest first.
    pub fn journal(&self) -> Vec<JournalEntry> {
        self.state.journal.entries()
    }
    pub fn clear_journal(&self) {
        self.state.journal.clear()
    }
    pub fn add_fault(&self, spec: FaultSpec) -> Result<Fault, FaultError> {
        self.state.faults.add(spec)
    }
    pub fn clear_faults(&self) {
        self.state.faults.clear()
    }
    pub fn settings(&self) -> Settings {
        self.state.settings()
    }
    pub fn set_settings(&self, s: Settings) {
        self.state.set_settings(s)
    }
    /// Empty state, journal and faults.
    pub fn reset(&self) {
        self.state.reset()
    }
    /// The emulator's clock, in ms since the epoch.
    pub fn now_ms(&self) -> i64 {
        self.state.now()
    }
    /// All notebooks of all projects as `(project_id, NotebookResp)`, oldest first.
    pub fn notebooks(&self) -> Vec<(String, NotebookResp)> {
        self.state.all_notebooks(|store, now| {
            let mut all: Vec<_> = store.notebooks.values().collect();
            all.sort_by(|a, b| a.create_at.cmp(&b.create_at).then_with(|| a.id.cmp(&b.id)));
            all.into_iter()
                .map(|nb| (nb.project_id.clone(), view::notebook(nb, now)))
                .collect()
        })
    }
    /// The hooks stored for notebook `id` of any project (`None` if there is no such notebook): the API never
    /// returns them, so tests of hook updates look here.
    pub fn stored_hooks(&self, id: &str) -> Option<Option<model::Hooks>> {
        self.state
            .all_notebooks(|store, _| store.notebooks.get(id).map(|nb| nb.hooks.clone()))
    }
    /// Force a status (and optionally a later move, `None` target = disappear) on a notebook of any project.
    pub fn force_status(
        &self,
        id: &str,
        status: NotebookStatus,
        fail_reason: Option<String>,
        next: Option<(Option<NotebookStatus>, i64)>,
    ) -> Result<NotebookResp, ApiError> {
        let nb = self.state.force_status(id, status, fail_reason, next)?;
        Ok(view::notebook(&nb, self.state.now()))
    }
}

/// A running emulator. Dereferences to [`Emulator`] for in-process access.
#[derive(Debug)]
pub struct EmulatorHandle {
    /// `http://127.0.0.1:PORT`
    pub base_url: String,
    pub addr: SocketAddr,
    emulator: Emulator,
    shutdown: Option<oneshot::Sender<()>>,
    task: Option<JoinHandle<()>>,
}

impl std::ops::Deref for EmulatorHandle {
    type Target = Emulator;
    fn deref(&self) -> &Emulator {
        &self.emulator
    }
}

impl EmulatorHandle {
    pub fn emulator(&self) -> &Emulator {
        &self.emulator
    }

    /// Stop accepting, let open requests finish (at most 5 s), and wait for the server task.
    pub async fn shutdown(mut self) {
        if let Some(tx) = self.shutdown.take() {
            let _ = tx.send(());
        }
        if let Some(task) = self.task.take() {
            let _ = task.await;
        }
    }
}

impl Drop for EmulatorHandle {
    fn drop(&mut self) {
        if let Some(tx) = self.shutdown.take() {
            let _ = tx.send(());
        }
    }
}

/// Error returned to hyper to close a connection without answering (injected drop faults).
#[derive(Debug, thiserror::Error)]
#[error("connection dropped by an injected fault")]
struct Dropped;

/// Accept loop over HTTP/1.1 with keep-alive; ends on `shutdown`, then drains open connections.
pub async fn serve(
    listener: TcpListener,
    router: Router,
    shutdown: impl std::future::Future<Output = ()>,
) {
    use hyper_util::rt::TokioIo;
    use tower::ServiceExt;
    let graceful = hyper_util::server::graceful::GracefulShutdown::new();
    let builder = hyper::server::conn::http1::Builder::new();
    tokio::pin!(shutdown);
    loop {
        tokio::select! {
            accepted = listener.accept() => {
                let stream = match accepted {
                    Ok((stream, _)) => stream,
                    Err(e) => {
                        // Typically EMFILE: back off instead of spinning.
                        eprintln!("modelarts-emulator: accept failed: {e}");
                        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
                        continue;
                    }
                };
                let _ = stream.set_nodelay(true);
                let router = router.clone();
                let svc = hyper::service::service_fn(move |req: hyper::Request<hyper::body::Incoming>| {
                    let router = router.clone();
                    async move {
                        let resp = match router.oneshot(req.map(Body::new)).await {
                            Ok(r) => r,
                            Err(never) => match never {},
                        };
                        if resp.extensions().get::<gateway::DropConnection>().is_some() {
                            Err(Dropped)
                        } else {
                            Ok(resp)
                        }
                    }
                });
                let conn = graceful.watch(builder.serve_connection(TokioIo::new(stream), svc));
                tokio::spawn(async move {
                    // Errors here are client disconnects or injected drops; nothing to report.
                    let _ = conn.await;
                });
            }
            _ = &mut shutdown => break,
        }
    }
    drop(listener);
    tokio::select! {
        _ = graceful.shutdown() => {}
        _ = tokio::time::sleep(std::time::Duration::from_secs(5)) => {}
    }
}
