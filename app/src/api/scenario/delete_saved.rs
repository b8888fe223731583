//! `POST /api/v1/scenario/delete_saved`: forgets a saved scenario file (`DELETE /sandbox/:id/scenarios/:name`).

use crate::error::ApiError;
use leptos::prelude::*;
use leptos::server_fn::codec::Json;

/// Forgets a saved scenario file (`DELETE /sandbox/:id/scenarios/:name`).
#[server(prefix = "/api", endpoint = "v1/scenario/delete_saved", input = Json, output = Json, input_derive = (Clone, serde::Serialize, serde::Deserialize, utoipa::ToSchema))]
pub async fn delete_saved_scenario(sandbox: String, name: String) -> Result<(), ApiError> {
    let (state, p) = crate::api::caller().await?;
    backend::services::scenario::delete_saved(&state, &p, &sandbox, &name).await
}
