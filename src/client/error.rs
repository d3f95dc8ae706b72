//! The client's one error type and the classifications the notebook resource acts on (notebook-api.md §6.4).

use std::fmt;
use std::time::Duration;

/// An error answer from ModelArts or its gateway.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ApiError {
    pub status: u16,
    pub error_code: Option<String>,
    pub error_msg: Option<String>,
    /// From the `X-Request-Id` header, else the body's `request_id`.
    pub request_id: Option<String>,
    pub operation: &'static str,
    pub notebook_id: Option<String>,
}

const NOT_FOUND: [&str; 2] = ["ModelArts.6309", "ModelArts.6404"];
const BUSY_OR_IN_TARGET: [&str; 6] = [
    "ModelArts.6357",
    "ModelArts.6305",
    "ModelArts.6306",
    "ModelArts.6307",
    "ModelArts.6308",
    "ModelArts.6355",
];
const MUST_STOP: [&str; 2] = ["ModelArts.6304", "ModelArts.6347"];
const QUOTA: [&str; 2] = ["ModelArts.6302", "ModelArts.0113"];
const THROTTLED: [&str; 1] = ["ModelArts.6101"];

impl ApiError {
    fn code_in(&self, set: &[&str]) -> bool {
        self.error_code.as_deref().is_some_and(|c| set.contains(&c))
    }

    /// Gone: 404, or 400 with ModelArts.6309 / 6404.
    pub fn is_not_found(&self) -> bool {
        self.status == 404 || (self.status == 400 && self.code_in(&NOT_FOUND))
    }

    /// Another operation is running, or the instance is already in the requested state. Never "gone".
    pub fn is_busy_or_in_target_state(&self) -> bool {
        self.code_in(&BUSY_OR_IN_TARGET)
    }

    /// Delete of a running instance (6304) or update while not stopped (6347).
    pub fn must_stop_first(&self) -> bool {
        self.code_in(&MUST_STOP)
    }

    pub fn is_quota(&self) -> bool {
        self.code_in(&QUOTA)
    }

    pub fn is_auth(&self) -> bool {
        self.status == 401 || self.status == 403
    }

    pub fn is_throttled(&self) -> bool {
        self.status == 429 || self.code_in(&THROTTLED)
    }

    fn summary(&self) -> String {
        let what = match &self.notebook_id {
            Some(id) => format!("notebook {id}"),
            None => "request".to_string(),
        };
        if self.is_not_found() {
            format!("{what} not found")
        } else if self.is_auth() {
            format!("{} denied: check the access key, secret key, token and project ID, and the machine clock (signatures more than 15 minutes off are rejected)", self.operation)
        } else if self.must_stop_first() {
            format!(
                "{} of {what} needs the instance to be stopped first",
                self.operation
            )
        } else if self.is_busy_or_in_target_state() {
            format!("{what} is busy or already in the requested state")
        } else if self.is_quota() {
            format!("{} failed: quota exhausted", self.operation)
        } else if self.is_throttled() {
            format!(
                "{} throttled by ModelArts; retries exhausted",
                self.operation
            )
        } else {
            format!("{} of {what} failed", self.operation)
        }
    }
}

impl fmt::Display for ApiError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let code = self
            .error_code
            .clone()
            .unwrap_or_else(|| format!("HTTP {}", self.status));
        write!(f, "{code}: {}", self.summary())?;
        if let Some(msg) = self.error_msg.as_deref().filter(|m| !m.is_empty()) {
            write!(f, ": {msg}")?;
        }
        write!(f, " (HTTP {}", self.status)?;
        if let Some(rid) = &self.request_id {
            write!(f, ", request {rid}")?;
        }
        f.write_str(")")
    }
}

/// Everything a client call can fail with.
#[derive(Debug, Clone, thiserror::Error)]
pub enum ClientError {
    #[error("{0}")]
    Api(ApiError),
    /// No answer: connection failure, reset, TLS error or timeout.
    #[error("{operation}{}: {message}{}", .notebook_id.as_deref().map(|i| format!(" of notebook {i}")).unwrap_or_default(), if *.timeout { " (timed out)" } else { "" })]
    Transport {
        operation: &'static str,
        notebook_id: Option<String>,
        message: String,
        timeout: bool,
        /// The connection could not be established, so the request was provably never sent.
        connect: bool,
    },
    /// A 2xx answer whose body did not parse.
    #[error("{operation}: unexpected response body: {message}{}", .request_id.as_deref().map(|r| format!(" (request {r})")).unwrap_or_default())]
    Decode {
        operation: &'static str,
        message: String,
        request_id: Option<String>,
    },
    #[error("{operation} cancelled")]
    Cancelled { operation: &'static str },
    /// A create whose outcome is unknown could not be matched to exactly one instance.
    #[error("creating notebook {name:?}: the outcome is unknown ({cause}) and {}; check the ModelArts console before retrying, to avoid a duplicate instance", describe_candidates(.candidates))]
    AmbiguousCreate {
        name: String,
        cause: String,
        candidates: Vec<String>,
    },
    /// A wait ended in a failure status.
    #[error("notebook {notebook_id} is {status} while waiting for {target}{}{}", .fail_reason.as_deref().map(|r| format!(": {r}")).unwrap_or_default(), if .progress.is_empty() { String::new() } else { format!(" (progress: {})", .progress) })]
    WaitFailed {
        notebook_id: String,
        target: String,
        status: String,
        fail_reason: Option<String>,
        progress: String,
    },
    #[error("timed out after {}s waiting for notebook {notebook_id} to be {target} (last status {last_status})", .elapsed.as_secs())]
    WaitTimeout {
        notebook_id: String,
        target: String,
        last_status: String,
        elapsed: Duration,
    },
    #[error("invalid ModelArts client configuration: {0}")]
    Config(String),
    #[error("invalid argument: {0}")]
    InvalidArgument(String),
}

fn describe_candidates(c: &[String]) -> String {
    if c.is_empty() {
        "no instance with that name was found".to_string()
    } else {
        format!("{} instances match ({})", c.len(), c.join(", "))
    }
}

impl ClientError {
    pub fn api(&self) -> Option<&ApiError> {
        match self {
            ClientError::Api(e) => Some(e),
            _ => None,
        }
    }

