//! `POST /api/v1/discord/unregister_guild`: stops a guild acting on a sandbox (`DELETE /sandbox/:id/discord/guilds/:guild`).

use crate::error::ApiError;
use leptos::prelude::*;
use leptos::server_fn::codec::Json;

/// Stops a guild acting on a sandbox.
#[server(prefix = "/api", endpoint = "v1/discord/unregister_guild", input = Json, output = Json, input_derive = (Clone, serde::Serialize, serde::Deserialize, utoipa::ToSchema))]
pub async fn unregister_guild(sandbox: String, guild: String) -> Result<(), ApiError> {
    let (state, p) = crate::api::caller().await?;
    backend::services::discord::links::unregister_guild(&state, &p, &sandbox, &guild).await
}
