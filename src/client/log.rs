//! A minimal logging hook: the client emits events (a short message plus structured fields) and the embedding
//! code (the provider's hclog sink, a test) decides where they go. Secrets are redacted before an event is built.

use std::fmt;
use std::sync::Arc;
use std::time::Duration;

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Level {
    Trace,
    Debug,
    Info,
    Warn,
    Error,
}

/// The value of one event field.
#[derive(Debug, Clone, PartialEq)]
pub enum FieldValue {
    Str(String),
    Int(i64),
    Bool(bool),
    Duration(Duration),
}

impl fmt::Display for FieldValue {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            FieldValue::Str(s) => f.write_str(s),
            FieldValue::Int(i) => write!(f, "{i}"),
            FieldValue::Bool(b) => write!(f, "{b}"),
            FieldValue::Duration(d) => write!(f, "{}", d.as_millis()),
        }
    }
}

impl From<&str> for FieldValue {
    fn from(s: &str) -> Self {
        FieldValue::Str(s.to_string())
    }
}

impl From<String> for FieldValue {
    fn from(s: String) -> Self {
        FieldValue::Str(s)
    }
}

impl From<bool> for FieldValue {
    fn from(b: bool) -> Self {
        FieldValue::Bool(b)
    }
}

impl From<Duration> for FieldValue {
    fn from(d: Duration) -> Self {
        FieldValue::Duration(d)
    }
}

macro_rules! int_field {
    ($($t:ty),*) => {$(
        impl From<$t> for FieldValue {
            fn from(i: $t) -> Self {
                FieldValue::Int(i64::from(i))
            }
        }
    )*};
}
int_field!(u8, u16, u32, i32, i64);

impl From<u64> for FieldValue {
    fn from(i: u64) -> Self {
        FieldValue::Int(i64::try_from(i).unwrap_or(i64::MAX))
    }
}

/// One log line: what happened, and the facts as `key = value` fields (method, status, request_id, …).
#[derive(Debug, Clone, PartialEq)]
pub struct Event {
    pub message: String,
    pub fields: Vec<(&'static str, FieldValue)>,
}

impl Event {
    pub fn new(message: impl Into<String>) -> Self {
        Event {
            message: message.into(),
            fields: Vec::new(),
        }
    }

    pub fn field(mut self, key: &'static str, value: impl Into<FieldValue>) -> Self {
        self.fields.push((key, value.into()));
        self
    }

    /// Adds the field only when there is a value: an absent request id is left out, not shown empty.
    pub fn opt(self, key: &'static str, value: Option<impl Into<FieldValue>>) -> Self {
        match value {
            Some(v) => self.field(key, v),
            None => self,
        }
    }

    pub fn get(&self, key: &str) -> Option<&FieldValue> {
        self.fields.iter().find(|(k, _)| *k == key).map(|(_, v)| v)
    }
}

/// `message key=value …`, the shape hclog gives the line in Terraform's log.
impl fmt::Display for Event {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)?;
        for (k, v) in &self.fields {
            write!(f, " {k}={v}")?;
        }
        Ok(())
    }
}

type Sink = dyn Fn(Level, &Event) + Send + Sync;

/// Where the client's log events go. The default discards them.
#[derive(Clone, Default)]
pub struct Logger {
    sink: Option<Arc<Sink>>,
    min: Option<Level>,
}

impl fmt::Debug for Logger {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Logger")
            .field("enabled", &self.sink.is_some())
            .field("min", &self.min)
            .finish()
    }
}

impl Logger {
    /// Sends every event at `min` or above to `sink`.
    pub fn new(min: Level, sink: impl Fn(Level, &Event) + Send + Sync + 'static) -> Self {
        Logger {
            sink: Some(Arc::new(sink)),
            min: Some(min),
        }
    }

    pub fn enabled(&self, level: Level) -> bool {
        self.sink.is_some() && self.min.is_some_and(|m| level >= m)
    }

    /// Builds the event only when it will be written, so TRACE bodies cost nothing when off.
    pub fn event(&self, level: Level, event: impl FnOnce() -> Event) {
        if let (Some(sink), true) = (&self.sink, self.enabled(level)) {
            sink(level, &event());
        }
    }

    /// A message without fields.
    pub fn log(&self, level: Level, line: impl FnOnce() -> String) {
        self.event(level, || Event::new(line()));
    }
}

#[cfg(test)]
pub(crate) mod capture {
    use super::*;
    use std::sync::Mutex;

    pub type Lines = Arc<Mutex<Vec<(Level, String)>>>;

    /// A logger that keeps every event rendered as `message key=value …`, for assertions.
    pub fn logger() -> (Logger, Lines) {
        let lines = Arc::new(Mutex::new(Vec::new()));
        let sink = lines.clone();
        let logger = Logger::new(Level::Trace, move |lvl, event| {
            if let Ok(mut v) = sink.lock() {
                v.push((lvl, event.to_string()));
            }
        });
        (logger, lines)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn filters_by_level_and_skips_building_events() {
        let (l, lines) = capture::logger();
        l.log(Level::Debug, || "kept".into());
        assert_eq!(lines.lock().unwrap().len(), 1);
        let quiet = Logger::new(Level::Info, |_, _| {});
        assert!(!quiet.enabled(Level::Debug));
        quiet.log(Level::Debug, || panic!("must not be built"));
        quiet.event(Level::Debug, || panic!("must not be built"));
        Logger::default().log(Level::Error, || panic!("must not be built"));
    }

    #[test]
    fn events_carry_typed_fields() {
        let e = Event::new("response")
            .field("status", 200u16)
            .field("duration_ms", Duration::from_millis(12))
            .opt("request_id", Some("req-1"))
            .opt("notebook_id", None::<&str>);
        assert_eq!(e.get("status"), Some(&FieldValue::Int(200)));
        assert_eq!(e.get("notebook_id"), None);
        assert_eq!(
            e.to_string(),
            "response status=200 duration_ms=12 request_id=req-1"
        );
        assert_eq!(FieldValue::from(u64::MAX), FieldValue::Int(i64::MAX));
    }
}
