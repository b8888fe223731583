//! `POST /api/v1/token/revoke`: revokes one of the caller's API tokens.

use crate::error::ApiError;
use leptos::prelude::*;
use leptos::server_fn::codec::Json;

/// Revokes one of the caller's API tokens.
#[server(prefix = "/api", endpoint = "v1/token/revoke", input = Json, output = Json, input_derive = (Clone, serde::Serialize, serde::Deserialize, utoipa::ToSchema))]
pub async fn revoke_token(id: String) -> Result<(), ApiError> {
    let (state, p) = crate::api::caller().await?;
    backend::services::auth::revoke_token(&state, &p, &id).await
}
