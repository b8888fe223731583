//! `POST /api/v1/simulation/assume`: assumes a tier until reset (`POST /sandbox/:id/simulation/assume`). `version`, when given, must be the simulation's current version.

use crate::error::ApiError;
#[cfg(feature = "ssr")]
use backend::services::simulation::Target;
use leptos::prelude::*;
use leptos::server_fn::codec::Json;

/// Assumes a tier until reset (`POST /sandbox/:id/simulation/assume`). `version`, when given, must be the simulation's current version.
#[server(prefix = "/api", endpoint = "v1/simulation/assume", input = Json, output = Json, input_derive = (Clone, serde::Serialize, serde::Deserialize, utoipa::ToSchema))]
pub async fn assume(
    sandbox: String,
    simulation: Option<String>,
    role: serde_json::Value,
    version: Option<i64>,
) -> Result<crate::model::WhoAmI, ApiError> {
    let (state, p) = crate::api::caller().await?;
    backend::services::simulation::assume(&state, &p, &sandbox, &Target(simulation), wire::parse_json(role)?, version).await
}
