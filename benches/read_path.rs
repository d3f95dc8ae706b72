//! Micro-benchmark of the notebook read path, piece by piece: signing one `GET /notebooks/{id}`, decoding its
//! JSON answer, mapping state value -> model -> refreshed state value, and a whole `show_notebook` over
//! loopback against an in-process emulator (that last figure includes the emulator's own work).
//!
//! Run: `cargo bench --bench read_path` (ns per operation; `READ_BENCH_ITERS` overrides the count).

use std::hint::black_box;
use std::time::Instant;

use modelarts::api::signing::{QueryOrder, Signer, SigningInput};
use modelarts::api::NotebookResp;
use modelarts::client::{Client, ClientConfig, Credentials};
use modelarts::emulator::{demo, Emulator};
use modelarts::resources::notebook_model::NotebookModel;
use time::OffsetDateTime;

fn time<R>(label: &str, iters: u32, mut f: impl FnMut() -> R) {
    for _ in 0..iters / 10 {
        black_box(f());
    }
    let t = Instant::now();
    for _ in 0..iters {
        black_box(f());
    }
    let ns = t.elapsed().as_nanos() / u128::from(iters.max(1));
    println!("{label:<28} {ns:>9} ns/op");
}

fn refreshed(nb: &NotebookResp, prior: &NotebookModel) -> modelarts::tf::Value {
    NotebookModel::reconcile(
        NotebookModel::from_resp(nb, prior.enable_force_new),
        prior,
        nb.status.as_ref(),
    )
    .into_value()
}

fn main() {
    let iters: u32 = std::env::var("READ_BENCH_ITERS")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(20_000);
    let rt = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(1)
        .enable_all()
        .build()
        .expect("runtime");
    let emu = rt.block_on(async {
        Emulator::builder()
            .transition_ms(0)
            .start()
            .await
            .expect("emulator")
    });
    let mut cfg = ClientConfig::new(
        "cn-north-4",
        demo::PROJECT_ID,
        Credentials::AkSk {
            ak: demo::ACCESS_KEY.into(),
            sk: demo::SECRET_KEY.into(),
            security_token: None,
        },
    );
    cfg.endpoint = Some(emu.base_url.clone());
    let client = Client::new(cfg).expect("client");
    let nb = rt.block_on(async {
        let req = modelarts::api::NotebookCreateRequest {
            name: "bench-read".into(),
            image_id: "f3e33ba5-c084-49ca-81d0-eeb345a8a0a5".into(),
            flavor: Some("modelarts.vm.cpu.2u".into()),
            volume: modelarts::api::VolumeMountRequest {
                category: "EVS".into(),
                ownership: "MANAGED".into(),
                capacity: Some(5),
                ..Default::default()
            },
            ..Default::default()
        };
        let created = client.create_notebook(&req).await.expect("create");
        let id = created.id.expect("id");
        client.show_notebook(&id).await.expect("show")
    });
    let id = nb.id.clone().expect("id");
    let body = serde_json::to_vec(&nb).expect("encode");

    let signer = Signer::new(demo::ACCESS_KEY, demo::SECRET_KEY)
        .with_project_id(Some(demo::PROJECT_ID.into()));
    let path = format!("/v1/{}/notebooks/{id}", demo::PROJECT_ID);
    let host = emu.addr.to_string();
    let headers = vec![
        ("Content-Type".to_string(), "application/json".to_string()),
        (
            "User-Agent".to_string(),
            "terraform-provider-modelarts/0.1.0".to_string(),
        ),
    ];
    let now = OffsetDateTime::now_utc();
    time("sign GET", iters, || {
        signer.sign(
            &SigningInput {
                method: "GET",
                host: &host,
                path: &path,
                query: &[],
                headers: &headers,
                body: &[],
                query_order: QueryOrder::ByString,
            },
            now,
        )
    });
    time("decode NotebookResp", iters, || {
        serde_json::from_slice::<NotebookResp>(&body).expect("decodes")
    });
    let prior = NotebookModel::reconcile(
        NotebookModel::from_resp(&nb, false),
        &NotebookModel::default(),
        nb.status.as_ref(),
    );
    let state = prior.to_value();
    time("NotebookModel::from_value", iters, || {
        NotebookModel::from_value(&state)
    });
    time("from_resp+reconcile+to_value", iters, || {
        refreshed(&nb, &prior)
    });
    let show_iters = (iters / 10).max(1);
    time("show_notebook (loopback)", show_iters, || {
        rt.block_on(client.show_notebook(&id)).expect("show")
    });
}
