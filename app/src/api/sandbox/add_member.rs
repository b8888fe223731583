//! `POST /api/v1/sandbox/add_member`: invites a user into a sandbox.

use crate::error::ApiError;
use leptos::prelude::*;
use leptos::server_fn::codec::Json;

/// Invites a user into a sandbox.
#[server(prefix = "/api", endpoint = "v1/sandbox/add_member", input = Json, output = Json, input_derive = (Clone, serde::Serialize, serde::Deserialize, utoipa::ToSchema))]
pub async fn add_member(id: String, username: String) -> Result<crate::model::SandboxView, ApiError> {
    let (state, p) = crate::api::caller().await?;
    backend::services::sandbox::add_member(&state, &p, &id, &username).await
}
