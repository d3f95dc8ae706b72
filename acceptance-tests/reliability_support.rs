//! Shared pieces of the reliability tests: a seeded fault schedule for the emulator (a share of all API requests
//! fail with 429/500/503, lose their connection before or after processing, or stall), the tally of what was
//! injected, fleets of notebooks, Terraform runs that can be interrupted, and the "state equals the emulator's
//! truth" check.

#![allow(dead_code)]

use std::collections::{BTreeMap, BTreeSet};
use std::fmt;
use std::io::Read;
use std::os::unix::process::CommandExt;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use modelarts::emulator::{EmulatorHandle, FaultSpec};
use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};
use serde_json::{json, Value};

use crate::harness::{Harness, Output};

/// Kinds of injected fault, in the tally's order.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum Kind {
    Throttled429,
    Error500,
    Unavailable503,
    ResetBefore,
    ResetAfter,
    LatencySpike,
}

impl Kind {
    pub fn spec(self) -> Value {
        match self {
            Kind::Throttled429 => {
                json!({"action": "error", "status": 429, "error_code": "APIGW.0308",
                "error_msg": "The throttling threshold has been reached: policy user over ratelimit"})
            }
            Kind::Error500 => {
                json!({"action": "error", "status": 500, "error_code": "ModelArts.6102",
                "error_msg": "Internal error."})
            }
            Kind::Unavailable503 => {
                json!({"action": "error", "status": 503, "error_code": "ModelArts.6101",
                "error_msg": "The system is busy now."})
            }
            Kind::ResetBefore => json!({"action": "drop_before"}),
            Kind::ResetAfter => json!({"action": "drop_after"}),
            Kind::LatencySpike => json!({"action": "delay", "delay_ms": 1500}),
        }
    }

    const ALL: [Kind; 6] = [
        Kind::Throttled429,
        Kind::Error500,
        Kind::Unavailable503,
        Kind::ResetBefore,
        Kind::ResetAfter,
        Kind::LatencySpike,
    ];
}

/// A seeded schedule over the next `slots` API requests: each one is, with probability `rate`, a fault of a
/// uniformly chosen kind, else passes untouched. Consumed in order by the emulator's fault table (a `delay` of
/// 0 ms is the "pass" entry), so a seed reproduces the same sequence of outcomes.
pub struct Chaos {
    pub seed: u64,
    pub rate: f64,
    kinds: BTreeMap<u64, Kind>,
    passes: BTreeSet<u64>,
}

impl Chaos {
    pub fn arm(emu: &EmulatorHandle, seed: u64, rate: f64, slots: usize) -> Chaos {
        let mut rng = StdRng::seed_from_u64(seed);
        let mut kinds = BTreeMap::new();
        let mut passes = BTreeSet::new();
        for _ in 0..slots {
            let fault = rng.random::<f64>() < rate;
            let mut spec = if fault {
                Kind::ALL[rng.random_range(0..Kind::ALL.len())].spec()
            } else {
                json!({"action": "delay", "delay_ms": 0})
            };
            spec["path"] = json!("/v1/**");
            let spec: FaultSpec = serde_json::from_value(spec).expect("fault spec");
            let f = emu.add_fault(spec).expect("fault registered");
            if fault {
                let kind = Kind::ALL
                    .into_iter()
                    .find(|k| {
                        let s = k.spec();
                        s["action"] == json!(f.action)
                            && (s.get("status").is_none() || s["status"] == json!(f.status))
                            && (s.get("delay_ms").is_none() || s["delay_ms"] == json!(f.delay_ms))
                    })
                    .expect("kind of fault");
                kinds.insert(f.id, kind);
            } else {
                passes.insert(f.id);
            }
        }
        Chaos {
            seed,
            rate,
            kinds,
            passes,
        }
    }

    /// What the journal says happened since the last journal clear.
    pub fn tally(&self, emu: &EmulatorHandle) -> Tally {
        let mut t = Tally::default();
        for e in emu.journal() {
            if !e.path.starts_with("/v1/") {
                continue;
            }
            t.requests += 1;
            *t.by_method.entry(e.method.clone()).or_default() += 1;
            let Some(id) = e
                .fault
                .as_deref()
                .and_then(|f| f.rsplit_once('#'))
                .and_then(|(_, id)| id.parse::<u64>().ok())
            else {
                continue;
            };
            if let Some(k) = self.kinds.get(&id) {
                *t.faults.entry(*k).or_default() += 1;
            } else if !self.passes.contains(&id) {
                panic!("journal names a fault this schedule did not register: {id}");
            }
        }
        t
    }
}

#[derive(Default, Debug, Clone)]
pub struct Tally {
    pub requests: usize,
    pub by_method: BTreeMap<String, usize>,
    pub faults: BTreeMap<Kind, usize>,
}

impl Tally {
    /// Failed requests: everything but latency spikes.
    pub fn failed(&self) -> usize {
        self.faults
            .iter()
            .filter(|(k, _)| **k != Kind::LatencySpike)
            .map(|(_, n)| n)
            .sum()
    }

