//! The collected results and their Markdown rendering (bench/results.md), including the target checks.

use std::fmt::Write as _;
use std::path::Path;
use std::time::Duration;

use modelarts::client::PollSettings;

use crate::calls::{self, Operation};
use crate::config::Config;
use crate::scale::{Scale, Side};
use crate::startup::Series;
use crate::stats::{ratios, summarize};
use crate::tf::Run;

/// Instruction counts of one no-op plan under callgrind: (total Ir over launches, launches) or why not.
pub struct CallgrindRow {
    pub n: usize,
    pub ours: Result<(u64, usize), String>,
    pub null: Result<(u64, usize), String>,
    pub floor: Result<(u64, usize), String>,
}

/// Start-up series per peer, and each binary's (size, stripped size).
pub struct Startup {
    pub series: Vec<Series>,
    pub sizes: Vec<(u64, u64)>,
}

pub struct Results {
    pub started_utc: String,
    pub commit: String,
    pub terraform_version: String,
    pub machine: String,
    pub load_start: String,
    pub load_end: String,
    pub duration: Duration,
    pub settings: String,
    pub peer_names: Vec<&'static str>,
    pub startup: Option<Startup>,
    pub scale: Vec<Scale>,
    pub callgrind: Vec<CallgrindRow>,
    pub calls_zero: Vec<Operation>,
    pub calls_wait: Vec<Operation>,
    pub wait_transition_ms: u64,
    pub throughput: Option<String>,
    pub poll: PollSettings,
}

fn command_line(cmd: &Path, args: &[&str], dir: Option<&Path>) -> String {
    let mut c = std::process::Command::new(cmd);
    c.args(args);
    if let Some(d) = dir {
        c.current_dir(d);
    }
    c.output()
        .ok()
        .filter(|o| o.status.success())
        .and_then(|o| String::from_utf8(o.stdout).ok())
        .map(|s| s.lines().next().unwrap_or_default().trim().to_string())
        .unwrap_or_else(|| "unknown".into())
}

impl Results {
    pub fn new(cfg: &Config) -> Results {
        let root = Path::new(env!("CARGO_MANIFEST_DIR"));
        let git = Path::new("git");
        let dirty = command_line(
            git,
            &["status", "--porcelain", "--untracked-files=no"],
            Some(root),
        );
        let commit = format!(
            "{}{}",
            command_line(git, &["rev-parse", "--short", "HEAD"], Some(root)),
            if dirty.is_empty() || dirty == "unknown" {
                ""
            } else {
                " (with uncommitted changes)"
            }
        );
        let started_utc = time::OffsetDateTime::now_utc()
            .format(&time::format_description::well_known::Rfc3339)
            .unwrap_or_default();
        Results {
            started_utc,
            commit,
            terraform_version: command_line(&cfg.terraform, &["version"], None),
            machine: format!(
                "{} CPUs ({}), {}",
                std::thread::available_parallelism().map_or(0, |n| n.get()),
                crate::procfs::cpu_model(),
                command_line(Path::new("uname"), &["-sr"], None)
            ),
            load_start: crate::procfs::load_average(),
            load_end: String::new(),
            duration: Duration::ZERO,
            settings: cfg.describe(),
            peer_names: cfg.peers.iter().map(|p| p.name).collect(),
            startup: None,
            scale: Vec::new(),
            callgrind: Vec::new(),
            calls_zero: Vec::new(),
            calls_wait: Vec::new(),
            wait_transition_ms: cfg.wait_transition_ms,
            throughput: None,
            poll: PollSettings::default(),
        }
    }

    pub fn finish(&mut self, duration: Duration) {
        self.duration = duration;
        self.load_end = crate::procfs::load_average();
    }
}

/// Runs the emulator throughput example (32 keep-alive connections, 5 s) and returns its report lines.
pub fn throughput(binary: Option<&Path>) -> String {
    let Some(bin) = binary else {
        return "not run: the emulator_throughput example was not built (`make bench` builds it)"
            .into();
    };
    match std::process::Command::new(bin).args(["32", "5"]).output() {
        Ok(o) if o.status.success() => String::from_utf8_lossy(&o.stdout).trim().to_string(),
        Ok(o) => format!("failed: {}", String::from_utf8_lossy(&o.stderr).trim()),
        Err(e) => format!("failed to run {}: {e}", bin.display()),
    }
}

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1000.0
}

fn mib(kib: u64) -> f64 {
    kib as f64 / 1024.0
}

fn fmt_ms(v: f64) -> String {
    if !v.is_finite() {
        "–".into()
    } else if v >= 10_000.0 {
        format!("{:.1} s", v / 1000.0)
    } else if v >= 100.0 {
        format!("{v:.0} ms")
    } else if v >= 10.0 {
        format!("{v:.1} ms")
    } else {
        format!("{v:.2} ms")
    }
}

