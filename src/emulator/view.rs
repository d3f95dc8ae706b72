//! Rendering of model values into the shared `api` wire types (NotebookResp, Image, NotebookFlavor, pages).

use crate::api::{self, NotebookResp, NotebookStatus as Status};
use crate::emulator::catalog::{self, Flavor, Image};
use crate::emulator::model::{Notebook, Volume};

const STEPS: [&str; 4] = [
    "Prepare storage",
    "Prepare compute resources",
    "Configure network",
    "Initialize the instance",
];

pub fn image(i: &Image) -> api::Image {
    api::Image {
        id: Some(i.id.clone()),
        name: Some(i.name.to_string()),
        description: Some(i.description.to_string()),
        arch: Some(i.arch.to_string()),
        create_at: Some(i.create_at),
        update_at: Some(i.create_at),
        dev_services: Some(i.dev_services.iter().map(|s| s.to_string()).collect()),
        namespace: Some("atelier".into()),
        swr_path: Some(i.swr_path()),
        tag: Some(i.tag.to_string()),
        origin: Some("CUSTOMIZE".into()),
        resource_categories: Some(i.categories.iter().map(|s| s.to_string()).collect()),
        support_res_categories: Some(i.categories.iter().map(|s| s.to_string()).collect()),
        service_type: Some("DEV".into()),
        size: Some(i.size_kb),
        status: Some("ACTIVE".into()),
        status_message: None,
        r#type: Some("BUILD_IN".into()),
        visibility: Some("PUBLIC".into()),
        workspace_id: Some("0".into()),
        flavor_type: i.flavor_type.map(str::to_string),
        swr_instance_id: None,
        show_name: Some(i.name.split('-').next().unwrap_or(i.name).to_string()),
        show_tag: Some(i.tag.to_string()),
        tags: Some(vec![]),
    }
}

pub fn flavor(f: &Flavor) -> api::NotebookFlavor {
    api::NotebookFlavor {
        id: Some(f.id.to_string()),
        name: Some(f.name.to_string()),
        description: Some(f.description.to_string()),
        arch: Some(f.arch.to_string()),
        category: Some(f.category.to_string()),
        feature: Some(f.feature.to_string()),
        free: Some(f.free),
        sold_out: Some(f.sold_out),
        storages: Some(f.storages.iter().map(|s| s.to_string()).collect()),
        vcpus: Some(f.vcpus),
        memory: Some(f.memory_mib),
        gpu: f.gpu.map(|(n, mem, t)| api::GpuInfo {
            gpu: Some(n),
            gpu_memory: Some(mem.to_string()),
            r#type: Some(t.to_string()),
        }),
        ascend: f.ascend.map(|(n, mem, t, chip)| api::AscendInfo {
            npu: Some(n),
            npu_memory: Some(mem.to_string()),
            r#type: Some(t.to_string()),
            chip: Some(chip),
        }),
        billing: Some(api::BillingInfo {
            code: Some(f.billing_code.to_string()),
            unit_num: Some(f.unit_num),
        }),
        evs_max_size: f.storages.contains(&"EVS").then(|| "4096".to_string()),
        evs_sku_code: f
            .storages
            .contains(&"EVS")
            .then(|| "modelarts.vm.evs.ssd".to_string()),
        grow_support_type: Some(
            if f.storages.contains(&"EVS") {
                "COMMON"
            } else {
                "NONE"
            }
            .to_string(),
        ),
    }
}

fn volume(v: &Volume, now: i64) -> api::VolumeRes {
    api::VolumeRes {
        capacity: v.capacity,
        category: Some(v.category.clone()),
        mount_path: Some(v.mount_path.clone()),
        ownership: Some(v.ownership.clone()),
        status: v
            .resizing_until
            .filter(|t| now < *t)
            .map(|_| "RESIZING".to_string()),
        id: Some(v.id.clone()),
        uri: v.uri.clone(),
        read_only: Some(v.read_only),
        dew_secret_name: v.dew_secret_name.clone(),
        evs_sku_code: (v.category == "EVS").then(|| "modelarts.vm.evs.ssd".to_string()),
        mount_type: Some("STATIC".into()),
    }
}

