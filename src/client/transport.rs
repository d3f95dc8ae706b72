//! The HTTP core: builds one API call, signs it (or attaches the IAM token), sends it over the shared connection
//! pool, retries what is safe to retry, and logs with every secret redacted.

use std::fmt;
use std::sync::{Arc, Mutex, PoisonError};
use std::time::{Duration, Instant, SystemTime};

use http::{HeaderName, HeaderValue, Method};
use serde::de::DeserializeOwned;
use time::OffsetDateTime;
use tokio_util::sync::CancellationToken;

use super::config::{ClientConfig, Credentials};
use super::error::{ApiError, ClientError};
use super::log::{Event, Level, Logger};
use super::retry::{is_retryable_status, parse_retry_after, retry_delay};
use crate::api::query::QueryPairs;
use crate::api::redact::{is_secret_header, redact_body, REDACTED};
use crate::api::signing::{
    canonical_query_from_pairs, encode, QueryOrder, Signer, SigningInput, HEADER_AUTH_TOKEN,
    HEADER_CONTENT_TYPE, HEADER_HOST, HEADER_PROJECT_ID,
};
use crate::api::ErrorBody;

const JSON: &str = "application/json";
const JSON_UTF8: &str = "application/json;charset=utf-8";

enum Auth {
    Signer(Signer),
    Token(String),
}

struct Inner {
    http: reqwest::Client,
    /// `scheme://host[:port]`, the port only when the endpoint names one.
    origin: String,
    /// The Host header, signed and sent verbatim.
    host: String,
    /// Path of the endpoint (usually empty) + `/v1/{project_id}`.
    prefix: String,
    auth: Auth,
    cfg: ClientConfig,
    logger: Logger,
    cancel: CancellationToken,
}

/// A ModelArts API client. Cloning is cheap and shares one connection pool, so every operation of one
/// configured provider goes through the same pool.
#[derive(Clone)]
pub struct Client {
    inner: Arc<Inner>,
    call_cancel: Option<CancellationToken>,
    /// The `X-Request-Id` of the last answer this handle (and its clones) received, for the caller's log lines.
    last_request_id: Arc<Mutex<Option<String>>>,
}

impl fmt::Debug for Client {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Client")
            .field("origin", &self.inner.origin)
            .field("config", &self.inner.cfg)
            .finish_non_exhaustive()
    }
}

/// One API call, relative to `/v1/{project_id}`.
#[derive(Debug, Clone)]
pub(crate) struct Call<'a> {
    pub op: &'static str,
    pub method: Method,
    /// Already percent-encoded, e.g. `/notebooks/{id}`.
    pub path: String,
    pub query: QueryPairs,
    /// Exact JSON bytes: signed and sent as they are.
    pub body: Option<Vec<u8>>,
    pub notebook_id: Option<&'a str>,
}

impl<'a> Call<'a> {
    pub fn new(op: &'static str, method: Method, path: String) -> Self {
        Call {
            op,
            method,
            path,
            query: Vec::new(),
            body: None,
            notebook_id: None,
        }
    }

    pub fn query(mut self, q: QueryPairs) -> Self {
        self.query = q;
        self
    }

    pub fn notebook(mut self, id: &'a str) -> Self {
        self.notebook_id = Some(id);
        self
    }

    pub fn json<T: serde::Serialize>(mut self, body: &T) -> Result<Self, ClientError> {
        let bytes = serde_json::to_vec(body).map_err(|e| {
            ClientError::InvalidArgument(format!("{}: cannot encode the body: {e}", self.op))
        })?;
        self.body = Some(bytes);
        Ok(self)
    }
}

/// An HTTP answer, whatever its status.
#[derive(Debug, Clone)]
pub(crate) struct Reply {
    pub status: u16,
    pub request_id: Option<String>,
    pub retry_after: Option<Duration>,
    pub body: Vec<u8>,
}

/// No answer was received.
#[derive(Debug, Clone)]
pub(crate) struct TransportFailure {
    pub message: String,
    pub timeout: bool,
    pub connect: bool,
}