fn fmt_ratio(v: f64) -> String {
    if v.is_finite() {
        format!("{v:.2}×")
    } else {
        "–".into()
    }
}

fn fmt_count(v: u64) -> String {
    let s = v.to_string();
    let mut out = String::new();
    for (i, c) in s.chars().enumerate() {
        if i > 0 && (s.len() - i) % 3 == 0 {
            out.push(',');
        }
        out.push(c);
    }
    out
}

fn median_of(v: impl IntoIterator<Item = f64>) -> f64 {
    summarize(&v.into_iter().collect::<Vec<_>>()).median
}

/// A target line: what, the measured value, met or not.
struct Target {
    what: String,
    measured: String,
    met: Option<bool>,
}

fn verdict(met: Option<bool>) -> &'static str {
    match met {
        Some(true) => "met",
        Some(false) => "**missed**",
        None => "information (no target)",
    }
}

pub fn render(r: &Results) -> String {
    let mut out = String::new();
    let mut targets: Vec<Target> = Vec::new();
    let _ = writeln!(
        out,
        "# Side-by-side benchmark: terraform-provider-modelarts and Go providers\n"
    );
    let _ = writeln!(
        out,
        "Generated by `make bench` (bench/side_by_side). Run started {}, commit {}, {}, on {}. Took {:.1} min.\n",
        r.started_utc,
        r.commit,
        r.terraform_version,
        r.machine,
        r.duration.as_secs_f64() / 60.0
    );
    let _ = writeln!(
        out,
        "**Load average at start: {}; at end: {}.** The machine has 2 cores shared with other work, so wall-clock \
         figures are inflated by the load and vary between runs; CPU times (exact, from `wait4` of each provider \
         process) and callgrind instruction counts are much less affected. Rounds interleave the providers, and \
         ratios are taken within a round, so load changes hit both sides of a ratio alike.\n",
        r.load_start, r.load_end
    );
    let _ = writeln!(out, "Settings: {}.\n", r.settings);

    if let Some(s) = &r.startup {
        render_startup(&mut out, &mut targets, &r.peer_names, &s.series, &s.sizes);
    }
    if !r.scale.is_empty() {
        render_scale(&mut out, &mut targets, &r.scale);
        render_floor(&mut out, &mut targets, &r.scale);
    }
    if !r.callgrind.is_empty() {
        render_callgrind(&mut out, &mut targets, &r.callgrind);
    }
    if !r.calls_zero.is_empty() {
        render_calls(&mut out, &mut targets, r);
    }
    if let Some(t) = &r.throughput {
        let _ = writeln!(out, "## 5. Emulator throughput (signed GETs)\n");
        let _ = writeln!(
            out,
            "`examples/emulator_throughput` (in-process emulator, 32 keep-alive connections, 5 s; the emulator \
             verifies the signature of every request):\n\n```\n{t}\n```\n"
        );
    }

    let _ = writeln!(out, "## Targets\n");
    let _ = writeln!(out, "| Target | Measured | Verdict |\n|---|---|---|");
    for t in &targets {
        let _ = writeln!(out, "| {} | {} | {} |", t.what, t.measured, verdict(t.met));
    }
    out
}

