//! `POST /api/v1/scenario/saved`: the scenario files saved in a sandbox (`GET /sandbox/:id/scenarios`).

use crate::error::ApiError;
use leptos::prelude::*;
use leptos::server_fn::codec::Json;

/// The scenario files saved in a sandbox (`GET /sandbox/:id/scenarios`).
#[server(prefix = "/api", endpoint = "v1/scenario/saved", input = Json, output = Json, input_derive = (Clone, serde::Serialize, serde::Deserialize, utoipa::ToSchema))]
pub async fn saved_scenarios(sandbox: String) -> Result<Vec<crate::model::SavedScenario>, ApiError> {
    let (state, p) = crate::api::caller().await?;
    backend::services::scenario::saved(&state, &p, &sandbox).await
}
