//! hclog-compatible JSON logging on stderr, with secret redaction: the logging API every layer uses.
//!
//! go-plugin reads the provider's stderr line by line and parses hclog JSON lines (`@level`, `@message`,
//! `@timestamp` with exactly six fractional digits, any other key shown as `key=value`). Terraform only shows
//! them when `TF_LOG`/`TF_LOG_PROVIDER` is set, so when neither is set nothing is formatted or written at all.
//!
//! Use the macros: `log_info!("notebook created", id = id, status = status)` or, with a submodule,
//! `log_debug!(module: "client", "request sent", method = "POST")`. Field values implement [`LogValue`];
//! wrap anything `Display` in [`display`], and secrets in [`Secret`].
//!
//! Secrets are kept out of the output three ways: [`Secret`] renders as `<redacted>`; fields whose key names a
//! credential (`secret_key`, `token`, `authorization`, …) are redacted whatever their value; and every string
//! registered with [`register_secret`] is scrubbed from messages and values before a line is written.

use std::fmt;
use std::io::Write;
use std::sync::{OnceLock, RwLock};

/// The `@module` of every line; submodules append `.<name>` as hclog's `Named` does.
pub const ROOT_MODULE: &str = "provider.terraform-provider-modelarts";

/// What replaces a secret in log output and Debug/Display renderings.
pub const REDACTED: &str = "<redacted>";

/// Shortest secret worth scrubbing: shorter strings would blank out ordinary words.
const MIN_SECRET_LEN: usize = 4;

#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum Level {
    Trace,
    Debug,
    Info,
    Warn,
    Error,
}

impl Level {
    pub fn as_str(self) -> &'static str {
        match self {
            Level::Trace => "trace",
            Level::Debug => "debug",
            Level::Info => "info",
            Level::Warn => "warn",
            Level::Error => "error",
        }
    }
}

/// Parses a `TF_LOG`-style value. `None` means logging is off. Like Terraform, `json` means trace and an
/// unrecognised non-empty value also falls back to trace (Terraform warns and logs everything in that case).
pub fn parse_level(value: &str) -> Option<Level> {
    match value.trim().to_ascii_lowercase().as_str() {
        "" | "off" => None,
        "trace" | "json" => Some(Level::Trace),
        "debug" => Some(Level::Debug),
        "info" => Some(Level::Info),
        "warn" => Some(Level::Warn),
        "error" => Some(Level::Error),
        _ => Some(Level::Trace),
    }
}

/// The level from the environment: `TF_LOG_PROVIDER` wins over `TF_LOG`; unset or empty means off.
pub fn level_from_env() -> Option<Level> {
    let provider = std::env::var("TF_LOG_PROVIDER").unwrap_or_default();
    if !provider.trim().is_empty() {
        return parse_level(&provider);
    }
    parse_level(&std::env::var("TF_LOG").unwrap_or_default())
}

static LEVEL: OnceLock<Option<Level>> = OnceLock::new();

/// Fixes the threshold before the first line is logged (the binary does this for `--debug`). Returns false if
/// the level had already been decided, in which case the earlier decision stays.
pub fn set_level(level: Option<Level>) -> bool {
    LEVEL.set(level).is_ok()
}

/// The active threshold, read from the environment on first use.
pub fn level() -> Option<Level> {
    *LEVEL.get_or_init(level_from_env)
}

pub fn enabled(level: Level) -> bool {
    self::level().is_some_and(|threshold| level >= threshold)
}

// ---------------------------------------------------------------------------------------------------------------
// Secrets

/// A secret string: Debug, Display and log output show `<redacted>`; only [`Secret::expose`] gives the value.
/// Making one registers its value with [`register_secret`], so it is scrubbed from every later log line even
/// when some error text quotes it verbatim.
#[derive(Clone, Default, PartialEq, Eq)]
pub struct Secret(String);

impl Secret {
    pub fn new(value: impl Into<String>) -> Self {
        let value = value.into();
        register_secret(&value);
        Secret(value)
    }

