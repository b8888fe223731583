//! `POST /api/v1/sandbox/create`: creates a sandbox (`POST /sandbox`).

use crate::error::ApiError;
use leptos::prelude::*;
use leptos::server_fn::codec::Json;

/// Creates a sandbox (`POST /sandbox`).
#[server(prefix = "/api", endpoint = "v1/sandbox/create", input = Json, output = Json, input_derive = (Clone, serde::Serialize, serde::Deserialize, utoipa::ToSchema))]
pub async fn create_sandbox(sandbox: crate::model::CreateSandbox) -> Result<crate::model::SandboxChange, ApiError> {
    let (state, p) = crate::api::caller().await?;
    backend::services::sandbox::create(&state, &p, sandbox).await
}
