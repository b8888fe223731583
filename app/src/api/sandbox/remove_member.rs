//! `POST /api/v1/sandbox/remove_member`: removes a user from a sandbox.

use crate::error::ApiError;
use leptos::prelude::*;
use leptos::server_fn::codec::Json;

/// Removes a user from a sandbox.
#[server(prefix = "/api", endpoint = "v1/sandbox/remove_member", input = Json, output = Json, input_derive = (Clone, serde::Serialize, serde::Deserialize, utoipa::ToSchema))]
pub async fn remove_member(id: String, username: String) -> Result<crate::model::SandboxView, ApiError> {
    let (state, p) = crate::api::caller().await?;
    backend::services::sandbox::remove_member(&state, &p, &id, &username).await
}
