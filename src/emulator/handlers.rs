//! Thin axum handlers for the ModelArts API routes: parse, call the model, render.

use crate::api::{FlavorPage, LeaseReq, NotebookCreateRequest, NotebookUpdateRequest};
use crate::emulator::auth::Identity;
use crate::emulator::catalog;
use crate::emulator::errors::{codes, ApiError};
use crate::emulator::model;
use crate::emulator::query::Query;
use crate::emulator::state::AppState;
use crate::emulator::validate;
use crate::emulator::view;
use axum::body::Bytes;
use axum::extract::{Path, RawQuery, State};
use axum::http::{header, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::{Extension, Router};
use serde::Serialize;
use std::sync::Arc;

pub type Shared = Arc<AppState>;
type Who = Extension<Arc<Identity>>;
type Res = Result<Response, ApiError>;

/// JSON 200 response.
pub fn json<T: Serialize>(v: &T) -> Response {
    match serde_json::to_vec(v) {
        Ok(body) => (
            StatusCode::OK,
            [(header::CONTENT_TYPE, "application/json")],
            body,
        )
            .into_response(),
        Err(e) => render_error(e),
    }
}

fn render_error(e: serde_json::Error) -> Response {
    ApiError::new(
        StatusCode::INTERNAL_SERVER_ERROR,
        "ModelArts.6102",
        format!("cannot render: {e}"),
    )
    .into_response()
}

/// The API routes under `/v1/{project_id}`. Literal paths (`all`, `flavors`) win over `{id}`.
pub fn routes() -> Router<Shared> {
    Router::new()
        .route("/v1/{project_id}/notebooks", post(create).get(list))
        .route("/v1/{project_id}/notebooks/all", get(list))
        .route("/v1/{project_id}/notebooks/flavors", get(flavors))
        .route(
            "/v1/{project_id}/notebooks/{id}",
            get(show).put(update).delete(delete),
        )
        .route("/v1/{project_id}/notebooks/{id}/start", post(start))
        .route("/v1/{project_id}/notebooks/{id}/stop", post(stop))
        .route(
            "/v1/{project_id}/notebooks/{id}/flavors",
            get(switchable_flavors),
        )
        .route(
            "/v1/{project_id}/notebooks/{id}/lease",
            get(show_lease).patch(renew_lease),
        )
        .route("/v1/{project_id}/images", get(images))
        .route("/v1/{project_id}/images/{id}", get(show_image))
}

async fn create(State(s): State<Shared>, Extension(who): Who, body: Bytes) -> Res {
    let (req, map) = validate::parse_body::<NotebookCreateRequest>(&body)?;
    let new = validate::create(&req, &map)?;
    let nb = s.create(&who, new)?;
    Ok(json(&view::notebook(&nb, s.now())))
}

async fn show(
    State(s): State<Shared>,
    Extension(who): Who,
    Path((_, id)): Path<(String, String)>,
) -> Res {
    s.read_notebook(&who, &id, |nb, now| match view::notebook_json(nb, now) {
        Ok(body) => (
            StatusCode::OK,
            [(header::CONTENT_TYPE, "application/json")],
            body,
        )
            .into_response(),
        Err(e) => render_error(e),
    })
}

async fn list(State(s): State<Shared>, Extension(who): Who, RawQuery(q): RawQuery) -> Res {
    let (filter, offset, limit) = Query::parse(q.as_deref()).notebook_list()?;
    Ok(s.read_project(&who.project_id, |store, now| {
        let all = store.list(&who.project_id, &filter);
        let items = all
            .iter()
            .skip(offset)
            .take(limit)
            .map(|nb| view::notebook(nb, now))
            .collect();
        json(&view::page(items, all.len(), offset, limit))
    }))
}

async fn update(
    State(s): State<Shared>,
    Extension(who): Who,
    Path((_, id)): Path<(String, String)>,
    body: Bytes,
) -> Res {
    s.mutate(&who, &id, |nb, ctx| {
        // Order of notebook-api.md §4.4: instance, body, fields, state, apply.
        let (req, map) = validate::parse_body::<NotebookUpdateRequest>(&body)?;
        let plan = validate::update_plan(nb, &req, &map)?;
        model::check_update_state(nb, &plan, ctx.settings.update_policy)?;
        model::apply_update(nb, plan, ctx);
        Ok(json(&view::notebook(nb, ctx.now)))
    })
}

async fn delete(
    State(s): State<Shared>,
    Extension(who): Who,
    Path((_, id)): Path<(String, String)>,
) -> Res {
    s.mutate(&who, &id, |nb, ctx| {
        model::delete(nb, ctx)?;
        Ok(json(&view::notebook(nb, ctx.now)))
    })
}

async fn start(
    State(s): State<Shared>,
    Extension(who): Who,
    Path((_, id)): Path<(String, String)>,
    RawQuery(q): RawQuery,
) -> Res {
    let q = Query::parse(q.as_deref());
    s.mutate(&who, &id, |nb, ctx| {
        let duration =
            validate::lease_duration(q.int("duration")?.unwrap_or(model::DURATION_DEFAULT))?;
        let kind = validate::lease_type(q.get("type"))?;
        model::start(nb, ctx, duration, &kind)?;
        Ok(json(&view::notebook(nb, ctx.now)))
    })
}

async fn stop(
    State(s): State<Shared>,
    Extension(who): Who,
    Path((_, id)): Path<(String, String)>,
) -> Res {
    s.mutate(&who, &id, |nb, ctx| {
        model::stop(nb, ctx)?;
        Ok(json(&view::notebook(nb, ctx.now)))
    })
}

async fn show_lease(
    State(s): State<Shared>,
    Extension(who): Who,
    Path((_, id)): Path<(String, String)>,
) -> Res {
    s.read_notebook(&who, &id, |nb, _| json(&view::lease(nb)))
}

async fn renew_lease(
    State(s): State<Shared>,
    Extension(who): Who,
    Path((_, id)): Path<(String, String)>,
    RawQuery(q): RawQuery,
    body: Bytes,
) -> Res {
    let q = Query::parse(q.as_deref());
    s.mutate(&who, &id, |nb, ctx| {
        let req: LeaseReq = if body.iter().all(u8::is_ascii_whitespace) {
            LeaseReq::default()
        } else {
            validate::parse_body::<LeaseReq>(&body)?.0
        };
        // A query duration overrides the body and forces TIMING (notebook-api.md §2.14).
        let (duration, kind) = match q.int("duration")? {
            Some(d) => (d, "TIMING".to_string()),
            None => (
                req.duration.unwrap_or(model::DURATION_DEFAULT),
                validate::lease_type(req.r#type.as_deref())?,
            ),
        };
        if duration <= 0 {
            return Err(codes::lease_in_past());
        }
        if !(model::DURATION_MIN..=model::DURATION_MAX).contains(&duration) {
            return Err(codes::duration_out_of_range());
        }
        model::renew_lease(nb, ctx, duration, &kind)?;
        Ok(json(&view::lease(nb)))
    })
}

const FLAVOR_SORT: &[&str] = &["id", "name", "vcpus", "memory", "category", "arch"];

fn flavor_page(mut list: Vec<&'static catalog::Flavor>, q: &Query) -> Result<Response, ApiError> {
    let (keys, asc) = q.sort_for(FLAVOR_SORT)?;
    if !keys.is_empty() {
        list.sort_by(|a, b| {
            let mut o = std::cmp::Ordering::Equal;
            for k in &keys {
                o = o.then_with(|| match k.as_str() {
                    "id" => a.id.cmp(b.id),
                    "name" => a.name.cmp(b.name),
                    "vcpus" => a.vcpus.cmp(&b.vcpus),
                    "memory" => a.memory_mib.cmp(&b.memory_mib),
                    "category" => a.category.cmp(b.category),
                    _ => a.arch.cmp(b.arch),
                });
            }
            if asc {
                o
            } else {
                o.reverse()
            }
        });
    }
    let offset = q.offset()?;
    let total = list.len();
    // Unlimited by default: one page holding everything.
    let limit = q.positive_limit(None)?.unwrap_or(total.max(1));
    let items: Vec<_> = list
        .into_iter()
        .skip(offset)
        .take(limit)
        .map(view::flavor)
        .collect();
    let (current, pages, size, total) = view::page_meta(total, offset, limit);
    Ok(json(&FlavorPage {
        current: Some(current),
        pages: Some(pages),
        size: Some(size),
        total: Some(total),
        data: items.clone(),
        flavors: items,
    }))
}

async fn flavors(RawQuery(q): RawQuery) -> Res {
    let q = Query::parse(q.as_deref());
    let category = q.get("category").map(str::to_ascii_uppercase);
    if category
        .as_deref()
        .is_some_and(|c| !matches!(c, "CPU" | "GPU" | "ASCEND"))
    {
        return Err(codes::bad_value("category"));
    }
    let cluster = q.get("type").map(str::to_ascii_uppercase);
    if cluster
        .as_deref()
        .is_some_and(|c| c != "MANAGED" && c != "DEDICATED")
    {
        return Err(codes::bad_value("type"));
    }
    let feature = q
        .get("feature")
        .map(str::to_ascii_uppercase)
        .unwrap_or_else(|| "NOTEBOOK".into());
    let flavor_type = q.get("flavor_type");
    let list = catalog::FLAVORS
        .iter()
        // Catalog flavors all run in the public (MANAGED) cluster.
        .filter(|_| cluster.as_deref() != Some("DEDICATED"))
        .filter(|f| category.as_deref().map_or(true, |c| f.category == c))
        .filter(|f| f.feature == feature)
        .filter(|f| flavor_type.map_or(true, |t| f.flavor_type() == Some(t)))
        .collect();
    flavor_page(list, &q)
}

async fn switchable_flavors(
    State(s): State<Shared>,
    Extension(who): Who,
    Path((_, id)): Path<(String, String)>,
    RawQuery(q): RawQuery,
) -> Res {
    let q = Query::parse(q.as_deref());
    let list = s.read_notebook(&who, &id, |nb, _| match nb.flavor_info() {
        Some(current) => catalog::switchable(current, &nb.volume.category),
        None => Vec::new(),
    })?;
    flavor_page(list, &q)
}

const IMAGE_SORT: &[&str] = &["name", "create_at", "update_at", "size", "id"];

async fn images(RawQuery(q): RawQuery) -> Res {
    let q = Query::parse(q.as_deref());
    let limit = q.positive_limit(Some(200))?.unwrap_or(200);
    let offset = q.offset()?;
    let fuzzy = match q.get("name_fuzzy_match") {
        None | Some("true") => true,
        Some("false") => false,
        Some(_) => return Err(codes::bad_value("name_fuzzy_match")),
    };
    let kind = q
        .get("type")
        .map(str::to_ascii_uppercase)
        .unwrap_or_else(|| "BUILD_IN".into());
    if kind != "BUILD_IN" && kind != "DEDICATED" {
        return Err(codes::bad_value("type"));
    }
    let service_type = q.get("service_type").map(str::to_ascii_uppercase);
    if service_type
        .as_deref()
        .is_some_and(|t| !matches!(t, "COMMON" | "INFERENCE" | "TRAIN" | "DEV" | "UNKNOWN"))
    {
        return Err(codes::bad_value("service_type"));
    }
    let (keys, asc) = q.sort_for(IMAGE_SORT)?;
    let name = q.get("name");
    let mut list: Vec<&catalog::Image> = catalog::images()
        .iter()
        // Built-in images only: users have saved none in the emulator.
        .filter(|_| kind == "BUILD_IN")
        .filter(|i| {
            name.map_or(true, |n| {
                if fuzzy {
                    i.name.contains(n)
                } else {
                    i.name == n
                }
            })
        })
        .filter(|_| q.get("namespace").map_or(true, |n| n == "atelier"))
        .filter(|_| q.get("workspace_id").map_or(true, |w| w == "0"))
        .filter(|_| {
            service_type
                .as_deref()
                .map_or(true, |t| t == "DEV" || t == "UNKNOWN")
        })
        .filter(|i| q.get("show_tag").map_or(true, |t| i.tag == t))
        .collect();
    list.sort_by(|a, b| {
        let mut o = std::cmp::Ordering::Equal;
        for k in &keys {
            o = o.then_with(|| match k.as_str() {
                "name" => a.name.cmp(b.name),
                "size" => a.size_kb.cmp(&b.size_kb),
                "id" => a.id.cmp(&b.id),
                _ => a.create_at.cmp(&b.create_at),
            });
        }
        o = o
            .then_with(|| a.create_at.cmp(&b.create_at))
            .then_with(|| a.name.cmp(b.name));
        if asc {
            o
        } else {
            o.reverse()
        }
    });
    let total = list.len();
    let items = list
        .into_iter()
        .skip(offset)
        .take(limit)
        .map(view::image)
        .collect();
    Ok(json(&view::page(items, total, offset, limit)))
}

async fn show_image(Path((_, id)): Path<(String, String)>) -> Res {
    let img = catalog::image(&id).ok_or_else(|| codes::image_not_found(&id))?;
    Ok(json(&view::image(img)))
}
