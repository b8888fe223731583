//! `POST /api/v1/discord/guilds`: the guilds registered on a sandbox (`GET /sandbox/:id/discord/guilds`).

use super::DiscordGuild;
use crate::error::ApiError;
use leptos::prelude::*;
use leptos::server_fn::codec::Json;

/// The guilds registered on a sandbox.
#[server(prefix = "/api", endpoint = "v1/discord/guilds", input = Json, output = Json, input_derive = (Clone, serde::Serialize, serde::Deserialize, utoipa::ToSchema))]
pub async fn list_guilds(sandbox: String) -> Result<Vec<DiscordGuild>, ApiError> {
    let (state, p) = crate::api::caller().await?;
    backend::services::discord::links::guilds(&state, &p, &sandbox).await
}