    /// The real value, for signing or sending; never pass it to a log call or a format string.
    pub fn expose(&self) -> &str {
        &self.0
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }
}

impl fmt::Debug for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(REDACTED)
    }
}

impl fmt::Display for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(REDACTED)
    }
}

impl From<String> for Secret {
    fn from(value: String) -> Self {
        Secret::new(value)
    }
}

static SECRETS: RwLock<Vec<String>> = RwLock::new(Vec::new());

/// Registers a value to scrub from every later log line (message and fields), e.g. the configured secret key,
/// so that it cannot leak even through an error text that happens to quote it. Very short values are ignored.
pub fn register_secret(value: &str) {
    if value.len() < MIN_SECRET_LEN {
        return;
    }
    // A poisoned lock only means another thread panicked mid-push; the list itself is still usable.
    let mut secrets = SECRETS.write().unwrap_or_else(|e| e.into_inner());
    if !secrets.iter().any(|s| s == value) {
        secrets.push(value.to_owned());
    }
}

/// Replaces every registered secret in `text` with `<redacted>`.
pub fn scrub(text: &str) -> String {
    let secrets = SECRETS.read().unwrap_or_else(|e| e.into_inner());
    scrub_with(text, secrets.iter().map(String::as_str))
}

/// Replaces each of `secrets` in `text` with `<redacted>`, longest first so overlapping secrets leave no tail.
pub fn scrub_with<'a>(text: &str, secrets: impl IntoIterator<Item = &'a str>) -> String {
    let mut secrets: Vec<&str> = secrets
        .into_iter()
        .filter(|s| s.len() >= MIN_SECRET_LEN)
        .collect();
    secrets.sort_by_key(|s| std::cmp::Reverse(s.len()));
    let mut out = text.to_owned();
    for secret in secrets {
        if out.contains(secret) {
            out = out.replace(secret, REDACTED);
        }
    }
    out
}

/// True for field keys that name a credential; their values are never logged.
pub fn is_sensitive_key(key: &str) -> bool {
    const MARKERS: &[&str] = &[
        "secret",
        "token",
        "password",
        "passwd",
        "authorization",
        "credential",
        "private_key",
        "signature",
        "cookie",
    ];
    let key = key.to_ascii_lowercase().replace('-', "_");
    key == "sk" || MARKERS.iter().any(|m| key.contains(m))
}

// ---------------------------------------------------------------------------------------------------------------
// Field values

/// A value that can appear as a field of a log line.
pub trait LogValue {
    fn to_log_value(&self) -> serde_json::Value;
}

impl<T: LogValue + ?Sized> LogValue for &T {
    fn to_log_value(&self) -> serde_json::Value {
        (**self).to_log_value()
    }
}

impl LogValue for str {
    fn to_log_value(&self) -> serde_json::Value {
        serde_json::Value::String(self.to_owned())
    }
}

impl LogValue for String {
    fn to_log_value(&self) -> serde_json::Value {
        serde_json::Value::String(self.clone())
    }
}

impl LogValue for bool {
    fn to_log_value(&self) -> serde_json::Value {
        serde_json::Value::Bool(*self)
    }
}

macro_rules! int_log_value {
    ($($t:ty),*) => {$(
        impl LogValue for $t {
            fn to_log_value(&self) -> serde_json::Value {
                serde_json::Value::from(*self)
            }
        }
    )*};
}
int_log_value!(u8, u16, u32, u64, usize, i8, i16, i32, i64, isize);

impl LogValue for f64 {
    fn to_log_value(&self) -> serde_json::Value {
        serde_json::Number::from_f64(*self)
            .map_or(serde_json::Value::Null, serde_json::Value::Number)
    }
}

