//! Create with a safe retry strategy: a create POST whose outcome is unknown is never blindly re-sent.

use std::time::{SystemTime, UNIX_EPOCH};

use http::Method;

use super::error::ClientError;
use super::log::{Event, Level};
use super::retry::{create_step_for_status, create_step_for_transport, CreateStep};
use super::transport::{Call, Client, Outcome};
use crate::api::{NotebookCreateRequest, NotebookListQuery, NotebookResp};

/// What a search for the instance of an uncertain create found.
enum Found {
    One(Box<NotebookResp>),
    None,
    Several(Vec<String>),
}

fn millis(t: SystemTime) -> i64 {
    t.duration_since(UNIX_EPOCH)
        .map(|d| d.as_millis().min(i64::MAX as u128) as i64)
        .unwrap_or(0)
}

impl Client {
    /// `POST /notebooks`.
    ///
    /// Retry strategy, chosen so that a retry never creates a second instance:
    ///
    /// | Outcome of an attempt | Next step |
    /// |---|---|
    /// | 2xx with an `id` | done |
    /// | connection never established, 429, 503 | nothing was processed: send again after backoff |
    /// | 500, 502 (the server answered an error) | reconcile; send again only if no instance is found |
    /// | 504, timeout or reset after sending, 2xx without an `id` | reconcile; never send again |
    /// | other 4xx | fail |
    ///
    /// *Reconcile* lists the notebooks named `req.name` (all pages) and keeps those with exactly that name, a
    /// `create_at` no earlier than the first send minus [`super::ClientConfig::create_reconcile_skew`], and the
    /// requested image when the listing shows one. Exactly one match is adopted and returned (logged at INFO).
    /// Several matches, or none when the request may still land, fail with [`ClientError::AmbiguousCreate`]
    /// naming the candidates, so the user can check before anything else is created. Names may repeat in
    /// ModelArts, which is why the creation window and image narrow the search.
    pub async fn create_notebook(
        &self,
        req: &NotebookCreateRequest,
    ) -> Result<NotebookResp, ClientError> {
        let call = Call::new("create notebook", Method::POST, "/notebooks".into()).json(req)?;
        let max = self.config().max_retries;
        let first_sent = SystemTime::now();
        let mut retry = 0;
        loop {
            let (step, reason, retry_after, err) = match self.attempt(&call, retry).await? {
                Outcome::Reply(r) if (200..300).contains(&r.status) => {
                    let resp: NotebookResp = self.decode(&call, &r)?;
                    if resp.id.as_deref().is_some_and(|id| !id.is_empty()) {
                        return Ok(resp);
                    }
                    let reason = format!("HTTP {} without an instance id", r.status);
                    (CreateStep::ReconcileOnly, reason, None, None)
                }
                Outcome::Reply(r) => {
                    let step = create_step_for_status(r.status);
                    let err = self.api_error(&call, &r);
                    if step == CreateStep::Done {
                        return Err(err);
                    }
                    (step, format!("HTTP {}", r.status), r.retry_after, Some(err))
                }
                Outcome::Transport(t) => {
                    let step = create_step_for_transport(t.connect);
                    let reason = t.message.clone();
                    (step, reason, None, Some(self.transport_error(&call, t)))
                }
            };
            let ambiguous = |candidates: Vec<String>| ClientError::AmbiguousCreate {
                name: req.name.clone(),
                cause: reason.clone(),
                candidates,
            };
            match step {
                CreateStep::Done | CreateStep::Retry => {}
                CreateStep::ReconcileThenRetry => {
                    match self.reconcile_create(req, first_sent, &reason).await? {
                        Found::One(nb) => return Ok(*nb),
                        Found::None => {}
                        Found::Several(ids) => return Err(ambiguous(ids)),
                    }
                }
                CreateStep::ReconcileOnly => {
                    return match self.reconcile_create(req, first_sent, &reason).await? {
                        Found::One(nb) => Ok(*nb),
                        Found::None => Err(ambiguous(Vec::new())),
                        Found::Several(ids) => Err(ambiguous(ids)),
                    }
                }
            }
            if retry >= max {
                return Err(err.unwrap_or_else(|| ambiguous(Vec::new())));
            }
            self.backoff(call.op, retry, retry_after, &reason).await?;
            retry += 1;
        }
    }

    async fn reconcile_create(
        &self,
        req: &NotebookCreateRequest,
        first_sent: SystemTime,
        reason: &str,
    ) -> Result<Found, ClientError> {
        let skew = self.config().create_reconcile_skew;
        let since = millis(first_sent.checked_sub(skew).unwrap_or(UNIX_EPOCH));
        self.logger().event(Level::Info, || {
            Event::new("create had an uncertain outcome; looking for the notebook")
                .field("name", req.name.as_str())
                .field("reason", reason)
                // A string: epoch milliseconds as a number would print in exponent form in Terraform's log.
                .field("created_since_ms", since.to_string())
        });
        let q = NotebookListQuery {
            name: Some(req.name.clone()),
            // List shows only the default workspace when none is given.
            workspace_id: Some(req.workspace_id.clone().unwrap_or_else(|| "0".into())),
            // List shows only NOTEBOOK instances unless asked: a CodeLab (DEFAULT) create would go unfound.
            feature: req.feature.clone(),
            ..Default::default()
        };
        let listed = match self.list_notebooks_all_pages(&q).await {
            Ok(l) => l,
            Err(e @ ClientError::Cancelled { .. }) => return Err(e),
            Err(e) => {
                return Err(ClientError::AmbiguousCreate {
                    name: req.name.clone(),
                    cause: format!("{reason}; listing notebooks to find it failed: {e}"),
                    candidates: Vec::new(),
                })
            }
        };
        let mut matches: Vec<NotebookResp> = listed
            .into_iter()
            .filter(|nb| nb.name.as_deref() == Some(req.name.as_str()))
            .filter(|nb| nb.create_at.is_some_and(|t| t >= since))
            .filter(|nb| {
                let image = nb.image.as_ref().and_then(|i| i.id.as_deref());
                image.map_or(true, |i| i == req.image_id)
            })
            .filter(|nb| nb.id.as_deref().is_some_and(|id| !id.is_empty()))
            .collect();
        Ok(match matches.len() {
            0 => Found::None,
            1 => {
                let nb = matches.remove(0);
                self.logger().event(Level::Info, || {
                    Event::new("adopting the notebook found as the result of the uncertain create")
                        .field("notebook_id", nb.id.as_deref().unwrap_or_default())
                        .field("name", req.name.as_str())
                });
                Found::One(Box::new(nb))
            }
            _ => Found::Several(matches.into_iter().filter_map(|nb| nb.id).collect()),
        })
    }
}
