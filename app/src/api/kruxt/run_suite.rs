//! `POST /api/v1/kruxt/run_suite`: runs every shipped KRUXT scenario file in the sandbox and stores the runs (`POST /sandbox/:id/kruxt/scenarios/run`).

use crate::error::ApiError;
use leptos::prelude::*;
use leptos::server_fn::codec::Json;

/// Runs every shipped KRUXT scenario file in the sandbox and stores the runs (`POST /sandbox/:id/kruxt/scenarios/run`).
#[server(prefix = "/api", endpoint = "v1/kruxt/run_suite", input = Json, output = Json, input_derive = (Clone, serde::Serialize, serde::Deserialize, utoipa::ToSchema))]
pub async fn kruxt_run_suite(sandbox: String) -> Result<crate::model::KruxtSuiteRun, ApiError> {
    let (state, p) = crate::api::caller().await?;
    backend::services::kruxt::run_suite(&state, &p, &sandbox).await
}