    pub fn is_not_found(&self) -> bool {
        self.api().is_some_and(ApiError::is_not_found)
    }

    pub fn is_busy_or_in_target_state(&self) -> bool {
        self.api().is_some_and(ApiError::is_busy_or_in_target_state)
    }

    pub fn must_stop_first(&self) -> bool {
        self.api().is_some_and(ApiError::must_stop_first)
    }

    pub fn is_quota(&self) -> bool {
        self.api().is_some_and(ApiError::is_quota)
    }

    pub fn is_auth(&self) -> bool {
        self.api().is_some_and(ApiError::is_auth)
    }

    pub fn is_throttled(&self) -> bool {
        self.api().is_some_and(ApiError::is_throttled)
    }

    pub fn is_timeout(&self) -> bool {
        matches!(
            self,
            ClientError::Transport { timeout: true, .. } | ClientError::WaitTimeout { .. }
        )
    }

    pub fn is_cancelled(&self) -> bool {
        matches!(self, ClientError::Cancelled { .. })
    }

    pub fn request_id(&self) -> Option<&str> {
        match self {
            ClientError::Api(e) => e.request_id.as_deref(),
            ClientError::Decode { request_id, .. } => request_id.as_deref(),
            _ => None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn api(status: u16, code: Option<&str>) -> ClientError {
        ClientError::Api(ApiError {
            status,
            error_code: code.map(str::to_string),
            error_msg: Some("msg".into()),
            request_id: Some("9f00".into()),
            operation: "show notebook",
            notebook_id: Some("1c2d".into()),
        })
    }

    #[test]
    fn classification_table() {
        assert!(api(400, Some("ModelArts.6309")).is_not_found());
        assert!(api(400, Some("ModelArts.6404")).is_not_found());
        assert!(api(404, Some("APIGW.0101")).is_not_found());
        assert!(api(404, None).is_not_found());
        // 6309 only means "gone" with 400; 6357 is never "gone".
        assert!(!api(500, Some("ModelArts.6309")).is_not_found());
        assert!(!api(400, Some("ModelArts.6357")).is_not_found());
        for c in ["6357", "6305", "6306", "6307", "6308", "6355"] {
            let e = api(400, Some(&format!("ModelArts.{c}")));
            assert!(e.is_busy_or_in_target_state(), "{c}");
            assert!(!e.must_stop_first(), "{c}");
        }
        assert!(!api(400, Some("ModelArts.6309")).is_busy_or_in_target_state());
        assert!(api(400, Some("ModelArts.6304")).must_stop_first());
        assert!(api(400, Some("ModelArts.6347")).must_stop_first());
        assert!(api(400, Some("ModelArts.6302")).is_quota());
        assert!(api(400, Some("ModelArts.0113")).is_quota());
        assert!(api(401, Some("APIGW.0301")).is_auth());
        assert!(api(403, Some("ModelArts.0108")).is_auth());
        assert!(!api(400, Some("ModelArts.0108")).is_auth());
        assert!(api(429, None).is_throttled());
        assert!(api(400, Some("ModelArts.6101")).is_throttled());
        let t = ClientError::Transport {
            operation: "show notebook",
            notebook_id: None,
            message: "reset".into(),
            timeout: true,
            connect: false,
        };
        assert!(t.is_timeout() && !t.is_not_found() && !t.is_auth());
    }

    #[test]
    fn display_is_actionable() {
        assert_eq!(
            api(400, Some("ModelArts.6309")).to_string(),
            "ModelArts.6309: notebook 1c2d not found: msg (HTTP 400, request 9f00)"
        );
        let s = api(401, Some("APIGW.0301")).to_string();
        assert!(
            s.starts_with("APIGW.0301: show notebook denied: check the access key"),
            "{s}"
        );
        assert!(s.ends_with("(HTTP 401, request 9f00)"), "{s}");
        let s = api(502, None).to_string();
        assert!(
            s.starts_with("HTTP 502: show notebook of notebook 1c2d failed"),
            "{s}"
        );
        let w = ClientError::WaitFailed {
            notebook_id: "n1".into(),
            target: "RUNNING".into(),
            status: "CREATE_FAILED".into(),
            fail_reason: Some("no capacity".into()),
            progress: "step 2 FAILED".into(),
        };
        assert_eq!(
            w.to_string(),
            "notebook n1 is CREATE_FAILED while waiting for RUNNING: no capacity (progress: step 2 FAILED)"
        );
    }
}
