//! A minimal logging hook: the client emits plain lines and the embedding code (the provider's hclog sink, a
//! test) decides where they go. Secrets are redacted before a line is built.

use std::fmt;
use std::sync::Arc;

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Level {
    Trace,
    Debug,
    Info,
    Warn,
    Error,
}

type Sink = dyn Fn(Level, &str) + Send + Sync;

/// Where the client's log lines go. The default discards them.
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
    /// Sends every line at `min` or above to `sink`.
    pub fn new(min: Level, sink: impl Fn(Level, &str) + Send + Sync + 'static) -> Self {
        Logger {
            sink: Some(Arc::new(sink)),
            min: Some(min),
        }
    }

    pub fn enabled(&self, level: Level) -> bool {
        self.sink.is_some() && self.min.is_some_and(|m| level >= m)
    }

    /// Builds the line only when it will be written, so TRACE bodies cost nothing when off.
    pub fn log(&self, level: Level, line: impl FnOnce() -> String) {
        if let (Some(sink), true) = (&self.sink, self.enabled(level)) {
            sink(level, &line());
        }
    }
}

#[cfg(test)]
pub(crate) mod capture {
    use super::*;
    use std::sync::Mutex;

    pub type Lines = Arc<Mutex<Vec<(Level, String)>>>;

    /// A logger that keeps every line, for assertions.
    pub fn logger() -> (Logger, Lines) {
        let lines = Arc::new(Mutex::new(Vec::new()));
        let sink = lines.clone();
        let logger = Logger::new(Level::Trace, move |lvl, line| {
            if let Ok(mut v) = sink.lock() {
                v.push((lvl, line.to_string()));
            }
        });
        (logger, lines)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn filters_by_level_and_skips_building_lines() {
        let (l, lines) = capture::logger();
        l.log(Level::Debug, || "kept".into());
        assert_eq!(lines.lock().unwrap().len(), 1);
        let quiet = Logger::new(Level::Info, |_, _| {});
        assert!(!quiet.enabled(Level::Debug));
        quiet.log(Level::Debug, || panic!("must not be built"));
        Logger::default().log(Level::Error, || panic!("must not be built"));
    }
}
