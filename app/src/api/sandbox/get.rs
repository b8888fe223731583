//! `POST /api/v1/sandbox/get`: one sandbox (`GET /sandbox/:id`).

use crate::error::ApiError;
use leptos::prelude::*;
use leptos::server_fn::codec::Json;

/// One sandbox (`GET /sandbox/:id`).
#[server(prefix = "/api", endpoint = "v1/sandbox/get", input = Json, output = Json, input_derive = (Clone, serde::Serialize, serde::Deserialize, utoipa::ToSchema))]
pub async fn get_sandbox(id: String) -> Result<crate::model::SandboxView, ApiError> {
    let (state, p) = crate::api::caller().await?;
    backend::services::sandbox::get(&state, &p, &id).await
}