    pub fn injected(&self) -> usize {
        self.faults.values().sum()
    }

    pub fn add(&mut self, o: &Tally) {
        self.requests += o.requests;
        for (m, n) in &o.by_method {
            *self.by_method.entry(m.clone()).or_default() += n;
        }
        for (k, n) in &o.faults {
            *self.faults.entry(*k).or_default() += n;
        }
    }
}

impl fmt::Display for Tally {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{} API requests {:?}, {} faults injected ({} failed requests, {:.0}%): {:?}",
            self.requests,
            self.by_method,
            self.injected(),
            self.failed(),
            100.0 * self.failed() as f64 / self.requests.max(1) as f64,
            self.faults
        )
    }
}

/// `count` notebooks named `<prefix>-<i>` in one resource block.
pub fn fleet(count: usize, prefix: &str, description: &str, image_id: &str) -> String {
    format!(
        "resource \"modelarts_notebook\" \"fleet\" {{\n  count       = {count}\n  name        = \"{prefix}-${{count.index}}\"\n  \
         description = \"{description}\"\n  flavor      = \"modelarts.vm.cpu.2u\"\n  image_id    = \"{image_id}\"\n  \
         volume {{\n    category = \"EVS\"\n    size     = 5\n  }}\n}}\n"
    )
}

/// The notebooks in Terraform's state (`show -json`), by id: (address, values).
pub fn state_notebooks(h: &Harness) -> BTreeMap<String, (String, Value)> {
    let doc = h.state_json();
    let mut out = BTreeMap::new();
    let resources = doc
        .pointer("/values/root_module/resources")
        .and_then(Value::as_array)
        .cloned()
        .unwrap_or_default();
    for r in resources {
        if r["type"] != "modelarts_notebook" || r["mode"] != "managed" {
            continue;
        }
        let id = r["values"]["id"].as_str().unwrap_or_default().to_string();
        let address = r["address"].as_str().unwrap_or_default().to_string();
        assert!(
            out.insert(id.clone(), (address, r["values"].clone()))
                .is_none(),
            "two state entries share notebook id {id}"
        );
    }
    out
}

/// What the emulator holds, by id.
pub fn truth(emu: &EmulatorHandle) -> BTreeMap<String, Value> {
    emu.notebooks()
        .into_iter()
        .map(|(_, nb)| {
            let v = serde_json::to_value(&nb).expect("notebook JSON");
            (nb.id.unwrap_or_default(), v)
        })
        .collect()
}

/// 0 orphans (every emulator notebook is in state), 0 duplicates (one notebook per name, `expected` of
/// them), and every state entry equals the emulator's truth on the fields both sides hold.
pub fn assert_state_is_truth(h: &Harness, emu: &EmulatorHandle, expected: usize) {
    let state = state_notebooks(h);
    let truth = truth(emu);
    let orphans: Vec<&String> = truth.keys().filter(|id| !state.contains_key(*id)).collect();
    let ghosts: Vec<&String> = state.keys().filter(|id| !truth.contains_key(*id)).collect();
    assert!(
        orphans.is_empty(),
        "orphans (in the emulator, not in state): {orphans:?}"
    );
    assert!(
        ghosts.is_empty(),
        "state entries without a notebook: {ghosts:?}"
    );
    let mut names = BTreeMap::<String, usize>::new();
    for nb in truth.values() {
        *names
            .entry(nb["name"].as_str().unwrap_or_default().to_string())
            .or_default() += 1;
    }
    let dups: Vec<_> = names.iter().filter(|(_, n)| **n > 1).collect();
    assert!(dups.is_empty(), "duplicate notebooks: {dups:?}");
    assert_eq!(truth.len(), expected, "notebook count");
    for (id, (address, s)) in &state {
        let t = &truth[id];
        for (state_attr, api) in [
            ("name", "/name"),
            ("description", "/description"),
            ("flavor", "/flavor"),
            ("status", "/status"),
            ("image_id", "/image/id"),
            ("url", "/url"),
        ] {
            // An optional string the API returns as "" is null in state.
            let empty_is_null = |v: &Value| match v {
                Value::String(x) if x.is_empty() => Value::Null,
                other => other.clone(),
            };
            assert_eq!(
                empty_is_null(&s[state_attr]),
                empty_is_null(t.pointer(api).unwrap_or(&Value::Null)),
                "{address}: state {state_attr} differs from the emulator"
            );
        }
        assert_eq!(
            s.pointer("/volume/0/size"),
            t.pointer("/volume/capacity"),
            "{address}: volume size"
        );
    }
}

