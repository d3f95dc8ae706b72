//! Injected faults: the next N API requests matching a method and path pattern fail in a chosen way.

use serde::{Deserialize, Serialize};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Mutex;

/// What happens to a matching request.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum FaultAction {
    /// Answer `status` with `error_code`/`error_msg`; the operation does not happen.
    Error,
    /// Only wait `delay_ms`, then process normally.
    Delay,
    /// Close the connection without an answer; the operation does not happen.
    DropBefore,
    /// Process the request (the operation happens), then close the connection without an answer.
    DropAfter,
}

/// Body of `POST /_emulator/faults`.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FaultSpec {
    /// HTTP method, case-insensitive; absent or `*` matches any.
    #[serde(default)]
    pub method: Option<String>,
    /// Glob over the raw request path: `*` matches within one segment, `**` across segments.
    #[serde(default)]
    pub path: Option<String>,
    /// Regular expression over the raw request path (alternative to `path`).
    #[serde(default)]
    pub path_regex: Option<String>,
    /// How many matching requests are affected; default 1.
    #[serde(default)]
    pub count: Option<u32>,
    pub action: FaultAction,
    #[serde(default)]
    pub status: Option<u16>,
    #[serde(default)]
    pub error_code: Option<String>,
    #[serde(default)]
    pub error_msg: Option<String>,
    /// Wait before acting (for every action).
    #[serde(default)]
    pub delay_ms: Option<u64>,
}

/// A registered fault as listed by `GET /_emulator/faults`.
#[derive(Debug, Clone, Serialize)]
pub struct Fault {
    pub id: u64,
    pub method: Option<String>,
    pub path: Option<String>,
    pub path_regex: Option<String>,
    pub remaining: u32,
    pub action: FaultAction,
    pub status: u16,
    pub error_code: String,
    pub error_msg: String,
    pub delay_ms: u64,
    #[serde(skip)]
    matcher: Option<regex::Regex>,
}

#[derive(Debug, thiserror::Error)]
pub enum FaultError {
    #[error("invalid path pattern: {0}")]
    Pattern(#[from] regex::Error),
    #[error("status must be 100..=599, got {0}")]
    Status(u16),
    #[error("give at most one of path and path_regex")]
    TwoPatterns,
}

/// The fault table. The request path checks an atomic counter first, so an empty table costs no lock.
#[derive(Debug, Default)]
pub struct Faults {
    armed: AtomicUsize,
    inner: Mutex<(u64, Vec<Fault>)>,
}

impl Faults {
    pub fn add(&self, spec: FaultSpec) -> Result<Fault, FaultError> {
        let regex_src = match (&spec.path, &spec.path_regex) {
            (Some(_), Some(_)) => return Err(FaultError::TwoPatterns),
            (Some(g), None) => Some(glob_to_regex(g)),
            (None, Some(r)) => Some(r.clone()),
            (None, None) => None,
        };
        let matcher = regex_src.map(|r| regex::Regex::new(&r)).transpose()?;
        let status = spec.status.unwrap_or(500);
        if !(100..=599).contains(&status) {
            return Err(FaultError::Status(status));
        }
        let mut g = self.lock();
        g.0 += 1;
        let fault = Fault {
            id: g.0,
            method: spec
                .method
                .filter(|m| m != "*")
                .map(|m| m.to_ascii_uppercase()),
            path: spec.path,
            path_regex: spec.path_regex,
            remaining: spec.count.unwrap_or(1),
            action: spec.action,
            status,
            error_code: spec
                .error_code
                .unwrap_or_else(|| "ModelArts.6102".to_string()),
            error_msg: spec
                .error_msg
                .unwrap_or_else(|| "Injected fault: internal error.".to_string()),
            delay_ms: spec.delay_ms.unwrap_or(0),
            matcher,
        };
        if fault.remaining > 0 {
            g.1.push(fault.clone());
            self.armed.store(g.1.len(), Ordering::Release);
        }
        Ok(fault)
    }

    /// Consume one use of the first fault matching this request.
    pub fn take(&self, method: &str, path: &str) -> Option<Fault> {
        if self.armed.load(Ordering::Acquire) == 0 {
            return None;
        }
        let mut g = self.lock();
        let idx = g.1.iter().position(|f| {
            f.method
                .as_deref()
                .map_or(true, |m| m.eq_ignore_ascii_case(method))
                && f.matcher.as_ref().map_or(true, |r| r.is_match(path))
        })?;
        let f = &mut g.1[idx];
        f.remaining -= 1;
        let taken = f.clone();
        if f.remaining == 0 {
            g.1.remove(idx);
        }
        self.armed.store(g.1.len(), Ordering::Release);
        Some(taken)
    }

    pub fn list(&self) -> Vec<Fault> {
        self.lock().1.clone()
    }

    pub fn clear(&self) {
        let mut g = self.lock();
        g.1.clear();
        self.armed.store(0, Ordering::Release);
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, (u64, Vec<Fault>)> {
        self.inner.lock().unwrap_or_else(|p| p.into_inner())
    }
}

/// Anchored regex for a path glob: `**` spans segments, `*` stays inside one, `?` is one character.
fn glob_to_regex(glob: &str) -> String {
    let mut out = String::from("^");
    let mut chars = glob.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '*' if chars.peek() == Some(&'*') => {
                chars.next();
                out.push_str(".*");
            }
            '*' => out.push_str("[^/]*"),
            '?' => out.push_str("[^/]"),
            c => out.push_str(&regex::escape(&c.to_string())),
        }
    }
    out.push('$');
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn spec(method: Option<&str>, path: Option<&str>, count: u32) -> FaultSpec {
        FaultSpec {
            method: method.map(str::to_string),
            path: path.map(str::to_string),
            path_regex: None,
            count: Some(count),
            action: FaultAction::Error,
            status: Some(503),
            error_code: None,
            error_msg: None,
            delay_ms: None,
        }
    }

    #[test]
    fn glob_matching_and_counting() {
        let f = Faults::default();
        f.add(spec(Some("put"), Some("/v1/*/notebooks/*"), 2))
            .unwrap();
        assert!(f.take("GET", "/v1/p/notebooks/x").is_none());
        assert!(f.take("PUT", "/v1/p/notebooks/x/start").is_none());
        assert_eq!(f.take("PUT", "/v1/p/notebooks/x").unwrap().remaining, 1);
        assert_eq!(f.take("PUT", "/v1/p/notebooks/y").unwrap().status, 503);
        assert!(f.take("PUT", "/v1/p/notebooks/x").is_none());
        assert!(f.list().is_empty());
    }

    #[test]
    fn double_star_and_regex() {
        let f = Faults::default();
        f.add(spec(None, Some("/v1/**"), 1)).unwrap();
        assert!(f.take("DELETE", "/v1/p/notebooks/x/lease").is_some());
        let mut s = spec(Some("*"), None, 1);
        s.path_regex = Some("start$".into());
        f.add(s).unwrap();
        assert!(f.take("POST", "/v1/p/notebooks/x/stop").is_none());
        assert!(f.take("POST", "/v1/p/notebooks/x/start").is_some());
        let mut bad = spec(None, Some("/a"), 1);
        bad.path_regex = Some("b".into());
        assert!(matches!(f.add(bad), Err(FaultError::TwoPatterns)));
        assert!(matches!(f.add(spec(None, None, 1)).map(|_| ()), Ok(())));
        f.clear();
        assert!(f.take("GET", "/").is_none());
    }
}