fn render_startup(
    out: &mut String,
    targets: &mut Vec<Target>,
    names: &[&str],
    series: &[Series],
    sizes: &[(u64, u64)],
) {
    let _ = writeln!(
        out,
        "## 1–2. Start-up as Terraform launches a provider (AutoMTLS)\n"
    );
    let _ = writeln!(
        out,
        "Each launch: exec with Terraform's environment and a fresh P-521 `CA:TRUE` client certificate in \
         `PLUGIN_CLIENT_CERT`, read the handshake line, read RSS, then mTLS connect + GetSchema + \
         GRPCController.Shutdown until the process has been reaped. CPU is the process's own (`wait4`); peak \
         RSS is its `VmHWM` just before Shutdown (`wait4`'s `ru_maxrss` would carry this process's own peak \
         into the child across exec).\n"
    );
    let _ = writeln!(
        out,
        "| Provider | exec→handshake median | p90 | full cycle median | p90 | CPU per cycle (median) | RSS after \
         handshake (median) | peak RSS (median) | binary | stripped | GetSchema response |\n\
         |---|---|---|---|---|---|---|---|---|---|---|"
    );
    let hs: Vec<Vec<f64>> = series
        .iter()
        .map(|s| s.launches.iter().map(|l| ms(l.handshake)).collect())
        .collect();
    let cyc: Vec<Vec<f64>> = series
        .iter()
        .map(|s| s.launches.iter().map(|l| ms(l.cycle)).collect())
        .collect();
    for (i, s) in series.iter().enumerate() {
        let h = summarize(&hs[i]);
        let c = summarize(&cyc[i]);
        let cpu = median_of(s.launches.iter().map(|l| ms(l.usage.cpu())));
        let rss = median_of(s.launches.iter().map(|l| mib(l.rss_after_handshake_kib)));
        let peak = median_of(s.launches.iter().map(|l| mib(l.peak_rss_kib)));
        let schema = s.launches.first().map_or(0, |l| l.schema_bytes);
        let (size, stripped) = sizes.get(i).copied().unwrap_or((0, 0));
        let _ = writeln!(
            out,
            "| {} | {} | {} | {} | {} | {} | {:.1} MiB | {:.1} MiB | {:.1} MB | {:.1} MB | {:.1} KB{} |",
            names.get(i).copied().unwrap_or("?"),
            fmt_ms(h.median),
            fmt_ms(h.p90),
            fmt_ms(c.median),
            fmt_ms(c.p90),
            fmt_ms(cpu),
            rss,
            peak,
            size as f64 / 1e6,
            stripped as f64 / 1e6,
            schema as f64 / 1e3,
            if s.shutdown_unanswered > 0 {
                format!(" Shutdown unanswered {}× (the Go server stops before replying), exited by itself", s.shutdown_unanswered)
            } else {
                String::new()
            }
        );
    }
    let _ = writeln!(
        out,
        "\nWhere the full cycle goes (medians, ms from exec): handshake line → mTLS connected → GetSchema answered \
         → Shutdown answered → process reaped.\n"
    );
    let _ = writeln!(out, "| Provider | handshake | connected | GetSchema | Shutdown | exited |\n|---|---|---|---|---|---|");
    for (i, s) in series.iter().enumerate() {
        let m = |f: fn(&crate::startup::Launch) -> Duration| {
            fmt_ms(median_of(s.launches.iter().map(|l| ms(f(l)))))
        };
        let _ = writeln!(
            out,
            "| {} | {} | {} | {} | {} | {} |",
            names.get(i).copied().unwrap_or("?"),
            m(|l| l.handshake),
            m(|l| l.connected),
            m(|l| l.schema),
            m(|l| l.shutdown),
            m(|l| l.cycle)
        );
    }
    let _ = writeln!(
        out,
        "\nSpeed-up of ours, per round (peer time / our time in the same round): median, and the value 90% of \
         rounds reach (p10).\n"
    );
    let _ = writeln!(out, "| Peer | exec→handshake median | 90% of rounds ≥ | full cycle median | 90% of rounds ≥ |\n|---|---|---|---|---|");
    let mut null_speedups = None;
    for i in 1..series.len() {
        let h = summarize(&ratios(&hs[i], &hs[0]));
        let c = summarize(&ratios(&cyc[i], &cyc[0]));
        // p10 of a speed-up = 1 / p90 of its inverse.
        let h10 = 1.0 / summarize(&ratios(&hs[0], &hs[i])).p90;
        let c10 = 1.0 / summarize(&ratios(&cyc[0], &cyc[i])).p90;
        let _ = writeln!(
            out,
            "| {} | {} | {} | {} | {} |",
            names.get(i).copied().unwrap_or("?"),
            fmt_ratio(h.median),
            fmt_ratio(h10),
            fmt_ratio(c.median),
            fmt_ratio(c10)
        );
        if i == 1 {
            null_speedups = Some((h, c));
        }
    }
    let _ = writeln!(out);
    let h = summarize(&hs[0]);
    let c = summarize(&cyc[0]);
    targets.push(Target {
        what: "exec→handshake ≤ 5 ms (AutoMTLS)".into(),
        measured: format!("median {}, p90 {}", fmt_ms(h.median), fmt_ms(h.p90)),
        met: Some(h.median <= 5.0),
    });
    targets.push(Target {
        what: "full cycle ≤ 10 ms (AutoMTLS)".into(),
        measured: format!("median {}, p90 {}", fmt_ms(c.median), fmt_ms(c.p90)),
        met: Some(c.median <= 10.0),
    });
    if let Some((hn, cn)) = null_speedups {
        targets.push(Target {
            what: "≥ 6× faster than the null provider".into(),
            measured: format!(
                "handshake {} , full cycle {} (median per-round ratios)",
                fmt_ratio(hn.median),
                fmt_ratio(cn.median)
            ),
            met: Some(hn.median >= 6.0 && cn.median >= 6.0),
        });
    }
    let rss = summarize(
        &series[0]
            .launches
            .iter()
            .map(|l| mib(l.rss_after_handshake_kib))
            .collect::<Vec<_>>(),
    );
    targets.push(Target {
        what: "RSS ≤ 8 MiB after the handshake".into(),
        measured: format!("median {:.1} MiB, max {:.1} MiB", rss.median, rss.max),
        met: Some(rss.median <= 8.0),
    });
    if let Some((size, stripped)) = sizes.first() {
        let s = if *stripped > 0 { *stripped } else { *size };
        targets.push(Target {
            what: "binary ≤ 12 MB (stripped)".into(),
            measured: format!("{:.2} MB", s as f64 / 1e6),
            met: Some(s as f64 <= 12e6),
        });
    }
}