/// Runs a Terraform command until it succeeds, at most `attempts` times; returns the outputs.
pub fn converge(h: &Harness, args: &[&str], attempts: usize) -> Vec<Output> {
    let mut outs = Vec::new();
    for _ in 0..attempts {
        let out = h.run(args);
        let ok = out.code == 0;
        assert_no_crash(&out);
        if !ok {
            // What made this run fail, for the report: summary and first detail line of each error.
            let lines: Vec<&str> = out.stderr.lines().map(str::trim).collect();
            for (i, l) in lines.iter().enumerate() {
                if let Some(summary) = l.strip_prefix("Error: ") {
                    let quoted = |d: &str| {
                        let n = d.chars().take_while(char::is_ascii_digit).count();
                        n > 0 && d[n..].starts_with(':')
                    };
                    let detail = lines[i + 1..]
                        .iter()
                        .find(|d| {
                            !d.is_empty()
                                && !d.starts_with("with ")
                                && !d.starts_with("on ")
                                && !quoted(d)
                        })
                        .unwrap_or(&"");
                    eprintln!("reliability:   run failed: {summary}: {detail}");
                }
            }
        }
        outs.push(out);
        if ok {
            return outs;
        }
    }
    let last = outs.last().map(Output::combined).unwrap_or_default();
    panic!(
        "terraform {} did not converge in {attempts} runs; last:\n{last}",
        args.join(" ")
    );
}

/// No provider or Terraform crash in an output.
pub fn assert_no_crash(out: &Output) {
    let all = out.combined();
    for needle in [
        "panic:",
        "panicked at",
        "Plugin did not respond",
        "rpc error: code = Unavailable",
        "The plugin encountered an error",
        "crash.log",
    ] {
        assert!(!all.contains(needle), "crash marker {needle:?}:\n{all}");
    }
}

/// A Terraform command running in its own process group, so it can be interrupted like Ctrl-C does.
pub struct Running {
    child: Child,
    started: Instant,
    out: std::thread::JoinHandle<String>,
    err: std::thread::JoinHandle<String>,
}

pub fn spawn(h: &Harness, args: &[&str], env: &[(&str, &str)]) -> Running {
    let mut cmd = Command::new(&h.terraform);
    cmd.args(args)
        .current_dir(&h.work_dir)
        .env_remove("TF_LOG")
        .env_remove("TF_LOG_PATH")
        .env_remove("TF_CLI_ARGS")
        .env("TF_CLI_CONFIG_FILE", &h.cli_config)
        .env("CHECKPOINT_DISABLE", "1")
        .env("TF_IN_AUTOMATION", "1")
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .process_group(0);
    for (k, v) in env {
        cmd.env(k, v);
    }
    let mut child = cmd.spawn().expect("terraform starts");
    let mut so = child.stdout.take().expect("stdout");
    let mut se = child.stderr.take().expect("stderr");
    Running {
        child,
        started: Instant::now(),
        out: std::thread::spawn(move || {
            let mut s = String::new();
            let _ = so.read_to_string(&mut s);
            s
        }),
        err: std::thread::spawn(move || {
            let mut s = String::new();
            let _ = se.read_to_string(&mut s);
            s
        }),
    }
}

impl Running {
    pub fn is_running(&mut self) -> bool {
        matches!(self.child.try_wait(), Ok(None))
    }

    /// SIGINT to the whole process group: Terraform and the provider it launched, as a terminal's Ctrl-C.
    pub fn interrupt(&self) {
        let pgid = self.child.id();
        let status = Command::new("kill")
            .args(["-INT", "--", &format!("-{pgid}")])
            .status()
            .expect("kill");
        assert!(status.success(), "kill -INT failed");
    }

    /// Waits at most `limit` for the exit; returns the output and how long after start it ended.
    pub fn wait(mut self, limit: Duration) -> (Output, Duration) {
        let deadline = Instant::now() + limit;
        let status = loop {
            if let Some(s) = self.child.try_wait().expect("wait") {
                break s;
            }
            if Instant::now() > deadline {
                let _ = Command::new("kill")
                    .args(["-KILL", "--", &format!("-{}", self.child.id())])
                    .status();
                let _ = self.child.wait();
                panic!("terraform did not exit within {limit:?} (hung)");
            }
            std::thread::sleep(Duration::from_millis(20));
        };
        let took = self.started.elapsed();
        (
            Output {
                code: status.code().unwrap_or(-1),
                stdout: self.out.join().unwrap_or_default(),
                stderr: self.err.join().unwrap_or_default(),
            },
            took,
        )
    }
}

/// Polls `cond` every 10 ms for at most `limit`.
pub fn wait_until(limit: Duration, what: &str, mut cond: impl FnMut() -> bool) {
    let deadline = Instant::now() + limit;
    while !cond() {
        assert!(Instant::now() < deadline, "timed out waiting for {what}");
        std::thread::sleep(Duration::from_millis(10));
    }
}

/// The number of notebooks to use in the fleet tests: `RELIABILITY_NOTEBOOKS`, default 20.
pub fn fleet_size() -> usize {
    std::env::var("RELIABILITY_NOTEBOOKS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(20)
}

/// The fault schedule's seed: `RELIABILITY_SEED`, else `default`. Printed by every test that uses it.
pub fn seed(default: u64) -> u64 {
    std::env::var("RELIABILITY_SEED")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(default)
}
