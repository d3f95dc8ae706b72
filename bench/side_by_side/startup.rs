//! Section 1–2: provider start-up as Terraform does it, ours against the Go peers, interleaved per round:
//! exec → handshake line (AutoMTLS, a fresh P-521 `CA:TRUE` client certificate per launch), RSS right after the
//! handshake, and the full cycle handshake + mTLS connect + GetSchema + Shutdown until the process has exited,
//! with the exact CPU time and peak RSS of that process from `wait4`.

use std::io::BufRead;
use std::path::{Path, PathBuf};
use std::process::Stdio;
use std::time::{Duration, Instant};

use crate::plugin::{self, ClientIdentity, LaunchOptions};
use crate::procfs::{self, Usage};
use crate::BoxError;

/// A provider binary under test.
#[derive(Debug, Clone)]
pub struct Peer {
    pub name: &'static str,
    pub binary: PathBuf,
}

/// One launch's measurements.
#[derive(Debug, Clone, Copy)]
pub struct Launch {
    pub handshake: Duration,
    pub rss_after_handshake_kib: u64,
    /// `VmHWM` just before Shutdown (see [`procfs::peak_rss_kib`]).
    pub peak_rss_kib: u64,
    pub cycle: Duration,
    /// From spawn: mTLS connection up, GetSchema answered, Shutdown answered (or failed).
    pub connected: Duration,
    pub schema: Duration,
    pub shutdown: Duration,
    pub usage: Usage,
    pub schema_bytes: usize,
}

/// All launches of one peer, in round order.
#[derive(Debug, Default)]
pub struct Series {
    pub launches: Vec<Launch>,
    /// Shutdown calls that got no answer: go-plugin's own controller stops its server (closing the connection)
    /// before it can reply, and Terraform ignores that error too. The process must still exit by itself.
    pub shutdown_unanswered: usize,
}

/// Terraform accepts schemas up to this size; the AWS provider's is several MB.
const MAX_SCHEMA: usize = 256 << 20;

async fn get_schema(
    channel: &tonic::transport::Channel,
) -> Result<plugin::tfplugin5::get_provider_schema::Response, BoxError> {
    let mut grpc = tonic::client::Grpc::new(channel.clone()).max_decoding_message_size(MAX_SCHEMA);
    grpc.ready().await?;
    let codec = tonic_prost::ProstCodec::<
        plugin::tfplugin5::get_provider_schema::Request,
        plugin::tfplugin5::get_provider_schema::Response,
    >::default();
    let resp = grpc
        .unary(
            tonic::Request::new(plugin::tfplugin5::get_provider_schema::Request {}),
            http::uri::PathAndQuery::from_static("/tfplugin5.Provider/GetSchema"),
            codec,
        )
        .await?;
    Ok(resp.into_inner())
}

/// Reads the first stdout line, giving up (and killing the process) after `limit`.
fn read_handshake(
    child: &mut std::process::Child,
    limit: Duration,
) -> Result<(String, std::process::ChildStdout), BoxError> {
    let stdout = child.stdout.take().ok_or("no stdout pipe")?;
    let (tx, rx) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        let mut reader = std::io::BufReader::new(stdout);
        let mut line = String::new();
        let r = reader.read_line(&mut line).map(|_| line);
        // Keep the pipe open: a provider writing to a closed stdout would die of SIGPIPE.
        let _ = tx.send((r, reader.into_inner()));
    });
    match rx.recv_timeout(limit) {
        Ok((Ok(line), stdout)) if !line.is_empty() => Ok((line, stdout)),
        Ok((Ok(_), _)) => Err("no handshake line (stdout closed)".into()),
        Ok((Err(e), _)) => Err(e.into()),
        Err(_) => {
            let _ = child.kill();
            Err(format!("no handshake line within {limit:?}").into())
        }
    }
}