fn walls(runs: &[Run]) -> Vec<f64> {
    runs.iter().map(|r| ms(r.wall)).collect()
}

fn cpu_median(runs: &[Run]) -> f64 {
    median_of(runs.iter().map(|r| ms(r.provider_cpu())))
}

fn calls_text(calls: &[std::collections::BTreeMap<String, usize>]) -> String {
    let mut distinct: Vec<String> = calls
        .iter()
        .map(|m| {
            m.iter()
                .map(|(k, v)| format!("{v} {k}"))
                .collect::<Vec<_>>()
                .join(" + ")
        })
        .collect();
    distinct.sort();
    distinct.dedup();
    if distinct.is_empty() {
        "–".into()
    } else {
        distinct.join(" / ")
    }
}

fn render_scale(out: &mut String, targets: &mut Vec<Target>, scale: &[Scale]) {
    let _ = writeln!(
        out,
        "## 3. `terraform plan` (no-op, refreshing N) and `terraform apply` (creating N)\n"
    );
    let _ = writeln!(
        out,
        "N `modelarts_notebook`s against the emulator (transition 0) next to N `null_resource`s, Terraform 1.0.3 with \
         default settings (parallelism 10), both providers installed from a filesystem mirror behind the same \
         rusage shim. Apply starts from an empty state each round (emulator reset). Plans must report no changes. \
         \"null-sized\" is a third side: N `null_resource`s whose `triggers` hold a notebook's refreshed state \
         flattened into 48 strings (about the same bytes per resource as a notebook), so Terraform handles objects of \
         the notebook's size while the provider does nothing.\n"
    );
    let _ = writeln!(
        out,
        "| Command | N | rounds | ours median | ours p90 | null median | null p90 | ours/null median | ours/null p90 | \
         null-sized median | ours/null-sized median |\n\
         |---|---|---|---|---|---|---|---|---|---|---|"
    );
    for s in scale {
        for (cmd, ours, null, sized) in [
            ("plan", &s.ours.plan, &s.null.plan, &s.sized.plan),
            ("apply", &s.ours.apply, &s.null.apply, &s.sized.apply),
        ] {
            let (o, n, z) = (
                summarize(&walls(ours)),
                summarize(&walls(null)),
                summarize(&walls(sized)),
            );
            let r = summarize(&ratios(&walls(ours), &walls(null)));
            let rz = summarize(&ratios(&walls(ours), &walls(sized)));
            let _ = writeln!(
                out,
                "| {cmd} | {} | {} | {} | {} | {} | {} | {} | {} | {} | {} |",
                s.n,
                ours.len().min(null.len()),
                fmt_ms(o.median),
                fmt_ms(o.p90),
                fmt_ms(n.median),
                fmt_ms(n.p90),
                fmt_ratio(r.median),
                fmt_ratio(r.p90),
                fmt_ms(z.median),
                fmt_ratio(rz.median)
            );
        }
    }
    let _ = writeln!(
        out,
        "\nCost per command (medians). Provider CPU is the sum over the command's provider launches; \"marginal\" is \
         (CPU at N − CPU at N=1) / (N − 1), i.e. without the fixed start-up cost. Terraform CPU is Terraform's own.\n"
    );
    let _ = writeln!(
        out,
        "| Command | N | provider CPU ours | per resource | marginal | provider CPU null | per resource | marginal | \
         peak RSS ours | peak RSS null | launches ours/null | Terraform CPU ours / null / null-sized | emulator CPU | API calls (ours) |\n\
         |---|---|---|---|---|---|---|---|---|---|---|---|---|---|"
    );
    let base = scale.iter().find(|s| s.n == 1);
    for s in scale {
        for cmd in ["plan", "apply"] {
            let pick = |side: &'_ Side| -> Vec<Run> {
                if cmd == "plan" {
                    side.plan.clone()
                } else {
                    side.apply.clone()
                }
            };
            let (ours, null) = (pick(&s.ours), pick(&s.null));
            let (co, cn) = (cpu_median(&ours), cpu_median(&null));
            let marginal = |side: fn(&Scale) -> &Side, now: f64| -> f64 {
                match base {
                    Some(b) if s.n > 1 => {
                        let b_runs = if cmd == "plan" {
                            &side(b).plan
                        } else {
                            &side(b).apply
                        };
                        (now - cpu_median(b_runs)) / (s.n - 1) as f64
                    }
                    _ => f64::NAN,
                }
            };
            let peak = |runs: &[Run]| median_of(runs.iter().map(|r| mib(r.peak_rss_kib())));
            let launches = |runs: &[Run]| runs.first().map_or(0, |r| r.launches.len());
            let tf_cpu = |runs: &[Run]| median_of(runs.iter().map(|r| ms(r.terraform_cpu)));
            let emu = if cmd == "plan" {
                fmt_ms(median_of(s.ours.emulator_cpu_plan.iter().map(|d| ms(*d))))
            } else {
                "–".into()
            };
            let calls = if cmd == "plan" {
                &s.ours.plan_calls
            } else {
                &s.ours.apply_calls
            };
            let _ = writeln!(
                out,
                "| {cmd} | {} | {} | {} | {} | {} | {} | {} | {:.1} MiB | {:.1} MiB | {}/{} | {} / {} / {} | {} | {} |",
                s.n,
                fmt_ms(co),
                fmt_ms(co / s.n as f64),
                fmt_ms(marginal(|x| &x.ours, co)),
                fmt_ms(cn),
                fmt_ms(cn / s.n as f64),
                fmt_ms(marginal(|x| &x.null, cn)),
                peak(&ours),
                peak(&null),
                launches(&ours),
                launches(&null),
                fmt_ms(tf_cpu(&ours)),
                fmt_ms(tf_cpu(&null)),
                fmt_ms(tf_cpu(&pick(&s.sized))),
                emu,
                calls_text(calls)
            );
        }
    }
    let _ = writeln!(out);
    let _ = writeln!(
        out,
        "State size per resource: {}. Terraform's own CPU grows with the size and shape of each resource's object \
         (it decodes, compares, re-encodes and deep-copies every attribute several times per plan; with `count` it \
         also copies the whole resource for each instance when it attaches state, which is quadratic in N), which is \
         why it differs between the columns although Terraform does the same steps for each. The null-sized column \
         shows the same growth with a provider that does no work.\n",
        scale
            .iter()
            .map(|s| format!(
                "N={}: ours {:.0} B, null {:.0} B, null-sized {:.0} B",
                s.n,
                s.ours.state_bytes as f64 / s.n as f64,
                s.null.state_bytes as f64 / s.n as f64,
                s.sized.state_bytes as f64 / s.n as f64
            ))
            .collect::<Vec<_>>()
            .join("; ")
    );
    let _ = writeln!(
        out,
        "An apply of N notebooks cannot take less than ⌈N / 10⌉ × {} s at Terraform's default parallelism of 10: \
         each create waits for its first status poll, {} s after the POST (the default poll backoff; with a real \
         transition of minutes that poll is never early).\n",
        PollSettings::default().initial.as_secs_f64(),
        PollSettings::default().initial.as_secs_f64()
    );

    if let Some(big) = scale.iter().max_by_key(|s| s.n) {
        let r = summarize(&ratios(&walls(&big.ours.plan), &walls(&big.null.plan)));
        let rz = summarize(&ratios(&walls(&big.ours.plan), &walls(&big.sized.plan)));
        let tf_cpu = |runs: &[Run]| median_of(runs.iter().map(|r| ms(r.terraform_cpu)));
        targets.push(Target {
            what: format!(
                "no-op plan of {} notebooks ≤ 1.2× the wall time of {} null_resources",
                big.n, big.n
            ),
            measured: format!(
                "median {}, p90 {} (per-round ratios); against null_resources holding a notebook-sized state: \
                 median {}. Terraform's own CPU: ours {}, null {}, null-sized {}",
                fmt_ratio(r.median),
                fmt_ratio(r.p90),
                fmt_ratio(rz.median),
                fmt_ms(tf_cpu(&big.ours.plan)),
                fmt_ms(tf_cpu(&big.null.plan)),
                fmt_ms(tf_cpu(&big.sized.plan))
            ),
            met: Some(r.median <= 1.2),
        });
        let co = cpu_median(&big.ours.plan);
        let per = co / big.n as f64;
        targets.push(Target {
            what: "provider CPU ≤ 0.2 ms per resource incl. its HTTP GET (no-op plan)".into(),
            measured: format!(
                "{} per resource at N={} ({} in total, 3 launches included)",
                fmt_ms(per),
                big.n,
                fmt_ms(co)
            ),
            met: Some(per <= 0.2),
        });
    }
    let refresh_ok = scale.iter().all(|s| {
        s.ours
            .plan_calls
            .iter()
            .all(|m| m.len() == 1 && m.get("GET") == Some(&s.n))
    });
    targets.push(Target {
        what: "refresh = 1 GET per notebook".into(),
        measured: scale
            .iter()
            .map(|s| format!("N={}: {}", s.n, calls_text(&s.ours.plan_calls)))
            .collect::<Vec<_>>()
            .join("; "),
        met: Some(refresh_ok),
    });
}