impl LogValue for std::time::Duration {
    fn to_log_value(&self) -> serde_json::Value {
        // Milliseconds with microsecond precision read better in TF_LOG output than Go-style "1.2ms" strings.
        // Written as a decimal string, not a number: go-plugin decodes JSON numbers into float64 and hclog
        // prints those from 1e6 up in exponent form, so a 20-minute wait would read `1.2e+06`.
        let micros = self.as_micros();
        let text = format!("{}.{:03}", micros / 1000, micros % 1000);
        let text = text.trim_end_matches('0').trim_end_matches('.');
        serde_json::Value::String(text.to_owned())
    }
}

impl LogValue for serde_json::Value {
    fn to_log_value(&self) -> serde_json::Value {
        self.clone()
    }
}

impl<T: LogValue> LogValue for Option<T> {
    fn to_log_value(&self) -> serde_json::Value {
        self.as_ref()
            .map_or(serde_json::Value::Null, LogValue::to_log_value)
    }
}

impl LogValue for Secret {
    fn to_log_value(&self) -> serde_json::Value {
        serde_json::Value::String(REDACTED.to_owned())
    }
}

/// Logs a value through its `Display` implementation.
pub struct DisplayValue<T>(pub T);

pub fn display<T: fmt::Display>(value: T) -> DisplayValue<T> {
    DisplayValue(value)
}

impl<T: fmt::Display> LogValue for DisplayValue<T> {
    fn to_log_value(&self) -> serde_json::Value {
        serde_json::Value::String(self.0.to_string())
    }
}

// ---------------------------------------------------------------------------------------------------------------
// Rendering and output

/// `2006-01-02T15:04:05.000000Z07:00`: go-plugin parses exactly this layout and treats any other line as plain text.
pub fn format_timestamp(t: time::OffsetDateTime) -> String {
    let t = t.to_offset(time::UtcOffset::UTC);
    format!(
        "{:04}-{:02}-{:02}T{:02}:{:02}:{:02}.{:06}Z",
        t.year(),
        u8::from(t.month()),
        t.day(),
        t.hour(),
        t.minute(),
        t.second(),
        t.microsecond()
    )
}

fn scrub_value(value: serde_json::Value, secrets: &[String]) -> serde_json::Value {
    match value {
        serde_json::Value::String(s) => {
            serde_json::Value::String(scrub_with(&s, secrets.iter().map(String::as_str)))
        }
        other => other,
    }
}

/// Renders one hclog JSON line (without the newline). Pure, so the format is testable.
pub fn render_line(
    now: time::OffsetDateTime,
    level: Level,
    module: Option<&str>,
    message: &str,
    fields: &[(&str, &dyn LogValue)],
) -> String {
    let secrets = SECRETS.read().unwrap_or_else(|e| e.into_inner()).clone();
    let mut object = serde_json::Map::new();
    object.insert("@level".into(), level.as_str().into());
    object.insert(
        "@message".into(),
        scrub_with(message, secrets.iter().map(String::as_str)).into(),
    );
    let module = match module {
        Some(sub) if !sub.is_empty() => format!("{ROOT_MODULE}.{sub}"),
        _ => ROOT_MODULE.to_owned(),
    };
    object.insert("@module".into(), module.into());
    object.insert("@timestamp".into(), format_timestamp(now).into());
    for (key, value) in fields {
        // hclog reserves the @-keys; a field must not be able to forge them.
        let key = key.trim_start_matches('@');
        let value = value.to_log_value();
        // An absent optional field is left out rather than shown as `key=<nil>`.
        if value.is_null() {
            continue;
        }
        let value = if is_sensitive_key(key) {
            serde_json::Value::String(REDACTED.to_owned())
        } else {
            scrub_value(value, &secrets)
        };
        object.insert(key.to_owned(), value);
    }
    serde_json::Value::Object(object).to_string()
}

/// Writes one line to stderr if `level` is enabled. Errors writing stderr are ignored on purpose: there is
/// nowhere else to report them, and a closed stderr must not take the provider down.
pub fn emit(level: Level, module: Option<&str>, message: &str, fields: &[(&str, &dyn LogValue)]) {
    if !enabled(level) {
        return;
    }
    write_line(level, module, message, fields);
}

