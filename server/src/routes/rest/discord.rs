//! `/sandbox/:id/discord/guilds`: the Discord guilds whose `/simulation` commands act on a sandbox.

use super::extract::{Caller, Typed};
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::Json;
use backend::services::discord::links as service;
use backend::state::AppState;
use wire::error::ApiError;
use wire::model::{DiscordGuild, RegisterGuild};

pub async fn register(
    State(s): State<AppState>,
    Caller(p): Caller,
    Path(id): Path<String>,
    Typed(req): Typed<RegisterGuild>,
) -> Result<(StatusCode, Json<DiscordGuild>), ApiError> {
    Ok((StatusCode::CREATED, Json(service::register_guild(&s, &p, &id, &req.guild_id).await?)))
}

pub async fn list(State(s): State<AppState>, Caller(p): Caller, Path(id): Path<String>) -> Result<Json<Vec<DiscordGuild>>, ApiError> {
    Ok(Json(service::guilds(&s, &p, &id).await?))
}

pub async fn unregister(
    State(s): State<AppState>,
    Caller(p): Caller,
    Path((id, guild)): Path<(String, String)>,
) -> Result<StatusCode, ApiError> {
    service::unregister_guild(&s, &p, &id, &guild).await?;
    Ok(StatusCode::NO_CONTENT)
}
