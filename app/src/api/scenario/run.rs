//! `POST /api/v1/scenario/run`: runs a scenario file in a sandbox and stores the run (`POST /sandbox/:id/simulation/scenario`).

use crate::error::ApiError;
use leptos::prelude::*;
use leptos::server_fn::codec::Json;

/// Runs a scenario file in a sandbox and stores the run (`POST /sandbox/:id/simulation/scenario`).
#[server(prefix = "/api", endpoint = "v1/scenario/run", input = Json, output = Json, input_derive = (Clone, serde::Serialize, serde::Deserialize, utoipa::ToSchema))]
pub async fn run_scenario(sandbox: String, run: crate::model::RunScenario) -> Result<crate::model::ScenarioRun, ApiError> {
    let (state, p) = crate::api::caller().await?;
    backend::services::scenario::run(&state, &p, &sandbox, run).await
}