fn render_callgrind(out: &mut String, targets: &mut Vec<Target>, rows: &[CallgrindRow]) {
    let _ = writeln!(
        out,
        "### Instruction counts (callgrind): no-op plan, all provider launches\n"
    );
    let _ = writeln!(
        out,
        "Each provider launch of one no-op plan runs under `valgrind --tool=callgrind`; counts are summed over the \
         launches. Instruction counts do not depend on the machine's load.\n"
    );
    let _ = writeln!(
        out,
        "| N | ours Ir (launches) | null Ir (launches) | floor Ir (launches) |\n|---|---|---|---|"
    );
    let fmt = |r: &Result<(u64, usize), String>| match r {
        Ok((ir, n)) => format!("{} ({n})", fmt_count(*ir)),
        Err(e) if e.starts_with("not run") => e.clone(),
        Err(e) => format!("failed: {}", e.lines().next().unwrap_or_default()),
    };
    for row in rows {
        let _ = writeln!(
            out,
            "| {} | {} | {} | {} |",
            row.n,
            fmt(&row.ours),
            fmt(&row.null),
            fmt(&row.floor)
        );
    }
    let per = |side: fn(&CallgrindRow) -> &Result<(u64, usize), String>| -> Option<(usize, f64)> {
        let first = rows.iter().find(|r| r.n == 1)?;
        let last = rows.iter().filter(|r| r.n > 1).max_by_key(|r| r.n)?;
        let (a, _) = side(first).as_ref().ok()?;
        let (b, _) = side(last).as_ref().ok()?;
        Some((last.n, (*b as f64 - *a as f64) / (last.n - 1) as f64))
    };
    if let Some((n, ours)) = per(|r| &r.ours) {
        let null = per(|r| &r.null).map_or("–".into(), |(_, v)| fmt_count(v.max(0.0) as u64));
        let floor = per(|r| &r.floor).map_or("–".into(), |(_, v)| fmt_count(v.max(0.0) as u64));
        let _ = writeln!(
            out,
            "\nMarginal instructions per refreshed resource (N=1 → N={n}): ours {}, null {null}, floor \
             {floor}. Startup (N=1 plan, all launches): see the first row.\n",
            fmt_count(ours.max(0.0) as u64)
        );
        targets.push(Target {
            what: "(callgrind) marginal provider instructions per refreshed notebook".into(),
            measured: format!(
                "{} Ir (null: {null} Ir per null_resource; floor: {floor} Ir per notebook)",
                fmt_count(ours.max(0.0) as u64)
            ),
            met: None,
        });
    }
    let _ = writeln!(out);
}

