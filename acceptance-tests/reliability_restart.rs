//! The emulator binary restarted with `--state-file` in the middle of a Terraform session, including while an
//! apply is waiting on it: the provider's requests meet a refused connection for a while, are retried, and the
//! session carries on against the restarted API with nothing lost or duplicated.

use std::io::{BufRead, BufReader, Read, Write};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use modelarts::emulator::demo;
use serde_json::Value;

use crate::harness::Harness;
use crate::notebook_support::pytorch;
use crate::reliability_support::*;

struct EmulatorProcess {
    child: Child,
    base_url: String,
}

fn start_emulator(listen: &str, state: &Path, transition_ms: u64) -> EmulatorProcess {
    let mut child = Command::new(env!("CARGO_BIN_EXE_modelarts-emulator"))
        .args([
            "--listen",
            listen,
            "--state-file",
            &state.display().to_string(),
            "--transition-ms",
            &transition_ms.to_string(),
        ])
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .expect("emulator starts");
    let mut line = String::new();
    BufReader::new(child.stdout.take().expect("stdout"))
        .read_line(&mut line)
        .expect("base URL line");
    EmulatorProcess {
        child,
        base_url: line.trim().to_string(),
    }
}

impl EmulatorProcess {
    /// SIGTERM: the emulator finishes open requests and exits 0.
    fn stop(mut self) {
        let ok = Command::new("kill")
            .args(["-TERM", &self.child.id().to_string()])
            .status()
            .expect("kill")
            .success();
        assert!(ok);
        let status = self.child.wait().expect("wait");
        assert!(status.success(), "emulator exit: {status:?}");
    }

    /// A plain HTTP/1.1 GET of the control plane (no client library needed for one JSON document).
    fn get(&self, path: &str) -> Value {
        let addr = self.base_url.trim_start_matches("http://");
        let mut s = std::net::TcpStream::connect(addr).expect("connect");
        write!(
            s,
            "GET {path} HTTP/1.1\r\nHost: {addr}\r\nConnection: close\r\n\r\n"
        )
        .expect("request");
        let mut resp = String::new();
        s.read_to_string(&mut resp).expect("response");
        let body = resp.split_once("\r\n\r\n").map_or("", |(_, b)| b);
        serde_json::from_str(body).unwrap_or(Value::Null)
    }

    fn notebooks(&self) -> Vec<Value> {
        self.get("/_emulator/notebooks")
            .as_array()
            .cloned()
            .unwrap_or_default()
            .into_iter()
            .map(|e| e["notebook"].clone())
            .collect()
    }
}

impl Drop for EmulatorProcess {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .expect("free port")
        .port()
}

fn config(base_url: &str, description: &str) -> String {
    format!(
        "provider \"modelarts\" {{\n  region     = \"cn-north-4\"\n  project_id = \"{}\"\n  access_key = \"{}\"\n  \
         secret_key = \"{}\"\n  endpoints  = {{ modelarts = \"{base_url}\" }}\n}}\n\n{}",
        demo::PROJECT_ID,
        demo::ACCESS_KEY,
        demo::SECRET_KEY,
        fleet(3, "restart", description, &pytorch())
    )
}

const APPLY: &[&str] = &["apply", "-auto-approve", "-input=false", "-no-color"];

fn state_ids(h: &Harness) -> Vec<String> {
    state_notebooks(h).into_keys().collect()
}

fn ids(nbs: &[Value]) -> Vec<String> {
    let mut v: Vec<String> = nbs
        .iter()
        .map(|n| n["id"].as_str().unwrap_or_default().to_string())
        .collect();
    v.sort();
    v
}

#[test]
fn emulator_restart_with_state_file_mid_session() {
    let dir = tempfile::tempdir().unwrap();
    let state: PathBuf = dir.path().join("emulator-state.json");
    let listen = format!("127.0.0.1:{}", free_port());
    let h = Harness::new();

    // 1. Create against the first emulator process.
    let emu = start_emulator(&listen, &state, 100);
    h.write_config(&config(&emu.base_url, "v1"));
    h.init();
    h.apply();
    let created = ids(&emu.notebooks());
    assert_eq!(created.len(), 3);
    assert_eq!(state_ids(&h), created);

    // 2. Restart between commands: the state file brings every notebook back; nothing to do.
    emu.stop();
    let emu = start_emulator(&listen, &state, 100);
    assert_eq!(
        ids(&emu.notebooks()),
        created,
        "the state file lost notebooks"
    );
    h.assert_empty_plan();

    // 3. Restart while an update waits (stop → PUT → start for each): the emulator is down for ~3 s.
    let slow = start_restartable_update(emu, &listen, &state, &h);
    let notebooks = slow.notebooks();
    assert_eq!(ids(&notebooks), created, "notebooks lost or duplicated");
    for nb in &notebooks {
        assert_eq!(nb["description"], "v2", "{nb}");
        assert_eq!(nb["status"], "RUNNING", "{nb}");
    }
    assert_eq!(state_ids(&h), created);
    h.assert_empty_plan();
}

/// Applies v2 with slow transitions, kills the emulator once the first stop was accepted, restarts it after
/// a pause, and returns the restarted process once the apply has converged.
fn start_restartable_update(
    emu: EmulatorProcess,
    listen: &str,
    state: &Path,
    h: &Harness,
) -> EmulatorProcess {
    emu.stop();
    let emu = start_emulator(listen, state, 1500);
    h.write_config(&config(&emu.base_url, "v2"));
    let mut run = spawn(h, APPLY, &[]);
    wait_until(Duration::from_secs(60), "a notebook stopping", || {
        emu.notebooks().iter().any(|n| n["status"] == "STOPPING")
    });
    emu.stop();
    let down = Instant::now();
    std::thread::sleep(Duration::from_secs(3));
    assert!(run.is_running(), "the apply gave up while the API was down");
    let emu = start_emulator(listen, state, 200);
    eprintln!(
        "reliability: emulator down for {:?} during the update",
        down.elapsed()
    );
    let (out, took) = run.wait(Duration::from_secs(170));
    assert_no_crash(&out);
    if out.code != 0 {
        // A request that was in flight when the process died may surface as an error: one more apply must
        // finish the job.
        eprintln!(
            "reliability: first apply after the restart failed ({took:?}), re-applying:\n{}",
            out.stderr
        );
        converge(h, APPLY, 1);
    }
    emu
}
