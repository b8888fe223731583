//! `POST /api/v1/token/list`: the caller's API tokens (never their secrets).

use crate::error::ApiError;
use leptos::prelude::*;
use leptos::server_fn::codec::Json;

/// The caller's API tokens (never their secrets).
#[server(prefix = "/api", endpoint = "v1/token/list", input = Json, output = Json, input_derive = (Clone, serde::Serialize, serde::Deserialize, utoipa::ToSchema))]
pub async fn list_tokens() -> Result<Vec<crate::model::TokenView>, ApiError> {
    let (state, p) = crate::api::caller().await?;
    backend::services::auth::list_tokens(&state, &p).await
}
