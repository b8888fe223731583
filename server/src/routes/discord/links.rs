//! `/discord/links` and `/discord/link-code`: which Crysknife user a Discord user acts as.

use crate::routes::rest::extract::{Caller, Typed};
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::Json;
use backend::services::discord::links as service;
use backend::state::AppState;
use wire::error::ApiError;
use wire::model::{DiscordLink, LinkCode, LinkUser};

pub async fn link(State(s): State<AppState>, Caller(p): Caller, Typed(req): Typed<LinkUser>) -> Result<Json<DiscordLink>, ApiError> {
    Ok(Json(service::link_user(&s, &p, &req.discord_user_id, &req.username).await?))
}

pub async fn unlink(State(s): State<AppState>, Caller(p): Caller, Path(discord_user): Path<String>) -> Result<StatusCode, ApiError> {
    service::unlink_user(&s, &p, &discord_user).await?;
    Ok(StatusCode::NO_CONTENT)
}

pub async fn link_code(State(s): State<AppState>, Caller(p): Caller) -> Result<Json<LinkCode>, ApiError> {
    Ok(Json(service::link_code(&s, &p).await?))
}
