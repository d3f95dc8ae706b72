//! Launch shim of the side-by-side benchmark: installed in a filesystem mirror in place of a provider binary, it
//! runs the real provider (`real-provider` next to the shim) as its child and, when it has exited, appends the
//! provider's exact CPU time and peak RSS (from `wait4`) to `$BENCH_RUSAGE_LOG`.
//!
//! Terraform starts providers as its own children and reaps them itself, so their resource usage is otherwise
//! folded into Terraform's. The shim costs one extra small exec per launch (well under a millisecond) and is
//! the same for every provider compared. Terraform still hashes the real binary for the lock file, because it
//! lives in the same package directory.
//!
//! With `$BENCH_CALLGRIND_DIR` set the provider runs under `valgrind --tool=callgrind` instead (instruction
//! counts, repeatable on a loaded machine). Without `$BENCH_RUSAGE_LOG` the shim simply execs the provider.

use std::ffi::OsString;
use std::io::Write;
use std::os::unix::process::CommandExt;
use std::path::PathBuf;
use std::process::{Command, ExitCode};
use std::time::Instant;

/// File name of the real provider binary, beside the shim.
const REAL_PROVIDER: &str = "real-provider";

fn real_provider() -> Result<PathBuf, String> {
    let exe = std::env::current_exe().map_err(|e| format!("current_exe: {e}"))?;
    let dir = exe
        .parent()
        .ok_or_else(|| format!("{} has no parent directory", exe.display()))?;
    Ok(dir.join(REAL_PROVIDER))
}

fn command(real: PathBuf, args: Vec<OsString>) -> Command {
    match std::env::var_os("BENCH_CALLGRIND_DIR") {
        Some(dir) => {
            let mut out = OsString::from("--callgrind-out-file=");
            out.push(dir);
            out.push("/callgrind.out.%p");
            let mut c = Command::new("valgrind");
            c.args(["--tool=callgrind", "--quiet"])
                .arg(out)
                .arg(real)
                .args(args);
            c
        }
        None => {
            let mut c = Command::new(real);
            c.args(args);
            c
        }
    }
}

/// Waits for `pid` and returns (raw wait status, rusage).
fn wait4(pid: libc::pid_t) -> Result<(libc::c_int, libc::rusage), String> {
    let mut status: libc::c_int = 0;
    // SAFETY: rusage is plain old data, for which all-zero bytes are a valid value.
    let mut ru: libc::rusage = unsafe { std::mem::zeroed() };
    loop {
        // SAFETY: both pointers are to live, writable locals of the right types.
        let r = unsafe { libc::wait4(pid, &mut status, 0, &mut ru) };
        if r == pid {
            return Ok((status, ru));
        }
        let err = std::io::Error::last_os_error();
        if err.kind() != std::io::ErrorKind::Interrupted {
            return Err(format!("wait4: {err}"));
        }
    }
}

fn micros(tv: libc::timeval) -> i64 {
    tv.tv_sec * 1_000_000 + tv.tv_usec
}

fn run() -> Result<ExitCode, String> {
    let real = real_provider()?;
    let args: Vec<OsString> = std::env::args_os().skip(1).collect();
    let mut cmd = command(real, args);
    let Some(log) = std::env::var_os("BENCH_RUSAGE_LOG") else {
        return Err(format!("exec: {}", cmd.exec()));
    };
    // SAFETY: prctl is async-signal-safe; the closure touches nothing else between fork and exec.
    unsafe {
        cmd.pre_exec(|| {
            // If Terraform kills the shim, the provider must not outlive it.
            if libc::prctl(libc::PR_SET_PDEATHSIG, libc::SIGKILL as libc::c_ulong) != 0 {
                return Err(std::io::Error::last_os_error());
            }
            Ok(())
        });
    }
    let started = Instant::now();
    let child = cmd.spawn().map_err(|e| format!("spawn: {e}"))?;
    let pid = libc::pid_t::try_from(child.id()).map_err(|e| format!("pid: {e}"))?;
    let (status, ru) = wait4(pid)?;
    let wall = started.elapsed();
    let line = format!(
        "{pid} {} {} {} {}\n",
        micros(ru.ru_utime),
        micros(ru.ru_stime),
        ru.ru_maxrss,
        wall.as_micros()
    );
    // One append-mode write per launch, so concurrent launches never interleave within a line.
    std::fs::OpenOptions::new()
        .create(true)
        .append(true)
        .open(&log)
        .and_then(|mut f| f.write_all(line.as_bytes()))
        .map_err(|e| format!("{}: {e}", PathBuf::from(&log).display()))?;
    let code = if libc::WIFEXITED(status) {
        libc::WEXITSTATUS(status)
    } else {
        128 + libc::WTERMSIG(status)
    };
    Ok(ExitCode::from(u8::try_from(code).unwrap_or(1)))
}

fn main() -> ExitCode {
    match run() {
        Ok(code) => code,
        Err(e) => {
            eprintln!("bench rusage shim: {e}");
            ExitCode::from(1)
        }
    }
}
