//! Process facts from Linux: exact CPU time and peak RSS of reaped children (`wait4`), RSS and CPU of live
//! processes (/proc), the load average and the machine.

use std::process::Child;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

use crate::BoxError;

/// What `wait4` reports about a reaped child (its own usage plus that of the children it reaped).
#[derive(Debug, Clone, Copy, Default)]
pub struct Usage {
    pub user: Duration,
    pub sys: Duration,
}

impl Usage {
    pub fn cpu(&self) -> Duration {
        self.user + self.sys
    }
}

fn duration(tv: libc::timeval) -> Duration {
    Duration::from_micros(
        u64::try_from(tv.tv_sec).unwrap_or(0) * 1_000_000 + u64::try_from(tv.tv_usec).unwrap_or(0),
    )
}

/// Reaps `child`, killing it after `limit`. Returns its exit code (128 + signal when killed by one) and usage.
pub fn wait_usage(child: Child, limit: Duration) -> Result<(i32, Usage), BoxError> {
    let pid = libc::pid_t::try_from(child.id())?;
    let done = Arc::new(AtomicBool::new(false));
    let watchdog = {
        let done = done.clone();
        std::thread::spawn(move || {
            let until = Instant::now() + limit;
            while !done.load(Ordering::Acquire) {
                if Instant::now() >= until {
                    // SAFETY: plain syscall; the pid is still ours, since it is reaped only below.
                    unsafe { libc::kill(pid, libc::SIGKILL) };
                    return true;
                }
                // Parked, not sleeping: the reaper unparks it, so joining it below adds no delay to the
                // caller's timing (a 20 ms sleep here once added up to 20 ms to every measured exit).
                std::thread::park_timeout(until.saturating_duration_since(Instant::now()));
            }
            false
        })
    };
    let mut status: libc::c_int = 0;
    // SAFETY: rusage is plain old data; all-zero bytes are a valid value.
    let mut ru: libc::rusage = unsafe { std::mem::zeroed() };
    let result = loop {
        // SAFETY: both pointers are to live, writable locals.
        let r = unsafe { libc::wait4(pid, &mut status, 0, &mut ru) };
        if r == pid {
            break Ok(());
        }
        let err = std::io::Error::last_os_error();
        if err.kind() != std::io::ErrorKind::Interrupted {
            break Err(err);
        }
    };
    done.store(true, Ordering::Release);
    watchdog.thread().unpark();
    let killed = watchdog.join().unwrap_or(false);
    // std's Child would reap again on wait(); it was reaped here, so just forget the handle.
    drop(child);
    result?;
    if killed {
        return Err(format!("process {pid} did not finish within {limit:?} and was killed").into());
    }
    let code = if libc::WIFEXITED(status) {
        libc::WEXITSTATUS(status)
    } else {
        128 + libc::WTERMSIG(status)
    };
    Ok((
        code,
        Usage {
            user: duration(ru.ru_utime),
            sys: duration(ru.ru_stime),
        },
    ))
}

/// `/proc/loadavg`'s 1, 5 and 15 minute averages.
pub fn load_average() -> String {
    std::fs::read_to_string("/proc/loadavg")
        .ok()
        .map(|s| s.split_whitespace().take(3).collect::<Vec<_>>().join(" "))
        .unwrap_or_else(|| "unknown".into())
}

pub fn cpu_model() -> String {
    std::fs::read_to_string("/proc/cpuinfo")
        .ok()
        .and_then(|s| {
            s.lines()
                .find_map(|l| l.strip_prefix("model name"))
                .map(|v| v.trim_start_matches([' ', '\t', ':']).to_string())
        })
        .unwrap_or_else(|| "unknown CPU".into())
}

/// User + system CPU of a live process, all threads (clock ticks of 10 ms: good for seconds-long spans only).
pub fn live_cpu(pid: u32) -> Option<Duration> {
    let stat = std::fs::read_to_string(format!("/proc/{pid}/stat")).ok()?;
    let rest = stat.rsplit_once(')')?.1;
    let f: Vec<&str> = rest.split_whitespace().collect();
    let ticks: u64 = f.get(11)?.parse::<u64>().ok()? + f.get(12)?.parse::<u64>().ok()?;
    // SAFETY: sysconf has no preconditions.
    let hz = unsafe { libc::sysconf(libc::_SC_CLK_TCK) };
    let hz = u64::try_from(hz).ok().filter(|h| *h > 0)?;
    Some(Duration::from_micros(ticks * 1_000_000 / hz))
}

/// The process's own peak RSS (`VmHWM`, KiB). Not `wait4`'s `ru_maxrss`: Linux carries the parent's high-water mark
/// into a child across exec, so a child of a large parent reports the parent's peak instead of its own.
pub fn peak_rss_kib(pid: u32) -> Option<u64> {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).ok()?;
    status
        .lines()
        .find_map(|l| l.strip_prefix("VmHWM:"))
        .and_then(|v| v.trim().trim_end_matches("kB").trim().parse().ok())
}