pub(crate) enum Outcome {
    Reply(Reply),
    Transport(TransportFailure),
}

/// Encodes one path parameter with no safe character (`/` becomes `%2F`), as the SDK does. Rejects values
/// that would change the path's shape.
pub(crate) fn path_param(what: &str, value: &str) -> Result<String, ClientError> {
    if value.is_empty() || value == "." || value == ".." {
        return Err(ClientError::InvalidArgument(format!(
            "{what} {value:?} is not a valid ID"
        )));
    }
    Ok(encode(value))
}

/// The names the client sends on every request, parsed once: a name parsed per request would be lower-cased
/// and, for the non-standard ones, allocated each time.
static KNOWN_HEADERS: [HeaderName; 9] = [
    http::header::CONTENT_TYPE,
    http::header::USER_AGENT,
    http::header::HOST,
    http::header::AUTHORIZATION,
    HeaderName::from_static("x-sdk-date"),
    HeaderName::from_static("x-project-id"),
    HeaderName::from_static("x-security-token"),
    HeaderName::from_static("x-auth-token"),
    HeaderName::from_static("x-language"),
];

fn header_name(name: &str) -> Option<HeaderName> {
    match KNOWN_HEADERS
        .iter()
        .find(|k| k.as_str().eq_ignore_ascii_case(name))
    {
        Some(known) => Some(known.clone()),
        None => HeaderName::from_bytes(name.as_bytes()).ok(),
    }
}

