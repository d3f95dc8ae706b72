//! Server-side logging setup: panics go to stderr as hclog JSON lines (go-plugin forwards those to Terraform's
//! log) instead of Rust's default multi-line report. The logging API itself is `crate::logging`.

use super::grpc::panic_text;
use crate::logging::{display, write_line, Level};

/// Routes panics that escape `catch_unwind` (spawned tasks, the runtime) to the log instead of the default
/// printer, and always writes them: a panic must leave a trace even when TF_LOG is off.
pub fn install_panic_hook() {
    std::panic::set_hook(Box::new(|info| {
        let text = panic_text(info.payload());
        let location = info
            .location()
            .map(|l| format!("{}:{}", l.file(), l.line()))
            .unwrap_or_default();
        let backtrace = std::backtrace::Backtrace::capture();
        let backtrace = match backtrace.status() {
            std::backtrace::BacktraceStatus::Captured => Some(backtrace.to_string()),
            _ => None,
        };
        write_line(
            Level::Error,
            Some("panic"),
            &format!("panic: {text}"),
            &[
                ("location", &location),
                ("backtrace", &backtrace),
                ("thread", &display(thread_name())),
            ],
        );
    }));
}

fn thread_name() -> String {
    std::thread::current()
        .name()
        .unwrap_or("unnamed")
        .to_owned()
}
