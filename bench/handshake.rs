//! Start-up benchmark: launches the release provider the way Terraform does (cookie, `PLUGIN_PROTOCOL_VERSIONS`,
//! a P-521 `CA:TRUE` client certificate) and measures exec→handshake latency, RSS after the handshake, the full
//! handshake + GetSchema + Shutdown cycle (until the process has exited), and the binary size.
//!
//! `make bench-handshake` builds the release binary and runs this; `PROVIDER_BIN` and `BENCH_RUNS` override the
//! binary and the number of runs per kind (default 30). The kinds are interleaved so noise hits them alike.

#[path = "../acceptance-tests/plugin.rs"]
mod plugin;

use std::path::PathBuf;
use std::time::{Duration, Instant};

use plugin::*;

#[derive(Default)]
struct Samples {
    handshake_tls: Vec<Duration>,
    handshake_plain: Vec<Duration>,
    cycle_tls: Vec<Duration>,
    cycle_plain: Vec<Duration>,
    rss_after_handshake_kib: Vec<u64>,
    rss_after_schema_kib: Vec<u64>,
}

fn percentile(sorted: &[f64], p: f64) -> f64 {
    if sorted.is_empty() {
        return f64::NAN;
    }
    let rank = ((p / 100.0) * (sorted.len() as f64 - 1.0)).round() as usize;
    sorted[rank.min(sorted.len() - 1)]
}

fn report(name: &str, unit: &str, mut values: Vec<f64>) {
    values.sort_by(f64::total_cmp);
    println!(
        "{name:<44} n={:<3} median={:>8.2} {unit}  p90={:>8.2} {unit}  min={:>8.2} {unit}  max={:>8.2} {unit}",
        values.len(),
        percentile(&values, 50.0),
        percentile(&values, 90.0),
        values.first().copied().unwrap_or(f64::NAN),
        values.last().copied().unwrap_or(f64::NAN),
    );
}

fn ms(d: &[Duration]) -> Vec<f64> {
    d.iter().map(|d| d.as_secs_f64() * 1000.0).collect()
}

/// Handshake only, then RSS, then GetSchema and RSS again; shut down untimed.
async fn handshake_and_rss(bin: &std::path::Path, s: &mut Samples) -> Result<(), BoxError> {
    let id = ClientIdentity::terraform_like();
    let mut p = launch(&LaunchOptions {
        binary: Some(bin),
        identity: Some(&id),
        ..Default::default()
    })
    .await?;
    s.handshake_tls.push(p.handshake_latency);
    s.rss_after_handshake_kib
        .push(rss_kib(p.pid()).ok_or("no RSS")?);
    let channel = connect(&p.handshake, Some(&id)).await?;
    get_schema(&channel).await?;
    s.rss_after_schema_kib
        .push(rss_kib(p.pid()).ok_or("no RSS")?);
    shutdown(&channel).await?;
    p.wait_exit(Duration::from_secs(3)).await?;
    Ok(())
}

/// exec → handshake → connect → GetSchema → Shutdown → process exited.
async fn full_cycle(bin: &std::path::Path, tls: bool, s: &mut Samples) -> Result<(), BoxError> {
    let id = ClientIdentity::terraform_like();
    let started = Instant::now();
    let mut p = launch(&LaunchOptions {
        binary: Some(bin),
        identity: tls.then_some(&id),
        ..Default::default()
    })
    .await?;
    let channel = connect(&p.handshake, tls.then_some(&id)).await?;
    let schema = get_schema(&channel).await?;
    if schema.provider.is_none() {
        return Err("GetSchema returned no provider schema".into());
    }
    shutdown(&channel).await?;
    drop(channel);
    let (status, _, _, _) = p.wait_exit(Duration::from_secs(3)).await?;
    let elapsed = started.elapsed();
    if !status.success() {
        return Err(format!("plugin exited with {status}").into());
    }
    if tls {
        s.cycle_tls.push(elapsed);
    } else {
        s.handshake_plain.push(p.handshake_latency);
        s.cycle_plain.push(elapsed);
    }
    Ok(())
}

async fn run() -> Result<(), BoxError> {
    let bin = std::env::var_os("PROVIDER_BIN")
        .map(PathBuf::from)
        .unwrap_or_else(|| {
            PathBuf::from(env!("CARGO_MANIFEST_DIR"))
                .join("target/release/terraform-provider-modelarts")
        });
    if !bin.is_file() {
        return Err(format!("{} not found: run `make build` first", bin.display()).into());
    }
    let runs: usize = std::env::var("BENCH_RUNS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(30)
        .max(20);
    println!("binary: {}", bin.display());
    // Warm the page cache and the dynamic loader so the first samples are not outliers.
    let mut warm = Samples::default();
    for _ in 0..3 {
        full_cycle(&bin, true, &mut warm).await?;
    }
    let mut s = Samples::default();
    for _ in 0..runs {
        handshake_and_rss(&bin, &mut s).await?;
        full_cycle(&bin, true, &mut s).await?;
        full_cycle(&bin, false, &mut s).await?;
    }
    report(
        "exec -> handshake line (AutoMTLS)",
        "ms",
        ms(&s.handshake_tls),
    );
    report(
        "exec -> handshake line (plaintext)",
        "ms",
        ms(&s.handshake_plain),
    );
    report(
        "full cycle: handshake+GetSchema+Shutdown+exit (mTLS)",
        "ms",
        ms(&s.cycle_tls),
    );
    report("full cycle (plaintext)", "ms", ms(&s.cycle_plain));
    let mib = |v: &[u64]| v.iter().map(|k| *k as f64 / 1024.0).collect::<Vec<_>>();
    report(
        "RSS after handshake",
        "MiB",
        mib(&s.rss_after_handshake_kib),
    );
    report("RSS after GetSchema", "MiB", mib(&s.rss_after_schema_kib));
    let size = std::fs::metadata(&bin)?.len();
    println!("binary size: {:.2} MB ({size} bytes)", size as f64 / 1e6);
    Ok(())
}

fn main() -> std::process::ExitCode {
    // `cargo test --all-targets` also runs harness-less benches, without `--bench`; the numbers only mean
    // something against the release binary, so only `cargo bench` measures.
    if !std::env::args().any(|a| a == "--bench") {
        println!("handshake bench: skipped outside `cargo bench` (run `make bench-handshake`)");
        return std::process::ExitCode::SUCCESS;
    }
    let runtime = match tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
    {
        Ok(rt) => rt,
        Err(e) => {
            eprintln!("runtime: {e}");
            return std::process::ExitCode::FAILURE;
        }
    };
    match runtime.block_on(run()) {
        Ok(()) => std::process::ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("bench failed: {e}");
            std::process::ExitCode::FAILURE
        }
    }
}