fn error_chain(e: &(dyn std::error::Error + 'static)) -> String {
    let mut out = e.to_string();
    let mut src = e.source();
    while let Some(s) = src {
        let text = s.to_string();
        if !out.contains(&text) {
            out.push_str(": ");
            out.push_str(&text);
        }
        src = s.source();
    }
    out
}

impl Client {
    /// Builds the client and its connection pool. Fails on an invalid endpoint or TLS setup.
    pub fn new(cfg: ClientConfig) -> Result<Self, ClientError> {
        Self::with_logger(cfg, Logger::default())
    }

    pub fn with_logger(cfg: ClientConfig, logger: Logger) -> Result<Self, ClientError> {
        let url = cfg.base_url()?;
        let host = match (url.host_str(), url.port()) {
            (Some(h), Some(p)) => format!("{h}:{p}"),
            (Some(h), None) => h.to_string(),
            (None, _) => return Err(ClientError::Config("endpoint has no host".into())),
        };
        let origin = format!("{}://{}", url.scheme(), host);
        let prefix = format!(
            "{}{}",
            url.path().trim_end_matches('/'),
            crate::api::project_path(cfg.project_id.trim())
        );
        let mut builder = reqwest::Client::builder()
            .tls_danger_accept_invalid_certs(cfg.insecure)
            .timeout(cfg.request_timeout)
            .connect_timeout(cfg.connect_timeout)
            .pool_idle_timeout(Duration::from_secs(60));
        // Proxy variables apply to the cloud endpoint, never to a local emulator.
        if url.host_str().is_some_and(super::config::is_loopback) {
            builder = builder.no_proxy();
        }
        // A plain-http endpoint (loopback only) never uses TLS, and loading the system's trust store costs
        // ~6 ms of CPU in every provider launch: an empty root set instead.
        if url.scheme() == "http" {
            builder = builder.tls_certs_only(std::iter::empty());
        }
        let http = builder.build().map_err(|e| {
            ClientError::Config(format!("cannot build the HTTP client: {}", error_chain(&e)))
        })?;
        let auth = match &cfg.credentials {
            Credentials::AkSk {
                ak,
                sk,
                security_token,
            } => {
                if ak.is_empty() || sk.is_empty() {
                    return Err(ClientError::Config(
                        "access key and secret key must both be set".into(),
                    ));
                }
                Auth::Signer(
                    Signer::new(ak.clone(), sk.clone())
                        .with_project_id(Some(cfg.project_id.trim().to_string()))
                        .with_security_token(security_token.clone().filter(|t| !t.is_empty())),
                )
            }
            Credentials::Token(t) if t.is_empty() => {
                return Err(ClientError::Config("the IAM token is empty".into()))
            }
            Credentials::Token(t) => Auth::Token(t.clone()),
        };
        Ok(Client {
            inner: Arc::new(Inner {
                http,
                origin,
                host,
                prefix,
                auth,
                cfg,
                logger,
                cancel: CancellationToken::new(),
            }),
            call_cancel: None,
            last_request_id: Arc::default(),
        })
    }

    pub fn config(&self) -> &ClientConfig {
        &self.inner.cfg
    }

    pub(crate) fn logger(&self) -> &Logger {
        &self.inner.logger
    }

    /// The client-wide token: cancelling it (the provider's Stop) ends every call and wait in flight.
    pub fn cancellation_token(&self) -> CancellationToken {
        self.inner.cancel.clone()
    }

    /// A handle on the same pool whose calls also end when `token` is cancelled. It has its own
    /// [`Client::last_request_id`], so one operation's log lines never show another's request ids.
    pub fn with_cancellation(&self, token: CancellationToken) -> Client {
        Client {
            inner: self.inner.clone(),
            call_cancel: Some(token),
            last_request_id: Arc::default(),
        }
    }

    /// The request id of the last API answer received through this handle, if the API sent one.
    pub fn last_request_id(&self) -> Option<String> {
        self.last_request_id
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .clone()
    }

    pub(crate) fn is_cancelled(&self) -> bool {
        self.inner.cancel.is_cancelled()
            || self.call_cancel.as_ref().is_some_and(|t| t.is_cancelled())
    }

    pub(crate) async fn cancelled(&self) {
        match &self.call_cancel {
            Some(t) => tokio::select! {
                _ = self.inner.cancel.cancelled() => {}
                _ = t.cancelled() => {}
            },
            None => self.inner.cancel.cancelled().await,
        }
    }

    /// Sleeps, unless cancelled first.
    pub(crate) async fn sleep(&self, d: Duration, op: &'static str) -> Result<(), ClientError> {
        tokio::select! {
            _ = tokio::time::sleep(d) => Ok(()),
            _ = self.cancelled() => Err(ClientError::Cancelled { operation: op }),
        }
    }

    /// Sends a call that is safe to repeat, retrying 429/5xx answers and transport failures.
    pub(crate) async fn call(&self, call: &Call<'_>) -> Result<Reply, ClientError> {
        let max = self.inner.cfg.max_retries;
        let mut retry = 0;
        loop {
            let (reason, retry_after) = match self.attempt(call, retry).await? {
                Outcome::Reply(r) if (200..300).contains(&r.status) => return Ok(r),
                Outcome::Reply(r) if is_retryable_status(r.status) && retry < max => {
                    (format!("HTTP {}", r.status), r.retry_after)
                }
                Outcome::Reply(r) => return Err(self.api_error(call, &r)),
                Outcome::Transport(t) if retry < max => (t.message, None),
                Outcome::Transport(t) => return Err(self.transport_error(call, t)),
            };
            self.backoff(call.op, retry, retry_after, &reason).await?;
            retry += 1;
        }
    }

    /// Waits before retry number `retry + 1`, logging why.
    pub(crate) async fn backoff(
        &self,
        op: &'static str,
        retry: u32,
        retry_after: Option<Duration>,
        reason: &str,
    ) -> Result<(), ClientError> {
        let delay = retry_delay(&self.inner.cfg.retry, retry, retry_after);
        self.inner.logger.event(Level::Debug, || {
            Event::new(format!("retrying {op}"))
                .field("reason", reason)
                .field("delay_ms", delay)
                .field("retry", retry + 1)
                .field("max_retries", self.inner.cfg.max_retries)
        });
        self.sleep(delay, op).await
    }

    pub(crate) fn api_error(&self, call: &Call<'_>, r: &Reply) -> ClientError {
        let body = ErrorBody::from_response(r.status, &r.body);
        ClientError::Api(ApiError {
            status: r.status,
            error_code: body.error_code,
            error_msg: body.error_msg,
            request_id: r.request_id.clone().or(body.request_id),
            operation: call.op,
            notebook_id: call.notebook_id.map(str::to_string),
        })
    }

    pub(crate) fn transport_error(&self, call: &Call<'_>, t: TransportFailure) -> ClientError {
        ClientError::Transport {
            operation: call.op,
            notebook_id: call.notebook_id.map(str::to_string),
            message: t.message,
            timeout: t.timeout,
            connect: t.connect,
        }
    }

    /// Parses a 2xx body. An empty body reads as `{}` (the API documents 201 without a body).
    pub(crate) fn decode<T: DeserializeOwned>(
        &self,
        call: &Call<'_>,
        r: &Reply,
    ) -> Result<T, ClientError> {
        let body: &[u8] = if r.body.iter().all(u8::is_ascii_whitespace) {
            b"{}"
        } else {
            &r.body
        };
        serde_json::from_slice(body).map_err(|e| ClientError::Decode {
            operation: call.op,
            message: e.to_string(),
            request_id: r.request_id.clone(),
        })
    }

    fn headers_for(&self, call: &Call<'_>, path: &str) -> (String, Vec<(String, String)>) {
        let cfg = &self.inner.cfg;
        let ct = if call.body.is_some() { JSON_UTF8 } else { JSON };
        let mut headers = vec![
            (HEADER_CONTENT_TYPE.to_string(), ct.to_string()),
            ("User-Agent".to_string(), cfg.user_agent.clone()),
        ];
        if let Some(lang) = &cfg.language {
            headers.push(("X-Language".to_string(), lang.clone()));
        }
        match &self.inner.auth {
            Auth::Signer(signer) => {
                let body = call.body.as_deref().unwrap_or_default();
                let signed = signer.sign(
                    &SigningInput {
                        method: call.method.as_str(),
                        host: &self.inner.host,
                        path,
                        query: &call.query,
                        headers: &headers,
                        body,
                        query_order: QueryOrder::ByString,
                    },
                    OffsetDateTime::now_utc(),
                );
                (signed.uri, signed.headers)
            }
            Auth::Token(token) => {
                headers.push((
                    HEADER_PROJECT_ID.to_string(),
                    cfg.project_id.trim().to_string(),
                ));
                headers.push((HEADER_AUTH_TOKEN.to_string(), token.clone()));
                headers.push((HEADER_HOST.to_string(), self.inner.host.clone()));
                let q = canonical_query_from_pairs(&call.query);
                let uri = if q.is_empty() {
                    path.to_string()
                } else {
                    format!("{path}?{q}")
                };
                (uri, headers)
            }
        }
    }

    /// Sends one attempt. `Err` only for cancellation or a request that cannot be built.
    pub(crate) async fn attempt(
        &self,
        call: &Call<'_>,
        retry: u32,
    ) -> Result<Outcome, ClientError> {
        if self.is_cancelled() {
            return Err(ClientError::Cancelled { operation: call.op });
        }
        let path = format!("{}{}", self.inner.prefix, call.path);
        let (uri, headers) = self.headers_for(call, &path);
        let logger = &self.inner.logger;
        let method = call.method.clone();
        // The fields every line about this attempt carries.
        let about = |message: &str| {
            Event::new(message)
                .field("operation", call.op)
                .field("method", method.as_str())
                .field("path", uri.as_str())
                .opt("notebook_id", call.notebook_id)
                .field("attempt", retry + 1)
        };
        logger.event(Level::Trace, || {
            let shown: Vec<String> = headers
                .iter()
                .map(|(n, v)| {
                    let v = if is_secret_header(n) {
                        REDACTED
                    } else {
                        v.as_str()
                    };
                    format!("{n}: {v}")
                })
                .collect();
            about("request").field("headers", shown.join(", ")).field(
                "body",
                redact_body(call.body.as_deref().unwrap_or_default()),
            )
        });

        let mut req = self
            .inner
            .http
            .request(method.clone(), format!("{}{}", self.inner.origin, uri));
        for (n, v) in headers {
            let name = header_name(&n).ok_or_else(|| {
                ClientError::InvalidArgument(format!("invalid header name {n:?}"))
            })?;
            // From the owned string: the value keeps its buffer instead of being copied.
            let value = HeaderValue::try_from(v).map_err(|_| {
                ClientError::InvalidArgument(format!("header {n} has a value that cannot be sent"))
            })?;
            req = req.header(name, value);
        }
        req = match &call.body {
            Some(b) => req.body(b.clone()),
            // The SDK sends `Content-Length: 0` on body-less POST/PUT/PATCH; gateways may insist on a length.
            None if method != Method::GET && method != Method::DELETE => req
                .header(http::header::CONTENT_LENGTH, "0")
                .body(Vec::new()),
            None => req,
        };

        let started = Instant::now();
        let sent = tokio::select! {
            r = req.send() => r,
            _ = self.cancelled() => return Err(ClientError::Cancelled { operation: call.op }),
        };
        let outcome = match sent {
            Ok(resp) => {
                let status = resp.status().as_u16();
                let header = |name: &str| {
                    resp.headers()
                        .get(name)
                        .and_then(|v| v.to_str().ok())
                        .map(|s| s.trim().to_string())
                };
                let request_id = header("x-request-id");
                let retry_after =
                    header("retry-after").and_then(|v| parse_retry_after(&v, SystemTime::now()));
                let body = tokio::select! {
                    b = resp.bytes() => b,
                    _ = self.cancelled() => return Err(ClientError::Cancelled { operation: call.op }),
                };
                match body {
                    Ok(body) => Outcome::Reply(Reply {
                        status,
                        request_id,
                        retry_after,
                        // Takes the buffer over when it is not shared, instead of always copying.
                        body: Vec::from(body),
                    }),
                    Err(e) => Outcome::Transport(TransportFailure {
                        message: format!(
                            "reading the HTTP {status} response failed: {}",
                            error_chain(&e)
                        ),
                        timeout: e.is_timeout(),
                        connect: false,
                    }),
                }
            }
            Err(e) => Outcome::Transport(TransportFailure {
                message: error_chain(&e),
                timeout: e.is_timeout(),
                connect: e.is_connect(),
            }),
        };
        let took = started.elapsed();
        match &outcome {
            Outcome::Reply(r) => {
                *self
                    .last_request_id
                    .lock()
                    .unwrap_or_else(PoisonError::into_inner) = r.request_id.clone();
                logger.event(Level::Debug, || {
                    about("response")
                        .field("status", r.status)
                        .opt("request_id", r.request_id.as_deref())
                        .field("duration_ms", took)
                });
                logger.event(Level::Trace, || {
                    about("response body")
                        .field("status", r.status)
                        .opt("request_id", r.request_id.as_deref())
                        .field("body", redact_body(&r.body))
                });
            }
            Outcome::Transport(t) => logger.event(Level::Debug, || {
                about("no answer")
                    .field("error", t.message.as_str())
                    .field("duration_ms", took)
            }),
        }
        Ok(outcome)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn header_names_resolve_like_parsing_them() {
        for n in [
            "Content-Type",
            "User-Agent",
            "Host",
            "Authorization",
            "X-Sdk-Date",
            "x-project-id",
            "X-Security-Token",
            "X-Auth-Token",
            "X-Language",
            "X-Sdk-Content-Sha256",
        ] {
            assert_eq!(
                header_name(n),
                Some(HeaderName::from_bytes(n.as_bytes()).unwrap()),
                "{n}"
            );
        }
        assert_eq!(header_name("bad name"), None);
        assert_eq!(header_name(""), None);
    }
}
