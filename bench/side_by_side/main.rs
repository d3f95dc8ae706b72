//! Side-by-side benchmark of terraform-provider-modelarts against real Go providers (null 2.1.2, aws 3.39.0),
//! in one run: start-up as Terraform launches it, `terraform plan`/`apply` at N = 1, 100, 1000 against the
//! emulator next to N null_resources, API calls per operation, poll waiting, emulator throughput. Writes a
//! Markdown report (bench/results.md). `make bench` builds everything and runs it; see bench/README.md.
//!
//! Run by `cargo bench --bench side_by_side`; without `--bench` (i.e. under `cargo test`) it runs its own
//! self-checks instead, since the numbers only mean something against release binaries.

#[path = "../../acceptance-tests/plugin.rs"]
mod plugin;

mod calls;
mod config;
mod emulator;
mod procfs;
mod report;
mod scale;
mod startup;
mod stats;
mod tf;

use std::path::Path;
use std::process::ExitCode;
use std::time::Instant;

pub use plugin::BoxError;

use config::Config;
use report::{CallgrindRow, Results, Startup};

fn log(started: Instant, msg: &str) {
    eprintln!("[{:>6.1}s] {msg}", started.elapsed().as_secs_f64());
}

fn run(cfg: &Config) -> Result<Results, BoxError> {
    let t0 = Instant::now();
    let mut results = Results::new(cfg);
    std::fs::create_dir_all(&cfg.work)?;
    log(
        t0,
        &format!("load average at start: {}", results.load_start),
    );

    if cfg.section("startup") {
        log(t0, &format!("start-up: {} interleaved rounds", cfg.rounds));
        let series = startup::run(&cfg.peers, cfg.rounds, &cfg.work)?;
        let sizes = cfg
            .peers
            .iter()
            .map(|p| startup::sizes(&p.binary, &cfg.work))
            .collect();
        results.startup = Some(Startup { series, sizes });
    }

    let need_tf = cfg.section("scale") || cfg.section("calls");
    let emu = if need_tf {
        Some(emulator::EmulatorProcess::start(
            &cfg.emulator,
            0,
            &cfg.work.join("emulator.log"),
        )?)
    } else {
        None
    };
    let mirror_rc = if need_tf {
        Some(tf::install_mirror(&cfg.work, &cfg.shim, &cfg.mirrored())?)
    } else {
        None
    };
    // The floor provider gets a mirror and CLI configuration of its own, under our provider's address.
    let floor_rc = match (cfg.section("scale"), cfg.mirrored_floor()) {
        (true, Some(floor)) if cfg.floor_rounds > 0 => Some(tf::install_mirror(
            &cfg.work.join("floor"),
            &cfg.shim,
            &floor,
        )?),
        _ => None,
    };
    let image_id = |name: &str| -> Result<String, BoxError> {
        Ok(modelarts::emulator::catalog::image_by_name(name)
            .ok_or_else(|| format!("catalog image {name} missing"))?
            .id
            .clone())
    };
    let image = image_id("pytorch1.8-cpu-ubuntu18.04")?;
    let other_image = image_id("conda3-ubuntu18.04")?;

    if let (true, Some(emu), Some(rc)) = (cfg.section("scale"), &emu, &mirror_rc) {
        let work_root = cfg.work.join("scale");
        let ctx = scale::Ctx {
            terraform: &cfg.terraform,
            cli_config: rc,
            work_root: &work_root,
            emulator: emu,
            image_id: &image,
            floor_cli_config: floor_rc.as_deref(),
        };
        for &n in &cfg.ns {
            let rounds = scale::Rounds {
                plan: cfg.plan_rounds(n),
                apply: cfg.apply_rounds(n),
                floor: if floor_rc.is_some() {
                    cfg.floor_rounds(n)
                } else {
                    0
                },
            };
            log(
                t0,
                &format!(
                    "scale N={n}: {} plan rounds, {} apply rounds, {} floor plan rounds",
                    rounds.plan, rounds.apply, rounds.floor
                ),
            );
            let (result, mut pair) = scale::run(&ctx, n, rounds, &|m| log(t0, m))?;
            if cfg.callgrind && n <= 100 {
                log(t0, &format!("callgrind: no-op plan of N={n}"));
                let dir = |side: &str| cfg.work.join(format!("callgrind-{side}-{n}"));
                let ours = scale::plan_under_callgrind(&mut pair.ours, &dir("ours"));
                let null = if cfg.callgrind_null {
                    scale::plan_under_callgrind(&mut pair.null, &dir("null"))
                        .map_err(|e| e.to_string())
                } else {
                    Err("not run (BENCH_CALLGRIND_NULL=1 runs it; slow)".to_string())
                };
                let floor = match pair.floor.as_mut() {
                    Some(ws) if cfg.callgrind_floor => scale::copy_state(&pair.ours, ws)
                        .and_then(|()| scale::plan_under_callgrind(ws, &dir("floor")))
                        .map_err(|e| e.to_string()),
                    Some(_) => Err("not run (BENCH_CALLGRIND_FLOOR=0)".to_string()),
                    None => Err("not run (no floor side)".to_string()),
                };
                results.callgrind.push(CallgrindRow {
                    n,
                    ours: ours.map_err(|e| e.to_string()),
                    null,
                    floor,
                });
            }
            results.scale.push(result);
        }
    }

    if let (true, Some(emu), Some(rc)) = (cfg.section("calls"), &emu, &mirror_rc) {
        log(t0, "API calls per operation at transition 0");
        results.calls_zero = calls::run(
            &cfg.terraform,
            rc,
            &cfg.work.join("calls-0"),
            emu,
            &image,
            &other_image,
            0,
        )?;
        log(
            t0,
            &format!(
                "API calls and waits at transition {} ms",
                cfg.wait_transition_ms
            ),
        );
        results.calls_wait = calls::run(
            &cfg.terraform,
            rc,
            &cfg.work.join("calls-t"),
            emu,
            &image,
            &other_image,
            cfg.wait_transition_ms,
        )?;
    }
    drop(emu);

    if cfg.section("throughput") {
        log(t0, "emulator throughput");
        results.throughput = Some(report::throughput(cfg.throughput.as_deref()));
    }
    results.finish(t0.elapsed());
    log(
        t0,
        &format!("done; load average at end: {}", results.load_end),
    );
    Ok(results)
}

