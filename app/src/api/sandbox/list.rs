//! `POST /api/v1/sandbox/list`: the sandboxes the caller can see (`GET /sandbox`).

use crate::error::ApiError;
use leptos::prelude::*;
use leptos::server_fn::codec::Json;

/// The sandboxes the caller can see (`GET /sandbox`).
#[server(prefix = "/api", endpoint = "v1/sandbox/list", input = Json, output = Json, input_derive = (Clone, serde::Serialize, serde::Deserialize, utoipa::ToSchema))]
pub async fn list_sandboxes() -> Result<Vec<crate::model::SandboxView>, ApiError> {
    let (state, p) = crate::api::caller().await?;
    backend::services::sandbox::list(&state, &p).await
}