/// Steps 1–4: while CREATING/STARTING they complete in turn over the transition time.
fn progress(nb: &Notebook, now: i64) -> Vec<api::JobProgress> {
    let (done, failed) = match (&nb.status, &nb.pending) {
        (Status::Creating | Status::Starting | Status::Init, Some(p)) => {
            let span = (p.at_ms - p.since_ms).max(1);
            let frac = ((now - p.since_ms).max(0) * 4) / span;
            (frac.clamp(0, 3) as usize, false)
        }
        (Status::Creating | Status::Starting | Status::Init, None) => (0, false),
        (Status::CreateFailed | Status::StartFailed, _) => (1, true),
        _ => (4, false),
    };
    STEPS
        .iter()
        .enumerate()
        .map(|(i, d)| {
            let status = if i < done {
                "COMPLETED"
            } else if i == done {
                if failed {
                    "FAILED"
                } else {
                    "PROCESSING"
                }
            } else {
                "WAITING"
            };
            api::JobProgress {
                notebook_id: Some(nb.id.clone()),
                status: Some(status.to_string()),
                step: Some(i as i64 + 1),
                step_description: Some(d.to_string()),
                description: Some(d.to_string()),
            }
        })
        .collect()
}

fn affinity_rule(r: &crate::emulator::model::AffinityRule) -> api::AffinityRule {
    api::AffinityRule {
        key: r.key.clone(),
        operator: r.operator.clone(),
        values: r.values.clone(),
        weight: r.weight,
    }
}

/// The NotebookResp of `nb` at `now` as JSON bytes, cached while the notebook is in a stable state.
pub fn notebook_json(nb: &Notebook, now: i64) -> Result<axum::body::Bytes, serde_json::Error> {
    if let Some(b) = nb.rendered.0.get() {
        return Ok(b.clone());
    }
    let bytes = axum::body::Bytes::from(serde_json::to_vec(&notebook(nb, now))?);
    if nb.is_stable() {
        // A concurrent reader may have filled it first with identical bytes.
        let _ = nb.rendered.0.set(bytes.clone());
    }
    Ok(bytes)
}

