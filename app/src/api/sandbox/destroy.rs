//! `POST /api/v1/sandbox/destroy`: destroys a sandbox now (`DELETE /sandbox/:id`).

use crate::error::ApiError;
use leptos::prelude::*;
use leptos::server_fn::codec::Json;

/// Destroys a sandbox now (`DELETE /sandbox/:id`).
#[server(prefix = "/api", endpoint = "v1/sandbox/destroy", input = Json, output = Json, input_derive = (Clone, serde::Serialize, serde::Deserialize, utoipa::ToSchema))]
pub async fn destroy_sandbox(id: String) -> Result<crate::model::SandboxView, ApiError> {
    let (state, p) = crate::api::caller().await?;
    backend::services::sandbox::destroy(&state, &p, &id).await
}
