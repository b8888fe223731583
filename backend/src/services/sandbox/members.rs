//! Inviting people into a sandbox and removing them.

use super::access::forget;
use super::{open, view, Need};
use crate::services::auth::Principal;
use crate::state::AppState;
use crate::store::{self, audit};
use serde_json::json;
use wire::error::ApiError;
use wire::model::SandboxView;

/// Adds the user named `username` to the sandbox.
#[tracing::instrument(name = "sandbox::members::add_member", skip_all, fields(sandbox = %id))]
pub async fn add_member(state: &AppState, principal: &Principal, id: &str, username: &str) -> Result<SandboxView, ApiError> {
    let row = open(state, principal, id, Need::Manage).await?;
    let user = store::user::by_username(&state.stores.pg, username)
        .await?
        .ok_or_else(|| ApiError::validation("username", format!("there is no user `{username}`")))?;
    if user.id != row.owner_id && store::sandbox::add_member(&state.stores.pg, row.id, user.id).await? {
        audit::record(&state.stores.pg, row.id, Some(principal.user_id), "member.added", json!({ "username": user.username })).await?;
    }
    forget(state, row.id, "member.added").await;
    refreshed(state, row.id).await
}

/// Removes the user named `username` from the sandbox.
#[tracing::instrument(name = "sandbox::members::remove_member", skip_all, fields(sandbox = %id))]
pub async fn remove_member(state: &AppState, principal: &Principal, id: &str, username: &str) -> Result<SandboxView, ApiError> {
    let row = open(state, principal, id, Need::Manage).await?;
    let user =
        store::user::by_username(&state.stores.pg, username).await?.ok_or_else(|| ApiError::not_found(format!("member `{username}`")))?;
    if !store::sandbox::remove_member(&state.stores.pg, row.id, user.id).await? {
        return Err(ApiError::not_found(format!("member `{username}`")));
    }
    audit::record(&state.stores.pg, row.id, Some(principal.user_id), "member.removed", json!({ "username": user.username })).await?;
    forget(state, row.id, "member.removed").await;
    refreshed(state, row.id).await
}

async fn refreshed(state: &AppState, id: uuid::Uuid) -> Result<SandboxView, ApiError> {
    let row = store::sandbox::get(&state.stores.pg, id).await?.ok_or_else(|| ApiError::not_found("sandbox"))?;
    Ok(view(&row))
}
