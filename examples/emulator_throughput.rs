//! Benchmark (not a test): sustained signed `GET /v1/{project}/notebooks/{id}` requests per second against an
//! in-process emulator, from C keep-alive HTTP/1.1 connections, for S seconds.
//!
//! `CARGO_PROFILE_RELEASE_LTO=false cargo run --release --example emulator_throughput -- [C] [S]`
//! Each connection signs its request once (api::signing) and replays it: the emulator verifies the signature
//! on every request, so the server does its full per-request work while the client stays cheap.

use axum::body::Body;
use hyper_util::rt::TokioIo;
use modelarts::api::signing::{Signer, SigningInput};
use modelarts::emulator::{demo, Emulator};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

fn signed_get(host: &str, path: &str) -> (String, Vec<(String, String)>) {
    let signer = Signer::new(demo::ACCESS_KEY, demo::SECRET_KEY)
        .with_project_id(Some(demo::PROJECT_ID.into()));
    let headers = vec![("Content-Type".to_string(), "application/json".to_string())];
    let s = signer.sign(
        &SigningInput {
            method: "GET",
            host,
            path,
            query: &[],
            headers: &headers,
            body: b"",
            query_order: Default::default(),
        },
        time::OffsetDateTime::now_utc(),
    );
    (s.uri, s.headers)
}

/// User + system CPU seconds of this process (Linux `/proc/self/stat`, 100 ticks per second).
fn cpu_seconds() -> Option<f64> {
    let stat = std::fs::read_to_string("/proc/self/stat").ok()?;
    // Fields after the parenthesised command name; utime and stime are the 12th and 13th of them.
    let rest = stat.rsplit_once(')')?.1;
    let f: Vec<&str> = rest.split_whitespace().collect();
    let ticks: f64 = f.get(11)?.parse::<f64>().ok()? + f.get(12)?.parse::<f64>().ok()?;
    Some(ticks / 100.0)
}

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    let mut args = std::env::args().skip(1);
    let conns: usize = args.next().map(|a| a.parse()).transpose()?.unwrap_or(32);
    let secs: u64 = args.next().map(|a| a.parse()).transpose()?.unwrap_or(5);

    let h = Emulator::builder().transition_ms(0).start().await?;
    let host = h.addr.to_string();
    let create = format!("/v1/{}/notebooks", demo::PROJECT_ID);
    let body = serde_json::json!({
        "name": "bench", "image_id": modelarts::emulator::catalog::images()[0].id,
        "volume": {"category": "EVS", "ownership": "MANAGED"}})
    .to_string();
    let signer = Signer::new(demo::ACCESS_KEY, demo::SECRET_KEY)
        .with_project_id(Some(demo::PROJECT_ID.into()));
    let ct = vec![("Content-Type".to_string(), "application/json".to_string())];
    let s = signer.sign(
        &SigningInput {
            method: "POST",
            host: &host,
            path: &create,
            query: &[],
            headers: &ct,
            body: body.as_bytes(),
            query_order: Default::default(),
        },
        time::OffsetDateTime::now_utc(),
    );
    let mut req = reqwest::Client::new()
        .post(format!("{}{}", h.base_url, s.uri))
        .body(body);
    for (k, v) in s
        .headers
        .iter()
        .filter(|(k, _)| !k.eq_ignore_ascii_case("host"))
    {
        req = req.header(k, v);
    }
    let nb: serde_json::Value = req.send().await?.json().await?;
    let id = nb["id"]
        .as_str()
        .ok_or_else(|| anyhow::anyhow!("create failed: {nb}"))?
        .to_string();
    let (uri, headers) = signed_get(&host, &format!("/v1/{}/notebooks/{id}", demo::PROJECT_ID));

    let ok = Arc::new(AtomicU64::new(0));
    let bad = Arc::new(AtomicU64::new(0));
    let deadline = Instant::now() + Duration::from_secs(secs);
    let mut tasks = Vec::new();
    for _ in 0..conns {
        let (uri, headers, ok, bad, addr) = (
            uri.clone(),
            headers.clone(),
            ok.clone(),
            bad.clone(),
            h.addr,
        );
        tasks.push(tokio::spawn(async move {
            let stream = tokio::net::TcpStream::connect(addr).await?;
            stream.set_nodelay(true)?;
            let (mut sender, conn) =
                hyper::client::conn::http1::handshake(TokioIo::new(stream)).await?;
            tokio::spawn(conn);
            while Instant::now() < deadline {
                let mut b = http::Request::builder().method("GET").uri(&uri);
                for (k, v) in &headers {
                    b = b.header(k, v);
                }
                sender.ready().await?;
                let resp = sender.send_request(b.body(Body::empty())?).await?;
                let status = resp.status();
                axum::body::to_bytes(Body::new(resp.into_body()), usize::MAX).await?;
                if status.is_success() { &ok } else { &bad }.fetch_add(1, Ordering::Relaxed);
            }
            anyhow::Ok(())
        }));
    }
    let cpu0 = cpu_seconds();
    let started = Instant::now();
    for t in tasks {
        t.await??;
    }
    let elapsed = started.elapsed().as_secs_f64();
    let cpu = cpu_seconds().zip(cpu0).map(|(b, a)| b - a);
    let n = ok.load(Ordering::Relaxed);
    println!(
        "{n} signed GET /notebooks/{{id}} in {elapsed:.2}s over {conns} connections: {:.0} req/s ({} errors)",
        n as f64 / elapsed,
        bad.load(Ordering::Relaxed)
    );
    // On a shared machine wall-clock throughput depends on the neighbours; CPU time per request does not.
    if let Some(cpu) = cpu.filter(|c| *c > 0.0) {
        println!(
            "process CPU {cpu:.2}s (client and server together): {:.0} req per CPU-second, {:.1} us CPU per request",
            n as f64 / cpu,
            cpu * 1e6 / n.max(1) as f64
        );
    }
    h.shutdown().await;
    Ok(())
}
