//! The error body of ModelArts and the API gateway (notebook-api.md §6.1), read the way the SDK reads it.

use serde::{Deserialize, Serialize};
use serde_json::Value;

/// `{"error_code": "...", "error_msg": "...", "request_id": "..."}`. Parsing also accepts `errorCode`/`errorMsg`
/// and `code`/`message`, at the top level or in a nested object. Serialising writes the snake_case form.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(from = "Value")]
pub struct ErrorBody {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub error_code: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub error_msg: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub request_id: Option<String>,
}

const PAIRS: [(&str, &str); 3] = [
    ("error_code", "error_msg"),
    ("errorCode", "errorMsg"),
    ("code", "message"),
];

fn text(v: &Value) -> Option<String> {
    match v {
        Value::String(s) => Some(s.clone()),
        Value::Number(n) => Some(n.to_string()),
        _ => None,
    }
}

fn find_pair(v: &Value, depth: u8) -> Option<(Option<String>, Option<String>)> {
    let obj = v.as_object()?;
    for (c, m) in PAIRS {
        let code = obj.get(c).and_then(text);
        let msg = obj.get(m).and_then(text);
        if code.is_some() || msg.is_some() {
            return Some((code, msg));
        }
    }
    if depth == 0 {
        return None;
    }
    obj.values().find_map(|inner| find_pair(inner, depth - 1))
}

impl From<Value> for ErrorBody {
    fn from(v: Value) -> Self {
        let (error_code, error_msg) = find_pair(&v, 2).unwrap_or((None, None));
        let request_id = v
            .as_object()
            .and_then(|o| o.get("request_id").or_else(|| o.get("requestId")))
            .and_then(text);
        ErrorBody {
            error_code,
            error_msg,
            request_id,
        }
    }
}

impl ErrorBody {
    pub fn new(code: impl Into<String>, msg: impl Into<String>) -> Self {
        ErrorBody {
            error_code: Some(code.into()),
            error_msg: Some(msg.into()),
            request_id: None,
        }
    }

    /// Reads an error response body. A body that is not JSON, or JSON without a known pair, becomes the
    /// message, with the HTTP status as the code (as the SDK does).
    pub fn from_response(http_status: u16, body: &[u8]) -> Self {
        let parsed = serde_json::from_slice::<Value>(body)
            .ok()
            .map(ErrorBody::from);
        match parsed {
            Some(b) if b.error_code.is_some() || b.error_msg.is_some() => b,
            other => {
                let text = String::from_utf8_lossy(body).trim().to_string();
                ErrorBody {
                    error_code: Some(http_status.to_string()),
                    error_msg: (!text.is_empty()).then_some(text),
                    request_id: other.and_then(|b| b.request_id),
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_each_spelling() {
        let b = ErrorBody::from_response(
            400,
            br#"{"error_code":"ModelArts.6309","error_msg":"The instance does not exist."}"#,
        );
        assert_eq!(
            b,
            ErrorBody::new("ModelArts.6309", "The instance does not exist.")
        );
        let b = ErrorBody::from_response(
            401,
            br#"{"errorCode":"APIGW.0301","errorMsg":"x","request_id":"r1"}"#,
        );
        assert_eq!(b.error_code.as_deref(), Some("APIGW.0301"));
        assert_eq!(b.request_id.as_deref(), Some("r1"));
        let b = ErrorBody::from_response(500, br#"{"code":500,"message":"boom"}"#);
        assert_eq!(b.error_code.as_deref(), Some("500"));
        assert_eq!(b.error_msg.as_deref(), Some("boom"));
        let b = ErrorBody::from_response(400, br#"{"error":{"code":"X.1","message":"nested"}}"#);
        assert_eq!(b, ErrorBody::new("X.1", "nested"));
    }

    #[test]
    fn non_json_body_becomes_the_message() {
        let b = ErrorBody::from_response(502, b"<html>Bad Gateway</html>");
        assert_eq!(b, ErrorBody::new("502", "<html>Bad Gateway</html>"));
        let b = ErrorBody::from_response(503, b"");
        assert_eq!(b.error_code.as_deref(), Some("503"));
        assert_eq!(b.error_msg, None);
    }

    #[test]
    fn serialises_snake_case_without_nulls() {
        let json = serde_json::to_string(&ErrorBody::new("ModelArts.6309", "gone")).unwrap();
        assert_eq!(
            json,
            r#"{"error_code":"ModelArts.6309","error_msg":"gone"}"#
        );
    }
}
