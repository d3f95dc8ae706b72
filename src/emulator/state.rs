//! Shared emulator state (store, settings, clock, credentials, journal, faults) and the locking discipline:
//! locks are `std::sync` locks held only inside synchronous sections, never across an await.

use crate::api::redact::Sensitive;
use crate::api::NotebookStatus as Status;
use crate::emulator::auth::{Credentials, Identity};
use crate::emulator::errors::{codes, ApiError};
use crate::emulator::faults::Faults;
use crate::emulator::journal::Journal;
use crate::emulator::model::{self, Ctx, Lease, Notebook, Pending, Store};
use crate::emulator::settings::{Clock, Settings};
use crate::emulator::state_file::StateFile;
use crate::emulator::validate::NewNotebook;
use std::sync::{RwLock, RwLockReadGuard, RwLockWriteGuard};

#[derive(Debug)]
pub struct AppState {
    pub store: RwLock<Store>,
    pub settings: RwLock<Settings>,
    pub clock: Clock,
    pub credentials: Credentials,
    pub journal: Journal,
    pub faults: Faults,
    pub state_file: Option<StateFile>,
}

fn read<T>(l: &RwLock<T>) -> RwLockReadGuard<'_, T> {
    // No code path panics while holding these locks with data half-updated, so poisoning is ignored.
    l.read().unwrap_or_else(|p| p.into_inner())
}

fn write<T>(l: &RwLock<T>) -> RwLockWriteGuard<'_, T> {
    l.write().unwrap_or_else(|p| p.into_inner())
}

impl AppState {
    pub fn settings(&self) -> Settings {
        *read(&self.settings)
    }

    pub fn set_settings(&self, s: Settings) {
        *write(&self.settings) = s;
    }

    /// Apply a partial change atomically; returns the new settings.
    pub fn update_settings(&self, patch: &crate::emulator::settings::SettingsPatch) -> Settings {
        let mut g = write(&self.settings);
        g.apply(patch);
        *g
    }

    pub fn now(&self) -> i64 {
        self.clock.now_ms()
    }

