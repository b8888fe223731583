//! `POST /api/v1/simulation/list`: a sandbox's simulations (`GET /sandbox/:id/simulations`).

use crate::error::ApiError;
use leptos::prelude::*;
use leptos::server_fn::codec::Json;

/// A sandbox's simulations (`GET /sandbox/:id/simulations`).
#[server(prefix = "/api", endpoint = "v1/simulation/list", input = Json, output = Json, input_derive = (Clone, serde::Serialize, serde::Deserialize, utoipa::ToSchema))]
pub async fn list_simulations(sandbox: String) -> Result<Vec<crate::model::SimulationView>, ApiError> {
    let (state, p) = crate::api::caller().await?;
    backend::services::simulation::list(&state, &p, &sandbox).await
}
