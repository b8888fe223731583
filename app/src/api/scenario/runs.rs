//! `POST /api/v1/scenario/runs`: a sandbox's scenario runs, newest first (`GET /sandbox/:id/scenario-runs`).

use crate::error::ApiError;
use leptos::prelude::*;
use leptos::server_fn::codec::Json;

/// A sandbox's scenario runs, newest first (`GET /sandbox/:id/scenario-runs`).
#[server(prefix = "/api", endpoint = "v1/scenario/runs", input = Json, output = Json, input_derive = (Clone, serde::Serialize, serde::Deserialize, utoipa::ToSchema))]
pub async fn scenario_runs(sandbox: String) -> Result<Vec<crate::model::ScenarioRunSummary>, ApiError> {
    let (state, p) = crate::api::caller().await?;
    backend::services::scenario::runs(&state, &p, &sandbox).await
}
