//! `modelarts-emulator`: serves the local ModelArts notebook API; the first stdout line is its base URL.

use anyhow::{bail, Context, Result};
use modelarts::emulator::{DeletePolicy, Emulator, UpdatePolicy};
use std::io::Write;
use std::net::SocketAddr;
use std::path::PathBuf;

const USAGE: &str = "\
modelarts-emulator: a local Huawei Cloud ModelArts notebook API

Usage: modelarts-emulator [OPTIONS]

Options:
  --listen ADDR            address to bind (default 127.0.0.1:0); the first stdout line is the base URL
  --credentials FILE       JSON list of extra credentials (see docs/emulator.md)
  --state-file PATH        keep notebooks in PATH (written atomically on every change, loaded at start)
  --transition-ms N        duration of transient states in ms (default 300; 0 allowed)
  --update-policy P        strict (default: updates need STOPPED) or hot (name, description,
                           storage_new_size also while RUNNING)
  --delete-policy P        allow (default: RUNNING may be deleted) or strict (ModelArts.6304)
  --no-clock-check         accept any X-Sdk-Date (replay recorded requests)
  --admin-token T          require X-Emulator-Admin-Token on /_emulator/* (also
                           MODELARTS_EMULATOR_ADMIN_TOKEN); without it the control plane is
                           served only on loopback binds
  --journal-capacity N     request journal size (default 10000)
  -h, --help               this text
  -V, --version            version

Demo credentials: AK MAEMULATORDEMOAK0001, SK maEmulatorDemoSecretKey0000000000000001,
project 0123456789abcdef0123456789abcdef.
";

fn value(args: &mut impl Iterator<Item = String>, flag: &str) -> Result<String> {
    args.next().with_context(|| format!("{flag} needs a value"))
}

fn parse() -> Result<Option<modelarts::emulator::EmulatorBuilder>> {
    let mut b = Emulator::builder();
    let mut args = std::env::args().skip(1);
    let mut token = std::env::var("MODELARTS_EMULATOR_ADMIN_TOKEN")
        .ok()
        .filter(|t| !t.is_empty());
    while let Some(arg) = args.next() {
        // Accept both `--flag value` and `--flag=value`.
        let (flag, inline) = match arg.split_once('=') {
            Some((f, v)) if f.starts_with("--") => (f.to_string(), Some(v.to_string())),
            _ => (arg.clone(), None),
        };
        let mut val = |f: &str| match inline.clone() {
            Some(v) => Ok(v),
            None => value(&mut args, f),
        };
        match flag.as_str() {
            "-h" | "--help" => {
                print!("{USAGE}");
                return Ok(None);
            }
            "-V" | "--version" => {
                println!("modelarts-emulator {}", env!("CARGO_PKG_VERSION"));
                return Ok(None);
            }
            "--listen" => {
                let v = val("--listen")?;
                let addr: SocketAddr = v
                    .parse()
                    .with_context(|| format!("--listen: bad address {v:?}"))?;
                b = b.listen(addr);
            }
            "--credentials" => {
                let v = PathBuf::from(val("--credentials")?);
                b = b.credentials_file(&v)?;
            }
            "--state-file" => b = b.state_file(val("--state-file")?),
            "--transition-ms" => {
                let v = val("--transition-ms")?;
                b = b.transition_ms(
                    v.parse()
                        .with_context(|| format!("--transition-ms: bad number {v:?}"))?,
                );
            }
            "--update-policy" => {
                let p: UpdatePolicy = val("--update-policy")?
                    .parse()
                    .map_err(anyhow::Error::msg)?;
                b = b.update_policy(p);
            }
            "--delete-policy" => {
                let p: DeletePolicy = val("--delete-policy")?
                    .parse()
                    .map_err(anyhow::Error::msg)?;
                b = b.delete_policy(p);
            }
            "--no-clock-check" => b = b.clock_check(false),
            "--admin-token" => token = Some(val("--admin-token")?),
            "--journal-capacity" => {
                let v = val("--journal-capacity")?;
                b = b.journal_capacity(
                    v.parse()
                        .with_context(|| format!("--journal-capacity: bad number {v:?}"))?,
                );
            }
            other => bail!("unknown argument {other:?} (see --help)"),
        }
    }
    if let Some(t) = token {
        b = b.admin_token(t);
    }
    Ok(Some(b))
}

async fn wait_for_signal() -> Result<()> {
    use tokio::signal::unix::{signal, SignalKind};
    let mut term = signal(SignalKind::terminate()).context("cannot watch SIGTERM")?;
    tokio::select! {
        r = tokio::signal::ctrl_c() => r.context("cannot watch SIGINT")?,
        _ = term.recv() => {}
    }
    Ok(())
}

#[tokio::main]
async fn main() -> Result<()> {
    let Some(builder) = parse()? else {
        return Ok(());
    };
    let handle = builder.start().await?;
    {
        let mut out = std::io::stdout().lock();
        writeln!(out, "{}", handle.base_url).context("cannot write the base URL")?;
        out.flush().context("cannot flush stdout")?;
    }
    eprintln!(
        "modelarts-emulator: serving the ModelArts notebook API on {}",
        handle.base_url
    );
    wait_for_signal().await?;
    eprintln!("modelarts-emulator: shutting down");
    handle.shutdown().await;
    Ok(())
}
