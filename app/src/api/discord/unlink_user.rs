//! `POST /api/v1/discord/unlink_user`: removes a Discord user's link (`DELETE /discord/links/:discord_user`).

use crate::error::ApiError;
use leptos::prelude::*;
use leptos::server_fn::codec::Json;

/// Removes a Discord user's link: one's own, or anyone's for admins.
#[server(prefix = "/api", endpoint = "v1/discord/unlink_user", input = Json, output = Json, input_derive = (Clone, serde::Serialize, serde::Deserialize, utoipa::ToSchema))]
pub async fn unlink_user(discord_user: String) -> Result<(), ApiError> {
    let (state, p) = crate::api::caller().await?;
    backend::services::discord::links::unlink_user(&state, &p, &discord_user).await
}