/// Provider CPU of the no-op plans of ours and the floor at one N, over the rounds both ran (ms).
#[derive(Debug, Clone, PartialEq)]
pub struct FloorRow {
    pub n: usize,
    pub rounds: usize,
    pub ours_cpu: f64,
    pub floor_cpu: f64,
    /// Per-round ours/floor provider CPU, median.
    pub ratio: f64,
    /// (CPU at N − CPU at N=1) / (N − 1); NaN without an N=1 row or at N=1.
    pub ours_marginal: f64,
    pub floor_marginal: f64,
}

impl FloorRow {
    /// `ours` and `floor` hold one provider-CPU sample (ms) per round; only rounds where both ran count.
    /// `base` is the (ours, floor) row at N=1, for the marginal cost.
    pub fn new(n: usize, ours: &[f64], floor: &[f64], base: Option<&FloorRow>) -> FloorRow {
        let k = ours.len().min(floor.len());
        let (ours, floor) = (&ours[..k], &floor[..k]);
        let ours_cpu = summarize(ours).median;
        let floor_cpu = summarize(floor).median;
        let marginal = |now: f64, at_one: f64| {
            if n > 1 {
                (now - at_one) / (n - 1) as f64
            } else {
                f64::NAN
            }
        };
        FloorRow {
            n,
            rounds: k,
            ours_cpu,
            floor_cpu,
            ratio: summarize(&ratios(ours, floor)).median,
            ours_marginal: base.map_or(f64::NAN, |b| marginal(ours_cpu, b.ours_cpu)),
            floor_marginal: base.map_or(f64::NAN, |b| marginal(floor_cpu, b.floor_cpu)),
        }
    }

    pub fn ours_per(&self) -> f64 {
        self.ours_cpu / self.n as f64
    }

    pub fn floor_per(&self) -> f64 {
        self.floor_cpu / self.n as f64
    }
}

pub fn floor_rows(scale: &[Scale]) -> Vec<FloorRow> {
    let cpus = |runs: &[Run]| {
        runs.iter()
            .map(|r| ms(r.provider_cpu()))
            .collect::<Vec<_>>()
    };
    let mut rows: Vec<FloorRow> = Vec::new();
    for s in scale.iter().filter(|s| !s.floor.plan.is_empty()) {
        let base = rows.iter().find(|r| r.n == 1).cloned();
        rows.push(FloorRow::new(
            s.n,
            &cpus(&s.ours.plan),
            &cpus(&s.floor.plan),
            base.as_ref(),
        ));
    }
    rows
}

