//! `POST /api/v1/discord/register_guild`: makes a guild's `/simulation` commands act on a sandbox (`POST /sandbox/:id/discord/guilds`).

use super::DiscordGuild;
use crate::error::ApiError;
use leptos::prelude::*;
use leptos::server_fn::codec::Json;

/// Makes a guild's `/simulation` commands act on a sandbox; a guild serves one live sandbox.
#[server(prefix = "/api", endpoint = "v1/discord/register_guild", input = Json, output = Json, input_derive = (Clone, serde::Serialize, serde::Deserialize, utoipa::ToSchema))]
pub async fn register_guild(sandbox: String, guild: String) -> Result<DiscordGuild, ApiError> {
    let (state, p) = crate::api::caller().await?;
    backend::services::discord::links::register_guild(&state, &p, &sandbox, &guild).await
}
