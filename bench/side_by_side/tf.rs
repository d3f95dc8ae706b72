//! Real Terraform 1.0.3 runs: a filesystem mirror holding each provider behind the rusage shim, per-provider
//! working directories, and timed commands reporting wall time, Terraform's CPU and each provider launch's CPU
//! and peak RSS.

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use crate::procfs;
use crate::BoxError;

/// Environment that would leak into or redirect the runs.
const SCRUBBED_ENV: &[&str] = &[
    "TF_CLI_CONFIG_FILE",
    "TF_CLI_ARGS",
    "TF_DATA_DIR",
    "TF_WORKSPACE",
    "TF_PLUGIN_CACHE_DIR",
    "TF_REATTACH_PROVIDERS",
    "TF_LOG",
    "TF_LOG_PATH",
    "TF_LOG_CORE",
    "TF_LOG_PROVIDER",
    "TF_INPUT",
    "TF_DISABLE_PLUGIN_TLS",
    "BENCH_RUSAGE_LOG",
    "BENCH_CALLGRIND_DIR",
];

/// A provider as installed in the mirror.
#[derive(Debug, Clone)]
pub struct MirroredProvider {
    /// e.g. `terraform.local/local/modelarts`
    pub source: &'static str,
    pub version: &'static str,
    /// e.g. `terraform-provider-modelarts_v0.1.0`
    pub file_name: &'static str,
    pub binary: PathBuf,
}

pub fn platform() -> String {
    let arch = match std::env::consts::ARCH {
        "x86_64" => "amd64",
        "aarch64" => "arm64",
        other => other,
    };
    format!("{}_{arch}", std::env::consts::OS)
}

/// Builds `<root>/mirror` with each provider's package holding the shim under the provider's file name and the
/// real binary as `real-provider` (hard-linked when possible), plus the CLI configuration. Returns its path.
pub fn install_mirror(
    root: &Path,
    shim: &Path,
    providers: &[MirroredProvider],
) -> Result<PathBuf, BoxError> {
    let mirror = root.join("mirror");
    let _ = std::fs::remove_dir_all(&mirror);
    let mut includes = Vec::new();
    for p in providers {
        let source = if p.source.matches('/').count() == 1 {
            format!("registry.terraform.io/{}", p.source)
        } else {
            p.source.to_string()
        };
        let dir = mirror.join(&source).join(p.version).join(platform());
        std::fs::create_dir_all(&dir)?;
        std::fs::copy(shim, dir.join(p.file_name))?;
        let real = dir.join("real-provider");
        if std::fs::hard_link(&p.binary, &real).is_err() {
            std::fs::copy(&p.binary, &real)?;
        }
        includes.push(format!("\"{source}\""));
    }
    let rc = root.join("terraform.rc");
    std::fs::write(
        &rc,
        format!(
            "provider_installation {{\n  filesystem_mirror {{\n    path    = \"{}\"\n    include = [{}]\n  }}\n}}\n\
             disable_checkpoint = true\n",
            mirror.display(),
            includes.join(", ")
        ),
    )?;
    Ok(rc)
}

/// One provider launch as the shim saw it.
#[derive(Debug, Clone, Copy)]
pub struct ProviderLaunch {
    pub cpu: Duration,
    pub max_rss_kib: u64,
}

/// A finished Terraform command.
#[derive(Debug, Clone)]
pub struct Run {
    pub exit_code: i32,
    pub wall: Duration,
    /// Terraform's own CPU: its total (which includes the launches it reaped) minus the providers'.
    pub terraform_cpu: Duration,
    pub launches: Vec<ProviderLaunch>,
    pub stdout: String,
    pub stderr: String,
}

impl Run {
    pub fn provider_cpu(&self) -> Duration {
        self.launches.iter().map(|l| l.cpu).sum()
    }

    pub fn peak_rss_kib(&self) -> u64 {
        self.launches
            .iter()
            .map(|l| l.max_rss_kib)
            .max()
            .unwrap_or(0)
    }
}

/// Parses the shim's lines: `pid utime_us stime_us maxrss_kib wall_us`.
pub fn parse_launches(text: &str) -> Vec<ProviderLaunch> {
    text.lines()
        .filter_map(|l| {
            let f: Vec<u64> = l
                .split_whitespace()
                .map(str::parse)
                .collect::<Result<_, _>>()
                .ok()?;
            (f.len() == 5).then(|| ProviderLaunch {
                cpu: Duration::from_micros(f[1] + f[2]),
                max_rss_kib: f[3],
            })
        })
        .collect()
}

