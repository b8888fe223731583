//! `POST /api/v1/scenario/run_saved`: runs a scenario file saved in the sandbox, by name.

use crate::error::ApiError;
use leptos::prelude::*;
use leptos::server_fn::codec::Json;

/// Runs a scenario file saved in the sandbox, by name.
#[server(prefix = "/api", endpoint = "v1/scenario/run_saved", input = Json, output = Json, input_derive = (Clone, serde::Serialize, serde::Deserialize, utoipa::ToSchema))]
pub async fn run_saved_scenario(sandbox: String, name: String) -> Result<crate::model::ScenarioRun, ApiError> {
    let (state, p) = crate::api::caller().await?;
    backend::services::scenario::run_saved(&state, &p, &sandbox, &name).await
}
