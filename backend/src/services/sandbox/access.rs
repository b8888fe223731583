//! Opening a sandbox for a caller: a sandbox the caller may not see does not exist for them
//! (404, never 403); every opening of a live sandbox counts against its rate limit.

use crate::services::auth::Principal;
use crate::services::events::{self, Change};
use crate::services::{keys, ratelimit};
use crate::state::AppState;
use crate::store;
use crate::store::sandbox::SandboxRow;
use std::time::Duration;
use uuid::Uuid;
use wire::error::{ApiError, ErrorCode};
use wire::model::{Role, SandboxState};

/// How long the hot store may serve a sandbox row before reading PostgreSQL again. Every
/// change to a sandbox deletes the cached row at once; this bounds anything missed.
const META_TTL: Duration = Duration::from_secs(30);

/// What the caller wants to do with the sandbox.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Need {
    /// See it, whatever its state.
    Read,
    /// Ask questions of its simulations: it must be running.
    Use,
    /// Change its simulations: running, and a tester or admin.
    Change,
    /// Change the sandbox itself (extend, destroy, members): owner or admin.
    Manage,
}

/// The sandbox with this id if the caller may see it and do `need`.
pub async fn open(state: &AppState, principal: &Principal, id: &str, need: Need) -> Result<SandboxRow, ApiError> {
    let id = Uuid::parse_str(id.trim()).map_err(|_| ApiError::not_found("sandbox"))?;
    let row = load(state, id).await?.ok_or_else(|| ApiError::not_found("sandbox"))?;
    let visible = principal.is_admin() || row.owner_id == principal.user_id || row.member_ids.contains(&principal.user_id);
    if !visible {
        return Err(ApiError::not_found("sandbox"));
    }
    // Counters are keys the sandbox owns: only a live sandbox gets them, so none outlive it.
    if row.state.is_live() {
        ratelimit::hit(state, id).await?;
    }
    match need {
        Need::Read => {}
        Need::Use => require_running(&row)?,
        Need::Change => {
            principal.require(Role::QaTester, "changing a simulation")?;
            require_running(&row)?;
        }
        Need::Manage => {
            if !(principal.is_admin() || row.owner_id == principal.user_id) {
                return Err(ApiError::forbidden("only the sandbox's owner or an admin may do this"));
            }
        }
    }
    Ok(row)
}

fn require_running(row: &SandboxRow) -> Result<(), ApiError> {
    let expired = row.expires_at <= time::OffsetDateTime::now_utc();
    if row.state == SandboxState::Running && !expired {
        return Ok(());
    }
    let state = if row.state == SandboxState::Running { SandboxState::Expired } else { row.state };
    Err(ApiError::new(ErrorCode::SandboxState, format!("the sandbox is {}; only a running sandbox can be used", state.as_str()))
        .with_details(serde_json::json!({ "state": state })))
}

/// The sandbox row, from the hot store when cached there.
pub(super) async fn load(state: &AppState, id: Uuid) -> Result<Option<SandboxRow>, ApiError> {
    let key = keys::sandbox_meta(id);
    if let Some(json) = state.stores.hot.get(&key).await? {
        if let Ok(row) = serde_json::from_str::<SandboxRow>(&json) {
            return Ok(Some(row));
        }
    }
    let row = store::sandbox::get(&state.stores.pg, id).await?;
    // Only live sandboxes are cached: a destroyed one must leave no key behind.
    if let Some(row) = row.as_ref().filter(|r| r.state.is_live()) {
        let json = serde_json::to_string(row).map_err(ApiError::internal)?;
        state.stores.hot.set(&key, &json, META_TTL).await?;
    }
    Ok(row)
}

/// Forgets the cached row after a change and tells open pages what happened.
pub async fn forget(state: &AppState, id: Uuid, action: &str) {
    if let Err(e) = state.stores.hot.del(&keys::sandbox_meta(id)).await {
        tracing::warn!(error = %e, sandbox = %id, "could not drop a cached sandbox row");
    }
    let change = Change { sandbox: id, kind: "lifecycle".into(), action: action.to_owned(), simulation: None, version: None };
    events::publish(state, change).await;
}