/// A working directory with its CLI configuration.
pub struct Workspace {
    pub terraform: PathBuf,
    pub cli_config: PathBuf,
    pub dir: PathBuf,
    pub extra_env: Vec<(String, String)>,
}

impl Workspace {
    pub fn new(terraform: &Path, cli_config: &Path, dir: PathBuf) -> Result<Workspace, BoxError> {
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir)?;
        Ok(Workspace {
            terraform: terraform.to_path_buf(),
            cli_config: cli_config.to_path_buf(),
            dir,
            extra_env: Vec::new(),
        })
    }

    pub fn write_config(&self, hcl: &str) -> Result<(), BoxError> {
        std::fs::write(self.dir.join("main.tf"), hcl)?;
        Ok(())
    }

    /// Forgets all resources (the state files), e.g. before timing a create-everything apply.
    pub fn forget_state(&self) {
        for f in ["terraform.tfstate", "terraform.tfstate.backup", "tfplan"] {
            let _ = std::fs::remove_file(self.dir.join(f));
        }
    }

    /// Runs `terraform <args>` and measures it; never fails on a non-zero exit (the caller decides).
    pub fn run(&self, args: &[&str], limit: Duration) -> Result<Run, BoxError> {
        let rusage_log = self.dir.join(".bench-rusage.log");
        let _ = std::fs::remove_file(&rusage_log);
        let out_path = self.dir.join(".bench-stdout.log");
        let err_path = self.dir.join(".bench-stderr.log");
        let mut cmd = Command::new(&self.terraform);
        cmd.args(args).current_dir(&self.dir);
        for k in SCRUBBED_ENV {
            cmd.env_remove(k);
        }
        cmd.env("TF_CLI_CONFIG_FILE", &self.cli_config)
            .env("CHECKPOINT_DISABLE", "1")
            .env("TF_IN_AUTOMATION", "1")
            .env("BENCH_RUSAGE_LOG", &rusage_log)
            .stdin(Stdio::null())
            .stdout(Stdio::from(std::fs::File::create(&out_path)?))
            .stderr(Stdio::from(std::fs::File::create(&err_path)?));
        for (k, v) in &self.extra_env {
            cmd.env(k, v);
        }
        let started = Instant::now();
        let child = cmd.spawn()?;
        let (exit_code, usage) = procfs::wait_usage(child, limit)?;
        let wall = started.elapsed();
        let launches = parse_launches(&std::fs::read_to_string(&rusage_log).unwrap_or_default());
        let provider_cpu: Duration = launches.iter().map(|l| l.cpu).sum();
        Ok(Run {
            exit_code,
            wall,
            terraform_cpu: usage.cpu().saturating_sub(provider_cpu),
            launches,
            stdout: std::fs::read_to_string(&out_path).unwrap_or_default(),
            stderr: std::fs::read_to_string(&err_path).unwrap_or_default(),
        })
    }
}

impl Workspace {
    /// [`Workspace::run`], failing unless the exit code is one of `codes`.
    pub fn run_expect(
        &self,
        args: &[&str],
        limit: Duration,
        codes: &[i32],
    ) -> Result<Run, BoxError> {
        let r = self.run(args, limit)?;
        if !codes.contains(&r.exit_code) {
            let tail = |s: &str| {
                s.chars()
                    .rev()
                    .take(3000)
                    .collect::<Vec<_>>()
                    .into_iter()
                    .rev()
                    .collect::<String>()
            };
            return Err(format!(
                "terraform {} in {} exited {}:\n{}\n{}",
                args.join(" "),
                self.dir.display(),
                r.exit_code,
                tail(&r.stdout),
                tail(&r.stderr)
            )
            .into());
        }
        Ok(r)
    }
}

pub const CHECKS: &[(&str, fn())] = &[("tf: shim log lines", check_parse_launches)];

fn check_parse_launches() {
    let l = parse_launches("12 1500 500 7000 90000\ngarbage\n13 10 20 9000 1\n");
    assert_eq!(l.len(), 2);
    assert_eq!(l[0].cpu, Duration::from_micros(2000));
    assert_eq!(l.iter().map(|x| x.max_rss_kib).max(), Some(9000));
}