/// Writes one line whatever the threshold (used for panics, which must always leave a trace).
pub fn write_line(
    level: Level,
    module: Option<&str>,
    message: &str,
    fields: &[(&str, &dyn LogValue)],
) {
    let mut line = render_line(
        time::OffsetDateTime::now_utc(),
        level,
        module,
        message,
        fields,
    );
    line.push('\n');
    // One write per line keeps lines from concurrent tasks from interleaving.
    let _ = std::io::stderr().lock().write_all(line.as_bytes());
}

/// `log_at!(Level::Info, "message", key = value, ...)`, optionally `module: "sub",` first.
#[macro_export]
macro_rules! log_at {
    ($level:expr, module: $module:expr, $message:expr $(, $key:ident = $value:expr)* $(,)?) => {
        if $crate::logging::enabled($level) {
            $crate::logging::emit(
                $level,
                Some($module),
                &$message,
                &[$((stringify!($key), &$value as &dyn $crate::logging::LogValue)),*],
            );
        }
    };
    ($level:expr, $message:expr $(, $key:ident = $value:expr)* $(,)?) => {
        if $crate::logging::enabled($level) {
            $crate::logging::emit(
                $level,
                None,
                &$message,
                &[$((stringify!($key), &$value as &dyn $crate::logging::LogValue)),*],
            );
        }
    };
}

#[macro_export]
macro_rules! log_trace {
    ($($t:tt)*) => { $crate::log_at!($crate::logging::Level::Trace, $($t)*) };
}

#[macro_export]
macro_rules! log_debug {
    ($($t:tt)*) => { $crate::log_at!($crate::logging::Level::Debug, $($t)*) };
}

#[macro_export]
macro_rules! log_info {
    ($($t:tt)*) => { $crate::log_at!($crate::logging::Level::Info, $($t)*) };
}

#[macro_export]
macro_rules! log_warn {
    ($($t:tt)*) => { $crate::log_at!($crate::logging::Level::Warn, $($t)*) };
}

