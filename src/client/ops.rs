//! Typed ModelArts operations (notebook-api.md §2), each a thin layer over [`Client::call`].

use http::Method;

use super::error::ClientError;
use super::log::{Event, Level};
use super::transport::{path_param, Call, Client};
use crate::api::{
    FlavorListQuery, FlavorPage, Image, ImageListQuery, Lease, LeaseRenewQuery, LeaseReq,
    NotebookListQuery, NotebookResp, NotebookStatus, NotebookUpdateRequest, Page, StartQuery,
    SwitchableFlavorQuery, ToQuery,
};

/// Page size used when paging through notebooks: the largest the API allows (10, 20 or 50).
pub const NOTEBOOK_PAGE_SIZE: i64 = 50;
/// Page size used when paging through images (the API's default).
pub const IMAGE_PAGE_SIZE: i64 = 200;
/// Guard against a server whose paging never ends.
const MAX_PAGES: usize = 10_000;

fn nb(id: &str) -> Result<String, ClientError> {
    Ok(format!("/notebooks/{}", path_param("notebook id", id)?))
}

impl Client {
    async fn get_json<T: serde::de::DeserializeOwned>(
        &self,
        call: Call<'_>,
    ) -> Result<T, ClientError> {
        let reply = self.call(&call).await?;
        self.decode(&call, &reply)
    }

    /// `GET /notebooks/{id}`. An unknown ID fails with [`ClientError::is_not_found`].
    pub async fn show_notebook(&self, id: &str) -> Result<NotebookResp, ClientError> {
        self.get_json(Call::new("show notebook", Method::GET, nb(id)?).notebook(id))
            .await
    }

    /// `GET /notebooks`: one page.
    pub async fn list_notebooks(
        &self,
        q: &NotebookListQuery,
    ) -> Result<Page<NotebookResp>, ClientError> {
        self.get_json(
            Call::new("list notebooks", Method::GET, "/notebooks".into()).query(q.to_query()),
        )
        .await
    }

    /// `GET /notebooks/all`: one page of the "all notebooks" listing.
    pub async fn list_notebooks_all_endpoint(
        &self,
        q: &NotebookListQuery,
    ) -> Result<Page<NotebookResp>, ClientError> {
        self.get_json(
            Call::new("list all notebooks", Method::GET, "/notebooks/all".into())
                .query(q.to_query()),
        )
        .await
    }

    /// Every notebook matching `q` (its `limit`/`offset` are replaced), paging by 50 from offset 0.
    pub async fn list_notebooks_all_pages(
        &self,
        q: &NotebookListQuery,
    ) -> Result<Vec<NotebookResp>, ClientError> {
        let mut q = q.clone();
        q.limit = Some(NOTEBOOK_PAGE_SIZE);
        self.page_through("list notebooks", |offset| {
            q.offset = Some(offset);
            let q = q.clone();
            async move { self.list_notebooks(&q).await.map(|p| (p.data, p.total)) }
        })
        .await
    }

    /// Pages by adding `len(data)` to `offset` until `total` items are held or a page comes back empty.
    async fn page_through<T, F, Fut>(
        &self,
        op: &'static str,
        mut fetch: F,
    ) -> Result<Vec<T>, ClientError>
    where
        F: FnMut(i64) -> Fut,
        Fut: std::future::Future<Output = Result<(Vec<T>, Option<i64>), ClientError>>,
    {
        let mut items = Vec::new();
        let mut offset = 0i64;
        for _ in 0..MAX_PAGES {
            let (data, total) = fetch(offset).await?;
            if data.is_empty() {
                return Ok(items);
            }
            offset += data.len() as i64;
            items.extend(data);
            if total.is_some_and(|t| offset >= t) {
                return Ok(items);
            }
        }
        self.logger().log(Level::Warn, || {
            format!("modelarts: {op} stopped after {MAX_PAGES} pages")
        });
        Err(ClientError::Decode {
            operation: op,
            message: format!("paging did not end after {MAX_PAGES} pages"),
            request_id: None,
        })
    }

    /// `PUT /notebooks/{id}`. The instance must be STOPPED (affinity-only: START_FAILED too).
    pub async fn update_notebook(
        &self,
        id: &str,
        body: &NotebookUpdateRequest,
    ) -> Result<NotebookResp, ClientError> {
        self.get_json(
            Call::new("update notebook", Method::PUT, nb(id)?)
                .notebook(id)
                .json(body)?,
        )
        .await
    }

    /// `DELETE /notebooks/{id}`. An instance already gone fails with [`ClientError::is_not_found`].
    pub async fn delete_notebook(&self, id: &str) -> Result<NotebookResp, ClientError> {
        self.get_json(Call::new("delete notebook", Method::DELETE, nb(id)?).notebook(id))
            .await
    }