fn render_floor(out: &mut String, targets: &mut Vec<Target>, scale: &[Scale]) {
    let rows = floor_rows(scale);
    if rows.is_empty() {
        return;
    }
    let _ = writeln!(
        out,
        "### The floor: our server stack doing the least work protocol 5 allows\n"
    );
    let _ = writeln!(
        out,
        "\"floor\" is `bench/floor_provider.rs`, built with the same release profile as ours: the same binary stack \
         (go-plugin handshake, AutoMTLS rustls, tonic, proto conversion, the real schema and Configure), but \
         ValidateResourceTypeConfig answers nothing, UpgradeResourceState hands the stored JSON back, ReadResource \
         sends one signed GET (our signer, reqwest) and returns the state it was given, and PlanResourceChange \
         plans the proposed state as it came. It plans ours' notebooks (a copy of ours' state, same emulator), \
         installed under our address from a mirror of its own behind the same rusage shim, in the first rounds of \
         each N (ours' columns below use the same rounds). Its provider CPU is what the mandated stack costs per \
         refreshed notebook before any value handling of ours: no implementation on this stack goes below it.\n"
    );
    let _ = writeln!(
        out,
        "| N | rounds | provider CPU ours | floor | per notebook ours | floor | marginal ours | floor | ours/floor \
         (per round, median) | ours − floor per notebook | plan wall ours / floor | API calls (floor) |\n\
         |---|---|---|---|---|---|---|---|---|---|---|---|"
    );
    for (row, s) in rows
        .iter()
        .zip(scale.iter().filter(|s| !s.floor.plan.is_empty()))
    {
        let k = row.rounds;
        let wall = |runs: &[Run]| fmt_ms(summarize(&walls(&runs[..k.min(runs.len())])).median);
        let _ = writeln!(
            out,
            "| {} | {k} | {} | {} | {} | {} | {} | {} | {} | {} | {} / {} | {} |",
            row.n,
            fmt_ms(row.ours_cpu),
            fmt_ms(row.floor_cpu),
            fmt_ms(row.ours_per()),
            fmt_ms(row.floor_per()),
            fmt_ms(row.ours_marginal),
            fmt_ms(row.floor_marginal),
            fmt_ratio(row.ratio),
            // At N=1 the difference is start-up, not per notebook.
            fmt_ms(if row.n > 1 {
                row.ours_per() - row.floor_per()
            } else {
                f64::NAN
            }),
            wall(&s.ours.plan),
            wall(&s.floor.plan),
            calls_text(&s.floor.plan_calls)
        );
    }
    let _ = writeln!(out);
    if let Some(big) = rows.iter().max_by_key(|r| r.n) {
        targets.push(Target {
            what: "(floor) provider CPU per refreshed notebook of the mandated stack doing the least work".into(),
            measured: format!(
                "{} per notebook at N={} (marginal {}), {} the 0.2 ms target; ours {} ({} the floor, median of \
                 per-round ratios)",
                fmt_ms(big.floor_per()),
                big.n,
                fmt_ms(big.floor_marginal),
                if big.floor_per() <= 0.2 {
                    "within"
                } else {
                    "above"
                },
                fmt_ms(big.ours_per()),
                fmt_ratio(big.ratio)
            ),
            met: None,
        });
    }
    let floor_refresh_ok = scale.iter().filter(|s| !s.floor.plan.is_empty()).all(|s| {
        s.floor
            .plan_calls
            .iter()
            .all(|m| m.len() == 1 && m.get("GET") == Some(&s.n))
    });
    targets.push(Target {
        what: "(floor) refresh = 1 GET per notebook, no-op plan".into(),
        measured: scale
            .iter()
            .filter(|s| !s.floor.plan.is_empty())
            .map(|s| format!("N={}: {}", s.n, calls_text(&s.floor.plan_calls)))
            .collect::<Vec<_>>()
            .join("; "),
        met: Some(floor_refresh_ok),
    });
}

fn op_calls(op: &Operation) -> String {
    op.calls
        .iter()
        .map(|(k, v)| format!("{v} {k}"))
        .collect::<Vec<_>>()
        .join(" + ")
}