#[macro_export]
macro_rules! log_error {
    ($($t:tt)*) => { $crate::log_at!($crate::logging::Level::Error, $($t)*) };
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ts() -> time::OffsetDateTime {
        time::macros::datetime!(2024-01-15 08:30:00.000012 UTC)
    }

    #[test]
    fn timestamp_has_exactly_six_fraction_digits_and_z() {
        let re = regex::Regex::new(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{6}Z$").unwrap();
        assert_eq!(format_timestamp(ts()), "2024-01-15T08:30:00.000012Z");
        let now = format_timestamp(time::OffsetDateTime::now_utc());
        assert!(re.is_match(&now), "{now}");
        // A non-UTC input is converted, never printed with an offset the layout would also accept but we don't test.
        let shifted = ts().to_offset(time::macros::offset!(+2));
        assert_eq!(format_timestamp(shifted), "2024-01-15T08:30:00.000012Z");
    }

    #[test]
    fn line_is_hclog_json() {
        let none: Option<&str> = None;
        let line = render_line(
            ts(),
            Level::Info,
            Some("client"),
            "hello \"x\"",
            &[("n", &3), ("ok", &true), ("absent", &none)],
        );
        let v: serde_json::Value = serde_json::from_str(&line).unwrap();
        assert_eq!(v["@level"], "info");
        assert_eq!(v["@message"], "hello \"x\"");
        assert_eq!(v["@module"], "provider.terraform-provider-modelarts.client");
        assert_eq!(v["@timestamp"], "2024-01-15T08:30:00.000012Z");
        assert_eq!(v["n"], 3);
        assert_eq!(v["ok"], true);
        assert!(v.get("absent").is_none(), "{line}");
        assert!(!line.contains('\n'));
        let root = render_line(ts(), Level::Warn, None, "m", &[]);
        let v: serde_json::Value = serde_json::from_str(&root).unwrap();
        assert_eq!(v["@module"], ROOT_MODULE);
        assert_eq!(v["@level"], "warn");
    }

    #[test]
    fn durations_are_plain_decimal_milliseconds() {
        use std::time::Duration;
        for (d, shown) in [
            (Duration::from_micros(2_181), "2.181"),
            (Duration::from_millis(2_000), "2000"),
            (Duration::from_micros(1_500), "1.5"),
            (Duration::ZERO, "0"),
            // Twenty minutes: no exponent, whatever parses it.
            (Duration::from_secs(1_200), "1200000"),
        ] {
            assert_eq!(d.to_log_value(), serde_json::Value::String(shown.into()));
        }
    }

    #[test]
    fn fields_cannot_forge_reserved_keys() {
        let line = render_line(ts(), Level::Info, None, "m", &[("@level", &"error")]);
        let v: serde_json::Value = serde_json::from_str(&line).unwrap();
        assert_eq!(v["@level"], "info");
        assert_eq!(v["level"], "error");
    }

    #[test]
    fn level_parsing_follows_terraform() {
        assert_eq!(parse_level(""), None);
        assert_eq!(parse_level("off"), None);
        assert_eq!(parse_level("TRACE"), Some(Level::Trace));
        assert_eq!(parse_level("json"), Some(Level::Trace));
        assert_eq!(parse_level("debug"), Some(Level::Debug));
        assert_eq!(parse_level("Info"), Some(Level::Info));
        assert_eq!(parse_level("warn"), Some(Level::Warn));
        assert_eq!(parse_level("error"), Some(Level::Error));
        assert_eq!(parse_level("bogus"), Some(Level::Trace));
        assert!(Level::Error > Level::Warn && Level::Debug > Level::Trace);
    }

    #[test]
    fn secrets_never_appear() {
        let registered = "Registered-SK-9f8e7d6c5b4a";
        let wrapped = "Wrapped-Token-0123456789";
        let keyed = "Keyed-Value-abcdef";
        register_secret(registered);
        let secret = Secret::new(wrapped);
        assert_eq!(format!("{secret:?} {secret}"), "<redacted> <redacted>");
        assert_eq!(secret.expose(), wrapped);
        // Constructing a Secret registered it: an error text quoting it is scrubbed too.
        let quoted = Secret::from(format!("{keyed}-from-config"));
        assert_eq!(
            scrub(&format!("bad key {}", quoted.expose())),
            "bad key <redacted>"
        );

        let error_text = format!("signature mismatch for key {registered}");
        let line = render_line(
            ts(),
            Level::Error,
            None,
            &format!("request failed: {error_text}"),
            &[
                ("error", &display(&error_text)),
                ("token", &secret),
                ("x_security_token", &keyed),
                ("Authorization", &keyed),
                ("sk", &keyed),
                ("status", &401),
            ],
        );
        for s in [registered, wrapped, keyed] {
            assert!(!line.contains(s), "secret {s} leaked in {line}");
        }
        let v: serde_json::Value = serde_json::from_str(&line).unwrap();
        assert_eq!(
            v["@message"],
            "request failed: signature mismatch for key <redacted>"
        );
        assert_eq!(v["token"], REDACTED);
        assert_eq!(v["Authorization"], REDACTED);
        assert_eq!(v["status"], 401);
        assert_eq!(scrub(&format!("a{registered}b")), "a<redacted>b");
    }

    #[test]
    fn scrub_prefers_longest_overlapping_secret() {
        let out = scrub_with("key=abcdefgh", ["abcd", "abcdefgh"]);
        assert_eq!(out, "key=<redacted>");
        // Too short to scrub safely: left alone.
        assert_eq!(scrub_with("a-b-c", ["b"]), "a-b-c");
    }

    #[test]
    fn sensitive_keys() {
        for k in [
            "secret_key",
            "SecretKey",
            "token",
            "x-auth-token",
            "password",
            "sk",
            "authorization",
        ] {
            assert!(is_sensitive_key(k), "{k}");
        }
        for k in ["status", "id", "name", "flavor", "skip"] {
            assert!(!is_sensitive_key(k), "{k}");
        }
    }
}
