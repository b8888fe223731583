//! `POST /api/v1/discord/link_user`: links a Discord user to a Crysknife user, admins only (`POST /discord/links`).

use super::DiscordLink;
use crate::error::ApiError;
use leptos::prelude::*;
use leptos::server_fn::codec::Json;

/// Links a Discord user to a Crysknife user (admins only); their role decides what they may change.
#[server(prefix = "/api", endpoint = "v1/discord/link_user", input = Json, output = Json, input_derive = (Clone, serde::Serialize, serde::Deserialize, utoipa::ToSchema))]
pub async fn link_user(discord_user: String, username: String) -> Result<DiscordLink, ApiError> {
    let (state, p) = crate::api::caller().await?;
    backend::services::discord::links::link_user(&state, &p, &discord_user, &username).await
}