    fn ctx<'a>(&self, who: &'a Identity) -> Ctx<'a> {
        Ctx {
            now: self.now(),
            settings: self.settings(),
            identity: who,
        }
    }

    /// Read a notebook of the caller's project; takes the write lock only when a transition is due.
    pub fn read_notebook<R>(
        &self,
        who: &Identity,
        id: &str,
        f: impl FnOnce(&Notebook, i64) -> R,
    ) -> Result<R, ApiError> {
        let now = self.now();
        {
            let store = read(&self.store);
            match store.get_settled(&who.project_id, id, now) {
                Some(Ok(nb)) => return Ok(f(nb, now)),
                Some(Err(e)) => return Err(e),
                None => {}
            }
        }
        let ctx = self.ctx(who);
        let mut store = write(&self.store);
        let nb = store.get_mut(&ctx, id)?;
        Ok(f(nb, ctx.now))
    }

    /// Change a notebook of the caller's project under the write lock, then persist.
    pub fn mutate<R>(
        &self,
        who: &Identity,
        id: &str,
        f: impl FnOnce(&mut Notebook, &Ctx<'_>) -> Result<R, ApiError>,
    ) -> Result<R, ApiError> {
        let ctx = self.ctx(who);
        let (out, snapshot) = {
            let mut store = write(&self.store);
            let nb = store.get_mut(&ctx, id)?;
            let out = f(nb, &ctx)?;
            (out, self.snapshot(&store))
        };
        self.persist(snapshot);
        Ok(out)
    }

    /// Run `f` over the caller's project (settled first) under a read lock.
    pub fn read_project<R>(&self, project_id: &str, f: impl FnOnce(&Store, i64) -> R) -> R {
        let now = self.now();
        let needs = read(&self.store).project_needs_settle(project_id, now);
        if needs {
            let tms = self.settings().transition_ms;
            write(&self.store).settle_project(Some(project_id), now, tms);
        }
        f(&read(&self.store), now)
    }

    /// Every notebook of every project (control plane), settled.
    pub fn all_notebooks<R>(&self, f: impl FnOnce(&Store, i64) -> R) -> R {
        let now = self.now();
        let tms = self.settings().transition_ms;
        write(&self.store).settle_project(None, now, tms);
        f(&read(&self.store), now)
    }

    pub fn create(&self, who: &Identity, new: NewNotebook) -> Result<Notebook, ApiError> {
        let ctx = self.ctx(who);
        let (nb, snapshot) = {
            let mut store = write(&self.store);
            if new.feature == "DEFAULT" {
                store.settle_project(Some(&who.project_id), ctx.now, ctx.settings.transition_ms);
                if store.codelab_count(&who.user_id) >= 1 {
                    return Err(codes::codelab_exists());
                }
            }
            let nb = new_notebook(&ctx, new);
            store.insert(nb.clone());
            (nb, self.snapshot(&store))
        };
        self.persist(snapshot);
        Ok(nb)
    }

    /// Control plane: force a status on any notebook (any project).
    pub fn force_status(
        &self,
        id: &str,
        status: Status,
        fail_reason: Option<String>,
        next: Option<(Option<Status>, i64)>,
    ) -> Result<Notebook, ApiError> {
        let now = self.now();
        let tms = self.settings().transition_ms;
        let (nb, snapshot) = {
            let mut store = write(&self.store);
            let gone = match store.notebooks.get_mut(id) {
                Some(nb) => nb.settle(now, tms) == model::Settled::Gone,
                None => return Err(codes::not_found()),
            };
            if gone {
                store.notebooks.remove(id);
                return Err(codes::not_found());
            }
            let nb = store.notebooks.get_mut(id).ok_or_else(codes::not_found)?;
            nb.invalidate();
            model::force_status(
                nb,
                status,
                fail_reason,
                next.map(|(t, after)| (t, now.saturating_add(after))),
                now,
            );
            let nb = nb.clone();
            (nb, self.snapshot(&store))
        };
        self.persist(snapshot);
        Ok(nb)
    }

    /// Empty the state, the journal and the fault table.
    pub fn reset(&self) {
        let snapshot = {
            let mut store = write(&self.store);
            store.notebooks.clear();
            self.snapshot(&store)
        };
        self.persist(snapshot);
        self.journal.clear();
        self.faults.clear();
    }

    fn snapshot(&self, store: &Store) -> Option<Result<(u64, Vec<u8>), serde_json::Error>> {
        self.state_file.as_ref().map(|f| f.snapshot(store))
    }

    fn persist(&self, snapshot: Option<Result<(u64, Vec<u8>), serde_json::Error>>) {
        // A failed write is reported on stderr: the request already succeeded and must not be undone.
        match (&self.state_file, snapshot) {
            (Some(file), Some(Ok((version, bytes)))) => {
                if let Err(e) = file.write(version, &bytes) {
                    eprintln!("modelarts-emulator: {e}");
                }
            }
            (_, Some(Err(e))) => eprintln!("modelarts-emulator: cannot serialise state: {e}"),
            _ => {}
        }
    }
}

fn new_notebook(ctx: &Ctx<'_>, n: NewNotebook) -> Notebook {
    let id = uuid::Uuid::new_v4().to_string();
    let b = uuid::Uuid::parse_str(&id)
        .map(|u| *u.as_bytes())
        .unwrap_or_default();
    let ip = format!("192.168.{}.{}", b[0], 2 + b[1] % 250);
    let token = Sensitive::new(format!(
        "{:032x}{:032x}",
        rand::random::<u128>(),
        rand::random::<u128>()
    ));
    let now = ctx.now;
    Notebook {
        id,
        project_id: ctx.identity.project_id.clone(),
        user_id: ctx.identity.user_id.clone(),
        user_name: ctx.identity.user_name.clone(),
        domain_id: ctx.identity.domain_id.clone(),
        domain_name: ctx.identity.domain_name.clone(),
        name: n.name,
        description: n.description,
        flavor: n.flavor,
        custom_spec: n.custom_spec,
        image_id: n.image_id,
        feature: n.feature,
        workspace_id: n.workspace_id,
        pool_id: n.pool_id,
        volume: n.volume,
        data_volumes: n.data_volumes,
        endpoints: n.endpoints,
        hooks: n.hooks,
        affinity: n.affinity,
        run_uid: n.run_uid,
        run_gid: n.run_gid,
        lease: Lease {
            create_at: now,
            duration: n.lease_duration.max(0),
            enable: n.lease_duration >= 0,
            kind: n.lease_type,
            update_at: now,
        },
        user_vpc: n.user_vpc,
        public_network_config: n.public_network_config,
        dew_secret_name: None,
        tags: Vec::new(),
        status: Status::Creating,
        fail_reason: None,
        pending: Some(Pending {
            target: Some(Status::Running),
            at_ms: now.saturating_add(ctx.settings.transition_ms as i64),
            since_ms: now,
        }),
        token,
        ip,
        create_at: now,
        update_at: now,
        rendered: model::RenderCache::default(),
    }
}
