//! Secret redaction for logs and Debug output: auth headers and the notebook `token` field.

use std::fmt;

use serde::{Deserialize, Serialize};
use serde_json::Value;

pub const REDACTED: &str = "<redacted>";

/// A secret string (the notebook `token`): serialises as itself, prints as `<redacted>` in Debug and Display.
#[derive(Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(transparent)]
pub struct Sensitive(String);

impl Sensitive {
    pub fn new(s: impl Into<String>) -> Self {
        Sensitive(s.into())
    }

    /// The secret itself; call only where it must leave the process (state, the wire).
    pub fn expose(&self) -> &str {
        &self.0
    }

    /// The secret itself, by value; the same rule as [`Sensitive::expose`].
    pub fn into_exposed(self) -> String {
        self.0
    }
}

impl From<String> for Sensitive {
    fn from(s: String) -> Self {
        Sensitive(s)
    }
}

impl fmt::Debug for Sensitive {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(REDACTED)
    }
}

impl fmt::Display for Sensitive {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(REDACTED)
    }
}

/// Headers whose values are credentials.
pub fn is_secret_header(name: &str) -> bool {
    ["authorization", "x-auth-token", "x-security-token"]
        .iter()
        .any(|s| name.eq_ignore_ascii_case(s))
}

/// JSON object keys whose values are secrets wherever they appear (the notebook `token`, credentials).
pub fn is_secret_field(name: &str) -> bool {
    [
        "token",
        "security_token",
        "securitytoken",
        "secret",
        "sk",
        "secret_key",
        "password",
        "access_token",
    ]
    .iter()
    .any(|s| name.eq_ignore_ascii_case(s))
}

/// Replaces every secret field (at any depth) with `"<redacted>"`.
pub fn redact_json(value: &mut Value) {
    match value {
        Value::Object(map) => {
            for (k, v) in map.iter_mut() {
                if is_secret_field(k) && !v.is_null() {
                    *v = Value::String(REDACTED.to_string());
                } else {
                    redact_json(v);
                }
            }
        }
        Value::Array(items) => items.iter_mut().for_each(redact_json),
        _ => {}
    }
}

/// Renders a body for a TRACE log: JSON with secrets redacted, or a placeholder for anything that does not
/// parse (a non-JSON body could hold anything, so it is not echoed).
pub fn redact_body(bytes: &[u8]) -> String {
    if bytes.is_empty() {
        return String::new();
    }
    match serde_json::from_slice::<Value>(bytes) {
        Ok(mut v) => {
            redact_json(&mut v);
            v.to_string()
        }
        Err(_) => format!("<{} bytes, not JSON>", bytes.len()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn redacts_nested_token_fields_and_keeps_others() {
        let body = br#"{"id":"n1","token":"s3cr3t","items":[{"token":"t2","name":"a"}],"lease":{"duration":1}}"#;
        let out = redact_body(body);
        assert!(!out.contains("s3cr3t") && !out.contains("t2"), "{out}");
        assert!(
            out.contains("\"id\":\"n1\"") && out.contains("\"name\":\"a\""),
            "{out}"
        );
        assert_eq!(redact_body(b"plain secret"), "<12 bytes, not JSON>");
    }

    #[test]
    fn sensitive_hides_in_debug_but_serialises() {
        let s = Sensitive::new("tok123");
        assert_eq!(format!("{s:?} {s}"), "<redacted> <redacted>");
        assert_eq!(serde_json::to_string(&s).unwrap(), "\"tok123\"");
        assert_eq!(s.expose(), "tok123");
    }

    #[test]
    fn secret_headers() {
        for h in ["Authorization", "X-Auth-Token", "x-security-token"] {
            assert!(is_secret_header(h));
        }
        assert!(!is_secret_header("X-Project-Id"));
    }
}
