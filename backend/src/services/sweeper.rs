//! The sweeper: marks running sandboxes past their expiry as expired, then cleans expired
//! ones up. Claims use `FOR UPDATE SKIP LOCKED` and every step is a guarded transition, so any
//! number of server instances may sweep at once.

use crate::error::Db;
use crate::services::sandbox;
use crate::state::AppState;
use crate::store::{self, audit};
use serde_json::json;
use wire::error::ApiError;
use wire::model::SandboxState;

/// At most this many sandboxes are cleaned in one sweep.
const BATCH: i64 = 50;

/// What one sweep did.
#[derive(Debug, Default, PartialEq, Eq)]
pub struct Sweep {
    pub expired: usize,
    pub destroyed: usize,
}

/// One pass: expire what is due, then clean up what is expired (or was left destroying).
#[tracing::instrument(name = "sweeper::sweep_once", skip_all)]
pub async fn sweep_once(state: &AppState) -> Result<Sweep, ApiError> {
    let mut report = Sweep::default();
    for id in store::sandbox::expire_due(&state.stores.pg).await? {
        audit::record(&state.stores.pg, id, None, "sandbox.expired", json!({ "from": "running", "to": "expired" })).await?;
        sandbox::forget(state, id, "sandbox.expired").await;
        report.expired += 1;
    }
    let mut tx = state.stores.pg.begin().await.db()?;
    let claimed = store::sandbox::claim_for_cleanup(&mut tx, BATCH).await?;
    for (id, current) in &claimed {
        if *current == SandboxState::Expired
            && store::sandbox::transition(&mut *tx, *id, SandboxState::Expired, SandboxState::Destroying).await?
        {
            audit::record(&mut *tx, *id, None, "sandbox.destroying", json!({ "from": "expired", "to": "destroying" })).await?;
        }
    }
    // The claimed rows stay locked until here, so no other sweeper cleans them at the same time.
    tx.commit().await.db()?;
    for (id, _) in claimed {
        match sandbox::cleanup(state, id, None).await {
            Ok(()) => report.destroyed += 1,
            Err(e) => tracing::warn!(sandbox = %id, code = %e.code, "clean-up failed; the next sweep retries it"),
        }
    }
    Ok(report)
}

/// Sweeps every `every` until the process ends.
#[tracing::instrument(name = "sweeper::run", skip_all)]
pub async fn run(state: AppState, every: std::time::Duration) {
    let mut tick = tokio::time::interval(every);
    loop {
        tick.tick().await;
        match sweep_once(&state).await {
            Ok(s) if s.expired + s.destroyed > 0 => tracing::info!(expired = s.expired, destroyed = s.destroyed, "swept sandboxes"),
            Ok(_) => {}
            Err(e) => tracing::warn!(code = %e.code, "sweep failed; retrying on the next tick"),
        }
    }
}
