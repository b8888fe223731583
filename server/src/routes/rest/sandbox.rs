//! `/sandbox` and `/sandbox/:id`: lifecycle, members and audit.

use super::extract::{Caller, Params, Typed};
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::Json;
use backend::services::sandbox as service;
use backend::state::AppState;
use serde::Deserialize;
use wire::error::ApiError;
use wire::model::{AuditEntry, AuditQuery, CreateSandbox, ExtendSandbox, SandboxChange, SandboxView};

pub async fn create(
    State(s): State<AppState>,
    Caller(p): Caller,
    Typed(req): Typed<CreateSandbox>,
) -> Result<(StatusCode, Json<SandboxChange>), ApiError> {
    Ok((StatusCode::CREATED, Json(service::create(&s, &p, req).await?)))
}

pub async fn list(State(s): State<AppState>, Caller(p): Caller) -> Result<Json<Vec<SandboxView>>, ApiError> {
    Ok(Json(service::list(&s, &p).await?))
}

pub async fn get(State(s): State<AppState>, Caller(p): Caller, Path(id): Path<String>) -> Result<Json<SandboxView>, ApiError> {
    Ok(Json(service::get(&s, &p, &id).await?))
}

pub async fn extend(
    State(s): State<AppState>,
    Caller(p): Caller,
    Path(id): Path<String>,
    Typed(req): Typed<ExtendSandbox>,
) -> Result<Json<SandboxChange>, ApiError> {
    Ok(Json(service::extend(&s, &p, &id, req).await?))
}

pub async fn destroy(State(s): State<AppState>, Caller(p): Caller, Path(id): Path<String>) -> Result<Json<SandboxView>, ApiError> {
    Ok(Json(service::destroy(&s, &p, &id).await?))
}

pub async fn audit(
    State(s): State<AppState>,
    Caller(p): Caller,
    Path(id): Path<String>,
    Params(q): Params<AuditQuery>,
) -> Result<Json<Vec<AuditEntry>>, ApiError> {
    Ok(Json(service::audit(&s, &p, &id, q).await?))
}

/// The user to invite.
#[derive(Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(as = MemberInvite)]
pub struct Member {
    username: String,
}

pub async fn add_member(
    State(s): State<AppState>,
    Caller(p): Caller,
    Path(id): Path<String>,
    Typed(m): Typed<Member>,
) -> Result<Json<SandboxView>, ApiError> {
    Ok(Json(service::add_member(&s, &p, &id, &m.username).await?))
}

pub async fn remove_member(
    State(s): State<AppState>,
    Caller(p): Caller,
    Path((id, username)): Path<(String, String)>,
) -> Result<Json<SandboxView>, ApiError> {
    Ok(Json(service::remove_member(&s, &p, &id, &username).await?))
}