/// One launch the way Terraform does it: the whole cycle, timed from spawn to the exit being reaped.
pub fn launch_once(
    rt: &tokio::runtime::Runtime,
    peer: &Peer,
    stderr_log: &Path,
    series: &mut Series,
) -> Result<(), BoxError> {
    let identity = ClientIdentity::terraform_like();
    let opts = LaunchOptions {
        binary: Some(&peer.binary),
        identity: Some(&identity),
        ..Default::default()
    };
    let mut cmd = plugin::plugin_command(&opts);
    let std_cmd = cmd.as_std_mut();
    std_cmd.stderr(Stdio::from(std::fs::File::create(stderr_log)?));
    let started = Instant::now();
    let mut child = std_cmd.spawn()?;
    let (line, stdout) = read_handshake(&mut child, Duration::from_secs(30))?;
    let handshake = started.elapsed();
    let rss = plugin::rss_kib(child.id()).unwrap_or(0);
    let parsed = plugin::HandshakeLine::parse(&line)?;
    if parsed.server_cert.is_none() {
        let _ = child.kill();
        return Err(format!(
            "{}: no server certificate in the handshake (AutoMTLS off?)",
            peer.name
        )
        .into());
    }
    let pid = child.id();
    let (schema_bytes, answered, peak_rss_kib, [connected, schema_at, shutdown_at]) =
        rt.block_on(async {
            let channel = plugin::connect(&parsed, Some(&identity)).await?;
            let connected = started.elapsed();
            let schema = get_schema(&channel).await?;
            let schema_at = started.elapsed();
            if schema.provider.is_none() {
                return Err::<_, BoxError>("GetSchema returned no provider schema".into());
            }
            // Read before Shutdown: the process is gone afterwards, and its peak is reached by now.
            let peak = procfs::peak_rss_kib(pid).unwrap_or(0);
            let answered = plugin::shutdown(&channel).await.is_ok();
            let shutdown_at = started.elapsed();
            // Terraform closes its connection right after Shutdown (go-plugin's GRPCClient.Close).
            drop(channel);
            Ok((
                prost::Message::encoded_len(&schema),
                answered,
                peak,
                [connected, schema_at, shutdown_at],
            ))
        })?;
    if !answered {
        series.shutdown_unanswered += 1;
    }
    // go-plugin kills a plugin 2 s after Shutdown; one still running then counts as a failure here.
    let (code, usage) = procfs::wait_usage(child, Duration::from_secs(2))
        .map_err(|e| format!("{} did not exit after Shutdown: {e}", peer.name))?;
    let cycle = started.elapsed();
    drop(stdout);
    if code != 0 {
        let err = std::fs::read_to_string(stderr_log).unwrap_or_default();
        return Err(format!(
            "{} exited unsuccessfully after Shutdown; stderr:\n{err}",
            peer.name
        )
        .into());
    }
    series.launches.push(Launch {
        handshake,
        rss_after_handshake_kib: rss,
        peak_rss_kib,
        cycle,
        connected,
        schema: schema_at,
        shutdown: shutdown_at,
        usage,
        schema_bytes,
    });
    Ok(())
}

/// `rounds` interleaved rounds (the order rotates each round) after one untimed warm-up launch per peer.
pub fn run(peers: &[Peer], rounds: usize, scratch: &Path) -> Result<Vec<Series>, BoxError> {
    // One worker thread, so the client's connection tasks run (and close) independently of block_on, as in
    // Terraform's client.
    let rt = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(1)
        .enable_all()
        .build()?;
    let stderr_log = scratch.join("startup-stderr.log");
    let peers = installed(peers, &scratch.join("installed"))?;
    let peers = peers.as_slice();
    let mut series: Vec<Series> = peers.iter().map(|_| Series::default()).collect();
    for peer in peers {
        let mut warm = Series::default();
        launch_once(&rt, peer, &stderr_log, &mut warm)?;
    }
    for round in 0..rounds {
        for k in 0..peers.len() {
            let i = (round + k) % peers.len();
            launch_once(&rt, &peers[i], &stderr_log, &mut series[i])
                .map_err(|e| format!("{} (round {round}): {e}", peers[i].name))?;
        }
    }
    Ok(series)
}

/// Copies of the binaries, written the way Terraform's installer writes a provider it unpacks. The file-backed part
/// of RSS depends on how a file sits in the page cache: a binary the linker has just written can be cached in large
/// folios that map in whole, which measured ~1.5 MiB more after the handshake than a copy of the same bytes.
fn installed(peers: &[Peer], dir: &Path) -> Result<Vec<Peer>, BoxError> {
    peers
        .iter()
        .map(|p| {
            let to = dir.join(p.name.replace(|c: char| !c.is_ascii_alphanumeric(), "_"));
            std::fs::create_dir_all(&to)?;
            let to = to.join(p.binary.file_name().unwrap_or_default());
            let _ = std::fs::remove_file(&to);
            // Streamed like the installer's io.Copy: reading a 177 MB peer whole would also inflate this
            // process, and with it every child's `ru_maxrss`.
            let mut from = std::fs::File::open(&p.binary)?;
            let mut out = std::fs::File::create(&to)?;
            let mut buf = vec![0u8; 32 * 1024];
            loop {
                let n = std::io::Read::read(&mut from, &mut buf)?;
                if n == 0 {
                    break;
                }
                std::io::Write::write_all(&mut out, &buf[..n])?;
            }
            #[cfg(unix)]
            {
                use std::os::unix::fs::PermissionsExt;
                std::fs::set_permissions(&to, std::fs::Permissions::from_mode(0o755))?;
            }
            Ok(Peer {
                name: p.name,
                binary: to,
            })
        })
        .collect()
}

/// File size, and size after `strip` (0 when strip is unavailable).
pub fn sizes(binary: &Path, scratch: &Path) -> (u64, u64) {
    let size = std::fs::metadata(binary).map(|m| m.len()).unwrap_or(0);
    let out = scratch.join("stripped");
    let stripped = std::process::Command::new("strip")
        .arg("-o")
        .arg(&out)
        .arg(binary)
        .stderr(Stdio::null())
        .status()
        .ok()
        .filter(|s| s.success())
        .and_then(|_| std::fs::metadata(&out).ok())
        .map(|m| m.len())
        .unwrap_or(0);
    let _ = std::fs::remove_file(&out);
    (size, stripped)
}