    /// `POST /notebooks/{id}/start`. Idempotent: when ModelArts answers "already running / starting / busy",
    /// the status is re-read and the call succeeds if the instance is RUNNING or STARTING.
    pub async fn start_notebook(
        &self,
        id: &str,
        q: &StartQuery,
    ) -> Result<NotebookResp, ClientError> {
        let call = Call::new("start notebook", Method::POST, format!("{}/start", nb(id)?))
            .notebook(id)
            .query(q.to_query());
        self.idempotent_action(call, &[NotebookStatus::Running, NotebookStatus::Starting])
            .await
    }

    /// `POST /notebooks/{id}/stop`. Idempotent like [`Client::start_notebook`], for STOPPED or STOPPING.
    pub async fn stop_notebook(&self, id: &str) -> Result<NotebookResp, ClientError> {
        let call =
            Call::new("stop notebook", Method::POST, format!("{}/stop", nb(id)?)).notebook(id);
        self.idempotent_action(call, &[NotebookStatus::Stopped, NotebookStatus::Stopping])
            .await
    }

    async fn idempotent_action(
        &self,
        call: Call<'_>,
        done: &[NotebookStatus],
    ) -> Result<NotebookResp, ClientError> {
        let err = match self.call(&call).await {
            Ok(reply) => return self.decode(&call, &reply),
            Err(e) if e.is_busy_or_in_target_state() => e,
            Err(e) => return Err(e),
        };
        let id = call.notebook_id.unwrap_or_default();
        let current = self.show_notebook(id).await?;
        match &current.status {
            Some(s) if done.contains(s) => {
                self.logger().event(Level::Debug, || {
                    Event::new(format!("{}: already {s}, treating as done", call.op))
                        .field("notebook_id", id)
                        .field("error", err.to_string())
                });
                Ok(current)
            }
            _ => Err(err),
        }
    }

    /// `GET /notebooks/flavors`.
    pub async fn list_flavors(&self, q: &FlavorListQuery) -> Result<FlavorPage, ClientError> {
        self.get_json(
            Call::new("list flavors", Method::GET, "/notebooks/flavors".into()).query(q.to_query()),
        )
        .await
    }

    /// `GET /notebooks/{id}/flavors`: the flavors this instance can switch to.
    pub async fn list_switchable_flavors(
        &self,
        id: &str,
        q: &SwitchableFlavorQuery,
    ) -> Result<FlavorPage, ClientError> {
        self.get_json(
            Call::new(
                "list switchable flavors",
                Method::GET,
                format!("{}/flavors", nb(id)?),
            )
            .notebook(id)
            .query(q.to_query()),
        )
        .await
    }

    /// `GET /images`: one page.
    pub async fn list_images(&self, q: &ImageListQuery) -> Result<Page<Image>, ClientError> {
        self.get_json(Call::new("list images", Method::GET, "/images".into()).query(q.to_query()))
            .await
    }

    /// Every image matching `q` (its `limit`/`offset` are replaced).
    pub async fn list_images_all_pages(
        &self,
        q: &ImageListQuery,
    ) -> Result<Vec<Image>, ClientError> {
        let mut q = q.clone();
        q.limit = Some(IMAGE_PAGE_SIZE);
        self.page_through("list images", |offset| {
            q.offset = Some(offset);
            let q = q.clone();
            async move { self.list_images(&q).await.map(|p| (p.data, p.total)) }
        })
        .await
    }

    /// `GET /images/{id}`.
    pub async fn show_image(&self, id: &str) -> Result<Image, ClientError> {
        let path = format!("/images/{}", path_param("image id", id)?);
        self.get_json(Call::new("show image", Method::GET, path))
            .await
    }

    /// `GET /notebooks/{id}/lease`.
    pub async fn show_lease(&self, id: &str) -> Result<Lease, ClientError> {
        self.get_json(
            Call::new("show lease", Method::GET, format!("{}/lease", nb(id)?)).notebook(id),
        )
        .await
    }

    /// `PATCH /notebooks/{id}/lease`. A query `duration` overrides the body and forces `TIMING`.
    pub async fn renew_lease(
        &self,
        id: &str,
        q: &LeaseRenewQuery,
        body: Option<&LeaseReq>,
    ) -> Result<Lease, ClientError> {
        let mut call = Call::new("renew lease", Method::PATCH, format!("{}/lease", nb(id)?))
            .notebook(id)
            .query(q.to_query());
        if let Some(b) = body {
            call = call.json(b)?;
        }
        self.get_json(call).await
    }
}
