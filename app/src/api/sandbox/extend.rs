//! `POST /api/v1/sandbox/extend`: moves a sandbox's expiry later (`POST /sandbox/:id/extend`).

use crate::error::ApiError;
use leptos::prelude::*;
use leptos::server_fn::codec::Json;

/// Moves a sandbox's expiry later (`POST /sandbox/:id/extend`).
#[server(prefix = "/api", endpoint = "v1/sandbox/extend", input = Json, output = Json, input_derive = (Clone, serde::Serialize, serde::Deserialize, utoipa::ToSchema))]
pub async fn extend_sandbox(id: String, hours: u32) -> Result<crate::model::SandboxChange, ApiError> {
    let (state, p) = crate::api::caller().await?;
    backend::services::sandbox::extend(&state, &p, &id, crate::model::ExtendSandbox { hours }).await
}
