//! The `modelarts-emulator` binary as a separate process (as a user runs it), driven through its control plane:
//! reset, settings, and the request journal the API-call counts come from.

use std::io::BufRead;
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::time::Duration;

use serde::Deserialize;

use crate::BoxError;

/// The journal fields the benchmark reads.
#[derive(Debug, Clone, Deserialize)]
pub struct Call {
    pub time_ms: i64,
    pub method: String,
    pub path: String,
    pub status: u16,
}

impl Call {
    /// `GET`, `POST`, `POST /start`, `POST /stop`, `PUT`, `DELETE`: the notebook action, ids elided.
    pub fn kind(&self) -> String {
        let tail = self
            .path
            .rsplit_once("/notebooks")
            .map(|(_, t)| t)
            .unwrap_or_default();
        match tail.rsplit('/').next() {
            Some(action @ ("start" | "stop" | "lease")) => format!("{} /{action}", self.method),
            _ => self.method.clone(),
        }
    }
}

pub struct EmulatorProcess {
    child: Child,
    pub base_url: String,
    http: reqwest::Client,
    rt: tokio::runtime::Runtime,
}

impl EmulatorProcess {
    pub fn start(
        binary: &Path,
        transition_ms: u64,
        log: &Path,
    ) -> Result<EmulatorProcess, BoxError> {
        let mut child = Command::new(binary)
            .args(["--listen", "127.0.0.1:0", "--journal-capacity", "100000"])
            .arg("--transition-ms")
            .arg(transition_ms.to_string())
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::from(std::fs::File::create(log)?))
            .spawn()?;
        let stdout = child.stdout.take().ok_or("no emulator stdout")?;
        let mut line = String::new();
        std::io::BufReader::new(stdout).read_line(&mut line)?;
        let base_url = line.trim().to_string();
        if !base_url.starts_with("http://") {
            let _ = child.kill();
            return Err(format!("emulator printed {line:?} instead of its base URL").into());
        }
        let rt = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()?;
        let http = reqwest::Client::builder()
            .no_proxy()
            .timeout(Duration::from_secs(30))
            .build()?;
        Ok(EmulatorProcess {
            child,
            base_url,
            http,
            rt,
        })
    }

    pub fn pid(&self) -> u32 {
        self.child.id()
    }

    fn control(
        &self,
        method: reqwest::Method,
        path: &str,
        body: Option<serde_json::Value>,
    ) -> Result<String, BoxError> {
        let url = format!("{}/_emulator/{path}", self.base_url);
        self.rt.block_on(async {
            let mut req = self.http.request(method, &url);
            if let Some(b) = body {
                req = req.json(&b);
            }
            let resp = req.send().await?;
            let status = resp.status();
            let text = resp.text().await?;
            if !status.is_success() {
                return Err::<_, BoxError>(format!("{url}: {status}: {text}").into());
            }
            Ok(text)
        })
    }

    /// Drops all notebooks and the journal; settings are kept.
    pub fn reset(&self) -> Result<(), BoxError> {
        self.control(reqwest::Method::POST, "reset", None)
            .map(|_| ())
    }

    /// `PUT /_emulator/settings` with any subset, e.g. `{"transition_ms": 0, "update_policy": "hot"}`.
    pub fn settings(&self, patch: serde_json::Value) -> Result<(), BoxError> {
        self.control(reqwest::Method::PUT, "settings", Some(patch))
            .map(|_| ())
    }

    pub fn clear_journal(&self) -> Result<(), BoxError> {
        self.control(reqwest::Method::DELETE, "requests", None)
            .map(|_| ())
    }

    pub fn journal(&self) -> Result<Vec<Call>, BoxError> {
        let text = self.control(reqwest::Method::GET, "requests", None)?;
        Ok(serde_json::from_str(&text)?)
    }
}

impl Drop for EmulatorProcess {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}
