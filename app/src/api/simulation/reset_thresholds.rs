//! `POST /api/v1/simulation/reset_thresholds`: drops every threshold override (`DELETE /sandbox/:id/simulation/thresholds`).

use crate::error::ApiError;
#[cfg(feature = "ssr")]
use backend::services::simulation::Target;
use leptos::prelude::*;
use leptos::server_fn::codec::Json;

/// Drops every threshold override (`DELETE /sandbox/:id/simulation/thresholds`).
#[server(prefix = "/api", endpoint = "v1/simulation/reset_thresholds", input = Json, output = Json, input_derive = (Clone, serde::Serialize, serde::Deserialize, utoipa::ToSchema))]
pub async fn reset_thresholds(
    sandbox: String,
    simulation: Option<String>,
    version: Option<i64>,
) -> Result<domain::ThresholdsView, ApiError> {
    let (state, p) = crate::api::caller().await?;
    backend::services::simulation::reset_thresholds(&state, &p, &sandbox, &Target(simulation), version).await
}