fn render_calls(out: &mut String, targets: &mut Vec<Target>, r: &Results) {
    let _ = writeln!(
        out,
        "## 4. API calls per operation (emulator journal, one notebook)\n"
    );
    let _ = writeln!(
        out,
        "Each operation is planned to a file and the saved plan applied, so the journal holds only the \
         operation's own calls. \"Minimum\" is what the operation cannot do without: one GET to see each \
         transition end (and one to learn the current state before a running update).\n"
    );
    let _ = writeln!(
        out,
        "| Operation | calls at transition 0 | sequence | minimum GETs | calls at transition {} ms | waits at {} ms (action: waited, polls) |\n\
         |---|---|---|---|---|---|",
        r.wait_transition_ms, r.wait_transition_ms
    );
    let minimum = calls::minimum_gets;
    let mut repeated = Vec::new();
    for (i, op) in r.calls_zero.iter().enumerate() {
        let wait = r.calls_wait.get(i);
        let waits = wait.map_or("–".into(), |w| {
            if w.waits.is_empty() {
                "–".into()
            } else {
                w.waits
                    .iter()
                    .map(|x| format!("{}: {} ms, {}", x.action, x.waited.as_millis(), x.polls))
                    .collect::<Vec<_>>()
                    .join("; ")
            }
        });
        let gets = op.calls.get("GET").copied().unwrap_or(0);
        if gets > minimum(op.name) {
            repeated.push(format!(
                "{}: {gets} GETs where {} would do",
                op.name,
                minimum(op.name)
            ));
        }
        let _ = writeln!(
            out,
            "| {} | {} | {} | {} | {} | {} |",
            op.name,
            op_calls(op),
            op.sequence.join(", "),
            minimum(op.name),
            wait.map_or("–".into(), op_calls),
            waits
        );
    }
    let stopped = r
        .calls_zero
        .iter()
        .find(|o| o.name.starts_with("update of a STOPPED"));
    if let Some(op) = stopped {
        let puts = op.calls.get("PUT").copied().unwrap_or(0);
        let gets = op.calls.get("GET").copied().unwrap_or(0);
        targets.push(Target {
            what: "update of a stopped notebook = 1 PUT + ≤ 2 GETs".into(),
            measured: op_calls(op),
            met: Some(puts == 1 && gets <= 2 && op.calls.len() == 2),
        });
    }
    targets.push(Target {
        what: "no request repeated for nothing (transition 0)".into(),
        measured: if repeated.is_empty() {
            "none".into()
        } else {
            repeated.join("; ")
        },
        met: Some(repeated.is_empty()),
    });

    let p = &r.poll;
    let _ = writeln!(
        out,
        "\nDefault poll backoff (client `PollSettings::default()`): first poll after {} ms, then doubling, capped at \
         {} ms. Waiting it costs at realistic transition times (analytic, same schedule as measured above):\n",
        p.initial.as_millis(),
        p.max.as_millis()
    );
    let _ = writeln!(
        out,
        "| transition | polls | waited | past the end of the transition |\n|---|---|---|---|"
    );
    for secs in [10u64, 30, 60, 120, 180, 300] {
        let (polls, waited, past) =
            calls::analytic_wait(p.initial, p.max, Duration::from_secs(secs));
        let _ = writeln!(
            out,
            "| {secs} s | {polls} | {} s | {} s |",
            waited.as_secs(),
            past.as_secs()
        );
    }
    let _ = writeln!(out);
    targets.push(Target {
        what: "polling backoff capped".into(),
        measured: format!(
            "doubling from {} s, capped at {} s: at most {} s late, {} GETs for a 5-minute transition",
            p.initial.as_secs(),
            p.max.as_secs(),
            p.max.as_secs(),
            calls::analytic_wait(p.initial, p.max, Duration::from_secs(300)).0
        ),
        met: Some(p.max <= Duration::from_secs(30)),
    });
}

pub const CHECKS: &[(&str, fn())] = &[
    ("report: number formatting", check_formatting),
    ("report: floor rows", check_floor_rows),
];

fn check_formatting() {
    assert_eq!(fmt_count(1234567), "1,234,567");
    assert_eq!(fmt_count(999), "999");
    assert_eq!(fmt_ms(3.456), "3.46 ms");
    assert_eq!(fmt_ms(123.4), "123 ms");
    assert_eq!(fmt_ms(12_345.0), "12.3 s");
    assert_eq!(fmt_ratio(f64::NAN), "–");
}

fn check_floor_rows() {
    // Rounds pair up by index; ours' extra rounds (the floor ran in fewer) are left out.
    let one = FloorRow::new(1, &[20.0, 22.0, 90.0], &[18.0, 20.0], None);
    assert_eq!(one.rounds, 2);
    assert_eq!(one.ours_cpu, 21.0);
    assert!(one.ours_marginal.is_nan());
    let big = FloorRow::new(1001, &[621.0, 641.0], &[218.0, 238.0], Some(&one));
    assert_eq!(big.floor_cpu, 228.0);
    assert!((big.ours_marginal - 0.61).abs() < 1e-9);
    assert!((big.floor_marginal - 0.209).abs() < 1e-9);
    assert!((big.ratio - (621.0 / 218.0 + 641.0 / 238.0) / 2.0).abs() < 1e-9);
    assert!((big.floor_per() - 228.0 / 1001.0).abs() < 1e-12);
    assert!(FloorRow::new(100, &[], &[], None).ours_cpu.is_nan());
}
