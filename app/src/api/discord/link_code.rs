//! `POST /api/v1/discord/link_code`: a one-time code for `/simulation link` (`POST /discord/link-code`).

use super::LinkCode;
use crate::error::ApiError;
use leptos::prelude::*;
use leptos::server_fn::codec::Json;

/// A one-time code: running `/simulation link <code>` in Discord links that account to the caller.
#[server(prefix = "/api", endpoint = "v1/discord/link_code", input = Json, output = Json, input_derive = (Clone, serde::Serialize, serde::Deserialize, utoipa::ToSchema))]
pub async fn create_link_code() -> Result<LinkCode, ApiError> {
    let (state, p) = crate::api::caller().await?;
    backend::services::discord::links::link_code(&state, &p).await
}