/// The full NotebookResp of `nb` as seen at `now`.
pub fn notebook(nb: &Notebook, now: i64) -> NotebookResp {
    let img = catalog::image(&nb.image_id).map(image);
    let pool = nb.pool_id.as_deref().and_then(catalog::pool);
    let free = nb.flavor_info().is_some_and(|f| f.free);
    NotebookResp {
        id: Some(nb.id.clone()),
        name: Some(nb.name.clone()),
        description: Some(nb.description.clone()),
        status: Some(nb.status.clone()),
        fail_reason: nb.fail_reason.clone(),
        flavor: Some(nb.flavor.clone()),
        custom_spec: nb.custom_spec.as_ref().map(|c| api::NotebookCustomSpecRep {
            gpu: c.gpu,
            gpu_type: c.gpu_type.clone(),
            cpu: Some(c.cpu),
            memory: Some(c.memory as f64),
            arch: c.arch.clone(),
            category: c.category.clone(),
            resource_flavor: c.resource_flavor.clone(),
        }),
        image: img,
        lease: Some(lease(nb)),
        pool: pool.map(|p| api::Pool {
            id: Some(p.id.to_string()),
            name: Some(p.name.to_string()),
        }),
        token: Some(nb.token.clone()),
        url: Some(format!(
            "https://authoring-modelarts-cnnorth4.huaweicloud.com/{}/lab",
            nb.id
        )),
        volume: Some(volume(&nb.volume, now)),
        workspace_id: Some(nb.workspace_id.clone()),
        feature: Some(nb.feature.clone()),
        billing_items: Some(if free {
            vec!["STORAGE".to_string()]
        } else {
            vec!["COMPUTE".to_string(), "STORAGE".to_string()]
        }),
        user: Some(api::User {
            id: Some(nb.user_id.clone()),
            name: Some(nb.user_name.clone()),
            domain: Some(api::Domain {
                id: Some(nb.domain_id.clone()),
                name: Some(nb.domain_name.clone()),
            }),
        }),
        affinity: nb.affinity.as_ref().map(|a| api::AffinityType {
            required_during_scheduling_ignored_during_execution: Some(
                a.required.iter().map(affinity_rule).collect(),
            ),
            preferred_during_scheduling_ignored_during_execution: Some(
                a.preferred.iter().map(affinity_rule).collect(),
            ),
        }),
        run_user: Some(api::RunUserInfo {
            uid: Some(nb.run_uid),
            gid: Some(nb.run_gid),
            user_name: Some(if nb.run_uid == 1000 {
                "ma-user".into()
            } else {
                format!("user{}", nb.run_uid)
            }),
            group_name: Some(if nb.run_gid == 100 {
                "ma-group".into()
            } else {
                format!("group{}", nb.run_gid)
            }),
        }),
        action_progress: Some(progress(nb, now)),
        endpoints: Some(
            nb.endpoints
                .iter()
                .map(|e| api::EndpointsRes {
                    service: Some(e.service.clone()),
                    dev_service: Some(e.service.clone()),
                    uri: Some(if e.service == "SSH" {
                        format!("{}:22", nb.ip)
                    } else {
                        nb.ip.clone()
                    }),
                    allowed_access_ips: Some(e.allowed_access_ips.clone()),
                    ssh_keys: Some(e.key_pair_names.clone()),
                    key_pair_names: Some(e.key_pair_names.clone()),
                })
                .collect(),
        ),
        data_volumes: Some(
            nb.data_volumes
                .iter()
                .map(|v| api::VolumeResponse {
                    category: Some(v.category.clone()),
                    mount_path: Some(v.mount_path.clone()),
                    url: v.uri.clone(),
                    status: Some("MOUNTED".into()),
                    mount_type: Some("STATIC".into()),
                })
                .collect(),
        ),
        ip: Some(nb.ip.clone()),
        user_id: Some(nb.user_id.clone()),
        user_vpc: nb.user_vpc.as_ref().map(|v| api::UserVpcResponse {
            vpc_id: v["vpc_id"].as_str().map(str::to_string),
            subnet_id: v["subnet_id"].as_str().map(str::to_string),
            security_group_ids: v["security_group_ids"].as_array().map(|a| {
                a.iter()
                    .filter_map(|s| s.as_str().map(str::to_string))
                    .collect()
            }),
            connect_cidrs: v["connect_cidrs"].as_array().map(|a| {
                a.iter()
                    .filter_map(|s| s.as_str())
                    .collect::<Vec<_>>()
                    .join(",")
            }),
            nat_id: v["nat_id"].as_str().map(str::to_string),
            eip_id: v["eip_id"].as_str().map(str::to_string),
            port_id: Some(vec![crate::emulator::catalog::stable_uuid(&format!(
                "port:{}",
                nb.id
            ))]),
            port_ip: Some(nb.ip.clone()),
        }),
        is_need_credentials: Some(true),
        jupyter_version: Some("3.4.8".into()),
        tags: Some(
            nb.tags
                .iter()
                .map(|(k, v)| api::TmsTag {
                    key: Some(k.clone()),
                    value: Some(v.clone()),
                })
                .collect(),
        ),
        create_at: Some(nb.create_at),
        update_at: Some(nb.update_at),
    }
}

pub fn lease(nb: &Notebook) -> api::Lease {
    api::Lease {
        create_at: Some(nb.lease.create_at),
        duration: Some(nb.lease.duration),
        enable: Some(nb.lease.enable),
        r#type: Some(nb.lease.kind.clone()),
        update_at: Some(nb.lease.update_at),
    }
}

/// `{current, pages, size, total}` for `total` items paged by `limit` from `offset`.
pub fn page_meta(total: usize, offset: usize, limit: usize) -> (i64, i64, i64, i64) {
    let limit = limit.max(1);
    let pages = total.div_ceil(limit);
    (
        (offset / limit) as i64,
        pages as i64,
        limit as i64,
        total as i64,
    )
}

pub fn page<T>(items: Vec<T>, total: usize, offset: usize, limit: usize) -> api::Page<T> {
    let (current, pages, size, total) = page_meta(total, offset, limit);
    api::Page {
        current: Some(current),
        pages: Some(pages),
        size: Some(size),
        total: Some(total),
        data: items,
    }
}
