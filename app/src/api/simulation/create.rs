//! `POST /api/v1/simulation/create`: creates another simulation in a sandbox (`POST /sandbox/:id/simulations`).

use crate::error::ApiError;
use leptos::prelude::*;
use leptos::server_fn::codec::Json;

/// Creates another simulation in a sandbox (`POST /sandbox/:id/simulations`).
#[server(prefix = "/api", endpoint = "v1/simulation/create", input = Json, output = Json, input_derive = (Clone, serde::Serialize, serde::Deserialize, utoipa::ToSchema))]
pub async fn create_simulation(sandbox: String, name: String) -> Result<crate::model::SimulationView, ApiError> {
    let (state, p) = crate::api::caller().await?;
    backend::services::simulation::create(&state, &p, &sandbox, crate::model::CreateSimulation { name }).await
}
