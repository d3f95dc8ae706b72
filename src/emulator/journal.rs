//! Bounded request journal read by tests through `GET /_emulator/requests` or `Emulator::journal()`.

use axum::body::Bytes;
use serde::Serialize;
use serde_json::Value;
use std::collections::VecDeque;
use std::sync::Mutex;

/// Default number of entries kept; the oldest are dropped first.
pub const DEFAULT_CAPACITY: usize = 10_000;

/// One recorded request, as serialised in the control plane (a stable contract, see docs/emulator.md).
#[derive(Debug, Clone, Serialize)]
pub struct JournalEntry {
    pub seq: u64,
    pub time_ms: i64,
    pub request_id: String,
    pub method: String,
    /// Raw path as received (still percent-encoded).
    pub path: String,
    /// Raw query string as received, `""` when absent.
    pub query: String,
    /// Lower-case header names; secrets redacted; repeated headers joined with ", ".
    pub headers: serde_json::Map<String, Value>,
    /// The body parsed as JSON when it is JSON, else the text; null when empty.
    pub body: Value,
    /// The body exactly as received (lossy UTF-8), null when empty.
    pub body_text: Option<String>,
    pub status: u16,
    /// `error_code` of an error response, else null.
    pub error_code: Option<String>,
    /// Name of the injected fault applied to this request, if any.
    pub fault: Option<String>,
}

/// What the gateway captures before the response is known; rendered lazily so recording stays cheap.
/// Not `Debug`: the headers are unredacted until rendering.
#[derive(Clone)]
pub struct RawEntry {
    pub time_ms: i64,
    pub request_id: String,
    pub method: String,
    pub path: String,
    pub query: String,
    pub headers: http::HeaderMap,
    pub body: Bytes,
    pub status: u16,
    pub error_code: Option<String>,
    pub fault: Option<String>,
}

pub struct Journal {
    inner: Mutex<Inner>,
}

/// Entries hold raw headers (tokens included), so Debug shows only the size.
impl std::fmt::Debug for Journal {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Journal")
            .field("entries", &self.len())
            .finish()
    }
}

struct Inner {
    next_seq: u64,
    capacity: usize,
    entries: VecDeque<(u64, RawEntry)>,
}

impl Journal {
    pub fn new(capacity: usize) -> Self {
        Self {
            inner: Mutex::new(Inner {
                next_seq: 1,
                capacity: capacity.max(1),
                entries: VecDeque::new(),
            }),
        }
    }

    pub fn record(&self, e: RawEntry) {
        let mut g = lock(&self.inner);
        let seq = g.next_seq;
        g.next_seq += 1;
        if g.entries.len() >= g.capacity {
            g.entries.pop_front();
        }
        g.entries.push_back((seq, e));
    }

    /// All entries, oldest first.
    pub fn entries(&self) -> Vec<JournalEntry> {
        let raw: Vec<(u64, RawEntry)> = lock(&self.inner).entries.iter().cloned().collect();
        raw.into_iter().map(|(seq, e)| render(seq, e)).collect()
    }

    /// Forget the entries; sequence numbers keep increasing so a reader can tell a cleared journal apart.
    pub fn clear(&self) {
        lock(&self.inner).entries.clear();
    }

    pub fn len(&self) -> usize {
        lock(&self.inner).entries.len()
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
}

fn lock(m: &Mutex<Inner>) -> std::sync::MutexGuard<'_, Inner> {
    // A panic while holding this lock cannot leave the deque inconsistent, so the poison is ignored.
    m.lock().unwrap_or_else(|p| p.into_inner())
}

fn render(seq: u64, e: RawEntry) -> JournalEntry {
    let mut headers = serde_json::Map::new();
    for (k, v) in e.headers.iter() {
        let k = k.as_str().to_string();
        let v = redact(&k, &String::from_utf8_lossy(v.as_bytes()));
        match headers.get_mut(&k) {
            Some(Value::String(prev)) => {
                prev.push_str(", ");
                prev.push_str(&v);
            }
            _ => {
                headers.insert(k, Value::String(v));
            }
        }
    }
    let (body, body_text) = if e.body.is_empty() {
        (Value::Null, None)
    } else {
        let text = String::from_utf8_lossy(&e.body).into_owned();
        let parsed = serde_json::from_slice::<Value>(&e.body)
            .unwrap_or_else(|_| Value::String(text.clone()));
        (parsed, Some(text))
    };
    JournalEntry {
        seq,
        time_ms: e.time_ms,
        request_id: e.request_id,
        method: e.method,
        path: e.path,
        query: e.query,
        headers,
        body,
        body_text,
        status: e.status,
        error_code: e.error_code,
        fault: e.fault,
    }
}

/// Secrets never leave the emulator: tokens are replaced, the signature is cut from Authorization.
pub fn redact(name: &str, value: &str) -> String {
    match name {
        "x-auth-token" | "x-security-token" | "x-emulator-admin-token" => "<redacted>".to_string(),
        "authorization" => match value.find("Signature=") {
            Some(i) => format!("{}Signature=<redacted>", &value[..i]),
            None => "<redacted>".to_string(),
        },
        _ => value.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn raw(body: &str) -> RawEntry {
        RawEntry {
            time_ms: 1,
            request_id: "r".into(),
            method: "PUT".into(),
            path: "/p".into(),
            query: String::new(),
            headers: {
                let mut h = http::HeaderMap::new();
                let auth = "SDK-HMAC-SHA256 Access=AK, SignedHeaders=host, Signature=abcd";
                h.append("authorization", auth.parse().unwrap());
                h.append("x-security-token", "secret".parse().unwrap());
                h.append("accept", "a".parse().unwrap());
                h.append("accept", "b".parse().unwrap());
                h
            },
            body: Bytes::from(body.to_string()),
            status: 200,
            error_code: None,
            fault: None,
        }
    }

    #[test]
    fn bounded_and_ordered() {
        let j = Journal::new(2);
        for _ in 0..3 {
            j.record(raw(""));
        }
        let e = j.entries();
        assert_eq!(e.iter().map(|e| e.seq).collect::<Vec<_>>(), vec![2, 3]);
        j.clear();
        j.record(raw(""));
        assert_eq!(j.entries()[0].seq, 4);
    }

    #[test]
    fn redacts_and_parses() {
        let j = Journal::new(10);
        j.record(raw(r#"{"b":1,"a":null}"#));
        j.record(raw("not json"));
        let e = j.entries();
        let h = &e[0].headers;
        assert_eq!(
            h["authorization"],
            "SDK-HMAC-SHA256 Access=AK, SignedHeaders=host, Signature=<redacted>"
        );
        assert_eq!(h["x-security-token"], "<redacted>");
        assert_eq!(h["accept"], "a, b");
        assert_eq!(e[0].body_text.as_deref(), Some(r#"{"b":1,"a":null}"#));
        assert!(e[0].body["a"].is_null() && e[0].body.get("a").is_some());
        assert_eq!(e[1].body, Value::String("not json".into()));
        let none = Journal::new(1);
        none.record(raw(""));
        assert!(none.entries()[0].body.is_null());
    }
}
