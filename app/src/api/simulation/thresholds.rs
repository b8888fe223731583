//! `POST /api/v1/simulation/thresholds`: every threshold in force, overridden ones marked (`GET /sandbox/:id/simulation/thresholds`).

use crate::error::ApiError;
#[cfg(feature = "ssr")]
use backend::services::simulation::Target;
use leptos::prelude::*;
use leptos::server_fn::codec::Json;

/// Every threshold in force, overridden ones marked (`GET /sandbox/:id/simulation/thresholds`).
#[server(prefix = "/api", endpoint = "v1/simulation/thresholds", input = Json, output = Json, input_derive = (Clone, serde::Serialize, serde::Deserialize, utoipa::ToSchema))]
pub async fn get_thresholds(sandbox: String, simulation: Option<String>) -> Result<domain::ThresholdsView, ApiError> {
    let (state, p) = crate::api::caller().await?;
    backend::services::simulation::thresholds(&state, &p, &sandbox, &Target(simulation)).await
}
