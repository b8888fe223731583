//! `POST /api/v1/scenario/report`: one stored run's report (`GET /sandbox/:id/scenario-runs/:run`).

use crate::error::ApiError;
use leptos::prelude::*;
use leptos::server_fn::codec::Json;

/// One stored run's report (`GET /sandbox/:id/scenario-runs/:run`).
#[server(prefix = "/api", endpoint = "v1/scenario/report", input = Json, output = Json, input_derive = (Clone, serde::Serialize, serde::Deserialize, utoipa::ToSchema))]
pub async fn scenario_report(sandbox: String, run: String) -> Result<domain::scenario::FileReport, ApiError> {
    let (state, p) = crate::api::caller().await?;
    backend::services::scenario::report(&state, &p, &sandbox, &run).await
}