fn bench() -> ExitCode {
    let cfg = match Config::from_env(Path::new(env!("CARGO_MANIFEST_DIR"))) {
        Ok(c) => c,
        Err(e) => {
            eprintln!("side_by_side: {e}");
            return ExitCode::FAILURE;
        }
    };
    match run(&cfg) {
        Ok(results) => {
            let md = report::render(&results);
            if let Err(e) = std::fs::write(&cfg.out, &md) {
                eprintln!("side_by_side: writing {}: {e}", cfg.out.display());
                return ExitCode::FAILURE;
            }
            println!("{md}");
            eprintln!("report written to {}", cfg.out.display());
            ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("side_by_side failed: {e}");
            ExitCode::FAILURE
        }
    }
}

/// The self-checks of the pure parts (this target has no libtest harness).
fn self_checks() -> ExitCode {
    let all = [
        stats::CHECKS,
        calls::CHECKS,
        tf::CHECKS,
        report::CHECKS,
        config::CHECKS,
    ]
    .concat();
    let mut failed = 0;
    for (name, check) in &all {
        match std::panic::catch_unwind(check) {
            Ok(()) => println!("check {name} ... ok"),
            Err(_) => {
                println!("check {name} ... FAILED");
                failed += 1;
            }
        }
    }
    println!("{} passed, {failed} failed", all.len() - failed);
    if failed == 0 {
        ExitCode::SUCCESS
    } else {
        ExitCode::FAILURE
    }
}

fn main() -> ExitCode {
    if std::env::args().any(|a| a == "--bench") {
        bench()
    } else {
        self_checks()
    }
}
