//! The sink that turns the API client's log events into provider log lines (hclog JSON on stderr, module
//! `provider.terraform-provider-modelarts.client`), with the client's fields kept as structured fields.

use crate::client::{self, Event, FieldValue, Logger};
use crate::logging::{self, LogValue};

/// Sub-module of the client's lines: hclog's `Named("client")` under the provider's root module.
pub const CLIENT_MODULE: &str = "client";

/// A client for the active threshold gets this logger; when logging is off it is the discarding default, so
/// the client never even builds an event.
pub fn client_logger() -> Logger {
    logger_for(logging::level())
}

/// The logger for a given provider threshold (`None`: logging off).
pub fn logger_for(threshold: Option<logging::Level>) -> Logger {
    match threshold {
        None => Logger::default(),
        Some(level) => Logger::new(to_client(level), |level, event| {
            emit(from_client(level), event)
        }),
    }
}

fn to_client(level: logging::Level) -> client::Level {
    match level {
        logging::Level::Trace => client::Level::Trace,
        logging::Level::Debug => client::Level::Debug,
        logging::Level::Info => client::Level::Info,
        logging::Level::Warn => client::Level::Warn,
        logging::Level::Error => client::Level::Error,
    }
}

fn from_client(level: client::Level) -> logging::Level {
    match level {
        client::Level::Trace => logging::Level::Trace,
        client::Level::Debug => logging::Level::Debug,
        client::Level::Info => logging::Level::Info,
        client::Level::Warn => logging::Level::Warn,
        client::Level::Error => logging::Level::Error,
    }
}

fn json(value: &FieldValue) -> serde_json::Value {
    match value {
        FieldValue::Str(s) => serde_json::Value::String(s.clone()),
        FieldValue::Int(i) => serde_json::Value::from(*i),
        FieldValue::Bool(b) => serde_json::Value::Bool(*b),
        FieldValue::Duration(d) => d.to_log_value(),
    }
}

/// Calls `with` with the event's fields in the form the logging API takes.
fn with_fields<R>(event: &Event, with: impl FnOnce(&[(&str, &dyn LogValue)]) -> R) -> R {
    let values: Vec<(&str, serde_json::Value)> =
        event.fields.iter().map(|(k, v)| (*k, json(v))).collect();
    let refs: Vec<(&str, &dyn LogValue)> = values
        .iter()
        .map(|(k, v)| (*k, v as &dyn LogValue))
        .collect();
    with(&refs)
}

fn emit(level: logging::Level, event: &Event) {
    with_fields(event, |fields| {
        logging::emit(level, Some(CLIENT_MODULE), &event.message, fields)
    });
}

/// The line [`client_logger`] writes for `event`, without the newline (the sink's output, for tests).
pub fn render(now: time::OffsetDateTime, level: client::Level, event: &Event) -> String {
    with_fields(event, |fields| {
        logging::render_line(
            now,
            from_client(level),
            Some(CLIENT_MODULE),
            &event.message,
            fields,
        )
    })
}

#[cfg(test)]
mod tests {
    use std::time::Duration;

    use super::*;

    fn now() -> time::OffsetDateTime {
        time::macros::datetime!(2026-11-28 08:30:00.000012 UTC)
    }

    fn parse(line: &str) -> serde_json::Value {
        serde_json::from_str(line).unwrap()
    }

    #[test]
    fn threshold_maps_to_the_client_and_off_builds_nothing() {
        let off = logger_for(None);
        assert!(!off.enabled(client::Level::Error));
        off.event(client::Level::Error, || panic!("must not be built"));

        let info = logger_for(Some(logging::Level::Info));
        assert!(info.enabled(client::Level::Info) && info.enabled(client::Level::Error));
        assert!(!info.enabled(client::Level::Debug));
        info.event(client::Level::Debug, || panic!("must not be built"));

        let trace = logger_for(Some(logging::Level::Trace));
        assert!(trace.enabled(client::Level::Trace));
        for l in [
            logging::Level::Trace,
            logging::Level::Debug,
            logging::Level::Info,
            logging::Level::Warn,
            logging::Level::Error,
        ] {
            assert_eq!(from_client(to_client(l)), l);
        }
    }

    #[test]
    fn events_become_hclog_lines_with_structured_fields() {
        let event = Event::new("response")
            .field("method", "PUT")
            .field("path", "/v1/p/notebooks/nb-1")
            .field("notebook_id", "nb-1")
            .field("attempt", 2u32)
            .field("status", 200u16)
            .field("request_id", "req-42")
            .field("duration_ms", Duration::from_micros(12_345))
            .field("hot", false);
        let line = render(now(), client::Level::Debug, &event);
        let v = parse(&line);
        assert_eq!(v["@level"], "debug");
        assert_eq!(v["@message"], "response");
        assert_eq!(v["@module"], "provider.terraform-provider-modelarts.client");
        assert_eq!(v["@timestamp"], "2026-11-28T08:30:00.000012Z");
        assert_eq!(v["method"], "PUT");
        assert_eq!(v["notebook_id"], "nb-1");
        assert_eq!(v["attempt"], 2);
        assert_eq!(v["status"], 200);
        assert_eq!(v["request_id"], "req-42");
        assert_eq!(v["duration_ms"], "12.345");
        assert_eq!(v["hot"], false);
        assert_eq!(
            parse(&render(now(), client::Level::Trace, &event))["@level"],
            "trace"
        );
    }

    #[test]
    fn secrets_in_events_are_redacted() {
        let sk = "sink-test-secret-key-0123456789";
        logging::register_secret(sk);
        let event = Event::new(format!("signature check failed for {sk}"))
            .field("x_auth_token", "iam-token-in-a-field-9876")
            .field("Authorization", "SDK-HMAC-SHA256 Signature=abc")
            .field("error", format!("the key {sk} was refused"))
            .field("body", r#"{"token":"<redacted>","id":"nb-1"}"#);
        let line = render(now(), client::Level::Trace, &event);
        for leaked in [sk, "iam-token-in-a-field-9876", "Signature=abc"] {
            assert!(!line.contains(leaked), "{leaked} leaked: {line}");
        }
        let v = parse(&line);
        assert_eq!(v["@message"], "signature check failed for <redacted>");
        assert_eq!(v["x_auth_token"], "<redacted>");
        assert_eq!(v["Authorization"], "<redacted>");
        assert_eq!(v["error"], "the key <redacted> was refused");
        assert_eq!(v["body"], r#"{"token":"<redacted>","id":"nb-1"}"#);
    }
}
